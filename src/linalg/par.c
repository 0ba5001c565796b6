/* par.c: the thread team of par.h.
 *
 * Helpers sleep on a condition variable until the caller publishes a new
 * generation of work (task function, context, count); every thread, the
 * caller included, then claims task numbers from one atomic counter until
 * they run out, and the caller waits until every helper has left the
 * generation.  Which thread runs a task is left to chance; what a task
 * computes is not (par.h). */
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): glibc feature macro */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "linalg/par.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ntr_par {
    int threads;
    pthread_t *helpers; /* threads - 1 of them */
    int started;        /* helpers actually started */
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    unsigned long generation;
    int quit;
    int busy;           /* helpers still in the current generation */
    /* the current generation's work */
    ntr_par_task task;
    void *ctx;
    size_t ntasks;
    atomic_size_t next;
};

static void work(ntr_par *p)
{
    size_t i;
    while ((i = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed)) < p->ntasks)
        p->task(i, p->ctx);
}

static void *helper_main(void *arg)
{
    ntr_par *p = arg;
    pthread_mutex_lock(&p->mu);
    /* Generation 0 is the team's creation: a helper that starts late has
     * still to take part in generation 1, if it began (the caller waits for
     * every helper before it can start generation 2). */
    unsigned long seen = 0;
    for (;;) {
        while (p->generation == seen && !p->quit)
            pthread_cond_wait(&p->go, &p->mu);
        if (p->quit)
            break;
        seen = p->generation;
        pthread_mutex_unlock(&p->mu);
        work(p);
        pthread_mutex_lock(&p->mu);
        if (--p->busy == 0)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int ntr_par_create(int threads, ntr_par **out, ntr_error *err)
{
    *out = NULL;
    ntr_par *p = calloc(1, sizeof *p);
    if (!p)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    p->threads = threads > 1 ? threads : 1;
    atomic_init(&p->next, 0);
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return ntr_fail(err, NTR_E_INTERNAL, "cannot create a mutex");
    }
    pthread_cond_init(&p->go, NULL);
    pthread_cond_init(&p->done, NULL);
    if (p->threads > 1) {
        p->helpers = calloc((size_t)p->threads - 1, sizeof *p->helpers);
        if (!p->helpers) {
            ntr_par_free(p);
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
        for (int i = 0; i < p->threads - 1; i++) {
            if (pthread_create(&p->helpers[i], NULL, helper_main, p) != 0) {
                ntr_par_free(p);
                return ntr_fail(err, NTR_E_INTERNAL, "cannot start a thread (%d wanted)",
                                threads);
            }
            p->started++;
        }
    }
    *out = p;
    return 0;
}

void ntr_par_free(ntr_par *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->started; i++)
        pthread_join(p->helpers[i], NULL);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    free(p->helpers);
    free(p);
}

int ntr_par_threads(const ntr_par *p)
{
    return p ? p->threads : 1;
}

void ntr_par_run(ntr_par *p, size_t ntasks, ntr_par_task task, void *ctx)
{
    if (!p || p->threads == 1 || ntasks <= 1) {
        for (size_t i = 0; i < ntasks; i++)
            task(i, ctx);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->task = task;
    p->ctx = ctx;
    p->ntasks = ntasks;
    atomic_store_explicit(&p->next, 0, memory_order_relaxed);
    p->busy = p->started;
    p->generation++;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    work(p);
    pthread_mutex_lock(&p->mu);
    while (p->busy > 0)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

int ntr_cpu_count(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

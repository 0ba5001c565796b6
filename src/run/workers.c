/* workers.c: the fork-based worker pool (see workers.h).
 *
 * The parent keeps one slot per worker: its pid, the write end of its
 * command pipe, the read end of its report pipe and the job it runs (-1
 * when idle).  It polls the report pipes of busy workers with a short
 * timeout (so that a stop and the progress line are seen promptly), hands
 * the next job to each worker that reports, and closes a worker's command
 * pipe when there is nothing more to do, which ends that worker. */
#include "run/workers.h"

#include <cblas.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* A worker's stop flag.  A signal handler can only reach static storage,
 * so this is the one piece of mutable static state of the pool; it is
 * only used inside worker processes (set by their handlers, read by their
 * jobs).  Bit 1: the parent forwarded a stop (SIGUSR1); bit 2: the worker
 * got SIGINT or SIGTERM itself, and a second one ends it at once. */
static volatile sig_atomic_t worker_stop;

static void on_worker_signal(int sig)
{
    if (sig == SIGUSR1) {
        worker_stop |= 1;
        return;
    }
    if (worker_stop & 2) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    worker_stop |= 2;
}

typedef struct slot {
    pid_t pid;   /* 0: no process */
    int cmd;     /* write end of the command pipe, -1 when closed */
    int res;     /* read end of the report pipe, -1 when closed */
    long job;    /* job running, -1 when idle */
} slot;

void ntr_blas_single_thread(void)
{
    openblas_set_num_threads(1);
}

/* Read or write exactly n bytes; 0 on success, -1 on end of file or error. */
static int read_full(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static int write_full(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t r = write(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* The worker's whole life: take job numbers until the command pipe ends. */
static void worker_main(int cmd, int res, const ntr_pool_opts *o)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_worker_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGUSR1);
    worker_stop = 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_DFL); /* the parent is gone: end quietly */
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    ntr_blas_single_thread();
    uint64_t job;
    while (read_full(cmd, &job, sizeof job) == 0) {
        ntr_job_report rep;
        memset(&rep, 0, sizeof rep);
        rep.job = (size_t)job;
        if (worker_stop)
            rep.skipped = 1;
        else
            o->run((size_t)job, o->ctx, &worker_stop, &rep);
        rep.job = (size_t)job;
        if (write_full(res, &rep, sizeof rep) != 0)
            break;
    }
}

/* Start a worker in slot w; the other slots' pipe ends are closed in it. */
static int spawn(slot *slots, size_t n, size_t w, const ntr_pool_opts *o, ntr_error *err)
{
    int cmd[2], res[2];
    if (pipe(cmd) != 0)
        return ntr_fail(err, NTR_E_IO, "cannot create a pipe for a worker: %s", strerror(errno));
    if (pipe(res) != 0) {
        close(cmd[0]);
        close(cmd[1]);
        return ntr_fail(err, NTR_E_IO, "cannot create a pipe for a worker: %s", strerror(errno));
    }
    sigset_t usr1, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &old); /* until the worker has its handler */
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        /* A worker dies with its parent (kill -9 of ntr-run): no orphan goes
         * on writing cells beside a resumed run. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
            _exit(1);
        close(cmd[1]);
        close(res[0]);
        for (size_t i = 0; i < n; i++) {
            if (slots[i].cmd >= 0)
                close(slots[i].cmd);
            if (slots[i].res >= 0)
                close(slots[i].res);
        }
        worker_main(cmd[0], res[1], o);
        _exit(0);
    }
    int saved = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(cmd[0]);
    close(res[1]);
    if (pid < 0) {
        close(cmd[1]);
        close(res[0]);
        return ntr_fail(err, NTR_E_IO, "cannot start a worker process: %s", strerror(saved));
    }
    slots[w].pid = pid;
    slots[w].cmd = cmd[1];
    slots[w].res = res[0];
    slots[w].job = -1;
    return 0;
}

/* Wait for a worker to end; describe how it ended in msg. */
static void reap(slot *w, char *msg, size_t size)
{
    int st = 0;
    pid_t r;
    do
        r = waitpid(w->pid, &st, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        snprintf(msg, size, "worker process %ld lost: %s", (long)w->pid, strerror(errno));
    else if (WIFSIGNALED(st))
        snprintf(msg, size, "worker process %ld ended by signal %d (%s)", (long)w->pid,
                 WTERMSIG(st), strsignal(WTERMSIG(st)));
    else
        snprintf(msg, size, "worker process %ld ended (exit status %d) without reporting",
                 (long)w->pid, WEXITSTATUS(st));
    w->pid = 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Hand job to worker w; 0 when written. */
static int give(slot *w, size_t job)
{
    uint64_t j = job;
    if (write_full(w->cmd, &j, sizeof j) != 0)
        return -1;
    w->job = (long)job;
    return 0;
}

/* A worker's pipe ended without a report: it died.  Report its job. */
static int worker_died(slot *w, int stopping, const ntr_pool_opts *o, size_t *running)
{
    ntr_job_report rep;
    memset(&rep, 0, sizeof rep);
    rep.job = (size_t)w->job;
    close_fd(&w->cmd);
    close_fd(&w->res);
    reap(w, rep.msg, sizeof rep.msg);
    rep.skipped = stopping;
    rep.err_kind = NTR_E_INTERNAL;
    int rc = 0;
    if (w->job >= 0) {
        (*running)--;
        rc = o->event(o->ctx, &rep, *running);
    }
    w->job = -1;
    return rc;
}

static int stopping(const ntr_pool_opts *o)
{
    return o->stop && *o->stop;
}

/* Give worker i the next job, or end it when there is none. */
static int feed(slot *slots, size_t n, size_t i, size_t njobs, size_t *next, int no_more,
                size_t *running, const ntr_pool_opts *o, ntr_error *err)
{
    slot *w = &slots[i];
    for (int tries = 0; !no_more && !stopping(o) && *next < njobs; tries++) {
        if (tries == 3)
            return ntr_fail(err, NTR_E_IO, "worker processes end as soon as they start");
        if (w->pid == 0 && spawn(slots, n, i, o, err) != 0)
            return -1;
        if (give(w, *next) == 0) {
            (*next)++;
            (*running)++;
            return 0;
        }
        /* The worker is gone: reap it and start another. */
        char msg[256];
        close_fd(&w->cmd);
        close_fd(&w->res);
        reap(w, msg, sizeof msg);
    }
    close_fd(&w->cmd); /* no more work: the worker ends */
    return 0;
}

/* The pool while it runs: the workers, what poll watches, and the jobs. */
typedef struct pool {
    const ntr_pool_opts *o;
    slot *slots;
    struct pollfd *pfd;
    size_t *who;  /* pfd[k] watches slots[who[k]] */
    size_t n, njobs, next, running;
    int no_more;  /* the caller asked for no more jobs */
    int forwarded;
} pool;

/* A stop asked for: pass it on to every busy worker, once. */
static void forward_stop(pool *p)
{
    if (!stopping(p->o) || p->forwarded)
        return;
    for (size_t i = 0; i < p->n; i++)
        if (p->slots[i].pid > 0 && p->slots[i].job >= 0)
            kill(p->slots[i].pid, SIGUSR1);
    p->forwarded = 1;
}

/* Wait (200 ms at most) for a busy worker's report, hand each report (or
 * death) to the caller and feed the worker again. */
static int take_reports(pool *p, ntr_error *err)
{
    const ntr_pool_opts *o = p->o;
    size_t np = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->slots[i].pid > 0 && p->slots[i].job >= 0) {
            p->pfd[np].fd = p->slots[i].res;
            p->pfd[np].events = POLLIN;
            p->pfd[np].revents = 0;
            p->who[np++] = i;
        }
    int pr = poll(p->pfd, (nfds_t)np, 200);
    if (pr < 0 && errno != EINTR)
        return ntr_fail(err, NTR_E_IO, "waiting for the workers: %s", strerror(errno));
    int rc = 0;
    for (size_t k = 0; pr > 0 && k < np; k++) {
        if (!p->pfd[k].revents)
            continue;
        slot *w = &p->slots[p->who[k]];
        ntr_job_report rep;
        if (read_full(w->res, &rep, sizeof rep) == 0) {
            w->job = -1;
            p->running--;
            if (o->event(o->ctx, &rep, p->running) != 0)
                p->no_more = 1;
        } else if (worker_died(w, stopping(o), o, &p->running) != 0) {
            p->no_more = 1;
        }
        rc = feed(p->slots, p->n, p->who[k], p->njobs, &p->next, p->no_more, &p->running, o,
                  err);
    }
    return rc;
}

/* Feed every worker, then take reports until no job runs. */
static int pool_loop(pool *p, ntr_error *err)
{
    const ntr_pool_opts *o = p->o;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < p->n; i++)
        rc = feed(p->slots, p->n, i, p->njobs, &p->next, p->no_more, &p->running, o, err);
    if (rc == 0 && o->event(o->ctx, NULL, p->running) != 0)
        p->no_more = 1;
    while (rc == 0 && p->running > 0) {
        forward_stop(p);
        rc = take_reports(p, err);
        if (rc == 0 && o->event(o->ctx, NULL, p->running) != 0)
            p->no_more = 1;
    }
    return rc;
}

/* End every worker: close its command pipe (stop it when the pool failed)
 * and wait for it. */
static void end_workers(slot *slots, size_t n, int failed)
{
    for (size_t i = 0; i < n; i++) {
        close_fd(&slots[i].cmd);
        if (failed && slots[i].pid > 0 && slots[i].job >= 0)
            kill(slots[i].pid, SIGUSR1);
    }
    for (size_t i = 0; i < n; i++) {
        if (slots[i].pid > 0) {
            char msg[256];
            reap(&slots[i], msg, sizeof msg);
        }
        close_fd(&slots[i].res);
    }
}

int ntr_pool_run(const ntr_pool_opts *o, size_t njobs, ntr_error *err)
{
    size_t n = (size_t)(o->workers > 0 ? o->workers : 1);
    if (n > njobs)
        n = njobs;
    if (n == 0)
        return 0;
    pool p = {.o = o, .n = n, .njobs = njobs};
    p.slots = calloc(n, sizeof *p.slots);
    p.pfd = calloc(n, sizeof *p.pfd);
    p.who = calloc(n, sizeof *p.who);
    if (!p.slots || !p.pfd || !p.who) {
        free(p.slots);
        free(p.pfd);
        free(p.who);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        p.slots[i].cmd = p.slots[i].res = -1, p.slots[i].job = -1;
    struct sigaction ign, old_pipe;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old_pipe); /* a dead worker must not end the parent */
    int rc = pool_loop(&p, err);
    end_workers(p.slots, n, rc != 0);
    sigaction(SIGPIPE, &old_pipe, NULL);
    free(p.slots);
    free(p.pfd);
    free(p.who);
    return rc;
}

/* bench_iter.c: whole iterations of ntr on one cell of a config, for
 * `make bench` (bench/run-bench).
 *
 *   bench_iter CONFIG [--set key=value]... [--reps R] [--traj PATH|none]
 *              [--stub-grad] [--grad-reps N]
 *
 * Prepares the first cell once (timed apart: prepare_s) and runs it R times
 * (ntr_run_execute timed in CPU time, one BLAS thread as ntr-run uses; each
 * repetition starts where the previous one ended, which costs the same) and
 * prints one JSON object:
 *   iters           iterations per run
 *   ns_iter         per-iteration CPU time of each repetition
 *   grads_per_iter  problem gradient evaluations per iteration (counted by
 *                   wrapping the problem's gradient function)
 *   ns_grad         one exact gradient evaluation, timed alone on x0 (median
 *                   of 9 batches of about 20 ms; of 3 single calls beyond 50 ms)
 *   rss_kb          peak resident memory of this process (kB)
 *   prepare_s       CPU time of ntr_run_prepare (problem data, constants)
 * With --stub-grad the problem's gradient is replaced by a copy of the
 * gradient at x0 (the cost of a memcpy), so that ns_iter is the tool's own
 * overhead measured directly; without it the overhead is estimated as
 * ns_iter - grads_per_iter * ns_grad.  --traj writes the trajectory (and
 * timing) to PATH (and PATH.timing) as ntr-run would; default none. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "config/plan.h"
#include "run/runner.h"

/* The wrapped gradient: the original function and a call counter.  A bench
 * program runs one problem at a time, so file scope is enough. */
static double (*orig_grad)(ntr_problem *, const double *, double *);
static long grad_calls;
static const double *stub_g;
static double stub_f;
static size_t stub_dim;

static double counting_grad(ntr_problem *p, const double *x, double *g)
{
    grad_calls++;
    return orig_grad(p, x, g);
}

static double stub_grad(ntr_problem *p, const double *x, double *g)
{
    (void)p;
    (void)x;
    grad_calls++;
    memcpy(g, stub_g, stub_dim * sizeof *g);
    return stub_f;
}

/* CPU time of this thread: on a shared machine it leaves out the time the
 * thread waits for a core (one BLAS thread: the BLAS runs in this thread). */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_iter CONFIG [--set key=value]... [--reps R] [--traj PATH|none]"
                    " [--stub-grad] [--grad-reps N]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *config = NULL, *traj_path = NULL;
    const char *sets[32];
    int nsets = 0, reps = 5, stub = 0;
    long grad_reps = 200;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--set") == 0 && i + 1 < argc && nsets < 32)
            sets[nsets++] = argv[++i];
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--traj") == 0 && i + 1 < argc)
            traj_path = argv[++i];
        else if (strcmp(argv[i], "--grad-reps") == 0 && i + 1 < argc)
            grad_reps = atol(argv[++i]);
        else if (strcmp(argv[i], "--stub-grad") == 0)
            stub = 1;
        else if (argv[i][0] != '-' && !config)
            config = argv[i];
        else
            usage();
    }
    if (!config || reps < 1 || reps > 1000 || grad_reps < 1)
        usage();
    if (traj_path && strcmp(traj_path, "none") == 0)
        traj_path = NULL;
    openblas_set_num_threads(1);

    ntr_error err;
    ntr_plan *plan;
    if (ntr_plan_load(config, sets, nsets, &plan, &err) != 0) {
        fprintf(stderr, "bench_iter: %s:%d: %s\n", err.file, err.line, err.msg);
        return 2;
    }
    const ntr_cell *c = &plan->cells[0];
    double *ns_iter = calloc((size_t)reps, sizeof *ns_iter);
    double ns_grad = 0.0, grads_per_iter = 0.0;
    long iters = 0;
    double t_prep = now_s();
    ntr_run *run;
    if (ntr_run_prepare(&c->s, c->run_seed, c->init_seed, &run, &err) != 0) {
        fprintf(stderr, "bench_iter: %s\n", err.msg);
        return 2;
    }
    t_prep = now_s() - t_prep;
    ntr_problem *p = ntr_run_problem(run);
    size_t dim = p->layout.dim;
    /* A private copy of the type with the gradient wrapped. */
    ntr_problem_type wrapped = *p->type;
    const ntr_problem_type *orig_type = p->type;
    orig_grad = orig_type->grad;
    double *g0 = malloc(dim * sizeof *g0), *x0 = malloc(dim * sizeof *x0);
    memcpy(x0, ntr_run_x0(run), dim * sizeof *x0);
    /* One exact gradient alone, median of 9 batches of about 20 ms each
     * (at most grad_reps calls, at least one). */
    double t1 = now_s();
    orig_grad(p, x0, g0);
    t1 = now_s() - t1;
    long per = t1 > 0.0 ? (long)(0.02 / t1) : grad_reps;
    per = per < 1 ? 1 : per > grad_reps ? grad_reps : per;
    int nb = t1 > 0.05 ? 3 : 9;
    double batch[9];
    for (int b = 0; b < nb; b++) {
        double t = now_s();
        for (long j = 0; j < per; j++)
            orig_grad(p, x0, g0);
        batch[b] = (now_s() - t) / (double)per * 1e9;
    }
    qsort(batch, (size_t)nb, sizeof batch[0], cmp_double);
    ns_grad = batch[nb / 2];
    stub_f = orig_grad(p, x0, g0);
    stub_g = g0;
    stub_dim = dim;
    wrapped.grad = stub ? stub_grad : counting_grad;
    p->type = &wrapped;
    for (int rep = 0; rep < reps; rep++) {
        FILE *traj = NULL, *timing = NULL;
        if (traj_path) {
            char tpath[1100];
            snprintf(tpath, sizeof tpath, "%s.timing", traj_path);
            traj = fopen(traj_path, "w");
            timing = fopen(tpath, "w");
            if (!traj || !timing) {
                perror("bench_iter: trajectory");
                return 2;
            }
        }
        ntr_run_result res;
        grad_calls = 0;
        double t = now_s();
        int rc = ntr_run_execute(run, traj, timing, NULL, &res, &err);
        double wall = now_s() - t;
        if (traj) {
            fclose(traj);
            fclose(timing);
        }
        if (rc != 0) {
            fprintf(stderr, "bench_iter: %s\n", err.msg);
            return 2;
        }
        iters = res.iterations > 0 ? res.iterations : 1;
        ns_iter[rep] = wall / (double)iters * 1e9;
        grads_per_iter = (double)grad_calls / (double)iters;
    }
    p->type = orig_type;
    ntr_run_free(run);
    free(g0);
    free(x0);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("{\"iters\": %ld, \"ns_iter\": [", iters);
    for (int rep = 0; rep < reps; rep++)
        printf("%s%.1f", rep ? ", " : "", ns_iter[rep]);
    printf("], \"grads_per_iter\": %.4f, \"ns_grad\": %.1f, \"rss_kb\": %ld, \"stub\": %d, "
           "\"prepare_s\": %.3f}\n",
           grads_per_iter, ns_grad, ru.ru_maxrss, stub, t_prep);
    free(ns_iter);
    ntr_plan_free(plan);
    return 0;
}

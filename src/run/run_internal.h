/* run_internal.h: the inside of a run, shared by runner.c (prepare and
 * the loop) and run_state.c (saving and restoring a run's state so that a
 * larger budget continues it).  Nothing outside src/run/ includes this. */
#ifndef NTR_RUN_INTERNAL_H
#define NTR_RUN_INTERNAL_H

#include "run/runner.h"

#include "methods/method.h"
#include "run/oracle.h"
#include "run/schedule.h"

/* The running statistics of the measured ||grad f(x_k)||_*: the minimum
 * over every measured k; the mean over k on the measure_every grid (sum,
 * n), or, measuring on the logging grid (log.measure_every: log), each
 * measured value weighted by the iterations until the next measurement
 * (sum of the finished intervals; last value and its k), an estimate of
 * (1/(k+1)) sum_{j<=k} ||grad f(x_j)||_* from the rows alone. */
typedef struct running {
    double min, sum;
    long n;
    int weighted;
    double last;
    long last_k;
} running;

/* Everything the loop carries from one iteration to the next besides x,
 * the method's buffers and the generator. */
typedef struct ntr_loop_state {
    long k, sfo, log_at;
    running rs;
    int hits;
    long hit_k[NTR_MAX_TARGETS], hit_sfo[NTR_MAX_TARGETS];
} ntr_loop_state;

struct ntr_run {
    const ntr_settings *s;
    ntr_problem problem;
    int have_problem, have_oracle;
    ntr_norm *norm;
    ntr_method *method;
    ntr_schedule *sched;
    ntr_oracle oracle;
    gsl_rng *rng;
    double *x, *g, *grad, *diff;
    ntr_constants consts;
    int additive;           /* the oracle starts from the exact gradient (see the header comment) */
    int grad_at_x;          /* r->grad and r->grad_f are grad f and f at r->x */
    double grad_f;          /* f at the point of r->grad */
    const ntr_norm_type *l2; /* the euclidean norm: grad_l2 and x_fro */
    int norm_is_l2;         /* one euclidean block: the norm and its dual are l2 itself */
    /* The loop state at the start of the last iteration, before its
     * measurement (which draws nothing and changes neither x nor the
     * method): with x, the method and the generator as the loop left them,
     * it is where a run with a larger budget goes on (run_state.c). */
    ntr_loop_state last;
    int have_last;          /* the run ended for good (not interrupted) */
    ntr_loop_state resume;  /* loaded by ntr_run_load_state */
    int resuming;
    double time_offset;     /* seconds already spent before the resume point */
};

#endif

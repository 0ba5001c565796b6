/* cost.h: what a run will cost, before it runs (for --plan), and the
 * logging grid the runner and the cost share.
 *
 * A run of K iterations calls the stochastic oracle K times (plus once at
 * x0 with m0: sample), each call costing `batch` oracle units (SFO); it
 * computes the exact gradient at every measured iteration (k on the
 * measure_every grid, and every logged row), which is not counted as SFO
 * but is work: with measure_every 1 it doubles the gradient work. */
#ifndef NTR_COST_H
#define NTR_COST_H

#include "config/settings.h"

/* The next logged k after k: every N, or about 20 rows per decade. */
long ntr_next_log(const ntr_settings *s, long k);

typedef struct ntr_run_cost {
    long iterations;   /* steps to take */
    long sfo;          /* oracle units (batch per call) */
    long gradients;    /* exact-gradient evaluations of the measurements */
    long rows;         /* trajectory rows */
} ntr_run_cost;

/* The cost of running from k_from (0: from the start; a continuation
 * starts at the saved k) to budget.iterations. */
void ntr_run_cost_of(const ntr_settings *s, long k_from, ntr_run_cost *c);

#endif

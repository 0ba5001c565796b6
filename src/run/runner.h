/* runner.h: one run of one cell, start to finish.
 *
 * ntr_run_prepare() (runner.c) builds everything a run needs from its
 * settings (the problem and its data, norm, method, schedule, oracle,
 * start point, generators and every buffer); it is also how configs are
 * validated before anything runs.  ntr_run_execute() (run_loop.c) is the
 * iteration loop: it allocates nothing, writes one trajectory row per logged iteration (row k
 * describes x_k; k = 0 is the start) and fills the result. */
#ifndef NTR_RUNNER_H
#define NTR_RUNNER_H

#include <gsl/gsl_rng.h>
#include <signal.h>
#include <stdio.h>

#include "config/settings.h"
#include "base/status.h"
#include "run/constants.h"
#include "output/run_result.h"

typedef struct ntr_run ntr_run;

int ntr_run_prepare(const ntr_settings *s, unsigned long run_seed, unsigned long init_seed,
                    ntr_run **out, ntr_error *err);
/* The same with a thread team (par.h, owned by the caller, may be NULL) that
 * splits the run's large matrix products; the results are the same bytes
 * whatever its size. */
struct ntr_par;
int ntr_run_prepare_team(const ntr_settings *s, unsigned long run_seed, unsigned long init_seed,
                         struct ntr_par *team, ntr_run **out, ntr_error *err);
/* The problem's constants in the method's norm at this run's x0. */
const ntr_constants *ntr_run_constants(const ntr_run *r);
/* traj / timing may be NULL.  stop: set asynchronously to ask for a stop
 * at the next iteration boundary (may be NULL). */
int ntr_run_execute(ntr_run *r, FILE *traj, FILE *timing, const volatile sig_atomic_t *stop,
                    ntr_run_result *res, ntr_error *err);
void ntr_run_free(ntr_run *r);

/* Continuing a run with a larger budget (run_state.c).  After execute
 * ended for good (any status but interrupted), save_state writes the state
 * at the start of its last iteration k_end to path (nothing, and no error,
 * when the run has no such state: interrupted, or diverged on a stochastic
 * gradient between measurements).  load_state, on a run
 * prepared with the same settings but for budget.iterations (at least
 * k_end), restores it: execute then starts at k_end, writes no headers
 * (the caller copies the rows k < k_end of the old files first) and does
 * from there what a run of the new budget from k = 0 does, byte for byte.
 * Errors of load_state (a damaged or foreign file) are NTR_E_IO. */
int ntr_run_save_state(const ntr_run *r, const char *path, ntr_error *err);
int ntr_run_load_state(ntr_run *r, const char *path, long *k_end, ntr_error *err);
/* Seconds already spent before the resume point (timing.csv goes on). */
void ntr_run_set_time_offset(ntr_run *r, double seconds);

/* The prepared pieces, for tools that examine a run's setting without
 * executing it (ntr-probe, studies): the problem, the norm over its
 * layout, the oracle and the start point x0 (valid until execute). */
ntr_problem *ntr_run_problem(ntr_run *r);
ntr_norm *ntr_run_norm(ntr_run *r);
const struct ntr_oracle *ntr_run_oracle(const ntr_run *r);
const double *ntr_run_x0(const ntr_run *r);
gsl_rng *ntr_run_rng(ntr_run *r);

#endif

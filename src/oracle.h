/* oracle.h: the stochastic first-order oracle g(x; xi).
 *
 * Wraps a problem's exact gradient with a noise model (SPEC section 4):
 * gaussian, student_t(nu) and sparse(p) add noise scaled so that
 * E||g - grad f||_2^2 = sigma^2 / batch; minibatch uses the problem's own
 * sampling oracle (batch terms of a finite sum, or fresh inputs); none is
 * the exact gradient.  Each call costs `batch` oracle units (SFO).
 * All random numbers come from the generator passed in, in a fixed order. */
#ifndef NTR_ORACLE_H
#define NTR_ORACLE_H

#include <gsl/gsl_rng.h>

#include "../problems/problem.h"
#include "config/settings.h"

typedef struct ntr_oracle {
    ntr_problem *problem;   /* not owned */
    ntr_noise_type type;
    long batch;
    double entry_sd;        /* standard deviation of one entry's noise */
    double nu, p;
} ntr_oracle;

/* Check that the noise model fits the problem (minibatch needs a sampling
 * oracle) and precompute the scales. */
int ntr_oracle_init(ntr_oracle *o, ntr_problem *p, const ntr_settings *s, ntr_error *err);

/* g = g(x; xi); returns the oracle cost of the call (batch). */
long ntr_oracle_grad(const ntr_oracle *o, const double *x, gsl_rng *r, double *g);

#endif

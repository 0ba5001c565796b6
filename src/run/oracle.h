/* oracle.h: the stochastic first-order oracle g(x; xi).
 *
 * Wraps a problem's exact gradient with the configured noise type
 * (noise/noise.h): an exact type returns grad f, an additive type adds its
 * perturbation to grad f (scaled so that E||g - grad f||_2^2 =
 * sigma^2 / batch), a sampled type (minibatch) calls the problem's own
 * sampling oracle.  Each call costs `batch` oracle units (SFO).  All random
 * numbers come from the generator passed in, in a fixed order. */
#ifndef NTR_ORACLE_H
#define NTR_ORACLE_H

#include <gsl/gsl_rng.h>

#include "problems/problem.h"
#include "config/settings.h"
#include "noise/noise.h"

typedef struct ntr_oracle {
    ntr_problem *problem;         /* not owned */
    const ntr_noise_type *type;   /* the settings' type */
    ntr_noise_kind kind;          /* an additive type with sigma = 0 is exact */
    void *state;                  /* the type's, owned */
    long batch;
    double sigma1;                /* the A1 sigma of one call at batch 1 (NAN if unknown) */
} ntr_oracle;

/* Check that the noise model fits the problem (minibatch needs a sampling
 * oracle, a support within the parameters) and prepare its state. */
int ntr_oracle_init(ntr_oracle *o, ntr_problem *p, const ntr_settings *s, ntr_error *err);
void ntr_oracle_free(ntr_oracle *o);

/* g = g(x; xi); returns the oracle cost of the call (batch). */
long ntr_oracle_grad(const ntr_oracle *o, const double *x, gsl_rng *r, double *g);

/* For callers that already hold grad f(x) in g (exact and additive kinds
 * only): add the perturbation in place, drawing exactly what
 * ntr_oracle_grad would; returns the cost. */
long ntr_oracle_perturb(const ntr_oracle *o, double *g, gsl_rng *r);

#endif

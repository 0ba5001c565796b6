/* sgd.c: plain stochastic gradient descent with decoupled weight decay:
 *
 *   x_{k+1} = (1 - eta lambda) x_k - eta g_k
 *
 * No momentum (momentum() is NULL, m0 is ignored) and no norm: the norm only
 * serves the measurements. */
#include "methods/method.h"

static void sgd_step(ntr_method *m, double *x, const double *g, double eta)
{
    ntr_method_apply(m, x, g, eta);
}

const ntr_method_type ntr_method_sgd = {
    .name = "sgd",
    .summary = "stochastic gradient descent, x <- (1 - eta lambda) x - eta g",
    .uses_norm = 0,
    .tracks_gradient = 0,
    .nbuf = 0,
    .nesterov = 0,
    .start = NULL,
    .step = sgd_step,
    .check = NULL,
};

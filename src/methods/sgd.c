/* sgd.c: plain stochastic gradient descent with decoupled weight decay:
 *
 *   x_{k+1} = (1 - eta lambda) x_k - eta g_k
 *
 * No state (momentum() is NULL, m0 is ignored) and no norm: the norm only
 * serves the measurements. */
#include "methods/method_impl.h"

static int sgd_step(void *state, ntr_method *m, double *x, const double *g, double eta,
                    ntr_error *err)
{
    (void)state;
    (void)err;
    ntr_method_apply(m, x, g, eta);
    return 0;
}

const ntr_method_type ntr_method_sgd = {
    .name = "sgd",
    .summary = "stochastic gradient descent, x <- (1 - eta lambda) x - eta g",
    .uses_norm = 0,
    .tracks_gradient = 0,
    .nesterov = 0,
    .size = 0,
    .vecs = NULL,
    .start = NULL,
    .step = sgd_step,
    .momentum = NULL,
    .check = NULL,
};

/* ntr.c: Algorithm 1, the stochastic non-Euclidean trust-region method with
 * momentum (Muon for the spectral norm, normalized SGD for the Euclidean
 * norm, signSGD for l_inf):
 *
 *   m_{k+1} = (1 - alpha) m_k + alpha g_k
 *   d       = m_{k+1}   (Nesterov: (1 - alpha) m_{k+1} + alpha g_k)
 *   x_{k+1} = (1 - eta lambda) x_k - eta d#     (d# block-wise, times the shape factor)
 *
 * m_0 = g0 when start() receives one (m0: sample), else 0.  The state is m. */
#include "methods/method_impl.h"

#include <string.h>

typedef struct ntr_state {
    double *m;
} ntr_state;

static const size_t ntr_vecs[] = {offsetof(ntr_state, m), NTR_METHOD_VECS_END};

static int ntr_start(void *state, ntr_method *m, const double *x0, const double *g0,
                      ntr_error *err)
{
    (void)x0;
    (void)err;
    ntr_state *s = state;
    if (g0)
        memcpy(s->m, g0, m->dim * sizeof(double));
    return 0;
}

static int ntr_step(void *state, ntr_method *m, double *x, const double *g, double eta,
                    ntr_error *err)
{
    ntr_state *s = state;
    ntr_method_ema(m, s->m, g);
    const double *d = ntr_method_direction(m, s->m, g);
    int rc = ntr_method_sharp(m, d, m->sharp, err);
    if (rc != 0)
        return rc;
    ntr_method_apply(m, x, m->sharp, eta);
    return 0;
}

static const double *ntr_momentum(const void *state)
{
    return ((const ntr_state *)state)->m;
}

const ntr_method_type ntr_method_ntr = {
    .name = "ntr",
    .summary = "Algorithm 1: momentum, then the sharp of the norm (Muon, normalized SGD, signSGD)",
    .uses_norm = 1,
    .tracks_gradient = 1,
    .nesterov = 1,
    .size = sizeof(ntr_state),
    .vecs = ntr_vecs,
    .start = ntr_start,
    .step = ntr_step,
    .momentum = ntr_momentum,
    .check = NULL,
};

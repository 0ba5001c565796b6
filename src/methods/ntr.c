/* ntr.c: Algorithm 1, the stochastic non-Euclidean trust-region method with
 * momentum (Muon for the spectral norm, normalized SGD for the Euclidean
 * norm, signSGD for l_inf):
 *
 *   m_{k+1} = (1 - alpha) m_k + alpha g_k
 *   d       = m_{k+1}   (Nesterov: (1 - alpha) m_{k+1} + alpha g_k)
 *   x_{k+1} = (1 - eta lambda) x_k - eta d#     (d# block-wise, times the shape factor)
 *
 * m_0 = g0 when start() receives one (m0: sample), else 0.  buf[0] is m. */
#include "methods/method.h"

#include <string.h>

static void ntr_start(ntr_method *m, const double *x0, const double *g0)
{
    (void)x0;
    if (g0)
        memcpy(m->buf[0], g0, m->dim * sizeof(double));
}

static void ntr_step(ntr_method *m, double *x, const double *g, double eta)
{
    double *mom = m->buf[0];
    ntr_method_ema(m, mom, g);
    const double *d = ntr_method_direction(m, mom, g);
    ntr_method_sharp(m, d, m->sharp);
    ntr_method_apply(m, x, m->sharp, eta);
}

const ntr_method_type ntr_method_ntr = {
    .name = "ntr",
    .summary = "Algorithm 1: momentum, then the sharp of the norm (Muon, normalized SGD, signSGD)",
    .uses_norm = 1,
    .tracks_gradient = 1,
    .nbuf = 1,
    .nesterov = 1,
    .start = ntr_start,
    .step = ntr_step,
    .check = NULL,
};

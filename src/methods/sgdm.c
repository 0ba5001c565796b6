/* sgdm.c: SGD with heavy-ball momentum in EMA form (no sharp):
 *
 *   m_{k+1} = (1 - alpha) m_k + alpha g_k
 *   d       = m_{k+1}   (Nesterov: (1 - alpha) m_{k+1} + alpha g_k)
 *   x_{k+1} = (1 - eta lambda) x_k - eta d
 *
 * m_0 = g0 when start() receives one (m0: sample), else 0.  buf[0] is m.
 * The norm only serves the measurements. */
#include "methods/method.h"

#include <string.h>

static void sgdm_start(ntr_method *m, const double *x0, const double *g0)
{
    (void)x0;
    if (g0)
        memcpy(m->buf[0], g0, m->dim * sizeof(double));
}

static void sgdm_step(ntr_method *m, double *x, const double *g, double eta)
{
    double *mom = m->buf[0];
    ntr_method_ema(m, mom, g);
    ntr_method_apply(m, x, ntr_method_direction(m, mom, g), eta);
}

const ntr_method_type ntr_method_sgdm = {
    .name = "sgdm",
    .summary = "SGD with momentum in EMA form, x <- (1 - eta lambda) x - eta m",
    .uses_norm = 0,
    .tracks_gradient = 1,
    .nbuf = 1,
    .nesterov = 1,
    .start = sgdm_start,
    .step = sgdm_step,
    .check = NULL,
};

/* osgdm.c: Orthogonal-SGDM, the sharp taken before the momentum average
 * (THEORY.md, "Muon vs Orthogonal-SGDM"):
 *
 *   O_k     = g_k#                                (block-wise, times the shape factor)
 *   M_{k+1} = (1 - alpha) M_k + alpha O_k
 *   d       = M_{k+1}   (Nesterov: (1 - alpha) M_{k+1} + alpha O_k)
 *   x_{k+1} = (1 - eta lambda) x_k - eta d
 *
 * M_0 = g0# when start() receives g0 (m0: sample), else 0.  buf[0] is M, an
 * estimate of E[g#] rather than of the gradient (tracks_gradient = 0). */
#include "methods/method.h"

static void osgdm_start(ntr_method *m, const double *x0, const double *g0)
{
    (void)x0;
    if (g0)
        ntr_method_sharp(m, g0, m->buf[0]);
}

static void osgdm_step(ntr_method *m, double *x, const double *g, double eta)
{
    double *avg = m->buf[0];
    ntr_method_sharp(m, g, m->sharp);
    ntr_method_ema(m, avg, m->sharp);
    const double *d = ntr_method_direction(m, avg, m->sharp);
    ntr_method_apply(m, x, d, eta);
}

const ntr_method_type ntr_method_osgdm = {
    .name = "osgdm",
    .summary = "Orthogonal-SGDM: the sharp of each gradient, then momentum (keeps a noise floor)",
    .uses_norm = 1,
    .tracks_gradient = 0,
    .nbuf = 1,
    .nesterov = 1,
    .start = osgdm_start,
    .step = osgdm_step,
    .check = NULL,
};

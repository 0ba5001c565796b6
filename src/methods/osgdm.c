/* osgdm.c: Orthogonal-SGDM, the sharp taken before the momentum average
 * (THEORY.md, "Muon vs Orthogonal-SGDM"):
 *
 *   O_k     = g_k#                                (block-wise, times the shape factor)
 *   M_{k+1} = (1 - alpha) M_k + alpha O_k
 *   d       = M_{k+1}   (Nesterov: (1 - alpha) M_{k+1} + alpha O_k)
 *   x_{k+1} = (1 - eta lambda) x_k - eta d
 *
 * M_0 = g0# when start() receives g0 (m0: sample), else 0.  The state is M,
 * an estimate of E[g#] rather than of the gradient (tracks_gradient = 0). */
#include "methods/method_impl.h"

typedef struct osgdm_state {
    double *avg; /* M */
} osgdm_state;

static const size_t osgdm_vecs[] = {offsetof(osgdm_state, avg), NTR_METHOD_VECS_END};

static int osgdm_start(void *state, ntr_method *m, const double *x0, const double *g0,
                       ntr_error *err)
{
    (void)x0;
    osgdm_state *s = state;
    return g0 ? ntr_method_sharp(m, g0, s->avg, err) : 0;
}

static int osgdm_step(void *state, ntr_method *m, double *x, const double *g, double eta,
                      ntr_error *err)
{
    osgdm_state *s = state;
    int rc = ntr_method_sharp(m, g, m->sharp, err);
    if (rc != 0)
        return rc;
    ntr_method_ema(m, s->avg, m->sharp);
    const double *d = ntr_method_direction(m, s->avg, m->sharp);
    ntr_method_apply(m, x, d, eta);
    return 0;
}

static const double *osgdm_momentum(const void *state)
{
    return ((const osgdm_state *)state)->avg;
}

const ntr_method_type ntr_method_osgdm = {
    .name = "osgdm",
    .summary = "Orthogonal-SGDM: the sharp of each gradient, then momentum (keeps a noise floor)",
    .uses_norm = 1,
    .tracks_gradient = 0,
    .nesterov = 1,
    .size = sizeof(osgdm_state),
    .vecs = osgdm_vecs,
    .start = osgdm_start,
    .step = osgdm_step,
    .momentum = osgdm_momentum,
    .check = NULL,
};

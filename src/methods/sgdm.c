/* sgdm.c: SGD with heavy-ball momentum in EMA form (no sharp):
 *
 *   m_{k+1} = (1 - alpha) m_k + alpha g_k
 *   d       = m_{k+1}   (Nesterov: (1 - alpha) m_{k+1} + alpha g_k)
 *   x_{k+1} = (1 - eta lambda) x_k - eta d
 *
 * m_0 = g0 when start() receives one (m0: sample), else 0.  The state is m.
 * The norm only serves the measurements. */
#include "methods/method_impl.h"

#include <string.h>

typedef struct sgdm_state {
    double *m;
} sgdm_state;

static const size_t sgdm_vecs[] = {offsetof(sgdm_state, m), NTR_METHOD_VECS_END};

static int sgdm_start(void *state, ntr_method *m, const double *x0, const double *g0,
                       ntr_error *err)
{
    (void)x0;
    (void)err;
    sgdm_state *s = state;
    if (g0)
        memcpy(s->m, g0, m->dim * sizeof(double));
    return 0;
}

static int sgdm_step(void *state, ntr_method *m, double *x, const double *g, double eta,
                     ntr_error *err)
{
    (void)err;
    sgdm_state *s = state;
    ntr_method_ema(m, s->m, g);
    ntr_method_apply(m, x, ntr_method_direction(m, s->m, g), eta);
    return 0;
}

static const double *sgdm_momentum(const void *state)
{
    return ((const sgdm_state *)state)->m;
}

const ntr_method_type ntr_method_sgdm = {
    .name = "sgdm",
    .summary = "SGD with momentum in EMA form, x <- (1 - eta lambda) x - eta m",
    .uses_norm = 0,
    .tracks_gradient = 1,
    .nesterov = 1,
    .size = sizeof(sgdm_state),
    .vecs = sgdm_vecs,
    .start = sgdm_start,
    .step = sgdm_step,
    .momentum = sgdm_momentum,
    .check = NULL,
};

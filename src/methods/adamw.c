/* adamw.c: Adam with decoupled weight decay (Loshchilov & Hutter), with
 * beta1 = 1 - alpha, beta2 and eps its own keys (method.beta2,
 * method.adam_eps) and t = k + 1:
 *
 *   m <- beta1 m + (1 - beta1) g,        v <- beta2 v + (1 - beta2) g^2
 *   mhat = m / c1,  vhat = v / c2
 *   x <- (1 - eta lambda) x - eta mhat / (sqrt(vhat) + eps)
 *
 * m0: zero is standard AdamW: m_0 = v_0 = 0 and the bias corrections
 * c1 = 1 - beta1^t, c2 = 1 - beta2^t.  m0: sample starts the moments from
 * the extra sample, m_0 = g0 and v_0 = g0^2.  The bias correction only
 * undoes the weight (beta^t) a zero start leaves on nothing; a sampled
 * start leaves none, so then c1 = c2 = 1 (no correction) from the first
 * step on.  (Keeping 1 - beta^t with sampled moments would divide the first
 * step's m by alpha, a tenfold overshoot at alpha = 0.1.)
 *
 * The state is m (momentum() returns it) and v.  No Nesterov variant. */
#include "methods/method_impl.h"

#include <math.h>

enum { KEY_BETA2, KEY_ADAM_EPS };

static const ntr_method_key adamw_keys[] = {
    {"beta2", 0.999, 0.0, 1.0, "adamw: second-moment decay"},
    {"adam_eps", 1e-8, 0.0, 1.0, "adamw: denominator epsilon"},
    {NULL, 0, 0, 0, NULL},
};

typedef struct adamw_state {
    double *m, *v;
} adamw_state;

static const size_t adamw_vecs[] = {offsetof(adamw_state, m), offsetof(adamw_state, v),
                                    NTR_METHOD_VECS_END};

static int adamw_start(void *state, ntr_method *m, const double *x0, const double *g0,
                        ntr_error *err)
{
    (void)x0;
    (void)err;
    if (!g0)
        return 0;
    adamw_state *s = state;
    double *mom = s->m, *v = s->v;
    for (size_t j = 0; j < m->dim; j++) {
        mom[j] = g0[j];
        v[j] = g0[j] * g0[j];
    }
    return 0;
}

static int adamw_step(void *state, ntr_method *m, double *x, const double *g, double eta,
                      ntr_error *err)
{
    (void)err;
    adamw_state *s = state;
    double b1 = 1.0 - m->opts.alpha, b2 = m->opts.own[KEY_BETA2], eps = m->opts.own[KEY_ADAM_EPS];
    double t = (double)(m->k + 1);
    double c1 = m->m0_sampled ? 1.0 : 1.0 - pow(b1, t);
    double c2 = m->m0_sampled ? 1.0 : 1.0 - pow(b2, t);
    double *mom = s->m, *v = s->v, *u = m->dir;
    for (size_t j = 0; j < m->dim; j++) {
        mom[j] = b1 * mom[j] + (1.0 - b1) * g[j];
        v[j] = b2 * v[j] + (1.0 - b2) * g[j] * g[j];
        u[j] = (mom[j] / c1) / (sqrt(v[j] / c2) + eps);
    }
    ntr_method_apply(m, x, u, eta);
    return 0;
}

static const double *adamw_momentum(const void *state)
{
    return ((const adamw_state *)state)->m;
}

/* Its own keys beyond the common ones: adam_eps > 0, beta2 in [0, 1). */
static int adamw_check(const ntr_kv *kv, const ntr_method_opts *o, ntr_error *err)
{
    double beta2 = o->own[KEY_BETA2], eps = o->own[KEY_ADAM_EPS];
    if (!(isfinite(eps) && eps > 0.0))
        return ntr_fail_at(err, ntr_method_key_pos(kv, "adam_eps"),
                           "method.adam_eps must be positive");
    if (!(isfinite(beta2) && beta2 >= 0.0 && beta2 < 1.0))
        return ntr_fail_at(err, ntr_method_key_pos(kv, "beta2"), "method.beta2 must be %s",
                           beta2 >= 1.0 ? "below 1" : "in [0, 1)");
    return 0;
}

const ntr_method_type ntr_method_adamw = {
    .name = "adamw",
    .summary = "AdamW: bias-corrected Adam with decoupled weight decay (beta1 = 1 - alpha)",
    .uses_norm = 0,
    .tracks_gradient = 1,
    .nesterov = 0,
    .own_keys = adamw_keys,
    .size = sizeof(adamw_state),
    .vecs = adamw_vecs,
    .start = adamw_start,
    .step = adamw_step,
    .momentum = adamw_momentum,
    .check = adamw_check,
};

/* adamw.c: Adam with decoupled weight decay (Loshchilov & Hutter), with
 * beta1 = 1 - alpha, beta2 = opts.beta2, eps = opts.adam_eps and t = k + 1:
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
 * buf[0] is m (momentum() returns it), buf[1] is v.  No Nesterov variant. */
#include "methods/method.h"

#include <math.h>

static void adamw_start(ntr_method *m, const double *x0, const double *g0)
{
    (void)x0;
    if (!g0)
        return;
    double *mom = m->buf[0], *v = m->buf[1];
    for (size_t j = 0; j < m->dim; j++) {
        mom[j] = g0[j];
        v[j] = g0[j] * g0[j];
    }
}

static void adamw_step(ntr_method *m, double *x, const double *g, double eta)
{
    double b1 = 1.0 - m->opts.alpha, b2 = m->opts.beta2, eps = m->opts.adam_eps;
    double t = (double)(m->k + 1);
    double c1 = m->m0_sampled ? 1.0 : 1.0 - pow(b1, t);
    double c2 = m->m0_sampled ? 1.0 : 1.0 - pow(b2, t);
    double *mom = m->buf[0], *v = m->buf[1], *u = m->dir;
    for (size_t j = 0; j < m->dim; j++) {
        mom[j] = b1 * mom[j] + (1.0 - b1) * g[j];
        v[j] = b2 * v[j] + (1.0 - b2) * g[j] * g[j];
        u[j] = (mom[j] / c1) / (sqrt(v[j] / c2) + eps);
    }
    ntr_method_apply(m, x, u, eta);
}

/* Its own keys beyond the common ones: adam_eps > 0, beta2 in [0, 1). */
static int adamw_check(const ntr_kv *kv, const ntr_method_opts *o, ntr_error *err)
{
    if (!(isfinite(o->adam_eps) && o->adam_eps > 0.0))
        return ntr_fail_at(err, ntr_method_key_pos(kv, "adam_eps"),
                           "method.adam_eps must be positive");
    if (!(isfinite(o->beta2) && o->beta2 >= 0.0 && o->beta2 < 1.0))
        return ntr_fail_at(err, ntr_method_key_pos(kv, "beta2"), "method.beta2 must be %s",
                           o->beta2 >= 1.0 ? "below 1" : "in [0, 1)");
    return 0;
}

static const char *const adamw_keys[] = {"beta2", "adam_eps", NULL};

const ntr_method_type ntr_method_adamw = {
    .name = "adamw",
    .summary = "AdamW: bias-corrected Adam with decoupled weight decay (beta1 = 1 - alpha)",
    .uses_norm = 0,
    .tracks_gradient = 1,
    .nbuf = 2,
    .nesterov = 0,
    .own_keys = adamw_keys,
    .start = adamw_start,
    .step = adamw_step,
    .check = adamw_check,
};

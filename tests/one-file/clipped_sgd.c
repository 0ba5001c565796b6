/* clipped_sgd.c: a method added as one file (tests/one-file/run checks it).
 *
 *   x_{k+1} = (1 - eta lambda) x_k - eta min(1, clip / ||g_k||_2) g_k
 *
 * SGD with the stochastic gradient clipped to l2 length `clip`, its own
 * option (method.clip, default 1): declared in own_keys, read into
 * opts.own[0], and refused at its position when not positive. */
#include "methods/method_impl.h"

#include <math.h>

enum { KEY_CLIP };

static const ntr_method_key clip_keys[] = {
    {"clip", 1.0, 0.0, 1e300, "clipped_sgd: largest l2 length of a step's gradient"},
    {NULL, 0, 0, 0, NULL},
};

static int clip_step(void *state, ntr_method *m, double *x, const double *g, double eta,
                     ntr_error *err)
{
    (void)state;
    (void)err;
    double len2 = 0.0, clip = m->opts.own[KEY_CLIP];
    for (size_t j = 0; j < m->dim; j++)
        len2 += g[j] * g[j];
    double f = len2 > clip * clip ? clip / sqrt(len2) : 1.0;
    for (size_t j = 0; j < m->dim; j++)
        m->dir[j] = f * g[j];
    ntr_method_apply(m, x, m->dir, eta);
    return 0;
}

static int clip_check(const ntr_kv *kv, const ntr_method_opts *o, ntr_error *err)
{
    if (!(o->own[KEY_CLIP] > 0.0))
        return ntr_fail_at(err, ntr_method_key_pos(kv, "clip"), "method.clip must be positive");
    return 0;
}

const ntr_method_type ntr_method_clipped_sgd = {
    .name = "clipped_sgd",
    .summary = "SGD with the gradient clipped to l2 length method.clip (one-file example)",
    .own_keys = clip_keys,
    .step = clip_step,
    .check = clip_check,
};

/* separable.c: independent gaussian noise with its own scale sigma_i in
 * each coordinate, on a fixed support of s coordinates (THEORY.md section
 * 7: separable noise, sparse when s is much smaller than d).
 *
 * Variance convention: E(g_i - grad_i f)^2 = sigma_i^2 / batch with
 * sum_i sigma_i^2 = sigma^2, so that E||g - grad f||_2^2 = sigma^2 / batch
 * as for every additive type: at equal sigma, sparse and dense noise have
 * the same ||sigma||_2.  The support is s coordinates spread evenly over
 * the d parameters (row-major positions floor(j d / s), j = 0..s-1; every
 * coordinate when s = d or support: all); on it sigma_j is proportional to
 * (j + 1)^(-decay) (decay 0: equal scales, ||sigma||_1 = sqrt(s) sigma).
 * Off the support sigma_i = 0 and nothing is drawn. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "noise/noise.h"

enum { KEY_SUPPORT, KEY_DECAY };

static const ntr_noise_key keys[] = {
    {"support", 0.0, 0.0, 1e15, 1, 1,
     "number s of noisy coordinates, spread evenly over the parameters (all: every one)"},
    {"decay", 0.0, 0.0, 16.0, 0, 0,
     "sigma_j proportional to (j+1)^-decay on the support (0: equal scales)"},
    {NULL, 0, 0, 0, 0, 0, NULL},
};

typedef struct separable_state {
    size_t s;
    size_t *at;   /* the support's positions */
    double *sd;   /* sigma_j / sqrt(batch) */
} separable_state;

static void state_free(void *state)
{
    separable_state *st = state;
    if (!st)
        return;
    free(st->at);
    free(st->sd);
    free(st);
}

static int init(void **state, const ntr_noise_env *env, ntr_error *err)
{
    double support = env->opts[KEY_SUPPORT], decay = env->opts[KEY_DECAY];
    size_t d = env->dim, s = support == 0.0 ? d : (size_t)support;
    *state = NULL;
    if (s > d)
        return ntr_fail_at(err, env->opt_pos[KEY_SUPPORT],
                           "noise.support = %zu exceeds the problem's %zu parameters", s, d);
    separable_state *st = calloc(1, sizeof *st);
    if (!st || !(st->at = malloc(s * sizeof *st->at)) || !(st->sd = malloc(s * sizeof *st->sd))) {
        state_free(st);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    st->s = s;
    double sum2 = 0.0;
    for (size_t j = 0; j < s; j++) {
        st->at[j] = (size_t)(((unsigned long long)j * d) / s);
        st->sd[j] = pow((double)(j + 1), -decay);
        sum2 += st->sd[j] * st->sd[j];
    }
    double scale = env->sigma / sqrt(sum2 * (double)env->batch);
    for (size_t j = 0; j < s; j++)
        st->sd[j] *= scale;
    *state = st;
    return 0;
}

static void perturb(const void *state, double *g, size_t dim, gsl_rng *r)
{
    const separable_state *st = state;
    (void)dim;
    for (size_t j = 0; j < st->s; j++)
        g[st->at[j]] += gsl_ran_gaussian_ziggurat(r, st->sd[j]);
}

const ntr_noise_type ntr_noise_separable = {
    .name = "separable",
    .summary = "independent gaussian noise with scale sigma_i per coordinate on a fixed support "
               "of s coordinates (sparse when s << d)",
    .variance = "E(g_i - grad_i f)^2 = sigma_i^2 / batch with sum_i sigma_i^2 = sigma^2, so "
                "E||g - grad f||_2^2 = sigma^2 / batch whatever the support",
    .kind = NTR_NOISE_ADDITIVE,
    .keys = keys,
    .init = init,
    .free = state_free,
    .perturb = perturb,
};

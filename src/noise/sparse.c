/* sparse.c: gaussian noise on a random subset of the entries, drawn anew
 * at every call (each entry noisy with probability p), scaled to the
 * variance of the gaussian type. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "noise/noise.h"

enum { KEY_P };

static const ntr_noise_key keys[] = {
    {"p", 0.1, 0.0, 1.0, 0, 0, "probability that an entry is noisy at a call, in (0, 1]"},
    {NULL, 0, 0, 0, 0, 0, NULL},
};

typedef struct sparse_state {
    double entry_sd, p;
} sparse_state;

static int check(const ntr_kv *kv, const double *opts, ntr_error *err)
{
    if (opts[KEY_P] <= 0.0)
        return ntr_fail_at(err, ntr_kv_pos(kv, "p"), "noise.p must be in (0, 1]");
    return 0;
}

static int init(void **state, const ntr_noise_env *env, ntr_error *err)
{
    sparse_state *s = malloc(sizeof *s);
    if (!s)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    s->p = env->opts[KEY_P];
    s->entry_sd = env->sigma / sqrt((double)env->dim * (double)env->batch) / sqrt(s->p);
    *state = s;
    return 0;
}

static void perturb(const void *state, double *g, size_t dim, gsl_rng *r)
{
    const sparse_state *s = state;
    for (size_t i = 0; i < dim; i++)
        if (gsl_rng_uniform(r) < s->p)
            g[i] += gsl_ran_gaussian_ziggurat(r, s->entry_sd);
}

const ntr_noise_type ntr_noise_sparse = {
    .name = "sparse",
    .summary = "gaussian noise on each entry with probability p (a new random subset per call)",
    .variance = "E||g - grad f||_2^2 = sigma^2 / batch: an entry's noise has variance "
                "sigma^2/(d batch p) when present",
    .kind = NTR_NOISE_ADDITIVE,
    .keys = keys,
    .check = check,
    .init = init,
    .free = free,
    .perturb = perturb,
};

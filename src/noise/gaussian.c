/* gaussian.c: isotropic gaussian noise added to the exact gradient. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "noise/noise.h"

typedef struct gaussian_state {
    double entry_sd;
} gaussian_state;

static int init(void **state, const ntr_noise_env *env, ntr_error *err)
{
    gaussian_state *s = malloc(sizeof *s);
    if (!s)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    s->entry_sd = env->sigma / sqrt((double)env->dim * (double)env->batch);
    *state = s;
    return 0;
}

static void perturb(const void *state, double *g, size_t dim, gsl_rng *r)
{
    double sd = ((const gaussian_state *)state)->entry_sd;
    for (size_t i = 0; i < dim; i++)
        g[i] += gsl_ran_gaussian_ziggurat(r, sd);
}

const ntr_noise_type ntr_noise_gaussian = {
    .name = "gaussian",
    .summary = "N(0, sigma^2/(d batch)) added to each of the d entries",
    .variance = "E||g - grad f||_2^2 = sigma^2 / batch, spread evenly over the d entries",
    .kind = NTR_NOISE_ADDITIVE,
    .init = init,
    .free = free,
    .perturb = perturb,
};

/* uniform.c: a noise type added as one file (tests/one-file/run checks it):
 * independent uniform noise on [-a, a] in each of the d entries, with
 * a = sqrt(3 sigma^2 / (d batch)), so that E||g - grad f||_2^2 =
 * sigma^2 / batch like every additive type (a uniform draw on [-a, a] has
 * variance a^2 / 3). */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "noise/noise.h"

static int init(void **state, const ntr_noise_env *env, ntr_error *err)
{
    double *a = malloc(sizeof *a);
    *state = a;
    if (!a)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    *a = sqrt(3.0 * env->sigma * env->sigma / ((double)env->dim * (double)env->batch));
    return 0;
}

static void perturb(const void *state, double *g, size_t dim, gsl_rng *r)
{
    double a = *(const double *)state;
    for (size_t i = 0; i < dim; i++)
        g[i] += a * (2.0 * gsl_rng_uniform(r) - 1.0);
}

const ntr_noise_type ntr_noise_uniform = {
    .name = "uniform",
    .summary = "uniform noise on [-a, a] in each entry (one-file example)",
    .variance = "E||g - grad f||_2^2 = sigma^2 / batch, spread evenly over the d entries",
    .kind = NTR_NOISE_ADDITIVE,
    .init = init,
    .free = free,
    .perturb = perturb,
};

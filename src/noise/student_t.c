/* student_t.c: heavy-tailed noise, Student's t with nu degrees of freedom
 * in each entry, scaled to the variance of the gaussian type. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "noise/noise.h"

enum { KEY_NU };

static const ntr_noise_key keys[] = {
    {"nu", 4.0, 2.0, 1e300, 0, 0, "degrees of freedom (> 2, so that the variance is finite)"},
    {NULL, 0, 0, 0, 0, 0, NULL},
};

typedef struct t_state {
    double entry_sd, nu;
} t_state;

static int check(const ntr_kv *kv, const double *opts, ntr_error *err)
{
    if (opts[KEY_NU] <= 2.0)
        return ntr_fail_at(err, ntr_kv_pos(kv, "nu"),
                           "noise.nu must be above 2 (student_t has no variance otherwise)");
    return 0;
}

static int init(void **state, const ntr_noise_env *env, ntr_error *err)
{
    t_state *s = malloc(sizeof *s);
    if (!s)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    /* t(nu) has variance nu / (nu - 2) */
    double nu = env->opts[KEY_NU];
    s->nu = nu;
    s->entry_sd = env->sigma / sqrt((double)env->dim * (double)env->batch) * sqrt((nu - 2.0) / nu);
    *state = s;
    return 0;
}

static void perturb(const void *state, double *g, size_t dim, gsl_rng *r)
{
    const t_state *s = state;
    for (size_t i = 0; i < dim; i++)
        g[i] += s->entry_sd * gsl_ran_tdist(r, s->nu);
}

const ntr_noise_type ntr_noise_student_t = {
    .name = "student_t",
    .summary = "Student's t(nu) in each entry, heavy-tailed",
    .variance = "E||g - grad f||_2^2 = sigma^2 / batch, spread evenly over the d entries "
                "(t(nu) scaled by sqrt((nu - 2)/nu))",
    .kind = NTR_NOISE_ADDITIVE,
    .keys = keys,
    .check = check,
    .init = init,
    .free = free,
    .perturb = perturb,
};

/* oracle.c: exact gradient plus a noise model, or the problem's sampling
 * oracle (see oracle.h). */
#include "oracle.h"

#include <gsl/gsl_randist.h>
#include <math.h>

int ntr_oracle_init(ntr_oracle *o, ntr_problem *p, const ntr_settings *s, ntr_error *err)
{
    o->problem = p;
    o->type = s->noise;
    o->batch = s->batch;
    o->nu = s->nu;
    o->p = s->sparse_p;
    double d = (double)p->layout.dim;
    /* Per-entry variance sigma^2 / (d * batch); student_t and sparse are
     * rescaled to that variance: t(nu) has variance nu / (nu - 2), and a
     * sparse entry is nonzero with probability p. */
    o->entry_sd = s->sigma / sqrt(d * (double)s->batch);
    if (s->noise == NTR_NOISE_STUDENT_T)
        o->entry_sd *= sqrt((s->nu - 2.0) / s->nu);
    if (s->noise == NTR_NOISE_SPARSE)
        o->entry_sd /= sqrt(s->sparse_p);
    if (s->noise == NTR_NOISE_MINIBATCH && !p->type->sample_grad) {
        ntr_pos pos = s->problem_node ? s->problem_node->pos : (ntr_pos){NULL, 0, 0};
        return ntr_fail_at(err, pos,
                           "noise.type minibatch needs a problem with its own sampling oracle "
                           "(a finite sum or sampled inputs); %s has none: use gaussian, "
                           "student_t or sparse noise",
                           p->type->name);
    }
    if (s->noise == NTR_NOISE_NONE || (s->noise != NTR_NOISE_MINIBATCH && s->sigma == 0.0))
        o->type = NTR_NOISE_NONE;
    return 0;
}

long ntr_oracle_grad(const ntr_oracle *o, const double *x, gsl_rng *r, double *g)
{
    ntr_problem *p = o->problem;
    size_t d = p->layout.dim;
    switch (o->type) {
    case NTR_NOISE_MINIBATCH:
        p->type->sample_grad(p, x, o->batch, r, g);
        break;
    case NTR_NOISE_GAUSSIAN:
        p->type->grad(p, x, g);
        for (size_t i = 0; i < d; i++)
            g[i] += gsl_ran_gaussian_ziggurat(r, o->entry_sd);
        break;
    case NTR_NOISE_STUDENT_T:
        p->type->grad(p, x, g);
        for (size_t i = 0; i < d; i++)
            g[i] += o->entry_sd * gsl_ran_tdist(r, o->nu);
        break;
    case NTR_NOISE_SPARSE:
        p->type->grad(p, x, g);
        for (size_t i = 0; i < d; i++)
            if (gsl_rng_uniform(r) < o->p)
                g[i] += gsl_ran_gaussian_ziggurat(r, o->entry_sd);
        break;
    case NTR_NOISE_NONE:
    default:
        p->type->grad(p, x, g);
        break;
    }
    return o->batch;
}

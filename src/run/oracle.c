/* oracle.c: exact gradient plus a noise type's perturbation, or the
 * problem's sampling oracle (see oracle.h). */
#include "run/oracle.h"

#include <math.h>
#include <string.h>

int ntr_oracle_init(ntr_oracle *o, ntr_problem *p, const ntr_settings *s, ntr_error *err)
{
    memset(o, 0, sizeof *o);
    o->problem = p;
    o->type = s->noise;
    o->kind = s->noise->kind;
    o->batch = s->batch;
    /* An additive type at sigma = 0 draws nothing: the exact gradient. */
    if (o->kind == NTR_NOISE_ADDITIVE && s->sigma == 0.0)
        o->kind = NTR_NOISE_EXACT;
    o->sigma1 = o->type->kind == NTR_NOISE_EXACT     ? 0.0
                : o->type->kind == NTR_NOISE_SAMPLED ? sqrt(p->term_sigma2)
                                                     : s->sigma;
    if (o->kind == NTR_NOISE_EXACT || !o->type->init)
        return 0;
    ntr_noise_env env = {p,        p->layout.dim, s->sigma,     s->batch,
                         s->noise_opt, s->noise_pos,
                         s->problem_node ? s->problem_node->pos : (ntr_pos){NULL, 0, 0}};
    return o->type->init(&o->state, &env, err);
}

void ntr_oracle_free(ntr_oracle *o)
{
    if (o->state && o->type->free)
        o->type->free(o->state);
    o->state = NULL;
}

long ntr_oracle_perturb(const ntr_oracle *o, double *g, gsl_rng *r)
{
    if (o->kind == NTR_NOISE_ADDITIVE)
        o->type->perturb(o->state, g, o->problem->layout.dim, r);
    return o->batch;
}

long ntr_oracle_grad(const ntr_oracle *o, const double *x, gsl_rng *r, double *g)
{
    ntr_problem *p = o->problem;
    if (o->kind == NTR_NOISE_SAMPLED) {
        p->type->sample_grad(p, x, o->batch, r, g);
        return o->batch;
    }
    p->type->grad(p, x, g);
    return ntr_oracle_perturb(o, g, r);
}

/* constants.c: a problem's constants in the method's norm (see constants.h). */
#include "run/constants.h"

#include <math.h>

void ntr_constants_compute(ntr_problem *p, ntr_norm *norm, const double *x0, double sigma,
                           double *g, ntr_constants *c)
{
    ntr_norm_id id = ntr_norm_get_type(norm)->id;
    c->rho = ntr_norm_rho(norm);
    c->c = ntr_norm_l2_bound(norm);
    double own = p->type->smoothness ? p->type->smoothness(p, id) : NAN;
    double generic = c->rho * c->c * p->L_frob;
    c->L_generic = !(isfinite(own) && own <= generic);
    c->L = c->L_generic ? generic : own;
    double own2 = p->type->hessian_lipschitz ? p->type->hessian_lipschitz(p, id) : NAN;
    double generic2 = c->rho * c->c * c->c * p->L2_frob;
    c->L2 = isfinite(own2) && own2 <= generic2 ? own2 : generic2;
    c->f0 = p->type->grad(p, x0, g);
    c->f_star = p->f_star;
    c->Delta0 = isfinite(p->f_star) ? c->f0 - p->f_star : NAN;
    double d0 = ntr_norm_value(norm, x0);
    c->D = p->x_star ? fmax(d0, ntr_norm_value(norm, p->x_star)) : NAN;
    c->sigma = sigma;
    c->d = (double)p->layout.dim;
    c->m = (double)p->layout.rows[0];
    c->n = (double)p->layout.cols[0];
}

/* logcosh.c: a problem added as one file (tests/one-file/run checks it):
 *   f(x) = sum_i log cosh(x_i - c),   grad f = tanh(x - c)
 * convex with x* = c (every entry; key `center`, default 1) and f* = 0;
 * the Hessian diag(sech^2) has entries in (0, 1] (L = 1) and changes at
 * most 4 / (3 sqrt 3) per unit (L2).  Shape from problem.shape (default
 * 4 x 3). */
#include <math.h>
#include <stdlib.h>

#include "problems/problem.h"

static const char *const keys[] = {"center", NULL};

static int create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env, ntr_error *err)
{
    double c;
    if (ntr_kv_double(kv, "center", 1.0, -1e6, 1e6, &c, err) != 0)
        return -1;
    p->layout = env->shape.nblocks ? env->shape : ntr_layout_single(4, 3);
    p->x_star = malloc(p->layout.dim * sizeof *p->x_star);
    if (!p->x_star)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < p->layout.dim; i++)
        p->x_star[i] = c;
    p->data = p->x_star;
    p->f_star = 0.0;
    p->L_frob = 1.0;
    p->L2_frob = 4.0 / (3.0 * sqrt(3.0));
    return 0;
}

static void destroy(ntr_problem *p)
{
    free(p->data);
}

/* log cosh r = |r| + log(1 + e^(-2|r|)) - log 2, without overflow */
static double grad(ntr_problem *p, const double *x, double *g)
{
    double f = 0.0;
    for (size_t i = 0; i < p->layout.dim; i++) {
        double r = x[i] - p->x_star[i], a = fabs(r);
        f += a + log1p(exp(-2.0 * a)) - log(2.0);
        if (g)
            g[i] = tanh(r);
    }
    return f;
}

static double value(ntr_problem *p, const double *x)
{
    return grad(p, x, NULL);
}

const ntr_problem_type ntr_problem_logcosh = {
    .api_version = NTR_API_VERSION,
    .name = "logcosh",
    .summary = "sum log cosh(x - c), convex, f* = 0 (one-file example)",
    .flags = NTR_PF_CONVEX | NTR_PF_STAR_CONVEX | NTR_PF_SMOOTH | NTR_PF_LIP_HESSIAN,
    .keys = keys,
    .create = create,
    .destroy = destroy,
    .value = value,
    .grad = grad,
};

/* pseudo_huber.c: an example problem plug-in for ntr.
 *
 * f(X) = sum_ij w_ij d^2 (sqrt(1 + ((X_ij - C_ij) / d)^2) - 1), a separable
 * pseudo-Huber loss around a planted matrix C with weights w_ij in
 * [w_min, 1]: quadratic near C, linear far from it.  Convex (so
 * star-convex about X* = C) with f* = 0.  Its Hessian is diagonal with
 * entries w_ij (1 + u^2)^(-3/2), u = (X_ij - C_ij) / d, so the gradient is
 * Lipschitz with L = max w_ij in the Frobenius norm, and the Hessian with
 * L2 = max w_ij * 48 / (25 sqrt 5) / d (the largest |d/dx| of a diagonal
 * entry, reached at u = 1/2).
 *
 * In other norms ntr would use the generic bound rho c^2 L2, but the
 * diagonal Hessian does better, and hessian_lipschitz() says so by the
 * norm's id: the change H(X) - H(Y) is diagonal with entries at most
 * L2 |X_ij - Y_ij|, so for an m x n X (r = min(m, n), D = m n)
 *   linf:     ||(H(X) - H(Y)) V||_1   <= L2 D ||X - Y||_max ||V||_max
 *             (generic: D^(3/2) L2);
 *   spectral: ||(H(X) - H(Y)) V||_nuc <= sqrt(r) max_ij |..| ||V||_F
 *             <= L2 r ||X - Y||_op ||V||_op   (generic: r^(3/2) L2).
 *
 * Keys (problem.*): delta (d, default 1), w_min (default 0.1), planted
 * (scale of the entries of C, default 1); the shape comes from
 * problem.shape (default 16 x 8).
 *
 * Build: cc -fPIC -shared -o libpseudo_huber.so pseudo_huber.c $(pkg-config --cflags --libs ntr)
 * Use:   problem: {type: plugin, library: libpseudo_huber.so, symbol: pseudo_huber} */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <ntr/ntr.h>

typedef struct ph_data {
    double delta;
    double *c, *w; /* planted matrix and weights, dim entries each */
} ph_data;

static const char *const ph_keys[] = {"delta", "w_min", "planted", NULL};

static int ph_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env,
                     ntr_error *err)
{
    double delta, w_min, planted;
    if (ntr_kv_double(kv, "delta", 1.0, 1e-6, 1e6, &delta, err) != 0 ||
        ntr_kv_double(kv, "w_min", 0.1, 1e-6, 1.0, &w_min, err) != 0 ||
        ntr_kv_double(kv, "planted", 1.0, 0.0, 1e6, &planted, err) != 0)
        return -1;
    if (env->shape.nblocks > 1)
        return ntr_fail_at(err, env->shape_pos, "pseudo_huber takes one block, not %d",
                           env->shape.nblocks);
    p->layout = env->shape.nblocks ? env->shape : ntr_layout_single(16, 8);
    size_t d = p->layout.dim;
    ph_data *D = calloc(1, sizeof *D);
    if (!D)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    p->data = D;
    D->delta = delta;
    D->c = malloc(d * sizeof *D->c);
    D->w = malloc(d * sizeof *D->w);
    if (!D->c || !D->w)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    double w_max = 0.0;
    for (size_t i = 0; i < d; i++) {
        D->c[i] = gsl_ran_gaussian(env->data_rng, planted);
        D->w[i] = w_min + (1.0 - w_min) * gsl_rng_uniform(env->data_rng);
        w_max = fmax(w_max, D->w[i]);
    }
    p->x_star = D->c;
    p->f_star = 0.0;
    p->L_frob = w_max;
    p->L2_frob = w_max * 48.0 / (25.0 * sqrt(5.0)) / delta;
    return 0;
}

static void ph_destroy(ntr_problem *p)
{
    ph_data *D = p->data;
    if (!D)
        return;
    free(D->c);
    free(D->w);
    free(D);
}

static double ph_value(ntr_problem *p, const double *x)
{
    const ph_data *D = p->data;
    double f = 0.0, d2 = D->delta * D->delta;
    for (size_t i = 0; i < p->layout.dim; i++) {
        double u = (x[i] - D->c[i]) / D->delta;
        f += D->w[i] * d2 * (sqrt(1.0 + u * u) - 1.0);
    }
    return f;
}

static double ph_grad(ntr_problem *p, const double *x, double *g)
{
    const ph_data *D = p->data;
    double f = 0.0, d2 = D->delta * D->delta;
    for (size_t i = 0; i < p->layout.dim; i++) {
        double u = (x[i] - D->c[i]) / D->delta, s = sqrt(1.0 + u * u);
        f += D->w[i] * d2 * (s - 1.0);
        g[i] = D->w[i] * D->delta * u / s;
    }
    return f;
}

/* The Hessian Lipschitz constant in the norm `norm` (see the top);
 * NAN: ntr's generic bound. */
static double ph_hessian_lipschitz(const ntr_problem *p, ntr_norm_id norm)
{
    double m = (double)p->layout.rows[0], n = (double)p->layout.cols[0];
    switch (norm) {
    case NTR_NORM_LINF:
        return p->L2_frob * m * n;
    case NTR_NORM_SPECTRAL:
        return p->L2_frob * fmin(m, n);
    default:
        return NAN;
    }
}

/* The symbol a config names.  NTR_API exports it even from a library
 * built with -fvisibility=hidden. */
NTR_API const ntr_problem_type pseudo_huber = {
    .api_version = NTR_API_VERSION,
    .name = "pseudo_huber",
    .summary = "separable pseudo-Huber loss around a planted matrix (example plug-in)",
    .flags = NTR_PF_CONVEX | NTR_PF_STAR_CONVEX | NTR_PF_SMOOTH | NTR_PF_LIP_HESSIAN,
    .keys = ph_keys,
    .create = ph_create,
    .destroy = ph_destroy,
    .value = ph_value,
    .grad = ph_grad,
    .hessian_lipschitz = ph_hessian_lipschitz,
};

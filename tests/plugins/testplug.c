/* testplug.c: problem plug-ins for the tests (test_plugin, install-check),
 * one good and several broken, in one library built against ntr/ntr.h:
 *
 *   tp_quadratic       f = scale/2 ||x - c||^2 (c: `center`, one number or
 *                      one per entry),
 *                      with true constants: L = scale, L2 = 0, x* = c, f* = 0
 *   tp_false_L         the same, declaring L = scale / 10 (false)
 *   tp_nan             the same, but f and grad f are NaN everywhere
 *   tp_per_norm        tp_quadratic declaring a loose L = 2 scale, and its
 *                      own exact smoothness constant in the spectral norm
 *                      (and only there): scale times the sum over blocks
 *                      of min(rows, cols), below the generic bound
 *   tp_other_api       built for another (a later) API version
 *   tp_api_1           built for API version 1 (norms passed by name)
 *   tp_no_grad         no grad function
 *   tp_sum_no_sampler  declared a finite sum, without sample_grad
 *   tp_smooth_no_L     declared smooth, without a finite L */
#include <math.h>
#include <stdlib.h>

#include <ntr/ntr.h>

typedef struct tp_data {
    double scale;
    double *c;
} tp_data;

static const char *const tp_keys[] = {"scale", "center", NULL};

/* declared_L: the factor of scale declared as L (1 true, 2 true but
 * loose, 0.1 false). */
static int create_with(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env,
                       double declared_L, ntr_error *err)
{
    double scale;
    if (ntr_kv_double(kv, "scale", 1.0, 1e-9, 1e6, &scale, err) != 0)
        return -1;
    p->layout = env->shape.nblocks ? env->shape : ntr_layout_single(4, 3);
    size_t d = p->layout.dim, n;
    tp_data *D = calloc(1, sizeof *D);
    if (!D)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    p->data = D;
    D->scale = scale;
    D->c = malloc(d * sizeof *D->c);
    if (!D->c)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    /* center: one number for every entry, or one per entry */
    if (ntr_kv_doubles(kv, "center", -1e6, 1e6, D->c, d, &n, err) != 0)
        return -1;
    if (n > 1 && n != d)
        return ntr_fail_at(err, ntr_kv_pos(kv, "center"),
                           "problem.center: 1 or %zu numbers (one per entry), not %zu", d, n);
    for (size_t i = n; i < d; i++)
        D->c[i] = n ? D->c[0] : 0.5;
    p->x_star = D->c;
    p->f_star = 0.0;
    p->L_frob = declared_L * scale;
    p->L2_frob = 0.0;
    return 0;
}

static int tp_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env,
                     ntr_error *err)
{
    return create_with(p, kv, env, 1.0, err);
}

static int tp_create_false_L(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env,
                             ntr_error *err)
{
    return create_with(p, kv, env, 0.1, err);
}

static int tp_create_loose_L(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env,
                             ntr_error *err)
{
    return create_with(p, kv, env, 2.0, err);
}

static int tp_create_no_L(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env,
                          ntr_error *err)
{
    int rc = create_with(p, kv, env, 1.0, err);
    p->L_frob = INFINITY;
    return rc;
}

static void tp_destroy(ntr_problem *p)
{
    tp_data *D = p->data;
    if (D)
        free(D->c);
    free(D);
}

static double tp_grad(ntr_problem *p, const double *x, double *g)
{
    const tp_data *D = p->data;
    double f = 0.0;
    for (size_t i = 0; i < p->layout.dim; i++) {
        double r = x[i] - D->c[i];
        if (g)
            g[i] = D->scale * r;
        f += 0.5 * D->scale * r * r;
    }
    return f;
}

static double tp_value(ntr_problem *p, const double *x) { return tp_grad(p, x, NULL); }

static double nan_grad(ntr_problem *p, const double *x, double *g)
{
    (void)x;
    for (size_t i = 0; i < p->layout.dim; i++)
        g[i] = NAN;
    return NAN;
}

static double nan_value(ntr_problem *p, const double *x)
{
    (void)p;
    (void)x;
    return NAN;
}

/* ||scale dX||_nuclear <= scale min(m, n) ||dX||_op on each block; with
 * the max rule over blocks the sum of min(m, n).  NAN for every other norm,
 * so that ntr uses the generic bound there. */
static double tp_spectral_L(const ntr_problem *p, ntr_norm_id norm)
{
    const tp_data *D = p->data;
    if (norm != NTR_NORM_SPECTRAL)
        return NAN;
    double r = 0.0;
    for (int b = 0; b < p->layout.nblocks; b++)
        r += (double)(p->layout.rows[b] < p->layout.cols[b] ? p->layout.rows[b]
                                                            : p->layout.cols[b]);
    return D->scale * r;
}

#define TP_FLAGS (NTR_PF_CONVEX | NTR_PF_STAR_CONVEX | NTR_PF_SMOOTH | NTR_PF_LIP_HESSIAN)
#define TP_TYPE(create_, value_, grad_)                                                    \
    {                                                                                      \
        .api_version = NTR_API_VERSION, .name = "tp_quadratic",                            \
        .summary = "scale/2 ||x - c||^2 (test plug-in)", .flags = TP_FLAGS,                \
        .keys = tp_keys, .create = (create_), .destroy = tp_destroy, .value = (value_),     \
        .grad = (grad_)                                                                    \
    }

NTR_API const ntr_problem_type tp_quadratic = TP_TYPE(tp_create, tp_value, tp_grad);
NTR_API const ntr_problem_type tp_false_L = TP_TYPE(tp_create_false_L, tp_value, tp_grad);
NTR_API const ntr_problem_type tp_nan = TP_TYPE(tp_create, nan_value, nan_grad);
NTR_API const ntr_problem_type tp_no_grad = TP_TYPE(tp_create, tp_value, NULL);
NTR_API const ntr_problem_type tp_smooth_no_L = TP_TYPE(tp_create_no_L, tp_value, tp_grad);

NTR_API const ntr_problem_type tp_per_norm = {
    .api_version = NTR_API_VERSION, .name = "tp_per_norm",
    .summary = "scale/2 ||x - c||^2 with its spectral L (test plug-in)", .flags = TP_FLAGS,
    .keys = tp_keys, .create = tp_create_loose_L, .destroy = tp_destroy, .value = tp_value,
    .grad = tp_grad, .smoothness = tp_spectral_L,
};

/* A plug-in of version 1 gave smoothness() a norm's name: ntr must refuse
 * it rather than call it with an id. */
NTR_API const ntr_problem_type tp_api_1 = {
    .api_version = 1, .name = "tp_api_1", .flags = TP_FLAGS,
    .keys = tp_keys, .create = tp_create, .destroy = tp_destroy, .value = tp_value,
    .grad = tp_grad,
};

NTR_API const ntr_problem_type tp_other_api = {
    .api_version = NTR_API_VERSION + 1, .name = "tp_other_api", .flags = TP_FLAGS,
    .keys = tp_keys, .create = tp_create, .destroy = tp_destroy, .value = tp_value,
    .grad = tp_grad,
};

NTR_API const ntr_problem_type tp_sum_no_sampler = {
    .api_version = NTR_API_VERSION, .name = "tp_sum_no_sampler",
    .flags = TP_FLAGS | NTR_PF_FINITE_SUM, .keys = tp_keys, .create = tp_create,
    .destroy = tp_destroy, .value = tp_value, .grad = tp_grad,
};

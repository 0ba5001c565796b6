/* quadratic.c: the separable quadratic f(X) = 1/2 sum_i h_i (x_i - c_i)^2
 * over the entries x_i of the parameter (any shape, any number of blocks).
 *
 * Keys: `curvature` is [lo, hi] (or one number h): entry i of d, in
 * row-major order block after block, gets h_i = lo (hi/lo)^(i/(d-1))
 * (geometric) when lo and hi are both positive, else lo + (hi - lo) i/(d-1)
 * (linear, so [-1, 1] puts negative curvature on the first half); with
 * `stiff: N` instead the first N entries get hi and all others lo (a stiff
 * block that caps SGD's step at about 2/hi while the flat coordinates,
 * curvature lo, need many such steps: the instance of THEORY.md section 7
 * where l_inf geometry favours sign methods).  The centre c has gaussian
 * entries of standard deviation `center` drawn from the data seed
 * (default 0: c = 0).
 *
 * With every h_i >= 0 the problem is convex, x* = c and f* = 0.  With a
 * negative h_i it is an indefinite (saddle) quadratic: unbounded below,
 * its gradient grows without bound along the negative directions, which is
 * what the weight-decay claim needs (Sato et al.: weight decay bounds the
 * iterates and so the gradients of any L-smooth f, with no bounded-gradient
 * assumption; without it the iterates run off and the gradient grows).
 * Separable and with no sampling oracle: the noise types add the noise
 * (separable noise gives the setting of THEORY.md section 7).
 *
 * Constants.  grad f(x) - grad f(y) = h o D with D = x - y; H = max |h_i|,
 * S = sum |h_i|:
 *   euclidean: ||h o D||_2 <= H ||D||_2.
 *   linf:      ||h o D||_1 <= S max|D|           (l_inf-smoothness L_inf = S).
 *   l1:        max|h o D| <= H max|D| <= H ||D||_1.
 *   others:    the generic bound (NAN here).
 * The Hessian is constant: L2 = 0. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "problems/problem.h"
#include "problems/support.h"

typedef struct quad_data {
    size_t d;
    double *h, *c;
    double hmax, hsum;
} quad_data;

static const char *const quad_keys[] = {"curvature", "center", "stiff", NULL};

static void quad_destroy(ntr_problem *p)
{
    quad_data *q = p->data;
    if (q) {
        free(q->h);
        free(q->c);
        free(q);
    }
    free(p->x_star);
    p->x_star = NULL;
    p->data = NULL;
}

static double quad_value(ntr_problem *p, const double *x)
{
    const quad_data *q = p->data;
    double f = 0.0;
    for (size_t i = 0; i < q->d; i++) {
        double r = x[i] - q->c[i];
        f += q->h[i] * r * r;
    }
    return 0.5 * f;
}

static double quad_grad(ntr_problem *p, const double *x, double *g)
{
    const quad_data *q = p->data;
    double f = 0.0;
    for (size_t i = 0; i < q->d; i++) {
        double r = x[i] - q->c[i];
        g[i] = q->h[i] * r;
        f += g[i] * r;
    }
    return 0.5 * f;
}

static double quad_smoothness(const ntr_problem *p, ntr_norm_id norm)
{
    const quad_data *q = p->data;
    switch (norm) {
    case NTR_NORM_EUCLIDEAN:
    case NTR_NORM_L1:
        return q->hmax;
    case NTR_NORM_LINF:
        return q->hsum;
    default:
        return NAN;
    }
}

static double quad_hessian_lipschitz(const ntr_problem *p, ntr_norm_id norm)
{
    (void)p;
    (void)norm;
    return 0.0;
}

/* curvature: one number, or [lo, hi] with lo <= hi. */
static int read_curvature(const ntr_kv *kv, double *lo, double *hi, ntr_error *err)
{
    const ntr_node *n = ntr_node_get(kv->map, "curvature");
    *lo = *hi = 1.0;
    if (!n)
        return 0;
    if (n->kind == NTR_NODE_SCALAR) {
        if (ntr_node_as_double(n, "problem.curvature", lo, err) != 0)
            return -1;
        *hi = *lo;
    } else if (n->kind == NTR_NODE_SEQ && n->n == 2) {
        if (ntr_node_as_double(n->items[0], "problem.curvature", lo, err) != 0 ||
            ntr_node_as_double(n->items[1], "problem.curvature", hi, err) != 0)
            return -1;
    } else {
        return ntr_fail_at(err, n->pos, "%s.curvature must be a number or [lo, hi]",
                           ntr_pb_section(kv));
    }
    if (!isfinite(*lo) || !isfinite(*hi) || *lo > *hi || fabs(*lo) > 1e12 || fabs(*hi) > 1e12)
        return ntr_fail_at(err, n->pos, "%s.curvature: need finite lo <= hi (at most 1e12 in size)",
                           ntr_pb_section(kv));
    return 0;
}

static int quad_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env,
                       ntr_error *err);

#define QUAD_TYPE(flags_)                                                                       \
    {                                                                                           \
        .api_version = NTR_API_VERSION, .name = "quadratic",                                    \
        .summary = "separable 1/2 sum h_i (x_i - c_i)^2, curvatures spread over [lo, hi] "      \
                   "(negative: a saddle)",                                                      \
        .flags = (flags_), .keys = quad_keys, .create = quad_create, .destroy = quad_destroy,   \
        .value = quad_value, .grad = quad_grad, .smoothness = quad_smoothness,                  \
        .hessian_lipschitz = quad_hessian_lipschitz                                             \
    }
#define QUAD_BASE (NTR_PF_SMOOTH | NTR_PF_LIP_HESSIAN)

static const ntr_problem_type quad_indefinite = QUAD_TYPE(QUAD_BASE | NTR_PF_NONCONVEX);

/* The registered type: the default instance (h = 1, convex). */
const ntr_problem_type ntr_problem_quadratic =
    QUAD_TYPE(QUAD_BASE | NTR_PF_CONVEX | NTR_PF_STAR_CONVEX);

/* Meanings of the keys, for `ntr-run --describe`. */
static const char *const quad_key_docs[] = {
    "curvature",
    "[lo, hi] or h: the entries' curvatures h_i, geometric when both are positive, else linear (negative: a saddle)",
    "center",
    "standard deviation of the gaussian centre c (0: c = 0)",
    "stiff",
    "N > 0: the first N entries get curvature hi and all others lo (a stiff block); 0: spread",
    NULL};

static int quad_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env,
                       ntr_error *err)
{
    ntr_kv_docs(kv, quad_key_docs);
    double lo, hi, center;
    long stiff;
    if (read_curvature(kv, &lo, &hi, err) != 0 ||
        ntr_kv_double(kv, "center", 0.0, 0.0, 1e12, &center, err) != 0 ||
        ntr_kv_long(kv, "stiff", 0, 0, 1L << 40, &stiff, err) != 0)
        return -1;
    p->layout = env->shape.nblocks > 0 ? env->shape : ntr_layout_single(16, 8);
    quad_data *q = ntr_pb_calloc(1, sizeof *q, err);
    if (!q)
        return -1;
    p->data = q;
    q->d = p->layout.dim;
    q->h = ntr_pb_calloc(q->d, sizeof *q->h, err);
    q->c = ntr_pb_calloc(q->d, sizeof *q->c, err);
    if (!q->h || !q->c)
        return -1;
    int geometric = lo > 0 && hi > 0;
    if ((size_t)stiff > q->d)
        return ntr_fail_at(err, ntr_kv_pos(kv, "stiff"), "%s.stiff = %ld exceeds the %zu parameters",
                           ntr_pb_section(kv), stiff, q->d);
    for (size_t i = 0; i < q->d; i++) {
        double t = q->d > 1 ? (double)i / (double)(q->d - 1) : 0.0;
        q->h[i] = stiff > 0 ? (i < (size_t)stiff ? hi : lo)
                  : geometric ? lo * pow(hi / lo, t)
                              : lo + (hi - lo) * t;
        q->hmax = fmax(q->hmax, fabs(q->h[i]));
        q->hsum += fabs(q->h[i]);
    }
    if (center > 0)
        ntr_fill_gaussian(env->data_rng, q->c, q->d, center);
    p->L_frob = q->hmax;
    p->L2_frob = 0.0;
    p->term_sigma2 = NAN;
    if (lo < 0) {
        p->type = &quad_indefinite;
        p->f_star = NAN; /* unbounded below */
        return 0;
    }
    p->f_star = 0.0;
    p->x_star = ntr_pb_calloc(q->d, sizeof *p->x_star, err);
    if (!p->x_star)
        return -1;
    memcpy(p->x_star, q->c, q->d * sizeof *q->c);
    return 0;
}

/* cauchy_regression.c: robust regression with the Cauchy loss,
 * f(X) = (1/N) sum_k phi(<A_k, X> - y_k),  phi(r) = log(1 + r^2).
 *
 * X is m x n; each measurement A_k is an m x n matrix, stored flattened
 * (row-major) as row k of the N x (m n) matrix A, so the residuals are
 * r = A vec(X) - y.  Synthetic data (default shape 16 x 8, N = 4 m n):
 * A has N(0, 1) entries, the planted X* has N(0, 1/(m n)) entries so that
 * <A_k, X*> ~ N(0, ~1), and y = A vec(X*) + noise * gaussian, with a
 * fraction `outliers` of the y_k replaced by N(0, 10^2) draws.  With
 * noise = outliers = 0 the planted X* is a minimiser with f* = 0 (phi >= 0).
 * Data files: `A: path` (N x m n) and `y: path` (N x 1); then the shape must
 * be given (m n = columns of A) or is taken as (m n) x 1.
 *
 * Derivatives of phi: phi'(r) = 2r/(1+r^2) with |phi'| <= 1;
 * phi''(r) = 2(1-r^2)/(1+r^2)^2 in [-1/4, 2];
 * phi'''(r) = 4r(r^2-3)/(1+r^2)^3 with max |phi'''| = 3/2 + sqrt(2)
 * (attained at r = sqrt(2) - 1, where the numerator of phi'''' vanishes).
 * Constants, with a_k = vec(A_k) and G = (1/N) sum_k a_k a_k^T:
 *   Hessian = (1/N) sum_k phi''(r_k) a_k a_k^T, and -2 G <= Hessian <= 2 G
 *   (|phi''| <= 2, each a_k a_k^T PSD), so L_frob = 2 lambda_max(G).
 *   Hessian(X) - Hessian(Y) = (1/N) sum_k (phi''(r_k) - phi''(s_k)) a_k a_k^T
 *   with |phi''(r_k) - phi''(s_k)| <= max|phi'''| |<a_k, X - Y>|
 *   <= max|phi'''| ||a_k|| ||X - Y||_F, and ||a_k a_k^T|| = ||a_k||^2, so
 *   L2_frob = max|phi'''| (1/N) sum_k ||a_k||^3.
 *   One term's gradient phi'(r_k) a_k has norm <= ||a_k||, so the variance
 *   of one sampled term is at most E||phi'(r_k) a_k||^2 <= (1/N) sum ||a_k||^2.
 * Per-norm smoothness: the generic rho * c * L_frob bound (NAN here). */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "problems/problem.h"
#include "problems/sizes.h"
#include "problems/support.h"

#define PHI3_MAX (1.5 + 1.4142135623730951) /* max |phi'''| */

typedef struct cr_data {
    size_t N, dim;
    double *A;  /* N x dim */
    double *y;  /* N */
    double *r;  /* N: residuals, then phi'(r) */
} cr_data;

static const char *const cr_keys[] = {"samples", "noise", "outliers", "A", "y", NULL};
static const char *const cr_file_keys[] = {"A", "y", NULL};

static double phi(double r) { return log1p(r * r); }
static double dphi(double r) { return 2.0 * r / (1.0 + r * r); }

static void cr_destroy(ntr_problem *p)
{
    cr_data *d = p->data;
    if (d) {
        free(d->A);
        free(d->y);
        free(d->r);
        free(d);
    }
    free(p->x_star);
    p->data = NULL;
    p->x_star = NULL;
}

/* r = A x - y. */
static void residuals(cr_data *d, const double *x)
{
    memcpy(d->r, d->y, d->N * sizeof *d->r);
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (blasint)d->N, (blasint)d->dim, 1.0, d->A,
                (blasint)d->dim, x, 1, -1.0, d->r, 1);
}

static double cr_value(ntr_problem *p, const double *x)
{
    cr_data *d = p->data;
    residuals(d, x);
    double s = 0.0;
    for (size_t k = 0; k < d->N; k++)
        s += phi(d->r[k]);
    return s / (double)d->N;
}

static double cr_grad(ntr_problem *p, const double *x, double *g)
{
    cr_data *d = p->data;
    residuals(d, x);
    double s = 0.0;
    for (size_t k = 0; k < d->N; k++) {
        s += phi(d->r[k]);
        d->r[k] = dphi(d->r[k]);
    }
    cblas_dgemv(CblasRowMajor, CblasTrans, (blasint)d->N, (blasint)d->dim, 1.0 / (double)d->N,
                d->A, (blasint)d->dim, d->r, 1, 0.0, g, 1);
    return s / (double)d->N;
}

/* (1/b) sum of phi'(r_k) a_k over b terms drawn uniformly with replacement. */
static void cr_sample_grad(ntr_problem *p, const double *x, long batch, gsl_rng *rng, double *g)
{
    cr_data *d = p->data;
    memset(g, 0, d->dim * sizeof *g);
    if (batch < 1)
        batch = 1;
    for (long t = 0; t < batch; t++) {
        size_t k = (size_t)gsl_rng_uniform_int(rng, (unsigned long)d->N);
        const double *ak = d->A + k * d->dim;
        double r = ntr_dot(ak, x, d->dim) - d->y[k];
        ntr_axpy(dphi(r) / (double)batch, ak, g, d->dim);
    }
}

static double cr_hessian_lipschitz(const ntr_problem *p, ntr_norm_id norm)
{
    return norm == NTR_NORM_EUCLIDEAN ? p->L2_frob : NAN;
}

static double cr_smoothness(const ntr_problem *p, ntr_norm_id norm)
{
    return norm == NTR_NORM_EUCLIDEAN ? p->L_frob : NAN;
}

static int cr_load(cr_data *d, const ntr_kv *kv, const ntr_problem_env *env, size_t *m,
                   size_t *n, int *given, ntr_error *err)
{
    size_t ra = 0, ca = 0, ry = 0, cy = 0;
    int ga = 0, gy = 0;
    *given = 0;
    if (ntr_pb_read_csv(kv, "A", 0, 0, &d->A, &ra, &ca, &ga, err) != 0)
        return -1;
    if (!ga) {
        if (ntr_kv_has(kv, "y"))
            return ntr_fail_at(err, ntr_kv_pos(kv, "y"), "%s.y needs %s.A (the measurements)",
                               ntr_pb_section(kv), ntr_pb_section(kv));
        return 0;
    }
    *given = 1;
    if (!ntr_kv_has(kv, "y"))
        return ntr_fail_at(err, ntr_kv_pos(kv, "A"), "%s.A needs %s.y (the targets)",
                           ntr_pb_section(kv), ntr_pb_section(kv));
    if (ntr_pb_read_csv(kv, "y", ra, 1, &d->y, &ry, &cy, &gy, err) != 0)
        return -1;
    static const char *const synth[] = {"samples", "noise", "outliers", NULL};
    for (int i = 0; synth[i]; i++)
        if (ntr_pb_forbid_with(kv, synth[i], "A", err) != 0)
            return -1;
    if (ntr_pb_one_block(env, "cauchy_regression", ca, 1, m, n, err) != 0)
        return -1;
    if (*m * *n != ca)
        return ntr_fail_at(err, env->shape_pos,
                           "problem.shape [%zu, %zu] does not match the data: %s.A has %zu "
                           "columns, one per entry of X",
                           *m, *n, ntr_pb_section(kv), ca);
    d->N = ra;
    d->dim = ca;
    return 0;
}

static int cr_build(ntr_problem *p, cr_data *d, const ntr_kv *kv, const ntr_problem_env *env,
                    size_t *m, size_t *n, ntr_error *err)
{
    long N;
    double noise, outliers;
    if (ntr_pb_one_block(env, "cauchy_regression", 16, 8, m, n, err) != 0)
        return -1;
    size_t dim = *m * *n;
    if (ntr_kv_long(kv, "samples", 4 * (long)dim, 1, 1L << 26, &N, err) != 0 ||
        ntr_kv_double(kv, "noise", 0.0, 0.0, 1e6, &noise, err) != 0 ||
        ntr_kv_double(kv, "outliers", 0.0, 0.0, 1.0, &outliers, err) != 0)
        return -1;
    if ((double)N * (double)dim > (double)NTR_PB_MAX_ENTRIES)
        return ntr_fail_at(err, ntr_kv_pos(kv, "samples"),
                           "%s.samples = %ld: %ld x %zu measurements are too many",
                           ntr_pb_section(kv), N, N, dim);
    d->N = (size_t)N;
    d->dim = dim;
    d->A = ntr_pb_calloc(d->N * dim, sizeof *d->A, err);
    d->y = ntr_pb_calloc(d->N, sizeof *d->y, err);
    double *xs = ntr_pb_calloc(dim, sizeof *xs, err);
    if (!d->A || !d->y || !xs) {
        free(xs);
        return -1;
    }
    gsl_rng *r = env->data_rng;
    ntr_fill_gaussian(r, xs, dim, 1.0 / sqrt((double)dim));
    ntr_fill_gaussian(r, d->A, d->N * dim, 1.0);
    ntr_fill_gaussian(r, d->y, d->N, noise);
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (blasint)d->N, (blasint)dim, 1.0, d->A,
                (blasint)dim, xs, 1, 1.0, d->y, 1);
    for (size_t k = 0; k < d->N; k++) { /* gross outliers, drawn for every k */
        double u = gsl_rng_uniform(r), v;
        ntr_fill_gaussian(r, &v, 1, 10.0);
        if (u < outliers)
            d->y[k] = v;
    }
    if (noise == 0.0 && outliers == 0.0) {
        p->x_star = xs;
        p->f_star = 0.0;
    } else {
        free(xs);
    }
    return 0;
}

/* Meanings of the keys, for `ntr-run --describe`. */
static const char *const cr_key_docs[] = {
    "samples",
    "N measurements A_k (default 4 m n)",
    "noise",
    "standard deviation of the gaussian noise on y (0 and no outliers: f* = 0)",
    "outliers",
    "fraction of the y_k replaced by N(0, 10^2) draws",
    "A",
    "CSV file of the N x (m n) measurements, instead of generated data",
    "y",
    "CSV file of the N responses, with A",
    NULL};

static int cr_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env, ntr_error *err)
{
    ntr_kv_docs(kv, cr_key_docs);
    cr_data *d = ntr_pb_calloc(1, sizeof *d, err);
    if (!d)
        return -1;
    p->data = d;
    size_t m = 0, n = 0;
    int files = 0;
    if (cr_load(d, kv, env, &m, &n, &files, err) != 0)
        return -1;
    if (!files && cr_build(p, d, kv, env, &m, &n, err) != 0)
        return -1;
    d->r = ntr_pb_calloc(d->N, sizeof *d->r, err);
    if (!d->r)
        return -1;
    double lam;
    if (ntr_pb_gram_constants(d->A, d->N, d->dim, 1.0 / (double)d->N, &lam, NULL, NULL, NULL,
                              err) != 0)
        return -1;
    p->layout = ntr_layout_single(m, n);
    p->n_terms = d->N;
    p->L_frob = 2.0 * lam;
    p->L2_frob = PHI3_MAX * ntr_pb_mean_row_norm_pow(d->A, d->N, d->dim, 3.0) * NTR_PB_SAFETY;
    p->term_sigma2 = ntr_pb_mean_row_norm_pow(d->A, d->N, d->dim, 2.0) * NTR_PB_SAFETY;
    if (files) { /* a zero-residual X is a minimiser only if one exists: unknown */
        p->f_star = NAN;
    }
    return 0;
}

const ntr_problem_type ntr_problem_cauchy_regression = {
    .api_version = NTR_API_VERSION,
    .name = "cauchy_regression",
    .summary = "(1/N) sum log(1 + (<A_k, X> - y_k)^2): robust regression, planted or CSV data",
    .flags = NTR_PF_NONCONVEX | NTR_PF_SMOOTH | NTR_PF_LIP_HESSIAN | NTR_PF_FINITE_SUM,
    .keys = cr_keys,
    .file_keys = cr_file_keys,
    .create = cr_create,
    .destroy = cr_destroy,
    .value = cr_value,
    .grad = cr_grad,
    .sample_grad = cr_sample_grad,
    .smoothness = cr_smoothness,
    .hessian_lipschitz = cr_hessian_lipschitz,
};

/* Sizes before create() (sizes.h): the measurements A (N x dim) and y,
 * the residuals, and the dim x dim Gram matrix with its eigenvalue copy. */
int ntr_cauchy_regression_estimate(const ntr_kv *kv, const ntr_problem_env *env,
                                   ntr_problem_estimate *est, ntr_error *err)
{
    size_t m, n, N, rows, cols;
    const char *data_key = "samples";
    ntr_pb_csv_bounds(kv, "A", &rows, &cols);
    if (cols > 0) {
        if (ntr_pb_one_block(env, "cauchy_regression", cols, 1, &m, &n, err) != 0)
            return -1;
        N = rows, data_key = "A";
    } else {
        long samples;
        if (ntr_pb_one_block(env, "cauchy_regression", 16, 8, &m, &n, err) != 0 ||
            ntr_kv_long(kv, "samples", 4 * (long)(m * n), 1, 1L << 26, &samples, err) != 0)
            return -1;
        N = (size_t)samples;
    }
    double dN = (double)N, dim = (double)m * (double)n;
    double data = dN * dim + 2 * dN + dim;
    double gram = 2 * dim * dim;
    est->bytes = 8 * (data + gram);
    est->layout = ntr_layout_single(m, n);
    est->key = gram > data && cols == 0 ? "shape" : data_key;
    return 0;
}

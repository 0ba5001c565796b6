/* least_squares.c: f(X) = 1/(2N) ||A X - B||_F^2, X of shape m x n.
 *
 * A is N x m, B is N x n; the N rows are the terms of a finite sum, so
 * f(X) = (1/N) sum_i (1/2) ||X^T a_i - b_i||_2^2.  The data are either read
 * from CSV files (keys A and B; then N, m, n come from the files) or built:
 * A = sqrt(N) U diag(s) V^T with random orthonormal U (N x k), V (m x k),
 * k = min(N, m), and singular values s log-spaced from 1 down to
 * 1/condition, so that M = A^T A / N has largest eigenvalue 1 (the problem
 * is well scaled: L_frob = 1) and cond(A) = condition.  With `planted`, B =
 * A X_true + label_noise * gaussian with a gaussian X_true; otherwise B is
 * gaussian.  The minimiser (least-norm if A is rank deficient) comes from
 * LAPACK's SVD-based least-squares solver, and f_star = f(x_star).
 *
 * Evaluation.  When m <= 2N the gradient and value come from the normal
 * form (normal_grad below): M = A^T A / N, C = A^T B / N and M x_star are
 * formed once, then grad f(X) = M X - C and f(X) = f_star + <D, M D> / 2
 * with D = X - x_star, one m x m by m x n product per evaluation instead of
 * two N x m x n ones (4x fewer flops at N = 2m, 8x at the default N = 4m).
 * Otherwise (more features than twice the samples) the residual form
 * A^T (A X - B) / N.  The sampling oracle always uses the rows of A and B.
 *
 * Constants.  grad f(X) = M X - A^T B / N with M = A^T A / N acting on the
 * columns of X, so grad f(X) - grad f(Y) = M D with D = X - Y, and the
 * Hessian is constant (L2 = 0 in every norm).  Per norm (the norm of D on
 * the right, the dual norm of M D on the left; d_j the columns and D_k the
 * rows of D, r = min(m, n)):
 *   euclidean: ||M D||_F <= lambda_max(M) ||D||_F.
 *   spectral:  ||M D||_nuc <= ||M||_nuc ||D||_op = trace(M) ||D||_op (M PSD),
 *              and ||M D||_nuc <= r ||M D||_op <= r lambda_max(M) ||D||_op;
 *              the smaller of the two.
 *   linf:      ||M D||_1 = sum_ij |sum_k M_ik D_kj| <= sum_j sum_ik |M_ik| |D_kj|
 *              <= n (sum_ik |M_ik|) max|D|.
 *   l1:        max_ij |sum_k M_ik D_kj| <= max|M_ik| sum_k |D_kj| <= max|M_ik| ||D||_1.
 *   colnorm:   sum_j ||M d_j||_2 <= lambda_max(M) sum_j ||d_j||_2
 *              <= n lambda_max(M) max_j ||d_j||_2.
 *   rownorm:   sum_i ||sum_k M_ik D_k||_2 <= sum_ik |M_ik| ||D_k||_2
 *              <= (sum_ik |M_ik|) max_k ||D_k||_2.
 * Unknown norms give NAN (the caller's generic bound applies). */
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "problems/problem.h"
#include "problems/sizes.h"
#include "problems/support.h"

typedef struct ls_data {
    size_t N, m, n;
    double *A;   /* N x m */
    double *B;   /* N x n */
    double *R;   /* N x n residual workspace */
    double *r;   /* n: one residual row for sample_grad */
    double lam_max, trace, sum_abs, max_abs; /* of M = A^T A / N */
    /* The normal form (m <= 2N; NULL otherwise): M = A^T A / N (m x m),
     * C = A^T B / N and M x_star (m x n); f_star. */
    double *M, *C, *Mxs;
    double f_star;
} ls_data;

static const char *const ls_keys[] = {"samples", "condition", "planted", "label_noise", "A", "B",
                                      NULL};
static const char *const ls_file_keys[] = {"A", "B", NULL};

static void ls_destroy(ntr_problem *p)
{
    ls_data *d = p->data;
    if (d) {
        free(d->A);
        free(d->B);
        free(d->R);
        free(d->r);
        free(d->M);
        free(d->C);
        free(d->Mxs);
        free(d);
    }
    free(p->x_star);
    p->data = NULL;
    p->x_star = NULL;
}

/* R^T = X^T A^T - B^T, held transposed (n x N) in d->R.  Both products
 * below pass transposed operands: OpenBLAS's small-matrix kernel for the
 * plain no-transpose product allocates on some shapes (output rows % 8 in
 * 1..4 with an inner dimension of 16 or more), and nothing may allocate
 * inside the iteration loop. */
static void residual(ls_data *d, const double *x)
{
    for (size_t i = 0; i < d->N; i++)
        for (size_t j = 0; j < d->n; j++)
            d->R[j * d->N + i] = d->B[i * d->n + j];
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasTrans, (blasint)d->n, (blasint)d->N,
                (blasint)d->m, 1.0, x, (blasint)d->n, d->A, (blasint)d->m, -1.0, d->R,
                (blasint)d->N);
}

/* f from the residual: ||A X - B||^2 / (2N). */
static double residual_value(ls_data *d, const double *x)
{
    residual(d, x);
    double nr = ntr_nrm2(d->R, d->N * d->n);
    return nr * nr / (2.0 * (double)d->N);
}

/* The normal form: with D = X - x_star,
 *     grad f(X) = M X - C,    f(X) = f_star + <D, M D> / 2
 * (exact for any minimiser x_star: grad f(x_star) = 0), from the one
 * product M X (2 m^2 n flops against 4 N m n for A^T (A X - B), with
 * rounding errors of the same size: measured within 1e-13 of the residual
 * formulas).  g receives M X - C. */
static double normal_grad(ls_data *d, const double *x, const double *xs, double *g)
{
    size_t mn = d->m * d->n;
    /* M symmetric: M X as M^T X, a transposed operand (see residual()). */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)d->m, (blasint)d->n,
                (blasint)d->m, 1.0, d->M, (blasint)d->m, x, (blasint)d->n, 0.0, g,
                (blasint)d->n);
    double q0 = 0.0, q1 = 0.0;
    size_t i = 0;
    for (; i + 1 < mn; i += 2) {
        q0 += (x[i] - xs[i]) * (g[i] - d->Mxs[i]);
        q1 += (x[i + 1] - xs[i + 1]) * (g[i + 1] - d->Mxs[i + 1]);
        g[i] -= d->C[i];
        g[i + 1] -= d->C[i + 1];
    }
    for (; i < mn; i++) {
        q0 += (x[i] - xs[i]) * (g[i] - d->Mxs[i]);
        g[i] -= d->C[i];
    }
    double q = q0 + q1;
    return d->f_star + 0.5 * (q > 0.0 ? q : 0.0);
}

static double ls_value(ntr_problem *p, const double *x)
{
    ls_data *d = p->data;
    if (d->M) {
        double *g = d->R; /* m x n fits: the normal form needs m <= 2N */
        return normal_grad(d, x, p->x_star, g);
    }
    return residual_value(d, x);
}

/* grad = A^T R / N = A^T (R^T)^T / N, or the normal form. */
static double ls_grad(ntr_problem *p, const double *x, double *g)
{
    ls_data *d = p->data;
    if (d->M)
        return normal_grad(d, x, p->x_star, g);
    residual(d, x);
    double nr = ntr_nrm2(d->R, d->N * d->n);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasTrans, (blasint)d->m, (blasint)d->n,
                (blasint)d->N, 1.0 / (double)d->N, d->A, (blasint)d->m, d->R, (blasint)d->N,
                0.0, g, (blasint)d->n);
    return nr * nr / (2.0 * (double)d->N);
}

/* (1/b) sum over b rows i drawn uniformly with replacement of a_i (X^T a_i - b_i)^T:
 * each term has mean grad f, so the average is unbiased. */
static void ls_sample_grad(ntr_problem *p, const double *x, long batch, gsl_rng *rng, double *g)
{
    ls_data *d = p->data;
    size_t dim = d->m * d->n;
    memset(g, 0, dim * sizeof *g);
    if (batch < 1)
        batch = 1;
    double w = 1.0 / (double)batch;
    for (long t = 0; t < batch; t++) {
        size_t i = (size_t)gsl_rng_uniform_int(rng, (unsigned long)d->N);
        const double *ai = d->A + i * d->m;
        memcpy(d->r, d->B + i * d->n, d->n * sizeof *d->r);
        cblas_dgemv(CblasRowMajor, CblasTrans, (blasint)d->m, (blasint)d->n, 1.0, x,
                    (blasint)d->n, ai, 1, -1.0, d->r, 1);
        cblas_dger(CblasRowMajor, (blasint)d->m, (blasint)d->n, w, ai, 1, d->r, 1, g,
                   (blasint)d->n);
    }
}

static double ls_smoothness(const ntr_problem *p, ntr_norm_id norm)
{
    const ls_data *d = p->data;
    double m = (double)d->m, n = (double)d->n, r = m < n ? m : n;
    switch (norm) {
    case NTR_NORM_EUCLIDEAN:
        return d->lam_max;
    case NTR_NORM_SPECTRAL:
        return fmin(d->trace, r * d->lam_max);
    case NTR_NORM_LINF:
        return n * d->sum_abs;
    case NTR_NORM_L1:
        return d->max_abs;
    case NTR_NORM_COLNORM:
        return n * d->lam_max;
    case NTR_NORM_ROWNORM:
        return d->sum_abs;
    default:
        return NAN;
    }
}

static double ls_hessian_lipschitz(const ntr_problem *p, ntr_norm_id norm)
{
    (void)p;
    (void)norm;
    return 0.0; /* the Hessian is the constant M */
}

/* Synthetic data: A = sqrt(N) U diag(s) V^T, B planted or gaussian. */
static int ls_build(ls_data *d, const ntr_kv *kv, gsl_rng *rng, ntr_error *err)
{
    double cond, noise;
    int planted;
    if (ntr_kv_double(kv, "condition", 10.0, 1.0, 1e12, &cond, err) != 0 ||
        ntr_kv_bool(kv, "planted", 1, &planted, err) != 0 ||
        ntr_kv_double(kv, "label_noise", 0.0, 0.0, 1e6, &noise, err) != 0)
        return -1;
    if (!planted && ntr_kv_has(kv, "label_noise"))
        return ntr_fail_at(err, ntr_kv_pos(kv, "label_noise"),
                           "%s.label_noise needs %s.planted: true (B is pure noise otherwise)",
                           ntr_pb_section(kv), ntr_pb_section(kv));
    size_t N = d->N, m = d->m, n = d->n, k = N < m ? N : m;
    double *U = ntr_pb_calloc(N * k, sizeof *U, err);
    double *V = ntr_pb_calloc(m * k, sizeof *V, err);
    int rc = -1;
    if (!U || !V)
        goto out;
    if (ntr_pb_orthonormal(rng, N, k, U, err) != 0 || ntr_pb_orthonormal(rng, m, k, V, err) != 0)
        goto out;
    for (size_t j = 0; j < k; j++) { /* U <- sqrt(N) U diag(s) */
        double s = k > 1 ? pow(cond, -(double)j / (double)(k - 1)) : 1.0;
        cblas_dscal((blasint)N, sqrt((double)N) * s, U + j, (blasint)k);
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)N, (blasint)m, (blasint)k, 1.0,
                U, (blasint)k, V, (blasint)k, 0.0, d->A, (blasint)m);
    if (planted) {
        double *xt = ntr_pb_calloc(m * n, sizeof *xt, err); /* X_true */
        if (!xt)
            goto out;
        ntr_fill_gaussian(rng, xt, m * n, 1.0);
        ntr_fill_gaussian(rng, d->B, N * n, noise);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)N, (blasint)n, (blasint)m,
                    1.0, d->A, (blasint)m, xt, (blasint)n, 1.0, d->B, (blasint)n);
        free(xt);
    } else {
        ntr_fill_gaussian(rng, d->B, N * n, 1.0);
    }
    rc = 0;
out:
    free(U);
    free(V);
    return rc;
}

/* Data from files: A (N x m) and B (N x n). */
static int ls_load(ls_data *d, const ntr_kv *kv, const ntr_problem_env *env, int *given,
                   ntr_error *err)
{
    size_t ra = 0, ca = 0, rb = 0, cb = 0;
    int ga = 0, gb = 0;
    *given = 0;
    if (ntr_pb_read_csv(kv, "A", 0, 0, &d->A, &ra, &ca, &ga, err) != 0)
        return -1;
    if (!ga) {
        if (ntr_kv_has(kv, "B"))
            return ntr_fail_at(err, ntr_kv_pos(kv, "B"), "%s.B needs %s.A (the data matrix)",
                               ntr_pb_section(kv), ntr_pb_section(kv));
        return 0;
    }
    *given = 1;
    if (!ntr_kv_has(kv, "B"))
        return ntr_fail_at(err, ntr_kv_pos(kv, "A"), "%s.A needs %s.B (the targets)",
                           ntr_pb_section(kv), ntr_pb_section(kv));
    if (ntr_pb_read_csv(kv, "B", ra, 0, &d->B, &rb, &cb, &gb, err) != 0)
        return -1;
    static const char *const synth[] = {"samples", "condition", "planted", "label_noise", NULL};
    for (int i = 0; synth[i]; i++)
        if (ntr_pb_forbid_with(kv, synth[i], "A", err) != 0)
            return -1;
    if (env->shape.nblocks != 0 &&
        (env->shape.nblocks != 1 || env->shape.rows[0] != ca || env->shape.cols[0] != cb))
        return ntr_fail_at(err, env->shape_pos,
                           "problem.shape does not match the data files: %s.A has %zu columns "
                           "and %s.B has %zu columns, so the shape must be [%zu, %zu]",
                           ntr_pb_section(kv), ca, ntr_pb_section(kv), cb, ca, cb);
    d->N = ra;
    d->m = ca;
    d->n = cb;
    return 0;
}

/* x_star = argmin ||A X - B||_F (least-norm), by LAPACK's dgelsd. */
static int ls_solve(ntr_problem *p, ls_data *d, ntr_error *err)
{
    size_t N = d->N, m = d->m, n = d->n, big = N > m ? N : m;
    size_t k = N < m ? N : m;
    double *a = ntr_pb_calloc(N * m, sizeof *a, err);
    double *b = ntr_pb_calloc(big * n, sizeof *b, err);
    double *s = ntr_pb_calloc(k ? k : 1, sizeof *s, err);
    p->x_star = ntr_pb_calloc(m * n, sizeof *p->x_star, err);
    int rc = -1;
    if (!a || !b || !s || !p->x_star)
        goto out;
    memcpy(a, d->A, N * m * sizeof *a);
    memcpy(b, d->B, N * n * sizeof *b);
    lapack_int rank = 0;
    lapack_int info = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, (lapack_int)N, (lapack_int)m,
                                     (lapack_int)n, a, (lapack_int)m, b, (lapack_int)n, s, -1.0,
                                     &rank);
    if (info != 0) {
        ntr_fail(err, NTR_E_NUMERIC, "least-squares solve of a %zu x %zu system failed (%d)", N,
                 m, (int)info);
        goto out;
    }
    memcpy(p->x_star, b, m * n * sizeof *b);
    rc = 0;
out:
    free(a);
    free(b);
    free(s);
    return rc;
}

/* M = A^T A / N, C = A^T B / N and M x_star, once. */
static int normal_form(ls_data *d, const double *xs, ntr_error *err)
{
    size_t m = d->m, n = d->n;
    d->M = ntr_pb_calloc(m * m, sizeof *d->M, err);
    d->C = ntr_pb_calloc(m * n, sizeof *d->C, err);
    d->Mxs = ntr_pb_calloc(m * n, sizeof *d->Mxs, err);
    if (!d->M || !d->C || !d->Mxs)
        return -1;
    double inv = 1.0 / (double)d->N;
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (blasint)m, (blasint)d->N, inv, d->A,
                (blasint)m, 0.0, d->M, (blasint)m);
    for (size_t i = 0; i < m; i++)
        for (size_t j = i + 1; j < m; j++)
            d->M[j * m + i] = d->M[i * m + j];
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)m, (blasint)n, (blasint)d->N,
                inv, d->A, (blasint)m, d->B, (blasint)n, 0.0, d->C, (blasint)n);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)m, (blasint)n, (blasint)m, 1.0,
                d->M, (blasint)m, xs, (blasint)n, 0.0, d->Mxs, (blasint)n);
    return 0;
}

/* Meanings of the keys, for `ntr-run --describe`. */
static const char *const ls_key_docs[] = {
    "samples",
    "rows N of A: the terms of the finite sum (default 4 x rows of X)",
    "condition",
    "cond(A): its singular values are log-spaced from 1 down to 1/condition",
    "planted",
    "B = A X_true + label_noise * gaussian (true), or gaussian B (false)",
    "label_noise",
    "standard deviation of the noise on the planted B (0: f* = 0)",
    "A",
    "CSV file of A (N x rows of X), instead of generated data",
    "B",
    "CSV file of B (N x cols of X), with A",
    NULL};

static int ls_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env, ntr_error *err)
{
    ntr_kv_docs(kv, ls_key_docs);
    ls_data *d = ntr_pb_calloc(1, sizeof *d, err);
    if (!d)
        return -1;
    p->data = d;
    int files = 0;
    if (ls_load(d, kv, env, &files, err) != 0)
        return -1;
    if (!files) {
        size_t m, n;
        long N;
        if (ntr_pb_one_block(env, "least_squares", 64, 32, &m, &n, err) != 0)
            return -1;
        if (ntr_kv_long(kv, "samples", 4 * (long)m, 1, 1L << 24, &N, err) != 0)
            return -1;
        d->N = (size_t)N;
        d->m = m;
        d->n = n;
        if ((double)d->N * (double)(m > n ? m : n) > (double)NTR_PB_MAX_ENTRIES)
            return ntr_fail_at(err, ntr_kv_pos(kv, "samples"),
                               "%s.samples = %ld: data of %zu x %zu is too large",
                               ntr_pb_section(kv), N, d->N, m > n ? m : n);
        d->A = ntr_pb_calloc(d->N * m, sizeof *d->A, err);
        d->B = ntr_pb_calloc(d->N * n, sizeof *d->B, err);
        if (!d->A || !d->B || ls_build(d, kv, env->data_rng, err) != 0)
            return -1;
    }
    d->R = ntr_pb_calloc((d->N > d->m ? d->N : d->m) * d->n, sizeof *d->R, err);
    d->r = ntr_pb_calloc(d->n, sizeof *d->r, err);
    if (!d->R || !d->r)
        return -1;
    if (ntr_pb_gram_constants(d->A, d->N, d->m, 1.0 / (double)d->N, &d->lam_max, &d->trace,
                              &d->sum_abs, &d->max_abs, err) != 0)
        return -1;
    if (ls_solve(p, d, err) != 0)
        return -1;
    p->layout = ntr_layout_single(d->m, d->n);
    p->n_terms = d->N;
    p->f_star = d->f_star = residual_value(d, p->x_star);
    if (d->m <= 2 * d->N && normal_form(d, p->x_star, err) != 0)
        return -1;
    p->L_frob = d->lam_max;
    p->L2_frob = 0.0;
    p->term_sigma2 = NAN; /* the term variance grows with ||X||: no global bound */
    return 0;
}

const ntr_problem_type ntr_problem_least_squares = {
    .api_version = NTR_API_VERSION,
    .name = "least_squares",
    .summary = "1/(2N) ||A X - B||_F^2 with planted or CSV data, conditioned A",
    .flags = NTR_PF_CONVEX | NTR_PF_SMOOTH | NTR_PF_LIP_HESSIAN | NTR_PF_FINITE_SUM,
    .keys = ls_keys,
    .file_keys = ls_file_keys,
    .create = ls_create,
    .destroy = ls_destroy,
    .value = ls_value,
    .grad = ls_grad,
    .sample_grad = ls_sample_grad,
    .smoothness = ls_smoothness,
    .hessian_lipschitz = ls_hessian_lipschitz,
};

/* Sizes before create() (sizes.h): A and B (N x m, N x n), the residuals,
 * the synthetic factors U, V or the least-squares copies, and the m x m
 * Gram matrix with its eigenvalue copy. */
int ntr_least_squares_estimate(const ntr_kv *kv, const ntr_problem_env *env,
                               ntr_problem_estimate *est, ntr_error *err)
{
    size_t m, n, N, rows, cols, bcols;
    const char *data_key = "samples";
    ntr_pb_csv_bounds(kv, "A", &rows, &cols);
    if (cols > 0) {
        ntr_pb_csv_bounds(kv, "B", &N, &bcols);
        N = rows, m = cols, n = bcols ? bcols : 1;
        data_key = "A";
    } else {
        long samples;
        if (ntr_pb_one_block(env, "least_squares", 64, 32, &m, &n, err) != 0 ||
            ntr_kv_long(kv, "samples", 4 * (long)m, 1, 1L << 24, &samples, err) != 0)
            return -1;
        N = (size_t)samples;
    }
    double dN = (double)N, dm = (double)m, dn = (double)n;
    double k = dN < dm ? dN : dm, big = dN > dm ? dN : dm;
    double data = 3 * dN * dm + 3 * dN * dn + dN * k + dm * k + big * dn + 30 * big + 2 * dm * dn;
    double gram = 2 * dm * dm;
    est->bytes = 8 * (data + gram);
    est->layout = ntr_layout_single(m, n);
    est->key = gram > data && cols == 0 ? "shape" : data_key;
    return 0;
}

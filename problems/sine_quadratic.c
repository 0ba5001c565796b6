/* sine_quadratic.c: the sine-perturbed quadratic h_a(r) = r^2 + a sin^2 r
 * around a planted centre X* (m x n), in three matrix forms (key `form`):
 *   entrywise  f(X) = sum_ij h_a(D_ij)                     D = X - X*
 *   measured   f(X) = (1/N) sum_k h_a(<A_k, D>)            (a finite sum)
 *   spectral   f(X) = sum_i h_a(sigma_i(D))
 * f* = 0 at x_star = X* (h_a(r) >= r^2, zero only at 0).  X* has N(0, 1)
 * entries or comes from `center: path`; the measured form's A_k (rows of an
 * N x m n matrix, N(0, 1) entries, N = `samples`, default 4 m n) come from
 * `A: path` or are drawn.  Default shape 16 x 8, a = 1.5.
 *
 * h' = 2r + a sin 2r, h'' = 2 + 2a cos 2r in [2 - 2a, 2 + 2a], |h'''| =
 * |4a sin 2r| <= 4a.  So h is convex for a <= 1 (then every form is convex;
 * the spectral one because h is even, convex and increasing on r >= 0) and
 * not for a > 1 (a = 1.5: h'' in [-1, 5]).  Star-convexity about X* needs
 * r h'(r) >= h(r), i.e. r^2 + a (r sin 2r - sin^2 r) >= 0 for all r, which
 * holds iff a <= min r^2 / (sin^2 r - r sin 2r) = 1.70483... (at r = 2.0428,
 * found numerically); a > 1.7048 is refused.  Then every form is
 * star-convex: f(X*) - f(X) - <grad f(X), X* - X> = sum (h(r) - r h'(r)) <= 0
 * over the entries, measurements or singular values (for the spectral form
 * <U diag(h'(s)) V^T, D> = sum s_i h'(s_i)).
 *
 * Constants (L = 2 + 2a = max |h''| for a >= 0):
 *   entrywise: Hessian diag(h''(D_ij)): L_frob = 2 + 2a; the Hessian moves
 *     by max |h''(d) - h''(d')| <= 4a max |d - d'|, so L2_frob = 4a.  Per
 *     norm, |h'(d) - h'(d')| <= L |d - d'| entrywise gives: l1 (dual max)
 *     L; linf (dual l1) L m n; colnorm (dual sum of column norms) L n;
 *     rownorm L m; spectral ||dg||_nuc <= sqrt(r) ||dg||_F <= sqrt(r) L
 *     ||dD||_F <= r L ||dD||_op, r = min(m, n).
 *   spectral: with the dilation S(D) = [[0, D], [D^T, 0]] (eigenvalues
 *     +-sigma_i and zeros, ||S(E)||_F^2 = 2 ||E||_F^2, ||S(E)||_op = ||E||_op),
 *     f(D) = ||D||_F^2 + (a/2) tr sin^2(S(D)) and tr sin^2 = (n_S - tr cos 2S)/2.
 *     By Duhamel's formula the k-th derivative of tr exp(i t S) along H is a
 *     weighted average (total weight 1) of tr(Y U_1 Y ... U_k) with Y = i t H
 *     and unitary U_j, bounded by t^k ||H||_F^2 ||H||_op^(k-2).  Hence along E:
 *     |D^2 f| <= 2 ||E||^2 + (a/4) 4 * 2 ||E||_F^2 = (2 + 2a) ||E||_F^2 and
 *     |D^3 f| <= (a/4) 8 * 2 ||E||_F^2 ||E||_op <= 4a ||E||_F^3, so
 *     L_frob = 2 + 2a and L2_frob = 4a, as for the entrywise form; in the
 *     spectral norm the Frobenius route gives r L as above.
 *   measured: Hessian (1/N) sum h''(r_k) a_k a_k^T between -+L G,
 *     G = (1/N) sum a_k a_k^T: L_frob = L lambda_max(G); the Hessian moves by
 *     (1/N) sum 4a |<a_k, dD>| ||a_k||^2: L2_frob = 4a (1/N) sum ||a_k||^3.
 * Sampling: the measured form is a finite sum over k; the entrywise and
 * spectral forms have no natural sampling (sample_grad NULL: the runner uses
 * additive noise).  The instance's p->type is the variant of this type with
 * the right flags and sample_grad (see problem.h). */
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "problems/problem.h"
#include "problems/sizes.h"
#include "problems/support.h"

#define A_STAR 1.7048 /* largest a accepted: h_a star-convex about 0 up to 1.70483 */

enum { ENTRYWISE = 0, MEASURED = 1, SPECTRAL = 2 };
static const char *const sq_forms[] = {"entrywise", "measured", "spectral", NULL};

typedef struct sq_data {
    int form;
    double a;
    size_t m, n, dim, N, k;
    double *D;          /* dim: X - X* (overwritten by the SVD) */
    double *A, *r;      /* measured: N x dim, N */
    double *s, *U, *VT; /* spectral: k, n x k, k x m (column-major views) */
    double *work;
    lapack_int lwork;
} sq_data;

static const char *const sq_keys[] = {"form", "a", "samples", "center", "A", NULL};
static const char *const sq_file_keys[] = {"center", "A", NULL};

static double h(double a, double r) { double s = sin(r); return r * r + a * s * s; }
static double dh(double a, double r) { return 2.0 * r + a * sin(2.0 * r); }

static void sq_destroy(ntr_problem *p)
{
    sq_data *d = p->data;
    if (d) {
        free(d->D);
        free(d->A);
        free(d->r);
        free(d->s);
        free(d->U);
        free(d->VT);
        free(d->work);
        free(d);
    }
    free(p->x_star);
    p->data = NULL;
    p->x_star = NULL;
}

static void difference(const ntr_problem *p, sq_data *d, const double *x)
{
    for (size_t i = 0; i < d->dim; i++)
        d->D[i] = x[i] - p->x_star[i];
}

/* Singular values of D (and, with vectors, U and V^T) by LAPACK with the
 * preallocated workspace.  The row-major m x n D is the column-major n x m
 * D^T = V S U^T, so LAPACK's "U" (n x k) holds V and its "VT" (k x m) U^T. */
static int svd(sq_data *d, int vectors)
{
    char job = vectors ? 'S' : 'N';
    lapack_int info = LAPACKE_dgesvd_work(LAPACK_COL_MAJOR, job, job, (lapack_int)d->n,
                                          (lapack_int)d->m, d->D, (lapack_int)d->n, d->s, d->U,
                                          (lapack_int)d->n, d->VT, (lapack_int)d->k, d->work,
                                          d->lwork);
    return info == 0 ? 0 : -1;
}

static double sq_value(ntr_problem *p, const double *x)
{
    sq_data *d = p->data;
    difference(p, d, x);
    double f = 0.0;
    if (d->form == ENTRYWISE) {
        for (size_t i = 0; i < d->dim; i++)
            f += h(d->a, d->D[i]);
    } else if (d->form == MEASURED) {
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (blasint)d->N, (blasint)d->dim, 1.0, d->A,
                    (blasint)d->dim, d->D, 1, 0.0, d->r, 1);
        for (size_t k = 0; k < d->N; k++)
            f += h(d->a, d->r[k]);
        f /= (double)d->N;
    } else {
        if (svd(d, 0) != 0)
            return NAN;
        for (size_t i = 0; i < d->k; i++)
            f += h(d->a, d->s[i]);
    }
    return f;
}

static double sq_grad(ntr_problem *p, const double *x, double *g)
{
    sq_data *d = p->data;
    difference(p, d, x);
    double f = 0.0;
    if (d->form == ENTRYWISE) {
        for (size_t i = 0; i < d->dim; i++) {
            f += h(d->a, d->D[i]);
            g[i] = dh(d->a, d->D[i]);
        }
    } else if (d->form == MEASURED) {
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (blasint)d->N, (blasint)d->dim, 1.0, d->A,
                    (blasint)d->dim, d->D, 1, 0.0, d->r, 1);
        for (size_t k = 0; k < d->N; k++) {
            f += h(d->a, d->r[k]);
            d->r[k] = dh(d->a, d->r[k]);
        }
        f /= (double)d->N;
        cblas_dgemv(CblasRowMajor, CblasTrans, (blasint)d->N, (blasint)d->dim,
                    1.0 / (double)d->N, d->A, (blasint)d->dim, d->r, 1, 0.0, g, 1);
    } else {
        if (svd(d, 1) != 0) {
            for (size_t i = 0; i < d->dim; i++)
                g[i] = NAN;
            return NAN;
        }
        /* grad = U diag(h'(s)) V^T; in LAPACK's column-major view
         * G^T = LAPACK_U diag(h'(s)) LAPACK_VT, an n x m column-major array,
         * which is G row-major. */
        for (size_t i = 0; i < d->k; i++) {
            f += h(d->a, d->s[i]);
            cblas_dscal((blasint)d->n, dh(d->a, d->s[i]), d->U + i * d->n, 1);
        }
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (blasint)d->n, (blasint)d->m,
                    (blasint)d->k, 1.0, d->U, (blasint)d->n, d->VT, (blasint)d->k, 0.0, g,
                    (blasint)d->n);
    }
    return f;
}

/* Measured form: (1/b) sum of h'(<a_k, D>) a_k over b terms drawn uniformly. */
static void sq_sample_grad(ntr_problem *p, const double *x, long batch, gsl_rng *rng, double *g)
{
    sq_data *d = p->data;
    difference(p, d, x);
    memset(g, 0, d->dim * sizeof *g);
    if (batch < 1)
        batch = 1;
    for (long t = 0; t < batch; t++) {
        size_t k = (size_t)gsl_rng_uniform_int(rng, (unsigned long)d->N);
        const double *ak = d->A + k * d->dim;
        ntr_axpy(dh(d->a, ntr_dot(ak, d->D, d->dim)) / (double)batch, ak, g, d->dim);
    }
}

static double sq_smoothness(const ntr_problem *p, ntr_norm_id norm)
{
    const sq_data *d = p->data;
    double L = 2.0 + 2.0 * d->a, m = (double)d->m, n = (double)d->n;
    if (norm == NTR_NORM_EUCLIDEAN)
        return p->L_frob;
    if (d->form == MEASURED)
        return NAN;
    if (norm == NTR_NORM_SPECTRAL)
        return L * fmin(m, n);
    if (d->form == SPECTRAL)
        return NAN;
    switch (norm) {
    case NTR_NORM_L1:
        return L;
    case NTR_NORM_LINF:
        return L * m * n;
    case NTR_NORM_COLNORM:
        return L * n;
    case NTR_NORM_ROWNORM:
        return L * m;
    default:
        return NAN;
    }
}

static double sq_hessian_lipschitz(const ntr_problem *p, ntr_norm_id norm)
{
    return norm == NTR_NORM_EUCLIDEAN ? p->L2_frob : NAN;
}

static int sq_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env,
                     ntr_error *err);

#define SQ_TYPE(flags_, sample_)                                                                \
    {                                                                                           \
        .api_version = NTR_API_VERSION, .name = "sine_quadratic",                               \
        .summary = "h_a(r) = r^2 + a sin^2 r around a planted X*: entrywise, measured or "      \
                   "spectral; star-convex, f* = 0",                                             \
        .flags = (flags_), .keys = sq_keys, .file_keys = sq_file_keys,                          \
        .create = sq_create, .destroy = sq_destroy,                                             \
        .value = sq_value, .grad = sq_grad, .sample_grad = (sample_),                           \
        .smoothness = sq_smoothness, .hessian_lipschitz = sq_hessian_lipschitz                  \
    }
#define SQ_BASE (NTR_PF_STAR_CONVEX | NTR_PF_SMOOTH | NTR_PF_LIP_HESSIAN)

/* Variants: [form][a > 1]. */
static const ntr_problem_type sq_variants[3][2] = {
    {SQ_TYPE(SQ_BASE | NTR_PF_CONVEX, NULL), SQ_TYPE(SQ_BASE | NTR_PF_NONCONVEX, NULL)},
    {SQ_TYPE(SQ_BASE | NTR_PF_CONVEX | NTR_PF_FINITE_SUM, sq_sample_grad),
     SQ_TYPE(SQ_BASE | NTR_PF_NONCONVEX | NTR_PF_FINITE_SUM, sq_sample_grad)},
    {SQ_TYPE(SQ_BASE | NTR_PF_CONVEX, NULL), SQ_TYPE(SQ_BASE | NTR_PF_NONCONVEX, NULL)},
};

/* The registered type: the default instance (entrywise, a = 1.5). */
const ntr_problem_type ntr_problem_sine_quadratic = SQ_TYPE(SQ_BASE | NTR_PF_NONCONVEX, NULL);

static int sq_measurements(sq_data *d, const ntr_kv *kv, gsl_rng *rng, ntr_error *err)
{
    size_t ra = 0, ca = 0;
    int given = 0;
    if (ntr_pb_read_csv(kv, "A", 0, d->dim, &d->A, &ra, &ca, &given, err) != 0)
        return -1;
    if (given) {
        if (ntr_pb_forbid_with(kv, "samples", "A", err) != 0)
            return -1;
        d->N = ra;
    } else {
        long N;
        if (ntr_kv_long(kv, "samples", 4 * (long)d->dim, 1, 1L << 26, &N, err) != 0)
            return -1;
        if ((double)N * (double)d->dim > (double)NTR_PB_MAX_ENTRIES)
            return ntr_fail_at(err, ntr_kv_pos(kv, "samples"), "%s.samples = %ld: too many",
                               ntr_pb_section(kv), N);
        d->N = (size_t)N;
        d->A = ntr_pb_calloc(d->N * d->dim, sizeof *d->A, err);
        if (!d->A)
            return -1;
        ntr_fill_gaussian(rng, d->A, d->N * d->dim, 1.0);
    }
    d->r = ntr_pb_calloc(d->N, sizeof *d->r, err);
    return d->r ? 0 : -1;
}

static int sq_svd_workspace(sq_data *d, ntr_error *err)
{
    d->k = d->m < d->n ? d->m : d->n;
    d->s = ntr_pb_calloc(d->k, sizeof *d->s, err);
    d->U = ntr_pb_calloc(d->n * d->k, sizeof *d->U, err);
    d->VT = ntr_pb_calloc(d->k * d->m, sizeof *d->VT, err);
    if (!d->s || !d->U || !d->VT)
        return -1;
    double q[2] = {0, 0};
    for (int v = 0; v < 2; v++) {
        char job = v ? 'S' : 'N';
        lapack_int info = LAPACKE_dgesvd_work(LAPACK_COL_MAJOR, job, job, (lapack_int)d->n,
                                              (lapack_int)d->m, d->D, (lapack_int)d->n, d->s,
                                              d->U, (lapack_int)d->n, d->VT, (lapack_int)d->k,
                                              &q[v], -1);
        if (info != 0)
            return ntr_fail(err, NTR_E_NUMERIC, "SVD workspace query failed (%d)", (int)info);
    }
    d->lwork = (lapack_int)fmax(q[0], q[1]) + 1;
    d->work = ntr_pb_calloc((size_t)d->lwork, sizeof *d->work, err);
    return d->work ? 0 : -1;
}

/* Meanings of the keys, for `ntr-run --describe`. */
static const char *const sq_key_docs[] = {
    "form",
    "entrywise (sum over entries), measured (a finite sum over N measurements) or spectral (over singular values)",
    "a",
    "h_a(r) = r^2 + a sin^2 r: convex for a <= 1, star-convex up to 1.7048 (refused above)",
    "samples",
    "N measurements of the measured form (default 4 m n)",
    "center",
    "CSV file of the planted centre X* (default: gaussian entries)",
    "A",
    "CSV file of the measured form's N x (m n) measurements",
    NULL};

static int sq_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env, ntr_error *err)
{
    ntr_kv_docs(kv, sq_key_docs);
    sq_data *d = ntr_pb_calloc(1, sizeof *d, err);
    if (!d)
        return -1;
    p->data = d;
    if (ntr_kv_choice(kv, "form", sq_forms, ENTRYWISE, &d->form, err) != 0 ||
        ntr_kv_double(kv, "a", 1.5, 0.0, HUGE_VAL, &d->a, err) != 0)
        return -1;
    if (d->a > A_STAR)
        return ntr_fail_at(err, ntr_kv_pos(kv, "a"),
                           "%s.a = %g: h_a(r) = r^2 + a sin^2 r is not star-convex about its "
                           "minimiser for a > %.4f (the largest a is 1.70483...)",
                           ntr_pb_section(kv), d->a, A_STAR);
    if (d->form != MEASURED) {
        if (ntr_kv_has(kv, "samples") || ntr_kv_has(kv, "A")) {
            const char *key = ntr_kv_has(kv, "samples") ? "samples" : "A";
            return ntr_fail_at(err, ntr_kv_pos(kv, key), "%s.%s is used only with form: measured",
                               ntr_pb_section(kv), key);
        }
    }
    size_t rc = 0, cc = 0;
    int given = 0;
    if (ntr_pb_read_csv(kv, "center", 0, 0, &p->x_star, &rc, &cc, &given, err) != 0)
        return -1;
    if (given) {
        if (env->shape.nblocks != 0 &&
            (env->shape.nblocks != 1 || env->shape.rows[0] != rc || env->shape.cols[0] != cc))
            return ntr_fail_at(err, env->shape_pos,
                               "problem.shape does not match %s.center, which is %zu x %zu",
                               ntr_pb_section(kv), rc, cc);
        d->m = rc;
        d->n = cc;
    } else if (ntr_pb_one_block(env, "sine_quadratic", 16, 8, &d->m, &d->n, err) != 0) {
        return -1;
    }
    d->dim = d->m * d->n;
    d->D = ntr_pb_calloc(d->dim, sizeof *d->D, err);
    if (!d->D)
        return -1;
    if (!given) {
        p->x_star = ntr_pb_calloc(d->dim, sizeof *p->x_star, err);
        if (!p->x_star)
            return -1;
        ntr_fill_gaussian(env->data_rng, p->x_star, d->dim, 1.0);
    }
    double L = 2.0 + 2.0 * d->a;
    p->L_frob = L;
    p->L2_frob = 4.0 * d->a;
    if (d->form == MEASURED) {
        double lam;
        if (sq_measurements(d, kv, env->data_rng, err) != 0 ||
            ntr_pb_gram_constants(d->A, d->N, d->dim, 1.0 / (double)d->N, &lam, NULL, NULL, NULL,
                                  err) != 0)
            return -1;
        p->L_frob = L * lam;
        p->L2_frob = 4.0 * d->a * ntr_pb_mean_row_norm_pow(d->A, d->N, d->dim, 3.0) * NTR_PB_SAFETY;
        p->n_terms = d->N;
    } else if (d->form == SPECTRAL && sq_svd_workspace(d, err) != 0) {
        return -1;
    }
    p->layout = ntr_layout_single(d->m, d->n);
    p->f_star = 0.0;
    p->type = &sq_variants[d->form][d->a > 1.0];
    return 0;
}

/* Sizes before create() (sizes.h): the centre and the derivative (dim
 * each); measured: A (N x dim), the residuals and the dim x dim Gram
 * matrix with its eigenvalue copy; spectral: an SVD's factors and work. */
int ntr_sine_quadratic_estimate(const ntr_kv *kv, const ntr_problem_env *env,
                                ntr_problem_estimate *est, ntr_error *err)
{
    int form;
    size_t m, n, rows, cols;
    if (ntr_kv_choice(kv, "form", sq_forms, ENTRYWISE, &form, err) != 0)
        return -1;
    const char *shape_key = "shape";
    ntr_pb_csv_bounds(kv, "center", &rows, &cols);
    if (cols > 0) {
        m = rows, n = cols, shape_key = "center";
    } else if (ntr_pb_one_block(env, "sine_quadratic", 16, 8, &m, &n, err) != 0) {
        return -1;
    }
    double dim = (double)m * (double)n, small = (double)(m < n ? m : n);
    double data = 0, gram = 0, base = 2 * dim;
    const char *data_key = "samples";
    if (form == MEASURED) {
        size_t N, acols;
        ntr_pb_csv_bounds(kv, "A", &N, &acols);
        if (acols > 0) {
            data_key = "A";
        } else {
            long samples;
            if (ntr_kv_long(kv, "samples", 4 * (long)(m * n), 1, 1L << 26, &samples, err) != 0)
                return -1;
            N = (size_t)samples;
        }
        data = (double)N * dim + (double)N;
        gram = 2 * dim * dim;
    } else if (form == SPECTRAL) {
        base += 2 * dim + 2 * small * small + 10 * (double)(m > n ? m : n);
    }
    est->bytes = 8 * (base + data + gram);
    est->layout = ntr_layout_single(m, n);
    est->key = data > gram + base ? data_key : shape_key;
    return 0;
}

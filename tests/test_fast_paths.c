/* test_fast_paths.c: the faster code paths of the inner loop agree with
 * plain references.
 *
 *   - the nuclear norm (eigenvalues of the small Gram matrix, dgesdd when
 *     those are not accurate enough) against the sum of dgesdd's singular
 *     values, on well-conditioned, ill-conditioned, rank-deficient, huge,
 *     tiny, zero and non-finite input, tall and wide;
 *   - the exact polar factor (dgesdd in the tall orientation, products
 *     with transposed operands) against U V^T from LAPACK's row-major dgesdd,
 *     including rank-deficient input and shapes of every rows % 8;
 *   - the euclidean norm (a plain sum of squares) against a long double sum
 *     and dnrm2's scaling at extreme magnitudes; its sharp and the linf sign
 *     in place and out of place, with zeros and NaN;
 *   - the unrolled momentum and step loops of methods against plain loops,
 *     to the bit, at odd and even dimensions;
 *   - least squares' normal form (gradient M X - C, f = f* + <D, M D>/2)
 *     and its residual form against A^T (A X - B) / N and ||A X - B||^2/2N;
 *   - the runner evaluates the problem's gradient once per measured
 *     iteration when the oracle adds noise to the exact gradient (the
 *     measurement's gradient is reused), twice under minibatch sampling. */
#include <cblas.h>
#include <check.h>
#include <float.h>
#include <gsl/gsl_rng.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "linalg/linalg.h"
#include "methods/method_impl.h"
#include "linalg/polar.h"
#include "run/runner.h"
#include "support.h"

static gsl_rng *rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    return r;
}

static double *gaussian(gsl_rng *r, size_t n)
{
    double *m = malloc(n * sizeof *m);
    ntr_fill_gaussian(r, m, n, 1.0);
    return m;
}

/* A rows x cols matrix with singular values s_l = cond^(-l/(k-1)) for l <
 * rank and 0 beyond: Q1 diag(s) Q2^T with orthonormal Q1, Q2 from QR. */
static double *spectrum(gsl_rng *r, size_t rows, size_t cols, double cond, size_t rank)
{
    size_t k = rows < cols ? rows : cols;
    double *q1 = gaussian(r, rows * k), *q2 = gaussian(r, cols * k), *tau = malloc(k * sizeof *tau);
    ck_assert(LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (lapack_int)rows, (lapack_int)k, q1, (lapack_int)k,
                             tau) == 0);
    ck_assert(LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (lapack_int)rows, (lapack_int)k, (lapack_int)k, q1,
                             (lapack_int)k, tau) == 0);
    ck_assert(LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (lapack_int)cols, (lapack_int)k, q2, (lapack_int)k,
                             tau) == 0);
    ck_assert(LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (lapack_int)cols, (lapack_int)k, (lapack_int)k, q2,
                             (lapack_int)k, tau) == 0);
    double *m = calloc(rows * cols, sizeof *m);
    for (size_t l = 0; l < rank && l < k; l++) {
        double s = k > 1 ? pow(cond, -(double)l / (double)(k - 1)) : 1.0;
        for (size_t i = 0; i < rows; i++)
            for (size_t j = 0; j < cols; j++)
                m[i * cols + j] += q1[i * k + l] * s * q2[j * k + l];
    }
    free(q1);
    free(q2);
    free(tau);
    return m;
}

/* Sum of the singular values from the allocating dgesdd helper. */
static double nuclear_ref(const double *a, size_t rows, size_t cols)
{
    size_t k = rows < cols ? rows : cols;
    double *s = malloc(k * sizeof *s), sum = 0.0;
    ntr_error err = {0};
    ck_assert(ntr_singular_values(a, rows, cols, s, &err) == 0);
    for (size_t i = k; i-- > 0;)
        sum += s[i];
    free(s);
    return sum;
}

static ntr_polar *polar_svd(size_t rows, size_t cols)
{
    ntr_polar *p = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_polar_alloc(rows, cols, NULL, &p, &err) == 0, "%s", err.msg);
    return p;
}

static const size_t shapes[][2] = {{64, 32}, {32, 64}, {50, 50}, {7, 1},  {1, 9},
                                   {300, 40}, {20, 28}, {28, 20}, {17, 33}, {3, 5}};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

START_TEST(nuclear_norm_matches_dgesdd)
{
    gsl_rng *r = rng(31);
    /* condition, rank fraction (1 = full), scale */
    static const double kinds[][3] = {{1e1, 1, 1},  {1e2, 1, 1},    {1e6, 1, 1},   {1e12, 1, 1},
                                      {1e3, 0.5, 1}, {1e2, 1, 1e200}, {1e2, 1, 1e-200}};
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1], n = rows * cols;
        size_t k = rows < cols ? rows : cols;
        ntr_polar *p = polar_svd(rows, cols);
        for (size_t t = 0; t < sizeof kinds / sizeof kinds[0]; t++) {
            size_t rank = (size_t)ceil(kinds[t][1] * (double)k);
            double *m = spectrum(r, rows, cols, kinds[t][0], rank);
            ntr_scal(kinds[t][2], m, n);
            double ref = nuclear_ref(m, rows, cols), got = ntr_polar_nuclear_norm(p, m);
            ck_assert_msg(fabs(got - ref) <= 1e-12 * ref, "%zux%zu kind %zu: %.17g vs %.17g", rows,
                          cols, t, got, ref);
            free(m);
        }
        double *g = gaussian(r, n);
        double ref = nuclear_ref(g, rows, cols);
        ck_assert_double_eq_tol(ntr_polar_nuclear_norm(p, g), ref, 1e-12 * ref);
        /* Repeated calls give the same bits (no state between calls). */
        ck_assert(ntr_polar_nuclear_norm(p, g) == ntr_polar_nuclear_norm(p, g));
        memset(g, 0, n * sizeof *g);
        ck_assert(ntr_polar_nuclear_norm(p, g) == 0.0);
        g[n / 2] = -2.5; /* rank one */
        ck_assert_double_eq_tol(ntr_polar_nuclear_norm(p, g), 2.5, 1e-15);
        g[0] = NAN;
        ck_assert(isnan(ntr_polar_nuclear_norm(p, g)));
        g[0] = INFINITY;
        ck_assert(isnan(ntr_polar_nuclear_norm(p, g)));
        free(g);
        ntr_polar_free(p);
    }
    gsl_rng_free(r);
}
END_TEST

/* U_r V_r^T from LAPACK's row-major interface, r by the tolerance of polar.h. */
static void polar_ref(const double *a, size_t rows, size_t cols, double *out)
{
    size_t k = rows < cols ? rows : cols, n = rows * cols;
    double *w = malloc(n * sizeof *w), *s = malloc(k * sizeof *s);
    double *u = malloc(rows * k * sizeof *u), *vt = malloc(k * cols * sizeof *vt);
    memcpy(w, a, n * sizeof *w);
    ck_assert(LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'S', (lapack_int)rows, (lapack_int)cols, w,
                             (lapack_int)cols, s, u, (lapack_int)k, vt, (lapack_int)cols) == 0);
    double tol = (double)(rows > cols ? rows : cols) * DBL_EPSILON * s[0];
    memset(out, 0, n * sizeof *out);
    for (size_t l = 0; l < k && s[l] > tol; l++)
        for (size_t i = 0; i < rows; i++)
            for (size_t j = 0; j < cols; j++)
                out[i * cols + j] += u[i * k + l] * vt[l * cols + j];
    free(w);
    free(s);
    free(u);
    free(vt);
}

START_TEST(svd_sharp_matches_reference)
{
    gsl_rng *r = rng(32);
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1], n = rows * cols;
        size_t k = rows < cols ? rows : cols;
        ntr_polar *p = polar_svd(rows, cols);
        double *out = malloc(n * sizeof *out), *ref = malloc(n * sizeof *ref);
        for (int kind = 0; kind < 3; kind++) {
            /* Gaussian; condition 1e3; half rank with a clear gap. */
            double *m = kind == 0   ? gaussian(r, n)
                        : kind == 1 ? spectrum(r, rows, cols, 1e3, k)
                                    : spectrum(r, rows, cols, 10.0, (k + 1) / 2);
            polar_ref(m, rows, cols, ref);
            ck_assert(ntr_polar_sharp(p, m, out, NULL) == 0);
            double d = 0.0;
            for (size_t i = 0; i < n; i++)
                d = fmax(d, fabs(out[i] - ref[i]));
            ck_assert_msg(d <= 1e-11, "%zux%zu kind %d: max difference %g", rows, cols, kind, d);
            /* In place gives the same bits. */
            ck_assert(ntr_polar_sharp(p, m, m, NULL) == 0);
            ck_assert(memcmp(m, out, n * sizeof *m) == 0);
            free(m);
        }
        double *g = gaussian(r, n);
        double op = 0.0;
        ntr_error err = {0};
        ck_assert(ntr_op_norm(g, rows, cols, &op, &err) == 0);
        ck_assert_double_eq_tol(ntr_polar_op_norm(p, g), op, 1e-14 * op);
        free(g);
        free(out);
        free(ref);
        ntr_polar_free(p);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(euclidean_norm_and_sharps)
{
    const ntr_norm_type *e = ntr_norm_lookup("euclidean"), *li = ntr_norm_lookup("linf");
    ck_assert_ptr_nonnull(e);
    ck_assert_ptr_nonnull(li);
    gsl_rng *r = rng(33);
    static const size_t sizes[] = {1, 2, 3, 5, 100, 101, 4097, 100000};
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        size_t n = sizes[t];
        double *x = gaussian(r, n), *out = malloc(n * sizeof *out), *in = malloc(n * sizeof *in);
        static const double scales[] = {1.0, 1e-200, 1e200, 1e-150, 1e140};
        for (size_t sc = 0; sc < 5; sc++) {
            long double ss = 0.0L;
            for (size_t i = 0; i < n; i++) {
                long double v = (long double)x[i] * (long double)scales[sc];
                ss += v * v;
            }
            for (size_t i = 0; i < n; i++)
                in[i] = x[i] * scales[sc];
            double ref = (double)sqrtl(ss), got = e->value(in, n, 1, NULL);
            ck_assert_msg(fabs(got - ref) <= 4e-15 * ref, "n %zu scale %g: %.17g vs %.17g", n,
                          scales[sc], got, ref);
            ck_assert(e->dual(in, 1, n, NULL) == got);
        }
        /* The sharp, out of place and in place: the same bits, unit norm. */
        e->sharp(x, out, n, 1, NULL, NULL);
        ck_assert_double_eq_tol(e->value(out, n, 1, NULL), 1.0, 1e-14);
        memcpy(in, x, n * sizeof *in);
        e->sharp(in, in, n, 1, NULL, NULL);
        ck_assert(memcmp(in, out, n * sizeof *in) == 0);
        /* linf: signs, zeros of both signs; a NaN fails the sharp (all NaN). */
        x[0] = -0.0;
        if (n > 2)
            x[1] = 0.0;
        ck_assert_int_eq(li->sharp(x, out, n, 1, NULL, NULL), 0);
        memcpy(in, x, n * sizeof *in);
        ck_assert_int_eq(li->sharp(in, in, n, 1, NULL, NULL), 0);
        for (size_t i = 0; i < n; i++) {
            double want = x[i] > 0.0 ? 1.0 : x[i] < 0.0 ? -1.0 : 0.0;
            int same = out[i] == want && in[i] == want && !signbit(out[i] - want);
            ck_assert_msg(same, "linf sharp of %g at %zu: %g, %g", x[i], i, out[i], in[i]);
        }
        x[n - 1] = NAN;
        ck_assert_int_eq(li->sharp(x, out, n, 1, NULL, NULL), NTR_SHARP_NONFINITE);
        memcpy(in, x, n * sizeof *in);
        ck_assert_int_eq(li->sharp(in, in, n, 1, NULL, NULL), NTR_SHARP_NONFINITE);
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(isnan(out[i]) && isnan(in[i]), "linf sharp with a NaN at %zu: %g, %g",
                          i, out[i], in[i]);
        free(x);
        free(out);
        free(in);
    }
    double bad[3] = {1.0, NAN, 2.0};
    ck_assert(isnan(e->value(bad, 3, 1, NULL)));
    bad[1] = INFINITY;
    ck_assert(isinf(e->value(bad, 3, 1, NULL)));
    double zero[4] = {0};
    ck_assert(e->value(zero, 4, 1, NULL) == 0.0);
    gsl_rng_free(r);
}
END_TEST

START_TEST(method_loops_are_plain_loops)
{
    gsl_rng *r = rng(34);
    static const size_t dims[] = {1, 2, 7, 64};
    for (size_t t = 0; t < 4; t++) {
        size_t n = dims[t];
        ntr_layout lay = ntr_layout_single(n, 1);
        ntr_method_opts o = {0};
        o.alpha = 0.3;
        o.weight_decay = 0.07;
        o.nesterov = 1;
        ntr_method *m = NULL;
        ntr_error err = {0};
        ck_assert_msg(ntr_method_alloc(ntr_method_lookup("sgdm"), &o, &lay, NULL, &m, &err) == 0,
                      "%s", err.msg);
        double *avg = gaussian(r, n), *v = gaussian(r, n), *x = gaussian(r, n);
        double *want = malloc(n * sizeof *want), *want_x = malloc(n * sizeof *want_x);
        double a = o.alpha, b = 1.0 - a, eta = 0.013, shrink = 1.0 - eta * o.weight_decay;
        for (size_t i = 0; i < n; i++)
            want[i] = b * avg[i] + a * v[i];
        const double *d = ntr_method_direction(m, avg, v);
        ck_assert(memcmp(d, want, n * sizeof *want) == 0);
        ntr_method_ema(m, avg, v);
        ck_assert(memcmp(avg, want, n * sizeof *want) == 0);
        for (size_t i = 0; i < n; i++)
            want_x[i] = shrink * x[i] - eta * v[i];
        ntr_method_apply(m, x, v, eta);
        ck_assert(memcmp(x, want_x, n * sizeof *want_x) == 0);
        free(avg);
        free(v);
        free(x);
        free(want);
        free(want_x);
        ntr_method_free(m);
    }
    gsl_rng_free(r);
}
END_TEST

/* Gradient evaluations of one run, counted through a wrapped problem type. */
static double (*orig_grad)(ntr_problem *, const double *, double *);
static long grad_calls;

static double counting_grad(ntr_problem *p, const double *x, double *g)
{
    grad_calls++;
    return orig_grad(p, x, g);
}

static long gradient_calls(const char *path, const char *set1, const char *set2, long *iters)
{
    const char *sets[2] = {set1, set2};
    ntr_plan *plan = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_plan_load(path, sets, set2 ? 2 : set1 ? 1 : 0, &plan, &err) == 0, "%s",
                  err.msg);
    const ntr_cell *c = &plan->cells[0];
    ntr_run *run = NULL;
    ck_assert_msg(ntr_run_prepare(&c->s, c->run_seed, c->init_seed, &run, &err) == 0, "%s",
                  err.msg);
    ntr_problem *p = ntr_run_problem(run);
    ntr_problem_type wrapped = *p->type;
    orig_grad = wrapped.grad;
    wrapped.grad = counting_grad;
    const ntr_problem_type *orig_type = p->type;
    p->type = &wrapped;
    grad_calls = 0;
    ntr_run_result res;
    ck_assert_msg(ntr_run_execute(run, NULL, NULL, NULL, &res, &err) == 0, "%s", err.msg);
    p->type = orig_type;
    *iters = res.iterations;
    ntr_run_free(run);
    ntr_plan_free(plan);
    return grad_calls;
}

START_TEST(measured_gradient_is_reused)
{
    char *dir = ts_tmpdir();
    ck_assert_ptr_nonnull(dir);
    char *path = ts_path("%s/reuse.yaml", dir);
    static const char *const yaml = "name: reuse\n"
                                    "problem: {type: least_squares, shape: [6, 4], samples: 20}\n"
                                    "noise: {type: gaussian, sigma: 0.1}\n"
                                    "method: {name: ntr, norm: spectral, eta: 0.01}\n"
                                    "budget: {iterations: 50, targets: []}\n"
                                    "log: {measure_every: 1}\n";
    ck_assert_int_eq(ts_write_file(path, yaml), 0);
    long K;
    /* One measurement per iteration (K + 1 of them), whose gradient also
     * serves the oracle, the first sample m0 at x0 included. */
    ck_assert_int_eq(gradient_calls(path, NULL, NULL, &K), K + 1);
    ck_assert_int_eq(K, 50);
    ck_assert_int_eq(gradient_calls(path, "noise.type=student_t", NULL, &K), K + 1);
    ck_assert_int_eq(gradient_calls(path, "noise.type=none", NULL, &K), K + 1);
    ck_assert_int_eq(gradient_calls(path, "method.m0=zero", NULL, &K), K + 1);
    /* Minibatch draws its own sampled gradient: measurements only. */
    ck_assert_int_eq(gradient_calls(path, "noise.type=minibatch", NULL, &K), K + 1);
    /* Extrapolation queries z_k != x_k after the first step. */
    ck_assert_int_eq(gradient_calls(path, "method.extrapolation=true", NULL, &K),
                     (K + 1) + (K - 1));
    /* Measured at k = 0, 5, ..., 50 (and the last row, k = K = 50): the 40
     * oracle calls at the other k evaluate the gradient. */
    ck_assert_int_eq(gradient_calls(path, "log.measure_every=5", "log.every=1000", &K),
                     11 + 40);
    ts_rmtree(dir);
    free(dir);
    free(path);
}
END_TEST

/* Write an r x c matrix of reproducible values to a CSV file. */
static void write_matrix(const char *path, size_t r, size_t c, unsigned seed, double *a)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    unsigned long st = seed;
    for (size_t i = 0; i < r; i++)
        for (size_t j = 0; j < c; j++) {
            st = st * 6364136223846793005ul + 1442695040888963407ul;
            a[i * c + j] = (double)(st >> 11) / 9007199254740992.0 - 0.5;
            fprintf(f, "%.17g%s", a[i * c + j], j + 1 < c ? "," : "\n");
        }
    fclose(f);
}

/* least_squares in its normal form (m <= 2N: grad = M X - C, f = f* +
 * <D, M D>/2) and in its residual form (m > 2N) against A^T (A X - B) / N
 * and ||A X - B||^2 / (2N) computed here from the same files, and near x*
 * the gap f - f* is h^2 ||A E||^2 / (2N) for X = x* + h E (to 1e-4: f
 * itself holds only the last bits of the gap). */
START_TEST(least_squares_normal_form)
{
    static const size_t ls_shapes[][3] = {{40, 6, 4}, {25, 50, 3}, {3, 10, 2}}; /* N, m, n */
    char *dir = ts_tmpdir();
    for (size_t t = 0; t < 3; t++) {
        size_t N = ls_shapes[t][0], m = ls_shapes[t][1], n = ls_shapes[t][2];
        double *A = malloc(N * m * sizeof *A), *B = malloc(N * n * sizeof *B);
        char *pa = ts_path("%s/A%zu.csv", dir, t), *pb = ts_path("%s/B%zu.csv", dir, t);
        write_matrix(pa, N, m, 11 + (unsigned)t, A);
        write_matrix(pb, N, n, 21 + (unsigned)t, B);
        char *yaml = ts_path("name: ls\nproblem: {type: least_squares, A: %s, B: %s}\n"
                             "method: {name: ntr, norm: euclidean, eta: 0.01}\n"
                             "budget: {iterations: 1}\n",
                             pa, pb);
        char *path = ts_path("%s/ls%zu.yaml", dir, t);
        ck_assert_int_eq(ts_write_file(path, yaml), 0);
        ntr_plan *plan = NULL;
        ntr_error err = {0};
        ck_assert_msg(ntr_plan_load(path, NULL, 0, &plan, &err) == 0, "%s", err.msg);
        ntr_run *run = NULL;
        const ntr_cell *c = &plan->cells[0];
        ck_assert_msg(ntr_run_prepare(&c->s, c->run_seed, c->init_seed, &run, &err) == 0, "%s",
                      err.msg);
        ntr_problem *p = ntr_run_problem(run);
        double *x = malloc(m * n * sizeof *x), *g = malloc(m * n * sizeof *g);
        double *r = malloc(N * n * sizeof *r), *gref = malloc(m * n * sizeof *gref);
        write_matrix(path, m, n, 31 + (unsigned)t, x); /* random X (the file is reused) */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)N, (int)n, (int)m, 1.0, A,
                    (int)m, x, (int)n, 0.0, r, (int)n);
        long double ss = 0.0L;
        for (size_t i = 0; i < N * n; i++) {
            r[i] -= B[i];
            ss += (long double)r[i] * r[i];
        }
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)m, (int)n, (int)N,
                    1.0 / (double)N, A, (int)m, r, (int)n, 0.0, gref, (int)n);
        double f = p->type->grad(p, x, g), fref = (double)(ss / (2.0L * N));
        double gmax = 0.0, gd = 0.0;
        for (size_t i = 0; i < m * n; i++) {
            gmax = fmax(gmax, fabs(gref[i]));
            gd = fmax(gd, fabs(g[i] - gref[i]));
        }
        ck_assert_msg(gd <= 1e-13 * gmax, "shape %zu: gradient off by %.3g", t, gd);
        ck_assert_msg(fabs(f - fref) <= 1e-13 * fref, "shape %zu: f %.17g vs %.17g", t, f, fref);
        ck_assert(fabs(p->type->value(p, x) - fref) <= 1e-13 * fref);
        if (m <= 2 * N && p->x_star) {
            /* X = x* + h E: gap = h^2 <E, M E> / 2 = h^2 ||A E||^2 / (2N). */
            double h = 3e-6, *ae = malloc(N * n * sizeof *ae);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)N, (int)n, (int)m, 1.0, A,
                        (int)m, x, (int)n, 0.0, ae, (int)n); /* E = the random X above */
            long double q = 0.0L;
            for (size_t i = 0; i < N * n; i++)
                q += (long double)ae[i] * ae[i];
            double want = (double)(q / (2.0L * N)) * h * h;
            for (size_t i = 0; i < m * n; i++)
                g[i] = p->x_star[i] + h * x[i];
            double gap = p->type->value(p, g) - p->f_star;
            ck_assert_msg(fabs(gap - want) <= 1e-4 * want, "shape %zu: gap %.9g, want %.9g", t,
                          gap, want);
            free(ae);
        }
        free(x);
        free(g);
        free(r);
        free(gref);
        free(A);
        free(B);
        free(pa);
        free(pb);
        free(yaml);
        free(path);
        ntr_run_free(run);
        ntr_plan_free(plan);
    }
    ts_rmtree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fast_paths");
    TCase *tc = tcase_create("fast_paths");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, nuclear_norm_matches_dgesdd);
    tcase_add_test(tc, svd_sharp_matches_reference);
    tcase_add_test(tc, euclidean_norm_and_sharps);
    tcase_add_test(tc, method_loops_are_plain_loops);
    tcase_add_test(tc, measured_gradient_is_reused);
    tcase_add_test(tc, least_squares_normal_form);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

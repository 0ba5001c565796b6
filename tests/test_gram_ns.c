/* test_gram_ns.c: Gram Newton-Schulz (src/linalg/polar_ns_gram.c).
 *
 * - It is the standard iteration computed another way: for jordan and
 *   polar_express, at aspect ratios 2, 4, 8 and 16, wide and tall, the two
 *   agree to 1e-11 of the output's size and their orthogonality errors
 *   ||O O^T - I|| agree to 1e-11.
 * - Its singular values are the scalar map of the input's: |p(sigma / s)|.
 * - Against the exact polar factor (dgesdd): the cubic coefficients over 30
 *   steps (nine restarts) on an input of condition 10 converge to it within
 *   1e-9 in every entry.
 * - Its restarts matter: on an input of condition 1e8 the Gram iteration
 *   stays on the standard one (40 cubic steps within 1e-9, polar express
 *   within 5e-13).
 * - Below aspect ratio 2 the option changes nothing: the same bytes as the
 *   standard iteration.
 * - Zero in, zero out; NaN in, NaN out; the config key reads and writes. */
#include <check.h>
#include <cblas.h>
#include <float.h>
#include <gsl/gsl_rng.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "linalg/linalg.h"
#include "linalg/polar.h"
#include "support.h"

static double *gaussian(gsl_rng *r, size_t n)
{
    double *a = malloc(n * sizeof *a);
    ck_assert_ptr_nonnull(a);
    ntr_fill_gaussian(r, a, n, 1.0);
    return a;
}

/* out = NS(g) with preset `name` (steps 0: its own), gram on or off. */
static void sharp(const char *name, int steps, int gram, const double *g, double *out,
                  size_t rows, size_t cols)
{
    ntr_lmo_opts o;
    memset(&o, 0, sizeof o);
    ck_assert_int_eq(ntr_lmo_preset(&o, name, steps), 0);
    o.gram = gram;
    ntr_ns *w = NULL;
    ntr_error err;
    ck_assert_msg(ntr_ns_alloc(rows, cols, &o, &w, &err) == 0, "%s", err.msg);
    ntr_ns_apply(w, g, out);
    ntr_ns_free(w);
}

static double max_abs(const double *a, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++)
        m = fmax(m, fabs(a[i]));
    return m;
}

/* max |(O O^T or O^T O) - I| on the short side. */
static double ortho_error(const double *o, size_t rows, size_t cols)
{
    size_t k = rows < cols ? rows : cols;
    double *a = malloc(k * k * sizeof *a), e = 0.0;
    if (rows <= cols)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)k, (int)k, (int)cols, 1.0, o,
                    (int)cols, o, (int)cols, 0.0, a, (int)k);
    else
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)k, (int)rows, 1.0, o,
                    (int)cols, o, (int)cols, 0.0, a, (int)k);
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            e = fmax(e, fabs(a[i * k + j] - (i == j ? 1.0 : 0.0)));
    free(a);
    return e;
}

START_TEST(gram_equals_standard)
{
    static const char *const presets[] = {"jordan", "polar_express"};
    static const size_t shapes[][2] = {{24, 48}, {96, 24}, {16, 128}, {256, 32},
                                       {20, 320}, {36, 144}, {100, 20}, {130, 1040}};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    for (size_t p = 0; p < 2; p++)
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
            size_t rows = shapes[s][0], cols = shapes[s][1], n = rows * cols;
            double *g = gaussian(r, n), *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
            sharp(presets[p], 0, 0, g, a, rows, cols);
            sharp(presets[p], 0, 1, g, b, rows, cols);
            double d = 0.0;
            for (size_t i = 0; i < n; i++)
                d = fmax(d, fabs(a[i] - b[i]));
            ck_assert_msg(d <= 1e-11 * max_abs(a, n), "%s %zux%zu: gram differs by %.3g",
                          presets[p], rows, cols, d);
            double ea = ortho_error(a, rows, cols), eb = ortho_error(b, rows, cols);
            ck_assert_msg(fabs(ea - eb) <= 1e-11, "%s %zux%zu: orthogonality %.6g vs %.6g",
                          presets[p], rows, cols, ea, eb);
            free(g);
            free(a);
            free(b);
        }
    gsl_rng_free(r);
}
END_TEST

/* Singular values, descending. */
static double *svals(const double *a, size_t rows, size_t cols)
{
    size_t k = rows < cols ? rows : cols;
    double *s = malloc(k * sizeof *s);
    ntr_polar *p = NULL;
    ntr_error err;
    ck_assert(ntr_polar_alloc(rows, cols, NULL, &p, &err) == 0);
    ck_assert_int_eq(ntr_polar_singular_values(p, a, s), 0);
    ntr_polar_free(p);
    return s;
}

static int descending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

START_TEST(gram_singular_values_follow_the_scalar_map)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 6);
    size_t rows = 30, cols = 150, n = rows * cols, k = rows;
    double *g = gaussian(r, n), *x = malloc(n * sizeof *x);
    ntr_lmo_opts o;
    memset(&o, 0, sizeof o);
    ntr_lmo_preset(&o, "polar_express", 0);
    sharp("polar_express", 0, 1, g, x, rows, cols);
    double *sg = svals(g, rows, cols), *sx = svals(x, rows, cols);
    double scale = (o.input_scale + 1e-7) * cblas_dnrm2((int)n, g, 1);
    for (size_t i = 0; i < k; i++) {
        double v = sg[i] / scale;
        for (int t = 0; t < o.steps; t++)
            v = v * (o.coef[t][0] + v * v * (o.coef[t][1] + v * v * o.coef[t][2]));
        sg[i] = fabs(v);
    }
    qsort(sg, k, sizeof *sg, descending);
    for (size_t i = 0; i < k; i++)
        ck_assert_msg(fabs(sx[i] - sg[i]) <= 1e-10, "sigma_%zu %.15g vs %.15g", i, sx[i], sg[i]);
    free(g);
    free(x);
    free(sg);
    free(sx);
    gsl_rng_free(r);
}
END_TEST

/* rows x cols with singular values log-spaced over [1/cond, 1]. */
static double *conditioned(gsl_rng *r, size_t rows, size_t cols, double cond)
{
    size_t k = rows < cols ? rows : cols;
    double *u = gaussian(r, rows * k), *v = gaussian(r, cols * k), *tau = malloc(k * sizeof *tau);
    LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (int)rows, (int)k, u, (int)k, tau);
    LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (int)rows, (int)k, (int)k, u, (int)k, tau);
    LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (int)cols, (int)k, v, (int)k, tau);
    LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (int)cols, (int)k, (int)k, v, (int)k, tau);
    for (size_t j = 0; j < k; j++) {
        double s = pow(cond, -(double)j / (double)(k - 1));
        for (size_t i = 0; i < rows; i++)
            u[i * k + j] *= s;
    }
    double *a = malloc(rows * cols * sizeof *a);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)cols, (int)k, 1.0, u,
                (int)k, v, (int)k, 0.0, a, (int)cols);
    free(u);
    free(v);
    free(tau);
    return a;
}

START_TEST(gram_converges_to_the_exact_polar_factor)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    static const size_t shapes[][2] = {{20, 80}, {120, 30}};
    for (size_t s = 0; s < 2; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1], n = rows * cols;
        double *g = conditioned(r, rows, cols, 10.0);
        double *x = malloc(n * sizeof *x), *e = malloc(n * sizeof *e);
        sharp("cubic", 30, 1, g, x, rows, cols);
        ntr_polar *p = NULL;
        ntr_error err;
        ck_assert(ntr_polar_alloc(rows, cols, NULL, &p, &err) == 0);
        ck_assert_int_eq(ntr_polar_sharp(p, g, e, NULL), 0);
        double d = 0.0;
        for (size_t i = 0; i < n; i++)
            d = fmax(d, fabs(x[i] - e[i]));
        ck_assert_msg(d <= 1e-9, "%zux%zu: gram cubic differs from the exact factor by %.3g",
                      rows, cols, d);
        ck_assert(ortho_error(x, rows, cols) <= 1e-9);
        ntr_polar_free(p);
        free(g);
        free(x);
        free(e);
    }
    gsl_rng_free(r);
}
END_TEST

/* Condition 1e8 over 40 cubic steps: the restarts keep the Gram iteration
 * on the standard one (without them the difference reaches about 5e-5);
 * polar express stays within 2e-13 of it (1e-12 without). */
START_TEST(restarts_keep_ill_conditioned_inputs_accurate)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 9);
    size_t rows = 64, cols = 512, n = rows * cols;
    double *g = conditioned(r, rows, cols, 1e8);
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    static const struct { const char *name; int steps; double tol; } cases[] = {
        {"cubic", 40, 1e-9}, {"polar_express", 0, 5e-13}};
    for (size_t c = 0; c < 2; c++) {
        sharp(cases[c].name, cases[c].steps, 0, g, a, rows, cols);
        sharp(cases[c].name, cases[c].steps, 1, g, b, rows, cols);
        double d = 0.0;
        for (size_t i = 0; i < n; i++)
            d = fmax(d, fabs(a[i] - b[i]));
        ck_assert_msg(d <= cases[c].tol, "%s: gram differs from standard by %.3g", cases[c].name,
                      d);
    }
    free(g);
    free(a);
    free(b);
    gsl_rng_free(r);
}
END_TEST

START_TEST(below_aspect_two_is_standard)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 8);
    static const size_t shapes[][2] = {{32, 32}, {40, 79}, {79, 40}};
    for (size_t s = 0; s < 3; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1], n = rows * cols;
        double *g = gaussian(r, n), *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        sharp("jordan", 0, 0, g, a, rows, cols);
        sharp("jordan", 0, 1, g, b, rows, cols);
        ck_assert_msg(memcmp(a, b, n * sizeof *a) == 0, "%zux%zu: gram changed the bytes", rows,
                      cols);
        free(g);
        free(a);
        free(b);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(zero_and_nan)
{
    size_t rows = 10, cols = 40, n = rows * cols;
    double *g = calloc(n, sizeof *g), *x = malloc(n * sizeof *x);
    sharp("jordan", 0, 1, g, x, rows, cols);
    ck_assert(max_abs(x, n) == 0.0);
    g[7] = NAN;
    sharp("jordan", 0, 1, g, x, rows, cols);
    ck_assert(isnan(x[0]));
    free(g);
    free(x);
}
END_TEST

START_TEST(config_key)
{
    ts_scratch s = ts_scratch_new(
        "name: g\nproblem: {type: least_squares, shape: [8, 40], samples: 40}\n"
        "method: {name: ntr, norm: spectral, eta: 0.05, alpha: 0.2,\n"
        "         lmo: {solver: newton_schulz, coefficients: polar_express, gram: true}}\n"
        "budget: {iterations: 20}\n");
    ntr_plan *plan = ts_plan_of(s.config);
    ck_assert_int_eq(plan->cells[0].s.lmo.gram, 1);
    ntr_plan_free(plan);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q");
    ck_assert_msg(r.code == 0, "%s", r.err);
    ts_result_free(&r);
    char *cfg = ts_path("%s/config.yaml", out), *text = ts_read_file(cfg, NULL);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(strstr(text, "gram: true"));
    free(cfg);
    free(text);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

int main(void)
{
    openblas_set_num_threads(1);
    Suite *s = suite_create("gram_ns");
    TCase *tc = tcase_create("gram_ns");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, gram_equals_standard);
    tcase_add_test(tc, gram_singular_values_follow_the_scalar_map);
    tcase_add_test(tc, gram_converges_to_the_exact_polar_factor);
    tcase_add_test(tc, restarts_keep_ill_conditioned_inputs_accurate);
    tcase_add_test(tc, below_aspect_two_is_standard);
    tcase_add_test(tc, zero_and_nan);
    tcase_add_test(tc, config_key);
    suite_add_tcase(s, tc);
    return ts_rerun_with_avx512_kernels(ts_run_suite(s));
}

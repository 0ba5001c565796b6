/* test_polar.c: the spectral sharp engines of src/linalg/polar.c and src/linalg/polar_ns.c:
 * the exact SVD polar factor, Newton-Schulz against it and against the
 * scalar iteration it applies to every singular value, the presets, float32,
 * rank-deficient and zero input, in-place use and bad options. */
#include <check.h>
#include <float.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "linalg/polar.h"
#include "support.h"

/* Random-matrix shapes of the Newton-Schulz checks: square, tall, wide. */
static const size_t ns_shapes[][2] = {{32, 32}, {64, 16}, {16, 64}};
#define NNS (sizeof ns_shapes / sizeof ns_shapes[0])

static gsl_rng *rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    return r;
}

static double *gaussian(gsl_rng *r, size_t rows, size_t cols)
{
    double *m = malloc(rows * cols * sizeof *m);
    ntr_fill_gaussian(r, m, rows * cols, 1.0);
    return m;
}

static ntr_lmo_opts preset(const char *name, int steps, int precision)
{
    ntr_lmo_opts o = {0};
    o.precision = precision;
    ck_assert_msg(ntr_lmo_preset(&o, name, steps) == 0, "preset %s", name);
    return o;
}

static ntr_polar *polar(size_t rows, size_t cols, const ntr_lmo_opts *o)
{
    ntr_polar *p = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_polar_alloc(rows, cols, o, &p, &err) == 0, "polar alloc: %s", err.msg);
    return p;
}

/* out = exact polar factor of g. */
static void exact(const double *g, double *out, size_t rows, size_t cols)
{
    ntr_polar *p = polar(rows, cols, NULL);
    ck_assert(ntr_polar_sharp(p, g, out, NULL) == 0);
    ntr_polar_free(p);
}

static double *svals(const double *a, size_t rows, size_t cols)
{
    size_t k = rows < cols ? rows : cols;
    double *s = malloc(k * sizeof *s);
    ntr_error err = {0};
    ck_assert(ntr_singular_values(a, rows, cols, s, &err) == 0);
    return s;
}

static double max_diff(const double *a, const double *b, size_t n)
{
    double d = 0.0;
    for (size_t i = 0; i < n; i++)
        d = fmax(d, fabs(a[i] - b[i]));
    return d;
}

/* A random rows x cols matrix with singular values spread log-uniformly in
 * [1/cond, 1]: Q1 diag(s) Q2 with Q1, Q2 exact polar factors of Gaussians. */
static double *conditioned(gsl_rng *r, size_t rows, size_t cols, double cond)
{
    size_t k = rows < cols ? rows : cols;
    double *g1 = gaussian(r, rows, k), *g2 = gaussian(r, k, cols);
    double *q1 = malloc(rows * k * sizeof *q1), *q2 = malloc(k * cols * sizeof *q2);
    exact(g1, q1, rows, k);
    exact(g2, q2, k, cols);
    double *m = calloc(rows * cols, sizeof *m);
    for (size_t l = 0; l < k; l++) {
        double s = pow(cond, -(double)l / (double)(k > 1 ? k - 1 : 1));
        for (size_t i = 0; i < rows; i++)
            for (size_t j = 0; j < cols; j++)
                m[i * cols + j] += q1[i * k + l] * s * q2[l * cols + j];
    }
    free(g1);
    free(g2);
    free(q1);
    free(q2);
    return m;
}

/* The svd engine and the convergent cubic (many steps, both parities of the
 * step count, so both ping-pong starts) agree on well-conditioned input. */
START_TEST(test_svd_vs_cubic)
{
    static const size_t shapes[][2] = {{12, 8}, {8, 12}, {10, 10}, {9, 1}, {1, 9}};
    gsl_rng *r = rng(11);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1], n = rows * cols;
        double *m = gaussian(r, rows, cols);
        /* The identity pattern plus a small perturbation. */
        ntr_scal(0.1 / sqrt((double)(rows > cols ? rows : cols)), m, n);
        for (size_t i = 0; i < rows && i < cols; i++)
            m[i * cols + i] += 1.0;
        double *ex = malloc(n * sizeof *ex), *ns = malloc(n * sizeof *ns);
        exact(m, ex, rows, cols);
        for (int steps = 60; steps <= 61; steps++) {
            ntr_lmo_opts o = preset("cubic", steps, NTR_PREC_FLOAT64);
            ntr_polar *p = polar(rows, cols, &o);
            ck_assert(ntr_polar_sharp(p, m, ns, NULL) == 0);
            double d = max_diff(ex, ns, n);
            ck_assert_msg(d <= 1e-8, "%zux%zu, %d steps: |svd - cubic| = %g", rows, cols, steps,
                          d);
            ntr_polar_free(p);
        }
        if (rows == 1 || cols == 1) { /* the polar factor of a vector is its direction */
            double nrm = ntr_nrm2(m, n);
            for (size_t i = 0; i < n; i++)
                ck_assert_double_eq_tol(ex[i], m[i] / nrm, 1e-15);
        }
        free(m);
        free(ex);
        free(ns);
    }
    gsl_rng_free(r);
}
END_TEST

/* The exact polar factor of a full-rank matrix has every singular value 1,
 * and <M, polar(M)> is the nuclear norm. */
START_TEST(test_svd_orthogonal)
{
    gsl_rng *r = rng(12);
    for (size_t s = 0; s < NNS; s++) {
        size_t rows = ns_shapes[s][0], cols = ns_shapes[s][1], n = rows * cols;
        size_t k = rows < cols ? rows : cols;
        double *m = gaussian(r, rows, cols), *q = malloc(n * sizeof *q);
        exact(m, q, rows, cols);
        double *sq = svals(q, rows, cols), *sm = svals(m, rows, cols);
        double nuc = 0.0;
        for (size_t i = 0; i < k; i++) {
            ck_assert_double_eq_tol(sq[i], 1.0, 1e-12);
            nuc += sm[i];
        }
        ck_assert_double_eq_tol(ntr_dot(m, q, n), nuc, 1e-12 * nuc);
        free(m);
        free(q);
        free(sq);
        free(sm);
    }
    gsl_rng_free(r);
}
END_TEST

/* Rank deficiency: the sharp has singular values exactly 1 on the range and
 * 0 elsewhere (the cut-off drops the round-off singular values). */
START_TEST(test_svd_rank_deficient)
{
    static const size_t shapes[][2] = {{20, 12}, {12, 20}, {15, 15}};
    gsl_rng *r = rng(13);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1], n = rows * cols, rank = 3;
        size_t k = rows < cols ? rows : cols;
        double *a = gaussian(r, rows, rank), *b = gaussian(r, rank, cols);
        double *m = calloc(n, sizeof *m), *q = malloc(n * sizeof *q);
        for (size_t i = 0; i < rows; i++)
            for (size_t l = 0; l < rank; l++)
                for (size_t j = 0; j < cols; j++)
                    m[i * cols + j] += a[i * rank + l] * b[l * cols + j];
        exact(m, q, rows, cols);
        double *sq = svals(q, rows, cols), *sm = svals(m, rows, cols);
        for (size_t i = 0; i < k; i++) {
            double want = i < rank ? 1.0 : 0.0;
            ck_assert_msg(fabs(sq[i] - want) <= 1e-12, "%zux%zu: sigma_%zu = %.17g", rows, cols,
                          i, sq[i]);
        }
        double nuc = sm[0] + sm[1] + sm[2];
        ck_assert_double_eq_tol(ntr_dot(m, q, n), nuc, 1e-12 * nuc);
        free(a);
        free(b);
        free(m);
        free(q);
        free(sq);
        free(sm);
    }
    gsl_rng_free(r);
}
END_TEST

/* Run a preset's scalar iteration x <- a x + b x^3 + c x^5 on one value. */
static double scalar_map(const ntr_lmo_opts *o, double x)
{
    for (int t = 0; t < o->steps; t++) {
        double x2 = x * x;
        x = o->coef[t][0] * x + o->coef[t][1] * x * x2 + o->coef[t][2] * x * x2 * x2;
    }
    return x;
}

static int descending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* Newton-Schulz applies an odd matrix polynomial: the output's singular
 * values are |p(sigma_i / ((input_scale + 1e-7) ||M||_F))| for the input's
 * sigma_i.  Checked on plain Gaussian matrices (ill-conditioned squares
 * included) for every preset, in both orientations. */
START_TEST(test_ns_matches_scalar_map)
{
    static const char *const presets[] = {"jordan", "polar_express", "cubic"};
    gsl_rng *r = rng(14);
    for (size_t pr = 0; pr < 3; pr++) {
        ntr_lmo_opts o = preset(presets[pr], pr == 2 ? 9 : 0, NTR_PREC_FLOAT64);
        for (size_t s = 0; s < NNS; s++) {
            size_t rows = ns_shapes[s][0], cols = ns_shapes[s][1], n = rows * cols;
            size_t k = rows < cols ? rows : cols;
            double *m = gaussian(r, rows, cols), *x = malloc(n * sizeof *x);
            ntr_ns *w = NULL;
            ntr_error err = {0};
            ck_assert(ntr_ns_alloc(rows, cols, &o, &w, &err) == 0);
            ntr_ns_apply(w, m, x);
            double *sm = svals(m, rows, cols), *sx = svals(x, rows, cols);
            double scale = (o.input_scale + 1e-7) * ntr_nrm2(m, n);
            for (size_t i = 0; i < k; i++)
                sm[i] = fabs(scalar_map(&o, sm[i] / scale));
            qsort(sm, k, sizeof *sm, descending);
            for (size_t i = 0; i < k; i++)
                ck_assert_msg(fabs(sx[i] - sm[i]) <= 1e-10, "%s %zux%zu: sigma_%zu %.15g vs %.15g",
                              presets[pr], rows, cols, i, sx[i], sm[i]);
            ntr_ns_free(w);
            free(m);
            free(x);
            free(sm);
            free(sx);
        }
    }
    gsl_rng_free(r);
}
END_TEST

/* Singular values of the output of preset `name` on rows x cols input m. */
static double *ns_svals(const char *name, int precision, const double *m, size_t rows,
                        size_t cols)
{
    ntr_lmo_opts o = preset(name, 0, precision);
    ntr_polar *p = polar(rows, cols, &o);
    double *x = malloc(rows * cols * sizeof *x);
    ck_assert(ntr_polar_sharp(p, m, x, NULL) == 0);
    double *s = svals(x, rows, cols);
    free(x);
    ntr_polar_free(p);
    return s;
}

/* Jordan's quintic lands the singular values in [0.5, 1.5] (THEORY.md 4),
 * and polar express closer to 1, on Gaussian tall/wide matrices and on
 * random squares of condition 100.  (A plain Gaussian square can be
 * arbitrarily ill-conditioned; its tiny singular values are not lifted in
 * five steps, which test_ns_matches_scalar_map checks exactly; its largest
 * ones still stay below 1.5.) */
START_TEST(test_ns_singular_value_band)
{
    gsl_rng *r = rng(15);
    for (int seed = 0; seed < 3; seed++)
        for (size_t s = 0; s < NNS; s++) {
            size_t rows = ns_shapes[s][0], cols = ns_shapes[s][1];
            size_t k = rows < cols ? rows : cols;
            double *g = gaussian(r, rows, cols);
            double *m = rows == cols ? conditioned(r, rows, cols, 100.0) : gaussian(r, rows, cols);
            for (int prec = NTR_PREC_FLOAT64; prec <= NTR_PREC_FLOAT32; prec++) {
                double *sj = ns_svals("jordan", prec, m, rows, cols);
                double *sp = ns_svals("polar_express", prec, m, rows, cols);
                double *sg = ns_svals("jordan", prec, g, rows, cols);
                for (size_t i = 0; i < k; i++) {
                    ck_assert_msg(sj[i] >= 0.5 && sj[i] <= 1.5, "jordan %zux%zu: sigma %.6f",
                                  rows, cols, sj[i]);
                    ck_assert_msg(fabs(sp[i] - 1.0) <= 0.16, "polar express %zux%zu: sigma %.6f",
                                  rows, cols, sp[i]);
                    ck_assert(sg[i] <= 1.5);
                }
                free(sj);
                free(sp);
                free(sg);
            }
            free(g);
            free(m);
        }
    gsl_rng_free(r);
}
END_TEST

/* float32 runs the same iteration: close to float64, tall and wide. */
START_TEST(test_float32_close)
{
    static const char *const presets[] = {"jordan", "polar_express"};
    gsl_rng *r = rng(16);
    for (size_t pr = 0; pr < 2; pr++)
        for (size_t s = 0; s < NNS; s++) {
            size_t rows = ns_shapes[s][0], cols = ns_shapes[s][1], n = rows * cols;
            double *m = gaussian(r, rows, cols);
            double *x64 = malloc(n * sizeof *x64), *x32 = malloc(n * sizeof *x32);
            ntr_lmo_opts o64 = preset(presets[pr], 0, NTR_PREC_FLOAT64);
            ntr_lmo_opts o32 = preset(presets[pr], 0, NTR_PREC_FLOAT32);
            ntr_polar *p64 = polar(rows, cols, &o64), *p32 = polar(rows, cols, &o32);
            ck_assert(ntr_polar_sharp(p64, m, x64, NULL) == 0);
            ck_assert(ntr_polar_sharp(p32, m, x32, NULL) == 0);
            double d = max_diff(x64, x32, n);
            ck_assert_msg(d <= 1e-5 && d > 0.0, "%s %zux%zu: |f64 - f32| = %g", presets[pr], rows,
                          cols, d);
            ntr_polar_free(p64);
            ntr_polar_free(p32);
            free(m);
            free(x64);
            free(x32);
        }
    gsl_rng_free(r);
}
END_TEST

/* The normalisation guard is relative: a momentum of norm 1e-12 (or 1e-300,
 * where 1 / ||M|| overflows) gets the same step as the same direction at
 * norm 1, in every preset, precision and orientation, and with enough cubic
 * steps that step is the exact polar factor (unit singular values), as
 * with svd.  An absolute guard ||M||_F + 1e-7 gives a step of norm about
 * 1e-5 at ||M||_F = 1e-12 and fails this. */
START_TEST(test_ns_tiny_input)
{
    static const char *const presets[] = {"jordan", "polar_express", "cubic"};
    static const double tiny[] = {1e-12, 1e-300};
    gsl_rng *r = rng(19);
    for (size_t s = 0; s < NNS; s++) {
        size_t rows = ns_shapes[s][0], cols = ns_shapes[s][1], n = rows * cols;
        double *m = conditioned(r, rows, cols, 4.0), *small = malloc(n * sizeof *small);
        double *x1 = malloc(n * sizeof *x1), *x2 = malloc(n * sizeof *x2);
        double *ex = malloc(n * sizeof *ex);
        ntr_scal(1.0 / ntr_nrm2(m, n), m, n);
        exact(m, ex, rows, cols);
        for (size_t pr = 0; pr < 3; pr++)
            for (int prec = NTR_PREC_FLOAT64; prec <= NTR_PREC_FLOAT32; prec++) {
                if (pr == 2 && prec == NTR_PREC_FLOAT32)
                    continue;
                ntr_lmo_opts o = preset(presets[pr], pr == 2 ? 40 : 0, prec);
                ntr_polar *p = polar(rows, cols, &o);
                ck_assert(ntr_polar_sharp(p, m, x1, NULL) == 0);
                double tol = prec == NTR_PREC_FLOAT32 ? 1e-5 : 1e-12;
                for (size_t t = 0; t < 2; t++) {
                    for (size_t i = 0; i < n; i++)
                        small[i] = m[i] * tiny[t];
                    ck_assert(ntr_polar_sharp(p, small, x2, NULL) == 0);
                    double d = max_diff(x1, x2, n);
                    ck_assert_msg(d <= tol, "%s prec %d %zux%zu at norm %g: step differs by %g",
                                  presets[pr], prec, rows, cols, tiny[t], d);
                    double *sv = svals(x2, rows, cols);
                    ck_assert_msg(sv[0] >= 0.5 && sv[0] <= 1.5,
                                  "%s at norm %g: operator norm of the step %g", presets[pr],
                                  tiny[t], sv[0]);
                    free(sv);
                    if (pr == 2)
                        ck_assert_msg(max_diff(ex, x2, n) <= 1e-8,
                                      "cubic at norm %g: |step - polar factor| = %g", tiny[t],
                                      max_diff(ex, x2, n));
                }
                ntr_polar_free(p);
            }
        free(m);
        free(small);
        free(x1);
        free(x2);
        free(ex);
    }
    gsl_rng_free(r);
}
END_TEST

/* The step bound c (ntr_lmo_gain_bound): 1 for svd and for the convergent
 * cubic, about 1.2024 for Jordan's quintic and 1.1411 for polar express;
 * no Newton-Schulz output's operator norm exceeds it, and inputs with a
 * singular value where the polynomial peaks come within 1e-4 of it. */
START_TEST(test_gain_bound)
{
    ntr_lmo_opts svd = {.solver = NTR_LMO_SVD};
    ck_assert_double_eq(ntr_lmo_gain_bound(&svd), 1.0);
    ntr_lmo_opts cubic = preset("cubic", 25, NTR_PREC_FLOAT64);
    ck_assert(fabs(ntr_lmo_gain_bound(&cubic) - 1.0) < 1e-8);
    ntr_lmo_opts j = preset("jordan", 0, NTR_PREC_FLOAT64);
    ntr_lmo_opts pe = preset("polar_express", 0, NTR_PREC_FLOAT64);
    double cj = ntr_lmo_gain_bound(&j), cp = ntr_lmo_gain_bound(&pe);
    ck_assert_msg(fabs(cj - 1.2024) < 1e-3, "jordan: %g", cj);
    ck_assert_msg(fabs(cp - 1.1411) < 1e-3, "polar express: %g", cp);
    gsl_rng *r = rng(21);
    double seen = 0;
    for (int t = 0; t < 200; t++) {
        double *m = gaussian(r, 6, 4), *x = malloc(24 * sizeof *x);
        ntr_polar *p = polar(6, 4, &j);
        ck_assert(ntr_polar_sharp(p, m, x, NULL) == 0);
        double *sv = svals(x, 6, 4);
        ck_assert_msg(sv[0] <= cj, "operator norm %.12g above the bound %.12g", sv[0], cj);
        seen = fmax(seen, sv[0]);
        free(sv);
        free(m);
        free(x);
        ntr_polar_free(p);
    }
    ck_assert_msg(seen > 1.1, "largest step seen %g", seen);
    /* an input with a singular value of X0 at the polynomial's peak (X0 has
     * unit Frobenius norm: the other one is sqrt(1 - peak^2)) */
    double best = 0, at = 0;
    for (int i = 1; i <= 20000; i++) {
        double v = fabs(scalar_map(&j, i / 20000.0));
        if (v > best)
            best = v, at = i / 20000.0;
    }
    double m[6] = {at, 0, 0, 0, sqrt(1.0 - at * at), 0}, x[6];
    ntr_polar *p = polar(2, 3, &j);
    ck_assert(ntr_polar_sharp(p, m, x, NULL) == 0);
    ck_assert_msg(fabs(fabs(x[0]) - cj) < 1e-4 * cj, "peak step %.12g vs bound %.12g", x[0], cj);
    ntr_polar_free(p);
    gsl_rng_free(r);
}
END_TEST

/* Zero in, zero out: every engine, precision and orientation. */
START_TEST(test_zero)
{
    static const size_t shapes[][2] = {{6, 4}, {4, 6}, {5, 5}, {7, 1}};
    for (size_t s = 0; s < 4; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1], n = rows * cols;
        double *z = calloc(n, sizeof *z), *x = malloc(n * sizeof *x);
        ntr_lmo_opts opts[3] = {preset("jordan", 0, NTR_PREC_FLOAT64),
                                preset("polar_express", 0, NTR_PREC_FLOAT32),
                                {.solver = NTR_LMO_SVD}};
        for (int e = 0; e < 3; e++) {
            ntr_polar *p = polar(rows, cols, &opts[e]);
            for (size_t i = 0; i < n; i++)
                x[i] = 1.0;
            ck_assert(ntr_polar_sharp(p, z, x, NULL) == 0);
            for (size_t i = 0; i < n; i++)
                ck_assert_msg(x[i] == 0.0, "engine %d %zux%zu: %g", e, rows, cols, x[i]);
            ck_assert(ntr_polar_op_norm(p, z) == 0.0);
            ck_assert(ntr_polar_nuclear_norm(p, z) == 0.0);
            ntr_polar_free(p);
        }
        free(z);
        free(x);
    }
}
END_TEST

/* out may be the input array itself (odd and even step counts, svd). */
START_TEST(test_in_place)
{
    gsl_rng *r = rng(17);
    ntr_lmo_opts opts[4] = {preset("cubic", 7, NTR_PREC_FLOAT64),
                            preset("cubic", 8, NTR_PREC_FLOAT64),
                            preset("jordan", 0, NTR_PREC_FLOAT32),
                            {.solver = NTR_LMO_SVD}};
    for (int e = 0; e < 4; e++)
        for (size_t s = 0; s < NNS; s++) {
            size_t rows = ns_shapes[s][0], cols = ns_shapes[s][1], n = rows * cols;
            double *m = gaussian(r, rows, cols), *x = malloc(n * sizeof *x);
            ntr_polar *p = polar(rows, cols, &opts[e]);
            ck_assert(ntr_polar_sharp(p, m, x, NULL) == 0);
            ck_assert(ntr_polar_sharp(p, m, m, NULL) == 0);
            ck_assert_msg(max_diff(m, x, n) <= 1e-13, "engine %d %zux%zu", e, rows, cols);
            ntr_polar_free(p);
            free(m);
            free(x);
        }
    gsl_rng_free(r);
}
END_TEST

/* The workspace's singular values, operator and nuclear norms agree with the
 * allocating helpers; a NaN makes them NaN and the sharp NaN. */
START_TEST(test_spectral_quantities)
{
    gsl_rng *r = rng(18);
    for (size_t s = 0; s < NNS; s++) {
        size_t rows = ns_shapes[s][0], cols = ns_shapes[s][1], n = rows * cols;
        size_t k = rows < cols ? rows : cols;
        double *m = gaussian(r, rows, cols), *sw = malloc(k * sizeof *sw);
        double *sref = svals(m, rows, cols), *x = malloc(n * sizeof *x);
        ntr_polar *p = polar(rows, cols, NULL);
        ck_assert(ntr_polar_singular_values(p, m, sw) == 0);
        double nuc = 0.0;
        for (size_t i = 0; i < k; i++) {
            ck_assert_double_eq_tol(sw[i], sref[i], 1e-13 * sref[0]);
            nuc += sref[i];
        }
        double op = 0.0;
        ntr_error err = {0};
        ck_assert(ntr_op_norm(m, rows, cols, &op, &err) == 0);
        ck_assert_double_eq_tol(ntr_polar_op_norm(p, m), op, 1e-13 * op);
        ck_assert_double_eq_tol(ntr_polar_nuclear_norm(p, m), nuc, 1e-12 * nuc);
        m[3] = NAN;
        ck_assert(ntr_polar_singular_values(p, m, sw) == -1);
        ck_assert(isnan(sw[0]));
        ck_assert(isnan(ntr_polar_op_norm(p, m)));
        ck_assert(isnan(ntr_polar_nuclear_norm(p, m)));
        ck_assert(ntr_polar_sharp(p, m, x, &err) == NTR_SHARP_NONFINITE);
        ck_assert(strstr(err.msg, "NaN or an infinity") != NULL);
        ck_assert(isnan(x[0]) && isnan(x[n - 1]));
        ntr_polar_free(p);
        free(m);
        free(sw);
        free(sref);
        free(x);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(test_presets)
{
    ntr_lmo_opts o = {0};
    ck_assert(ntr_lmo_preset(&o, "jordan", 0) == 0);
    ck_assert_int_eq(o.solver, NTR_LMO_NEWTON_SCHULZ);
    ck_assert_int_eq(o.steps, 5);
    ck_assert(o.input_scale == 1.0);
    for (int t = 0; t < 5; t++)
        ck_assert(o.coef[t][0] == 3.4445 && o.coef[t][1] == -4.7750 && o.coef[t][2] == 2.0315);

    ck_assert(ntr_lmo_preset(&o, "cubic", 12) == 0);
    ck_assert_int_eq(o.steps, 12);
    ck_assert(o.coef[11][0] == 1.5 && o.coef[11][1] == -0.5 && o.coef[11][2] == 0.0);

    ck_assert(ntr_lmo_preset(&o, "polar_express", 0) == 0);
    ck_assert_int_eq(o.steps, 5);
    ck_assert(o.input_scale == 1.02);
    /* The five triples of THEORY.md section 4, digit for digit. */
    static const double pe[5][3] = {
        {8.156554524902461, -22.48329292557795, 15.878769915207462},
        {4.042929935166739, -2.808917465908714, 0.5000178451051316},
        {3.8916678022926607, -2.772484153217685, 0.5060648178503393},
        {3.285753657755655, -2.3681294933425376, 0.46449024233003106},
        {2.3465413258596377, -1.7097828382687081, 0.42323551169305323},
    };
    for (int t = 0; t < 5; t++)
        for (int j = 0; j < 3; j++)
            ck_assert(o.coef[t][j] == pe[t][j]);
    ck_assert(ntr_lmo_preset(&o, "polar_express", 7) == 0); /* repeats the last triple */
    ck_assert(o.coef[6][0] == 2.3465413258596377 && o.coef[3][1] == -2.3681294933425376);

    /* Failures leave the options as they were. */
    ntr_lmo_opts before = o;
    ck_assert(ntr_lmo_preset(&o, "quintic", 5) == -1);
    ck_assert(ntr_lmo_preset(&o, "cubic", 0) == -1);
    ck_assert(ntr_lmo_preset(&o, "jordan", NTR_LMO_MAX_STEPS + 1) == -1);
    ck_assert(memcmp(&o, &before, sizeof o) == 0);

    int named = 0;
    for (int i = 0; ntr_lmo_preset_names[i]; i++, named++)
        ck_assert(ntr_lmo_preset(&o, ntr_lmo_preset_names[i], 3) == 0);
    ck_assert_int_eq(named, 3);
}
END_TEST

START_TEST(test_bad_options)
{
    ntr_lmo_opts good = preset("jordan", 0, NTR_PREC_FLOAT64), o;
    ntr_error err = {0};
    ntr_polar *p = NULL;
    ck_assert(ntr_lmo_opts_check(&good, &err) == 0);
    o = good;
    o.steps = 0;
    ck_assert(ntr_lmo_opts_check(&o, &err) == -1);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    o = good;
    o.coef[2][1] = NAN;
    ck_assert(ntr_lmo_opts_check(&o, &err) == -1);
    o = good;
    o.input_scale = 0.0;
    ck_assert(ntr_lmo_opts_check(&o, &err) == -1);
    o = good;
    o.precision = 7;
    ck_assert(ntr_polar_alloc(4, 4, &o, &p, &err) == -1);
    ck_assert_ptr_null(p);
    o = good;
    o.solver = 9;
    ck_assert(ntr_polar_alloc(4, 4, &o, &p, &err) == -1);
    ck_assert(ntr_polar_alloc(0, 4, NULL, &p, &err) == -1);
    ck_assert_ptr_null(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("polar");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_svd_vs_cubic);
    tcase_add_test(tc, test_svd_orthogonal);
    tcase_add_test(tc, test_svd_rank_deficient);
    tcase_add_test(tc, test_ns_matches_scalar_map);
    tcase_add_test(tc, test_ns_singular_value_band);
    tcase_add_test(tc, test_float32_close);
    tcase_add_test(tc, test_ns_tiny_input);
    tcase_add_test(tc, test_gain_bound);
    tcase_add_test(tc, test_zero);
    tcase_add_test(tc, test_in_place);
    tcase_add_test(tc, test_spectral_quantities);
    tcase_add_test(tc, test_presets);
    tcase_add_test(tc, test_bad_options);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

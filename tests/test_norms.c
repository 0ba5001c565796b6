/* test_norms.c: every registered norm (src/norms/) against the defining
 * properties of a norm, its dual and its sharp, on random matrices of many
 * shapes and on zero; each known norm against a direct reference
 * computation; and the multi-block max rule. */
#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "norms/norm.h"
#include "support.h"

/* Shapes: square, wide, tall, row and column vectors, a scalar. */
static const size_t shapes[][2] = {{5, 7}, {7, 5}, {16, 16}, {1, 9}, {9, 1}, {1, 1}, {32, 8}};
#define NSHAPES (sizeof shapes / sizeof shapes[0])
#define NSAMPLES 6

static int ntypes(void)
{
    int n = 0;
    while (ntr_norm_types[n])
        n++;
    return n;
}

static gsl_rng *rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    return r;
}

static ntr_norm *one_block(const ntr_norm_type *t, size_t rows, size_t cols)
{
    ntr_layout lay = ntr_layout_single(rows, cols);
    ntr_norm *n = NULL;
    ntr_error err = {0};
    int rc = ntr_norm_alloc(t, NULL, &lay, &n, &err);
    ck_assert_msg(rc == 0, "%s: alloc %zux%zu failed: %s", t->name, rows, cols, err.msg);
    return n;
}

/* ---- direct reference computations, by norm name ---- */

static double ref_col_or_row(const double *x, size_t rows, size_t cols, int by_col, int sum)
{
    size_t outer = by_col ? cols : rows, inner = by_col ? rows : cols;
    double acc = 0.0;
    for (size_t a = 0; a < outer; a++) {
        double s = 0.0;
        for (size_t b = 0; b < inner; b++) {
            double v = by_col ? x[b * cols + a] : x[a * cols + b];
            s += v * v;
        }
        acc = sum ? acc + sqrt(s) : fmax(acc, sqrt(s));
    }
    return acc;
}

/* which = 0: the norm, 1: the dual norm.  Returns -1 for an unknown name. */
static double reference(const char *name, int which, const double *x, size_t rows, size_t cols)
{
    size_t n = rows * cols, k = rows < cols ? rows : cols;
    double l1 = 0.0, lmax = 0.0, l2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        l1 += fabs(x[i]);
        lmax = fmax(lmax, fabs(x[i]));
        l2 += x[i] * x[i];
    }
    if (strcmp(name, "euclidean") == 0)
        return sqrt(l2);
    if (strcmp(name, "linf") == 0)
        return which ? l1 : lmax;
    if (strcmp(name, "l1") == 0)
        return which ? lmax : l1;
    if (strcmp(name, "colnorm") == 0)
        return ref_col_or_row(x, rows, cols, 1, which);
    if (strcmp(name, "rownorm") == 0)
        return ref_col_or_row(x, rows, cols, 0, which);
    if (strcmp(name, "spectral") == 0) {
        double *s = malloc(k * sizeof *s);
        ntr_error err = {0};
        ck_assert(ntr_singular_values(x, rows, cols, s, &err) == 0);
        double v = s[0];
        if (which) {
            v = 0.0;
            for (size_t i = 0; i < k; i++)
                v += s[i];
        }
        free(s);
        return v;
    }
    return -1.0;
}

START_TEST(test_registry)
{
    static const char *const known[] = {"euclidean", "linf", "l1", "spectral", "colnorm",
                                        "rownorm"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        const ntr_norm_type *t = ntr_norm_lookup(known[i]);
        ck_assert_msg(t != NULL, "norm %s not registered", known[i]);
        ck_assert_str_eq(t->name, known[i]);
    }
    ck_assert_ptr_null(ntr_norm_lookup("frobenius2"));
    ck_assert_ptr_null(ntr_norm_lookup(""));
    int n = ntypes();
    for (int i = 0; i < n; i++) {
        const ntr_norm_type *t = ntr_norm_types[i];
        ck_assert(t->name && t->dual_name && t->summary);
        ck_assert(t->value && t->dual && t->sharp && t->rho && t->l2_bound);
        ck_assert_ptr_eq(ntr_norm_lookup(t->name), t);
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(ntr_norm_types[j]->name, t->name);
    }
}
END_TEST

/* <g, g#> = ||g||_*, ||g#|| = 1, the dual-norm inequality, rho, the l2 link
 * and the reference values, for norm _i on every shape. */
START_TEST(test_norm_properties)
{
    const ntr_norm_type *t = ntr_norm_types[_i];
    gsl_rng *r = rng(1000 + (unsigned long)_i);
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1], d = rows * cols;
        ntr_norm *nm = one_block(t, rows, cols);
        double *g = malloc(d * sizeof *g), *gs = malloc(d * sizeof *gs);
        double *u = malloc(d * sizeof *u), *tmp = malloc(d * sizeof *tmp);
        double rho = t->rho(rows, cols), c = t->l2_bound(rows, cols);
        ck_assert_double_eq_tol(ntr_norm_rho(nm), rho, 1e-15 * rho);
        ck_assert_double_eq_tol(ntr_norm_l2_bound(nm), c, 1e-15 * c);
        for (int k = 0; k < NSAMPLES; k++) {
            /* Vary the scale and, half the time, plant a few large entries. */
            ntr_fill_gaussian(r, g, d, pow(10.0, (double)(k % 3) - 1.0));
            if (k % 2)
                g[gsl_rng_uniform_int(r, d)] *= 25.0;
            double dual = ntr_norm_dual(nm, g), val = ntr_norm_value(nm, g);
            double l2 = ntr_nrm2(g, d);
            ck_assert_int_eq(ntr_norm_sharp(nm, g, gs, NULL), 0);
            double inner = ntr_dot(g, gs, d);
            ck_assert_msg(fabs(inner - dual) <= 1e-12 * dual, "%s %zux%zu: <g,g#>=%.17g dual=%.17g",
                          t->name, rows, cols, inner, dual);
            double sv = ntr_norm_value(nm, gs);
            ck_assert_msg(fabs(sv - 1.0) <= 1e-12, "%s %zux%zu: ||g#|| = %.17g", t->name, rows,
                          cols, sv);
            /* A3 and the l2 link. */
            ck_assert_msg(dual <= rho * l2 * (1 + 1e-12), "%s: rho violated", t->name);
            ck_assert_msg(l2 <= c * val * (1 + 1e-12), "%s: l2 bound violated", t->name);
            /* Reference values from the definitions. */
            double rv = reference(t->name, 0, g, rows, cols);
            double rd = reference(t->name, 1, g, rows, cols);
            if (rv >= 0.0) {
                ck_assert_msg(fabs(val - rv) <= 1e-12 * rv, "%s: value %.17g, expected %.17g",
                              t->name, val, rv);
                ck_assert_msg(fabs(dual - rd) <= 1e-12 * rd, "%s: dual %.17g, expected %.17g",
                              t->name, dual, rd);
            }
            /* Dual-norm inequality for random unit u and for unit points
             * near the sharp (where a wrong maximiser would show). */
            for (int j = 0; j < 8; j++) {
                ntr_fill_gaussian(r, u, d, 1.0);
                if (j % 2) {
                    ntr_scal(1e-3, u, d);
                    ntr_axpy(1.0, gs, u, d);
                }
                double un = ntr_norm_value(nm, u);
                ntr_scal(1.0 / un, u, d);
                ck_assert_msg(ntr_dot(g, u, d) <= dual * (1 + 1e-12), "%s: <g,u> > ||g||_*",
                              t->name);
            }
            /* Homogeneity and the triangle inequality of the norm value. */
            ntr_copy(g, tmp, d);
            ntr_scal(-3.0, tmp, d);
            ck_assert_double_eq_tol(ntr_norm_value(nm, tmp), 3.0 * val, 1e-12 * val);
            ntr_fill_gaussian(r, u, d, 1.0);
            double uv = ntr_norm_value(nm, u);
            ntr_copy(g, tmp, d);
            ntr_axpy(1.0, u, tmp, d);
            ck_assert(ntr_norm_value(nm, tmp) <= (val + uv) * (1 + 1e-12));
            /* The sharp may be computed in place. */
            ntr_copy(g, tmp, d);
            ck_assert_int_eq(ntr_norm_sharp(nm, tmp, tmp, NULL), 0);
            for (size_t i = 0; i < d; i++)
                ck_assert_double_eq_tol(tmp[i], gs[i], 1e-13);
        }
        free(g);
        free(gs);
        free(u);
        free(tmp);
        ntr_norm_free(nm);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(test_zero_input)
{
    const ntr_norm_type *t = ntr_norm_types[_i];
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t rows = shapes[s][0], cols = shapes[s][1], d = rows * cols;
        ntr_norm *nm = one_block(t, rows, cols);
        double *g = calloc(d, sizeof *g), *gs = malloc(d * sizeof *gs);
        for (size_t i = 0; i < d; i++)
            gs[i] = 7.0;
        ck_assert(ntr_norm_value(nm, g) == 0.0);
        ck_assert(ntr_norm_dual(nm, g) == 0.0);
        ck_assert_int_eq(ntr_norm_sharp(nm, g, gs, NULL), 0);
        for (size_t i = 0; i < d; i++)
            ck_assert_msg(gs[i] == 0.0, "%s %zux%zu: sharp(0)[%zu] = %g", t->name, rows, cols, i,
                          gs[i]);
        free(g);
        free(gs);
        ntr_norm_free(nm);
    }
}
END_TEST

/* Known sharps: sign(g) with sign(0) = 0, the first largest entry for l1,
 * unit columns/rows with zero ones left zero. */
START_TEST(test_known_sharps)
{
    const double g[2][3] = {{0.0, -2.0, 1.0}, {2.0, 0.5, 0.0}};
    double out[6];
    ntr_norm *n;

    n = one_block(ntr_norm_lookup("linf"), 2, 3);
    ck_assert_int_eq(ntr_norm_sharp(n, &g[0][0], out, NULL), 0);
    const double sign[6] = {0, -1, 1, 1, 1, 0};
    for (int i = 0; i < 6; i++)
        ck_assert(out[i] == sign[i]);
    ntr_norm_free(n);

    n = one_block(ntr_norm_lookup("l1"), 2, 3);
    ck_assert_int_eq(ntr_norm_sharp(n, &g[0][0], out, NULL), 0); /* tie |-2| = |2|: the first, row-major */
    const double hot[6] = {0, -1, 0, 0, 0, 0};
    for (int i = 0; i < 6; i++)
        ck_assert(out[i] == hot[i]);
    ntr_norm_free(n);

    const double h[2][3] = {{3.0, 0.0, 1.0}, {4.0, 0.0, 0.0}};
    n = one_block(ntr_norm_lookup("colnorm"), 2, 3);
    ck_assert_int_eq(ntr_norm_sharp(n, &h[0][0], out, NULL), 0);
    const double cols[6] = {0.6, 0, 1, 0.8, 0, 0};
    for (int i = 0; i < 6; i++)
        ck_assert_double_eq_tol(out[i], cols[i], 1e-15);
    ntr_norm_free(n);

    n = one_block(ntr_norm_lookup("rownorm"), 3, 2); /* the transpose of h */
    const double ht[6] = {3, 4, 0, 0, 1, 0};
    ck_assert_int_eq(ntr_norm_sharp(n, ht, out, NULL), 0);
    const double rows[6] = {0.6, 0.8, 0, 0, 1, 0};
    for (int i = 0; i < 6; i++)
        ck_assert_double_eq_tol(out[i], rows[i], 1e-15);
    ntr_norm_free(n);

    /* Tiny and huge columns keep their direction (no under/overflow). */
    const double tiny[2][2] = {{3e-170, 3e170}, {4e-170, 4e170}};
    n = one_block(ntr_norm_lookup("colnorm"), 2, 2);
    ck_assert_int_eq(ntr_norm_sharp(n, &tiny[0][0], out, NULL), 0);
    const double unit[4] = {0.6, 0.6, 0.8, 0.8};
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq_tol(out[i], unit[i], 1e-15);
    ck_assert_double_eq_tol(ntr_norm_value(n, &tiny[0][0]), 5e170, 1e155);
    ntr_norm_free(n);
}
END_TEST

/* A NaN in the input shows in the value and the dual (a diverged run);
 * the sharp fails with NTR_SHARP_NONFINITE and a reason, its output all NaN,
 * and so it does for an infinity (in place too).  A finite input fails
 * nothing. */
START_TEST(test_nan_visible)
{
    const ntr_norm_type *t = ntr_norm_types[_i];
    double g[12], out[12];
    for (int i = 0; i < 12; i++)
        g[i] = 0.25 * (i - 5);
    ntr_norm *n = one_block(t, 3, 4);
    ntr_error err = {0};
    ck_assert_int_eq(ntr_norm_sharp(n, g, out, &err), 0);
    g[7] = NAN;
    ck_assert_msg(isnan(ntr_norm_value(n, g)), "%s: value hides NaN", t->name);
    ck_assert_msg(isnan(ntr_norm_dual(n, g)), "%s: dual hides NaN", t->name);
    for (int bad = 0; bad < 2; bad++) {
        g[7] = bad ? -INFINITY : NAN;
        for (int in_place = 0; in_place < 2; in_place++) {
            double *o = out;
            if (in_place) {
                memcpy(out, g, sizeof g);
                o = out;
            }
            int rc = ntr_norm_sharp(n, in_place ? out : g, o, &err);
            ck_assert_msg(rc == NTR_SHARP_NONFINITE, "%s (%s, in place %d): status %d", t->name,
                          bad ? "inf" : "NaN", in_place, rc);
            ck_assert_msg(strstr(err.msg, "NaN or an infinity") && strstr(err.msg, t->name),
                          "%s: reason '%s'", t->name, err.msg);
            for (int i = 0; i < 12; i++)
                ck_assert_msg(isnan(out[i]), "%s: sharp entry %d not NaN", t->name, i);
        }
    }
    ntr_norm_free(n);
}
END_TEST

/* Several blocks: value = max, dual = sum, sharp block-wise, constants by
 * squares; the repeated shape shares a workspace without mixing results. */
START_TEST(test_multi_block)
{
    const ntr_norm_type *t = ntr_norm_types[_i];
    ntr_layout lay = {0};
    const size_t bl[4][2] = {{5, 4}, {3, 6}, {5, 4}, {7, 1}};
    for (int b = 0; b < 4; b++)
        ck_assert(ntr_layout_add(&lay, bl[b][0], bl[b][1]) == 0);
    ntr_norm *all = NULL;
    ntr_error err = {0};
    ck_assert(ntr_norm_alloc(t, NULL, &lay, &all, &err) == 0);
    ck_assert_ptr_eq(ntr_norm_get_type(all), t);
    gsl_rng *r = rng(77 + (unsigned long)_i);
    double *g = malloc(lay.dim * sizeof *g), *gs = malloc(lay.dim * sizeof *gs);
    double *one = malloc(lay.dim * sizeof *one);
    for (int k = 0; k < 4; k++) {
        ntr_fill_gaussian(r, g, lay.dim, 1.0);
        /* Make a different block the largest each time. */
        ntr_scal(10.0, g + lay.off[k], lay.rows[k] * lay.cols[k]);
        double vmax = 0.0, dsum = 0.0, rho2 = 0.0, c2 = 0.0;
        int argmax = -1;
        for (int b = 0; b < lay.nblocks; b++) {
            ntr_norm *single = one_block(t, lay.rows[b], lay.cols[b]);
            const double *gb = g + lay.off[b];
            double v = ntr_norm_value(single, gb), dv = ntr_norm_dual(single, gb);
            ck_assert_double_eq_tol(ntr_norm_block_value(all, b, gb), v, 1e-14 * v);
            ck_assert_double_eq_tol(ntr_norm_block_dual(all, b, gb), dv, 1e-14 * dv);
            if (v > vmax) {
                vmax = v;
                argmax = b;
            }
            dsum += dv;
            ck_assert_int_eq(ntr_norm_sharp(single, gb, one + lay.off[b], NULL), 0);
            double rb = t->rho(lay.rows[b], lay.cols[b]), cb = t->l2_bound(lay.rows[b], lay.cols[b]);
            rho2 += rb * rb;
            c2 += cb * cb;
            ntr_norm_free(single);
        }
        ck_assert(argmax >= 0);
        ck_assert_double_eq_tol(ntr_norm_value(all, g), vmax, 1e-14 * vmax);
        ck_assert_double_eq_tol(ntr_norm_dual(all, g), dsum, 1e-12 * dsum);
        ck_assert_int_eq(ntr_norm_sharp(all, g, gs, NULL), 0);
        for (size_t i = 0; i < lay.dim; i++)
            ck_assert_double_eq_tol(gs[i], one[i], 1e-14);
        ck_assert_double_eq_tol(ntr_dot(g, gs, lay.dim), dsum, 1e-12 * dsum);
        ck_assert_double_eq_tol(ntr_norm_value(all, gs), 1.0, 1e-12);
        ck_assert_double_eq_tol(ntr_norm_rho(all), sqrt(rho2), 1e-14 * sqrt(rho2));
        ck_assert_double_eq_tol(ntr_norm_l2_bound(all), sqrt(c2), 1e-14 * sqrt(c2));
        /* The combined constants hold for the combined norm. */
        double l2 = ntr_nrm2(g, lay.dim);
        ck_assert(ntr_norm_dual(all, g) <= ntr_norm_rho(all) * l2 * (1 + 1e-12));
        ck_assert(l2 <= ntr_norm_l2_bound(all) * ntr_norm_value(all, g) * (1 + 1e-12));
    }
    free(g);
    free(gs);
    free(one);
    gsl_rng_free(r);
    ntr_norm_free(all);
}
END_TEST

/* The spectral norm with Newton-Schulz options takes them; bad ones fail. */
START_TEST(test_spectral_options)
{
    const ntr_norm_type *t = ntr_norm_lookup("spectral");
    ntr_layout lay = ntr_layout_single(6, 4);
    ntr_lmo_opts o = {0};
    ck_assert(ntr_lmo_preset(&o, "cubic", 60) == 0);
    ntr_norm *ns = NULL, *ex = NULL;
    ntr_error err = {0};
    ck_assert(ntr_norm_alloc(t, &o, &lay, &ns, &err) == 0);
    ck_assert(ntr_norm_alloc(t, NULL, &lay, &ex, &err) == 0);
    double g[24], a[24], b[24];
    for (int i = 0; i < 24; i++)
        g[i] = (i % 4 == i / 6 ? 2.0 : 0.0) + 0.05 * sin(1.0 + i);
    ck_assert_int_eq(ntr_norm_sharp(ns, g, a, NULL), 0);
    ck_assert_int_eq(ntr_norm_sharp(ex, g, b, NULL), 0);
    for (int i = 0; i < 24; i++)
        ck_assert_double_eq_tol(a[i], b[i], 1e-10);
    ntr_norm_free(ns);
    ntr_norm_free(ex);

    o.steps = 0;
    ck_assert(ntr_norm_alloc(t, &o, &lay, &ns, &err) == -1);
    ck_assert_ptr_null(ns);
    ck_assert(strlen(err.msg) > 0);
}
END_TEST

int main(void)
{
    int n = ntypes();
    Suite *s = suite_create("norms");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_registry);
    tcase_add_loop_test(tc, test_norm_properties, 0, n);
    tcase_add_loop_test(tc, test_zero_input, 0, n);
    tcase_add_test(tc, test_known_sharps);
    tcase_add_loop_test(tc, test_nan_visible, 0, n);
    tcase_add_loop_test(tc, test_multi_block, 0, n);
    tcase_add_test(tc, test_spectral_options);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

/* test_problems.c: properties every registered problem must have, checked
 * on a small instance of each: the gradient matches central differences,
 * grad() returns value(), sample_grad is unbiased within sampling error,
 * f(x_star) = f_star with a vanishing gradient, the declared Lipschitz
 * constants (Frobenius and per norm) and Hessian Lipschitz constants hold
 * on random pairs, and the flags agree with the instance.  A registered
 * problem without a small case below fails the test. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "norms/norm.h"
#include "problem_kv.h"
#include "support.h"

typedef struct small_case {
    const char *name;
    const char *pairs[16];
    int nblocks;           /* 0: shape unset */
    size_t rows[2], cols[2];
    double x_scale;        /* spread of the random test points */
    long eval_samples;     /* > 0: grad() averages this many fixed samples of an expectation */
} small_case;

static const small_case cases[] = {
    {"least_squares", {"samples", "12", "condition", "5", NULL}, 1, {4, 0}, {3, 0}, 1.0, 0},
    {"least_squares", {"samples", "3", "planted", "false", NULL}, 1, {5, 0}, {2, 0}, 1.0, 0},
    {"logistic", {"samples", "30", NULL}, 1, {3, 0}, {4, 0}, 1.0, 0},
    {"logistic", {"samples", "20", "teacher_scale", "0", NULL}, 1, {2, 0}, {3, 0}, 3.0, 0},
    {"cauchy_regression", {"samples", "40", NULL}, 1, {3, 0}, {2, 0}, 0.5, 0},
    {"cauchy_regression", {"samples", "30", "noise", "0.1", "outliers", "0.2", NULL}, 1, {2, 0}, {2, 0}, 2.0, 0},
    {"sine_quadratic", {NULL}, 1, {3, 0}, {2, 0}, 1.0, 0},
    {"sine_quadratic", {"a", "0.5", NULL}, 1, {2, 0}, {2, 0}, 2.0, 0},
    {"sine_quadratic", {"form", "measured", "samples", "10", NULL}, 1, {2, 0}, {2, 0}, 1.0, 0},
    {"sine_quadratic", {"form", "spectral", NULL}, 1, {3, 0}, {2, 0}, 1.0, 0},
    {"sine_quadratic", {"form", "spectral", "a", "1.7", NULL}, 1, {2, 0}, {4, 0}, 2.0, 0},
    {"chain_hard", {"T", "6", "p", "0.3", NULL}, 0, {0, 0}, {0, 0}, 1.0, 0},
    {"chain_hard", {"lambda", "0.5", "scale", "0.1", NULL}, 1, {2, 0}, {3, 0}, 1.0, 0},
    {"teacher_student", {"eval_samples", "2000", NULL}, 1, {2, 0}, {3, 0}, 1.0, 2000},
    {"teacher_student", {"beta", "0.3", "eval_samples", "1000", "teacher_scale", "4", NULL}, 1, {3, 0}, {2, 0}, 2.0, 1000},
    {"mlp", {"samples", "20", NULL}, 2, {3, 2}, {2, 3}, 0.5, 0},
    {"mlp", {"hidden", "3", "samples", "15", NULL}, 0, {0, 0}, {0, 0}, 0.5, 0},
    {"quadratic", {"curvature", "3", "center", "1", NULL}, 1, {4, 0}, {3, 0}, 1.0, 0},
    {"quadratic", {"curvature", "-0.5", NULL}, 2, {3, 2}, {2, 1}, 2.0, 0},
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

static ntr_problem make(const small_case *c)
{
    ntr_layout lay;
    memset(&lay, 0, sizeof lay);
    for (int i = 0; i < c->nblocks; i++)
        ntr_layout_add(&lay, c->rows[i], c->cols[i]);
    ntr_problem p;
    ntr_error err;
    int rc = test_create_layout(&p, c->name, c->pairs, c->nblocks ? &lay : NULL, 7, &err);
    ck_assert_msg(rc == 0, "%s: %s", c->name, err.msg);
    return p;
}

/* A random point: around x_star when known, else around 0. */
static void random_point(const ntr_problem *p, gsl_rng *r, double scale, double *x)
{
    ntr_fill_gaussian(r, x, p->layout.dim, scale);
    if (p->x_star)
        ntr_axpy(1.0, p->x_star, x, p->layout.dim);
}

static double dist2(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(s);
}

START_TEST(every_problem_has_a_case)
{
    for (int i = 0; ntr_problem_types[i]; i++) {
        int found = ntr_problem_types[i] == &ntr_problem_plugin; /* test_plugin.c loads real ones */
        for (int c = 0; c < NCASES; c++)
            found |= strcmp(cases[c].name, ntr_problem_types[i]->name) == 0;
        ck_assert_msg(found, "no small test case for problem %s", ntr_problem_types[i]->name);
        ck_assert_ptr_nonnull(ntr_problem_types[i]->summary);
        ck_assert_msg(ntr_problem_types[i]->api_version == NTR_API_VERSION,
                      "problem %s: .api_version = NTR_API_VERSION missing",
                      ntr_problem_types[i]->name);
        ck_assert_ptr_eq(ntr_problem_lookup(ntr_problem_types[i]->name), ntr_problem_types[i]);
    }
    ck_assert_ptr_null(ntr_problem_lookup("no_such_problem"));
}
END_TEST

START_TEST(gradient_matches_central_differences)
{
    const small_case *c = &cases[_i];
    ntr_problem p = make(c);
    size_t n = p.layout.dim;
    double *x = malloc(n * sizeof *x), *g = malloc(n * sizeof *g), *fd = malloc(n * sizeof *fd);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    for (int trial = 0; trial < 3; trial++) {
        random_point(&p, r, c->x_scale, x);
        double f = p.type->grad(&p, x, g);
        double f2 = p.type->value(&p, x);
        ck_assert_msg(fabs(f - f2) <= 1e-12 * fmax(1.0, fabs(f)), "%s: grad returns %.17g, value %.17g",
                      c->name, f, f2);
        for (size_t i = 0; i < n; i++) {
            double xi = x[i], h = 1e-5 * fmax(1.0, fabs(xi));
            x[i] = xi + h;
            double fp = p.type->value(&p, x);
            x[i] = xi - h;
            double fm = p.type->value(&p, x);
            x[i] = xi;
            fd[i] = (fp - fm) / (2 * h);
        }
        double e = dist2(fd, g, n), gn = ntr_nrm2(g, n);
        ck_assert_msg(e <= 1e-6 * fmax(gn, 1e-3), "%s: gradient error %g (|g| = %g)", c->name, e, gn);
    }
    gsl_rng_free(r);
    free(x);
    free(g);
    free(fd);
    ntr_problem_destroy(&p);
}
END_TEST

/* The mean of K stochastic gradients is within 6 standard errors of grad f
 * (the standard error sqrt(tr Cov / K) estimated from the same draws; for an
 * expectation evaluated on eval_samples fixed draws, that estimate's own
 * error is added). */
START_TEST(sample_grad_is_unbiased)
{
    const small_case *c = &cases[_i];
    ntr_problem p = make(c);
    if (!p.type->sample_grad) {
        ntr_problem_destroy(&p);
        return;
    }
    size_t n = p.layout.dim;
    double *x = malloc(n * sizeof *x), *g = malloc(n * sizeof *g), *s = malloc(n * sizeof *s);
    double *mean = calloc(n, sizeof *mean), *sq = calloc(n, sizeof *sq);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12);
    random_point(&p, r, c->x_scale, x);
    p.type->grad(&p, x, g);
    const long batches[2] = {1, 5};
    for (int b = 0; b < 2; b++) {
        const int K = 4000;
        memset(mean, 0, n * sizeof *mean);
        memset(sq, 0, n * sizeof *sq);
        for (int k = 0; k < K; k++) {
            p.type->sample_grad(&p, x, batches[b], r, s);
            for (size_t i = 0; i < n; i++) {
                mean[i] += s[i] / K;
                sq[i] += s[i] * s[i] / K;
            }
        }
        double trcov = 0.0;
        for (size_t i = 0; i < n; i++)
            trcov += sq[i] - mean[i] * mean[i];
        double se2 = trcov / K;
        if (c->eval_samples > 0)
            se2 += trcov * batches[b] / (double)c->eval_samples;
        double e = dist2(mean, g, n);
        ck_assert_msg(e <= 6.0 * sqrt(se2) + 1e-12 * ntr_nrm2(g, n),
                      "%s batch %ld: |mean - grad| = %g, standard error %g", c->name, batches[b],
                      e, sqrt(se2));
        /* A declared term variance bound must hold (batch 1). */
        if (b == 0 && isfinite(p.term_sigma2))
            ck_assert_msg(trcov <= p.term_sigma2 * 1.1, "%s: term variance %g > bound %g",
                          c->name, trcov, p.term_sigma2);
    }
    gsl_rng_free(r);
    free(x);
    free(g);
    free(s);
    free(mean);
    free(sq);
    ntr_problem_destroy(&p);
}
END_TEST

START_TEST(minimiser_is_stationary)
{
    const small_case *c = &cases[_i];
    ntr_problem p = make(c);
    size_t n = p.layout.dim;
    double *g = malloc(n * sizeof *g), *x = malloc(n * sizeof *x);
    if (p.x_star) {
        ck_assert_msg(isfinite(p.f_star), "%s: x_star without f_star", c->name);
        double f = p.type->grad(&p, p.x_star, g);
        ck_assert_msg(fabs(f - p.f_star) <= 1e-10 * fmax(1.0, fabs(p.f_star)),
                      "%s: f(x*) = %.17g, f* = %.17g", c->name, f, p.f_star);
        ck_assert_msg(ntr_nrm2(g, n) <= 1e-8, "%s: |grad f(x*)| = %g", c->name, ntr_nrm2(g, n));
    }
    if (isfinite(p.f_star)) { /* f* is a lower bound */
        gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
        gsl_rng_set(r, 13);
        for (int t = 0; t < 20; t++) {
            random_point(&p, r, c->x_scale * (1 + t % 4), x);
            ck_assert_msg(p.type->value(&p, x) >= p.f_star - 1e-12 * fmax(1.0, fabs(p.f_star)),
                          "%s: a random point beats f*", c->name);
        }
        gsl_rng_free(r);
    }
    free(g);
    free(x);
    ntr_problem_destroy(&p);
}
END_TEST

/* ---- norms, for the per-norm smoothness constants (one block) ---------- */

/* Primal (dual = 0) or dual (dual = 1) norm of a rows x cols matrix. */
static double test_norm(const char *name, int dual, const double *x, size_t rows, size_t cols)
{
    size_t n = rows * cols;
    if (strcmp(name, "euclidean") == 0)
        return ntr_nrm2(x, n);
    if (strcmp(name, "linf") == 0)
        return dual ? ntr_sum_abs(x, n) : ntr_max_abs(x, n);
    if (strcmp(name, "l1") == 0)
        return dual ? ntr_max_abs(x, n) : ntr_sum_abs(x, n);
    if (strcmp(name, "spectral") == 0) {
        size_t k = rows < cols ? rows : cols;
        double s[64], sum = 0.0;
        ck_assert_uint_le(k, 64);
        ck_assert_int_eq(ntr_singular_values(x, rows, cols, s, NULL), 0);
        for (size_t i = 0; i < k; i++)
            sum += s[i];
        return dual ? sum : s[0];
    }
    int by_col = strcmp(name, "colnorm") == 0;
    size_t outer = by_col ? cols : rows, inner = by_col ? rows : cols;
    double agg = 0.0;
    for (size_t a = 0; a < outer; a++) {
        double s2 = 0.0;
        for (size_t b = 0; b < inner; b++) {
            double v = by_col ? x[b * cols + a] : x[a * cols + b];
            s2 += v * v;
        }
        agg = dual ? agg + sqrt(s2) : fmax(agg, sqrt(s2));
    }
    return agg;
}

START_TEST(lipschitz_constants_hold)
{
    const small_case *c = &cases[_i];
    ntr_problem p = make(c);
    unsigned flags = p.type->flags;
    size_t n = p.layout.dim;
    if (!(flags & NTR_PF_SMOOTH)) {
        ck_assert_msg(!isfinite(p.L_frob), "%s: not smooth but L_frob = %g", c->name, p.L_frob);
        ntr_problem_destroy(&p);
        return;
    }
    ck_assert_msg(isfinite(p.L_frob) && p.L_frob >= 0, "%s: L_frob = %g", c->name, p.L_frob);
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    double *gx = malloc(n * sizeof *gx), *gy = malloc(n * sizeof *gy), *dg = malloc(n * sizeof *dg),
           *dx = malloc(n * sizeof *dx);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 14);
    int one_block = p.layout.nblocks == 1;
    size_t rows = p.layout.rows[0], cols = p.layout.cols[0];
    for (int t = 0; t < 60; t++) {
        random_point(&p, r, c->x_scale, x);
        double step = pow(10.0, -3 + t % 5);
        ntr_fill_gaussian(r, dx, n, step / sqrt((double)n));
        if (t % 7 == 0 && p.x_star) /* toward the minimiser */
            for (size_t i = 0; i < n; i++)
                dx[i] = step * (p.x_star[i] - x[i]);
        for (size_t i = 0; i < n; i++)
            y[i] = x[i] + dx[i];
        p.type->grad(&p, x, gx);
        p.type->grad(&p, y, gy);
        for (size_t i = 0; i < n; i++)
            dg[i] = gy[i] - gx[i];
        double lhs = ntr_nrm2(dg, n), rhs = p.L_frob * ntr_nrm2(dx, n);
        ck_assert_msg(lhs <= rhs * (1 + 1e-9) + 1e-13, "%s: |dg| = %.17g > L |dx| = %.17g", c->name,
                      lhs, rhs);
        if (!one_block || !p.type->smoothness)
            continue;
        for (int k = 0; ntr_norm_types[k]; k++) {
            const ntr_norm_type *norm = ntr_norm_types[k];
            double Ln = p.type->smoothness(&p, norm->id);
            if (isnan(Ln))
                continue;
            double l = test_norm(norm->name, 1, dg, rows, cols);
            double rr = Ln * test_norm(norm->name, 0, dx, rows, cols);
            ck_assert_msg(l <= rr * (1 + 1e-9) + 1e-13, "%s, %s norm: |dg|_* = %.17g > L |dx| = %.17g",
                          c->name, norm->name, l, rr);
        }
    }
    if (one_block && p.type->smoothness) {
        ck_assert(isnan(p.type->smoothness(&p, NTR_NORM_OTHER)));
        double Le = p.type->smoothness(&p, NTR_NORM_EUCLIDEAN);
        ck_assert_msg(isnan(Le) || Le <= p.L_frob * (1 + 1e-12), "%s: euclidean L above L_frob",
                      c->name);
    }
    gsl_rng_free(r);
    free(x);
    free(y);
    free(gx);
    free(gy);
    free(dg);
    free(dx);
    ntr_problem_destroy(&p);
}
END_TEST

/* ||g(x+v) - g(x) - H(x) v||_2 <= (L2/2) ||v||^2, with H(x) v by central
 * differences of the gradient (step h: error O(h^2), far below the slack). */
START_TEST(hessian_lipschitz_constant_holds)
{
    const small_case *c = &cases[_i];
    ntr_problem p = make(c);
    if (!(p.type->flags & NTR_PF_LIP_HESSIAN)) {
        ntr_problem_destroy(&p);
        return;
    }
    ck_assert_msg(isfinite(p.L2_frob) && p.L2_frob >= 0, "%s: L2_frob = %g", c->name, p.L2_frob);
    size_t n = p.layout.dim;
    double *x = malloc(n * sizeof *x), *v = malloc(n * sizeof *v), *w = malloc(n * sizeof *w);
    double *g0 = malloc(n * sizeof *g0), *g1 = malloc(n * sizeof *g1), *gp = malloc(n * sizeof *gp),
           *gm = malloc(n * sizeof *gm);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 15);
    for (int t = 0; t < 30; t++) {
        random_point(&p, r, c->x_scale, x);
        double step = pow(10.0, -2 + t % 3);
        ntr_fill_gaussian(r, v, n, step / sqrt((double)n));
        double vn = ntr_nrm2(v, n), h = 1e-4 / vn;
        p.type->grad(&p, x, g0);
        for (size_t i = 0; i < n; i++)
            w[i] = x[i] + v[i];
        p.type->grad(&p, w, g1);
        for (size_t i = 0; i < n; i++)
            w[i] = x[i] + h * v[i];
        p.type->grad(&p, w, gp);
        for (size_t i = 0; i < n; i++)
            w[i] = x[i] - h * v[i];
        p.type->grad(&p, w, gm);
        double e2 = 0.0, d2 = 0.0;
        for (size_t i = 0; i < n; i++) {
            double hv = (gp[i] - gm[i]) / (2 * h);
            double e = g1[i] - g0[i] - hv;
            e2 += e * e;
            d2 += (g1[i] - g0[i]) * (g1[i] - g0[i]);
        }
        double bound = 0.5 * p.L2_frob * vn * vn;
        ck_assert_msg(sqrt(e2) <= bound * (1 + 1e-6) + 1e-7 * sqrt(d2) + 1e-12,
                      "%s: Taylor remainder %g > L2/2 |v|^2 = %g", c->name, sqrt(e2), bound);
    }
    gsl_rng_free(r);
    free(x);
    free(v);
    free(w);
    free(g0);
    free(g1);
    free(gp);
    free(gm);
    ntr_problem_destroy(&p);
}
END_TEST

/* Star-convex about x_star: f(x*) >= f(x) + <grad f(x), x* - x>. */
START_TEST(star_convexity_holds)
{
    const small_case *c = &cases[_i];
    ntr_problem p = make(c);
    if (!(p.type->flags & (NTR_PF_STAR_CONVEX | NTR_PF_CONVEX))) {
        ntr_problem_destroy(&p);
        return;
    }
    size_t n = p.layout.dim;
    double *x = malloc(n * sizeof *x), *g = malloc(n * sizeof *g), *dx = malloc(n * sizeof *dx);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 16);
    for (int t = 0; t < 40 && p.x_star; t++) {
        random_point(&p, r, c->x_scale * (0.25 + t % 5), x);
        double f = p.type->grad(&p, x, g);
        for (size_t i = 0; i < n; i++)
            dx[i] = p.x_star[i] - x[i];
        double lin = f + ntr_dot(g, dx, n);
        ck_assert_msg(p.f_star >= lin - 1e-10 * fmax(1.0, fabs(f)),
                      "%s: f* = %g < f + <g, x* - x> = %g", c->name, p.f_star, lin);
    }
    gsl_rng_free(r);
    free(x);
    free(g);
    free(dx);
    ntr_problem_destroy(&p);
}
END_TEST

START_TEST(flags_agree_with_instance)
{
    const small_case *c = &cases[_i];
    ntr_problem p = make(c);
    unsigned f = p.type->flags;
    ck_assert_str_eq(p.type->name, c->name);
    if (f & NTR_PF_FINITE_SUM)
        ck_assert_msg(p.n_terms > 0 && p.type->sample_grad, "%s: finite sum without terms", c->name);
    if (f & NTR_PF_SAMPLED)
        ck_assert_ptr_nonnull(p.type->sample_grad);
    if (p.type->sample_grad)
        ck_assert_msg(f & (NTR_PF_FINITE_SUM | NTR_PF_SAMPLED), "%s: sampling oracle not flagged",
                      c->name);
    ck_assert_msg(!((f & NTR_PF_CONVEX) && (f & NTR_PF_NONCONVEX)), "%s: convex and nonconvex",
                  c->name);
    if (!(f & NTR_PF_LIP_HESSIAN))
        ck_assert(!isfinite(p.L2_frob));
    char buf[256];
    ntr_problem_flags_format(f, buf, sizeof buf);
    ck_assert_msg(strlen(buf) > 0, "%s: empty flags", c->name);
    ntr_problem_destroy(&p);
    ck_assert_ptr_null(p.data);
}
END_TEST

START_TEST(flags_text)
{
    char buf[128];
    ntr_problem_flags_format(NTR_PF_CONVEX | NTR_PF_SMOOTH | NTR_PF_FINITE_SUM, buf, sizeof buf);
    ck_assert_str_eq(buf, "convex,smooth,finite-sum");
    ntr_problem_flags_format(0, buf, sizeof buf);
    ck_assert_str_eq(buf, "");
    ntr_problem_flags_format(NTR_PF_NONCONVEX | NTR_PF_HARD, buf, 8);
    ck_assert_str_eq(buf, "nonconv"); /* truncated, still terminated */
}
END_TEST

START_TEST(unknown_key_is_refused)
{
    const char *pairs[] = {"sampels", "10", NULL};
    test_create_fails("least_squares", pairs, 4, 3, "sampels");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("problems");
    TCase *tc = tcase_create("properties");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_problem_has_a_case);
    tcase_add_test(tc, flags_text);
    tcase_add_test(tc, unknown_key_is_refused);
    tcase_add_loop_test(tc, gradient_matches_central_differences, 0, NCASES);
    tcase_add_loop_test(tc, sample_grad_is_unbiased, 0, NCASES);
    tcase_add_loop_test(tc, minimiser_is_stationary, 0, NCASES);
    tcase_add_loop_test(tc, lipschitz_constants_hold, 0, NCASES);
    tcase_add_loop_test(tc, hessian_lipschitz_constant_holds, 0, NCASES);
    tcase_add_loop_test(tc, star_convexity_holds, 0, NCASES);
    tcase_add_loop_test(tc, flags_agree_with_instance, 0, NCASES);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ts_run_suite(suite());
}

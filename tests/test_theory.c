/* test_theory.c: theory rules (src/study/rate/theory.c, presets.c): every preset against values
 * worked out by hand from THEORY.md's formulas, user expressions (order of
 * evaluation, functions, problem/noise rules), and the positioned errors of
 * bad rules: syntax, unknown names, division by zero, out-of-range values. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_load.h"
#include "study/rate/theory.h"
#include "support.h"

/* L = 2, L2 = 3, sigma = 0.5, rho = 1.5, Delta0 = 4, D = 3, eps = 0.1. */
static ntr_theory_vars vars(void)
{
    ntr_theory_vars v;
    memset(&v, 0, sizeof v);
    v.eps = 0.1, v.L = 2, v.L2 = 3, v.sigma = 0.5, v.rho = 1.5, v.Delta0 = 4, v.D = 3;
    v.d = 12, v.m = 4, v.n = 3, v.batch = 1;
    return v;
}

static ntr_node *yaml(const char *text)
{
    ntr_node *n = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_yaml_load_string(text, strlen(text), "t.yaml", 0, &n, &err) == 0, "%s",
                  err.msg);
    return n;
}

/* theory: <text> parsed; the returned theory owns nothing of the tree. */
static ntr_theory *parse_ok(const char *text, ntr_node **root)
{
    *root = yaml(text);
    ntr_theory *t = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_theory_parse(ntr_node_get(*root, "theory"), &t, &err) == 0, "%s", err.msg);
    return t;
}

static ntr_theory_point eval_ok(ntr_theory *t, ntr_theory_vars v)
{
    ntr_theory_point p;
    ntr_error err = {0};
    ck_assert_msg(ntr_theory_eval(t, &v, &p, &err) == 0, "%s", err.msg);
    return p;
}

/* The error of a config whose theory fails to parse. */
static ntr_error parse_bad(const char *text)
{
    ntr_node *root = yaml(text);
    ntr_theory *t = (ntr_theory *)(void *)&root;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_theory_parse(ntr_node_get(root, "theory"), &t, &err), -1);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert_str_eq(err.file, "t.yaml");
    ntr_node_free(root);
    return err;
}

#define NEAR(a, b) ck_assert_double_eq_tol((a), (b), 1e-12 * fabs(b))

START_TEST(test_deterministic)
{
    ntr_node *root;
    ntr_theory *t = parse_ok("theory: deterministic\n", &root);
    ntr_theory_point p = eval_ok(t, vars());
    NEAR(p.alpha, 1.0);
    NEAR(p.eta, 0.1 / 16.0);         /* eps/(8L) */
    ck_assert_double_eq(p.K, 25600); /* ceil(32 L Delta0/eps^2) = 32*2*4/0.01 */
    ck_assert(isnan(p.weight_decay));
    ck_assert_double_eq(ntr_theory_exponent(t), 2.0);
    ck_assert_int_eq(ntr_theory_measure_of(t), NTR_MEASURE_MIN_GRAD_DUAL);
    ck_assert_str_eq(ntr_theory_source(t), "derived");
    ntr_theory_free(t);
    ntr_node_free(root);
}
END_TEST

START_TEST(test_nonconvex)
{
    ntr_node *root;
    ntr_theory *t = parse_ok("theory: kovalev_nonconvex\n", &root);
    ntr_theory_point p = eval_ok(t, vars());
    /* rho^2 sigma^2 = 0.5625: alpha = 0.01/(16*0.5625) = 1/900;
     * eta = min(0.1/32, 0.001/(256*0.5625*2)) = 1/288000;
     * K = max(2048*2*4*0.5625/1e-4, 108000, 102400, 120) = 92160000. */
    NEAR(p.alpha, 1.0 / 900.0);
    NEAR(p.eta, 1.0 / 288000.0);
    ck_assert_double_eq_tol(p.K, 92160000.0, 1.0);
    ck_assert_double_eq(ntr_theory_exponent(t), 4.0);
    ck_assert_str_eq(ntr_theory_source(t), "paper");
    /* sigma = 0: alpha = 1, eta = eps/(16L), K = 128 L Delta0/eps^2 */
    ntr_theory_vars v = vars();
    v.sigma = 0;
    p = eval_ok(t, v);
    NEAR(p.alpha, 1.0);
    NEAR(p.eta, 0.1 / 32.0);
    ck_assert_double_eq_tol(p.K, 102400.0, 1.0);
    ntr_theory_free(t);
    ntr_node_free(root);
}
END_TEST

START_TEST(test_starconvex)
{
    ntr_node *root;
    ntr_theory *t = parse_ok("theory: kovalev_starconvex\n", &root);
    ntr_theory_point p = eval_ok(t, vars());
    /* alpha = 0.01/(64*9*0.5625) = 1/32400; eta = min(0.1 alpha/96, 0.1 alpha/12)
     * = 1/31104000; weight_decay = 1/D; K = ceil(3 * 31104000 * ln 160). */
    NEAR(p.alpha, 1.0 / 32400.0);
    NEAR(p.eta, 1.0 / 31104000.0);
    NEAR(p.weight_decay, 1.0 / 3.0);
    ck_assert_double_eq_tol(p.K, 473574620.0, 1.0);
    ck_assert_int_eq(ntr_theory_measure_of(t), NTR_MEASURE_GAP);
    ck_assert_str_eq(ntr_theory_source(t), "reconstructed");
    ck_assert_double_eq(ntr_theory_exponent(t), 3.0);
    ntr_theory_free(t);
    ntr_node_free(root);
}
END_TEST

START_TEST(test_extrapolation)
{
    ntr_node *root;
    ntr_theory *t = parse_ok("theory: kovalev_extrapolation\n", &root);
    ntr_theory_point p = eval_ok(t, vars());
    /* c = 16: alpha = 1/900, eta = min(0.1/32, sqrt(0.1/48)/900),
     * K = ceil(max(16/(0.1 eta), 6/(0.1 alpha))) */
    double eta = sqrt(0.1 / 48.0) / 900.0;
    NEAR(p.alpha, 1.0 / 900.0);
    NEAR(p.eta, eta);
    ck_assert_double_eq_tol(p.K, 3154882.0, 1.0);
    ck_assert(ntr_theory_extrapolation(t));
    ck_assert_double_eq(ntr_theory_exponent(t), 3.5);
    ntr_theory_free(t);
    ntr_node_free(root);
    /* c = 32 */
    t = parse_ok("theory: {preset: kovalev_extrapolation, c: 32}\n", &root);
    p = eval_ok(t, vars());
    NEAR(p.alpha, 1.0 / 1800.0);
    NEAR(p.eta, sqrt(0.1 / 96.0) / 1800.0);
    ck_assert_double_eq_tol(p.K, 8923354.0, 1.0);
    ntr_theory_free(t);
    ntr_node_free(root);
}
END_TEST

START_TEST(test_custom)
{
    ntr_node *root;
    ntr_theory *t = parse_ok("theory:\n"
                             "  alpha: min(1, eps^2/sigma^2)\n"
                             "  eta: \"alpha*eps/(4*L)\"\n"
                             "  weight_decay: 0.5\n"
                             "  iterations: ceil(pow(eps, -2) + floor(d/5) + m*n + batch)\n"
                             "  exponent: 2.5\n"
                             "  measure: gap\n"
                             "  problem: {T: \"ceil(1/eps)\", p: \"min(1, 10*eps^2)\"}\n"
                             "  noise: {sigma: 0.5*sqrt(eps)}\n",
                             &root);
    ntr_theory_point p = eval_ok(t, vars());
    NEAR(p.alpha, 0.04);               /* 0.01/0.25 */
    NEAR(p.eta, 0.04 * 0.1 / 8.0);     /* uses alpha */
    NEAR(p.weight_decay, 0.5);
    ck_assert_double_eq_tol(p.K, 100.0 + 2.0 + 12.0 + 1.0, 1e-9); /* ceil(100.000...) may be 101 */
    ck_assert_double_eq(ntr_theory_exponent(t), 2.5);
    ck_assert_int_eq(ntr_theory_measure_of(t), NTR_MEASURE_GAP);
    ck_assert_str_eq(ntr_theory_name(t), "custom");
    ck_assert_uint_eq(ntr_theory_nsettings(t), 3);
    ck_assert_str_eq(ntr_theory_setting_key(t, 0), "problem.T");
    ck_assert_str_eq(ntr_theory_setting_key(t, 1), "problem.p");
    ck_assert_str_eq(ntr_theory_setting_key(t, 2), "noise.sigma");
    ck_assert_int_eq(ntr_theory_setting_pos(t, 0).line, 8);
    double x;
    ntr_error err = {0};
    ntr_theory_vars v = vars();
    ck_assert_int_eq(ntr_theory_setting_eval(t, 0, &v, &x, &err), 0);
    ck_assert_double_eq(x, 10.0);
    ck_assert_int_eq(ntr_theory_setting_eval(t, 1, &v, &x, &err), 0);
    NEAR(x, 0.1);
    ck_assert_int_eq(ntr_theory_setting_eval(t, 2, &v, &x, &err), 0);
    NEAR(x, 0.5 * sqrt(0.1));
    ck_assert_str_eq(ntr_theory_formula(t, "eta"), "alpha*eps/(4*L)");
    ntr_theory_free(t);
    ntr_node_free(root);
}
END_TEST

START_TEST(test_preset_override)
{
    ntr_node *root;
    ntr_theory *t = parse_ok("theory: {preset: kovalev_nonconvex, eta: \"eps/(2*L)\", "
                             "problem: {T: \"ceil(eps^-2)\"}}\n",
                             &root);
    ntr_theory_point p = eval_ok(t, vars());
    NEAR(p.eta, 0.025);
    NEAR(p.alpha, 1.0 / 900.0); /* the preset's */
    ck_assert_str_eq(ntr_theory_name(t), "kovalev_nonconvex (user eta)");
    ck_assert_double_eq(ntr_theory_exponent(t), 4.0);
    ck_assert_uint_eq(ntr_theory_nsettings(t), 1);
    ntr_theory_free(t);
    ntr_node_free(root);
}
END_TEST

START_TEST(test_syntax_error)
{
    /* col 12 is where the quoted text starts (after the quote at col 11) */
    ntr_error e = parse_bad("theory: {alpha: \"1\", eta: \"eps*(2\", iterations: 10}\n");
    ck_assert_int_eq(e.line, 1);
    ck_assert_int_ge(e.col, 28);
    ck_assert_ptr_nonnull(strstr(e.msg, "theory.eta"));
    e = parse_bad("theory:\n  alpha: 1\n  eta: eps ** 2\n  iterations: 10\n");
    ck_assert_int_eq(e.line, 3);
    ck_assert_int_eq(e.col, 8 + 5); /* the second '*' */
}
END_TEST

START_TEST(test_unknown_variable)
{
    ntr_error e = parse_bad("theory:\n  alpha: 1\n  eta: eps/(2*Lip)\n  iterations: 10\n");
    ck_assert_int_eq(e.line, 3);
    ck_assert_int_eq(e.col, 8 + 7); /* "Lip" starts 7 characters in */
    ck_assert_ptr_nonnull(strstr(e.msg, "Lip"));
    ck_assert_ptr_nonnull(strstr(e.msg, "Delta0")); /* lists the variables */
}
END_TEST

START_TEST(test_division_by_zero)
{
    ntr_node *root;
    ntr_theory *t = parse_ok("theory:\n  alpha: 1\n  eta: \"eps/(L - 2)\"\n  iterations: 10\n",
                             &root);
    ntr_theory_point p;
    ntr_error err = {0};
    ntr_theory_vars v = vars();
    ck_assert_int_eq(ntr_theory_eval(t, &v, &p, &err), -1); /* L = 2 */
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert_str_eq(err.file, "t.yaml");
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(err.col, 9);
    ck_assert_ptr_nonnull(strstr(err.msg, "infinite"));
    ck_assert_ptr_nonnull(strstr(err.msg, "L = 2"));
    ntr_theory_free(t);
    ntr_node_free(root);
}
END_TEST

START_TEST(test_unknown_constant)
{
    /* a problem without a Lipschitz Hessian: L2 is NAN */
    ntr_node *root;
    ntr_theory *t = parse_ok("theory: kovalev_extrapolation\n", &root);
    ntr_theory_vars v = vars();
    v.L2 = NAN;
    ntr_theory_point p;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_theory_eval(t, &v, &p, &err), -1);
    ck_assert_int_eq(err.line, 1);
    ck_assert_ptr_nonnull(strstr(err.msg, "uses L2, which is not known"));
    ntr_theory_free(t);
    ntr_node_free(root);
}
END_TEST

START_TEST(test_ranges)
{
    ntr_node *root;
    ntr_theory *t = parse_ok("theory: {alpha: 2*eps*10, eta: 1, iterations: 0.5}\n", &root);
    ntr_theory_point p;
    ntr_error err = {0};
    ntr_theory_vars v = vars();
    ck_assert_int_eq(ntr_theory_eval(t, &v, &p, &err), -1); /* alpha = 2 */
    ck_assert_ptr_nonnull(strstr(err.msg, "(0, 1]"));
    ck_assert_int_eq(err.col, 17);
    v.eps = 0.01; /* alpha = 0.2: fine, then K = 0.5 < 1 */
    ck_assert_int_eq(ntr_theory_eval(t, &v, &p, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "at least 1"));
    ntr_theory_free(t);
    ntr_node_free(root);
}
END_TEST

START_TEST(test_bad_maps)
{
    ntr_error e = parse_bad("theory: kovalev_nonconvx\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "did you mean 'kovalev_nonconvex'"));
    e = parse_bad("theory: {alpha: 1, eta: 1}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "iterations"));
    e = parse_bad("theory: {preset: deterministic, etta: 1}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "did you mean 'eta'"));
    ck_assert_int_eq(e.col, 33);
    e = parse_bad("theory: {preset: deterministic, c: 3}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "constant c"));
    e = parse_bad("theory: {preset: deterministic, problem: {type: x}}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "cannot depend on eps"));
    e = parse_bad("theory: {preset: deterministic, measure: grad}\n");
    ck_assert_int_eq(e.col, 42);
    e = parse_bad("theory: {alpha: \"\", eta: 1, iterations: 1}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "empty"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("theory");
    TCase *tc = tcase_create("rules");
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_nonconvex);
    tcase_add_test(tc, test_starconvex);
    tcase_add_test(tc, test_extrapolation);
    tcase_add_test(tc, test_custom);
    tcase_add_test(tc, test_preset_override);
    tcase_add_test(tc, test_syntax_error);
    tcase_add_test(tc, test_unknown_variable);
    tcase_add_test(tc, test_division_by_zero);
    tcase_add_test(tc, test_unknown_constant);
    tcase_add_test(tc, test_ranges);
    tcase_add_test(tc, test_bad_maps);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ts_run_suite(suite());
}

/* test_rate.c: the rate study (src/study/rate*.c).
 *
 * The exponent fit and its bootstrap interval on synthetic K(eps) with a
 * known exponent (exact, and with seeded noise), censored points, the
 * verdict rules; reading study blocks; and small rate studies end to end
 * through $NTR_BIN/ntr-run with the configs in tests/rate/: rates.csv and
 * the verdict line, censoring, a tune grid, variants with claims and a
 * comparison, reproducible files, and positioned errors of bad rules
 * (exit 2). */
#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/config/yaml_load.h"
#include "../src/study/rate.h"
#include "../src/study/rate_fit.h"
#include "../src/table.h"
#include "support.h"

static const double eps4[] = {0.1, 0.05, 0.02, 0.01};

START_TEST(test_fit_exact)
{
    enum { S = 4 };
    double K[4 * S], st[4], lo[4], hi[4];
    int use[4] = {1, 1, 1, 1};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < S; j++)
            K[i * S + j] = 7.0 * pow(eps4[i], -3.0);
    ntr_rate_fit fit;
    ntr_error err = {0};
    ck_assert_int_eq(
        ntr_rate_fit_exponent(eps4, K, 4, S, use, 0, 200, 1, &fit, st, lo, hi, NULL, NULL, &err),
        0);
    ck_assert_uint_eq(fit.npoints, 4);
    ck_assert_double_eq_tol(fit.slope, 3.0, 1e-9);
    ck_assert_double_eq_tol(fit.intercept, log(7.0), 1e-9);
    ck_assert_double_eq_tol(fit.ci_lo, 3.0, 1e-9); /* every resample is the same */
    ck_assert_double_eq_tol(fit.ci_hi, 3.0, 1e-9);
    for (int i = 0; i < 4; i++) {
        ck_assert_double_eq_tol(st[i], 7.0 * pow(eps4[i], -3.0), 1e-6);
        ck_assert_double_eq_tol(lo[i], st[i], 1e-6);
        ck_assert_double_eq_tol(hi[i], st[i], 1e-6);
    }
}
END_TEST

/* K = 5 eps^-2.5 exp(0.3 z), z standard normal from a seeded generator. */
static void noisy(double *K, size_t S, unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < S; j++)
            K[i * S + j] = 5.0 * pow(eps4[i], -2.5) * exp(0.3 * gsl_ran_ugaussian(r));
    gsl_rng_free(r);
}

START_TEST(test_fit_noise)
{
    enum { S = 16 };
    double K[4 * S], st[4], lo[4], hi[4], st2[4], lo2[4], hi2[4];
    int use[4] = {1, 1, 1, 1};
    noisy(K, S, 42);
    ntr_rate_fit fit, again;
    ntr_error err = {0};
    for (int mean = 0; mean < 2; mean++) {
        ck_assert_int_eq(ntr_rate_fit_exponent(eps4, K, 4, S, use, mean, 2000, 7, &fit, st, lo, hi,
                                               NULL, NULL, &err),
                         0);
        ck_assert_double_eq_tol(fit.slope, 2.5, 0.2);
        ck_assert(fit.ci_lo < fit.slope && fit.slope < fit.ci_hi);
        ck_assert(fit.ci_lo <= 2.5 && 2.5 <= fit.ci_hi);
        ck_assert(fit.ci_hi - fit.ci_lo > 0.02 && fit.ci_hi - fit.ci_lo < 1.0);
        for (int i = 0; i < 4; i++)
            ck_assert(lo[i] < st[i] && st[i] < hi[i]);
        /* the same seed gives the same interval */
        ck_assert_int_eq(ntr_rate_fit_exponent(eps4, K, 4, S, use, mean, 2000, 7, &again, st2, lo2,
                                               hi2, NULL, NULL, &err),
                         0);
        ck_assert_double_eq(again.ci_lo, fit.ci_lo);
        ck_assert_double_eq(again.ci_hi, fit.ci_hi);
        ck_assert_double_eq(lo2[2], lo[2]);
    }
    /* the mean statistic is the mean */
    ntr_rate_fit_exponent(eps4, K, 4, S, use, 1, 100, 7, &fit, st, lo, hi, NULL, NULL, &err);
    double m = 0;
    for (int j = 0; j < S; j++)
        m += K[S + j];
    ck_assert_double_eq_tol(st[1], m / S, 1e-9 * st[1]);
}
END_TEST

START_TEST(test_fit_censored)
{
    enum { S = 3 };
    double K[4 * S], st[4], lo[4], hi[4];
    int use[4] = {1, 1, 1, 0};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < S; j++)
            K[i * S + j] = (j + 1) * pow(eps4[i], -4.0);
    K[3 * S + 1] = NAN; /* the smallest eps: one seed never reached it */
    ntr_rate_fit fit;
    ntr_error err = {0};
    ck_assert_int_eq(
        ntr_rate_fit_exponent(eps4, K, 4, S, use, 0, 300, 1, &fit, st, lo, hi, NULL, NULL, &err),
        0);
    ck_assert_uint_eq(fit.npoints, 3);
    ck_assert_double_eq_tol(fit.slope, 4.0, 1e-9);
    ck_assert(isnan(st[3]) && isnan(lo[3]) && isnan(hi[3]));
    ck_assert_double_eq_tol(st[0], 2.0 * 1e4, 1e-6); /* median of 1, 2, 3 times 1e4 */
    /* one usable point: no exponent */
    int one[4] = {0, 1, 0, 0};
    ck_assert_int_eq(
        ntr_rate_fit_exponent(eps4, K, 4, S, one, 0, 300, 1, &fit, st, lo, hi, NULL, NULL, &err),
        0);
    ck_assert_uint_eq(fit.npoints, 1);
    ck_assert(isnan(fit.slope) && isnan(fit.ci_lo));
    ck_assert_int_eq(ntr_rate_judge(&fit, 4.0, 0.25, 0), NTR_RATE_INCONCLUSIVE);
}
END_TEST

START_TEST(test_difference)
{
    enum { S = 16, B = 1000 };
    double Ka[4 * S], Kb[4 * S], st[4], lo[4], hi[4], ba[B], bb[B];
    int use[4] = {1, 1, 1, 1};
    noisy(Ka, S, 1); /* exponent 2.5 */
    noisy(Kb, S, 2);
    for (int i = 0; i < 4 * S; i++)
        Kb[i] *= pow(eps4[i / S], 1.0); /* exponent 1.5 */
    ntr_rate_fit fa, fb;
    size_t na = 0, nb = 0;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_rate_fit_exponent(eps4, Ka, 4, S, use, 0, B, 11, &fa, st, lo, hi, ba,
                                           &na, &err),
                     0);
    ck_assert_int_eq(ntr_rate_fit_exponent(eps4, Kb, 4, S, use, 0, B, 12, &fb, st, lo, hi, bb,
                                           &nb, &err),
                     0);
    ck_assert_uint_eq(na, B);
    ck_assert_uint_eq(nb, B);
    double dlo, dhi;
    ntr_rate_difference_ci(ba, na, bb, nb, &dlo, &dhi);
    double d = fa.slope - fb.slope;
    ck_assert(dlo < d && d < dhi);
    ck_assert(dlo < 1.0 && 1.0 < dhi);
    /* the difference is less certain than either exponent alone */
    ck_assert(dhi - dlo > fa.ci_hi - fa.ci_lo);
    ck_assert(dhi - dlo > fb.ci_hi - fb.ci_lo);
    ntr_rate_difference_ci(ba, 0, bb, nb, &dlo, &dhi);
    ck_assert(isnan(dlo) && isnan(dhi));
}
END_TEST

START_TEST(test_judge)
{
    ntr_rate_fit f = {4, 3.9, 0.0, 3.5, 4.2};
    ck_assert_int_eq(ntr_rate_judge(&f, 4.0, 0.0, 0), NTR_RATE_TIGHT);   /* inside the CI */
    f.ci_hi = 3.95;
    ck_assert_int_eq(ntr_rate_judge(&f, 4.0, 0.25, 0), NTR_RATE_TIGHT);  /* within tolerance */
    ck_assert_int_eq(ntr_rate_judge(&f, 4.0, 0.05, 0), NTR_RATE_FASTER);
    ck_assert_int_eq(ntr_rate_judge(&f, 3.0, 0.25, 0), NTR_RATE_VIOLATED); /* above */
    ck_assert_int_eq(ntr_rate_judge(&f, 4.0, 0.25, 1), NTR_RATE_VIOLATED); /* K > K_theory */
    ck_assert_str_eq(ntr_rate_verdict_names[NTR_RATE_FASTER], "faster");
}
END_TEST

static ntr_node *yaml(const char *text)
{
    ntr_node *n = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_yaml_load_string(text, strlen(text), "s.yaml", 0, &n, &err) == 0, "%s",
                  err.msg);
    return n;
}

START_TEST(test_spec)
{
    ntr_node *n = yaml("type: rate\neps: {logspace: [1e-1, 1e-3, 3]}\ntheory: kovalev_starconvex\n"
                       "tune: {eta: [2, 1, 0.5]}\nscale_iterations: 0.01\n");
    ntr_rate_spec s;
    ntr_error err = {0};
    ck_assert_msg(ntr_rate_spec_read(n, NULL, &s, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(s.neps, 3);
    ck_assert_double_eq(s.eps[0], 0.1);
    ck_assert_double_eq_tol(s.eps[1], 0.01, 1e-15);
    ck_assert_double_eq(s.eps[2], 0.001);
    ck_assert_double_eq(s.expect, 3.0); /* the preset's */
    ck_assert_double_eq(s.tolerance, 0.25);
    ck_assert_uint_eq(s.ntune_eta, 3); /* 1 first, no duplicate */
    ck_assert_double_eq(s.tune_eta[0], 1.0);
    ck_assert_double_eq(s.tune_eta[1], 2.0);
    ck_assert_double_eq(s.tune_eta[2], 0.5);
    ck_assert_uint_eq(s.ntune_alpha, 1);
    ck_assert(s.tuned);
    char label[160];
    ntr_rate_label(&s, 1, 1, 0, label, sizeof label);
    ck_assert_str_eq(label, "eps=0.01 eta*2 alpha*1");
    ck_assert_int_eq(ntr_rate_budget(&s, 12345.0, 1000), 124);  /* ceil(123.45) */
    ck_assert_int_eq(ntr_rate_budget(&s, 1e12, 1000), 1000);    /* capped */
    ck_assert_int_eq(ntr_rate_budget(&s, 1.0, 1000), 1);
    ntr_rate_spec_free(&s);
    ntr_node_free(n);

    n = yaml("type: rate\neps: [0.01, 0.1, 0.05]\ntheory: {alpha: 1, eta: eps, iterations: 9}\n"
             "expect: 1.5\n");
    ck_assert_msg(ntr_rate_spec_read(n, NULL, &s, &err) == 0, "%s", err.msg);
    ck_assert_double_eq(s.eps[0], 0.1); /* sorted, largest first */
    ck_assert_double_eq(s.eps[2], 0.01);
    ck_assert_double_eq(s.expect, 1.5);
    ntr_rate_spec_free(&s);
    ntr_node_free(n);
}
END_TEST

START_TEST(test_study_variants)
{
    ntr_node *n = yaml("type: rate\neps: [0.1, 0.01]\ntheory: deterministic\nseeds: 3\n"
                       "variants:\n  hard: {claim: tight, set: {noise.sigma: 0}, seeds: 2}\n"
                       "  easy: {theory: kovalev_nonconvex, claim: faster}\n"
                       "compare: {a: easy, b: hard}\n");
    ntr_rate_study st;
    ntr_error err = {0};
    ck_assert_msg(ntr_rate_study_read(n, &st, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.nvar, 2);
    ck_assert_str_eq(st.var[0].name, "hard");
    ck_assert_int_eq(st.var[0].claim, NTR_RATE_TIGHT);
    ck_assert_int_eq(st.var[0].seeds, 2);
    ck_assert_ptr_nonnull(st.var[0].set);
    ck_assert_int_eq(st.var[1].seeds, 3); /* the study's */
    ck_assert_int_eq(st.var[1].claim, NTR_RATE_FASTER);
    ck_assert_double_eq(st.var[1].expect, 4.0);
    ck_assert(st.compare);
    ck_assert_uint_eq(st.cmp_a, 1);
    ck_assert_double_eq(st.cmp_difference, 2.0); /* 4 - 2 by default */
    char label[80];
    ntr_rate_label(&st.var[1], 1, 0, 0, label, sizeof label);
    ck_assert_str_eq(label, "easy eps=0.01");
    ntr_rate_study_free(&st);
    ntr_node_free(n);
}
END_TEST

static ntr_error spec_bad(const char *text)
{
    ntr_node *n = yaml(text);
    ntr_rate_spec s;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_rate_spec_read(n, NULL, &s, &err), -1);
    ck_assert_str_eq(err.file, "s.yaml");
    ntr_node_free(n);
    return err;
}

START_TEST(test_spec_errors)
{
    ntr_error e = spec_bad("type: rate\neps: [0.1, 0.1]\ntheory: deterministic\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "twice"));
    e = spec_bad("type: rate\neps: [0.1]\ntheory: deterministic\n");
    ck_assert_int_eq(e.line, 2);
    e = spec_bad("type: rate\neps: [0.1, -1]\ntheory: deterministic\n");
    ck_assert_int_eq(e.col, 12);
    e = spec_bad("type: rate\neps: {logspace: [0.1, 0.01, 2.5]}\ntheory: deterministic\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "count"));
    e = spec_bad("type: rate\neps: [0.1, 0.01]\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "theory"));
    e = spec_bad("type: rate\neps: [0.1, 0.01]\ntheory: {alpha: 1, eta: eps, iterations: 9}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "expect"));
    ck_assert_int_eq(e.line, 3);
    e = spec_bad("type: rate\neps: [0.1, 0.01]\ntheory: deterministic\nseed: 3\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "did you mean 'seeds'"));
    e = spec_bad("type: rate\neps: [0.1, 0.01]\ntheory: deterministic\ntune: {eta: [0]}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "positive"));
    e = spec_bad("type: rate\neps: [0.1, 0.01]\ntheory: deterministic\nclaim: tigth\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "tight"));
    e = spec_bad("type: rate\neps: [0.1, 0.01]\ntheory: deterministic\nset: {seeds: 3}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "cannot differ"));
}
END_TEST

static ntr_error study_bad(const char *text)
{
    ntr_node *n = yaml(text);
    ntr_rate_study st;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_rate_study_read(n, &st, &err), -1);
    ck_assert_str_eq(err.file, "s.yaml");
    ntr_node_free(n);
    return err;
}

START_TEST(test_study_errors)
{
    const char *head = "type: rate\neps: [0.1, 0.01]\ntheory: deterministic\n";
    char text[400];
    snprintf(text, sizeof text, "%scompare: {a: x, b: y}\n", head);
    ntr_error e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "needs study.variants"));
    snprintf(text, sizeof text, "%svariants: {a: {claim: tight}, b: {type: rate}}\n", head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "unknown key 'study.variants.b.type'"));
    snprintf(text, sizeof text, "%svariants: {\"a b\": {}}\n", head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "letters"));
    snprintf(text, sizeof text, "%svariants: {a: {}, b: {}}\ncompare: {a: a, b: c}\n", head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "no variant called 'c'"));
    ck_assert_int_eq(e.line, 5);
    snprintf(text, sizeof text, "%svariants: {a: {}, b: {theory: kovalev_nonconvx}}\n", head);
    e = study_bad(text);
    ck_assert_int_eq(e.line, 4);
    ck_assert_ptr_nonnull(strstr(e.msg, "did you mean"));
}
END_TEST

/* --- end to end ------------------------------------------------------ */


/* The last line of a text. */
static const char *last_line(char *text)
{
    size_t n = strlen(text);
    while (n > 0 && text[n - 1] == '\n')
        text[--n] = '\0';
    char *nl = strrchr(text, '\n');
    return nl ? nl + 1 : text;
}

static double cell(const ntr_table *t, size_t row, const char *col)
{
    long c = ntr_table_find(t, col);
    ck_assert_msg(c >= 0, "rates.csv has no column %s", col);
    return ntr_table_num(t, row, (size_t)c);
}

static const char *text(const ntr_table *t, size_t row, const char *col)
{
    long c = ntr_table_find(t, col);
    ck_assert_msg(c >= 0, "rates.csv has no column %s", col);
    return ntr_table_str(t, row, (size_t)c);
}

static ntr_table *rates(const char *dir)
{
    char *path = ts_path("%s/rates.csv", dir);
    ntr_table *t = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_table_read(path, &t, &err) == 0, "%s", err.msg);
    free(path);
    return t;
}

START_TEST(test_e2e_deterministic)
{
    char *tmp = ts_tmpdir(), *cfg = ts_tests("rate/det.yaml");
    char *out = ts_path("%s/a", tmp), *out2 = ts_path("%s/b", tmp);
    ts_result r;
    NTR_RUN(r, cfg, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    const char *line = last_line(r.out);
    /* normalized gradient descent on a strongly convex quadratic needs
     * about 1/eps steps with eta ~ eps: faster than the bound's eps^-2 */
    ck_assert_msg(strncmp(line, "verdict: faster: measured exponent", 34) == 0, "%s", line);
    ck_assert_ptr_nonnull(strstr(line, "censored: none"));
    ntr_table *t = rates(out);
    ck_assert_uint_eq(ntr_table_rows(t), 3);
    double prev = 0;
    for (size_t i = 0; i < 3; i++) {
        ck_assert_str_eq(text(t, i, "status"), "ok");
        ck_assert_str_eq(text(t, i, "K_le_theory"), "yes");
        ck_assert_double_eq(cell(t, i, "reached"), 2);
        double k0 = cell(t, i, "K_seed_0"), k1 = cell(t, i, "K_seed_1");
        ck_assert_double_eq(cell(t, i, "median_K"), 0.5 * (k0 + k1));
        ck_assert(cell(t, i, "K_mean_criterion") <= fmax(k0, k1));
        ck_assert(cell(t, i, "median_K") < cell(t, i, "K_theory"));
        ck_assert(cell(t, i, "median_K") > prev); /* smaller eps, more iterations */
        prev = cell(t, i, "median_K");
        ck_assert_double_eq(cell(t, i, "alpha"), 1.0);
    }
    double p = cell(t, 0, "exponent");
    ck_assert(p > 0.7 && p < 1.5);
    ck_assert(cell(t, 0, "ci_lo") <= p && p <= cell(t, 0, "ci_hi"));
    ck_assert_double_eq(cell(t, 0, "expected"), 2.0);
    ck_assert_str_eq(text(t, 0, "verdict"), "faster");
    ntr_table_free(t);
    /* the same config elsewhere: the same rates.csv, byte for byte */
    ts_result_free(&r);
    NTR_RUN(r, cfg, "-o", out2, "--no-plot", "-q");
    ck_assert_int_eq(r.code, 0);
    char *a = ts_path("%s/rates.csv", out), *b = ts_path("%s/rates.csv", out2);
    ck_assert(ts_files_equal(a, b));
    char *json = ts_path("%s/rates.json", out);
    char *js = ts_read_file(json, NULL);
    ck_assert_ptr_nonnull(strstr(js, "\"source\": \"derived\""));
    free(js), free(json), free(a), free(b);
    /* each cell has its own target (its eps): summary.csv names the
     * columns K_target and SFO_target, not after the first cell's eps */
    char *sum = ts_path("%s/summary.csv", out);
    char *st = ts_read_file(sum, NULL);
    ck_assert_ptr_nonnull(st);
    ck_assert_ptr_nonnull(strstr(st, ",K_target,SFO_target,wall_s\n"));
    free(st), free(sum);
    ts_result_free(&r);
    ts_rmtree(tmp);
    free(tmp), free(cfg), free(out), free(out2);
}
END_TEST

START_TEST(test_e2e_censored_and_tuned)
{
    char *tmp = ts_tmpdir(), *cfg = ts_tests("rate/censored.yaml");
    char *out = ts_path("%s/c", tmp);
    ts_result r;
    NTR_RUN(r, cfg, "-o", out);
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    const char *line = last_line(r.out);
    ck_assert_msg(strstr(line, "from 3 eps") && strstr(line, "censored: 0.01"), "%s", line);
    ntr_table *t = rates(out);
    ck_assert_uint_eq(ntr_table_rows(t), 8); /* 4 eps x (eta x1, x4) */
    for (size_t i = 0; i < 8; i++) {
        int smallest = cell(t, i, "eps") == 0.01;
        int rule = cell(t, i, "eta_mult") == 1.0;
        ck_assert_str_eq(text(t, i, "status"), smallest ? "censored" : "ok");
        ck_assert_double_eq(cell(t, i, "budget"), 1500);
        if (smallest)
            ck_assert(isnan(cell(t, i, "stat")));
        if (rule)
            ck_assert_str_eq(text(t, i, "K_le_theory"), smallest ? "unknown" : "yes");
        else
            ck_assert_str_eq(text(t, i, "K_le_theory"), "n/a");
        /* four times the step: the tuned point is the best where both reached */
        if (!smallest)
            ck_assert_double_eq(cell(t, i, "best"), rule ? 0 : 1);
    }
    ck_assert(!isnan(cell(t, 0, "tuned_exponent")));
    ntr_table_free(t);
    char *report = ts_path("%s/report.md", out), *png = ts_path("%s/plots/rate_K.gp", out);
    char *md = ts_read_file(report, NULL);
    ck_assert_ptr_nonnull(md);
    ck_assert_ptr_nonnull(strstr(md, "## Rate study"));
    ck_assert_ptr_nonnull(strstr(md, "censored"));
    ck_assert(ts_exists(png));
    free(md), free(report), free(png);
    ts_result_free(&r);
    ts_rmtree(tmp);
    free(tmp), free(cfg), free(out);
}
END_TEST

/* A bad rule: exit 2, nothing run, the error at file:line:col. */
static void bad_rule(const char *name, const char *where, const char *what)
{
    char *tmp = ts_tmpdir(), *cfg = ts_tests(name), *out = ts_path("%s/x", tmp);
    ts_result r;
    NTR_RUN(r, cfg, "-o", out);
    ck_assert_int_eq(r.code, 2);
    char *want = ts_path("%s:%s: ", cfg, where);
    ck_assert_msg(strncmp(r.err, want, strlen(want)) == 0, "got: %s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, what));
    ck_assert(!ts_exists(out));
    free(want);
    ts_result_free(&r);
    ts_rmtree(tmp);
    free(tmp), free(cfg), free(out);
}

START_TEST(test_e2e_bad_rules)
{
    bad_rule("rate/bad_expr.yaml", "11:18", "Lip");
    bad_rule("rate/divzero.yaml", "10:28", "infinite");
}
END_TEST

START_TEST(test_e2e_variants)
{
    char *tmp = ts_tmpdir(), *cfg = ts_tests("rate/variants.yaml");
    char *out = ts_path("%s/v", tmp);
    ts_result r;
    NTR_RUN(r, cfg, "-o", out);
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    char *v = strstr(r.out, "verdict fast: ");
    ck_assert_ptr_nonnull(v);
    char *claim = strstr(r.out, "claim: ");
    ck_assert_ptr_nonnull(claim);
    ck_assert_ptr_nonnull(strstr(r.out, "verdict rule: faster"));
    ck_assert_ptr_nonnull(strstr(r.out, "compare rule - fast: exponent difference"));
    ntr_table *t = rates(out);
    ck_assert_uint_eq(ntr_table_rows(t), 6);
    size_t nfast = 0;
    for (size_t i = 0; i < 6; i++)
        nfast += strcmp(text(t, i, "variant"), "fast") == 0;
    ck_assert_uint_eq(nfast, 3);
    /* each series judged against its own expectation, from the same kind of data */
    double p_fast = cell(t, 0, "exponent"), p_rule = cell(t, 5, "exponent");
    ck_assert(p_fast > 0.7 && p_fast < 1.5 && p_rule > 0.7 && p_rule < 1.5);
    ck_assert_str_eq(text(t, 0, "verdict"), fabs(p_fast - 1) <= 0.25 ? "tight" : "faster");
    /* the last line is the claim: both verdicts as claimed, difference near 0 */
    const char *last = last_line(r.out);
    ck_assert_msg(strcmp(last, "claim: reproduced") == 0, "%s", last);
    ntr_table_free(t);
    char *c1 = ts_path("%s/plots/rate_curves_fast.gp", out), *c2 = ts_path("%s/plots/rate_K.gp", out);
    ck_assert(ts_exists(c1) && ts_exists(c2));
    char *md_path = ts_path("%s/report.md", out);
    char *md = ts_read_file(md_path, NULL);
    ck_assert_ptr_nonnull(strstr(md, "### Series `rule`"));
    ck_assert_ptr_nonnull(strstr(md, "claim: reproduced"));
    free(md), free(md_path), free(c1), free(c2);
    ts_result_free(&r);
    ts_rmtree(tmp);
    free(tmp), free(cfg), free(out);
}
END_TEST

START_TEST(test_e2e_plan)
{
    char *cfg = ts_tests("rate/det.yaml");
    ts_result r;
    NTR_RUN(r, cfg, "--plan");
    ck_assert_int_eq(r.code, 0);
    size_t lines = 0, eps_lines = 0;
    for (const char *p = r.out; *p; p++)
        lines += *p == '\n';
    for (const char *p = r.out; (p = strstr(p, "eps=0.3")); p++)
        eps_lines++;
    ck_assert_uint_eq(eps_lines, 2); /* two seeds of the first eps */
    ck_assert_uint_ge(lines, 6);
    ts_result_free(&r);
    free(cfg);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("rate");
    TCase *tc = tcase_create("fit");
    tcase_add_test(tc, test_fit_exact);
    tcase_add_test(tc, test_fit_noise);
    tcase_add_test(tc, test_fit_censored);
    tcase_add_test(tc, test_difference);
    tcase_add_test(tc, test_judge);
    tcase_add_test(tc, test_study_variants);
    tcase_add_test(tc, test_study_errors);
    tcase_add_test(tc, test_spec);
    tcase_add_test(tc, test_spec_errors);
    suite_add_tcase(s, tc);
    TCase *e2e = tcase_create("end to end");
    tcase_set_timeout(e2e, 60);
    tcase_add_test(e2e, test_e2e_deterministic);
    tcase_add_test(e2e, test_e2e_censored_and_tuned);
    tcase_add_test(e2e, test_e2e_bad_rules);
    tcase_add_test(e2e, test_e2e_variants);
    tcase_add_test(e2e, test_e2e_plan);
    suite_add_tcase(s, e2e);
    return s;
}

int main(void)
{
    return ts_run_suite(suite());
}

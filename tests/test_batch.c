/* test_batch.c: the batch-size study (src/study/batch/).
 *
 * Numbers: the censored median, b* on a log-b interpolation (exact on a
 * parabola in log-log, edges flagged), both model fits recovering the
 * parameters of data made by the models (and degrading gracefully with
 * noise or too few points), the paper's Y and the trend counts.  Plan: the
 * study block's cells (noise.batch, target, stop_at_target, study_x, seeds,
 * eta scaling) and its refusals with positions.  End to end: a small study
 * whose batch.csv T(b) and SFO(b) are recomputed here from summary.csv,
 * its figures, verdict and report section, identical under -j 2 and
 * --collect. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "study/batch/batch.h"
#include "e2e_sweeps/compare.h"
#include "support.h"

/* ---- numbers ------------------------------------------------------------- */

START_TEST(censored_median)
{
    double a[] = {3, INFINITY, 1};
    ck_assert_double_eq(ntr_batch_median(a, 3), 3);
    double b[] = {INFINITY, INFINITY, 1};
    ck_assert(isinf(ntr_batch_median(b, 3)));
    double c[] = {4, 1, 3, 2};
    ck_assert_double_eq(ntr_batch_median(c, 4), 2.5);
    double d[] = {1, INFINITY};
    ck_assert(isinf(ntr_batch_median(d, 2)));
    double e[] = {7};
    ck_assert_double_eq(ntr_batch_median(e, 1), 7);
    ck_assert(isnan(ntr_batch_median(e, 0)));
}
END_TEST

START_TEST(bstar_on_a_log_log_parabola)
{
    /* SFO = 1000 exp((log b - log 20)^2): a parabola in (log b, log SFO)
     * with its minimum at b = 20, between the grid points 16 and 32. */
    double b[11], s[11];
    for (int i = 0; i < 11; i++) {
        b[i] = pow(2, i);
        double u = log(b[i]) - log(20);
        s[i] = 1000 * exp(u * u);
    }
    ntr_bstar r;
    ntr_batch_bstar(b, s, 11, 0, &r);
    ck_assert(r.found);
    ck_assert_int_eq(r.edge, 0);
    ck_assert_double_eq_tol(r.b, 20, 1e-9);
    ck_assert_double_eq_tol(r.sfo, 1000, 1e-6);
    /* Censored batch sizes on the left do not matter when the minimum has
     * finite neighbours. */
    s[0] = s[1] = INFINITY;
    ntr_batch_bstar(b, s, 11, 0, &r);
    ck_assert_double_eq_tol(r.b, 20, 1e-9);
}
END_TEST

START_TEST(bstar_at_the_edges)
{
    double b[] = {1, 2, 4, 8};
    double up[] = {10, 20, 40, 80}, down[] = {80, 40, 20, 10};
    double cens[] = {INFINITY, INFINITY, 20, 30}, none[] = {INFINITY, INFINITY, NAN, INFINITY};
    ntr_bstar r;
    ntr_batch_bstar(b, up, 4, 0, &r);
    ck_assert(r.found && r.edge == -1 && r.b == 1 && r.sfo == 10);
    ntr_batch_bstar(b, down, 4, 0, &r);
    ck_assert(r.found && r.edge == 1 && r.b == 8 && r.sfo == 10);
    /* Smallest SFO at the first batch size that reached the target. */
    ntr_batch_bstar(b, cens, 4, 0, &r);
    ck_assert(r.found && r.edge == -1 && r.b == 4);
    ntr_batch_bstar(b, none, 4, 0, &r);
    ck_assert(!r.found);
    /* With the budget known: the batch below never reached the target in
     * 100 steps, so its SFO exceeds 2 x 100 = 200 > 20, and SFO rises on
     * the right: b* = 4 is bracketed, a value at the grid's resolution. */
    ntr_batch_bstar(b, cens, 4, 100, &r);
    ck_assert(r.found && r.edge == 0 && r.b == 4 && r.sfo == 20);
    /* A budget too small for the bracket (2 x 5 = 10 < 20): only a bound. */
    ntr_batch_bstar(b, cens, 4, 5, &r);
    ck_assert(r.found && r.edge == -1 && r.b == 4);
    /* Bracketed on the left but still falling on the right: the last
     * batch, a bound. */
    double cens_down[] = {INFINITY, INFINITY, 30, 20};
    ntr_batch_bstar(b, cens_down, 4, 100, &r);
    ck_assert(r.found && r.edge == 1 && r.b == 8);
    /* The grid's first batch stays an edge whatever the budget. */
    ntr_batch_bstar(b, up, 4, 100, &r);
    ck_assert(r.found && r.edge == -1 && r.b == 1);
    /* A flat stretch after a fall: the parabola puts b* inside it. */
    double flat[] = {50, 40, 40, 40};
    ntr_batch_bstar(b, flat, 4, 0, &r);
    ck_assert(r.found && r.edge == 0 && r.b > 2 && r.b < 4 && r.sfo <= 40);
    /* A dip: b* between the neighbours of the smallest SFO, the minimum of
     * the parabola at most the measured one. */
    double dip[] = {50, 40, 39, 45};
    ntr_batch_bstar(b, dip, 4, 0, &r);
    ck_assert(r.found && r.edge == 0 && r.b > 2 && r.b < 8 && r.sfo <= 39);
    /* All equal: the first. */
    double same[] = {40, 40, 40, 40};
    ntr_batch_bstar(b, same, 4, 0, &r);
    ck_assert(r.found && r.edge == -1 && r.b == 1);
}
END_TEST

START_TEST(fits_recover_the_models)
{
    double b[12], T[12];
    /* Y/b form: a = 700, c = 12; batch sizes 16 .. 1024 reach the target. */
    for (int i = 0; i < 7; i++) {
        b[i] = pow(2, i + 4);
        T[i] = 700 * b[i] / (b[i] - 12);
    }
    ntr_batch_fitres f;
    ntr_error err;
    ck_assert_int_eq(ntr_batch_fit(NTR_BATCH_INV_B, b, T, 7, &f, &err), 0);
    ck_assert(f.ok);
    ck_assert_uint_eq(f.npoints, 7);
    ck_assert_double_eq_tol(f.a, 700, 1e-5);
    ck_assert_double_eq_tol(f.c, 12, 1e-6);
    ck_assert_double_eq_tol(f.bstar, 24, 1e-5);
    ck_assert(f.rms < 1e-8);
    ck_assert_double_eq_tol(ntr_batch_model_T(NTR_BATCH_INV_B, f.a, f.c, 48), 700 * 48 / 36.0,
                            1e-4);
    ck_assert(isinf(ntr_batch_model_T(NTR_BATCH_INV_B, f.a, f.c, 8)));
    /* Y/sqrt(b) form: a = 300, c = 3 (sqrt b > 3), b* = 9 c^2 / 4 = 20.25.
     * Censored and unknown points are left out of the fit. */
    double bb[9], TT[9];
    for (int i = 0; i < 9; i++) {
        bb[i] = pow(2, i);
        TT[i] = bb[i] <= 9 ? INFINITY : 300 * sqrt(bb[i]) / (sqrt(bb[i]) - 3);
    }
    TT[8] = NAN;
    ck_assert_int_eq(ntr_batch_fit(NTR_BATCH_INV_SQRT_B, bb, TT, 9, &f, &err), 0);
    ck_assert(f.ok);
    ck_assert_uint_eq(f.npoints, 4);
    ck_assert_double_eq_tol(f.a, 300, 1e-4);
    ck_assert_double_eq_tol(f.c, 3, 1e-6);
    ck_assert_double_eq_tol(f.bstar, 20.25, 1e-4);
    /* The wrong form fits worse than the right one. */
    ntr_batch_fitres g;
    ck_assert_int_eq(ntr_batch_fit(NTR_BATCH_INV_B, bb, TT, 9, &g, &err), 0);
    ck_assert(g.ok && g.rms > 1e3 * f.rms);
}
END_TEST

START_TEST(fits_with_noise_and_too_few_points)
{
    double b[8], T[8];
    static const double wiggle[8] = {0.02, -0.015, 0.01, -0.02, 0.015, -0.01, 0.02, -0.02};
    for (int i = 0; i < 8; i++) {
        b[i] = pow(2, i + 4);
        T[i] = 500 * b[i] / (b[i] - 10) * exp(wiggle[i]);
    }
    ntr_batch_fitres f;
    ntr_error err;
    ck_assert_int_eq(ntr_batch_fit(NTR_BATCH_INV_B, b, T, 8, &f, &err), 0);
    ck_assert(f.ok);
    ck_assert(f.rms > 0.005 && f.rms < 0.02);
    ck_assert_double_eq_tol(f.c, 10, 2);
    ck_assert_double_eq_tol(f.a, 500, 15);
    /* No dependence on b at all: c goes to 0, T to its mean. */
    double flat[5] = {400, 400, 400, 400, 400};
    ck_assert_int_eq(ntr_batch_fit(NTR_BATCH_INV_B, b, flat, 5, &f, &err), 0);
    ck_assert(f.ok && f.c < 1e-3 && fabs(f.a - 400) < 1e-3);
    /* Two finite points: no fit, and why. */
    double two[3] = {INFINITY, 900, 600};
    ck_assert_int_eq(ntr_batch_fit(NTR_BATCH_INV_B, b, two, 3, &f, &err), 0);
    ck_assert(!f.ok);
    ck_assert_ptr_nonnull(strstr(f.why, "3 needed"));
}
END_TEST

START_TEST(paper_Y_and_trends)
{
    /* Y = (2 beta + 1)(1 - beta) + lambda. */
    ck_assert_double_eq_tol(ntr_batch_paper_Y(0.1, 0), 2.8 * 0.1, 1e-15);
    ck_assert_double_eq_tol(ntr_batch_paper_Y(0.2, 0.01), 2.6 * 0.2 + 0.01, 1e-15);
    /* Four settings: alpha {0.2, 0.1} x lambda {0, 0.1}. */
    ntr_batch_setting s[4];
    memset(s, 0, sizeof s);
    static const char *const al[4] = {"0.2", "0.2", "0.1", "0.1"};
    static const char *const la[4] = {"0", "0.1", "0", "0.1"};
    static const double bs[4] = {16, 64, 8, 70};
    for (int i = 0; i < 4; i++) {
        s[i].label = al[i];
        s[i].val[0] = al[i];
        s[i].val[1] = la[i];
        s[i].alpha = atof(al[i]);
        s[i].lambda = atof(la[i]);
        s[i].bstar.found = 1;
        s[i].bstar.b = bs[i];
    }
    ntr_batch_trend t[2];
    ntr_batch_trends(s, 4, 2, t);
    /* Along alpha (0.1 -> 0.2): Y rises; b* 8 -> 16 rises, 70 -> 64 flat. */
    ck_assert_uint_eq(t[0].pairs, 2);
    ck_assert_int_eq(t[0].predicted, 1);
    ck_assert_uint_eq(t[0].rises, 1);
    ck_assert_uint_eq(t[0].flat, 1);
    ck_assert_uint_eq(t[0].falls, 0);
    ck_assert_uint_eq(t[0].agree, 1);
    /* Along lambda (0 -> 0.1): Y rises; b* rises in both pairs. */
    ck_assert_uint_eq(t[1].pairs, 2);
    ck_assert_int_eq(t[1].predicted, 1);
    ck_assert_uint_eq(t[1].rises, 2);
    ck_assert_uint_eq(t[1].agree, 2);
    /* The text speaks of beta, where the directions turn round. */
    ntr_batch_summary sum;
    memset(&sum, 0, sizeof sum);
    sum.nkeys = 2;
    sum.keys[0] = "method.alpha";
    sum.keys[1] = "method.weight_decay";
    sum.nsettings = 4;
    sum.settings = s;
    char text[400];
    ntr_batch_trend_text(&sum, &t[0], text, sizeof text);
    ck_assert_str_eq(text, "as beta = 1 - alpha grows, b* rises in 0 of 2 pairs, falls in 1, "
                           "stays within 15% in 1; the paper predicts b* falls: 1 of 2 pairs "
                           "agree");
    ntr_batch_display_label(&sum, &s[1], text, sizeof text);
    ck_assert_str_eq(text, "beta=0.8 lambda=0.1");
    /* A setting without b* takes no part. */
    s[2].bstar.found = 0;
    ntr_batch_trends(s, 4, 2, t);
    ck_assert_uint_eq(t[0].pairs, 1);
    ck_assert_uint_eq(t[1].pairs, 1);
}
END_TEST

/* ---- the plan -------------------------------------------------------------- */

static const char base_yaml[] =
    "name: b\n"
    "seed: 1\n"
    "problem: {type: least_squares, shape: [8, 4], samples: 64}\n"
    "noise: {type: minibatch, batch: 2}\n"
    "method: {name: ntr, norm: spectral, eta: 0.01, alpha: 0.1}\n"
    "budget: {iterations: 100, targets: [1, 0.5]}\n";

static ntr_plan *plan_of(const char *dir, const char *study, ntr_error *err)
{
    char *path = ts_path("%s/cfg.yaml", dir);
    char *text = ts_path("%s%s", base_yaml, study);
    ck_assert_int_eq(ts_write_file(path, text), 0);
    ntr_plan *p = NULL;
    memset(err, 0, sizeof *err);
    if (ntr_plan_load(path, NULL, 0, &p, err) != 0)
        p = NULL;
    free(path);
    free(text);
    return p;
}

START_TEST(plan_cells)
{
    char *dir = ts_tmpdir();
    ntr_error err;
    ntr_plan *p = plan_of(dir,
                          "study:\n"
                          "  type: batch\n"
                          "  batch: [2, 8, 32]\n"
                          "  target: 0.25\n"
                          "  seeds: 2\n"
                          "  over: {method.alpha: [0.2, 0.05], method.nesterov: [false, true]}\n",
                          &err);
    ck_assert_msg(p != NULL, "%s", err.msg);
    ck_assert_uint_eq(p->ncells, 4 * 3 * 2);
    ck_assert_int_eq(p->point_seeds, 2); /* the study's seeds replicate its points */
    static const long bs[3] = {2, 8, 32};
    for (size_t c = 0; c < p->ncells; c++) {
        const ntr_cell *cell = &p->cells[c];
        size_t point = c / 2, setting = point / 3;
        ck_assert_int_eq(cell->replicate, (int)(c % 2));
        ck_assert_int_eq(cell->s.batch, bs[point % 3]);
        ck_assert_double_eq(cell->study_x, (double)bs[point % 3]);
        ck_assert_int_eq(cell->s.ntargets, 1);
        ck_assert_double_eq(cell->s.targets[0], 0.25);
        ck_assert_int_eq(cell->s.stop_at_target, 1);
        ck_assert_double_eq(cell->s.mopts.alpha, setting < 2 ? 0.2 : 0.05);
        ck_assert_int_eq(cell->s.mopts.nesterov, (int)(setting % 2));
        ck_assert_double_eq(cell->s.eta.value, 0.01); /* no scaling */
    }
    /* The resolved config.yaml carries the target and the seeds. */
    char *yaml = ntr_plan_yaml(p);
    ck_assert_ptr_nonnull(strstr(yaml, "stop_at_target: true"));
    ck_assert_ptr_nonnull(strstr(yaml, "seeds: 2"));
    free(yaml);
    ntr_plan_free(p);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(eta_scaling)
{
    char *dir = ts_tmpdir();
    ntr_error err;
    /* Relative to the config's noise.batch (2): sqrt(b / 2) and b / 2. */
    ntr_plan *p = plan_of(dir, "study: {type: batch, batch: [2, 8, 32], target: 0.5, "
                               "eta_batch_scaling: sqrt}\n",
                          &err);
    ck_assert_msg(p != NULL, "%s", err.msg);
    ck_assert_uint_eq(p->ncells, 3);
    ck_assert_double_eq_tol(p->cells[0].s.eta.value, 0.01, 1e-15);
    ck_assert_double_eq_tol(p->cells[1].s.eta.value, 0.02, 1e-15);
    ck_assert_double_eq_tol(p->cells[2].s.eta.value, 0.04, 1e-15);
    ntr_plan_free(p);
    p = plan_of(dir, "study: {type: batch, batch: [2, 8], target: 0.5, "
                     "eta_batch_scaling: linear}\n",
                &err);
    ck_assert_msg(p != NULL, "%s", err.msg);
    ck_assert_double_eq_tol(p->cells[1].s.eta.value, 0.04, 1e-15);
    ntr_plan_free(p);
    /* A schedule map: its value is scaled, the type kept. */
    char *path = ts_path("%s/cfg.yaml", dir);
    ck_assert_int_eq(ts_write_file(path, "name: b\n"
                                         "problem: {type: least_squares, shape: [8, 4]}\n"
                                         "noise: {type: gaussian, sigma: 0.1}\n"
                                         "method: {eta: {type: cosine, value: 0.1, min: 0.01}}\n"
                                         "study: {type: batch, batch: [1, 4], target: 0.5, "
                                         "eta_batch_scaling: sqrt}\n"),
                     0);
    ck_assert_int_eq(ntr_plan_load(path, NULL, 0, &p, &err), 0);
    ck_assert_int_eq(p->cells[1].s.eta.type, NTR_SCHED_COSINE);
    ck_assert_double_eq_tol(p->cells[1].s.eta.value, 0.2, 1e-15);
    ntr_plan_free(p);
    /* An expression: multiplied. */
    ck_assert_int_eq(ts_write_file(path, "name: b\n"
                                         "problem: {type: least_squares, shape: [8, 4]}\n"
                                         "noise: {type: gaussian, sigma: 0.1}\n"
                                         "method: {eta: \"0.1/sqrt(k+1)\"}\n"
                                         "study: {type: batch, batch: [1, 4], target: 0.5, "
                                         "eta_batch_scaling: linear}\n"),
                     0);
    ck_assert_int_eq(ntr_plan_load(path, NULL, 0, &p, &err), 0);
    ck_assert_int_eq(p->cells[1].s.eta.type, NTR_SCHED_EXPR);
    ck_assert_str_eq(p->cells[1].s.eta.expr, "(0.1/sqrt(k+1))*4");
    ntr_plan_free(p);
    free(path);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(bad_study_blocks)
{
    static const struct {
        const char *study;
        int line;
        const char *msg;
    } cases[] = {
        {"study: {type: batch, batch: [4, 2], target: 0.1}\n", 7, "must increase"},
        {"study: {type: batch, batch: [1, 2]}\n", 7, "needs target"},
        {"study: {type: batch, target: 0.1}\n", 7, "needs batch"},
        {"study: {type: batch, batch: [1, 0], target: 0.1}\n", 7, "not a batch size"},
        {"study: {type: batch, batch: 4, target: 0.1}\n", 7, "list of 2 to"},
        {"study: {type: batch, batch: [1, 2], target: -1}\n", 7, "target"},
        {"study: {type: batch, batch: [1, 2], target: 0.1, over: {noise.batch: [1]}}\n", 7,
         "sets noise.batch itself"},
        {"study: {type: batch, batch: [1, 2], target: 0.1, over: {method.alpha: 0.1}}\n", 7,
         "non-empty list"},
        {"study: {type: batch, batch: [1, 2], target: 0.1, eta_batch_scaling: cubic}\n", 7,
         "eta_batch_scaling"},
        {"study: {type: batch, batch: [1, 2], target: 0.1, overr: {}}\n", 7, "overr"},
        {"study: {type: batch, batch: [1, 2], target: 0.1, eta_batch_scaling: sqrt,\n"
         "        over: {method.eta: [0.1, 0.2]}}\n",
         8, "do not vary method.eta"},
        {"sweep: {method.alpha: [0.1]}\nstudy: {type: batch, batch: [1, 2], target: 0.1}\n", 7,
         "study.over"},
    };
    char *dir = ts_tmpdir();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ntr_error err;
        ntr_plan *p = plan_of(dir, cases[i].study, &err);
        ck_assert_msg(p == NULL, "case %zu accepted", i);
        ck_assert_int_eq(err.kind, NTR_E_INPUT);
        ck_assert_msg(err.line == cases[i].line, "case %zu: line %d: %s", i, err.line, err.msg);
        ck_assert_msg(strstr(err.msg, cases[i].msg), "case %zu: %s", i, err.msg);
    }
    /* Exact gradients: no batch to study. */
    char *path = ts_path("%s/cfg.yaml", dir);
    ck_assert_int_eq(ts_write_file(path, "name: b\nproblem: {type: least_squares}\n"
                                         "noise: {type: none}\n"
                                         "study: {type: batch, batch: [1, 2], target: 0.1}\n"),
                     0);
    ntr_plan *p;
    ntr_error err;
    ck_assert_int_eq(ntr_plan_load(path, NULL, 0, &p, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "needs stochastic gradients"));
    ck_assert_int_eq(err.line, 4);
    free(path);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

/* ---- end to end ------------------------------------------------------------ */

static int run_ntr(const char *out, const char *a1, const char *a2, char **stdout_text)
{
    char *bin = ts_bin("ntr-run"), *cfg = ts_tests("e2e_sweeps/batch_small.yaml");
    const char *argv[] = {bin, cfg, "-o", out, a1, a2, NULL};
    ts_result r;
    ck_assert_int_eq(ts_run(argv, &r), 0);
    int code = r.code;
    if (code != 0)
        fprintf(stderr, "ntr-run: %s\n", r.err);
    if (stdout_text)
        *stdout_text = strdup(r.out);
    ts_result_free(&r);
    free(bin);
    free(cfg);
    return code;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* T(b) of one (alpha, b) recomputed from summary.csv: the median over the
 * seeds of K_0.15, an empty K counting as infinite. */
static double median_from_summary(char **lines, int n, const char *alpha, const char *b)
{
    int ac = ts_csv_column(lines[0], "method.alpha"), bc = ts_csv_column(lines[0], "noise.batch");
    int kc = ts_csv_column(lines[0], "K_0.15");
    ck_assert(ac >= 0 && bc >= 0 && kc >= 0);
    double v[16];
    int m = 0;
    for (int i = 1; i < n; i++) {
        char fa[64], fb[64], fk[64];
        ts_csv_field(lines[i], ac, fa, sizeof fa);
        ts_csv_field(lines[i], bc, fb, sizeof fb);
        ts_csv_field(lines[i], kc, fk, sizeof fk);
        if (atof(fa) == atof(alpha) && strcmp(fb, b) == 0 && m < 16)
            v[m++] = fk[0] ? atof(fk) : INFINITY;
    }
    ck_assert_int_eq(m, 2);
    qsort(v, (size_t)m, sizeof v[0], cmp_d);
    return 0.5 * (v[0] + v[1]);
}

START_TEST(small_study_end_to_end)
{
    char *dir = ts_tmpdir();
    char *out = ts_path("%s/out", dir), *par = ts_path("%s/par", dir);
    char *text = NULL;
    ck_assert_int_eq(run_ntr(out, "--no-plot", NULL, &text), 0);
    ck_assert_msg(strstr(text, "batch study: b* "), "%s", text);
    ck_assert_ptr_nonnull(strstr(text, "as beta = 1 - alpha grows"));
    free(text);
    char *sp = ts_path("%s/summary.csv", out), *bp = ts_path("%s/batch.csv", out);
    char *st = ts_read_file(sp, NULL), *bt = ts_read_file(bp, NULL);
    ck_assert(st && bt);
    char *slines[64], *blines[64];
    int ns = ts_split_lines(st, slines, 64), nb = ts_split_lines(bt, blines, 64);
    ck_assert_int_eq(ns, 1 + 2 * 6 * 2);
    ck_assert_int_eq(nb, 1 + 2 * 6);
    const char *h = blines[0];
    int cs = ts_csv_column(h, "setting"), ca = ts_csv_column(h, "method.alpha");
    int cb = ts_csv_column(h, "b"), ct = ts_csv_column(h, "T"), cf = ts_csv_column(h, "SFO");
    int cstar = ts_csv_column(h, "b_star"), cfin = ts_csv_column(h, "final");
    int cfit = ts_csv_column(h, "inv_b_b_star");
    ck_assert(cs == 0 && ca == 1 && cb > 0 && ct > 0 && cf > 0 && cstar > 0 && cfin > 0 &&
              cfit > 0);
    double bvals[6], sfos[6];
    int reached_any = 0;
    for (int i = 1; i < nb; i++) {
        char fa[64], fbv[64], ft[64], ff[64], fstar[64], ffin[64];
        ts_csv_field(blines[i], ca, fa, sizeof fa);
        ts_csv_field(blines[i], cb, fbv, sizeof fbv);
        ts_csv_field(blines[i], ct, ft, sizeof ft);
        ts_csv_field(blines[i], cf, ff, sizeof ff);
        ts_csv_field(blines[i], cstar, fstar, sizeof fstar);
        ts_csv_field(blines[i], cfin, ffin, sizeof ffin);
        ck_assert_str_eq(ffin, "2");
        double want = median_from_summary(slines, ns, fa, fbv);
        double T = strtod(ft, NULL), S = strtod(ff, NULL), b = atof(fbv);
        if (isinf(want)) {
            ck_assert_str_eq(ft, "inf");
            ck_assert_str_eq(ff, "inf");
        } else {
            ck_assert_double_eq_tol(T, want, 1e-9);
            ck_assert_double_eq_tol(S, b * want, 1e-6 * b * want);
            reached_any = 1;
        }
        /* b* of the setting: the same on its six rows, and what
         * ntr_batch_bstar makes of the rows. */
        int row = (i - 1) % 6;
        bvals[row] = b;
        sfos[row] = isinf(want) ? INFINITY : b * want;
        if (row == 5) {
            ntr_bstar r;
            ntr_batch_bstar(bvals, sfos, 6, 0, &r);
            ck_assert(r.found);
            ck_assert_double_eq_tol(strtod(fstar, NULL), r.b, 1e-6 * r.b);
        }
    }
    ck_assert(reached_any);
    /* The same study with two workers, and again with figures through
     * --collect: the same batch.csv. */
    ck_assert_int_eq(run_ntr(par, "-j", "2", NULL), 0);
    char *pp = ts_path("%s/batch.csv", par);
    ck_assert(ts_files_equal(bp, pp));
    char why[600];
    ck_assert_msg(rc_same_results(out, par, why, sizeof why), "%s", why);
    ck_assert_int_eq(run_ntr(out, "--collect", NULL, NULL), 0);
    char *again = ts_read_file(bp, NULL);
    char *bt2 = ts_read_file(pp, NULL);
    ck_assert_str_eq(again, bt2);
    free(again);
    free(bt2);
    static const char *const files[] = {"plots/batch.dat", "plots/batch_T.gp", "plots/batch_sfo.gp",
                                        "report.md"};
    for (size_t i = 0; i < 4; i++) {
        char *f = ts_path("%s/%s", par, files[i]);
        ck_assert_msg(ts_exists(f), "%s missing", files[i]);
        free(f);
    }
    char *gp = ts_path("%s/plots/batch_sfo.gp", par);
    char *gpt = ts_read_file(gp, NULL);
    ck_assert_ptr_nonnull(strstr(gpt, "set logscale xy"));
    ck_assert_ptr_nonnull(strstr(gpt, "'beta=0.8'"));
    ck_assert_ptr_nonnull(strstr(gpt, "'beta=0.95'"));
    free(gpt);
    free(gp);
    free(pp);
    free(st);
    free(bt);
    free(sp);
    free(bp);
    ts_rmtree(dir);
    free(dir);
    free(out);
    free(par);
}
END_TEST

Suite *batch_suite(void);
Suite *batch_suite(void)
{
    Suite *s = suite_create("batch");
    TCase *tn = tcase_create("numbers");
    tcase_add_test(tn, censored_median);
    tcase_add_test(tn, bstar_on_a_log_log_parabola);
    tcase_add_test(tn, bstar_at_the_edges);
    tcase_add_test(tn, fits_recover_the_models);
    tcase_add_test(tn, fits_with_noise_and_too_few_points);
    tcase_add_test(tn, paper_Y_and_trends);
    suite_add_tcase(s, tn);
    TCase *tp = tcase_create("plan");
    tcase_add_test(tp, plan_cells);
    tcase_add_test(tp, eta_scaling);
    tcase_add_test(tp, bad_study_blocks);
    suite_add_tcase(s, tp);
    TCase *te = tcase_create("end to end");
    tcase_set_timeout(te, 120);
    tcase_add_test(te, small_study_end_to_end);
    suite_add_tcase(s, te);
    return s;
}

int main(void)
{
    return ts_run_suite(batch_suite());
}

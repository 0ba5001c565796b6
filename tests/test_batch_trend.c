/* test_batch_trend.c: the controlled design of the batch study
 * (src/study/batch/batch_boot.c, batch_floor.c): the trend test of b* over
 * seeds on synthetic hitting times with a known answer (b* = 2 Y / eps'
 * of the model T(b) = X b / (eps' b - Y), Y growing along the key: b*
 * rises; the opposite claim must not hold; a b* beyond the batch grid is
 * only a bound and leaves no direction), the slope of b* against Y/eps'
 * on such data (1, as the model says; no direction or the wrong one when
 * b* does not follow Y/eps'), and targets set relative to each
 * setting's full-batch floor (twice the median of ||grad f||_* over the
 * second half of the same run with exact gradients, checked against such a
 * run made here). */
#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "run/runner.h"
#include "study/batch/batch.h"
#include "base/table.h"
#include "support.h"

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define NB 13
#define NS 3
#define NR 6
static const long bs[NB] = {1, 2, 3, 4, 6, 8, 11, 16, 23, 32, 45, 64, 91};

/* T for setting s (Y = Ys[s], eps' = 1, X = 50) with 3% noise per replicate. */
static void synth(double *T, const double *Ys, gsl_rng *r)
{
    for (size_t s = 0; s < NS; s++)
        for (size_t j = 0; j < NB; j++)
            for (size_t k = 0; k < NR; k++) {
                double b = (double)bs[j];
                double t = b > Ys[s] ? 50 * b / (b - Ys[s]) : INFINITY;
                T[(s * NB + j) * NR + k] = t * (1 + 0.03 * gsl_ran_gaussian(r, 1));
            }
}

START_TEST(known_trend)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    static double T[NS * NB * NR];
    static const double Ys[NS] = {2, 4, 8}; /* b* = 4, 8, 16 */
    synth(T, Ys, r);
    const char *val[NS] = {"0.05", "0.1", "0.2"};
    const char *keys[1] = {"method.alpha"};
    ntr_batch_seeds sd = {NS, NB, NR, 1, bs, T, val, keys, 0, NULL};
    size_t rep[NR] = {0, 1, 2, 3, 4, 5};
    for (size_t s = 0; s < NS; s++) {
        double b = ntr_batch_bstar_of(&sd, s, rep, NR);
        ck_assert_msg(fabs(b / (2 * Ys[s]) - 1) < 0.2, "setting %zu: b* %g, model %g", s, b,
                      2 * Ys[s]);
    }
    int holds;
    char line[2000];
    ntr_error err = {0};
    ck_assert(ntr_batch_boot_key(&sd, 0, +1, 300, &holds, line, sizeof line, &err) == 0);
    ck_assert_msg(holds == 1, "%s", line);
    ck_assert_ptr_nonnull(strstr(line, "against beta falls")); /* alpha rises = beta falls */
    ck_assert(ntr_batch_boot_key(&sd, 0, -1, 300, &holds, line, sizeof line, &err) == 0);
    ck_assert_msg(holds == 0, "the opposite claim: %s", line);
    /* the last setting's b* beyond the grid (Y = 60: b* = 120 > 91): a bound only */
    static const double Yfar[NS] = {2, 4, 60};
    synth(T, Yfar, r);
    ck_assert(isnan(ntr_batch_bstar_of(&sd, 2, rep, NR)));
    ck_assert(ntr_batch_boot_key(&sd, 0, +1, 300, &holds, line, sizeof line, &err) == 0);
    ck_assert_msg(holds == -1, "edge b*: %s", line);
    ck_assert_ptr_nonnull(strstr(line, "inconclusive"));
    gsl_rng_free(r);
}
END_TEST

/* b* against Y/eps' (batch_scaling.c) on the model T(b) = 50 b/(b - c),
 * b* = 2c, with c = Y/eps' of each setting: the log-log slope is 1 and the
 * claim holds; b* that does not follow Y/eps' (c the same for every
 * setting while Y/eps' varies) leaves no direction; b* falling as Y/eps'
 * grows is refused. */
START_TEST(scaling_known_answer)
{
    enum { S = 6 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    static double T[S * NB * NR];
    static const double yeps[S] = {1.5, 2, 3, 4, 6, 8};
    const char *val[S] = {"a", "b", "c", "d", "e", "f"};
    const char *keys[1] = {"setting"};
    ntr_batch_seeds sd = {S, NB, NR, 1, bs, T, val, keys, 0, yeps};
    ntr_error err = {0};
    ntr_batch_scaling_result res;
    char line[900];
    for (int mode = 0; mode < 3; mode++) {
        for (size_t s = 0; s < S; s++) {
            /* mode 0: c = Y/eps'; 1: c = 3 for all; 2: c falls as Y/eps' grows */
            double c = mode == 0 ? yeps[s] : mode == 1 ? 3 : 12 / yeps[s];
            for (size_t j = 0; j < NB; j++)
                for (size_t k = 0; k < NR; k++) {
                    double b = (double)bs[j];
                    double t = b > c ? 50 * b / (b - c) : INFINITY;
                    T[(s * NB + j) * NR + k] = t * (1 + 0.03 * gsl_ran_gaussian(r, 1));
                }
        }
        ck_assert(ntr_batch_scaling(&sd, 300, &res, &err) == 0);
        ntr_batch_scaling_text(&res, line, sizeof line);
        ck_assert_uint_eq(res.nsettings, S);
        if (mode == 0) {
            ck_assert_msg(res.holds == 1 && res.ci_lo <= 1.15 && res.ci_hi >= 0.85, "%s", line);
            ck_assert_ptr_nonnull(strstr(line, "as claimed"));
        } else if (mode == 1) {
            ck_assert_msg(res.holds == -1 && fabs(res.slope) < 0.2, "%s", line);
        } else {
            ck_assert_msg(res.holds == 0 && res.ci_hi < 0, "%s", line);
            ck_assert_ptr_nonnull(strstr(line, "NOT as claimed"));
        }
    }
    /* No floors known (a fixed target): no Y/eps', no fit. */
    static const double none[S] = {NAN, NAN, NAN, NAN, NAN, NAN};
    sd.yeps = none;
    ck_assert(ntr_batch_scaling(&sd, 300, &res, &err) == 0);
    ck_assert(isnan(res.slope) && res.holds == -1);
    gsl_rng_free(r);
}
END_TEST

/* target: {floor: 2}: every setting's cells carry twice its own floor. */
START_TEST(floor_targets)
{
    /* _i = 0: {floor: 2}, F = 2, E = 0; _i = 1: {floor: 1.5, above: 0.05} */
    static const char *const forms[2] = {"{floor: 2}", "{floor: 1.5, above: 0.05}"};
    const double F = _i ? 1.5 : 2, E = _i ? 0.05 : 0;
    char *dir = ts_tmpdir();
    char *path = ts_path("%s/b.yaml", dir);
    char cfg[600];
    snprintf(cfg, sizeof cfg,
             "problem: {type: least_squares, shape: [6, 4], samples: 32, planted: true}\n"
             "noise: {type: minibatch}\n"
             "method: {name: ntr, norm: spectral, eta: \"0.05*method.alpha\"}\n"
             "init: {type: zeros}\n"
             "budget: {iterations: 400}\n"
             "study: {type: batch, batch: [1, 4], target: %s, seeds: 1,\n"
             "        over: {method.alpha: [0.5, 0.1]}}\n",
             forms[_i]);
    ck_assert_int_eq(ts_write_file(path, cfg), 0);
    ntr_plan *p = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_plan_load(path, NULL, 0, &p, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(p->ncells, 4);
    for (size_t c = 0; c < p->ncells; c++) {
        const ntr_settings *s = &p->cells[c].s;
        ck_assert_int_eq(s->ntargets, 1);
        ck_assert(s->stop_at_target);
        /* the same setting with exact gradients, run here */
        char exact[600];
        snprintf(exact, sizeof exact,
                 "problem: {type: least_squares, shape: [6, 4], samples: 32, planted: true}\n"
                 "noise: {type: none}\n"
                 "method: {name: ntr, norm: spectral, eta: %.17g, alpha: %.17g}\n"
                 "init: {type: zeros}\nbudget: {iterations: 400}\n"
                 "log: {every: 2, measure_every: log}\n", /* 400 / 200 rows */
                 s->eta.value, s->mopts.alpha);
        char *ep = ts_path("%s/e.yaml", dir);
        ck_assert_int_eq(ts_write_file(ep, exact), 0);
        ntr_plan *q = NULL;
        ck_assert_msg(ntr_plan_load(ep, NULL, 0, &q, &err) == 0, "%s", err.msg);
        ntr_run *run = NULL;
        ntr_run_result res;
        char *tp = ts_path("%s/traj.csv", dir);
        FILE *tf = fopen(tp, "w");
        ck_assert(ntr_run_prepare(&q->cells[0].s, q->cells[0].run_seed, q->cells[0].init_seed,
                                  &run, &err) == 0);
        ck_assert(ntr_run_execute(run, tf, NULL, NULL, &res, &err) == 0);
        fclose(tf);
        ntr_table *t = NULL;
        ck_assert(ntr_table_read(tp, &t, &err) == 0);
        double v[256];
        size_t n = 0, ck, cg;
        ck_assert(ntr_table_require(t, "k", &ck, &err) == 0);
        ck_assert(ntr_table_require(t, "grad_dual", &cg, &err) == 0);
        for (size_t i = 0; i < ntr_table_rows(t) && n < 256; i++)
            if (ntr_table_num(t, i, ck) >= 200)
                v[n++] = ntr_table_num(t, i, cg);
        qsort(v, n, sizeof *v, cmp_d);
        double med = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
        ck_assert_msg(fabs(s->targets[0] - (F * med + E)) <= 1e-12 * s->targets[0],
                      "cell %zu: target %.17g, F x the hover level + E %.17g", c, s->targets[0],
                      F * med + E);
        ck_assert(med > res.min_grad_dual); /* the level it stays at, not its luckiest pass */
        ntr_table_free(t);
        free(tp);
        ntr_run_free(run);
        ntr_plan_free(q);
        free(ep);
    }
    ck_assert(p->cells[0].s.targets[0] != p->cells[2].s.targets[0]); /* each its own floor */
    ntr_plan_free(p);
    /* a factor at or below 1 is refused */
    ck_assert_int_eq(ts_write_file(path, "noise: {type: minibatch}\n"
                                         "study: {type: batch, batch: [1, 2], target: {floor: 1}}\n"),
                     0);
    ck_assert(ntr_plan_load(path, NULL, 0, &p, &err) != 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "above 1"));
    ts_rmtree(dir);
    free(dir);
    free(path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("batch_trend");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, known_trend);
    tcase_add_loop_test(tc, floor_targets, 0, 2);
    tcase_add_test(tc, scaling_known_answer);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

/* test_measures.c: every budget.measure (src/config/measure.h) is the
 * trajectory column of the same name, and a target on it is hit at the
 * first logged k where that column is at or below the target.
 *
 * Each case runs one cell in-process with every iteration logged and
 * measured, reads the trajectory back with the table reader and checks:
 *   - min_grad_dual is the running minimum and avg_grad_dual the running
 *     mean (1/(k+1)) sum_{j<=k} of the grad_dual column (to rounding);
 *   - with log.measure_every = e, avg_grad_dual is the mean over the
 *     grid j = 0, e, 2e, ... only;
 *   - for each measure, hit_k of each target is the first row at or below
 *     it (or -1 when no row is);
 *   - one target on grad_dual, avg_grad_dual and grad_l2 gives three
 *     different hitting times (a runner reading the wrong column fails);
 *   - gap on a problem without a known f* is refused before running. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/measure.h"
#include "config/plan.h"
#include "run/runner.h"
#include "base/table.h"
#include "support.h"

static const char base_cfg[] =
    "problem: {type: least_squares, shape: [12, 6], samples: 24}\n"
    "noise: {type: gaussian, sigma: 0.3}\n"
    "method: {name: ntr, norm: linf, eta: 0.02, alpha: 0.3}\n"
    "budget: {iterations: 120}\n"
    "log: {every: 1}\n";

typedef struct ran {
    ntr_table *traj;
    ntr_run_result res;
} ran;

/* Run the config (base + overrides) and read its trajectory. */
static void run_cell(const char *const *sets, ran *out)
{
    char *dir = ts_tmpdir();
    char *path = ts_path("%s/c.yaml", dir);
    ck_assert_int_eq(ts_write_file(path, base_cfg), 0);
    int nsets = 0;
    while (sets[nsets])
        nsets++;
    ntr_plan *plan = NULL;
    ntr_error err;
    memset(&err, 0, sizeof err);
    ck_assert_msg(ntr_plan_load(path, sets, nsets, &plan, &err) == 0, "%s", err.msg);
    const ntr_cell *c = &plan->cells[0];
    ntr_run *run = NULL;
    ck_assert_msg(ntr_run_prepare(&c->s, c->run_seed, c->init_seed, &run, &err) == 0, "%s",
                  err.msg);
    char *tpath = ts_path("%s/trajectory.csv", dir);
    FILE *traj = fopen(tpath, "w");
    ck_assert_ptr_nonnull(traj);
    ck_assert_msg(ntr_run_execute(run, traj, NULL, NULL, &out->res, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(fclose(traj), 0);
    ck_assert_msg(ntr_table_read(tpath, &out->traj, &err) == 0, "%s", err.msg);
    ntr_run_free(run);
    ntr_plan_free(plan);
    ts_rmtree(dir);
    free(tpath);
    free(path);
    free(dir);
}

static size_t col(const ntr_table *t, const char *name)
{
    long c = ntr_table_find(t, name);
    ck_assert_msg(c >= 0, "no column %s", name);
    return (size_t)c;
}

START_TEST(running_statistics)
{
    ran r;
    run_cell((const char *const[]){NULL}, &r);
    size_t n = ntr_table_rows(r.traj), cg = col(r.traj, "grad_dual");
    size_t cmin = col(r.traj, "min_grad_dual"), cavg = col(r.traj, "avg_grad_dual");
    ck_assert_int_eq(n, 121);
    double mn = INFINITY, sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        double g = ntr_table_num(r.traj, i, cg);
        mn = fmin(mn, g);
        sum += g;
        ck_assert_double_eq(ntr_table_num(r.traj, i, cmin), mn);
        ck_assert_double_eq_tol(ntr_table_num(r.traj, i, cavg), sum / (double)(i + 1),
                                1e-12 * sum);
    }
    /* the average is not the minimum: the run is noisy, so they part */
    ck_assert_double_gt(ntr_table_num(r.traj, n - 1, cavg), 1.2 * mn);
    ck_assert_double_eq_tol(r.res.avg_grad_dual, sum / (double)n, 1e-12 * sum);
    ntr_table_free(r.traj);
}
END_TEST

START_TEST(average_on_the_measure_grid)
{
    ran r;
    run_cell((const char *const[]){"log.measure_every=4", NULL}, &r);
    size_t n = ntr_table_rows(r.traj), cg = col(r.traj, "grad_dual");
    size_t cavg = col(r.traj, "avg_grad_dual");
    double sum = 0.0;
    long cnt = 0;
    for (size_t i = 0; i < n; i++) {
        if (i % 4 == 0) {
            sum += ntr_table_num(r.traj, i, cg);
            cnt++;
        }
        ck_assert_double_eq_tol(ntr_table_num(r.traj, i, cavg), sum / (double)cnt, 1e-12 * sum);
    }
    ntr_table_free(r.traj);
}
END_TEST

/* The first row whose column is at or below target, or -1. */
static long first_hit(const ntr_table *t, const char *name, double target)
{
    size_t c = col(t, name), kc = col(t, "k");
    for (size_t i = 0; i < ntr_table_rows(t); i++)
        if (ntr_table_num(t, i, c) <= target)
            return (long)ntr_table_num(t, i, kc);
    return -1;
}

START_TEST(targets_on_each_measure)
{
    /* Targets for measure i: quantiles of that column in a reference run,
     * so that each is reached at some interior k. */
    ran ref;
    run_cell((const char *const[]){NULL}, &ref);
    for (int m = 0; m < NTR_MEASURE_COUNT; m++) {
        const char *name = ntr_measure_names[m];
        size_t c = col(ref.traj, name);
        size_t n = ntr_table_rows(ref.traj);
        double t1 = ntr_table_num(ref.traj, n / 3, c), t2 = ntr_table_num(ref.traj, n - 1, c);
        double lo = t1 < t2 ? t1 : t2, hi = t1 < t2 ? t2 : t1;
        char measure[64], targets[128];
        snprintf(measure, sizeof measure, "budget.measure=%s", name);
        snprintf(targets, sizeof targets, "budget.targets=[%.17g, %.17g, %.17g]", hi, lo,
                 1e-300);
        ran r;
        run_cell((const char *const[]){measure, targets, NULL}, &r);
        const double want[3] = {hi, lo, 1e-300};
        for (int i = 0; i < 3; i++)
            ck_assert_msg(r.res.hit_k[i] == first_hit(r.traj, name, want[i]),
                          "%s target %g: hit at %ld, trajectory says %ld", name, want[i],
                          r.res.hit_k[i], first_hit(r.traj, name, want[i]));
        ck_assert_int_eq(r.res.hit_k[2], -1);
        ck_assert_int_eq(r.res.status, NTR_STATUS_NOT_REACHED);
        ntr_table_free(r.traj);
    }
    ntr_table_free(ref.traj);
}
END_TEST

/* One target value on three measures of the same units: the running mean
 * lags the current norm, and the l2 norm is below the linf method's dual
 * (l1) norm, so the three hitting times differ; a runner that read the
 * wrong column for any of them gives equal times. */
START_TEST(measures_differ)
{
    ran ref;
    run_cell((const char *const[]){NULL}, &ref);
    double t = ntr_table_num(ref.traj, 30, col(ref.traj, "grad_dual"));
    ntr_table_free(ref.traj);
    char targets[64];
    snprintf(targets, sizeof targets, "budget.targets=%.17g", t);
    const char *names[3] = {"grad_dual", "avg_grad_dual", "grad_l2"};
    long hit[3];
    for (int i = 0; i < 3; i++) {
        char measure[64];
        snprintf(measure, sizeof measure, "budget.measure=%s", names[i]);
        ran r;
        run_cell((const char *const[]){measure, targets, NULL}, &r);
        hit[i] = r.res.hit_k[0];
        ntr_table_free(r.traj);
    }
    ck_assert_int_le(hit[0], 30);
    ck_assert_msg(hit[1] > hit[0] || hit[1] < 0, "avg hit %ld, current %ld", hit[1], hit[0]);
    ck_assert_msg(hit[2] < hit[0], "l2 hit %ld, dual %ld", hit[2], hit[0]);
}
END_TEST

/* grad_l1 is ||grad f||_1 whatever the method's norm: the linf method's
 * dual norm itself, between ||grad||_2 and sqrt(d) ||grad||_2 under the
 * euclidean norm; a target on it is hit at the first measured k where the
 * column is at most the target. */
START_TEST(grad_l1_column)
{
    ran r;
    run_cell((const char *const[]){NULL}, &r);
    size_t c1 = col(r.traj, "grad_l1"), cd = col(r.traj, "grad_dual");
    for (size_t i = 0; i < ntr_table_rows(r.traj); i++) {
        double a = ntr_table_num(r.traj, i, c1), b = ntr_table_num(r.traj, i, cd);
        ck_assert_msg(fabs(a - b) <= 1e-12 * b, "row %zu: l1 %.17g, linf dual %.17g", i, a, b);
    }
    ntr_table_free(r.traj);
    run_cell((const char *const[]){"method.norm=euclidean", NULL}, &r);
    c1 = col(r.traj, "grad_l1");
    size_t c2 = col(r.traj, "grad_l2");
    double t = ntr_table_num(r.traj, 20, c1);
    for (size_t i = 0; i < ntr_table_rows(r.traj); i++) {
        double a = ntr_table_num(r.traj, i, c1), b = ntr_table_num(r.traj, i, c2);
        ck_assert(a >= b * (1 - 1e-12) && a <= sqrt(72.0) * b * (1 + 1e-12)); /* d = 12 x 6 */
    }
    ntr_table_free(r.traj);
    char target[64];
    snprintf(target, sizeof target, "budget.targets=%.17g", t);
    run_cell((const char *const[]){"method.norm=euclidean", "budget.measure=grad_l1", target, NULL},
             &r);
    long k = r.res.hit_k[0];
    ck_assert(k >= 0);
    size_t ck = col(r.traj, "k");
    for (size_t i = 0; i < ntr_table_rows(r.traj); i++)
        if (ntr_table_num(r.traj, i, ck) < (double)k)
            ck_assert(ntr_table_num(r.traj, i, c1) > t);
    ntr_table_free(r.traj);
}
END_TEST

/* A target on f may be negative (f itself may be); on a norm it may not. */
START_TEST(negative_targets)
{
    char *dir = ts_tmpdir();
    char *path = ts_path("%s/c.yaml", dir);
    ck_assert_int_eq(ts_write_file(path, "budget: {measure: f, targets: [-1.5]}\n"), 0);
    ntr_plan *plan = NULL;
    ntr_error err;
    memset(&err, 0, sizeof err);
    ck_assert_msg(ntr_plan_load(path, NULL, 0, &plan, &err) == 0, "%s", err.msg);
    ck_assert_double_eq(plan->cells[0].s.targets[0], -1.5);
    ntr_plan_free(plan);
    const char *sets[] = {"budget.measure=grad_dual"};
    ck_assert_int_ne(ntr_plan_load(path, sets, 1, &plan, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "must be positive"));
    ts_rmtree(dir);
    free(path);
    free(dir);
}
END_TEST

START_TEST(gap_needs_f_star)
{
    char *dir = ts_tmpdir();
    char *path = ts_path("%s/c.yaml", dir);
    ck_assert_int_eq(ts_write_file(path, "problem: {type: logistic, shape: [6, 1]}\n"
                                         "budget: {iterations: 5, measure: gap}\n"),
                     0);
    ntr_plan *plan = NULL;
    ntr_error err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(ntr_plan_load(path, NULL, 0, &plan, &err), 0);
    ntr_run *run = NULL;
    ck_assert_int_ne(ntr_run_prepare(&plan->cells[0].s, 1, 1, &run, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "f*"));
    ntr_plan_free(plan);
    ts_rmtree(dir);
    free(path);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("measures");
    TCase *tc = tcase_create("measures");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, running_statistics);
    tcase_add_test(tc, average_on_the_measure_grid);
    tcase_add_test(tc, targets_on_each_measure);
    tcase_add_test(tc, measures_differ);
    tcase_add_test(tc, grad_l1_column);
    tcase_add_test(tc, negative_targets);
    tcase_add_test(tc, gap_needs_f_star);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

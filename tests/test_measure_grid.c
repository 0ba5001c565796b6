/* test_measure_grid.c: measuring on the logging grid, the default
 * (log.measure_every: log; src/run/runner.c, src/run/cost.c).
 *
 * By default the exact gradient is computed at the logged rows only:
 * min_grad_dual is the running minimum of the rows' grad_dual, and
 * avg_grad_dual their mean weighted by the iterations each row stands for
 * (recomputed here from the rows); --plan counts one gradient per row.  A
 * run that blows up between two rows is still diverged (a stochastic
 * gradient entry beyond diverge_above), with a row where it stood; and
 * measure_every: 1 keeps exact hitting times (a logged-grid K is a logged
 * k, never earlier than the exact one). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "support.h"

static const char yaml[] = "name: grid\nseed: 4\n"
                           "problem: {type: least_squares, shape: [6, 4], samples: 16}\n"
                           "noise: {type: gaussian, sigma: 0.2}\n"
                           "method: {name: ntr, norm: spectral, eta: 0.02, alpha: 0.2}\n"
                           "budget: {iterations: 400, targets: [1.0, 0.3]}\n";

static char *trajectory(const char *config, const char *out, const char *set)
{
    ts_result r;
    if (set)
        NTR_RUN(r, config, "-o", out, "-q", "--no-plot", "--set", set);
    else
        NTR_RUN(r, config, "-o", out, "-q", "--no-plot");
    ck_assert_msg(r.code == 0, "%s", r.err);
    ts_result_free(&r);
    const char *sets[1] = {set};
    ntr_plan *p;
    ntr_error err;
    ck_assert(ntr_plan_load(config, sets, set ? 1 : 0, &p, &err) == 0);
    char *path = ts_path("%s/cells/%s/trajectory.csv", out, p->cells[0].hash);
    char *text = ts_read_file(path, NULL);
    ck_assert_ptr_nonnull(text);
    free(path);
    ntr_plan_free(p);
    return text;
}

START_TEST(running_statistics_from_the_rows)
{
    ts_scratch s = ts_scratch_new(yaml);
    char *out = ts_path("%s/a", s.dir);
    char *text = trajectory(s.config, out, NULL);
    char *line[256];
    int n = ts_split_lines(text, line, 256);
    int ck = ts_csv_column(line[0], "k"), cg = ts_csv_column(line[0], "grad_dual");
    int cm = ts_csv_column(line[0], "min_grad_dual"), ca = ts_csv_column(line[0], "avg_grad_dual");
    double min = INFINITY, sum = 0, last = 0;
    long last_k = 0;
    char buf[64];
    for (int i = 1; i < n; i++) {
        ck_assert_int_eq(ts_csv_field(line[i], ck, buf, sizeof buf), 0);
        long k = strtol(buf, NULL, 10);
        ck_assert_int_eq(ts_csv_field(line[i], cg, buf, sizeof buf), 0);
        double g = strtod(buf, NULL);
        if (i > 1)
            sum += last * (double)(k - last_k);
        last = g;
        last_k = k;
        min = fmin(min, g);
        ck_assert_int_eq(ts_csv_field(line[i], cm, buf, sizeof buf), 0);
        ck_assert_double_eq(strtod(buf, NULL), min);
        ck_assert_int_eq(ts_csv_field(line[i], ca, buf, sizeof buf), 0);
        double want = (sum + g) / (double)(k + 1);
        ck_assert_msg(fabs(strtod(buf, NULL) - want) <= 1e-12 * want, "k %ld: avg %s, want %.17g",
                      k, buf, want);
    }
    /* --plan: one gradient per row */
    ts_result r;
    char *fresh = ts_path("%s/fresh", s.dir);
    NTR_RUN(r, s.config, "--plan", "-o", fresh);
    free(fresh);
    char want[128];
    snprintf(want, sizeof want, " 400        401 %9d  all", n - 1);
    ck_assert_msg(strstr(r.out, want), "no '%s' in %s", want, r.out);
    ts_result_free(&r);
    free(text);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(divergence_between_rows_and_exact_hitting_times)
{
    ts_scratch s = ts_scratch_new(yaml);
    /* sign steps of 1e300 on sine_quadratic: x swings between 0 (at even
     * k, the logged rows) and 1e300 (odd k, where the gradient is huge) */
    char *out = ts_path("%s/d", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot", "--set", "problem.type=sine_quadratic",
            "--unset", "problem.samples", "--set", "method.norm=linf", "--set",
            "method.eta=1e300", "--set", "method.alpha=0.5", "--set", "log.every=100", "--set",
            "budget.diverge_above=1e300");
    ck_assert_int_eq(r.code, 1);
    ts_result_free(&r);
    char *sum = ts_path("%s/summary.csv", out);
    char *text = ts_read_file(sum, NULL);
    ck_assert_ptr_nonnull(strstr(text, ",diverged,"));
    ck_assert_ptr_null(strstr(text, ",done,"));
    free(text);
    free(sum);
    free(out);

    /* hitting times: exact with measure_every 1, a logged k by default */
    char *a = ts_path("%s/exact", s.dir), *b = ts_path("%s/log", s.dir);
    free(trajectory(s.config, a, "log.measure_every=1"));
    free(trajectory(s.config, b, NULL));
    char *pa = ts_path("%s/targets.csv", a), *pb = ts_path("%s/targets.csv", b);
    char *ta = ts_read_file(pa, NULL), *tb = ts_read_file(pb, NULL);
    char *la[8], *lb[8];
    ck_assert_int_eq(ts_split_lines(ta, la, 8), 3);
    ck_assert_int_eq(ts_split_lines(tb, lb, 8), 3);
    for (int i = 1; i < 3; i++) {
        char x[32], y[32];
        ck_assert_int_eq(ts_csv_field(la[i], 3, x, sizeof x), 0);
        ck_assert_int_eq(ts_csv_field(lb[i], 3, y, sizeof y), 0);
        ck_assert_msg(x[0] && y[0], "target %d not reached", i);
        ck_assert_int_le(atol(x), atol(y));
    }
    free(ta);
    free(tb);
    free(pa);
    free(pb);
    free(a);
    free(b);
    ts_scratch_free(&s);
}
END_TEST

static Suite *grid_suite(void)
{
    Suite *s = suite_create("measure_grid");
    TCase *tc = tcase_create("measure_grid");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, running_statistics_from_the_rows);
    tcase_add_test(tc, divergence_between_rows_and_exact_hitting_times);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ts_run_suite(grid_suite()); }

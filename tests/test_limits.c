/* test_limits.c: memory and disk estimated before anything runs, and
 * their overrides, end to end (src/run/estimate.h).
 *
 * The attack list's sizes (a Gram matrix from problem.shape, an mlp's
 * hidden width, a billion logged rows) are refused by the bad-input
 * corpus (tests/bad/mem_*, disk_*); here: the estimate counts the cells
 * run at once (-j), --max-memory and --max-disk set the limits (none lifts
 * them), and nothing is written when a limit refuses. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "run/estimate.h"
#include "support.h"

/* A least_squares cell of about 10 MB (A of 1024 x 256 and its copies). */
static const char mid_yaml[] = "name: mid\n"
                               "problem: {shape: [256, 8], samples: 1024}\n"
                               "budget: {iterations: 3}\n"
                               "sweep: {method.norm: [euclidean, linf]}\n";

START_TEST(estimate_is_of_the_right_size)
{
    ts_scratch s = ts_scratch_new(mid_yaml);
    ntr_plan *p = ts_plan_of(s.config);
    ntr_memory_estimate e;
    ntr_error err;
    ck_assert_int_eq(ntr_estimate_memory(&p->cells[0].s, &e, &err), 0);
    /* A alone is 1024 x 256 doubles = 2 MiB; everything within 4x of 8 MiB */
    ck_assert_msg(e.bytes > 2.0 * 1048576 && e.bytes < 32.0 * 1048576, "%g", e.bytes);
    ck_assert_str_eq(e.key, "problem.samples");
    ntr_plan_free(p);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(cells_at_once_and_overrides)
{
    ts_scratch s = ts_scratch_new(mid_yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    /* two cells at once need twice one cell: above 15 MiB */
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot", "-j", "2", "--max-memory", "15M");
    ck_assert_msg(r.code == 2, "exit %d: %s", r.code, r.err);
    ck_assert_msg(strstr(r.err, "problem.samples: a cell would need about") &&
                      strstr(r.err, "for the 2 cells run at once (-j)") &&
                      strstr(r.err, "--max-memory"),
                  "%s", r.err);
    ts_result_free(&r);
    ck_assert(!ts_exists(out));
    /* one at a time fits */
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot", "-j", "1", "--max-memory", "15M");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    /* a limit below one cell refuses even a resume; none lifts it */
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot", "--max-memory", "1M");
    ck_assert_int_eq(r.code, 2);
    ts_result_free(&r);
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot", "--max-memory", "none");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    NTR_RUN(r, s.config, "-o", out, "-q", "--max-memory", "lots");
    ck_assert_int_eq(r.code, 2);
    ck_assert_msg(strstr(r.err, "--max-memory takes a size"), "%s", r.err);
    ts_result_free(&r);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(disk_limit)
{
    ts_scratch s = ts_scratch_new(mid_yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "-q", "--max-disk", "4K");
    ck_assert_msg(r.code == 2, "exit %d: %s", r.code, r.err);
    char *prefix = ts_path("%s:3:22: budget.iterations: the result folder would take about",
                           s.config);
    ck_assert_msg(strncmp(r.err, prefix, strlen(prefix)) == 0, "%s", r.err);
    ck_assert_msg(strstr(r.err, "--max-disk"), "%s", r.err);
    ts_result_free(&r);
    ck_assert(!ts_exists(out));
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot", "--max-disk", "none");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    free(prefix);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("limits");
    TCase *tc = tcase_create("limits");
    tcase_set_timeout(tc, 120); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, estimate_is_of_the_right_size);
    tcase_add_test(tc, cells_at_once_and_overrides);
    tcase_add_test(tc, disk_limit);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

/* test_best.c: the best setting for each value of the first swept key
 * (src/output/best.h).
 *
 * On a hand-written summary with a known answer: each norm's best eta is the
 * group with the smallest median final measure (the measure named by
 * budget.measure, not another column); a diverged group (no finite value)
 * is never preferred; a sweep of one key has no choice to show.  End to
 * end: ntr-run prints the choice and report.md has the section (and the
 * final grad_l2 and f beside each method's own dual norm). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/best.h"
#include "support.h"

/* Two norms x three etas, two seeds each.  By gap: spectral's best is
 * eta=0.1 (medians 5, 2, 3), euclidean's is eta=0.01 (diverged at 1, the
 * value's first group, and a smaller min_grad_dual at 0.1 that must not
 * matter). */
static const char csv[] =
    "index,hash,group,replicate,method.norm,method.eta,status,gap,min_grad_dual,"
    "budget.measure\n"
    "0,a0,method.norm=spectral method.eta=0.01,0,spectral,0.01,done,4,9,gap\n"
    "1,a1,method.norm=spectral method.eta=0.01,1,spectral,0.01,done,6,9,gap\n"
    "2,a2,method.norm=spectral method.eta=0.1,0,spectral,0.1,done,1,9,gap\n"
    "3,a3,method.norm=spectral method.eta=0.1,1,spectral,0.1,done,3,9,gap\n"
    "4,a4,method.norm=spectral method.eta=1,0,spectral,1,done,3,9,gap\n"
    "5,a5,method.norm=spectral method.eta=1,1,spectral,1,done,3,9,gap\n"
    "10,b0,method.norm=euclidean method.eta=1,0,euclidean,1,diverged,,,gap\n"
    "6,a6,method.norm=euclidean method.eta=0.01,0,euclidean,0.01,done,7,5,gap\n"
    "7,a7,method.norm=euclidean method.eta=0.01,1,euclidean,0.01,done,9,5,gap\n"
    "8,a8,method.norm=euclidean method.eta=0.1,0,euclidean,0.1,done,10,0.1,gap\n"
    "9,a9,method.norm=euclidean method.eta=0.1,1,euclidean,0.1,done,12,0.1,gap\n"
    "11,b1,method.norm=euclidean method.eta=1,1,euclidean,1,diverged,,,gap\n";

START_TEST(each_value_at_its_best)
{
    ntr_error err = {0};
    ntr_table *t = NULL;
    ck_assert_int_eq(ntr_table_parse("summary.csv", csv, strlen(csv), &t, &err), 0);
    ntr_groups g;
    ck_assert_int_eq(ntr_groups_from_summary(t, &g, &err), 0);
    ntr_best b;
    ck_assert_int_eq(ntr_best_find(t, &g, &b, &err), 0);
    ck_assert_str_eq(b.key, "method.norm");
    ck_assert_str_eq(b.measure, "gap");
    ck_assert_uint_eq(b.n, 2);
    ck_assert_str_eq(b.e[0].value, "spectral");
    ck_assert_str_eq(g.g[b.e[0].group].label, "method.norm=spectral method.eta=0.1");
    ck_assert_double_eq_tol(b.e[0].median, 2.0, 1e-12);
    ck_assert_uint_eq(b.e[0].ngroups, 3);
    ck_assert_str_eq(b.e[1].value, "euclidean");
    ck_assert_str_eq(g.g[b.e[1].group].label, "method.norm=euclidean method.eta=0.01");
    ck_assert_double_eq_tol(b.e[1].median, 8.0, 1e-12);
    char rest[64];
    ntr_best_rest(&b, &b.e[1], g.g[b.e[1].group].label, rest, sizeof rest);
    ck_assert_str_eq(rest, "method.eta=0.01");
    ntr_best_free(&b);
    ntr_groups_free(&g);
    ntr_table_free(t);
}
END_TEST

/* Every group diverged for a value: its entry has no number but exists. */
START_TEST(all_diverged_and_no_choice)
{
    static const char one_key[] =
        "index,hash,group,replicate,method.norm,status,gap,budget.measure\n"
        "0,a0,method.norm=spectral,0,spectral,done,4,gap\n"
        "1,a1,method.norm=euclidean,0,euclidean,done,6,gap\n";
    ntr_error err = {0};
    ntr_table *t = NULL;
    ck_assert_int_eq(ntr_table_parse("summary.csv", one_key, strlen(one_key), &t, &err), 0);
    ntr_groups g;
    ck_assert_int_eq(ntr_groups_from_summary(t, &g, &err), 0);
    ntr_best b;
    ck_assert_int_eq(ntr_best_find(t, &g, &b, &err), 0);
    ck_assert_uint_eq(b.n, 0); /* one key: nothing to choose */
    ntr_best_free(&b);
    ntr_groups_free(&g);
    ntr_table_free(t);

    static const char diverged[] =
        "index,hash,group,replicate,method.norm,method.eta,status,gap,budget.measure\n"
        "0,a0,method.norm=linf method.eta=1,0,linf,1,diverged,,gap\n"
        "1,a1,method.norm=linf method.eta=2,0,linf,2,diverged,,gap\n";
    ck_assert_int_eq(ntr_table_parse("summary.csv", diverged, strlen(diverged), &t, &err), 0);
    ck_assert_int_eq(ntr_groups_from_summary(t, &g, &err), 0);
    ck_assert_int_eq(ntr_best_find(t, &g, &b, &err), 0);
    ck_assert_uint_eq(b.n, 1);
    ck_assert(isnan(b.e[0].median));
    ntr_best_free(&b);
    ntr_groups_free(&g);
    ntr_table_free(t);
}
END_TEST

static const char yaml[] =
    "name: best\n"
    "seed: 2\n"
    "problem: {type: least_squares, shape: [4, 3], samples: 8}\n"
    "noise: {type: gaussian, sigma: 0.01}\n"
    "method: {name: ntr, alpha: 0.5}\n"
    "budget: {iterations: 60, measure: gap, targets: [1e-9]}\n"
    "log: {every: 20}\n"
    "sweep: {method.norm: [spectral, euclidean], method.eta: [0.001, 0.05]}\n";

START_TEST(printed_and_reported)
{
    ts_scratch s = ts_scratch_new(yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "best setting for each method.norm (smallest median "
                                        "final gap):\n  spectral     method.eta=0.05"));
    ck_assert_ptr_nonnull(strstr(r.out, "\n  euclidean    method.eta=0.05"));
    ck_assert_ptr_nonnull(strstr(r.out, "not_reached: ran every iteration"));
    ts_result_free(&r);
    char *rep_path = ts_path("%s/report.md", out);
    char *rep = ts_read_file(rep_path, NULL);
    ck_assert_ptr_nonnull(rep);
    const char *sec = strstr(rep, "## Best setting for each method.norm");
    ck_assert_ptr_nonnull(sec);
    ck_assert_ptr_nonnull(strstr(sec, "| `spectral` | `method.eta=0.05` | 2 |"));
    ck_assert(sec < strstr(rep, "## Final values by group"));
    /* the final values in norms every method shares, beside its own dual norm */
    ck_assert_ptr_nonnull(strstr(rep, "| final grad_dual | min grad_dual | final grad_l2 | final f "
                                      "| final gap |"));
    free(rep);
    free(rep_path);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

static Suite *best_suite(void)
{
    Suite *s = suite_create("best");
    TCase *tc = tcase_create("best");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, each_value_at_its_best);
    tcase_add_test(tc, all_diverged_and_no_choice);
    tcase_add_test(tc, printed_and_reported);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ts_run_suite(best_suite()); }

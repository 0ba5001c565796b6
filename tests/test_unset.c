/* test_unset.c: --unset KEY (src/config/plan.c, src/cli/ntr_run.c) and
 * --set of a swept key.
 *
 * --unset removes a config key (it takes its default again), a swept key
 * (sweep.method.eta: the sweep loses that axis, and an emptied sweep goes)
 * or a block (seeds); removals and --set apply in command-line order, so
 * `--unset sweep.method.eta --set method.eta=0.5` runs eta 0.5 where a
 * plain `--set method.eta=0.5` is refused naming sweep.method.eta; a key
 * the config lacks is an error naming it. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "support.h"

static const char yaml[] = "name: u\n"
                           "method: {eta: 0.05, alpha: 0.3, nesterov: true}\n"
                           "sweep: {method.eta: [0.01, 0.1], method.norm: [spectral, linf]}\n"
                           "seeds: 3\n";

static ntr_plan *plan_with(const char *config, const char *const *sets, int n, ntr_error *err)
{
    ntr_plan *p = NULL;
    if (ntr_plan_load(config, sets, n, &p, err) != 0)
        return NULL;
    return p;
}

START_TEST(unset_keys_axes_and_blocks)
{
    ts_scratch s = ts_scratch_new(yaml);
    ntr_error err;
    ntr_plan *p = plan_with(s.config, NULL, 0, &err);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(p->ncells, 12);
    ntr_plan_free(p);

    const char *a[] = {"!sweep.method.eta", "method.eta=0.5"};
    p = plan_with(s.config, a, 2, &err);
    ck_assert_msg(p != NULL, "%s", err.msg);
    ck_assert_uint_eq(p->ncells, 6);
    ck_assert_uint_eq(p->naxes, 1);
    ck_assert_double_eq(p->cells[0].s.eta.value, 0.5);
    ntr_plan_free(p);

    const char *b[] = {"!sweep.method.eta", "!sweep.method.norm", "!seeds", "!method.nesterov",
                       "!method.alpha"};
    p = plan_with(s.config, b, 5, &err);
    ck_assert_msg(p != NULL, "%s", err.msg);
    ck_assert_uint_eq(p->ncells, 1);
    ck_assert_ptr_null(ntr_node_get(p->root, "sweep"));
    ck_assert_int_eq(p->cells[0].s.mopts.nesterov, 0);       /* the default again */
    ck_assert_double_eq(p->cells[0].s.mopts.alpha, 0.1);
    ck_assert_double_eq(p->cells[0].s.eta.value, 0.05);
    ntr_plan_free(p);

    const char *c[] = {"!method.nestrov"};
    ck_assert_ptr_null(plan_with(s.config, c, 1, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "--unset method.nestrov: the config has no such key"));
    const char *d[] = {"method.eta=0.5"};
    ck_assert_ptr_null(plan_with(s.config, d, 1, &err));
    ck_assert_msg(strstr(err.msg, "sweep key 'method.eta' is also set by --set") &&
                      strstr(err.msg, "--unset sweep.method.eta"),
                  "%s", err.msg);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(unset_on_the_command_line)
{
    ts_scratch s = ts_scratch_new(yaml);
    ts_result r;
    NTR_RUN(r, s.config, "--plan", "--unset", "sweep.method.eta", "--set", "method.eta=0.5");
    ck_assert_msg(r.code == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "6 cells"));
    ts_result_free(&r);
    NTR_RUN(r, s.config, "--plan", "--set", "method.eta=0.5");
    ck_assert_int_eq(r.code, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "sweep.method.eta"));
    ts_result_free(&r);
    NTR_RUN(r, s.config, "--plan", "--unset", "method.eta=1");
    ck_assert_int_eq(r.code, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "--unset takes a key"));
    ts_result_free(&r);
    NTR_RUN(r, s.config, "--plan", "--unset", "budget.targets");
    ck_assert_int_eq(r.code, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "--unset:1:1: --unset budget.targets: the config has"));
    ts_result_free(&r);
    ts_scratch_free(&s);
}
END_TEST

static Suite *unset_suite(void)
{
    Suite *s = suite_create("unset");
    TCase *tc = tcase_create("unset");
    tcase_add_test(tc, unset_keys_axes_and_blocks);
    tcase_add_test(tc, unset_on_the_command_line);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ts_run_suite(unset_suite()); }

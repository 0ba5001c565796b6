/* test_setting_expr.c: settings given as expressions of other settings
 * (src/config/setting_expr.c): what counts as one, each cell's value from
 * its own settings (in the base config, in a sweep and in a study's over
 * grid), defaults and booleans as inputs, integers kept whole, the cell
 * identity holding the number, and the errors (an unknown setting, a
 * syntax error with its column, an expression of an expression, a setting
 * that is not a number). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "config/setting_expr.h"
#include "support.h"

typedef struct cfg {
    char *dir, *path;
} cfg;

static cfg cfg_new(const char *yaml)
{
    cfg c;
    c.dir = ts_tmpdir();
    ck_assert_ptr_nonnull(c.dir);
    c.path = ts_path("%s/expr.yaml", c.dir);
    ck_assert_int_eq(ts_write_file(c.path, yaml), 0);
    return c;
}

static void cfg_free(cfg *c)
{
    ck_assert_int_eq(ts_rmtree(c->dir), 0);
    free(c->dir);
    free(c->path);
}

static int try_load(const char *yaml, ntr_plan **p, ntr_error *err)
{
    cfg c = cfg_new(yaml);
    memset(err, 0, sizeof *err);
    int rc = ntr_plan_load(c.path, NULL, 0, p, err);
    cfg_free(&c);
    return rc;
}

static ntr_plan *load(const char *yaml)
{
    ntr_plan *p = NULL;
    ntr_error err;
    ck_assert_msg(try_load(yaml, &p, &err) == 0, "%d:%d: %s", err.line, err.col, err.msg);
    return p;
}

START_TEST(what_counts_as_an_expression)
{
    ck_assert(ntr_setting_expr_refers("0.03*method.alpha"));
    ck_assert(ntr_setting_expr_refers("method.alpha"));
    ck_assert(ntr_setting_expr_refers("2*noise.batch + 1"));
    ck_assert(ntr_setting_expr_refers("min(problem.curvature_max, 3)"));
    ck_assert(!ntr_setting_expr_refers("0.1/sqrt(k+1)")); /* a schedule in k and K */
    ck_assert(!ntr_setting_expr_refers("data/A.csv"));
    ck_assert(!ntr_setting_expr_refers("1e-3"));
    ck_assert(!ntr_setting_expr_refers("xmethod.alpha"));
    ck_assert(!ntr_setting_expr_refers("a.method.alpha"));
    ck_assert(!ntr_setting_expr_refers("method."));
}
END_TEST

/* eta/alpha fixed while alpha is swept: each cell's eta is 0.03 alpha. */
START_TEST(each_cell_its_own_value)
{
    ntr_plan *p = load("method: {eta: \"0.03*method.alpha\"}\n"
                       "budget: {iterations: 5}\n"
                       "sweep: {method.alpha: [0.2, 0.1, 0.05], method.nesterov: [false, true]}\n");
    ck_assert_uint_eq(p->ncells, 6);
    for (size_t i = 0; i < p->ncells; i++) {
        const ntr_settings *s = &p->cells[i].s;
        ck_assert_int_eq(s->eta.type, NTR_SCHED_CONSTANT);
        ck_assert_double_eq(s->eta.value, 0.03 * s->mopts.alpha);
        ck_assert_ptr_null(strstr(p->cells[i].yaml, "method.alpha")); /* the number, not the formula */
    }
    ck_assert(p->cells[0].s.eta.value != p->cells[2].s.eta.value);
    /* the base settings are the base config's (alpha's default 0.1) */
    ck_assert_double_eq(p->base.eta.value, 0.03 * 0.1);
    char *y = ntr_plan_yaml(p);
    ck_assert_ptr_nonnull(strstr(y, "# method.eta: \"0.03*method.alpha\" is an expression"));
    free(y);
    ntr_plan_free(p);
}
END_TEST

/* In a sweep or an over grid; defaults and booleans as inputs; whole
 * numbers stay whole (noise.batch is an integer key). */
START_TEST(in_grids_defaults_booleans_integers)
{
    ntr_plan *p = load("budget: {iterations: 40}\n"
                       "sweep:\n"
                       "  method.weight_decay: [\"0.5*method.nesterov + 2*method.alpha\"]\n"
                       "  method.nesterov: [false, true]\n"
                       "  noise.batch: [\"budget.iterations/10\"]\n");
    ck_assert_uint_eq(p->ncells, 2);
    ck_assert_double_eq(p->cells[0].s.mopts.weight_decay, 2 * 0.1);
    ck_assert_double_eq(p->cells[1].s.mopts.weight_decay, 0.5 + 2 * 0.1);
    ck_assert_int_eq(p->cells[0].s.batch, 4);
    ntr_plan_free(p);
    p = load("method: {alpha: 0.25}\n"
             "study: {type: compare, seeds: 2, over: {method.eta: [\"method.alpha/5\", 0.01]}}\n");
    ck_assert_uint_eq(p->ncells, 4);
    ck_assert_double_eq(p->cells[0].s.eta.value, 0.25 / 5);
    ck_assert_double_eq(p->cells[2].s.eta.value, 0.01);
    ntr_plan_free(p);
}
END_TEST

static void expect_error(const char *yaml, const char *fragment, int line, int col)
{
    ntr_plan *p = NULL;
    ntr_error err;
    ck_assert_msg(try_load(yaml, &p, &err) != 0, "accepted: %s", yaml);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err.msg, fragment), "%s: '%s' lacks '%s'", yaml, err.msg, fragment);
    ck_assert_msg(err.line == line && err.col == col, "%s: at %d:%d, want %d:%d (%s)", yaml,
                  err.line, err.col, line, col, err.msg);
}

START_TEST(errors)
{
    expect_error("method: {eta: \"0.03*method.alpah\"}\n", "method.alpah, which is not a setting", 1,
                 15);
    expect_error("method: {eta: \"0.03*(method.alpha\"}\n", "Missing parenthesis", 1, 34);
    expect_error("method: {eta: \"0.03*method.alpha\", alpha: \"method.eta\"}\n",
                 "itself an expression", 1, 15);
    expect_error("method: {eta: \"0.03*method.name\"}\n", "method.name, which is not a number", 1,
                 15);
    expect_error("sweep: {method.alpha: [\"1/method.weight_decay\"]}\n", "infinite", 1, 25);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("setting_expr");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, what_counts_as_an_expression);
    tcase_add_test(tc, each_cell_its_own_value);
    tcase_add_test(tc, in_grids_defaults_booleans_integers);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

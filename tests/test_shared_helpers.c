/* test_shared_helpers.c: the helpers that several parts share instead of
 * each keeping a copy: the cartesian product of grids (ntr_grid_each, used
 * by sweeps and the compare, tuned and batch studies), expressions over the
 * caller's named variables (ntr_expr_compile_vars, the step-size schedule's
 * k and K), and the one summary.json reader (writer and reader share one
 * list of constants), whose constants the rate and extrapolation studies
 * turn into theory variables (ntr_study_vars_of); numbers and subtrees as
 * config text (yaml_emit.h). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/expr.h"
#include "config/plan_builder.h"
#include "config/yaml_emit.h"
#include "config/yaml_load.h"
#include "study/point_constants.h"
#include "support.h"

static ntr_node *yaml(const char *text)
{
    ntr_node *n = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_yaml_load_string(text, strlen(text), "t.yaml", 0, &n, &err) == 0, "%s",
                  err.msg);
    return n;
}

/* Each point written as "key=value,key=value;" into a buffer; fails at the
 * point numbered fail_at (0-based) when that is not negative. */
typedef struct seen {
    char text[512];
    int points, fail_at;
} seen;

static int record(void *ctx, ntr_assign *a, size_t na, ntr_error *err)
{
    seen *s = ctx;
    if (s->points == s->fail_at)
        return ntr_fail(err, NTR_E_INPUT, "stop at point %d", s->points);
    size_t used = strlen(s->text);
    for (size_t i = 0; i < na; i++)
        used += (size_t)snprintf(s->text + used, sizeof s->text - used, "%s%s=%s", i ? "," : "",
                                 a[i].key, a[i].val->text);
    snprintf(s->text + used, sizeof s->text - used, ";");
    for (size_t i = 0; i < NTR_GRID_ROOM; i++) /* the room after the point is the caller's */
        a[na + i] = a[0];
    s->points++;
    return 0;
}

START_TEST(grid_each_orders_points_first_key_slowest)
{
    ntr_node *root = yaml("one: {a: [1, 2], b: [x, y, z]}\n"
                          "list: [{a: [1, 2]}, {c: [3]}]\n");
    ntr_error err = {0};
    seen s = {.fail_at = -1};
    ck_assert_int_eq(ntr_grid_each(ntr_node_get(root, "one"), record, &s, &err), 0);
    ck_assert_str_eq(s.text, "a=1,b=x;a=1,b=y;a=1,b=z;a=2,b=x;a=2,b=y;a=2,b=z;");
    /* a list of grids: each grid in its order */
    s = (seen){.fail_at = -1};
    ck_assert_int_eq(ntr_grid_each(ntr_node_get(root, "list"), record, &s, &err), 0);
    ck_assert_str_eq(s.text, "a=1;a=2;c=3;");
    /* no grid: one point with no assignment */
    s = (seen){.fail_at = -1};
    ck_assert_int_eq(ntr_grid_each(NULL, record, &s, &err), 0);
    ck_assert_int_eq(s.points, 1);
    ck_assert_str_eq(s.text, ";");
    /* the first failure stops the product and is passed up */
    s = (seen){.fail_at = 2};
    ck_assert_int_eq(ntr_grid_each(ntr_node_get(root, "one"), record, &s, &err), -1);
    ck_assert_int_eq(s.points, 2);
    ck_assert_ptr_nonnull(strstr(err.msg, "stop at point 2"));
    ntr_node_free(root);
}
END_TEST

START_TEST(named_variables)
{
    static const char *const names[] = {"k", "K"};
    ntr_expr *e = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_expr_compile_vars("0.2*(1-k/K)", (ntr_pos){"t.yaml", 3, 10}, "eta expression",
                                        names, 2, &e, &err) == 0,
                  "%s", err.msg);
    ck_assert_uint_eq(ntr_expr_var_count(e), 2);
    ck_assert_str_eq(ntr_expr_var_name(e, 1), "K");
    ntr_expr_var_set(e, 1, 10.0);
    ntr_expr_var_set(e, 0, 5.0);
    ck_assert_double_eq_tol(ntr_expr_value_fast(e), 0.1, 1e-15);
    ntr_expr_var_set(e, 0, 0.0);
    ck_assert_double_eq_tol(ntr_expr_value_fast(e), 0.2, 1e-15);
    ntr_expr_free(e);
    /* another name is an error at its column: "eps" starts 4 characters in */
    ck_assert_int_eq(ntr_expr_compile_vars("0.1*eps", (ntr_pos){"t.yaml", 3, 10}, "eta expression",
                                           names, 2, &e, &err),
                     -1);
    ck_assert_ptr_null(e);
    ck_assert_int_eq(err.col, 14);
    ck_assert_ptr_nonnull(strstr(err.msg, "eta expression \"0.1*eps\""));
    /* the functions every expression has */
    ck_assert_int_eq(ntr_expr_compile_vars("floor(k) + ceil(k) + pow(k, 2)", (ntr_pos){0},
                                           "x", names, 2, &e, &err),
                     0);
    ntr_expr_var_set(e, 0, 1.5);
    ck_assert_double_eq_tol(ntr_expr_value_fast(e), 1.0 + 2.0 + 2.25, 1e-15);
    ntr_expr_free(e);
}
END_TEST

START_TEST(cell_vars_from_a_record)
{
    ntr_cell_record r;
    memset(&r, 0, sizeof r);
    ntr_constants *k = &r.consts;
    k->L = 2, k->L2 = 3, k->rho = 1.5, k->D = 4, k->Delta0 = 5, k->sigma = 0.8;
    k->d = 12, k->m = 4, k->n = 3;
    r.batch = 4;
    ntr_theory_vars v;
    ntr_study_vars_of(&r.consts, r.batch, &v);
    ck_assert_double_eq(v.L, 2);
    ck_assert_double_eq(v.L2, 3);
    ck_assert_double_eq(v.rho, 1.5);
    ck_assert_double_eq(v.D, 4);
    ck_assert_double_eq(v.Delta0, 5);
    ck_assert_double_eq(v.batch, 4);
    ck_assert_double_eq(v.sigma, 0.4); /* per call: 0.8 / sqrt(4) */
    ck_assert_double_eq(v.d, 12);
    ck_assert(isnan(v.eps) && isnan(v.alpha) && isnan(v.eta));
    r.batch = NAN; /* an older summary.json without batch: one sample per call */
    ntr_study_vars_of(&r.consts, r.batch, &v);
    ck_assert_double_eq(v.batch, 1);
    ck_assert_double_eq(v.sigma, 0.8);
}
END_TEST

/* A summary.json written from a run result reads back with the same
 * constants (the writer and the reader share one list of keys). */
START_TEST(summary_round_trip)
{
    char *dir = ts_tmpdir();
    char *path = ts_path("%s/summary.json", dir);
    ntr_cell c;
    memset(&c, 0, sizeof c);
    snprintf(c.hash, sizeof c.hash, "0123456789abcdef");
    c.s.batch = 8;
    c.study_x = NAN;
    ntr_run_result res;
    memset(&res, 0, sizeof res);
    res.status = NTR_STATUS_DIVERGED;
    res.iterations = 7;
    res.consts = (ntr_constants){.L = 2, .L2 = 3, .rho = NAN, .c = 9, .D = 4, .Delta0 = 5,
                                 .f_star = 0.5, .f0 = 6, .sigma = 0.25, .d = 12, .m = 4, .n = 3,
                                 .L_generic = 1};
    ntr_error err = {0};
    ck_assert_msg(ntr_cell_summary_write(path, &c, &res, &err) == 0, "%s", err.msg);
    ntr_cell_record rec;
    ck_assert_msg(ntr_cell_summary_read(path, &rec, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(rec.present, 1);
    ck_assert_str_eq(rec.status, "diverged");
    ck_assert_int_eq(rec.iterations, 7);
    const ntr_constants *k = &rec.consts;
    ck_assert_double_eq(k->L, 2);
    ck_assert_double_eq(k->L2, 3);
    ck_assert(isnan(k->rho)); /* written as null */
    ck_assert(isnan(k->c));   /* never written */
    ck_assert_double_eq(k->D, 4);
    ck_assert_double_eq(k->Delta0, 5);
    ck_assert_double_eq(k->f_star, 0.5);
    ck_assert_double_eq(k->f0, 6);
    ck_assert_double_eq(k->sigma, 0.25);
    ck_assert_double_eq(k->n, 3);
    ck_assert_int_eq(k->L_generic, 1);
    ck_assert_double_eq(rec.batch, 8);
    remove(path);
    /* no file: pending, not present, every constant unknown */
    ck_assert_int_eq(ntr_cell_summary_read(path, &rec, &err), 0);
    ck_assert_int_eq(rec.present, 0);
    ck_assert_str_eq(rec.status, "pending");
    ck_assert(isnan(rec.consts.L) && isnan(rec.batch));
    ts_rmtree(dir);
    free(path);
    free(dir);
}
END_TEST

/* Numbers and subtrees as config text, the one spelling every study uses
 * for the values it assigns and the labels it builds. */
START_TEST(yaml_numbers_and_flow_text)
{
    char t[NTR_YAML_NUMBER_CHARS];
    ntr_yaml_number_text(400, t);
    ck_assert_str_eq(t, "400");
    ntr_yaml_number_text(-3, t);
    ck_assert_str_eq(t, "-3");
    ntr_yaml_number_text(0.1, t);
    ck_assert_str_eq(t, "0.10000000000000001"); /* %.17g: reads back to the same double */
    ntr_yaml_number_text(1e20, t);
    ck_assert_str_eq(t, "1e+20");
    ntr_node *n = ntr_yaml_number_node(0.5, (ntr_pos){0});
    ck_assert_str_eq(n->text, "0.5");
    ntr_node_free(n);
    ntr_node *root = yaml("v: {a: 1, b: [x, y]}\n");
    char *txt = ntr_yaml_flow_string(ntr_node_get(root, "v"));
    ck_assert_str_eq(txt, "{a: 1, b: [x, y]}");
    free(txt);
    ntr_node_free(root);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("shared_helpers");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, grid_each_orders_points_first_key_slowest);
    tcase_add_test(tc, named_variables);
    tcase_add_test(tc, cell_vars_from_a_record);
    tcase_add_test(tc, summary_round_trip);
    tcase_add_test(tc, yaml_numbers_and_flow_text);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

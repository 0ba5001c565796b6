/* test_tune.c: tuning grids (src/study/tune.c): reading lists, logspaces
 * and centred multipliers, keys pinned by --set leaving the grid, the
 * points and their assignments, the median score with "never reached",
 * and the choice of the best point with the bracket check on synthetic
 * scores whose answer is known. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "config/yaml_load.h"
#include "study/tune.h"
#include "support.h"

static ntr_node *yaml(const char *text)
{
    ntr_node *n = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_yaml_load_string(text, strlen(text), "t.yaml", 0, &n, &err) == 0, "%s",
                  err.msg);
    return n;
}

static ntr_tune_grid grid_ok(const char *text, ntr_node **root)
{
    *root = yaml(text);
    ntr_tune_grid g;
    ntr_error err = {0};
    ck_assert_msg(ntr_tune_read(ntr_node_get(*root, "tune"), "study.tune", NULL, &g, &err) == 0,
                  "%s", err.msg);
    return g;
}

static ntr_error grid_bad(const char *text)
{
    ntr_node *root = yaml(text);
    ntr_tune_grid g;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_tune_read(ntr_node_get(root, "tune"), "study.tune", NULL, &g, &err), -1);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ntr_node_free(root);
    return err;
}

START_TEST(read_lists_logspace_around)
{
    ntr_node *root;
    ntr_tune_grid g = grid_ok("tune:\n"
                              "  method.eta: [0.3, 0.01, 0.1]\n"
                              "  method.alpha: {logspace: [1, 0.01, 3]}\n"
                              "  method.name: [ntr, osgdm]\n"
                              "  noise.batch: {values: [1, 4], around: \"eps^-2\"}\n",
                              &root);
    ck_assert_uint_eq(g.naxes, 4);
    ck_assert_uint_eq(ntr_tune_npoints(&g), 3 * 3 * 2 * 2);
    /* numbers are sorted increasing: the bracket check's low and high ends */
    ck_assert_double_eq(g.axis[0].value[0], 0.01);
    ck_assert_double_eq(g.axis[0].value[2], 0.3);
    ck_assert_double_eq_tol(g.axis[1].value[1], 0.1, 1e-15);
    ck_assert_double_eq(g.axis[1].value[2], 1.0);
    ck_assert_int_eq(g.axis[2].numeric, 0);
    ck_assert_str_eq(g.axis[3].around, "eps^-2");
    ck_assert_int_eq(g.axis[3].around_pos.line, 5);
    /* point 0 is every axis at its first value; the last key moves fastest */
    size_t c[NTR_TUNE_MAX_KEYS];
    ntr_tune_coords(&g, 1, c);
    ck_assert_uint_eq(c[3], 1);
    ck_assert_uint_eq(c[0], 0);
    double centre[4] = {NAN, NAN, NAN, 100};
    ntr_tune_assigns as;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_tune_assigns_make(&g, 1, centre, &as, &err), 0);
    ck_assert_uint_eq(as.n, 4);
    ck_assert_str_eq(as.a[0].key, "method.eta");
    ck_assert_str_eq(as.a[0].val->text, "0.01");
    ck_assert_str_eq(as.a[2].val->text, "ntr");
    ck_assert_str_eq(as.a[3].val->text, "400"); /* 4 x the centre */
    ntr_tune_assigns_free(&as);
    char label[200];
    ntr_tune_label(&g, 1, label, sizeof label);
    ck_assert_str_eq(label, "eta=0.01 alpha=0.01 name=ntr batch=4x");
    /* a centre that is not a positive number is an error at the expression */
    centre[3] = -1;
    ck_assert_int_eq(ntr_tune_assigns_make(&g, 0, centre, &as, &err), -1);
    ck_assert_int_eq(err.line, 5);
    ntr_node_free(root);
}
END_TEST

START_TEST(bad_grids)
{
    ntr_error e = grid_bad("tune: [1, 2]\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "map"));
    e = grid_bad("tune: {method.eta: []}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "list of 1 to"));
    e = grid_bad("tune: {seeds: [1, 2]}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "cannot be tuned"));
    e = grid_bad("tune: {method.eta: [0.1, 0.1]}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "twice"));
    e = grid_bad("tune: {method.eta: {logspace: [1, 0, 3]}}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "positive"));
    e = grid_bad("tune: {method.eta: {logspace: [1, 0.1, 2.5]}}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "integer"));
    e = grid_bad("tune: {method.eta: {values: [1], logspace: [1, 2, 2]}}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "give values"));
    e = grid_bad("tune: {method.eta: {values: [1, -2], around: eps}}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "multiplier must be positive"));
    e = grid_bad("tune: {method.eta: {values: [1], arond: eps}}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "around"));
    ck_assert_int_eq(e.line, 1);
}
END_TEST

/* --set method.alpha=1 takes method.alpha out of the grid. */
START_TEST(pinned_keys_leave_the_grid)
{
    char *dir = ts_tmpdir();
    char *path = ts_path("%s/c.yaml", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("name: c\nproblem: {type: least_squares, shape: [4, 2], samples: 8}\n", f);
    fclose(f);
    const char *sets[] = {"method.alpha=1"};
    ntr_plan *p = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_plan_load(path, sets, 1, &p, &err) == 0, "%s", err.msg);
    ntr_plan_builder b = {p};
    ntr_node *root = yaml("tune: {method.eta: [0.1, 0.2], method.alpha: [0.1, 1]}\n");
    ntr_tune_grid g;
    ck_assert_int_eq(ntr_tune_read(ntr_node_get(root, "tune"), "study.tune", &b, &g, &err), 0);
    ck_assert_uint_eq(g.naxes, 1);
    ck_assert_str_eq(g.axis[0].key, "method.eta");
    ck_assert_uint_eq(g.npinned, 1);
    ck_assert_str_eq(g.pinned[0], "method.alpha");
    ntr_node_free(root);
    ntr_plan_free(p);
    ts_rmtree(dir);
    free(dir);
    free(path);
}
END_TEST

START_TEST(median_score_with_never)
{
    double a[] = {5, INFINITY, 3};
    ck_assert_double_eq(ntr_tune_score(a, 3), 5);
    double b[] = {5, INFINITY, INFINITY, 3};
    ck_assert(isinf(ntr_tune_score(b, 4))); /* a middle seed never reached */
    double c[] = {5, 1, 3, 7};
    ck_assert_double_eq(ntr_tune_score(c, 4), 4);
    double d[] = {5, NAN};
    ck_assert(isnan(ntr_tune_score(d, 2))); /* not run yet */
    ck_assert(isnan(ntr_tune_score(d, 0)));
}
END_TEST

/* A bowl over a 5 x 4 grid with its minimum at (2, 1): bracketed. */
START_TEST(select_interior_and_edges)
{
    ntr_node *root;
    ntr_tune_grid g = grid_ok("tune: {method.eta: [1, 2, 3, 4, 5], method.weight_decay: [1, 2, 3, 4]}\n",
                              &root);
    double s[20];
    for (size_t i = 0; i < 20; i++) {
        double x = (double)(i / 4), y = (double)(i % 4);
        s[i] = 10 + (x - 2) * (x - 2) + (y - 1) * (y - 1);
    }
    ntr_tune_choice ch;
    ntr_tune_select(&g, s, NULL, 0, &ch);
    ck_assert(ch.found && ch.complete && ch.bracketed);
    ck_assert_uint_eq(ch.best, 2 * 4 + 1);
    ck_assert_double_eq(ch.score, 10);
    /* minimum moved to the high end of eta: not tuned, and why says so */
    for (size_t i = 0; i < 20; i++) {
        double x = (double)(i / 4), y = (double)(i % 4);
        s[i] = 10 + (x - 7) * (x - 7) + (y - 1) * (y - 1);
    }
    ntr_tune_select(&g, s, NULL, 0, &ch);
    ck_assert(ch.found && !ch.bracketed);
    ck_assert_int_eq(ch.edge[0], 1);
    ck_assert_int_eq(ch.edge[1], 0);
    ck_assert_ptr_nonnull(strstr(ch.why, "method.eta at the grid's high end (5)"));
    /* at the low end of weight decay, which is 1, not its domain's end 0 */
    for (size_t i = 0; i < 20; i++) {
        double x = (double)(i / 4), y = (double)(i % 4);
        s[i] = 10 + (x - 2) * (x - 2) + (y + 3) * (y + 3);
    }
    ntr_tune_select(&g, s, NULL, 0, &ch);
    ck_assert(!ch.bracketed);
    ck_assert_int_eq(ch.edge[1], -1);
    /* never reached anywhere */
    for (size_t i = 0; i < 20; i++)
        s[i] = INFINITY;
    ntr_tune_select(&g, s, NULL, 0, &ch);
    ck_assert(!ch.found && !ch.bracketed);
    ck_assert_ptr_nonnull(strstr(ch.why, "no point"));
    /* one cell not run: the choice is not final */
    for (size_t i = 0; i < 20; i++)
        s[i] = 10 + (double)((i / 4 - 2) * (i / 4 - 2));
    s[19] = NAN;
    ntr_tune_select(&g, s, NULL, 0, &ch);
    ck_assert(ch.found && !ch.complete && !ch.bracketed);
    ntr_node_free(root);
}
END_TEST

/* alpha = 1 is the end of alpha's own range: a best there is bracketed;
 * ties prefer an interior point; with around, the edge value is centre x
 * multiplier. */
START_TEST(select_domain_ties_and_centres)
{
    ntr_node *root;
    ntr_tune_grid g = grid_ok("tune: {method.alpha: [0.01, 0.1, 1]}\n", &root);
    double s[3] = {30, 20, 10};
    ntr_tune_choice ch;
    ntr_tune_select(&g, s, NULL, 0, &ch);
    ck_assert(ch.bracketed);
    ck_assert_uint_eq(ch.best, 2);
    ck_assert_int_eq(ch.edge[0], 0);
    s[0] = 5; /* the low end, 0.01, is not alpha's domain end */
    ntr_tune_select(&g, s, NULL, 0, &ch);
    ck_assert(!ch.bracketed);
    ck_assert_int_eq(ch.edge[0], -1);
    ntr_node_free(root);

    g = grid_ok("tune: {method.eta: {values: [0.5, 1, 2], around: eps}}\n", &root);
    double t[3] = {7, 7, 9}; /* a tie between the low end and the middle */
    double centre[1] = {0.1};
    ntr_tune_select(&g, t, centre, 0, &ch);
    ck_assert(ch.bracketed);
    ck_assert_uint_eq(ch.best, 1);
    t[1] = 8;
    ntr_tune_select(&g, t, centre, 0, &ch);
    ck_assert(!ch.bracketed);
    ck_assert_ptr_nonnull(strstr(ch.why, "low end (0.05)"));

    /* a plateau: the low end is best by 3%, an interior point is within 5% */
    t[0] = 7, t[1] = 7.2, t[2] = 9;
    ntr_tune_select(&g, t, centre, 0, &ch);
    ck_assert(!ch.bracketed && !ch.plateau);
    ntr_tune_select(&g, t, centre, 0.05, &ch);
    ck_assert(ch.bracketed && ch.plateau);
    ck_assert_uint_eq(ch.best, 0); /* the best score is still the edge's */
    ck_assert_ptr_nonnull(strstr(ch.why, "plateau"));
    ntr_tune_select(&g, t, centre, 0.02, &ch); /* 7.2 > 7 x 1.02 */
    ck_assert(!ch.bracketed);
    ntr_node_free(root);

    /* a single value or words: nothing to bracket */
    g = grid_ok("tune: {method.name: [ntr, osgdm], method.eta: [0.1]}\n", &root);
    double u[2] = {3, 2};
    ntr_tune_select(&g, u, NULL, 0, &ch);
    ck_assert(ch.bracketed);
    ck_assert_uint_eq(ch.best, 1);
    ntr_node_free(root);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tune");
    TCase *tc = tcase_create("tune");
    tcase_add_test(tc, read_lists_logspace_around);
    tcase_add_test(tc, bad_grids);
    tcase_add_test(tc, pinned_keys_leave_the_grid);
    tcase_add_test(tc, median_score_with_never);
    tcase_add_test(tc, select_interior_and_edges);
    tcase_add_test(tc, select_domain_ties_and_centres);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

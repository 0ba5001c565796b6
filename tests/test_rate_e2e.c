/* test_rate_e2e.c: small rate studies end to end through $NTR_BIN/ntr-run
 * with the configs in tests/rate/ (seconds each): a tuned exponent on the
 * deterministic zero-chain (tight, K* = T), censoring (inconclusive below
 * K_theory, violated past it), bound checks that hold and that fail with a
 * wrong constant, --set applied last on every series (a pinned budget
 * censors the chain; a pinned method makes the bounds inapplicable),
 * shared cells (aliases.csv), rule series as contrasts with a comparison,
 * reproducible files, and positioned errors of bad rules (exit 2). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/table.h"
#include "config/plan.h"
#include "support.h"

/* The last line of a text. */
static const char *last_line(char *text)
{
    size_t n = strlen(text);
    while (n > 0 && text[n - 1] == '\n')
        text[--n] = '\0';
    char *nl = strrchr(text, '\n');
    return nl ? nl + 1 : text;
}

static ntr_table *table(const char *dir, const char *name)
{
    char *path = ts_path("%s/%s", dir, name);
    ntr_table *t = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_table_read(path, &t, &err) == 0, "%s", err.msg);
    free(path);
    return t;
}

static double num(const ntr_table *t, size_t row, const char *col)
{
    long c = ntr_table_find(t, col);
    ck_assert_msg(c >= 0, "no column %s", col);
    return ntr_table_num(t, row, (size_t)c);
}

static const char *str(const ntr_table *t, size_t row, const char *col)
{
    long c = ntr_table_find(t, col);
    ck_assert_msg(c >= 0, "no column %s", col);
    return ntr_table_str(t, row, (size_t)c);
}

/* The line of stdout that starts with prefix (NULL when none). */
static const char *line_of(const char *out, const char *prefix)
{
    for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, prefix, strlen(prefix)) == 0)
            return p;
    return NULL;
}

START_TEST(test_chain_tight)
{
    char *tmp = ts_tmpdir(), *cfg = ts_tests("rate/chain.yaml");
    char *out = ts_path("%s/a", tmp), *out2 = ts_path("%s/b", tmp);
    ts_result r;
    NTR_RUN(r, cfg, "-o", out, "-j", "2");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ck_assert_ptr_nonnull(line_of(r.out, "verdict chain [tuned claim] tight (expected tight)"));
    ck_assert_ptr_nonnull(line_of(r.out, "verdict bounds [bound claim] consistent"));
    ck_assert_ptr_nonnull(line_of(r.out, "verdict starved [tuned control] inconclusive"));
    ck_assert_str_eq(last_line(r.out), "claim: reproduced");
    ntr_table *t = table(out, "rates.csv");
    size_t chain = 0, starved_censored = 0;
    for (size_t i = 0; i < ntr_table_rows(t); i++) {
        if (!strcmp(str(t, i, "series"), "starved")) {
            starved_censored += !strcmp(str(t, i, "status"), "censored");
            continue;
        }
        if (strcmp(str(t, i, "series"), "chain") != 0)
            continue;
        chain++;
        /* information limits progress: K* is the chain's length T exactly,
         * and K* eta is not constant (the step is tuned, not prescribed) */
        double eps = num(t, i, "eps"), T = rint(0.5 / (eps * eps));
        ck_assert_str_eq(str(t, i, "status"), "ok");
        ck_assert_double_eq(num(t, i, "K"), T);
        ck_assert_double_eq(num(t, i, "information"), T);
        ck_assert_double_eq(num(t, i, "K_over_information"), 1);
        ck_assert(num(t, i, "K") < num(t, i, "K_theory"));
        ck_assert(num(t, i, "K_eta") > 10 * 0.03 / eps); /* grows as eps falls */
    }
    ck_assert_uint_eq(chain, 6);
    ck_assert_uint_eq(starved_censored, 3); /* T = 63, 111 and 556 > 50 */
    ntr_table_free(t);
    ntr_table *b = table(out, "bounds.csv");
    ck_assert_uint_gt(ntr_table_rows(b), 40);
    for (size_t i = 0; i < ntr_table_rows(b); i++)
        ck_assert(num(b, i, "mean") <= num(b, i, "bound"));
    ntr_table_free(b);
    char *md = ts_path("%s/report.md", out);
    char *text = ts_read_file(md, NULL);
    ck_assert_ptr_nonnull(strstr(text, "## Rate study"));
    ck_assert_ptr_nonnull(strstr(text, "lower bound that applies"));
    ck_assert_ptr_nonnull(strstr(text, "the verdict rests on"));
    free(text), free(md);
    /* the same config again with one worker: the same files, byte for byte */
    ts_result_free(&r);
    NTR_RUN(r, cfg, "-o", out2, "-q", "--no-plot");
    ck_assert_int_eq(r.code, 0);
    const char *files[] = {"rates.csv", "rate_points.csv", "bounds.csv", "rates.json"};
    for (int i = 0; i < 4; i++) {
        char *x = ts_path("%s/%s", out, files[i]), *y = ts_path("%s/%s", out2, files[i]);
        ck_assert_msg(ts_files_equal(x, y), "%s differs", files[i]);
        free(x), free(y);
    }
    ts_result_free(&r);
    ts_rmtree(tmp);
    free(tmp), free(cfg), free(out), free(out2);
}
END_TEST

/* --set applies last on every series: a pinned budget censors the chain's
 * longer eps (and its control's), so the claim no longer holds. */
START_TEST(test_set_applies_last)
{
    char *tmp = ts_tmpdir(), *cfg = ts_tests("rate/chain.yaml"), *out = ts_path("%s/p", tmp);
    ts_result r;
    NTR_RUN(r, cfg, "-o", out, "-j", "2", "--no-plot", "--set", "budget.iterations=30");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    const char *chain = line_of(r.out, "verdict chain [tuned claim] inconclusive");
    ck_assert_msg(chain != NULL, "%s", r.out);
    ck_assert_ptr_nonnull(strstr(chain, "censored: 0.119432, 0.0753566, 0.0475468, 0.03"));
    ck_assert_ptr_nonnull(strstr(last_line(r.out), "claim: NOT reproduced (chain measured "
                                                   "inconclusive, claimed tight"));
    ntr_table *t = table(out, "rate_points.csv");
    for (size_t i = 0; i < ntr_table_rows(t); i++)
        if (!strcmp(str(t, i, "series"), "chain"))
            ck_assert_double_eq(num(t, i, "budget"), 30);
    ntr_table_free(t);
    ts_result_free(&r);
    /* a pinned tuning key leaves the grid (one value: nothing to bracket) */
    char *out2 = ts_path("%s/q", tmp);
    NTR_RUN(r, cfg, "-o", out2, "-j", "2", "--no-plot", "--set", "method.eta=0.5");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    char *json = ts_path("%s/rates.json", out2);
    char *js = ts_read_file(json, NULL);
    ck_assert_ptr_nonnull(strstr(js, "\"tune_pinned\": [\n        \"method.eta\""));
    free(js), free(json);
    t = table(out2, "rates.csv");
    for (size_t i = 0; i < ntr_table_rows(t); i++)
        if (!strcmp(str(t, i, "series"), "chain"))
            ck_assert_double_eq(num(t, i, "eta"), 0.5);
    ntr_table_free(t);
    ts_result_free(&r);
    ts_rmtree(tmp);
    free(tmp), free(cfg), free(out), free(out2);
}
END_TEST

START_TEST(test_censoring)
{
    char *tmp = ts_tmpdir(), *cfg = ts_tests("rate/censored.yaml"), *out = ts_path("%s/c", tmp);
    ts_result r;
    NTR_RUN(r, cfg, "-o", out, "-j", "2", "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    const char *s = line_of(r.out, "verdict short [tuned claim] inconclusive");
    ck_assert_msg(s != NULL, "%s", r.out);
    ck_assert_ptr_nonnull(strstr(s, "censored eps (not reached within the budget, below "
                                    "K_theory)"));
    s = line_of(r.out, "verdict promised [tuned claim] violated");
    ck_assert_msg(s != NULL, "%s", r.out);
    ck_assert_ptr_nonnull(strstr(s, "not reached within a budget of at least K_theory"));
    ck_assert_str_eq(last_line(r.out), "claim: reproduced");
    /* the two series run the same cells: the second shares them */
    char *al = ts_path("%s/aliases.csv", out);
    ck_assert(ts_exists(al));
    free(al);
    ntr_table *t = table(out, "rates.csv");
    size_t censored = 0;
    for (size_t i = 0; i < ntr_table_rows(t); i++)
        if (!strcmp(str(t, i, "status"), "censored")) {
            censored++;
            ck_assert(isnan(num(t, i, "K"))); /* K > budget: no value, never a fitted one */
            ck_assert_double_eq(num(t, i, "budget"), 40);
        }
    ck_assert_uint_eq(censored % 2, 0);
    ck_assert_uint_ge(censored, 2);
    ntr_table_free(t);
    ts_result_free(&r);
    ts_rmtree(tmp);
    free(tmp), free(cfg), free(out);
}
END_TEST

START_TEST(test_bounds_hold_and_break)
{
    char *tmp = ts_tmpdir(), *cfg = ts_tests("rate/bounds.yaml"), *out = ts_path("%s/b", tmp);
    ts_result r;
    NTR_RUN(r, cfg, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ck_assert_ptr_nonnull(line_of(r.out, "verdict theorem [bound claim] consistent"));
    ck_assert_ptr_nonnull(line_of(r.out, "verdict wrong_L [bound control] violated"));
    ck_assert_str_eq(last_line(r.out), "claim: reproduced");
    ntr_table *t = table(out, "bounds.csv");
    size_t v_theorem = 0, v_wrong = 0, rule_rows = 0;
    for (size_t i = 0; i < ntr_table_rows(t); i++) {
        rule_rows += strcmp(str(t, i, "point"), "theorem rule(eps=0.1)") == 0;
        int v = num(t, i, "violated") == 1;
        if (!strcmp(str(t, i, "series"), "theorem"))
            v_theorem += v;
        else
            v_wrong += v;
    }
    ck_assert_uint_eq(v_theorem, 0);
    ck_assert_uint_gt(v_wrong, 0);
    ck_assert_uint_gt(rule_rows, 20); /* the theorem's own (eta, alpha) at eps = 0.1 */
    ntr_table_free(t);
    ts_result_free(&r);
    /* OSGDM is not Algorithm 1: the bounds do not apply, nothing is judged */
    char *out2 = ts_path("%s/o", tmp);
    NTR_RUN(r, cfg, "-o", out2, "--no-plot", "--set", "method.name=osgdm");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    const char *th = line_of(r.out, "verdict theorem [bound claim] inconclusive");
    ck_assert_msg(th != NULL, "%s", r.out);
    ck_assert_ptr_nonnull(strstr(th, "no applicable cell"));
    ck_assert_ptr_nonnull(strstr(last_line(r.out), "NOT reproduced"));
    ts_result_free(&r);
    ts_rmtree(tmp);
    free(tmp), free(cfg), free(out), free(out2);
}
END_TEST

START_TEST(test_rule_contrasts)
{
    char *tmp = ts_tmpdir(), *cfg = ts_tests("rate/variants.yaml"), *out = ts_path("%s/v", tmp);
    ts_result r;
    NTR_RUN(r, cfg, "-o", out);
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    const char *f = line_of(r.out, "verdict fast [rule contrast] ");
    ck_assert_msg(f != NULL, "%s", r.out);
    ck_assert_ptr_nonnull(strstr(f, "exponent imposed by the rule"));
    ck_assert_ptr_nonnull(strstr(f, "needs 6 or more")); /* 3 eps: never an exponent verdict */
    ck_assert_ptr_nonnull(line_of(r.out, "compare rule - fast: exponent difference"));
    ck_assert_str_eq(last_line(r.out), "claim: reproduced");
    char *k = ts_path("%s/plots/rate_K.gp", out);
    ck_assert(ts_exists(k));
    free(k);
    ts_result_free(&r);
    ts_rmtree(tmp);
    free(tmp), free(cfg), free(out);
}
END_TEST

/* A bad rule: exit 2, nothing run, the error at file:line:col. */
static void bad_rule(const char *name, const char *where, const char *what)
{
    char *tmp = ts_tmpdir(), *cfg = ts_tests(name), *out = ts_path("%s/x", tmp);
    ts_result r;
    NTR_RUN(r, cfg, "-o", out);
    ck_assert_int_eq(r.code, 2);
    char *want = ts_path("%s:%s: ", cfg, where);
    ck_assert_msg(strncmp(r.err, want, strlen(want)) == 0, "got: %s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, what));
    ck_assert(!ts_exists(out));
    free(want);
    ts_result_free(&r);
    ts_rmtree(tmp);
    free(tmp), free(cfg), free(out);
}

START_TEST(test_bad_rules)
{
    bad_rule("rate/bad_expr.yaml", "12:18", "Lip");
    bad_rule("rate/divzero.yaml", "11:28", "infinite");
}
END_TEST

START_TEST(test_plan)
{
    char *cfg = ts_tests("rate/censored.yaml");
    ts_result r;
    NTR_RUN(r, cfg, "--plan");
    ck_assert_int_eq(r.code, 0);
    size_t n = 0;
    for (const char *p = r.out; (p = strstr(p, "short eps=0.3 eta=")); p++)
        n++;
    ck_assert_uint_eq(n, 10); /* five grid points, two seeds */
    ts_result_free(&r);
    free(cfg);
}
END_TEST

/* A series' own set: wins over the theory's weight-decay rule; a tuned
 * series gets the rule's 1/D otherwise, and every point records eta, alpha
 * and the weight decay it ran. */
START_TEST(test_set_wins_over_rule)
{
    ts_scratch s = ts_scratch_new(
        "name: wd\nproblem: {type: sine_quadratic, shape: [3, 2], a: 1.5}\n"
        "noise: {type: gaussian, sigma: 0.1}\nmethod: {name: ntr, norm: spectral}\n"
        "study:\n  type: rate\n  kind: tuned\n  theory: kovalev_starconvex\n"
        "  eps: [0.1, 0.05]\n  tune: {method.eta: [0.01, 0.02]}\n"
        "  variants: {rule: {}, none: {set: {method.weight_decay: 0}}}\n");
    ntr_plan *p = ts_plan_of(s.config);
    ck_assert_uint_eq(p->ncells, 8);
    for (size_t i = 0; i < p->ncells; i++) {
        const ntr_cell *c = &p->cells[i];
        int none = strncmp(c->group, "none ", 5) == 0;
        if (none)
            ck_assert_double_eq(c->s.mopts.weight_decay, 0);
        else
            ck_assert(c->s.mopts.weight_decay > 0.05 && c->s.mopts.weight_decay < 2);
    }
    ntr_plan_free(p);
    ts_scratch_free(&s);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("rate_e2e");
    TCase *tc = tcase_create("e2e");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_chain_tight);
    tcase_add_test(tc, test_set_applies_last);
    tcase_add_test(tc, test_censoring);
    tcase_add_test(tc, test_bounds_hold_and_break);
    tcase_add_test(tc, test_rule_contrasts);
    tcase_add_test(tc, test_bad_rules);
    tcase_add_test(tc, test_plan);
    tcase_add_test(tc, test_set_wins_over_rule);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ts_run_suite(suite()); }

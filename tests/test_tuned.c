/* test_tuned.c: the tuned comparison study (src/study/tuned/).
 *
 * Its block: errors with positions.  Its analyses on synthetic result
 * folders with a known answer: the cells' hitting times are written by
 * hand (summary.csv and each cell's summary.json), so that
 *   - a's tuned score is 1000 at every x and b's is 1000 x / 4: R = b / a
 *     = x / 4, the crossover is x* = 4 (a wins above it) and the slope of
 *     log R against log x is 1;
 *   - every group's best eta is the middle of the grid, except in the
 *     folder where one group's best is on the grid's edge (then the claim
 *     is inconclusive); a's best alpha is the grid's low end (not tuned);
 *   - along alpha, a's scores grow like alpha^0.5 (profile rises) and b's
 *     do not depend on it (flat).
 * Analyses that claim the opposite must come out NOT holding.  And a small
 * study end to end through ntr-run (tests/tuned/small.yaml). */
#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/yaml_load.h"
#include "study/tuned/tuned.h"
#include "support.h"

static ntr_node *yaml(const char *text)
{
    ntr_node *n = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_yaml_load_string(text, strlen(text), "t.yaml", 0, &n, &err) == 0, "%s",
                  err.msg);
    return n;
}

static const double xs[] = {1, 2, 4, 8, 16};
static const double etas[] = {0.1, 0.3, 1, 3, 10};
static const double alphas[] = {0.01, 0.1, 1};
#define NX 5
#define NE 5
#define NA 3
#define NSEED 6

/* A synthetic folder: groups (x, method a|b), points (eta, alpha), seeds;
 * K = base * (1 + log10(eta / eta_best)^2) * shape(alpha) * noise. */
static char *folder(int edge_group, gsl_rng *r)
{
    char *dir = ts_tmpdir();
    char *path = ts_path("%s/config.yaml", dir);
    ck_assert_int_eq(ts_write_file(path, "budget: {iterations: 100000}\n"), 0);
    free(path);
    path = ts_path("%s/cells", dir);
    ck_assert_int_eq(mkdir(path, 0777), 0);
    free(path);
    path = ts_path("%s/summary.csv", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("index,hash,group,replicate,noise.sigma,method.name,method.eta,method.alpha,status\n", f);
    int idx = 0;
    for (int xi = 0; xi < NX; xi++)
        for (int m = 0; m < 2; m++)
            for (int e = 0; e < NE; e++)
                for (int a = 0; a < NA; a++)
                    for (int s = 0; s < NSEED; s++, idx++) {
                        const char *name = m == 0 ? "ntr" : "osgdm";
                        double base = m == 0 ? 1000 : 1000 * xs[xi] / 4;
                        double best = edge_group && m == 1 && xi == 2 ? 10 : 1;
                        double le = log10(etas[e] / best);
                        double shape = m == 0 ? sqrt(alphas[a] / 0.01) : 1.0;
                        double K = base * (1 + le * le) * shape * (1 + 0.01 * gsl_ran_gaussian(r, 1));
                        char hash[32];
                        snprintf(hash, sizeof hash, "c%05d", idx);
                        fprintf(f, "%d,%s,\"noise.sigma=%g method.name=%s | eta=%g alpha=%g\",%d,%g,"
                                   "%s,%g,%g,target\n",
                                idx, hash, xs[xi], name, etas[e], alphas[a], s, xs[xi], name,
                                etas[e], alphas[a]);
                        char *cd = ts_path("%s/cells/%s", dir, hash);
                        char *cmd = ts_path("%s/summary.json", cd);
                        ck_assert_int_eq(mkdir(cd, 0777), 0);
                        char json[256];
                        snprintf(json, sizeof json,
                                 "{\"status\": \"target\", \"targets\": [{\"target\": 0.1, \"k\": "
                                 "%.0f, \"sfo\": %.0f}]}\n",
                                 K, K);
                        ck_assert_int_eq(ts_write_file(cmd, json), 0);
                        free(cd);
                        free(cmd);
                    }
    fclose(f);
    free(path);
    return dir;
}

static const char study_text[] =
    "type: tuned\n"
    "over: {noise.sigma: [1, 2, 4, 8, 16], method.name: [ntr, osgdm]}\n"
    "tune: {method.eta: [0.1, 0.3, 1, 3, 10], method.alpha: [0.01, 0.1, 1]}\n"
    "score: {hit: 0.1}\n"
    "bootstrap: 300\n"
    "analyses:\n"
    "  - {kind: crossover, x: noise.sigma, a: {method.name: osgdm}, b: {method.name: ntr}}\n"
    "  - {kind: ratio, x: noise.sigma, a: {method.name: ntr}, b: {method.name: osgdm}, expect: 1}\n"
    "  - {kind: profile, x: method.alpha, fix: {method.eta: 1}, where: {method.name: ntr, "
    "noise.sigma: 16}, expect: rises}\n"
    "  - {kind: profile, x: method.alpha, fix: {method.eta: 1}, where: {method.name: osgdm, "
    "noise.sigma: 16}, expect: flat}\n"
    /* claims that must fail */
    "  - {kind: crossover, x: noise.sigma, a: {method.name: ntr}, b: {method.name: osgdm}}\n"
    "  - {kind: ratio, x: noise.sigma, a: {method.name: ntr}, b: {method.name: osgdm}, expect: 0}\n"
    "  - {kind: profile, x: method.alpha, where: {method.name: osgdm, noise.sigma: 16}, "
    "expect: rises}\n";

static json_t *analyse(const char *dir, char **verdict)
{
    ntr_node *st = yaml(study_text);
    ntr_error err = {0};
    ck_assert_msg(ntr_study_tuned.analyse(dir, st, 0, verdict, &err) == 0, "%s", err.msg);
    ntr_node_free(st);
    char *path = ts_path("%s/tuned.json", dir);
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    ck_assert_ptr_nonnull(o);
    free(path);
    return o;
}

static json_t *an(json_t *o, size_t i) { return json_array_get(json_object_get(o, "analyses"), i); }

START_TEST(known_answers)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    char *dir = folder(0, r), *verdict = NULL;
    json_t *o = analyse(dir, &verdict);
    /* a = osgdm (1000 x / 4... no: a's score is 1000 x / 4, b's 1000): R = 4 / x */
    json_t *c = an(o, 0);
    double xs_ = json_number_value(json_object_get(c, "crossover"));
    ck_assert_msg(!json_is_true(json_object_get(c, "holds")), "a = osgdm wins below, not above");
    json_t *c2 = an(o, 4); /* a = ntr, b = osgdm: R = x / 4, a wins above x* = 4 */
    xs_ = json_number_value(json_object_get(c2, "crossover"));
    double lo = json_number_value(json_object_get(c2, "crossover_lo"));
    double hi = json_number_value(json_object_get(c2, "crossover_hi"));
    ck_assert_msg(fabs(xs_ - 4) < 0.2, "crossover %g", xs_);
    ck_assert_msg(lo <= 4.0 + 1e-9 && hi >= 4.0 - 1e-9 && lo > 3 && hi < 6, "[%g, %g]", lo, hi);
    ck_assert(json_is_true(json_object_get(c2, "holds")));
    json_t *t = json_array_get(json_object_get(an(o, 1), "trends"), 0);
    double slope = json_number_value(json_object_get(t, "slope"));
    ck_assert_msg(fabs(slope - 1) < 0.02, "ratio slope %g", slope);
    ck_assert(json_is_true(json_object_get(an(o, 1), "holds")));
    t = json_array_get(json_object_get(an(o, 2), "trends"), 0);
    ck_assert_msg(fabs(json_number_value(json_object_get(t, "slope")) - 0.5) < 0.02, "profile");
    ck_assert(json_is_true(json_object_get(an(o, 2), "holds")));
    ck_assert(json_is_true(json_object_get(an(o, 3), "holds")));
    /* the false claims */
    ck_assert(!json_is_true(json_object_get(an(o, 5), "holds")));
    ck_assert(!json_is_true(json_object_get(an(o, 6), "holds")));
    /* a's score grows with alpha: its best alpha is the grid's low end in all
     * five of its groups (not tuned); b's groups are tuned */
    ck_assert_int_eq(json_integer_value(json_object_get(o, "groups_not_tuned")), 5);
    ck_assert_ptr_nonnull(strstr(verdict, "claim: NOT reproduced"));
    ck_assert_ptr_nonnull(strstr(verdict, "does NOT hold"));
    json_decref(o);
    free(verdict);
    ts_rmtree(dir);
    free(dir);
    gsl_rng_free(r);
}
END_TEST

/* One group's best eta on the grid's edge: "not tuned", and a claim whose
 * analyses all hold is then inconclusive, never reproduced. */
START_TEST(edge_is_not_tuned)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 4);
    char *dir = folder(1, r), *verdict = NULL;
    ntr_node *st = yaml("type: tuned\n"
                        "over: {noise.sigma: [1, 2, 4, 8, 16], method.name: [ntr, osgdm]}\n"
                        "tune: {method.eta: [0.1, 0.3, 1, 3, 10], method.alpha: [0.01, 0.1, 1]}\n"
                        "score: {hit: 0.1}\nbootstrap: 50\n"
                        "analyses:\n"
                        "  - {kind: profile, x: method.alpha, where: {method.name: ntr, "
                        "noise.sigma: 16}, expect: rises}\n"
                        "  - {kind: ratio, x: noise.sigma, a: {method.name: ntr}, "
                        "b: {method.name: osgdm}, expect: 1, tolerance: 5}\n");
    ntr_error err = {0};
    ck_assert_msg(ntr_study_tuned.analyse(dir, st, 0, &verdict, &err) == 0, "%s", err.msg);
    ck_assert_msg(strstr(verdict, "claim: inconclusive"), "%s", verdict);
    char *csv = ts_path("%s/tuned.csv", dir), *text = ts_read_file(csv, NULL);
    ck_assert_ptr_nonnull(strstr(text, "best method.eta at the grid's high end"));
    free(text);
    free(csv);
    free(verdict);
    ntr_node_free(st);
    ts_rmtree(dir);
    free(dir);
    gsl_rng_free(r);
}
END_TEST

static ntr_error bad(const char *text)
{
    ntr_node *n = yaml(text);
    ntr_tuned_spec s;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_tuned_spec_read(n, &s, &err), -1);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ntr_node_free(n);
    return err;
}

START_TEST(spec_errors)
{
    const char *ok = "type: tuned\nover: {method.name: [ntr, osgdm]}\n"
                     "tune: {method.eta: [0.1, 1]}\nscore: {final: grad_dual}\n";
    ntr_node *n = yaml(ok);
    ntr_tuned_spec s;
    ntr_error err = {0};
    ck_assert_msg(ntr_tuned_spec_read(n, &s, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(s.score, NTR_TUNED_FINAL);
    ck_assert_double_eq(s.window, 0.5);
    ntr_node_free(n);
    ntr_error e = bad("type: tuned\ntune: {method.eta: [1]}\nscore: {hit: 1}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "needs over"));
    e = bad("type: tuned\nover: {method.name: [ntr]}\nscore: {hit: 1}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "needs tune"));
    e = bad("type: tuned\nover: {method.name: [ntr]}\ntune: {method.eta: [1]}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "needs score"));
    e = bad("type: tuned\nover: {method.name: [ntr]}\ntune: {method.eta: [1]}\n"
            "score: {final: grad_dul}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "did you mean 'grad_dual'"));
    ck_assert_int_eq(e.line, 4);
    e = bad("type: tuned\nover: {method.name: [ntr]}\ntune: {method.eta: [1]}\n"
            "score: {hit: 1, final: f}\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "one of them"));
    e = bad("type: tuned\nover: {method.name: [ntr]}\ntune: {method.eta: [1]}\nscore: {hit: 1}\n"
            "analyses: [{kind: crossover, x: noise.sigma, a: {method.name: ntr}}]\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "groups a and b"));
    e = bad("type: tuned\nover: {method.name: [ntr]}\ntune: {method.eta: [1]}\nscore: {hit: 1}\n"
            "analyses: [{kind: profile, x: method.eta}]\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "needs expect"));
    e = bad("type: tuned\nover: {method.name: [ntr]}\ntune: {method.eta: [1]}\nscore: {hit: 1}\n"
            "analyses: [{kind: profile, x: method.eta, expect: upward}]\n");
    ck_assert_ptr_nonnull(strstr(e.msg, "rises"));
    ck_assert_int_eq(e.line, 5);
}
END_TEST

/* A small study end to end: two methods over two noise levels, each tuned
 * over its step; the files and the claim line. */
START_TEST(end_to_end)
{
    char *tmp = ts_tmpdir(), *cfg = ts_tests("tuned/small.yaml"), *out = ts_path("%s/t", tmp);
    ts_result r;
    NTR_RUN(r, cfg, "-o", out);
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ck_assert_msg(strstr(r.out, "tuned: 4 groups, 5 tuning points"), "%s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "claim: "));
    static const char *const files[] = {"tuned.csv", "tuned_points.csv", "tuned.json",
                                        "plots/tuned_1.gp", "plots/tuned_1_ratio.dat"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *p = ts_path("%s/%s", out, files[i]);
        ck_assert_msg(ts_exists(p), "%s missing", files[i]);
        free(p);
    }
    char *md = ts_path("%s/report.md", out), *text = ts_read_file(md, NULL);
    ck_assert_ptr_nonnull(strstr(text, "## Tuned comparison"));
    free(text);
    free(md);
    ts_result_free(&r);
    ts_rmtree(tmp);
    free(tmp), free(cfg), free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tuned");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, spec_errors);
    tcase_add_test(tc, known_answers);
    tcase_add_test(tc, edge_is_not_tuned);
    tcase_add_test(tc, end_to_end);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

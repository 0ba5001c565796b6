/* test_probe.c: ntr-probe's checks hold for every registered problem in
 * every norm, on small instances (issue: declared constants never violated).
 * Each problem's small config is in the table below; a problem missing
 * from the table fails the coverage test, so a new problem cannot skip it. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "problems/problem.h"
#include "config/settings.h"
#include "config/yaml_load.h"
#include "norms/norm.h"
#include "probe/probe.h"
#include "support.h"
#include <dirent.h>

typedef struct small_case {
    const char *problem;
    const char *yaml; /* problem + noise sections of a small instance */
} small_case;

static const small_case cases[] = {
    {"least_squares", "problem: {type: least_squares, shape: [6, 4], samples: 20, condition: 5}\n"
                      "noise: {type: gaussian, sigma: 0.3}\n"},
    {"least_squares", "problem: {type: least_squares, shape: [5, 3], samples: 12}\n"
                      "noise: {type: minibatch, batch: 2}\n"},
    {"least_squares", "problem: {type: least_squares, shape: [6, 4], samples: 20}\n"
                      "noise: {type: separable, sigma: 0.3, batch: 2, support: 3, decay: 1}\n"},
    {"cauchy_regression", "problem: {type: cauchy_regression, shape: [4, 3], samples: 30}\n"
                          "noise: {type: minibatch, batch: 3}\n"},
    {"logistic", "problem: {type: logistic, shape: [3, 4], samples: 40}\n"
                 "noise: {type: minibatch, batch: 2}\n"},
    {"sine_quadratic", "problem: {type: sine_quadratic, shape: [4, 3], form: entrywise}\n"
                       "noise: {type: gaussian, sigma: 0.2}\n"},
    {"sine_quadratic", "problem: {type: sine_quadratic, shape: [4, 3], form: spectral}\n"
                       "noise: {type: student_t, sigma: 0.2, nu: 5}\n"},
    {"sine_quadratic", "problem: {type: sine_quadratic, shape: [3, 3], form: measured, samples: 40}\n"
                       "noise: {type: minibatch, batch: 2}\n"},
    {"teacher_student", "problem: {type: teacher_student, shape: [3, 4], eval_samples: 8192}\n"
                        "noise: {type: minibatch, batch: 4}\n"},
    {"chain_hard", "problem: {type: chain_hard, T: 6, p: 0.5}\n"
                   "noise: {type: minibatch}\n"},
    {"mlp", "problem: {type: mlp, samples: 30}\n"
            "noise: {type: minibatch, batch: 3}\n"},
    {"quadratic", "problem: {type: quadratic, shape: [5, 3], curvature: [0.5, 4], center: 1}\n"
                  "noise: {type: separable, sigma: 0.2, support: 2}\n"},
    {"quadratic", "problem: {type: quadratic, shape: [4, 3], curvature: [-1, 1]}\n"
                  "noise: {type: gaussian, sigma: 0.2}\n"},
};
#define NCASES (sizeof cases / sizeof *cases)

static void probe_case(const small_case *c, const char *norm)
{
    char text[1024];
    snprintf(text, sizeof text, "%smethod: {norm: %s}\n", c->yaml, norm);
    ntr_node *root = NULL;
    ntr_error err;
    memset(&err, 0, sizeof err);
    ck_assert_msg(ntr_yaml_load_string(text, strlen(text), "case", 0, &root, &err) == 0, "%s",
                  err.msg);
    ntr_settings s;
    ck_assert_msg(ntr_settings_read(root, ".", "probe", &s, &err) == 0, "%s: %s", c->problem,
                  err.msg);
    ntr_probe_report rep;
    ck_assert_msg(ntr_probe_run(&s, 24, 7, NULL, &rep, &err) == 0, "%s/%s: %s", c->problem, norm,
                  err.msg);
    for (int i = 0; i < rep.nrows; i++)
        ck_assert_msg(rep.rows[i].verdict != 0, "%s in %s norm: %s seen %g > declared %g (%s)",
                      c->problem, norm, rep.rows[i].check, rep.rows[i].seen, rep.rows[i].bound,
                      rep.rows[i].note);
    ck_assert_int_ge(rep.nrows, 3);
    ntr_node_free(root);
}

START_TEST(every_problem_every_norm)
{
    const small_case *c = &cases[_i];
    if (!ntr_problem_lookup(c->problem))
        return; /* not registered in this build: the coverage test decides */
    for (size_t n = 0; ntr_norm_types[n]; n++)
        probe_case(c, ntr_norm_types[n]->name);
}
END_TEST

START_TEST(every_registered_problem_has_a_case)
{
    for (size_t i = 0; ntr_problem_types[i]; i++) {
        int found = ntr_problem_types[i] == &ntr_problem_plugin; /* probed in test_plugin.c */
        for (size_t j = 0; j < NCASES; j++)
            found |= strcmp(cases[j].problem, ntr_problem_types[i]->name) == 0;
        ck_assert_msg(found, "problem %s has no probe case in tests/test_probe.c",
                      ntr_problem_types[i]->name);
    }
}
END_TEST

START_TEST(probe_detects_a_false_constant)
{
    /* least_squares' own L passes; half of the largest ratio the probe
     * sees must be reported as violated, and so must a false L2 on the
     * non-quadratic cauchy_regression. */
    const char *text = "problem: {type: least_squares, shape: [4, 3], samples: 10}\n"
                       "method: {norm: spectral}\n";
    ntr_node *root = NULL;
    ntr_error err;
    ck_assert(ntr_yaml_load_string(text, strlen(text), "case", 0, &root, &err) == 0);
    ntr_settings s;
    ck_assert(ntr_settings_read(root, ".", "probe", &s, &err) == 0);
    ntr_probe_report rep;
    ck_assert(ntr_probe_run(&s, 24, 3, NULL, &rep, &err) == 0);
    ck_assert_int_eq(rep.violations, 0);
    double seen = rep.rows[1].seen;
    ck_assert_str_eq(rep.rows[1].check, "smoothness L");
    ntr_probe_claims claims = {0.5 * seen, NAN};
    ck_assert(ntr_probe_run(&s, 24, 3, &claims, &rep, &err) == 0);
    ck_assert_int_eq(rep.violations, 1);
    ck_assert_int_eq(rep.rows[1].verdict, 0);
    ntr_node_free(root);

    if (!ntr_problem_lookup("cauchy_regression"))
        return;
    text = "problem: {type: cauchy_regression, shape: [3, 2], samples: 10}\n";
    ck_assert(ntr_yaml_load_string(text, strlen(text), "case", 0, &root, &err) == 0);
    ck_assert(ntr_settings_read(root, ".", "probe", &s, &err) == 0);
    claims.L = NAN;
    claims.L2 = 1e-6;
    ck_assert(ntr_probe_run(&s, 24, 3, &claims, &rep, &err) == 0);
    ck_assert_int_ge(rep.violations, 1);
    ntr_node_free(root);
}
END_TEST

/* Every shipped problem config passes ntr-probe in every norm (exit 0),
 * and runs with ntr-run: checked through the commands themselves. */
START_TEST(shipped_problem_configs_pass_the_probe)
{
    char *cdir = ts_tests("../configs/problems");
    DIR *d = opendir(cdir);
    ck_assert_ptr_nonnull(d);
    char *probe = ts_bin("ntr-probe");
    int seen = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".yaml") != 0)
            continue;
        char *cfg = ts_path("%s/%s", cdir, e->d_name);
        const char *argv[] = {probe, cfg, "--norm", "all", "--points", "8", NULL};
        ts_result r;
        ck_assert_int_eq(ts_run(argv, &r), 0);
        ck_assert_msg(r.code == 0, "ntr-probe %s: exit %d\n%s%s", e->d_name, r.code, r.out, r.err);
        ck_assert_ptr_nonnull(strstr(r.out, "every declared property holds"));
        ts_result_free(&r);
        free(cfg);
        seen++;
    }
    closedir(d);
    ck_assert_int_ge(seen, 7);
    free(probe);
    free(cdir);
}
END_TEST

START_TEST(probe_exits_1_on_a_false_claim)
{
    char *cfg = ts_tests("../configs/problems/least_squares.yaml");
    char *probe = ts_bin("ntr-probe");
    const char *argv[] = {probe, cfg, "--claim-L", "1e-6", "--points", "8", NULL};
    ts_result r;
    ck_assert_int_eq(ts_run(argv, &r), 0);
    ck_assert_int_eq(r.code, 1);
    ck_assert_ptr_nonnull(strstr(r.out, "VIOLATED"));
    ts_result_free(&r);
    const char *bad[] = {probe, cfg, "--points", "zero", NULL};
    ck_assert_int_eq(ts_run(bad, &r), 0);
    ck_assert_int_eq(r.code, 2);
    ts_result_free(&r);
    free(probe);
    free(cfg);
}
END_TEST

/* Bad option values are refused (exit 2, one line naming the option):
 * seeds outside the config's seed range (strtoul took -1 as 2^64-1 and
 * wrapped huge seeds onto the same one), non-finite claims. */
START_TEST(probe_refuses_bad_option_values)
{
    char *cfg = ts_tests("../configs/problems/least_squares.yaml");
    char *probe = ts_bin("ntr-probe");
    static const char *const bad_values[][3] = {
        {"--seed", "-1", "--seed takes a whole number from 0 to 4294967295"},
        {"--seed", "99999999999999999999", "--seed takes a whole number from 0 to 4294967295"},
        {"--seed", "4294967296", "--seed takes a whole number from 0 to 4294967295"},
        {"--seed", " 3", "--seed takes"},
        {"--claim-L", "inf", "--claim-L takes a finite non-negative number"},
        {"--claim-L2", "nan", "--claim-L2 takes a finite non-negative number"},
        {"--claim-L", "1e999", "--claim-L takes a finite"},
    };
    for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++) {
        const char *argv[] = {probe, cfg, bad_values[i][0], bad_values[i][1], "--points", "2", NULL};
        ts_result r;
        ck_assert_int_eq(ts_run(argv, &r), 0);
        ck_assert_msg(r.code == 2, "%s %s: exit %d", bad_values[i][0], bad_values[i][1], r.code);
        ck_assert_msg(strstr(r.err, bad_values[i][2]) != NULL, "%s %s: %s", bad_values[i][0], bad_values[i][1],
                      r.err);
        ck_assert_msg(r.out_len == 0, "%s %s: output %s", bad_values[i][0], bad_values[i][1], r.out);
        ts_result_free(&r);
    }
    const char *ok[] = {probe, cfg, "--seed", "4294967295", "--points", "2", NULL};
    ts_result r;
    ck_assert_int_eq(ts_run(ok, &r), 0);
    ck_assert_msg(r.code == 0, "largest seed: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    free(probe);
    free(cfg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("probe");
    TCase *t = tcase_create("problems");
    tcase_set_timeout(t, 120);
    tcase_add_loop_test(t, every_problem_every_norm, 0, (int)NCASES);
    tcase_add_test(t, every_registered_problem_has_a_case);
    tcase_add_test(t, probe_detects_a_false_constant);
    tcase_add_test(t, shipped_problem_configs_pass_the_probe);
    tcase_add_test(t, probe_exits_1_on_a_false_claim);
    tcase_add_test(t, probe_refuses_bad_option_values);
    suite_add_tcase(s, t);
    return ts_run_suite(s);
}

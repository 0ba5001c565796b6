/* test_cli.c: the ntr-run command line, through the binary in $NTR_BIN:
 * --plan prints every cell and runs nothing; --help names every option
 * (and every option it names is accepted); --version; --list problems,
 * norms, methods; bad command lines (unknown option, bad --shard, --set
 * without '=', no config, ...) exit 2 with a message and create nothing.
 * The result folder itself is tested in test_run_folder.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "support.h"

static const char tiny_yaml[] =
    "# a tiny sweep for the command-line tests\n"
    "name: tiny\n"
    "seed: 3\n"
    "problem:\n"
    "  type: least_squares\n"
    "  shape: [4, 3]\n"
    "  samples: 8\n"
    "noise: {type: gaussian, sigma: 0.1, batch: 1}\n"
    "method: {name: ntr, eta: 0.05, alpha: 0.2}\n"
    "budget: {iterations: 50, targets: [1.0, 0.1]}\n"
    "log: {every: 10}\n"
    "sweep:\n"
    "  method.norm: [spectral, euclidean]\n"
    "seeds: 2\n";

START_TEST(plan_runs_nothing)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--plan");
    ck_assert_int_eq(r.code, 0);
    ntr_plan *plan = ts_plan_of(s.config);
    for (size_t c = 0; c < plan->ncells; c++)
        ck_assert_ptr_nonnull(strstr(r.out, plan->cells[c].hash));
    ck_assert_ptr_nonnull(strstr(r.out, "pending"));
    ck_assert(!ts_exists(out));
    ntr_plan_free(plan);
    ts_result_free(&r);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(help_names_every_option)
{
    static const char *const options[] = {
        "--set",   "-o",     "--out",   "-j",       "--jobs",      "--shard",
        "--plan",  "--no-plot", "-q",   "--quiet",  "-v",          "--verbose",
        "--help",  "-h",     "--version", "--list", "--collect",   "--force-new",
        "--format", NULL};
    ts_result r;
    NTR_RUN(r, "--help");
    ck_assert_int_eq(r.code, 0);
    for (int i = 0; options[i]; i++)
        ck_assert_msg(strstr(r.out, options[i]) != NULL, "--help does not mention %s",
                      options[i]);
    for (int code = 0; code <= 3; code++) {
        char want[16];
        snprintf(want, sizeof want, "%d", code);
        ck_assert_ptr_nonnull(strstr(r.out, want));
    }
    /* Every long option the help names is one ntr-run accepts. */
    for (const char *p = strstr(r.out, "--"); p; p = strstr(p + 2, "--")) {
        char opt[64];
        size_t n = strspn(p, "-abcdefghijklmnopqrstuvwxyz");
        if (n <= 2 || n >= sizeof opt)
            continue;
        snprintf(opt, sizeof opt, "%.*s", (int)n, p);
        ts_result o;
        NTR_RUN(o, opt);
        ck_assert_msg(!strstr(o.err, "unknown option"), "help names %s, ntr-run refuses it", opt);
        ts_result_free(&o);
    }
    ts_result_free(&r);
}
END_TEST

START_TEST(version_and_lists)
{
    char *vp = ts_tests("../VERSION");
    char *version = ts_read_file(vp, NULL);
    ck_assert_ptr_nonnull(version);
    version[strcspn(version, "\n")] = '\0';
    ts_result r;
    NTR_RUN(r, "--version");
    ck_assert_int_eq(r.code, 0);
    ck_assert_msg(strncmp(r.out, "ntr-run ", 8) == 0, "version line: %.400s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out, version));
    ts_result_free(&r);
    free(version);
    free(vp);

    static const char *const problems[] = {"least_squares", NULL};
    static const char *const norms[] = {"euclidean", "linf", "l1", "spectral", "colnorm",
                                        "rownorm", NULL};
    static const char *const methods[] = {"ntr", "osgdm", "sgd", "sgdm", "adamw", NULL};
    static const char *const noise[] = {"none",      "gaussian",  "student_t",
                                        "sparse",    "minibatch", "separable", NULL};
    static const char *const studies[] = {"rate",          "compare", "batch",
                                          "extrapolation", "tuned",   NULL};
    const char *const *lists[] = {problems, norms, methods, noise, studies};
    const char *what[] = {"problems", "norms", "methods", "noise", "studies"};
    for (int l = 0; l < 5; l++) {
        NTR_RUN(r, "--list", what[l]);
        ck_assert_int_eq(r.code, 0);
        for (int i = 0; lists[l][i]; i++) {
            /* each name begins a line */
            char *line = ts_path("\n%s ", lists[l][i]);
            char *first = ts_path("%s ", lists[l][i]);
            ck_assert_msg(strstr(r.out, line) || strncmp(r.out, first, strlen(first)) == 0,
                          "--list %s lacks %s", what[l], lists[l][i]);
            free(line);
            free(first);
        }
        ts_result_free(&r);
    }
    NTR_RUN(r, "--list", "colours");
    ck_assert_int_eq(r.code, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "colours"));
    ts_result_free(&r);
}
END_TEST

/* Bad command lines: exit 2, a message on stderr, no result folder. */
START_TEST(bad_command_lines)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    char *missing = ts_path("%s/no-such-config.yaml", s.dir);
    const char *c = s.config;
    struct {
        const char *args[8];
        const char *fragment;
    } cases[] = {
        {{c, "-o", out, "--bogus", NULL}, "--bogus"},
        {{c, "-o", out, "--shard", "3/2", NULL}, "3/2"},
        {{c, "-o", out, "--shard", "0/2", NULL}, "0/2"},
        {{c, "-o", out, "--shard", "1/2x", NULL}, "1/2x"},
        {{c, "-o", out, "--set", "method.eta", NULL}, "key.path=value"},
        {{c, "-o", out, "--set", "=3", NULL}, "key.path=value"},
        {{c, "-o", out, "--set", "method.eta=", NULL}, "missing value"},
        {{c, "-o", out, "--set", "method.bogus=1", NULL}, "bogus"},
        {{c, "-o", out, "-j", "0", NULL}, "-j"},
        {{c, "-o", out, "--format", "gif", NULL}, "gif"},
        {{c, "-o", out, "--set", NULL}, "--set"},
        {{"-o", out, NULL}, "no config"},
        {{c, c, "-o", out, NULL}, "one config"},
        {{missing, "-o", out, NULL}, "cannot open"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const *a = cases[i].args;
        ts_result r;
        NTR_RUN(r, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
        ck_assert_msg(r.code == 2, "case %zu: exit %d (stderr: %.400s)", i, r.code, r.err);
        char *first = ts_first_line(r.err);
        ck_assert_msg(strstr(first, cases[i].fragment) != NULL,
                      "case %zu: '%.400s' not in first line '%.400s'", i, cases[i].fragment, first);
        ck_assert_msg(!ts_exists(out), "case %zu created the result folder", i);
        free(first);
        ts_result_free(&r);
    }
    free(missing);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 120); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, plan_runs_nothing);
    tcase_add_test(tc, help_names_every_option);
    tcase_add_test(tc, version_and_lists);
    tcase_add_test(tc, bad_command_lines);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

/* test_plugin.c: problem plug-ins (problems/plugin.c) through ntr-run and
 * ntr-probe, with the test plug-ins of tests/plugins/testplug.c (built
 * beside this program, in plugins/testplug.so):
 *   - a good plug-in runs and leaves a result folder with the same files as
 *     a built-in problem's; its path is relative to the config's folder,
 *     and a bare library name is never searched for on the system;
 *   - the plug-in validates its own keys through the key/value view, with
 *     the config's file:line:col; unknown keys name the nearest one;
 *   - a missing library, a missing symbol, another API version, a missing
 *     function, a declared class without its constants: exit 2, nothing run;
 *   - a plug-in returning NaN: its runs diverge (exit 1), ntr-probe fails
 *     (exit 1); a false declared L: ntr-probe fails (exit 1), while the
 *     good plug-in is certified (exit 0);
 *   - the library's content is part of the cell's identity (a changed
 *     library makes new cells; resuming with it is refused);
 *   - results do not depend on -j (worker processes load the plug-in too). */
#include <check.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ntr/ntr.h"
#include "support.h"

/* The test plug-in library: plugins/testplug.so beside this program. */
static char *plugin_lib(void)
{
    char exe[1024];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    ck_assert_int_gt(n, 0);
    exe[n] = '\0';
    char *lib = ts_path("%s/plugins/testplug.so", dirname(exe));
    ck_assert_msg(ts_exists(lib), "%s is not built", lib);
    return lib;
}

/* A config for library and symbol, the problem's extra lines (from line 8
 * on, indented under problem:) and a sweep (may be empty).  library is
 * on line 5 at column 12, symbol on line 6 at column 11. */
static char *plugin_yaml(const char *library, const char *symbol, const char *extra,
                         const char *sweep)
{
    return ts_path("name: plug\n"
                   "seed: 2\n"
                   "problem:\n"
                   "  type: plugin\n"
                   "  library: %s\n"
                   "  symbol: %s\n"
                   "  shape: [4, 3]\n"
                   "%s"
                   "noise: {type: gaussian, sigma: 0.05}\n"
                   "method: {name: ntr, norm: spectral, eta: 0.05, alpha: 0.2}\n"
                   "budget: {iterations: 60, targets: [1.0]}\n"
                   "log: {every: 10}\n"
                   "%s",
                   library, symbol, extra, sweep);
}

/* ntr-run on yaml must refuse it: exit 2, one message at the config's
 * where ("LINE:COL") holding fragment, nothing on stdout, no folder. */
static void expect_refused(const char *yaml, const char *where, const char *fragment)
{
    ts_scratch s = ts_scratch_new(yaml);
    char *out = ts_path("%s/out", s.dir);
    char *prefix = ts_path("%s:%s: ", s.config, where);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 2, "exit %d, stderr: %s", r.code, r.err);
    ck_assert_msg(strncmp(r.err, prefix, strlen(prefix)) == 0, "stderr '%s' does not start '%s'",
                  r.err, prefix);
    ck_assert_msg(strstr(r.err, fragment) != NULL, "stderr '%s' lacks '%s'", r.err, fragment);
    ck_assert_str_eq(r.out, "");
    ck_assert(!ts_exists(out));
    ts_result_free(&r);
    free(prefix);
    free(out);
    ts_scratch_free(&s);
}

/* The file names of a result folder, cell hashes replaced by H. */
static char *folder_files(const char *dir)
{
    char *snap = ts_tree_snapshot(dir);
    ck_assert_ptr_nonnull(snap);
    char *names = calloc(strlen(snap) + 1, 1);
    ck_assert_ptr_nonnull(names);
    size_t used = 0;
    for (char *line = strtok(snap, "\n"); line; line = strtok(NULL, "\n")) {
        size_t len = strcspn(line, " ");
        if (strncmp(line, "cells/", 6) == 0) {
            used += (size_t)sprintf(names + used, "cells/H");
            const char *rest = line + 6 + strcspn(line + 6, "/ ");
            len -= (size_t)(rest - line);
            line = (char *)rest;
        }
        used += (size_t)sprintf(names + used, "%.*s\n", (int)len, line);
    }
    free(snap);
    return names;
}

/* The cell hashes of a config, from `ntr-run --plan` (a child process:
 * this one never loads a plug-in, whose library planning loads). */
static int plan_hashes(const char *config, char hashes[][17], int max)
{
    ts_result r;
    NTR_RUN(r, config, "--plan");
    ck_assert_msg(r.code == 0, "--plan exit %d: %s", r.code, r.err);
    char *lines[64];
    int n = ts_split_lines(r.out, lines, 64), got = 0;
    for (int i = 1; i < n && got < max; i++) /* after the header: "index hash ..." */
        if (sscanf(lines[i], "%*s %16s", hashes[got]) == 1 && strlen(hashes[got]) == 16)
            got++;
    ts_result_free(&r);
    return got;
}

START_TEST(good_plugin_runs_like_a_builtin)
{
    char *lib = plugin_lib();
    char *yaml = plugin_yaml(lib, "tp_quadratic",
                             "  scale: 2\n  center: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]\n", "");
    ts_scratch s = ts_scratch_new(yaml);
    char *out = ts_path("%s/out", s.dir), *ref = ts_path("%s/ref", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    /* the same settings on a built-in problem */
    NTR_RUN(r, s.config, "-o", ref, "--no-plot", "--set",
            "problem={type: least_squares, shape: [4, 3], samples: 8}");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    char *a = folder_files(out), *b = folder_files(ref);
    ck_assert_str_eq(a, b);
    ck_assert_ptr_nonnull(strstr(a, "cells/H/trajectory.csv\n"));
    /* the plug-in's key reached it: scale 2 gives f(x0) = ||x0 - c||^2 */
    char *cfg = ts_path("%s/config.yaml", out);
    char *text = ts_read_file(cfg, NULL);
    ck_assert_ptr_nonnull(strstr(text, "scale: 2"));
    free(text);
    free(cfg);
    free(a);
    free(b);
    free(out);
    free(ref);
    ts_scratch_free(&s);
    free(yaml);
    free(lib);
}
END_TEST

START_TEST(library_path_is_relative_to_the_config)
{
    char *lib = plugin_lib();
    char *yaml = plugin_yaml("libtp.so", "tp_quadratic", "", "");
    ts_scratch s = ts_scratch_new(yaml);
    char *link = ts_path("%s/libtp.so", s.dir), *out = ts_path("%s/out", s.dir);
    ck_assert_int_eq(symlink(lib, link), 0);
    ts_result r; /* the test runs from another folder than the config's */
    NTR_RUN(r, s.config, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    free(link);
    free(out);
    ts_scratch_free(&s);
    free(yaml);
    free(lib);
}
END_TEST

/* A bare name that the system's loader would find is not searched for:
 * only the file the config names, in the config's folder, is loaded. */
START_TEST(bare_library_name_is_not_searched)
{
    char *yaml = plugin_yaml("libm.so.6", "cos", "", "");
    expect_refused(yaml, "5:12", "problem.library: cannot open");
    free(yaml);
}
END_TEST

START_TEST(missing_library)
{
    char *yaml = plugin_yaml("no/such/libplug.so", "tp_quadratic", "", "");
    expect_refused(yaml, "5:12", "problem.library: cannot open");
    free(yaml);
}
END_TEST

START_TEST(not_a_library)
{
    /* the config itself: a file, but no shared object */
    char *yaml = plugin_yaml("tiny.yaml", "tp_quadratic", "", "");
    expect_refused(yaml, "5:12", "problem.library: cannot load");
    free(yaml);
}
END_TEST

START_TEST(missing_symbol)
{
    char *lib = plugin_lib();
    char *yaml = plugin_yaml(lib, "tp_nothing", "", "");
    expect_refused(yaml, "6:11", "problem.symbol: 'tp_nothing' is not defined");
    free(yaml);
    free(lib);
}
END_TEST

/* A later version, and version 1 (whose smoothness() took the norm's name). */
START_TEST(other_api_version)
{
    char *lib = plugin_lib();
    const char *symbols[] = {"tp_other_api", "tp_api_1"};
    const int versions[] = {NTR_API_VERSION + 1, 1};
    ck_assert_int_ne(NTR_API_VERSION, 1);
    for (int i = 0; i < 2; i++) {
        char *yaml = plugin_yaml(lib, symbols[i], "", "");
        char want[128];
        snprintf(want, sizeof want, "built for ntr API version %d; this ntr speaks version %d",
                 versions[i], NTR_API_VERSION);
        expect_refused(yaml, "6:11", want);
        free(yaml);
    }
    free(lib);
}
END_TEST

START_TEST(missing_function)
{
    char *lib = plugin_lib();
    char *yaml = plugin_yaml(lib, "tp_no_grad", "", "");
    expect_refused(yaml, "6:11", "has no grad function");
    free(yaml);
    yaml = plugin_yaml(lib, "tp_sum_no_sampler", "", "");
    expect_refused(yaml, "6:11", "has no sample_grad");
    free(yaml);
    free(lib);
}
END_TEST

START_TEST(declared_class_without_constants)
{
    char *lib = plugin_lib();
    char *yaml = plugin_yaml(lib, "tp_smooth_no_L", "", "");
    expect_refused(yaml, "6:11", "declared smooth, but its L_frob is not a finite number");
    free(yaml);
    free(lib);
}
END_TEST

START_TEST(loader_keys_required)
{
    char *lib = plugin_lib();
    char *yaml = ts_path("problem:\n  type: plugin\n  symbol: tp_quadratic\n");
    expect_refused(yaml, "2:3", "type plugin needs `library:`");
    free(yaml);
    yaml = ts_path("problem:\n  type: plugin\n  library: %s\n", lib);
    expect_refused(yaml, "2:3", "type plugin needs `symbol:`");
    free(yaml);
    free(lib);
}
END_TEST

/* The plug-in checks its own keys, at their place in the config. */
START_TEST(plugin_validates_its_keys)
{
    char *lib = plugin_lib();
    char *yaml = plugin_yaml(lib, "tp_quadratic", "  center: 1\n  scale: -3\n", "");
    expect_refused(yaml, "9:10", "problem.scale = -3 is out of range");
    free(yaml);
    yaml = plugin_yaml(lib, "tp_quadratic", "  scael: 3\n", "");
    expect_refused(yaml, "8:3", "unknown key 'problem.scael' (did you mean 'scale'?)");
    free(yaml);
    /* lists through the same view: a bad entry, a wrong length */
    yaml = plugin_yaml(lib, "tp_quadratic", "  center: [1, 2, x, 4]\n", "");
    expect_refused(yaml, "8:18", "problem.center must be a number, not 'x'");
    free(yaml);
    yaml = plugin_yaml(lib, "tp_quadratic", "  center: [1, 2, 3]\n", "");
    expect_refused(yaml, "8:11", "problem.center: 1 or 12 numbers (one per entry), not 3");
    free(yaml);
    /* through a sweep too: the bad value is only in a sweep point */
    yaml = plugin_yaml(lib, "tp_quadratic", "", "sweep:\n  problem.scale: [1, 0]\n");
    expect_refused(yaml, "13:22", "problem.scale = 0 is out of range");
    free(yaml);
    free(lib);
}
END_TEST

START_TEST(nan_plugin_diverges_and_fails_the_probe)
{
    char *lib = plugin_lib();
    char *yaml = plugin_yaml(lib, "tp_nan", "", "");
    ts_scratch s = ts_scratch_new(yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 1, "exit %d: %s %s", r.code, r.out, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "1 diverged"));
    ts_result_free(&r);
    ck_assert_int_eq(ts_run_bin(&r, "ntr-probe", s.config, "--points", "8", (const char *)NULL),
                     0);
    ck_assert_msg(r.code == 1, "probe exit %d: %s %s", r.code, r.out, r.err);
    const char *row = strstr(r.out, "finite f and grad f");
    ck_assert_ptr_nonnull(row);
    ck_assert_ptr_nonnull(strstr(row, "VIOLATED"));
    ts_result_free(&r);
    free(out);
    ts_scratch_free(&s);
    free(yaml);
    free(lib);
}
END_TEST

/* The probe certifies the good plug-in and catches the false L. */
START_TEST(probe_certifies_and_catches_false_L)
{
    char *lib = plugin_lib();
    const char *symbols[] = {"tp_quadratic", "tp_false_L"};
    for (int i = 0; i < 2; i++) {
        char *yaml = plugin_yaml(lib, symbols[i], "  scale: 3\n", "");
        ts_scratch s = ts_scratch_new(yaml);
        ts_result r;
        ck_assert_int_eq(ts_run_bin(&r, "ntr-probe", s.config, "--points", "16",
                                    (const char *)NULL), 0);
        ck_assert_msg(r.code == i, "%s: probe exit %d: %s %s", symbols[i], r.code, r.out, r.err);
        ck_assert_ptr_nonnull(strstr(r.out, "problem tp_quadratic (plugin)"));
        const char *row = strstr(r.out, "smoothness L");
        ck_assert_ptr_nonnull(row);
        const char *end = strchr(row, '\n');
        const char *violated = strstr(row, "VIOLATED");
        ck_assert_msg(i ? violated && violated < end : !violated, "%s: %s", symbols[i], r.out);
        ts_result_free(&r);
        ts_scratch_free(&s);
        free(yaml);
    }
    free(lib);
}
END_TEST

/* smoothness() gets the norm's id across the library boundary: the
 * plug-in's own spectral constant is used (and holds) in the spectral
 * norm, the generic bound in every other norm. */
START_TEST(per_norm_constant_by_id)
{
    char *lib = plugin_lib();
    char *yaml = plugin_yaml(lib, "tp_per_norm", "  scale: 3\n", "");
    ts_scratch s = ts_scratch_new(yaml);
    ts_result r;
    ck_assert_int_eq(ts_run_bin(&r, "ntr-probe", s.config, "--points", "8", "--norm", "all",
                                (const char *)NULL), 0);
    ck_assert_msg(r.code == 0, "probe exit %d: %s %s", r.code, r.out, r.err);
    const char *norms[] = {"euclidean", "linf", "spectral", "rownorm"};
    for (int i = 0; i < 4; i++) {
        char head[64];
        snprintf(head, sizeof head, "norm %s [", norms[i]);
        const char *block = strstr(r.out, head);
        ck_assert_msg(block != NULL, "no %s block: %s", norms[i], r.out);
        const char *row = strstr(block, "smoothness L");
        ck_assert_ptr_nonnull(row);
        const char *end = strchr(row, '\n');
        const char *own = strstr(row, "(problem's own bound)");
        int spectral = strcmp(norms[i], "spectral") == 0;
        ck_assert_msg(spectral ? own && own < end : !own || own > end, "%s norm: %.*s",
                      norms[i], (int)(end - row), row);
        if (spectral) /* 3 * min(4, 3) */
            ck_assert_ptr_nonnull(strstr(row, " 9 "));
    }
    ts_result_free(&r);
    ts_scratch_free(&s);
    free(yaml);
    free(lib);
}
END_TEST

/* The library's content is part of the cell: a rebuilt library makes new
 * cells, and resuming a folder made with the old one is refused. */
START_TEST(library_content_is_part_of_the_cell)
{
    char *lib = plugin_lib();
    char *yaml = plugin_yaml("libtp.so", "tp_quadratic", "", "");
    ts_scratch s = ts_scratch_new(yaml);
    char *copy = ts_path("%s/libtp.so", s.dir), *out = ts_path("%s/out", s.dir);
    size_t len;
    char *bytes = ts_read_file(lib, &len);
    ck_assert_ptr_nonnull(bytes);
    ck_assert_int_eq(ts_write_bytes(copy, bytes, len), 0);
    char before[1][17], after[1][17];
    ck_assert_int_eq(plan_hashes(s.config, before, 1), 1);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    char *cfg = ts_path("%s/config.yaml", out);
    char *text = ts_read_file(cfg, NULL);
    ck_assert_msg(text && strstr(text, "inputs:\n  libtp.so: \""), "no library in inputs: %s",
                  text);
    free(text);
    free(cfg);
    /* the same library with a byte appended: still loadable, other content;
     * written beside and renamed over, as a linker replaces its output
     * (this process has the old one mapped) */
    bytes[len] = '\n';
    char *fresh = ts_path("%s.new", copy);
    ck_assert_int_eq(ts_write_bytes(fresh, bytes, len + 1), 0);
    ck_assert_int_eq(rename(fresh, copy), 0);
    free(fresh);
    ck_assert_int_eq(plan_hashes(s.config, after, 1), 1);
    ck_assert_msg(strcmp(before[0], after[0]) != 0, "same cell for another library");
    NTR_RUN(r, s.config, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 2 && strstr(r.err, "libtp.so"), "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    free(bytes);
    free(copy);
    free(out);
    ts_scratch_free(&s);
    free(yaml);
    free(lib);
}
END_TEST

START_TEST(results_do_not_depend_on_jobs)
{
    char *lib = plugin_lib();
    char *yaml = plugin_yaml(lib, "tp_quadratic", "",
                             "sweep:\n  problem.scale: [0.5, 1, 2]\n  method.norm: [spectral, linf]\n");
    ts_scratch s = ts_scratch_new(yaml);
    char *one = ts_path("%s/one", s.dir), *two = ts_path("%s/two", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", one, "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    NTR_RUN(r, s.config, "-o", two, "--no-plot", "-j", "2");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    char hashes[8][17];
    ck_assert_int_eq(plan_hashes(s.config, hashes, 8), 6);
    for (int c = 0; c < 6; c++) {
        char *a = ts_path("%s/cells/%s/trajectory.csv", one, hashes[c]);
        char *b = ts_path("%s/cells/%s/trajectory.csv", two, hashes[c]);
        ck_assert_msg(ts_files_equal(a, b), "%s differs with -j 2", b);
        free(a);
        free(b);
    }
    free(one);
    free(two);
    ts_scratch_free(&s);
    free(yaml);
    free(lib);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("plugin");
    TCase *tc = tcase_create("plugin");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, good_plugin_runs_like_a_builtin);
    tcase_add_test(tc, library_path_is_relative_to_the_config);
    tcase_add_test(tc, bare_library_name_is_not_searched);
    tcase_add_test(tc, missing_library);
    tcase_add_test(tc, not_a_library);
    tcase_add_test(tc, missing_symbol);
    tcase_add_test(tc, other_api_version);
    tcase_add_test(tc, per_norm_constant_by_id);
    tcase_add_test(tc, missing_function);
    tcase_add_test(tc, declared_class_without_constants);
    tcase_add_test(tc, loader_keys_required);
    tcase_add_test(tc, plugin_validates_its_keys);
    tcase_add_test(tc, nan_plugin_diverges_and_fails_the_probe);
    tcase_add_test(tc, probe_certifies_and_catches_false_L);
    tcase_add_test(tc, library_content_is_part_of_the_cell);
    tcase_add_test(tc, results_do_not_depend_on_jobs);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

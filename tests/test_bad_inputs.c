/* test_bad_inputs.c: the bad-input corpus (tests/bad/NAME.yaml, with bad data
 * files in tests/bad/data/) run through ntr-run.
 *
 * Each corpus file starts with a comment saying what ntr-run must answer:
 *     # expect: LINE:COL: fragment       the error is at LINE:COL of this file
 *     # expect: @REL:LINE:COL: fragment  ... at LINE:COL of the file REL
 *                                        (relative to this file's folder)
 *     # expect: -: fragment              ... names this file, no position
 * and the test asserts: exit code 2; stderr is one line starting with
 * "<file>:LINE:COL: " and containing the fragment; nothing on stdout; no
 * result folder created (ntr-run writes into a fresh temporary path given
 * with -o, which must still not exist afterwards): nothing half-written,
 * nothing run.  Also: a zero-byte config, config paths that cannot be
 * read, and bad --set values against an existing result folder, which must
 * be left exactly as it was. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"

#define MIN_CORPUS 60

typedef char corpus_name[128];

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const corpus_name *)a, *(const corpus_name *)b);
}

/* The sorted names of the corpus files (malloc'ed), *count their number;
 * NULL when the folder cannot be read.  No assertions here: main() calls
 * it too, outside any test. */
static corpus_name *corpus_names(size_t *count)
{
    size_t max = 1024, n = 0;
    *count = 0;
    corpus_name *names = calloc(max, sizeof *names);
    char *dir = ts_tests("bad");
    DIR *d = names && dir ? opendir(dir) : NULL;
    free(dir);
    if (!d) {
        free(names);
        return NULL;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        size_t len = strlen(e->d_name);
        if (len > 5 && len < sizeof names[0] && strcmp(e->d_name + len - 5, ".yaml") == 0)
            memcpy(names[n++], e->d_name, len + 1);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_name);
    *count = n;
    return names;
}

/* What one corpus file expects. */
typedef struct expectation {
    char prefix[1400]; /* what stderr must start with */
    char fragment[512];
} expectation;

/* Parse "# expect: SPEC: fragment" from the first line of path. */
static void read_expectation(const char *path, expectation *x)
{
    char *text = ts_read_file(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    char *line = ts_first_line(text);
    free(text);
    static const char tag[] = "# expect: ";
    ck_assert_msg(strncmp(line, tag, strlen(tag)) == 0, "%s: first line is not '# expect: ...'",
                  path);
    const char *spec = line + strlen(tag);
    const char *sep = strstr(spec, ": ");
    ck_assert_msg(sep != NULL && sep[2], "%s: expected '# expect: WHERE: fragment'", path);
    snprintf(x->fragment, sizeof x->fragment, "%s", sep + 2);
    int len = (int)(sep - spec);
    int l, c, used = 0;
    if (len == 1 && spec[0] == '-') {
        snprintf(x->prefix, sizeof x->prefix, "%s: ", path);
    } else if (spec[0] == '@') {
        /* @REL:LINE:COL names a data file beside the config */
        const char *colon = memchr(spec, ':', (size_t)len);
        ck_assert_msg(colon != NULL, "%s: bad @file position", path);
        ck_assert_int_eq(sscanf(colon + 1, "%d:%d%n", &l, &c, &used), 2);
        ck_assert_msg(colon + 1 + used == sep, "%s: bad position '%.*s'", path, len, spec);
        char dir[1024];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        ck_assert_ptr_nonnull(slash);
        *slash = '\0';
        snprintf(x->prefix, sizeof x->prefix, "%s/%.*s:%d:%d: ", dir, (int)(colon - spec - 1),
                 spec + 1, l, c);
    } else {
        ck_assert_msg(sscanf(spec, "%d:%d%n", &l, &c, &used) == 2 && used == len,
                      "%s: bad position '%.*s'", path, len, spec);
        snprintf(x->prefix, sizeof x->prefix, "%s:%d:%d: ", path, l, c);
    }
    free(line);
}

/* Run ntr-run on config with extra arguments; assert a clean refusal whose
 * one stderr line starts with prefix and contains fragment. */
static void expect_refusal(const char *config, const char *const *extra, const char *prefix,
                           const char *fragment)
{
    char *tmp = ts_tmpdir();
    ck_assert_ptr_nonnull(tmp);
    char *out = ts_path("%s/out", tmp);
    char *bin = ts_bin("ntr-run");
    const char *argv[16] = {bin, config, "-o", out, "--no-plot"};
    int n = 5;
    for (int i = 0; extra && extra[i] && n < 15; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    ts_result r;
    ck_assert_int_eq(ts_run(argv, &r), 0);
    ck_assert_msg(r.code == 2, "%.400s: exit %d, stderr: %.400s", config, r.code, r.err);
    char *first = ts_first_line(r.err);
    ck_assert_msg(strncmp(first, prefix, strlen(prefix)) == 0,
                  "%.400s: stderr '%.400s' does not start with '%.400s'", config, first, prefix);
    ck_assert_msg(strstr(first, fragment) != NULL, "%.400s: '%.400s' not in '%.400s'", config,
                  fragment, first);
    ck_assert_msg(r.err_len == strlen(first) + 1, "%.400s: more than one line on stderr: %.400s",
                  config, r.err);
    ck_assert_msg(r.out_len == 0, "%.400s: output on stdout: %.400s", config, r.out);
    ck_assert_msg(!ts_exists(out), "%s: a result folder was created", config);
    free(first);
    ts_result_free(&r);
    ck_assert_int_eq(ts_rmtree(tmp), 0);
    free(bin);
    free(out);
    free(tmp);
}

START_TEST(corpus_file)
{
    size_t n;
    corpus_name *names = corpus_names(&n);
    ck_assert_ptr_nonnull(names);
    ck_assert_uint_lt((size_t)_i, n);
    char *rel = ts_path("bad/%s", names[_i]);
    free(names);
    char *path = ts_tests(rel);
    expectation x;
    read_expectation(path, &x);
    expect_refusal(path, NULL, x.prefix, x.fragment);
    free(path);
    free(rel);
}
END_TEST

START_TEST(corpus_is_large_enough)
{
    size_t n;
    corpus_name *names = corpus_names(&n);
    ck_assert_msg(names != NULL, "cannot read the corpus folder");
    free(names);
    ck_assert_msg(n >= MIN_CORPUS, "only %zu bad inputs", n);
}
END_TEST

START_TEST(zero_byte_config)
{
    char *tmp = ts_tmpdir();
    char *cfg = ts_path("%s/empty.yaml", tmp);
    ck_assert_int_eq(ts_write_file(cfg, ""), 0);
    char *prefix = ts_path("%s:1:1: ", cfg);
    expect_refusal(cfg, NULL, prefix, "empty config");
    free(prefix);
    ck_assert_int_eq(ts_write_file(cfg, "\n\n   \n"), 0);
    prefix = ts_path("%s:1:1: ", cfg);
    expect_refusal(cfg, NULL, prefix, "empty config");
    free(prefix);
    ck_assert_int_eq(ts_rmtree(tmp), 0);
    free(cfg);
    free(tmp);
}
END_TEST

/* A config without name: takes its file's name; "..yaml" gives '.', which
 * is refused at 1:1 without claiming a name key there. */
START_TEST(file_name_is_not_a_folder_name)
{
    char *tmp = ts_tmpdir();
    char *cfg = ts_path("%s/..yaml", tmp);
    ck_assert_int_eq(ts_write_file(cfg, "budget: {iterations: 5}\n"), 0);
    char *prefix = ts_path("%s:1:1: ", cfg);
    expect_refusal(cfg, NULL, prefix, "the config has no name: and its file name gives '.'");
    free(prefix);
    ck_assert_int_eq(ts_rmtree(tmp), 0);
    free(cfg);
    free(tmp);
}
END_TEST

/* Config paths that cannot be read: no position, the path names the fault. */
START_TEST(unreadable_config_paths)
{
    char *tmp = ts_tmpdir();
    char *folder = ts_path("%s/folder.yaml", tmp);
    ck_assert_int_eq(mkdir(folder, 0777), 0);
    char *prefix = ts_path("%s: ", folder);
    expect_refusal(folder, NULL, prefix, "cannot read config");
    free(prefix);
    char *missing = ts_path("%s/missing.yaml", tmp);
    prefix = ts_path("%s: ", missing);
    expect_refusal(missing, NULL, prefix, "cannot open config");
    free(prefix);
    free(missing);
    ck_assert_int_eq(ts_rmtree(tmp), 0);
    free(folder);
    free(tmp);
}
END_TEST

/* A folder that already holds results is neither changed nor extended by
 * a run that fails on its input, even with the same config underneath. */
START_TEST(existing_folder_untouched)
{
    static const char good[] = "name: ok\nproblem: {shape: [3, 2], samples: 6}\n"
                               "method: {eta: 0.05}\nbudget: {iterations: 20}\n"
                               "sweep: {method.norm: [spectral, linf]}\n";
    char *tmp = ts_tmpdir();
    char *cfg = ts_path("%s/ok.yaml", tmp);
    char *out = ts_path("%s/out", tmp);
    ck_assert_int_eq(ts_write_file(cfg, good), 0);
    char *bin = ts_bin("ntr-run");
    const char *argv[] = {bin, cfg, "-o", out, "--no-plot", "-q", NULL};
    ts_result r;
    ck_assert_int_eq(ts_run(argv, &r), 0);
    ck_assert_msg(r.code == 0, "good config: exit %d: %.400s", r.code, r.err);
    ts_result_free(&r);
    char *before = ts_tree_snapshot(out);
    ck_assert_ptr_nonnull(before);
    char *missing = ts_path("problem.A=%s/none.csv", tmp);
    const char *bad_sets[][2] = {
        {"method.alpha=2", "method.alpha"},
        {"method.etta=0.1", "did you mean 'eta'"},
        {"sweep.method.norm=[spectral, spectrum]", "spectrum"},
        {"noise.batch=0", "noise.batch"},
        {missing, "problem.A"},
    };
    for (size_t i = 0; i < sizeof bad_sets / sizeof bad_sets[0]; i++) {
        const char *args[] = {bin, cfg, "-o", out, "--no-plot", "--set", bad_sets[i][0], NULL};
        ck_assert_int_eq(ts_run(args, &r), 0);
        ck_assert_msg(r.code == 2, "--set %.400s: exit %d: %.400s", bad_sets[i][0], r.code, r.err);
        ck_assert_msg(strstr(r.err, bad_sets[i][1]) != NULL, "--set %.400s: %.400s", bad_sets[i][0],
                      r.err);
        ts_result_free(&r);
        char *after = ts_tree_snapshot(out);
        ck_assert_ptr_nonnull(after);
        ck_assert_msg(strcmp(before, after) == 0,
                      "--set %.400s changed the folder:\n%.1000s\nvs\n%.1000s", bad_sets[i][0],
                      before, after);
        free(after);
    }
    free(missing);
    free(before);
    free(bin);
    free(out);
    free(cfg);
    ck_assert_int_eq(ts_rmtree(tmp), 0);
    free(tmp);
}
END_TEST

/* Every byte of a --set value is used: text after the value is refused
 * at its column (the key and '=' count), like a second document. */
START_TEST(set_values_fully_used)
{
    static const char good[] = "name: ok\nproblem: {shape: [3, 2], samples: 6}\n"
                               "budget: {iterations: 5}\n";
    ts_scratch s = ts_scratch_new(good);
    static const char *const cases[][3] = {
        {"problem.shape=[4, 3] garbage", "--set:1:22: ", "text after the end of the value"},
        {"problem.shape=[4, 3]]", "--set:1:21: ", "text after the end of the value"},
        {"method.eta=0.5\n---\n1", "--set:2:1: ", "more than one YAML document"},
        {"method.eta=!!float 0.5", "--set:1:12: ", "YAML tag '!!float' is not supported"},
        {"method.alpha=0x1", "--set:1:14: ", "write numbers in decimal"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *extra[] = {"--set", cases[i][0], NULL};
        expect_refusal(s.config, extra, cases[i][1], cases[i][2]);
    }
    ts_scratch_free(&s);
}
END_TEST

/* A key both swept and set with --set would lose the swept values under
 * labels that still name them: refused at the sweep key. */
START_TEST(set_of_a_swept_key)
{
    static const char swept[] = "name: ok\nproblem: {shape: [3, 2], samples: 6}\n"
                                "budget: {iterations: 5}\n"
                                "sweep:\n  method.eta: [0.1, 0.3]\n";
    ts_scratch s = ts_scratch_new(swept);
    char *prefix = ts_path("%s:5:3: ", s.config);
    static const char *const cases[] = {"method.eta=0.2", "method={eta: 0.2}"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *extra[] = {"--set", cases[i], NULL};
        expect_refusal(s.config, extra, prefix, "sweep key 'method.eta' is also set by --set");
    }
    free(prefix);
    ts_scratch_free(&s);
}
END_TEST

int main(void)
{
    size_t n;
    free(corpus_names(&n));
    Suite *s = suite_create("bad_inputs");
    TCase *tc = tcase_create("bad_inputs");
    tcase_set_timeout(tc, 60); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, corpus_is_large_enough);
    tcase_add_loop_test(tc, corpus_file, 0, (int)n);
    tcase_add_test(tc, zero_byte_config);
    tcase_add_test(tc, unreadable_config_paths);
    tcase_add_test(tc, existing_folder_untouched);
    tcase_add_test(tc, set_values_fully_used);
    tcase_add_test(tc, file_name_is_not_a_folder_name);
    tcase_add_test(tc, set_of_a_swept_key);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

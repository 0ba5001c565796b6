/* test_fuzz_regressions.c: replay, through the config fuzzer's pipeline
 * (tests/fuzz/pipeline.h), every input the fuzzer ever broke on
 * (tests/fuzz/regressions/) and its whole seed corpus (configs/ and
 * tests/bad/).  Each must be handled: accepted with its invariants, or
 * refused with a message.  Under `make check-asan` this is the same
 * sanitizer check the fuzzer makes. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz/pipeline.h"
#include "support.h"

/* Run every regular file under dir (recursively) through the pipeline;
 * returns how many were replayed. */
static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = ts_path("%s/%s", dir, e->d_name);
        struct stat st;
        ck_assert_int_eq(stat(path, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            n += replay_dir(path);
        } else if (S_ISREG(st.st_mode)) {
            size_t len;
            char *data = ts_read_file(path, &len);
            ck_assert_msg(data != NULL, "cannot read %s", path);
            char msg[4096];
            int rc = fuzz_config_one((const uint8_t *)data, len, NULL, msg, sizeof msg);
            ck_assert_msg(rc == 0, "%s: %s", path, msg);
            free(data);
            n++;
        }
        free(path);
    }
    closedir(d);
    return n;
}

START_TEST(regressions_are_handled)
{
    char *dir = ts_tests("fuzz/regressions");
    int n = replay_dir(dir);
    free(dir);
    ck_assert_int_ge(n, 1);
}
END_TEST

START_TEST(seed_corpus_is_handled)
{
    char *configs = ts_tests("../configs"), *bad = ts_tests("bad");
    int n = replay_dir(configs);
    ck_assert_int_ge(n, 1);
    n = replay_dir(bad);
    ck_assert_int_ge(n, 60);
    free(configs);
    free(bad);
}
END_TEST

/* The pipeline tells an accepted plan (with its cells) from a refusal. */
START_TEST(pipeline_accepts_and_refuses)
{
    static const char good[] = "name: t\nproblem: {type: least_squares, shape: [3, 2]}\n"
                               "sweep: {method.norm: [euclidean, linf]}\nseeds: 2\n";
    static const char bad[] = "name: t\nproblem: {type: least_squares, shape: [3, 2]}\n"
                              "method: {alpha: 7}\n";
    char msg[4096];
    size_t cells = 99;
    ck_assert_int_eq(fuzz_config_one((const uint8_t *)good, strlen(good), &cells, msg, sizeof msg),
                     0);
    ck_assert_int_eq(cells, 4);
    ck_assert_int_eq(fuzz_config_one((const uint8_t *)bad, strlen(bad), &cells, msg, sizeof msg),
                     0);
    ck_assert_int_eq(cells, 0);
    ck_assert_int_eq(fuzz_config_one((const uint8_t *)"\x01\x02[", 3, &cells, msg, sizeof msg), 0);
    ck_assert_int_eq(cells, 0);
}
END_TEST

static Suite *fuzz_suite(void)
{
    Suite *s = suite_create("fuzz regressions");
    TCase *tc = tcase_create("replay");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, regressions_are_handled);
    tcase_add_test(tc, seed_corpus_is_handled);
    tcase_add_test(tc, pipeline_accepts_and_refuses);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ts_run_suite(fuzz_suite());
}

/* test_csv.c: the CSV matrix reader and writer (src/base/csv.c): values,
 * comments and blank lines, CRLF, and every refusal with its position. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/csv.h"
#include "problem_kv.h"
#include "support.h"

static const char *data_path(const char *name)
{
    static char buf[1200];
    snprintf(buf, sizeof buf, "%s/%s", test_data_dir(), name);
    return buf;
}

START_TEST(reads_values_comments_and_blanks)
{
    double *d;
    size_t r, c;
    ntr_error err;
    ck_assert_int_eq(ntr_csv_read(data_path("csv_ok.csv"), 0, 0, 0, &d, &r, &c, &err), 0);
    ck_assert_uint_eq(r, 2);
    ck_assert_uint_eq(c, 3);
    const double want[6] = {1, 2.5, -0.3, 4, 5, 6};
    for (int i = 0; i < 6; i++)
        ck_assert_double_eq(d[i], want[i]);
    free(d);
    ck_assert_int_eq(ntr_csv_read(data_path("csv_ok.csv"), 2, 3, 6, &d, &r, &c, &err), 0);
    free(d);
    ck_assert_int_eq(ntr_csv_read(data_path("csv_crlf.csv"), 2, 2, 0, &d, &r, &c, &err), 0);
    ck_assert_double_eq(d[3], 4.0);
    free(d);
}
END_TEST

static void expect_fail(const char *file, size_t wr, size_t wc, size_t max, int line, int col,
                        const char *phrase)
{
    double *d = (double *)1;
    size_t r, c;
    ntr_error err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(ntr_csv_read(data_path(file), wr, wc, max, &d, &r, &c, &err), -1);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert_msg(strstr(err.file, file) != NULL, "%s: error file '%s'", file, err.file);
    ck_assert_msg(strstr(err.msg, phrase) != NULL, "%s: message '%s' lacks '%s'", file, err.msg,
                  phrase);
    ck_assert_int_eq(err.line, line);
    if (col >= 0)
        ck_assert_int_eq(err.col, col);
}

START_TEST(refusals_carry_positions)
{
    expect_fail("csv_text.csv", 0, 0, 0, 2, 3, "'abc' is not a number");
    expect_fail("csv_nan.csv", 0, 0, 0, 2, 3, "not a finite number");
    expect_fail("csv_inf.csv", 0, 0, 0, 2, 3, "not a finite number");
    expect_fail("csv_ragged.csv", 0, 0, 0, 2, -1, "row has 2 values, the first row has 3");
    expect_fail("csv_empty.csv", 0, 0, 0, 0, 0, "no data");
    expect_fail("csv_hole.csv", 0, 0, 0, 1, 3, "empty value");
    expect_fail("csv_ok.csv", 0, 4, 0, 2, -1, "expected 4 columns, found 3");
    expect_fail("csv_ok.csv", 3, 3, 0, 0, 0, "expected 3 rows, found 2");
    expect_fail("csv_ok.csv", 1, 3, 0, 4, 1, "expected 1 rows, found more");
    expect_fail("csv_ok.csv", 0, 0, 5, 4, 7, "more than 5 values");
    expect_fail("no_such_file.csv", 0, 0, 0, 0, 0, "cannot open");
}
END_TEST

START_TEST(writes_round_trip)
{
    char dir[512];
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/ntr-csv-XXXXXX", t && t[0] ? t : P_tmpdir);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[600];
    snprintf(path, sizeof path, "%s/m.csv", dir);
    const double m[6] = {0.1, -1e-300, 1.0 / 3.0, 12345678.9, 0.0, -2.5};
    ntr_error err;
    ck_assert_int_eq(ntr_csv_write(path, m, 3, 2, &err), 0);
    double *d;
    size_t r, c;
    ck_assert_int_eq(ntr_csv_read(path, 3, 2, 0, &d, &r, &c, &err), 0);
    for (int i = 0; i < 6; i++)
        ck_assert_msg(d[i] == m[i], "entry %d: %.17g != %.17g", i, d[i], m[i]);
    free(d);
    /* No temporary file is left behind. */
    char cmd[700];
    snprintf(path, sizeof path, "%s/m.csv.tmp.%ld", dir, (long)getpid());
    ck_assert_int_ne(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/m.csv", dir);
    unlink(path);
    ck_assert_int_eq(rmdir(dir), 0);
    /* Writing into a missing folder fails with an I/O error. */
    snprintf(cmd, sizeof cmd, "%s/missing/m.csv", dir);
    ck_assert_int_eq(ntr_csv_write(cmd, m, 3, 2, &err), -1);
    ck_assert_int_eq(err.kind, NTR_E_IO);
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot write"));
}
END_TEST

/* One endless line (64 MiB of NUL bytes here, a sparse file costing no
 * disk) is refused at that line, not held in memory; the largest value's
 * position is reported for overflow messages. */
START_TEST(endless_line_and_largest_value)
{
    char *dir = ts_tmpdir();
    char *path = ts_path("%s/endless.csv", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("1,2\n", f);
    fclose(f);
    ck_assert_int_eq(truncate(path, (off_t)(NTR_CSV_MAX_LINE + 4096)), 0);
    double *d = NULL;
    size_t r, c;
    ntr_error err;
    ck_assert_int_eq(ntr_csv_read(path, 0, 0, 0, &d, &r, &c, &err), -1);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(err.line, 2);
    ck_assert_msg(strstr(err.msg, "line longer than 64 MiB"), "%s", err.msg);
    char *small = ts_path("%s/small.csv", dir);
    ck_assert_int_eq(ts_write_file(small, "# values\n1,-2\n3,-4e10\n5,6\n"), 0);
    ntr_csv_extreme top;
    ck_assert_int_eq(ntr_csv_read_ex(small, 0, 0, 0, &d, &r, &c, &top, &err), 0);
    ck_assert_double_eq(top.value, -4e10);
    ck_assert_int_eq(top.line, 3);
    ck_assert_int_eq(top.col, 3);
    free(d);
    free(small);
    free(path);
    ck_assert_int_eq(ts_rmtree(dir), 0);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("csv");
    tcase_set_timeout(tc, 60); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, reads_values_comments_and_blanks);
    tcase_add_test(tc, refusals_carry_positions);
    tcase_add_test(tc, writes_round_trip);
    tcase_add_test(tc, endless_line_and_largest_value);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

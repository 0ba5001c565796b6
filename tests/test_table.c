/* test_table.c: the CSV-with-header reader (src/base/table.c) on good and bad input. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/csv_field.h"
#include "base/table.h"
#include "support.h"

static ntr_table *parse_ok(const char *text)
{
    ntr_table *t = NULL;
    ntr_error err = {0};
    int rc = ntr_table_parse("t.csv", text, strlen(text), &t, &err);
    ck_assert_msg(rc == 0, "parse failed: %s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* Parse text that must fail at line:col with a message containing what. */
static void parse_bad(const char *text, size_t len, int line, int col, const char *what)
{
    ntr_table *t = (ntr_table *)1;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_table_parse("bad.csv", text, len, &t, &err), -1);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert_str_eq(err.file, "bad.csv");
    ck_assert_msg(err.line == line && err.col == col, "expected %d:%d, got %d:%d (%s)", line, col,
                  err.line, err.col, err.msg);
    ck_assert_msg(strstr(err.msg, what), "message '%s' lacks '%s'", err.msg, what);
}

START_TEST(test_good_plain)
{
    ntr_table *t = parse_ok("k,f,gap,name\n0,1.5,nan,a\n1,-2e-3,inf,b\n2,-inf,,c\n");
    ck_assert_uint_eq(ntr_table_rows(t), 3);
    ck_assert_uint_eq(ntr_table_cols(t), 4);
    ck_assert_str_eq(ntr_table_name(t, 2), "gap");
    ck_assert_int_eq(ntr_table_find(t, "f"), 1);
    ck_assert_int_eq(ntr_table_find(t, "nope"), -1);
    ck_assert_double_eq(ntr_table_num(t, 1, 1), -2e-3);
    ck_assert(isnan(ntr_table_num(t, 0, 2)) && ntr_table_is_num(t, 0, 2));
    ck_assert(isinf(ntr_table_num(t, 1, 2)) && ntr_table_num(t, 1, 2) > 0);
    ck_assert(isinf(ntr_table_num(t, 2, 1)) && ntr_table_num(t, 2, 1) < 0);
    ck_assert(ntr_table_is_empty(t, 2, 2) && !ntr_table_is_num(t, 2, 2));
    ck_assert(isnan(ntr_table_num(t, 2, 2)));
    ck_assert(!ntr_table_is_num(t, 0, 3) && !ntr_table_is_empty(t, 0, 3));
    ck_assert_str_eq(ntr_table_str(t, 2, 3), "c");
    double col[3];
    ntr_error err = {0};
    ck_assert_int_eq(ntr_table_column(t, 0, 0, col, &err), 0);
    ck_assert(col[0] == 0 && col[1] == 1 && col[2] == 2);
    /* The gap column has an empty cell: fine only when allowed. */
    ck_assert_int_eq(ntr_table_column(t, 2, 1, col, &err), 0);
    ck_assert(isnan(col[2]));
    ck_assert_int_eq(ntr_table_column(t, 2, 0, col, &err), -1);
    ck_assert_int_eq(err.line, 4);
    ck_assert_int_eq(err.col, 8);
    ntr_table_free(t);
}
END_TEST

START_TEST(test_good_quoted_crlf)
{
    /* Quoted fields with commas, doubled quotes and a newline; CRLF line
     * ends; blank lines; blanks around numbers; no final newline. */
    const char *text = "a, b ,c\r\n\r\n\"x,y\",\" 3 \",\"say \"\"hi\"\"\"\r\n"
                       "\"two\nlines\",4,\"\"\n\n5,6,7";
    ntr_table *t = parse_ok(text);
    ck_assert_uint_eq(ntr_table_rows(t), 3);
    ck_assert_str_eq(ntr_table_name(t, 1), "b");
    ck_assert_str_eq(ntr_table_str(t, 0, 0), "x,y");
    ck_assert_double_eq(ntr_table_num(t, 0, 1), 3.0);
    ck_assert_str_eq(ntr_table_str(t, 0, 2), "say \"hi\"");
    ck_assert_str_eq(ntr_table_str(t, 1, 0), "two\nlines");
    ck_assert(ntr_table_is_empty(t, 1, 2));
    ck_assert_double_eq(ntr_table_num(t, 2, 2), 7.0);
    /* Positions count the newline inside the quoted field. */
    ntr_pos p = ntr_table_pos(t, 1, 1);
    ck_assert_int_eq(p.line, 5);
    ck_assert_int_eq(p.col, 8);
    p = ntr_table_pos(t, 2, 0);
    ck_assert_int_eq(p.line, 7);
    ck_assert_int_eq(p.col, 1);
    ntr_table_free(t);
}
END_TEST

START_TEST(test_header_only)
{
    ntr_table *t = parse_ok("index,hash,group\n");
    ck_assert_uint_eq(ntr_table_rows(t), 0);
    ck_assert_uint_eq(ntr_table_cols(t), 3);
    size_t col = 99;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_table_require(t, "hash", &col, &err), 0);
    ck_assert_uint_eq(col, 1);
    ck_assert_int_eq(ntr_table_require(t, "status", &col, &err), -1);
    ck_assert_int_eq(err.line, 1);
    ck_assert(strstr(err.msg, "'status'"));
    ntr_table_free(t);
}
END_TEST

START_TEST(test_bad_inputs)
{
    parse_bad("", 0, 1, 1, "no header");
    parse_bad("\n\n", 2, 1, 1, "no header");
    parse_bad("a,b\n1,2\n3\n", 10, 3, 1, "1 fields but the header has 2");
    parse_bad("a,b\n1,2,3\n", 10, 2, 5, "3 fields");
    parse_bad("a,a\n", 4, 1, 3, "twice");
    parse_bad("a,,b\n", 5, 1, 3, "empty column name");
    parse_bad("a,b\n1,\"open\n2,3\n", 16, 2, 3, "unterminated");
    parse_bad("a,b\n1,\"x\"y\n", 11, 2, 6, "after a closing quote");
    parse_bad("a,b\n1,x\"y\n", 10, 2, 4, "quote inside an unquoted field");
    parse_bad("a,b\n1,2\n3,\0\n", 12, 3, 3, "NUL byte");
}
END_TEST

START_TEST(test_not_a_number)
{
    ntr_table *t = parse_ok("k,v\n0,1\n1,1.5x\n2, \n");
    double v = 0;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_table_get_num(t, 0, 1, 0, &v, &err), 0);
    ck_assert_double_eq(v, 1.0);
    ck_assert_int_eq(ntr_table_get_num(t, 1, 1, 1, &v, &err), -1);
    ck_assert_str_eq(err.file, "t.csv");
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(err.col, 3);
    ck_assert(strstr(err.msg, "'1.5x' is not a number"));
    ck_assert(strstr(err.msg, "column 'v'"));
    /* A blank cell is empty. */
    ck_assert(ntr_table_is_empty(t, 2, 1));
    ck_assert_int_eq(ntr_table_get_num(t, 2, 1, 0, &v, &err), -1);
    ck_assert(strstr(err.msg, "empty"));
    ck_assert_int_eq(ntr_table_get_num(t, 2, 1, 1, &v, &err), 0);
    ck_assert(isnan(v));
    ntr_table_free(t);
}
END_TEST

START_TEST(test_read_file)
{
    char dir[] = P_tmpdir "/ntr-table-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/s.csv", dir);
    /* Bigger than the reader's first buffer, to exercise its growth. */
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("k,x\n", f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, "%d,%.17g\n", i, i * 0.5);
    fclose(f);
    ntr_table *t = NULL;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_table_read(path, &t, &err), 0);
    ck_assert_uint_eq(ntr_table_rows(t), 20000);
    ck_assert_double_eq(ntr_table_num(t, 19999, 1), 19999 * 0.5);
    ck_assert_str_eq(ntr_table_path(t), path);
    ntr_table_free(t);
    remove(path);
    ck_assert_int_eq(ntr_table_read(path, &t, &err), -1);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert(strstr(err.msg, "cannot open"));
    ck_assert_str_eq(err.file, path);
    remove(dir);
}
END_TEST

/* ntr_csv_field (the writer of summary.csv and batch.csv text fields):
 * plain text goes out as is, awkward text quoted, and both read back. */
START_TEST(test_field_writer_round_trip)
{
    static const char *const v[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""};
    const size_t n = sizeof v / sizeof *v;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? "," : "", f);
        fprintf(f, "c%zu", i);
    }
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? "," : "", f);
        ntr_csv_field(f, v[i]);
    }
    fputc('\n', f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_ptr_nonnull(strstr(buf, "\nplain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\n"));
    ntr_table *t = parse_ok(buf);
    ck_assert_uint_eq(ntr_table_rows(t), 1);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(ntr_table_str(t, 0, i), v[i]);
    ntr_table_free(t);
    free(buf);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("table");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_good_plain);
    tcase_add_test(tc, test_good_quoted_crlf);
    tcase_add_test(tc, test_header_only);
    tcase_add_test(tc, test_bad_inputs);
    tcase_add_test(tc, test_not_a_number);
    tcase_add_test(tc, test_read_file);
    tcase_add_test(tc, test_field_writer_round_trip);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

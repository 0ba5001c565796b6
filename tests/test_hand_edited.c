/* test_hand_edited.c: cells whose files were edited by hand are rerun, end
 * to end (src/run/cell_check.h).
 *
 * A finished cell whose trajectory.csv was deleted (it used to vanish from
 * the figures), whose summary.json is {} (it used to count as finished
 * with status "unknown") or whose trajectory.csv was cut short (it used to
 * make every later run fail and never be rerun) is moved to
 * DIR/damaged/<hash>-N with one line saying so, and runs again to the same
 * bytes as an untouched run; an untouched cell is not rewritten.  A
 * --collect moves it aside too and exits 1 (a cell has no results). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/plan.h"
#include "support.h"

static const char tiny_yaml[] = "name: tiny\n"
                                "problem: {shape: [4, 3], samples: 8}\n"
                                "method: {eta: 0.05}\n"
                                "budget: {iterations: 60}\n"
                                "log: {every: 5}\n"
                                "sweep: {method.norm: [spectral, euclidean]}\n"
                                "seeds: 2\n";

static char *cell_file(const char *out, const ntr_cell *c, const char *name)
{
    return ts_path("%s/cells/%s/%s", out, c->hash, name);
}

static int count_lines_with(const char *text, const char *fragment)
{
    int n = 0;
    for (const char *p = strstr(text, fragment); p; p = strstr(p + 1, fragment))
        n++;
    return n;
}

START_TEST(damaged_cells_are_rerun)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir), *ref = ts_path("%s/ref", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", ref, "-q", "--no-plot");
    ck_assert_int_eq(r.code, 0);
    ts_result_free(&r);
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot");
    ck_assert_int_eq(r.code, 0);
    ts_result_free(&r);
    ntr_plan *p = ts_plan_of(s.config);
    ck_assert_uint_eq(p->ncells, 4);

    /* cell 0: trajectory deleted; 1: summary.json {}; 2: trajectory cut
     * in the middle of its last row; 3: untouched */
    char *t0 = cell_file(out, &p->cells[0], "trajectory.csv");
    ck_assert_int_eq(unlink(t0), 0);
    char *s1 = cell_file(out, &p->cells[1], "summary.json");
    ck_assert_int_eq(ts_write_file(s1, "{}\n"), 0);
    char *t2 = cell_file(out, &p->cells[2], "trajectory.csv");
    size_t len;
    char *text = ts_read_file(t2, &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_int_eq(truncate(t2, (off_t)(len - 7)), 0);
    free(text);
    char *t3 = cell_file(out, &p->cells[3], "trajectory.csv");
    struct stat before3;
    ck_assert_int_eq(stat(t3, &before3), 0);

    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ck_assert_int_eq(count_lines_with(r.err, "and running it again\n"), 3);
    ck_assert_msg(strstr(r.err, "trajectory.csv is missing"), "%s", r.err);
    ck_assert_msg(strstr(r.err, "summary.json has no known status"), "%s", r.err);
    ck_assert_msg(strstr(r.err, "trajectory.csv is truncated"), "%s", r.err);
    ts_result_free(&r);
    for (size_t c = 0; c < 4; c++) {
        char *a = cell_file(out, &p->cells[c], "trajectory.csv");
        char *b = cell_file(ref, &p->cells[c], "trajectory.csv");
        ck_assert_msg(ts_files_equal(a, b), "cell %zu differs from the untouched run", c);
        free(a);
        free(b);
    }
    for (size_t c = 0; c < 3; c++) {
        char *moved = ts_path("%s/damaged/%s-1", out, p->cells[c].hash);
        ck_assert_msg(ts_exists(moved), "%s", moved);
        free(moved);
    }
    struct stat after3;
    ck_assert_int_eq(stat(t3, &after3), 0);
    ck_assert(after3.st_ino == before3.st_ino && after3.st_mtime == before3.st_mtime);

    /* --collect: moved aside as well, and the missing cell makes exit 1 */
    ck_assert_int_eq(unlink(t0), 0);
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot", "--collect");
    ck_assert_msg(r.code == 1, "exit %d: %s", r.code, r.err);
    ck_assert_msg(strstr(r.err, "run without --collect to run it again"), "%s", r.err);
    ck_assert_msg(strstr(r.err, "1 of 4 cells have no results yet"), "%s", r.err);
    ts_result_free(&r);
    char *second = ts_path("%s/damaged/%s-2", out, p->cells[0].hash);
    ck_assert(ts_exists(second));
    free(second);

    free(t0);
    free(s1);
    free(t2);
    free(t3);
    ntr_plan_free(p);
    free(out);
    free(ref);
    ts_scratch_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hand_edited");
    TCase *tc = tcase_create("hand_edited");
    tcase_set_timeout(tc, 120); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, damaged_cells_are_rerun);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

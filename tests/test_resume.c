/* test_resume.c: resuming a result folder and rebuilding it from files
 * (src/run/driver.c), end to end through the ntr-run in $NTR_BIN.
 *
 * A cell left "interrupted", or with files but no summary.json, or with
 * temporaries of a killed process, is run again from scratch and ends
 * byte-identical to an uninterrupted run, while finished cells are not
 * touched.  --collect runs nothing and rebuilds summary.csv, manifest and
 * report from the cell folders.  Ctrl-C (SIGINT to the process group) once:
 * exit 3, whole files, resumable; twice: the run ends at once, the files
 * under their final names are still whole, and the resume completes. */
#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e_sweeps/compare.h"
#include "support.h"

static int run_ntr(const char *config, const char *out, const char *extra)
{
    char *bin = ts_bin("ntr-run"), *cfg = ts_tests(config);
    const char *argv[] = {bin, cfg, "-o", out, "-q", "--no-plot", extra, NULL};
    ts_result r;
    ck_assert_int_eq(ts_run(argv, &r), 0);
    int code = r.code;
    if (code != 0)
        fprintf(stderr, "ntr-run: %s\n", r.err);
    ts_result_free(&r);
    free(bin);
    free(cfg);
    return code;
}

static char *cell_file(const char *out, const char *cell, const char *name)
{
    return ts_path("%s/cells/%s/%s", out, cell, name);
}

/* Rewrite a summary.json with another status. */
static void set_status(const char *path, const char *status)
{
    json_error_t e;
    json_t *o = json_load_file(path, 0, &e);
    ck_assert_ptr_nonnull(o);
    json_object_set_new(o, "status", json_string(status));
    ck_assert_int_eq(json_dump_file(o, path, JSON_INDENT(2)), 0);
    json_decref(o);
}

static void stat_of(const char *path, struct stat *st)
{
    ck_assert_int_eq(stat(path, st), 0);
}

START_TEST(unfinished_cells_are_rerun_from_scratch)
{
    char *dir = ts_tmpdir();
    char *ref = ts_path("%s/ref", dir), *out = ts_path("%s/out", dir);
    ck_assert_int_eq(run_ntr("e2e_sweeps/small_sweep.yaml", ref, NULL), 0);
    ck_assert_int_eq(run_ntr("e2e_sweeps/small_sweep.yaml", out, NULL), 0);
    size_t n;
    char **cells = rc_cells(out, &n);
    ck_assert_uint_eq(n, 12);
    /* Cell 0: interrupted, half a trajectory, temporaries of a dead process. */
    char *p = cell_file(out, cells[0], "summary.json");
    set_status(p, "interrupted");
    free(p);
    p = cell_file(out, cells[0], "trajectory.csv");
    ck_assert_int_eq(ts_write_file(p, "k,sfo,f\n0,1,"), 0);
    free(p);
    p = cell_file(out, cells[0], "trajectory.csv.tmp.99999");
    ck_assert_int_eq(ts_write_file(p, "k,sfo\n0,"), 0);
    free(p);
    p = cell_file(out, cells[0], "summary.json.tmp.99999");
    ck_assert_int_eq(ts_write_file(p, "{\"status\": "), 0);
    free(p);
    /* Cell 1: its files but no summary.json (killed before the last write). */
    p = cell_file(out, cells[1], "summary.json");
    ck_assert_int_eq(unlink(p), 0);
    free(p);
    ck_assert_int_eq(rc_count_status(out, "interrupted"), 1);
    /* Cell 2 is finished: it must not be touched. */
    struct stat before, after;
    char *kept = cell_file(out, cells[2], "trajectory.csv");
    stat_of(kept, &before);

    ck_assert_int_eq(run_ntr("e2e_sweeps/small_sweep.yaml", out, NULL), 0);
    char why[600];
    ck_assert_msg(rc_same_results(ref, out, why, sizeof why), "%s", why);
    ck_assert_int_eq(rc_count_temporaries(out), 0);
    ck_assert_int_eq(rc_count_status(out, "interrupted"), 0);
    stat_of(kept, &after);
    ck_assert(before.st_ino == after.st_ino);
    ck_assert(before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
              before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);
    free(kept);
    rc_free_cells(cells, n);
    ts_rmtree(dir);
    free(dir);
    free(ref);
    free(out);
}
END_TEST

START_TEST(collect_rebuilds_everything_from_files)
{
    char *dir = ts_tmpdir();
    char *out = ts_path("%s/out", dir);
    ck_assert_int_eq(run_ntr("e2e_sweeps/small_sweep.yaml", out, NULL), 0);
    char *sum = ts_path("%s/summary.csv", out), *man = ts_path("%s/manifest.json", out);
    char *rep = ts_path("%s/report.md", out), *cells_dir = ts_path("%s/cells", out);
    char *before = ts_read_file(sum, NULL);
    ck_assert_ptr_nonnull(before);
    ck_assert_int_eq(unlink(sum), 0);
    ck_assert_int_eq(unlink(man), 0);
    ck_assert_int_eq(unlink(rep), 0);
    char *snap = ts_tree_snapshot(cells_dir);

    ck_assert_int_eq(run_ntr("e2e_sweeps/small_sweep.yaml", out, "--collect"), 0);
    char *again = ts_read_file(sum, NULL);
    ck_assert_ptr_nonnull(again);
    ck_assert_str_eq(again, before); /* wall_s too: it comes from summary.json */
    ck_assert(ts_exists(man) && ts_exists(rep));
    char *snap2 = ts_tree_snapshot(cells_dir);
    ck_assert_str_eq(snap, snap2); /* nothing ran, nothing was rewritten */

    /* A cell folder lost: --collect shows it pending, runs nothing, and
     * exits 1 (cells are missing). */
    size_t n;
    char **cells = rc_cells(out, &n);
    char *gone = ts_path("%s/cells/%s", out, cells[3]);
    ck_assert_int_eq(ts_rmtree(gone), 0);
    ck_assert_int_eq(run_ntr("e2e_sweeps/small_sweep.yaml", out, "--collect"), 1);
    ck_assert(!ts_exists(gone));
    char *third = ts_read_file(sum, NULL);
    char *row = strstr(third, cells[3]);
    ck_assert_ptr_nonnull(row);
    ck_assert_ptr_nonnull(strstr(row, ",pending,"));
    free(third);
    free(gone);
    rc_free_cells(cells, n);
    free(snap);
    free(snap2);
    free(before);
    free(again);
    free(sum);
    free(man);
    free(rep);
    free(cells_dir);
    ts_rmtree(dir);
    free(dir);
    free(out);
}
END_TEST

/* Every summary.json parses and every trajectory.csv under its final name
 * is whole: each line ends with a newline and has the header's fields. */
static void files_are_whole(const char *out)
{
    size_t n;
    char **cells = rc_cells(out, &n);
    for (size_t i = 0; i < n; i++) {
        char *p = cell_file(out, cells[i], "summary.json");
        char *t = ts_read_file(p, NULL);
        if (t) {
            json_t *o = json_loads(t, 0, NULL);
            ck_assert_msg(o != NULL, "%s is not whole", p);
            json_decref(o);
        }
        free(t);
        free(p);
        p = cell_file(out, cells[i], "trajectory.csv");
        t = ts_read_file(p, NULL);
        if (t) {
            size_t len = strlen(t);
            ck_assert_msg(len > 0 && t[len - 1] == '\n', "%s ends mid-line", p);
            int fields = -1;
            for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
                int f = 1;
                for (char *c = line; *c; c++)
                    f += *c == ',';
                if (fields < 0)
                    fields = f;
                ck_assert_int_eq(f, fields);
            }
        }
        free(t);
        free(p);
    }
    rc_free_cells(cells, n);
}

/* Start the slow sweep in its own process group, wait for its first
 * finished cell, send SIGINT to the group `times` times; its exit code. */
static int interrupt_slow_sweep(const char *out, const char *jobs, int times)
{
    char *bin = ts_bin("ntr-run"), *cfg = ts_tests("e2e_sweeps/slow_sweep.yaml");
    const char *argv[] = {bin, cfg, "-o", out, "-q", "--no-plot", "-j", jobs, NULL};
    pid_t pid = rc_spawn(argv, 1);
    ck_assert_int_gt(pid, 0);
    ck_assert_int_eq(rc_wait_for_cells(out, 1, 60), 0);
    for (int i = 0; i < times; i++)
        kill(-pid, SIGINT);
    int code = rc_wait(pid, 30);
    free(bin);
    free(cfg);
    return code;
}

START_TEST(ctrl_c_once_then_resume)
{
    char *dir = ts_tmpdir();
    char *ref = ts_path("%s/ref", dir), *out = ts_path("%s/out", dir);
    ck_assert_int_eq(run_ntr("e2e_sweeps/slow_sweep.yaml", ref, NULL), 0);
    /* On a loaded machine the SIGINT can land while both workers are
     * between cells (nothing in flight to mark): try again in a fresh
     * folder, up to three times; one attempt must catch a cell running. */
    int caught = 0;
    for (int attempt = 0; attempt < 3 && !caught; attempt++) {
        if (attempt)
            ts_rmtree(out);
        ck_assert_int_eq(interrupt_slow_sweep(out, "2", 1), 3);
        caught = rc_count_status(out, "interrupted") >= 1;
    }
    ck_assert_msg(caught, "no cell was marked interrupted in three attempts");
    ck_assert_int_eq(rc_count_temporaries(out), 0);
    files_are_whole(out);
    char *sum = ts_path("%s/summary.csv", out);
    char *text = ts_read_file(sum, NULL);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(strstr(text, ",interrupted,"));
    free(text);
    free(sum);
    ck_assert_int_eq(run_ntr("e2e_sweeps/slow_sweep.yaml", out, NULL), 0);
    char why[600];
    ck_assert_msg(rc_same_results(ref, out, why, sizeof why), "%s", why);
    ts_rmtree(dir);
    free(dir);
    free(ref);
    free(out);
}
END_TEST

START_TEST(ctrl_c_twice_ends_at_once_with_whole_files)
{
    static const char *const jobs[] = {"1", "2"};
    char *dir = ts_tmpdir();
    char *ref = ts_path("%s/ref", dir);
    ck_assert_int_eq(run_ntr("e2e_sweeps/slow_sweep.yaml", ref, NULL), 0);
    for (int j = 0; j < 2; j++) {
        char *out = ts_path("%s/out%d", dir, j);
        int code = interrupt_slow_sweep(out, jobs[j], 2);
        /* The second SIGINT ends at once, with the exit status of an
         * interrupt (3), as the first one does. */
        ck_assert_msg(code == 3, "-j %s: exit %d", jobs[j], code);
        files_are_whole(out);
        ck_assert_int_eq(run_ntr("e2e_sweeps/slow_sweep.yaml", out, j ? "-j2" : NULL), 0);
        char why[600];
        ck_assert_msg(rc_same_results(ref, out, why, sizeof why), "-j %s: %s", jobs[j], why);
        ck_assert_int_eq(rc_count_temporaries(out), 0);
        free(out);
    }
    ts_rmtree(dir);
    free(dir);
    free(ref);
}
END_TEST

Suite *resume_suite(void);
Suite *resume_suite(void)
{
    Suite *s = suite_create("resume");
    TCase *tc = tcase_create("resume");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, unfinished_cells_are_rerun_from_scratch);
    tcase_add_test(tc, collect_rebuilds_everything_from_files);
    tcase_add_test(tc, ctrl_c_once_then_resume);
    tcase_add_test(tc, ctrl_c_twice_ends_at_once_with_whole_files);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ts_run_suite(resume_suite());
}

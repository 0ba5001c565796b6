/* test_write_errors.c: a write that fails (a full disk, here a file-size
 * limit: EFBIG) names the file and the system's reason and exits 1, as the
 * man pages say, leaving no temporary behind: while a cell writes its
 * trajectory, while ntr-run collects, while ntr-plot writes a figure's
 * data.  (It used to be "cannot write the trajectory" without a path, and a
 * figure write failure was reported as gnuplot missing, exit 0.) */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config/plan.h"
#include "support.h"

/* 400 iterations, every one logged: trajectories of about 40 KB. */
static const char big_yaml[] = "name: big\n"
                               "problem: {shape: [4, 3], samples: 8}\n"
                               "budget: {iterations: 400}\n"
                               "log: {every: 1}\n"
                               "sweep: {method.norm: [spectral, euclidean]}\n";

/* Run a program with files limited to `bytes` (SIGXFSZ ignored, so writes
 * fail with EFBIG as on a full disk); the limit is inherited by the child
 * and lifted again here. */
static void run_limited(ts_result *r, long bytes, const char *prog, const char *const *args)
{
    const char *argv[16];
    int n = 0;
    char *bin = ts_bin(prog);
    argv[n++] = bin;
    for (int i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    struct rlimit old, small;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = old;
    small.rlim_cur = (rlim_t)bytes;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    int started = ts_run(argv, r);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    ck_assert_int_eq(started, 0);
    free(bin);
}

static void assert_named_failure(ts_result *r, const char *path)
{
    ck_assert_msg(r->code == 1, "exit %d: %s", r->code, r->err);
    char *want = ts_path("cannot write %s: File too large", path);
    ck_assert_msg(strstr(r->err, want) != NULL, "'%s' not in: %s", want, r->err);
    free(want);
    ts_result_free(r);
}

static int temporaries_under(const char *dir)
{
    char *snap = ts_tree_snapshot(dir);
    ck_assert_ptr_nonnull(snap);
    int n = 0;
    for (const char *p = strstr(snap, ".tmp."); p; p = strstr(p + 1, ".tmp."))
        n++;
    free(snap);
    return n;
}

START_TEST(trajectory_write_names_the_file)
{
    ts_scratch s = ts_scratch_new(big_yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    run_limited(&r, 8192, "ntr-run", (const char *[]){s.config, "-o", out, "-q", NULL});
    ntr_plan *p = ts_plan_of(s.config);
    char *traj = ts_path("%s/cells/%s/trajectory.csv", out, p->cells[0].hash);
    assert_named_failure(&r, traj);
    ck_assert_int_eq(temporaries_under(out), 0);
    free(traj);
    ntr_plan_free(p);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(collect_and_plot_writes_name_the_file)
{
    ts_scratch s = ts_scratch_new(big_yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    /* the long table of every row is the first file too big */
    run_limited(&r, 4096, "ntr-run", (const char *[]){s.config, "-o", out, "-q", "--collect", NULL});
    char *tables = ts_path("%s/trajectories.csv", out);
    assert_named_failure(&r, tables);
    free(tables);
    ck_assert_int_eq(temporaries_under(out), 0);
    /* a figure's data: an error naming it, not "gnuplot not found" */
    run_limited(&r, 4096, "ntr-plot", (const char *[]){out, "-q", NULL});
    char *dat = ts_path("%s/plots/convergence.dat", out);
    ck_assert_msg(!strstr(r.err, "gnuplot not found"), "%s", r.err);
    assert_named_failure(&r, dat);
    free(dat);
    ck_assert_int_eq(temporaries_under(out), 0);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("write_errors");
    TCase *tc = tcase_create("write_errors");
    tcase_set_timeout(tc, 120); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, trajectory_write_names_the_file);
    tcase_add_test(tc, collect_and_plot_writes_name_the_file);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

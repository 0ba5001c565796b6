/* test_workers.c: the worker pool (src/run/workers.c), the progress line
 * (src/run/progress.c) and ntr-run -j end to end.
 *
 * Pool: every job runs exactly once whatever the number of workers, in
 * several processes; a worker killed in the middle of a job has that job
 * reported as failed and is replaced; a stop reaches running jobs (they see
 * their stop flag) and no further job starts; an event's -1 stops handing
 * out jobs; error messages come back whole.  Progress: the text of the
 * line, durations, silence when disabled.  ntr-run: -j 3 gives the same
 * files as -j 1; SIGTERM to the parent alone still stops its workers
 * (exit 3, cells "interrupted", no temporary file left). */
#include <check.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run/progress.h"
#include "run/workers.h"
#include "e2e_sweeps/compare.h"
#include "support.h"

/* ---- the pool, with small jobs ----------------------------------------- */

typedef struct pool_test {
    const char *dir;      /* jobs write dir/job-N holding their pid */
    long crash_job;       /* this job kills its own worker (-1: none) */
    int long_jobs;        /* jobs wait for their stop flag (up to 5 s) */
    int stop_on_tick;     /* a tick sets stop once three jobs have started */
    size_t abort_after;   /* the event returns -1 after this many reports (0: never) */
    volatile sig_atomic_t stop;
    size_t reports, ran, failed, skipped, interrupted;
    size_t seen[64];      /* reports per job */
    size_t max_running;
    char last_msg[768];
} pool_test;

static void job(size_t j, void *vctx, const volatile sig_atomic_t *stop, ntr_job_report *rep)
{
    pool_test *t = vctx;
    if ((long)j == t->crash_job)
        kill(getpid(), SIGKILL);
    if (j == 7 && t->crash_job == -2) { /* a job that fails cleanly */
        rep->err_kind = NTR_E_NUMERIC;
        snprintf(rep->msg, sizeof rep->msg, "job %zu: the SVD did not converge", j);
        return;
    }
    struct timespec nap = {0, 1000 * 1000};
    int interrupted = 0;
    if (t->long_jobs) { /* say it started */
        char *sp = ts_path("%s/start-%zu", t->dir, j);
        ts_write_file(sp, "");
        free(sp);
    }
    for (int i = 0; t->long_jobs && i < 5000 && !interrupted; i++) {
        interrupted = *stop != 0;
        nanosleep(&nap, NULL);
    }
    char *p = ts_path("%s/job-%zu", t->dir, j);
    FILE *f = fopen(p, "a");
    if (f) {
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
    free(p);
    rep->ran = 1;
    rep->status = interrupted ? 4 : 0;
    rep->iterations = (long)j * 10;
}

static int event(void *vctx, const ntr_job_report *rep, size_t running)
{
    pool_test *t = vctx;
    if (running > t->max_running)
        t->max_running = running;
    if (!rep) {
        if (t->stop_on_tick && running > 0 && !t->stop) {
            /* Once three jobs have started, as a signal handler would. */
            int started = 0;
            for (size_t j = 0; j < 64; j++) {
                char *sp = ts_path("%s/start-%zu", t->dir, j);
                started += ts_exists(sp);
                free(sp);
            }
            if (started >= 3)
                t->stop = 1;
        }
        return 0;
    }
    t->reports++;
    if (rep->job < 64)
        t->seen[rep->job]++;
    if (rep->skipped)
        t->skipped++;
    else if (rep->ran) {
        t->ran++;
        t->interrupted += rep->status == 4;
        ck_assert_int_eq(rep->iterations, (long)rep->job * 10);
    } else {
        t->failed++;
        snprintf(t->last_msg, sizeof t->last_msg, "%s", rep->msg);
    }
    return t->abort_after && t->reports >= t->abort_after ? -1 : 0;
}

static void pool_test_init(pool_test *t, const char *dir)
{
    memset(t, 0, sizeof *t);
    t->dir = dir;
    t->crash_job = -1;
}

static int run_pool(pool_test *t, int workers, size_t njobs)
{
    ntr_pool_opts o = {workers, &t->stop, job, event, t};
    ntr_error err;
    int rc = ntr_pool_run(&o, njobs, &err);
    ck_assert_msg(rc == 0, "pool failed: %s", err.msg);
    return rc;
}

/* Distinct pids that ran jobs 0..n-1 (each job file holds one line). */
static int distinct_pids(const char *dir, size_t n, size_t *jobs_with_file)
{
    long pids[64];
    int np = 0;
    *jobs_with_file = 0;
    for (size_t j = 0; j < n; j++) {
        char *p = ts_path("%s/job-%zu", dir, j);
        char *text = ts_read_file(p, NULL);
        free(p);
        if (!text)
            continue;
        (*jobs_with_file)++;
        ck_assert_msg(strchr(text, '\n') == strrchr(text, '\n'), "job %zu ran twice", j);
        long pid = atol(text);
        free(text);
        int seen = 0;
        for (int i = 0; i < np; i++)
            seen |= pids[i] == pid;
        if (!seen && np < 64)
            pids[np++] = pid;
        ck_assert_int_ne(pid, (long)getpid()); /* in a worker, never here */
    }
    return np;
}

START_TEST(every_job_runs_once)
{
    static const int workers[] = {2, 3, 8};
    for (size_t w = 0; w < 3; w++) {
        char *dir = ts_tmpdir();
        pool_test t;
        pool_test_init(&t, dir);
        run_pool(&t, workers[w], 40);
        ck_assert_uint_eq(t.reports, 40);
        ck_assert_uint_eq(t.ran, 40);
        for (size_t j = 0; j < 40; j++)
            ck_assert_uint_eq(t.seen[j], 1);
        ck_assert_uint_le(t.max_running, (size_t)workers[w]);
        size_t files;
        int np = distinct_pids(dir, 40, &files);
        ck_assert_uint_eq(files, 40);
        ck_assert_int_ge(np, 2);
        ck_assert_int_le(np, workers[w]);
        ts_rmtree(dir);
        free(dir);
    }
}
END_TEST

START_TEST(fewer_jobs_than_workers)
{
    char *dir = ts_tmpdir();
    pool_test t;
    pool_test_init(&t, dir);
    run_pool(&t, 8, 3);
    ck_assert_uint_eq(t.ran, 3);
    ck_assert_uint_le(t.max_running, 3);
    pool_test_init(&t, dir);
    run_pool(&t, 4, 0);
    ck_assert_uint_eq(t.reports, 0);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(killed_worker_is_reported_and_replaced)
{
    char *dir = ts_tmpdir();
    pool_test t;
    pool_test_init(&t, dir);
    t.crash_job = 5;
    run_pool(&t, 3, 20);
    ck_assert_uint_eq(t.reports, 20);
    ck_assert_uint_eq(t.ran, 19);
    ck_assert_uint_eq(t.failed, 1);
    ck_assert_uint_eq(t.seen[5], 1);
    ck_assert_msg(strstr(t.last_msg, "signal 9"), "message: %s", t.last_msg);
    size_t files;
    distinct_pids(dir, 20, &files);
    ck_assert_uint_eq(files, 19);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(failing_job_message_comes_back)
{
    char *dir = ts_tmpdir();
    pool_test t;
    pool_test_init(&t, dir);
    t.crash_job = -2;
    run_pool(&t, 2, 10);
    ck_assert_uint_eq(t.failed, 1);
    ck_assert_uint_eq(t.ran, 9);
    ck_assert_str_eq(t.last_msg, "job 7: the SVD did not converge");
    ts_rmtree(dir);
    free(dir);
}
END_TEST

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

START_TEST(stop_before_start_runs_nothing)
{
    char *dir = ts_tmpdir();
    pool_test t;
    pool_test_init(&t, dir);
    t.long_jobs = 1;
    t.stop = 1;
    run_pool(&t, 2, 10);
    ck_assert_uint_eq(t.reports, 0);
    size_t files;
    distinct_pids(dir, 10, &files);
    ck_assert_uint_eq(files, 0);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(stop_reaches_running_jobs)
{
    /* Jobs wait up to 5 s for their stop flag.  Once the three workers
     * have started their jobs, a tick of the event sets the parent's flag,
     * as a signal handler would: the pool forwards it to the workers, whose
     * jobs end at once, and no fourth job starts. */
    char *dir = ts_tmpdir();
    pool_test t;
    pool_test_init(&t, dir);
    t.long_jobs = 1;
    t.stop_on_tick = 1;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run_pool(&t, 3, 12);
    double took = seconds_since(&t0);
    ck_assert_msg(took < 3.0, "the stop took %.2f s", took);
    ck_assert_uint_eq(t.reports, 3);
    ck_assert_uint_eq(t.ran, 3);
    ck_assert_uint_eq(t.interrupted, 3);
    for (size_t j = 0; j < 12; j++)
        ck_assert_uint_eq(t.seen[j], j < 3);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(event_can_stop_handing_out)
{
    char *dir = ts_tmpdir();
    pool_test t;
    pool_test_init(&t, dir);
    t.abort_after = 1;
    run_pool(&t, 2, 30);
    /* The job reporting first and the one running beside it, at most. */
    ck_assert_uint_ge(t.reports, 1);
    ck_assert_uint_le(t.reports, 2);
    ck_assert_uint_eq(t.ran, t.reports);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

/* ---- the progress line -------------------------------------------------- */

START_TEST(durations)
{
    char b[32];
    static const struct {
        double s;
        const char *want;
    } cases[] = {{0, "0s"},         {59.4, "59s"},      {59.6, "1m00s"},
                 {185, "3m05s"},    {3599.4, "59m59s"}, {3725, "1h02m"},
                 {90000, "25h00m"}, {-1, "?"},          {NAN, "?"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ntr_progress_duration(cases[i].s, b, sizeof b);
        ck_assert_str_eq(b, cases[i].want);
    }
}
END_TEST

START_TEST(progress_text)
{
    ntr_progress pr;
    char line[160];
    ntr_progress_init(&pr, NULL, 0, 10, 3);
    ck_assert_int_eq(pr.enabled, 0);
    pr.t0 = 100;
    ntr_progress_format(&pr, 110, line, sizeof line);
    ck_assert_str_eq(line, "ntr-run: 3/10 cells done, 0 running, ETA --");
    pr.done = 5; /* 2 cells in 10 s: 5 s a cell, 5 cells left */
    pr.running = 2;
    ntr_progress_format(&pr, 110, line, sizeof line);
    ck_assert_str_eq(line, "ntr-run: 5/10 cells done, 2 running, ETA 25s");
    pr.failed = 1;
    ntr_progress_format(&pr, 110, line, sizeof line);
    ck_assert_str_eq(line, "ntr-run: 5/10 cells done, 2 running, 1 failed, ETA 25s");
    pr.done = 10;
    pr.running = 0;
    ntr_progress_format(&pr, 130, line, sizeof line);
    ck_assert_str_eq(line, "ntr-run: 10/10 cells done, 0 running, 1 failed");
}
END_TEST

static char *file_text(FILE *f)
{
    fflush(f);
    long n = ftell(f);
    char *buf = calloc((size_t)n + 1, 1);
    rewind(f);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    return buf;
}

START_TEST(progress_draws_only_when_enabled)
{
    FILE *f = tmpfile();
    ntr_progress pr;
    ntr_progress_init(&pr, f, 0, 4, 0);
    ntr_progress_update(&pr, 2, 1);
    ntr_progress_cell_done(&pr, 0, 1);
    ntr_progress_end(&pr);
    char *text = file_text(f);
    ck_assert_str_eq(text, "");
    free(text);
    fclose(f);

    f = tmpfile();
    ntr_progress_init(&pr, f, 1, 4, 0);
    ntr_progress_update(&pr, 2, 1);
    ntr_progress_cell_done(&pr, 1, 1); /* within 0.25 s: not redrawn */
    ntr_progress_update(&pr, 1, 1);     /* forced */
    ntr_progress_end(&pr);
    text = file_text(f);
    ck_assert_msg(strncmp(text, "\rntr-run: 0/4 cells done, 2 running, ETA --", 43) == 0,
                  "%s", text);
    ck_assert_ptr_nonnull(strstr(text, "\rntr-run: 1/4 cells done, 1 running, 1 failed, ETA"));
    ck_assert_ptr_null(strchr(text, '\n'));
    size_t n = strlen(text);
    ck_assert_int_eq(text[n - 1], '\r'); /* erased at the end, cursor back at the start */
    ck_assert_int_eq(text[n - 2], ' ');
    free(text);
    fclose(f);
}
END_TEST

/* ---- ntr-run -j, end to end -------------------------------------------- */

static int run_ntr(const char *config, const char *out, const char *jobs)
{
    char *bin = ts_bin("ntr-run"), *cfg = ts_tests(config);
    const char *argv[] = {bin, cfg, "-o", out, "-q", "--no-plot", "-j", jobs, NULL};
    ts_result r;
    ck_assert_int_eq(ts_run(argv, &r), 0);
    int code = r.code;
    if (code != 0)
        fprintf(stderr, "ntr-run -j %s: %s\n", jobs, r.err);
    ts_result_free(&r);
    free(bin);
    free(cfg);
    return code;
}

START_TEST(jobs_give_the_same_files)
{
    char *dir = ts_tmpdir();
    char *a = ts_path("%s/j1", dir), *b = ts_path("%s/j3", dir), *c = ts_path("%s/j12", dir);
    ck_assert_int_eq(run_ntr("e2e_sweeps/small_sweep.yaml", a, "1"), 0);
    ck_assert_int_eq(run_ntr("e2e_sweeps/small_sweep.yaml", b, "3"), 0);
    ck_assert_int_eq(run_ntr("e2e_sweeps/small_sweep.yaml", c, "12"), 0);
    char why[600];
    ck_assert_msg(rc_same_results(a, b, why, sizeof why), "-j 3: %s", why);
    ck_assert_msg(rc_same_results(a, c, why, sizeof why), "-j 12: %s", why);
    ck_assert_int_eq(rc_count_status(b, "pending"), 0);
    ck_assert_int_eq(rc_count_temporaries(b), 0);
    ts_rmtree(dir);
    free(dir);
    free(a);
    free(b);
    free(c);
}
END_TEST

START_TEST(sigterm_to_the_parent_stops_its_workers)
{
    char *dir = ts_tmpdir();
    char *ref = ts_path("%s/ref", dir), *out = ts_path("%s/out", dir);
    char *bin = ts_bin("ntr-run"), *cfg = ts_tests("e2e_sweeps/slow_sweep.yaml");
    ck_assert_int_eq(run_ntr("e2e_sweeps/slow_sweep.yaml", ref, "1"), 0);
    const char *argv[] = {bin, cfg, "-o", out, "-q", "--no-plot", "-j", "2", NULL};
    pid_t pid = rc_spawn(argv, 1);
    ck_assert_int_gt(pid, 0);
    ck_assert_int_eq(rc_wait_for_cells(out, 1, 60), 0);
    kill(pid, SIGTERM); /* the parent only, as a scheduler's kill would */
    ck_assert_int_eq(rc_wait(pid, 30), 3);
    /* Its workers are gone too: nothing is left in its process group. */
    int alive = 1;
    for (int i = 0; i < 200 && alive; i++) {
        alive = kill(-pid, 0) == 0;
        if (alive)
            usleep(10000);
    }
    ck_assert_msg(!alive, "workers outlived their parent");
    /* The run was stopped part way: some of the 8 cells did not finish.
     * (Whether one was running at that instant, and so ends `interrupted`
     * rather than pending, depends on timing: both are whole and resumable.) */
    int finished = rc_count_status(out, "done") + rc_count_status(out, "target") +
                   rc_count_status(out, "not_reached");
    ck_assert_int_lt(finished, 8);
    ck_assert_int_eq(rc_count_temporaries(out), 0);
    /* The same command again finishes the interrupted cells. */
    ck_assert_int_eq(run_ntr("e2e_sweeps/slow_sweep.yaml", out, "2"), 0);
    char why[600];
    ck_assert_msg(rc_same_results(ref, out, why, sizeof why), "%s", why);
    ts_rmtree(dir);
    free(dir);
    free(ref);
    free(out);
    free(bin);
    free(cfg);
}
END_TEST

Suite *workers_suite(void);
Suite *workers_suite(void)
{
    Suite *s = suite_create("workers");
    TCase *tc = tcase_create("pool");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_job_runs_once);
    tcase_add_test(tc, fewer_jobs_than_workers);
    tcase_add_test(tc, killed_worker_is_reported_and_replaced);
    tcase_add_test(tc, failing_job_message_comes_back);
    tcase_add_test(tc, stop_before_start_runs_nothing);
    tcase_add_test(tc, stop_reaches_running_jobs);
    tcase_add_test(tc, event_can_stop_handing_out);
    suite_add_tcase(s, tc);
    TCase *tp = tcase_create("progress");
    tcase_add_test(tp, durations);
    tcase_add_test(tp, progress_text);
    tcase_add_test(tp, progress_draws_only_when_enabled);
    suite_add_tcase(s, tp);
    TCase *te = tcase_create("ntr-run -j");
    tcase_set_timeout(te, 240);
    tcase_add_test(te, jobs_give_the_same_files);
    tcase_add_test(te, sigterm_to_the_parent_stops_its_workers);
    suite_add_tcase(s, te);
    return s;
}

int main(void)
{
    return ts_run_suite(workers_suite());
}

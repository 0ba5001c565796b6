/* test_interrupts.c: a stop signal while gnuplot draws, end to end.
 *
 * A fake gnuplot (tests/faults/gnuplot-hangs) tells the test it started
 * and then never ends.  SIGINT (once or twice), SIGHUP or SIGTERM to
 * ntr-plot or to ntr-run's collect must end gnuplot, leave no temporary
 * figure, keep report.md, and exit 3.  Nothing is timed: a command that
 * did not end gnuplot would hang until the test case's guard fails it. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static const char tiny_yaml[] = "name: tiny\n"
                                "problem: {shape: [4, 3], samples: 8}\n"
                                "budget: {iterations: 20}\n"
                                "sweep: {method.norm: [spectral, euclidean]}\n";

typedef struct setup {
    ts_scratch s;
    char *out, *bin, *mark, *path;
} setup;

/* A finished folder without figures, and a PATH whose gnuplot hangs. */
static setup make_setup(void)
{
    setup u;
    u.s = ts_scratch_new(tiny_yaml);
    u.out = ts_path("%s/out", u.s.dir);
    ts_result r;
    NTR_RUN(r, u.s.config, "-o", u.out, "-q", "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    u.bin = ts_path("%s/fake-bin", u.s.dir);
    ck_assert_int_eq(mkdir(u.bin, 0755), 0);
    char *src = ts_tests("faults/gnuplot-hangs");
    char *text = ts_read_file(src, NULL);
    ck_assert_ptr_nonnull(text);
    char *dst = ts_path("%s/gnuplot", u.bin);
    ck_assert_int_eq(ts_write_file(dst, text), 0);
    ck_assert_int_eq(chmod(dst, 0755), 0);
    free(dst);
    free(text);
    free(src);
    u.mark = ts_path("%s/gnuplot-started", u.s.dir);
    u.path = ts_path("%s:/usr/local/bin:/usr/bin:/bin", u.bin);
    return u;
}

static void free_setup(setup *u)
{
    free(u->out);
    free(u->bin);
    free(u->mark);
    free(u->path);
    ts_scratch_free(&u->s);
}

/* Start argv with the fake gnuplot first in PATH; output to /dev/null. */
static pid_t spawn(const setup *u, const char *const *argv)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        setenv("PATH", u->path, 1);
        setenv("NTR_TEST_MARK", u->mark, 1);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* Wait for the fake gnuplot to start; its pid. */
static pid_t gnuplot_started(const setup *u)
{
    for (;;) {
        char *text = ts_read_file(u->mark, NULL);
        if (text) {
            pid_t pid = (pid_t)atol(text);
            free(text);
            return pid;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static int exit_code(pid_t pid)
{
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* After the interrupt: gnuplot gone, no temporary, report.md there. */
static void assert_clean(const setup *u, pid_t gp)
{
    ck_assert_msg(kill(gp, 0) == -1 && errno == ESRCH, "gnuplot (pid %ld) still runs", (long)gp);
    char *plots = ts_path("%s/plots", u->out);
    char *snap = ts_tree_snapshot(plots);
    ck_assert_ptr_nonnull(snap);
    ck_assert_msg(strstr(snap, ".tmp.") == NULL, "temporary left:\n%s", snap);
    free(snap);
    free(plots);
    char *rep = ts_path("%s/report.md", u->out);
    ck_assert(ts_exists(rep));
    free(rep);
}

static void interrupt_plot(const int *signals, int nsignals)
{
    setup u = make_setup();
    char *plot = ts_bin("ntr-plot");
    const char *argv[] = {plot, u.out, NULL};
    pid_t pid = spawn(&u, argv);
    pid_t gp = gnuplot_started(&u);
    for (int i = 0; i < nsignals; i++)
        kill(pid, signals[i]);
    ck_assert_int_eq(exit_code(pid), 3);
    assert_clean(&u, gp);
    free(plot);
    free_setup(&u);
}

START_TEST(sigint_during_ntr_plot)
{
    interrupt_plot((const int[]){SIGINT}, 1);
}
END_TEST

START_TEST(two_sigints_during_ntr_plot)
{
    interrupt_plot((const int[]){SIGINT, SIGINT}, 2);
}
END_TEST

START_TEST(sighup_during_ntr_plot)
{
    interrupt_plot((const int[]){SIGHUP}, 1);
}
END_TEST

/* ntr-run's collect draws too: SIGTERM there (a batch scheduler's). */
START_TEST(sigterm_during_collect)
{
    setup u = make_setup();
    char *run = ts_bin("ntr-run");
    const char *argv[] = {run, u.s.config, "-o", u.out, "--collect", NULL};
    pid_t pid = spawn(&u, argv);
    pid_t gp = gnuplot_started(&u);
    kill(pid, SIGTERM);
    ck_assert_int_eq(exit_code(pid), 3);
    assert_clean(&u, gp);
    char *sum = ts_path("%s/summary.csv", u.out);
    ck_assert(ts_exists(sum));
    free(sum);
    free(run);
    free_setup(&u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("interrupts");
    TCase *tc = tcase_create("interrupts");
    tcase_set_timeout(tc, 60); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, sigint_during_ntr_plot);
    tcase_add_test(tc, two_sigints_during_ntr_plot);
    tcase_add_test(tc, sighup_during_ntr_plot);
    tcase_add_test(tc, sigterm_during_collect);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

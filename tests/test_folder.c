/* test_folder.c: what ntr-run and ntr-plot accept as a result folder, and
 * the folder lock (src/output/folder_guard.h), end to end through $NTR_BIN.
 *
 * A folder that is not empty and not an ntr result folder is refused
 * (exit 2, nothing written): by -o, --collect and ntr-plot, `-o /` too; so
 * are -o naming a file, /dev/null, a dangling symbolic link, '' and a
 * path too long for the files a run writes (checked before anything is
 * written).  Contradictory options are refused.  The lock is tested with
 * this process as the holder (no timing): a whole-folder command refuses
 * a held folder naming the holder's pid, or waits for it with --wait;
 * shards run while other shards hold the folder; a cell another process
 * runs is left to it. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/plan.h"
#include "support.h"

static const char tiny_yaml[] = "name: tiny\n"
                                "problem: {shape: [4, 3], samples: 8}\n"
                                "method: {eta: 0.05}\n"
                                "budget: {iterations: 20}\n"
                                "log: {every: 5}\n"
                                "sweep: {method.norm: [spectral, euclidean]}\n";

/* Assert exit 2, one line on stderr containing fragment, nothing on stdout. */
static void assert_refused(ts_result *r, const char *fragment)
{
    ck_assert_msg(r->code == 2, "exit %d: %s", r->code, r->err);
    ck_assert_msg(strstr(r->err, fragment) != NULL, "'%s' not in: %s", fragment, r->err);
    ck_assert_msg(strchr(r->err, '\n') == r->err + r->err_len - 1, "not one line: %s", r->err);
    ck_assert_msg(r->out_len == 0, "stdout: %s", r->out);
    ts_result_free(r);
}

START_TEST(user_folders_are_refused)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *user = ts_path("%s/user", s.dir);
    ck_assert_int_eq(mkdir(user, 0777), 0);
    char *notes = ts_path("%s/report.md", user), *csv = ts_path("%s/summary.csv", user);
    ck_assert_int_eq(ts_write_file(notes, "my notes\n"), 0);
    ck_assert_int_eq(ts_write_file(csv, "a,b\n1,2\n"), 0);
    char *before = ts_tree_snapshot(user);
    ts_result r;
    NTR_RUN(r, s.config, "-o", user, "-q");
    assert_refused(&r, "is not empty and is not an ntr result folder");
    NTR_RUN(r, s.config, "-o", user, "-q", "--collect");
    assert_refused(&r, "is not empty and is not an ntr result folder");
    NTR_RUN(r, s.config, "-o", user, "-q", "--force-new");
    assert_refused(&r, "is not empty and is not an ntr result folder");
    ck_assert(ts_run_bin(&r, "ntr-plot", user, (const char *)NULL) == 0);
    assert_refused(&r, "not an ntr result folder");
    char *after = ts_tree_snapshot(user);
    ck_assert_str_eq(before, after);
    free(after);
    /* the root folder is not empty and not a result folder either */
    int had = ts_exists("/config.yaml");
    NTR_RUN(r, s.config, "-o", "/", "-q");
    assert_refused(&r, "-o: / is not empty");
    ck_assert_int_eq(ts_exists("/config.yaml"), had);
    /* an empty folder is fine, and so is an ntr folder for ntr-plot */
    char *empty = ts_path("%s/empty", s.dir);
    ck_assert_int_eq(mkdir(empty, 0777), 0);
    NTR_RUN(r, s.config, "-o", empty, "-q", "--no-plot");
    ck_assert_msg(r.code == 0, "empty folder: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    free(empty);
    free(before);
    free(notes);
    free(csv);
    free(user);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(bad_out_paths_are_refused)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *file = ts_path("%s/afile", s.dir), *link = ts_path("%s/dangling", s.dir);
    ck_assert_int_eq(ts_write_file(file, "x\n"), 0);
    ck_assert_int_eq(symlink("no/such/target", link), 0);
    ts_result r;
    NTR_RUN(r, s.config, "-o", file, "-q");
    assert_refused(&r, "exists and is not a folder");
    NTR_RUN(r, s.config, "-o", "/dev/null", "-q");
    assert_refused(&r, "/dev/null exists and is not a folder");
    NTR_RUN(r, s.config, "-o", link, "-q");
    assert_refused(&r, "is a symbolic link to something that does not exist");
    NTR_RUN(r, s.config, "-o", "", "-q");
    assert_refused(&r, "-o: empty folder name");
    /* Too long for the files inside it: refused before anything is made
     * (it used to fail after writing config.yaml). */
    char seg[201];
    memset(seg, 'a', 200);
    seg[200] = '\0';
    char *deep = ts_path("%s/%s/%s/%s/%s/%s", s.dir, seg, seg, seg, seg, seg);
    NTR_RUN(r, s.config, "-o", deep, "-q");
    assert_refused(&r, "characters long; at most 960");
    char *first = ts_path("%s/%s", s.dir, seg);
    ck_assert(!ts_exists(first));
    free(first);
    free(deep);
    /* ntr-plot: a missing folder, a file */
    ck_assert(ts_run_bin(&r, "ntr-plot", file, (const char *)NULL) == 0);
    assert_refused(&r, "exists and is not a folder");
    free(file);
    free(link);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(contradictory_options)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    static const char *const pairs[][2] = {{"--plan", "--collect"},
                                           {"--plan", "--force-new"},
                                           {"--collect", "--force-new"}};
    ts_result r;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        NTR_RUN(r, s.config, "-o", out, pairs[i][0], pairs[i][1]);
        assert_refused(&r, "contradict each other");
    }
    NTR_RUN(r, s.config, "-o", out, "--collect", "--shard", "1/2");
    assert_refused(&r, "--collect and --shard contradict each other");
    ck_assert(!ts_exists(out));
    /* --collect of no folder at all */
    NTR_RUN(r, s.config, "-o", out, "--collect", "-q");
    assert_refused(&r, "is not an ntr result folder (it does not exist)");
    ck_assert(!ts_exists(out));
    free(out);
    ts_scratch_free(&s);
}
END_TEST

/* ---- the lock, held by this process ------------------------------------ */

/* Open DIR/.lock and take byte `start` with type F_RDLCK or F_WRLCK. */
static int hold(const char *dir, short type, off_t start)
{
    char *path = ts_path("%s/.lock", dir);
    int fd = open(path, O_RDWR | O_CREAT, 0666);
    free(path);
    ck_assert_int_ge(fd, 0);
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = 1;
    ck_assert_int_eq(fcntl(fd, F_SETLK, &fl), 0);
    return fd;
}

/* A finished folder to lock. */
static char *made_folder(const ts_scratch *s)
{
    char *out = ts_path("%s/out", s->dir);
    ts_result r;
    NTR_RUN(r, s->config, "-o", out, "-q", "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    return out;
}

START_TEST(held_folder_is_refused_with_the_pid)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = made_folder(&s);
    char *snap = ts_tree_snapshot(out);
    int fd = hold(out, F_WRLCK, 0);
    char pid[64];
    snprintf(pid, sizeof pid, "in use by another ntr command (pid %ld)", (long)getpid());
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot");
    assert_refused(&r, pid);
    NTR_RUN(r, s.config, "-o", out, "-q", "--collect", "--no-plot");
    assert_refused(&r, pid);
    NTR_RUN(r, s.config, "-o", out, "-q", "--shard", "1/2");
    assert_refused(&r, pid);
    NTR_RUN(r, s.config, "-o", out, "-q", "--force-new");
    assert_refused(&r, pid);
    ck_assert(ts_run_bin(&r, "ntr-plot", out, "-q", (const char *)NULL) == 0);
    assert_refused(&r, pid);
    char *now = ts_tree_snapshot(out);
    ck_assert_str_eq(snap, now);
    free(now);
    close(fd);
    /* released: the same command resumes */
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    free(snap);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

/* Shards hold the folder shared: a shard runs beside them, a whole-folder
 * command does not. */
START_TEST(shards_run_together)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "-q", "--shard", "1/2");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    int fd = hold(out, F_RDLCK, 0); /* "another shard" */
    NTR_RUN(r, s.config, "-o", out, "-q", "--shard", "2/2");
    ck_assert_msg(r.code == 0, "shard beside a shard: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    char pid[64];
    snprintf(pid, sizeof pid, "in use by another ntr command (pid %ld)", (long)getpid());
    NTR_RUN(r, s.config, "-o", out, "-q", "--collect", "--no-plot");
    assert_refused(&r, pid);
    close(fd);
    NTR_RUN(r, s.config, "-o", out, "-q", "--collect", "--no-plot");
    ck_assert_msg(r.code == 0, "collect: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

/* A cell that another process runs (its byte held) is left to it. */
START_TEST(cell_run_elsewhere_is_left_alone)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    ck_assert_int_eq(mkdir(out, 0777), 0);
    ntr_plan *p = ts_plan_of(s.config);
    off_t byte = (off_t)(1 + (strtoull(p->cells[1].hash, NULL, 16) & 0x3fffffffffffffffULL));
    int fd = hold(out, F_WRLCK, byte);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot", "--shard", "1/1");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    char *busy = ts_path("%s/cells/%s/summary.json", out, p->cells[1].hash);
    char *done = ts_path("%s/cells/%s/summary.json", out, p->cells[0].hash);
    ck_assert(!ts_exists(busy));
    ck_assert(ts_exists(done));
    close(fd);
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    ck_assert(ts_exists(busy));
    free(busy);
    free(done);
    ntr_plan_free(p);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

/* --wait: ntr-run says it waits, then runs once the holder lets go. */
START_TEST(wait_for_the_holder)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = made_folder(&s);
    int fd = hold(out, F_WRLCK, 0);
    int errp[2];
    ck_assert_int_eq(pipe(errp), 0);
    char *bin = ts_bin("ntr-run");
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(errp[0]);
        dup2(errp[1], 2);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        execl(bin, bin, s.config, "-o", out, "--no-plot", "--wait", (char *)NULL);
        _exit(127);
    }
    close(errp[1]);
    /* the child's first line on stderr says it waits for this process */
    char line[1024];
    size_t len = 0;
    while (len + 1 < sizeof line) {
        ssize_t got = read(errp[0], line + len, 1);
        if (got <= 0 || line[len] == '\n')
            break;
        len++;
    }
    line[len] = '\0';
    char want[64];
    snprintf(want, sizeof want, "in use by pid %ld; waiting", (long)getpid());
    ck_assert_msg(strstr(line, want) != NULL, "%s", line);
    close(fd); /* let go */
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    close(errp[0]);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
    free(bin);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("folder");
    TCase *tc = tcase_create("folder");
    tcase_set_timeout(tc, 120); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, user_folders_are_refused);
    tcase_add_test(tc, bad_out_paths_are_refused);
    tcase_add_test(tc, contradictory_options);
    tcase_add_test(tc, held_folder_is_refused_with_the_pid);
    tcase_add_test(tc, shards_run_together);
    tcase_add_test(tc, cell_run_elsewhere_is_left_alone);
    tcase_add_test(tc, wait_for_the_holder);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

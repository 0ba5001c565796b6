/* test_faults.c: faults end to end, through the ntr-run in $NTR_BIN.
 *
 * Divergence in several ways is a cell status, never a crash (exit 1, the
 * other cells complete).  kill -9 at seeded moments spread over a sweep,
 * then the same command again: the folder equals an uninterrupted run's
 * (trajectories, summaries without wall times, summary.csv without wall_s),
 * with no cell lost, duplicated or half-written and no temporary left.
 * SIGINT once: exit 3, unfinished cells "interrupted", files whole, the
 * resume completes them.  An unwritable result folder or a failing file
 * write: a clear error, nonzero exit, earlier results intact.  gnuplot
 * missing or failing: results complete and a warning names ntr-plot.  A
 * result folder and data files named with quotes, spaces, $(...) and
 * backquotes (the latter reach the .gp scripts as group labels) get their
 * figures and no command in them ever runs.
 *
 * Files under tests/faults/ hold the configs and the fake gnuplot. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

/* ---- running ntr-run ---------------------------------------------------- */

/* argv for ntr-run: the binary, then the NULL-terminated args. */
static void make_argv(const char **argv, int max, const char *const *args)
{
    int n = 0;
    argv[n++] = ts_bin("ntr-run");
    for (int i = 0; args[i] && n < max - 1; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
}

static ts_result run_ntr(const char *const *args)
{
    const char *argv[32];
    make_argv(argv, 32, args);
    ts_result r;
    ck_assert_msg(ts_run(argv, &r) == 0, "cannot start %s", argv[0]);
    free((char *)argv[0]);
    return r;
}

/* Start ntr-run in the background, all output to /dev/null. */
static pid_t spawn_ntr(const char *const *args)
{
    const char *argv[32];
    make_argv(argv, 32, args);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, STDIN_FILENO);
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    free((char *)argv[0]);
    return pid;
}

/* Exit code of a finished child; 128 + signal when killed. */
static int wait_code(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        ck_assert_int_eq(errno, EINTR);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* ---- inspecting result folders ----------------------------------------- */

/* Number of entries under a folder, recursively, whose name contains
 * `part` (exact 0) or equals it (exact 1). */
static int count_matching(const char *dir, const char *part, int exact)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n += exact ? strcmp(e->d_name, part) == 0 : strstr(e->d_name, part) != NULL;
        char *sub = ts_path("%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            n += count_matching(sub, part, exact);
        free(sub);
    }
    closedir(d);
    return n;
}

static int count_named(const char *dir, const char *part)
{
    return count_matching(dir, part, 0);
}

/* Entries directly in a folder (0 when absent). */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* Cells of a folder whose summary.json exists. */
static int count_summaries(const char *out)
{
    char *cells = ts_path("%s/cells", out);
    DIR *d = opendir(cells);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *s = ts_path("%s/%s/summary.json", cells, e->d_name);
        n += ts_exists(s);
        free(s);
    }
    if (d)
        closedir(d);
    free(cells);
    return n;
}

/* summary.json text without its "timing" member; the rest must parse. */
static char *without_timing(const char *path)
{
    char *json = ts_read_file(path, NULL);
    ck_assert_msg(json != NULL, "cannot read %s", path);
    json_error_t jerr;
    json_t *root = json_loads(json, 0, &jerr);
    ck_assert_msg(root != NULL, "%s is not whole JSON: %s", path, jerr.text);
    json_decref(root);
    char *t = strstr(json, "\"timing\"");
    ck_assert_msg(t != NULL, "%s has no timing object", path);
    char *open = strchr(t, '{');
    ck_assert_ptr_nonnull(open);
    int depth = 0;
    char *close = open;
    for (; *close; close++) {
        depth += (*close == '{') - (*close == '}');
        if (depth == 0)
            break;
    }
    ck_assert_int_eq(*close, '}');
    char *start = t;
    while (start > json && (start[-1] == ' ' || start[-1] == '\n'))
        start--;
    if (start > json && start[-1] == ',')
        start--;
    char *out = ts_path("%.*s%s", (int)(start - json), json, close + 1);
    free(json);
    ck_assert_msg(!strstr(out, "wall_s"), "%s: a wall time outside \"timing\"", path);
    return out;
}

/* summary.csv without its last column, which must be wall_s. */
static char *without_wall(const char *path)
{
    char *text = ts_read_file(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    size_t hl = strcspn(text, "\n");
    ck_assert_msg(hl > 7 && strncmp(text + hl - 7, ",wall_s", 7) == 0,
                  "summary.csv does not end its header with wall_s");
    ck_assert_msg(text[strlen(text) - 1] == '\n', "summary.csv: last line without newline");
    char *out = ts_without_last_column(text);
    ck_assert_ptr_nonnull(out);
    free(text);
    return out;
}

/* Lines of a file; its last byte must be a newline (a whole file). */
static int whole_lines(const char *path)
{
    size_t len;
    char *t = ts_read_file(path, &len);
    ck_assert_msg(t != NULL, "cannot read %s", path);
    ck_assert_msg(len > 0 && t[len - 1] == '\n', "%s is cut short", path);
    int n = 0;
    for (size_t i = 0; i < len; i++)
        n += t[i] == '\n';
    free(t);
    return n;
}

/* `got` holds exactly the results of `ref`: same cells, byte-identical
 * trajectories, summaries without timing, summary.csv without wall_s and
 * config.yaml; timing.csv whole with the trajectory's rows; no temporary
 * file anywhere; manifest.json whole. */
static void assert_same_results(const char *ref, const char *got)
{
    ck_assert_msg(count_named(got, ".tmp.") == 0, "%s: temporary files left", got);
    char *rcells = ts_path("%s/cells", ref), *gcells = ts_path("%s/cells", got);
    int nref = count_entries(rcells);
    ck_assert_int_gt(nref, 0);
    ck_assert_int_eq(count_entries(gcells), nref);
    DIR *d = opendir(rcells);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *a = ts_path("%s/%s/trajectory.csv", rcells, e->d_name);
        char *b = ts_path("%s/%s/trajectory.csv", gcells, e->d_name);
        ck_assert_msg(ts_files_equal(a, b), "cell %s: trajectory.csv differs", e->d_name);
        int rows = whole_lines(b);
        free(a);
        free(b);
        a = ts_path("%s/%s/summary.json", rcells, e->d_name);
        b = ts_path("%s/%s/summary.json", gcells, e->d_name);
        char *ja = without_timing(a), *jb = without_timing(b);
        ck_assert_msg(strcmp(ja, jb) == 0, "cell %s: summary.json differs", e->d_name);
        free(ja);
        free(jb);
        free(a);
        free(b);
        b = ts_path("%s/%s/timing.csv", gcells, e->d_name);
        ck_assert_int_eq(whole_lines(b), rows);
        free(b);
    }
    closedir(d);
    char *a = ts_path("%s/summary.csv", ref), *b = ts_path("%s/summary.csv", got);
    char *sa = without_wall(a), *sb = without_wall(b);
    ck_assert_msg(strcmp(sa, sb) == 0, "summary.csv differs:\n%s\n---\n%s", sa, sb);
    /* One row per cell (the header aside), each hash once: equal to the
     * reference, whose rows are the plan's cells. */
    int rows = 0;
    for (const char *p = sb; (p = strchr(p, '\n')) != NULL; p++)
        rows++;
    ck_assert_int_eq(rows, nref + 1);
    free(sa);
    free(sb);
    free(a);
    free(b);
    a = ts_path("%s/config.yaml", ref);
    b = ts_path("%s/config.yaml", got);
    ck_assert(ts_files_equal(a, b));
    free(a);
    free(b);
    b = ts_path("%s/manifest.json", got);
    json_error_t jerr;
    json_t *m = json_load_file(b, 0, &jerr);
    ck_assert_msg(m != NULL, "manifest.json: %s", jerr.text);
    json_decref(m);
    free(b);
    free(rcells);
    free(gcells);
}

/* Rows of summary.csv whose status column holds `status`. */
static int count_status(const char *out, const char *status)
{
    char *path = ts_path("%s/summary.csv", out);
    char *text = ts_read_file(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    char needle[64];
    snprintf(needle, sizeof needle, ",%s,", status);
    int n = 0;
    for (const char *p = strchr(text, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        size_t len = strcspn(p + 1, "\n");
        char line[4096];
        snprintf(line, sizeof line, "%.*s", (int)len, p + 1);
        n += strstr(line, needle) != NULL;
    }
    free(text);
    free(path);
    return n;
}

/* ---- configs ------------------------------------------------------------ */

/* A copy of tests/faults/NAME in a fresh folder; *dir receives the folder. */
static char *config_copy(const char *name, char **dir)
{
    *dir = ts_tmpdir();
    ck_assert_ptr_nonnull(*dir);
    char *src = ts_tests(name);
    char *text = ts_read_file(src, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", src);
    const char *base = strrchr(name, '/');
    char *dst = ts_path("%s/%s", *dir, base ? base + 1 : name);
    ck_assert_int_eq(ts_write_file(dst, text), 0);
    free(text);
    free(src);
    return dst;
}

/* Status of a cell's summary.json. */
static char *cell_status(const char *out, const char *hash)
{
    char *p = ts_path("%s/cells/%s/summary.json", out, hash);
    json_error_t jerr;
    json_t *root = json_load_file(p, 0, &jerr);
    ck_assert_msg(root != NULL, "%s: %s", p, jerr.text);
    const char *s = json_string_value(json_object_get(root, "status"));
    ck_assert_ptr_nonnull(s);
    char *copy = strdup(s);
    json_decref(root);
    free(p);
    return copy;
}

/* ---- divergence --------------------------------------------------------- */

START_TEST(divergence_is_a_status)
{
    char *dir, *cfg = config_copy("faults/diverge.yaml", &dir);
    char *out = ts_path("%s/out", dir);
    ts_result r = run_ntr((const char *[]){cfg, "-o", out, "-q", NULL});
    /* Exit 1: some runs diverged, the rest completed.  A crash would be a
     * signal (>= 128) or a sanitizer report. */
    ck_assert_msg(r.code == 1, "exit %d, stderr: %s", r.code, r.err);
    ck_assert_msg(!strstr(r.err, "Sanitizer") && !strstr(r.err, "runtime error"), "%s", r.err);
    ts_result_free(&r);

    /* Every cell of summary.csv: the last one (a tame control) completes,
     * every other one diverged; each has whole files. */
    char *path = ts_path("%s/summary.csv", out);
    char *text = ts_read_file(path, NULL);
    ck_assert_ptr_nonnull(text);
    int rows = 0, diverged = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (rows++ == 0)
            continue;
        char hash[32] = "";
        ck_assert_int_eq(sscanf(line, "%*[^,],%16[0-9a-f],", hash), 1);
        char *st = cell_status(out, hash);
        int tame = strstr(line, "sgdm") != NULL;
        if (tame)
            ck_assert_msg(!strcmp(st, "done") || !strcmp(st, "not_reached"), "tame cell: %s", st);
        else
            ck_assert_msg(!strcmp(st, "diverged"), "cell %s [%s]: %s", hash, line, st);
        diverged += !tame;
        ck_assert_msg(strstr(line, st) != NULL, "summary.csv disagrees with summary.json");
        char *traj = ts_path("%s/cells/%s/trajectory.csv", out, hash);
        ck_assert_int_ge(whole_lines(traj), 2);
        free(traj);
        free(st);
    }
    char *cells = ts_path("%s/cells", out);
    ck_assert_int_eq(rows - 1, count_entries(cells));
    ck_assert_int_ge(diverged, 10);
    free(text);
    free(path);

    /* The reasons cover both ways: non-finite values and the threshold. */
    DIR *d = opendir(cells);
    ck_assert_ptr_nonnull(d);
    int nonfinite = 0, above = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *s = ts_path("%s/%s/summary.json", cells, e->d_name);
        char *j = ts_read_file(s, NULL);
        ck_assert_ptr_nonnull(j);
        nonfinite += strstr(j, "non-finite") != NULL;
        above += strstr(j, "diverge_above") != NULL;
        free(j);
        free(s);
    }
    closedir(d);
    ck_assert_int_ge(nonfinite, 6);
    ck_assert_int_ge(above, 1);
    /* Figures and report were drawn from the diverged trajectories too. */
    char *rep = ts_path("%s/report.md", out);
    ck_assert_msg(ts_exists(rep), "no report.md");
    free(rep);
    free(cells);
    ck_assert_int_eq(ts_rmtree(dir), 0);
    free(out);
    free(cfg);
    free(dir);
}
END_TEST

/* ---- kill -9 and SIGINT ------------------------------------------------- */

/* A small deterministic generator for the kill moments (seeded). */
static double next_uniform(unsigned long *state)
{
    *state = *state * 6364136223846793005UL + 1442695040888963407UL;
    return (double)(*state >> 11) / 9007199254740992.0;
}

#define KILL_MOMENTS 6

/* The reference: one uninterrupted run of the kill sweep; returns its wall time. */
static double reference_run(const char *cfg, const char *ref)
{
    double t0 = now_s();
    ts_result r = run_ntr((const char *[]){cfg, "-o", ref, "-q", "--no-plot", NULL});
    double t = now_s() - t0;
    ck_assert_msg(r.code == 0, "reference run: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    ck_assert_int_eq(count_summaries(ref), 12);
    return t;
}

START_TEST(kill9_then_resume_equals_uninterrupted)
{
    char *dir, *cfg = config_copy("faults/kill.yaml", &dir);
    char *ref = ts_path("%s/ref", dir);
    double T = reference_run(cfg, ref);
    unsigned long seed = 20240607UL;
    for (int i = 0; i < KILL_MOMENTS; i++) {
        /* Stratified: one moment in each sixth of (3%, 85%) of the run. */
        double u = (i + next_uniform(&seed)) / KILL_MOMENTS;
        double at = T * (0.03 + 0.82 * u);
        char *out = ts_path("%s/k%d", dir, i);
        const char *args[] = {cfg, "-o", out, "-q", "--no-plot", NULL};
        int code = 0;
        /* A run faster than the reference may end before its moment: then
         * the moment is moved earlier and the kill is tried again. */
        for (int attempt = 0; attempt < 5 && code != 128 + SIGKILL; attempt++) {
            if (attempt > 0)
                at *= 0.7;
            ck_assert_int_eq(ts_rmtree(out), 0);
            pid_t pid = spawn_ntr(args);
            sleep_s(at);
            kill(pid, SIGKILL);
            code = wait_code(pid);
        }
        ck_assert_msg(code == 128 + SIGKILL, "the run always ended before its kill");
        int finished = count_summaries(out), tmps = count_named(out, ".tmp.");
        ts_result r = run_ntr(args);
        printf("kill -9 at %.3f s of %.3f s: %d cells finished, %d temporaries; "
               "resume exit %d\n",
               at, T, finished, tmps, r.code);
        fflush(stdout);
        ck_assert_msg(r.code == 0, "resume after kill at %.3f s: exit %d: %s", at, r.code, r.err);
        ts_result_free(&r);
        assert_same_results(ref, out);
        free(out);
    }
    ck_assert_int_eq(ts_rmtree(dir), 0);
    free(ref);
    free(cfg);
    free(dir);
}
END_TEST

/* Several kills in a row on one folder, then the resume. */
START_TEST(repeated_kills_then_resume)
{
    char *dir, *cfg = config_copy("faults/kill.yaml", &dir);
    char *ref = ts_path("%s/ref", dir), *out = ts_path("%s/again", dir);
    double T = reference_run(cfg, ref);
    const char *args[] = {cfg, "-o", out, "-q", "--no-plot", NULL};
    unsigned long seed = 77UL;
    for (int i = 0; i < 4; i++) {
        pid_t pid = spawn_ntr(args);
        sleep_s(T * (0.1 + 0.2 * next_uniform(&seed)));
        kill(pid, SIGKILL);
        wait_code(pid);
    }
    ts_result r = run_ntr(args);
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    assert_same_results(ref, out);
    ck_assert_int_eq(ts_rmtree(dir), 0);
    free(ref);
    free(out);
    free(cfg);
    free(dir);
}
END_TEST

/* kill -9 of the parent of -j 3 workers: its workers stop with it (they
 * write nothing more: the count of finished cells stays what it was when
 * the parent died), and the resume completes the folder.  This process is
 * made a subreaper so that the orphaned workers become its children and
 * can be waited for. */
START_TEST(kill9_with_workers)
{
    char *dir, *cfg = config_copy("faults/kill.yaml", &dir);
    char *ref = ts_path("%s/ref", dir);
    double T = reference_run(cfg, ref);
    ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
    unsigned long seed = 31UL;
    for (int i = 0; i < 3; i++) {
        double at = T * (0.1 + 0.25 * (i + next_uniform(&seed)) / 3);
        char *out = ts_path("%s/w%d", dir, i);
        const char *args[] = {cfg, "-o", out, "-q", "--no-plot", "-j", "3", NULL};
        pid_t pid = spawn_ntr(args);
        sleep_s(at);
        kill(pid, SIGKILL);
        ck_assert_int_eq(wait_code(pid), 128 + SIGKILL);
        int finished = count_summaries(out);
        /* Reap the orphans (if any) until none is left. */
        double t0 = now_s();
        int orphans = 0;
        for (;;) {
            pid_t w = waitpid(-1, NULL, WNOHANG);
            if (w > 0) {
                orphans++;
                continue;
            }
            if (w < 0 || now_s() - t0 > 10)
                break;
            sleep_s(0.005);
        }
        int later = count_summaries(out);
        printf("kill -9 of the -j 3 parent at %.3f s: %d cells finished, %d after its %d "
               "workers ended (%.3f s)\n",
               at, finished, later, orphans, now_s() - t0);
        fflush(stdout);
        ck_assert_msg(later == finished, "workers went on after their parent was killed: "
                      "%d cells finished, then %d", finished, later);
        ts_result r = run_ntr(args);
        fflush(stdout);
        ck_assert_msg(r.code == 0, "resume: exit %d: %s", r.code, r.err);
        ts_result_free(&r);
        assert_same_results(ref, out);
        free(out);
    }
    ck_assert_int_eq(ts_rmtree(dir), 0);
    free(ref);
    free(cfg);
    free(dir);
}
END_TEST

/* The absolute path of a program found in PATH (malloc'ed), or NULL. */
static char *which(const char *name)
{
    const char *path = getenv("PATH");
    char *copy = strdup(path ? path : "/usr/bin:/bin");
    char *found = NULL, *save = NULL;
    for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
        char *p = ts_path("%s/%s", d, name);
        if (access(p, X_OK) == 0)
            found = p;
        else
            free(p);
    }
    free(copy);
    return found;
}

/* kill -9 while the figures are drawn (a gnuplot that takes 0.4 s per
 * figure makes the collect step long): the resume, with the real gnuplot,
 * rebuilds summary, figures, report and manifest, and leaves no temporary
 * file anywhere (plots/ included). */
START_TEST(kill9_during_collect)
{
    char *dir, *cfg = config_copy("faults/tiny.yaml", &dir);
    char *real = which("gnuplot");
    ck_assert_msg(real != NULL, "gnuplot is not installed");
    char *bin = ts_path("%s/slow-bin", dir);
    ck_assert_int_eq(mkdir(bin, 0755), 0);
    char *script = ts_path("#!/bin/sh\n# a slow gnuplot\nsleep 0.4\nexec '%s' \"$@\"\n", real);
    char *fake = ts_path("%s/gnuplot", bin);
    ck_assert_int_eq(ts_write_file(fake, script), 0);
    ck_assert_int_eq(chmod(fake, 0755), 0);
    char *ref = ts_path("%s/ref", dir);
    ts_result r = run_ntr((const char *[]){cfg, "-o", ref, "-q", NULL});
    ck_assert_msg(r.code == 0, "reference: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    int figures = count_named(ref, ".png");
    ck_assert_int_ge(figures, 1);

    char *old = strdup(getenv("PATH"));
    char *path = ts_path("%s:%s", bin, old);
    static const double moments[] = {0.25, 0.6, 0.95};
    for (int i = 0; i < 3; i++) {
        char *out = ts_path("%s/c%d", dir, i);
        const char *args[] = {cfg, "-o", out, "-q", NULL};
        ck_assert_int_eq(setenv("PATH", path, 1), 0);
        pid_t pid = spawn_ntr(args);
        sleep_s(moments[i]);
        kill(pid, SIGKILL);
        int code = wait_code(pid);
        setenv("PATH", old, 1);
        int tmps = count_named(out, ".tmp."), drawn = count_named(out, ".png");
        r = run_ntr(args);
        printf("kill -9 at %.2f s while drawing: %s, %d figures and %d temporaries left; "
               "resume exit %d\n",
               moments[i], code == 128 + SIGKILL ? "killed" : "had ended", drawn, tmps, r.code);
        fflush(stdout);
        ck_assert_msg(r.code == 0, "resume: exit %d: %s", r.code, r.err);
        ts_result_free(&r);
        assert_same_results(ref, out);
        ck_assert_int_eq(count_named(out, ".png"), figures);
        char *rep = ts_path("%s/report.md", out);
        ck_assert(ts_exists(rep));
        free(rep);
        free(out);
    }
    /* Orphaned slow gnuplots (children of the killed runs) end on their own. */
    sleep_s(0.5);
    free(path);
    free(old);
    free(script);
    free(fake);
    free(bin);
    free(real);
    free(ref);
    ck_assert_int_eq(ts_rmtree(dir), 0);
    free(cfg);
    free(dir);
}
END_TEST

/* SIGINT once mid-sweep with `jobs` workers. */
static void sigint_once(const char *jobs)
{
    char *dir, *cfg = config_copy("faults/kill.yaml", &dir);
    char *ref = ts_path("%s/ref", dir), *out = ts_path("%s/int", dir);
    double T = reference_run(cfg, ref);
    const char *args[] = {cfg, "-o", out, "-q", "--no-plot", "-j", jobs, NULL};
    pid_t pid = spawn_ntr(args);
    sleep_s(0.4 * T);
    kill(pid, SIGINT);
    int code = wait_code(pid);
    ck_assert_msg(code == 3, "SIGINT: exit %d", code);
    /* What finished is saved whole; the cell that was running says
     * interrupted, the ones not started are pending. */
    ck_assert_int_eq(count_named(out, ".tmp."), 0);
    int interrupted = count_status(out, "interrupted"), pending = count_status(out, "pending");
    int finished = count_status(out, "done") + count_status(out, "not_reached") +
                   count_status(out, "target");
    ck_assert_int_eq(interrupted + pending + finished, 12);
    ck_assert_msg(interrupted >= 1, "no interrupted cell (%d pending, %d finished)", pending,
                  finished);
    ck_assert_int_lt(finished, 12);
    char *cells = ts_path("%s/cells", out);
    DIR *d = opendir(cells);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *s = ts_path("%s/%s/summary.json", cells, e->d_name);
        if (ts_exists(s)) {
            char *t = ts_path("%s/%s/trajectory.csv", cells, e->d_name);
            ck_assert_int_ge(whole_lines(t), 2);
            char *j = without_timing(s);
            free(j);
            free(t);
        }
        free(s);
    }
    closedir(d);
    free(cells);
    printf("SIGINT at %.3f s of %.3f s (-j %s): exit 3, %d finished, %d interrupted, %d pending\n",
           0.4 * T, T, jobs, finished, interrupted, pending);
    ts_result r = run_ntr(args);
    fflush(stdout);
    ck_assert_msg(r.code == 0, "resume: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    assert_same_results(ref, out);
    ck_assert_int_eq(ts_rmtree(dir), 0);
    free(ref);
    free(out);
    free(cfg);
    free(dir);
}

START_TEST(sigint_interrupts_and_resumes)
{
    sigint_once("1");
}
END_TEST

START_TEST(sigint_with_workers)
{
    sigint_once("3");
}
END_TEST

/* ---- unwritable output --------------------------------------------------- */

/* The run failed cleanly: nonzero exit that is not a signal, one message
 * starting "ntr-run:" that names `what`. */
static void assert_clean_failure(const ts_result *r, const char *what)
{
    ck_assert_msg(r->code != 0 && r->code < 128 && r->code != 3, "exit %d", r->code);
    ck_assert_msg(strncmp(r->err, "ntr-run: ", 9) == 0, "stderr: %s", r->err);
    ck_assert_msg(strstr(r->err, what) != NULL, "stderr does not name %s: %s", what, r->err);
    ck_assert_msg(!strstr(r->err, "Sanitizer"), "%s", r->err);
}

START_TEST(result_folder_cannot_be_created)
{
    char *dir, *cfg = config_copy("faults/tiny.yaml", &dir);
    /* /dev/full is a character device: no folder can be made inside it. */
    ts_result r = run_ntr((const char *[]){cfg, "-o", "/dev/full/results", "-q", NULL});
    assert_clean_failure(&r, "/dev/full");
    ts_result_free(&r);
    r = run_ntr((const char *[]){cfg, "-o", "/dev/full", "-q", NULL});
    assert_clean_failure(&r, "/dev/full");
    ts_result_free(&r);

    /* A read-only folder.  chmod does not stop root, so as root the
     * read-only place is /proc (a kernel file system refusing mkdir). */
    char *ro = ts_path("%s/ro", dir), *out;
    if (geteuid() != 0) {
        ck_assert_int_eq(mkdir(ro, 0555), 0);
        out = ts_path("%s/results", ro);
    } else {
        out = ts_path("/proc/self/ntr-results-%ld", (long)getpid());
    }
    r = run_ntr((const char *[]){cfg, "-o", out, "-q", NULL});
    assert_clean_failure(&r, "cannot create");
    ck_assert(!ts_exists(out));
    ts_result_free(&r);
    free(out);
    free(ro);
    ck_assert_int_eq(ts_rmtree(dir), 0);
    free(cfg);
    free(dir);
}
END_TEST

/* Every file under a folder, path and bytes, as one text (sorted by readdir
 * order of each folder, which is stable between two listings). */
static void snapshot(const char *dir, const char *rel, FILE *f)
{
    char *path = ts_path("%s%s", dir, rel);
    DIR *d = opendir(path);
    if (!d) {
        size_t len;
        char *t = ts_read_file(path, &len);
        fprintf(f, "== %s %zu\n", rel, t ? len : 0);
        if (t)
            fwrite(t, 1, len, f);
        free(t);
        free(path);
        return;
    }
    struct dirent *e;
    char *names[256];
    int n = 0;
    while ((e = readdir(d)) != NULL && n < 256)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(d);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (int i = 0; i < n; i++) {
        char *sub = ts_path("%s/%s", rel, names[i]);
        snapshot(dir, sub, f);
        free(sub);
        free(names[i]);
    }
    free(path);
}

static char *snapshot_text(const char *dir)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    snapshot(dir, "", f);
    fclose(f);
    return buf;
}

START_TEST(write_failure_keeps_earlier_results)
{
    char *dir, *cfg = config_copy("faults/tiny.yaml", &dir);
    char *out = ts_path("%s/out", dir), *ref = ts_path("%s/ref", dir);
    /* Earlier results: the first half of the cells (shard 1/2). */
    ts_result r = run_ntr((const char *[]){cfg, "-o", out, "-q", "--shard", "1/2", NULL});
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    int before_cells = count_summaries(out);
    ck_assert_int_eq(before_cells, 2);
    char *before = snapshot_text(out);

    /* Now every write past 512 bytes fails with EFBIG, as on a full disk.
     * (A symlink to /dev/full would not do: files are written to
     * NAME.tmp.PID and renamed over NAME, replacing the link.)  The limit
     * and the ignored SIGXFSZ are inherited by ntr-run; this process
     * writes no file while they hold. */
    struct rlimit old, small;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = old;
    small.rlim_cur = 512;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    r = run_ntr((const char *[]){cfg, "-o", out, "-q", NULL});
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    assert_clean_failure(&r, "too large");
    ts_result_free(&r);

    /* The earlier results are untouched and nothing half-written remains. */
    char *after = snapshot_text(out);
    ck_assert_msg(strcmp(before, after) == 0, "earlier results changed");
    ck_assert_int_eq(count_named(out, ".tmp."), 0);

    /* With room again the same command completes the folder. */
    r = run_ntr((const char *[]){cfg, "-o", out, "-q", "--no-plot", NULL});
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    r = run_ntr((const char *[]){cfg, "-o", ref, "-q", "--no-plot", NULL});
    ck_assert_int_eq(r.code, 0);
    ts_result_free(&r);
    assert_same_results(ref, out);
    free(before);
    free(after);
    ck_assert_int_eq(ts_rmtree(dir), 0);
    free(out);
    free(ref);
    free(cfg);
    free(dir);
}
END_TEST

/* ---- gnuplot missing or failing ----------------------------------------- */

/* Run tiny.yaml with PATH set to `path`; results must be complete and the
 * output must tell how to draw later with ntr-plot. */
static void run_with_path(const char *path, const char *dir, const char *cfg)
{
    char *out = ts_path("%s/out", dir);
    char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
    ck_assert_int_eq(setenv("PATH", path, 1), 0);
    ts_result r = run_ntr((const char *[]){cfg, "-o", out, NULL});
    if (old)
        setenv("PATH", old, 1);
    free(old);
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    char *both = ts_path("%s%s", r.out, r.err);
    ck_assert_msg(strstr(both, "warning") && strstr(both, "ntr-plot") && strstr(both, out),
                  "no warning naming ntr-plot and the folder: %s", both);
    free(both);
    ts_result_free(&r);
    ck_assert_int_eq(count_summaries(out), 4);
    char *p = ts_path("%s/summary.csv", out);
    ck_assert_int_eq(whole_lines(p), 5);
    free(p);
    p = ts_path("%s/manifest.json", out);
    ck_assert(ts_exists(p));
    free(p);
    ck_assert_int_eq(count_named(out, ".png"), 0);
    ck_assert_int_eq(count_named(out, ".tmp."), 0);

    /* The advice works: ntr-plot with the real gnuplot draws the figures. */
    char *plot = ts_bin("ntr-plot");
    const char *argv[] = {plot, out, NULL};
    ck_assert_int_eq(ts_run(argv, &r), 0);
    ck_assert_msg(r.code == 0, "ntr-plot: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    ck_assert_int_gt(count_named(out, ".png"), 0);
    free(plot);
    free(out);
}

START_TEST(gnuplot_missing)
{
    char *dir, *cfg = config_copy("faults/tiny.yaml", &dir);
    char *empty = ts_path("%s/empty-bin", dir);
    ck_assert_int_eq(mkdir(empty, 0755), 0);
    run_with_path(empty, dir, cfg);
    free(empty);
    ck_assert_int_eq(ts_rmtree(dir), 0);
    free(cfg);
    free(dir);
}
END_TEST

/* A fake gnuplot (tests/faults/NAME) first in PATH. */
static void fake_gnuplot(const char *name)
{
    char *dir, *cfg = config_copy("faults/tiny.yaml", &dir);
    char *bin = ts_path("%s/fake-bin", dir);
    ck_assert_int_eq(mkdir(bin, 0755), 0);
    char *src = ts_tests(name);
    char *text = ts_read_file(src, NULL);
    ck_assert_ptr_nonnull(text);
    char *dst = ts_path("%s/gnuplot", bin);
    ck_assert_int_eq(ts_write_file(dst, text), 0);
    ck_assert_int_eq(chmod(dst, 0755), 0);
    char *path = ts_path("%s:/usr/local/bin:/usr/bin:/bin", bin);
    run_with_path(path, dir, cfg);
    free(path);
    free(dst);
    free(text);
    free(src);
    free(bin);
    ck_assert_int_eq(ts_rmtree(dir), 0);
    free(cfg);
    free(dir);
}

START_TEST(gnuplot_failing)
{
    fake_gnuplot("faults/gnuplot-fails");
}
END_TEST

START_TEST(gnuplot_crashing)
{
    fake_gnuplot("faults/gnuplot-crashes");
}
END_TEST

/* ---- nothing reaches a shell --------------------------------------------- */

START_TEST(hostile_names_run_nothing)
{
    char *dir, *cfg = config_copy("faults/hostile.yaml", &dir);
    static const char *const files[] = {"a $(touch pwned4).csv",
                                        "b `touch pwned5`'\"q; touch pwned6.csv"};
    for (int i = 0; i < 2; i++) {
        char *p = ts_path("%s/%s", dir, files[i]);
        ck_assert_int_eq(ts_write_file(p, "0.1,0.2,0.3\n0.4,0.5,0.6\n0.7,0.8,0.9\n1,1.1,1.2\n"),
                         0);
        free(p);
    }
    /* Run from inside the scratch folder so that any relative `touch`
     * would land where it is looked for (gnuplot itself runs in plots/). */
    char *cwd = getcwd(NULL, 0);
    ck_assert_ptr_nonnull(cwd);
    ck_assert_int_eq(chdir(dir), 0);
    char *out = ts_path("%s/it's a \"q\" $(touch pwned1) `touch pwned2`; touch pwned3 'x", dir);
    ts_result r = run_ntr((const char *[]){cfg, "-o", out, "-q", NULL});
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    ck_assert_int_eq(count_summaries(out), 2);
    ck_assert_msg(count_named(out, ".png") >= 1, "no figure drawn");
    char *rep = ts_path("%s/report.md", out);
    ck_assert(ts_exists(rep));
    free(rep);
    /* The labels did reach gnuplot: inside single quotes, a quote doubled. */
    char *gp = ts_path("%s/plots/convergence.gp", out);
    char *script = ts_read_file(gp, NULL);
    ck_assert_ptr_nonnull(script);
    ck_assert_msg(strstr(script, "'file=a $(touch pwned4).csv  (n = 1)'") != NULL, "%s", script);
    ck_assert_msg(strstr(script, "`touch pwned5`''\"q; touch pwned6.csv  (n = 1)'") != NULL, "%s",
                  script);
    free(script);
    free(gp);
    /* No command ran: no pwned file in the scratch folder (recursively,
     * plots/ included) or where the test started. */
    for (int i = 1; i <= 6; i++) {
        char name[32];
        snprintf(name, sizeof name, "pwned%d", i);
        ck_assert_msg(count_matching(dir, name, 1) == 0, "%s was created", name);
        ck_assert_msg(!ts_exists(name), "%s was created", name);
    }
    free(out);
    free(cwd);
    ck_assert_int_eq(ts_rmtree(dir), 0);
    free(cfg);
    free(dir);
}
END_TEST

static Suite *faults_suite(void)
{
    Suite *s = suite_create("faults");
    TCase *tc = tcase_create("faults");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, divergence_is_a_status);
    tcase_add_test(tc, kill9_then_resume_equals_uninterrupted);
    tcase_add_test(tc, repeated_kills_then_resume);
    tcase_add_test(tc, kill9_with_workers);
    tcase_add_test(tc, kill9_during_collect);
    tcase_add_test(tc, sigint_interrupts_and_resumes);
    tcase_add_test(tc, sigint_with_workers);
    tcase_add_test(tc, result_folder_cannot_be_created);
    tcase_add_test(tc, write_failure_keeps_earlier_results);
    tcase_add_test(tc, gnuplot_missing);
    tcase_add_test(tc, gnuplot_failing);
    tcase_add_test(tc, gnuplot_crashing);
    tcase_add_test(tc, hostile_names_run_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ts_run_suite(faults_suite());
}

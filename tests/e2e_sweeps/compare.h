/* compare.h: comparing result folders and driving a background ntr-run,
 * for test_workers, test_resume, test_shards and test_batch.
 *
 * Two folders hold the same results when they have the same cells and,
 * cell by cell, byte-identical trajectory.csv and summary.json without its
 * "timing" object, and the same summary.csv without its last column
 * (wall_s): SPEC section 4.  Functions are static inline so that a test
 * includes only what it uses without unused-function warnings. */
#ifndef NTR_TESTS_COMPARE_H
#define NTR_TESTS_COMPARE_H

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/support.h"

/* summary.json text without "timing", keys sorted; NULL if not JSON. */
static inline char *rc_without_timing(const char *json_text)
{
    json_error_t e;
    json_t *o = json_loads(json_text, 0, &e);
    if (!o)
        return NULL;
    json_object_del(o, "timing");
    char *s = json_dumps(o, JSON_SORT_KEYS | JSON_INDENT(1));
    json_decref(o);
    return s;
}

/* A CSV text without the last field of every line. */
static inline char *rc_without_last_column(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(n + 1), *w = out;
    const char *line = text;
    while (out && *line) {
        const char *end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        const char *comma = end;
        while (comma > line && *comma != ',')
            comma--;
        memcpy(w, line, (size_t)(comma - line));
        w += comma - line;
        *w++ = '\n';
        line = *end ? end + 1 : end;
    }
    if (out)
        *w = '\0';
    return out;
}

/* Sorted names of the cell folders of a result folder (NULL-terminated). */
static inline char **rc_cells(const char *dir, size_t *n)
{
    char *p = ts_path("%s/cells", dir);
    DIR *d = opendir(p);
    free(p);
    *n = 0;
    char **names = calloc(4097, sizeof *names);
    struct dirent *e;
    while (d && names && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' && *n < 4096)
            names[(*n)++] = strdup(e->d_name);
    if (d)
        closedir(d);
    for (size_t i = 1; names && i < *n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    return names;
}

static inline void rc_free_cells(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

/* 1 when the files rel in a and b are equal after filter (NULL: bytes). */
static inline int rc_same_file(const char *a, const char *b, const char *rel,
                               char *(*filter)(const char *), char *why, size_t size)
{
    char *pa = ts_path("%s/%s", a, rel), *pb = ts_path("%s/%s", b, rel);
    char *ta = ts_read_file(pa, NULL), *tb = ts_read_file(pb, NULL);
    char *fa = ta && filter ? filter(ta) : NULL, *fb = tb && filter ? filter(tb) : NULL;
    const char *ca = filter ? fa : ta, *cb = filter ? fb : tb;
    int same = ca && cb && strcmp(ca, cb) == 0;
    if (!same)
        snprintf(why, size, "%s differs (or is missing) between %s and %s", rel, a, b);
    free(pa);
    free(pb);
    free(ta);
    free(tb);
    free(fa);
    free(fb);
    return same;
}

/* 1 when a and b hold the same results (see the top of this file); why
 * says what differs otherwise. */
static inline int rc_same_results(const char *a, const char *b, char *why, size_t size)
{
    size_t na, nb;
    char **ca = rc_cells(a, &na), **cb = rc_cells(b, &nb);
    int same = na == nb && na > 0;
    if (!same)
        snprintf(why, size, "%zu cells in %s, %zu in %s", na, a, nb, b);
    for (size_t i = 0; same && i < na; i++) {
        same = strcmp(ca[i], cb[i]) == 0;
        if (!same) {
            snprintf(why, size, "cell %s / %s", ca[i], cb[i]);
            break;
        }
        char *rel = ts_path("cells/%s/trajectory.csv", ca[i]);
        same = rc_same_file(a, b, rel, NULL, why, size);
        free(rel);
        rel = ts_path("cells/%s/summary.json", ca[i]);
        same = same && rc_same_file(a, b, rel, rc_without_timing, why, size);
        free(rel);
    }
    same = same && rc_same_file(a, b, "summary.csv", rc_without_last_column, why, size);
    rc_free_cells(ca, na);
    rc_free_cells(cb, nb);
    return same;
}

/* How many cells' summary.json say status (pending: no summary.json). */
static inline int rc_count_status(const char *dir, const char *status)
{
    size_t n;
    char **cells = rc_cells(dir, &n);
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        char *p = ts_path("%s/cells/%s/summary.json", dir, cells[i]);
        char *t = ts_read_file(p, NULL);
        json_t *o = t ? json_loads(t, 0, NULL) : NULL;
        const char *s = o ? json_string_value(json_object_get(o, "status")) : NULL;
        count += s && strcmp(s, status) == 0;
        json_decref(o);
        free(t);
        free(p);
    }
    rc_free_cells(cells, n);
    return count;
}

/* Number of files under dir/cells whose name holds ".tmp." (temporaries). */
static inline int rc_count_temporaries(const char *dir)
{
    size_t n;
    char **cells = rc_cells(dir, &n);
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        char *p = ts_path("%s/cells/%s", dir, cells[i]);
        DIR *d = opendir(p);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL)
            count += strstr(e->d_name, ".tmp.") != NULL;
        if (d)
            closedir(d);
        free(p);
    }
    rc_free_cells(cells, n);
    return count;
}

/* Start argv in the background, output to /dev/null, in its own process
 * group when new_group (so that a signal can reach the whole group, as
 * Ctrl-C does).  Returns the pid, -1 on failure. */
static inline pid_t rc_spawn(const char *const *argv, int new_group)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (new_group)
            setpgid(0, 0);
        int null_fd = open("/dev/null", O_RDWR);
        if (null_fd >= 0) {
            dup2(null_fd, 0);
            dup2(null_fd, 1);
            dup2(null_fd, 2);
        }
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    if (pid > 0 && new_group)
        setpgid(pid, pid);
    return pid;
}

/* Wait up to timeout_s for pid: its exit code, 128 + signal when killed,
 * -1 on timeout (the process is then killed). */
static inline int rc_wait(pid_t pid, double timeout_s)
{
    struct timespec t0, now, nap = {0, 10 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((double)(now.tv_sec - t0.tv_sec) + 1e-9 * (double)(now.tv_nsec - t0.tv_nsec) >
            timeout_s) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            return -1;
        }
        nanosleep(&nap, NULL);
    }
}

/* Wait (up to timeout_s) until at least n cells of dir have a summary.json;
 * 0 when they do. */
static inline int rc_wait_for_cells(const char *dir, int n, double timeout_s)
{
    struct timespec nap = {0, 5 * 1000 * 1000};
    for (double t = 0; t < timeout_s; t += 0.005) {
        size_t nc;
        char **cells = rc_cells(dir, &nc);
        int done = 0;
        for (size_t i = 0; i < nc; i++) {
            char *p = ts_path("%s/cells/%s/summary.json", dir, cells[i]);
            done += ts_exists(p);
            free(p);
        }
        rc_free_cells(cells, nc);
        if (done >= n)
            return 0;
        nanosleep(&nap, NULL);
    }
    return -1;
}

#endif

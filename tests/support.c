/* support.c: running programs and handling files for the tests (see
 * support.h).  Commands are started with fork + execv from an argument
 * list; their stdout and stderr come back through two pipes read with
 * poll(), so that a chatty program never blocks on a full pipe. */
#include "support.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* A growing byte buffer for one output stream. */
typedef struct ts_buf {
    char *data;
    size_t len, cap;
} ts_buf;

static int buf_append(ts_buf *b, const char *src, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, src, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

static char *buf_take(ts_buf *b, size_t *len)
{
    if (!b->data && buf_append(b, "", 0) != 0)
        return NULL;
    *len = b->len;
    return b->data;
}

/* In the child: wire the pipes and exec; never returns. */
static void child_exec(const char *const *argv, int out_fd, int err_fd)
{
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        close(null_fd);
    }
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    close(out_fd);
    close(err_fd);
    execv(argv[0], (char *const *)argv);
    dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* Read both pipes until both are closed. */
static int drain(int out_fd, int err_fd, ts_buf *out, ts_buf *err)
{
    struct pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    ts_buf *bufs[2] = {out, err};
    int open_fds = 2, rc = 0;
    char chunk[8192];
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !fds[i].revents)
                continue;
            ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n > 0) {
                if (buf_append(bufs[i], chunk, (size_t)n) != 0)
                    rc = -1;
                continue;
            }
            close(fds[i].fd);
            fds[i].fd = -1;
            open_fds--;
        }
    }
    return rc;
}

int ts_run(const char *const *argv, ts_result *r)
{
    memset(r, 0, sizeof *r);
    r->code = -1;
    int po[2], pe[2];
    if (pipe(po) != 0)
        return -1;
    if (pipe(pe) != 0) {
        close(po[0]);
        close(po[1]);
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(po[0]);
        close(po[1]);
        close(pe[0]);
        close(pe[1]);
        return -1;
    }
    if (pid == 0) {
        close(po[0]);
        close(pe[0]);
        child_exec(argv, po[1], pe[1]);
    }
    close(po[1]);
    close(pe[1]);
    ts_buf out = {NULL, 0, 0}, err = {NULL, 0, 0};
    int rc = drain(po[0], pe[0], &out, &err);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            rc = -1;
            status = 0;
            break;
        }
    if (WIFEXITED(status))
        r->code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        r->code = 128 + WTERMSIG(status);
    r->out = buf_take(&out, &r->out_len);
    r->err = buf_take(&err, &r->err_len);
    if (!r->out || !r->err)
        rc = -1;
    return rc;
}

int ts_run_bin(ts_result *r, const char *name, ...)
{
    const char *argv[64];
    char *bin = ts_bin(name);
    int n = 0;
    argv[n++] = bin;
    va_list ap;
    va_start(ap, name);
    for (const char *a = va_arg(ap, const char *); a && n < 63; a = va_arg(ap, const char *))
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    int rc = bin ? ts_run(argv, r) : -1;
    free(bin);
    return rc;
}

void ts_result_free(ts_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

char *ts_first_line(const char *text)
{
    size_t n = strcspn(text ? text : "", "\n");
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, text ? text : "", n);
        s[n] = '\0';
    }
    return s;
}

char *ts_path(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static const char *env_or(const char *name, const char *def)
{
    const char *v = getenv(name);
    return v && v[0] ? v : def;
}

char *ts_bin(const char *name)
{
    return ts_path("%s/%s", env_or("NTR_BIN", "bin"), name);
}

char *ts_tests(const char *rel)
{
    return ts_path("%s/%s", env_or("NTR_TESTS", "tests"), rel);
}

char *ts_tmpdir(void)
{
    char *dir = ts_path("%s/ntr-test.XXXXXX", env_or("TMPDIR", P_tmpdir));
    if (dir && !mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

int ts_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *sub = ts_path("%s/%s", path, e->d_name);
        if (!sub || ts_rmtree(sub) != 0)
            rc = -1;
        free(sub);
    }
    closedir(d);
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

int ts_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

char *ts_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    ts_buf b = {NULL, 0, 0};
    char chunk[8192];
    size_t n;
    int ok = 1;
    while (ok && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ok = buf_append(&b, chunk, n) == 0;
    ok = ok && !ferror(f);
    fclose(f);
    size_t got = 0;
    char *data = ok ? buf_take(&b, &got) : NULL;
    if (!data) {
        free(b.data);
        return NULL;
    }
    if (len)
        *len = got;
    return data;
}

int ts_write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, len, f) == len;
    if (fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

int ts_write_file(const char *path, const char *text)
{
    return ts_write_bytes(path, text, strlen(text));
}

int ts_files_equal(const char *a, const char *b)
{
    size_t la, lb;
    char *da = ts_read_file(a, &la);
    char *db = ts_read_file(b, &lb);
    int same = da && db && la == lb && memcmp(da, db, la) == 0;
    free(da);
    free(db);
    return same;
}

/* Collect "rel size ino mtime" lines under dir/rel into a list. */
typedef struct ts_lines {
    char **v;
    size_t n, cap;
} ts_lines;

static int lines_push(ts_lines *l, char *s)
{
    if (!s)
        return -1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            free(s);
            return -1;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s;
    return 0;
}

static int walk(const char *root, const char *rel, ts_lines *l)
{
    char *dir = rel[0] ? ts_path("%s/%s", root, rel) : ts_path("%s", root);
    DIR *d = dir ? opendir(dir) : NULL;
    int rc = d ? 0 : -1;
    struct dirent *e;
    while (d && rc == 0 && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *sub = rel[0] ? ts_path("%s/%s", rel, e->d_name) : ts_path("%s", e->d_name);
        char *full = ts_path("%s/%s", dir, e->d_name);
        struct stat st;
        if (!sub || !full || lstat(full, &st) != 0) {
            rc = -1;
        } else {
            rc = lines_push(l, ts_path("%s %lld %llu %lld.%09ld", sub, (long long)st.st_size,
                                       (unsigned long long)st.st_ino, (long long)st.st_mtim.tv_sec,
                                       (long)st.st_mtim.tv_nsec));
            if (rc == 0 && S_ISDIR(st.st_mode))
                rc = walk(root, sub, l);
        }
        free(sub);
        free(full);
    }
    if (d)
        closedir(d);
    free(dir);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *ts_tree_snapshot(const char *dir)
{
    ts_lines l = {NULL, 0, 0};
    int rc = walk(dir, "", &l);
    ts_buf b = {NULL, 0, 0};
    if (rc == 0) {
        qsort(l.v, l.n, sizeof *l.v, cmp_str);
        for (size_t i = 0; i < l.n && rc == 0; i++)
            rc = buf_append(&b, l.v[i], strlen(l.v[i])) || buf_append(&b, "\n", 1) ? -1 : 0;
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i]);
    free(l.v);
    size_t len;
    char *out = rc == 0 ? buf_take(&b, &len) : NULL;
    if (!out)
        free(b.data);
    return out;
}

int ts_split_lines(char *text, char **lines, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *s = strtok_r(text, "\n", &save); s && n < max; s = strtok_r(NULL, "\n", &save))
        lines[n++] = s;
    return n;
}

int ts_csv_column(const char *header, const char *name)
{
    size_t len = strlen(name);
    const char *p = header;
    for (int idx = 0;; idx++) {
        const char *end = strchr(p, ',');
        size_t flen = end ? (size_t)(end - p) : strlen(p);
        if (flen == len && strncmp(p, name, len) == 0)
            return idx;
        if (!end)
            return -1;
        p = end + 1;
    }
}

int ts_csv_field(const char *line, int idx, char *buf, size_t size)
{
    const char *p = line;
    for (int i = 0; i < idx && p; i++) {
        p = strchr(p, ',');
        if (p)
            p++;
    }
    if (!p)
        return -1;
    size_t flen = strcspn(p, ",");
    snprintf(buf, size, "%.*s", (int)flen, p);
    return 0;
}

char *ts_without_last_column(const char *text)
{
    char *out = malloc(strlen(text) + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        const char *comma = NULL;
        for (const char *q = p; q < p + len; q++)
            if (*q == ',')
                comma = q;
        size_t keep = comma ? (size_t)(comma - p) : len;
        memcpy(out + o, p, keep);
        o += keep;
        p += len;
        if (*p == '\n')
            out[o++] = *p++;
    }
    out[o] = '\0';
    return out;
}

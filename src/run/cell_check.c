/* cell_check.c: checking a cell's files and moving a damaged cell aside
 * (see cell_check.h). */
#include "run/cell_check.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/files.h"
#include "base/status.h"
#include "output/paths.h"

#define TAIL_BYTES 65536

/* Fields of a CSV line (commas + 1; the project's CSVs quote no field in
 * trajectory.csv). */
static size_t fields(const char *line, size_t len)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += line[i] == ',';
    return n;
}

/* Check trajectory.csv against the summary's last k. */
static int check_trajectory(const char *path, long iterations, char *why, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, size, "trajectory.csv %s", errno == ENOENT ? "is missing" : strerror(errno));
        return -1;
    }
    struct stat st;
    char head[4096], tail[TAIL_BYTES + 1];
    int rc = -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
        snprintf(why, size, "trajectory.csv is empty or not a file");
        goto out;
    }
    ssize_t h = pread(fd, head, sizeof head - 1, 0);
    if (h <= 0) {
        snprintf(why, size, "trajectory.csv cannot be read");
        goto out;
    }
    head[h] = '\0';
    char *nl = strchr(head, '\n');
    if (!nl || strncmp(head, "k,", 2) != 0) {
        snprintf(why, size, "trajectory.csv has no header line");
        goto out;
    }
    size_t ncols = fields(head, (size_t)(nl - head));
    off_t from = st.st_size > TAIL_BYTES ? st.st_size - TAIL_BYTES : 0;
    ssize_t t = pread(fd, tail, TAIL_BYTES, from);
    if (t <= 0) {
        snprintf(why, size, "trajectory.csv cannot be read");
        goto out;
    }
    tail[t] = '\0';
    if (tail[t - 1] != '\n') {
        snprintf(why, size, "trajectory.csv is truncated (it ends in the middle of a row)");
        goto out;
    }
    tail[t - 1] = '\0';
    char *last = strrchr(tail, '\n');
    last = last ? last + 1 : tail;
    if (from == 0 && last == tail) {
        snprintf(why, size, "trajectory.csv holds no row");
        goto out;
    }
    char *end;
    long k = strtol(last, &end, 10);
    if (end == last || *end != ',' || fields(last, strlen(last)) != ncols) {
        snprintf(why, size, "trajectory.csv is truncated (its last row is not whole)");
        goto out;
    }
    if (k != iterations) {
        snprintf(why, size, "trajectory.csv ends at k = %ld, summary.json says %ld", k,
                 iterations);
        goto out;
    }
    rc = 0;
out:
    close(fd);
    return rc;
}

ntr_cell_state ntr_cell_inspect(const char *outdir, const ntr_cell *c, char *why, size_t size)
{
    char path[1200];
    ntr_error err;
    why[0] = '\0';
    if (ntr_cell_path(path, sizeof path, &err, outdir, c->hash, NTR_SUMMARY_JSON) != 0)
        return NTR_CELL_PENDING;
    struct stat st;
    if (stat(path, &st) != 0)
        return NTR_CELL_PENDING;
    json_error_t jerr;
    json_t *o = json_load_file(path, 0, &jerr);
    if (!o || !json_is_object(o)) {
        snprintf(why, size, "summary.json does not parse (%s)", jerr.text);
        json_decref(o);
        return NTR_CELL_DAMAGED;
    }
    const char *name = json_string_value(json_object_get(o, "status"));
    const char *hash = json_string_value(json_object_get(o, "hash"));
    json_t *its = json_object_get(o, "iterations");
    ntr_status code;
    ntr_cell_state state = NTR_CELL_DAMAGED;
    if (!name || ntr_status_parse(name, &code) != 0)
        snprintf(why, size, "summary.json has no known status");
    else if (!ntr_status_is_final(code))
        state = NTR_CELL_PENDING; /* interrupted: runs again anyway */
    else if (hash && strcmp(hash, c->hash) != 0)
        snprintf(why, size, "summary.json is cell %.16s's, not this cell's", hash);
    else if (!json_is_integer(its))
        snprintf(why, size, "summary.json has no iterations");
    else if (ntr_cell_path(path, sizeof path, &err, outdir, c->hash, NTR_TRAJECTORY_CSV) ==
                 0 &&
             check_trajectory(path, (long)json_integer_value(its), why, size) == 0)
        state = NTR_CELL_FINISHED;
    json_decref(o);
    return state;
}

int ntr_cell_move_damaged(const char *outdir, const ntr_cell *c, char *dest, size_t size,
                          ntr_error *err)
{
    char from[1200], base[1200];
    if (ntr_cell_path(from, sizeof from, err, outdir, c->hash, NULL) != 0 ||
        ntr_path(base, sizeof base, err, "%s/damaged", outdir) != 0 || ntr_mkdirs(base, err) != 0)
        return -1;
    for (int i = 1; i < 10000; i++) {
        if (ntr_path(dest, size, err, "%s/%s-%d", base, c->hash, i) != 0)
            return -1;
        if (ntr_exists(dest))
            continue;
        if (rename(from, dest) != 0)
            return ntr_fail(err, NTR_E_IO, "cannot move %s to %s: %s", from, dest,
                            strerror(errno));
        return 0;
    }
    return ntr_fail(err, NTR_E_IO, "%s: too many damaged copies of cell %s", base, c->hash);
}

/* csv.c: reading and writing matrices as CSV files (see csv.h).
 *
 * Reading goes line by line, each line at most NTR_CSV_MAX_LINE bytes
 * (an endless line is refused, not held in memory); each field is parsed with
 * strtod and must be a finite number filling the whole field (surrounding
 * blanks allowed).  Every fault names file:line:column.  The values grow in
 * one buffer whose size is checked against max_entries (and against the
 * wanted shape) before it grows, so a huge or wrong file is refused before
 * it costs memory.  Writing goes to a temporary name in the same folder and
 * is renamed over the target only once complete. */
#include "base/csv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reading state: the growing buffer and where we are in the file. */
typedef struct csv_reader {
    const char *path;
    double *data;
    size_t len, cap;
    size_t rows, cols;
    size_t max_entries;
    size_t want_rows, want_cols;
    ntr_csv_extreme top;
} csv_reader;

static int push_value(csv_reader *r, double v, int line, int col, ntr_error *err)
{
    if (r->max_entries && r->len >= r->max_entries) {
        ntr_pos pos = {r->path, line, col};
        return ntr_fail_at(err, pos, "more than %zu values (the largest matrix accepted here)",
                           r->max_entries);
    }
    if (r->len == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        if (r->max_entries && cap > r->max_entries)
            cap = r->max_entries;
        if (r->want_rows && r->want_cols && cap > r->want_rows * r->want_cols)
            cap = r->want_rows * r->want_cols;
        if (cap <= r->len)
            cap = r->len + 1;
        double *d = realloc(r->data, cap * sizeof *d);
        if (!d)
            return ntr_fail(err, NTR_E_INTERNAL, "%s: out of memory after %zu values", r->path,
                            r->len);
        r->data = d;
        r->cap = cap;
    }
    r->data[r->len++] = v;
    return 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Parse one line (already stripped of its newline) holding a matrix row.
 * The fields are counted first, so that a row of the wrong length is
 * refused before any of it is stored. */
static int parse_row(csv_reader *r, char *s, int line, ntr_error *err)
{
    size_t ncols = 1;
    for (const char *c = s; *c; c++)
        ncols += *c == ',';
    ntr_pos at_end = {r->path, line, (int)strlen(s) + 1};
    if (r->rows == 0) {
        if (r->want_cols && ncols != r->want_cols)
            return ntr_fail_at(err, at_end, "expected %zu columns, found %zu", r->want_cols,
                               ncols);
        r->cols = ncols;
    } else if (ncols != r->cols) {
        return ntr_fail_at(err, at_end, "row has %zu values, the first row has %zu", ncols,
                           r->cols);
    }
    if (r->want_rows && r->rows + 1 > r->want_rows) {
        ntr_pos pos = {r->path, line, 1};
        return ntr_fail_at(err, pos, "expected %zu rows, found more", r->want_rows);
    }
    char *p = s;
    for (;;) {
        while (is_blank(*p))
            p++;
        ntr_pos pos = {r->path, line, (int)(p - s) + 1};
        char *field_end = p;
        while (*field_end && *field_end != ',')
            field_end++;
        char saved = *field_end;
        *field_end = '\0';
        char *q = field_end; /* trim trailing blanks of the field */
        while (q > p && is_blank(q[-1]))
            *--q = '\0';
        if (*p == '\0')
            return ntr_fail_at(err, pos, "empty value");
        errno = 0;
        char *end = NULL;
        double v = strtod(p, &end);
        if (end == p || *end != '\0')
            return ntr_fail_at(err, pos, "'%s' is not a number", p);
        /* strtod accepts nan and inf and overflows to inf; underflow to a
         * tiny value (ERANGE with a finite result) is harmless. */
        if (!isfinite(v))
            return ntr_fail_at(err, pos, "'%s' is not a finite number", p);
        if (push_value(r, v, line, pos.col, err) != 0)
            return -1;
        if (fabs(v) > fabs(r->top.value)) {
            r->top.value = v;
            r->top.line = line;
            r->top.col = pos.col;
        }
        if (saved == '\0')
            break;
        p = field_end + 1;
    }
    r->rows++;
    return 0;
}

static int skip_line(const char *s)
{
    while (is_blank(*s))
        s++;
    return *s == '\0' || *s == '#';
}

/* One line of f into *buf (grown as needed, at most NTR_CSV_MAX_LINE
 * bytes), without its newline; its length, or -1 at the end of the file, or
 * -2 when the line is too long. */
static ssize_t read_line(FILE *f, char **buf, size_t *cap)
{
    size_t len = 0;
    int c = 0;
    /* the stream is this reader's alone: no per-character locking */
    while ((c = getc_unlocked(f)) != EOF) {
        if (len + 1 >= *cap) {
            if (*cap >= NTR_CSV_MAX_LINE)
                return -2;
            size_t ncap = *cap ? 2 * *cap : 256;
            char *nb = realloc(*buf, ncap);
            if (!nb)
                return -3;
            *buf = nb;
            *cap = ncap;
        }
        if (c == '\n')
            break;
        (*buf)[len++] = (char)c;
    }
    if (c == EOF && len == 0)
        return -1;
    (*buf)[len] = '\0';
    return (ssize_t)len;
}

int ntr_csv_read(const char *path, size_t want_rows, size_t want_cols, size_t max_entries,
                 double **data, size_t *rows, size_t *cols, ntr_error *err)
{
    return ntr_csv_read_ex(path, want_rows, want_cols, max_entries, data, rows, cols, NULL, err);
}

int ntr_csv_read_ex(const char *path, size_t want_rows, size_t want_cols, size_t max_entries,
                    double **data, size_t *rows, size_t *cols, ntr_csv_extreme *top,
                    ntr_error *err)
{
    if (top)
        memset(top, 0, sizeof *top);
    *data = NULL;
    if (rows)
        *rows = 0;
    if (cols)
        *cols = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        int e = errno;
        ntr_pos pos = {path, 0, 0};
        return ntr_fail_at(err, pos, "cannot open %s: %s", path, strerror(e));
    }
    csv_reader r = {path, NULL, 0, 0, 0, 0, max_entries, want_rows, want_cols, {0, 0, 0}};
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t got;
    int lineno = 0, rc = 0;
    for (;;) {
        got = read_line(f, &line, &line_cap);
        if (got == -1)
            break;
        lineno++;
        if (got == -2) {
            ntr_pos pos = {path, lineno, 1};
            rc = ntr_fail_at(err, pos, "line longer than %zu MiB: not a matrix file",
                             NTR_CSV_MAX_LINE >> 20);
            break;
        }
        if (got == -3) {
            rc = ntr_fail(err, NTR_E_INTERNAL, "%s: out of memory at line %d", path, lineno);
            break;
        }
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = '\0';
        if ((size_t)got != strlen(line)) {
            ntr_pos pos = {path, lineno, (int)strlen(line) + 1};
            rc = ntr_fail_at(err, pos, "NUL byte in a text file");
            break;
        }
        if (skip_line(line))
            continue;
        if (parse_row(&r, line, lineno, err) != 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        ntr_pos pos = {path, 0, 0};
        rc = ntr_fail_at(err, pos, "cannot read %s: %s", path, strerror(errno));
    }
    free(line);
    fclose(f);
    if (rc == 0 && r.rows == 0) {
        ntr_pos pos = {path, 0, 0};
        rc = ntr_fail_at(err, pos, "no data (the file is empty or holds only comments)");
    }
    if (rc == 0 && want_rows && r.rows != want_rows) {
        ntr_pos pos = {path, 0, 0};
        rc = ntr_fail_at(err, pos, "expected %zu rows, found %zu", want_rows, r.rows);
    }
    if (rc != 0) {
        free(r.data);
        return -1;
    }
    *data = r.data;
    if (top)
        *top = r.top;
    if (rows)
        *rows = r.rows;
    if (cols)
        *cols = r.cols;
    return 0;
}

int ntr_csv_write(const char *path, const double *data, size_t rows, size_t cols,
                  ntr_error *err)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + 32);
    if (!tmp)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    snprintf(tmp, len + 32, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        int e = errno;
        ntr_fail(err, NTR_E_IO, "cannot write %s: %s", path, strerror(e));
        free(tmp);
        return -1;
    }
    int bad = 0;
    for (size_t i = 0; i < rows && !bad; i++)
        for (size_t j = 0; j < cols && !bad; j++)
            if (fprintf(f, "%.17g%s", data[i * cols + j], j + 1 < cols ? "," : "\n") < 0)
                bad = 1;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(tmp, path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        remove(tmp);
        ntr_fail(err, NTR_E_IO, "cannot write %s: %s", path, strerror(e));
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

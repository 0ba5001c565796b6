/* table.c: reading a CSV file with a header into named columns (see table.h).
 *
 * The whole file is read into one buffer and split in place: each field's
 * text is unquoted where it lies (unquoting only ever shrinks it) and ended
 * with a NUL, so a table costs the file's bytes plus a pointer, a double and
 * a few small integers per cell. */
#include "base/table.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CELL_EMPTY = 0, CELL_NUM = 1, CELL_TEXT = 2 };

struct ntr_table {
    char *path;           /* file name for messages */
    char *buf;            /* the text, split in place */
    size_t ncols, nrows, cap_rows;
    char **names;         /* ncols, into buf */
    int *name_col;        /* column (1-based) of each header field */
    int header_line;
    char **cells;         /* nrows * ncols, into buf */
    double *vals;         /* nrows * ncols */
    unsigned char *kind;  /* nrows * ncols: CELL_* */
    int *cell_line;       /* nrows * ncols: line where the cell starts */
    int *cell_col;        /* nrows * ncols: column where the cell starts */
};

/* One field found by the splitter, before it is stored. */
typedef struct field {
    char *text;
    int line, col;
} field;

typedef struct splitter {
    char *buf;
    size_t len, r;
    int line;
    size_t line_start;
    const char *name;
} splitter;

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int fail_at(ntr_error *err, const char *name, int line, int col, const char *fmt,
                   const char *arg)
{
    ntr_pos pos = {name, line, col};
    return ntr_fail_at(err, pos, fmt, arg);
}

/* Split one record (the splitter stands at a non-empty line) into *fields. */
static int split_record(splitter *s, field **fields, size_t *nf, size_t *capf, ntr_error *err)
{
    *nf = 0;
    for (;;) {
        if (*nf == *capf) {
            size_t cap = *capf ? 2 * *capf : 16;
            field *f = realloc(*fields, cap * sizeof *f);
            if (!f)
                return ntr_fail(err, NTR_E_INTERNAL, "out of memory reading %s", s->name);
            *fields = f;
            *capf = cap;
        }
        field *f = &(*fields)[(*nf)++];
        f->line = s->line;
        f->col = (int)(s->r - s->line_start) + 1;
        size_t w = s->r;
        f->text = s->buf + w;
        if (s->r < s->len && s->buf[s->r] == '"') {
            s->r++;
            for (;;) {
                if (s->r >= s->len)
                    return fail_at(err, s->name, f->line, f->col,
                                   "unterminated quoted field%s", "");
                char c = s->buf[s->r];
                if (c == '"') {
                    if (s->r + 1 < s->len && s->buf[s->r + 1] == '"') {
                        s->buf[w++] = '"';
                        s->r += 2;
                        continue;
                    }
                    s->r++;
                    break;
                }
                if (c == '\n') {
                    s->line++;
                    s->line_start = s->r + 1;
                }
                s->buf[w++] = c;
                s->r++;
            }
            if (s->r < s->len) {
                char c = s->buf[s->r];
                int crlf = c == '\r' && (s->r + 1 == s->len || s->buf[s->r + 1] == '\n');
                if (c != ',' && c != '\n' && !crlf)
                    return fail_at(err, s->name, s->line, (int)(s->r - s->line_start) + 1,
                                   "unexpected character after a closing quote%s", "");
            }
        } else {
            while (s->r < s->len) {
                char c = s->buf[s->r];
                if (c == ',' || c == '\n')
                    break;
                if (c == '\r' && (s->r + 1 == s->len || s->buf[s->r + 1] == '\n'))
                    break;
                if (c == '"')
                    return fail_at(err, s->name, s->line, (int)(s->r - s->line_start) + 1,
                                   "a quote inside an unquoted field (quote the whole field)%s",
                                   "");
                s->r++;
            }
            w = s->r;
        }
        char delim = (char)(s->r < s->len ? s->buf[s->r] : '\n');
        s->buf[w] = '\0'; /* w <= r: the delimiter has been read already */
        if (s->r < s->len)
            s->r++;
        if (delim == ',')
            continue;
        if (delim == '\r' && s->r < s->len)
            s->r++; /* the '\n' of a CRLF */
        s->line++;
        s->line_start = s->r;
        return 0;
    }
}

/* Skip empty lines ("" or "\r"); 0 when the text is exhausted. */
static int skip_empty_lines(splitter *s)
{
    while (s->r < s->len) {
        if (s->buf[s->r] == '\n') {
            s->r++;
        } else if (s->buf[s->r] == '\r' && (s->r + 1 == s->len || s->buf[s->r + 1] == '\n')) {
            s->r += s->r + 1 < s->len ? 2 : 1;
        } else {
            return 1;
        }
        s->line++;
        s->line_start = s->r;
    }
    return 0;
}

static char *trim(char *p)
{
    while (is_blank(*p))
        p++;
    size_t n = strlen(p);
    while (n > 0 && is_blank(p[n - 1]))
        p[--n] = '\0';
    return p;
}

static void classify(const char *text, double *val, unsigned char *kind)
{
    const char *p = text;
    while (is_blank(*p))
        p++;
    if (!*p) {
        *val = NAN;
        *kind = CELL_EMPTY;
        return;
    }
    char *end;
    errno = 0;
    double v = strtod(p, &end);
    while (end != p && is_blank(*end))
        end++;
    if (end == p || *end) {
        *val = NAN;
        *kind = CELL_TEXT;
        return;
    }
    *val = v;
    *kind = CELL_NUM;
}

static int set_header(ntr_table *t, field *f, size_t nf, ntr_error *err)
{
    t->ncols = nf;
    t->names = malloc(nf * sizeof *t->names);
    t->name_col = malloc(nf * sizeof *t->name_col);
    if (!t->names || !t->name_col)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory reading %s", t->path);
    t->header_line = f[0].line;
    for (size_t j = 0; j < nf; j++) {
        t->names[j] = trim(f[j].text);
        t->name_col[j] = f[j].col;
        if (!t->names[j][0])
            return fail_at(err, t->path, f[j].line, f[j].col, "empty column name in the header%s",
                           "");
        for (size_t i = 0; i < j; i++)
            if (strcmp(t->names[i], t->names[j]) == 0)
                return fail_at(err, t->path, f[j].line, f[j].col,
                               "column '%s' appears twice in the header", t->names[j]);
    }
    return 0;
}

static int add_row(ntr_table *t, field *f, size_t nf, ntr_error *err)
{
    if (nf != t->ncols) {
        char msg[96];
        snprintf(msg, sizeof msg, "%zu fields but the header has %zu", nf, t->ncols);
        int col = nf > t->ncols ? f[t->ncols].col : f[nf - 1].col;
        int ln = nf > t->ncols ? f[t->ncols].line : f[nf - 1].line;
        return fail_at(err, t->path, ln, col, "row has %s", msg);
    }
    if (t->nrows == t->cap_rows) {
        size_t cap = t->cap_rows ? 2 * t->cap_rows : 64;
        size_t n = cap * t->ncols;
        char **c = realloc(t->cells, n * sizeof *c);
        if (c)
            t->cells = c;
        double *v = realloc(t->vals, n * sizeof *v);
        if (v)
            t->vals = v;
        unsigned char *k = realloc(t->kind, n);
        if (k)
            t->kind = k;
        int *cc = realloc(t->cell_col, n * sizeof *cc);
        if (cc)
            t->cell_col = cc;
        int *rl = realloc(t->cell_line, n * sizeof *rl);
        if (rl)
            t->cell_line = rl;
        if (!c || !v || !k || !cc || !rl)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory reading %s", t->path);
        t->cap_rows = cap;
    }
    size_t base = t->nrows * t->ncols;
    for (size_t j = 0; j < nf; j++) {
        t->cells[base + j] = f[j].text;
        t->cell_line[base + j] = f[j].line;
        t->cell_col[base + j] = f[j].col;
        classify(f[j].text, &t->vals[base + j], &t->kind[base + j]);
    }
    t->nrows++;
    return 0;
}

int ntr_table_parse(const char *name, const char *text, size_t len, ntr_table **out,
                    ntr_error *err)
{
    *out = NULL;
    ntr_table *t = calloc(1, sizeof *t);
    if (!t)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory reading %s", name);
    t->path = strdup(name);
    t->buf = malloc(len + 1);
    if (!t->path || !t->buf) {
        ntr_table_free(t);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory reading %s", name);
    }
    memcpy(t->buf, text, len);
    t->buf[len] = '\0';
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        int line = 1;
        size_t ls = 0;
        for (size_t i = 0; i < (size_t)(nul - text); i++)
            if (text[i] == '\n') {
                line++;
                ls = i + 1;
            }
        fail_at(err, t->path, line, (int)((size_t)(nul - text) - ls) + 1,
                "NUL byte in a text file%s", "");
        ntr_table_free(t);
        return -1;
    }
    splitter s = {t->buf, len, 0, 1, 0, t->path};
    field *fields = NULL;
    size_t nf = 0, capf = 0;
    int rc = 0, have_header = 0;
    while (rc == 0 && skip_empty_lines(&s)) {
        rc = split_record(&s, &fields, &nf, &capf, err);
        if (rc == 0)
            rc = have_header ? add_row(t, fields, nf, err) : set_header(t, fields, nf, err);
        have_header = 1;
    }
    free(fields);
    if (rc == 0 && !have_header)
        rc = ntr_fail_at(err, (ntr_pos){t->path, 1, 1}, "empty file: no header line");
    if (rc != 0) {
        ntr_table_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

int ntr_table_read(const char *path, ntr_table **out, ntr_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return ntr_fail_at(err, (ntr_pos){path, 0, 0}, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int rc = buf ? 0 : ntr_fail(err, NTR_E_INTERNAL, "out of memory reading %s", path);
    while (rc == 0) {
        if (len == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory reading %s", path);
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                rc = ntr_fail_at(err, (ntr_pos){path, 0, 0}, "read error");
            break;
        }
    }
    fclose(f);
    if (rc == 0)
        rc = ntr_table_parse(path, buf, len, out, err);
    free(buf);
    return rc;
}

void ntr_table_free(ntr_table *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->buf);
    free(t->names);
    free(t->name_col);
    free(t->cells);
    free(t->vals);
    free(t->kind);
    free(t->cell_line);
    free(t->cell_col);
    free(t);
}

size_t ntr_table_rows(const ntr_table *t) { return t->nrows; }
size_t ntr_table_cols(const ntr_table *t) { return t->ncols; }
const char *ntr_table_name(const ntr_table *t, size_t col) { return t->names[col]; }
const char *ntr_table_path(const ntr_table *t) { return t->path; }

long ntr_table_find(const ntr_table *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (strcmp(t->names[j], name) == 0)
            return (long)j;
    return -1;
}

int ntr_table_require(const ntr_table *t, const char *name, size_t *col, ntr_error *err)
{
    long j = ntr_table_find(t, name);
    if (j < 0)
        return fail_at(err, t->path, t->header_line, 1, "missing column '%s' in the header", name);
    *col = (size_t)j;
    return 0;
}

const char *ntr_table_str(const ntr_table *t, size_t row, size_t col)
{
    return t->cells[row * t->ncols + col];
}

int ntr_table_is_empty(const ntr_table *t, size_t row, size_t col)
{
    return t->kind[row * t->ncols + col] == CELL_EMPTY;
}

int ntr_table_is_num(const ntr_table *t, size_t row, size_t col)
{
    return t->kind[row * t->ncols + col] == CELL_NUM;
}

double ntr_table_num(const ntr_table *t, size_t row, size_t col)
{
    return t->vals[row * t->ncols + col];
}

ntr_pos ntr_table_pos(const ntr_table *t, size_t row, size_t col)
{
    ntr_pos pos = {t->path, t->cell_line[row * t->ncols + col], t->cell_col[row * t->ncols + col]};
    return pos;
}

int ntr_table_get_num(const ntr_table *t, size_t row, size_t col, int allow_empty, double *v,
                      ntr_error *err)
{
    size_t i = row * t->ncols + col;
    if (t->kind[i] == CELL_NUM || (allow_empty && t->kind[i] == CELL_EMPTY)) {
        *v = t->vals[i];
        return 0;
    }
    ntr_pos pos = ntr_table_pos(t, row, col);
    if (t->kind[i] == CELL_EMPTY)
        return ntr_fail_at(err, pos, "column '%s': empty, a number is needed", t->names[col]);
    return ntr_fail_at(err, pos, "column '%s': '%.60s' is not a number", t->names[col],
                       t->cells[i]);
}

int ntr_table_column(const ntr_table *t, size_t col, int allow_empty, double *out,
                     ntr_error *err)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (ntr_table_get_num(t, i, col, allow_empty, &out[i], err) != 0)
            return -1;
    return 0;
}

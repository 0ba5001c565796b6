/* trajectory.c: the public trajectory object (see trajectory.h and
 * ntr/ntr.h): parsing a trajectory.csv text once, then reading it by row
 * and column. */
#include "api/trajectory.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ntr_trajectory {
    size_t rows, cols;
    char **names;     /* cols column names */
    double *values;   /* rows x cols, row-major */
    char status[24];
    char hash[24];
};

/* Number of fields of a line (up to its end or newline). */
static size_t count_fields(const char *line)
{
    size_t n = 1;
    for (const char *c = line; *c && *c != '\n'; c++)
        n += *c == ',';
    return n;
}

static int parse_header(ntr_trajectory *t, const char *line, ntr_error *err)
{
    t->cols = count_fields(line);
    t->names = calloc(t->cols, sizeof *t->names);
    if (!t->names)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    const char *c = line;
    for (size_t j = 0; j < t->cols; j++) {
        size_t len = strcspn(c, ",\n");
        t->names[j] = strndup(c, len);
        if (!t->names[j])
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        c += len + (c[len] == ',');
    }
    return 0;
}

/* One row of numbers into out (cols values). */
static int parse_row(const ntr_trajectory *t, const char *line, size_t row, double *out,
                     ntr_error *err)
{
    const char *c = line;
    for (size_t j = 0; j < t->cols; j++) {
        size_t len = strcspn(c, ",\n");
        char *end = (char *)c;
        out[j] = len ? strtod(c, &end) : NAN;
        if (len && end != c + len)
            return ntr_fail(err, NTR_E_INTERNAL, "trajectory row %zu, column %s: not a number",
                            row + 1, t->names[j]);
        int last = c[len] != ',';
        if (last != (j + 1 == t->cols))
            return ntr_fail(err, NTR_E_INTERNAL, "trajectory row %zu: %s fields than columns",
                            row + 1, last ? "fewer" : "more");
        c += len + !last;
    }
    return 0;
}

ntr_trajectory *ntr_trajectory_parse(const char *csv, const char *status, const char *hash,
                                     ntr_error *err)
{
    ntr_trajectory *t = calloc(1, sizeof *t);
    if (!t) {
        ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        return NULL;
    }
    snprintf(t->status, sizeof t->status, "%s", status);
    snprintf(t->hash, sizeof t->hash, "%s", hash);
    size_t lines = 0;
    for (const char *c = csv; *c; c++)
        lines += *c == '\n';
    if (!csv[0] || parse_header(t, csv, err) != 0)
        goto fail;
    t->values = malloc((lines ? lines : 1) * t->cols * sizeof *t->values);
    if (!t->values) {
        ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        goto fail;
    }
    for (const char *line = strchr(csv, '\n'); line && line[1]; line = strchr(line, '\n')) {
        line++;
        if (parse_row(t, line, t->rows, t->values + t->rows * t->cols, err) != 0)
            goto fail;
        t->rows++;
    }
    return t;
fail:
    if (!csv[0])
        ntr_fail(err, NTR_E_INTERNAL, "empty trajectory");
    ntr_trajectory_free(t);
    return NULL;
}

size_t ntr_trajectory_rows(const ntr_trajectory *t) { return t->rows; }

size_t ntr_trajectory_columns(const ntr_trajectory *t) { return t->cols; }

const char *ntr_trajectory_column_name(const ntr_trajectory *t, size_t col)
{
    return col < t->cols ? t->names[col] : NULL;
}

long ntr_trajectory_column_index(const ntr_trajectory *t, const char *name)
{
    for (size_t j = 0; j < t->cols; j++)
        if (strcmp(t->names[j], name) == 0)
            return (long)j;
    return -1;
}

double ntr_trajectory_value(const ntr_trajectory *t, size_t row, size_t col)
{
    return row < t->rows && col < t->cols ? t->values[row * t->cols + col] : NAN;
}

const char *ntr_trajectory_status(const ntr_trajectory *t) { return t->status; }

const char *ntr_trajectory_hash(const ntr_trajectory *t) { return t->hash; }

void ntr_trajectory_free(ntr_trajectory *t)
{
    if (!t)
        return;
    for (size_t j = 0; t->names && j < t->cols; j++)
        free(t->names[j]);
    free(t->names);
    free(t->values);
    free(t);
}

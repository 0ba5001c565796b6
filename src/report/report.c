/* report.c: assembling report.md from its section builders (see report.h).
 *
 * The page is built in memory (open_memstream) and written whole with a
 * temporary name + rename only when every builder succeeded. */
#include "report/report.h"

#include <jansson.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output/files.h"

struct ntr_report {
    FILE *out;
    const ntr_table *summary;
    const ntr_groups *groups;
};

int ntr_report_section(ntr_report *r, const char *title)
{
    fputs("\n## ", r->out);
    ntr_report_text(r, title);
    fputs("\n\n", r->out);
    return ferror(r->out) ? -1 : 0;
}

int ntr_report_printf(ntr_report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->out, fmt, ap);
    va_end(ap);
    return ferror(r->out) ? -1 : 0;
}

int ntr_report_text(ntr_report *r, const char *text)
{
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f)
            c = ' ';
        else if (strchr("\\`*_[]<>|#~!$", c))
            fputc('\\', r->out);
        fputc(c, r->out);
    }
    return ferror(r->out) ? -1 : 0;
}

int ntr_report_code(ntr_report *r, const char *text, int in_table)
{
    if (!*text)
        return ntr_report_printf(r, "(empty)");
    /* The fence is one backtick longer than the longest run inside. */
    size_t run = 0, longest = 0;
    for (const char *p = text; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    size_t n = strlen(text);
    int pad = text[0] == '`' || text[n - 1] == '`' || text[0] == ' ' || text[n - 1] == ' ';
    for (size_t i = 0; i <= longest; i++)
        fputc('`', r->out);
    if (pad)
        fputc(' ', r->out);
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f)
            c = ' ';
        else if (c == '|' && in_table)
            fputc('\\', r->out);
        fputc(c, r->out);
    }
    if (pad)
        fputc(' ', r->out);
    for (size_t i = 0; i <= longest; i++)
        fputc('`', r->out);
    return ferror(r->out) ? -1 : 0;
}

const ntr_table *ntr_report_summary(const ntr_report *r)
{
    return r->summary;
}

const ntr_groups *ntr_report_groups(const ntr_report *r)
{
    return r->groups;
}

int ntr_report_bold_line(ntr_report *r, const char *text)
{
    fputs("**", r->out);
    ntr_report_text(r, text ? text : "");
    return ntr_report_printf(r, "**\n\n");
}

void ntr_report_num_cell(ntr_report *r, const ntr_table *t, size_t row, const char *col,
                         int digits)
{
    long c = ntr_table_find(t, col);
    double v = c >= 0 ? ntr_table_num(t, row, (size_t)c) : NAN;
    if (isnan(v))
        ntr_report_printf(r, " - |");
    else
        ntr_report_printf(r, " %.*g |", digits, v);
}

void ntr_report_figure(ntr_report *r, const char *result_dir, const char *stem,
                       const char *caption)
{
    char path[1200];
    ntr_error tmp;
    if (ntr_path(path, sizeof path, &tmp, "%s/plots/%s.png", result_dir, stem) != 0 ||
        !ntr_exists(path))
        return;
    ntr_report_printf(r, "\n![");
    ntr_report_text(r, caption);
    ntr_report_printf(r, "](plots/%s.png)\n", stem);
}

static int cmp_never_last(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    if (isnan(x) || isnan(y))
        return isnan(x) - isnan(y);
    return (x > y) - (x < y);
}

double ntr_report_median_never(double *values, size_t n, size_t *reached)
{
    size_t ok = 0;
    for (size_t i = 0; i < n; i++)
        ok += !isnan(values[i]);
    if (reached)
        *reached = ok;
    if (n == 0)
        return NAN;
    qsort(values, n, sizeof *values, cmp_never_last);
    double a = values[(n - 1) / 2], b = values[n / 2];
    if (isnan(a) || isnan(b))
        return NAN;
    return 0.5 * (a + b);
}

int ntr_report_write(const char *result_dir, ntr_error *err)
{
    struct stat st;
    if (stat(result_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ntr_fail(err, NTR_E_INPUT, "no result folder %s", result_dir);
    char spath[1100], rpath[1100];
    if (ntr_path(spath, sizeof spath, err, "%s/summary.csv", result_dir) != 0 ||
        ntr_path(rpath, sizeof rpath, err, "%s/report.md", result_dir) != 0)
        return -1;
    ntr_table *summary = NULL;
    ntr_groups groups = {0, NULL};
    char *text = NULL;
    size_t len = 0;
    FILE *out = NULL;
    int rc = ntr_table_read(spath, &summary, err);
    if (rc == 0)
        rc = ntr_groups_from_summary(summary, &groups, err);
    if (rc == 0 && !(out = open_memstream(&text, &len)))
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (rc == 0) {
        ntr_report r = {out, summary, &groups};
        size_t n;
        const ntr_report_entry *b = ntr_report_builders(&n);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            rc = b[i].build(&r, result_dir, err);
            if (rc == 0 && ferror(out))
                rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory writing the report");
        }
        if (fclose(out) != 0 && rc == 0)
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory writing the report");
        if (rc == 0)
            rc = ntr_write_atomic(rpath, text, len, err);
    }
    free(text);
    ntr_groups_free(&groups);
    ntr_table_free(summary);
    return rc;
}

int ntr_report_study_files(const char *result_dir, const char *json_name, const char *csv_name,
                           json_t **o, ntr_table **t, ntr_error *err)
{
    *o = NULL;
    *t = NULL;
    char jpath[1100], cpath[1100];
    if (ntr_path(jpath, sizeof jpath, err, "%s/%s", result_dir, json_name) != 0 ||
        ntr_path(cpath, sizeof cpath, err, "%s/%s", result_dir, csv_name) != 0)
        return -1;
    if (!ntr_exists(jpath))
        return 0;
    json_error_t jerr;
    json_t *j = json_load_file(jpath, 0, &jerr);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        return ntr_fail(err, NTR_E_INPUT, "%s: unreadable (%s)", jpath, jerr.text);
    }
    if (ntr_table_read(cpath, t, err) != 0) {
        json_decref(j);
        return -1;
    }
    *o = j;
    return 0;
}

/* The group's median K for each target column K_t, as the final values
 * table writes it: "383 (3/3)" or "never (0/3)". */
void ntr_report_hitting_times(ntr_report *r, const ntr_table *t, const ntr_group *gr, double *work)
{
    for (size_t j = 0; j < ntr_table_cols(t); j++) {
        if (strncmp(ntr_table_name(t, j), "K_", 2) != 0)
            continue;
        for (size_t c = 0; c < gr->ncells; c++)
            work[c] = ntr_table_num(t, gr->rows[c], j);
        size_t reached;
        double k = ntr_report_median_never(work, gr->ncells, &reached);
        if (isnan(k))
            ntr_report_printf(r, " never (%zu/%zu) |", reached, gr->ncells);
        else
            ntr_report_printf(r, " %.6g (%zu/%zu) |", k, reached, gr->ncells);
    }
}

size_t ntr_report_hitting_headers(ntr_report *r, const ntr_table *t)
{
    size_t nk = 0;
    for (size_t j = 0; j < ntr_table_cols(t); j++)
        if (strncmp(ntr_table_name(t, j), "K_", 2) == 0) {
            ntr_report_printf(r, " K(");
            ntr_report_text(r, ntr_table_name(t, j) + 2);
            ntr_report_printf(r, ") |");
            nk++;
        }
    return nk;
}

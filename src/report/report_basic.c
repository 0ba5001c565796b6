/* report_basic.c: the sections every report has (see report_basic.h):
 * the title, what ran, the final values per group, and the figures. */
#include "report/report_basic.h"

#include <dirent.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "output/files.h"
#include "plot/plot.h"
#include "base/status.h"


/* The top-level `name:` of a YAML file into buf; 0 when found. */
static int yaml_top_name(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        fclose(f);
        return -1;
    }
    yaml_parser_set_input_file(&p, f);
    int depth = 0, found = -1, want_value = 0, is_key = 1;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev))
            break;
        yaml_event_type_t type = ev.type;
        if (type == YAML_SCALAR_EVENT && depth == 1) {
            const char *v = (const char *)ev.data.scalar.value;
            if (want_value) {
                snprintf(buf, size, "%s", v);
                found = 0;
            }
            want_value = is_key && strcmp(v, "name") == 0;
            is_key = !is_key;
        } else if (type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT) {
            if (depth == 1) {
                want_value = 0;
                is_key = 1; /* a nested value ends a pair */
            }
            depth++;
        } else if (type == YAML_MAPPING_END_EVENT || type == YAML_SEQUENCE_END_EVENT) {
            depth--;
        }
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT || found == 0 || depth < 0)
            break;
    }
    yaml_parser_delete(&p);
    fclose(f);
    return found;
}

int ntr_report_title(ntr_report *r, const char *result_dir, ntr_error *err)
{
    char name[256] = "";
    char cfg[1100];
    if (ntr_path(cfg, sizeof cfg, err, "%s/config.yaml", result_dir) != 0)
        return -1;
    if (yaml_top_name(cfg, name, sizeof name) != 0 || !name[0]) {
        /* No config: the folder's own name. */
        size_t n = strlen(result_dir);
        while (n > 1 && result_dir[n - 1] == '/')
            n--;
        size_t s = n;
        while (s > 0 && result_dir[s - 1] != '/')
            s--;
        snprintf(name, sizeof name, "%.*s", (int)(n - s), result_dir + s);
    }
    ntr_report_printf(r, "# ntr report: ");
    ntr_report_text(r, name);
    return ntr_report_printf(r, "\n\nMade from the files of this result folder; "
                                "`ntr-plot` on the folder rebuilds it with its figures.\n");
}

/* "- key: value" for a string member of the manifest, when present. */
static void manifest_line(ntr_report *r, json_t *m, const char *key, const char *label)
{
    json_t *v = json_object_get(m, key);
    if (!json_is_string(v))
        return;
    ntr_report_printf(r, "- %s: ", label);
    ntr_report_code(r, json_string_value(v), 0);
    ntr_report_printf(r, "\n");
}

static void what_ran_manifest(ntr_report *r, const char *result_dir)
{
    char path[1100];
    if (ntr_path(path, sizeof path, NULL, "%s/manifest.json", result_dir) != 0)
        return;
    if (access(path, F_OK) != 0) {
        ntr_report_printf(r, "- manifest.json: absent\n");
        return;
    }
    json_error_t jerr;
    json_t *m = json_load_file(path, 0, &jerr);
    if (!json_is_object(m)) {
        ntr_report_printf(r, "- manifest.json: unreadable (line %d, column %d: ", jerr.line,
                          jerr.column);
        ntr_report_text(r, m ? "not a JSON object" : jerr.text);
        ntr_report_printf(r, ")\n");
        json_decref(m);
        return;
    }
    json_t *tool = json_object_get(m, "tool"), *ver = json_object_get(m, "version");
    json_t *commit = json_object_get(m, "git_commit");
    ntr_report_printf(r, "- tool: ");
    ntr_report_text(r, json_is_string(tool) ? json_string_value(tool) : "ntr");
    if (json_is_string(ver)) {
        ntr_report_printf(r, " ");
        ntr_report_text(r, json_string_value(ver));
    }
    if (json_is_string(commit)) {
        ntr_report_printf(r, " (commit ");
        ntr_report_text(r, json_string_value(commit));
        ntr_report_printf(r, ")");
    }
    ntr_report_printf(r, "\n");
    manifest_line(r, m, "config", "config");
    manifest_line(r, m, "command", "command");
    manifest_line(r, m, "started", "started");
    manifest_line(r, m, "finished", "finished");
    manifest_line(r, m, "host", "host");
    manifest_line(r, m, "compiler", "compiler");
    manifest_line(r, m, "blas", "BLAS");
    json_t *cells = json_object_get(m, "cells");
    if (json_is_integer(cells))
        ntr_report_printf(r, "- cells planned: %lld\n", (long long)json_integer_value(cells));
    json_decref(m);
}

/* "done 2, diverged 1" for the given summary rows. */
static void status_counts(ntr_report *r, const ntr_table *t, const size_t *rows, size_t n)
{
    long col = ntr_table_find(t, "status");
    if (col < 0) {
        ntr_report_printf(r, "n/a");
        return;
    }
    size_t counts[NTR_STATUS_COUNT + 1] = {0}; /* the last: unknown names */
    for (size_t i = 0; i < n; i++) {
        ntr_status s;
        if (ntr_status_parse(ntr_table_str(t, rows ? rows[i] : i, (size_t)col), &s) == 0)
            counts[s]++;
        else
            counts[NTR_STATUS_COUNT]++;
    }
    int first = 1;
    for (size_t k = 0; k <= NTR_STATUS_COUNT; k++) {
        if (!counts[k])
            continue;
        ntr_report_printf(r, "%s%s %zu", first ? "" : ", ",
                          k < NTR_STATUS_COUNT ? ntr_status_names[k] : "other", counts[k]);
        first = 0;
    }
    if (first)
        ntr_report_printf(r, "none");
}

int ntr_report_what_ran(ntr_report *r, const char *result_dir, ntr_error *err)
{
    (void)err;
    const ntr_table *t = ntr_report_summary(r);
    const ntr_groups *g = ntr_report_groups(r);
    ntr_report_section(r, "What ran");
    what_ran_manifest(r, result_dir);
    ntr_report_printf(r, "- cells in summary.csv: %zu (", ntr_table_rows(t));
    status_counts(r, t, NULL, ntr_table_rows(t));
    size_t lo = g->n ? g->g[0].ncells : 0, hi = lo;
    for (size_t i = 0; i < g->n; i++) {
        lo = g->g[i].ncells < lo ? g->g[i].ncells : lo;
        hi = g->g[i].ncells > hi ? g->g[i].ncells : hi;
    }
    ntr_report_printf(r, ")\n- groups (settings; their cells differ only by seed): %zu, ", g->n);
    if (lo == hi)
        ntr_report_printf(r, "%zu cell%s each\n", lo, lo == 1 ? "" : "s");
    else
        ntr_report_printf(r, "%zu to %zu cells each\n", lo, hi);
    return 0;
}

/* Median of the finite values of column col over rows, NAN when none. */
static double median_finite(const ntr_table *t, long col, const size_t *rows, size_t n,
                            double *work)
{
    if (col < 0)
        return NAN;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double v = ntr_table_num(t, rows[i], (size_t)col);
        if (isfinite(v))
            work[m++] = v;
    }
    if (m == 0)
        return NAN;
    for (size_t i = 1; i < m; i++) /* insertion sort: groups are small */
        for (size_t j = i; j > 0 && work[j - 1] > work[j]; j--) {
            double x = work[j];
            work[j] = work[j - 1];
            work[j - 1] = x;
        }
    return gsl_stats_median_from_sorted_data(work, 1, m);
}

static void value_cell(ntr_report *r, double v)
{
    if (isfinite(v))
        ntr_report_printf(r, " %.3g |", v);
    else
        ntr_report_printf(r, " n/a |");
}

/* 1 when column col holds a finite number in some row. */
static int any_finite(const ntr_table *t, long col)
{
    for (size_t i = 0; col >= 0 && i < ntr_table_rows(t); i++)
        if (isfinite(ntr_table_num(t, i, (size_t)col)))
            return 1;
    return 0;
}

int ntr_report_final_values(ntr_report *r, const char *result_dir, ntr_error *err)
{
    (void)result_dir;
    const ntr_table *t = ntr_report_summary(r);
    const ntr_groups *g = ntr_report_groups(r);
    if (g->n == 0)
        return 0;
    size_t maxc = 1;
    for (size_t i = 0; i < g->n; i++)
        maxc = g->g[i].ncells > maxc ? g->g[i].ncells : maxc;
    double *work = malloc(maxc * sizeof *work);
    if (!work)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    long cgrad = ntr_table_find(t, "grad_dual"), cmin = ntr_table_find(t, "min_grad_dual");
    long cgap = ntr_table_find(t, "gap");
    long cl2 = ntr_table_find(t, "grad_l2"), cf = ntr_table_find(t, "f");
    int show_gap = any_finite(t, cgap);
    ntr_report_section(r, "Final values by group");
    ntr_report_printf(r, "| group | cells | status | final grad_dual | min grad_dual | "
                         "final grad_l2 | final f |%s",
                      show_gap ? " final gap |" : "");
    size_t nk = ntr_report_hitting_headers(r, t);
    ntr_report_printf(r, "\n|---|---:|---|---:|---:|---:|---:|%s", show_gap ? "---:|" : "");
    for (size_t j = 0; j < nk; j++)
        ntr_report_printf(r, "---:|");
    ntr_report_printf(r, "\n");
    for (size_t i = 0; i < g->n; i++) {
        const ntr_group *gr = &g->g[i];
        ntr_report_printf(r, "| ");
        ntr_report_code(r, gr->label, 1);
        ntr_report_printf(r, " | %zu | ", gr->ncells);
        status_counts(r, t, gr->rows, gr->ncells);
        ntr_report_printf(r, " |");
        value_cell(r, median_finite(t, cgrad, gr->rows, gr->ncells, work));
        value_cell(r, median_finite(t, cmin, gr->rows, gr->ncells, work));
        value_cell(r, median_finite(t, cl2, gr->rows, gr->ncells, work));
        value_cell(r, median_finite(t, cf, gr->rows, gr->ncells, work));
        if (show_gap)
            value_cell(r, median_finite(t, cgap, gr->rows, gr->ncells, work));
        ntr_report_hitting_times(r, t, gr, work);
        ntr_report_printf(r, "\n");
    }
    free(work);
    return ntr_report_printf(
        r, "\nMedians over each group's cells (seeds). K(t) is the first measured iteration k "
           "(every log.measure_every iterations) whose measure (min grad_dual, or the gap "
           "with budget.measure: gap) is <= t; \"never\" when the median cell did not reach "
           "t; (r/n) counts the cells that reached it. grad_dual is each method's own dual "
           "norm (nuclear for spectral, l1 for linf): compare methods of different norms by "
           "grad_l2, f or the gap.\n");
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The final-value figures (plots/final_KEY.png, .svg or .pdf), sorted;
 * returns how many were listed. */
static int final_figures(ntr_report *r, const char *result_dir, int shown)
{
    char plots[1100];
    snprintf(plots, sizeof plots, "%s/plots", result_dir);
    DIR *d = opendir(plots);
    if (!d)
        return 0;
    char *names[256] = {NULL};
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        const char *dot = strrchr(e->d_name, '.');
        if (strncmp(e->d_name, "final_", 6) == 0 && dot &&
            (!strcmp(dot, ".png") || !strcmp(dot, ".svg") || !strcmp(dot, ".pdf")) &&
            (names[n] = strdup(e->d_name)) != NULL)
            n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; i < n; i++) {
        if (!shown++)
            ntr_report_section(r, "Figures");
        char key[256];
        const char *dot = strrchr(names[i], '.');
        snprintf(key, sizeof key, "%.*s", (int)(dot - names[i] - 6), names[i] + 6);
        int is_pdf = strcmp(dot, ".pdf") == 0;
        ntr_report_printf(r, "%s[", is_pdf ? "" : "!");
        ntr_report_text(r, "Final value against ");
        ntr_report_text(r, key);
        ntr_report_printf(r, " (median over seeds, min-max or 10-90%% bars)](plots/%s)\n\n",
                          names[i]);
        free(names[i]);
    }
    return (int)n;
}

int ntr_report_figures(ntr_report *r, const char *result_dir, ntr_error *err)
{
    static const char *const embed[] = {"png", "svg"};
    int shown = 0, scripts = 0;
    for (size_t i = 0; ntr_plot_figure_stem(i); i++) {
        const char *stem = ntr_plot_figure_stem(i);
        char path[1100];
        const char *found = NULL;
        for (size_t e = 0; e < 3 && !found; e++) {
            const char *ext = e < 2 ? embed[e] : "pdf";
            if (ntr_path(path, sizeof path, err, "%s/plots/%s.%s", result_dir, stem, ext) != 0)
                return -1;
            if (access(path, F_OK) == 0)
                found = ext;
        }
        if (ntr_path(path, sizeof path, err, "%s/plots/%s.gp", result_dir, stem) != 0)
            return -1;
        scripts += access(path, F_OK) == 0;
        if (!found)
            continue;
        if (!shown)
            ntr_report_section(r, "Figures");
        shown++;
        int is_pdf = strcmp(found, "pdf") == 0;
        ntr_report_printf(r, "%s[", is_pdf ? "" : "!");
        ntr_report_text(r, ntr_plot_figure_caption(i));
        ntr_report_printf(r, "](plots/%s.%s)\n\n", stem, found);
    }
    shown += final_figures(r, result_dir, shown);
    if (!shown && scripts) {
        ntr_report_section(r, "Figures");
        ntr_report_printf(r, "Figures not drawn (gnuplot was not found): their data and "
                             "scripts are in plots/; run `ntr-plot` on this folder once "
                             "gnuplot is installed.\n");
    }
    return 0;
}

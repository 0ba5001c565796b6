/* plot_summary_figs.c: the ECDF and final-value figures, from summary.csv
 * alone (see plot_figs.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot_band.h"
#include "plot/plot_figs.h"
#include "base/status.h"

static int finished(const ntr_table *s, size_t row, long scol)
{
    ntr_status st;
    return scol >= 0 && ntr_status_parse(ntr_table_str(s, row, (size_t)scol), &st) == 0 &&
           ntr_status_is_final(st);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int ntr_fig_ecdf(ntr_fig *f, const ntr_table *summary, const ntr_plot_lines *lines,
                 ntr_error *err)
{
    memset(f, 0, sizeof *f);
    size_t ncols = ntr_table_cols(summary), rows = ntr_table_rows(summary);
    long scol = ntr_table_find(summary, "status");
    size_t *sfo = malloc((ncols ? ncols : 1) * sizeof *sfo), ns = 0;
    double *hit = malloc((rows ? rows : 1) * (ncols ? ncols : 1) * sizeof *hit);
    if (!sfo || !hit) {
        free(sfo);
        free(hit);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    for (size_t c = 0; c < ncols; c++)
        if (strncmp(ntr_table_name(summary, c), "SFO_", 4) == 0)
            sfo[ns++] = c;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t r = 0; r < rows; r++)
        for (size_t j = 0; finished(summary, r, scol) && j < ns; j++) {
            double v = ntr_table_num(summary, r, sfo[j]);
            if (v > 0 && v < lo)
                lo = v;
            if (v > hi)
                hi = v;
        }
    int rc = 1;
    if (ns > 0 && lo <= hi && ntr_fig_open(f, "ecdf", lines->n, err) == 0) {
        rc = 0;
        for (size_t li = 0; li < lines->n; li++) {
            const ntr_plot_line *l = &lines->line[li];
            size_t cells = 0, nh = 0;
            for (size_t c = 0; c < l->ncells; c++) {
                if (!finished(summary, l->rows[c], scol))
                    continue;
                cells++;
                for (size_t j = 0; j < ns; j++) {
                    double v = ntr_table_num(summary, l->rows[c], sfo[j]);
                    if (isfinite(v))
                        hit[nh++] = v;
                }
            }
            size_t pairs = cells * ns;
            if (pairs == 0)
                continue;
            qsort(hit, nh, sizeof *hit, cmp_double);
            fprintf(f->dat, "%.17g %.17g %zu 0 0 0\n", lo, lo, pairs);
            for (size_t i = 0; i < nh; i++)
                if (i + 1 == nh || hit[i + 1] != hit[i]) {
                    double frac = (double)(i + 1) / (double)pairs;
                    fprintf(f->dat, "%.17g %.17g %zu %.17g %.17g %.17g\n", hit[i], hit[i], pairs,
                            frac, frac, frac);
                }
            double last = (double)nh / (double)pairs;
            fprintf(f->dat, "%.17g %.17g %zu %.17g %.17g %.17g\n\n\n", hi, hi, pairs, last, last,
                    last);
            ntr_fig_add_line(f, l);
            f->lines[f->nlines - 1].ncells = cells;
        }
        snprintf(f->title, sizeof f->title,
                 "Targets reached within x oracle calls (COCO-style ECDF over cells and targets)");
        snprintf(f->ylabel, sizeof f->ylabel, "fraction of (cell, target) pairs reached");
        snprintf(f->note, sizeof f->note,
                 "%zu targets per cell: a line's pairs are its n finished cells x %zu targets",
                 ns, ns);
        f->spec.note = f->note;
        f->spec.xlabel = "oracle calls (SFO: stochastic gradients spent)";
        f->spec.logx = 1;
        f->spec.kind = NTR_FIG_STEPS;
    } else if (ns > 0 && lo <= hi) {
        rc = -1;
    }
    free(sfo);
    free(hit);
    return rc;
}

/* The folder's measure (budget.measure) when summary.csv has its final
 * value, else min_grad_dual. */
static const char *measure_of(const ntr_table *s)
{
    long m = ntr_table_find(s, "budget.measure");
    if (m >= 0 && ntr_table_rows(s) > 0) {
        const char *name = ntr_table_str(s, 0, (size_t)m);
        if (name[0] && ntr_table_find(s, name) >= 0)
            return name;
    }
    return "min_grad_dual";
}

/* 1 when every value of the column is a number, with two distinct ones. */
static int numeric_axis(const ntr_table *s, size_t col, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t r = 0; r < ntr_table_rows(s); r++) {
        if (!ntr_table_is_num(s, r, col))
            return 0;
        double v = ntr_table_num(s, r, col);
        *lo = v < *lo ? v : *lo;
        *hi = v > *hi ? v : *hi;
    }
    return *lo < *hi;
}

/* One final-value figure: y against the axis, lines by the other keys. */
static int final_figure(ntr_fig *f, const ntr_table *summary, const char *axis, const char *y,
                        int custom, int logx, ntr_error *err)
{
    ntr_plot_lines lines;
    memset(f, 0, sizeof *f);
    if (ntr_plot_lines_build(summary, NULL, NULL, axis, &lines, err) != 0)
        return -1;
    char name[160];
    if (custom)
        snprintf(name, sizeof name, "final_%s_%s", y, axis);
    else
        snprintf(name, sizeof name, "final_%s", axis);
    size_t rows = ntr_table_rows(summary);
    long xcol = ntr_table_find(summary, axis), ycol = ntr_table_find(summary, y);
    long scol = ntr_table_find(summary, "status");
    double *xs = malloc((rows ? rows : 1) * sizeof *xs), *vs = malloc((rows ? rows : 1) * sizeof *vs);
    ntr_series *ser = malloc((rows ? rows : 1) * sizeof *ser);
    int rc = xs && vs && ser ? ntr_fig_open(f, name, lines.n, err)
                             : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    size_t maxn = 0;
    for (size_t li = 0; rc == 0 && li < lines.n; li++) {
        const ntr_plot_line *l = &lines.line[li];
        size_t n = 0;
        for (size_t c = 0; c < l->ncells; c++)
            if (finished(summary, l->rows[c], scol)) {
                xs[n] = ntr_table_num(summary, l->rows[c], (size_t)xcol);
                vs[n] = ycol >= 0 ? ntr_table_num(summary, l->rows[c], (size_t)ycol) : NAN;
                ser[n] = (ntr_series){1, &xs[n], &vs[n]};
                n++;
            }
        ntr_band_row *br = NULL;
        size_t nb = 0;
        rc = ntr_band_compute(ser, n, &br, &nb, err);
        size_t most = 0, positive = 0;
        for (size_t i = 0; i < nb; i++) {
            most = br[i].n > most ? br[i].n : most;
            positive += isfinite(br[i].median) && br[i].median > 0;
        }
        if (positive == 0) /* nothing a log axis can show */
            nb = 0;
        int range = most <= NTR_BAND_RANGE_MAX;
        maxn = most > maxn ? most : maxn;
        for (size_t i = 0; rc == 0 && i < nb; i++)
            fprintf(f->dat, "%.17g %.17g %zu %.17g %.17g %.17g\n", br[i].k, br[i].k, br[i].n,
                    br[i].median, range ? br[i].min : br[i].lo, range ? br[i].max : br[i].hi);
        if (rc == 0 && nb > 0) {
            fputs("\n\n", f->dat);
            ntr_fig_add_line(f, l);
        }
        free(br);
    }
    if (rc == 0) {
        snprintf(f->title, sizeof f->title, "Final %s against %s: median over seeds", y, axis);
        snprintf(f->ylabel, sizeof f->ylabel, "final %s (last logged row)", y);
        snprintf(f->note, sizeof f->note,
                 "error bars: %s of each point's seeds (at most %zu); n in the key: the line's "
                 "cells",
                 ntr_band_kind(maxn), maxn);
        f->spec.note = f->note;
        f->spec.xlabel = axis;
        f->spec.logx = logx;
        f->spec.logy = 1;
        f->spec.kind = NTR_FIG_POINTS;
    }
    if (rc != 0 && f->lines)
        ntr_fig_free(f);
    free(xs);
    free(vs);
    free(ser);
    ntr_plot_lines_free(&lines);
    return rc;
}

int ntr_fig_finals(ntr_fig *figs, size_t max, const ntr_table *summary, const char *y,
                   size_t *made, ntr_error *err)
{
    const char *axes[NTR_PLOT_MAX_AXES];
    size_t na = ntr_summary_axes(summary, axes, NTR_PLOT_MAX_AXES);
    const char *col = y ? y : measure_of(summary);
    *made = 0;
    if (ntr_table_find(summary, col) < 0)
        return 0; /* an older summary.csv without that final column */
    for (size_t i = 0; i < na && *made < max; i++) {
        double lo, hi;
        size_t c = (size_t)ntr_table_find(summary, axes[i]);
        if (!numeric_axis(summary, c, &lo, &hi))
            continue;
        int logx = lo > 0 && hi / lo >= 10;
        if (final_figure(&figs[*made], summary, axes[i], col, y != NULL, logx, err) != 0)
            return -1;
        (*made)++;
    }
    return 0;
}

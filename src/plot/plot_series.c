/* plot_series.c: the data block of one line (see plot_series.h). */
#include "plot/plot_series.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/groups.h"
#include "output/files.h"
#include "plot/plot_band.h"
#include "output/paths.h"

const char *const ntr_plot_x_names[] = {"k", "sfo", "time"};

#define GRID 80

const char *ntr_band_kind(size_t maxcells)
{
    return maxcells <= NTR_BAND_RANGE_MAX ? "min-max" : "10%-90% quantiles";
}

typedef struct cell_series {
    size_t n;
    double *x, *y;
} cell_series;

static void series_free(cell_series *c)
{
    free(c->x);
    free(c->y);
    memset(c, 0, sizeof *c);
}

/* time_s of timing.csv at each k of the trajectory (NaN where absent). */
static int times_at(const char *path, const double *k, size_t n, double *out, ntr_error *err)
{
    ntr_table *t;
    for (size_t i = 0; i < n; i++)
        out[i] = NAN;
    if (access(path, F_OK) != 0)
        return 0;
    if (ntr_table_read(path, &t, err) != 0)
        return -1;
    long kc = ntr_table_find(t, "k"), tc = ntr_table_find(t, "time_s");
    size_t j = 0;
    for (size_t r = 0; kc >= 0 && tc >= 0 && r < ntr_table_rows(t); r++) {
        double kr = ntr_table_num(t, r, (size_t)kc);
        while (j < n && k[j] < kr)
            j++;
        if (j < n && k[j] == kr)
            out[j] = ntr_table_num(t, r, (size_t)tc);
    }
    ntr_table_free(t);
    return 0;
}

/* A cell's series; a missing trajectory sets *missing (no error). */
static int load_cell(const char *dir, const char *hash, ntr_plot_x xk, const char *ycol,
                     cell_series *cs, int *missing, ntr_error *err)
{
    char path[1200];
    memset(cs, 0, sizeof *cs);
    *missing = 0;
    if (ntr_cell_path(path, sizeof path, err, dir, hash, NTR_TRAJECTORY_CSV) != 0)
        return -1;
    if (access(path, F_OK) != 0 && errno == ENOENT) {
        *missing = 1;
        return 0;
    }
    ntr_table *t;
    if (ntr_table_read(path, &t, err) != 0)
        return -1;
    size_t n = ntr_table_rows(t), kcol;
    int rc = ntr_table_require(t, "k", &kcol, err);
    double *k = malloc((n ? n : 1) * sizeof *k);
    cs->x = malloc((n ? n : 1) * sizeof *cs->x);
    cs->y = malloc((n ? n : 1) * sizeof *cs->y);
    if (rc == 0 && (!k || !cs->x || !cs->y))
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory reading %s", path);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = ntr_table_get_num(t, i, kcol, 0, &k[i], err);
        if (rc == 0 && (!(k[i] >= 0) || (i > 0 && !(k[i] > k[i - 1]))))
            rc = ntr_fail_at(err, ntr_table_pos(t, i, kcol),
                             "k must be finite, >= 0 and increasing down the file");
    }
    long yc = ntr_table_find(t, ycol);
    long sc = ntr_table_find(t, "sfo");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        cs->y[i] = cs->x[i] = NAN;
        if (yc >= 0)
            rc = ntr_table_get_num(t, i, (size_t)yc, 1, &cs->y[i], err);
        if (rc == 0 && xk == NTR_X_SFO && sc >= 0)
            rc = ntr_table_get_num(t, i, (size_t)sc, 1, &cs->x[i], err);
        else if (xk != NTR_X_SFO)
            cs->x[i] = k[i];
    }
    if (rc == 0 && xk == NTR_X_TIME &&
        (ntr_cell_path(path, sizeof path, err, dir, hash, NTR_TIMING_CSV) != 0 ||
         times_at(path, k, n, cs->x, err) != 0))
        rc = -1;
    cs->n = n;
    free(k);
    ntr_table_free(t);
    if (rc != 0)
        series_free(cs);
    return rc;
}

/* The last value at or before x (NaN before the first row, after the last). */
static double value_at(const cell_series *c, double x)
{
    double v = NAN;
    for (size_t i = 0; i < c->n && isfinite(c->x[i]) && c->x[i] <= x; i++)
        v = c->y[i];
    return c->n && x <= c->x[c->n - 1] ? v : NAN;
}

static int same_x(const cell_series *c, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (c[i].n != c[0].n || memcmp(c[i].x, c[0].x, c[0].n * sizeof *c[0].x) != 0)
            return 0;
    return 1;
}

/* Bands over a log grid between the smallest positive and the largest x. */
static int grid_band(const cell_series *cells, size_t nc, ntr_band_row **rows, size_t *nrows,
                     ntr_error *err)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t c = 0; c < nc; c++)
        for (size_t i = 0; i < cells[c].n; i++) {
            double x = cells[c].x[i];
            if (x > 0 && x < lo)
                lo = x;
            if (x > hi)
                hi = x;
        }
    *rows = NULL;
    *nrows = 0;
    if (!(lo <= hi))
        return 0;
    double grid[GRID];
    for (int g = 0; g < GRID; g++)
        grid[g] = g == GRID - 1 ? hi : lo * pow(hi / lo, (double)g / (GRID - 1));
    double *vals = malloc((nc ? nc : 1) * GRID * sizeof *vals);
    ntr_series *ser = malloc((nc ? nc : 1) * sizeof *ser);
    int rc = vals && ser ? 0 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t c = 0; rc == 0 && c < nc; c++) {
        for (int g = 0; g < GRID; g++)
            vals[c * GRID + g] = value_at(&cells[c], grid[g]);
        ser[c] = (ntr_series){GRID, grid, vals + c * GRID};
    }
    if (rc == 0)
        rc = ntr_band_compute(ser, nc, rows, nrows, err);
    free(vals);
    free(ser);
    return rc;
}

int ntr_plot_line_block(FILE *dat, const char *dir, const ntr_table *summary,
                        const ntr_plot_line *line, ntr_plot_x x, const char *ycol,
                        ntr_line_data *out, ntr_error *err)
{
    memset(out, 0, sizeof *out);
    cell_series *cells = calloc(line->ncells ? line->ncells : 1, sizeof *cells);
    if (!cells)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    size_t nc = 0;
    int rc = 0;
    for (size_t c = 0; rc == 0 && c < line->ncells; c++) {
        const char *hash;
        int missing = 0;
        rc = ntr_summary_hash(summary, line->rows[c], &hash, err);
        if (rc == 0)
            rc = load_cell(dir, hash, x, ycol, &cells[nc], &missing, err);
        if (rc == 0 && missing)
            out->cells_missing++;
        else if (rc == 0)
            nc++;
    }
    out->cells_read = nc;
    ntr_band_row *rows = NULL;
    size_t nrows = 0;
    if (rc == 0 && nc > 0) {
        if (x == NTR_X_K || (x == NTR_X_SFO && same_x(cells, nc))) {
            ntr_series *ser = malloc(nc * sizeof *ser);
            rc = ser ? 0 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            for (size_t c = 0; rc == 0 && c < nc; c++)
                ser[c] = (ntr_series){cells[c].n, cells[c].x, cells[c].y};
            if (rc == 0)
                rc = ntr_band_compute(ser, nc, &rows, &nrows, err);
            free(ser);
        } else {
            rc = grid_band(cells, nc, &rows, &nrows, err);
        }
    }
    /* On log axes a line needs a positive value: a line that never has one
     * (a run diverged at k = 0, a momentum error of exactly 0) is left out,
     * and a figure without any line is not drawn. */
    size_t positive = 0;
    for (size_t i = 0; i < nrows; i++)
        positive += isfinite(rows[i].median) && rows[i].median > 0;
    if (positive == 0)
        nrows = 0;
    int range = line->ncells <= NTR_BAND_RANGE_MAX;
    for (size_t i = 0; rc == 0 && i < nrows; i++) {
        const ntr_band_row *r = &rows[i];
        fprintf(dat, "%.17g %.17g %zu %.17g %.17g %.17g\n", r->k, x == NTR_X_K ? r->k + 1 : r->k,
                r->n, r->median, range ? r->min : r->lo, range ? r->max : r->hi);
    }
    if (rc == 0 && nrows > 0)
        fputs("\n\n", dat);
    out->rows = nrows;
    free(rows);
    for (size_t c = 0; c < nc; c++)
        series_free(&cells[c]);
    free(cells);
    return rc;
}

/* plot.c: drawing the figures of a result folder (see plot.h).
 *
 * The flow: read summary.csv and gather its cells into groups; for each
 * group read its cells' trajectories and append one data block per figure
 * (median and 10-90% band per logged k, plot_band.c) to in-memory .dat
 * texts; only when every input has been read are plots/NAME.dat and
 * plots/NAME.gp written (temporary name + rename), so bad input writes
 * nothing; then gnuplot draws each figure in plots/ (gnuplot.c). */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gnuplot.h"
#include "groups.h"
#include "plot_band.h"
#include "output/files.h"
#include "plot_script.h"
#include "table.h"

static const ntr_fig_spec figures[] = {
    {"convergence", "grad_dual", "||grad f(x_k)||_*   (dual norm of the method's norm)",
     "Dual gradient norm: median over seeds, band 10%-90% quantiles"},
    {"gap", "gap", "f(x_k) - f*", "Optimality gap: median over seeds, band 10%-90% quantiles"},
    {"mom_err", "mom_err", "||m_k - grad f(x_k)||_*   (momentum error, dual norm)",
     "Momentum error: median over seeds, band 10%-90% quantiles"},
};
#define NFIG (sizeof figures / sizeof figures[0])

/* One cell's trajectory: k and the figure columns (NULL when absent). */
typedef struct traj {
    size_t n;
    double *k;
    double *col[NFIG];
} traj;

/* A figure being assembled: its .dat text and drawn lines. */
typedef struct fig_out {
    char *text;
    size_t len;
    FILE *dat;
    ntr_fig_line *lines; /* one per group at most */
    size_t nlines;
} fig_out;

static void traj_free(traj *t)
{
    free(t->k);
    for (size_t f = 0; f < NFIG; f++)
        free(t->col[f]);
    memset(t, 0, sizeof *t);
}

/* Read path into t; a missing file sets *missing and is not an error. */
static int traj_load(const char *path, traj *t, int *missing, ntr_error *err)
{
    memset(t, 0, sizeof *t);
    *missing = 0;
    if (access(path, F_OK) != 0 && errno == ENOENT) {
        *missing = 1;
        return 0;
    }
    ntr_table *tab;
    if (ntr_table_read(path, &tab, err) != 0)
        return -1;
    size_t n = ntr_table_rows(tab), kcol;
    int rc = ntr_table_require(tab, "k", &kcol, err);
    if (rc == 0 && !(t->k = malloc((n ? n : 1) * sizeof *t->k)))
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory reading %s", path);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = ntr_table_get_num(tab, i, kcol, 0, &t->k[i], err);
        if (rc == 0 && (!(t->k[i] >= 0) || (i > 0 && !(t->k[i] > t->k[i - 1]))))
            rc = ntr_fail_at(err, ntr_table_pos(tab, i, kcol),
                             "k must be finite, >= 0 and increasing down the file");
    }
    for (size_t f = 0; rc == 0 && f < NFIG; f++) {
        long c = ntr_table_find(tab, figures[f].column);
        if (c < 0)
            continue;
        if (!(t->col[f] = malloc((n ? n : 1) * sizeof *t->col[f])))
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory reading %s", path);
        else
            rc = ntr_table_column(tab, (size_t)c, 1, t->col[f], err);
    }
    t->n = n;
    ntr_table_free(tab);
    if (rc != 0)
        traj_free(t);
    return rc;
}

/* Append group gi's block to every figure that has data for it. */
static int add_group(fig_out *figs, const ntr_group *g, size_t gi, const traj *cells,
                     ntr_series *series, ntr_error *err)
{
    for (size_t f = 0; f < NFIG; f++) {
        size_t ns = 0;
        for (size_t c = 0; c < g->ncells; c++)
            if (cells[c].col[f] && cells[c].n > 0)
                series[ns++] = (ntr_series){cells[c].n, cells[c].k, cells[c].col[f]};
        ntr_band_row *rows;
        size_t nrows;
        if (ntr_band_compute(series, ns, &rows, &nrows, err) != 0)
            return -1;
        /* On log axes a line needs a positive value: a group that never has
         * one (a run diverged at k = 0, a momentum error of exactly 0) is
         * left out, and a figure without any line is not drawn. */
        size_t positive = 0;
        for (size_t i = 0; i < nrows; i++)
            positive += isfinite(rows[i].median) && rows[i].median > 0;
        if (positive == 0) {
            free(rows);
            continue;
        }
        char label[256];
        ntr_gp_sanitize(g->label, label, sizeof label);
        FILE *d = figs[f].dat;
        fprintf(d, "# block %zu: group %s (%zu cells)\n", figs[f].nlines, label, g->ncells);
        for (size_t i = 0; i < nrows; i++)
            fprintf(d, "%.17g %.17g %zu %.17g %.17g %.17g\n", rows[i].k, rows[i].k + 1,
                    rows[i].n, rows[i].median, rows[i].lo, rows[i].hi);
        fprintf(d, "\n\n");
        free(rows);
        figs[f].lines[figs[f].nlines++] = (ntr_fig_line){g->label, gi, g->ncells};
    }
    return 0;
}

/* Read every group's trajectories into the figures' data texts. */
static int gather(const char *dir, const ntr_table *summary, const ntr_groups *gs,
                  fig_out *figs, ntr_plot_result *res, ntr_error *err)
{
    size_t maxc = 1;
    for (size_t gi = 0; gi < gs->n; gi++)
        if (gs->g[gi].ncells > maxc)
            maxc = gs->g[gi].ncells;
    traj *cells = calloc(maxc, sizeof *cells);
    ntr_series *series = malloc(maxc * sizeof *series);
    int rc = cells && series ? 0 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t gi = 0; rc == 0 && gi < gs->n; gi++) {
        const ntr_group *g = &gs->g[gi];
        for (size_t c = 0; rc == 0 && c < g->ncells; c++) {
            const char *hash;
            rc = ntr_summary_hash(summary, g->rows[c], &hash, err);
            if (rc != 0)
                break;
            char path[1100];
            int missing = 0;
            rc = ntr_path(path, sizeof path, err, "%s/cells/%s/trajectory.csv", dir, hash);
            if (rc == 0)
                rc = traj_load(path, &cells[c], &missing, err);
            res->cells++;
            res->cells_missing += (size_t)missing;
        }
        if (rc == 0)
            rc = add_group(figs, g, gi, cells, series, err);
        for (size_t c = 0; c < g->ncells; c++)
            traj_free(&cells[c]);
    }
    free(cells);
    free(series);
    return rc;
}

/* Write NAME.dat and NAME.gp of figure f into plots/. */
static int write_figure_files(const char *plots, size_t f, const fig_out *fo,
                              const char *terminal, const char *ext, ntr_error *err)
{
    char path[1100];
    if (ntr_path(path, sizeof path, err, "%s/%s.dat", plots, figures[f].name) != 0 ||
        ntr_write_atomic(path, fo->text, fo->len, err) != 0 ||
        ntr_path(path, sizeof path, err, "%s/%s.gp", plots, figures[f].name) != 0)
        return -1;
    ntr_tmpfile t;
    if (ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    if (ntr_plot_script(t.fp, &figures[f], terminal, ext, fo->lines, fo->nlines, err) != 0) {
        ntr_tmpfile_abort(&t);
        return -1;
    }
    return ntr_tmpfile_commit(&t, err);
}

static int write_and_draw(const char *dir, fig_out *figs, const char *format,
                          const char *program, ntr_plot_result *res, ntr_error *err)
{
    const char *terminal, *ext;
    if (ntr_gp_terminal(format, &terminal, &ext, err) != 0)
        return -1;
    size_t nfig = 0;
    for (size_t f = 0; f < NFIG; f++)
        nfig += figs[f].nlines > 0;
    if (nfig == 0)
        return 0;
    char plots[1100];
    int rc = ntr_path(plots, sizeof plots, err, "%s/plots", dir);
    if (rc == 0)
        rc = ntr_mkdirs(plots, err);
    for (size_t f = 0; rc == 0 && f < NFIG; f++)
        if (figs[f].nlines > 0)
            rc = write_figure_files(plots, f, &figs[f], terminal, ext, err);
    int have = rc == 0 && ntr_gnuplot_available(program);
    if (rc == 0 && !have)
        res->gnuplot_missing = 1;
    for (size_t f = 0; rc == 0 && f < NFIG; f++) {
        if (figs[f].nlines == 0)
            continue;
        if (have) {
            rc = ntr_gnuplot_draw(program, plots, figures[f].name, ext, err);
            res->gnuplot_failed = rc != 0 && err && err->kind == NTR_E_IO;
        }
        if (rc == 0 && res->nfigures < NTR_PLOT_MAX_FIGURES)
            snprintf(res->figures[res->nfigures++], sizeof res->figures[0], "%s.%s",
                     figures[f].name, ext);
    }
    return rc;
}

int ntr_plot_all_ex(const char *result_dir, const ntr_plot_opts *opts, ntr_plot_result *res,
                    ntr_error *err)
{
    ntr_plot_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    const char *format = opts && opts->format ? opts->format : "png";
    const char *program = opts ? opts->gnuplot : NULL;
    const char *terminal, *ext;
    if (ntr_gp_terminal(format, &terminal, &ext, err) != 0)
        return -1;
    struct stat st;
    if (stat(result_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ntr_fail(err, NTR_E_INPUT, "no result folder %s", result_dir);
    char spath[1100];
    ntr_table *summary;
    if (ntr_path(spath, sizeof spath, err, "%s/summary.csv", result_dir) != 0 ||
        ntr_table_read(spath, &summary, err) != 0)
        return -1;
    int rc = 0;
    ntr_groups gs;
    if (ntr_groups_from_summary(summary, &gs, err) != 0) {
        ntr_table_free(summary);
        return -1;
    }
    fig_out figs[NFIG];
    memset(figs, 0, sizeof figs);
    for (size_t f = 0; rc == 0 && f < NFIG; f++) {
        figs[f].dat = open_memstream(&figs[f].text, &figs[f].len);
        figs[f].lines = malloc((gs.n ? gs.n : 1) * sizeof *figs[f].lines);
        if (!figs[f].dat || !figs[f].lines)
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        else
            fprintf(figs[f].dat,
                    "# %s.dat: %s of every group, by ntr %s\n"
                    "# columns: k  k+1  n(cells with a finite value)  median  q10  q90\n\n",
                    figures[f].name, figures[f].column, NTR_VERSION);
    }
    if (rc == 0)
        rc = gather(result_dir, summary, &gs, figs, res, err);
    for (size_t f = 0; f < NFIG; f++)
        if (figs[f].dat && fclose(figs[f].dat) != 0 && rc == 0)
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (rc == 0)
        rc = write_and_draw(result_dir, figs, format, program, res, err);
    for (size_t f = 0; f < NFIG; f++) {
        free(figs[f].text);
        free(figs[f].lines);
    }
    ntr_groups_free(&gs);
    ntr_table_free(summary);
    return rc;
}

const char *ntr_plot_figure_stem(size_t i)
{
    return i < NFIG ? figures[i].name : NULL;
}

const char *ntr_plot_figure_caption(size_t i)
{
    return i < NFIG ? figures[i].title : NULL;
}

int ntr_plot_all(const char *result_dir, const char *format, int *gnuplot_missing,
                 ntr_error *err)
{
    ntr_plot_opts opts = {format, NULL};
    ntr_plot_result res;
    int rc = ntr_plot_all_ex(result_dir, &opts, &res, err);
    if (gnuplot_missing)
        *gnuplot_missing = res.gnuplot_missing;
    return rc;
}

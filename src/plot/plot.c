/* plot.c: drawing the figures of a result folder (see plot.h).
 *
 * The flow: read summary.csv and choose the lines of each figure
 * (plot_lines.c); for each line read its cells' files and append its data
 * block (median and band, plot_series.c) to an in-memory .dat text; only
 * when every input has been read are plots/NAME.dat and plots/NAME.gp
 * written (temporary name + rename), so bad input writes nothing; then
 * gnuplot draws each figure in plots/ (gnuplot.c).  The ECDF and the
 * final-value figures read summary.csv alone (plot_summary_figs.c). */
#include "plot/plot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plot/gnuplot.h"
#include "output/files.h"
#include "plot/plot_figs.h"
#include "plot/plot_series.h"
#include "base/table.h"

/* The trajectory figures every folder gets, by group. */
static const struct {
    const char *name, *column, *ylabel, *title;
} standard[] = {
    {"convergence", "grad_dual", "||grad f(x_k)||_*   (dual norm of the method's norm)",
     "Dual gradient norm: median over seeds"},
    {"gap", "gap", "f(x_k) - f*", "Optimality gap: median over seeds"},
    {"mom_err", "mom_err", "||m_k - grad f(x_k)||_*   (momentum error, dual norm)",
     "Momentum error: median over seeds"},
};
#define NSTD (sizeof standard / sizeof standard[0])

void ntr_fig_free(ntr_fig *f)
{
    if (f->dat)
        fclose(f->dat);
    free(f->text);
    for (size_t i = 0; f->lines && i < f->nlines; i++)
        free((char *)f->lines[i].label);
    free(f->lines);
    memset(f, 0, sizeof *f);
}

int ntr_fig_open(ntr_fig *f, const char *name, size_t maxlines, ntr_error *err)
{
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    f->spec.name = f->name;
    f->spec.title = f->title;
    f->spec.ylabel = f->ylabel;
    f->dat = open_memstream(&f->text, &f->len);
    f->lines = calloc(maxlines ? maxlines : 1, sizeof *f->lines);
    if (!f->dat || !f->lines) {
        ntr_fig_free(f);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    fprintf(f->dat, "# %s.dat, by ntr %s\n# columns: x  x_plot  n  median  lo  hi\n\n", name,
            NTR_VERSION);
    return 0;
}

void ntr_fig_add_line(ntr_fig *f, const ntr_plot_line *l)
{
    char *label = strdup(l->label);
    if (!label)
        return; /* out of memory: the line is left out of the figure */
    ntr_fig_line *line = &f->lines[f->nlines++]; /* owns label: ntr_fig_free frees it */
    line->label = label;
    line->color = l->color;
    line->dash = l->dash;
    line->ncells = l->ncells;
    if (l->ncells > f->maxcells)
        f->maxcells = l->ncells;
}

/* A trajectory figure: column y against x, one block per line. */
int ntr_fig_trajectories(ntr_fig *f, const char *dir, const ntr_table *summary,
                         const ntr_plot_lines *lines, ntr_plot_x x, const char *y,
                         ntr_plot_result *res, ntr_error *err)
{
    for (size_t i = 0; i < lines->n; i++) {
        ntr_line_data d;
        if (ntr_plot_line_block(f->dat, dir, summary, &lines->line[i], x, y, &d, err) != 0)
            return -1;
        if (res) {
            res->cells += d.cells_read + d.cells_missing;
            res->cells_missing += d.cells_missing;
        }
        if (d.rows > 0)
            ntr_fig_add_line(f, &lines->line[i]);
    }
    snprintf(f->note, sizeof f->note, "band: %s of each line's cells (n in the key)%s%s",
             ntr_band_kind(f->maxcells), lines->pooled[0] ? "; pooled over " : "",
             lines->pooled);
    f->spec.note = f->note;
    f->spec.logx = 1;
    f->spec.logy = 1;
    f->spec.kind = NTR_FIG_BAND;
    if (x == NTR_X_SFO)
        f->spec.xlabel = "oracle calls (SFO: stochastic gradients spent)";
    else if (x == NTR_X_TIME)
        f->spec.xlabel = "wall-clock seconds (timing.csv)";
    return 0;
}

/* Write NAME.dat and NAME.gp into plots/ and draw them. */
int ntr_fig_finish(ntr_fig *f, const char *dir, const char *format, const char *program,
                   ntr_plot_result *res, ntr_error *err)
{
    const char *terminal, *ext;
    char plots[1100], path[1300];
    if (fclose(f->dat) != 0) {
        f->dat = NULL;
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    f->dat = NULL;
    if (f->nlines == 0)
        return 0;
    if (ntr_gp_terminal(format, &terminal, &ext, err) != 0 ||
        ntr_path(plots, sizeof plots, err, "%s/plots", dir) != 0 || ntr_mkdirs(plots, err) != 0 ||
        ntr_path(path, sizeof path, err, "%s/%s.dat", plots, f->name) != 0 ||
        ntr_write_atomic(path, f->text, f->len, err) != 0 ||
        ntr_path(path, sizeof path, err, "%s/%s.gp", plots, f->name) != 0)
        return -1;
    ntr_tmpfile t;
    if (ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    if (ntr_plot_script(t.fp, &f->spec, terminal, ext, f->lines, f->nlines, err) != 0) {
        ntr_tmpfile_abort(&t);
        return -1;
    }
    if (ntr_tmpfile_commit(&t, err) != 0)
        return -1;
    int have = ntr_gnuplot_available(program);
    if (!have)
        res->gnuplot_missing = 1;
    else if (ntr_gnuplot_draw(program, plots, f->name, ext, err) != 0) {
        res->gnuplot_failed = err && err->kind == NTR_E_IO;
        return -1;
    }
    if (res->nfigures < NTR_PLOT_MAX_FIGURES)
        snprintf(res->figures[res->nfigures++], sizeof res->figures[0], "%.80s.%s", f->name,
                 ext);
    return 0;
}

/* Open the folder's summary.csv (an input error when there is none). */
static int open_summary(const char *dir, const char *format, ntr_table **out, ntr_error *err)
{
    const char *terminal, *ext;
    struct stat st;
    char spath[1100];
    if (ntr_gp_terminal(format, &terminal, &ext, err) != 0)
        return -1;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ntr_fail(err, NTR_E_INPUT, "no result folder %s", dir);
    if (ntr_path(spath, sizeof spath, err, "%s/summary.csv", dir) != 0 ||
        ntr_table_read(spath, out, err) != 0)
        return -1;
    return 0;
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
    ntr_table *summary;
    if (open_summary(result_dir, format, &summary, err) != 0)
        return -1;
    ntr_plot_lines lines;
    if (ntr_plot_lines_build(summary, NULL, NULL, NULL, &lines, err) != 0) {
        ntr_table_free(summary);
        return -1;
    }
    /* every figure's data first (bad input writes nothing), then files */
    ntr_fig figs[NSTD + 1 + NTR_PLOT_MAX_AXES];
    size_t nfig = 0;
    int rc = 0;
    for (size_t s = 0; rc == 0 && s < NSTD; s++) {
        ntr_fig *f = &figs[nfig];
        rc = ntr_fig_open(f, standard[s].name, lines.n, err);
        if (rc != 0)
            break;
        nfig++;
        snprintf(f->title, sizeof f->title, "%s", standard[s].title);
        snprintf(f->ylabel, sizeof f->ylabel, "%s", standard[s].ylabel);
        ntr_plot_result *count = s == 0 ? res : NULL; /* count the cells once */
        rc = ntr_fig_trajectories(f, result_dir, summary, &lines, NTR_X_K, standard[s].column,
                                  count, err);
    }
    if (rc == 0) {
        int e = ntr_fig_ecdf(&figs[nfig], summary, &lines, err);
        if (e < 0)
            rc = -1;
        else if (e == 0)
            nfig++;
    }
    size_t made = 0;
    if (rc == 0)
        rc = ntr_fig_finals(&figs[nfig], NTR_PLOT_MAX_AXES, summary, NULL, &made, err);
    nfig += made;
    for (size_t i = 0; rc == 0 && i < nfig; i++)
        rc = ntr_fig_finish(&figs[i], result_dir, format, program, res, err);
    for (size_t i = 0; i < nfig; i++)
        ntr_fig_free(&figs[i]);
    ntr_plot_lines_free(&lines);
    ntr_table_free(summary);
    return rc;
}

int ntr_plot_custom(const char *result_dir, const ntr_plot_opts *opts,
                    const ntr_plot_choice *ch, ntr_plot_result *res, char *note, size_t note_size,
                    ntr_error *err)
{
    memset(res, 0, sizeof *res);
    if (note_size)
        note[0] = '\0';
    const char *format = opts && opts->format ? opts->format : "png";
    const char *program = opts ? opts->gnuplot : NULL;
    ntr_table *summary;
    if (open_summary(result_dir, format, &summary, err) != 0)
        return -1;
    ntr_plot_lines lines;
    const char *hue = ch->hue, *style = ch->style;
    if (!hue && !style) /* --x/--y alone: the sweep's defaults, by hue and style */
        hue = "";
    if (hue && !hue[0]) {
        const char *axes[1];
        hue = ntr_summary_axes(summary, axes, 1) ? axes[0] : "group";
        if (ntr_table_find(summary, hue) < 0)
            hue = "hash";
    }
    if (ntr_plot_lines_build(summary, hue, style, NULL, &lines, err) != 0) {
        ntr_table_free(summary);
        return -1;
    }
    if (lines.pooled[0] && note_size)
        snprintf(note, note_size, "lines pool cells that differ in %s (add --style KEY or "
                                  "filter the folder to separate them)",
                 lines.pooled);
    ntr_fig figs[NTR_PLOT_MAX_Y * (1 + NTR_PLOT_MAX_AXES)];
    size_t nfig = 0;
    int rc = 0;
    for (size_t y = 0; rc == 0 && y < ch->ny; y++) {
        ntr_fig *f = &figs[nfig];
        char name[160];
        snprintf(name, sizeof name, "%s_vs_%s", ch->y[y], ntr_plot_x_names[ch->x]);
        rc = ntr_fig_open(f, name, lines.n, err);
        if (rc != 0)
            break;
        nfig++;
        snprintf(f->title, sizeof f->title, "%s against %s: median over each line's cells",
                 ch->y[y], ntr_plot_x_names[ch->x]);
        snprintf(f->ylabel, sizeof f->ylabel, "%s", ch->y[y]);
        rc = ntr_fig_trajectories(f, result_dir, summary, &lines, ch->x, ch->y[y],
                                  y == 0 ? res : NULL, err);
        if (rc == 0 && f->nlines == 0)
            rc = ntr_fail(err, NTR_E_INPUT, "no cell of %s has a finite %s to draw", result_dir,
                          ch->y[y]);
        size_t made = 0;
        if (rc == 0)
            rc = ntr_fig_finals(&figs[nfig], NTR_PLOT_MAX_AXES, summary, ch->y[y], &made, err);
        nfig += made;
    }
    for (size_t i = 0; rc == 0 && i < nfig; i++)
        rc = ntr_fig_finish(&figs[i], result_dir, format, program, res, err);
    for (size_t i = 0; i < nfig; i++)
        ntr_fig_free(&figs[i]);
    ntr_plot_lines_free(&lines);
    ntr_table_free(summary);
    return rc;
}

const char *ntr_plot_figure_stem(size_t i)
{
    static const char *const stems[] = {"convergence", "gap", "mom_err", "ecdf"};
    return i < sizeof stems / sizeof *stems ? stems[i] : NULL;
}

const char *ntr_plot_figure_caption(size_t i)
{
    static const char *const captions[] = {
        "Dual gradient norm against k + 1: median over seeds with its band",
        "Optimality gap f - f* against k + 1",
        "Momentum error ||m_k - grad f(x_k)||_* against k + 1",
        "Targets reached against oracle calls (ECDF over cells and targets)"};
    return i < sizeof captions / sizeof *captions ? captions[i] : NULL;
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

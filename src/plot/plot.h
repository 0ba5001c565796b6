/* plot.h: every figure of a result folder, drawn from its files.
 *
 * Reads RESULT/summary.csv and RESULT/cells/<hash>/trajectory.csv only, so
 * it can be re-run on any folder (a finished run, a resumed one, merged
 * shards) without running a cell.  For each figure it writes, in
 * RESULT/plots/, the data (NAME.dat), the gnuplot script (NAME.gp) and, when
 * gnuplot is installed, the figure (NAME.png / .pdf / .svg):
 *
 *   convergence  ||grad f(x_k)||_* against k+1, log-log
 *   gap          f(x_k) - f*, when some cell logged a finite gap
 *   mom_err      ||m_k - grad f(x_k)||_*, when some cell logged a finite one
 *
 *   ecdf         the fraction of (cell, target) pairs reached against oracle calls
 *   final_KEY    the final measure against each numeric swept key
 *
 * Each trajectory figure has one line per group (cells that differ only by
 * seed), coloured by the first swept key and dashed distinctly within a
 * colour (plot_lines.h): the median over the group's seeds at each logged
 * k, with a band (min-max up to 4 cells, 10%-90% quantiles above; the
 * figure says which, and the key shows each line's n).  A cell that
 * stopped early (diverged, target reached) counts only at the k it logged;
 * non-finite values are left out.  The .dat file holds one gnuplot data
 * block per drawn line, with columns: x, x_plot (k+1), n, median, lo, hi. */
#ifndef NTR_PLOT_H
#define NTR_PLOT_H

#include <stddef.h>

#include "base/error.h"

#define NTR_PLOT_MAX_FIGURES 40
#define NTR_PLOT_MAX_Y 8

typedef struct ntr_plot_opts {
    const char *format;  /* png (NULL means png), pdf or svg */
    const char *gnuplot; /* program to run; NULL: "gnuplot" from PATH */
} ntr_plot_opts;

typedef struct ntr_plot_result {
    int gnuplot_missing;  /* scripts and data written, figures not drawn */
    int gnuplot_failed;   /* gnuplot itself failed (the error says how); data and scripts are whole */
    int nfigures;         /* figures written (data + script) */
    char figures[NTR_PLOT_MAX_FIGURES][128]; /* "convergence.png", relative to plots/ */
    size_t cells;         /* cells listed in summary.csv */
    size_t cells_missing; /* of those, cells with no trajectory.csv yet */
} ntr_plot_result;

/* The figures this module draws, in order: file stem ("convergence") and a
 * one-line caption; NULL when i is past the last one. */
const char *ntr_plot_figure_stem(size_t i);
const char *ntr_plot_figure_caption(size_t i);

/* Draw every figure of result_dir.  A missing folder or summary.csv, or a
 * malformed result file, is an NTR_E_INPUT error and nothing is written;
 * a failing gnuplot is an NTR_E_IO error with res->gnuplot_failed set, a
 * file that cannot be written an NTR_E_IO error naming it, a stop signal
 * an NTR_E_INTERRUPTED error (gnuplot.h).  res may be NULL. */
int ntr_plot_all_ex(const char *result_dir, const ntr_plot_opts *opts, ntr_plot_result *res,
                    ntr_error *err);

/* The short form ntr-run calls at its end: format "png"/"pdf"/"svg" (NULL:
 * png).  When gnuplot is not installed the data and scripts are written
 * anyway, *gnuplot_missing is set (if not NULL) and 0 returned; the caller
 * then warns: "gnuplot not found: figures not drawn; run `ntr-plot DIR`
 * once it is installed". */
int ntr_plot_all(const char *result_dir, const char *format, int *gnuplot_missing,
                 ntr_error *err);

/* The figures a user chooses (ntr-plot --x --y --hue --style): for each y
 * column, y against x (k, sfo or time) as plots/Y_vs_X, one line per pair
 * of hue and style values (NULL: the sweep's first and second keys), and
 * the final y against each numeric swept key (plots/final_Y_KEY).  note
 * receives a warning for the user ("" when none): keys pooled in a line. */
typedef struct ntr_plot_choice {
    int x;                     /* ntr_plot_x: 0 k, 1 sfo, 2 time */
    const char *y[NTR_PLOT_MAX_Y];
    size_t ny;
    const char *hue, *style;   /* summary.csv columns, or NULL */
} ntr_plot_choice;

int ntr_plot_custom(const char *result_dir, const ntr_plot_opts *opts,
                    const ntr_plot_choice *ch, ntr_plot_result *res, char *note, size_t note_size,
                    ntr_error *err);

#endif

/* plot_script.h: the gnuplot script of one figure.
 *
 * A figure's script reads NAME.dat from its own folder (it is run there, and
 * a user can re-run it there: `gnuplot NAME.gp`) and writes NAME.<ext>, or
 * the file named by the gnuplot variable ntr_output when it is set (ntr sets
 * it to a temporary name, renamed once gnuplot succeeds).  Data block i of
 * NAME.dat is line i, in the colour and dash pattern the line was given
 * (plot_lines.h), so a line keeps its look in every figure.  Blocks have
 * the columns x, x_plot (what the x axis shows: k + 1 for k), n, median,
 * lo, hi; a band figure draws the median over a transparent lo-hi band, a
 * points figure the median with lo-hi error bars, a steps figure column 4
 * as a staircase.  Each key entry ends with the line's number of cells. */
#ifndef NTR_PLOT_SCRIPT_H
#define NTR_PLOT_SCRIPT_H

#include <stddef.h>
#include <stdio.h>

#include "base/error.h"

typedef enum { NTR_FIG_BAND = 0, NTR_FIG_POINTS, NTR_FIG_STEPS } ntr_fig_kind;

typedef struct ntr_fig_spec {
    const char *name;   /* file stem, "convergence" */
    const char *column; /* the column drawn, "grad_dual" */
    const char *ylabel;
    const char *title;
    const char *xlabel; /* NULL: k + 1 */
    int logx, logy;     /* log axes (values <= 0 are left out) */
    ntr_fig_kind kind;
    const char *note;   /* a second title line (what the band is, n), or NULL */
} ntr_fig_spec;

/* One drawn line: data block i of NAME.dat. */
typedef struct ntr_fig_line {
    const char *label; /* sanitized before quoting */
    size_t color, dash;
    size_t ncells;     /* cells of the line (shown in the key) */
} ntr_fig_line;

/* The gnuplot dash pattern of dash index i (distinct for i < 8). */
const char *ntr_gp_dash(size_t i);

/* Write the script for spec to f: terminal line from ntr_gp_terminal, file
 * extension ext, nlines >= 1 lines (line i is data block i). */
int ntr_plot_script(FILE *f, const ntr_fig_spec *spec, const char *terminal, const char *ext,
                    const ntr_fig_line *lines, size_t nlines, ntr_error *err);

#endif

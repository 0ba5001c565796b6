/* plot_script.h: the gnuplot script of one band figure.
 *
 * A figure's script reads NAME.dat from its own folder (it is run there, and
 * a user can re-run it there: `gnuplot NAME.gp`) and writes NAME.<ext>, or
 * the file named by the gnuplot variable ntr_output when it is set (ntr sets
 * it to a temporary name, renamed once gnuplot succeeds).  Block i of the
 * data file is drawn as a median line over a transparent 10-90% band, in the
 * colour of its group, so a group keeps its colour in every figure. */
#ifndef NTR_PLOT_SCRIPT_H
#define NTR_PLOT_SCRIPT_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

typedef struct ntr_fig_spec {
    const char *name;   /* file stem, "convergence" */
    const char *column; /* trajectory.csv column drawn, "grad_dual" */
    const char *ylabel;
    const char *title;
} ntr_fig_spec;

/* One drawn line: data block i of NAME.dat. */
typedef struct ntr_fig_line {
    const char *label; /* group label (sanitized before quoting) */
    size_t group;      /* group index, picks the colour */
    size_t ncells;     /* cells of the group */
} ntr_fig_line;

/* Write the script for spec to f: terminal line from ntr_gp_terminal, file
 * extension ext, nlines >= 1 lines (line i is data block i). */
int ntr_plot_script(FILE *f, const ntr_fig_spec *spec, const char *terminal, const char *ext,
                    const ntr_fig_line *lines, size_t nlines, ntr_error *err);

#endif

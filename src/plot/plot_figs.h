/* plot_figs.h: a figure being assembled, and the figures drawn from
 * summary.csv alone (plot_summary_figs.c).
 *
 * ntr_fig holds a figure's .dat text, its lines and its spec until every
 * input has been read; ntr_fig_finish writes plots/NAME.dat and NAME.gp
 * and runs gnuplot.
 *  - ecdf: COCO-style: for every line (a group of cells), the fraction of
 *    its (cell, target) pairs whose target was reached within x oracle
 *    calls (summary.csv's SFO_ columns), against x on a log axis; a pair
 *    never reached never counts, so a line ends at the fraction reached.
 *  - final_KEY: for every swept key whose values are all numbers (an eta
 *    sweep), the final value of a column (default: the folder's measure,
 *    budget.measure) against the key's value, one line per setting of the
 *    other swept keys: the median over seeds with the band as error bars. */
#ifndef NTR_PLOT_FIGS_H
#define NTR_PLOT_FIGS_H

#include <stddef.h>
#include <stdio.h>

#include "plot/plot.h"
#include "plot/plot_lines.h"
#include "plot/plot_script.h"
#include "plot/plot_series.h"

typedef struct ntr_fig {
    char name[200];
    char title[300], ylabel[200], note[700];
    ntr_fig_spec spec;
    char *text;
    size_t len;
    FILE *dat;
    ntr_fig_line *lines;
    size_t nlines, maxcells;
} ntr_fig;

int ntr_fig_open(ntr_fig *f, const char *name, size_t maxlines, ntr_error *err);
void ntr_fig_add_line(ntr_fig *f, const ntr_plot_line *l);
void ntr_fig_free(ntr_fig *f);
int ntr_fig_trajectories(ntr_fig *f, const char *dir, const ntr_table *summary,
                         const ntr_plot_lines *lines, ntr_plot_x x, const char *y,
                         ntr_plot_result *res, ntr_error *err);
int ntr_fig_finish(ntr_fig *f, const char *dir, const char *format, const char *program,
                   ntr_plot_result *res, ntr_error *err);

/* 0: figure opened in f; 1: nothing to draw (no targets, none reached);
 * -1: error. */
int ntr_fig_ecdf(ntr_fig *f, const ntr_table *summary, const ntr_plot_lines *lines,
                 ntr_error *err);
/* Up to max final-value figures opened in figs[0..*made-1]; y NULL: the
 * folder's measure. */
int ntr_fig_finals(ntr_fig *figs, size_t max, const ntr_table *summary, const char *y,
                   size_t *made, ntr_error *err);

#endif

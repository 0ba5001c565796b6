/* plot_lines.h: which lines a figure draws, in which colour and dash.
 *
 * Lines come from summary.csv (one row per cell).  Its swept keys are the
 * columns between `replicate` and `status`.
 *  - By group (the default figures): one line per group (cells that differ
 *    only by seed).  The colour is given by the value of the hue key (the
 *    first swept key), and the lines of one colour get distinct dash
 *    patterns, in order (with two swept keys: the second key's values), so
 *    that no two lines look alike, even where they coincide.
 *  - By hue and style (ntr-plot --hue/--style): one line per pair of values
 *    of the two keys (any summary column: a swept key or a setting), colour
 *    by the hue value, dash by the style value.  Without --style the style
 *    key is the first other swept key.  Cells that differ in another swept
 *    key fall into one line: `pooled` names those keys.
 *  - By the other keys (the final-value figures): the cells' group without
 *    the key on the x axis.
 * A line's label is its values with short keys ("norm=spectral
 * nesterov=true"). */
#ifndef NTR_PLOT_LINES_H
#define NTR_PLOT_LINES_H

#include <stddef.h>

#include "base/error.h"
#include "base/table.h"

#define NTR_PLOT_MAX_AXES 32

typedef struct ntr_plot_line {
    char label[256];
    size_t color, dash;   /* from 0 */
    size_t ncells;
    size_t *rows;         /* summary rows of its cells */
} ntr_plot_line;

typedef struct ntr_plot_lines {
    size_t n;
    ntr_plot_line *line;
    char hue[128], style[128]; /* the keys ("" when none) */
    char pooled[512];          /* swept keys that vary inside a line ("" none) */
} ntr_plot_lines;

/* The swept keys: summary columns between replicate and status. */
size_t ntr_summary_axes(const ntr_table *summary, const char **axes, size_t max);

/* Lines by group (hue NULL, style NULL, exclude NULL), by hue and style
 * (either given: an unknown column is an input error listing the swept
 * keys), or by the swept keys but exclude.  rows/nrows: the summary rows
 * to draw (NULL: all). */
int ntr_plot_lines_build(const ntr_table *summary, const char *hue, const char *style,
                         const char *exclude, ntr_plot_lines *out, ntr_error *err);
void ntr_plot_lines_free(ntr_plot_lines *l);

#endif

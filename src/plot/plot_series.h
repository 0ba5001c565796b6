/* plot_series.h: one line of a figure from its cells' files.
 *
 * Each cell of a line contributes a series (x, y): x is its k, its oracle
 * calls (sfo) or its wall time (timing.csv's time_s at the same rows), y a
 * column of its trajectory.csv.  The line is the median over its cells at
 * each x with a band: the cells' x values when every cell has the same
 * ones (seeds of one setting, against k or sfo), otherwise 80 points
 * spaced evenly on a log scale, where each cell counts with its last value
 * logged at or before that x (and not after its last row).  The band is
 * the range (min to max) when the line has at most 4 cells, where a 10-90%
 * quantile would only interpolate between them, and the 10%-90% quantiles
 * above; ntr_band_kind() names it for the figure. */
#ifndef NTR_PLOT_SERIES_H
#define NTR_PLOT_SERIES_H

#include <stddef.h>
#include <stdio.h>

#include "base/error.h"
#include "plot/plot_lines.h"
#include "base/table.h"

typedef enum { NTR_X_K = 0, NTR_X_SFO, NTR_X_TIME } ntr_plot_x;

/* "k", "sfo", "time" */
extern const char *const ntr_plot_x_names[];

#define NTR_BAND_RANGE_MAX 4 /* up to this many cells: a min-max band */

/* The band statistic for lines of up to maxcells cells, for titles:
 * "min-max" or "10%-90% quantiles". */
const char *ntr_band_kind(size_t maxcells);

typedef struct ntr_line_data {
    size_t cells_read, cells_missing; /* cells with / without a trajectory yet */
    size_t rows;                      /* rows written */
} ntr_line_data;

/* Append line's data block (x, x_plot, n, median, lo, hi) to dat, reading
 * dir/cells/<hash>/trajectory.csv (and timing.csv for time).  A column a
 * cell lacks counts as missing values; nothing finite: no rows (the caller
 * leaves the line out when out->rows is 0, but must still end the block
 * if it wrote anything: this function writes the block's terminating
 * blank lines only when it wrote rows). */
int ntr_plot_line_block(FILE *dat, const char *dir, const ntr_table *summary,
                        const ntr_plot_line *line, ntr_plot_x x, const char *ycol,
                        ntr_line_data *out, ntr_error *err);

#endif

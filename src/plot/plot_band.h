/* plot_band.h: the median and quantile band of a group of trajectories.
 *
 * The statistic behind every figure: at each logged k (the union of the k's
 * the group's cells logged), the median and the 10% / 90% quantiles of the
 * finite values the cells logged at that k (GSL's
 * gsl_stats_quantile_from_sorted_data: linear interpolation between order
 * statistics), and the smallest and largest value.  A cell that stopped
 * early simply has no value at later k. */
#ifndef NTR_PLOT_BAND_H
#define NTR_PLOT_BAND_H

#include <stddef.h>

#include "base/error.h"

#define NTR_BAND_LO 0.1
#define NTR_BAND_HI 0.9

/* One cell's values of one column against k (k strictly increasing). */
typedef struct ntr_series {
    size_t n;
    const double *k;
    const double *v;
} ntr_series;

typedef struct ntr_band_row {
    double k;
    size_t n; /* cells with a finite value at k (>= 1) */
    double median, lo, hi; /* lo, hi: the 10% and 90% quantiles */
    double min, max;
} ntr_band_row;

/* The band of ncells series: *rows (malloc'ed, free() it) has one row per k
 * at which at least one cell has a finite value, k ascending.  *nrows may be 0
 * (then *rows is NULL). */
int ntr_band_compute(const ntr_series *cells, size_t ncells, ntr_band_row **rows,
                     size_t *nrows, ntr_error *err);

#endif

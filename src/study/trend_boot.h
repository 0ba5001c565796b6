/* trend_boot.h: is a statistic monotone along a setting?  A bootstrap test
 * over seeds (the direction of b* in beta and in lambda, claim C7; the
 * floor against alpha, claim C5).
 *
 * There are m points x_0 < x_1 < ... < x_{m-1} (beta values, say) and the
 * same n seeds (replicates) at every point.  The caller's statistic maps a
 * multiset of seed indices to each point's value (b* from the median T(b)
 * of those seeds, a median floor, ...); it may return NAN (not found, e.g.
 * no batch reached the target) or +-INFINITY.  The trend is the
 * least-squares slope of log(stat) against log(x) (or against x when the
 * x are not all positive, e.g. lambda = 0).  The bootstrap resamples the
 * seeds with replacement, the same draw for every point (common random
 * numbers across settings), recomputes every point's statistic and the
 * slope; the 95% interval is the 2.5% and 97.5% quantiles of the slopes,
 * and the share of resamples in which the statistic strictly rises (or
 * falls) at every step is reported too.  Direction: `rises` when the
 * interval lies above 0, `falls` when below, `flat` when it holds 0 and
 * lies within +-flat_band, `undecided` otherwise, `inconclusive` when the
 * statistic is missing at some point in the full data or in more than
 * 10% of the resamples.  The generator is GSL's mt19937 with a fixed seed:
 * the same data give the same answer. */
#ifndef NTR_STUDY_TREND_BOOT_H
#define NTR_STUDY_TREND_BOOT_H

#include <stddef.h>

#include "base/error.h"

#define NTR_TREND_MAX_POINTS 64
#define NTR_TREND_MAX_SEEDS 256

/* The statistic of point i from the seeds seed[0..n) (indices, repeats
 * allowed). */
typedef double (*ntr_trend_stat)(size_t point, const size_t *seed, size_t n, void *ctx);

typedef enum {
    NTR_TREND_RISES = 0,
    NTR_TREND_FALLS,
    NTR_TREND_FLAT,
    NTR_TREND_UNDECIDED,
    NTR_TREND_INCONCLUSIVE
} ntr_trend_direction;

extern const char *const ntr_trend_direction_names[]; /* "rises", "falls", ... */

typedef struct ntr_trend {
    size_t npoints, nseeds, nboot;
    int log_x;               /* slope against log x (all x > 0), else against x */
    double stat[NTR_TREND_MAX_POINTS]; /* each point's statistic on all seeds */
    double slope;            /* on all seeds (NAN when some stat is missing) */
    double ci_lo, ci_hi;     /* 95% bootstrap interval of the slope */
    double share_rising, share_falling; /* resamples strictly monotone at every step */
    size_t missing;          /* resamples with a missing statistic (left out) */
    ntr_trend_direction direction;
} ntr_trend;

/* x[npoints] increasing; nseeds seeds; nboot resamples (>= 100 advised);
 * flat_band >= 0 (0: never `flat`).  Errors: bad sizes or x not increasing. */
int ntr_trend_test(const double *x, size_t npoints, size_t nseeds, ntr_trend_stat stat, void *ctx,
                   size_t nboot, unsigned long rng_seed, double flat_band, ntr_trend *out,
                   ntr_error *err);

/* "falls: slope -0.93 [-1.1, -0.75], strictly falling in 88% of 1000 resamples" */
void ntr_trend_text(const ntr_trend *t, char *buf, size_t size);

#endif

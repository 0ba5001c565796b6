/* trend_boot.c: the bootstrap test of a monotone trend over seeds (see
 * trend_boot.h). */
#include "study/trend_boot.h"

#include <gsl/gsl_fit.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char *const ntr_trend_direction_names[] = {"rises", "falls", "flat", "undecided",
                                                 "inconclusive", NULL};

/* The slope of log(y) (y > 0, finite) against u; NAN when a y is not. */
static double slope_of(const double *u, const double *y, size_t m)
{
    double ly[NTR_TREND_MAX_POINTS];
    for (size_t i = 0; i < m; i++) {
        if (!(y[i] > 0) || !isfinite(y[i]))
            return NAN;
        ly[i] = log(y[i]);
    }
    double c0, c1, cov00, cov01, cov11, sumsq;
    gsl_fit_linear(u, 1, ly, 1, m, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    return c1;
}

/* +1 strictly rising at every step, -1 strictly falling, 0 neither. */
static int monotone(const double *y, size_t m)
{
    int up = 1, down = 1;
    for (size_t i = 1; i < m; i++) {
        up = up && y[i] > y[i - 1];
        down = down && y[i] < y[i - 1];
    }
    return up ? 1 : down ? -1 : 0;
}

int ntr_trend_test(const double *x, size_t npoints, size_t nseeds, ntr_trend_stat stat, void *ctx,
                   size_t nboot, unsigned long rng_seed, double flat_band, ntr_trend *out,
                   ntr_error *err)
{
    ntr_trend *t = out;
    *t = (ntr_trend){0};
    if (npoints < 2 || npoints > NTR_TREND_MAX_POINTS)
        return ntr_fail(err, NTR_E_INPUT, "a trend needs 2 to %d points, not %zu",
                        NTR_TREND_MAX_POINTS, npoints);
    if (nseeds < 1 || nseeds > NTR_TREND_MAX_SEEDS || nboot < 1)
        return ntr_fail(err, NTR_E_INPUT, "a trend needs 1 to %d seeds and a resample count",
                        NTR_TREND_MAX_SEEDS);
    t->log_x = 1;
    for (size_t i = 0; i < npoints; i++) {
        if (i > 0 && !(x[i] > x[i - 1]))
            return ntr_fail(err, NTR_E_INPUT, "trend points must increase (%g after %g)", x[i],
                            x[i - 1]);
        t->log_x = t->log_x && x[i] > 0;
    }
    double u[NTR_TREND_MAX_POINTS], y[NTR_TREND_MAX_POINTS];
    for (size_t i = 0; i < npoints; i++)
        u[i] = t->log_x ? log(x[i]) : x[i];
    t->npoints = npoints;
    t->nseeds = nseeds;
    t->nboot = nboot;
    size_t seed[NTR_TREND_MAX_SEEDS];
    for (size_t j = 0; j < nseeds; j++)
        seed[j] = j;
    for (size_t i = 0; i < npoints; i++)
        t->stat[i] = stat(i, seed, nseeds, ctx);
    t->slope = slope_of(u, t->stat, npoints);

    double *slopes = malloc(nboot * sizeof *slopes);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!slopes || !r) {
        free(slopes);
        gsl_rng_free(r);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    gsl_rng_set(r, rng_seed);
    size_t kept = 0, rising = 0, falling = 0;
    for (size_t b = 0; b < nboot; b++) {
        for (size_t j = 0; j < nseeds; j++)
            seed[j] = (size_t)gsl_rng_uniform_int(r, nseeds);
        for (size_t i = 0; i < npoints; i++)
            y[i] = stat(i, seed, nseeds, ctx);
        double s = slope_of(u, y, npoints);
        if (isnan(s)) {
            t->missing++;
            continue;
        }
        slopes[kept++] = s;
        int mono = monotone(y, npoints);
        rising += mono > 0;
        falling += mono < 0;
    }
    gsl_rng_free(r);
    t->ci_lo = t->ci_hi = NAN;
    if (kept > 0) {
        gsl_sort(slopes, 1, kept);
        t->ci_lo = gsl_stats_quantile_from_sorted_data(slopes, 1, kept, 0.025);
        t->ci_hi = gsl_stats_quantile_from_sorted_data(slopes, 1, kept, 0.975);
        t->share_rising = (double)rising / (double)kept;
        t->share_falling = (double)falling / (double)kept;
    }
    free(slopes);
    if (isnan(t->slope) || kept == 0 || (double)t->missing > 0.1 * (double)nboot)
        t->direction = NTR_TREND_INCONCLUSIVE;
    else if (t->ci_lo > 0)
        t->direction = NTR_TREND_RISES;
    else if (t->ci_hi < 0)
        t->direction = NTR_TREND_FALLS;
    else if (flat_band > 0 && t->ci_lo >= -flat_band && t->ci_hi <= flat_band)
        t->direction = NTR_TREND_FLAT;
    else
        t->direction = NTR_TREND_UNDECIDED;
    return 0;
}

void ntr_trend_text(const ntr_trend *t, char *buf, size_t size)
{
    if (isnan(t->slope)) {
        snprintf(buf, size, "%s: the statistic is missing at some point",
                 ntr_trend_direction_names[t->direction]);
        return;
    }
    int n = snprintf(buf, size, "%s: slope of log %s %.3g [%.3g, %.3g]",
                     ntr_trend_direction_names[t->direction], t->log_x ? "against log x" : "against x",
                     t->slope, t->ci_lo, t->ci_hi);
    if (n < 0 || (size_t)n >= size)
        return;
    size_t u = (size_t)n;
    n = snprintf(buf + u, size - u, ", strictly %s in %.0f%% of %zu resamples",
                 t->share_falling > t->share_rising ? "falling" : "rising",
                 100.0 * (t->share_falling > t->share_rising ? t->share_falling : t->share_rising),
                 t->nboot - t->missing);
    if (n > 0 && t->missing && (size_t)n < size - u)
        snprintf(buf + u + (size_t)n, size - u - (size_t)n, " (%zu left out: statistic missing)",
                 t->missing);
}

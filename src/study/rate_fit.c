/* rate_fit.c: exponent fit, bootstrap interval and verdict (see rate_fit.h). */
#include "rate_fit.h"

#include <gsl/gsl_fit.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const ntr_rate_verdict_names[] = {"tight", "faster", "violated", "inconclusive",
                                              NULL};

double ntr_rate_stat(const double *v, size_t n, int mean, double *work)
{
    if (n == 0)
        return NAN;
    if (mean)
        return gsl_stats_mean(v, 1, n);
    memcpy(work, v, n * sizeof *v);
    gsl_sort(work, 1, n);
    return gsl_stats_median_from_sorted_data(work, 1, n);
}

/* Least-squares slope and intercept of y on x; NAN when n < 2 or x is constant. */
static void line(const double *x, const double *y, size_t n, double *slope, double *icept)
{
    double c0, c1, c00, c01, c11, ss;
    *slope = *icept = NAN;
    if (n < 2 || gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &c00, &c01, &c11, &ss) != 0)
        return;
    *slope = c1;
    *icept = c0;
}

int ntr_rate_fit_exponent(const double *eps, const double *K, size_t neps, size_t nseeds,
                          const int *use, int mean, long nboot, unsigned long seed,
                          ntr_rate_fit *fit, double *stat, double *lo, double *hi,
                          double *slopes_out, size_t *nslopes_out, ntr_error *err)
{
    memset(fit, 0, sizeof *fit);
    fit->slope = fit->intercept = fit->ci_lo = fit->ci_hi = NAN;
    for (size_t i = 0; i < neps; i++)
        stat[i] = lo[i] = hi[i] = NAN;
    if (nseeds == 0 || nboot < 1)
        return ntr_fail(err, NTR_E_INTERNAL, "rate fit: no seeds or no resamples");
    size_t np = 0;
    for (size_t i = 0; i < neps; i++)
        np += use[i] != 0;
    fit->npoints = np;
    double *x = malloc((np + 1) * sizeof *x), *y = malloc((np + 1) * sizeof *y);
    double *work = malloc(nseeds * sizeof *work), *draw = malloc(nseeds * sizeof *draw);
    double *slopes = malloc((size_t)nboot * sizeof *slopes);
    double *pstat = malloc((size_t)nboot * (np + 1) * sizeof *pstat);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!x || !y || !work || !draw || !slopes || !pstat || !rng) {
        free(x), free(y), free(work), free(draw), free(slopes), free(pstat);
        gsl_rng_free(rng);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    gsl_rng_set(rng, seed);
    size_t j = 0;
    for (size_t i = 0; i < neps; i++) {
        if (!use[i])
            continue;
        stat[i] = ntr_rate_stat(K + i * nseeds, nseeds, mean, work);
        x[j] = log(1.0 / eps[i]);
        y[j] = log(stat[i]);
        j++;
    }
    line(x, y, np, &fit->slope, &fit->intercept);
    size_t nslopes = 0;
    for (long b = 0; b < nboot; b++) {
        j = 0;
        for (size_t i = 0; i < neps; i++) {
            if (!use[i])
                continue;
            for (size_t s = 0; s < nseeds; s++)
                draw[s] = K[i * nseeds + gsl_rng_uniform_int(rng, nseeds)];
            double v = ntr_rate_stat(draw, nseeds, mean, work);
            pstat[j * (size_t)nboot + (size_t)b] = v;
            y[j] = log(v);
            j++;
        }
        double sl, ic;
        line(x, y, np, &sl, &ic);
        if (!isnan(sl))
            slopes[nslopes++] = sl;
    }
    if (slopes_out) /* in resample order: independent of another fit's */
        memcpy(slopes_out, slopes, nslopes * sizeof *slopes);
    if (nslopes_out)
        *nslopes_out = nslopes;
    if (nslopes > 0) {
        gsl_sort(slopes, 1, nslopes);
        fit->ci_lo = gsl_stats_quantile_from_sorted_data(slopes, 1, nslopes, 0.025);
        fit->ci_hi = gsl_stats_quantile_from_sorted_data(slopes, 1, nslopes, 0.975);
    }
    j = 0;
    for (size_t i = 0; i < neps; i++) {
        if (!use[i])
            continue;
        double *ps = pstat + j * (size_t)nboot;
        gsl_sort(ps, 1, (size_t)nboot);
        lo[i] = gsl_stats_quantile_from_sorted_data(ps, 1, (size_t)nboot, 0.025);
        hi[i] = gsl_stats_quantile_from_sorted_data(ps, 1, (size_t)nboot, 0.975);
        j++;
    }
    free(x), free(y), free(work), free(draw), free(slopes), free(pstat);
    gsl_rng_free(rng);
    return 0;
}

void ntr_rate_difference_ci(const double *a, size_t na, const double *b, size_t nb, double *lo,
                            double *hi)
{
    size_t n = na < nb ? na : nb;
    *lo = *hi = NAN;
    double *d = n ? malloc(n * sizeof *d) : NULL;
    if (!d)
        return;
    for (size_t i = 0; i < n; i++) /* independent resamples: pair by index */
        d[i] = a[i] - b[i];
    gsl_sort(d, 1, n);
    *lo = gsl_stats_quantile_from_sorted_data(d, 1, n, 0.025);
    *hi = gsl_stats_quantile_from_sorted_data(d, 1, n, 0.975);
    free(d);
}

ntr_rate_verdict ntr_rate_judge(const ntr_rate_fit *fit, double expect, double tolerance,
                                int exceeded)
{
    if (exceeded)
        return NTR_RATE_VIOLATED;
    if (fit->npoints < 2 || isnan(fit->slope))
        return NTR_RATE_INCONCLUSIVE;
    if ((fit->ci_lo <= expect && expect <= fit->ci_hi) || fabs(fit->slope - expect) <= tolerance)
        return NTR_RATE_TIGHT;
    return fit->slope < expect ? NTR_RATE_FASTER : NTR_RATE_VIOLATED;
}

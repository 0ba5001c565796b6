/* rate_fit.c: exponent fit, its intervals and the verdict rules (see
 * rate_fit.h). */
#include "study/rate/rate_fit.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ntr_rate_verdict_names[] = {"tight", "consistent", "violated", "inconclusive",
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

void ntr_rate_quantiles95(double *v, size_t n, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (n == 0)
        return;
    gsl_sort(v, 1, n);
    *lo = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.025);
    *hi = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.975);
}

void ntr_rate_fit_line(const double *eps, const double *K, size_t n, double *slopes,
                       size_t nslopes, ntr_rate_fit *fit)
{
    memset(fit, 0, sizeof *fit);
    fit->slope = fit->intercept = fit->par_lo = fit->par_hi = NAN;
    fit->boot_lo = fit->boot_hi = fit->ci_lo = fit->ci_hi = fit->rms = NAN;
    fit->npoints = n;
    double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = log(1.0 / eps[i]);
        y[i] = log(K[i]);
    }
    double c0, c1, c00, c01, c11, ss;
    if (n >= 2 && gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &c00, &c01, &c11, &ss) == 0) {
        fit->slope = c1;
        fit->intercept = c0;
        fit->rms = sqrt(ss / (double)n);
        if (n >= 3) { /* c11 = ss/(n-2) / sum (x - mean x)^2: the slope's variance */
            double t = gsl_cdf_tdist_Pinv(0.975, (double)(n - 2));
            double half = t * sqrt(c11);
            fit->par_lo = c1 - half;
            fit->par_hi = c1 + half;
        }
    }
    free(x);
    free(y);
    ntr_rate_quantiles95(slopes, nslopes, &fit->boot_lo, &fit->boot_hi);
    fit->ci_lo = fmin(fit->par_lo, fit->boot_lo); /* fmin ignores one NAN */
    fit->ci_hi = fmax(fit->par_hi, fit->boot_hi);
    if (isnan(fit->ci_lo) && !isnan(fit->slope))
        fit->ci_lo = fit->ci_hi = fit->slope; /* two points, no resample: the point itself */
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
    ntr_rate_quantiles95(d, n, lo, hi);
    free(d);
}

ntr_rate_verdict ntr_rate_judge(const ntr_rate_evidence *e, char *why, size_t size)
{
    const ntr_rate_fit *f = &e->fit;
    if (e->censored_past_theory) {
        snprintf(why, size, "%zu eps not reached within a budget of at least K_theory",
                 e->censored_past_theory);
        return NTR_RATE_VIOLATED;
    }
    if (e->above_theory) {
        snprintf(why, size, "K above K_theory at %zu eps", e->above_theory);
        return NTR_RATE_VIOLATED;
    }
    int fitted = f->npoints >= 2 && !isnan(f->slope);
    if (fitted && f->ci_lo > e->expect && f->slope - e->expect > e->tolerance) {
        snprintf(why, size, "exponent %.2f above the claimed %g beyond its interval [%.2f, %.2f]",
                 f->slope, e->expect, f->ci_lo, f->ci_hi);
        return NTR_RATE_VIOLATED;
    }
    if (e->pending) {
        snprintf(why, size, "%zu eps with cells not run yet", e->pending);
        return NTR_RATE_INCONCLUSIVE;
    }
    if (e->censored) {
        snprintf(why, size, "%zu censored eps (not reached within the budget, below K_theory)",
                 e->censored);
        return NTR_RATE_INCONCLUSIVE;
    }
    if (e->untuned) {
        snprintf(why, size, "%zu eps not tuned (best point on the grid's edge)", e->untuned);
        return NTR_RATE_INCONCLUSIVE;
    }
    if (e->usable < NTR_RATE_MIN_EPS || !(e->eps_span >= NTR_RATE_MIN_SPAN * (1 - 1e-9))) {
        snprintf(why, size, "%zu usable eps over a factor %.3g: an exponent needs %d or more over "
                            "a decade",
                 e->usable, e->eps_span, NTR_RATE_MIN_EPS);
        return NTR_RATE_INCONCLUSIVE;
    }
    if (!fitted) {
        snprintf(why, size, "no exponent could be fitted");
        return NTR_RATE_INCONCLUSIVE;
    }
    int inside = (f->ci_lo <= e->expect && e->expect <= f->ci_hi) ||
                 fabs(f->slope - e->expect) <= e->tolerance;
    if (e->lower_bound) {
        if (inside) {
            snprintf(why, size, "exponent %.2f [%.2f, %.2f] matches the claimed %g on a "
                                "lower-bound instance",
                     f->slope, f->ci_lo, f->ci_hi, e->expect);
            return NTR_RATE_TIGHT;
        }
        snprintf(why, size, "exponent %.2f [%.2f, %.2f] below the claimed %g on an instance "
                            "whose lower bound should bind: it does not bind in this eps range",
                 f->slope, f->ci_lo, f->ci_hi, e->expect);
        return NTR_RATE_INCONCLUSIVE;
    }
    snprintf(why, size, "exponent %.2f [%.2f, %.2f] not above the claimed %g (no lower bound "
                        "applies here: the best possible verdict is consistent)",
             f->slope, f->ci_lo, f->ci_hi, e->expect);
    return NTR_RATE_CONSISTENT;
}

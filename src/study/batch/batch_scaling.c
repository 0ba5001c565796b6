/* batch_scaling.c: does b* scale with Y/eps' as the theory's formula says?
 * (claim C7, THEORY.md section 2; see batch.h).
 *
 * The bound X/T + Y/b + Z gives b* = 2 Y/eps' (its Y/sqrt(b) version
 * b* = 9 Y^2/(4 eps'^2)), with Y = (2 beta + 1)(1 - beta) + lambda (times
 * sigma^2/2, the same for every setting) and eps' = eps - Z the part of the
 * target above the floor.  With each setting's target F times its own
 * full-batch floor, eps' = target (F - 1)/F differs between settings, so b*
 * along beta or lambda alone mixes Y's trend with the floors'; the formula
 * itself is tested here: the least-squares slope p of log b* against
 * log(Y/eps') over the settings, with a 95% interval from resampling the
 * seeds (the same draw for every setting; a setting whose b* is missing or
 * on the grid's edge in a resample is left out of that resample's fit).
 * The Y/b form predicts p = 1, the Y/sqrt(b) form p = 2; the claim "b*
 * grows with Y/eps'" holds when the interval lies above 0. */
#include <gsl/gsl_fit.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "study/batch/batch.h"
#include "study/trend_boot.h"

/* Slope of log b* against log(Y/eps') over the settings with both, from
 * the replicates rep[0..n); NAN with fewer than 3 settings or no spread. */
static double slope_of(const ntr_batch_seeds *sd, const size_t *rep, size_t n, double *x,
                       double *y, size_t *used)
{
    size_t m = 0;
    for (size_t s = 0; s < sd->ns; s++) {
        if (!(sd->yeps[s] > 0))
            continue;
        double b = ntr_batch_bstar_of(sd, s, rep, n);
        if (!(b > 0))
            continue;
        x[m] = log(sd->yeps[s]);
        y[m++] = log(b);
    }
    *used = m;
    if (m < 3)
        return NAN;
    double c0, c1, cov00, cov01, cov11, ss;
    if (gsl_fit_linear(x, 1, y, 1, m, &c0, &c1, &cov00, &cov01, &cov11, &ss) != 0 ||
        !isfinite(c1))
        return NAN;
    return c1;
}

int ntr_batch_scaling(const ntr_batch_seeds *sd, long nboot, ntr_batch_scaling_result *out,
                      ntr_error *err)
{
    *out = (ntr_batch_scaling_result){.slope = NAN, .ci_lo = NAN, .ci_hi = NAN, .holds = -1};
    if (sd->nreps == 0 || sd->nreps > NTR_TREND_MAX_SEEDS || nboot < 1)
        return 0;
    size_t ns1 = sd->ns ? sd->ns : 1;
    double *x = malloc(ns1 * sizeof *x), *y = malloc(ns1 * sizeof *y);
    double *slopes = malloc((size_t)nboot * sizeof *slopes);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!x || !y || !slopes || !r) {
        free(x);
        free(y);
        free(slopes);
        if (r)
            gsl_rng_free(r);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    gsl_rng_set(r, 9090);
    size_t rep[NTR_TREND_MAX_SEEDS];
    for (size_t i = 0; i < sd->nreps; i++)
        rep[i] = i;
    out->slope = slope_of(sd, rep, sd->nreps, x, y, &out->nsettings);
    size_t ok = 0;
    for (long b = 0; b < nboot; b++) {
        for (size_t i = 0; i < sd->nreps; i++)
            rep[i] = (size_t)gsl_rng_uniform_int(r, sd->nreps);
        size_t used;
        double p = slope_of(sd, rep, sd->nreps, x, y, &used);
        if (isnan(p))
            out->missing++;
        else
            slopes[ok++] = p;
    }
    out->nboot = (size_t)nboot;
    if (!isnan(out->slope) && ok > 0 && out->missing * 10 <= out->nboot) {
        gsl_sort(slopes, 1, ok);
        out->ci_lo = gsl_stats_quantile_from_sorted_data(slopes, 1, ok, 0.025);
        out->ci_hi = gsl_stats_quantile_from_sorted_data(slopes, 1, ok, 0.975);
        out->holds = out->ci_lo > 0 ? 1 : out->ci_hi < 0 ? 0 : -1;
    }
    free(x);
    free(y);
    free(slopes);
    gsl_rng_free(r);
    return 0;
}

void ntr_batch_scaling_text(const ntr_batch_scaling_result *s, char *buf, size_t size)
{
    if (isnan(s->slope)) {
        snprintf(buf, size, "b* against Y/eps': inconclusive (%zu settings with an interior b*, "
                            "3 needed)", s->nsettings);
        return;
    }
    if (isnan(s->ci_lo)) {
        snprintf(buf, size, "b* against Y/eps', over %zu settings: log-log slope p = %.3g, "
                            "inconclusive (fewer than 3 settings with an interior b* in %zu of "
                            "%zu resamples)",
                 s->nsettings, s->slope, s->missing, s->nboot);
        return;
    }
    int one = s->ci_lo <= 1 && 1 <= s->ci_hi, two = s->ci_lo <= 2 && 2 <= s->ci_hi;
    snprintf(buf, size, "b* against Y/eps' (Y = (2 beta + 1)(1 - beta) + lambda, eps' = target - "
                        "floor), over %zu settings: log-log slope p = %.3g [%.3g, %.3g] "
                        "(bootstrap over seeds, %zu resamples, %zu left out); the Y/b form "
                        "predicts p = 1 (%s), the Y/sqrt(b) form p = 2 (%s); b* grows with Y/eps' "
                        "%s",
             s->nsettings, s->slope, s->ci_lo, s->ci_hi, s->nboot, s->missing,
             one ? "inside the interval" : "outside", two ? "inside the interval" : "outside",
             s->holds > 0 ? "as claimed" : s->holds == 0 ? "NOT as claimed: it falls"
                                                         : "no clear direction");
}

double ntr_batch_row_target(const ntr_table *sum, size_t row)
{
    long c = ntr_table_find(sum, "budget.targets");
    if (c < 0)
        return NAN;
    const char *v = ntr_table_str(sum, row, (size_t)c);
    while (*v == '[' || *v == ' ')
        v++;
    char *end;
    double t = strtod(v, &end);
    return end != v && t > 0 ? t : NAN;
}

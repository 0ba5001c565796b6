/* extrap_analysis.c: the extrapolation study's checks and verdict (see
 * extrap_analysis.h). */
#include "study/extrap/extrap_analysis.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/textbuf.h"
#include "study/trend_boot.h"

const char *const ntr_ex_cross_state_names[] = {"found", "below the grid", "above the grid",
                                                "missing", NULL};

double ntr_ex_floor(double sigma, double alpha) { return sigma * sqrt(alpha / (2.0 - alpha)); }

/* ---- (a) ------------------------------------------------------------ */

static void point_results(ntr_ex_mom *p, size_t nroles)
{
    double off = p->err[NTR_EX_OFF], F = p->floor;
    p->lag = p->L * p->eta / p->alpha;
    p->bias_off = isnan(off) ? NAN : sqrt(fmax(0.0, off * off - F * F));
    p->c = p->bias_off / p->lag;
    double second = p->L * p->eta + p->L2 * (p->eta / p->alpha) * (p->eta / p->alpha);
    p->envelope = sqrt(F * F + second * second);
    p->in_fit = p->travel && !isnan(off) && p->lag >= 2.0 * F && p->bias_off > 0;
    p->ok[NTR_EX_OFF] = -1;
    for (size_t r = NTR_EX_ON; r < nroles; r++) {
        double e = p->err[r];
        if (isnan(e) || isnan(p->envelope))
            p->ok[r] = -1;
        else
            p->ok[r] = e <= NTR_EX_FLOOR_FACTOR * p->envelope &&
                       (!p->floor_exact || e >= F / NTR_EX_FLOOR_FACTOR);
    }
}

/* Distance of a ratio from 1 on the log scale. */
static double off_one(double ratio) { return fabs(log(ratio)); }

/* The means of log lag and log bias_off over dose d's points in the fit;
 * their number (0: none, means left at 0). */
static size_t dose_means(const ntr_ex_mom *p, size_t n, size_t d, double *mx, double *my)
{
    size_t m = 0;
    *mx = *my = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i].in_fit && p[i].dose == d) {
            *mx += log(p[i].lag);
            *my += log(p[i].bias_off);
            m++;
        }
    if (m) {
        *mx /= (double)m;
        *my /= (double)m;
    }
    return m;
}

/* The common slope of y on x with one intercept per dose (least squares,
 * centred within each dose) and its 95% Student-t interval. */
static void lag_fit(const ntr_ex_mom *p, size_t n, size_t ndoses, ntr_ex_mom_result *r)
{
    r->slope = r->lo = r->hi = NAN;
    r->c_min = INFINITY;
    r->c_max = -INFINITY;
    double sxy = 0, sxx = 0, rss = 0;
    size_t nused = 0, groups = 0;
    for (size_t d = 0; d < ndoses; d++) {
        double mx, my;
        size_t m = dose_means(p, n, d, &mx, &my);
        if (m == 0)
            continue;
        groups++;
        nused += m;
        for (size_t i = 0; i < n; i++)
            if (p[i].in_fit && p[i].dose == d) {
                double dx = log(p[i].lag) - mx, dy = log(p[i].bias_off) - my;
                sxy += dx * dy;
                sxx += dx * dx;
                r->c_min = fmin(r->c_min, p[i].c);
                r->c_max = fmax(r->c_max, p[i].c);
            }
    }
    r->nfit = nused;
    if (nused < NTR_EX_MIN_FIT || !(sxx > 0))
        return;
    r->slope = sxy / sxx;
    for (size_t d = 0; d < ndoses; d++) {
        double mx, my;
        size_t m = dose_means(p, n, d, &mx, &my);
        for (size_t i = 0; m && i < n; i++)
            if (p[i].in_fit && p[i].dose == d) {
                double res = (log(p[i].bias_off) - my) - r->slope * (log(p[i].lag) - mx);
                rss += res * res;
            }
    }
    /* n points less one intercept per dose and the slope */
    size_t dof = nused > groups + 1 ? nused - groups - 1 : 0;
    if (dof == 0)
        return;
    double se = sqrt(rss / (double)dof / sxx);
    double t = gsl_cdf_tdist_Pinv(0.975, (double)dof);
    r->lo = r->slope - t * se;
    r->hi = r->slope + t * se;
}

int ntr_ex_momentum(ntr_ex_mom *p, size_t n, size_t ndoses, size_t nroles, ntr_ex_mom_result *r,
                    ntr_error *err)
{
    memset(r, 0, sizeof *r);
    if (nroles < 2 || nroles > NTR_EX_MAX_ROLES)
        return ntr_fail(err, NTR_E_INTERNAL, "ntr_ex_momentum: %zu roles", nroles);
    r->npoints = n;
    for (size_t k = 0; k < NTR_EX_MAX_ROLES; k++)
        r->worst[k] = NAN;
    for (size_t i = 0; i < n; i++) {
        if (p[i].dose >= ndoses)
            return ntr_fail(err, NTR_E_INTERNAL, "ntr_ex_momentum: dose %zu of %zu", p[i].dose,
                            ndoses);
        point_results(&p[i], nroles);
        r->missing += isnan(p[i].err[NTR_EX_OFF]) || isnan(p[i].err[NTR_EX_ON]);
        for (size_t k = NTR_EX_ON; k < nroles; k++) {
            if (p[i].ok[k] < 0)
                continue;
            r->nchecked[k]++;
            r->nbad[k] += !p[i].ok[k];
            /* how far outside [F, E] the error lies (1: inside) */
            double e = p[i].err[k];
            double ratio = e > p[i].envelope                  ? e / p[i].envelope
                           : p[i].floor_exact && e < p[i].floor ? e / p[i].floor
                                                               : 1.0;
            if (isnan(r->worst[k]) || off_one(ratio) > off_one(r->worst[k])) {
                r->worst[k] = ratio;
                r->worst_at[k] = i;
            }
        }
    }
    lag_fit(p, n, ndoses, r);
    return 0;
}

/* ---- (b) ------------------------------------------------------------ */

/* Median of the selected seeds' avg/eps at eps index i; NAN if one is missing. */
static double ratio_at(const ntr_ex_curve *c, const double *avg, size_t i, const size_t *seed,
                       size_t nsel, double *work)
{
    size_t n = seed ? nsel : c->nseeds;
    if (!avg || n == 0)
        return NAN;
    for (size_t j = 0; j < n; j++) {
        double v = avg[i * c->nseeds + (seed ? seed[j] : j)];
        if (isnan(v))
            return NAN;
        work[j] = v / c->eps[i];
    }
    gsl_sort(work, 1, n);
    return gsl_stats_median_from_sorted_data(work, 1, n);
}

void ntr_ex_crossover(const ntr_ex_curve *c, size_t nroles, const size_t *seed, size_t nsel,
                      ntr_ex_cross *out)
{
    double work[NTR_TREND_MAX_SEEDS > 1024 ? NTR_TREND_MAX_SEEDS : 1024];
    memset(out, 0, sizeof *out);
    out->eps_star = out->slope_off = NAN;
    size_t n = seed ? nsel : c->nseeds;
    int missing = n == 0 || n > sizeof work / sizeof work[0] || c->neps > NTR_EX_MAX_EPS;
    for (size_t r = 0; r < nroles && r < NTR_EX_MAX_ROLES; r++)
        for (size_t i = 0; i < c->neps && i < NTR_EX_MAX_EPS; i++) {
            out->ratio[r][i] = missing ? NAN : ratio_at(c, c->avg[r], i, seed, nsel, work);
            if (r == NTR_EX_OFF || r == NTR_EX_ON)
                missing |= isnan(out->ratio[r][i]);
        }
    if (missing) {
        out->state = NTR_EX_CROSS_MISSING;
        return;
    }
    const double *off = out->ratio[NTR_EX_OFF];
    size_t first = c->neps; /* the first eps, from the largest, that plain does not reach */
    for (size_t i = 0; i < c->neps; i++) {
        if (off[i] > 1.0) {
            out->nfail_off++;
            if (first == c->neps)
                first = i;
            for (size_t r = NTR_EX_ON; r < nroles; r++)
                out->rescue_fail[r] += out->ratio[r][i] > 1.0; /* NAN: not run, not counted */
        }
    }
    if (first == c->neps)
        out->state = NTR_EX_CROSS_BELOW;
    else if (first == 0)
        out->state = NTR_EX_CROSS_ABOVE;
    else {
        out->state = NTR_EX_CROSS_FOUND;
        double l0 = log(off[first - 1]), l1 = log(off[first]);
        double e0 = log(c->eps[first - 1]), e1 = log(c->eps[first]);
        double t = l1 > l0 ? -l0 / (l1 - l0) : 0.5;
        out->eps_star = exp(e0 + t * (e1 - e0));
    }
    double x[NTR_EX_MAX_EPS], y[NTR_EX_MAX_EPS], c0, c1, v00, v01, v11, ss;
    size_t m = 0;
    for (size_t i = 0; i < c->neps; i++)
        if (off[i] > 0) {
            x[m] = log(c->eps[i]);
            y[m++] = log(off[i]);
        }
    if (m >= 2 && gsl_fit_linear(x, 1, y, 1, m, &c0, &c1, &v00, &v01, &v11, &ss) == 0)
        out->slope_off = c1;
}

/* ---- (c) ------------------------------------------------------------ */

typedef struct dose_ctx {
    const ntr_ex_curve *curves;
    const size_t *dose; /* trend point -> dose */
} dose_ctx;

static double dose_stat(size_t point, const size_t *seed, size_t n, void *ctx)
{
    const dose_ctx *dc = ctx;
    ntr_ex_cross cr;
    ntr_ex_crossover(&dc->curves[dc->dose[point]], 2, seed, n, &cr);
    return cr.state == NTR_EX_CROSS_FOUND ? cr.eps_star : NAN;
}

int ntr_ex_dose_response(const double *x, const ntr_ex_curve *curves, const ntr_ex_cross *cross,
                         size_t ndoses, long nboot, unsigned long rng_seed, ntr_ex_dose_fit *out,
                         ntr_error *err)
{
    memset(out, 0, sizeof *out);
    out->slope = out->par_lo = out->par_hi = out->boot_lo = out->boot_hi = NAN;
    out->lo = out->hi = NAN;
    if (ndoses > NTR_EX_MAX_DOSES)
        return ntr_fail(err, NTR_E_INTERNAL, "ntr_ex_dose_response: %zu doses", ndoses);
    size_t used[NTR_EX_MAX_DOSES], n = 0;
    for (size_t d = 0; d < ndoses; d++)
        if (cross[d].state == NTR_EX_CROSS_FOUND && x[d] > 0 && isfinite(x[d]))
            used[n++] = d;
    out->n = n;
    for (size_t i = 1; i < n; i++) { /* sort by x (insertion: a handful of doses) */
        size_t u = used[i], j = i;
        for (; j > 0 && x[used[j - 1]] > x[u]; j--)
            used[j] = used[j - 1];
        used[j] = u;
    }
    for (size_t i = 1; i < n; i++)
        if (!(x[used[i]] > x[used[i - 1]]))
            out->duplicate_x = 1;
    if (n < 2 || out->duplicate_x)
        return 0;
    double lx[NTR_EX_MAX_DOSES], ly[NTR_EX_MAX_DOSES], xs[NTR_EX_MAX_DOSES];
    for (size_t i = 0; i < n; i++) {
        xs[i] = x[used[i]];
        lx[i] = log(xs[i]);
        ly[i] = log(cross[used[i]].eps_star);
    }
    double c0, c1, v00, v01, v11, ss;
    if (gsl_fit_linear(lx, 1, ly, 1, n, &c0, &c1, &v00, &v01, &v11, &ss) != 0)
        return 0;
    out->slope = c1;
    if (n >= 3) {
        double t = gsl_cdf_tdist_Pinv(0.975, (double)(n - 2));
        out->par_lo = c1 - t * sqrt(v11);
        out->par_hi = c1 + t * sqrt(v11);
    }
    size_t nseeds = curves[used[0]].nseeds;
    for (size_t i = 1; i < n; i++)
        if (curves[used[i]].nseeds != nseeds)
            return ntr_fail(err, NTR_E_INTERNAL, "doses with different numbers of seeds");
    if (nseeds >= 2 && nboot > 0) {
        dose_ctx dc = {curves, used};
        ntr_trend tr;
        if (ntr_trend_test(xs, n, nseeds, dose_stat, &dc, (size_t)nboot, rng_seed, 0.0, &tr,
                           err) != 0)
            return -1;
        out->boot_lo = tr.ci_lo;
        out->boot_hi = tr.ci_hi;
        out->boot_missing = tr.missing;
        out->nboot = tr.nboot;
    }
    out->lo = fmin(isnan(out->par_lo) ? INFINITY : out->par_lo,
                   isnan(out->boot_lo) ? INFINITY : out->boot_lo);
    out->hi = fmax(isnan(out->par_hi) ? -INFINITY : out->par_hi,
                   isnan(out->boot_hi) ? -INFINITY : out->boot_hi);
    if (!isfinite(out->lo) || !isfinite(out->hi))
        out->lo = out->hi = NAN;
    return 0;
}

/* ---- verdict -------------------------------------------------------- */

/* Where a slope with interval [lo, hi] stands against 1 +- band:
 * 1 inside (estimate in the band, interval above 0), -1 outside (the whole
 * interval outside the band), 0 undecided or no interval. */
static int against_band(double slope, double lo, double hi, double band)
{
    if (isnan(slope) || isnan(lo) || isnan(hi))
        return 0;
    if (hi < 1.0 - band || lo > 1.0 + band)
        return -1;
    if (fabs(slope - 1.0) <= band && lo > 0.0)
        return 1;
    return 0;
}

/* Violated: a prediction fails beyond its interval.  Every such failure is
 * named in why, so a control's line shows all that broke; returns their
 * text's length (0: none).  *lag and *dr: where the lag exponent and the
 * dose response stand against their bands (against_band). */
static size_t violations(const ntr_ex_mom_result *mom, const ntr_ex_cross *cross, size_t ndoses,
                         const ntr_ex_dose_fit *dose, double band, size_t role, int *lag,
                         int *dr, char *why, size_t size)
{
    size_t u = 0;
    why[0] = '\0';
    if (mom->nbad[role] > 0)
        u = ntr_appendf(why, size, u,
                        "%s(a) the extrapolated momentum error leaves [F/%.3g, %.3g E] at %zu of "
                        "%zu points (worst %.3g times its prediction)",
                        u ? "; " : "", NTR_EX_FLOOR_FACTOR, NTR_EX_FLOOR_FACTOR, mom->nbad[role],
                        mom->nchecked[role], mom->worst[role]);
    *lag = against_band(mom->slope, mom->lo, mom->hi, NTR_EX_LAG_BAND);
    if (*lag < 0)
        u = ntr_appendf(why, size, u,
                        "%s(a) plain momentum's error grows like (L eta/alpha)^%.3g [%.3g, %.3g], "
                        "not like its lag L eta/alpha (1 +- %.3g)",
                        u ? "; " : "", mom->slope, mom->lo, mom->hi, NTR_EX_LAG_BAND);
    size_t missed = 0, of = 0, doses = 0;
    for (size_t d = 0; d < ndoses; d++)
        if (cross[d].state != NTR_EX_CROSS_MISSING && cross[d].rescue_fail[role] > 0) {
            missed += cross[d].rescue_fail[role];
            of += cross[d].nfail_off;
            doses++;
        }
    if (missed > 0)
        u = ntr_appendf(why, size, u,
                        "%s(b) at %zu doses the extrapolated running average misses %zu of the "
                        "%zu eps the plain one misses",
                        u ? "; " : "", doses, missed, of);
    *dr = against_band(dose->slope, dose->lo, dose->hi, band);
    if (*dr < 0)
        u = ntr_appendf(why, size, u,
                        "%s(c) eps* moves like (L^2/L2)^%.3g [%.3g, %.3g], predicted 1 +- %.3g",
                        u ? "; " : "", dose->slope, dose->lo, dose->hi, band);
    return u;
}

/* Inconclusive: too little evidence; 1 with why said, else 0. */
static int too_little(const ntr_ex_mom_result *mom, const ntr_ex_cross *cross, size_t ndoses,
                      const ntr_ex_dose_fit *dose, double band, size_t role, size_t pending,
                      int lag, int dr, char *why, size_t size)
{
    if (pending > 0) {
        snprintf(why, size, "%zu cells have not run", pending);
        return 1;
    }
    if (mom->missing > 0 || mom->nchecked[role] == 0) {
        snprintf(why, size, "(a) %zu points lack the plain or extrapolated error",
                 mom->missing);
        return 1;
    }
    if (lag == 0) {
        snprintf(why, size, "(a) the lag exponent %.3g [%.3g, %.3g] from %zu points is not "
                            "settled against 1 +- %.3g (needs %d travelling points with L "
                            "eta/alpha >= 2 F)",
                 mom->slope, mom->lo, mom->hi, mom->nfit, NTR_EX_LAG_BAND, NTR_EX_MIN_FIT);
        return 1;
    }
    for (size_t d = 0; d < ndoses; d++)
        if (cross[d].state != NTR_EX_CROSS_FOUND) {
            snprintf(why, size, "(b) dose %zu: crossover %s", d + 1,
                     ntr_ex_cross_state_names[cross[d].state]);
            return 1;
        }
    if (dose->duplicate_x) {
        snprintf(why, size, "(c) two doses have the same L^2/L2");
        return 1;
    }
    if (dose->n < NTR_EX_MIN_FIT || dr == 0 ||
        (dose->nboot > 0 && (double)dose->boot_missing > 0.1 * (double)dose->nboot)) {
        snprintf(why, size, "(c) eps* ~ (L^2/L2)^%.3g [%.3g, %.3g] over %zu doses is not settled "
                            "against 1 +- %.3g",
                 dose->slope, dose->lo, dose->hi, dose->n, band);
        return 1;
    }
    return 0;
}

ntr_ex_verdict ntr_ex_judge(const ntr_ex_mom_result *mom, const ntr_ex_cross *cross,
                            size_t ndoses, const ntr_ex_dose_fit *dose, double band, size_t role,
                            size_t pending, char *why, size_t size)
{
    int lag, dr;
    if (violations(mom, cross, ndoses, dose, band, role, &lag, &dr, why, size) > 0)
        return NTR_RATE_VIOLATED;
    if (too_little(mom, cross, ndoses, dose, band, role, pending, lag, dr, why, size))
        return NTR_RATE_INCONCLUSIVE;
    snprintf(why, size, "(a) plain error ~ (L eta/alpha)^%.3g [%.3g, %.3g], extrapolated within "
                        "its floor at %zu points; (b) eps* found at %zu doses; (c) eps* ~ "
                        "(L^2/L2)^%.3g [%.3g, %.3g]",
             mom->slope, mom->lo, mom->hi, mom->nchecked[role], ndoses, dose->slope, dose->lo,
             dose->hi);
    return NTR_RATE_CONSISTENT;
}

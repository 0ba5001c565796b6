/* rate_fit.h: the exponent of K(eps) ~ eps^-p, its interval, and the
 * verdict rules of THEORY.md section 5 (pure functions, unit-tested on
 * synthetic data).
 *
 * The exponent is the least-squares slope of log K against log(1/eps)
 * (gsl_fit_linear).  Its interval joins two 95% intervals: the parametric
 * one of the slope (Student t with n - 2 degrees of freedom on the fit's
 * residuals: how well a line fits) and a bootstrap over seeds (how much
 * the statistic moves when the seeds are resampled; the caller supplies
 * the resampled slopes); the reported interval is their union. */
#ifndef NTR_STUDY_RATE_FIT_H
#define NTR_STUDY_RATE_FIT_H

#include <stddef.h>

#include "base/error.h"

typedef enum {
    NTR_RATE_TIGHT = 0,   /* on a lower-bound instance: the claimed exponent within the interval */
    NTR_RATE_CONSISTENT,  /* an upper bound not exceeded */
    NTR_RATE_VIOLATED,    /* above the claim beyond the interval, a bound check fails, or the
                           * budget passed K_theory without reaching eps */
    NTR_RATE_INCONCLUSIVE /* censored or untuned eps, too short an eps range, too few points */
} ntr_rate_verdict;

extern const char *const ntr_rate_verdict_names[]; /* "tight", ... NULL-terminated */

typedef struct ntr_rate_fit {
    size_t npoints;          /* eps used in the fit */
    double slope, intercept; /* log K = intercept + slope log(1/eps); NAN with < 2 points */
    double par_lo, par_hi;   /* 95% parametric interval of the slope (NAN with < 3 points) */
    double boot_lo, boot_hi; /* 95% bootstrap interval (NAN without resamples) */
    double ci_lo, ci_hi;     /* their union (the reported interval) */
    double rms;              /* root mean square residual of log K */
} ntr_rate_fit;

/* The median (mean = 0) or mean of v[0..n) (all finite); work: n doubles. */
double ntr_rate_stat(const double *v, size_t n, int mean, double *work);

/* The line through (log(1/eps_i), log K_i), i < n (every K_i finite and
 * positive), with its parametric interval; slopes[0..nslopes) are the
 * bootstrap's resampled slopes (reordered; may be empty). */
void ntr_rate_fit_line(const double *eps, const double *K, size_t n, double *slopes,
                       size_t nslopes, ntr_rate_fit *fit);

/* The 2.5% and 97.5% quantiles of v[0..n) (sorted here); NAN when n == 0. */
void ntr_rate_quantiles95(double *v, size_t n, double *lo, double *hi);

/* The interval of a - b from two independent sets of resampled slopes
 * (paired by index): 2.5% and 97.5% quantiles; NAN when either is empty. */
void ntr_rate_difference_ci(const double *a, size_t na, const double *b, size_t nb, double *lo,
                            double *hi);

/* What a tuned (or rule) series measured, for its verdict. */
typedef struct ntr_rate_evidence {
    size_t neps;           /* eps of the study */
    double eps_span;       /* largest / smallest eps */
    size_t usable;         /* eps with a measured K (reached by every seed, K >= 1) */
    size_t censored;       /* eps not reached within the budget */
    size_t censored_past_theory; /* of those, with a budget of at least K_theory */
    size_t above_theory;   /* eps whose K exceeds K_theory */
    size_t untuned;        /* eps whose best grid point is on the grid's edge */
    size_t pending;        /* eps with cells not run yet */
    int lower_bound;       /* the instance carries a known lower bound of the claimed order */
    ntr_rate_fit fit;
    double expect, tolerance;
} ntr_rate_evidence;

/* The minimum evidence for an exponent: six eps over a decade. */
#define NTR_RATE_MIN_EPS 6
#define NTR_RATE_MIN_SPAN 10.0

/* The verdict of THEORY.md section 5.2, with the reason in why:
 *   violated      an eps was not reached within a budget >= K_theory, or a K
 *                 exceeds K_theory, or the exponent's interval lies above
 *                 the claim and the exponent exceeds it by more than the
 *                 tolerance;
 *   inconclusive  otherwise, with cells pending, censored or untuned eps,
 *                 fewer than NTR_RATE_MIN_EPS usable eps or a span under a
 *                 decade, no fit; and on a lower-bound instance an exponent
 *                 clearly below the claim (the instance does not bind there);
 *   tight         on a lower-bound instance, the claim inside the interval or
 *                 within the tolerance of the exponent;
 *   consistent    without a lower bound, an exponent not above the claim. */
ntr_rate_verdict ntr_rate_judge(const ntr_rate_evidence *e, char *why, size_t size);

#endif

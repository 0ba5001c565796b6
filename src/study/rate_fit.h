/* rate_fit.h: the exponent of K(eps) ~ eps^-p, its bootstrap interval, and
 * the verdict against a theorem's prediction.
 *
 * Per eps the statistic (median, or mean) of the seeds' hitting iterations
 * is taken; log K is fitted against log(1/eps) by least squares
 * (gsl_fit_linear) over the eps the caller marks usable (not censored), and
 * the slope is the measured exponent.  The 95% interval resamples the seeds
 * of every usable eps with replacement (a GSL mt19937 generator with a fixed
 * seed, so the interval is reproducible), refits, and takes the 2.5% and
 * 97.5% quantiles of the slopes; the same resamples give each eps's 95%
 * interval of the statistic. */
#ifndef NTR_STUDY_RATE_FIT_H
#define NTR_STUDY_RATE_FIT_H

#include <stddef.h>

#include "../error.h"

typedef struct ntr_rate_fit {
    size_t npoints;         /* eps used in the fit */
    double slope, intercept;/* log K = intercept + slope log(1/eps); NAN with < 2 points */
    double ci_lo, ci_hi;    /* 95% bootstrap interval of the slope */
} ntr_rate_fit;

typedef enum {
    NTR_RATE_TIGHT = 0,   /* expect inside the interval, or |slope - expect| <= tolerance */
    NTR_RATE_FASTER,      /* slope below expect: consistent with an upper bound */
    NTR_RATE_VIOLATED,    /* slope above expect, or a measured K above K_theory */
    NTR_RATE_INCONCLUSIVE /* fewer than two usable eps */
} ntr_rate_verdict;

extern const char *const ntr_rate_verdict_names[]; /* "tight", "faster", ... */

/* The median (mean = 0) or mean of v[0..n) (all finite); work: n doubles. */
double ntr_rate_stat(const double *v, size_t n, int mean, double *work);

/* K[i * nseeds + j]: seed j's hitting iteration at eps[i] (finite where
 * use[i]).  Fills fit and, for every used i, stat[i] and its interval
 * [lo[i], hi[i]] (NAN for unused i).  nboot >= 1 resamples, rng seed.
 * slopes_out (nboot entries, may be NULL) receives the resampled slopes in
 * resample order, and *nslopes_out their number (fewer than two eps: none). */
int ntr_rate_fit_exponent(const double *eps, const double *K, size_t neps, size_t nseeds,
                          const int *use, int mean, long nboot, unsigned long seed,
                          ntr_rate_fit *fit, double *stat, double *lo, double *hi,
                          double *slopes_out, size_t *nslopes_out, ntr_error *err);

/* The interval of a - b from two independent sets of resampled slopes
 * (in resample order, paired by index): 2.5% and 97.5% quantiles; NAN
 * when either is empty. */
void ntr_rate_difference_ci(const double *a, size_t na, const double *b, size_t nb, double *lo,
                            double *hi);

/* The verdict; exceeded: some eps's measured K is above the theorem's K. */
ntr_rate_verdict ntr_rate_judge(const ntr_rate_fit *fit, double expect, double tolerance,
                                int exceeded);

#endif

/* extrap_analysis.h: the evidence of the extrapolation study (claim C4,
 * THEORY.md section 6) and its verdict, as pure functions on numbers read
 * from a result folder (unit-tested on synthetic data).
 *
 * (a) Momentum error.  Plain momentum averages gradients taken about 1/alpha
 *     steps back, so while the iterate travels at speed eta its error is
 *     the lag bias c L eta/alpha (c <= 1: the curvature along the path over
 *     L) on top of the averaged noise; taking the gradient at the
 *     extrapolated point cancels the lag to first order, leaving the noise
 *     floor F = sqrt(alpha/(2 - alpha)) sigma (the root mean square of an
 *     exponential average of independent noise of variance sigma^2), the
 *     one-step lag L eta of m_k behind x_k and the second-order term
 *     L2 (eta/alpha)^2.  Per point the root mean square error of each role
 *     over its seeds and the window k >= warmup/alpha is compared with:
 *       off: bias_off = sqrt(err_off^2 - F^2) against L eta/alpha; over the
 *            travelling points whose lag L eta/alpha is at least twice F,
 *            log bias_off is fitted against log(L eta/alpha) with one
 *            intercept per dose (c may differ between problems) and a
 *            common slope, predicted 1 (95% Student-t interval);
 *       on:  F/1.5 <= err <= 1.5 E, E = sqrt(F^2 + (L eta + L2 (eta/alpha)^2)^2)
 *            (the lower side only where F is exact: the euclidean norm).
 * (b) Crossover.  Under the extrapolation rule eta/alpha = sqrt(eps/(c L2)),
 *     so plain momentum's floor L eta/alpha falls more slowly than eps and
 *     its running average (1/K) sum ||grad f(x_k)||_* stops reaching eps
 *     below some eps*; the extrapolated one (floor ~ F ~ eps/sqrt(2c))
 *     keeps reaching it.  Per dose and role, R(eps) = the median over seeds
 *     of the final running average / eps; eps* is where log R_off crosses
 *     0 (log-log interpolation between the two grid eps around the first
 *     crossing seen from the largest eps).  The extrapolated role must
 *     reach (R <= 1) every eps where the plain one does not.
 * (c) Dose-response.  eps* ~ L^2/(c L2) up to a constant (at leading order
 *     eps * L2/L^2 is the only combination the rescaled dynamics sees), so
 *     the slope of log eps* against log(L^2/L2) over the doses is predicted
 *     1; a step-size artefact does not move eps* with L^2/L2.  Its interval
 *     joins the fit's parametric 95% interval (Student t, n - 2 degrees of
 *     freedom) and a bootstrap over seeds (trend_boot.h). */
#ifndef NTR_STUDY_EXTRAP_ANALYSIS_H
#define NTR_STUDY_EXTRAP_ANALYSIS_H

#include <stddef.h>

#include "base/error.h"
#include "study/extrap/extrap.h"
#include "study/rate/rate_fit.h"

/* Tolerances of the checks (see above and README "Extrapolation study"). */
#define NTR_EX_FLOOR_FACTOR 1.5 /* err_on within [F/1.5, 1.5 E] */
#define NTR_EX_LAG_BAND 0.25    /* lag exponent within 1 +- 0.25 */
#define NTR_EX_MIN_FIT 3        /* points (a), doses (c) a slope needs */

/* Verdicts use the rate study's vocabulary (rate_fit.h): consistent (every
 * prediction holds within its tolerance), violated (some prediction fails
 * beyond its interval), inconclusive (too little evidence: pending cells,
 * crossovers outside the grid, too few points or doses, an interval too
 * wide); never tight, since no lower bound is involved. */
typedef ntr_rate_verdict ntr_ex_verdict;

/* The noise floor sqrt(alpha/(2 - alpha)) sigma. */
double ntr_ex_floor(double sigma, double alpha);

/* ---- (a) ------------------------------------------------------------ */

typedef struct ntr_ex_mom {
    /* inputs */
    size_t dose;
    int travel;                   /* a momentum-part point; 0: a crossover point */
    double L, L2, eta, alpha, floor;
    int floor_exact;              /* euclidean norm: F is the exact root mean square */
    double err[NTR_EX_MAX_ROLES]; /* root mean square error over seeds and window; NAN: none */
    /* results */
    double lag;                   /* L eta/alpha */
    double bias_off;              /* sqrt(max(0, err_off^2 - F^2)) */
    double c;                     /* bias_off / lag */
    double envelope;              /* E above */
    int in_fit;
    int ok[NTR_EX_MAX_ROLES];     /* roles >= on: within [F/1.5, 1.5 E]; -1: not checked */
} ntr_ex_mom;

typedef struct ntr_ex_mom_result {
    size_t npoints, nfit;
    double slope, lo, hi;         /* common lag exponent and its 95% interval (NAN: no fit) */
    double c_min, c_max;          /* over the fitted points */
    size_t nchecked[NTR_EX_MAX_ROLES], nbad[NTR_EX_MAX_ROLES];
    double worst[NTR_EX_MAX_ROLES]; /* err / envelope farthest from 1 (ratio) */
    size_t worst_at[NTR_EX_MAX_ROLES];
    size_t missing;               /* points without the off or on error */
} ntr_ex_mom_result;

/* Fill each point's results and the summary; nroles = 2 + controls. */
int ntr_ex_momentum(ntr_ex_mom *p, size_t n, size_t ndoses, size_t nroles, ntr_ex_mom_result *r,
                    ntr_error *err);

/* ---- (b) ------------------------------------------------------------ */

/* One dose's final running averages: avg[role][i * nseeds + j] at eps[i]
 * (decreasing) for seed j; NAN when the cell has not run. */
typedef struct ntr_ex_curve {
    size_t neps, nseeds;
    const double *eps;
    const double *avg[NTR_EX_MAX_ROLES];
} ntr_ex_curve;

typedef enum {
    NTR_EX_CROSS_FOUND = 0, /* plain reaches the largest eps and fails at a smaller one */
    NTR_EX_CROSS_BELOW,     /* plain reaches every eps of the grid: eps* below it */
    NTR_EX_CROSS_ABOVE,     /* plain fails already at the largest eps: eps* above the grid */
    NTR_EX_CROSS_MISSING    /* some ratio is missing (cells not run) */
} ntr_ex_cross_state;

extern const char *const ntr_ex_cross_state_names[];

typedef struct ntr_ex_cross {
    double ratio[NTR_EX_MAX_ROLES][NTR_EX_MAX_EPS]; /* median over seeds of avg / eps */
    ntr_ex_cross_state state;
    double eps_star;                       /* NAN unless found */
    size_t nfail_off;                      /* eps the plain role does not reach */
    size_t rescue_fail[NTR_EX_MAX_ROLES];  /* of those, eps role r does not reach either */
    double slope_off;                      /* log R_off against log eps (diagnostic) */
} ntr_ex_cross;

/* The crossover from the seeds seed[0..nsel) (indices, repeats allowed;
 * seed NULL: every seed once). */
void ntr_ex_crossover(const ntr_ex_curve *c, size_t nroles, const size_t *seed, size_t nsel,
                      ntr_ex_cross *out);

/* ---- (c) ------------------------------------------------------------ */

typedef struct ntr_ex_dose_fit {
    size_t n;                        /* doses with an eps* (used) */
    double slope;                    /* of log eps* against log x */
    double par_lo, par_hi;           /* parametric 95% interval (NAN with < 3 doses) */
    double boot_lo, boot_hi;         /* seed bootstrap 95% interval */
    double lo, hi;                   /* their union */
    size_t boot_missing;             /* resamples where some eps* was not found */
    size_t nboot;
    int duplicate_x;                 /* two used doses share x: no fit */
} ntr_ex_dose_fit;

/* x[d] = L^2/L2 of dose d; cross[d] the full-data crossovers; the doses
 * with state FOUND are fitted. */
int ntr_ex_dose_response(const double *x, const ntr_ex_curve *curves, const ntr_ex_cross *cross,
                         size_t ndoses, long nboot, unsigned long rng_seed, ntr_ex_dose_fit *out,
                         ntr_error *err);

/* ---- verdict -------------------------------------------------------- */

/* The verdict of the mechanism with role `role` (on, or a control) as the
 * extrapolated method; why receives the reason.  band: tolerance of the
 * dose exponent around 1. */
ntr_ex_verdict ntr_ex_judge(const ntr_ex_mom_result *mom, const ntr_ex_cross *cross,
                            size_t ndoses, const ntr_ex_dose_fit *dose, double band, size_t role,
                            size_t pending, char *why, size_t size);

#endif

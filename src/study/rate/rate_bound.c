/* rate_bound.c: the bounds of Theorem 2, the momentum lemma and the
 * reconstructed star-convex bound, and the lower confidence bound of a
 * mean (see rate_bound.h for the formulas and their derivation). */
#include "study/rate/rate_bound.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

double ntr_bound_theorem2(const ntr_bound_params *p, double K)
{
    double rs = p->rho * p->sigma;
    return p->Delta0 / (p->eta * K) + 2.0 * p->m0_err / (p->alpha * K) +
           2.0 * sqrt(p->alpha) * rs + 1.5 * p->L * p->eta + 2.0 * p->L * p->eta / p->alpha;
}

double ntr_bound_momentum(const ntr_bound_params *p, double k)
{
    double rs = p->rho * p->sigma;
    return pow(1.0 - p->alpha, k) * p->m0_err + sqrt(p->alpha) * rs + p->L * p->eta / p->alpha;
}

double ntr_bound_starconvex(const ntr_bound_params *p, double K)
{
    if (!(p->weight_decay > 0))
        return NAN;
    double R = 1.0 / p->weight_decay, lambda = p->eta * p->weight_decay;
    double a = 1.0 - lambda, b = 1.0 - p->alpha;
    double aK = pow(a, K);
    /* G_K = sum_{j<K} a^j, S_K = sum_{k<K} a^(K-1-k) b^(k+1) */
    double G = lambda > 0 ? (1.0 - aK) / lambda : K;
    double S;
    if (fabs(a - b) <= 1e-12 * fmax(a, b))
        S = K * pow(a, K - 1.0) * b;
    else
        S = b * (aK - pow(b, K)) / (a - b);
    double rs = p->rho * p->sigma;
    return aK * p->Delta0 + 2.0 * lambda * R * p->m0_err * S +
           G * lambda * (2.0 * R * sqrt(p->alpha) * rs + 4.0 * p->L * R * p->eta / p->alpha) +
           G * 2.0 * p->L * p->eta * p->eta;
}

double ntr_bound_lcb(const double *v, size_t n, double conf, int exact, double *mean)
{
    *mean = n ? gsl_stats_mean(v, 1, n) : NAN;
    if (n == 0)
        return NAN;
    if (n == 1)
        return exact ? v[0] : -INFINITY;
    double sd = gsl_stats_sd_m(v, 1, n, *mean);
    return *mean - gsl_cdf_tdist_Pinv(conf, (double)(n - 1)) * sd / sqrt((double)n);
}

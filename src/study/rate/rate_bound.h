/* rate_bound.h: the theorems' bounds with their constants, as functions of
 * K for a fixed (eta, alpha), and the one-sided confidence bound the
 * checks compare them with (pure functions, unit-tested by hand).
 *
 * Theorem 2 [paper, Kovalev 2025 v1], Algorithm 1 with m_0 = g(x_0):
 *     E min_{k=1..K} ||grad f(x_k)||_* <= Delta0/(eta K) + 2 rho sigma/(alpha K)
 *                                         + 2 sqrt(alpha) rho sigma + 3 L eta/2 + 2 L eta/alpha
 * Momentum lemma [paper]:
 *     E ||m_k - grad f(x_k)||_* <= (1-alpha)^k rho sigma + sqrt(alpha) rho sigma + L eta/alpha
 *   (with m_0 = 0 the first term's rho sigma becomes ||grad f(x_0)||_*).
 * Star-convex with weight decay [reconstructed here; THEORY.md gives only
 * the rule]: with lambda = eta * weight_decay (the Muon convention) and
 * R = 1/weight_decay >= max(||x_0||, ||x*||) (= D with the rule's 1/D),
 * the step x_{k+1} = (1 - lambda) x_k + lambda (-R m_{k+1}#) is a
 * Frank-Wolfe step on the ball of radius R, so with h_k = f(x_k) - f*,
 * e_k = ||m_{k+1} - grad f(x_k)||_* and star-convexity
 *     h_{k+1} <= (1 - lambda) h_k + 2 lambda R e_k + 2 L eta^2
 * (L-smoothness in the norm, ||x_{k+1} - x_k|| <= 2 eta).  The momentum
 * lemma with steps of length 2 eta gives E e_k <= (1-alpha)^(k+1) rho sigma
 * + sqrt(alpha) rho sigma + 2 L eta/alpha, and unrolling
 *     E h_K <= (1-lambda)^K Delta0 + 2 lambda R rho sigma S_K
 *              + 2 R sqrt(alpha) rho sigma + 4 L R eta/alpha + 2 L eta R,
 *     S_K = sum_{k<K} (1-lambda)^(K-1-k) (1-alpha)^(k+1).
 * With the rule's alpha = eps^2/(64 D^2 rho^2 sigma^2), eta = eps alpha/(16 L D)
 * and eta <= eps alpha/(16 rho sigma), K = (D/eta) ln(4 Delta0/eps), each
 * term is at most eps/4, eps/8, eps/4, eps/4 and eps/8 (sum eps): the
 * rule's constants 64, 16 and 4 follow from this bound. */
#ifndef NTR_STUDY_RATE_BOUND_H
#define NTR_STUDY_RATE_BOUND_H

#include <stddef.h>

/* The constants and parameters of one cell. */
typedef struct ntr_bound_params {
    double L, rho, sigma, Delta0; /* sigma: of one oracle call (noise.sigma / sqrt(batch)) */
    double eta, alpha;
    double m0_err;                /* E||m_0 - grad f(x_0)||_* bound: rho sigma (m0: sample) */
    double weight_decay;          /* star-convex: the Muon-convention lambda */
} ntr_bound_params;

/* Theorem 2's right-hand side at K >= 1. */
double ntr_bound_theorem2(const ntr_bound_params *p, double K);

/* The momentum lemma's right-hand side at k >= 0. */
double ntr_bound_momentum(const ntr_bound_params *p, double k);

/* The reconstructed star-convex bound at K >= 0 (see above); NAN unless
 * weight_decay > 0. */
double ntr_bound_starconvex(const ntr_bound_params *p, double K);

/* The one-sided lower confidence bound at level conf (0.5 < conf < 1) of
 * the mean of v[0..n): mean - t_{conf, n-1} sd / sqrt(n).  With n = 1 it is
 * the value itself when exact (a deterministic run) and -INFINITY
 * otherwise (no spread to judge from).  *mean receives the mean. */
double ntr_bound_lcb(const double *v, size_t n, double conf, int exact, double *mean);

#endif

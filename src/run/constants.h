/* constants.h: a problem's constants in the method's norm.
 *
 * The theorems need L (smoothness w.r.t. the chosen norm), L2 (Hessian
 * Lipschitz), rho (||g||_* <= rho ||g||_2), D (a bound on ||x_0|| and
 * ||x*||), Delta0 = f(x_0) - f* and sigma.  A problem may give its own
 * per-norm constant; otherwise the generic bound L_norm <= rho c L_frob
 * (||x||_2 <= c ||x||) is used, and L2_norm <= rho c^2 L2_frob. */
#ifndef NTR_CONSTANTS_H
#define NTR_CONSTANTS_H

#include "problems/problem.h"
#include "norms/norm.h"
#include "output/run_result.h"

/* The struct ntr_constants is in output/run_result.h (summary.json
 * records it). */

/* x0: the start point; f0 = f(x0) is computed here (allocates nothing but
 * uses g as scratch of layout.dim entries). */
void ntr_constants_compute(ntr_problem *p, ntr_norm *norm, const double *x0, double sigma,
                           double *g, ntr_constants *c);

#endif

/* probe.h: checking that a problem really has the properties it declares.
 *
 * For a problem and a norm, ntr_probe_run() measures on random points:
 * the gradient against central differences, the largest observed
 * ||grad f(x) - grad f(y)||_* / ||x - y|| against the declared L, the same
 * on finite-difference Hessian-vector products against L2 (where declared),
 * the worst star-convexity residual f(x) - f(x*) - <grad f(x), x - x*>
 * (where declared; <= 0 means star-convex), the oracle's empirical noise against sigma^2/batch, and
 * grad f(x*) = 0, f(x*) = f*.  Each check is a row with a verdict. */
#ifndef NTR_PROBE_H
#define NTR_PROBE_H

#include "config/settings.h"

#define NTR_PROBE_MAX_ROWS 12

typedef struct ntr_probe_row {
    char check[40];
    double seen;      /* measured value */
    double bound;     /* declared value or tolerance (NAN: informative only) */
    char note[120];
    int verdict;      /* 1 ok, 0 violated, -1 not applicable */
} ntr_probe_row;

typedef struct ntr_probe_report {
    char problem[160], norm[32], flags[160];
    int nrows;
    ntr_probe_row rows[NTR_PROBE_MAX_ROWS];
    int violations;
} ntr_probe_report;

/* What to check against: the problem's own constants, or constants a user
 * claims (NAN: the problem's own), e.g. a bound supplied to theory rules. */
typedef struct ntr_probe_claims {
    double L, L2;
} ntr_probe_claims;

/* points: random points per check; seed: the probe's generator; claims may
 * be NULL. */
int ntr_probe_run(const ntr_settings *s, long points, unsigned long seed,
                  const ntr_probe_claims *claims, ntr_probe_report *rep, ntr_error *err);

#endif

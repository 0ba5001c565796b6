/* linf.c: the entrywise max norm; dual the entrywise l1 norm; sharp sign(g)
 * with sign(0) = 0 (signSGD).  A3 and the l2 link both cost sqrt(d). */
#include "norm.h"

#include <cblas.h>
#include <math.h>

#include "../linalg.h"

static double value(const double *x, size_t rows, size_t cols, void *state)
{
    (void)state;
    return ntr_max_abs(x, rows * cols);
}

static double dual(const double *g, size_t rows, size_t cols, void *state)
{
    (void)state;
    return cblas_dasum((blasint)(rows * cols), g, 1);
}

/* sign(NaN) is NaN, so that a diverged gradient stays visible. */
static void sharp(const double *g, double *out, size_t rows, size_t cols, void *state)
{
    (void)state;
    size_t n = rows * cols;
    for (size_t i = 0; i < n; i++)
        out[i] = g[i] > 0.0 ? 1.0 : g[i] < 0.0 ? -1.0 : g[i] == 0.0 ? 0.0 : NAN;
}

static double sqrt_d(size_t rows, size_t cols)
{
    return sqrt((double)(rows * cols));
}

const ntr_norm_type ntr_norm_linf = {
    .name = "linf",
    .dual_name = "l1",
    .summary = "entrywise max norm; sharp sign(g) (signSGD)",
    .alloc = NULL,
    .free = NULL,
    .value = value,
    .dual = dual,
    .sharp = sharp,
    .rho = sqrt_d,
    .l2_bound = sqrt_d,
};

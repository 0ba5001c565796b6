/* l4.c: a norm added as one file (tests/one-file/run checks it): the
 * entrywise l4 norm, dual the entrywise l_{4/3} norm, sharp
 *   g#_i = sign(g_i) |g_i|^(1/3) / ||g||_{4/3}^(1/3)
 * (then ||g#||_4 = 1 and <g, g#> = ||g||_{4/3}).  On d entries
 * ||g||_{4/3} <= d^(1/4) ||g||_2 and ||x||_2 <= d^(1/4) ||x||_4.  It has
 * no public id (NTR_NORM_OTHER): problems answer NAN, ntr uses the generic
 * bounds. */
#include "norms/norm.h"

#include <math.h>

static double value(const double *x, size_t rows, size_t cols, void *state)
{
    (void)state;
    double s = 0.0;
    for (size_t i = 0; i < rows * cols; i++)
        s += x[i] * x[i] * x[i] * x[i];
    return sqrt(sqrt(s));
}

static double dual(const double *g, size_t rows, size_t cols, void *state)
{
    (void)state;
    double s = 0.0;
    for (size_t i = 0; i < rows * cols; i++)
        s += pow(fabs(g[i]), 4.0 / 3.0);
    return pow(s, 0.75);
}

static int sharp(const double *g, double *out, size_t rows, size_t cols, void *state,
                 ntr_error *err)
{
    double q = dual(g, rows, cols, state);
    if (!isfinite(q))
        return ntr_norm_sharp_failed(g, out, rows * cols, "its input is not finite", err);
    double scale = q > 0.0 ? 1.0 / cbrt(q) : 0.0;
    for (size_t i = 0; i < rows * cols; i++)
        out[i] = cbrt(g[i]) * scale;
    return 0;
}

static double fourth_root_d(size_t rows, size_t cols)
{
    return sqrt(sqrt((double)(rows * cols)));
}

const ntr_norm_type ntr_norm_l4 = {
    .name = "l4",
    .dual_name = "l4/3",
    .summary = "entrywise l4 norm (one-file example)",
    .value = value,
    .dual = dual,
    .sharp = sharp,
    .rho = fourth_root_d,
    .l2_bound = fourth_root_d,
};

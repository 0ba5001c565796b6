/* l1.c: the entrywise l1 norm; dual the entrywise max norm; sharp the signed
 * unit vector at one largest entry of |g| (the first in row-major order, so
 * that ties break deterministically): a greedy coordinate step. */
#include "norms/norm.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "linalg/linalg.h"

static double value(const double *x, size_t rows, size_t cols, void *state)
{
    (void)state;
    return cblas_dasum((blasint)(rows * cols), x, 1);
}

static double dual(const double *g, size_t rows, size_t cols, void *state)
{
    (void)state;
    return ntr_max_abs(g, rows * cols);
}

static int sharp(const double *g, double *out, size_t rows, size_t cols, void *state,
                 ntr_error *err)
{
    (void)state;
    size_t n = rows * cols;
    double top = ntr_max_abs(g, n);
    if (!isfinite(top))
        return ntr_norm_sharp_failed(g, out, n, "its input is not finite", err);
    size_t at = 0;
    while (at < n && fabs(g[at]) != top)
        at++;
    /* Read the sign before clearing: out may be g itself. */
    double s = top == 0.0 ? 0.0 : g[at] > 0.0 ? 1.0 : -1.0;
    memset(out, 0, n * sizeof *out);
    if (s != 0.0)
        out[at] = s;
    return 0;
}

static double one(size_t rows, size_t cols)
{
    (void)rows;
    (void)cols;
    return 1.0;
}

const ntr_norm_type ntr_norm_l1 = {
    .name = "l1",
    .id = NTR_NORM_L1,
    .dual_name = "max",
    .summary = "entrywise l1 norm; sharp sign(g_ij) at one largest |g_ij|",
    .alloc = NULL,
    .free = NULL,
    .value = value,
    .dual = dual,
    .sharp = sharp,
    .rho = one,
    .l2_bound = one,
};

/* linf.c: the entrywise max norm; dual the entrywise l1 norm; sharp sign(g)
 * with sign(0) = 0 (signSGD).  A3 and the l2 link both cost sqrt(d). */
#include "norms/norm.h"

#include <cblas.h>
#include <math.h>

#include "linalg/linalg.h"

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

/* sign(v): 1, -1, 0 for both zeros, NaN for NaN (the sharp then fails). */
static double sign(double v)
{
    double s = v > 0.0 ? 1.0 : 0.0;
    s = v < 0.0 ? -1.0 : s;
    return v != v ? NAN : s;
}

/* The signs on distinct buffers, unrolled by two: without branches (the
 * signs of noisy gradients are unpredictable) and in vector instructions;
 * 1 when an entry of g is not finite (running sums of g * 0, which are
 * NaN exactly then, as in ntr_all_finite). */
static int signs(double *restrict out, const double *restrict g, size_t n)
{
    size_t i = 0;
    double z0 = 0.0, z1 = 0.0;
    for (; i + 2 <= n; i += 2) {
        out[i] = sign(g[i]);
        out[i + 1] = sign(g[i + 1]);
        z0 += g[i] * 0.0;
        z1 += g[i + 1] * 0.0;
    }
    for (; i < n; i++) {
        out[i] = sign(g[i]);
        z0 += g[i] * 0.0;
    }
    return isnan(z0 + z1);
}

/* A NaN or an infinity in g fails. */
static int sharp(const double *g, double *out, size_t rows, size_t cols, void *state,
                 ntr_error *err)
{
    (void)state;
    size_t n = rows * cols;
    int bad = 0;
    if (out != g) {
        bad = signs(out, g, n);
    } else { /* in place (not in the loop): look before overwriting */
        bad = !ntr_all_finite(g, n);
        for (size_t i = 0; i < n && !bad; i++)
            out[i] = sign(g[i]);
    }
    return bad ? ntr_norm_sharp_failed(g, out, n, "its input is not finite", err) : 0;
}

static double sqrt_d(size_t rows, size_t cols)
{
    return sqrt((double)(rows * cols));
}

const ntr_norm_type ntr_norm_linf = {
    .name = "linf",
    .id = NTR_NORM_LINF,
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

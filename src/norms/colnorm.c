/* colnorm.c: the largest column l2 norm; dual the sum of column l2 norms;
 * sharp each nonzero column scaled to unit length (zero columns stay zero).
 *
 * Columns of a row-major matrix are strided, so the column norms are
 * accumulated row by row (contiguous reads) into a per-block buffer of
 * cols doubles; a column whose sum of squares under- or overflows is
 * recomputed with the scaled, strided dnrm2. */
#include "norms/norm.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>

/* Outside [TINY, HUGE] a sum of squares may have lost its value. */
#define TINY 1e-290
#define HUGE_SQ 1e290

static int alloc(size_t rows, size_t cols, const ntr_lmo_opts *o, void **state, ntr_error *err)
{
    (void)rows;
    (void)o;
    double *buf = malloc(cols * sizeof *buf);
    if (!buf)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    *state = buf;
    return 0;
}

static void release(void *state)
{
    free(state);
}

/* The l2 norm of every column of x into nrm[0 .. cols-1]. */
static void column_norms(const double *x, size_t rows, size_t cols, double *nrm)
{
    for (size_t j = 0; j < cols; j++)
        nrm[j] = 0.0;
    for (size_t i = 0; i < rows; i++) {
        const double *xi = x + i * cols;
        for (size_t j = 0; j < cols; j++)
            nrm[j] += xi[j] * xi[j];
    }
    for (size_t j = 0; j < cols; j++) {
        if (nrm[j] >= TINY && nrm[j] <= HUGE_SQ)
            nrm[j] = sqrt(nrm[j]);
        else if (!isnan(nrm[j]))
            nrm[j] = cblas_dnrm2((blasint)rows, x + j, (blasint)cols);
    }
}

static double value(const double *x, size_t rows, size_t cols, void *state)
{
    double *nrm = state, m = 0.0;
    column_norms(x, rows, cols, nrm);
    for (size_t j = 0; j < cols; j++)
        if (nrm[j] > m || isnan(nrm[j]))
            m = nrm[j];
    return m;
}

static double dual(const double *g, size_t rows, size_t cols, void *state)
{
    double *nrm = state, sum = 0.0;
    column_norms(g, rows, cols, nrm);
    for (size_t j = 0; j < cols; j++)
        sum += nrm[j];
    return sum;
}

static int sharp(const double *g, double *out, size_t rows, size_t cols, void *state,
                 ntr_error *err)
{
    double *nrm = state;
    column_norms(g, rows, cols, nrm);
    for (size_t j = 0; j < cols; j++)
        if (!isfinite(nrm[j]))
            return ntr_norm_sharp_failed(g, out, rows * cols, "a column norm overflows", err);
    for (size_t i = 0; i < rows; i++) {
        const double *gi = g + i * cols;
        double *oi = out + i * cols;
        for (size_t j = 0; j < cols; j++)
            oi[j] = nrm[j] == 0.0 ? 0.0 : gi[j] / nrm[j];
    }
    return 0;
}

static double sqrt_cols(size_t rows, size_t cols)
{
    (void)rows;
    return sqrt((double)cols);
}

const ntr_norm_type ntr_norm_colnorm = {
    .name = "colnorm",
    .id = NTR_NORM_COLNORM,
    .dual_name = "sum of column l2 norms",
    .summary = "largest column l2 norm; sharp normalises each column",
    .alloc = alloc,
    .free = release,
    .value = value,
    .dual = dual,
    .sharp = sharp,
    .rho = sqrt_cols,
    .l2_bound = sqrt_cols,
};

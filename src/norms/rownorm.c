/* rownorm.c: the largest row l2 norm; dual the sum of row l2 norms; sharp
 * each nonzero row scaled to unit length (zero rows stay zero). */
#include "norms/norm.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

static double row_norm(const double *x, size_t i, size_t cols)
{
    return cblas_dnrm2((blasint)cols, x + i * cols, 1);
}

static double value(const double *x, size_t rows, size_t cols, void *state)
{
    (void)state;
    double m = 0.0;
    for (size_t i = 0; i < rows; i++) {
        double v = row_norm(x, i, cols);
        if (v > m || isnan(v))
            m = v;
    }
    return m;
}

static double dual(const double *g, size_t rows, size_t cols, void *state)
{
    (void)state;
    double sum = 0.0;
    for (size_t i = 0; i < rows; i++)
        sum += row_norm(g, i, cols);
    return sum;
}

static int sharp(const double *g, double *out, size_t rows, size_t cols, void *state,
                 ntr_error *err)
{
    (void)state;
    for (size_t i = 0; i < rows; i++) {
        double v = row_norm(g, i, cols);
        if (!isfinite(v)) /* g may be out: the rows before i, overwritten, were finite */
            return ntr_norm_sharp_failed(g, out, rows * cols, "a row norm overflows", err);
        const double *gi = g + i * cols;
        double *oi = out + i * cols;
        if (v == 0.0)
            memset(oi, 0, cols * sizeof *oi);
        else
            for (size_t j = 0; j < cols; j++)
                oi[j] = gi[j] / v;
    }
    return 0;
}

static double sqrt_rows(size_t rows, size_t cols)
{
    (void)cols;
    return sqrt((double)rows);
}

const ntr_norm_type ntr_norm_rownorm = {
    .name = "rownorm",
    .id = NTR_NORM_ROWNORM,
    .dual_name = "sum of row l2 norms",
    .summary = "largest row l2 norm; sharp normalises each row",
    .alloc = NULL,
    .free = NULL,
    .value = value,
    .dual = dual,
    .sharp = sharp,
    .rho = sqrt_rows,
    .l2_bound = sqrt_rows,
};

/* spectral.c: the spectral (operator) norm; dual the nuclear norm; sharp the
 * polar factor U V^T (Muon), exact or by Newton-Schulz as the options say.
 * The work happens in polar.c / polar_ns.c on a per-block workspace.
 *
 * The value and the dual come back NaN when an SVD fails (or the input
 * holds NaN/inf), which a measurement reports as a diverged run; the sharp
 * returns the reason (polar.h). */
#include "norms/norm.h"

#include <math.h>

#include "linalg/polar.h"

static int alloc(size_t rows, size_t cols, const ntr_lmo_opts *o, void **state, ntr_error *err)
{
    ntr_polar *p;
    if (ntr_polar_alloc(rows, cols, o, &p, err))
        return -1;
    *state = p;
    return 0;
}

static void release(void *state)
{
    ntr_polar_free(state);
}

static double value(const double *x, size_t rows, size_t cols, void *state)
{
    (void)rows;
    (void)cols;
    return ntr_polar_op_norm(state, x);
}

static double dual(const double *g, size_t rows, size_t cols, void *state)
{
    (void)rows;
    (void)cols;
    return ntr_polar_nuclear_norm(state, g);
}

static int sharp(const double *g, double *out, size_t rows, size_t cols, void *state,
                 ntr_error *err)
{
    (void)rows;
    (void)cols;
    return ntr_polar_sharp(state, g, out, err);
}

/* nuclear <= sqrt(rank) Frobenius and Frobenius <= sqrt(rank) operator. */
static double sqrt_rank(size_t rows, size_t cols)
{
    return sqrt((double)(rows < cols ? rows : cols));
}

const ntr_norm_type ntr_norm_spectral = {
    .name = "spectral",
    .id = NTR_NORM_SPECTRAL,
    .dual_name = "nuclear",
    .summary = "operator norm; sharp the polar factor U V^T (Muon)",
    .alloc = alloc,
    .free = release,
    .value = value,
    .dual = dual,
    .sharp = sharp,
    .rho = sqrt_rank,
    .l2_bound = sqrt_rank,
};

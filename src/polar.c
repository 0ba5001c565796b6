/* polar.c: the spectral workspace of polar.h: exact polar factor, singular
 * values and the operator and nuclear norms from LAPACK's dgesdd, and the
 * dispatch of the spectral sharp to the configured solver.
 *
 * Layout trick: a row-major rows x cols matrix A is, byte for byte, the
 * column-major cols x rows matrix B = A^T.  We hand B to LAPACK directly
 * (no transposed copy, and LAPACKE's row-major path, which allocates, is
 * avoided).  Since polar(A^T) = polar(A)^T, the column-major polar factor of
 * B is, byte for byte, the row-major polar factor of A; singular values are
 * the same for A and A^T.
 *
 * The _work variants of LAPACKE are used with a workspace sized by a query
 * at allocation, so that no call allocates. */
#include "polar.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ntr_polar {
    size_t rows, cols;  /* shape of A (row-major) */
    lapack_int p, q, k; /* B = A^T is p x q column-major, p = cols, q = rows; k = min */
    int solver;         /* NTR_LMO_* */
    ntr_ns *ns;         /* Newton-Schulz engine (solver newton_schulz only) */
    double *a;          /* copy of the input: dgesdd overwrites its argument */
    double *s;          /* k singular values, descending */
    double *u;          /* p x k left singular vectors of B (svd solver only) */
    double *vt;         /* k x q right singular vectors of B, transposed (svd solver only) */
    double *work;       /* dgesdd workspace for both jobz = 'N' and 'S' */
    lapack_int lwork;
    lapack_int *iwork;  /* 8 k integers */
};

/* Ask dgesdd how much workspace jobz needs for the p x q problem. */
static int query_lwork(const ntr_polar *p, char jobz, lapack_int *lwork)
{
    double opt = 0.0;
    lapack_int ldu = jobz == 'S' ? p->p : 1, ldvt = jobz == 'S' ? p->k : 1;
    lapack_int info = LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, jobz, p->p, p->q, p->a, p->p, p->s,
                                          p->u, ldu, p->vt, ldvt, &opt, -1, p->iwork);
    if (info != 0)
        return -1;
    *lwork = (lapack_int)opt + 1;
    return 0;
}

int ntr_polar_alloc(size_t rows, size_t cols, const ntr_lmo_opts *opts, ntr_polar **out,
                    ntr_error *err)
{
    *out = NULL;
    if (rows == 0 || cols == 0)
        return ntr_fail(err, NTR_E_INTERNAL, "spectral workspace for an empty %zu x %zu matrix",
                        rows, cols);
    int solver = opts ? opts->solver : NTR_LMO_SVD;
    if (solver != NTR_LMO_SVD && solver != NTR_LMO_NEWTON_SCHULZ)
        return ntr_fail(err, NTR_E_INPUT, "unknown spectral solver %d", solver);
    ntr_polar *p = calloc(1, sizeof *p);
    if (!p)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    p->rows = rows;
    p->cols = cols;
    p->p = (lapack_int)cols;
    p->q = (lapack_int)rows;
    p->k = (lapack_int)(rows < cols ? rows : cols);
    p->solver = solver;
    size_t k = (size_t)p->k;
    p->a = malloc(rows * cols * sizeof *p->a);
    p->s = malloc(k * sizeof *p->s);
    p->iwork = malloc(8 * k * sizeof *p->iwork);
    if (solver == NTR_LMO_SVD) {
        p->u = malloc(cols * k * sizeof *p->u);
        p->vt = malloc(k * rows * sizeof *p->vt);
    }
    if (!p->a || !p->s || !p->iwork || (solver == NTR_LMO_SVD && (!p->u || !p->vt))) {
        ntr_polar_free(p);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory (spectral workspace %zu x %zu)", rows,
                        cols);
    }
    lapack_int lw_n = 0, lw_s = 0;
    if (query_lwork(p, 'N', &lw_n) || (solver == NTR_LMO_SVD && query_lwork(p, 'S', &lw_s))) {
        ntr_polar_free(p);
        return ntr_fail(err, NTR_E_INTERNAL, "dgesdd workspace query failed (%zu x %zu)", rows,
                        cols);
    }
    p->lwork = lw_n > lw_s ? lw_n : lw_s;
    p->work = malloc((size_t)p->lwork * sizeof *p->work);
    if (!p->work) {
        ntr_polar_free(p);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory (dgesdd workspace)");
    }
    if (solver == NTR_LMO_NEWTON_SCHULZ && ntr_ns_alloc(rows, cols, opts, &p->ns, err)) {
        ntr_polar_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

void ntr_polar_free(ntr_polar *p)
{
    if (!p)
        return;
    ntr_ns_free(p->ns);
    free(p->a);
    free(p->s);
    free(p->u);
    free(p->vt);
    free(p->work);
    free(p->iwork);
    free(p);
}

static void fill_nan(double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = NAN;
}

/* Copy g into the workspace; -1 when an entry is NaN or infinite (LAPACK
 * promises nothing for such input). */
static int load(ntr_polar *p, const double *g)
{
    size_t n = p->rows * p->cols;
    int finite = 1;
    for (size_t i = 0; i < n; i++) {
        p->a[i] = g[i];
        finite &= isfinite(g[i]);
    }
    return finite ? 0 : -1;
}

/* SVD of the loaded matrix: singular values only (jobz 'N') or also the
 * thin singular vectors (jobz 'S').  Destroys p->a. */
static int svd(ntr_polar *p, char jobz)
{
    lapack_int ldu = jobz == 'S' ? p->p : 1, ldvt = jobz == 'S' ? p->k : 1;
    lapack_int info = LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, jobz, p->p, p->q, p->a, p->p, p->s,
                                          p->u, ldu, p->vt, ldvt, p->work, p->lwork, p->iwork);
    return info == 0 ? 0 : -1;
}

/* Exact polar factor: out = U_r VT_r, where r counts the singular values
 * above max(rows,cols) * DBL_EPSILON * s_max (s is descending, so the
 * directions kept are the first r). */
static int polar_svd(ntr_polar *p, const double *g, double *out)
{
    size_t n = p->rows * p->cols;
    if (load(p, g) || svd(p, 'S')) {
        fill_nan(out, n);
        return -1;
    }
    size_t big = p->rows > p->cols ? p->rows : p->cols;
    double tol = (double)big * DBL_EPSILON * p->s[0];
    lapack_int r = 0;
    while (r < p->k && p->s[r] > tol)
        r++;
    if (r == 0) { /* g = 0 */
        memset(out, 0, n * sizeof *out);
        return 0;
    }
    /* Column-major p x q product (U is p x k, VT is k x q). */
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, p->p, p->q, r, 1.0, p->u, p->p, p->vt,
                p->k, 0.0, out, p->p);
    return 0;
}

int ntr_polar_sharp(ntr_polar *p, const double *g, double *out)
{
    if (p->solver == NTR_LMO_NEWTON_SCHULZ) {
        ntr_ns_apply(p->ns, g, out);
        return 0;
    }
    return polar_svd(p, g, out);
}

int ntr_polar_singular_values(ntr_polar *p, const double *a, double *s)
{
    if (load(p, a) || svd(p, 'N')) {
        fill_nan(p->s, (size_t)p->k);
        if (s)
            fill_nan(s, (size_t)p->k);
        return -1;
    }
    if (s)
        memcpy(s, p->s, (size_t)p->k * sizeof *s);
    return 0;
}

double ntr_polar_op_norm(ntr_polar *p, const double *a)
{
    if (ntr_polar_singular_values(p, a, NULL))
        return NAN;
    return p->s[0];
}

double ntr_polar_nuclear_norm(ntr_polar *p, const double *a)
{
    if (ntr_polar_singular_values(p, a, NULL))
        return NAN;
    double sum = 0.0;
    /* Smallest first: the sum of a descending list is more accurate backwards. */
    for (lapack_int i = p->k; i-- > 0;)
        sum += p->s[i];
    return sum;
}

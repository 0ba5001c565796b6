/* par_blas.c: the block splits of par_blas.h.
 *
 * syrk: the upper triangle of C in square tiles (I <= J); a
 *   diagonal tile is a syrk of the rows (or columns) I of op(A), an
 *   off-diagonal one the gemm op(A)_I op(A)_J^T.  Same multiply-adds as one
 *   syrk.
 * symm: panels of columns of B and C (side Left) or of rows (side Right),
 *   each a symm with the whole P.
 * gemm: panels of rows of C (op(A)'s rows), or of columns when C has more
 *   columns than rows.
 * Every tile or panel computes its entries with the same sums in the same
 * order whichever thread runs it, and the tiling depends on the shapes
 * only: the results do not depend on the team's size. */
#include "linalg/par_blas.h"

#include <stddef.h>

#define SPLIT_MIN_DIM 512                    /* split a dimension from this size on */
#define SPLIT_MIN_WORK (4.0 * 1024 * 1024)  /* multiply-adds */

/* The block size along a split dimension of length n: 256 below 1024, then
 * 512 (smaller blocks make each BLAS call markedly slower: measured with
 * OpenBLAS 0.3.21, a 512 x 512 syrk in 128-blocks runs at 0.76 of one call,
 * in 256-blocks at 0.87). */
static blasint block_for(blasint n) { return n < 1024 ? 256 : 512; }
static blasint nblocks(blasint n, blasint bs) { return (n + bs - 1) / bs; }
static blasint block_len(blasint n, blasint bs, blasint b) { return n - b * bs < bs ? n - b * bs : bs; }

/* Panels of a product's long side: blocks, or wider for long sides (at
 * most about 8 panels), so that each call stays long enough to run at the
 * BLAS's full rate. */
static blasint panel_width(blasint n)
{
    blasint bs = block_for(n);
    return (nblocks(n, bs) + 7) / 8 * bs;
}

/* Tile t of the upper triangle of an nb x nb grid, row by row. */
static void upper_tile(blasint nb, size_t t, blasint *bi, blasint *bj)
{
    blasint i = 0;
    while (t >= (size_t)(nb - i)) {
        t -= (size_t)(nb - i);
        i++;
    }
    *bi = i;
    *bj = i + (blasint)t;
}

/* `type` names a type in these generators: it cannot take parentheses. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define DEFINE_SYRK(fn, type, xsyrk, xgemm)                                                       \
    typedef struct fn##_job {                                                                     \
        CBLAS_TRANSPOSE trans;                                                                    \
        blasint n, k, lda, ldc, nb, bs;                                                           \
        type alpha, beta;                                                                         \
        const type *A;                                                                            \
        type *C;                                                                                  \
    } fn##_job;                                                                                   \
    static void fn##_tile(size_t t, void *ctx)                                                    \
    {                                                                                             \
        const fn##_job *j = ctx;                                                                  \
        blasint bi, bj;                                                                           \
        upper_tile(j->nb, t, &bi, &bj);                                                           \
        blasint i0 = bi * j->bs, j0 = bj * j->bs;                                                 \
        blasint ni = block_len(j->n, j->bs, bi), nj = block_len(j->n, j->bs, bj);                \
        int tr = j->trans != CblasNoTrans;                                                        \
        const type *ai = tr ? j->A + i0 : j->A + (size_t)i0 * (size_t)j->lda;                    \
        const type *aj = tr ? j->A + j0 : j->A + (size_t)j0 * (size_t)j->lda;                    \
        type *c = j->C + (size_t)i0 * (size_t)j->ldc + j0;                                        \
        if (bi == bj)                                                                             \
            xsyrk(CblasRowMajor, CblasUpper, j->trans, ni, j->k, j->alpha, ai, j->lda, j->beta, c, \
                  j->ldc);                                                                        \
        else if (tr)                                                                              \
            xgemm(CblasRowMajor, CblasTrans, CblasNoTrans, ni, nj, j->k, j->alpha, ai, j->lda, aj, \
                  j->lda, j->beta, c, j->ldc);                                                    \
        else                                                                                      \
            xgemm(CblasRowMajor, CblasNoTrans, CblasTrans, ni, nj, j->k, j->alpha, ai, j->lda, aj, \
                  j->lda, j->beta, c, j->ldc);                                                    \
    }                                                                                             \
    void fn(ntr_par *team, CBLAS_TRANSPOSE trans, blasint n, blasint k, type alpha, const type *A, \
            blasint lda, type beta, type *C, blasint ldc)                                         \
    {                                                                                             \
        if (n < SPLIT_MIN_DIM || 0.5 * (double)n * (double)n * (double)k < SPLIT_MIN_WORK) {      \
            xsyrk(CblasRowMajor, CblasUpper, trans, n, k, alpha, A, lda, beta, C, ldc);           \
            return;                                                                               \
        }                                                                                         \
        blasint bs = block_for(n);                                                                \
        fn##_job j = {trans, n, k, lda, ldc, nblocks(n, bs), bs, alpha, beta, A, C};              \
        ntr_par_run(team, (size_t)j.nb * (size_t)(j.nb + 1) / 2, fn##_tile, &j);                  \
    }

DEFINE_SYRK(ntr_par_dsyrk, double, cblas_dsyrk, cblas_dgemm)
DEFINE_SYRK(ntr_par_ssyrk, float, cblas_ssyrk, cblas_sgemm)

#define DEFINE_SYMM(fn, type, xsymm)                                                              \
    typedef struct fn##_job {                                                                     \
        CBLAS_SIDE side;                                                                          \
        blasint m, n, ldp, ldb, ldc, width;                                                       \
        type alpha, beta;                                                                         \
        const type *P, *B;                                                                        \
        type *C;                                                                                  \
    } fn##_job;                                                                                   \
    static void fn##_panel(size_t t, void *ctx)                                                   \
    {                                                                                             \
        const fn##_job *j = ctx;                                                                  \
        blasint split = j->side == CblasLeft ? j->n : j->m;                                       \
        blasint at = (blasint)t * j->width;                                                       \
        blasint len = split - at < j->width ? split - at : j->width;                              \
        if (j->side == CblasLeft) /* columns of B and C */                                        \
            xsymm(CblasRowMajor, CblasLeft, CblasUpper, j->m, len, j->alpha, j->P, j->ldp,        \
                  j->B + at, j->ldb, j->beta, j->C + at, j->ldc);                                 \
        else /* rows of B and C */                                                                \
            xsymm(CblasRowMajor, CblasRight, CblasUpper, len, j->n, j->alpha, j->P, j->ldp,       \
                  j->B + (size_t)at * (size_t)j->ldb, j->ldb, j->beta,                            \
                  j->C + (size_t)at * (size_t)j->ldc, j->ldc);                                    \
    }                                                                                             \
    void fn(ntr_par *team, CBLAS_SIDE side, blasint m, blasint n, type alpha, const type *P,      \
            blasint ldp, const type *B, blasint ldb, type beta, type *C, blasint ldc)             \
    {                                                                                             \
        blasint split = side == CblasLeft ? n : m, inner = side == CblasLeft ? m : n;             \
        if (split < SPLIT_MIN_DIM ||                                                              \
            (double)inner * (double)inner * (double)split < SPLIT_MIN_WORK) {                     \
            xsymm(CblasRowMajor, side, CblasUpper, m, n, alpha, P, ldp, B, ldb, beta, C, ldc);    \
            return;                                                                               \
        }                                                                                         \
        blasint width = panel_width(split);                                                       \
        fn##_job j = {side, m, n, ldp, ldb, ldc, width, alpha, beta, P, B, C};                    \
        ntr_par_run(team, (size_t)((split + width - 1) / width), fn##_panel, &j);                 \
    }

DEFINE_SYMM(ntr_par_dsymm, double, cblas_dsymm)
DEFINE_SYMM(ntr_par_ssymm, float, cblas_ssymm)
/* NOLINTEND(bugprone-macro-parentheses) */

typedef struct gemm_job {
    CBLAS_TRANSPOSE ta, tb;
    blasint m, n, k, lda, ldb, ldc, width;
    int by_rows;
    double alpha, beta;
    const double *A, *B;
    double *C;
} gemm_job;

static void gemm_panel(size_t t, void *ctx)
{
    const gemm_job *j = ctx;
    blasint at = (blasint)t * j->width, split = j->by_rows ? j->m : j->n;
    blasint len = split - at < j->width ? split - at : j->width;
    size_t off = (size_t)at;
    if (j->by_rows) { /* rows of op(A) and C */
        const double *a = j->ta == CblasNoTrans ? j->A + off * (size_t)j->lda : j->A + off;
        cblas_dgemm(CblasRowMajor, j->ta, j->tb, len, j->n, j->k, j->alpha, a, j->lda, j->B,
                    j->ldb, j->beta, j->C + off * (size_t)j->ldc, j->ldc);
    } else { /* columns of op(B) and C */
        const double *bb = j->tb == CblasNoTrans ? j->B + off : j->B + off * (size_t)j->ldb;
        cblas_dgemm(CblasRowMajor, j->ta, j->tb, j->m, len, j->k, j->alpha, j->A, j->lda, bb,
                    j->ldb, j->beta, j->C + off, j->ldc);
    }
}

void ntr_par_dgemm(ntr_par *team, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n,
                   blasint k, double alpha, const double *A, blasint lda, const double *B,
                   blasint ldb, double beta, double *C, blasint ldc)
{
    int by_rows = m >= n; /* split the longer side of C */
    blasint split = by_rows ? m : n;
    if (split < SPLIT_MIN_DIM || (double)m * (double)n * (double)k < SPLIT_MIN_WORK) {
        cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    blasint width = panel_width(split);
    gemm_job j = {ta, tb, m, n, k, lda, ldb, ldc, width, by_rows, alpha, beta, A, B, C};
    ntr_par_run(team, (size_t)((split + width - 1) / width), gemm_panel, &j);
}

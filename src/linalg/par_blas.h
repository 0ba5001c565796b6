/* par_blas.h: large row-major BLAS products split over a thread team
 * (par.h) into blocks fixed by the shapes alone, so that the result is the
 * same whatever the number of threads.
 *
 * Below a size (products under about 4 million multiply-adds, or a split
 * dimension under 256) a product is one BLAS call; above it, blocks of 128
 * rows or columns, one single-threaded BLAS call each.  The functions take
 * the arguments of the cblas call they replace (row-major only) and
 * allocate nothing. */
#ifndef NTR_PAR_BLAS_H
#define NTR_PAR_BLAS_H

#include <cblas.h>

#include "linalg/par.h"

/* C (n x n, upper triangle) = alpha op(A) op(A)^T + beta C, op(A) n x k:
 * cblas_dsyrk(CblasRowMajor, CblasUpper, trans, ...). */
void ntr_par_dsyrk(ntr_par *team, CBLAS_TRANSPOSE trans, blasint n, blasint k, double alpha,
                   const double *A, blasint lda, double beta, double *C, blasint ldc);
void ntr_par_ssyrk(ntr_par *team, CBLAS_TRANSPOSE trans, blasint n, blasint k, float alpha,
                   const float *A, blasint lda, float beta, float *C, blasint ldc);

/* C (m x n) = alpha P B + beta C (side Left, P m x m) or alpha B P + beta C
 * (side Right, P n x n), P symmetric with its upper triangle stored:
 * cblas_dsymm(CblasRowMajor, side, CblasUpper, ...). */
void ntr_par_dsymm(ntr_par *team, CBLAS_SIDE side, blasint m, blasint n, double alpha,
                   const double *P, blasint ldp, const double *B, blasint ldb, double beta,
                   double *C, blasint ldc);
void ntr_par_ssymm(ntr_par *team, CBLAS_SIDE side, blasint m, blasint n, float alpha,
                   const float *P, blasint ldp, const float *B, blasint ldb, float beta, float *C,
                   blasint ldc);

/* C (m x n) = alpha op(A) op(B) + beta C: cblas_dgemm(CblasRowMajor, ...). */
void ntr_par_dgemm(ntr_par *team, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n,
                   blasint k, double alpha, const double *A, blasint lda, const double *B,
                   blasint ldb, double beta, double *C, blasint ldc);

#endif

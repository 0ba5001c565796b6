/* linalg.h: small shared linear-algebra and random-number helpers.
 *
 * Thin, named wrappers over cblas/LAPACKE/GSL used by problems, norms and
 * methods, so that each caller reads as mathematics.  Functions that
 * allocate say so; the rest are safe inside the iteration loop. */
#ifndef NTR_LINALG_H
#define NTR_LINALG_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "base/error.h"

double ntr_dot(const double *a, const double *b, size_t n);
double ntr_nrm2(const double *a, size_t n);
void ntr_axpy(double alpha, const double *x, double *y, size_t n); /* y += alpha x */
void ntr_scal(double alpha, double *x, size_t n);
void ntr_copy(const double *x, double *y, size_t n);
double ntr_max_abs(const double *x, size_t n);
/* 1 when every entry of x is finite (no NaN, no infinity); branch-free. */
int ntr_all_finite(const double *x, size_t n);
double ntr_sum_abs(const double *x, size_t n);

/* Fill x with independent N(0, scale^2) draws. */
void ntr_fill_gaussian(gsl_rng *r, double *x, size_t n, double scale);

/* Largest singular value of a rows x cols row-major matrix (allocates). */
int ntr_op_norm(const double *a, size_t rows, size_t cols, double *out, ntr_error *err);
/* All min(rows,cols) singular values, descending, into s (allocates). */
int ntr_singular_values(const double *a, size_t rows, size_t cols, double *s, ntr_error *err);
/* Largest eigenvalue of a symmetric n x n matrix (allocates). */
int ntr_sym_eig_max(const double *s, size_t n, double *out, ntr_error *err);

#endif

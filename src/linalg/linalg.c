/* linalg.c: the shared linear-algebra and random-number helpers (see linalg.h).
 *
 * Vector helpers are one cblas call each and allocate nothing.  The spectral
 * helpers (singular values, largest eigenvalue) copy their input, because
 * LAPACK overwrites it, and so allocate: they serve setup code (problem
 * constants, tests), not the iteration loop, which uses the preallocated
 * workspaces of polar.h instead.
 * The random-number helper lives in linalg_random.c: GSL's randist header
 * pulls in gsl_cblas.h, whose declarations clash with OpenBLAS's cblas.h.
 *
 * Row-major matrices go to LAPACK in column-major order without a copy to a
 * transposed layout: a row-major rows x cols matrix A is, byte for byte, the
 * column-major cols x rows matrix A^T, and A and A^T have the same singular
 * values (a symmetric matrix is its own transpose). */
#include "linalg/linalg.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double ntr_dot(const double *a, const double *b, size_t n)
{
    return cblas_ddot((blasint)n, a, 1, b, 1);
}

double ntr_nrm2(const double *a, size_t n)
{
    return cblas_dnrm2((blasint)n, a, 1);
}

void ntr_axpy(double alpha, const double *x, double *y, size_t n)
{
    cblas_daxpy((blasint)n, alpha, x, 1, y, 1);
}

void ntr_scal(double alpha, double *x, size_t n)
{
    cblas_dscal((blasint)n, alpha, x, 1);
}

void ntr_copy(const double *x, double *y, size_t n)
{
    if (n && x != y)
        memmove(y, x, n * sizeof *x);
}

/* x * 0 is 0 (of either sign) for a finite x and NaN for an infinity or a
 * NaN, so four running sums of x * 0 (no branch; the compiler may not fold
 * x * 0 to 0) are NaN exactly when an entry is not finite: about two
 * instructions per entry, against a dozen for a test of each entry. */
int ntr_all_finite(const double *x, size_t n)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += x[i] * 0.0;
        s1 += x[i + 1] * 0.0;
        s2 += x[i + 2] * 0.0;
        s3 += x[i + 3] * 0.0;
    }
    for (; i < n; i++)
        s0 += x[i] * 0.0;
    return !isnan((s0 + s1) + (s2 + s3));
}

/* A plain loop rather than idamax: a NaN entry makes the result NaN, so that
 * a diverged run cannot hide behind a finite maximum. */
double ntr_max_abs(const double *x, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++) {
        double a = fabs(x[i]);
        if (a > m || isnan(a))
            m = a;
        if (isnan(m))
            break;
    }
    return m;
}

double ntr_sum_abs(const double *x, size_t n)
{
    return cblas_dasum((blasint)n, x, 1);
}

/* LAPACK routines do not promise anything on NaN or infinite input. */
static int check_finite(const double *a, size_t n, ntr_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(a[i]))
            return ntr_fail(err, NTR_E_NUMERIC, "matrix entry %zu is not finite", i);
    return 0;
}

/* Singular values of the row-major rows x cols matrix a into s (descending). */
static int singular_values(const double *a, size_t rows, size_t cols, double *s, ntr_error *err)
{
    size_t n = rows * cols;
    if (check_finite(a, n, err))
        return -1;
    double *w = malloc(n * sizeof *w);
    if (!w)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory (%zu x %zu matrix)", rows, cols);
    memcpy(w, a, n * sizeof *w);
    /* Column-major cols x rows view (A^T), leading dimension cols. */
    lapack_int info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', (lapack_int)cols, (lapack_int)rows, w,
                                     (lapack_int)cols, s, NULL, 1, NULL, 1);
    free(w);
    if (info > 0)
        return ntr_fail(err, NTR_E_NUMERIC, "SVD of a %zu x %zu matrix did not converge", rows,
                        cols);
    if (info < 0)
        return ntr_fail(err, NTR_E_INTERNAL, "dgesdd: argument %d invalid", (int)-info);
    return 0;
}

int ntr_op_norm(const double *a, size_t rows, size_t cols, double *out, ntr_error *err)
{
    size_t k = rows < cols ? rows : cols;
    *out = 0.0;
    if (k == 0)
        return 0;
    double *s = malloc(k * sizeof *s);
    if (!s)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    int rc = singular_values(a, rows, cols, s, err);
    if (rc == 0)
        *out = s[0];
    free(s);
    return rc;
}

int ntr_singular_values(const double *a, size_t rows, size_t cols, double *s, ntr_error *err)
{
    if (rows == 0 || cols == 0)
        return 0;
    return singular_values(a, rows, cols, s, err);
}

int ntr_sym_eig_max(const double *s, size_t n, double *out, ntr_error *err)
{
    if (n == 0)
        return ntr_fail(err, NTR_E_INTERNAL, "largest eigenvalue of an empty matrix");
    if (check_finite(s, n * n, err))
        return -1;
    double *w = malloc(n * n * sizeof *w);
    double *ev = malloc(n * sizeof *ev);
    if (!w || !ev) {
        free(w);
        free(ev);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory (%zu x %zu matrix)", n, n);
    }
    memcpy(w, s, n * n * sizeof *w);
    /* Only the largest eigenvalue (index n of n); no eigenvectors. */
    lapack_int found = 0;
    lapack_int isuppz[2];
    lapack_int info = LAPACKE_dsyevr(LAPACK_COL_MAJOR, 'N', 'I', 'U', (lapack_int)n, w,
                                     (lapack_int)n, 0.0, 0.0, (lapack_int)n, (lapack_int)n, 0.0,
                                     &found, ev, NULL, 1, isuppz);
    double top = ev[0];
    free(w);
    free(ev);
    if (info > 0 || found != 1)
        return ntr_fail(err, NTR_E_NUMERIC, "eigenvalues of a %zu x %zu matrix did not converge",
                        n, n);
    if (info < 0)
        return ntr_fail(err, NTR_E_INTERNAL, "dsyevr: argument %d invalid", (int)-info);
    *out = top;
    return 0;
}

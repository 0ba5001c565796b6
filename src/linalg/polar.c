/* polar.c: the spectral workspace of polar.h: exact polar factor, singular
 * values and the operator norm from LAPACK's dgesdd, the nuclear norm from
 * the eigenvalues of the small Gram matrix (dgesdd where those are not
 * accurate enough), and the dispatch of the spectral sharp to the
 * configured solver.
 *
 * Orientation.  dgesdd is given the tall orientation of the matrix (m >= n
 * in column-major order), where it starts with a QR factorisation; the wide
 * orientation starts with an LQ factorisation, which is markedly slower on
 * small matrices.  A row-major rows x cols matrix A is, byte for byte, the
 * column-major cols x rows matrix A^T: when cols >= rows that is already
 * tall and is copied as it is; when rows > cols the copy is transposed, so
 * that LAPACK sees A itself.  The copy is needed anyway (dgesdd overwrites
 * its argument).  Singular values are those of A either way, and
 * polar(A^T) = polar(A)^T.
 *
 * The product U V^T of the polar factor is taken with transposed operands
 * ("NT" or "TT"): OpenBLAS's small-matrix kernel for the plain "NN" product
 * calls malloc for some shapes, and nothing may allocate in the loop.
 *
 * Nuclear norm.  sum_i sigma_i = sum_i sqrt(lambda_i) over the eigenvalues
 * of the k x k Gram matrix (k = min(rows, cols)): one syrk and dsyevd,
 * about twice as fast as dgesdd.  An eigenvalue carries an absolute error
 * of about c sqrt(max(rows, cols)) eps lambda_max (c < 3 measured; taken
 * as 8), so sigma_i = sqrt(lambda_i) is off by about that / (2 sigma_i):
 * small singular values are the inaccurate ones.  The sum of those bounds
 * (all errors of one sign) is checked against 1e-9 of the result; above it
 * (a nearly rank-deficient matrix, or entries so large or small that squares
 * overflow or underflow) the nuclear norm comes from dgesdd instead.  On
 * the gradients of least-squares runs the errors measured against dgesdd
 * are 250 to 1000 times below the bound, so a few 1e-12 at worst: below the
 * rounding error of the gradient itself, and far below anything a target,
 * a hitting time or a figure can see.
 *
 * The _work variants of LAPACKE are used with workspaces sized by queries
 * at allocation, so that no call allocates. */
#include "linalg/polar.h"
#include "linalg/linalg.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Bound on the estimated relative error of the Gram nuclear norm. */
#define GRAM_TOL 1e-9
/* Entries beyond these magnitudes may overflow or underflow when squared. */
#define GRAM_BIG 1e150
#define GRAM_SMALL 1e-150

struct ntr_polar {
    size_t rows, cols;  /* shape of A (row-major) */
    int transposed;     /* 1: LAPACK's matrix is A (rows > cols), 0: it is A^T */
    lapack_int m, n;    /* LAPACK's tall column-major matrix is m x n, m >= n = k */
    int solver;         /* NTR_LMO_* */
    ntr_ns *ns;         /* Newton-Schulz engine (solver newton_schulz only) */
    double *a;          /* LAPACK's copy of the input (dgesdd overwrites it) */
    double *s;          /* n singular values, descending */
    double *u;          /* m x n left singular vectors (svd solver only) */
    double *vt;         /* n x n right singular vectors, transposed (svd solver only) */
    double *work;       /* dgesdd workspace for both jobz = 'N' and 'S' */
    lapack_int lwork;
    lapack_int *iwork;  /* 8 n integers */
    double *gram;       /* n x n Gram matrix, then destroyed by dsyevd */
    double *ev;         /* its n eigenvalues, ascending */
    double *ework;      /* dsyevd workspace */
    lapack_int elwork, eliwork;
    lapack_int *eiwork;
};

/* Ask dgesdd how much workspace jobz needs. */
static int query_lwork(const ntr_polar *p, char jobz, lapack_int *lwork)
{
    double opt = 0.0;
    lapack_int ldu = jobz == 'S' ? p->m : 1, ldvt = jobz == 'S' ? p->n : 1;
    lapack_int info = LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, jobz, p->m, p->n, p->a, p->m, p->s,
                                          p->u, ldu, p->vt, ldvt, &opt, -1, p->iwork);
    if (info != 0)
        return -1;
    *lwork = (lapack_int)opt + 1;
    return 0;
}

/* Ask dsyevd (eigenvalues only) for its workspaces. */
static int query_eig(ntr_polar *p)
{
    double opt = 0.0;
    lapack_int iopt = 0;
    lapack_int info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, 'N', 'L', p->n, p->gram, p->n, p->ev,
                                          &opt, -1, &iopt, -1);
    if (info != 0)
        return -1;
    p->elwork = (lapack_int)opt + 1;
    p->eliwork = iopt + 1;
    return 0;
}

static int out_of_memory(ntr_polar *p, ntr_error *err)
{
    size_t rows = p->rows, cols = p->cols;
    ntr_polar_free(p);
    return ntr_fail(err, NTR_E_INTERNAL, "out of memory (spectral workspace %zu x %zu)", rows,
                    cols);
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
    p->transposed = rows > cols;
    p->m = (lapack_int)(p->transposed ? rows : cols);
    p->n = (lapack_int)(p->transposed ? cols : rows);
    p->solver = solver;
    size_t m = (size_t)p->m, k = (size_t)p->n;
    p->a = malloc(rows * cols * sizeof *p->a);
    p->s = malloc(k * sizeof *p->s);
    p->iwork = malloc(8 * k * sizeof *p->iwork);
    p->gram = malloc(k * k * sizeof *p->gram);
    p->ev = malloc(k * sizeof *p->ev);
    if (solver == NTR_LMO_SVD) {
        p->u = malloc(m * k * sizeof *p->u);
        p->vt = malloc(k * k * sizeof *p->vt);
    }
    if (!p->a || !p->s || !p->iwork || !p->gram || !p->ev ||
        (solver == NTR_LMO_SVD && (!p->u || !p->vt)))
        return out_of_memory(p, err);
    lapack_int lw_n = 0, lw_s = 0;
    if (query_lwork(p, 'N', &lw_n) || (solver == NTR_LMO_SVD && query_lwork(p, 'S', &lw_s)) ||
        query_eig(p)) {
        ntr_polar_free(p);
        return ntr_fail(err, NTR_E_INTERNAL, "LAPACK workspace query failed (%zu x %zu)", rows,
                        cols);
    }
    p->lwork = lw_n > lw_s ? lw_n : lw_s;
    p->work = malloc((size_t)(p->lwork > 0 ? p->lwork : 1) * sizeof *p->work);
    p->ework = malloc((size_t)p->elwork * sizeof *p->ework);
    p->eiwork = malloc((size_t)p->eliwork * sizeof *p->eiwork);
    if (!p->work || !p->ework || !p->eiwork)
        return out_of_memory(p, err);
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
    free(p->gram);
    free(p->ev);
    free(p->ework);
    free(p->eiwork);
    free(p);
}

static void fill_nan(double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = NAN;
}

/* Largest |entry| of g, or NaN when an entry is NaN or infinite. */
static double max_abs_finite(const double *g, size_t n)
{
    double big = 0.0;
    int finite = 1;
    for (size_t i = 0; i < n; i++) {
        double v = fabs(g[i]);
        big = v > big ? v : big;
        finite &= isfinite(g[i]);
    }
    return finite ? big : NAN;
}

/* Copy g into LAPACK's tall layout; -1 when an entry is NaN or infinite
 * (LAPACK promises nothing for such input). */
static int load(ntr_polar *p, const double *g)
{
    size_t rows = p->rows, cols = p->cols;
    if (isnan(max_abs_finite(g, rows * cols)))
        return -1;
    if (!p->transposed) {
        memcpy(p->a, g, rows * cols * sizeof *g);
        return 0;
    }
    /* a (column-major rows x cols) = A: a[i + j rows] = g[i cols + j], in
     * blocks so that both sides stay in cache. */
    enum { B = 32 };
    for (size_t i0 = 0; i0 < rows; i0 += B)
        for (size_t j0 = 0; j0 < cols; j0 += B) {
            size_t i1 = i0 + B < rows ? i0 + B : rows, j1 = j0 + B < cols ? j0 + B : cols;
            for (size_t j = j0; j < j1; j++)
                for (size_t i = i0; i < i1; i++)
                    p->a[i + j * rows] = g[i * cols + j];
        }
    return 0;
}

/* SVD of the loaded matrix: singular values only (jobz 'N') or also the
 * thin singular vectors (jobz 'S').  Destroys p->a.  LAPACK's info: 0,
 * or nonzero when it failed (> 0: did not converge). */
static lapack_int svd(ntr_polar *p, char jobz)
{
    lapack_int ldu = jobz == 'S' ? p->m : 1, ldvt = jobz == 'S' ? p->n : 1;
    return LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, jobz, p->m, p->n, p->a, p->m, p->s, p->u, ldu,
                               p->vt, ldvt, p->work, p->lwork, p->iwork);
}

/* In-place transpose of the n x n matrix x. */
static void transpose_square(double *x, size_t n)
{
    for (size_t j = 1; j < n; j++)
        for (size_t i = 0; i < j; i++) {
            double t = x[i + j * n];
            x[i + j * n] = x[j + i * n];
            x[j + i * n] = t;
        }
}

/* A failed sharp: out all NaN, err the reason, NTR_SHARP_* (lmo.h). */
static int sharp_failed(double *out, size_t n, int code, ntr_error *err, const char *fmt, ...)
    NTR_PRINTF(5, 6);
static int sharp_failed(double *out, size_t n, int code, ntr_error *err, const char *fmt, ...)
{
    fill_nan(out, n);
    if (err) {
        char msg[sizeof err->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        ntr_fail(err, NTR_E_NUMERIC, "%s", msg);
    }
    return code;
}

static const char nonfinite_input[] = "its input holds a NaN or an infinity";

/* Exact polar factor U_r V_r^T of LAPACK's matrix, where r counts the
 * singular values above max(rows,cols) * DBL_EPSILON * s_max (s is
 * descending, so the directions kept are the first r). */
static int polar_svd(ntr_polar *p, const double *g, double *out, ntr_error *err)
{
    size_t n = p->rows * p->cols;
    if (load(p, g))
        return sharp_failed(out, n, NTR_SHARP_NONFINITE, err, nonfinite_input);
    lapack_int info = svd(p, 'S');
    if (info != 0)
        return sharp_failed(out, n, NTR_SHARP_FAILED, err,
                            "the SVD did not converge (LAPACK dgesdd info %d)", (int)info);
    if (!isfinite(p->s[0]))
        return sharp_failed(out, n, NTR_SHARP_FAILED, err,
                            "the SVD gave a non-finite singular value (%g)", p->s[0]);
    double tol = (double)p->m * DBL_EPSILON * p->s[0];
    lapack_int r = 0;
    while (r < p->n && p->s[r] > tol)
        r++;
    if (r == 0) { /* g = 0 */
        memset(out, 0, n * sizeof *out);
        return 0;
    }
    lapack_int m = p->m, k = p->n;
    if (!p->transposed) {
        /* LAPACK's matrix is A^T (m = cols, k = rows): out, column-major
         * m x k, is U_r V_r^T; with V = VT^T in place, an "NT" product. */
        transpose_square(p->vt, (size_t)k);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, m, k, r, 1.0, p->u, m, p->vt, k, 0.0,
                    out, m);
    } else {
        /* LAPACK's matrix is A (m = rows, k = cols): out, column-major
         * k x m, is polar(A)^T = V_r U_r^T, a "TT" product. */
        cblas_dgemm(CblasColMajor, CblasTrans, CblasTrans, k, m, r, 1.0, p->vt, k, p->u, m, 0.0,
                    out, k);
    }
    return 0;
}

/* Newton-Schulz: a NaN or an infinity in g gives NaN in out, and so does
 * an iterate that overflows on a finite g (coefficients too large for the
 * precision): one pass over out tells, and g (looked at first when out is
 * g itself) which of the two it was. */
static int polar_ns(ntr_polar *p, const double *g, double *out, ntr_error *err)
{
    size_t n = p->rows * p->cols;
    if (out == g && !ntr_all_finite(g, n))
        return sharp_failed(out, n, NTR_SHARP_NONFINITE, err, nonfinite_input);
    ntr_ns_apply(p->ns, g, out);
    if (ntr_all_finite(out, n))
        return 0;
    if (out != g && !ntr_all_finite(g, n))
        return sharp_failed(out, n, NTR_SHARP_NONFINITE, err, nonfinite_input);
    return sharp_failed(out, n, NTR_SHARP_FAILED, err,
                        "Newton-Schulz iterates overflowed on a finite input (coefficients "
                        "too large for %s?)",
                        ntr_ns_precision_name(p->ns));
}

int ntr_polar_sharp(ntr_polar *p, const double *g, double *out, ntr_error *err)
{
    if (p->solver == NTR_LMO_NEWTON_SCHULZ)
        return polar_ns(p, g, out, err);
    return polar_svd(p, g, out, err);
}

int ntr_polar_singular_values(ntr_polar *p, const double *a, double *s)
{
    if (load(p, a) || svd(p, 'N') != 0) {
        fill_nan(p->s, (size_t)p->n);
        if (s)
            fill_nan(s, (size_t)p->n);
        return -1;
    }
    if (s)
        memcpy(s, p->s, (size_t)p->n * sizeof *s);
    return 0;
}

double ntr_polar_op_norm(ntr_polar *p, const double *a)
{
    if (ntr_polar_singular_values(p, a, NULL))
        return NAN;
    return p->s[0];
}

/* The nuclear norm from the Gram eigenvalues (see the header comment);
 * NaN when the estimate says they are not accurate enough. */
static double gram_nuclear(ntr_polar *p, const double *a)
{
    lapack_int k = p->n;
    if (p->rows >= p->cols) /* A^T A */
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, k, (blasint)p->rows, 1.0, a,
                    (blasint)p->cols, 0.0, p->gram, k);
    else /* A A^T */
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, k, (blasint)p->cols, 1.0, a,
                    (blasint)p->cols, 0.0, p->gram, k);
    /* The row-major upper triangle is LAPACK's lower one. */
    if (LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, 'N', 'L', k, p->gram, k, p->ev, p->ework,
                            p->elwork, p->eiwork, p->eliwork) != 0)
        return NAN;
    double lmax = p->ev[k - 1];
    if (!(lmax > 0.0) || !isfinite(lmax))
        return lmax == 0.0 ? 0.0 : NAN;
    double delta = 8.0 * sqrt((double)p->m) * DBL_EPSILON * lmax, sqrt_delta = sqrt(delta);
    double sum = 0.0, bound = 0.0;
    /* Ascending: the sum runs from the smallest, the accurate order. */
    for (lapack_int i = 0; i < k; i++) {
        double l = p->ev[i] > 0.0 ? p->ev[i] : 0.0, sigma = sqrt(l);
        sum += sigma;
        bound += l > delta ? delta / (2.0 * sigma) : sqrt_delta;
    }
    return bound <= GRAM_TOL * sum ? sum : NAN;
}

double ntr_polar_nuclear_norm(ntr_polar *p, const double *a)
{
    double big = max_abs_finite(a, p->rows * p->cols);
    if (isnan(big))
        return NAN;
    if (big == 0.0)
        return 0.0;
    if (big < GRAM_BIG && big > GRAM_SMALL) {
        double nuc = gram_nuclear(p, a);
        if (!isnan(nuc))
            return nuc;
    }
    if (ntr_polar_singular_values(p, a, NULL))
        return NAN;
    double sum = 0.0;
    /* Smallest first: the sum of a descending list is more accurate backwards. */
    for (lapack_int i = p->n; i-- > 0;)
        sum += p->s[i];
    return sum;
}

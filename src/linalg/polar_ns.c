/* polar_ns.c: the Newton-Schulz engine of polar.h, an approximate polar
 * factor from matrix products only (THEORY.md section 4).
 *
 *     X0 = M / ((input_scale + 1e-7) ||M||_F)      (M = 0 gives 0)
 *     X  <- a X + (b A + c A^2) X,   A = X X^T,   (a, b, c) per step
 *
 * Orientation.  The Gram matrix must be the small one.  For a wide input
 * (rows <= cols) the iterate is X itself and A = X X^T is rows x rows.  For
 * a tall input the reference algorithm transposes; here the iterate stays in
 * its row-major rows x cols layout Y = X^T and the BLAS transposes through
 * its flags: A = Y^T Y and the update is Y <- a Y + Y (b A + c A^2) (the
 * polynomial in A is symmetric).
 *
 * One step costs three level-3 products on preallocated buffers:
 *     A = X X^T                      syrk (upper triangle, half the flops of a gemm)
 *     P = a I + b A + c A^2          an O(k^2) pass, then syrk on A (A^2 = A A^T)
 *     X_next = P X   (or Y P)        symm into the second iterate buffer, then swap
 * Folding a I into P makes the update one product with no copy of X.  The
 * two iterate buffers are the caller's output and one workspace buffer,
 * started so that the last step lands in the output.  The products go
 * through par_blas.h: large ones are split into blocks over the cell's
 * thread team, with results independent of the number of threads.
 *
 * Small Gram matrices (k <= 64) with AVX-512 kernels: OpenBLAS's
 * small-matrix gemm kernels (SkylakeX and later) run these shapes two to
 * four times faster than its syrk and symm, so the step is three gemms on
 * a tall iterate (a wide input is transposed in and out):
 *     A = Y^T Y,   P = a I + b A + c A A,   Y_next = Y P.
 * Those kernels call malloc for a plain (NN) product whose output has
 * k % 8 in 1..4 columns and an inner dimension of 16 or more; at such k
 * the products take A A^T and Y P^T instead (the same matrices: A and P are
 * symmetric), which never allocate.
 *
 * gram: true with an aspect ratio of 2 or more runs the Gram iteration of
 * polar_ns_gram.c instead (float64).
 *
 * precision float32 runs the standard iteration with float workspaces and
 * ssyrk/ssymm, converting in and out once. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/blas_kernel.h"
#include "linalg/par_blas.h"
#include "linalg/polar_ns_impl.h"

/* The safeguard, relative to the Frobenius norm: X0 has operator norm at
 * most 1/(1 + 1e-7 / input_scale) < 1 at every scale of M, so that a
 * momentum of norm 1e-12 gives the same unit step as one of norm 1 (as the
 * exact polar factor does).  An absolute guard (||M||_F + 1e-7) shrank the
 * step of every M with ||M||_F below about 1e-7 toward zero. */
#define NS_REL_GUARD 1e-7
/* Largest Gram dimension of the small-matrix path. */
#define SMALL_K 64
/* Aspect ratio from which gram: true runs the Gram iteration. */
#define GRAM_MIN_ASPECT 2

int ntr_lmo_opts_check(const ntr_lmo_opts *o, ntr_error *err)
{
    if (o->steps < 1 || o->steps > NTR_LMO_MAX_STEPS)
        return ntr_fail(err, NTR_E_INPUT, "newton_schulz: steps must be in 1..%d, not %d",
                        NTR_LMO_MAX_STEPS, o->steps);
    for (int t = 0; t < o->steps; t++)
        for (int j = 0; j < 3; j++)
            if (!isfinite(o->coef[t][j]))
                return ntr_fail(err, NTR_E_INPUT,
                                "newton_schulz: coefficient %d of step %d is not finite", j + 1,
                                t + 1);
    if (!(o->input_scale > 0.0) || !isfinite(o->input_scale))
        return ntr_fail(err, NTR_E_INPUT, "newton_schulz: input scale must be positive, not %g",
                        o->input_scale);
    if (o->precision != NTR_PREC_FLOAT64 && o->precision != NTR_PREC_FLOAT32)
        return ntr_fail(err, NTR_E_INPUT, "newton_schulz: unknown precision %d", o->precision);
    if (o->gram && o->precision != NTR_PREC_FLOAT64)
        return ntr_fail(err, NTR_E_INPUT, "newton_schulz: gram runs in float64 only");
    return 0;
}

/* The small-matrix path: a small Gram matrix and a BLAS with small-matrix
 * gemm kernels (OpenBLAS's AVX-512 cores). */
static int use_small(blasint k)
{
    return k <= SMALL_K && ntr_blas_kernel_isa(openblas_get_corename()) >= NTR_ISA_AVX512;
}

static int alloc_buffers(ntr_ns *w)
{
    size_t n = w->rows * w->cols, kk = (size_t)w->k * (size_t)w->k;
    if (w->precision == NTR_PREC_FLOAT32) {
        w->fy[0] = malloc(n * sizeof(float));
        w->fy[1] = malloc(n * sizeof(float));
        w->fgram = calloc(kk, sizeof(float));
        w->fpoly = calloc(kk, sizeof(float));
        return w->fy[0] && w->fy[1] && w->fgram && w->fpoly;
    }
    w->y = malloc(n * sizeof(double));
    w->gram_m = calloc(kk, sizeof(double));
    w->poly = calloc(kk, sizeof(double));
    int ok = w->y && w->gram_m && w->poly;
    if (w->small && w->wide) {
        w->y2 = malloc(n * sizeof(double));
        ok = ok && w->y2;
    }
    if (w->gram) {
        w->q = calloc(kk, sizeof(double));
        w->q2 = calloc(kk, sizeof(double));
        w->r2 = calloc(kk, sizeof(double));
        w->x1 = malloc(n * sizeof(double));
        ok = ok && w->q && w->q2 && w->r2 && w->x1;
    }
    return ok;
}

int ntr_ns_alloc(size_t rows, size_t cols, const ntr_lmo_opts *o, ntr_ns **out, ntr_error *err)
{
    *out = NULL;
    if (ntr_lmo_opts_check(o, err))
        return -1;
    if (rows == 0 || cols == 0)
        return ntr_fail(err, NTR_E_INTERNAL, "newton_schulz on an empty %zu x %zu matrix", rows,
                        cols);
    ntr_ns *w = calloc(1, sizeof *w);
    if (!w)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    w->rows = rows;
    w->cols = cols;
    w->wide = rows <= cols;
    w->k = (blasint)(w->wide ? rows : cols);
    w->c = (blasint)(w->wide ? cols : rows);
    w->steps = o->steps;
    memcpy(w->coef, o->coef, sizeof w->coef);
    w->input_scale = o->input_scale;
    w->precision = o->precision;
    w->team = o->team;
    w->gram = o->gram && (size_t)w->c >= GRAM_MIN_ASPECT * (size_t)w->k;
    w->small = !w->gram && w->precision == NTR_PREC_FLOAT64 && use_small(w->k);
    w->nn_ok = !(w->k % 8 >= 1 && w->k % 8 <= 4 && w->k >= 16);
    if (!alloc_buffers(w)) {
        ntr_ns_free(w);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory (Newton-Schulz workspace %zu x %zu)",
                        rows, cols);
    }
    *out = w;
    return 0;
}

void ntr_ns_free(ntr_ns *w)
{
    if (!w)
        return;
    free(w->y);
    free(w->y2);
    free(w->gram_m);
    free(w->poly);
    free(w->q);
    free(w->q2);
    free(w->r2);
    free(w->x1);
    free(w->fy[0]);
    free(w->fy[1]);
    free(w->fgram);
    free(w->fpoly);
    free(w);
}

/* One pass over the upper triangle of the k x k Gram matrix A:
 *     P = a I + b A              (upper triangle; syrk then adds c A^2)
 *     lower(A) = upper(A)^T      (only when c != 0: syrk reads A in full)
 * in small tiles, so that the column-wise writes stay in cache (with k a
 * power of two, large tiles hit the same cache sets). */
#define TILE 8
#define DEFINE_PREPARE(name, type)                                                  \
    /* NOLINTNEXTLINE(bugprone-macro-parentheses): `type` names a type */         \
    static void name(type *A, type *P, blasint k, type a, type b, int mirror)       \
    {                                                                               \
        for (blasint i0 = 0; i0 < k; i0 += TILE)                                    \
            for (blasint j0 = i0; j0 < k; j0 += TILE) {                             \
                blasint i1 = i0 + TILE < k ? i0 + TILE : k;                         \
                blasint j1 = j0 + TILE < k ? j0 + TILE : k;                         \
                for (blasint i = i0; i < i1; i++)                                   \
                    for (blasint j = j0 > i ? j0 : i; j < j1; j++) {                \
                        type v = A[i * k + j];                                      \
                        P[i * k + j] = b * v + (i == j ? a : (type)0);              \
                        if (mirror)                                                 \
                            A[j * k + i] = v;                                       \
                    }                                                               \
            }                                                                       \
    }
DEFINE_PREPARE(prepare_d, double)
DEFINE_PREPARE(prepare_f, float)

void ntr_ns_mirror(double *a, blasint k)
{
    for (blasint i0 = 0; i0 < k; i0 += TILE)
        for (blasint j0 = i0; j0 < k; j0 += TILE) {
            blasint i1 = i0 + TILE < k ? i0 + TILE : k, j1 = j0 + TILE < k ? j0 + TILE : k;
            for (blasint i = i0; i < i1; i++)
                for (blasint j = j0 > i ? j0 : i + 1; j < j1; j++)
                    a[j * k + i] = a[i * k + j];
        }
}

double ntr_ns_input_factor(const ntr_ns *w, const double *g, size_t n, double *divide)
{
    double nrm = cblas_dnrm2((blasint)n, g, 1);
    *divide = 0.0;
    if (nrm == 0.0)
        return 0.0;
    double denom = (w->input_scale + NS_REL_GUARD) * nrm;
    double scale = 1.0 / denom;
    if (isinf(scale)) {
        *divide = denom;
        return 0.0;
    }
    return scale;
}

void ntr_ns_scale_into(const double *g, size_t n, double scale, double divide, double *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = divide > 0.0 ? g[i] / divide : scale * g[i];
}

/* ---- float64 ---- */

/* P (upper triangle) = a I + b A + c A^2 from the upper triangle of A. */
static void poly_d(const ntr_ns *w, double *A, double *P, const double abc[3])
{
    blasint k = w->k;
    prepare_d(A, P, k, abc[0], abc[1], abc[2] != 0.0);
    if (abc[2] != 0.0) /* A symmetric: A^2 = A A^T */
        ntr_par_dsyrk(w->team, CblasNoTrans, k, k, abc[2], A, k, 1.0, P, k);
}

static void step_d(const ntr_ns *w, const double *x, double *x_next, const double abc[3])
{
    blasint r = (blasint)w->rows, c = (blasint)w->cols, k = w->k;
    if (w->wide) {
        ntr_par_dsyrk(w->team, CblasNoTrans, k, c, 1.0, x, c, 0.0, w->gram_m, k);
        poly_d(w, w->gram_m, w->poly, abc);
        ntr_par_dsymm(w->team, CblasLeft, k, c, 1.0, w->poly, k, x, c, 0.0, x_next, c);
    } else {
        ntr_par_dsyrk(w->team, CblasTrans, k, r, 1.0, x, c, 0.0, w->gram_m, k);
        poly_d(w, w->gram_m, w->poly, abc);
        ntr_par_dsymm(w->team, CblasRight, r, k, 1.0, w->poly, k, x, c, 0.0, x_next, c);
    }
}

/* One step of the small-matrix path on the tall iterate y (m x k). */
static void step_small(const ntr_ns *w, blasint m, const double *y, double *y_next,
                       const double abc[3])
{
    blasint k = w->k;
    double *A = w->gram_m, *P = w->poly;
    CBLAS_TRANSPOSE second = w->nn_ok ? CblasNoTrans : CblasTrans;
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, k, m, 1.0, y, k, y, k, 0.0, A, k);
    for (blasint i = 0; i < k * k; i++)
        P[i] = abc[1] * A[i];
    for (blasint i = 0; i < k; i++)
        P[i * k + i] += abc[0];
    if (abc[2] != 0.0)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, second, k, k, k, abc[2], A, k, A, k, 1.0, P, k);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, second, m, k, k, 1.0, y, k, P, k, 0.0, y_next, k);
}

/* dst (cols x rows) = src (rows x cols) transposed, scaled as
 * ntr_ns_scale_into, in blocks that keep both sides in cache. */
static void transpose_into(const double *src, size_t rows, size_t cols, double scale,
                           double divide, double *dst)
{
    enum { B = 32 };
    for (size_t i0 = 0; i0 < rows; i0 += B)
        for (size_t j0 = 0; j0 < cols; j0 += B) {
            size_t i1 = i0 + B < rows ? i0 + B : rows, j1 = j0 + B < cols ? j0 + B : cols;
            for (size_t i = i0; i < i1; i++)
                for (size_t j = j0; j < j1; j++)
                    dst[j * rows + i] = divide > 0.0 ? src[i * cols + j] / divide
                                                     : scale * src[i * cols + j];
        }
}

static void apply_small(ntr_ns *w, const double *g, double *out, double scale, double divide)
{
    size_t n = w->rows * w->cols;
    blasint m = w->c;
    double *cur, *next;
    if (w->wide) { /* iterate on X^T in y / y2, transpose back at the end */
        cur = w->y;
        next = w->y2;
        transpose_into(g, w->rows, w->cols, scale, divide, cur);
    } else { /* ping-pong between out and y, ending in out */
        cur = (w->steps % 2 == 0) ? out : w->y;
        next = (cur == out) ? w->y : out;
        ntr_ns_scale_into(g, n, scale, divide, cur);
    }
    for (int t = 0; t < w->steps; t++) {
        step_small(w, m, cur, next, w->coef[t]);
        double *tmp = cur;
        cur = next;
        next = tmp;
    }
    if (w->wide)
        transpose_into(cur, w->cols, w->rows, 1.0, 0.0, out);
}

static void apply_d(ntr_ns *w, const double *g, double *out)
{
    size_t n = w->rows * w->cols;
    double divide, scale = ntr_ns_input_factor(w, g, n, &divide);
    if (w->small) {
        apply_small(w, g, out, scale, divide);
        return;
    }
    /* Ping-pong between out and w->y; start where an even number of swaps
     * ends in out.  Writing X0 into out is safe even when out == g. */
    double *cur = (w->steps % 2 == 0) ? out : w->y;
    double *next = (cur == out) ? w->y : out;
    ntr_ns_scale_into(g, n, scale, divide, cur);
    for (int t = 0; t < w->steps; t++) {
        step_d(w, cur, next, w->coef[t]);
        double *tmp = cur;
        cur = next;
        next = tmp;
    }
}

/* ---- float32: the same, in single precision ---- */

static void poly_f(const ntr_ns *w, float *A, float *P, const double abc[3])
{
    float c = (float)abc[2];
    prepare_f(A, P, w->k, (float)abc[0], (float)abc[1], c != 0.0f);
    if (c != 0.0f)
        ntr_par_ssyrk(w->team, CblasNoTrans, w->k, w->k, c, A, w->k, 1.0f, P, w->k);
}

static void step_f(const ntr_ns *w, const float *x, float *x_next, const double abc[3])
{
    blasint r = (blasint)w->rows, c = (blasint)w->cols, k = w->k;
    if (w->wide) {
        ntr_par_ssyrk(w->team, CblasNoTrans, k, c, 1.0f, x, c, 0.0f, w->fgram, k);
        poly_f(w, w->fgram, w->fpoly, abc);
        ntr_par_ssymm(w->team, CblasLeft, k, c, 1.0f, w->fpoly, k, x, c, 0.0f, x_next, c);
    } else {
        ntr_par_ssyrk(w->team, CblasTrans, k, r, 1.0f, x, c, 0.0f, w->fgram, k);
        poly_f(w, w->fgram, w->fpoly, abc);
        ntr_par_ssymm(w->team, CblasRight, r, k, 1.0f, w->fpoly, k, x, c, 0.0f, x_next, c);
    }
}

static void apply_f(ntr_ns *w, const double *g, double *out)
{
    size_t n = w->rows * w->cols;
    /* Scale in double, then round once: the float iterate starts at norm <= 1. */
    double divide, scale = ntr_ns_input_factor(w, g, n, &divide);
    float *cur = w->fy[0], *next = w->fy[1];
    for (size_t i = 0; i < n; i++)
        cur[i] = (float)(divide > 0.0 ? g[i] / divide : scale * g[i]);
    for (int t = 0; t < w->steps; t++) {
        step_f(w, cur, next, w->coef[t]);
        float *tmp = cur;
        cur = next;
        next = tmp;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (double)cur[i];
}

const char *ntr_ns_precision_name(const ntr_ns *w)
{
    return w->precision == NTR_PREC_FLOAT32 ? "float32" : "float64";
}

void ntr_ns_apply(ntr_ns *w, const double *g, double *out)
{
    if (w->precision == NTR_PREC_FLOAT32)
        apply_f(w, g, out);
    else if (w->gram)
        ntr_ns_gram_apply(w, g, out);
    else
        apply_d(w, g, out);
}

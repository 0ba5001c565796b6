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
 * polynomial in A is symmetric).  No transposed copy is ever made.
 *
 * One step costs three level-3 calls on preallocated buffers:
 *     A = X X^T                      syrk (upper triangle, half the flops of a gemm)
 *     P = a I + b A + c A^2          an O(k^2) pass, then syrk on A (A^2 = A A^T)
 *     X_next = P X   (or Y P)        symm into the second iterate buffer, then swap
 * Folding a I into P makes the update one product with no copy of X.  The
 * two iterate buffers are the caller's output and one workspace buffer,
 * started so that the last step lands in the output.
 *
 * precision float32 runs the same iteration with float workspaces and
 * ssyrk/ssymm, converting in and out once. */
#include "polar.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The safeguard, relative to the Frobenius norm: X0 has operator norm at
 * most 1/(1 + 1e-7 / input_scale) < 1 at every scale of M, so that a
 * momentum of norm 1e-12 gives the same unit step as one of norm 1 (as the
 * exact polar factor does).  An absolute guard (||M||_F + 1e-7) shrank the
 * step of every M with ||M||_F below about 1e-7 toward zero. */
#define NS_REL_GUARD 1e-7

struct ntr_ns {
    size_t rows, cols;
    int wide;           /* rows <= cols: iterate X, else Y = X^T */
    blasint k;          /* Gram dimension min(rows, cols) */
    int steps;
    double coef[NTR_LMO_MAX_STEPS][3];
    double input_scale;
    int precision;      /* NTR_PREC_* */
    /* float64: one iterate buffer (the other is the output) and two k x k */
    double *y, *gram, *poly;
    /* float32: two iterate buffers and two k x k */
    float *fy[2], *fgram, *fpoly;
};

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
    return 0;
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
    w->steps = o->steps;
    memcpy(w->coef, o->coef, sizeof w->coef);
    w->input_scale = o->input_scale;
    w->precision = o->precision;
    size_t n = rows * cols, kk = (size_t)w->k * (size_t)w->k;
    int ok;
    if (w->precision == NTR_PREC_FLOAT32) {
        w->fy[0] = malloc(n * sizeof(float));
        w->fy[1] = malloc(n * sizeof(float));
        w->fgram = calloc(kk, sizeof(float));
        w->fpoly = calloc(kk, sizeof(float));
        ok = w->fy[0] && w->fy[1] && w->fgram && w->fpoly;
    } else {
        w->y = malloc(n * sizeof(double));
        w->gram = calloc(kk, sizeof(double));
        w->poly = calloc(kk, sizeof(double));
        ok = w->y && w->gram && w->poly;
    }
    if (!ok) {
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
    free(w->gram);
    free(w->poly);
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

/* The factor that takes g to X0: 1 / ((input_scale + guard) ||g||_F); 0 for
 * g = 0 (zero in, zero out); NaN when g holds a NaN or an infinity.  When
 * the factor itself would overflow (||g||_F below about 1e-308) *divide
 * receives the denominator instead and the factor returned is 0. */
static double input_factor(const ntr_ns *w, const double *g, size_t n, double *divide)
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

/* ---- float64 ---- */

/* P (upper triangle) = a I + b A + c A^2 from the upper triangle of A. */
static void poly_d(double *A, double *P, blasint k, const double abc[3])
{
    prepare_d(A, P, k, abc[0], abc[1], abc[2] != 0.0);
    if (abc[2] != 0.0) /* A symmetric: A^2 = A A^T */
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, k, k, abc[2], A, k, 1.0, P, k);
}

static void step_d(const ntr_ns *w, const double *x, double *x_next, const double abc[3])
{
    blasint r = (blasint)w->rows, c = (blasint)w->cols, k = w->k;
    if (w->wide) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, k, c, 1.0, x, c, 0.0, w->gram, k);
        poly_d(w->gram, w->poly, k, abc);
        cblas_dsymm(CblasRowMajor, CblasLeft, CblasUpper, k, c, 1.0, w->poly, k, x, c, 0.0,
                    x_next, c);
    } else {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, k, r, 1.0, x, c, 0.0, w->gram, k);
        poly_d(w->gram, w->poly, k, abc);
        cblas_dsymm(CblasRowMajor, CblasRight, CblasUpper, r, k, 1.0, w->poly, k, x, c, 0.0,
                    x_next, c);
    }
}

static void apply_d(ntr_ns *w, const double *g, double *out)
{
    size_t n = w->rows * w->cols;
    double divide, scale = input_factor(w, g, n, &divide);
    /* Ping-pong between out and w->y; start where an even number of swaps
     * ends in out.  Writing X0 into out is safe even when out == g. */
    double *cur = (w->steps % 2 == 0) ? out : w->y;
    double *next = (cur == out) ? w->y : out;
    for (size_t i = 0; i < n; i++)
        cur[i] = divide > 0.0 ? g[i] / divide : scale * g[i];
    for (int t = 0; t < w->steps; t++) {
        step_d(w, cur, next, w->coef[t]);
        double *tmp = cur;
        cur = next;
        next = tmp;
    }
}

/* ---- float32: the same, in single precision ---- */

static void poly_f(float *A, float *P, blasint k, const double abc[3])
{
    float c = (float)abc[2];
    prepare_f(A, P, k, (float)abc[0], (float)abc[1], c != 0.0f);
    if (c != 0.0f)
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, k, k, c, A, k, 1.0f, P, k);
}

static void step_f(const ntr_ns *w, const float *x, float *x_next, const double abc[3])
{
    blasint r = (blasint)w->rows, c = (blasint)w->cols, k = w->k;
    if (w->wide) {
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, k, c, 1.0f, x, c, 0.0f, w->fgram, k);
        poly_f(w->fgram, w->fpoly, k, abc);
        cblas_ssymm(CblasRowMajor, CblasLeft, CblasUpper, k, c, 1.0f, w->fpoly, k, x, c, 0.0f,
                    x_next, c);
    } else {
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, k, r, 1.0f, x, c, 0.0f, w->fgram, k);
        poly_f(w->fgram, w->fpoly, k, abc);
        cblas_ssymm(CblasRowMajor, CblasRight, CblasUpper, r, k, 1.0f, w->fpoly, k, x, c, 0.0f,
                    x_next, c);
    }
}

static void apply_f(ntr_ns *w, const double *g, double *out)
{
    size_t n = w->rows * w->cols;
    /* Scale in double, then round once: the float iterate starts at norm <= 1. */
    double divide, scale = input_factor(w, g, n, &divide);
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

void ntr_ns_apply(ntr_ns *w, const double *g, double *out)
{
    if (w->precision == NTR_PREC_FLOAT32)
        apply_f(w, g, out);
    else
        apply_d(w, g, out);
}

/* polar_ns_gram.c: Gram Newton-Schulz (Zhang, Amsel, Chen and Dao 2026),
 * the same iteration as polar_ns.c computed on the small square Gram
 * matrix (lmo: {solver: newton_schulz, gram: true}, aspect ratio >= 2).
 *
 * Every iterate of the standard iteration is X_t = Q_t X_0 with Q_t a
 * polynomial in R_0 = X_0 X_0^T (k x k, k the short side): step t is
 * X_t = P_t X_{t-1} with P_t = a I + b R + c R^2 and R = X_{t-1} X_{t-1}^T.
 * So instead of touching the k x c iterate at every step, the iteration
 * carries the k x k matrices
 *     Q <- Q P_t        (the accumulated transform)
 *     R <- P_t^2 R      (= P_t R P_t: every matrix here is a polynomial in
 *                        R_0, so they commute; R is kept exactly symmetric)
 * and multiplies by the long side only at the end, X = Q X_0.  A restart
 * (after step 2, then every three steps) forms X = Q X_0 and R = X X^T
 * afresh and resets Q = I, so that rounding in the powers of R does not
 * build up.  Multiply-adds for 5 steps and one restart, c = a k:
 *     standard (syrk/symm):  5 (1.5 k^2 c + 0.5 k^3) = (7.5 a + 2.5) k^3
 *     Gram:  3 k^2 c + 10 k^3 = (3 a + 10) k^3
 * (R_0 and the restart's R: half a k^2 c each; the restart's and the final
 * Q X: k^2 c each; per step R^2 by syrk, Q P, and P^2 R unless R is not
 * needed afterwards), a gain of 1.1 at a = 2, 1.5 at 4, 1.8 at 8, 2.1 at 16.
 *
 * The iterate is kept in the caller's orientation as in polar_ns.c: a tall
 * input Y = X^T has R = Y^T Y and Y_t = Y_0 Q_t.  Products go through
 * par_blas.h (large ones split over the cell's threads, results
 * independent of their number).  With small k whose plain gemm would make
 * OpenBLAS allocate (nn_ok, polar_ns.c), the products take the transposed
 * symmetric factor instead. */
#include <string.h>

#include "linalg/par_blas.h"
#include "linalg/polar_ns_impl.h"

/* Restart after step RESTART_FIRST, then every RESTART_EVERY steps. */
#define RESTART_FIRST 2
#define RESTART_EVERY 3

static int restart_before(int t)
{
    return t >= RESTART_FIRST && (t - RESTART_FIRST) % RESTART_EVERY == 0;
}

/* C (k x k) = A B for symmetric B (A B^T when plain products would allocate). */
static void mul_sym(const ntr_ns *w, const double *A, const double *B, double *C)
{
    blasint k = w->k;
    ntr_par_dgemm(w->team, CblasNoTrans, w->nn_ok ? CblasNoTrans : CblasTrans, k, k, k, 1.0, A, k,
                  B, k, 0.0, C, k);
}

/* out = Q x (wide: k x c) or x Q (tall: c x k), Q symmetric k x k. */
static void apply_q(const ntr_ns *w, const double *q, const double *x, double *out)
{
    blasint k = w->k, c = w->c;
    if (w->wide)
        ntr_par_dgemm(w->team, w->nn_ok ? CblasNoTrans : CblasTrans, CblasNoTrans, k, c, k, 1.0,
                      q, k, x, c, 0.0, out, c);
    else
        ntr_par_dgemm(w->team, CblasNoTrans, w->nn_ok ? CblasNoTrans : CblasTrans, c, k, k, 1.0, x,
                      k, q, k, 0.0, out, k);
}

/* R (full, symmetric) = X X^T (wide) or Y^T Y (tall). */
static void gram_of(const ntr_ns *w, const double *x, double *r)
{
    blasint k = w->k, c = w->c;
    ntr_par_dsyrk(w->team, w->wide ? CblasNoTrans : CblasTrans, k, c, 1.0, x, w->wide ? c : k, 0.0,
                  r, k);
    ntr_ns_mirror(r, k);
}

/* P (full) = a I + b R + c R^2 for the full symmetric R. */
static void poly_full(const ntr_ns *w, const double *r, double *p, const double abc[3])
{
    blasint k = w->k;
    for (blasint i = 0; i < k * k; i++)
        p[i] = abc[1] * r[i];
    for (blasint i = 0; i < k; i++)
        p[i * k + i] += abc[0];
    if (abc[2] != 0.0)
        ntr_par_dsyrk(w->team, CblasNoTrans, k, k, abc[2], r, k, 1.0, p, k);
    ntr_ns_mirror(p, k);
}

void ntr_ns_gram_apply(ntr_ns *w, const double *g, double *out)
{
    size_t n = w->rows * w->cols, kk = (size_t)w->k * (size_t)w->k;
    blasint k = w->k;
    double divide, scale = ntr_ns_input_factor(w, g, n, &divide);
    /* x: the iterate the transform Q applies to (X_0, then each restart's X). */
    double *x = w->y, *xnext = w->x1;
    double *r = w->gram_m, *p = w->poly, *q = w->q, *tmp = w->q2, *r2 = w->r2;
    ntr_ns_scale_into(g, n, scale, divide, x);
    gram_of(w, x, r);
    int have_q = 0; /* 0: Q = I */
    for (int t = 0; t < w->steps; t++) {
        if (restart_before(t) && have_q) {
            apply_q(w, q, x, xnext);
            double *sw = x;
            x = xnext;
            xnext = sw;
            gram_of(w, x, r);
            have_q = 0;
        }
        poly_full(w, r, p, w->coef[t]);
        if (have_q) { /* Q <- Q P */
            mul_sym(w, q, p, tmp);
            double *sw = q;
            q = tmp;
            tmp = sw;
        } else {
            memcpy(q, p, kk * sizeof *q);
            have_q = 1;
        }
        /* R <- P^2 R, unless nothing reads it again. */
        if (t + 1 < w->steps && !restart_before(t + 1)) {
            ntr_par_dsyrk(w->team, CblasNoTrans, k, k, 1.0, p, k, 0.0, tmp, k);
            ntr_ns_mirror(tmp, k);
            mul_sym(w, tmp, r, r2);
            ntr_ns_mirror(r2, k);
            double *sw = r;
            r = r2;
            r2 = sw;
        }
    }
    apply_q(w, q, x, out);
}

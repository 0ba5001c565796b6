/* polar_ns_impl.h: the Newton-Schulz workspace, shared by the standard
 * iteration (polar_ns.c) and the Gram iteration (polar_ns_gram.c); not a
 * public interface. */
#ifndef NTR_POLAR_NS_IMPL_H
#define NTR_POLAR_NS_IMPL_H

#include <cblas.h>

#include "linalg/par.h"
#include "linalg/polar.h"

struct ntr_ns {
    size_t rows, cols;
    int wide;           /* rows <= cols: iterate X, else Y = X^T */
    blasint k;          /* Gram dimension min(rows, cols) */
    blasint c;          /* the long dimension max(rows, cols) */
    int steps;
    double coef[NTR_LMO_MAX_STEPS][3];
    double input_scale;
    int precision;      /* NTR_PREC_* */
    int gram;           /* run the Gram iteration (gram option, aspect ratio >= 2) */
    int small;          /* small Gram matrix: gemm products (polar_ns.c) */
    int nn_ok;          /* plain (NN) gemm products allocate nothing at this k */
    ntr_par *team;      /* splits the large products (may be NULL) */
    /* float64: iterate buffers (the output is one more) and two k x k */
    double *y, *y2, *gram_m, *poly;
    /* Gram iteration: three more k x k and the restarted iterate */
    double *q, *q2, *r2, *x1;
    /* float32: two iterate buffers and two k x k */
    float *fy[2], *fgram, *fpoly;
};

/* 1 / ((input_scale + guard) ||g||_F), 0 for g = 0; NaN for NaN or inf in
 * g; when the factor would overflow, *divide gets the denominator instead
 * (and 0 is returned). */
double ntr_ns_input_factor(const ntr_ns *w, const double *g, size_t n, double *divide);

/* Scaled copy: out[i] = g[i] * scale, or g[i] / divide when divide > 0. */
void ntr_ns_scale_into(const double *g, size_t n, double scale, double divide, double *out);

/* Copy the upper triangle of the k x k matrix a onto its lower one. */
void ntr_ns_mirror(double *a, blasint k);

/* The Gram iteration (polar_ns_gram.c): out = NS(g) in float64. */
void ntr_ns_gram_apply(ntr_ns *w, const double *g, double *out);

#endif

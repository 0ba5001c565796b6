/* method_impl.h: the inside of an ntr_method and the helpers a method file
 * builds its step from; included by the files of src/methods/ (and white-box
 * tests) only.  Callers use method.h.
 *
 * A method file defines its state struct, e.g.
 *
 *     typedef struct sgdm_state { double *m; } sgdm_state;
 *     static const size_t sgdm_vecs[] = {offsetof(sgdm_state, m), NTR_METHOD_VECS_END};
 *
 * and names both in its type (.size = sizeof(sgdm_state), .vecs = sgdm_vecs);
 * start() and step() cast their `state` argument to it. */
#ifndef NTR_METHOD_IMPL_H
#define NTR_METHOD_IMPL_H

#include <stddef.h>

#include "methods/method.h"

/* What every method shares; the type's own state is behind `state`. */
struct ntr_method {
    const ntr_method_type *type;
    ntr_method_opts opts;
    ntr_layout layout;
    ntr_norm *norm;           /* not owned */
    size_t dim;
    long k;                   /* steps taken */
    int m0_sampled;           /* start() received g0 (opts.m0_sample and g0 != NULL) */
    void *state;              /* the type's struct (type->size bytes), NULL when size is 0 */
    double *dir;              /* scratch: the direction before the sharp */
    double *sharp;            /* scratch: its sharp */
    double *x_prev;           /* x_{k-1} (extrapolation) */
    double *z;                /* extrapolated query point */
    double block_scale[NTR_MAX_BLOCKS]; /* shape factor per block (opts.scale) */
};

/* The i-th vector of the type's state (type->vecs[i]). */
double *ntr_method_state_vec(const ntr_method *m, int i);

/* out = sharp(d) block-wise, each block times block_scale[i]; 0, or the
 * norm's NTR_SHARP_* code with err filled when its sharp failed (norm.h). */
int ntr_method_sharp(ntr_method *m, const double *d, double *out, ntr_error *err);
/* x <- (1 - eta*lambda) x - eta * step. */
void ntr_method_apply(ntr_method *m, double *x, const double *step, double eta);
/* avg <- (1 - alpha) avg + alpha v (the momentum EMA). */
void ntr_method_ema(const ntr_method *m, double *avg, const double *v);
/* The direction d from an average and the latest sample: avg itself, or with
 * Nesterov (1 - alpha) avg + alpha v written into m->dir. */
const double *ntr_method_direction(ntr_method *m, const double *avg, const double *v);

#endif

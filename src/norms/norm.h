/* norm.h: a norm, its dual norm and its sharp operator (the LMO), as a type
 * object in a static registry, and a norm over a multi-block layout.
 *
 * The sharp of g is g# = argmax_{||u||<=1} <g, u>, so <g, g#> = ||g||_* and
 * ||g#|| = 1 (g != 0); the sharp of zero is zero (SPEC section 4).  A sharp
 * returns a status: it fails, with a reason, on an input holding a NaN or
 * an infinity and when its solver fails on a finite input (linalg/lmo.h).
 *
 * A norm type works on one row-major rows x cols block.  ntr_norm combines
 * blocks by the max rule: ||x|| = max_i ||x_i||, ||g||_* = sum_i ||g_i||_*,
 * sharp block-wise.  Adding a norm is one file defining
 * `const ntr_norm_type ntr_norm_NAME` plus one line in norms/registry.c. */
#ifndef NTR_NORM_H
#define NTR_NORM_H

#include <stddef.h>

#include "base/error.h"
#include "base/layout.h"
#include "linalg/lmo.h"

typedef struct ntr_norm_type {
    const char *name;        /* "spectral" */
    ntr_norm_id id;          /* what problems are told (ntr.h); NTR_NORM_OTHER when none */
    const char *dual_name;   /* "nuclear" */
    const char *summary;     /* one line for --list norms */
    /* Per-block state (workspaces); alloc may be NULL when none is needed. */
    int (*alloc)(size_t rows, size_t cols, const ntr_lmo_opts *o, void **state, ntr_error *err);
    void (*free)(void *state);
    double (*value)(const double *x, size_t rows, size_t cols, void *state);
    double (*dual)(const double *g, size_t rows, size_t cols, void *state);
    /* 0, or NTR_SHARP_NONFINITE / NTR_SHARP_FAILED (linalg/lmo.h) with err
     * filled and out NaN (ntr_norm_sharp_failed does both). */
    int (*sharp)(const double *g, double *out, size_t rows, size_t cols, void *state,
                 ntr_error *err);
    /* ||g||_* <= rho ||g||_2 for every rows x cols g (A3). */
    double (*rho)(size_t rows, size_t cols);
    /* ||x||_2 <= c ||x|| for every rows x cols x. */
    double (*l2_bound)(size_t rows, size_t cols);
} ntr_norm_type;

extern const ntr_norm_type *const ntr_norm_types[]; /* NULL-terminated */
/* The l2 norm, in which every run also measures (grad_l2). */
extern const ntr_norm_type ntr_norm_euclidean;
const ntr_norm_type *ntr_norm_lookup(const char *name);
/* The type of a name; an unknown name fails at pos ("unknown WHAT 'x' (did
 * you mean ...? known: ...)", base/registry.h). */
int ntr_norm_find(const char *name, const char *what, ntr_pos pos, const ntr_norm_type **out,
                    ntr_error *err);

/* A norm over a layout: per-block states allocated once. */
typedef struct ntr_norm ntr_norm;

int ntr_norm_alloc(const ntr_norm_type *t, const ntr_lmo_opts *o, const ntr_layout *lay,
                   ntr_norm **out, ntr_error *err);
void ntr_norm_free(ntr_norm *n);
const ntr_norm_type *ntr_norm_get_type(const ntr_norm *n);
double ntr_norm_value(ntr_norm *n, const double *x);
double ntr_norm_dual(ntr_norm *n, const double *g);
/* 0, or the failing block's NTR_SHARP_* code with err saying which block
 * and why; out is then all NaN. */
int ntr_norm_sharp(ntr_norm *n, const double *g, double *out, ntr_error *err);
/* For a type's sharp that could not compute out from the n entries of g:
 * NTR_SHARP_NONFINITE when g holds a NaN or an infinity, else
 * NTR_SHARP_FAILED with the reason `why`; fills out (which may be g) with
 * NaN. */
int ntr_norm_sharp_failed(const double *g, double *out, size_t n, const char *why,
                          ntr_error *err);
/* Block-wise versions (block index i of the layout). */
double ntr_norm_block_value(ntr_norm *n, int i, const double *x_block);
double ntr_norm_block_dual(ntr_norm *n, int i, const double *g_block);
/* Constants of the combined norm: rho = sqrt(sum rho_i^2), c = sqrt(sum c_i^2). */
double ntr_norm_rho(const ntr_norm *n);
double ntr_norm_l2_bound(const ntr_norm *n);

#endif

/* method.h: an optimisation method as a type object in a static registry.
 *
 * A method keeps its state (momentum, second moments, ...) in a private
 * struct whose size the type declares; ntr_method_alloc allocates it and
 * its vectors once before the loop, and nothing outside the method's file
 * sees it (the runner asks for momentum() only).  start() receives the first
 * stochastic gradient g0 at x0 (m0: sample) or NULL (m0: zero); step()
 * turns x_k into x_{k+1} from the stochastic gradient g taken at the point
 * ntr_method_query_point() returned (x_k, or the extrapolated z_k).
 * Adding a method is one file defining `const ntr_method_type
 * ntr_method_NAME` (it includes methods/method_impl.h) plus one line in
 * methods/registry.c; options only it reads are declared in the type
 * (own_keys: name, default, range, meaning), read into opts.own[] by the
 * config reader and validated by the type's check, at the keys' positions.
 *
 * Methods know norms but nothing of problems or oracles. */
#ifndef NTR_METHOD_H
#define NTR_METHOD_H

#include <stddef.h>
#include <stdio.h>

#include "base/error.h"
#include "base/layout.h"
#include "norms/norm.h"

enum { NTR_SCALE_NONE = 0, NTR_SCALE_JORDAN = 1, NTR_SCALE_RMS_MATCH = 2 };

#define NTR_METHOD_MAX_KEYS 4

/* An option only one method reads (method.NAME in a config): a number in
 * [lo, hi], def when absent; its value is opts.own[i] for the type's i-th
 * key.  The type's check adds what a range cannot say. */
typedef struct ntr_method_key {
    const char *name;
    double def, lo, hi;
    const char *meaning; /* one line for --describe */
} ntr_method_key;

typedef struct ntr_method_opts {
    double alpha;        /* momentum EMA weight; beta = 1 - alpha */
    int m0_sample;       /* 1: m_0 = g(x_0; xi_0); 0: m_0 = 0 */
    int nesterov;        /* d = (1-alpha) m_{k+1} + alpha g_k */
    double weight_decay; /* lambda: x <- (1 - eta lambda) x - eta d# */
    int extrapolation;   /* gradient at z_k = x_k + ((1-alpha)/alpha)(x_k - x_{k-1}) */
    double extrapolation_error; /* relative error put on purpose into that coefficient, a
                                 * control: (1 + e)(1-alpha)/alpha; -1 queries x_k itself */
    int scale;           /* NTR_SCALE_*: shape factor on each block's step */
    double own[NTR_METHOD_MAX_KEYS]; /* the method's own keys, in its own_keys order */
} ntr_method_opts;

typedef struct ntr_method ntr_method; /* opaque outside src/methods (method_impl.h) */

/* Marks the end of a type's vecs list. */
#define NTR_METHOD_VECS_END ((size_t)-1)

typedef struct ntr_method_type {
    const char *name;
    const char *summary;   /* one line for --list methods */
    int uses_norm;         /* 0: the norm only serves measurements */
    int tracks_gradient;   /* 1: momentum() estimates grad f (mom_err column) */
    int nesterov;          /* 1: has a Nesterov variant (method.nesterov: true) */
    /* Options only this method reads (written to the resolved config.yaml
     * only for it; their values are opts.own[]), ended by a NULL name; NULL
     * when none.  At most NTR_METHOD_MAX_KEYS. */
    const ntr_method_key *own_keys;
    /* The method's private state, in GSL's style: a struct of `size` bytes
     * (0: none) that ntr_method_alloc allocates zeroed, once, before the
     * loop.  vecs lists the offsets (offsetof) of the struct's `double *`
     * members that ntr_method_alloc points at vectors of dim doubles, ended
     * by NTR_METHOD_VECS_END (NULL: none); ntr_method_start zeroes them.
     * start(), step() and momentum() receive the struct as `state`. */
    size_t size;
    const size_t *vecs;
    /* Optional: set the state at x0 from g0 (NULL: m0 zero, see above); 0,
     * or nonzero with err filled (a failed sharp's NTR_SHARP_* code). */
    int (*start)(void *state, ntr_method *m, const double *x0, const double *g0, ntr_error *err);
    /* x_k -> x_{k+1}; 0, or nonzero with err filled (the NTR_SHARP_* code of
     * a sharp that failed, norm.h), leaving x as it was. */
    int (*step)(void *state, ntr_method *m, double *x, const double *g, double eta,
                ntr_error *err);
    /* Optional: the method's average of gradients (or of their sharps,
     * osgdm), NULL when it keeps none. */
    const double *(*momentum)(const void *state);
    /* Optional: reject options this method cannot honour (beyond the common
     * checks of ntr_method_check); NULL when there are none.  kv is the
     * method section the options were read from (errors at the key), or NULL
     * when they come from elsewhere (the C API). */
    int (*check)(const ntr_kv *kv, const ntr_method_opts *o, ntr_error *err);
} ntr_method_type;

extern const ntr_method_type *const ntr_method_types[]; /* NULL-terminated */
const ntr_method_type *ntr_method_lookup(const char *name);
/* The type of a name; an unknown name fails at pos ("unknown WHAT 'x' (did
 * you mean ...? known: ...)", base/registry.h). */
int ntr_method_find(const char *name, const char *what, ntr_pos pos, const ntr_method_type **out,
                    ntr_error *err);

/* The checks of options that depend on the method (Nesterov only where the
 * method has it, then the type's own check), at the keys' positions in kv
 * (may be NULL).  The config reader calls it; ntr_method_alloc too. */
int ntr_method_check(const ntr_method_type *t, const ntr_method_opts *o, const ntr_kv *kv,
                     ntr_error *err);
/* Read t's own keys from the method section kv into o->own (defaults when
 * absent, ranges checked at the keys); a key another method declares is
 * checked against that declaration, so that a sweep over method.name meets
 * no surprise. */
int ntr_method_read_own(const ntr_method_type *t, const ntr_kv *kv, ntr_method_opts *o,
                        ntr_error *err);
/* The union of every method's own keys into keys[size], each once, NULL
 * after the last. */
void ntr_method_all_keys(const char **keys, size_t size);
/* Where a key of the method section is (nothing when kv is NULL). */
ntr_pos ntr_method_key_pos(const ntr_kv *kv, const char *key);

int ntr_method_alloc(const ntr_method_type *t, const ntr_method_opts *o, const ntr_layout *lay,
                     ntr_norm *norm, ntr_method **out, ntr_error *err);
void ntr_method_free(ntr_method *m);

const ntr_method_type *ntr_method_get_type(const ntr_method *m);
/* The number of state vectors a type asks for (its vecs list). */
int ntr_method_type_nvec(const ntr_method_type *t);

/* Begin at x0 (g0 may be NULL, see above); 0, or nonzero (NTR_SHARP_*)
 * with err filled when the start could not be computed (osgdm's sharp of
 * g0). */
int ntr_method_start(ntr_method *m, const double *x0, const double *g0, ntr_error *err);
/* Where the next stochastic gradient must be taken: x itself or z_k
 * (z_0 = x_0: before the first step, also before start(), this is x). */
const double *ntr_method_query_point(ntr_method *m, const double *x);
/* One step x_k -> x_{k+1}: 0, or nonzero with err filled when the step
 * could not be computed (the NTR_SHARP_* code of a failed sharp, norm.h:
 * NONFINITE for a NaN or an infinity in its input, FAILED for a solver that
 * failed on a finite one); x is then unchanged, the method's state is not
 * (no further step should be taken). */
int ntr_method_step(ntr_method *m, double *x, const double *g, double eta, ntr_error *err);
/* The method's average m_k (the type's momentum(); NULL when it keeps none). */
const double *ntr_method_momentum(const ntr_method *m);
/* Steps taken since start(). */
long ntr_method_steps(const ntr_method *m);

/* Saving a run (run_state.c): the whole state (step count, whether m_0 was
 * sampled, the type's vectors and x_{k-1} when extrapolating) as bytes
 * appended to f; restore reads back exactly the n bytes at p, and returns
 * -1 (nothing changed) when they are not the state of this method, layout
 * and options. */
void ntr_method_save(const ntr_method *m, FILE *f);
int ntr_method_restore(ntr_method *m, const void *p, size_t n);

#endif

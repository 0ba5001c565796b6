/* method.h: an optimisation method as a type object in a static registry.
 *
 * A method keeps its buffers (momentum, second moments, ...) in an
 * ntr_method allocated once before the loop.  start() receives the first
 * stochastic gradient g0 at x0 (m0: sample) or NULL (m0: zero); step()
 * turns x_k into x_{k+1} from the stochastic gradient g taken at the point
 * ntr_method_query_point() returned (x_k, or the extrapolated z_k).
 * Adding a method is one file defining `const ntr_method_type
 * ntr_method_NAME` plus one line in methods/registry.c.
 *
 * Methods know norms but nothing of problems or oracles. */
#ifndef NTR_METHOD_H
#define NTR_METHOD_H

#include <stddef.h>

#include "base/error.h"
#include "base/layout.h"
#include "norms/norm.h"

enum { NTR_SCALE_NONE = 0, NTR_SCALE_JORDAN = 1, NTR_SCALE_RMS_MATCH = 2 };

typedef struct ntr_method_opts {
    double alpha;        /* momentum EMA weight; beta = 1 - alpha */
    int m0_sample;       /* 1: m_0 = g(x_0; xi_0); 0: m_0 = 0 */
    int nesterov;        /* d = (1-alpha) m_{k+1} + alpha g_k */
    double weight_decay; /* lambda: x <- (1 - eta lambda) x - eta d# */
    int extrapolation;   /* gradient at z_k = x_k + ((1-alpha)/alpha)(x_k - x_{k-1}) */
    double extrapolation_error; /* relative error put on purpose into that coefficient, a
                                 * control: (1 + e)(1-alpha)/alpha; -1 queries x_k itself */
    int scale;           /* NTR_SCALE_*: shape factor on each block's step */
    double beta2;        /* adamw second-moment decay */
    double adam_eps;     /* adamw denominator epsilon */
} ntr_method_opts;

typedef struct ntr_method ntr_method;

typedef struct ntr_method_type {
    const char *name;
    const char *summary;   /* one line for --list methods */
    int uses_norm;         /* 0: the norm only serves measurements */
    int tracks_gradient;   /* 1: momentum() estimates grad f (mom_err column) */
    int nbuf;              /* dim-sized buffers this method needs (beyond the common ones) */
    int nesterov;          /* 1: has a Nesterov variant (method.nesterov: true) */
    /* Keys of ntr_method_opts that only this method reads (written to the
     * resolved config.yaml only for it; ntr_method_opt gives their values);
     * NULL-terminated, or NULL. */
    const char *const *own_keys;
    void (*start)(ntr_method *m, const double *x0, const double *g0);
    void (*step)(ntr_method *m, double *x, const double *g, double eta);
    /* Optional: reject options this method cannot honour (beyond the common
     * checks of ntr_method_check); NULL when there are none.  kv is the
     * method section the options were read from (errors at the key), or NULL
     * when they come from elsewhere (the C API). */
    int (*check)(const ntr_kv *kv, const ntr_method_opts *o, ntr_error *err);
} ntr_method_type;

/* State shared by every method; a method uses buf[0 .. nbuf-1] as it likes. */
struct ntr_method {
    const ntr_method_type *type;
    ntr_method_opts opts;
    ntr_layout layout;
    ntr_norm *norm;           /* not owned */
    size_t dim;
    long k;                   /* steps taken */
    int m0_sampled;           /* start() received g0 (opts.m0_sample and g0 != NULL) */
    double *buf[4];           /* method buffers, zeroed at alloc */
    double *dir;              /* scratch: the direction before the sharp */
    double *sharp;            /* scratch: its sharp */
    double *x_prev;           /* x_{k-1} (extrapolation) */
    double *z;                /* extrapolated query point */
    double block_scale[NTR_MAX_BLOCKS]; /* shape factor per block (opts.scale) */
};

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
/* The value of a method-specific key of o ("beta2", "adam_eps"); NAN for
 * another name. */
double ntr_method_opt(const ntr_method_opts *o, const char *key);
/* Where a key of the method section is (nothing when kv is NULL). */
ntr_pos ntr_method_key_pos(const ntr_kv *kv, const char *key);

int ntr_method_alloc(const ntr_method_type *t, const ntr_method_opts *o, const ntr_layout *lay,
                     ntr_norm *norm, ntr_method **out, ntr_error *err);
void ntr_method_free(ntr_method *m);

/* Begin at x0 (g0 may be NULL, see above). */
void ntr_method_start(ntr_method *m, const double *x0, const double *g0);
/* Where the next stochastic gradient must be taken: x itself or z_k
 * (z_0 = x_0: before the first step, also before start(), this is x). */
const double *ntr_method_query_point(ntr_method *m, const double *x);
/* One step x_k -> x_{k+1}. */
void ntr_method_step(ntr_method *m, double *x, const double *g, double eta);
/* The gradient estimate m_k (NULL when the method keeps none). */
const double *ntr_method_momentum(const ntr_method *m);

/* Helpers for method files. */
/* out = sharp(d) block-wise, each block times block_scale[i]. */
void ntr_method_sharp(ntr_method *m, const double *d, double *out);
/* x <- (1 - eta*lambda) x - eta * step. */
void ntr_method_apply(ntr_method *m, double *x, const double *step, double eta);
/* avg <- (1 - alpha) avg + alpha v (the momentum EMA). */
void ntr_method_ema(const ntr_method *m, double *avg, const double *v);
/* The direction d from an average and the latest sample: avg itself, or with
 * Nesterov (1 - alpha) avg + alpha v written into m->dir. */
const double *ntr_method_direction(ntr_method *m, const double *avg, const double *v);

#endif

/* problem.h: the interface every objective implements, and its registry.
 *
 * A problem type is a small static object (name, class flags, the keys it
 * accepts, function pointers), in the style of GSL's
 * gsl_multimin_fdfminimizer_type.  Adding an objective is one new file in
 * problems/ that defines `const ntr_problem_type ntr_problem_NAME` plus one
 * line in problems/registry.c.
 *
 * create() reads the problem's own keys through an ntr_kv view (it validates
 * them itself, with positions), builds or loads its data with the data
 * generator it is given, allocates every workspace it will need, and fills
 * the public fields of ntr_problem.  After create() returns, value(), grad()
 * and sample_grad() allocate nothing: they run inside the iteration loop.
 *
 * A type whose class depends on its keys (sine_quadratic: only the
 * `measured` form is a finite sum, only a > 1 is non-convex) may set p->type
 * in create() to a static variant of itself: same name, create and destroy,
 * with the flags and sample_grad of that instance.  Callers therefore read
 * flags and function pointers from p->type after create(), and use the
 * registered type only to create.
 *
 * Problems know only this header, node.h (the key/value view), layout.h,
 * csv.h, linalg.h and GSL's random numbers. */
#ifndef NTR_PROBLEM_H
#define NTR_PROBLEM_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "../src/error.h"
#include "../src/layout.h"
#include "../src/node.h"

/* Class flags: what the objective is known to satisfy. */
enum {
    NTR_PF_CONVEX       = 1u << 0,
    NTR_PF_STAR_CONVEX  = 1u << 1, /* about x_star */
    NTR_PF_NONCONVEX    = 1u << 2,
    NTR_PF_SMOOTH       = 1u << 3, /* globally L-smooth, L_frob is an upper bound */
    NTR_PF_LIP_HESSIAN  = 1u << 4, /* L2_frob is finite and an upper bound */
    NTR_PF_FINITE_SUM   = 1u << 5, /* sample_grad draws terms of a finite sum */
    NTR_PF_SAMPLED      = 1u << 6, /* sample_grad draws fresh data (an expectation) */
    NTR_PF_HARD         = 1u << 7  /* built as a lower-bound instance */
};

/* What create() gets besides its keys. */
typedef struct ntr_problem_env {
    ntr_layout shape;   /* from problem.shape / problem.blocks (nblocks 0: unset) */
    ntr_pos shape_pos;  /* where shape was given, for shape-mismatch messages */
    gsl_rng *data_rng;  /* generator for synthetic data (seeded from the config) */
} ntr_problem_env;

typedef struct ntr_problem_type ntr_problem_type;

/* One problem instance.  The public fields are filled by create(). */
typedef struct ntr_problem {
    const ntr_problem_type *type;
    ntr_layout layout;  /* the parameter's blocks */
    size_t n_terms;     /* finite-sum size N, 0 if not a finite sum */
    double f_star;      /* optimal value, NAN when unknown */
    double *x_star;     /* a minimiser (layout.dim entries), NULL when unknown */
    double L_frob;      /* gradient Lipschitz constant w.r.t. the Frobenius norm */
    double L2_frob;     /* Hessian Lipschitz constant (Frobenius), INFINITY if not finite/known */
    double term_sigma2; /* E||grad f_i - grad f||_2^2 bound for one sampled term, NAN if unknown */
    void *data;         /* the problem's own data and workspaces */
} ntr_problem;

struct ntr_problem_type {
    const char *name;
    const char *summary;       /* one line for --list problems */
    unsigned flags;            /* NTR_PF_* */
    const char *const *keys;   /* problem-specific keys accepted (NULL-terminated) */
    /* Of those, the keys whose value names a file the problem reads (data
     * CSVs, a library): their content is hashed into the cell's identity
     * (src/config/inputs.h).  NULL-terminated; NULL when none. */
    const char *const *file_keys;

    int (*create)(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env, ntr_error *err);
    void (*destroy)(ntr_problem *p);

    /* f(x). */
    double (*value)(ntr_problem *p, const double *x);
    /* g = grad f(x); returns f(x). */
    double (*grad)(ntr_problem *p, const double *x, double *g);
    /* g = an unbiased stochastic gradient from `batch` sampled terms or
     * inputs, drawn with r; NULL when the problem has no sampling oracle. */
    void (*sample_grad)(ntr_problem *p, const double *x, long batch, gsl_rng *r, double *g);
    /* Optional: a tighter smoothness constant in the named norm (the
     * problem's own derivation), or NAN to fall back on the generic bound
     * L_norm <= rho * c * L_frob.  May be NULL. */
    double (*smoothness)(const ntr_problem *p, const char *norm);
    /* Optional: the same for the Hessian Lipschitz constant. May be NULL. */
    double (*hessian_lipschitz)(const ntr_problem *p, const char *norm);
};

/* The registry: NULL-terminated list, and lookup by name (NULL if unknown). */
extern const ntr_problem_type *const ntr_problem_types[];
const ntr_problem_type *ntr_problem_lookup(const char *name);

/* Create through the type; on failure the problem is left empty. */
int ntr_problem_create(ntr_problem *p, const ntr_problem_type *t, const ntr_kv *kv,
                       const ntr_problem_env *env, ntr_error *err);
void ntr_problem_destroy(ntr_problem *p);

/* "convex,smooth,finite-sum" style text of flags into buf. */
void ntr_problem_flags_format(unsigned flags, char *buf, size_t size);

#endif

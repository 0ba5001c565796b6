/* noise.h: noise models of the stochastic oracle as type objects in a
 * static registry (the pattern of problems, norms and methods).
 *
 * A noise type declares its own config keys (beyond noise.type, sigma and
 * batch, which every type has) with their defaults, ranges and meaning, and
 * its variance convention.  It is one of three kinds:
 *   exact     the exact gradient, no draw (none);
 *   additive  the exact gradient plus a perturbation drawn by `perturb`
 *             (gaussian, student_t, sparse, separable), scaled so that
 *             E||g - grad f||_2^2 = sigma^2 / batch;
 *   sampled   the problem's own sampling oracle (minibatch).
 * Adding a noise type is one file defining an ntr_noise_type plus one line
 * in noise/registry.c.  `init` allocates the type's state once per run;
 * `perturb` runs inside the iteration loop and allocates nothing.  Every
 * random number comes from the generator passed in, in a fixed order. */
#ifndef NTR_NOISE_H
#define NTR_NOISE_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "problems/problem.h"
#include "base/error.h"
#include "base/node.h"

#define NTR_NOISE_MAX_KEYS 4

/* One key a noise type declares: a number in [lo, hi] (a whole number when
 * `integer`), `def` when absent.  all_word: the word "all" is also accepted
 * and stands for the value 0 (written back as "all"). */
typedef struct ntr_noise_key {
    const char *name;
    double def, lo, hi;
    int integer;
    int all_word;
    const char *meaning;
} ntr_noise_key;

typedef enum { NTR_NOISE_EXACT = 0, NTR_NOISE_ADDITIVE, NTR_NOISE_SAMPLED } ntr_noise_kind;

/* What a type's init sees: the problem (its layout and sampling oracle),
 * the settings' sigma and batch, its own key values in declaration order,
 * and where they were given (for errors found at run time). */
typedef struct ntr_noise_env {
    const ntr_problem *problem;
    size_t dim;
    double sigma;
    long batch;
    const double *opts;
    const ntr_pos *opt_pos;        /* where each of opts was given (the section if absent) */
    ntr_pos problem_pos;
} ntr_noise_env;

typedef struct ntr_noise_type {
    const char *name;
    const char *summary;           /* one line */
    const char *variance;          /* the variance convention, one sentence */
    ntr_noise_kind kind;
    const ntr_noise_key *keys;     /* own keys, ended by a NULL name; may be NULL */
    /* Constraints beyond the keys' ranges (positioned errors); may be NULL. */
    int (*check)(const ntr_kv *kv, const double *opts, ntr_error *err);
    /* Prepare the state for one run (NULL: the type keeps none). */
    int (*init)(void **state, const ntr_noise_env *env, ntr_error *err);
    void (*free)(void *state);
    /* additive: g += one draw of the perturbation (g holds grad f(x)). */
    void (*perturb)(const void *state, double *g, size_t dim, gsl_rng *r);
} ntr_noise_type;

extern const ntr_noise_type *const ntr_noise_types[]; /* NULL-terminated */
const ntr_noise_type *ntr_noise_lookup(const char *name);
/* The type of a name; an unknown name fails at pos ("unknown WHAT 'x' (did
 * you mean ...? known: ...)", base/registry.h). */
int ntr_noise_find(const char *name, const char *what, ntr_pos pos, const ntr_noise_type **out,
                    ntr_error *err);

/* The index of a type's key, or -1. */
int ntr_noise_key_index(const ntr_noise_type *t, const char *key);

/* The union of every type's own keys into keys[size], each once. */
void ntr_noise_all_keys(const char **keys, size_t size);

/* Read the noise section's type-specific keys for type t into opts (the
 * type's declaration order), checking every declared key present (of any
 * type) against its declaration, then t's own check; pos[i] is where
 * opts[i] was given (the section when absent). */
int ntr_noise_read_opts(const ntr_noise_type *t, const ntr_kv *kv, double *opts, ntr_pos *pos,
                        ntr_error *err);

#endif

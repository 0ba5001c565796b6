/* sizes.h: what a problem will allocate, estimated from its keys before
 * anything is read or allocated (internal: not part of the plug-in API).
 *
 * ntr-run refuses a cell whose estimated memory is above its limit
 * (src/run/estimate.h) before create() allocates it, naming the key that
 * drives it.  A built-in type with large or data-dependent sizes has an
 * estimator, registered in the table of sizes.c; a type without one (small
 * problems, plug-ins) counts only the parameter's own buffers. */
#ifndef NTR_PROBLEMS_SIZES_H
#define NTR_PROBLEMS_SIZES_H

#include <stddef.h>

#include "problems/problem.h"

typedef struct ntr_problem_estimate {
    double bytes;      /* the problem's data and workspaces, in bytes (an upper estimate) */
    ntr_layout layout; /* the parameter's blocks, as create() makes them */
    const char *key;   /* the problem key whose value drives bytes most: "samples",
                          "hidden", "A", ... or "shape" */
} ntr_problem_estimate;

typedef int (*ntr_problem_estimate_fn)(const ntr_kv *kv, const ntr_problem_env *env,
                                       ntr_problem_estimate *est, ntr_error *err);

/* The estimator of a type, NULL when it has none. */
ntr_problem_estimate_fn ntr_problem_estimator(const ntr_problem_type *t);

/* Bounds on the matrix in the data file named by key, without reading it
 * all: *cols from its first row, *rows_max from its size (every value
 * takes at least two bytes).  0 and 0 when the key is absent or the file
 * cannot be read (create() then reports why). */
void ntr_pb_csv_bounds(const ntr_kv *kv, const char *key, size_t *rows_max, size_t *cols);

/* The estimators (one per problem file that has one). */
int ntr_least_squares_estimate(const ntr_kv *kv, const ntr_problem_env *env,
                               ntr_problem_estimate *est, ntr_error *err);
int ntr_logistic_estimate(const ntr_kv *kv, const ntr_problem_env *env,
                          ntr_problem_estimate *est, ntr_error *err);
int ntr_cauchy_regression_estimate(const ntr_kv *kv, const ntr_problem_env *env,
                                   ntr_problem_estimate *est, ntr_error *err);
int ntr_sine_quadratic_estimate(const ntr_kv *kv, const ntr_problem_env *env,
                                ntr_problem_estimate *est, ntr_error *err);
int ntr_teacher_student_estimate(const ntr_kv *kv, const ntr_problem_env *env,
                                 ntr_problem_estimate *est, ntr_error *err);
int ntr_mlp_estimate(const ntr_kv *kv, const ntr_problem_env *env, ntr_problem_estimate *est,
                     ntr_error *err);

#endif

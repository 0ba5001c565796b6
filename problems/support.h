/* support.h: helpers shared by the problem files (not part of the public
 * problem interface): shape resolution against problem.shape, CSV data
 * keys with messages that name the key, random orthonormal factors, Gram
 * matrix constants.  Everything here allocates and serves create() only. */
#ifndef NTR_PROBLEMS_SUPPORT_H
#define NTR_PROBLEMS_SUPPORT_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "problems/problem.h"

/* Largest data file a problem reads (entries): 2^27 doubles, 1 GiB. */
#define NTR_PB_MAX_ENTRIES ((size_t)1 << 27)

/* Relative margin added to constants computed with floating-point
 * eigenvalue routines, so that rounding never makes a bound false. */
#define NTR_PB_SAFETY (1.0 + 1e-10)

/* The section name used in messages ("problem"). */
const char *ntr_pb_section(const ntr_kv *kv);

/* One-block problems: rows x cols from env->shape, or the defaults when the
 * shape is unset; an error at the shape's position for several blocks. */
int ntr_pb_one_block(const ntr_problem_env *env, const char *problem, size_t def_rows,
                     size_t def_cols, size_t *rows, size_t *cols, ntr_error *err);

/* Problems whose parameter is a matrix (logistic: classes x features):
 * refuse a one-number shape ([10], which would mean 10 x 1) at its
 * position, naming what the two sizes are; example is a valid shape. */
int ntr_pb_matrix_shape(const ntr_kv *kv, const ntr_problem_env *env, const char *problem,
                        const char *sizes, const char *example, ntr_error *err);

/* Read the CSV file named by key (a path resolved against the config
 * folder).  *given is 0 (and nothing read) when the key is absent.  Errors
 * keep the data file's position and start with "problem.KEY: ". */
int ntr_pb_read_csv(const ntr_kv *kv, const char *key, size_t want_rows, size_t want_cols,
                    double **data, size_t *rows, size_t *cols, int *given, ntr_error *err);

/* Fail, at the key's position, when key is given together with a data file
 * that determines it (data_key). */
int ntr_pb_forbid_with(const ntr_kv *kv, const char *key, const char *data_key, ntr_error *err);

/* calloc with an overflow check and an out-of-memory error. */
void *ntr_pb_calloc(size_t n, size_t size, ntr_error *err);

/* q (rows x cols, row-major, rows >= cols) = orthonormal columns from the QR
 * factorisation of a gaussian matrix drawn with r. */
int ntr_pb_orthonormal(gsl_rng *r, size_t rows, size_t cols, double *q, ntr_error *err);

/* Constants of M = scale * A^T A for the row-major N x d matrix A:
 * lambda_max(M) (with the safety margin), trace(M), sum_ik |M_ik| and
 * max_ik |M_ik|; any output pointer may be NULL. */
int ntr_pb_gram_constants(const double *a, size_t N, size_t d, double scale, double *lam_max,
                          double *trace, double *sum_abs, double *max_abs, ntr_error *err);

/* (1/N) sum_k ||a_k||_2^p over the rows a_k of the N x d matrix A. */
double ntr_pb_mean_row_norm_pow(const double *a, size_t N, size_t d, double p);

#endif

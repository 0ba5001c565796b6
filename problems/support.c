/* support.c: helpers shared by the problem files (see support.h). */
#include "problems/support.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "linalg/linalg.h"

const char *ntr_pb_section(const ntr_kv *kv)
{
    return kv && kv->section ? kv->section : "problem";
}

int ntr_pb_one_block(const ntr_problem_env *env, const char *problem, size_t def_rows,
                     size_t def_cols, size_t *rows, size_t *cols, ntr_error *err)
{
    if (!env || env->shape.nblocks == 0) {
        *rows = def_rows;
        *cols = def_cols;
        return 0;
    }
    if (env->shape.nblocks != 1)
        return ntr_fail_at(err, env->shape_pos, "problem %s takes one block, got %d blocks",
                           problem, env->shape.nblocks);
    if (env->shape.rows[0] == 0 || env->shape.cols[0] == 0)
        return ntr_fail_at(err, env->shape_pos, "problem %s: empty shape", problem);
    *rows = env->shape.rows[0];
    *cols = env->shape.cols[0];
    return 0;
}

int ntr_pb_matrix_shape(const ntr_kv *kv, const ntr_problem_env *env, const char *problem,
                        const char *sizes, const char *example, ntr_error *err)
{
    const ntr_node *shape = kv && kv->map ? ntr_node_get(kv->map, "shape") : NULL;
    if (!shape || shape->kind != NTR_NODE_SEQ || shape->n != 1)
        return 0;
    return ntr_fail_at(err, env ? env->shape_pos : shape->pos,
                       "%s.shape [%s]: the parameter of %s is a matrix (%s): give both sizes, "
                       "e.g. %s",
                       ntr_pb_section(kv), shape->items[0]->text, problem, sizes, example);
}

/* Data values so large that sums of products over the matrix (Gram
 * matrices, norms, residuals) would overflow are bad input, at the value:
 * every |a| must be below sqrt(DBL_MAX / (8 rows cols)).  Smaller values
 * run, and a run they make diverge is recorded as diverged. */
static int check_magnitude(const ntr_kv *kv, const char *key, const char *path, size_t rows,
                           size_t cols, const ntr_csv_extreme *top, double **data,
                           ntr_error *err)
{
    double limit = sqrt(DBL_MAX / (8.0 * (double)rows * (double)cols));
    if (fabs(top->value) <= limit)
        return 0;
    free(*data);
    *data = NULL;
    ntr_pos pos = {path, top->line, top->col};
    return ntr_fail_at(err, pos,
                       "%s.%s: %g is too large to compute with: sums of products over this %zu x "
                       "%zu matrix would overflow (every value must be below %.3g in magnitude)",
                       ntr_pb_section(kv), key, top->value, rows, cols, limit);
}

int ntr_pb_read_csv(const ntr_kv *kv, const char *key, size_t want_rows, size_t want_cols,
                    double **data, size_t *rows, size_t *cols, int *given, ntr_error *err)
{
    char path[4096];
    *data = NULL;
    *given = 0;
    if (ntr_kv_path(kv, key, path, sizeof path, err) != 0)
        return -1;
    if (!path[0])
        return 0;
    *given = 1;
    ntr_csv_extreme top;
    if (ntr_csv_read_ex(path, want_rows, want_cols, NTR_PB_MAX_ENTRIES, data, rows, cols, &top,
                        err) == 0)
        return check_magnitude(kv, key, path, *rows, *cols, &top, data, err);
    if (err) {
        /* Keep the data file's line:column when there is one; otherwise
         * (cannot open, wrong number of rows) point at the key. */
        char msg[sizeof err->msg];
        memcpy(msg, err->msg, sizeof msg);
        ntr_pos pos = ntr_kv_pos(kv, key);
        if (err->line == 0 && pos.file) {
            int open_fail = strncmp(msg, "cannot ", 7) == 0;
            if (snprintf(err->msg, sizeof err->msg, "%s.%s: %s%s%s", ntr_pb_section(kv), key,
                         open_fail ? "" : path, open_fail ? "" : ": ", msg) < 0)
                err->msg[0] = '\0';
            snprintf(err->file, sizeof err->file, "%s", pos.file);
            err->line = pos.line;
            err->col = pos.col;
        } else {
            if (snprintf(err->msg, sizeof err->msg, "%s.%s: %s", ntr_pb_section(kv), key, msg) < 0)
                err->msg[0] = '\0';
        }
        err->kind = err->kind == NTR_E_INTERNAL ? NTR_E_INTERNAL : NTR_E_INPUT;
    }
    return -1;
}

int ntr_pb_forbid_with(const ntr_kv *kv, const char *key, const char *data_key, ntr_error *err)
{
    if (!ntr_kv_has(kv, key))
        return 0;
    return ntr_fail_at(err, ntr_kv_pos(kv, key), "%s.%s cannot be used with %s.%s (the data file sets it)",
                       ntr_pb_section(kv), key, ntr_pb_section(kv), data_key);
}

void *ntr_pb_calloc(size_t n, size_t size, ntr_error *err)
{
    if (n && size > SIZE_MAX / n) {
        ntr_fail(err, NTR_E_INPUT, "problem too large (%zu x %zu bytes)", n, size);
        return NULL;
    }
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        ntr_fail(err, NTR_E_INTERNAL, "out of memory (%zu x %zu bytes)", n, size);
    return p;
}

int ntr_pb_orthonormal(gsl_rng *r, size_t rows, size_t cols, double *q, ntr_error *err)
{
    if (cols == 0)
        return 0;
    if (rows < cols)
        return ntr_fail(err, NTR_E_INTERNAL, "orthonormal factor %zu x %zu: rows < cols", rows,
                        cols);
    double *tau = ntr_pb_calloc(cols, sizeof *tau, err);
    if (!tau)
        return -1;
    ntr_fill_gaussian(r, q, rows * cols, 1.0);
    lapack_int info = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (lapack_int)rows, (lapack_int)cols, q,
                                     (lapack_int)cols, tau);
    if (info == 0)
        info = LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (lapack_int)rows, (lapack_int)cols,
                              (lapack_int)cols, q, (lapack_int)cols, tau);
    free(tau);
    if (info != 0)
        return ntr_fail(err, NTR_E_NUMERIC, "QR factorisation of a %zu x %zu matrix failed (%d)",
                        rows, cols, (int)info);
    return 0;
}

int ntr_pb_gram_constants(const double *a, size_t N, size_t d, double scale, double *lam_max,
                          double *trace, double *sum_abs, double *max_abs, ntr_error *err)
{
    double *m = ntr_pb_calloc(d * d, sizeof *m, err);
    if (!m)
        return -1;
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (blasint)d, (blasint)N, scale, a,
                (blasint)d, 0.0, m, (blasint)d);
    for (size_t i = 0; i < d; i++) /* mirror the upper triangle */
        for (size_t k = 0; k < i; k++)
            m[i * d + k] = m[k * d + i];
    double tr = 0.0, sa = 0.0, ma = 0.0;
    for (size_t i = 0; i < d; i++) {
        tr += m[i * d + i];
        for (size_t k = 0; k < d; k++) {
            double v = fabs(m[i * d + k]);
            sa += v;
            if (v > ma)
                ma = v;
        }
    }
    int rc = 0;
    if (lam_max) {
        double lm = 0.0;
        rc = ntr_sym_eig_max(m, d, &lm, err);
        *lam_max = lm > 0.0 ? lm * NTR_PB_SAFETY : 0.0;
    }
    free(m);
    if (trace)
        *trace = tr * NTR_PB_SAFETY;
    if (sum_abs)
        *sum_abs = sa * NTR_PB_SAFETY;
    if (max_abs)
        *max_abs = ma * NTR_PB_SAFETY;
    return rc;
}

double ntr_pb_mean_row_norm_pow(const double *a, size_t N, size_t d, double p)
{
    if (N == 0)
        return 0.0;
    double s = 0.0;
    for (size_t k = 0; k < N; k++)
        s += pow(ntr_nrm2(a + k * d, d), p);
    return s / (double)N;
}

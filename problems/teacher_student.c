/* teacher_student.c: one nonlinear layer fitted to a planted teacher,
 *   f(W) = E_x ||s(W x) - s(W* x)||_2^2,  s(t) = t + beta tanh t,  x ~ N(0, I_d),
 * W of shape k x d (outputs x inputs), default 16 x 32, beta in [0, 1]
 * (default 1).  W* has N(0, teacher_scale^2 / d) entries (default scale 2,
 * so that W* x is in tanh's bend) or comes from `teacher: path` (k x d).
 *
 * Exact value and gradient: value() and grad() average over a fixed
 * evaluation sample of `eval_samples` inputs (default 4096) drawn once from
 * the data generator at create (or read from `eval_inputs: path`, S x d);
 * they are therefore the empirical objective on that sample, whose
 * minimiser is still W* with f* = 0.  sample_grad() draws fresh inputs
 * x ~ N(0, I) (flag SAMPLED): it is unbiased for the population gradient,
 * which the evaluation sample estimates to O(1/sqrt(S)).
 *
 * Star-convexity (every sample, hence both objectives): with z = w.x,
 * z* = w*.x, the gradient pairs 2 (s(z) - s(z*)) s'(z) (z - z*); since
 * s' in [1, 1 + beta], s(z) - s(z*) = s'(xi)(z - z*) gives
 * (s(z) - s(z*))(z - z*) >= (s(z) - s(z*))^2 / (1 + beta), and s'(z) >= 1, so
 * <grad f(W), W - W*> >= (2/(1 + beta)) f(W) >= f(W) - f*, i.e. f is
 * star-convex about W* when beta <= 1 (larger beta is refused).  It is not
 * convex in general for beta > 0 (tanh bends).
 *
 * Smoothness of the evaluation objective: the Hessian is block diagonal
 * over the rows w_i of W with blocks (1/S) sum_s phi''_is x_s x_s^T,
 * phi'' = 2 s'(z)^2 + 2 (s(z) - s(z*)) s''(z), s''(t) = -2 beta tanh t sech^2 t.
 * Bounds: s'^2 <= (1 + beta)^2; |s''| <= beta 4/(3 sqrt 3) <= 0.77 beta;
 * |s(z) s''(z)| <= beta (sup |2 t tanh t sech^2 t| + beta sup 2 tanh^2 sech^2)
 * <= beta (0.64 + 0.5 beta) (0.63979 found numerically; tanh^2 sech^2 <= 1/4).
 * So |phi''_is| <= 2 C_s with C_s = (1 + beta)^2 + beta (0.64 + 0.5 beta)
 * + 0.77 beta max_i |s(z*_is)|, and
 *   L_frob = lambda_max((2/S) sum_s C_s x_s x_s^T).
 * No Lipschitz-Hessian constant is claimed. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "problems/problem.h"
#include "problems/sizes.h"
#include "problems/support.h"

typedef struct ts_data {
    size_t k, d, S;
    double beta;
    double *X;   /* S x d evaluation inputs */
    double *Ys;  /* S x k teacher outputs s(X W*^T) */
    double *Z;   /* S x k workspace */
    double *x, *z, *zs; /* d, k, k: one fresh input */
} ts_data;

static const char *const ts_keys[] = {"beta", "eval_samples", "teacher_scale", "teacher",
                                      "eval_inputs", NULL};
static const char *const ts_file_keys[] = {"teacher", "eval_inputs", NULL};

static double s_act(double beta, double t) { return t + beta * tanh(t); }
static double ds_act(double beta, double t)
{
    double c = cosh(t);
    return 1.0 + beta / (c * c);
}

static void ts_destroy(ntr_problem *p)
{
    ts_data *d = p->data;
    if (d) {
        free(d->X);
        free(d->Ys);
        free(d->Z);
        free(d->x);
        free(d->z);
        free(d->zs);
        free(d);
    }
    free(p->x_star);
    p->data = NULL;
    p->x_star = NULL;
}

/* Z = X W^T; f; with grad, Z becomes (s(Z) - Ys) o s'(Z). */
static double eval_sample(ts_data *d, const double *w, int grad)
{
    size_t n = d->S * d->k;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)d->S, (blasint)d->k,
                (blasint)d->d, 1.0, d->X, (blasint)d->d, w, (blasint)d->d, 0.0, d->Z,
                (blasint)d->k);
    double f = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e = s_act(d->beta, d->Z[i]) - d->Ys[i];
        f += e * e;
        if (grad)
            d->Z[i] = e * ds_act(d->beta, d->Z[i]);
    }
    return f / (double)d->S;
}

static double ts_value(ntr_problem *p, const double *w)
{
    return eval_sample(p->data, w, 0);
}

static double ts_grad(ntr_problem *p, const double *w, double *g)
{
    ts_data *d = p->data;
    double f = eval_sample(d, w, 1);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)d->k, (blasint)d->d,
                (blasint)d->S, 2.0 / (double)d->S, d->Z, (blasint)d->k, d->X, (blasint)d->d,
                0.0, g, (blasint)d->d);
    return f;
}

/* (2/b) sum over b fresh x ~ N(0, I) of ((s(W x) - s(W* x)) o s'(W x)) x^T. */
static void ts_sample_grad(ntr_problem *p, const double *w, long batch, gsl_rng *rng, double *g)
{
    ts_data *d = p->data;
    memset(g, 0, d->k * d->d * sizeof *g);
    if (batch < 1)
        batch = 1;
    for (long t = 0; t < batch; t++) {
        ntr_fill_gaussian(rng, d->x, d->d, 1.0);
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (blasint)d->k, (blasint)d->d, 1.0, w,
                    (blasint)d->d, d->x, 1, 0.0, d->z, 1);
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (blasint)d->k, (blasint)d->d, 1.0, p->x_star,
                    (blasint)d->d, d->x, 1, 0.0, d->zs, 1);
        for (size_t i = 0; i < d->k; i++)
            d->z[i] = (s_act(d->beta, d->z[i]) - s_act(d->beta, d->zs[i])) *
                      ds_act(d->beta, d->z[i]);
        cblas_dger(CblasRowMajor, (blasint)d->k, (blasint)d->d, 2.0 / (double)batch, d->z, 1,
                   d->x, 1, g, (blasint)d->d);
    }
}

static double ts_smoothness(const ntr_problem *p, ntr_norm_id norm)
{
    return norm == NTR_NORM_EUCLIDEAN ? p->L_frob : NAN;
}

/* L_frob of the evaluation objective (see the file comment). */
static int ts_lipschitz(ntr_problem *p, ts_data *d, ntr_error *err)
{
    double *Xw = ntr_pb_calloc(d->S * d->d, sizeof *Xw, err);
    if (!Xw)
        return -1;
    double b = d->beta, base = (1 + b) * (1 + b) + b * (0.64 + 0.5 * b);
    for (size_t s = 0; s < d->S; s++) {
        double top = 0.0;
        for (size_t i = 0; i < d->k; i++)
            top = fmax(top, fabs(d->Ys[s * d->k + i]));
        double c = sqrt(base + 0.77 * b * top);
        for (size_t j = 0; j < d->d; j++)
            Xw[s * d->d + j] = c * d->X[s * d->d + j];
    }
    double lam;
    int rc = ntr_pb_gram_constants(Xw, d->S, d->d, 2.0 / (double)d->S, &lam, NULL, NULL, NULL,
                                   err);
    free(Xw);
    p->L_frob = lam;
    return rc;
}

static int ts_data_in(ntr_problem *p, ts_data *d, const ntr_kv *kv, const ntr_problem_env *env,
                      ntr_error *err)
{
    size_t r = 0, c = 0;
    int given = 0;
    double ts;
    long S;
    if (ntr_kv_double(kv, "teacher_scale", 2.0, 0.0, 1e6, &ts, err) != 0 ||
        ntr_kv_long(kv, "eval_samples", 4096, 1, 1L << 24, &S, err) != 0)
        return -1;
    if (ntr_pb_read_csv(kv, "teacher", 0, 0, &p->x_star, &r, &c, &given, err) != 0)
        return -1;
    if (given) {
        if (ntr_pb_forbid_with(kv, "teacher_scale", "teacher", err) != 0)
            return -1;
        if (env->shape.nblocks != 0 &&
            (env->shape.nblocks != 1 || env->shape.rows[0] != r || env->shape.cols[0] != c))
            return ntr_fail_at(err, env->shape_pos,
                               "problem.shape does not match %s.teacher, which is %zu x %zu",
                               ntr_pb_section(kv), r, c);
        d->k = r;
        d->d = c;
    } else if (ntr_pb_one_block(env, "teacher_student", 16, 32, &d->k, &d->d, err) != 0) {
        return -1;
    }
    if (ntr_pb_read_csv(kv, "eval_inputs", 0, d->d, &d->X, &r, &c, &given, err) != 0)
        return -1;
    if (given) {
        if (ntr_pb_forbid_with(kv, "eval_samples", "eval_inputs", err) != 0)
            return -1;
        d->S = r;
    } else {
        if ((double)S * (double)d->d > (double)NTR_PB_MAX_ENTRIES)
            return ntr_fail_at(err, ntr_kv_pos(kv, "eval_samples"), "%s.eval_samples = %ld: too many",
                               ntr_pb_section(kv), S);
        d->S = (size_t)S;
    }
    if (!p->x_star) {
        p->x_star = ntr_pb_calloc(d->k * d->d, sizeof *p->x_star, err);
        if (!p->x_star)
            return -1;
        ntr_fill_gaussian(env->data_rng, p->x_star, d->k * d->d, ts / sqrt((double)d->d));
    }
    if (!d->X) {
        d->X = ntr_pb_calloc(d->S * d->d, sizeof *d->X, err);
        if (!d->X)
            return -1;
        ntr_fill_gaussian(env->data_rng, d->X, d->S * d->d, 1.0);
    }
    return 0;
}

/* Meanings of the keys, for `ntr-run --describe`. */
static const char *const ts_key_docs[] = {
    "beta",
    "s(t) = t + beta tanh t: star-convex for beta <= 1 (refused above)",
    "eval_samples",
    "S inputs of the fixed evaluation sample behind f and grad f",
    "teacher_scale",
    "entries of the teacher W* ~ N(0, teacher_scale^2 / inputs)",
    "teacher",
    "CSV file of W* (outputs x inputs), instead of generated",
    "eval_inputs",
    "CSV file of the evaluation inputs (S x inputs)",
    NULL};

static int ts_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env, ntr_error *err)
{
    ntr_kv_docs(kv, ts_key_docs);
    if (ntr_pb_matrix_shape(kv, env, "teacher_student", "outputs x inputs", "[16, 32]", err) != 0)
        return -1;
    ts_data *d = ntr_pb_calloc(1, sizeof *d, err);
    if (!d)
        return -1;
    p->data = d;
    if (ntr_kv_double(kv, "beta", 1.0, -HUGE_VAL, HUGE_VAL, &d->beta, err) != 0)
        return -1;
    if (!(d->beta >= 0.0 && d->beta <= 1.0))
        return ntr_fail_at(err, ntr_kv_pos(kv, "beta"),
                           "%s.beta = %g: beta must be in [0, 1]; <grad f, W - W*> >= "
                           "(2/(1+beta)) f(W) gives star-convexity only for beta <= 1",
                           ntr_pb_section(kv), d->beta);
    if (ts_data_in(p, d, kv, env, err) != 0)
        return -1;
    d->Ys = ntr_pb_calloc(d->S * d->k, sizeof *d->Ys, err);
    d->Z = ntr_pb_calloc(d->S * d->k, sizeof *d->Z, err);
    d->x = ntr_pb_calloc(d->d, sizeof *d->x, err);
    d->z = ntr_pb_calloc(d->k, sizeof *d->z, err);
    d->zs = ntr_pb_calloc(d->k, sizeof *d->zs, err);
    if (!d->Ys || !d->Z || !d->x || !d->z || !d->zs)
        return -1;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)d->S, (blasint)d->k,
                (blasint)d->d, 1.0, d->X, (blasint)d->d, p->x_star, (blasint)d->d, 0.0, d->Ys,
                (blasint)d->k);
    for (size_t i = 0; i < d->S * d->k; i++)
        d->Ys[i] = s_act(d->beta, d->Ys[i]);
    if (ts_lipschitz(p, d, err) != 0)
        return -1;
    p->layout = ntr_layout_single(d->k, d->d);
    p->f_star = 0.0;
    p->L2_frob = INFINITY;
    p->term_sigma2 = NAN;
    return 0;
}

const ntr_problem_type ntr_problem_teacher_student = {
    .api_version = NTR_API_VERSION,
    .name = "teacher_student",
    .summary = "E_x ||s(W x) - s(W* x)||^2, s(t) = t + beta tanh t: star-convex about W*, f* = 0",
    .flags = NTR_PF_STAR_CONVEX | NTR_PF_NONCONVEX | NTR_PF_SMOOTH | NTR_PF_SAMPLED,
    .keys = ts_keys,
    .file_keys = ts_file_keys,
    .create = ts_create,
    .destroy = ts_destroy,
    .value = ts_value,
    .grad = ts_grad,
    .sample_grad = ts_sample_grad,
    .smoothness = ts_smoothness,
    .hessian_lipschitz = NULL,
};

/* Sizes before create() (sizes.h): the evaluation inputs X and their
 * weighted copy (S x d), the teacher's and student's outputs (S x k), and
 * the d x d Gram matrix with its eigenvalue copy. */
int ntr_teacher_student_estimate(const ntr_kv *kv, const ntr_problem_env *env,
                                 ntr_problem_estimate *est, ntr_error *err)
{
    size_t k, d, S, rows, cols;
    const char *shape_key = "shape", *data_key = "eval_samples";
    ntr_pb_csv_bounds(kv, "teacher", &rows, &cols);
    if (cols > 0) {
        k = rows, d = cols, shape_key = "teacher";
    } else if (ntr_pb_one_block(env, "teacher_student", 16, 32, &k, &d, err) != 0) {
        return -1;
    }
    ntr_pb_csv_bounds(kv, "eval_inputs", &rows, &cols);
    if (cols > 0) {
        S = rows, data_key = "eval_inputs";
    } else {
        long samples;
        if (ntr_kv_long(kv, "eval_samples", 4096, 1, 1L << 24, &samples, err) != 0)
            return -1;
        S = (size_t)samples;
    }
    double dS = (double)S, dd = (double)d, dk = (double)k;
    double data = 2 * dS * dd + 2 * dS * dk + dk * dd;
    double gram = 2 * dd * dd;
    est->bytes = 8 * (data + gram);
    est->layout = ntr_layout_single(k, d);
    est->key = gram > data ? shape_key : data_key;
    return 0;
}

/* logistic.c: multinomial (softmax) logistic regression,
 * f(W) = (1/N) sum_i [ lse(W a_i) - (W a_i)_{y_i} ],  lse(z) = log sum_j exp z_j,
 * with W of shape classes x features (c x d), features a_i in R^d and
 * labels y_i in {0, ..., c-1}.
 *
 * Synthetic data (default shape 10 x 32, N = 512): a_i ~ N(0, I_d), a
 * planted linear teacher W_t with N(0, teacher_scale^2 / d) entries, and
 * labels drawn from softmax(W_t a_i) (a well-specified model: no perfect
 * separation, so a minimiser exists; its value is not known in closed form,
 * f_star = NAN).  Data files: `features: path` (N x d) and `labels: path`
 * (N x 1, integers in [0, c)); c comes from problem.shape or is the largest
 * label + 1.
 *
 * Constants.  The Hessian of lse at z is S = diag(p) - p p^T, p = softmax(z);
 * for a unit v, v^T S v = Var_p(v_J) <= (max v - min v)^2 / 4 <= 1/2
 * (Popoviciu; (max v - min v)^2 <= 2 ||v||^2).  The Hessian of f is
 * (1/N) sum_i S_i (x) a_i a_i^T <= (1/2) I (x) G, G = (1/N) sum_i a_i a_i^T
 * (Kronecker products of PSD matrices are PSD), so
 *   L_frob = lambda_max(G) / 2   (<= max_i ||a_i||^2 / 2).
 * The third derivative of lse along v is the third central moment
 * E_p (v_J - E v_J)^3, at most (max v - min v) Var <= (max v - min v)^3 / 4
 * <= ||v||^3 / sqrt 2; along E (c x d) f's third derivative is
 * (1/N) sum_i D^3 lse[E a_i]^3 with ||E a_i|| <= ||E||_F ||a_i||, so
 *   L2_frob = (1/sqrt 2) (1/N) sum_i ||a_i||^3.
 * One term's gradient (p_i - e_{y_i}) a_i^T has Frobenius norm at most
 * sqrt(2) ||a_i|| (||p - e_y||^2 <= 2 (1 - p_y)^2 <= 2), so the variance of
 * a sampled term is at most 2 (1/N) sum_i ||a_i||^2. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "linalg/linalg.h"
#include "problems/problem.h"
#include "problems/sizes.h"
#include "problems/support.h"

typedef struct lg_data {
    size_t N, c, d;
    double *A;  /* N x d features */
    int *y;     /* N labels */
    double *Z;  /* N x c logits, then softmax - onehot */
    double *z;  /* c: one sample's logits */
} lg_data;

static const char *const lg_keys[] = {"samples", "teacher_scale", "features", "labels", NULL};
static const char *const lg_file_keys[] = {"features", "labels", NULL};

static void lg_destroy(ntr_problem *p)
{
    lg_data *d = p->data;
    if (d) {
        free(d->A);
        free(d->y);
        free(d->Z);
        free(d->z);
        free(d);
    }
    free(p->x_star);
    p->data = NULL;
    p->x_star = NULL;
}

/* Loss of one sample with logits z (length c) and label y; with grad,
 * z is overwritten by softmax(z) - e_y. */
static double sample_loss(double *z, size_t c, int y, int grad)
{
    double zmax = z[0];
    for (size_t j = 1; j < c; j++)
        zmax = fmax(zmax, z[j]);
    double s = 0.0;
    for (size_t j = 0; j < c; j++)
        s += exp(z[j] - zmax);
    /* s >= 1: the largest logit adds exp(0) (c >= 2 classes) */
    // cppcheck-suppress invalidFunctionArg
    double loss = zmax + log(s) - z[y];
    if (grad) {
        for (size_t j = 0; j < c; j++)
            z[j] = exp(z[j] - zmax) / s;
        z[y] -= 1.0;
    }
    return loss;
}

/* Z = A W^T and the loss; with grad, Z becomes softmax - onehot. */
static double logits_loss(lg_data *d, const double *w, int grad)
{
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)d->N, (blasint)d->c,
                (blasint)d->d, 1.0, d->A, (blasint)d->d, w, (blasint)d->d, 0.0, d->Z,
                (blasint)d->c);
    double s = 0.0;
    for (size_t i = 0; i < d->N; i++)
        s += sample_loss(d->Z + i * d->c, d->c, d->y[i], grad);
    return s / (double)d->N;
}

static double lg_value(ntr_problem *p, const double *w)
{
    return logits_loss(p->data, w, 0);
}

static double lg_grad(ntr_problem *p, const double *w, double *g)
{
    lg_data *d = p->data;
    double f = logits_loss(d, w, 1);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)d->c, (blasint)d->d,
                (blasint)d->N, 1.0 / (double)d->N, d->Z, (blasint)d->c, d->A, (blasint)d->d,
                0.0, g, (blasint)d->d);
    return f;
}

/* (1/b) sum of (softmax(W a_i) - e_{y_i}) a_i^T over b samples drawn
 * uniformly with replacement. */
static void lg_sample_grad(ntr_problem *p, const double *w, long batch, gsl_rng *rng, double *g)
{
    lg_data *d = p->data;
    memset(g, 0, d->c * d->d * sizeof *g);
    if (batch < 1)
        batch = 1;
    for (long t = 0; t < batch; t++) {
        size_t i = (size_t)gsl_rng_uniform_int(rng, (unsigned long)d->N);
        const double *ai = d->A + i * d->d;
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (blasint)d->c, (blasint)d->d, 1.0, w,
                    (blasint)d->d, ai, 1, 0.0, d->z, 1);
        sample_loss(d->z, d->c, d->y[i], 1);
        cblas_dger(CblasRowMajor, (blasint)d->c, (blasint)d->d, 1.0 / (double)batch, d->z, 1,
                   ai, 1, g, (blasint)d->d);
    }
}

static double lg_smoothness(const ntr_problem *p, ntr_norm_id norm)
{
    return norm == NTR_NORM_EUCLIDEAN ? p->L_frob : NAN;
}

static double lg_hessian_lipschitz(const ntr_problem *p, ntr_norm_id norm)
{
    return norm == NTR_NORM_EUCLIDEAN ? p->L2_frob : NAN;
}

static int lg_load(lg_data *d, const ntr_kv *kv, const ntr_problem_env *env, int *given,
                   ntr_error *err)
{
    double *lab = NULL;
    size_t ra = 0, ca = 0, rl = 0, cl = 0;
    int ga = 0, gl = 0;
    *given = 0;
    if (ntr_pb_read_csv(kv, "features", 0, 0, &d->A, &ra, &ca, &ga, err) != 0)
        return -1;
    if (!ga) {
        if (ntr_kv_has(kv, "labels"))
            return ntr_fail_at(err, ntr_kv_pos(kv, "labels"), "%s.labels needs %s.features",
                               ntr_pb_section(kv), ntr_pb_section(kv));
        return 0;
    }
    *given = 1;
    if (!ntr_kv_has(kv, "labels"))
        return ntr_fail_at(err, ntr_kv_pos(kv, "features"), "%s.features needs %s.labels",
                           ntr_pb_section(kv), ntr_pb_section(kv));
    static const char *const synth[] = {"samples", "teacher_scale", NULL};
    for (int i = 0; synth[i]; i++)
        if (ntr_pb_forbid_with(kv, synth[i], "features", err) != 0)
            return -1;
    if (ntr_pb_read_csv(kv, "labels", ra, 1, &lab, &rl, &cl, &gl, err) != 0)
        return -1;
    d->y = ntr_pb_calloc(ra, sizeof *d->y, err);
    if (!d->y) {
        free(lab);
        return -1;
    }
    double top = 0.0;
    for (size_t i = 0; i < ra; i++) {
        double v = lab[i];
        if (v < 0 || v != floor(v) || v > 1e6) {
            free(lab);
            return ntr_fail_at(err, ntr_kv_pos(kv, "labels"),
                               "%s.labels: row %zu holds %g, not a class index (0, 1, ...)",
                               ntr_pb_section(kv), i + 1, v);
        }
        d->y[i] = (int)lab[i];
        top = fmax(top, lab[i]);
    }
    free(lab);
    size_t c, dd;
    if (ntr_pb_one_block(env, "logistic", (size_t)top + 1, ca, &c, &dd, err) != 0)
        return -1;
    if (dd != ca || c < (size_t)top + 1 || c < 2)
        return ntr_fail_at(err, env->shape_pos,
                           "problem.shape [%zu, %zu] does not match the data: %s.features has "
                           "%zu columns and %s.labels go up to %g, so the shape must be "
                           "[classes >= %g (and >= 2), %zu]",
                           c, dd, ntr_pb_section(kv), ca, ntr_pb_section(kv), top,
                           fmax(top + 1, 2), ca);
    d->N = ra;
    d->c = c;
    d->d = ca;
    return 0;
}

static int lg_build(lg_data *d, const ntr_kv *kv, const ntr_problem_env *env, ntr_error *err)
{
    long N;
    double ts;
    size_t c, dd;
    if (ntr_pb_one_block(env, "logistic", 10, 32, &c, &dd, err) != 0)
        return -1;
    if (c < 2)
        return ntr_fail_at(err, env->shape_pos, "problem.shape: logistic needs at least 2 classes (rows)");
    if (ntr_kv_long(kv, "samples", 512, 1, 1L << 26, &N, err) != 0 ||
        ntr_kv_double(kv, "teacher_scale", 3.0, 0.0, 1e6, &ts, err) != 0)
        return -1;
    if ((double)N * (double)(dd > c ? dd : c) > (double)NTR_PB_MAX_ENTRIES)
        return ntr_fail_at(err, ntr_kv_pos(kv, "samples"), "%s.samples = %ld: too many",
                           ntr_pb_section(kv), N);
    d->N = (size_t)N;
    d->c = c;
    d->d = dd;
    d->A = ntr_pb_calloc(d->N * dd, sizeof *d->A, err);
    d->y = ntr_pb_calloc(d->N, sizeof *d->y, err);
    double *wt = ntr_pb_calloc(c * dd, sizeof *wt, err);
    double *z = ntr_pb_calloc(c, sizeof *z, err);
    if (!d->A || !d->y || !wt || !z) {
        free(wt);
        free(z);
        return -1;
    }
    gsl_rng *r = env->data_rng;
    ntr_fill_gaussian(r, wt, c * dd, ts / sqrt((double)dd));
    ntr_fill_gaussian(r, d->A, d->N * dd, 1.0);
    for (size_t i = 0; i < d->N; i++) { /* y_i ~ softmax(W_t a_i) */
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (blasint)c, (blasint)dd, 1.0, wt, (blasint)dd,
                    d->A + i * dd, 1, 0.0, z, 1);
        sample_loss(z, c, 0, 1);
        z[0] += 1.0; /* z = softmax */
        double u = gsl_rng_uniform(r), acc = 0.0;
        size_t j = 0;
        for (; j + 1 < c; j++) {
            acc += z[j];
            if (u < acc)
                break;
        }
        d->y[i] = (int)j;
    }
    free(wt);
    free(z);
    return 0;
}

/* Meanings of the keys, for `ntr-run --describe`. */
static const char *const lg_key_docs[] = {
    "samples",
    "N training examples a_i ~ N(0, I)",
    "teacher_scale",
    "entries of the planted teacher W_t ~ N(0, teacher_scale^2 / features)",
    "features",
    "CSV file of the N x d features, instead of generated data",
    "labels",
    "CSV file of the N labels (integers in [0, classes)), with features",
    NULL};

static int lg_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env, ntr_error *err)
{
    ntr_kv_docs(kv, lg_key_docs);
    if (ntr_pb_matrix_shape(kv, env, "logistic", "classes x features", "[10, 32]", err) != 0)
        return -1;
    lg_data *d = ntr_pb_calloc(1, sizeof *d, err);
    if (!d)
        return -1;
    p->data = d;
    int files = 0;
    if (lg_load(d, kv, env, &files, err) != 0)
        return -1;
    if (!files && lg_build(d, kv, env, err) != 0)
        return -1;
    d->Z = ntr_pb_calloc(d->N * d->c, sizeof *d->Z, err);
    d->z = ntr_pb_calloc(d->c, sizeof *d->z, err);
    if (!d->Z || !d->z)
        return -1;
    double lam;
    if (ntr_pb_gram_constants(d->A, d->N, d->d, 1.0 / (double)d->N, &lam, NULL, NULL, NULL,
                              err) != 0)
        return -1;
    p->layout = ntr_layout_single(d->c, d->d);
    p->n_terms = d->N;
    p->L_frob = 0.5 * lam;
    p->L2_frob = ntr_pb_mean_row_norm_pow(d->A, d->N, d->d, 3.0) / sqrt(2.0) * NTR_PB_SAFETY;
    p->term_sigma2 = 2.0 * ntr_pb_mean_row_norm_pow(d->A, d->N, d->d, 2.0) * NTR_PB_SAFETY;
    return 0;
}

const ntr_problem_type ntr_problem_logistic = {
    .api_version = NTR_API_VERSION,
    .name = "logistic",
    .summary = "multinomial softmax regression, W classes x features, planted teacher or CSV data",
    .flags = NTR_PF_CONVEX | NTR_PF_SMOOTH | NTR_PF_LIP_HESSIAN | NTR_PF_FINITE_SUM,
    .keys = lg_keys,
    .file_keys = lg_file_keys,
    .create = lg_create,
    .destroy = lg_destroy,
    .value = lg_value,
    .grad = lg_grad,
    .sample_grad = lg_sample_grad,
    .smoothness = lg_smoothness,
    .hessian_lipschitz = lg_hessian_lipschitz,
};

/* Sizes before create() (sizes.h): features A (N x d), the scores Z
 * (N x c), the teacher, and the d x d Gram matrix with its eigenvalue
 * copy.  Classes from a labels file are bounded by its largest value. */
int ntr_logistic_estimate(const ntr_kv *kv, const ntr_problem_env *env,
                          ntr_problem_estimate *est, ntr_error *err)
{
    size_t c, d, N, rows, cols;
    const char *data_key = "samples";
    ntr_pb_csv_bounds(kv, "features", &rows, &cols);
    if (cols > 0) {
        N = rows, d = cols, data_key = "features";
        double *lab = NULL, top = 1;
        size_t rl = 0, cl = 0;
        ntr_error ignored;
        char path[4096];
        if (env->shape.nblocks == 1) {
            c = env->shape.rows[0];
        } else if (ntr_kv_path(kv, "labels", path, sizeof path, &ignored) == 0 && path[0] &&
                   ntr_csv_read(path, 0, 1, NTR_PB_MAX_ENTRIES, &lab, &rl, &cl, &ignored) == 0) {
            for (size_t i = 0; i < rl; i++)
                top = fmax(top, fmin(lab[i], 1e6));
            free(lab);
            c = (size_t)top + 1;
            data_key = "labels";
        } else {
            c = 2;
        }
    } else {
        long samples;
        if (ntr_pb_one_block(env, "logistic", 10, 32, &c, &d, err) != 0 ||
            ntr_kv_long(kv, "samples", 512, 1, 1L << 26, &samples, err) != 0)
            return -1;
        N = (size_t)samples;
    }
    double dN = (double)N, dd = (double)d, dc = (double)c;
    double data = dN * dd + dN + dN * dc + 2 * dc * dd;
    double gram = 2 * dd * dd;
    est->bytes = 8 * (data + gram);
    est->layout = ntr_layout_single(c, d);
    est->key = gram > data && cols == 0 ? "shape" : data_key;
    return 0;
}

/* mlp.c: a two-layer tanh network fitted by squared loss,
 *   f(W1, W2) = (1/(2N)) sum_i ||W2 tanh(W1 x_i) - y_i||_2^2,
 * parameters in two blocks, W1 (hidden x in) and W2 (out x hidden).
 * Default shape [[16, 8], [4, 16]] (`blocks:` in the config), or `hidden`
 * (default 16) with the input and output sizes of the data.
 *
 * Data: inputs x_i ~ N(0, I) (N = `samples`, default 256) or `inputs: path`
 * (N x in); targets from a planted teacher of the same architecture
 * (W1* with N(0, teacher_scale^2/in) entries, W2* with N(0, 1/hidden),
 * teacher_scale default 2) or `targets: path` (N x out).  With teacher
 * targets the model is realisable: f* = 0 at x_star = (W1*, W2*); with
 * target files f* is unknown.
 *
 * Constants: none claimed.  The W1-block of the Hessian scales with
 * ||W2||^2 (and the W2-block with the data only), so the gradient is not
 * globally Lipschitz: L_frob = L2_frob = INFINITY and the type is not
 * flagged SMOOTH.  A finite sum over the N samples (minibatch oracle). */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "problems/problem.h"
#include "problems/sizes.h"
#include "problems/support.h"

typedef struct mlp_data {
    size_t N, in, hid, out;
    double *X, *Y;      /* N x in, N x out */
    double *H, *R, *Dl; /* N x hid, N x out, N x hid workspaces */
    double *h, *r, *dl; /* hid, out, hid: one sample */
} mlp_data;

static const char *const mlp_keys[] = {"samples", "hidden", "teacher_scale", "inputs", "targets",
                                       NULL};
static const char *const mlp_file_keys[] = {"inputs", "targets", NULL};

static void mlp_destroy(ntr_problem *p)
{
    mlp_data *d = p->data;
    if (d) {
        free(d->X);
        free(d->Y);
        free(d->H);
        free(d->R);
        free(d->Dl);
        free(d->h);
        free(d->r);
        free(d->dl);
        free(d);
    }
    free(p->x_star);
    p->data = NULL;
    p->x_star = NULL;
}

/* Forward pass on all samples: H = tanh(X W1^T), R = H W2^T - Y; f. */
static double forward(mlp_data *d, const double *w)
{
    const double *W1 = w, *W2 = w + d->hid * d->in;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)d->N, (blasint)d->hid,
                (blasint)d->in, 1.0, d->X, (blasint)d->in, W1, (blasint)d->in, 0.0, d->H,
                (blasint)d->hid);
    for (size_t i = 0; i < d->N * d->hid; i++)
        d->H[i] = tanh(d->H[i]);
    memcpy(d->R, d->Y, d->N * d->out * sizeof *d->R);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)d->N, (blasint)d->out,
                (blasint)d->hid, 1.0, d->H, (blasint)d->hid, W2, (blasint)d->hid, -1.0, d->R,
                (blasint)d->out);
    double nr = ntr_nrm2(d->R, d->N * d->out);
    return nr * nr / (2.0 * (double)d->N);
}

static double mlp_value(ntr_problem *p, const double *w)
{
    return forward(p->data, w);
}

static double mlp_grad(ntr_problem *p, const double *w, double *g)
{
    mlp_data *d = p->data;
    double f = forward(d, w), s = 1.0 / (double)d->N;
    const double *W2 = w + d->hid * d->in;
    double *G1 = g, *G2 = g + d->hid * d->in;
    /* G2 = R^T H / N;  Dl = (R W2) o (1 - H^2);  G1 = Dl^T X / N. */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)d->out, (blasint)d->hid,
                (blasint)d->N, s, d->R, (blasint)d->out, d->H, (blasint)d->hid, 0.0, G2,
                (blasint)d->hid);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)d->N, (blasint)d->hid,
                (blasint)d->out, 1.0, d->R, (blasint)d->out, W2, (blasint)d->hid, 0.0, d->Dl,
                (blasint)d->hid);
    for (size_t i = 0; i < d->N * d->hid; i++)
        d->Dl[i] *= 1.0 - d->H[i] * d->H[i];
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)d->hid, (blasint)d->in,
                (blasint)d->N, s, d->Dl, (blasint)d->hid, d->X, (blasint)d->in, 0.0, G1,
                (blasint)d->in);
    return f;
}

/* The same gradient averaged over b samples drawn uniformly with replacement. */
static void mlp_sample_grad(ntr_problem *p, const double *w, long batch, gsl_rng *rng, double *g)
{
    mlp_data *d = p->data;
    const double *W1 = w, *W2 = w + d->hid * d->in;
    double *G1 = g, *G2 = g + d->hid * d->in;
    memset(g, 0, p->layout.dim * sizeof *g);
    if (batch < 1)
        batch = 1;
    double s = 1.0 / (double)batch;
    for (long t = 0; t < batch; t++) {
        size_t i = (size_t)gsl_rng_uniform_int(rng, (unsigned long)d->N);
        const double *xi = d->X + i * d->in;
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (blasint)d->hid, (blasint)d->in, 1.0, W1,
                    (blasint)d->in, xi, 1, 0.0, d->h, 1);
        for (size_t j = 0; j < d->hid; j++)
            d->h[j] = tanh(d->h[j]);
        memcpy(d->r, d->Y + i * d->out, d->out * sizeof *d->r);
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (blasint)d->out, (blasint)d->hid, 1.0, W2,
                    (blasint)d->hid, d->h, 1, -1.0, d->r, 1);
        cblas_dger(CblasRowMajor, (blasint)d->out, (blasint)d->hid, s, d->r, 1, d->h, 1, G2,
                   (blasint)d->hid);
        cblas_dgemv(CblasRowMajor, CblasTrans, (blasint)d->out, (blasint)d->hid, 1.0, W2,
                    (blasint)d->hid, d->r, 1, 0.0, d->dl, 1);
        for (size_t j = 0; j < d->hid; j++)
            d->dl[j] *= 1.0 - d->h[j] * d->h[j];
        cblas_dger(CblasRowMajor, (blasint)d->hid, (blasint)d->in, s, d->dl, 1, xi, 1, G1,
                   (blasint)d->in);
    }
}

/* Sizes from problem.blocks (checked against the data files) or defaults. */
static int mlp_sizes(mlp_data *d, const ntr_kv *kv, const ntr_problem_env *env, size_t in_file,
                     size_t out_file, ntr_error *err)
{
    long hid;
    if (ntr_kv_long(kv, "hidden", 16, 1, 1L << 20, &hid, err) != 0)
        return -1;
    if (env->shape.nblocks == 0) {
        d->hid = (size_t)hid;
        d->in = in_file ? in_file : 8;
        d->out = out_file ? out_file : 4;
        return 0;
    }
    const ntr_layout *s = &env->shape;
    if (s->nblocks != 2 || s->cols[1] != s->rows[0])
        return ntr_fail_at(err, env->shape_pos,
                           "problem mlp takes two blocks [[hidden, in], [out, hidden]] "
                           "(problem.blocks), with the same hidden size in both");
    d->hid = s->rows[0];
    d->in = s->cols[0];
    d->out = s->rows[1];
    if (ntr_kv_has(kv, "hidden") && (size_t)hid != d->hid)
        return ntr_fail_at(err, ntr_kv_pos(kv, "hidden"),
                           "%s.hidden = %ld does not match problem.blocks (hidden %zu)",
                           ntr_pb_section(kv), hid, d->hid);
    if ((in_file && in_file != d->in) || (out_file && out_file != d->out))
        return ntr_fail_at(err, env->shape_pos,
                           "problem.blocks do not match the data files: inputs have %zu "
                           "columns and targets %zu, the blocks say %zu and %zu",
                           in_file ? in_file : d->in, out_file ? out_file : d->out, d->in,
                           d->out);
    return 0;
}

static int mlp_data_in(ntr_problem *p, mlp_data *d, const ntr_kv *kv, const ntr_problem_env *env,
                       ntr_error *err)
{
    size_t rx = 0, cx = 0, ry = 0, cy = 0;
    int gx = 0, gy = 0;
    long N;
    double ts;
    if (ntr_kv_long(kv, "samples", 256, 1, 1L << 26, &N, err) != 0 ||
        ntr_kv_double(kv, "teacher_scale", 2.0, 0.0, 1e6, &ts, err) != 0)
        return -1;
    if (ntr_pb_read_csv(kv, "inputs", 0, 0, &d->X, &rx, &cx, &gx, err) != 0)
        return -1;
    if (!gx && ntr_kv_has(kv, "targets"))
        return ntr_fail_at(err, ntr_kv_pos(kv, "targets"), "%s.targets needs %s.inputs",
                           ntr_pb_section(kv), ntr_pb_section(kv));
    if (gx && (ntr_pb_read_csv(kv, "targets", rx, 0, &d->Y, &ry, &cy, &gy, err) != 0 ||
               ntr_pb_forbid_with(kv, "samples", "inputs", err) != 0))
        return -1;
    if (gy && ntr_pb_forbid_with(kv, "teacher_scale", "targets", err) != 0)
        return -1;
    if (mlp_sizes(d, kv, env, cx, cy, err) != 0)
        return -1;
    d->N = gx ? rx : (size_t)N;
    size_t widest = d->in > d->out ? d->in : d->out;
    widest = widest > d->hid ? widest : d->hid;
    if ((double)d->N * (double)widest > (double)NTR_PB_MAX_ENTRIES) {
        /* the larger factor of N x widest is the one to blame */
        const char *key = widest > d->N ? (d->hid == widest ? "hidden" : "inputs")
                                        : gx ? "inputs" : "samples";
        if (!ntr_kv_has(kv, key))
            key = ntr_kv_has(kv, "hidden") ? "hidden" : "samples";
        return ntr_fail_at(err, ntr_kv_pos(kv, key),
                           "%s.%s: %zu samples x %zu units (%zu inputs, %zu hidden, %zu outputs) "
                           "are too many",
                           ntr_pb_section(kv), key, d->N, widest, d->in, d->hid, d->out);
    }
    gsl_rng *r = env->data_rng;
    if (!gx) {
        d->X = ntr_pb_calloc(d->N * d->in, sizeof *d->X, err);
        if (!d->X)
            return -1;
        ntr_fill_gaussian(r, d->X, d->N * d->in, 1.0);
    }
    if (!gy) { /* teacher targets: realisable, f* = 0 at the teacher */
        size_t n1 = d->hid * d->in, n2 = d->out * d->hid;
        p->x_star = ntr_pb_calloc(n1 + n2, sizeof *p->x_star, err);
        d->Y = ntr_pb_calloc(d->N * d->out, sizeof *d->Y, err);
        if (!p->x_star || !d->Y)
            return -1;
        ntr_fill_gaussian(r, p->x_star, n1, ts / sqrt((double)d->in));
        ntr_fill_gaussian(r, p->x_star + n1, n2, 1.0 / sqrt((double)d->hid));
    }
    return 0;
}

/* Meanings of the keys, for `ntr-run --describe`. */
static const char *const mlp_key_docs[] = {
    "samples",
    "N training inputs x_i ~ N(0, I)",
    "hidden",
    "width of the hidden layer (with data files; else from blocks)",
    "teacher_scale",
    "entries of the teacher's W1* ~ N(0, teacher_scale^2 / inputs)",
    "inputs",
    "CSV file of the N x in inputs, instead of generated",
    "targets",
    "CSV file of the N x out targets, with inputs",
    NULL};

static int mlp_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env, ntr_error *err)
{
    ntr_kv_docs(kv, mlp_key_docs);
    mlp_data *d = ntr_pb_calloc(1, sizeof *d, err);
    if (!d)
        return -1;
    p->data = d;
    if (mlp_data_in(p, d, kv, env, err) != 0)
        return -1;
    d->H = ntr_pb_calloc(d->N * d->hid, sizeof *d->H, err);
    d->R = ntr_pb_calloc(d->N * d->out, sizeof *d->R, err);
    d->Dl = ntr_pb_calloc(d->N * d->hid, sizeof *d->Dl, err);
    d->h = ntr_pb_calloc(d->hid, sizeof *d->h, err);
    d->r = ntr_pb_calloc(d->out, sizeof *d->r, err);
    d->dl = ntr_pb_calloc(d->hid, sizeof *d->dl, err);
    if (!d->H || !d->R || !d->Dl || !d->h || !d->r || !d->dl)
        return -1;
    memset(&p->layout, 0, sizeof p->layout);
    ntr_layout_add(&p->layout, d->hid, d->in);
    ntr_layout_add(&p->layout, d->out, d->hid);
    if (p->x_star) { /* with Y = 0 the residuals are the teacher outputs: Y = R */
        memset(d->Y, 0, d->N * d->out * sizeof *d->Y);
        forward(d, p->x_star);
        for (size_t i = 0; i < d->N * d->out; i++)
            d->Y[i] = d->R[i];
        p->f_star = 0.0;
    }
    p->n_terms = d->N;
    p->L_frob = INFINITY;
    p->L2_frob = INFINITY;
    p->term_sigma2 = NAN;
    return 0;
}

const ntr_problem_type ntr_problem_mlp = {
    .api_version = NTR_API_VERSION,
    .name = "mlp",
    .summary = "two-layer tanh network W2 tanh(W1 x), squared loss, planted teacher or CSV data",
    .flags = NTR_PF_NONCONVEX | NTR_PF_FINITE_SUM,
    .keys = mlp_keys,
    .file_keys = mlp_file_keys,
    .create = mlp_create,
    .destroy = mlp_destroy,
    .value = mlp_value,
    .grad = mlp_grad,
    .sample_grad = mlp_sample_grad,
    .smoothness = NULL,
    .hessian_lipschitz = NULL,
};

/* Sizes before create() (sizes.h): inputs and targets (N x in, N x out),
 * the hidden activations and their derivatives (N x hidden each), the
 * residuals; the parameter is [[hidden, in], [out, hidden]]. */
int ntr_mlp_estimate(const ntr_kv *kv, const ntr_problem_env *env, ntr_problem_estimate *est,
                     ntr_error *err)
{
    long hid = 16, samples;
    size_t in = 8, out = 4, N, rows, cols, trows, tcols;
    if (ntr_kv_long(kv, "hidden", 16, 1, 1L << 20, &hid, err) != 0 ||
        ntr_kv_long(kv, "samples", 256, 1, 1L << 26, &samples, err) != 0)
        return -1;
    N = (size_t)samples;
    const char *n_key = "samples";
    ntr_pb_csv_bounds(kv, "inputs", &rows, &cols);
    if (cols > 0) {
        N = rows, in = cols, n_key = "inputs";
        ntr_pb_csv_bounds(kv, "targets", &trows, &tcols);
        if (tcols > 0)
            out = tcols;
    }
    if (env->shape.nblocks == 2) {
        hid = (long)env->shape.rows[0];
        in = env->shape.cols[0];
        out = env->shape.rows[1];
    }
    double dN = (double)N, dh = (double)hid;
    est->bytes = 8 * (dN * ((double)in + 2 * (double)out + 2 * dh) + 3 * dh + (double)out +
                      2 * dh * (double)(in + out));
    memset(&est->layout, 0, sizeof est->layout);
    ntr_layout_add(&est->layout, (size_t)hid, in);
    ntr_layout_add(&est->layout, out, (size_t)hid);
    /* N x hidden is the largest part: the larger factor drives it */
    est->key = dh >= dN ? (env->shape.nblocks == 2 ? "blocks" : "hidden") : n_key;
    return 0;
}

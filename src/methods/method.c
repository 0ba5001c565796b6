/* method.c: what every optimisation method shares (see method.h and
 * method_impl.h).
 *
 * ntr_method_alloc checks the options, allocates the type's private state
 * and its vectors and every common buffer once (zeroed) and precomputes the
 * per-block shape factors; ntr_method_start resets the state at x0;
 * ntr_method_query_point and ntr_method_step implement extrapolation
 * generically, so a method file only writes its own update:
 *
 *   z_k = x_k + ((1 - alpha)/alpha) (x_k - x_{k-1}),   x_{-1} = x_0,
 *
 * (the coefficient times 1 + extrapolation_error: a deliberate mis-setting
 * for negative controls, 0 unless a config asks for it),
 * with x_{k-1} recorded by ntr_method_step before the method moves x.  The
 * helpers ntr_method_sharp (block-wise sharp times the shape factor) and
 * ntr_method_apply (decoupled weight decay and the step) keep the method
 * files short.  Nothing here allocates after ntr_method_alloc. */
#include "methods/method_impl.h"
#include "base/registry.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const ntr_method_type *ntr_method_lookup(const char *name)
{
    if (!name)
        return NULL;
    const char *names[NTR_REGISTRY_MAX];
    NTR_REGISTRY_NAMES(ntr_method_types, names);
    int i = ntr_registry_index(names, name);
    return i < 0 ? NULL : ntr_method_types[i];
}

int ntr_method_find(const char *name, const char *what, ntr_pos pos, const ntr_method_type **out,
                    ntr_error *err)
{
    const char *names[NTR_REGISTRY_MAX];
    NTR_REGISTRY_NAMES(ntr_method_types, names);
    int i = ntr_registry_find(names, name, what, pos, err);
    if (i < 0)
        return -1;
    *out = ntr_method_types[i];
    return 0;
}

/* Shape factor of a rows x cols block for opts.scale. */
static double shape_factor(int scale, size_t rows, size_t cols)
{
    double r = (double)rows, c = (double)cols;
    switch (scale) {
    case NTR_SCALE_JORDAN:
        return sqrt(fmax(1.0, r / c));
    case NTR_SCALE_RMS_MATCH:
        return 0.2 * sqrt(fmax(r, c));
    default:
        return 1.0;
    }
}

int ntr_method_type_nvec(const ntr_method_type *t)
{
    int n = 0;
    while (t->vecs && t->vecs[n] != NTR_METHOD_VECS_END)
        n++;
    return n;
}

static int has_momentum(const ntr_method_type *t)
{
    return ntr_method_type_nvec(t) > 0;
}

double *ntr_method_state_vec(const ntr_method *m, int i)
{
    double *v;
    memcpy(&v, (const char *)m->state + m->type->vecs[i], sizeof v);
    return v;
}

/* Point the i-th vector member of the state struct at v. */
static void set_state_vec(ntr_method *m, int i, double *v)
{
    memcpy((char *)m->state + m->type->vecs[i], &v, sizeof v);
}

static int check_opts(const ntr_method_type *t, const ntr_method_opts *o, ntr_error *err)
{
    if ((has_momentum(t) || o->extrapolation) &&
        !(isfinite(o->alpha) && o->alpha > 0.0 && o->alpha <= 1.0))
        return ntr_fail(err, NTR_E_INPUT, "method %s: alpha must be in (0, 1], got %g", t->name,
                        o->alpha);
    if (!(isfinite(o->extrapolation_error) && o->extrapolation_error >= -1.0 &&
          o->extrapolation_error <= 10.0))
        return ntr_fail(err, NTR_E_INPUT, "method %s: extrapolation_error must be in [-1, 10], got %g",
                        t->name, o->extrapolation_error);
    if (!(isfinite(o->weight_decay) && o->weight_decay >= 0.0))
        return ntr_fail(err, NTR_E_INPUT, "method %s: weight_decay must be >= 0, got %g", t->name,
                        o->weight_decay);
    if (o->scale != NTR_SCALE_NONE && o->scale != NTR_SCALE_JORDAN && o->scale != NTR_SCALE_RMS_MATCH)
        return ntr_fail(err, NTR_E_INPUT, "method %s: unknown scale %d", t->name, o->scale);
    return ntr_method_check(t, o, NULL, err);
}


ntr_pos ntr_method_key_pos(const ntr_kv *kv, const char *key)
{
    if (kv)
        return ntr_kv_pos(kv, key);
    ntr_pos none = {NULL, 0, 0};
    return none;
}

int ntr_method_check(const ntr_method_type *t, const ntr_method_opts *o, const ntr_kv *kv,
                     ntr_error *err)
{
    if (o->nesterov && !t->nesterov) {
        char list[256] = "";
        size_t used = 0;
        for (size_t i = 0; ntr_method_types[i] && used < sizeof list; i++)
            if (ntr_method_types[i]->nesterov)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                                         ntr_method_types[i]->name);
        return ntr_fail_at(err, ntr_method_key_pos(kv, "nesterov"),
                           "method.nesterov applies to methods with momentum (%s), not %s", list,
                           t->name);
    }
    return t->check ? t->check(kv, o, err) : 0;
}

static double *alloc_vec(size_t n)
{
    return calloc(n, sizeof(double));
}

int ntr_method_alloc(const ntr_method_type *t, const ntr_method_opts *o, const ntr_layout *lay,
                     ntr_norm *norm, ntr_method **out, ntr_error *err)
{
    *out = NULL;
    if (!t || !o || !lay)
        return ntr_fail(err, NTR_E_INTERNAL, "ntr_method_alloc: missing argument");
    if (lay->nblocks < 1 || lay->nblocks > NTR_MAX_BLOCKS || lay->dim == 0)
        return ntr_fail(err, NTR_E_INTERNAL, "method %s: empty layout", t->name);
    for (int i = 0; i < ntr_method_type_nvec(t); i++)
        if (t->vecs[i] > t->size || t->size - t->vecs[i] < sizeof(double *))
            return ntr_fail(err, NTR_E_INTERNAL, "method %s: state vector %d outside its state",
                            t->name, i);
    if (t->uses_norm && !norm)
        return ntr_fail(err, NTR_E_INTERNAL, "method %s needs a norm", t->name);
    if (check_opts(t, o, err) < 0)
        return -1;

    ntr_method *m = calloc(1, sizeof *m);
    if (!m)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    m->type = t;
    m->opts = *o;
    m->layout = *lay;
    m->norm = norm;
    m->dim = lay->dim;
    int ok = 1;
    if (t->size > 0) {
        ok = (m->state = calloc(1, t->size)) != NULL;
        for (int i = 0; ok && i < ntr_method_type_nvec(t); i++) {
            double *v = alloc_vec(m->dim);
            set_state_vec(m, i, v);
            ok &= v != NULL;
        }
    }
    ok &= (m->dir = alloc_vec(m->dim)) != NULL;
    ok &= (m->sharp = alloc_vec(m->dim)) != NULL;
    if (o->extrapolation) {
        ok &= (m->x_prev = alloc_vec(m->dim)) != NULL;
        ok &= (m->z = alloc_vec(m->dim)) != NULL;
    }
    if (!ok) {
        ntr_method_free(m);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory (method %s, dimension %zu)", t->name,
                        lay->dim);
    }
    for (int i = 0; i < NTR_MAX_BLOCKS; i++)
        m->block_scale[i] =
            i < lay->nblocks ? shape_factor(o->scale, lay->rows[i], lay->cols[i]) : 1.0;
    *out = m;
    return 0;
}

void ntr_method_free(ntr_method *m)
{
    if (!m)
        return;
    for (int i = 0; m->state && i < ntr_method_type_nvec(m->type); i++)
        free(ntr_method_state_vec(m, i));
    free(m->state);
    free(m->dir);
    free(m->sharp);
    free(m->x_prev);
    free(m->z);
    free(m);
}

int ntr_method_start(ntr_method *m, const double *x0, const double *g0, ntr_error *err)
{
    size_t bytes = m->dim * sizeof(double);
    m->k = 0;
    m->m0_sampled = m->opts.m0_sample && g0 != NULL;
    for (int i = 0; i < ntr_method_type_nvec(m->type); i++)
        memset(ntr_method_state_vec(m, i), 0, bytes);
    memset(m->dir, 0, bytes);
    memset(m->sharp, 0, bytes);
    if (m->opts.extrapolation) {
        memcpy(m->x_prev, x0, bytes); /* x_{-1} = x_0, so z_0 = x_0 */
        memcpy(m->z, x0, bytes);
    }
    return m->type->start ? m->type->start(m->state, m, x0, m->m0_sampled ? g0 : NULL, err) : 0;
}

const double *ntr_method_query_point(ntr_method *m, const double *x)
{
    if (!m->opts.extrapolation || m->k == 0)
        return x; /* z_0 = x_0, also before start() (the runner samples g0 there) */
    double c = (1.0 + m->opts.extrapolation_error) * (1.0 - m->opts.alpha) / m->opts.alpha;
    const double *xp = m->x_prev;
    double *z = m->z;
    for (size_t j = 0; j < m->dim; j++)
        z[j] = x[j] + c * (x[j] - xp[j]);
    return z;
}

int ntr_method_step(ntr_method *m, double *x, const double *g, double eta, ntr_error *err)
{
    if (m->opts.extrapolation)
        memcpy(m->x_prev, x, m->dim * sizeof(double));
    int rc = m->type->step(m->state, m, x, g, eta, err);
    if (rc != 0)
        return rc;
    m->k++;
    return 0;
}

const double *ntr_method_momentum(const ntr_method *m)
{
    return m->type->momentum ? m->type->momentum(m->state) : NULL;
}

const ntr_method_type *ntr_method_get_type(const ntr_method *m)
{
    return m->type;
}

long ntr_method_steps(const ntr_method *m)
{
    return m->k;
}

int ntr_method_sharp(ntr_method *m, const double *d, double *out, ntr_error *err)
{
    int rc = ntr_norm_sharp(m->norm, d, out, err);
    if (rc != 0)
        return rc;
    const ntr_layout *lay = &m->layout;
    for (int i = 0; i < lay->nblocks; i++) {
        double s = m->block_scale[i];
        if (s == 1.0)
            continue;
        double *b = out + lay->off[i];
        size_t n = lay->rows[i] * lay->cols[i];
        for (size_t j = 0; j < n; j++)
            b[j] *= s;
    }
    return 0;
}

/* The element-wise loops of the helpers below run on distinct buffers (the
 * method's own, the runner's x and g), hence the `restrict` parameters; they
 * are unrolled by two so that the compiler pairs them into vector
 * instructions.  Each element is computed by the same operations in the
 * same order as a plain loop, so the results are the same to the bit. */
static void shrink_step(double *restrict x, const double *restrict step, size_t n, double shrink,
                        double eta)
{
    size_t j = 0;
    for (; j + 2 <= n; j += 2) {
        x[j] = shrink * x[j] - eta * step[j];
        x[j + 1] = shrink * x[j + 1] - eta * step[j + 1];
    }
    for (; j < n; j++)
        x[j] = shrink * x[j] - eta * step[j];
}

/* avg = b avg + a v. */
static void mix_into(double *restrict avg, const double *restrict v, size_t n, double b, double a)
{
    size_t j = 0;
    for (; j + 2 <= n; j += 2) {
        avg[j] = b * avg[j] + a * v[j];
        avg[j + 1] = b * avg[j + 1] + a * v[j + 1];
    }
    for (; j < n; j++)
        avg[j] = b * avg[j] + a * v[j];
}

/* out = b u + a v. */
static void mix(double *restrict out, const double *restrict u, const double *restrict v,
                size_t n, double b, double a)
{
    size_t j = 0;
    for (; j + 2 <= n; j += 2) {
        out[j] = b * u[j] + a * v[j];
        out[j + 1] = b * u[j + 1] + a * v[j + 1];
    }
    for (; j < n; j++)
        out[j] = b * u[j] + a * v[j];
}

void ntr_method_apply(ntr_method *m, double *x, const double *step, double eta)
{
    shrink_step(x, step, m->dim, 1.0 - eta * m->opts.weight_decay, eta);
}

void ntr_method_ema(const ntr_method *m, double *avg, const double *v)
{
    double a = m->opts.alpha;
    mix_into(avg, v, m->dim, 1.0 - a, a);
}

const double *ntr_method_direction(ntr_method *m, const double *avg, const double *v)
{
    if (!m->opts.nesterov)
        return avg;
    double a = m->opts.alpha;
    mix(m->dir, avg, v, m->dim, 1.0 - a, a);
    return m->dir;
}

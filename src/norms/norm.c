/* norm.c: a norm over a multi-block layout (the max rule of norm.h) and the
 * registry lookup.
 *
 *     ||x||   = max_i ||x_i||          ||g||_* = sum_i ||g_i||_*
 *     g#      = (g_1#, ..., g_B#)      rho = sqrt(sum rho_i^2), c = sqrt(sum c_i^2)
 *
 * The dual pair is right: sum_i <g_i, u_i> <= sum_i ||g_i||_* when every
 * ||u_i|| <= 1, with equality at the block-wise sharp.  The constants follow
 * from Cauchy-Schwarz over blocks.
 *
 * Per-block states (workspaces) are allocated once; blocks of the same shape
 * share one, since an ntr_norm works on one block at a time. */
#include "norms/norm.h"
#include "base/registry.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ntr_norm {
    const ntr_norm_type *type;
    ntr_layout lay;
    void *state[NTR_MAX_BLOCKS];
    int owner[NTR_MAX_BLOCKS]; /* 1: block i allocated state[i] and frees it */
};

const ntr_norm_type *ntr_norm_lookup(const char *name)
{
    const char *names[NTR_REGISTRY_MAX];
    NTR_REGISTRY_NAMES(ntr_norm_types, names);
    int i = ntr_registry_index(names, name);
    return i < 0 ? NULL : ntr_norm_types[i];
}

int ntr_norm_find(const char *name, const char *what, ntr_pos pos, const ntr_norm_type **out,
                    ntr_error *err)
{
    const char *names[NTR_REGISTRY_MAX];
    NTR_REGISTRY_NAMES(ntr_norm_types, names);
    int i = ntr_registry_find(names, name, what, pos, err);
    if (i < 0)
        return -1;
    *out = ntr_norm_types[i];
    return 0;
}

int ntr_norm_alloc(const ntr_norm_type *t, const ntr_lmo_opts *o, const ntr_layout *lay,
                   ntr_norm **out, ntr_error *err)
{
    *out = NULL;
    if (lay->nblocks < 1 || lay->nblocks > NTR_MAX_BLOCKS)
        return ntr_fail(err, NTR_E_INTERNAL, "norm over a layout of %d blocks", lay->nblocks);
    ntr_norm *n = calloc(1, sizeof *n);
    if (!n)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    n->type = t;
    n->lay = *lay;
    for (int i = 0; i < lay->nblocks && t->alloc; i++) {
        int same = -1;
        for (int j = 0; j < i && same < 0; j++)
            if (lay->rows[j] == lay->rows[i] && lay->cols[j] == lay->cols[i])
                same = j;
        if (same >= 0) {
            n->state[i] = n->state[same];
            continue;
        }
        if (t->alloc(lay->rows[i], lay->cols[i], o, &n->state[i], err)) {
            ntr_norm_free(n);
            return -1;
        }
        n->owner[i] = 1;
    }
    *out = n;
    return 0;
}

void ntr_norm_free(ntr_norm *n)
{
    if (!n)
        return;
    for (int i = 0; i < n->lay.nblocks; i++)
        if (n->owner[i] && n->type->free)
            n->type->free(n->state[i]);
    free(n);
}

const ntr_norm_type *ntr_norm_get_type(const ntr_norm *n)
{
    return n->type;
}

double ntr_norm_block_value(ntr_norm *n, int i, const double *x_block)
{
    return n->type->value(x_block, n->lay.rows[i], n->lay.cols[i], n->state[i]);
}

double ntr_norm_block_dual(ntr_norm *n, int i, const double *g_block)
{
    return n->type->dual(g_block, n->lay.rows[i], n->lay.cols[i], n->state[i]);
}

/* The max over blocks; a NaN block value makes the whole value NaN. */
double ntr_norm_value(ntr_norm *n, const double *x)
{
    double m = 0.0;
    for (int i = 0; i < n->lay.nblocks; i++) {
        double v = ntr_norm_block_value(n, i, x + n->lay.off[i]);
        if (v > m || isnan(v))
            m = v;
        if (isnan(m))
            break;
    }
    return m;
}

double ntr_norm_dual(ntr_norm *n, const double *g)
{
    double sum = 0.0;
    for (int i = 0; i < n->lay.nblocks; i++)
        sum += ntr_norm_block_dual(n, i, g + n->lay.off[i]);
    return sum;
}

static void fill_nan(double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = NAN;
}

int ntr_norm_sharp_failed(const double *g, double *out, size_t n, const char *why,
                          ntr_error *err)
{
    int finite = 1;
    for (size_t i = 0; i < n && finite; i++)
        finite = isfinite(g[i]);
    fill_nan(out, n);
    if (!finite) {
        ntr_fail(err, NTR_E_NUMERIC, "its input holds a NaN or an infinity");
        return NTR_SHARP_NONFINITE;
    }
    ntr_fail(err, NTR_E_NUMERIC, "%s", why);
    return NTR_SHARP_FAILED;
}

int ntr_norm_sharp(ntr_norm *n, const double *g, double *out, ntr_error *err)
{
    for (int i = 0; i < n->lay.nblocks; i++) {
        size_t off = n->lay.off[i], rows = n->lay.rows[i], cols = n->lay.cols[i];
        ntr_error why; /* not zeroed: this runs at every step */
        why.msg[0] = '\0';
        int rc = n->type->sharp(g + off, out + off, rows, cols, n->state[i], &why);
        if (rc == 0)
            continue;
        fill_nan(out, n->lay.dim);
        ntr_fail(err, NTR_E_NUMERIC, "%s sharp of block %d (%zu x %zu): %s",
                 n->type->name, i + 1, rows, cols, why.msg);
        return rc;
    }
    return 0;
}

double ntr_norm_rho(const ntr_norm *n)
{
    double s = 0.0;
    for (int i = 0; i < n->lay.nblocks; i++) {
        double r = n->type->rho(n->lay.rows[i], n->lay.cols[i]);
        s += r * r;
    }
    return sqrt(s);
}

double ntr_norm_l2_bound(const ntr_norm *n)
{
    double s = 0.0;
    for (int i = 0; i < n->lay.nblocks; i++) {
        double c = n->type->l2_bound(n->lay.rows[i], n->lay.cols[i]);
        s += c * c;
    }
    return sqrt(s);
}

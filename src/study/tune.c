/* tune.c: reading tuning grids, their points, and choosing the best point
 * of a group with the bracket check (see tune.h). */
#include "study/tune.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_emit.h"

/* Keys whose values have a natural end the grid cannot pass. */
static const struct {
    const char *key;
    double lo, hi;
} domains[] = {
    {"method.alpha", 0.0, 1.0},
    {"noise.batch", 1.0, INFINITY},
    {"method.weight_decay", 0.0, INFINITY},
};

static void set_domain(ntr_tune_axis *a)
{
    a->domain_lo = -INFINITY;
    a->domain_hi = INFINITY;
    for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++)
        if (strcmp(a->key, domains[i].key) == 0) {
            a->domain_lo = domains[i].lo;
            a->domain_hi = domains[i].hi;
        }
}

void ntr_tune_empty(ntr_tune_grid *g) { memset(g, 0, sizeof *g); }

static int read_logspace(ntr_tune_axis *a, const ntr_node *ls, const char *what, ntr_error *err)
{
    if (ls->kind != NTR_NODE_SEQ || ls->n != 3)
        return ntr_fail_at(err, ls->pos, "%s.%s.logspace must be [first, last, count]", what,
                           a->key);
    double x0, x1, n;
    if (ntr_node_as_double(ls->items[0], "logspace first", &x0, err) != 0 ||
        ntr_node_as_double(ls->items[1], "logspace last", &x1, err) != 0 ||
        ntr_node_as_double(ls->items[2], "logspace count", &n, err) != 0)
        return -1;
    if (!(x0 > 0 && x1 > 0 && isfinite(x0) && isfinite(x1)))
        return ntr_fail_at(err, ls->pos, "%s.%s.logspace: the ends must be positive", what,
                           a->key);
    if (n != floor(n) || n < 1 || n > NTR_TUNE_MAX_VALUES || (n == 1 && x0 != x1))
        return ntr_fail_at(err, ls->items[2]->pos, "%s.%s.logspace count must be an integer from "
                                                   "2 to %d",
                           what, a->key, NTR_TUNE_MAX_VALUES);
    a->n = (size_t)n;
    for (size_t i = 0; i < a->n; i++) {
        a->value[i] = a->n == 1 ? x0 : exp(log(x0) + (log(x1) - log(x0)) * (double)i / (n - 1));
        a->node[i] = NULL;
    }
    a->value[0] = x0;
    a->value[a->n - 1] = x1;
    a->numeric = 1;
    return 0;
}

static int read_list(ntr_tune_axis *a, const ntr_node *list, const char *what, ntr_error *err)
{
    if (list->kind != NTR_NODE_SEQ || list->n == 0 || list->n > NTR_TUNE_MAX_VALUES)
        return ntr_fail_at(err, list->pos, "%s.%s must be a list of 1 to %d values, "
                                           "{logspace: [first, last, count]} or {values: [...], "
                                           "around: EXPR}",
                           what, a->key, NTR_TUNE_MAX_VALUES);
    a->n = list->n;
    a->numeric = 1;
    for (size_t i = 0; i < a->n; i++) {
        const ntr_node *v = list->items[i];
        if (v->kind != NTR_NODE_SCALAR)
            return ntr_fail_at(err, v->pos, "%s.%s: a tuning value must be a single value", what,
                               a->key);
        a->node[i] = v;
        char *end;
        double x = strtod(v->text, &end);
        if (v->quoted || end == v->text || *end || !isfinite(x)) {
            a->numeric = 0;
            a->value[i] = NAN;
        } else {
            a->value[i] = x;
        }
    }
    return 0;
}

/* Numbers in increasing order (the bracket check's low and high ends);
 * a value given twice is an error. */
static int sort_axis(ntr_tune_axis *a, const char *what, ntr_error *err)
{
    if (!a->numeric)
        return 0;
    size_t order[NTR_TUNE_MAX_VALUES];
    for (size_t i = 0; i < a->n; i++) /* insertion sort of at most 32 indices */
        for (size_t j = i; ; j--) {
            if (j == 0 || a->value[order[j - 1]] <= a->value[i]) {
                memmove(order + j + 1, order + j, (i - j) * sizeof order[0]);
                order[j] = i;
                break;
            }
        }
    double v[NTR_TUNE_MAX_VALUES] = {0};
    const ntr_node *nd[NTR_TUNE_MAX_VALUES] = {NULL};
    for (size_t i = 0; i < a->n; i++) {
        v[i] = a->value[order[i]];
        nd[i] = a->node[order[i]];
        if (i > 0 && v[i] == v[i - 1])
            return ntr_fail_at(err, a->pos, "%s.%s: %g appears twice", what, a->key, v[i]);
    }
    memcpy(a->value, v, a->n * sizeof v[0]);
    memcpy(a->node, nd, a->n * sizeof nd[0]);
    return 0;
}

static int read_axis(ntr_tune_axis *a, const ntr_node *spec, const char *what, ntr_error *err)
{
    if (spec->kind != NTR_NODE_MAP)
        return read_list(a, spec, what, err);
    char section[160];
    snprintf(section, sizeof section, "%s.%s", what, a->key);
    ntr_kv kv = {spec, section, NULL};
    static const char *const allowed[] = {"values", "logspace", "around", NULL};
    if (ntr_kv_check_keys(&kv, allowed, err) != 0)
        return -1;
    const ntr_node *vals = ntr_node_get(spec, "values"), *ls = ntr_node_get(spec, "logspace");
    const ntr_node *around = ntr_node_get(spec, "around");
    if (!vals == !ls)
        return ntr_fail_at(err, spec->pos, "%s: give values: [...] or logspace: [first, last, "
                                           "count]",
                           section);
    if ((vals ? read_list(a, vals, what, err) : read_logspace(a, ls, what, err)) != 0)
        return -1;
    if (around) {
        if (around->kind != NTR_NODE_SCALAR || !*around->text)
            return ntr_fail_at(err, around->pos, "%s.around must be an expression", section);
        if (!a->numeric)
            return ntr_fail_at(err, spec->pos, "%s: with around, the values are multipliers "
                                               "(numbers)",
                               section);
        if (strlen(around->text) >= sizeof a->around)
            return ntr_fail_at(err, around->pos, "%s.around is too long", section);
        snprintf(a->around, sizeof a->around, "%s", around->text);
        a->around_pos = around->pos;
        for (size_t i = 0; i < a->n; i++)
            if (!(a->value[i] > 0))
                return ntr_fail_at(err, a->node[i] ? a->node[i]->pos : spec->pos,
                                   "%s: a multiplier must be positive", section);
    }
    return 0;
}

int ntr_tune_read(const ntr_node *tune, const char *what, const ntr_plan_builder *b,
                  ntr_tune_grid *g, ntr_error *err)
{
    ntr_tune_empty(g);
    if (tune->kind != NTR_NODE_MAP || tune->n == 0 || tune->n > NTR_TUNE_MAX_KEYS)
        return ntr_fail_at(err, tune->pos, "%s must map 1 to %d config keys to lists of values",
                           what, NTR_TUNE_MAX_KEYS);
    for (size_t i = 0; i < tune->n; i++) {
        const char *k = tune->keys[i];
        if (!strcmp(k, "name") || !strncmp(k, "sweep", 5) || !strcmp(k, "seeds") ||
            !strncmp(k, "study", 5) || !strncmp(k, "union", 5) || !strcmp(k, "seed"))
            return ntr_fail_at(err, tune->key_pos[i], "%s: '%s' cannot be tuned", what, k);
        if (strlen(k) >= sizeof g->axis[0].key)
            return ntr_fail_at(err, tune->key_pos[i], "%s: key too long", what);
        if (b && ntr_pb_pinned(b, k)) {
            snprintf(g->pinned[g->npinned++], sizeof g->pinned[0], "%s", k);
            continue;
        }
        ntr_tune_axis *a = &g->axis[g->naxes];
        memset(a, 0, sizeof *a);
        snprintf(a->key, sizeof a->key, "%s", k);
        a->pos = tune->key_pos[i];
        set_domain(a);
        if (read_axis(a, tune->items[i], what, err) != 0 || sort_axis(a, what, err) != 0)
            return -1;
        g->naxes++;
    }
    return 0;
}

size_t ntr_tune_npoints(const ntr_tune_grid *g)
{
    size_t n = 1;
    for (size_t i = 0; i < g->naxes; i++)
        n *= g->axis[i].n;
    return n;
}

void ntr_tune_coords(const ntr_tune_grid *g, size_t idx, size_t *coord)
{
    for (size_t i = g->naxes; i > 0; i--) {
        size_t n = g->axis[i - 1].n ? g->axis[i - 1].n : 1; /* an axis has values */
        coord[i - 1] = idx % n;
        idx /= n;
    }
}

double ntr_tune_value(const ntr_tune_axis *a, size_t i, double centre)
{
    return a->around[0] ? a->value[i] * centre : a->value[i];
}

int ntr_tune_assigns_make(const ntr_tune_grid *g, size_t idx, const double *centre,
                          ntr_tune_assigns *out, ntr_error *err)
{
    size_t coord[NTR_TUNE_MAX_KEYS];
    ntr_tune_coords(g, idx, coord);
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < g->naxes; i++) {
        const ntr_tune_axis *a = &g->axis[i];
        size_t j = coord[i];
        ntr_node *v;
        if (a->around[0]) {
            double c = centre ? centre[i] : NAN;
            if (!(c > 0 && isfinite(c))) {
                ntr_tune_assigns_free(out);
                return ntr_fail_at(err, a->around_pos, "tuning %s: the centre %s is %g, not a "
                                                       "positive number",
                                   a->key, a->around, c);
            }
            v = ntr_yaml_number_node(a->value[j] * c, a->pos);
        } else {
            v = a->node[j] ? ntr_node_clone(a->node[j]) : ntr_yaml_number_node(a->value[j], a->pos);
        }
        if (!v) {
            ntr_tune_assigns_free(out);
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
        out->own[out->n] = v;
        out->a[out->n].key = a->key;
        out->a[out->n].val = v;
        out->n++;
    }
    return 0;
}

void ntr_tune_assigns_free(ntr_tune_assigns *out)
{
    for (size_t i = 0; i < out->n; i++)
        ntr_node_free(out->own[i]);
    out->n = 0;
}

void ntr_tune_label(const ntr_tune_grid *g, size_t idx, char *buf, size_t size)
{
    size_t coord[NTR_TUNE_MAX_KEYS], used = 0;
    ntr_tune_coords(g, idx, coord);
    buf[0] = '\0';
    for (size_t i = 0; i < g->naxes && used < size; i++) {
        const ntr_tune_axis *a = &g->axis[i];
        const char *last = strrchr(a->key, '.');
        last = last ? last + 1 : a->key;
        size_t j = coord[i];
        int n;
        if (a->around[0])
            n = snprintf(buf + used, size - used, "%s%s=%gx", used ? " " : "", last, a->value[j]);
        else if (a->node[j])
            n = snprintf(buf + used, size - used, "%s%s=%s", used ? " " : "", last,
                         a->node[j]->text);
        else if (a->text[j][0])
            n = snprintf(buf + used, size - used, "%s%s=%s", used ? " " : "", last, a->text[j]);
        else
            n = snprintf(buf + used, size - used, "%s%s=%.4g", used ? " " : "", last, a->value[j]);
        if (n < 0)
            return;
        used += (size_t)n;
    }
}

int ntr_tune_observed(const char *const *keys, size_t nkeys, const char *const *values,
                      size_t ncells, ntr_tune_grid *g, size_t *point, ntr_error *err)
{
    ntr_tune_empty(g);
    if (nkeys > NTR_TUNE_MAX_KEYS)
        return ntr_fail(err, NTR_E_INTERNAL, "ntr_tune_observed: more than %d keys",
                        NTR_TUNE_MAX_KEYS);
    const char *text[NTR_TUNE_MAX_KEYS][NTR_TUNE_MAX_VALUES];
    for (size_t a = 0; a < NTR_TUNE_MAX_KEYS; a++)
        for (size_t j = 0; j < NTR_TUNE_MAX_VALUES; j++)
            text[a][j] = ""; /* a key without cells has one empty value */
    for (size_t a = 0; a < nkeys; a++) {
        ntr_tune_axis *ax = &g->axis[a];
        memset(ax, 0, sizeof *ax);
        snprintf(ax->key, sizeof ax->key, "%s", keys[a]);
        set_domain(ax);
        ax->numeric = 1;
        for (size_t c = 0; c < ncells; c++) {
            const char *v = values[c * nkeys + a];
            size_t j = 0;
            while (j < ax->n && strcmp(text[a][j], v) != 0)
                j++;
            if (j < ax->n)
                continue;
            if (ax->n == NTR_TUNE_MAX_VALUES)
                return ntr_fail(err, NTR_E_INPUT, "tuning key %s takes more than %d values",
                                keys[a], NTR_TUNE_MAX_VALUES);
            char *end;
            double x = strtod(v, &end);
            text[a][ax->n] = v;
            ax->value[ax->n] = end == v || *end || !isfinite(x) ? NAN : x;
            ax->numeric &= !isnan(ax->value[ax->n]);
            ax->n++;
        }
        if (ax->numeric) { /* sort the values and their texts together */
            for (size_t i = 1; i < ax->n; i++)
                for (size_t j = i; j > 0 && ax->value[j - 1] > ax->value[j]; j--) {
                    double tv = ax->value[j];
                    ax->value[j] = ax->value[j - 1];
                    ax->value[j - 1] = tv;
                    const char *tt = text[a][j];
                    text[a][j] = text[a][j - 1];
                    text[a][j - 1] = tt;
                }
        }
        if (ax->n == 0)
            ax->n = 1;
    }
    g->naxes = nkeys;
    for (size_t a = 0; a < nkeys; a++)
        for (size_t j = 0; j < g->axis[a].n && ncells; j++)
            snprintf(g->axis[a].text[j], sizeof g->axis[a].text[j], "%s", text[a][j]);
    for (size_t c = 0; c < ncells; c++) {
        size_t idx = 0;
        for (size_t a = 0; a < nkeys; a++) {
            size_t j = 0;
            while (j + 1 < g->axis[a].n && strcmp(text[a][j], values[c * nkeys + a]) != 0)
                j++;
            idx = idx * g->axis[a].n + j;
        }
        point[c] = idx;
    }
    return 0;
}

/* ---- the best point ------------------------------------------------------ */

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

double ntr_tune_score(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    for (size_t i = 0; i < n; i++)
        if (isnan(v[i]))
            return NAN;
    qsort(v, n, sizeof v[0], cmp_double);
    double lo = v[(n - 1) / 2], hi = v[n / 2];
    if (isinf(hi))
        return INFINITY;
    return 0.5 * (lo + hi);
}

/* The edge flag of axis a at index j with its value there. */
static int edge_of(const ntr_tune_axis *a, size_t j, double centre)
{
    if (!a->numeric || a->n < 2)
        return 0;
    if (j != 0 && j != a->n - 1)
        return 0;
    double v = ntr_tune_value(a, j, centre);
    double tol = 1e-12 * fmax(1.0, fabs(v));
    if (j == 0 && fabs(v - a->domain_lo) <= tol)
        return 0; /* at the key's own lower end */
    if (j == a->n - 1 && fabs(v - a->domain_hi) <= tol)
        return 0;
    return j == 0 ? -1 : 1;
}

static int n_edges(const ntr_tune_grid *g, size_t idx, const double *centre)
{
    size_t coord[NTR_TUNE_MAX_KEYS];
    ntr_tune_coords(g, idx, coord);
    int n = 0;
    for (size_t i = 0; i < g->naxes; i++)
        n += edge_of(&g->axis[i], coord[i], centre ? centre[i] : NAN) != 0;
    return n;
}

void ntr_tune_select(const ntr_tune_grid *g, const double *score, const double *centre,
                     double flat, ntr_tune_choice *out)
{
    memset(out, 0, sizeof *out);
    size_t np = ntr_tune_npoints(g);
    out->complete = 1;
    out->score = INFINITY;
    int best_edges = 0;
    for (size_t i = 0; i < np; i++) {
        if (isnan(score[i])) {
            out->complete = 0;
            continue;
        }
        if (!isfinite(score[i]))
            continue;
        int e = n_edges(g, i, centre);
        /* lower score wins; among equal scores, the point with fewer edges */
        if (!out->found || score[i] < out->score || (score[i] == out->score && e < best_edges)) {
            out->found = 1;
            out->best = i;
            out->score = score[i];
            best_edges = e;
        }
    }
    if (!out->found) {
        snprintf(out->why, sizeof out->why, "%s",
                 out->complete ? "no point of the grid reached the target"
                               : "no point reached the target yet (cells not run)");
        return;
    }
    ntr_tune_coords(g, out->best, out->coord);
    size_t used = 0;
    out->edge_any = 0;
    for (size_t i = 0; i < g->naxes; i++) {
        const ntr_tune_axis *a = &g->axis[i];
        double c = centre ? centre[i] : NAN;
        out->edge[i] = edge_of(a, out->coord[i], c);
        out->edge_any |= out->edge[i] != 0;
        if (out->edge[i] && used < sizeof out->why)
            used += (size_t)snprintf(out->why + used, sizeof out->why - used,
                                     "%sbest %s at the grid's %s end (%.4g)", used ? "; " : "",
                                     a->key, out->edge[i] < 0 ? "low" : "high",
                                     ntr_tune_value(a, out->coord[i], c));
    }
    if (used > 0) { /* on an edge: a plateau when a point on no edge is within flat */
        double inner = INFINITY;
        for (size_t i = 0; i < np; i++)
            if (isfinite(score[i]) && n_edges(g, i, centre) == 0)
                inner = fmin(inner, score[i]);
        out->plateau = inner <= out->score * (1.0 + flat);
        if (out->plateau && used < sizeof out->why)
            used += (size_t)snprintf(out->why + used, sizeof out->why - used,
                                     ", but a point inside the grid scores within %g%% of it "
                                     "(%.6g): a plateau",
                                     100.0 * flat, inner);
    }
    if (!out->complete && used < sizeof out->why)
        snprintf(out->why + used, sizeof out->why - used, "%ssome cells not run yet",
                 used ? "; " : "");
    out->bracketed = out->complete && (!out->edge_any || out->plateau);
}

/* compare.c: the comparison study type: reading its block and expanding
 * its grid into plan points (see compare.h). */
#include "study/compare/compare.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const ntr_cmp_kind_names[] = {"lower", "falls",      "stalls", "decrease",
                                          "bound", "growth",     "grad_bound", "rises", NULL};

static const char *const study_keys[] = {"type", "over", "seeds", "window", "columns", "checks",
                                         NULL};
static const char *const traj_columns[] = {"f",       "gap",           "grad_dual", "grad_l2",
                                           "min_grad_dual", "x_norm", "x_fro",  "mom_err",
                                           "avg_grad_dual", "grad_l1", NULL};

static int read_column(const ntr_node *n, const char *what, char *out, size_t size,
                       ntr_error *err)
{
    if (!n || n->kind != NTR_NODE_SCALAR)
        return ntr_fail_at(err, n ? n->pos : (ntr_pos){NULL, 0, 0},
                           "%s must name a trajectory column", what);
    for (size_t i = 0; traj_columns[i]; i++)
        if (strcmp(n->text, traj_columns[i]) == 0) {
            snprintf(out, size, "%s", n->text);
            return 0;
        }
    const char *near = ntr_nearest(n->text, traj_columns);
    return ntr_fail_at(err, n->pos, "%s: '%s' is not a trajectory column%s%s%s", what, n->text,
                       near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

static int read_selector(const ntr_node *c, const char *key, const ntr_node **out,
                         ntr_error *err)
{
    const ntr_node *n = ntr_node_get(c, key);
    *out = NULL;
    if (!n)
        return 0;
    if (n->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, n->pos, "study.checks: %s must map config keys to values "
                                        "({method.name: ntr})",
                           key);
    for (size_t i = 0; i < n->n; i++)
        if (n->items[i]->kind != NTR_NODE_SCALAR)
            return ntr_fail_at(err, n->items[i]->pos, "study.checks: %s.%s must be one value",
                               key, n->keys[i]);
    *out = n;
    return 0;
}

static int read_check(const ntr_node *c, ntr_cmp_check *k, ntr_error *err)
{
    static const char *const allowed[] = {"kind",  "column", "where", "a",   "b",
                                          "ratio", "by",     "above", "factor", "min",
                                          "max",   NULL};
    if (c->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, c->pos, "study.checks: each check is a mapping {kind: ..., ...}");
    ntr_kv kv = {c, "study.checks", NULL};
    int kind = 0;
    memset(k, 0, sizeof *k);
    k->pos = c->pos;
    if (ntr_kv_check_keys(&kv, allowed, err) != 0)
        return -1;
    if (!ntr_node_get(c, "kind"))
        return ntr_fail_at(err, c->pos, "study.checks: a check needs a kind (lower, falls, "
                                        "stalls, decrease, bound, growth, grad_bound, rises)");
    if (ntr_kv_choice(&kv, "kind", ntr_cmp_kind_names, 0, &kind, err) != 0 ||
        read_column(ntr_node_get(c, "column"), "study.checks column", k->column,
                    sizeof k->column, err) != 0 ||
        read_selector(c, "where", &k->where, err) != 0 ||
        read_selector(c, "a", &k->a, err) != 0 || read_selector(c, "b", &k->b, err) != 0)
        return -1;
    k->kind = (ntr_cmp_kind)kind;
    if (k->kind == NTR_CMP_LOWER && (!k->a || !k->b))
        return ntr_fail_at(err, c->pos, "study.checks: kind lower needs groups a and b");
    const char *tkey = k->kind == NTR_CMP_LOWER      ? "ratio"
                       : k->kind == NTR_CMP_FALLS    ? "by"
                       : k->kind == NTR_CMP_STALLS   ? "above"
                       : k->kind == NTR_CMP_DECREASE ? "factor"
                       : k->kind == NTR_CMP_RISES    ? "factor"
                                                     : NULL;
    double def = k->kind == NTR_CMP_FALLS ? 0.7 : k->kind == NTR_CMP_STALLS ? 0.8 : 2.0;
    if (tkey && ntr_kv_double(&kv, tkey, def, 1e-12, 1e12, &k->threshold, err) != 0)
        return -1;
    if (ntr_kv_double(&kv, "min", 0.25, -1e12, 1e12, &k->min, err) != 0 ||
        ntr_kv_double(&kv, "max", NAN, -1e12, 1e12, &k->max, err) != 0)
        return -1;
    if (k->min > k->max)
        return ntr_fail_at(err, c->pos, "study.checks: min must not exceed max");
    return 0;
}

static int check_grid(const ntr_node *g, ntr_error *err)
{
    return ntr_grid_check(g, "study.over", "compared over", err);
}

int ntr_cmp_spec_read(const ntr_node *study, ntr_cmp_spec *s, ntr_error *err)
{
    memset(s, 0, sizeof *s);
    ntr_kv kv = {study, "study", NULL};
    if (ntr_kv_check_keys(&kv, study_keys, err) != 0 ||
        ntr_kv_long(&kv, "seeds", 0, 1, 10000, &s->seeds, err) != 0 ||
        ntr_kv_double(&kv, "window", 0.5, 1e-6, 1.0, &s->window, err) != 0)
        return -1;
    s->over = ntr_node_get(study, "over");
    if (!s->over)
        return ntr_fail_at(err, study->pos, "a compare study needs over: a map of config keys "
                                            "to lists (like a sweep), or a list of such maps");
    if (s->over->kind == NTR_NODE_SEQ) {
        if (s->over->n == 0 || s->over->n > 64)
            return ntr_fail_at(err, s->over->pos, "study.over: a list of 1 to 64 grids");
        for (size_t i = 0; i < s->over->n; i++)
            if (check_grid(s->over->items[i], err) != 0)
                return -1;
    } else if (check_grid(s->over, err) != 0) {
        return -1;
    }
    const ntr_node *cols = ntr_node_get(study, "columns");
    if (cols) {
        if (cols->kind != NTR_NODE_SEQ || cols->n == 0 || cols->n > NTR_CMP_MAX_COLUMNS)
            return ntr_fail_at(err, cols->pos, "study.columns must list 1 to %d trajectory "
                                               "columns",
                               NTR_CMP_MAX_COLUMNS);
        for (size_t i = 0; i < cols->n; i++)
            if (read_column(cols->items[i], "study.columns", s->columns[i], sizeof s->columns[0],
                            err) != 0)
                return -1;
        s->ncolumns = cols->n;
    } else {
        snprintf(s->columns[0], sizeof s->columns[0], "grad_dual");
        snprintf(s->columns[1], sizeof s->columns[1], "grad_l2");
        s->ncolumns = 2;
    }
    const ntr_node *checks = ntr_node_get(study, "checks");
    if (checks && (checks->kind != NTR_NODE_SEQ || checks->n > NTR_CMP_MAX_CHECKS))
        return ntr_fail_at(err, checks->pos, "study.checks must be a list of at most %d checks",
                           NTR_CMP_MAX_CHECKS);
    for (size_t i = 0; checks && i < checks->n; i++)
        if (read_check(checks->items[i], &s->check[i], err) != 0)
            return -1;
    s->nchecks = checks ? checks->n : 0;
    return 0;
}

static int cmp_expand(ntr_plan_builder *b, const ntr_node *study, ntr_error *err)
{
    ntr_cmp_spec s;
    if (ntr_cmp_spec_read(study, &s, err) != 0)
        return -1;
    if (s.seeds > 0)
        ntr_pb_set_seeds(b, s.seeds);
    return ntr_pb_add_grid(b, s.over, NULL, 0, NAN, err); /* a grid or a list of grids */
}

const ntr_study_type ntr_study_compare = {
    "compare",
    "a grid of settings with claims checked on their trajectories (lower final value, still "
    "falling, stalled, decrease, norm bound, growth like k eta)",
    cmp_expand,
    ntr_cmp_analyse,
    ntr_cmp_report,
};

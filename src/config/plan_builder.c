/* plan_builder.c: the narrow interface through which a study adds its
 * cells to a plan (see plan_builder.h). */
#include "config/plan_builder.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_emit.h"

const ntr_settings *ntr_pb_base(const ntr_plan_builder *b) { return &b->plan->base; }

const ntr_node *ntr_pb_config(const ntr_plan_builder *b) { return b->plan->root; }

long ntr_pb_config_seeds(const ntr_plan_builder *b) { return b->plan->seeds; }

void ntr_pb_set_seeds(ntr_plan_builder *b, long seeds)
{
    b->plan->point_seeds = seeds > 0 ? seeds : 1;
}

int ntr_pb_add_point(ntr_plan_builder *b, const ntr_assign *a, size_t na, const char *label,
                     double study_x, ntr_error *err)
{
    return ntr_plan_add_point(b->plan, a, na, label, study_x, err);
}

/* What ntr_pb_add_grid adds to each point of its grid. */
typedef struct grid_extra {
    ntr_plan *plan;
    const ntr_assign *a;
    size_t n;
    double study_x;
} grid_extra;

static int add_grid_point(void *ctx, ntr_assign *a, size_t na, ntr_error *err)
{
    const grid_extra *x = ctx;
    for (size_t i = 0; i < x->n; i++)
        a[na + i] = x->a[i];
    return ntr_plan_add_point(x->plan, a, na + x->n, NULL, x->study_x, err);
}

int ntr_pb_add_grid(ntr_plan_builder *b, const ntr_node *grid, const ntr_assign *extra,
                    size_t nextra, double study_x, ntr_error *err)
{
    if (nextra > NTR_GRID_ROOM)
        return ntr_fail(err, NTR_E_INTERNAL, "ntr_pb_add_grid: at most %d extra assignments",
                        NTR_GRID_ROOM);
    grid_extra x = {b->plan, extra, nextra, study_x};
    return ntr_grid_each(grid, add_grid_point, &x, err);
}

int ntr_pb_set_common(ntr_plan_builder *b, const char *key, ntr_node *val, ntr_error *err)
{
    ntr_plan *p = b->plan;
    if (p->ncells > 0) {
        ntr_node_free(val);
        return ntr_fail(err, NTR_E_INTERNAL, "ntr_pb_set_common after points were added");
    }
    if (ntr_node_set_path(p->root, key, val, err) != 0)
        return -1;
    return ntr_plan_read_base(p, p->base.name, err);
}

int ntr_pb_measure_exactly(ntr_plan_builder *b, ntr_error *err)
{
    if (ntr_node_path(b->plan->root, "log.measure_every"))
        return 0; /* the config chose */
    ntr_node *one = ntr_node_scalar("1", b->plan->root->pos, 0);
    if (!one)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    return ntr_pb_set_common(b, "log.measure_every", one, err);
}

int ntr_pb_stop_at_target(ntr_plan_builder *b, double target, ntr_pos pos, ntr_error *err)
{
    if (!isnan(target)) {
        ntr_node *t = ntr_node_seq(pos), *v = ntr_yaml_number_node(target, pos);
        if (!t || !v || ntr_node_push(t, v) != 0) {
            ntr_node_free(t);
            ntr_node_free(v);
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
        if (ntr_pb_set_common(b, "budget.targets", t, err) != 0)
            return -1;
    }
    ntr_node *yes = ntr_node_scalar("true", pos, 0);
    if (!yes)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    return ntr_pb_set_common(b, "budget.stop_at_target", yes, err);
}

int ntr_pb_pinned(const ntr_plan_builder *b, const char *key)
{
    return ntr_plan_pinned(b->plan, key);
}

int ntr_pb_trial_make(const ntr_plan_builder *b, const ntr_assign *a, size_t na, ntr_pb_trial *t,
                 ntr_error *err)
{
    /* A copy of the plan that shares its config and pins but has its own
     * cells and hash set, so the plan never sees this cell. */
    t->plan = *b->plan;
    t->plan.cells = NULL;
    t->plan.ncells = t->plan.npoints = t->plan.naxes = 0;
    t->plan.axes = NULL;
    t->plan.hash_set = NULL;
    t->plan.hash_cap = 0;
    t->plan.aliases = NULL;
    t->plan.naliases = 0;
    memset(&t->plan.files, 0, sizeof t->plan.files); /* its own: hashing may grow it */
    t->plan.files.max_bytes = b->plan->files.max_bytes;
    t->plan.point_seeds = 1;
    t->cell = NULL;
    if (ntr_plan_add_point(&t->plan, a, na, "trial", NAN, err) != 0) {
        ntr_pb_trial_free(t);
        return -1;
    }
    t->cell = &t->plan.cells[0];
    return 0;
}

void ntr_pb_trial_free(ntr_pb_trial *t)
{
    for (size_t i = 0; i < t->plan.ncells; i++) {
        free(t->plan.cells[i].yaml);
        ntr_node_free(t->plan.cells[i].tree);
    }
    free(t->plan.cells);
    free(t->plan.hash_set);
    free(t->plan.aliases);
    t->plan.aliases = NULL;
    t->plan.naliases = 0;
    ntr_file_table_free(&t->plan.files);
    for (size_t i = 0; i < t->plan.naxes; i++)
        free(t->plan.axes[i]);
    free(t->plan.axes);
    t->plan.cells = NULL;
    t->plan.ncells = t->plan.naxes = 0;
    t->plan.axes = NULL;
    t->plan.hash_set = NULL;
    t->cell = NULL;
}

/* ---- grids ---------------------------------------------------------------- */

int ntr_grid_first(ntr_grid_iter *it, const ntr_node *grid)
{
    memset(it, 0, sizeof *it);
    it->grid = grid;
    it->nkeys = grid ? grid->n : 0;
    return 1;
}

int ntr_grid_next(ntr_grid_iter *it)
{
    size_t i = it->nkeys;
    while (i > 0) {
        i--;
        if (++it->idx[i] < it->grid->items[i]->n)
            return 1;
        it->idx[i] = 0;
    }
    return 0;
}

void ntr_grid_assigns(const ntr_grid_iter *it, ntr_assign *a)
{
    for (size_t i = 0; i < it->nkeys; i++) {
        a[i].key = it->grid->keys[i];
        a[i].val = it->grid->items[i]->items[it->idx[i]];
    }
}

/* Every point of one grid (NULL: one point with no assignment). */
static int each_point(const ntr_node *grid, ntr_grid_fn fn, void *ctx, ntr_error *err)
{
    ntr_grid_iter it;
    ntr_assign a[NTR_GRID_MAX_KEYS + NTR_GRID_ROOM];
    for (int more = ntr_grid_first(&it, grid); more; more = ntr_grid_next(&it)) {
        ntr_grid_assigns(&it, a);
        if (fn(ctx, a, it.nkeys, err) != 0)
            return -1;
    }
    return 0;
}

int ntr_grid_each(const ntr_node *grids, ntr_grid_fn fn, void *ctx, ntr_error *err)
{
    if (!grids || grids->kind != NTR_NODE_SEQ)
        return each_point(grids, fn, ctx, err);
    for (size_t i = 0; i < grids->n; i++)
        if (each_point(grids->items[i], fn, ctx, err) != 0)
            return -1;
    return 0;
}

int ntr_grid_check(const ntr_node *g, const char *what, const char *verb, ntr_error *err)
{
    if (g->kind != NTR_NODE_MAP || g->n == 0 || g->n > NTR_GRID_MAX_KEYS)
        return ntr_fail_at(err, g->pos, "%s: a grid maps 1 to %d config keys to lists (like a "
                                        "sweep)",
                           what, NTR_GRID_MAX_KEYS);
    for (size_t i = 0; i < g->n; i++) {
        const ntr_node *v = g->items[i];
        const char *k = g->keys[i];
        if (v->kind != NTR_NODE_SEQ || v->n == 0)
            return ntr_fail_at(err, v->pos, "%s: %s must map to a non-empty list", what, k);
        if (!strcmp(k, "name") || !strncmp(k, "sweep", 5) || !strcmp(k, "seeds") ||
            !strncmp(k, "study", 5) || !strncmp(k, "union", 5))
            return ntr_fail_at(err, g->key_pos[i], "%s: '%s' cannot be %s", what, k, verb);
    }
    return 0;
}

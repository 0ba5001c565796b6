/* plan_builder.h: what a study sees of the plan while it adds its cells.
 *
 * A study's expand() gets a builder, not the whole mutable plan.  Through
 * it the study can
 *   - read the base settings and the config tree (read-only),
 *   - set how many replicates (seeds) the points it adds next get,
 *   - add one point (a list of key = value assignments) or a grid (the
 *     cartesian product of a map of keys to lists, first key slowest),
 *   - set a key for every cell of the plan (it then also shows in
 *     config.yaml: the batch study's common target),
 *   - build a throw-away cell of a point, to read a problem's constants
 *     before choosing the point's values (the rate study's rules),
 *   - ask whether the command line pins a key.
 *
 * The command line's --set overrides of cell keys are applied LAST on every
 * point, on top of the study's own values: `--set method.alpha=1` reaches
 * every variant of a study.  A study that tunes over a key leaves a pinned
 * key out of its tuning grid (ntr_pb_pinned). */
#ifndef NTR_PLAN_BUILDER_H
#define NTR_PLAN_BUILDER_H

#include <stddef.h>

#include "config/plan.h"

typedef struct ntr_plan_builder {
    ntr_plan *plan; /* private: studies use the functions below */
} ntr_plan_builder;

/* Read-only views of the plan. */
const ntr_settings *ntr_pb_base(const ntr_plan_builder *b);
const ntr_node *ntr_pb_config(const ntr_plan_builder *b);
/* The config's `seeds:` (replicates per point unless the study sets its own). */
long ntr_pb_config_seeds(const ntr_plan_builder *b);

/* Replicates of each point added from now on (1 or more). */
void ntr_pb_set_seeds(ntr_plan_builder *b, long seeds);

/* One point: the base config with the assignments, then the pins.  label:
 * the point's group name, NULL to build it from the assignments; study_x:
 * the study's variable (eps, batch) or NAN. */
int ntr_pb_add_point(ntr_plan_builder *b, const ntr_assign *a, size_t na, const char *label,
                     double study_x, ntr_error *err);

/* Every point of a grid (a map of dotted keys to non-empty lists, first
 * key slowest) or of each grid of a list of them, each with the grid's
 * assignments followed by the extra ones (at most NTR_GRID_ROOM); labels
 * are built from the assignments. */
int ntr_pb_add_grid(ntr_plan_builder *b, const ntr_node *grid, const ntr_assign *extra,
                    size_t nextra, double study_x, ntr_error *err);

/* Set key = val (owned afterwards) in the config of every cell, before any
 * point is added, and re-read the base settings. */
int ntr_pb_set_common(ntr_plan_builder *b, const char *key, ntr_node *val, ntr_error *err);
/* A study that reads hitting times measures every iteration: set
 * log.measure_every: 1 in every cell unless the config gives it (the
 * default, log, measures on the logging grid only).  Before any point. */
int ntr_pb_measure_exactly(ntr_plan_builder *b, ntr_error *err);

/* Every cell stops at its target: budget.targets = [target] (NAN: none
 * here, each point sets its own) and budget.stop_at_target = true in the
 * config of every cell (and config.yaml).  Before any point. */
int ntr_pb_stop_at_target(ntr_plan_builder *b, double target, ntr_pos pos, ntr_error *err);

/* 1 when --set pins key (see ntr_plan_pinned). */
int ntr_pb_pinned(const ntr_plan_builder *b, const char *key);

/* A throw-away cell of one point (replicate 0, pins applied, its seeds
 * derived as the plan derives them): its settings, run and init seeds.
 * The cell belongs to the trial; free it with ntr_pb_trial_free. */
typedef struct ntr_pb_trial {
    ntr_plan plan; /* private */
    const ntr_cell *cell;
} ntr_pb_trial;

int ntr_pb_trial_make(const ntr_plan_builder *b, const ntr_assign *a, size_t na, ntr_pb_trial *t,
                 ntr_error *err);
void ntr_pb_trial_free(ntr_pb_trial *t);

/* A cartesian iterator over a grid map (first key slowest), for studies
 * that interleave their own loops with a grid's:
 *
 *     ntr_grid_iter it;
 *     for (int more = ntr_grid_first(&it, grid); more; more = ntr_grid_next(&it))
 *         ntr_grid_assigns(&it, a);    (a: it.nkeys entries)
 *
 * A NULL grid has one point with no assignment.  The grid must have been
 * checked: a map of at most NTR_GRID_MAX_KEYS keys to non-empty lists. */
#define NTR_GRID_MAX_KEYS 32
typedef struct ntr_grid_iter {
    const ntr_node *grid;
    size_t nkeys;
    size_t idx[NTR_GRID_MAX_KEYS];
} ntr_grid_iter;

int ntr_grid_first(ntr_grid_iter *it, const ntr_node *grid);
int ntr_grid_next(ntr_grid_iter *it);
void ntr_grid_assigns(const ntr_grid_iter *it, ntr_assign *a);

/* The cartesian product, once: fn(ctx, a, na, err) on every point of
 * grids (one grid map, a list of them in their order, or NULL: one point
 * with no assignment), first key slowest, with the point's assignments
 * a[0..na).  After them a has room for NTR_GRID_ROOM more entries, which
 * fn may fill with its own.  Stops at the first fn that fails. */
#define NTR_GRID_ROOM 16
typedef int (*ntr_grid_fn)(void *ctx, ntr_assign *a, size_t na, ntr_error *err);
int ntr_grid_each(const ntr_node *grids, ntr_grid_fn fn, void *ctx, ntr_error *err);

/* Check that grid is a map of 1 to NTR_GRID_MAX_KEYS config keys to non-empty
 * lists and names no plan-level key (name, seeds, sweep, union, study);
 * what names the block in messages ("study.over"), verb what is done over
 * the keys ("'seeds' cannot be compared over"). */
int ntr_grid_check(const ntr_node *grid, const char *what, const char *verb, ntr_error *err);

#endif

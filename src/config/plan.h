/* plan.h: from a config file to the list of cells to run.
 *
 * A plan loads the YAML, applies --set overrides, reads the base settings,
 * then expands `sweep:` grids (cartesian products), `union:` (several
 * grids) and `seeds: N` (replicates) into cells.  Studies add their own
 * points (one per eps for a rate study, one per batch size for a batch
 * study) through ntr_plan_add_point().  Each cell has its resolved settings,
 * a stable hash of them (its folder name), and seeds: its noise stream's
 * from (seed, replicate, problem, noise, init) only (never the method, the
 * budget, targets, logging or measuring: SPEC section 4), its start
 * point's from (seed, replicate), so that the methods of one replicate
 * start from the same x0 and share their draws. */
#ifndef NTR_PLAN_H
#define NTR_PLAN_H

#include <stddef.h>
#include <stdio.h>

#include "base/node.h"
#include "config/inputs.h"
#include "config/limits.h"
#include "config/settings.h"

/* One assignment of a sweep point: dotted key = value. */
typedef struct ntr_assign {
    const char *key;     /* dotted path (borrowed) */
    const ntr_node *val; /* borrowed */
} ntr_assign;

typedef struct ntr_cell {
    size_t index;          /* position in the plan (shards take index % N) */
    int replicate;         /* 0 .. seeds-1 */
    ntr_node *tree;        /* the cell's config tree */
    ntr_settings s;        /* resolved settings (borrows from tree) */
    char *yaml;            /* canonical settings text and input hashes (hashed) */
    char hash[17];         /* 16 hex digits */
    char lineage[17];      /* hash of the same text with budget.iterations left out: cells
                              that differ only by their budget continue one another;
                              "" when the step size depends on the budget */
    unsigned long run_seed;  /* noise and sampling */
    unsigned long init_seed; /* x0 (shared by a replicate) */
    char group[512];       /* the point's label without the replicate */
    char **values;         /* one text per plan axis */
    size_t point;          /* which point (group) of the plan */
    double study_x;        /* the study's variable at this point (eps, batch), NAN if none */
} ntr_cell;

/* A point's replicate whose cell equals an earlier point's (same settings,
 * same hash): it shares that cell, which runs once. */
typedef struct ntr_alias {
    char group[512];
    int replicate;
    char hash[17];
} ntr_alias;

typedef struct ntr_plan {
    char config_path[1024];
    char config_name[1024]; /* used in error positions; outlives every node */
    char base_dir[1024];
    ntr_node *root;         /* the config after --set */
    ntr_settings base;      /* settings without any sweep */
    ntr_node *base_tree;    /* a copy of root with its setting expressions resolved;
                             * base borrows from it */
    long seeds;
    size_t naxes;
    char **axes;            /* dotted keys that vary, in first-seen order */
    size_t ncells;
    ntr_cell *cells;
    size_t npoints;
    const ntr_node *study;  /* the study: mapping, or NULL */
    long point_seeds;       /* replicates of each point added next (a study may change it) */
    size_t npins;           /* --set overrides of cell keys, applied last on every point */
    char **pin_keys;
    ntr_node **pin_vals;
    unsigned long long *hash_set; /* open-addressing set of cell hashes (0 = empty) */
    size_t naliases;        /* replicates of later points that share an earlier cell */
    ntr_alias *aliases;
    size_t hash_cap;
    ntr_limits limits;      /* checked before anything runs */
    ntr_file_table files;   /* content hashes of the files cells read */
} ntr_plan;

/* Load, override, validate and expand.  sets: "key.path=value" strings (--set), or
 * "!key.path" to remove a key (--unset: a config key, a swept key such as
 * sweep.method.eta, or a whole block), applied in order.
 * limits NULL: the defaults (limits.h). */
int ntr_plan_load_limited(const char *path, const char *const *sets, int nsets,
                          const ntr_limits *limits, ntr_plan **out, ntr_error *err);
/* The same with the default limits. */
int ntr_plan_load(const char *path, const char *const *sets, int nsets, ntr_plan **out,
                  ntr_error *err);
/* The same from config text: name stands for the file in messages and
 * gives the default name; relative paths start at base_dir (NULL or "":
 * the current folder). */
int ntr_plan_load_text(const char *text, const char *name, const char *base_dir,
                       ntr_plan **out, ntr_error *err);
/* Add one point (replicated point_seeds times): the base config with the
 * assignments applied, then the --set overrides of cell keys again, so that
 * they win over a sweep's or a study's values.  label may be NULL (built
 * from the assignments). */
int ntr_plan_add_point(ntr_plan *p, const ntr_assign *a, size_t na, const char *label,
                       double study_x, ntr_error *err);
/* 1 when a --set override pins key: the same key, a parent of it
 * (--set method={...} pins method.eta) or a part of it (method.eta.value). */
int ntr_plan_pinned(const ntr_plan *p, const char *key);
/* Fill cell axis values once every point is added. */
int ntr_plan_finish(ntr_plan *p, ntr_error *err);
void ntr_plan_free(ntr_plan *p);

/* (Re)read p->base from p->root, resolving any setting expressions
 * (config/setting_expr.h) in a copy first.  name: the default name. */
int ntr_plan_read_base(ntr_plan *p, const char *name, ntr_error *err);

/* Canonical YAML of the whole plan: resolved base settings plus the sweep,
 * seeds, union and study blocks as given (config.yaml of a result folder);
 * when cells read files, also data_dir (the absolute folder their relative
 * paths start from, so that the saved config runs from anywhere) and
 * inputs (each file as written: its content hash). */
char *ntr_plan_yaml(const ntr_plan *p);

/* Internal to the config layer.  plan_set.c: one --set KEY=VALUE, or
 * "!KEY" for --unset KEY, applied to p->root (pins a cell key). */
int ntr_plan_apply_set(ntr_plan *p, const char *arg, ntr_error *err);
/* plan_cell.c: the cell of replicate r of a point (assignments a, then the
 * pins): tree, settings, hash, lineage and seeds.  *seen: the plan already
 * holds a cell of that hash (c then holds only the hash).  The caller
 * fills group, point, study_x and index. */
int ntr_plan_cell_build(ntr_plan *p, const ntr_assign *a, size_t na, long r, ntr_cell *c,
                        int *seen, ntr_error *err);
/* plan_inputs.c: */
char *ntr_plan_identity_text(const ntr_settings *s);
void ntr_plan_write_inputs(const ntr_plan *p, FILE *f);
int ntr_plan_check_recorded_inputs(ntr_plan *p, ntr_error *err);

#endif

/* plan.c: loading a config into a plan of cells (see plan.h): --set
 * overrides, sweep/union grids, replicates, hashes and derived seeds. */
#include "config/plan.h"

#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "study/study.h"
#include "config/setting_expr.h"
#include "config/plan_builder.h"
#include "config/yaml_emit.h"
#include "config/yaml_load.h"

/* A cell takes about 6 KiB (its settings) before it runs: 100000 cells
 * are about 600 MiB and a few seconds of planning. */
#define NTR_MAX_CELLS 100000

static int find_axis(ntr_plan *p, const char *key)
{
    for (size_t i = 0; i < p->naxes; i++)
        if (strcmp(p->axes[i], key) == 0)
            return (int)i;
    char **axes = realloc(p->axes, (p->naxes + 1) * sizeof *axes);
    if (!axes)
        return -1;
    p->axes = axes;
    p->axes[p->naxes] = strdup(key);
    if (!p->axes[p->naxes])
        return -1;
    return (int)p->naxes++;
}

static void flow_text(const ntr_node *n, char *buf, size_t size)
{
    char *txt = ntr_yaml_flow_string(n);
    snprintf(buf, size, "%s", txt ? txt : "?");
    free(txt);
}

/* The group name of a point: its label, or "key=value ..." of its assignments. */
static void point_group(const ntr_assign *a, size_t na, const char *label, char *group,
                        size_t size)
{
    size_t used = 0;
    if (label) {
        snprintf(group, size, "%s", label);
        return;
    }
    group[0] = '\0';
    for (size_t i = 0; i < na && used < size; i++) {
        char v[160];
        flow_text(a[i].val, v, sizeof v);
        used += (size_t)snprintf(group + used, size - used, "%s%s=%s", i ? " " : "", a[i].key, v);
    }
    if (!na)
        snprintf(group, size, "all");
}

/* A cell met before (another union grid or study series) is kept once; the
 * group that met it again is recorded as an alias. */
static int add_alias(ntr_plan *p, const char *group, long r, const char *hash, ntr_error *err)
{
    if ((p->naliases & (p->naliases - 1)) == 0) {
        size_t cap = p->naliases ? 2 * p->naliases : 1;
        ntr_alias *al = realloc(p->aliases, cap * sizeof *al);
        if (!al)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        p->aliases = al;
    }
    ntr_alias *al = &p->aliases[p->naliases++];
    snprintf(al->group, sizeof al->group, "%s", group);
    al->replicate = (int)r;
    memcpy(al->hash, hash, sizeof al->hash);
    return 0;
}

/* Append c.  The array doubles when ncells reaches a power of two (a cell
 * is several KiB: growing it one cell at a time was quadratic). */
static int append_cell(ntr_plan *p, const ntr_cell *c, ntr_error *err)
{
    if ((p->ncells & (p->ncells - 1)) == 0) {
        size_t cap = p->ncells ? 2 * p->ncells : 1;
        ntr_cell *cells = realloc(p->cells, cap * sizeof *cells);
        if (!cells)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        p->cells = cells;
    }
    p->cells[p->ncells++] = *c;
    return 0;
}

int ntr_plan_add_point(ntr_plan *p, const ntr_assign *a, size_t na, const char *label,
                       double study_x, ntr_error *err)
{
    char group[512];
    point_group(a, na, label, group, sizeof group);
    for (size_t i = 0; i < na; i++)
        if (find_axis(p, a[i].key) < 0)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (long r = 0; r < p->point_seeds; r++) {
        if (p->ncells >= NTR_MAX_CELLS)
            return ntr_fail_at(err, p->root->pos, "more than %d cells", NTR_MAX_CELLS);
        ntr_cell c;
        int seen;
        if (ntr_plan_cell_build(p, a, na, r, &c, &seen, err) != 0)
            return -1;
        if (seen) {
            if (add_alias(p, group, r, c.hash, err) != 0)
                return -1;
            continue;
        }
        snprintf(c.group, sizeof c.group, "%s", group);
        c.point = p->npoints;
        c.study_x = study_x;
        c.index = p->ncells;
        if (append_cell(p, &c, err) != 0) {
            free(c.yaml);
            ntr_node_free(c.tree);
            return -1;
        }
    }
    p->npoints++;
    return 0;
}

/* 1 when dotted keys a and b are the same or one holds the other
 * ("method" and "method.eta"). */
static int keys_overlap(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;
    return strncmp(a, b, n) == 0 && (la == lb || (la < lb ? b[la] : a[lb]) == '.');
}

static int add_sweep_point(void *plan, ntr_assign *a, size_t na, ntr_error *err)
{
    return ntr_plan_add_point(plan, a, na, NULL, NAN, err);
}

/* One grid: the cartesian product of its keys' lists, first key slowest. */
static int expand_grid(ntr_plan *p, const ntr_node *grid, ntr_error *err)
{
    if (grid->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, grid->pos, "a sweep must map dotted keys to lists of values");
    size_t nk = grid->n;
    if (nk == 0)
        return ntr_plan_add_point(p, NULL, 0, NULL, NAN, err);
    if (nk > NTR_GRID_MAX_KEYS)
        return ntr_fail_at(err, grid->pos, "a sweep has at most %d keys", NTR_GRID_MAX_KEYS);
    for (size_t i = 0; i < nk; i++) {
        const ntr_node *v = grid->items[i];
        if (v->kind != NTR_NODE_SEQ || v->n == 0)
            return ntr_fail_at(err, v->pos, "sweep key '%s' must map to a non-empty list",
                               grid->keys[i]);
        if (!strcmp(grid->keys[i], "name") || !strncmp(grid->keys[i], "sweep", 5) ||
            !strcmp(grid->keys[i], "seeds") || !strncmp(grid->keys[i], "study", 5) ||
            !strcmp(grid->keys[i], "data_dir") || !strncmp(grid->keys[i], "inputs", 6))
            return ntr_fail_at(err, grid->key_pos[i], "'%s' cannot be swept", grid->keys[i]);
        if (ntr_plan_pinned(p, grid->keys[i]))
            return ntr_fail_at(err, grid->key_pos[i],
                               "sweep key '%s' is also set by --set: the sweep would lose its "
                               "values; drop one of the two (--unset sweep.%s removes the "
                               "sweep's key, --set sweep.%s=[...] replaces the swept list)",
                               grid->keys[i], grid->keys[i], grid->keys[i]);
        for (size_t j = 0; j < i; j++)
            if (keys_overlap(grid->keys[j], grid->keys[i]))
                return ntr_fail_at(err, grid->key_pos[i],
                                   "sweep keys '%s' and '%s' overlap: one sets the other, so a "
                                   "point would be lost or mislabelled; sweep one of them",
                                   grid->keys[j], grid->keys[i]);
    }
    return ntr_grid_each(grid, add_sweep_point, p, err);
}

/* Number of points of one grid (the product of its list lengths), in a
 * double so that a huge product cannot overflow. */
static double grid_points(const ntr_node *grid)
{
    double n = 1.0;
    for (size_t i = 0; grid->kind == NTR_NODE_MAP && i < grid->n; i++)
        if (grid->items[i]->kind == NTR_NODE_SEQ && grid->items[i]->n > 0)
            n *= (double)grid->items[i]->n;
    return n;
}

/* Refuse a sweep or union that would make too many cells before building
 * any of them (each cell costs a tree, its settings and a hash). */
static int check_cell_count(const ntr_plan *p, const ntr_node *sweep, const ntr_node *uni,
                            ntr_error *err)
{
    const ntr_node *at = uni ? uni : sweep;
    double points = 0.0;
    if (uni)
        for (size_t i = 0; i < uni->n; i++)
            points += grid_points(uni->items[i]);
    else
        points = grid_points(sweep);
    double cells = points * (double)p->seeds;
    if (cells > NTR_MAX_CELLS)
        return ntr_fail_at(err, at->pos,
                           "%s makes %.0f points x %ld seeds = %.0f cells; at most %d are accepted",
                           uni ? "union" : "sweep", points, p->seeds, cells, NTR_MAX_CELLS);
    return 0;
}

int ntr_plan_finish(ntr_plan *p, ntr_error *err)
{
    for (size_t c = 0; c < p->ncells; c++) {
        ntr_cell *cell = &p->cells[c];
        cell->values = calloc(p->naxes ? p->naxes : 1, sizeof *cell->values);
        if (!cell->values)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        char *full = ntr_settings_yaml_display(&cell->s, 1);
        ntr_node *res = NULL;
        ntr_error tmp;
        if (!full || ntr_yaml_load_string(full, strlen(full), "resolved", 0, &res, &tmp) != 0) {
            free(full);
            return ntr_fail(err, NTR_E_INTERNAL, "cannot re-read resolved settings");
        }
        for (size_t i = 0; i < p->naxes; i++) {
            const ntr_node *v = ntr_node_path(res, p->axes[i]);
            if (!v)
                v = ntr_node_path(cell->tree, p->axes[i]);
            char buf[256] = "";
            if (v)
                flow_text(v, buf, sizeof buf);
            cell->values[i] = strdup(buf);
        }
        ntr_node_free(res);
        free(full);
    }
    return 0;
}

int ntr_plan_read_base(ntr_plan *p, const char *name, ntr_error *err)
{
    char def[sizeof p->base.name];
    snprintf(def, sizeof def, "%s", name);
    ntr_node_free(p->base_tree);
    p->base_tree = ntr_node_clone(p->root);
    if (!p->base_tree)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (ntr_setting_exprs_resolve(p->base_tree, p->base_dir, err) != 0)
        return -1;
    if (ntr_settings_read(p->base_tree, p->base_dir, def, &p->base, err) != 0)
        return -1;
    p->base.max_memory = p->limits.max_memory;
    return 0;
}

static int plan_load(const char *path, const char *text, const char *base_dir,
                     const char *const *sets, int nsets, const ntr_limits *limits,
                     ntr_plan **out, ntr_error *err);

int ntr_plan_load(const char *path, const char *const *sets, int nsets, ntr_plan **out,
                  ntr_error *err)
{
    return ntr_plan_load_limited(path, sets, nsets, NULL, out, err);
}

int ntr_plan_load_limited(const char *path, const char *const *sets, int nsets,
                          const ntr_limits *limits, ntr_plan **out, ntr_error *err)
{
    return plan_load(path, NULL, NULL, sets, nsets, limits, out, err);
}

int ntr_plan_load_text(const char *text, const char *name, const char *base_dir,
                       ntr_plan **out, ntr_error *err)
{
    return plan_load(name, text, base_dir && base_dir[0] ? base_dir : ".", NULL, 0, NULL, out,
                     err);
}

/* The config file at path, or the config text when text is not NULL (path
 * then names it in messages); relative paths start at base_dir, or at the
 * folder of path when base_dir is NULL. */
/* The config's tree (from the file at path, or from text), a mapping. */
static int read_tree(ntr_plan *p, const char *path, const char *text, ntr_error *err)
{
    if (text && strlen(text) > (size_t)NTR_YAML_MAX_FILE) {
        ntr_pos pos0 = {p->config_name, 0, 0};
        return ntr_fail_at(err, pos0, "config larger than %ld bytes", NTR_YAML_MAX_FILE);
    }
    if (text ? ntr_yaml_load_string(text, strlen(text), p->config_name, 0, &p->root, err) != 0
             : ntr_yaml_load_file(path, p->config_name, &p->root, err) != 0)
        return -1;
    if (!p->root) {
        ntr_pos pos = {p->config_name, 1, 1};
        return ntr_fail_at(err, pos, "empty config: nothing to run (see configs/quickstart.yaml)");
    }
    if (p->root->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, p->root->pos,
                           "a config must be a mapping of keys (name:, problem:, ...)");
    return 0;
}

/* The plan's points: the study's, the union's grids, the sweep's, or the
 * one point of a plain config. */
static int expand_points(ntr_plan *p, ntr_error *err)
{
    const ntr_node *sweep = ntr_node_get(p->root, "sweep");
    const ntr_node *uni = ntr_node_get(p->root, "union");
    p->study = ntr_node_get(p->root, "study");
    if (uni && uni->kind != NTR_NODE_SEQ)
        return ntr_fail_at(err, uni->pos, "union must be a list of sweeps");
    if (p->study) {
        if (sweep || uni)
            return ntr_fail_at(err, (sweep ? sweep : uni)->pos,
                               "a study makes its own cells: put the axes to compare under "
                               "study.over");
        const ntr_study_type *st;
        ntr_plan_builder b = {p};
        return ntr_study_of(p->study, &st, err) != 0 || st->expand(&b, p->study, err) != 0 ? -1
                                                                                           : 0;
    }
    if ((uni || sweep) && check_cell_count(p, sweep, uni, err) != 0)
        return -1;
    if (uni) {
        for (size_t i = 0; i < uni->n; i++)
            if (expand_grid(p, uni->items[i], err) != 0)
                return -1;
        return 0;
    }
    if (sweep)
        return expand_grid(p, sweep, err);
    return ntr_plan_add_point(p, NULL, 0, NULL, NAN, err);
}

static int plan_load(const char *path, const char *text, const char *base_dir,
                     const char *const *sets, int nsets, const ntr_limits *limits,
                     ntr_plan **out, ntr_error *err)
{
    ntr_plan *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    p->limits = limits ? *limits : ntr_limits_default();
    p->files.max_bytes = p->limits.max_data;
    snprintf(p->config_path, sizeof p->config_path, "%s", path);
    snprintf(p->config_name, sizeof p->config_name, "%s", path);
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    snprintf(p->base_dir, sizeof p->base_dir, "%s", base_dir ? base_dir : dirname(tmp));
    snprintf(tmp, sizeof tmp, "%s", path);
    char *base = basename(tmp);
    char *dot = strrchr(base, '.');
    if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml")))
        *dot = '\0';

    if (read_tree(p, path, text, err) != 0)
        goto fail;
    for (int i = 0; i < nsets; i++)
        if (ntr_plan_apply_set(p, sets[i], err) != 0)
            goto fail;
    ntr_kv kv = {p->root, "config", p->base_dir};
    if (ntr_plan_read_base(p, base, err) != 0 ||
        ntr_kv_long(&kv, "seeds", 1, 1, 100000, &p->seeds, err) != 0)
        goto fail;
    p->point_seeds = p->seeds;
    if (expand_points(p, err) != 0 || ntr_plan_finish(p, err) != 0 ||
        ntr_plan_check_recorded_inputs(p, err) != 0)
        goto fail;
    *out = p;
    return 0;
fail:
    ntr_plan_free(p);
    return -1;
}

void ntr_plan_free(ntr_plan *p)
{
    if (!p)
        return;
    for (size_t c = 0; c < p->ncells; c++) {
        ntr_cell *cell = &p->cells[c];
        for (size_t i = 0; cell->values && i < p->naxes; i++)
            free(cell->values[i]);
        free(cell->values);
        free(cell->yaml);
        ntr_node_free(cell->tree);
    }
    free(p->cells);
    free(p->hash_set);
    ntr_file_table_free(&p->files);
    free(p->aliases);
    for (size_t i = 0; i < p->naxes; i++)
        free(p->axes[i]);
    free(p->axes);
    for (size_t i = 0; i < p->npins; i++) {
        free(p->pin_keys[i]);
        ntr_node_free(p->pin_vals[i]);
    }
    free(p->pin_keys);
    free(p->pin_vals);
    ntr_node_free(p->root);
    ntr_node_free(p->base_tree);
    free(p);
}

char *ntr_plan_yaml(const ntr_plan *p)
{
    char *base = ntr_settings_yaml_display(&p->base, 1);
    if (!base)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        free(base);
        return NULL;
    }
    fputs("# resolved by ntr-run: every default filled in\n", f);
    char keys[8][256];
    const char *texts[8];
    size_t nx = ntr_setting_exprs_list(p->root, keys, texts, 8);
    for (size_t i = 0; i < nx; i++)
        fprintf(f, "# %s: \"%s\" is an expression of other settings, evaluated in each cell "
                   "(the value below is the base config's)\n",
                keys[i], texts[i]);
    fputs(base, f);
    free(base);
    ntr_plan_write_inputs(p, f);
    static const char *const extra[] = {"seeds", "sweep", "union", "study", NULL};
    for (int i = 0; extra[i]; i++) {
        const ntr_node *n = ntr_node_get(p->root, extra[i]);
        if (!n && strcmp(extra[i], "seeds") != 0)
            continue;
        if (!n) {
            fprintf(f, "seeds: %ld\n", p->seeds);
            continue;
        }
        fprintf(f, "%s: ", extra[i]);
        ntr_yaml_emit_flow(f, n);
        fputc('\n', f);
    }
    fclose(f);
    return buf;
}

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

static const char set_name[] = "--set";

/* Keys that describe the plan rather than a cell: a --set of them is not
 * applied again on each point. */
static int plan_level_key(const char *key)
{
    static const char *const plan_keys[] = {"sweep", "union", "seeds", "study", NULL};
    for (size_t i = 0; plan_keys[i]; i++) {
        size_t n = strlen(plan_keys[i]);
        if (strncmp(key, plan_keys[i], n) == 0 && (key[n] == '\0' || key[n] == '.'))
            return 1;
    }
    return 0;
}

/* Remember a --set of a cell key, to apply it again last on every point. */
static int add_pin(ntr_plan *p, const char *key, const ntr_node *val, ntr_error *err)
{
    if (plan_level_key(key))
        return 0;
    char **keys = realloc(p->pin_keys, (p->npins + 1) * sizeof *keys);
    if (keys)
        p->pin_keys = keys;
    ntr_node **vals = keys ? realloc(p->pin_vals, (p->npins + 1) * sizeof *vals) : NULL;
    if (vals)
        p->pin_vals = vals;
    char *k = vals ? strdup(key) : NULL;
    ntr_node *v = k ? ntr_node_clone(val) : NULL;
    if (!v) {
        free(k);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    p->pin_keys[p->npins] = k;
    p->pin_vals[p->npins++] = v;
    return 0;
}

int ntr_plan_pinned(const ntr_plan *p, const char *key)
{
    for (size_t i = 0; i < p->npins; i++) {
        const char *pin = p->pin_keys[i];
        size_t a = strlen(pin), b = strlen(key), n = a < b ? a : b;
        if (strncmp(pin, key, n) == 0 && (a == b || (a < b ? key[a] : pin[b]) == '.'))
            return 1;
    }
    return 0;
}

/* --unset KEY (given as "!KEY"): remove a key of the config, a swept key
 * (sweep.method.eta) or a whole block (sweep, seeds, union, study). */
static int apply_unset(ntr_plan *p, const char *key, ntr_error *err)
{
    ntr_pos pos = {"--unset", 1, 1};
    ntr_node *parent = p->root;
    const char *leaf = key;
    if (strncmp(key, "sweep.", 6) == 0) { /* swept keys are dotted names themselves */
        parent = ntr_node_get(p->root, "sweep");
        leaf = key + 6;
    } else if (strrchr(key, '.')) {
        char up[256];
        snprintf(up, sizeof up, "%.*s", (int)(strrchr(key, '.') - key), key);
        parent = ntr_node_path(p->root, up);
        leaf = strrchr(key, '.') + 1;
    }
    if (!parent || parent->kind != NTR_NODE_MAP || !ntr_node_get(parent, leaf))
        return ntr_fail_at(err, pos, "--unset %s: the config has no such key", key);
    ntr_node_remove(parent, leaf);
    if (strncmp(key, "sweep.", 6) == 0 && parent->n == 0)
        ntr_node_remove(p->root, "sweep"); /* no key left to sweep */
    return 0;
}

static int apply_set(ntr_plan *p, const char *arg, ntr_error *err)
{
    ntr_node *root = p->root;
    if (arg[0] == '!')
        return apply_unset(p, arg + 1, err);
    const char *eq = strchr(arg, '=');
    ntr_pos pos = {set_name, 1, 1};
    if (!eq || eq == arg)
        return ntr_fail_at(err, pos, "'%s': expected --set key.path=value", arg);
    char key[256];
    size_t klen = (size_t)(eq - arg);
    if (klen >= sizeof key)
        return ntr_fail_at(err, pos, "key too long in '%s'", arg);
    memcpy(key, arg, klen);
    key[klen] = '\0';
    ntr_node *val;
    const char *text = eq + 1;
    if (ntr_yaml_load_string(text, strlen(text), set_name, (int)klen + 1, &val, err) != 0)
        return -1;
    if (!val) {
        pos.col = (int)klen + 2;
        return ntr_fail_at(err, pos, "'%s': missing value after '='", arg);
    }
    /* sweep keys are dotted names themselves: sweep.method.norm=[a, b] */
    if (strncmp(key, "sweep.", 6) == 0) {
        ntr_node *sweep = ntr_node_get(root, "sweep");
        if (!sweep) {
            sweep = ntr_node_map(pos);
            if (!sweep || ntr_node_put(root, "sweep", pos, sweep) != 0) {
                ntr_node_free(sweep);
                ntr_node_free(val);
                return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            }
        }
        if (sweep->kind != NTR_NODE_MAP) {
            ntr_node_free(val);
            return ntr_fail_at(err, pos, "sweep is not a mapping");
        }
        if (ntr_node_set(sweep, key + 6, pos, val) != 0) {
            ntr_node_free(val);
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
        return 0;
    }
    if (add_pin(p, key, val, err) != 0) {
        ntr_node_free(val);
        return -1;
    }
    return ntr_node_set_path(root, key, val, err);
}

static unsigned long derive_seed(unsigned long seed, const char *what)
{
    return (unsigned long)(XXH64(what, strlen(what), (XXH64_hash_t)seed) & 0xffffffffUL);
}

/* The noise stream's seed: from the seed, the problem, the noise, the
 * start point (ntr_settings_stream_yaml), the content of the data files
 * they read and the replicate only, so that logging, measuring, targets,
 * stop rules and the budget never change a draw, and the methods of one
 * replicate share their draws. */
static int stream_seed(const ntr_settings *s, long replicate, unsigned long *out)
{
    char *buf = NULL;
    size_t len = 0;
    char *stream = ntr_settings_stream_yaml(s);
    FILE *f = stream ? open_memstream(&buf, &len) : NULL;
    if (!f) {
        free(stream);
        return -1;
    }
    fputs(stream, f);
    free(stream);
    for (int i = 0; i < s->inputs.n; i++)
        fprintf(f, "input %s: %s\n", s->inputs.item[i].key, s->inputs.item[i].hash);
    fprintf(f, "stream replicate: %ld\n", replicate);
    if (fclose(f) != 0) {
        free(buf);
        return -1;
    }
    *out = (unsigned long)(XXH64(buf, len, (XXH64_hash_t)s->seed) & 0xffffffffUL);
    free(buf);
    return 0;
}

/* The cell's identity without its budget (see ntr_cell.lineage). */
static int lineage_of(const ntr_settings *s, long replicate, char out[17])
{
    out[0] = '\0';
    if (ntr_schedule_uses_budget(&s->eta))
        return 0;
    ntr_settings *t = malloc(sizeof *t);
    if (!t)
        return -1;
    *t = *s;
    t->iterations = 0;
    char *text = ntr_plan_identity_text(t);
    free(t);
    if (!text)
        return -1;
    char rep[64];
    XXH64_state_t *st = XXH64_createState();
    if (!st) {
        free(text);
        return -1;
    }
    XXH64_reset(st, 0);
    XXH64_update(st, text, strlen(text));
    snprintf(rep, sizeof rep, "replicate: %ld\nlineage\n", replicate);
    XXH64_update(st, rep, strlen(rep));
    snprintf(out, 17, "%016llx", (unsigned long long)XXH64_digest(st));
    XXH64_freeState(st);
    free(text);
    return 0;
}

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

/* The set of cell hashes, so that a cell met twice (two union grids) is
 * kept once, in constant time per cell.  Hash 0 is stored as 1: the set
 * only filters duplicates, and a false "seen" would need a 64-bit
 * collision with a hash of 0 or 1. */
static size_t hash_slot(const ntr_plan *p, unsigned long long h)
{
    size_t i = (size_t)(h ^ (h >> 29)) & (p->hash_cap - 1);
    while (p->hash_set[i] && p->hash_set[i] != h)
        i = (i + 1) & (p->hash_cap - 1);
    return i;
}

static int hash_seen_or_add(ntr_plan *p, unsigned long long h, int *seen)
{
    if (h < 2)
        h = 1;
    if (2 * (p->ncells + 1) > p->hash_cap) {
        size_t cap = p->hash_cap ? 2 * p->hash_cap : 64;
        unsigned long long *old = p->hash_set;
        size_t old_cap = p->hash_cap;
        p->hash_set = calloc(cap, sizeof *p->hash_set);
        if (!p->hash_set) {
            p->hash_set = old;
            return -1;
        }
        p->hash_cap = cap;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i])
                p->hash_set[hash_slot(p, old[i])] = old[i];
        free(old);
    }
    size_t i = hash_slot(p, h);
    *seen = p->hash_set[i] == h;
    p->hash_set[i] = h;
    return 0;
}

/* A copy of the config without the plan's own keys (sweep, union, seeds,
 * study): those can be large (a list of thousands of values), and copying
 * them into every cell made planning quadratic. */
static ntr_node *cell_tree(const ntr_node *root)
{
    ntr_node *t = ntr_node_map(root->pos);
    for (size_t i = 0; t && i < root->n; i++) {
        const char *k = root->keys[i];
        if (!strcmp(k, "sweep") || !strcmp(k, "union") || !strcmp(k, "seeds") ||
            !strcmp(k, "study") || !strcmp(k, "inputs"))
            continue;
        ntr_node *v = ntr_node_clone(root->items[i]);
        if (!v || ntr_node_put(t, k, root->key_pos[i], v) != 0) {
            ntr_node_free(v);
            ntr_node_free(t);
            return NULL;
        }
    }
    return t;
}

static void flow_text(const ntr_node *n, char *buf, size_t size)
{
    char *txt = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&txt, &len);
    if (!f) {
        snprintf(buf, size, "?");
        return;
    }
    ntr_yaml_emit_flow(f, n);
    fclose(f);
    snprintf(buf, size, "%s", txt ? txt : "");
    free(txt);
}

int ntr_plan_add_point(ntr_plan *p, const ntr_assign *a, size_t na, const char *label,
                       double study_x, ntr_error *err)
{
    char group[512] = "";
    size_t used = 0;
    if (label) {
        snprintf(group, sizeof group, "%s", label);
    } else {
        for (size_t i = 0; i < na && used < sizeof group; i++) {
            char v[160];
            flow_text(a[i].val, v, sizeof v);
            used += (size_t)snprintf(group + used, sizeof group - used, "%s%s=%s", i ? " " : "",
                                     a[i].key, v);
        }
        if (!na)
            snprintf(group, sizeof group, "all");
    }
    for (size_t i = 0; i < na; i++)
        if (find_axis(p, a[i].key) < 0)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (long r = 0; r < p->point_seeds; r++) {
        if (p->ncells >= NTR_MAX_CELLS)
            return ntr_fail_at(err, p->root->pos, "more than %d cells", NTR_MAX_CELLS);
        ntr_node *tree = cell_tree(p->root);
        if (!tree)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        for (size_t i = 0; i < na + p->npins; i++) {
            const char *key = i < na ? a[i].key : p->pin_keys[i - na];
            ntr_node *v = ntr_node_clone(i < na ? a[i].val : p->pin_vals[i - na]);
            if (!v || ntr_node_set_path(tree, key, v, err) != 0) {
                ntr_node_free(tree);
                return v ? -1 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            }
        }
        ntr_cell c;
        memset(&c, 0, sizeof c);
        c.tree = tree;
        if (ntr_setting_exprs_resolve(tree, p->base_dir, err) != 0 ||
            ntr_settings_read(tree, p->base_dir, p->base.name, &c.s, err) != 0) {
            ntr_node_free(tree);
            return -1;
        }
        if (ntr_inputs_hash(&c.s.inputs, c.s.base_dir, &p->files, err) != 0) {
            ntr_node_free(tree);
            return -1;
        }
        c.s.max_memory = p->limits.max_memory;
        c.yaml = ntr_plan_identity_text(&c.s);
        if (!c.yaml) {
            ntr_node_free(tree);
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
        char rep[64];
        snprintf(rep, sizeof rep, "replicate: %ld\n", r);
        XXH64_state_t *st = XXH64_createState();
        XXH64_reset(st, 0);
        XXH64_update(st, c.yaml, strlen(c.yaml));
        XXH64_update(st, rep, strlen(rep));
        unsigned long long h = XXH64_digest(st);
        XXH64_freeState(st);
        snprintf(c.hash, sizeof c.hash, "%016llx", h);
        int seen;
        if (hash_seen_or_add(p, h, &seen) != 0) {
            free(c.yaml);
            ntr_node_free(tree);
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
        if (seen) { /* the same cell from another union grid or study series */
            free(c.yaml);
            ntr_node_free(tree);
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
            memcpy(al->hash, c.hash, sizeof al->hash);
            continue;
        }
        c.replicate = (int)r;
        if (stream_seed(&c.s, r, &c.run_seed) != 0) {
            free(c.yaml);
            ntr_node_free(tree);
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
        if (lineage_of(&c.s, r, c.lineage) != 0) {
            free(c.yaml);
            ntr_node_free(tree);
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
        snprintf(rep, sizeof rep, "init/%ld", r);
        c.init_seed = derive_seed(c.s.seed, rep);
        snprintf(c.group, sizeof c.group, "%s", group);
        c.point = p->npoints;
        c.study_x = study_x;
        c.index = p->ncells;
        /* The array doubles when ncells reaches a power of two (a cell is
         * several KiB: growing it one cell at a time was quadratic). */
        if ((p->ncells & (p->ncells - 1)) == 0) {
            size_t cap = p->ncells ? 2 * p->ncells : 1;
            ntr_cell *cells = realloc(p->cells, cap * sizeof *cells);
            if (!cells) {
                free(c.yaml);
                ntr_node_free(tree);
                return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            }
            p->cells = cells;
        }
        p->cells[p->ncells++] = c;
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

/* One grid: the cartesian product of its keys' lists, first key slowest. */
static int expand_grid(ntr_plan *p, const ntr_node *grid, ntr_error *err)
{
    if (grid->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, grid->pos, "a sweep must map dotted keys to lists of values");
    size_t nk = grid->n;
    if (nk == 0)
        return ntr_plan_add_point(p, NULL, 0, NULL, NAN, err);
    if (nk > 32)
        return ntr_fail_at(err, grid->pos, "a sweep has at most 32 keys");
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
    size_t idx[32] = {0};
    ntr_assign a[32];
    for (;;) {
        for (size_t i = 0; i < nk; i++) {
            a[i].key = grid->keys[i];
            a[i].val = grid->items[i]->items[idx[i]];
        }
        if (ntr_plan_add_point(p, a, nk, NULL, NAN, err) != 0)
            return -1;
        size_t i = nk;
        while (i > 0) {
            i--;
            if (++idx[i] < grid->items[i]->n)
                break;
            idx[i] = 0;
            if (i == 0)
                return 0;
        }
    }
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

    if (text && strlen(text) > (size_t)NTR_YAML_MAX_FILE) {
        ntr_pos pos0 = {p->config_name, 0, 0};
        ntr_fail_at(err, pos0, "config larger than %ld bytes", NTR_YAML_MAX_FILE);
        goto fail;
    }
    if (text ? ntr_yaml_load_string(text, strlen(text), p->config_name, 0, &p->root, err) != 0
             : ntr_yaml_load_file(path, p->config_name, &p->root, err) != 0)
        goto fail;
    if (!p->root) {
        ntr_pos pos = {p->config_name, 1, 1};
        ntr_fail_at(err, pos, "empty config: nothing to run (see configs/quickstart.yaml)");
        goto fail;
    }
    if (p->root->kind != NTR_NODE_MAP) {
        ntr_fail_at(err, p->root->pos, "a config must be a mapping of keys (name:, problem:, ...)");
        goto fail;
    }
    for (int i = 0; i < nsets; i++)
        if (apply_set(p, sets[i], err) != 0)
            goto fail;
    if (ntr_plan_read_base(p, base, err) != 0)
        goto fail;
    ntr_kv kv = {p->root, "config", p->base_dir};
    if (ntr_kv_long(&kv, "seeds", 1, 1, 100000, &p->seeds, err) != 0)
        goto fail;
    p->point_seeds = p->seeds;

    const ntr_node *sweep = ntr_node_get(p->root, "sweep");
    const ntr_node *uni = ntr_node_get(p->root, "union");
    p->study = ntr_node_get(p->root, "study");
    if (uni && uni->kind != NTR_NODE_SEQ) {
        ntr_fail_at(err, uni->pos, "union must be a list of sweeps");
        goto fail;
    }
    if (p->study) {
        if (sweep || uni) {
            ntr_fail_at(err, (sweep ? sweep : uni)->pos,
                        "a study makes its own cells: put the axes to compare under study.over");
            goto fail;
        }
        const ntr_study_type *st;
        ntr_plan_builder b = {p};
        if (ntr_study_of(p->study, &st, err) != 0 || st->expand(&b, p->study, err) != 0)
            goto fail;
        /* NOLINTNEXTLINE(bugprone-branch-clone): every failing step jumps to fail */
    } else if ((uni || sweep) && check_cell_count(p, sweep, uni, err) != 0) {
        goto fail;
    } else if (uni) {
        for (size_t i = 0; i < uni->n; i++)
            if (expand_grid(p, uni->items[i], err) != 0)
                goto fail;
    } else if (sweep) {
        if (expand_grid(p, sweep, err) != 0)
            goto fail;
    } else if (ntr_plan_add_point(p, NULL, 0, NULL, NAN, err) != 0) {
        goto fail;
    }
    if (ntr_plan_finish(p, err) != 0 || ntr_plan_check_recorded_inputs(p, err) != 0)
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

/* plan_cell.c: one cell of a plan (see plan.h): its config tree (the
 * plan's config with a point's assignments and the --set pins applied), its
 * settings, its identity (the hash of its resolved settings, input content
 * hashes and replicate; its lineage, the identity without the budget) and
 * its seeds (the noise stream's, the start point's), and the set of hashes
 * that finds a cell met twice. */
#include "config/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "config/plan_builder.h"
#include "config/setting_expr.h"

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

/* The cell's tree, settings and identity; *seen: the plan already holds it
 * (c is then freed, only its hash kept). */
static int cell_settings(ntr_plan *p, const ntr_assign *a, size_t na, ntr_cell *c,
                         ntr_error *err)
{
    ntr_node *tree = cell_tree(p->root);
    if (!tree)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    c->tree = tree;
    for (size_t i = 0; i < na + p->npins; i++) {
        const char *key = i < na ? a[i].key : p->pin_keys[i - na];
        ntr_node *v = ntr_node_clone(i < na ? a[i].val : p->pin_vals[i - na]);
        if (!v || ntr_node_set_path(tree, key, v, err) != 0)
            return v ? -1 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    if (ntr_setting_exprs_resolve(tree, p->base_dir, err) != 0 ||
        ntr_settings_read(tree, p->base_dir, p->base.name, &c->s, err) != 0 ||
        ntr_inputs_hash(&c->s.inputs, c->s.base_dir, &p->files, err) != 0)
        return -1;
    c->s.max_memory = p->limits.max_memory;
    c->yaml = ntr_plan_identity_text(&c->s);
    return c->yaml ? 0 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
}

int ntr_plan_cell_build(ntr_plan *p, const ntr_assign *a, size_t na, long r, ntr_cell *c,
                        int *seen, ntr_error *err)
{
    memset(c, 0, sizeof *c);
    *seen = 0;
    if (cell_settings(p, a, na, c, err) != 0)
        goto fail;
    char rep[64];
    snprintf(rep, sizeof rep, "replicate: %ld\n", r);
    XXH64_state_t *st = XXH64_createState();
    XXH64_reset(st, 0);
    XXH64_update(st, c->yaml, strlen(c->yaml));
    XXH64_update(st, rep, strlen(rep));
    unsigned long long h = XXH64_digest(st);
    XXH64_freeState(st);
    snprintf(c->hash, sizeof c->hash, "%016llx", h);
    if (hash_seen_or_add(p, h, seen) != 0 || (!*seen && (stream_seed(&c->s, r, &c->run_seed) != 0 ||
                                                         lineage_of(&c->s, r, c->lineage) != 0))) {
        ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        goto fail;
    }
    if (*seen) {
        free(c->yaml);
        ntr_node_free(c->tree);
        c->yaml = NULL;
        c->tree = NULL;
        return 0;
    }
    c->replicate = (int)r;
    snprintf(rep, sizeof rep, "init/%ld", r);
    c->init_seed = derive_seed(c->s.seed, rep);
    return 0;
fail:
    free(c->yaml);
    ntr_node_free(c->tree);
    return -1;
}

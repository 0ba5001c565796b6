/* settings_cols.c: resolved settings as dotted-key columns (see
 * settings_cols.h): each cell's display YAML (config/settings.h) read back
 * and flattened, maps into dotted keys, lists kept as flow text. */
#include "output/settings_cols.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_emit.h"
#include "config/yaml_load.h"

typedef struct flat {
    char **key, **val;
    size_t n, cap;
} flat;

static int flat_add(flat *f, const char *key, char *val)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 64;
        char **k = realloc(f->key, cap * sizeof *k);
        if (k)
            f->key = k;
        char **v = realloc(f->val, cap * sizeof *v);
        if (v)
            f->val = v;
        if (!k || !v)
            return -1;
        f->cap = cap;
    }
    f->key[f->n] = strdup(key);
    f->val[f->n] = val;
    if (!f->key[f->n])
        return -1;
    f->n++;
    return 0;
}

static char *flow_of(const ntr_node *n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    if (n->kind == NTR_NODE_SCALAR)
        fputs(n->text, m);
    else
        ntr_yaml_emit_flow(m, n);
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int flatten(const ntr_node *n, const char *prefix, flat *out)
{
    if (n->kind != NTR_NODE_MAP || n->n == 0) {
        char *v = flow_of(n);
        if (!v || flat_add(out, prefix, v) != 0) {
            free(v);
            return -1;
        }
        return 0;
    }
    for (size_t i = 0; i < n->n; i++) {
        char key[512];
        snprintf(key, sizeof key, "%s%s%s", prefix, prefix[0] ? "." : "", n->keys[i]);
        if (flatten(n->items[i], key, out) != 0)
            return -1;
    }
    return 0;
}

static void flat_free(flat *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->key[i]);
        free(f->val[i]);
    }
    free(f->key);
    free(f->val);
}

static long find_key(const ntr_settings_cols *c, const char *key)
{
    for (size_t i = 0; i < c->nkeys; i++)
        if (strcmp(c->keys[i], key) == 0)
            return (long)i;
    return -1;
}

static int skipped(char *const *skip, size_t nskip, const char *key)
{
    for (size_t i = 0; i < nskip; i++)
        if (strcmp(skip[i], key) == 0)
            return 1;
    return 0;
}

/* Add one cell's keys to the columns (new keys at the end) and its values. */
static int add_cell(ntr_settings_cols *c, size_t cell, flat *f, char *const *skip, size_t nskip)
{
    for (size_t i = 0; i < f->n; i++) {
        if (skipped(skip, nskip, f->key[i]))
            continue;
        long j = find_key(c, f->key[i]);
        if (j < 0) {
            char **keys = realloc(c->keys, (c->nkeys + 1) * sizeof *keys);
            if (!keys)
                return -1;
            c->keys = keys;
            for (size_t r = 0; r < c->ncells; r++) { /* every row has nkeys slots */
                char **v = realloc(c->values[r], (c->nkeys + 1) * sizeof *v);
                if (!v)
                    return -1;
                if (!c->values[r])
                    memset(v, 0, (c->nkeys + 1) * sizeof *v);
                v[c->nkeys] = NULL;
                c->values[r] = v;
            }
            c->keys[c->nkeys] = f->key[i];
            f->key[i] = NULL;
            j = (long)c->nkeys++;
        }
        if (!c->values || !c->values[cell])
            return -1; /* cannot happen: every row has nkeys slots */
        free(c->values[cell][j]);
        c->values[cell][j] = f->val[i];
        f->val[i] = NULL;
    }
    return 0;
}

int ntr_settings_cols_build(const ntr_plan *p, char *const *skip, size_t nskip,
                            ntr_settings_cols *out, ntr_error *err)
{
    memset(out, 0, sizeof *out);
    out->ncells = p->ncells;
    out->values = calloc(p->ncells ? p->ncells : 1, sizeof *out->values);
    if (!out->values)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t c = 0; c < p->ncells; c++) {
        char *text = ntr_settings_yaml_display(&p->cells[c].s, 1);
        ntr_node *root = NULL;
        ntr_error tmp;
        flat f = {NULL, NULL, 0, 0};
        int rc = !text ||
                 ntr_yaml_load_string(text, strlen(text), "resolved", 0, &root, &tmp) != 0 ||
                 !root || flatten(root, "", &f) != 0;
        rc = rc || add_cell(out, c, &f, skip, nskip) != 0;
        flat_free(&f);
        ntr_node_free(root);
        free(text);
        if (rc) {
            ntr_settings_cols_free(out);
            return ntr_fail(err, NTR_E_INTERNAL, "cannot list the settings of cell %zu", c);
        }
    }
    return 0;
}

void ntr_settings_cols_free(ntr_settings_cols *c)
{
    for (size_t r = 0; r < c->ncells && c->values; r++) {
        for (size_t i = 0; c->values[r] && i < c->nkeys; i++)
            free(c->values[r][i]);
        free(c->values[r]);
    }
    free(c->values);
    for (size_t i = 0; i < c->nkeys; i++)
        free(c->keys[i]);
    free(c->keys);
    memset(c, 0, sizeof *c);
}

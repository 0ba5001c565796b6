/* node.c: the configuration tree: building it (scalars, lists, mappings),
 * copying and freeing it, and finding and setting keys, dotted paths
 * included (see node.h).  Reading a scalar as a number, a flag or a
 * string is node_scalar.c; the key/value view problems read is kv_view.c. */
#include "base/node.h"

#include <stdlib.h>
#include <string.h>

static ntr_node *node_new(ntr_node_kind kind, ntr_pos pos)
{
    ntr_node *n = calloc(1, sizeof *n);
    if (n) {
        n->kind = kind;
        n->pos = pos;
    }
    return n;
}

ntr_node *ntr_node_scalar(const char *text, ntr_pos pos, int quoted)
{
    ntr_node *n = node_new(NTR_NODE_SCALAR, pos);
    if (!n)
        return NULL;
    n->text = strdup(text ? text : "");
    n->quoted = quoted;
    if (!n->text) {
        free(n);
        return NULL;
    }
    return n;
}

ntr_node *ntr_node_seq(ntr_pos pos) { return node_new(NTR_NODE_SEQ, pos); }
ntr_node *ntr_node_map(ntr_pos pos) { return node_new(NTR_NODE_MAP, pos); }

static int grow(ntr_node *n)
{
    size_t cap = n->n + 1;
    ntr_node **items = realloc(n->items, cap * sizeof *items);
    if (!items)
        return -1;
    n->items = items;
    if (n->kind == NTR_NODE_MAP) {
        char **keys = realloc(n->keys, cap * sizeof *keys);
        if (!keys)
            return -1;
        n->keys = keys;
        ntr_pos *kp = realloc(n->key_pos, cap * sizeof *kp);
        if (!kp)
            return -1;
        n->key_pos = kp;
    }
    return 0;
}

int ntr_node_push(ntr_node *seq, ntr_node *item)
{
    if (!item || grow(seq) != 0)
        return -1;
    seq->items[seq->n++] = item;
    return 0;
}

int ntr_node_put(ntr_node *map, const char *key, ntr_pos key_pos, ntr_node *val)
{
    if (!val || grow(map) != 0)
        return -1;
    char *k = strdup(key);
    if (!k)
        return -1;
    map->keys[map->n] = k;
    map->key_pos[map->n] = key_pos;
    map->items[map->n] = val;
    map->n++;
    return 0;
}

ntr_node *ntr_node_clone(const ntr_node *n)
{
    if (!n)
        return NULL;
    ntr_node *c;
    if (n->kind == NTR_NODE_SCALAR)
        return ntr_node_scalar(n->text, n->pos, n->quoted);
    c = node_new(n->kind, n->pos);
    if (!c)
        return NULL;
    for (size_t i = 0; i < n->n; i++) {
        ntr_node *item = ntr_node_clone(n->items[i]);
        int rc = n->kind == NTR_NODE_MAP ? ntr_node_put(c, n->keys[i], n->key_pos[i], item)
                                         : ntr_node_push(c, item);
        if (rc != 0) {
            ntr_node_free(item);
            ntr_node_free(c);
            return NULL;
        }
    }
    return c;
}

void ntr_node_free(ntr_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        ntr_node_free(n->items[i]);
        if (n->keys)
            free(n->keys[i]);
    }
    free(n->items);
    free(n->keys);
    free(n->key_pos);
    free(n->text);
    free(n);
}

long ntr_node_find(const ntr_node *map, const char *key)
{
    if (!map || map->kind != NTR_NODE_MAP)
        return -1;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0)
            return (long)i;
    return -1;
}

ntr_node *ntr_node_get(const ntr_node *map, const char *key)
{
    long i = ntr_node_find(map, key);
    /* i >= 0 only when map holds n > i entries, so items is allocated */
    return i < 0 ? NULL : map->items[i]; /* NOLINT(clang-analyzer-core.NullDereference) */
}

int ntr_node_set(ntr_node *map, const char *key, ntr_pos key_pos, ntr_node *val)
{
    long i = ntr_node_find(map, key);
    if (i >= 0) {
        /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): i < n, items allocated */
        ntr_node_free(map->items[i]);
        map->items[i] = val;
        return 0;
    }
    return ntr_node_put(map, key, key_pos, val);
}

void ntr_node_remove(ntr_node *map, const char *key)
{
    long i = ntr_node_find(map, key);
    if (i < 0)
        return;
    ntr_node_free(map->items[i]);
    free(map->keys[i]);
    for (size_t j = (size_t)i + 1; j < map->n; j++) {
        map->items[j - 1] = map->items[j];
        map->keys[j - 1] = map->keys[j];
        map->key_pos[j - 1] = map->key_pos[j];
    }
    map->n--;
}

ntr_node *ntr_node_path(const ntr_node *root, const char *path)
{
    char part[128];
    const ntr_node *cur = root;
    const char *p = path;
    while (cur && *p) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len >= sizeof part)
            return NULL;
        memcpy(part, p, len);
        part[len] = '\0';
        cur = ntr_node_get(cur, part);
        p = dot ? dot + 1 : p + len;
    }
    return (ntr_node *)cur;
}

int ntr_node_set_path(ntr_node *root, const char *path, ntr_node *val, ntr_error *err)
{
    char part[128];
    ntr_node *cur = root;
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len == 0 || len >= sizeof part) {
            ntr_pos pos = val ? val->pos : root->pos;
            ntr_node_free(val);
            return ntr_fail_at(err, pos, "bad key path '%s'", path);
        }
        memcpy(part, p, len);
        part[len] = '\0';
        if (!dot) {
            if (ntr_node_set(cur, part, val->pos, val) != 0) {
                ntr_node_free(val);
                return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            }
            return 0;
        }
        ntr_node *next = ntr_node_get(cur, part);
        if (!next) {
            next = ntr_node_map(val->pos);
            if (!next || ntr_node_put(cur, part, val->pos, next) != 0) {
                ntr_node_free(next);
                ntr_node_free(val);
                return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            }
        } else if (next->kind != NTR_NODE_MAP) {
            ntr_pos pos = val->pos;
            ntr_node_free(val);
            return ntr_fail_at(err, pos, "cannot set '%s': '%s' is not a mapping", path, part);
        }
        cur = next;
        p = dot + 1;
    }
}

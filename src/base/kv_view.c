/* kv_view.c: the ntr_kv view, the already parsed key/value map a problem,
 * a method or a noise type reads its own keys through: typed reads with
 * defaults and ranges, positions for errors, the check for unknown keys,
 * and (on a recording view) the record of what was read (kv_record.h). */
#include "base/node.h"
#include "base/kv_record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ntr_node *kv_get(const ntr_kv *kv, const char *key)
{
    return kv->map ? ntr_node_get(kv->map, key) : NULL;
}

static void kv_what(const ntr_kv *kv, const char *key, char *buf, size_t size)
{
    snprintf(buf, size, "%s.%s", kv->section ? kv->section : "problem", key);
}

int ntr_kv_has(const ntr_kv *kv, const char *key) { return kv_get(kv, key) != NULL; }

ntr_pos ntr_kv_pos(const ntr_kv *kv, const char *key)
{
    const ntr_node *n = kv_get(kv, key);
    if (n)
        return n->pos;
    if (kv->map)
        return kv->map->pos;
    ntr_pos none = {NULL, 0, 0};
    return none;
}

int ntr_kv_double(const ntr_kv *kv, const char *key, double def, double lo, double hi,
                  double *out, ntr_error *err)
{
    const ntr_node *n = kv_get(kv, key);
    if (ntr_kv_record_of(kv)) {
        char kind[96], d[32];
        snprintf(kind, sizeof kind, "number in [%g, %g]", lo, hi);
        snprintf(d, sizeof d, "%g", def);
        ntr_kv_note(kv, key, kind, d);
    }
    char what[160];
    kv_what(kv, key, what, sizeof what);
    if (!n) {
        *out = def;
        return 0;
    }
    double v;
    if (ntr_node_as_double(n, what, &v, err) != 0)
        return -1;
    if (v < lo || v > hi)
        return ntr_fail_at(err, n->pos, "%s = %s is out of range [%g, %g]", what, n->text, lo, hi);
    *out = v;
    return 0;
}

int ntr_kv_long(const ntr_kv *kv, const char *key, long def, long lo, long hi, long *out,
                ntr_error *err)
{
    const ntr_node *n = kv_get(kv, key);
    if (ntr_kv_record_of(kv)) {
        char kind[96], d[32];
        snprintf(kind, sizeof kind, "whole number in [%ld, %ld]", lo, hi);
        snprintf(d, sizeof d, "%ld", def);
        ntr_kv_note(kv, key, kind, d);
    }
    char what[160];
    kv_what(kv, key, what, sizeof what);
    if (!n) {
        *out = def;
        return 0;
    }
    return ntr_node_as_long_in(n, what, lo, hi, out, err);
}

int ntr_kv_doubles(const ntr_kv *kv, const char *key, double lo, double hi, double *out,
                   size_t max, size_t *n, ntr_error *err)
{
    const ntr_node *node = kv_get(kv, key);
    char what[160];
    kv_what(kv, key, what, sizeof what);
    *n = 0;
    if (ntr_kv_record_of(kv)) {
        char kind[96];
        snprintf(kind, sizeof kind, "a number or a list of up to %zu, each in [%g, %g]", max, lo,
                 hi);
        ntr_kv_note(kv, key, kind, "");
    }
    if (!node)
        return 0;
    if (node->kind == NTR_NODE_MAP)
        return ntr_fail_at(err, node->pos, "%s: expected a number or a list of numbers", what);
    size_t count = node->kind == NTR_NODE_SEQ ? node->n : 1;
    if (count == 0 || count > max)
        return ntr_fail_at(err, node->pos, "%s: %zu numbers given, 1 to %zu expected", what,
                           count, max);
    for (size_t i = 0; i < count; i++) {
        const ntr_node *item = node->kind == NTR_NODE_SEQ ? node->items[i] : node;
        double v;
        if (ntr_node_as_double(item, what, &v, err) != 0)
            return -1;
        if (v < lo || v > hi)
            return ntr_fail_at(err, item->pos, "%s = %s is out of range [%g, %g]", what,
                               item->text, lo, hi);
        out[i] = v;
    }
    *n = count;
    return 0;
}

int ntr_kv_bool(const ntr_kv *kv, const char *key, int def, int *out, ntr_error *err)
{
    const ntr_node *n = kv_get(kv, key);
    ntr_kv_note(kv, key, "true or false", def ? "true" : "false");
    char what[160];
    kv_what(kv, key, what, sizeof what);
    if (!n) {
        *out = def;
        return 0;
    }
    return ntr_node_as_bool(n, what, out, err);
}

int ntr_kv_choice(const ntr_kv *kv, const char *key, const char *const *choices, int def,
                  int *out, ntr_error *err)
{
    const ntr_node *n = kv_get(kv, key);
    if (ntr_kv_record_of(kv)) {
        char kind[96] = "one of ";
        for (int i = 0; choices[i]; i++)
            snprintf(kind + strlen(kind), sizeof kind - strlen(kind), "%s%s", i ? ", " : "",
                     choices[i]);
        ntr_kv_note(kv, key, kind, choices[def]);
    }
    char what[160];
    kv_what(kv, key, what, sizeof what);
    if (!n) {
        *out = def;
        return 0;
    }
    const char *s = NULL;
    if (ntr_node_as_string(n, what, &s, err) != 0)
        return -1;
    for (int i = 0; choices[i]; i++)
        if (strcmp(s, choices[i]) == 0) {
            *out = i;
            return 0;
        }
    char list[256] = "";
    size_t used = 0;
    for (int i = 0; choices[i] && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", choices[i]);
    const char *near = ntr_nearest(s, choices);
    if (near)
        return ntr_fail_at(err, n->pos, "%s: unknown value '%s' (did you mean '%s'? one of: %s)",
                           what, s, near, list);
    return ntr_fail_at(err, n->pos, "%s: unknown value '%s' (one of: %s)", what, s, list);
}

int ntr_kv_string(const ntr_kv *kv, const char *key, const char *def, const char **out,
                  ntr_error *err)
{
    const ntr_node *n = kv_get(kv, key);
    ntr_kv_note(kv, key, "text", def);
    char what[160];
    kv_what(kv, key, what, sizeof what);
    if (!n) {
        *out = def;
        return 0;
    }
    return ntr_node_as_string(n, what, out, err);
}

int ntr_kv_path(const ntr_kv *kv, const char *key, char *buf, size_t size, ntr_error *err)
{
    const char *s = NULL;
    buf[0] = '\0';
    ntr_kv_note(kv, key, "a file (relative to the config's folder)", "");
    if (ntr_kv_string(kv, key, NULL, &s, err) != 0)
        return -1;
    if (!s)
        return 0;
    if (s[0] == '\0')
        return ntr_fail_at(err, ntr_kv_pos(kv, key), "%s.%s: empty file name",
                           kv->section ? kv->section : "problem", key);
    int n;
    if (s[0] == '/' || !kv->base_dir || !kv->base_dir[0])
        n = snprintf(buf, size, "%s", s);
    else
        n = snprintf(buf, size, "%s/%s", kv->base_dir, s);
    if (n < 0 || (size_t)n >= size)
        return ntr_fail_at(err, ntr_kv_pos(kv, key), "%s.%s: file name too long",
                           kv->section ? kv->section : "problem", key);
    return 0;
}

int ntr_kv_check_keys(const ntr_kv *kv, const char *const *allowed, ntr_error *err)
{
    if (!kv->map)
        return 0;
    if (kv->map->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, kv->map->pos, "%s must be a mapping", kv->section);
    for (size_t i = 0; i < kv->map->n; i++) {
        const char *k = kv->map->keys[i];
        int ok = 0;
        for (size_t j = 0; allowed && allowed[j]; j++)
            if (strcmp(k, allowed[j]) == 0)
                ok = 1;
        if (ok)
            continue;
        const char *near = ntr_nearest(k, allowed);
        char list[400] = "";
        size_t used = 0;
        for (size_t j = 0; allowed && allowed[j] && used < sizeof list - 8; j++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "",
                                     allowed[j]);
        if (used >= sizeof list - 8)
            snprintf(list + sizeof list - 8, 8, ", ...");
        if (near)
            return ntr_fail_at(err, kv->map->key_pos[i],
                               "unknown key '%s.%s' (did you mean '%s'?); valid keys: %s",
                               kv->section, k, near, list);
        return ntr_fail_at(err, kv->map->key_pos[i], "unknown key '%s.%s'; valid keys: %s",
                           kv->section, k, list);
    }
    return 0;
}

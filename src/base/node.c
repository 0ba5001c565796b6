/* node.c: the configuration tree (construction, lookup, dotted paths),
 * scalar conversions with positioned errors, nearest-name suggestions and
 * the ntr_kv view problems read their keys through (see node.h). */
#include "base/node.h"
#include "base/kv_record.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static const char *kind_name(const ntr_node *n)
{
    return n->kind == NTR_NODE_MAP ? "a mapping" : n->kind == NTR_NODE_SEQ ? "a list" : "a scalar";
}

/* Numbers are written in decimal: an optional sign, digits with an
 * optional fraction, an optional exponent ("1e-3", "-0.5", ".5", "2.").
 * A leading zero before another digit ("017", which YAML 1.1 reads as
 * octal and other readers as 17), hexadecimal ("0x10"), octal or binary
 * prefixes, digit separators and the words inf and nan are refused rather
 * than read one way or another.  Returns 0 for a well-formed number text. */
static int decimal_number(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t int_digits = strspn(p, "0123456789");
    if (int_digits > 1 && p[0] == '0')
        return -1;
    p += int_digits;
    size_t frac_digits = 0;
    if (*p == '.') {
        p++;
        frac_digits = strspn(p, "0123456789");
        p += frac_digits;
    }
    if (int_digits + frac_digits == 0)
        return -1;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        size_t exp_digits = strspn(p, "0123456789");
        if (exp_digits == 0)
            return -1;
        p += exp_digits;
    }
    return *p == '\0' ? 0 : -1;
}

/* 1 when s is an optional sign and decimal digits only. */
static int integer_text(const char *s)
{
    const char *p = s + (*s == '+' || *s == '-');
    return *p && strspn(p, "0123456789") == strlen(p);
}

int ntr_node_as_double(const ntr_node *n, const char *what, double *out, ntr_error *err)
{
    if (n->kind != NTR_NODE_SCALAR || n->quoted)
        return ntr_fail_at(err, n->pos, "%s must be a number, not %s", what,
                           n->kind == NTR_NODE_SCALAR ? "a quoted string" : kind_name(n));
    const char *s = n->text;
    if (decimal_number(s) != 0) {
        const char *digits = s + (*s == '+' || *s == '-');
        if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X' || digits[1] == 'o' ||
                                 digits[1] == 'b' || (digits[1] >= '0' && digits[1] <= '9')))
            return ntr_fail_at(err, n->pos,
                               "%s: write numbers in decimal without leading zeros, not '%s' "
                               "(hexadecimal, octal and 017-style numbers are not read)",
                               what, s);
        return ntr_fail_at(err, n->pos, "%s must be a number, not '%s'", what, s);
    }
    errno = 0;
    double v = strtod(s, NULL);
    /* Every decimal text gives a number; too large or too small for a
     * double (strtod: ERANGE) is out of range, whatever the key's range. */
    if (!isfinite(v) || (errno == ERANGE && (v == 0.0 || fabs(v) < DBL_MIN)))
        return ntr_fail_at(err, n->pos,
                           "%s = %s is out of range: a number other than 0 must be between "
                           "%.17g and %.17g in magnitude",
                           what, s, DBL_MIN, DBL_MAX);
    *out = v;
    return 0;
}

int ntr_node_as_long_in(const ntr_node *n, const char *what, long lo, long hi, long *out,
                        ntr_error *err)
{
    double v;
    if (ntr_node_as_double(n, what, &v, err) != 0)
        return -1;
    long w;
    if (integer_text(n->text)) {
        /* exact, also beyond 2^53 */
        errno = 0;
        long long ll = strtoll(n->text, NULL, 10);
        if (errno == ERANGE || ll < lo || ll > hi)
            return ntr_fail_at(err, n->pos, "%s = %s is out of range [%ld, %ld]", what, n->text,
                               lo, hi);
        w = (long)ll;
    } else {
        if (v != floor(v))
            return ntr_fail_at(err, n->pos, "%s must be a whole number, not '%s'", what, n->text);
        if (v < (double)lo || v > (double)hi || fabs(v) > 9007199254740992.0)
            return ntr_fail_at(err, n->pos, "%s = %s is out of range [%ld, %ld]", what, n->text,
                               lo, hi);
        w = (long)v;
    }
    *out = w;
    return 0;
}

int ntr_node_as_long(const ntr_node *n, const char *what, long *out, ntr_error *err)
{
    return ntr_node_as_long_in(n, what, LONG_MIN, LONG_MAX, out, err);
}

int ntr_node_as_bool(const ntr_node *n, const char *what, int *out, ntr_error *err)
{
    if (n->kind == NTR_NODE_SCALAR && !n->quoted) {
        const char *s = n->text;
        if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "yes") || !strcmp(s, "on")) {
            *out = 1;
            return 0;
        }
        if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "no") || !strcmp(s, "off")) {
            *out = 0;
            return 0;
        }
    }
    return ntr_fail_at(err, n->pos, "%s must be true or false, not %s%s%s", what,
                       n->kind == NTR_NODE_SCALAR ? "'" : "",
                       n->kind == NTR_NODE_SCALAR ? n->text : kind_name(n),
                       n->kind == NTR_NODE_SCALAR ? "'" : "");
}

int ntr_node_as_string(const ntr_node *n, const char *what, const char **out, ntr_error *err)
{
    if (n->kind != NTR_NODE_SCALAR)
        return ntr_fail_at(err, n->pos, "%s must be a string, not %s", what, kind_name(n));
    *out = n->text;
    return 0;
}

/* Levenshtein distance, capped for long words. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return (size_t)-1;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *ntr_nearest(const char *word, const char *const *candidates)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; candidates && candidates[i]; i++) {
        size_t d = edit_distance(word, candidates[i]);
        if (strcasecmp(word, candidates[i]) == 0)
            d = 0;
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    size_t len = strlen(word);
    size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    return best_d <= limit ? best : NULL;
}

/* ---- key/value view --------------------------------------------------- */

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

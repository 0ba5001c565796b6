/* registry.c: the noise types ntr knows, one line X(NAME) each for a file
 * defining `const ntr_noise_type ntr_noise_NAME` (see noise.h), and the
 * generic reading of their declared keys. */
#include "noise/noise.h"
#include "base/registry.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The order is the order of --list and of the error messages' lists; the
 * list both declares each type and puts it in the table. */
#define NTR_NOISE_LIST(X) \
    X(none)         \
    X(gaussian)     \
    X(student_t)    \
    X(sparse)       \
    X(minibatch)    \
    X(separable)    \
    /* one line per type above; the list ends here */

#define DECLARE(name) extern const ntr_noise_type ntr_noise_##name;
#define ENTRY(name) &ntr_noise_##name,
NTR_NOISE_LIST(DECLARE)

const ntr_noise_type *const ntr_noise_types[] = {NTR_NOISE_LIST(ENTRY) NULL};

const ntr_noise_type *ntr_noise_lookup(const char *name)
{
    const char *names[NTR_REGISTRY_MAX];
    NTR_REGISTRY_NAMES(ntr_noise_types, names);
    int i = ntr_registry_index(names, name);
    return i < 0 ? NULL : ntr_noise_types[i];
}

int ntr_noise_find(const char *name, const char *what, ntr_pos pos, const ntr_noise_type **out,
                    ntr_error *err)
{
    const char *names[NTR_REGISTRY_MAX];
    NTR_REGISTRY_NAMES(ntr_noise_types, names);
    int i = ntr_registry_find(names, name, what, pos, err);
    if (i < 0)
        return -1;
    *out = ntr_noise_types[i];
    return 0;
}

int ntr_noise_key_index(const ntr_noise_type *t, const char *key)
{
    for (int i = 0; t->keys && t->keys[i].name; i++)
        if (strcmp(t->keys[i].name, key) == 0)
            return i;
    return -1;
}

void ntr_noise_all_keys(const char **keys, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; ntr_noise_types[i]; i++) {
        const ntr_noise_key *k = ntr_noise_types[i]->keys;
        for (size_t j = 0; k && k[j].name && n + 1 < size; j++) {
            size_t m = 0;
            while (m < n && strcmp(keys[m], k[j].name) != 0)
                m++;
            if (m == n)
                keys[n++] = k[j].name;
        }
    }
    keys[n] = NULL;
}

/* One declared key: a number in range, a whole number when declared so, or
 * the word "all" (0) where allowed. */
static int read_key(const ntr_kv *kv, const ntr_noise_key *k, double *out, ntr_error *err)
{
    const ntr_node *n = ntr_node_get(kv->map, k->name);
    if (k->all_word && n && n->kind == NTR_NODE_SCALAR && strcmp(n->text, "all") == 0) {
        *out = 0.0;
        return 0;
    }
    if (ntr_kv_double(kv, k->name, k->def, k->lo, k->hi, out, err) != 0)
        return -1;
    if (k->integer && *out != floor(*out))
        return ntr_fail_at(err, ntr_kv_pos(kv, k->name), "%s.%s must be a whole number%s, not %g",
                           kv->section, k->name, k->all_word ? " or all" : "", *out);
    return 0;
}

int ntr_noise_read_opts(const ntr_noise_type *t, const ntr_kv *kv, double *opts, ntr_pos *pos,
                        ntr_error *err)
{
    /* A key of another type is still checked against its own declaration,
     * so that a sweep over noise.type meets no surprise. */
    for (size_t i = 0; ntr_noise_types[i]; i++) {
        const ntr_noise_type *o = ntr_noise_types[i];
        for (size_t j = 0; o != t && o->keys && o->keys[j].name; j++) {
            double v;
            if (ntr_noise_key_index(t, o->keys[j].name) < 0 &&
                ntr_node_get(kv->map, o->keys[j].name) && read_key(kv, &o->keys[j], &v, err) != 0)
                return -1;
        }
    }
    for (int j = 0; t->keys && t->keys[j].name; j++) {
        if (read_key(kv, &t->keys[j], &opts[j], err) != 0)
            return -1;
        pos[j] = ntr_kv_pos(kv, t->keys[j].name);
    }
    return t->check ? t->check(kv, opts, err) : 0;
}

/* own_keys.c: the options a single method declares (ntr_method_key, see
 * method.h), read generically from the method section: defaults, ranges
 * and positions here, what a range cannot say in the method's check. */
#include "methods/method.h"
#include "base/node.h"

#include <string.h>

static int key_index(const ntr_method_type *t, const char *key)
{
    for (int i = 0; t->own_keys && t->own_keys[i].name; i++)
        if (strcmp(t->own_keys[i].name, key) == 0)
            return i;
    return -1;
}

/* The first declaration of key among the methods, or NULL. */
static const ntr_method_key *first_declaration(const char *key)
{
    for (size_t i = 0; ntr_method_types[i]; i++) {
        int j = key_index(ntr_method_types[i], key);
        if (j >= 0)
            return &ntr_method_types[i]->own_keys[j];
    }
    return NULL;
}

void ntr_method_all_keys(const char **keys, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; ntr_method_types[i]; i++) {
        const ntr_method_key *k = ntr_method_types[i]->own_keys;
        for (size_t j = 0; k && k[j].name && n + 1 < size; j++)
            if (first_declaration(k[j].name) == &k[j])
                keys[n++] = k[j].name;
    }
    keys[n] = NULL;
}

void ntr_method_own_defaults(const ntr_method_type *t, ntr_method_opts *o)
{
    for (int i = 0; t->own_keys && t->own_keys[i].name && i < NTR_METHOD_MAX_KEYS; i++)
        o->own[i] = t->own_keys[i].def;
}

int ntr_method_read_own(const ntr_method_type *t, const ntr_kv *kv, ntr_method_opts *o,
                        ntr_error *err)
{
    for (size_t i = 0; ntr_method_types[i]; i++) {
        const ntr_method_key *k = ntr_method_types[i]->own_keys;
        for (size_t j = 0; k && k[j].name; j++) {
            double v;
            if (key_index(t, k[j].name) < 0 && ntr_node_get(kv->map, k[j].name) &&
                ntr_kv_double(kv, k[j].name, k[j].def, k[j].lo, k[j].hi, &v, err) != 0)
                return -1;
        }
    }
    for (int i = 0; t->own_keys && t->own_keys[i].name; i++) {
        const ntr_method_key *k = &t->own_keys[i];
        if (i >= NTR_METHOD_MAX_KEYS)
            return ntr_fail(err, NTR_E_INTERNAL, "method %s declares more than %d own keys",
                            t->name, NTR_METHOD_MAX_KEYS);
        if (ntr_kv_double(kv, k->name, k->def, k->lo, k->hi, &o->own[i], err) != 0)
            return -1;
    }
    return 0;
}

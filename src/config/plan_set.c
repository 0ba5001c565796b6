/* plan_set.c: the command line's changes to a config tree before it is
 * expanded (see plan.h): --set KEY=VALUE puts a value (a swept list under
 * sweep.KEY), --unset KEY removes a key, a swept key or a block; a --set
 * cell key is remembered (a pin) and applied again last on every point of
 * a study, so that it reaches every variant (ntr_plan_pinned). */
#include "config/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_load.h"

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

int ntr_plan_apply_set(ntr_plan *p, const char *arg, ntr_error *err)
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

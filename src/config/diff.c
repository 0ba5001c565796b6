/* diff.c: differing dotted keys between two config trees (see diff.h). */
#include "config/diff.h"

#include <stdio.h>
#include <string.h>

#include "config/yaml_load.h"

typedef struct diff_out {
    char *buf;
    size_t size, used, count;
} diff_out;

static void note(diff_out *o, const char *path)
{
    o->count++;
    if (o->used + strlen(path) + 8 >= o->size) {
        if (o->used + 4 < o->size && !strstr(o->buf, "..."))
            o->used += (size_t)snprintf(o->buf + o->used, o->size - o->used, ", ...");
        return;
    }
    o->used += (size_t)snprintf(o->buf + o->used, o->size - o->used, "%s%s", o->used ? ", " : "",
                                path[0] ? path : "(whole config)");
}

static void walk(const ntr_node *a, const ntr_node *b, const char *path, diff_out *o)
{
    if (!a || !b || a->kind != b->kind) {
        note(o, path);
        return;
    }
    if (a->kind == NTR_NODE_SCALAR) {
        if (strcmp(a->text, b->text) != 0)
            note(o, path);
        return;
    }
    if (a->kind == NTR_NODE_SEQ) {
        int same = a->n == b->n;
        for (size_t i = 0; same && i < a->n; i++) {
            diff_out tmp = {NULL, 0, 0, 0};
            char none[1] = "";
            tmp.buf = none;
            walk(a->items[i], b->items[i], path, &tmp);
            same = tmp.count == 0;
        }
        if (!same)
            note(o, path);
        return;
    }
    char sub[512];
    for (size_t i = 0; i < a->n; i++) {
        snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", a->keys[i]);
        walk(a->items[i], ntr_node_get(b, a->keys[i]), sub, o);
    }
    for (size_t i = 0; i < b->n; i++)
        if (ntr_node_find(a, b->keys[i]) < 0) {
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", b->keys[i]);
            note(o, sub);
        }
}

size_t ntr_node_diff(const ntr_node *a, const ntr_node *b, char *buf, size_t size)
{
    diff_out o = {buf, size, 0, 0};
    if (size)
        buf[0] = '\0';
    walk(a, b, "", &o);
    return o.count;
}

/* Data files of the new plan whose content differs from the stored one's. */
static size_t changed_inputs(const ntr_node *old, const ntr_node *cur, char *buf, size_t size)
{
    size_t used = 0, count = 0;
    buf[0] = '\0';
    for (size_t i = 0; cur && old && i < cur->n; i++) {
        const ntr_node *was = ntr_node_get(old, cur->keys[i]);
        if (!was || was->kind != NTR_NODE_SCALAR || cur->items[i]->kind != NTR_NODE_SCALAR ||
            strcmp(was->text, cur->items[i]->text) == 0)
            continue;
        count++;
        if (used < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%s (content hash %s, was %s)",
                                     used ? ", " : "", cur->keys[i], cur->items[i]->text,
                                     was->text);
    }
    return count;
}

int ntr_config_compare(const char *stored_text, const char *new_text, const char *stored_path,
                       char *keys, size_t size, ntr_error *err)
{
    if (size)
        keys[0] = '\0';
    if (strcmp(stored_text, new_text) == 0)
        return 0;
    ntr_node *a = NULL, *b = NULL;
    ntr_error tmp;
    char inputs[600] = "";
    int rc = 0;
    if (ntr_yaml_load_string(stored_text, strlen(stored_text), stored_path, 0, &a, &tmp) != 0 ||
        !a || a->kind != NTR_NODE_MAP) {
        rc = ntr_fail(err, NTR_E_INPUT,
                      "%s is not a config ntr-run can read (%s); use another -o folder, or "
                      "--force-new to move the old folder aside and start anew",
                      stored_path, a ? "not a mapping" : tmp.msg);
    } else if (ntr_yaml_load_string(new_text, strlen(new_text), "new", 0, &b, &tmp) != 0) {
        rc = ntr_fail(err, NTR_E_INTERNAL, "cannot re-read the resolved config: %s", tmp.msg);
    } else if (changed_inputs(ntr_node_get(a, "inputs"), ntr_node_get(b, "inputs"), inputs,
                              sizeof inputs) > 0) {
        rc = ntr_fail(err, NTR_E_INPUT,
                      "data changed since %s was written: %s; restore the file, or use "
                      "--force-new to move the old folder aside and start anew",
                      stored_path, inputs);
    } else {
        /* where the data files are is not what the cells computed */
        ntr_node_remove(a, "data_dir");
        ntr_node_remove(b, "data_dir");
        rc = ntr_node_diff(a, b, keys, size) > 0;
    }
    ntr_node_free(a);
    ntr_node_free(b);
    return rc;
}

int ntr_config_check(const char *stored_text, const char *new_text, const char *stored_path,
                     ntr_error *err)
{
    char keys[600];
    int rc = ntr_config_compare(stored_text, new_text, stored_path, keys, sizeof keys, err);
    if (rc > 0)
        return ntr_fail(err, NTR_E_INPUT,
                        "%s holds results of a different config (differing: %s); use another -o "
                        "folder, or --force-new to move the old folder aside and start anew",
                        stored_path, keys);
    return rc;
}

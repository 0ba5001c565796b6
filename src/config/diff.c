/* diff.c: differing dotted keys between two config trees (see diff.h). */
#include "diff.h"

#include <stdio.h>
#include <string.h>

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

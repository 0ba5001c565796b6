/* yaml_load.c: libyaml's document API turned into an ntr_node tree (see
 * yaml_load.h).  Aliases are expanded by copying, so a cap on the number of
 * nodes built stops exponential "billion laughs" documents. */
#include "yaml_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct build_ctx {
    yaml_document_t *doc;
    const char *name;
    int col0;
    size_t built;
    ntr_error *err;
} build_ctx;

static ntr_pos mark_pos(const build_ctx *c, yaml_mark_t m)
{
    ntr_pos p = {c->name, (int)m.line + 1, (int)m.column + 1 + (m.line == 0 ? c->col0 : 0)};
    return p;
}

static ntr_node *build(build_ctx *c, yaml_node_t *yn, int depth)
{
    ntr_pos pos = mark_pos(c, yn->start_mark);
    if (depth > NTR_YAML_MAX_DEPTH) {
        ntr_fail_at(c->err, pos, "document nested deeper than %d levels", NTR_YAML_MAX_DEPTH);
        return NULL;
    }
    if (++c->built > NTR_YAML_MAX_NODES) {
        ntr_fail_at(c->err, pos,
                    "document expands to more than %d nodes (aliases expanding too much?)",
                    NTR_YAML_MAX_NODES);
        return NULL;
    }
    ntr_node *n = NULL;
    switch (yn->type) {
    case YAML_SCALAR_NODE: {
        size_t len = yn->data.scalar.length;
        if (len > NTR_YAML_MAX_SCALAR) {
            ntr_fail_at(c->err, pos, "value longer than %d characters", NTR_YAML_MAX_SCALAR);
            return NULL;
        }
        if (memchr(yn->data.scalar.value, '\0', len)) {
            ntr_fail_at(c->err, pos, "value contains a NUL character");
            return NULL;
        }
        int quoted = yn->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                     yn->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
                     yn->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                     yn->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
        n = ntr_node_scalar((const char *)yn->data.scalar.value, pos, quoted);
        break;
    }
    case YAML_SEQUENCE_NODE: {
        n = ntr_node_seq(pos);
        for (yaml_node_item_t *it = yn->data.sequence.items.start;
             n && it < yn->data.sequence.items.top; it++) {
            ntr_node *child = build(c, yaml_document_get_node(c->doc, *it), depth + 1);
            if (!child || ntr_node_push(n, child) != 0) {
                ntr_node_free(child);
                ntr_node_free(n);
                return NULL;
            }
        }
        break;
    }
    case YAML_MAPPING_NODE: {
        n = ntr_node_map(pos);
        for (yaml_node_pair_t *pr = yn->data.mapping.pairs.start;
             n && pr < yn->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
            ntr_pos kpos = mark_pos(c, k->start_mark);
            if (k->type != YAML_SCALAR_NODE) {
                ntr_fail_at(c->err, kpos, "a key must be a plain name, not a list or mapping");
                ntr_node_free(n);
                return NULL;
            }
            const char *key = (const char *)k->data.scalar.value;
            if (ntr_node_find(n, key) >= 0) {
                long first = ntr_node_find(n, key);
                ntr_fail_at(c->err, kpos, "duplicate key '%s' (first given at line %d)", key,
                            n->key_pos[first].line);
                ntr_node_free(n);
                return NULL;
            }
            ntr_node *child = build(c, yaml_document_get_node(c->doc, pr->value), depth + 1);
            if (!child || ntr_node_put(n, key, kpos, child) != 0) {
                ntr_node_free(child);
                ntr_node_free(n);
                return NULL;
            }
        }
        break;
    }
    default:
        ntr_fail_at(c->err, pos, "empty YAML node");
        return NULL;
    }
    if (!n && c->err && c->err->kind == NTR_E_NONE)
        ntr_fail(c->err, NTR_E_INTERNAL, "out of memory");
    return n;
}

/* Line and column of a byte offset into text (reader errors, such as bytes
 * that are not UTF-8, carry an offset instead of a mark). */
static yaml_mark_t offset_mark(const char *text, size_t len, size_t offset)
{
    yaml_mark_t m = {offset, 0, 0};
    for (size_t i = 0; i < offset && i < len; i++) {
        if (text[i] == '\n') {
            m.line++;
            m.column = 0;
        } else {
            m.column++;
        }
    }
    return m;
}

static int parse(yaml_parser_t *parser, const char *text, size_t len, const char *name, int col0,
                 ntr_node **root, ntr_error *err)
{
    yaml_document_t doc;
    *root = NULL;
    if (!yaml_parser_load(parser, &doc)) {
        yaml_mark_t m = parser->error == YAML_READER_ERROR
                            ? offset_mark(text, len, parser->problem_offset)
                            : parser->problem_mark;
        ntr_pos pos = {name, (int)m.line + 1, (int)m.column + 1 + (m.line == 0 ? col0 : 0)};
        const char *what = parser->problem ? parser->problem : "malformed YAML";
        if (parser->context)
            return ntr_fail_at(err, pos, "YAML syntax error: %s %s", what, parser->context);
        return ntr_fail_at(err, pos, "YAML syntax error: %s", what);
    }
    yaml_node_t *top = yaml_document_get_root_node(&doc);
    int rc = 0;
    if (top) {
        build_ctx c = {&doc, name, col0, 0, err};
        if (err)
            err->kind = NTR_E_NONE;
        *root = build(&c, top, 0);
        if (!*root)
            rc = -1;
    }
    yaml_document_delete(&doc);
    if (rc == 0) {
        /* A second document is almost always a mistake (a stray '---'). */
        yaml_document_t next;
        if (yaml_parser_load(parser, &next)) {
            int more = yaml_document_get_root_node(&next) != NULL;
            ntr_pos pos = {name, (int)next.start_mark.line + 1, 1}; /* its '---' */
            yaml_document_delete(&next);
            if (more) {
                ntr_node_free(*root);
                *root = NULL;
                return ntr_fail_at(err, pos, "more than one YAML document; ntr reads one");
            }
        }
    }
    return rc;
}

int ntr_yaml_load_string(const char *text, size_t len, const char *name, int col0,
                         ntr_node **root, ntr_error *err)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return ntr_fail(err, NTR_E_INTERNAL, "cannot initialise the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc = parse(&parser, text, len, name, col0, root, err);
    yaml_parser_delete(&parser);
    return rc;
}

int ntr_yaml_load_file(const char *path, const char *name, ntr_node **root, ntr_error *err)
{
    FILE *f = fopen(path, "rb");
    *root = NULL;
    if (!f) {
        ntr_pos pos = {name, 0, 0};
        return ntr_fail_at(err, pos, "cannot open config: %s", strerror(errno));
    }
    char *buf = malloc((size_t)NTR_YAML_MAX_FILE + 1);
    if (!buf) {
        fclose(f);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    size_t len = fread(buf, 1, (size_t)NTR_YAML_MAX_FILE + 1, f);
    int read_err = ferror(f);
    fclose(f);
    ntr_pos pos0 = {name, 0, 0};
    if (read_err) {
        free(buf);
        return ntr_fail_at(err, pos0, "cannot read config");
    }
    if (len > (size_t)NTR_YAML_MAX_FILE) {
        free(buf);
        return ntr_fail_at(err, pos0, "config larger than %ld bytes", NTR_YAML_MAX_FILE);
    }
    int rc = ntr_yaml_load_string(buf, len, name, 0, root, err);
    free(buf);
    return rc;
}

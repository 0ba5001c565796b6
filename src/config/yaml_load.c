/* yaml_load.c: libyaml's document API turned into an ntr_node tree (see
 * yaml_load.h).  Aliases are expanded by copying, so a cap on the number of
 * nodes built stops exponential "billion laughs" documents. */
#include "config/yaml_load.h"

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

static int syntax_error(const yaml_parser_t *parser, const char *text, size_t len,
                        const char *name, int col0, ntr_error *err)
{
    yaml_mark_t m = parser->error == YAML_READER_ERROR
                        ? offset_mark(text, len, parser->problem_offset)
                        : parser->problem_mark;
    ntr_pos pos = {name, (int)m.line + 1, (int)m.column + 1 + (m.line == 0 ? col0 : 0)};
    const char *what = parser->problem ? parser->problem : "malformed YAML";
    /* libyaml's words for text after a complete document ({...} then more
     * lines, a --set value with something after it) */
    if (strstr(what, "did not find expected <document start>"))
        return ntr_fail_at(err, pos,
                           "YAML syntax error: text after the end of the value (a top-level "
                           "{...} or [...] must hold everything)");
    if (parser->context)
        return ntr_fail_at(err, pos, "YAML syntax error: %s %s", what, parser->context);
    return ntr_fail_at(err, pos, "YAML syntax error: %s", what);
}

/* The tag of an event, or NULL. */
static const yaml_char_t *event_tag(const yaml_event_t *e)
{
    switch (e->type) {
    case YAML_SCALAR_EVENT: return e->data.scalar.tag;
    case YAML_SEQUENCE_START_EVENT: return e->data.sequence_start.tag;
    case YAML_MAPPING_START_EVENT: return e->data.mapping_start.tag;
    default: return NULL;
    }
}

/* Every byte of the text is either used or an error: read the whole event
 * stream (so that a syntax error anywhere, also after the first document,
 * is reported), refuse a second document and any explicit tag (ntr gives
 * no meaning to !!python/object, !custom or even !!str). */
static int check_stream(const char *text, size_t len, const char *name, int col0, ntr_error *err)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return ntr_fail(err, NTR_E_INTERNAL, "cannot initialise the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int docs = 0, rc = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) {
            rc = syntax_error(&parser, text, len, name, col0, err);
            break;
        }
        yaml_event_type_t type = e.type;
        ntr_pos pos = {name, (int)e.start_mark.line + 1,
                       (int)e.start_mark.column + 1 + (e.start_mark.line == 0 ? col0 : 0)};
        const yaml_char_t *tag = event_tag(&e);
        if (type == YAML_DOCUMENT_START_EVENT && ++docs > 1)
            rc = ntr_fail_at(err, pos, "more than one YAML document; ntr reads one");
        else if (tag) {
            static const char core[] = "tag:yaml.org,2002:";
            const char *t = (const char *)tag;
            int is_core = strncmp(t, core, sizeof core - 1) == 0;
            rc = ntr_fail_at(err, pos,
                             "YAML tag '%s%.100s' is not supported: write the value without a tag",
                             is_core ? "!!" : "", is_core ? t + sizeof core - 1 : t);
        }
        yaml_event_delete(&e);
        if (rc != 0 || type == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&parser);
    return rc;
}

static int parse(yaml_parser_t *parser, const char *text, size_t len, const char *name, int col0,
                 ntr_node **root, ntr_error *err)
{
    yaml_document_t doc;
    *root = NULL;
    if (check_stream(text, len, name, col0, err) != 0)
        return -1;
    if (!yaml_parser_load(parser, &doc))
        return syntax_error(parser, text, len, name, col0, err);
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

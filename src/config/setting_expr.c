/* setting_expr.c: resolving settings given as expressions of other settings
 * (see setting_expr.h), with the project's muparser wrapper
 * (base/expr.h, open names). */
#include "config/setting_expr.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/expr.h"
#include "config/settings.h"
#include "config/yaml_load.h"
#include "config/yaml_emit.h"

/* The sections whose keys an expression may name. */
static const char *const sections[] = {"problem", "noise", "method", "init", "budget", "log",
                                       NULL};

#define MAX_EXPRS 32

typedef struct found {
    char path[256];
    ntr_node *node;
} found;

static int is_name_char(int c) { return isalnum(c) || c == '_'; }

int ntr_setting_expr_refers(const char *text)
{
    for (const char *p = text; *p; p++) {
        if (!(isalpha((unsigned char)*p) || *p == '_') ||
            (p > text && (is_name_char((unsigned char)p[-1]) || p[-1] == '.')))
            continue;
        for (size_t i = 0; sections[i]; i++) {
            size_t n = strlen(sections[i]);
            if (strncmp(p, sections[i], n) == 0 && p[n] == '.' &&
                (isalpha((unsigned char)p[n + 1]) || p[n + 1] == '_'))
                return 1;
        }
    }
    return 0;
}

/* Every scalar under the sections that refers to a setting. */
static int collect(ntr_node *n, char *path, size_t len, found *f, size_t *nf, ntr_error *err)
{
    if (n->kind == NTR_NODE_SCALAR) {
        if (!ntr_setting_expr_refers(n->text))
            return 0;
        if (*nf >= MAX_EXPRS)
            return ntr_fail_at(err, n->pos, "more than %d settings are expressions", MAX_EXPRS);
        snprintf(f[*nf].path, sizeof f[*nf].path, "%s", path);
        f[(*nf)++].node = n;
        return 0;
    }
    if (n->kind != NTR_NODE_MAP) /* lists (shapes, targets) hold no expressions */
        return 0;
    for (size_t i = 0; i < n->n; i++) {
        int w = snprintf(path + len, 256 - len, ".%s", n->keys[i]);
        if (w < 0 || len + (size_t)w >= 256)
            continue;
        if (collect(n->items[i], path, len + (size_t)w, f, nf, err) != 0)
            return -1;
        path[len] = '\0';
    }
    return 0;
}

/* The tree with the expressions' keys removed, read as settings and
 * written back: every other setting with its default filled in. */
static int resolved_without(const ntr_node *tree, const found *f, size_t nf, const char *base_dir,
                            ntr_node **out, ntr_error *err)
{
    *out = NULL;
    ntr_node *copy = ntr_node_clone(tree);
    if (!copy)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < nf; i++) {
        char parent[256];
        snprintf(parent, sizeof parent, "%.255s", f[i].path);
        char *dot = strrchr(parent, '.');
        *dot = '\0';
        ntr_node *map = ntr_node_path(copy, parent);
        if (map)
            ntr_node_remove(map, dot + 1);
    }
    ntr_settings *s = malloc(sizeof *s);
    char *yaml = NULL;
    int rc = s ? ntr_settings_read(copy, base_dir, "cell", s, err)
               : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (rc == 0 && !(yaml = ntr_settings_yaml(s, 0)))
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (rc == 0 && ntr_yaml_load_string(yaml, strlen(yaml), "resolved settings", 0, out, err) != 0)
        rc = -1;
    free(yaml);
    free(s);
    ntr_node_free(copy);
    return rc;
}

/* The value of setting `name` in the resolved settings res, for the
 * expression `text` of `what` at pos. */
static int lookup(const ntr_node *res, const char *name, const char *what, const char *text,
                  ntr_pos pos, double *v, ntr_error *err)
{
    const ntr_node *n = ntr_node_path(res, name);
    if (!n)
        return ntr_fail_at(err, pos, "%s: \"%s\" refers to %s, which is not a setting", what,
                           text, name);
    if (n->kind == NTR_NODE_SCALAR && (!strcmp(n->text, "true") || !strcmp(n->text, "false"))) {
        *v = n->text[0] == 't';
        return 0;
    }
    char *end = NULL;
    *v = n->kind == NTR_NODE_SCALAR ? strtod(n->text, &end) : NAN;
    if (!end || end == n->text || *end || !isfinite(*v))
        return ntr_fail_at(err, pos, "%s: \"%s\" refers to %s, which is not a number", what,
                           text, name);
    return 0;
}

/* The value of setting `name` for the expression at f. */
static int setting_value(const ntr_node *res, const found *f, size_t nf, const found *at,
                         const char *name, double *v, ntr_error *err)
{
    for (size_t i = 0; i < nf; i++)
        if (strcmp(f[i].path, name) == 0)
            return ntr_fail_at(err, at->node->pos,
                               "%s: \"%s\" refers to %s, which is itself an expression",
                               at->path, at->node->text, name);
    return lookup(res, name, at->path, at->node->text, at->node->pos, v, err);
}

int ntr_setting_expr_eval(const char *text, ntr_pos pos, const char *what, const ntr_settings *s,
                          double *out, ntr_error *err)
{
    char *yaml = ntr_settings_yaml(s, 0);
    ntr_node *res = NULL;
    ntr_expr *e = NULL;
    int rc = yaml ? 0 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (rc == 0)
        rc = ntr_yaml_load_string(yaml, strlen(yaml), "resolved settings", 0, &res, err);
    if (rc == 0)
        rc = ntr_expr_compile_open(text, pos, what, &e, err);
    for (size_t i = 0; rc == 0 && i < ntr_expr_var_count(e); i++) {
        double v = NAN;
        rc = lookup(res, ntr_expr_var_name(e, i), what, text, pos, &v, err);
        ntr_expr_var_set(e, i, v);
    }
    if (rc == 0)
        rc = ntr_expr_value(e, out, err);
    ntr_expr_free(e);
    ntr_node_free(res);
    free(yaml);
    return rc;
}

/* Replace the expression's text by its value (integers as integers). */
static int evaluate_one(const ntr_node *res, const found *f, size_t nf, const found *at,
                        ntr_error *err)
{
    ntr_pos pos = at->node->pos;
    if (at->node->quoted)
        pos.col++; /* point at the expression, not its opening quote */
    char what[300];
    snprintf(what, sizeof what, "%.255s", at->path);
    ntr_expr *e;
    if (ntr_expr_compile_open(at->node->text, pos, what, &e, err) != 0)
        return -1;
    double v = NAN;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < ntr_expr_var_count(e); i++) {
        rc = setting_value(res, f, nf, at, ntr_expr_var_name(e, i), &v, err);
        ntr_expr_var_set(e, i, v);
    }
    if (rc == 0)
        rc = ntr_expr_value(e, &v, err);
    ntr_expr_free(e);
    if (rc != 0)
        return -1;
    char text[NTR_YAML_NUMBER_CHARS];
    ntr_yaml_number_text(v, text);
    char *copy = strdup(text);
    if (!copy)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    free(at->node->text);
    at->node->text = copy;
    at->node->quoted = 0;
    return 0;
}

/* Every expression of the sections of tree into f. */
static int collect_all(const ntr_node *tree, found *f, size_t *nf, ntr_error *err)
{
    *nf = 0;
    for (size_t i = 0; sections[i]; i++) {
        ntr_node *sec = ntr_node_get(tree, sections[i]);
        char path[256];
        int w = snprintf(path, sizeof path, "%s", sections[i]);
        if (sec && collect(sec, path, (size_t)w, f, nf, err) != 0)
            return -1;
    }
    return 0;
}

size_t ntr_setting_exprs_list(const ntr_node *tree, char (*keys)[256], const char **texts,
                              size_t max)
{
    found f[MAX_EXPRS];
    size_t nf = 0;
    ntr_error err;
    collect_all(tree, f, &nf, &err); /* past MAX_EXPRS: the first ones */
    for (size_t i = 0; i < nf && i < max; i++) {
        snprintf(keys[i], 256, "%.255s", f[i].path);
        texts[i] = f[i].node->text;
    }
    return nf < max ? nf : max;
}

int ntr_setting_exprs_resolve(ntr_node *tree, const char *base_dir, ntr_error *err)
{
    found f[MAX_EXPRS];
    size_t nf = 0;
    if (collect_all(tree, f, &nf, err) != 0)
        return -1;
    if (nf == 0)
        return 0;
    ntr_node *res;
    if (resolved_without(tree, f, nf, base_dir, &res, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < nf; i++)
        rc = evaluate_one(res, f, nf, &f[i], err);
    ntr_node_free(res);
    return rc;
}

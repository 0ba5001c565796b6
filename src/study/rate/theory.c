/* theory.c: reading `theory:` into compiled rules and evaluating them at an
 * eps (see theory.h; the presets' formulas are in presets.c). */
#include "study/rate/theory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/rate/presets.h"

const char *const ntr_theory_presets[] = {"deterministic", "kovalev_nonconvex",
                                          "kovalev_starconvex", "kovalev_extrapolation", NULL};

enum { R_ALPHA, R_ETA, R_WD, R_ITER, NRULES };
static const char *const rule_keys[NRULES] = {"alpha", "eta", "weight_decay", "iterations"};

typedef struct setting {
    char key[96]; /* "problem.T" */
    ntr_pos pos;
    ntr_expr *e;
} setting;

struct ntr_theory {
    char name[160];
    char source[16];
    double exponent;
    int measure, extrapolation;
    const char *assumption;
    ntr_expr *rule[NRULES];
    size_t nset;
    setting *set;
};

static const char *const map_keys[] = {"preset",     "c",       "alpha",       "eta",
                                       "weight_decay", "iterations", "exponent",
                                       "measure",    "extrapolation", "problem", "noise",
                                       NULL};

/* Where an expression's text starts: past the opening quote. */
static ntr_pos text_pos(const ntr_node *n)
{
    ntr_pos p = n->pos;
    if (n->quoted && p.file)
        p.col++;
    return p;
}

static int compile_node(const ntr_node *n, const char *what, ntr_expr **out, ntr_error *err)
{
    if (n->kind != NTR_NODE_SCALAR || !n->text)
        return ntr_fail_at(err, n->pos, "%s must be an expression (a quoted string) or a number",
                           what);
    return ntr_expr_compile(n->text, text_pos(n), what, out, err);
}

/* The rules under theory.problem / theory.noise. */
static int read_settings(ntr_theory *t, const ntr_node *map, const char *section,
                         ntr_error *err)
{
    if (map->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, map->pos,
                           "theory.%s must map %s keys to expressions in eps (T: \"ceil(1/eps^2)\")",
                           section, section);
    for (size_t i = 0; i < map->n; i++) {
        if (strcmp(map->keys[i], "type") == 0)
            return ntr_fail_at(err, map->key_pos[i], "theory.%s.type cannot depend on eps",
                               section);
        setting *s = realloc(t->set, (t->nset + 1) * sizeof *s);
        if (!s)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        t->set = s;
        s = &t->set[t->nset];
        memset(s, 0, sizeof *s);
        if (snprintf(s->key, sizeof s->key, "%s.%s", section, map->keys[i]) >= (int)sizeof s->key)
            return ntr_fail_at(err, map->key_pos[i], "key too long");
        s->pos = map->items[i]->pos;
        char what[128];
        snprintf(what, sizeof what, "theory.%s", s->key);
        if (compile_node(map->items[i], what, &s->e, err) != 0)
            return -1;
        t->nset++;
    }
    return 0;
}

static int use_preset(ntr_theory *t, const ntr_theory_preset *pr, double c, ntr_pos pos,
                      ntr_error *err)
{
    snprintf(t->name, sizeof t->name, "%s", pr->name);
    snprintf(t->source, sizeof t->source, "%s", pr->source);
    t->exponent = pr->exponent;
    t->measure = (int)pr->measure;
    t->extrapolation = pr->extrapolation;
    t->assumption = pr->assumption;
    const char *tmpl[NRULES] = {pr->alpha, pr->eta, pr->weight_decay, pr->iterations};
    for (int r = 0; r < NRULES; r++) {
        if (!tmpl[r])
            continue;
        char text[512], what[128];
        if (ntr_theory_preset_text(tmpl[r], c, text, sizeof text) != 0)
            return ntr_fail(err, NTR_E_INTERNAL, "preset %s: rule too long", pr->name);
        snprintf(what, sizeof what, "theory %s %s", pr->name, rule_keys[r]);
        if (ntr_expr_compile(text, pos, what, &t->rule[r], err) != 0)
            return -1;
    }
    return 0;
}

static int find_preset(const ntr_node *n, const ntr_theory_preset **out, ntr_error *err)
{
    if (n->kind != NTR_NODE_SCALAR || !n->text)
        return ntr_fail_at(err, n->pos, "theory preset must be a name");
    *out = ntr_theory_preset_find(n->text);
    if (*out)
        return 0;
    const char *near = ntr_nearest(n->text, ntr_theory_presets);
    return ntr_fail_at(err, n->pos,
                       "unknown theory preset '%s'%s%s%s (presets: deterministic, "
                       "kovalev_nonconvex, kovalev_starconvex, kovalev_extrapolation; or a map "
                       "of expressions)",
                       n->text, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

static int parse_map(ntr_theory *t, const ntr_node *node, ntr_error *err)
{
    ntr_kv kv = {node, "theory", NULL};
    if (ntr_kv_check_keys(&kv, map_keys, err) != 0)
        return -1;
    const ntr_node *pn = ntr_node_get(node, "preset");
    const ntr_theory_preset *pr = NULL;
    if (pn && find_preset(pn, &pr, err) != 0)
        return -1;
    const ntr_node *cn = ntr_node_get(node, "c");
    double c = pr ? pr->c_default : NAN;
    if (cn) {
        if (!pr || isnan(pr->c_default))
            return ntr_fail_at(err, cn->pos, "theory.c: only the kovalev_extrapolation preset has "
                                             "a constant c");
        if (ntr_kv_double(&kv, "c", c, 1e-12, 1e12, &c, err) != 0)
            return -1;
    }
    if (pr && use_preset(t, pr, c, node->pos, err) != 0)
        return -1;
    if (!pr) {
        snprintf(t->name, sizeof t->name, "custom");
        snprintf(t->source, sizeof t->source, "user");
        t->exponent = NAN;
    }
    char over[96] = "";
    size_t used = 0;
    for (int r = 0; r < NRULES; r++) {
        const ntr_node *rn = ntr_node_get(node, rule_keys[r]);
        if (!rn)
            continue;
        char what[64];
        snprintf(what, sizeof what, "theory.%s", rule_keys[r]);
        ntr_expr_free(t->rule[r]);
        t->rule[r] = NULL;
        if (compile_node(rn, what, &t->rule[r], err) != 0)
            return -1;
        used += (size_t)snprintf(over + used, sizeof over - used, "%s%s", used ? ", " : "",
                                 rule_keys[r]);
    }
    if (pr && used)
        snprintf(t->name, sizeof t->name, "%s (user %s)", pr->name, over);
    for (int r = 0; r < NRULES; r++)
        if (!t->rule[r] && r != R_WD)
            return ntr_fail_at(err, node->pos,
                               "theory needs a preset or the rules alpha, eta and iterations "
                               "(missing: %s)",
                               rule_keys[r]);
    if (ntr_kv_double(&kv, "exponent", t->exponent, 1e-6, 100.0, &t->exponent, err) != 0)
        return -1;
    int m = t->measure;
    if (ntr_kv_choice(&kv, "measure", ntr_measure_names, m, &m, err) != 0 ||
        ntr_kv_bool(&kv, "extrapolation", t->extrapolation, &t->extrapolation, err) != 0)
        return -1;
    t->measure = m;
    const ntr_node *prob = ntr_node_get(node, "problem"), *noise = ntr_node_get(node, "noise");
    if (prob && read_settings(t, prob, "problem", err) != 0)
        return -1;
    if (noise && read_settings(t, noise, "noise", err) != 0)
        return -1;
    return 0;
}

int ntr_theory_parse(const ntr_node *node, ntr_theory **out, ntr_error *err)
{
    *out = NULL;
    ntr_theory *t = calloc(1, sizeof *t);
    if (!t)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    int rc;
    if (node->kind == NTR_NODE_MAP) {
        rc = parse_map(t, node, err);
    } else {
        const ntr_theory_preset *pr;
        rc = find_preset(node, &pr, err);
        if (rc == 0)
            rc = use_preset(t, pr, pr->c_default, node->pos, err);
    }
    if (rc != 0) {
        ntr_theory_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

void ntr_theory_free(ntr_theory *t)
{
    if (!t)
        return;
    for (int r = 0; r < NRULES; r++)
        ntr_expr_free(t->rule[r]);
    for (size_t i = 0; i < t->nset; i++)
        ntr_expr_free(t->set[i].e);
    free(t->set);
    free(t);
}

const char *ntr_theory_name(const ntr_theory *t) { return t->name; }
const char *ntr_theory_source(const ntr_theory *t) { return t->source; }
double ntr_theory_exponent(const ntr_theory *t) { return t->exponent; }
ntr_measure ntr_theory_measure_of(const ntr_theory *t) { return (ntr_measure)t->measure; }
int ntr_theory_extrapolation(const ntr_theory *t) { return t->extrapolation; }
const char *ntr_theory_assumption(const ntr_theory *t) { return t->assumption; }

const char *ntr_theory_formula(const ntr_theory *t, const char *which)
{
    for (int r = 0; r < NRULES; r++)
        if (strcmp(which, rule_keys[r]) == 0)
            return t->rule[r] ? ntr_expr_text(t->rule[r]) : NULL;
    return NULL;
}

size_t ntr_theory_nsettings(const ntr_theory *t) { return t->nset; }
const char *ntr_theory_setting_key(const ntr_theory *t, size_t i) { return t->set[i].key; }
ntr_pos ntr_theory_setting_pos(const ntr_theory *t, size_t i) { return t->set[i].pos; }

int ntr_theory_setting_eval(ntr_theory *t, size_t i, const ntr_theory_vars *v, double *out,
                            ntr_error *err)
{
    return ntr_expr_eval(t->set[i].e, v, out, err);
}

/* A rule's value: finite (checked by eval) and in (lo, hi]. */
static int eval_rule(ntr_theory *t, int r, const ntr_theory_vars *v, double lo, double hi,
                     const char *range, double *out, ntr_error *err)
{
    if (ntr_expr_eval(t->rule[r], v, out, err) != 0)
        return -1;
    if (*out > lo && *out <= hi)
        return 0;
    return ntr_fail_at(err, ntr_expr_pos(t->rule[r]), "theory %s \"%s\" gives %g at eps = %g: %s",
                       rule_keys[r], ntr_expr_text(t->rule[r]), *out, v->eps, range);
}

int ntr_theory_eval(ntr_theory *t, const ntr_theory_vars *vin, ntr_theory_point *out,
                    ntr_error *err)
{
    ntr_theory_vars v = *vin;
    v.alpha = v.eta = NAN;
    out->weight_decay = NAN;
    if (eval_rule(t, R_ALPHA, &v, 0.0, 1.0, "alpha must be in (0, 1]", &out->alpha, err) != 0)
        return -1;
    v.alpha = out->alpha;
    if (eval_rule(t, R_ETA, &v, 0.0, INFINITY, "eta must be positive", &out->eta, err) != 0)
        return -1;
    v.eta = out->eta;
    if (t->rule[R_WD] && eval_rule(t, R_WD, &v, -1.0, INFINITY, "weight_decay must be >= 0",
                                   &out->weight_decay, err) != 0)
        return -1;
    if (t->rule[R_WD] && out->weight_decay < 0.0)
        return ntr_fail_at(err, ntr_expr_pos(t->rule[R_WD]),
                           "theory weight_decay gives %g at eps = %g: it must be >= 0",
                           out->weight_decay, v.eps);
    if (eval_rule(t, R_ITER, &v, 0.0, INFINITY, "iterations must be at least 1", &out->K, err) != 0)
        return -1;
    if (out->K < 1.0)
        return ntr_fail_at(err, ntr_expr_pos(t->rule[R_ITER]),
                           "theory iterations gives %g at eps = %g: it must be at least 1", out->K,
                           v.eps);
    return 0;
}

/* rate_spec.c: reading and checking a rate study block, its series and
 * comparison (see rate.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/rate/rate.h"
#include "study/rate/rate_fit.h"

const char *const ntr_rate_kind_names[] = {"tuned", "bound", "rule", NULL};
const char *const ntr_rate_role_names[] = {"claim", "control", "contrast", NULL};
static const char *const check_names[] = {"theorem2", "momentum", "starconvex", NULL};

/* A series' keys; a study also has variants and compare, a variant no type. */
#define SERIES_KEYS                                                                            \
    "kind", "role", "claim", "note", "eps", "theory", "seeds", "expect", "tolerance",          \
        "max_iterations", "bootstrap", "set", "tune", "plateau", "budget", "information", "lower_bound",  \
        "grid", "iterations", "check", "confidence", "applicability", "constants", "scale_eta", "scale_alpha",  \
        "scale_iterations", "fit"
static const char *const keys[] = {"type", SERIES_KEYS, NULL};
static const char *const study_keys[] = {"type", SERIES_KEYS, "variants", "compare", NULL};
static const char *const variant_keys[] = {SERIES_KEYS, NULL};
/* Config keys a series may not set: they describe the whole plan. */
static const char *const plan_keys[] = {"name", "sweep", "union", "seeds", "study", NULL};
static const char *const fits[] = {"median", "mean", NULL};

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

static int read_logspace(ntr_rate_spec *s, const ntr_node *ls, ntr_error *err)
{
    if (ls->kind != NTR_NODE_SEQ || ls->n != 3)
        return ntr_fail_at(err, ls->pos, "study.eps.logspace must be [first, last, count]");
    double a, b, n;
    if (ntr_node_as_double(ls->items[0], "study.eps.logspace first", &a, err) != 0 ||
        ntr_node_as_double(ls->items[1], "study.eps.logspace last", &b, err) != 0 ||
        ntr_node_as_double(ls->items[2], "study.eps.logspace count", &n, err) != 0)
        return -1;
    if (!(a > 0 && b > 0 && isfinite(a) && isfinite(b)))
        return ntr_fail_at(err, ls->pos, "study.eps.logspace: eps must be positive");
    if (n != floor(n) || n < 2 || n > NTR_RATE_MAX_EPS)
        return ntr_fail_at(err, ls->items[2]->pos, "study.eps.logspace count must be an integer "
                                                   "from 2 to %d",
                           NTR_RATE_MAX_EPS);
    s->neps = (size_t)n;
    for (size_t i = 0; i < s->neps; i++)
        s->eps[i] = exp(log(a) + (log(b) - log(a)) * (double)i / (n - 1.0));
    s->eps[0] = a;
    s->eps[s->neps - 1] = b;
    return 0;
}

static int read_eps(ntr_rate_spec *s, const ntr_node *study, ntr_error *err)
{
    const ntr_node *e = ntr_node_get(study, "eps");
    if (!e) {
        if (s->kind == NTR_RATE_KIND_BOUND)
            return 0;
        return ntr_fail_at(err, study->pos, "a %s series needs eps: a list of accuracies, or "
                                            "{logspace: [1e-1, 1e-2, 7]}",
                           ntr_rate_kind_names[s->kind]);
    }
    if (e->kind == NTR_NODE_MAP) {
        ntr_kv kv = {e, "study.eps", NULL};
        const char *const allowed[] = {"logspace", NULL};
        if (ntr_kv_check_keys(&kv, allowed, err) != 0)
            return -1;
        const ntr_node *ls = ntr_node_get(e, "logspace");
        if (!ls)
            return ntr_fail_at(err, e->pos, "study.eps: give a list or {logspace: [a, b, n]}");
        if (read_logspace(s, ls, err) != 0)
            return -1;
    } else if (e->kind == NTR_NODE_SEQ) {
        size_t least = s->kind == NTR_RATE_KIND_BOUND ? 1 : 2; /* a bound series: rule points */
        if (e->n < least || e->n > NTR_RATE_MAX_EPS)
            return ntr_fail_at(err, e->pos, "study.eps needs %zu to %d values%s", least,
                               NTR_RATE_MAX_EPS,
                               least == 2 ? " to fit an exponent" : " (the rule's points)");
        for (size_t i = 0; i < e->n; i++) {
            if (ntr_node_as_double(e->items[i], "study.eps", &s->eps[i], err) != 0)
                return -1;
            if (!(s->eps[i] > 0 && isfinite(s->eps[i])))
                return ntr_fail_at(err, e->items[i]->pos, "study.eps: %g is not a positive "
                                                          "accuracy",
                                   s->eps[i]);
        }
        s->neps = e->n;
    } else {
        return ntr_fail_at(err, e->pos, "study.eps must be a list or {logspace: [a, b, n]}");
    }
    qsort(s->eps, s->neps, sizeof s->eps[0], cmp_desc);
    for (size_t i = 1; i < s->neps; i++)
        if (s->eps[i] == s->eps[i - 1])
            return ntr_fail_at(err, e->pos, "study.eps: %g appears twice", s->eps[i]);
    return 0;
}

/* 1 when the dotted keys a and b are the same, or one is a parent of the other. */
static int keys_overlap(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;
    return strncmp(a, b, n) == 0 && (la == lb || (la < lb ? b[la] : a[lb]) == '.');
}

static int read_set(ntr_rate_spec *s, const ntr_node *study, ntr_error *err)
{
    const ntr_node *set = ntr_node_get(study, "set");
    if (!set)
        return 0;
    if (set->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, set->pos, "study set: must map config keys to values "
                                          "({problem: {type: chain_hard}, noise.sigma: 0})");
    for (size_t i = 0; i < set->n; i++) {
        const char *k = set->keys[i];
        size_t len = strcspn(k, ".");
        for (size_t j = 0; plan_keys[j]; j++)
            if (strlen(plan_keys[j]) == len && strncmp(k, plan_keys[j], len) == 0)
                return ntr_fail_at(err, set->key_pos[i], "study set: '%s' cannot differ between "
                                                         "the cells of one plan",
                                   k);
    }
    s->set = set;
    return 0;
}

/* claim: one verdict, or (a control) a list of verdicts. */
static int read_claim(ntr_rate_spec *s, const ntr_node *study, ntr_error *err)
{
    const ntr_node *c = ntr_node_get(study, "claim");
    if (!c)
        return 0;
    size_t n = c->kind == NTR_NODE_SEQ ? c->n : 1;
    if (c->kind == NTR_NODE_MAP || n == 0)
        return ntr_fail_at(err, c->pos, "study claim: a verdict (tight, consistent, violated, "
                                        "inconclusive) or a list of them");
    for (size_t i = 0; i < n; i++) {
        const ntr_node *one = c->kind == NTR_NODE_SEQ ? c->items[i] : c;
        int v = -1;
        for (int j = 0; one->kind == NTR_NODE_SCALAR && ntr_rate_verdict_names[j]; j++)
            if (strcmp(one->text, ntr_rate_verdict_names[j]) == 0)
                v = j;
        if (v < 0) {
            const char *near = one->kind == NTR_NODE_SCALAR
                                   ? ntr_nearest(one->text, ntr_rate_verdict_names)
                                   : NULL;
            return ntr_fail_at(err, one->pos, "study claim: '%s' is not a verdict (tight, "
                                              "consistent, violated, inconclusive)%s%s%s",
                               one->kind == NTR_NODE_SCALAR ? one->text : "?",
                               near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        }
        s->expected |= 1u << v;
    }
    if (n > 1 && s->role == NTR_RATE_ROLE_CLAIM)
        return ntr_fail_at(err, c->pos, "study claim: a claim states one verdict (a list is for "
                                        "a control: role: control)");
    return 0;
}

static int read_text(const ntr_node *study, const char *key, char *out, size_t size,
                     ntr_pos *pos, ntr_error *err)
{
    const ntr_node *n = ntr_node_get(study, key);
    out[0] = '\0';
    if (!n)
        return 0;
    if (n->kind != NTR_NODE_SCALAR || !*n->text || strlen(n->text) >= size)
        return ntr_fail_at(err, n->pos, "study %s must be one text of 1 to %zu characters", key,
                           size - 1);
    snprintf(out, size, "%s", n->text);
    if (pos)
        *pos = n->pos;
    return 0;
}

static int read_tuned(ntr_rate_spec *s, const ntr_node *study, const ntr_plan_builder *b,
                      ntr_error *err)
{
    const ntr_node *t = ntr_node_get(study, "tune");
    ntr_tune_empty(&s->tune);
    s->tune_node = t;
    if (t && ntr_tune_read(t, "study.tune", b, &s->tune, err) != 0)
        return -1;
    /* keys the series sets itself leave its grid, like keys --set pins */
    for (size_t i = 0; s->set && i < s->tune.naxes;) {
        int drop = 0;
        for (size_t j = 0; j < s->set->n; j++)
            drop |= keys_overlap(s->tune.axis[i].key, s->set->keys[j]);
        if (!drop) {
            i++;
            continue;
        }
        memcpy(s->tune.pinned[s->tune.npinned++], s->tune.axis[i].key,
               sizeof s->tune.pinned[0]); /* both 96 characters */
        memmove(&s->tune.axis[i], &s->tune.axis[i + 1],
                (s->tune.naxes - i - 1) * sizeof s->tune.axis[0]);
        s->tune.naxes--;
    }
    ntr_kv kv = {study, "study", NULL};
    if (ntr_kv_double(&kv, "plateau", 0.05, 0.0, 10.0, &s->plateau, err) != 0 ||
        read_text(study, "budget", s->budget, sizeof s->budget, &s->budget_pos, err) != 0 ||
        read_text(study, "information", s->information, sizeof s->information,
                  &s->information_pos, err) != 0 ||
        read_text(study, "lower_bound", s->lower_bound, sizeof s->lower_bound, NULL, err) != 0)
        return -1;
    return 0;
}

static int read_checks(ntr_rate_spec *s, const ntr_node *study, ntr_error *err)
{
    const ntr_node *c = ntr_node_get(study, "check");
    s->checks = NTR_RATE_CHECK_THEOREM2 | NTR_RATE_CHECK_MOMENTUM;
    if (!c)
        return 0;
    size_t n = c->kind == NTR_NODE_SEQ ? c->n : 1;
    if (c->kind == NTR_NODE_MAP || n == 0)
        return ntr_fail_at(err, c->pos, "study check: a list of bounds (theorem2, momentum, "
                                        "starconvex)");
    s->checks = 0;
    for (size_t i = 0; i < n; i++) {
        const ntr_node *one = c->kind == NTR_NODE_SEQ ? c->items[i] : c;
        int v = -1;
        for (int j = 0; one->kind == NTR_NODE_SCALAR && check_names[j]; j++)
            if (strcmp(one->text, check_names[j]) == 0)
                v = j;
        if (v < 0)
            return ntr_fail_at(err, one->pos, "study check: '%s' is not a bound (theorem2, "
                                              "momentum, starconvex)",
                               one->kind == NTR_NODE_SCALAR ? one->text : "?");
        s->checks |= 1u << v;
    }
    return 0;
}

static int read_bound(ntr_rate_spec *s, const ntr_node *study, ntr_error *err)
{
    ntr_kv kv = {study, "study", NULL};
    s->grid = ntr_node_get(study, "grid");
    if (!s->grid)
        return ntr_fail_at(err, study->pos, "a bound series needs grid: a map of config keys to "
                                            "lists ({method.eta: [...], method.alpha: [...]})");
    if (ntr_grid_check(s->grid, "study.grid", "varied", err) != 0)
        return -1;
    for (size_t i = 0; s->set && i < s->grid->n; i++)
        for (size_t j = 0; j < s->set->n; j++)
            if (keys_overlap(s->grid->keys[i], s->set->keys[j]))
                return ntr_fail_at(err, s->grid->key_pos[i], "study.grid: %s is also set by the "
                                                             "series' set",
                                   s->grid->keys[i]);
    const ntr_node *cs = ntr_node_get(study, "constants");
    ntr_kv ck = {cs, "study.constants", NULL};
    static const char *const allowed[] = {"L", "sigma", "rho", "Delta0", NULL};
    if (cs && (cs->kind != NTR_NODE_MAP || ntr_kv_check_keys(&ck, allowed, err) != 0))
        return cs->kind != NTR_NODE_MAP
                   ? ntr_fail_at(err, cs->pos, "study constants: {L: x, sigma: x, rho: x, "
                                               "Delta0: x}")
                   : -1;
    static const char *const applies[] = {"algorithm1", "any", NULL};
    if (ntr_kv_choice(&kv, "applicability", applies, 0, &s->any_method, err) != 0 ||
        ntr_kv_long(&kv, "iterations", 0, 1, 1000000000L, &s->iterations, err) != 0 ||
        ntr_kv_double(&kv, "confidence", 0.99, 0.5, 0.999999, &s->confidence, err) != 0 ||
        ntr_kv_double(&ck, "L", 1.0, 0.0, 1e12, &s->scale_L, err) != 0 ||
        ntr_kv_double(&ck, "sigma", 1.0, 0.0, 1e12, &s->scale_sigma, err) != 0 ||
        ntr_kv_double(&ck, "rho", 1.0, 0.0, 1e12, &s->scale_rho, err) != 0 ||
        ntr_kv_double(&ck, "Delta0", 1.0, 0.0, 1e12, &s->scale_Delta0, err) != 0)
        return -1;
    return read_checks(s, study, err);
}

int ntr_rate_spec_read(const ntr_node *node, const char *name, const ntr_plan_builder *b,
                       ntr_rate_spec *s, ntr_error *err)
{
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name ? name : "");
    s->pos = node->pos;
    s->merged = ntr_node_clone(node);
    if (!s->merged)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    const ntr_node *study = s->merged;
    ntr_kv kv = {study, "study", NULL};
    int kind = 0, role = 0, fit = 0;
    if (ntr_kv_check_keys(&kv, keys, err) != 0)
        goto fail;
    if (!ntr_node_get(study, "kind")) {
        ntr_fail_at(err, study->pos, "a rate series needs kind: tuned (the method's best "
                                     "complexity), bound (the theorem's bound at every K) or "
                                     "rule (K at the theorem's eta(eps), a contrast)");
        goto fail;
    }
    if (ntr_kv_choice(&kv, "kind", ntr_rate_kind_names, 0, &kind, err) != 0)
        goto fail;
    s->kind = (ntr_rate_kind)kind;
    if (ntr_kv_choice(&kv, "role", ntr_rate_role_names,
                      kind == NTR_RATE_KIND_RULE ? NTR_RATE_ROLE_CONTRAST : NTR_RATE_ROLE_CLAIM,
                      &role, err) != 0)
        goto fail;
    s->role = (ntr_rate_role)role;
    if (s->kind == NTR_RATE_KIND_RULE && s->role != NTR_RATE_ROLE_CONTRAST) {
        ntr_fail_at(err, ntr_kv_pos(&kv, "role"), "a rule series is a contrast: its exponent is "
                                                  "imposed by the rule's eta(eps), so it cannot "
                                                  "be a claim's evidence or control");
        goto fail;
    }
    const ntr_node *note = ntr_node_get(study, "note");
    if (note && note->kind != NTR_NODE_SCALAR) {
        ntr_fail_at(err, note->pos, "study note must be a text");
        goto fail;
    }
    s->note = note ? note->text : NULL;
    if (read_eps(s, study, err) != 0 || read_set(s, study, err) != 0 ||
        read_claim(s, study, err) != 0)
        goto fail;
    const ntr_node *th = ntr_node_get(study, "theory");
    if (!th) {
        ntr_fail_at(err, study->pos, "a rate study needs theory: a preset (kovalev_nonconvex, "
                                     "...) or a map of rules");
        goto fail;
    }
    if (ntr_theory_parse(th, &s->theory, err) != 0)
        goto fail;
    double expect = ntr_theory_exponent(s->theory);
    if (ntr_kv_long(&kv, "seeds", 0, 1, 10000, &s->seeds, err) != 0 ||
        ntr_kv_double(&kv, "expect", isnan(expect) ? 0.0 : expect, 1e-6, 100.0, &s->expect,
                      err) != 0 ||
        ntr_kv_double(&kv, "tolerance", 0.25, 0.0, 100.0, &s->tolerance, err) != 0 ||
        ntr_kv_long(&kv, "max_iterations", 0, 1, 1000000000000L, &s->max_iterations, err) != 0 ||
        ntr_kv_long(&kv, "bootstrap", 2000, 100, 1000000, &s->bootstrap, err) != 0 ||
        ntr_kv_double(&kv, "scale_eta", 1.0, 1e-12, 1e12, &s->scale_eta, err) != 0 ||
        ntr_kv_double(&kv, "scale_alpha", 1.0, 1e-12, 1e12, &s->scale_alpha, err) != 0 ||
        ntr_kv_double(&kv, "scale_iterations", 1.0, 1e-12, 1e12, &s->scale_iterations, err) != 0 ||
        ntr_kv_choice(&kv, "fit", fits, 0, &fit, err) != 0)
        goto fail;
    s->fit_mean = fit;
    if (s->expect == 0.0 && s->kind != NTR_RATE_KIND_BOUND) {
        ntr_fail_at(err, th->pos, "the theory gives no exponent: set study.expect (or "
                                  "theory.exponent)");
        goto fail;
    }
    if (s->kind == NTR_RATE_KIND_TUNED && read_tuned(s, study, b, err) != 0)
        goto fail;
    if (s->kind == NTR_RATE_KIND_BOUND && read_bound(s, study, err) != 0)
        goto fail;
    return 0;
fail:
    ntr_rate_spec_free(s);
    return -1;
}

void ntr_rate_spec_free(ntr_rate_spec *s)
{
    ntr_theory_free(s->theory);
    s->theory = NULL;
    ntr_node_free(s->merged);
    s->merged = NULL;
    s->set = NULL;
    s->grid = NULL;
    s->tune_node = NULL;
    s->note = NULL;
}

static int valid_name(const char *n)
{
    if (!*n || strlen(n) >= 48)
        return 0;
    for (; *n; n++)
        if (!isalnum((unsigned char)*n) && *n != '_' && *n != '-')
            return 0;
    return 1;
}

/* One variant: the study's keys (without variants and compare) with the
 * variant's on top. */
static int read_variant(const ntr_node *base, const char *name, ntr_pos name_pos,
                        const ntr_node *v, const ntr_plan_builder *b, ntr_rate_spec *s,
                        ntr_error *err)
{
    if (!valid_name(name))
        return ntr_fail_at(err, name_pos, "study variant '%s': a name is 1 to 47 letters, digits, "
                                          "'_' or '-'",
                           name);
    if (v->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, v->pos, "study variant '%s' must be a mapping of study keys",
                           name);
    char section[80];
    snprintf(section, sizeof section, "study.variants.%s", name);
    ntr_kv kv = {v, section, NULL};
    if (ntr_kv_check_keys(&kv, variant_keys, err) != 0)
        return -1;
    ntr_node *m = ntr_node_clone(base);
    if (!m)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < v->n; i++) {
        ntr_node *c = ntr_node_clone(v->items[i]);
        if (!c || ntr_node_set(m, v->keys[i], v->key_pos[i], c) != 0) {
            ntr_node_free(c);
            ntr_node_free(m);
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
    }
    m->pos = v->pos;
    int rc = ntr_rate_spec_read(m, name, b, s, err);
    ntr_node_free(m);
    return rc;
}

static int variant_index(const ntr_rate_study *st, const ntr_node *cmp, const char *key,
                         size_t *out, ntr_error *err)
{
    const ntr_node *n = ntr_node_get(cmp, key);
    if (!n || n->kind != NTR_NODE_SCALAR)
        return ntr_fail_at(err, n ? n->pos : cmp->pos, "study.compare.%s must name a variant",
                           key);
    for (size_t i = 0; i < st->nvar; i++)
        if (strcmp(st->var[i].name, n->text) == 0) {
            if (st->var[i].kind == NTR_RATE_KIND_BOUND)
                return ntr_fail_at(err, n->pos, "study.compare.%s: '%s' is a bound series (no "
                                                "exponent)",
                                   key, n->text);
            *out = i;
            return 0;
        }
    return ntr_fail_at(err, n->pos, "study.compare.%s: no variant called '%s'", key, n->text);
}

static int read_compare(ntr_rate_study *st, const ntr_node *cmp, ntr_error *err)
{
    ntr_kv kv = {cmp, "study.compare", NULL};
    static const char *const allowed[] = {"a", "b", "difference", "tolerance", NULL};
    if (cmp->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, cmp->pos, "study.compare must be {a: VARIANT, b: VARIANT}");
    if (ntr_kv_check_keys(&kv, allowed, err) != 0 ||
        variant_index(st, cmp, "a", &st->cmp_a, err) != 0 ||
        variant_index(st, cmp, "b", &st->cmp_b, err) != 0)
        return -1;
    if (st->cmp_a == st->cmp_b)
        return ntr_fail_at(err, cmp->pos, "study.compare: a and b must be two variants");
    double def = st->var[st->cmp_a].expect - st->var[st->cmp_b].expect;
    if (ntr_kv_double(&kv, "difference", def, -100, 100, &st->cmp_difference, err) != 0 ||
        ntr_kv_double(&kv, "tolerance", 0.25, 0, 100, &st->cmp_tolerance, err) != 0)
        return -1;
    st->compare = 1;
    return 0;
}

int ntr_rate_study_read(const ntr_node *study, const ntr_plan_builder *b, ntr_rate_study *st,
                        ntr_error *err)
{
    memset(st, 0, sizeof *st);
    ntr_kv kv = {study, "study", NULL};
    if (ntr_kv_check_keys(&kv, study_keys, err) != 0)
        return -1;
    const ntr_node *vars = ntr_node_get(study, "variants");
    const ntr_node *cmp = ntr_node_get(study, "compare");
    if (!vars) {
        if (cmp)
            return ntr_fail_at(err, cmp->pos, "study.compare needs study.variants");
        st->nvar = 1;
        return ntr_rate_spec_read(study, NULL, b, &st->var[0], err);
    }
    if (vars->kind != NTR_NODE_MAP || vars->n == 0 || vars->n > NTR_RATE_MAX_VARIANTS)
        return ntr_fail_at(err, vars->pos, "study.variants must map 1 to %d names to blocks of "
                                           "study keys",
                           NTR_RATE_MAX_VARIANTS);
    ntr_node *base = ntr_node_clone(study);
    if (!base)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    ntr_node_remove(base, "variants");
    ntr_node_remove(base, "compare");
    ntr_node_remove(base, "type");
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < vars->n; i++) {
        rc = read_variant(base, vars->keys[i], vars->key_pos[i], vars->items[i], b, &st->var[i],
                          err);
        if (rc == 0)
            st->nvar++;
    }
    ntr_node_free(base);
    if (rc == 0 && cmp)
        rc = read_compare(st, cmp, err);
    if (rc != 0)
        ntr_rate_study_free(st);
    return rc;
}

void ntr_rate_study_free(ntr_rate_study *st)
{
    for (size_t i = 0; i < st->nvar; i++)
        ntr_rate_spec_free(&st->var[i]);
    st->nvar = 0;
}

void ntr_rate_eps_label(const ntr_rate_spec *s, size_t ie, char *buf, size_t size)
{
    snprintf(buf, size, "%s%seps=%.6g", s->name, s->name[0] ? " " : "", s->eps[ie]);
}

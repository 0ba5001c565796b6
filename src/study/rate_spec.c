/* rate_spec.c: reading and checking a rate study block, its variants and
 * comparison (see rate.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rate.h"
#include "rate_fit.h"

/* A series' keys; a study also has variants and compare, a variant no type. */
static const char *const keys[] = {"type",      "eps",       "theory",    "scale_eta",
                                   "scale_alpha", "scale_iterations", "seeds", "expect",
                                   "tolerance", "max_iterations", "tune",  "fit",
                                   "bootstrap", "claim",     "set",       NULL};
static const char *const study_keys[] = {
    "type",    "eps",   "theory",    "scale_eta", "scale_alpha", "scale_iterations",
    "seeds",   "expect", "tolerance", "max_iterations", "tune", "fit",
    "bootstrap", "claim", "set",     "variants",  "compare",     NULL};
static const char *const variant_keys[] = {
    "eps",     "theory", "scale_eta", "scale_alpha", "scale_iterations", "seeds",
    "expect",  "tolerance", "max_iterations", "tune", "fit",          "bootstrap",
    "claim",   "set",    NULL};
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
    if (!e)
        return ntr_fail_at(err, study->pos, "a rate study needs eps: a list of accuracies, or "
                                            "{logspace: [1e-1, 1e-2, 5]}");
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
        if (e->n < 2 || e->n > NTR_RATE_MAX_EPS)
            return ntr_fail_at(err, e->pos, "study.eps needs 2 to %d values to fit an exponent",
                               NTR_RATE_MAX_EPS);
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

/* A multiplier grid: 1 (the rule itself) first, then the given values. */
static int read_grid(const ntr_node *tune, const char *key, double *grid, size_t *n,
                     ntr_error *err)
{
    grid[0] = 1.0;
    *n = 1;
    const ntr_node *g = ntr_node_get(tune, key);
    if (!g)
        return 0;
    if (g->kind != NTR_NODE_SEQ || g->n == 0 || g->n > NTR_RATE_MAX_TUNE)
        return ntr_fail_at(err, g->pos, "study.tune.%s must be a list of 1 to %d multipliers",
                           key, NTR_RATE_MAX_TUNE);
    for (size_t i = 0; i < g->n; i++) {
        double v;
        char what[48];
        snprintf(what, sizeof what, "study.tune.%s", key);
        if (ntr_node_as_double(g->items[i], what, &v, err) != 0)
            return -1;
        if (!(v > 0 && isfinite(v)))
            return ntr_fail_at(err, g->items[i]->pos, "%s: a multiplier must be positive", what);
        int seen = 0;
        for (size_t j = 0; j < *n; j++)
            seen |= grid[j] == v;
        if (!seen)
            grid[(*n)++] = v;
    }
    return 0;
}

static int read_tune(ntr_rate_spec *s, const ntr_node *study, ntr_error *err)
{
    const ntr_node *t = ntr_node_get(study, "tune");
    s->tune_eta[0] = s->tune_alpha[0] = 1.0;
    s->ntune_eta = s->ntune_alpha = 1;
    if (!t)
        return 0;
    ntr_kv kv = {t, "study.tune", NULL};
    const char *const allowed[] = {"eta", "alpha", NULL};
    if (ntr_kv_check_keys(&kv, allowed, err) != 0 ||
        read_grid(t, "eta", s->tune_eta, &s->ntune_eta, err) != 0 ||
        read_grid(t, "alpha", s->tune_alpha, &s->ntune_alpha, err) != 0)
        return -1;
    s->tuned = s->ntune_eta * s->ntune_alpha > 1;
    return 0;
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

int ntr_rate_spec_read(const ntr_node *node, const char *name, ntr_rate_spec *s, ntr_error *err)
{
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name ? name : "");
    s->claim = -1;
    s->pos = node->pos;
    s->merged = ntr_node_clone(node);
    if (!s->merged)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    const ntr_node *study = s->merged;
    ntr_kv kv = {study, "study", NULL};
    if (ntr_kv_check_keys(&kv, keys, err) != 0 || read_eps(s, study, err) != 0 ||
        read_set(s, study, err) != 0 ||
        ntr_kv_choice(&kv, "claim", ntr_rate_verdict_names, -1, &s->claim, err) != 0) {
        ntr_rate_spec_free(s);
        return -1;
    }
    const ntr_node *th = ntr_node_get(study, "theory");
    if (!th) {
        ntr_fail_at(err, study->pos, "a rate study needs theory: a preset (kovalev_nonconvex, "
                                     "...) or a map of rules");
        ntr_rate_spec_free(s);
        return -1;
    }
    if (ntr_theory_parse(th, &s->theory, err) != 0) {
        ntr_rate_spec_free(s);
        return -1;
    }
    int fit = 0;
    double expect = ntr_theory_exponent(s->theory);
    if (ntr_kv_double(&kv, "scale_eta", 1.0, 1e-12, 1e12, &s->scale_eta, err) != 0 ||
        ntr_kv_double(&kv, "scale_alpha", 1.0, 1e-12, 1e12, &s->scale_alpha, err) != 0 ||
        ntr_kv_double(&kv, "scale_iterations", 1.0, 1e-12, 1e12, &s->scale_iterations, err) != 0 ||
        ntr_kv_long(&kv, "seeds", 0, 1, 10000, &s->seeds, err) != 0 ||
        ntr_kv_double(&kv, "expect", isnan(expect) ? 0.0 : expect, 1e-6, 100.0, &s->expect,
                      err) != 0 ||
        ntr_kv_double(&kv, "tolerance", 0.25, 0.0, 100.0, &s->tolerance, err) != 0 ||
        ntr_kv_long(&kv, "max_iterations", 0, 1, 1000000000000L, &s->max_iterations, err) != 0 ||
        ntr_kv_choice(&kv, "fit", fits, 0, &fit, err) != 0 ||
        ntr_kv_long(&kv, "bootstrap", 2000, 100, 1000000, &s->bootstrap, err) != 0 ||
        read_tune(s, study, err) != 0) {
        ntr_rate_spec_free(s);
        return -1;
    }
    s->fit_mean = fit;
    if (s->expect == 0.0) {
        ntr_fail_at(err, th->pos, "the theory gives no exponent: set study.expect (or "
                                  "theory.exponent)");
        ntr_rate_spec_free(s);
        return -1;
    }
    return 0;
}

void ntr_rate_spec_free(ntr_rate_spec *s)
{
    ntr_theory_free(s->theory);
    s->theory = NULL;
    ntr_node_free(s->merged);
    s->merged = NULL;
    s->set = NULL;
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
                        const ntr_node *v, ntr_rate_spec *s, ntr_error *err)
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
    int rc = ntr_rate_spec_read(m, name, s, err);
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

int ntr_rate_study_read(const ntr_node *study, ntr_rate_study *st, ntr_error *err)
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
        return ntr_rate_spec_read(study, NULL, &st->var[0], err);
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
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < vars->n; i++) {
        rc = read_variant(base, vars->keys[i], vars->key_pos[i], vars->items[i], &st->var[i],
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

void ntr_rate_label(const ntr_rate_spec *s, size_t ie, size_t ia, size_t ib, char *buf,
                    size_t size)
{
    int n = snprintf(buf, size, "%s%seps=%.6g", s->name, s->name[0] ? " " : "", s->eps[ie]);
    if (s->tuned && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " eta*%g alpha*%g", s->tune_eta[ia],
                 s->tune_alpha[ib]);
}

long ntr_rate_budget(const ntr_rate_spec *s, double K, long cap)
{
    double k = ceil(K * s->scale_iterations);
    if (!(k < (double)cap))
        return cap;
    return k < 1.0 ? 1 : (long)k;
}

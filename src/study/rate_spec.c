/* rate_spec.c: reading and checking a rate study block (see rate.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rate.h"

static const char *const keys[] = {"type",     "eps",       "theory",    "scale_eta",
                                   "scale_alpha", "scale_iterations", "seeds", "expect",
                                   "tolerance", "max_iterations", "tune",  "fit",
                                   "bootstrap", NULL};
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

int ntr_rate_spec_read(const ntr_node *study, ntr_rate_spec *s, ntr_error *err)
{
    memset(s, 0, sizeof *s);
    s->pos = study->pos;
    ntr_kv kv = {study, "study", NULL};
    if (ntr_kv_check_keys(&kv, keys, err) != 0 || read_eps(s, study, err) != 0)
        return -1;
    const ntr_node *th = ntr_node_get(study, "theory");
    if (!th)
        return ntr_fail_at(err, study->pos, "a rate study needs theory: a preset "
                                            "(kovalev_nonconvex, ...) or a map of rules");
    if (ntr_theory_parse(th, &s->theory, err) != 0)
        return -1;
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
        ntr_rate_spec_free(s);
        return ntr_fail_at(err, th->pos, "the theory gives no exponent: set study.expect (or "
                                         "theory.exponent)");
    }
    return 0;
}

void ntr_rate_spec_free(ntr_rate_spec *s)
{
    ntr_theory_free(s->theory);
    s->theory = NULL;
}

void ntr_rate_label(const ntr_rate_spec *s, size_t ie, size_t ia, size_t ib, char *buf,
                    size_t size)
{
    int n = snprintf(buf, size, "eps=%.6g", s->eps[ie]);
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

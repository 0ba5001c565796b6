/* rate.c: the rate study type and its expansion into cells (see rate.h).
 *
 * Every point of every series first assigns method.eta, method.alpha and
 * method.weight_decay their configured values (so that summary.csv records
 * what each cell ran, after --set overrides), then the series' `set:`
 * keys, then what the kind adds:
 *
 *   tuned  per eps: the theory's problem/noise rules at eps (the problem is
 *          built for that eps to read its constants L, L2, rho, D, Delta0,
 *          sigma), the rule's weight decay and extrapolation (when it has
 *          them and the series' set: does not name them), then one point
 *          per tuning-grid point (centres `around`
 *          evaluated with the theory variables at eps, eta and alpha being
 *          the rule's), with budget.iterations = the series' budget at eps,
 *          budget.targets = [eps], stop_at_target and the theory's measure;
 *   bound  one point per grid point, run `iterations` steps without
 *          targets, every iterate measured (log.measure_every: 1);
 *   rule   per eps the rule's eta, alpha (times scale_eta, scale_alpha),
 *          weight decay and K_theory (times scale_iterations) as budget.
 *
 * The analysis reads everything it needs back from the result folder
 * (labels, resolved settings, constants), so it can be re-run alone. */
#include "study/rate/rate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_emit.h"
#include "study/point_constants.h"

/* The assignments of one point, with the nodes they own. */
typedef struct point_assigns {
    size_t n;
    ntr_assign a[64];
    ntr_node *own[64];
    char keys[64][100];
} point_assigns;

static void assigns_trim(point_assigns *pa, size_t n)
{
    while (pa->n > n)
        ntr_node_free(pa->own[--pa->n]);
}

static int add_node(point_assigns *pa, const char *key, ntr_node *val, ntr_error *err)
{
    if (!val)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (pa->n >= sizeof pa->a / sizeof pa->a[0]) {
        ntr_node_free(val);
        return ntr_fail(err, NTR_E_INTERNAL, "rate study: too many assignments in one point");
    }
    snprintf(pa->keys[pa->n], sizeof pa->keys[0], "%s", key);
    pa->own[pa->n] = val;
    pa->a[pa->n].key = pa->keys[pa->n];
    pa->a[pa->n].val = val;
    pa->n++;
    return 0;
}

/* A number as YAML text: integral values as integers (T: 400), else %.17g. */
static int add_number(point_assigns *pa, const char *key, double v, ntr_pos pos, ntr_error *err)
{
    return add_node(pa, key, ntr_yaml_number_node(v, pos), err);
}

static int add_word(point_assigns *pa, const char *key, const char *word, ntr_pos pos,
                    ntr_error *err)
{
    return add_node(pa, key, ntr_node_scalar(word, pos, 0), err);
}

/* method.eta, method.alpha, method.weight_decay as configured (recorded in
 * summary.csv whatever later assignments or --set make of them). */
static int record_assigns(const ntr_plan_builder *b, point_assigns *pa, ntr_pos pos,
                          ntr_error *err)
{
    static const char *const rec[] = {"method.eta", "method.alpha", "method.weight_decay"};
    const ntr_settings *base = ntr_pb_base(b);
    double def[3] = {base->eta.value, base->mopts.alpha, base->mopts.weight_decay};
    for (int i = 0; i < 3; i++) {
        const ntr_node *n = ntr_node_path(ntr_pb_config(b), rec[i]);
        int rc = n ? add_node(pa, rec[i], ntr_node_clone(n), err)
                   : add_number(pa, rec[i], def[i], pos, err);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* 1 when the series' `set:` names key (or a parent or part of it): its
 * value then wins over a rule's. */
static int set_has(const ntr_rate_spec *s, const char *key)
{
    for (size_t i = 0; s->set && i < s->set->n; i++) {
        const char *k = s->set->keys[i];
        size_t a = strlen(k), b = strlen(key), n = a < b ? a : b;
        if (strncmp(k, key, n) == 0 && (a == b || (a < b ? key[a] : k[b]) == '.'))
            return 1;
    }
    return 0;
}

/* The series' `set:` keys. */
static int set_assigns(const ntr_rate_spec *s, point_assigns *pa, ntr_error *err)
{
    for (size_t i = 0; s->set && i < s->set->n; i++)
        if (add_node(pa, s->set->keys[i], ntr_node_clone(s->set->items[i]), err) != 0)
            return -1;
    return 0;
}

/* The problem/noise rules at v->eps. */
static int setting_assigns(ntr_rate_spec *s, const ntr_theory_vars *v, point_assigns *pa,
                           ntr_error *err)
{
    for (size_t i = 0; i < ntr_theory_nsettings(s->theory); i++) {
        double x;
        if (ntr_theory_setting_eval(s->theory, i, v, &x, err) != 0 ||
            add_number(pa, ntr_theory_setting_key(s->theory, i), x,
                       ntr_theory_setting_pos(s->theory, i), err) != 0)
            return -1;
    }
    return 0;
}

/* budget.targets = [eps], stop_at_target, the theory's measure, budget. */
static int target_assigns(const ntr_rate_spec *s, double eps, long budget, point_assigns *pa,
                          ntr_error *err)
{
    ntr_pos at = s->pos;
    ntr_node *targets = ntr_node_seq(at);
    char text[40];
    snprintf(text, sizeof text, "%.17g", eps);
    if (targets && ntr_node_push(targets, ntr_node_scalar(text, at, 0)) != 0) {
        ntr_node_free(targets);
        targets = NULL;
    }
    if (add_node(pa, "budget.targets", targets, err) != 0 ||
        add_word(pa, "budget.stop_at_target", "true", at, err) != 0 ||
        add_word(pa, "budget.measure", ntr_measure_names[ntr_theory_measure_of(s->theory)], at,
                 err) != 0)
        return -1;
    return add_number(pa, "budget.iterations", (double)budget, at, err);
}

/* The common start of every point of a series at eps (NAN: no eps), and
 * its theory variables (the problem built for that eps when rules set
 * problem keys). */
static int series_start(ntr_plan_builder *b, ntr_rate_spec *s, double eps,
                        const ntr_theory_vars *base, point_assigns *pa, ntr_theory_vars *v,
                        ntr_error *err)
{
    pa->n = 0;
    *v = *base;
    v->eps = eps;
    if (record_assigns(b, pa, s->pos, err) != 0 || set_assigns(s, pa, err) != 0)
        return -1;
    if (isnan(eps))
        return 0;
    if (setting_assigns(s, v, pa, err) != 0)
        return -1;
    if (ntr_theory_nsettings(s->theory) > 0) {
        if (ntr_study_point_vars(b, pa->a, pa->n, v, err) != 0)
            return -1;
        v->eps = eps;
    }
    return 0;
}

/* The budget of a tuned series at eps: the expression (at least 1), capped. */
static int tuned_budget(const ntr_rate_spec *s, const ntr_theory_vars *v, long cap, long *out,
                        ntr_error *err)
{
    *out = cap;
    if (!s->budget[0])
        return 0;
    double x;
    if (ntr_expr_eval_text(s->budget, s->budget_pos, "study.budget", v, &x, err) != 0)
        return -1;
    x = ceil(x);
    if (x < (double)cap)
        *out = x < 1.0 ? 1 : (long)x;
    return 0;
}

static int expand_tuned(ntr_plan_builder *b, ntr_rate_spec *s, const ntr_theory_vars *base,
                        ntr_error *err)
{
    long cap = s->max_iterations ? s->max_iterations : ntr_pb_base(b)->iterations;
    size_t np = ntr_tune_npoints(&s->tune);
    point_assigns pa;
    pa.n = 0;
    int rc = 0;
    for (size_t ie = 0; rc == 0 && ie < s->neps; ie++) {
        ntr_theory_vars v;
        ntr_theory_point tp = {NAN, NAN, NAN, NAN};
        long budget = cap;
        double centre[NTR_TUNE_MAX_KEYS];
        rc = series_start(b, s, s->eps[ie], base, &pa, &v, err);
        if (rc == 0)
            rc = ntr_theory_eval(s->theory, &v, &tp, err);
        if (rc != 0)
            break;
        v.alpha = tp.alpha;
        v.eta = tp.eta;
        if (rc == 0 && !isnan(tp.weight_decay) && !set_has(s, "method.weight_decay"))
            rc = add_number(&pa, "method.weight_decay", tp.weight_decay, s->pos, err);
        if (rc == 0 && ntr_theory_extrapolation(s->theory) && !set_has(s, "method.extrapolation"))
            rc = add_word(&pa, "method.extrapolation", "true", s->pos, err);
        if (rc == 0)
            rc = tuned_budget(s, &v, cap, &budget, err);
        double info;
        if (rc == 0 && s->information[0]) /* checked here, evaluated again by the analysis */
            rc = ntr_expr_eval_text(s->information, s->information_pos, "study.information", &v,
                                    &info, err);
        for (size_t a = 0; rc == 0 && a < s->tune.naxes; a++) {
            const ntr_tune_axis *ax = &s->tune.axis[a];
            centre[a] = NAN;
            if (ax->around[0])
                rc = ntr_expr_eval_text(ax->around, ax->around_pos, "study.tune around", &v,
                                        &centre[a], err);
        }
        size_t fixed = pa.n;
        char prefix[160], label[400], tl[240];
        ntr_rate_eps_label(s, ie, prefix, sizeof prefix);
        for (size_t g = 0; rc == 0 && g < np; g++) {
            ntr_tune_assigns ta;
            rc = ntr_tune_assigns_make(&s->tune, g, centre, &ta, err);
            for (size_t i = 0; rc == 0 && i < ta.n; i++)
                rc = add_node(&pa, ta.a[i].key, ntr_node_clone(ta.a[i].val), err);
            ntr_tune_assigns_free(&ta);
            if (rc == 0)
                rc = target_assigns(s, s->eps[ie], budget, &pa, err);
            ntr_tune_label(&s->tune, g, tl, sizeof tl);
            snprintf(label, sizeof label, "%s%s%s", prefix, tl[0] ? " " : "", tl);
            if (rc == 0)
                rc = ntr_pb_add_point(b, pa.a, pa.n, label, s->eps[ie], err);
            assigns_trim(&pa, fixed);
        }
        assigns_trim(&pa, 0);
    }
    assigns_trim(&pa, 0);
    return rc;
}

/* "eta=0.01 alpha=0.1" from a grid point's assignments (last part of each
 * key, the value in YAML flow style). */
static void grid_label(const ntr_rate_spec *s, const ntr_assign *a, size_t na, int no_step,
                       char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "%s", s->name);
    for (size_t i = 0; i < na && used < size; i++) {
        if (no_step && (!strcmp(a[i].key, "method.eta") || !strcmp(a[i].key, "method.alpha")))
            continue;
        char *txt = ntr_yaml_flow_string(a[i].val);
        if (!txt)
            return;
        const char *last = strrchr(a[i].key, '.');
        int n = snprintf(buf + used, size - used, "%s%s=%s", used ? " " : "",
                         last ? last + 1 : a[i].key, txt);
        free(txt);
        if (n < 0)
            return;
        used += (size_t)n;
    }
}

/* A bound point's theory variables (its problem built to read them). */
static int bound_vars(ntr_plan_builder *b, const point_assigns *pa, const ntr_theory_vars *base,
                      ntr_theory_vars *v, ntr_error *err)
{
    *v = *base;
    if (ntr_study_point_vars(b, pa->a, pa->n, v, err) != 0)
        return -1;
    v->eps = 1.0;
    return 0;
}

/* 1 when the grid point's method.eta and method.alpha (if the grid has
 * them) are at their first values: where the rule's own points are added. */
static int first_eta_alpha(const ntr_grid_iter *it)
{
    for (size_t i = 0; i < it->nkeys; i++)
        if ((!strcmp(it->grid->keys[i], "method.eta") || !strcmp(it->grid->keys[i], "method.alpha")) &&
            it->idx[i] != 0)
            return 0;
    return 1;
}

static int grid_has(const ntr_node *grid, const char *key)
{
    return ntr_node_get(grid, key) != NULL;
}

/* One bound point: the theory's weight decay (1/D) when it has one and the
 * grid does not set it; at_eps > 0: the rule's own eta and alpha at that eps. */
static int add_bound_point(ntr_plan_builder *b, ntr_rate_spec *s, const ntr_theory_vars *base,
                           point_assigns *pa, const char *glabel, double at_eps, ntr_error *err)
{
    int wd = ntr_theory_formula(s->theory, "weight_decay") != NULL &&
             !grid_has(s->grid, "method.weight_decay") && !set_has(s, "method.weight_decay");
    size_t fixed = pa->n;
    char label[600];
    snprintf(label, sizeof label, "%s", glabel);
    int rc = 0;
    if (wd || at_eps > 0) {
        ntr_theory_vars v;
        ntr_theory_point tp = {NAN, NAN, NAN, NAN};
        rc = bound_vars(b, pa, base, &v, err);
        if (rc == 0) {
            v.eps = at_eps > 0 ? at_eps : 1.0;
            rc = ntr_theory_eval(s->theory, &v, &tp, err);
        }
        if (rc == 0 && wd)
            rc = add_number(pa, "method.weight_decay", tp.weight_decay, s->pos, err);
        if (rc == 0 && at_eps > 0) {
            rc = add_number(pa, "method.eta", tp.eta, s->pos, err);
            if (rc == 0)
                rc = add_number(pa, "method.alpha", tp.alpha, s->pos, err);
            snprintf(label, sizeof label, "%s%srule(eps=%g)", glabel, glabel[0] ? " " : "",
                     at_eps);
        }
    }
    if (rc == 0)
        rc = ntr_pb_add_point(b, pa->a, pa->n, label, NAN, err);
    assigns_trim(pa, fixed);
    return rc;
}

static int expand_bound(ntr_plan_builder *b, ntr_rate_spec *s, const ntr_theory_vars *base,
                        ntr_error *err)
{
    point_assigns pa;
    pa.n = 0;
    ntr_theory_vars v;
    int rc = series_start(b, s, NAN, base, &pa, &v, err);
    ntr_pos at = s->pos;
    if (rc == 0) {
        ntr_node *none = ntr_node_seq(at);
        rc = add_node(&pa, "budget.targets", none, err);
    }
    if (rc == 0)
        rc = add_word(&pa, "budget.stop_at_target", "false", at, err);
    if (rc == 0)
        rc = add_number(&pa, "log.measure_every", 1, at, err);
    if (rc == 0 && s->iterations > 0)
        rc = add_number(&pa, "budget.iterations", (double)s->iterations, at, err);
    size_t fixed = pa.n;
    ntr_grid_iter it;
    for (int more = ntr_grid_first(&it, s->grid); rc == 0 && more; more = ntr_grid_next(&it)) {
        ntr_assign g[NTR_GRID_MAX_KEYS];
        ntr_grid_assigns(&it, g);
        for (size_t i = 0; rc == 0 && i < it.nkeys; i++)
            rc = add_node(&pa, g[i].key, ntr_node_clone(g[i].val), err);
        char label[512];
        grid_label(s, g, it.nkeys, 0, label, sizeof label);
        if (rc == 0)
            rc = add_bound_point(b, s, base, &pa, label, 0.0, err);
        grid_label(s, g, it.nkeys, 1, label, sizeof label);
        for (size_t e = 0; rc == 0 && first_eta_alpha(&it) && e < s->neps; e++)
            rc = add_bound_point(b, s, base, &pa, label, s->eps[e], err);
        assigns_trim(&pa, fixed);
    }
    assigns_trim(&pa, 0);
    return rc;
}

static int expand_rule(ntr_plan_builder *b, ntr_rate_spec *s, const ntr_theory_vars *base,
                       ntr_error *err)
{
    long cap = s->max_iterations ? s->max_iterations : ntr_pb_base(b)->iterations;
    point_assigns pa;
    pa.n = 0;
    int rc = 0;
    for (size_t ie = 0; rc == 0 && ie < s->neps; ie++) {
        ntr_theory_vars v;
        ntr_theory_point tp = {NAN, NAN, NAN, NAN};
        rc = series_start(b, s, s->eps[ie], base, &pa, &v, err);
        if (rc == 0)
            rc = ntr_theory_eval(s->theory, &v, &tp, err);
        ntr_pos at = s->pos;
        if (rc == 0)
            rc = add_number(&pa, "method.eta", tp.eta * s->scale_eta, at, err);
        if (rc == 0)
            rc = add_number(&pa, "method.alpha", fmin(1.0, tp.alpha * s->scale_alpha), at, err);
        if (rc == 0 && !isnan(tp.weight_decay) && !set_has(s, "method.weight_decay"))
            rc = add_number(&pa, "method.weight_decay", tp.weight_decay, at, err);
        if (rc == 0 && ntr_theory_extrapolation(s->theory) && !set_has(s, "method.extrapolation"))
            rc = add_word(&pa, "method.extrapolation", "true", at, err);
        double k = ceil(tp.K * s->scale_iterations);
        long budget = !(k < (double)cap) ? cap : k < 1.0 ? 1 : (long)k;
        if (rc == 0)
            rc = target_assigns(s, s->eps[ie], budget, &pa, err);
        char label[160];
        ntr_rate_eps_label(s, ie, label, sizeof label);
        if (rc == 0)
            rc = ntr_pb_add_point(b, pa.a, pa.n, label, s->eps[ie], err);
        assigns_trim(&pa, 0);
    }
    assigns_trim(&pa, 0);
    return rc;
}

/* One series: the constants of its base problem, then its points. */
static int expand_series(ntr_plan_builder *b, ntr_rate_spec *s, ntr_error *err)
{
    ntr_pb_set_seeds(b, s->seeds > 0 ? s->seeds : ntr_pb_config_seeds(b));
    point_assigns pa;
    pa.n = 0;
    ntr_theory_vars base;
    int rc = record_assigns(b, &pa, s->pos, err);
    if (rc == 0)
        rc = set_assigns(s, &pa, err);
    if (rc == 0)
        rc = ntr_study_point_vars(b, pa.a, pa.n, &base, err);
    assigns_trim(&pa, 0);
    if (rc != 0)
        return -1;
    switch (s->kind) {
    case NTR_RATE_KIND_TUNED:
        return expand_tuned(b, s, &base, err);
    case NTR_RATE_KIND_BOUND:
        return expand_bound(b, s, &base, err);
    default:
        return expand_rule(b, s, &base, err);
    }
}

static int rate_expand(ntr_plan_builder *b, const ntr_node *study, ntr_error *err)
{
    ntr_rate_study st;
    /* hitting times K(eps): every iterate measured unless the config says */
    if (ntr_pb_measure_exactly(b, err) != 0 || ntr_rate_study_read(study, b, &st, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < st.nvar; i++)
        rc = expand_series(b, &st.var[i], err);
    ntr_rate_study_free(&st);
    return rc;
}

const ntr_study_type ntr_study_rate = {
    "rate",
    "iteration complexity claims checked so that they can fail: the theorem's bound at every K "
    "over a grid of settings, the exponent of the tuned complexity K*(eps) on hard instances, "
    "censoring and negative controls",
    rate_expand,
    ntr_rate_analyse,
    ntr_rate_report,
};

/* rate.c: the rate study type and its expansion into cells (see rate.h).
 *
 * For each eps the theory's problem/noise rules (if any) are evaluated
 * first with the base problem's constants; the problem is then built for
 * that eps (replicate 0's start point, as the plan derives it) to read its
 * constants L, L2, rho, D, Delta0 and sigma in the method's norm; the
 * method rules give eta, alpha, weight decay and K_theory; and one point
 * is added per tune multiplier pair, replicated over the study's seeds:
 *
 *     method.eta = eta * scale_eta * tune_eta
 *     method.alpha = min(1, alpha * scale_alpha * tune_alpha)
 *     method.weight_decay = the rule's (when it has one)
 *     method.extrapolation = true (when the rule asks for it)
 *     budget.iterations = min(ceil(K_theory * scale_iterations), max_iterations)
 *     budget.targets = [eps], budget.stop_at_target = true,
 *     budget.measure = the theory's measure, plus the problem/noise keys.
 *
 * In a study with variants each series does the same with its own keys,
 * its `set:` config keys first in every point's assignments.
 *
 * rate_analysis.c re-evaluates the same rules from the constants each cell
 * recorded in its summary.json, so the analysis needs only the folder. */
#include "rate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../run/runner.h"

/* The theory variables of a cell's constants and settings. */
static void vars_of(const ntr_constants *c, const ntr_settings *s, ntr_theory_vars *v)
{
    memset(v, 0, sizeof *v);
    v->L = c->L;
    v->L2 = c->L2;
    v->rho = c->rho;
    v->D = c->D;
    v->Delta0 = c->Delta0;
    v->batch = (double)s->batch;
    v->sigma = c->sigma / sqrt(v->batch);
    v->d = c->d;
    v->m = c->m;
    v->n = c->n;
    v->alpha = v->eta = NAN;
}

/* Build the cell of one point as a throw-away trial (its seeds derived
 * as the plan derives them), prepare its run and read the constants. */
static int point_vars(const ntr_plan_builder *b, const ntr_assign *a, size_t na,
                      ntr_theory_vars *v, ntr_error *err)
{
    ntr_pb_trial t;
    if (ntr_pb_trial_make(b, a, na, &t, err) != 0)
        return -1;
    ntr_run *run;
    const ntr_cell *c = t.cell;
    int rc = ntr_run_prepare(&c->s, c->run_seed, c->init_seed, &run, err);
    if (rc == 0) {
        vars_of(ntr_run_constants(run), &c->s, v);
        ntr_run_free(run);
    }
    ntr_pb_trial_free(&t);
    return rc;
}

/* The assignments of one point, with the nodes they own. */
typedef struct point_assigns {
    size_t n;
    ntr_assign a[40];
    ntr_node *own[40];
    char keys[40][100];
} point_assigns;

static void assigns_free(point_assigns *pa)
{
    for (size_t i = 0; i < pa->n; i++)
        ntr_node_free(pa->own[i]);
    pa->n = 0;
}

static int add_node(point_assigns *pa, const char *key, ntr_node *val, ntr_error *err)
{
    if (!val)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (pa->n >= sizeof pa->a / sizeof pa->a[0]) {
        ntr_node_free(val);
        return ntr_fail_at(err, val->pos, "too many theory rules");
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
    char text[40];
    if (v == floor(v) && fabs(v) < 9e15)
        snprintf(text, sizeof text, "%.0f", v);
    else
        snprintf(text, sizeof text, "%.17g", v);
    return add_node(pa, key, ntr_node_scalar(text, pos, 0), err);
}

static int add_word(point_assigns *pa, const char *key, const char *word, ntr_pos pos,
                    ntr_error *err)
{
    return add_node(pa, key, ntr_node_scalar(word, pos, 0), err);
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

/* The points of one eps: one per tune pair. */
static int add_eps_points(ntr_plan_builder *p, ntr_rate_spec *s, size_t ie, const ntr_theory_vars *base,
                          ntr_error *err)
{
    ntr_theory_vars v = *base;
    v.eps = s->eps[ie];
    point_assigns pa;
    pa.n = 0;
    int rc = set_assigns(s, &pa, err);
    if (rc == 0)
        rc = setting_assigns(s, &v, &pa, err);
    if (rc == 0 && ntr_theory_nsettings(s->theory) > 0) {
        rc = point_vars(p, pa.a, pa.n, &v, err);
        v.eps = s->eps[ie];
    }
    ntr_theory_point tp;
    if (rc == 0)
        rc = ntr_theory_eval(s->theory, &v, &tp, err);
    long cap = s->max_iterations ? s->max_iterations : ntr_pb_base(p)->iterations;
    size_t fixed = pa.n;
    for (size_t ia = 0; rc == 0 && ia < s->ntune_eta; ia++) {
        for (size_t ib = 0; rc == 0 && ib < s->ntune_alpha; ib++) {
            ntr_pos at = s->pos;
            double eta = tp.eta * s->scale_eta * s->tune_eta[ia];
            double alpha = fmin(1.0, tp.alpha * s->scale_alpha * s->tune_alpha[ib]);
            ntr_node *targets = ntr_node_seq(at);
            char eps_text[40];
            snprintf(eps_text, sizeof eps_text, "%.17g", s->eps[ie]);
            if (targets && ntr_node_push(targets, ntr_node_scalar(eps_text, at, 0)) != 0) {
                ntr_node_free(targets);
                targets = NULL;
            }
            rc = add_number(&pa, "method.eta", eta, at, err);
            if (rc == 0)
                rc = add_number(&pa, "method.alpha", alpha, at, err);
            if (rc == 0 && !isnan(tp.weight_decay))
                rc = add_number(&pa, "method.weight_decay", tp.weight_decay, at, err);
            if (rc == 0 && ntr_theory_extrapolation(s->theory))
                rc = add_word(&pa, "method.extrapolation", "true", at, err);
            if (rc == 0)
                rc = add_number(&pa, "budget.iterations", (double)ntr_rate_budget(s, tp.K, cap), at,
                                err);
            if (rc == 0)
                rc = add_node(&pa, "budget.targets", targets, err);
            else
                ntr_node_free(targets);
            if (rc == 0)
                rc = add_word(&pa, "budget.stop_at_target", "true", at, err);
            if (rc == 0)
                rc = add_word(&pa, "budget.measure",
                              ntr_measure_names[ntr_theory_measure_of(s->theory)], at, err);
            char label[160];
            ntr_rate_label(s, ie, ia, ib, label, sizeof label);
            if (rc == 0)
                rc = ntr_pb_add_point(p, pa.a, pa.n, label, s->eps[ie], err);
            while (pa.n > fixed)
                ntr_node_free(pa.own[--pa.n]);
        }
    }
    assigns_free(&pa);
    return rc;
}

/* One series: the constants of its base problem, then its eps. */
static int expand_series(ntr_plan_builder *p, ntr_rate_spec *s, long seeds, ntr_error *err)
{
    ntr_pb_set_seeds(p, s->seeds > 0 ? s->seeds : seeds);
    point_assigns pa;
    pa.n = 0;
    ntr_theory_vars base;
    int rc = set_assigns(s, &pa, err);
    if (rc == 0)
        rc = point_vars(p, pa.a, pa.n, &base, err);
    assigns_free(&pa);
    for (size_t ie = 0; rc == 0 && ie < s->neps; ie++)
        rc = add_eps_points(p, s, ie, &base, err);
    return rc;
}

static int rate_expand(ntr_plan_builder *p, const ntr_node *study, ntr_error *err)
{
    ntr_rate_study st;
    if (ntr_rate_study_read(study, &st, err) != 0)
        return -1;
    long seeds = ntr_pb_config_seeds(p);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < st.nvar; i++)
        rc = expand_series(p, &st.var[i], seeds, err);
    ntr_rate_study_free(&st);
    return rc;
}

const ntr_study_type ntr_study_rate = {
    "rate",
    "iteration complexity K(eps) under a theorem's parameter rules: fitted exponent, 95% "
    "bootstrap interval and verdict against the prediction",
    rate_expand,
    ntr_rate_analyse,
    ntr_rate_report,
};

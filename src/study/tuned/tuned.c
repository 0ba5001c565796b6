/* tuned.c: the tuned comparison's type object, its block and its cells
 * (see tuned.h).  Every group of the over grid gets every point of the
 * tuning grid: the point's label is "GROUP | TUNING POINT" (GROUP built
 * from the over assignments, the tuning point from ntr_tune_label), which
 * is how the analysis finds both again.  A tuning axis with `around` is
 * centred per group on its expression of the group's settings, evaluated
 * on a trial cell of the group. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/setting_expr.h"
#include "config/yaml_emit.h"
#include "study/tune.h"
#include "study/tuned/tuned.h"

const char *const ntr_tuned_kind_names[] = {"crossover", "profile", "ratio", NULL};
const char *const ntr_tuned_expect_names[] = {"rises", "falls", "flat", "no_rise", "no_fall", NULL};

static const char *const study_keys[] = {"type", "over",      "tune",     "seeds",
                                         "score", "flat",     "bootstrap", "analyses", NULL};
static const char *const score_keys[] = {"final", "window", "hit", NULL};
static const char *const traj_columns[] = {"f",      "gap",   "grad_dual", "grad_l2",
                                           "min_grad_dual", "x_norm", "x_fro", "mom_err",
                                           "avg_grad_dual", "grad_l1", NULL};

static int read_selector(const ntr_node *c, const char *key, const ntr_node **out, ntr_error *err)
{
    const ntr_node *n = ntr_node_get(c, key);
    *out = NULL;
    if (!n)
        return 0;
    if (n->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, n->pos, "study.analyses: %s must map config keys to values", key);
    for (size_t i = 0; i < n->n; i++)
        if (n->items[i]->kind != NTR_NODE_SCALAR)
            return ntr_fail_at(err, n->items[i]->pos, "study.analyses: %s.%s must be one value",
                               key, n->keys[i]);
    *out = n;
    return 0;
}

static int read_analysis(const ntr_node *c, size_t idx, ntr_tuned_analysis *a, ntr_error *err)
{
    static const char *const allowed[] = {"kind",   "x",    "a",         "b",     "where", "fix",
                                          "expect", "band", "tolerance", "label", NULL};
    if (c->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, c->pos, "study.analyses: each analysis is a mapping {kind: ...}");
    ntr_kv kv = {c, "study.analyses", NULL};
    memset(a, 0, sizeof *a);
    a->pos = c->pos;
    int kind = 0;
    const char *x = NULL, *label = NULL;
    if (ntr_kv_check_keys(&kv, allowed, err) != 0)
        return -1;
    if (!ntr_node_get(c, "kind") || !ntr_node_get(c, "x"))
        return ntr_fail_at(err, c->pos, "study.analyses: an analysis needs a kind (crossover, "
                                        "profile, ratio) and x (the key it runs along)");
    if (ntr_kv_choice(&kv, "kind", ntr_tuned_kind_names, 0, &kind, err) != 0 ||
        ntr_kv_string(&kv, "x", NULL, &x, err) != 0 ||
        ntr_kv_string(&kv, "label", "", &label, err) != 0 ||
        read_selector(c, "a", &a->a, err) != 0 || read_selector(c, "b", &a->b, err) != 0 ||
        read_selector(c, "where", &a->where, err) != 0 || read_selector(c, "fix", &a->fix, err) != 0 ||
        ntr_kv_double(&kv, "band", 0.1, 0.0, 10.0, &a->band, err) != 0 ||
        ntr_kv_double(&kv, "tolerance", 0.3, 0.0, 100.0, &a->tolerance, err) != 0)
        return -1;
    a->kind = (ntr_tuned_kind)kind;
    snprintf(a->x, sizeof a->x, "%s", x);
    if (label[0])
        snprintf(a->label, sizeof a->label, "%s", label);
    else
        snprintf(a->label, sizeof a->label, "%s %zu", ntr_tuned_kind_names[kind], idx + 1);
    if (a->kind != NTR_TUNED_PROFILE && (!a->a || !a->b))
        return ntr_fail_at(err, c->pos, "study.analyses: a %s needs groups a and b",
                           ntr_tuned_kind_names[kind]);
    const ntr_node *e = ntr_node_get(c, "expect");
    if (a->kind == NTR_TUNED_PROFILE) {
        int ex = 0;
        if (!e)
            return ntr_fail_at(err, c->pos, "study.analyses: a profile needs expect (rises, falls, "
                                            "flat, no_rise, no_fall)");
        if (ntr_kv_choice(&kv, "expect", ntr_tuned_expect_names, 0, &ex, err) != 0)
            return -1;
        a->expect = (ntr_tuned_expect)ex;
    } else if (a->kind == NTR_TUNED_RATIO) {
        if (!e)
            return ntr_fail_at(err, c->pos, "study.analyses: a ratio needs expect: the slope of "
                                            "log ratio against log x");
        if (ntr_kv_double(&kv, "expect", 0, -100, 100, &a->slope, err) != 0)
            return -1;
    } else if (e) {
        return ntr_fail_at(err, e->pos, "study.analyses: a crossover expects a to win above it "
                                        "(no expect key)");
    }
    return 0;
}

static int read_score(const ntr_node *study, ntr_tuned_spec *s, ntr_error *err)
{
    const ntr_node *n = ntr_node_get(study, "score");
    if (!n || n->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, n ? n->pos : study->pos,
                           "a tuned study needs score: {final: COLUMN} (a floor) or {hit: EPS} "
                           "(steps to a target)");
    ntr_kv kv = {n, "study.score", NULL};
    if (ntr_kv_check_keys(&kv, score_keys, err) != 0 ||
        ntr_kv_double(&kv, "window", 0.5, 1e-6, 1.0, &s->window, err) != 0)
        return -1;
    const ntr_node *fin = ntr_node_get(n, "final"), *hit = ntr_node_get(n, "hit");
    if (!!fin == !!hit)
        return ntr_fail_at(err, n->pos, "study.score: give final (a column) or hit (a target), "
                                        "one of them");
    if (hit) {
        s->score = NTR_TUNED_HIT;
        if (ntr_kv_double(&kv, "hit", 0, 0, INFINITY, &s->target, err) != 0)
            return -1;
        if (!(s->target > 0))
            return ntr_fail_at(err, hit->pos, "study.score.hit must be a positive target");
        return 0;
    }
    s->score = NTR_TUNED_FINAL;
    for (size_t i = 0; traj_columns[i]; i++)
        if (fin->kind == NTR_NODE_SCALAR && !strcmp(fin->text, traj_columns[i])) {
            snprintf(s->column, sizeof s->column, "%s", fin->text);
            return 0;
        }
    const char *near = fin->kind == NTR_NODE_SCALAR ? ntr_nearest(fin->text, traj_columns) : NULL;
    return ntr_fail_at(err, fin->pos, "study.score.final must name a trajectory column%s%s%s",
                       near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

int ntr_tuned_spec_read(const ntr_node *study, ntr_tuned_spec *s, ntr_error *err)
{
    memset(s, 0, sizeof *s);
    ntr_kv kv = {study, "study", NULL};
    if (ntr_kv_check_keys(&kv, study_keys, err) != 0 ||
        ntr_kv_long(&kv, "seeds", 0, 1, NTR_TREND_MAX_SEEDS, &s->seeds, err) != 0 ||
        ntr_kv_double(&kv, "flat", 0.02, 0.0, 1.0, &s->flat, err) != 0 ||
        ntr_kv_long(&kv, "bootstrap", 400, 10, 100000, &s->nboot, err) != 0 ||
        read_score(study, s, err) != 0)
        return -1;
    s->over = ntr_node_get(study, "over");
    s->tune = ntr_node_get(study, "tune");
    if (!s->over)
        return ntr_fail_at(err, study->pos, "a tuned study needs over: the groups compared (a "
                                            "grid like a sweep, or a list of grids)");
    if (!s->tune || s->tune->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, s->tune ? s->tune->pos : study->pos,
                           "a tuned study needs tune: the keys each group is tuned over");
    if (s->over->kind == NTR_NODE_SEQ) {
        if (s->over->n == 0 || s->over->n > 64)
            return ntr_fail_at(err, s->over->pos, "study.over: a list of 1 to 64 grids");
        for (size_t i = 0; i < s->over->n; i++)
            if (ntr_grid_check(s->over->items[i], "study.over", "compared over", err) != 0)
                return -1;
    } else if (ntr_grid_check(s->over, "study.over", "compared over", err) != 0) {
        return -1;
    }
    const ntr_node *an = ntr_node_get(study, "analyses");
    if (an && (an->kind != NTR_NODE_SEQ || an->n > NTR_TUNED_MAX_ANALYSES))
        return ntr_fail_at(err, an->pos, "study.analyses must be a list of at most %d analyses",
                           NTR_TUNED_MAX_ANALYSES);
    for (size_t i = 0; an && i < an->n; i++)
        if (read_analysis(an->items[i], i, &s->an[i], err) != 0)
            return -1;
    s->nanalyses = an ? an->n : 0;
    return 0;
}

/* "key=value key=value" of a group's over assignments. */
void ntr_tuned_group_label(const ntr_assign *a, size_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        char *txt = ntr_yaml_flow_string(a[i].val);
        if (!txt)
            return;
        int w = snprintf(buf + used, size - used, "%s%s=%s", i ? " " : "", a[i].key, txt);
        free(txt);
        if (w < 0)
            return;
        used += (size_t)w;
    }
}

/* The centres of the grid's around axes for one group. */
static int centres(ntr_plan_builder *b, const ntr_tune_grid *g, const ntr_assign *a, size_t na,
                   double *centre, ntr_error *err)
{
    int any = 0;
    for (size_t i = 0; i < g->naxes; i++)
        any |= g->axis[i].around[0] != 0;
    if (!any)
        return 0;
    ntr_pb_trial t;
    if (ntr_pb_trial_make(b, a, na, &t, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < g->naxes; i++) {
        centre[i] = NAN;
        if (g->axis[i].around[0])
            rc = ntr_setting_expr_eval(g->axis[i].around, g->axis[i].around_pos, "study.tune around",
                                       &t.cell->s, &centre[i], err);
        if (rc == 0 && g->axis[i].around[0] && !(centre[i] > 0))
            rc = ntr_fail_at(err, g->axis[i].around_pos,
                             "study.tune.%s: the centre %g is not positive for a group",
                             g->axis[i].key, centre[i]);
    }
    ntr_pb_trial_free(&t);
    return rc;
}

/* What each point of study.over expands into: a group of tuning points. */
typedef struct group_ctx {
    ntr_plan_builder *b;
    const ntr_tune_grid *g;
} group_ctx;

/* Every tuning point of one group (the point over[0..nover) of study.over). */
static int add_group(void *ctx, ntr_assign *over, size_t nover, ntr_error *err)
{
    const group_ctx *gc = ctx;
    ntr_plan_builder *b = gc->b;
    const ntr_tune_grid *g = gc->g;
    double centre[NTR_TUNE_MAX_KEYS];
    char group[400], tlabel[300], label[720];
    if (centres(b, g, over, nover, centre, err) != 0)
        return -1;
    ntr_tuned_group_label(over, nover, group, sizeof group);
    size_t np = ntr_tune_npoints(g);
    for (size_t p = 0; p < np; p++) {
        ntr_tune_assigns ta;
        if (ntr_tune_assigns_make(g, p, centre, &ta, err) != 0)
            return -1;
        ntr_assign a[NTR_GRID_MAX_KEYS + NTR_TUNE_MAX_KEYS];
        memcpy(a, over, nover * sizeof *a);
        memcpy(a + nover, ta.a, ta.n * sizeof *a);
        ntr_tune_label(g, p, tlabel, sizeof tlabel);
        snprintf(label, sizeof label, "%s%s%s", group, NTR_TUNED_SEP, tlabel);
        int rc = ntr_pb_add_point(b, a, nover + ta.n, label, NAN, err);
        ntr_tune_assigns_free(&ta);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int tuned_expand(ntr_plan_builder *b, const ntr_node *study, ntr_error *err)
{
    ntr_tuned_spec s;
    ntr_tune_grid g;
    /* scores on hitting times: every iterate measured unless the config says */
    if (ntr_pb_measure_exactly(b, err) != 0 || ntr_tuned_spec_read(study, &s, err) != 0 ||
        ntr_tune_read(s.tune, "study.tune", b, &g, err) != 0)
        return -1;
    if (s.score == NTR_TUNED_HIT && ntr_pb_stop_at_target(b, s.target, study->pos, err) != 0)
        return -1;
    if (s.seeds > 0)
        ntr_pb_set_seeds(b, s.seeds);
    group_ctx gc = {b, &g};
    return ntr_grid_each(s.over, add_group, &gc, err); /* a grid or a list of grids */
}

const ntr_study_type ntr_study_tuned = {
    "tuned",
    "methods compared each at its own best point of a tuning grid (bracket check), with "
    "crossover, profile and ratio analyses and seed-bootstrap intervals",
    tuned_expand,
    ntr_tuned_analyse,
    ntr_tuned_report,
};

/* batch.c: the batch study's type object, its block and its cells (see
 * batch.h).
 *
 * The target and stop_at_target are the same for every cell, so they are
 * written into the plan's config tree (and so into config.yaml); each
 * point then assigns its over-grid values and noise.batch = b (and the
 * scaled method.eta with eta_batch_scaling).  Points come setting by
 * setting (the over grid, first key slowest), each with every b in order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/setting_expr.h"
#include "study/batch/batch.h"
#include "config/yaml_emit.h"

static const char *const keys[] = {"type", "batch", "target", "seeds", "over",
                                   "eta_batch_scaling", "expect", "role", "bootstrap", NULL};
static const char *const directions[] = {"rises", "falls", NULL};
static const char *const roles[] = {"claim", "contrast", NULL};
static const char *const scalings[] = {"none", "sqrt", "linear", NULL};

/* Keys the study sets itself, which over may not name. */
static const char *const reserved[] = {"noise.batch", "budget.targets", "budget.stop_at_target",
                                       "name", "seeds", "seed", NULL};

static int read_batches(const ntr_node *study, ntr_batch_spec *s, ntr_error *err)
{
    const ntr_node *b = ntr_node_get(study, "batch");
    if (!b)
        return ntr_fail_at(err, study->pos,
                           "a batch study needs batch: a list of batch sizes, e.g. [1, 4, 16, 64]");
    if (b->kind != NTR_NODE_SEQ || b->n < 2 || b->n > NTR_BATCH_MAX_B)
        return ntr_fail_at(err, b->pos, "study.batch must be a list of 2 to %d batch sizes",
                           NTR_BATCH_MAX_B);
    for (size_t i = 0; i < b->n; i++) {
        if (ntr_node_as_long(b->items[i], "study.batch", &s->b[i], err) != 0)
            return -1;
        if (s->b[i] < 1 || s->b[i] > (1L << 30))
            return ntr_fail_at(err, b->items[i]->pos, "study.batch: %ld is not a batch size "
                                                      "(1 to 2^30)",
                               s->b[i]);
        if (i > 0 && s->b[i] <= s->b[i - 1])
            return ntr_fail_at(err, b->items[i]->pos,
                               "study.batch must increase (%ld comes after %ld)", s->b[i],
                               s->b[i - 1]);
    }
    s->nb = b->n;
    return 0;
}

static int read_over(const ntr_node *study, ntr_batch_spec *s, ntr_error *err)
{
    const ntr_node *o = ntr_node_get(study, "over");
    s->over = NULL;
    if (!o)
        return 0;
    if (o->kind != NTR_NODE_MAP || o->n == 0)
        return ntr_fail_at(err, o->pos, "study.over must map dotted keys to lists of values, "
                                        "e.g. {method.alpha: [0.2, 0.1]}");
    if (o->n > NTR_BATCH_MAX_OVER)
        return ntr_fail_at(err, o->pos, "study.over has at most %d keys", NTR_BATCH_MAX_OVER);
    size_t settings = 1;
    for (size_t i = 0; i < o->n; i++) {
        for (size_t r = 0; reserved[r]; r++)
            if (strcmp(o->keys[i], reserved[r]) == 0)
                return ntr_fail_at(err, o->key_pos[i], "the batch study sets %s itself",
                                   o->keys[i]);
        if (strncmp(o->keys[i], "study", 5) == 0 || strncmp(o->keys[i], "sweep", 5) == 0)
            return ntr_fail_at(err, o->key_pos[i], "'%s' cannot be varied", o->keys[i]);
        if (s->scaling && strcmp(o->keys[i], "method.eta") == 0)
            return ntr_fail_at(err, o->key_pos[i], "eta_batch_scaling scales the config's "
                                                   "method.eta: do not vary method.eta with it");
        const ntr_node *v = o->items[i];
        if (v->kind != NTR_NODE_SEQ || v->n == 0)
            return ntr_fail_at(err, v->pos, "study.over.%s must be a non-empty list",
                               o->keys[i]);
        settings *= v->n;
        if (settings > 4096)
            return ntr_fail_at(err, o->pos, "study.over makes more than 4096 settings");
    }
    s->over = o;
    return 0;
}

int ntr_batch_spec_read(const ntr_node *study, ntr_batch_spec *s, ntr_error *err)
{
    memset(s, 0, sizeof *s);
    ntr_kv kv = {study, "study", NULL};
    if (ntr_kv_check_keys(&kv, keys, err) != 0 || read_batches(study, s, err) != 0)
        return -1;
    const ntr_node *tn = ntr_node_get(study, "target");
    if (!tn)
        return ntr_fail_at(err, study->pos, "a batch study needs target: the accuracy eps whose "
                                            "steps-to-target T(b) are measured, or {floor: F, "
                                            "above: E}, F times each setting's full-batch "
                                            "floor plus E");
    if (tn->kind == NTR_NODE_MAP) {
        ntr_kv tkv = {tn, "study.target", NULL};
        static const char *const tkeys[] = {"floor", "above", NULL};
        s->floor_factor = 1.0;
        if (ntr_kv_check_keys(&tkv, tkeys, err) != 0 ||
            ntr_kv_double(&tkv, "floor", 0, 1.0, 1e6, &s->floor_factor, err) != 0 ||
            ntr_kv_double(&tkv, "above", 0, 0, 1e300, &s->floor_above, err) != 0)
            return -1;
        if (!(s->floor_factor > 1.0) && !(s->floor_above > 0))
            return ntr_fail_at(err, tn->pos, "study.target: {floor: F, above: E} needs F above 1 "
                                             "or E above 0 (a target at or below the full-batch "
                                             "floor is not reached)");
        s->target = NAN;
    } else {
        if (ntr_kv_double(&kv, "target", 0, 0, INFINITY, &s->target, err) != 0)
            return -1;
        if (!(s->target > 0))
            return ntr_fail_at(err, ntr_kv_pos(&kv, "target"), "study.target must be positive");
    }
    int role = 0;
    if (ntr_kv_long(&kv, "seeds", 0, 1, 100000, &s->seeds, err) != 0 ||
        ntr_kv_choice(&kv, "eta_batch_scaling", scalings, 0, &s->scaling, err) != 0 ||
        ntr_kv_choice(&kv, "role", roles, 0, &role, err) != 0 ||
        ntr_kv_long(&kv, "bootstrap", 1000, 10, 100000, &s->nboot, err) != 0)
        return -1;
    s->contrast = role == 1;
    if (read_over(study, s, err) != 0)
        return -1;
    const ntr_node *ex = ntr_node_get(study, "expect");
    if (!ex)
        return 0;
    if (ex->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, ex->pos, "study.expect maps over keys to rises or falls (the "
                                         "claimed direction of b* along the key)");
    ntr_kv ekv = {ex, "study.expect", NULL};
    for (size_t i = 0; i < ex->n; i++) {
        size_t k = 0;
        while (s->over && k < s->over->n && strcmp(s->over->keys[k], ex->keys[i]) != 0)
            k++;
        if (!s->over || k == s->over->n)
            return ntr_fail_at(err, ex->key_pos[i], "study.expect.%s: not a key of study.over",
                               ex->keys[i]);
        int d;
        if (ntr_kv_choice(&ekv, ex->keys[i], directions, 0, &d, err) != 0)
            return -1;
        s->expect[k] = d == 0 ? 1 : -1;
    }
    return 0;
}

/* method.eta scaled by f: a number, the value of a schedule map, or an
 * expression times f. */
static ntr_node *scaled_eta(const ntr_plan_builder *b, double f, const char **key, ntr_pos pos)
{
    const ntr_settings *base = ntr_pb_base(b);
    const ntr_node *eta = ntr_node_path(ntr_pb_config(b), "method.eta");
    *key = "method.eta";
    if (eta && eta->kind == NTR_NODE_MAP) {
        *key = "method.eta.value";
        return ntr_yaml_number_node(base->eta.value * f, pos);
    }
    if (eta && eta->kind == NTR_NODE_SCALAR && ntr_setting_expr_refers(eta->text)) {
        char text[400]; /* an expression of other settings: scaled in each cell */
        snprintf(text, sizeof text, "(%s)*%.17g", eta->text, f);
        return ntr_node_scalar(text, pos, 1);
    }
    if (base->eta.type == NTR_SCHED_EXPR) {
        char text[400];
        snprintf(text, sizeof text, "(%s)*%.17g", base->eta.expr, f);
        return ntr_node_scalar(text, pos, 1);
    }
    return ntr_yaml_number_node(base->eta.value * f, pos);
}

/* budget.targets = [F x the setting's full-batch floor + E]. */
static ntr_node *floor_target(const ntr_plan_builder *b, const ntr_batch_spec *s,
                              const ntr_assign *a, size_t na, ntr_pos pos, ntr_error *err)
{
    double fl;
    if (ntr_batch_floor(b, a, na, pos, &fl, err) != 0)
        return NULL;
    ntr_node *t = ntr_node_seq(pos),
             *v = ntr_yaml_number_node(s->floor_factor * fl + s->floor_above, pos);
    if (!t || !v || ntr_node_push(t, v) != 0) {
        ntr_node_free(t);
        ntr_node_free(v);
        ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        return NULL;
    }
    return t;
}

/* What each point of study.over expands into: one point per batch size. */
typedef struct points_ctx {
    ntr_plan_builder *b;
    const ntr_batch_spec *s;
    ntr_pos pos;
} points_ctx;

/* The points of each batch size at the point a[0..na) of study.over (a has
 * room for the target, the batch and the step size after na). */
static int add_points(void *ctx, ntr_assign *a, size_t na, ntr_error *err)
{
    const points_ctx *pc = ctx;
    ntr_plan_builder *b = pc->b;
    const ntr_batch_spec *s = pc->s;
    ntr_pos pos = pc->pos;
    int rc = 0;
    ntr_node *tn = NULL;
    if (s->floor_factor > 0) {
        if (!(tn = floor_target(b, s, a, na, pos, err)))
            return -1;
        a[na].key = "budget.targets";
        a[na++].val = tn;
    }
    for (size_t i = 0; rc == 0 && i < s->nb; i++) {
        ntr_node *bn = ntr_yaml_number_node((double)s->b[i], pos), *en = NULL;
        const char *ekey = NULL;
        if (!bn) {
            ntr_node_free(tn);
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
        size_t n = na;
        a[n].key = "noise.batch";
        a[n++].val = bn;
        if (s->scaling) {
            double f = (double)s->b[i] / (double)ntr_pb_base(b)->batch;
            en = scaled_eta(b, s->scaling == 1 ? sqrt(f) : f, &ekey, pos);
            if (!en)
                rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            a[n].key = ekey;
            a[n++].val = en;
        }
        if (rc == 0)
            rc = ntr_pb_add_point(b, a, n, NULL, (double)s->b[i], err);
        ntr_node_free(bn);
        ntr_node_free(en);
    }
    ntr_node_free(tn);
    return rc;
}

static int batch_expand(ntr_plan_builder *b, const ntr_node *study, ntr_error *err)
{
    ntr_batch_spec s;
    if (ntr_batch_spec_read(study, &s, err) != 0)
        return -1;
    if (ntr_pb_base(b)->noise->kind == NTR_NOISE_EXACT)
        return ntr_fail_at(err, study->pos, "a batch study needs stochastic gradients: set "
                                            "noise.type (minibatch, gaussian, ...)");
    if (s.seeds > 0)
        ntr_pb_set_seeds(b, s.seeds);
    /* steps to the target T(b): every iterate measured unless the config says;
     * one target for all (NAN with target: {floor: F}: each setting its own,
     * see add_points) */
    if (ntr_pb_measure_exactly(b, err) != 0 ||
        ntr_pb_stop_at_target(b, s.target, study->pos, err) != 0)
        return -1;
    points_ctx pc = {b, &s, study->pos};
    return ntr_grid_each(s.over, add_points, &pc, err);
}

const ntr_study_type ntr_study_batch = {
    "batch",
    "critical batch size: steps-to-target T(b), SFO(b) = b T(b), b* and model fits",
    batch_expand,
    ntr_batch_analyse,
    ntr_batch_report,
};

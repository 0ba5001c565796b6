/* settings_method.c: the method section of the settings (see settings.h):
 * method.name and method.norm looked up in their registries, the shared
 * options (alpha, m0, nesterov, weight decay, extrapolation, scale), the
 * step size method.eta (a number, a schedule map or an expression) and the
 * sharp's solver method.lmo; the method's own keys are checked by the
 * method's type (ntr_method_check). */
#include "config/settings.h"
#include "config/settings_read.h"
#include "base/registry.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The keys every method has; each method's own keys come from its type. */
static const char *const method_generic_keys[] = {"name",          "norm",         "lmo",   "eta",
                                                  "alpha",         "m0",           "nesterov",
                                                  "weight_decay",  "extrapolation",
                                                  "extrapolation_error", "scale", NULL};
static const char *const lmo_keys[] = {"solver", "steps", "coefficients", "precision", "gram",
                                       NULL};
static const char *const lmo_solvers[] = {"svd", "newton_schulz", "polar_express", NULL};
static const char *const precisions[] = {"float64", "float32", NULL};
static const char *const m0_names[] = {"zero", "sample", NULL};
static const char *const scale_names[] = {"none", "jordan", "rms_match", NULL};
static const char *const eta_keys[] = {"type", "value", "min", "warmup", NULL};

static int read_eta(const ntr_kv *mkv, ntr_settings *s, ntr_error *err)
{
    ntr_schedule_spec *e = &s->eta;
    memset(e, 0, sizeof *e);
    e->type = NTR_SCHED_CONSTANT;
    e->value = 0.01;
    const ntr_node *n = ntr_node_get(mkv->map, "eta");
    if (!n)
        return 0;
    e->pos = n->pos;
    if (n->kind == NTR_NODE_SCALAR) {
        double v;
        ntr_error tmp;
        if (!n->quoted && ntr_node_as_double(n, "method.eta", &v, &tmp) == 0) {
            if (!(v > 0))
                return ntr_fail_at(err, n->pos, "method.eta must be positive, not %s", n->text);
            e->value = v;
            return 0;
        }
        e->type = NTR_SCHED_EXPR;
        if (n->quoted)
            e->pos.col++; /* point at the expression, not its opening quote */
        return ntr_settings_copy_name(e->expr, sizeof e->expr, n->text, n->pos,
                                      "method.eta expression", err);
    }
    if (n->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, n->pos,
                           "method.eta must be a number, an expression in k and K, or a schedule "
                           "{type, value, min, warmup}");
    ntr_kv kv = {n, "method.eta", s->base_dir};
    int type;
    if (ntr_kv_check_keys(&kv, eta_keys, err) != 0 ||
        ntr_kv_choice(&kv, "type", ntr_schedule_names, NTR_SCHED_CONSTANT, &type, err) != 0 ||
        ntr_kv_double(&kv, "value", 0.01, 0.0, 1e300, &e->value, err) != 0 ||
        ntr_kv_double(&kv, "min", 0.0, 0.0, 1e300, &e->min, err) != 0 ||
        ntr_kv_long(&kv, "warmup", 0, 0, 1L << 50, &e->warmup, err) != 0)
        return -1;
    if (type == NTR_SCHED_EXPR)
        return ntr_fail_at(err, ntr_kv_pos(&kv, "type"),
                           "write an expression schedule as method.eta: \"...\"");
    e->type = (ntr_schedule_type)type;
    if (!(e->value > 0))
        return ntr_fail_at(err, ntr_kv_pos(&kv, "value"), "method.eta.value must be positive");
    if (e->min > e->value)
        return ntr_fail_at(err, ntr_kv_pos(&kv, "min"), "method.eta.min is above method.eta.value");
    return 0;
}

static int read_coefficients(const ntr_node *c, ntr_settings *s, ntr_error *err)
{
    if (c->kind != NTR_NODE_SEQ || c->n == 0 || c->n > NTR_LMO_MAX_STEPS)
        return ntr_fail_at(err, c->pos,
                           "method.lmo.coefficients must be jordan, cubic, polar_express or a "
                           "list of 1 to %d [a, b, c] triples",
                           NTR_LMO_MAX_STEPS);
    for (size_t i = 0; i < c->n; i++) {
        const ntr_node *t = c->items[i];
        if (t->kind != NTR_NODE_SEQ || t->n != 3)
            return ntr_fail_at(err, t->pos, "each coefficient entry must be a triple [a, b, c]");
        for (size_t j = 0; j < 3; j++)
            if (ntr_node_as_double(t->items[j], "method.lmo.coefficients", &s->lmo.coef[i][j],
                                   err) != 0)
                return -1;
    }
    s->lmo.steps = (int)c->n;
    s->lmo.input_scale = 1.0;
    strcpy(s->lmo_coef, "custom");
    return 0;
}

static int read_lmo(const ntr_kv *mkv, ntr_settings *s, ntr_error *err)
{
    const ntr_node *n = ntr_node_get(mkv->map, "lmo");
    if (n && n->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, n->pos, "method.lmo must be a mapping {solver, steps, ...}");
    ntr_kv kv = {n, "method.lmo", s->base_dir};
    int solver, prec;
    long steps;
    if (ntr_kv_check_keys(&kv, lmo_keys, err) != 0 ||
        ntr_kv_choice(&kv, "solver", lmo_solvers, 0, &solver, err) != 0 ||
        ntr_kv_choice(&kv, "precision", precisions, 0, &prec, err) != 0)
        return -1;
    snprintf(s->lmo_name, sizeof s->lmo_name, "%s", lmo_solvers[solver]);
    memset(&s->lmo, 0, sizeof s->lmo);
    s->lmo.solver = solver == 0 ? NTR_LMO_SVD : NTR_LMO_NEWTON_SCHULZ;
    s->lmo.precision = prec;
    const ntr_node *c = ntr_node_get(n, "coefficients");
    const char *preset = solver == 2 ? "polar_express" : "jordan";
    if (c && c->kind == NTR_NODE_SEQ)
        preset = NULL;
    else if (c && ntr_kv_choice(&kv, "coefficients",
                                (const char *const[]){"jordan", "cubic", "polar_express", NULL}, 0,
                                &(int){0}, err) != 0)
        return -1;
    else if (c)
        preset = c->text;
    if (solver == 2 && c && (!preset || strcmp(preset, "polar_express") != 0))
        return ntr_fail_at(err, c->pos, "solver polar_express has its own coefficients");
    long def_steps = preset && !strcmp(preset, "cubic") ? 25 : 5;
    if (ntr_kv_long(&kv, "steps", def_steps, 1, NTR_LMO_MAX_STEPS, &steps, err) != 0)
        return -1;
    if (preset) {
        if (strcmp(preset, "cubic") != 0 && steps != 5)
            return ntr_fail_at(err, ntr_kv_pos(&kv, "steps"),
                               "method.lmo.steps: the %s coefficients are for 5 steps; use "
                               "coefficients: cubic (any number of steps) or a custom list",
                               preset);
        if (ntr_lmo_preset(&s->lmo, preset, (int)steps) != 0)
            return ntr_fail_at(err, c ? c->pos : mkv->map->pos, "unknown coefficients '%s'",
                               preset);
        s->lmo.solver = solver == 0 ? NTR_LMO_SVD : NTR_LMO_NEWTON_SCHULZ;
        s->lmo.precision = prec;
        snprintf(s->lmo_coef, sizeof s->lmo_coef, "%s", preset);
    } else {
        if (read_coefficients(c, s, err) != 0)
            return -1;
        if (ntr_node_get(n, "steps") && steps != s->lmo.steps)
            return ntr_fail_at(err, ntr_kv_pos(&kv, "steps"),
                               "method.lmo.steps = %ld but %d coefficient triples are given", steps,
                               s->lmo.steps);
    }
    if (s->lmo.solver == NTR_LMO_SVD && s->lmo.precision == NTR_PREC_FLOAT32)
        return ntr_fail_at(err, ntr_kv_pos(&kv, "precision"),
                           "precision float32 applies to newton_schulz, not svd");
    int gram;
    if (ntr_kv_bool(&kv, "gram", 0, &gram, err) != 0)
        return -1;
    if (gram && s->lmo.solver == NTR_LMO_SVD)
        return ntr_fail_at(err, ntr_kv_pos(&kv, "gram"),
                           "method.lmo.gram applies to newton_schulz, not svd");
    if (gram && s->lmo.precision == NTR_PREC_FLOAT32)
        return ntr_fail_at(err, ntr_kv_pos(&kv, "gram"),
                           "method.lmo.gram runs in float64; drop precision: float32 or gram");
    s->lmo.gram = gram;
    return 0;
}

int ntr_settings_read_method(const ntr_node *root, ntr_settings *s, ntr_error *err)
{
    ntr_kv kv;
    const char *name, *norm, *keys[64];
    int m0, scale;
    size_t nk = 0;
    for (; method_generic_keys[nk]; nk++)
        keys[nk] = method_generic_keys[nk];
    ntr_method_all_keys(keys + nk, 64 - nk);
    if (ntr_settings_section(root, "method", keys, &kv, s->base_dir, err) != 0 ||
        ntr_kv_string(&kv, "name", "ntr", &name, err) != 0 ||
        ntr_kv_string(&kv, "norm", "spectral", &norm, err) != 0)
        return -1;
    if (ntr_method_find(name, "method", ntr_kv_pos(&kv, "name"), &s->method, err) != 0 ||
        ntr_norm_find(norm, "norm", ntr_kv_pos(&kv, "norm"), &s->norm, err) != 0)
        return -1;
    ntr_method_opts *o = &s->mopts;
    memset(o, 0, sizeof *o);
    if (read_lmo(&kv, s, err) != 0 || read_eta(&kv, s, err) != 0 ||
        ntr_kv_double(&kv, "alpha", 0.1, 0.0, 1.0, &o->alpha, err) != 0 ||
        ntr_kv_choice(&kv, "m0", m0_names, 1, &m0, err) != 0 ||
        ntr_kv_bool(&kv, "nesterov", 0, &o->nesterov, err) != 0 ||
        ntr_kv_double(&kv, "weight_decay", 0.0, 0.0, 1e300, &o->weight_decay, err) != 0 ||
        ntr_kv_bool(&kv, "extrapolation", 0, &o->extrapolation, err) != 0 ||
        ntr_kv_double(&kv, "extrapolation_error", 0.0, -1.0, 10.0, &o->extrapolation_error,
                      err) != 0 ||
        ntr_kv_choice(&kv, "scale", scale_names, 0, &scale, err) != 0 ||
        ntr_method_read_own(s->method, &kv, o, err) != 0)
        return -1;
    o->m0_sample = m0;
    o->scale = scale;
    if (!(o->alpha > 0))
        return ntr_fail_at(err, ntr_kv_pos(&kv, "alpha"),
                           "method.alpha must be in (0, 1] (alpha = 1 means no momentum)");
    if (ntr_method_check(s->method, o, &kv, err) != 0)
        return -1;
    double eta_max = s->eta.type == NTR_SCHED_EXPR ? 0.0 : s->eta.value;
    if (o->weight_decay * eta_max > 1.0)
        return ntr_fail_at(err, ntr_kv_pos(&kv, "weight_decay"),
                           "method.weight_decay * eta = %g exceeds 1: the decay factor "
                           "(1 - eta*lambda) would be negative",
                           o->weight_decay * eta_max);
    return 0;
}

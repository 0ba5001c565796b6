/* extrap_spec.c: reading and checking an extrapolation study block, and
 * the group labels its cells carry (see extrap.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "config/plan_builder.h"
#include "study/extrap/extrap.h"

static const char *const study_keys[] = {"type",     "seeds",    "over",  "momentum", "crossover",
                                         "controls", "band",     "bootstrap", NULL};
static const char *const momentum_keys[] = {"eta", "alpha", "warmup", "set", NULL};
static const char *const crossover_keys[] = {"eps", "eps_unit", "theory", "horizon",
                                             "max_iterations", "set", NULL};
/* Config keys a part or a control may not set: they describe the whole plan,
 * or are what the study itself chooses per cell. */
static const char *const plan_keys[] = {"name", "sweep", "union", "seeds", "study", NULL};

/* A list of positive numbers, or {logspace: [first, last, count]}. */
static int read_values(const ntr_node *n, const char *what, size_t max, double *v, size_t *count,
                       ntr_error *err)
{
    if (n->kind == NTR_NODE_MAP) {
        const ntr_node *ls = ntr_node_get(n, "logspace");
        if (!ls || n->n != 1)
            return ntr_fail_at(err, n->pos, "%s: give a list or {logspace: [first, last, count]}",
                               what);
        double a, b, k;
        if (ls->kind != NTR_NODE_SEQ || ls->n != 3)
            return ntr_fail_at(err, ls->pos, "%s.logspace must be [first, last, count]", what);
        if (ntr_node_as_double(ls->items[0], what, &a, err) != 0 ||
            ntr_node_as_double(ls->items[1], what, &b, err) != 0 ||
            ntr_node_as_double(ls->items[2], what, &k, err) != 0)
            return -1;
        if (!(a > 0 && b > 0 && isfinite(a) && isfinite(b)))
            return ntr_fail_at(err, ls->pos, "%s.logspace: values must be positive", what);
        if (k != floor(k) || k < 2 || k > (double)max)
            return ntr_fail_at(err, ls->items[2]->pos, "%s.logspace count must be an integer "
                                                       "from 2 to %zu",
                               what, max);
        *count = (size_t)k;
        for (size_t i = 0; i < *count; i++)
            v[i] = exp(log(a) + (log(b) - log(a)) * (double)i / (k - 1.0));
        v[0] = a;
        v[*count - 1] = b;
        return 0;
    }
    if (n->kind != NTR_NODE_SEQ || n->n == 0 || n->n > max)
        return ntr_fail_at(err, n->pos, "%s must list 1 to %zu positive numbers", what, max);
    for (size_t i = 0; i < n->n; i++) {
        if (ntr_node_as_double(n->items[i], what, &v[i], err) != 0)
            return -1;
        if (!(v[i] > 0) || !isfinite(v[i]))
            return ntr_fail_at(err, n->items[i]->pos, "%s: %g is not a positive number", what,
                               v[i]);
        for (size_t j = 0; j < i; j++)
            if (v[j] == v[i])
                return ntr_fail_at(err, n->items[i]->pos, "%s: %g is listed twice", what, v[i]);
    }
    *count = n->n;
    return 0;
}

/* A map of config keys to single values, applied to a part's or a
 * control's cells. */
static int read_set(const ntr_node *n, const char *what, ntr_error *err)
{
    if (n->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, n->pos, "%s must map config keys to values ({init.type: zeros})",
                           what);
    for (size_t i = 0; i < n->n; i++) {
        const char *k = n->keys[i];
        for (size_t j = 0; plan_keys[j]; j++)
            if (strcmp(k, plan_keys[j]) == 0 || strncmp(k, "study.", 6) == 0)
                return ntr_fail_at(err, n->key_pos[i], "%s: '%s' describes the whole plan and "
                                                       "cannot be set here",
                                   what, k);
        if (!strcmp(k, "method.extrapolation"))
            return ntr_fail_at(err, n->key_pos[i], "%s: the study sets method.extrapolation "
                                                   "itself (off, on and the controls)",
                               what);
    }
    return 0;
}

/* The g-th grid of study.over. */
static const ntr_node *grid_of(const ntr_ex_spec *s, size_t g)
{
    return s->over->kind == NTR_NODE_SEQ ? s->over->items[g] : s->over;
}

/* One grid of doses, added to *ndoses. */
static int read_grid(const ntr_node *g, size_t *ndoses, ntr_error *err)
{
    if (ntr_grid_check(g, "study.over", "used as a dose", err) != 0)
        return -1;
    size_t n = 1;
    for (size_t i = 0; i < g->n; i++) {
        if (!strcmp(g->keys[i], "method.extrapolation"))
            return ntr_fail_at(err, g->key_pos[i], "study.over: the study sets "
                                                   "method.extrapolation itself");
        n *= g->items[i]->n;
        if (n + *ndoses > NTR_EX_MAX_DOSES)
            return ntr_fail_at(err, g->pos, "study.over: at most %d doses", NTR_EX_MAX_DOSES);
    }
    *ndoses += n;
    return 0;
}

static int read_momentum(const ntr_node *m, ntr_ex_spec *s, ntr_error *err)
{
    if (m->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, m->pos, "study.momentum must be a mapping {eta: [...], alpha: "
                                        "[...]}");
    ntr_kv kv = {m, "study.momentum", NULL};
    if (ntr_kv_check_keys(&kv, momentum_keys, err) != 0 ||
        ntr_kv_double(&kv, "warmup", 5.0, 0.0, 1e6, &s->warmup, err) != 0)
        return -1;
    const ntr_node *eta = ntr_node_get(m, "eta"), *alpha = ntr_node_get(m, "alpha");
    if (!eta || !alpha)
        return ntr_fail_at(err, m->pos, "study.momentum needs eta and alpha (lists of values)");
    if (read_values(eta, "study.momentum.eta", NTR_EX_MAX_MOM, s->eta, &s->neta, err) != 0 ||
        read_values(alpha, "study.momentum.alpha", NTR_EX_MAX_MOM, s->alpha, &s->nalpha, err) != 0)
        return -1;
    for (size_t i = 0; i < s->nalpha; i++)
        if (s->alpha[i] > 1.0)
            return ntr_fail_at(err, alpha->pos, "study.momentum.alpha: %g is above 1", s->alpha[i]);
    s->momentum_set = ntr_node_get(m, "set");
    return s->momentum_set ? read_set(s->momentum_set, "study.momentum.set", err) : 0;
}

/* Where an expression's text starts (after an opening quote). */
static ntr_pos unit_pos(const ntr_node *n)
{
    ntr_pos p = n->pos;
    if (n->quoted && p.file)
        p.col++;
    return p;
}

static int read_crossover(const ntr_node *c, ntr_ex_spec *s, ntr_error *err)
{
    if (c->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, c->pos, "study.crossover must be a mapping {eps: ..., theory: "
                                        "...}");
    ntr_kv kv = {c, "study.crossover", NULL};
    if (ntr_kv_check_keys(&kv, crossover_keys, err) != 0 ||
        ntr_kv_double(&kv, "horizon", 50.0, 1.0, 1e6, &s->horizon, err) != 0 ||
        ntr_kv_long(&kv, "max_iterations", 100000000L, 1, 1000000000000L, &s->max_iterations,
                    err) != 0)
        return -1;
    const ntr_node *eps = ntr_node_get(c, "eps");
    if (!eps)
        return ntr_fail_at(err, c->pos, "study.crossover needs eps: a list of accuracies or "
                                        "{logspace: [0.15, 0.005, 8]}");
    if (read_values(eps, "study.crossover.eps", NTR_EX_MAX_EPS, s->eps, &s->neps, err) != 0)
        return -1;
    if (s->neps < 3)
        return ntr_fail_at(err, eps->pos, "study.crossover.eps needs at least 3 values to "
                                          "bracket a crossover");
    for (size_t i = 1; i < s->neps; i++)
        if (!(s->eps[i] < s->eps[i - 1]))
            return ntr_fail_at(err, eps->pos, "study.crossover.eps must decrease (from the "
                                              "largest accuracy to the smallest)");
    s->eps_unit = ntr_node_get(c, "eps_unit");
    if (s->eps_unit) {
        ntr_expr *e = NULL;
        if (s->eps_unit->kind != NTR_NODE_SCALAR)
            return ntr_fail_at(err, s->eps_unit->pos, "study.crossover.eps_unit must be an "
                                                      "expression of the constants (\"L^2/L2\")");
        if (ntr_expr_compile(s->eps_unit->text, unit_pos(s->eps_unit),
                             "study.crossover.eps_unit", &e, err) != 0)
            return -1;
        ntr_expr_free(e);
    }
    s->theory = ntr_node_get(c, "theory");
    if (!s->theory)
        return ntr_fail_at(err, c->pos, "study.crossover needs theory: the rule that gives eta "
                                        "and alpha at each eps (kovalev_extrapolation)");
    s->crossover_set = ntr_node_get(c, "set");
    return s->crossover_set ? read_set(s->crossover_set, "study.crossover.set", err) : 0;
}

static int read_controls(const ntr_node *c, ntr_ex_spec *s, ntr_error *err)
{
    if (c->kind != NTR_NODE_MAP || c->n > NTR_EX_MAX_CONTROLS)
        return ntr_fail_at(err, c->pos, "study.controls must map up to %d names to config keys "
                                        "({at_x: {method.extrapolation_error: -1}})",
                           NTR_EX_MAX_CONTROLS);
    for (size_t i = 0; i < c->n; i++) {
        const char *name = c->keys[i];
        size_t len = strlen(name);
        int word = len > 0 && len < sizeof s->control[0];
        for (size_t j = 0; word && j < len; j++)
            word = (name[j] >= 'a' && name[j] <= 'z') || (name[j] >= '0' && name[j] <= '9') ||
                   name[j] == '_';
        if (!word || !strcmp(name, "on") || !strcmp(name, "off"))
            return ntr_fail_at(err, c->key_pos[i], "study.controls: '%s' must be a short name of "
                                                   "lower-case letters, digits and '_', not on "
                                                   "or off",
                               name);
        if (read_set(c->items[i], "study.controls entry", err) != 0)
            return -1;
        if (c->items[i]->n == 0)
            return ntr_fail_at(err, c->items[i]->pos, "study.controls.%s sets no key: it would "
                                                      "repeat the extrapolated cells",
                               name);
        snprintf(s->control[i], sizeof s->control[i], "%s", name);
        s->control_set[i] = c->items[i];
    }
    s->ncontrols = c->n;
    return 0;
}

int ntr_ex_spec_read(const ntr_node *study, ntr_ex_spec *s, ntr_error *err)
{
    memset(s, 0, sizeof *s);
    s->pos = study->pos;
    ntr_kv kv = {study, "study", NULL};
    if (ntr_kv_check_keys(&kv, study_keys, err) != 0 ||
        ntr_kv_long(&kv, "seeds", 0, 1, 10000, &s->seeds, err) != 0 ||
        ntr_kv_double(&kv, "band", 0.5, 0.01, 10.0, &s->band, err) != 0 ||
        ntr_kv_long(&kv, "bootstrap", 1000, 10, 1000000, &s->bootstrap, err) != 0)
        return -1;
    s->over = ntr_node_get(study, "over");
    s->ndoses = 1;
    if (s->over) {
        size_t ng = s->over->kind == NTR_NODE_SEQ ? s->over->n : 1;
        if (ng == 0)
            return ntr_fail_at(err, s->over->pos, "study.over: an empty list of grids");
        s->ndoses = 0;
        for (size_t g = 0; g < ng; g++)
            if (read_grid(grid_of(s, g), &s->ndoses, err) != 0)
                return -1;
    }
    const ntr_node *m = ntr_node_get(study, "momentum"), *c = ntr_node_get(study, "crossover");
    if (!m || !c)
        return ntr_fail_at(err, study->pos, "an extrapolation study needs momentum: (fixed eta "
                                            "and alpha) and crossover: (eps and a rule)");
    if (read_momentum(m, s, err) != 0 || read_crossover(c, s, err) != 0)
        return -1;
    const ntr_node *ctl = ntr_node_get(study, "controls");
    return ctl ? read_controls(ctl, s, err) : 0;
}

size_t ntr_ex_nroles(const ntr_ex_spec *s) { return 2 + s->ncontrols; }

const char *ntr_ex_role_name(const ntr_ex_spec *s, size_t r)
{
    return r == NTR_EX_OFF ? "off" : r == NTR_EX_ON ? "on" : s->control[r - NTR_EX_CONTROL0];
}

void ntr_ex_momentum_label(const char *dose, double eta, double alpha, const char *role,
                           char *buf, size_t size)
{
    snprintf(buf, size, "%s momentum eta=%.6g alpha=%.6g %s", dose, eta, alpha, role);
}

void ntr_ex_crossover_label(const ntr_ex_spec *s, const char *dose, size_t i, const char *role,
                            char *buf, size_t size)
{
    if (s->eps_unit)
        snprintf(buf, size, "%s crossover eps=%.6g*(%s) %s", dose, s->eps[i], s->eps_unit->text,
                 role);
    else
        snprintf(buf, size, "%s crossover eps=%.6g %s", dose, s->eps[i], role);
}

int ntr_ex_eps_scale(const ntr_ex_spec *s, const ntr_theory_vars *v, double *scale,
                     ntr_error *err)
{
    *scale = 1.0;
    if (!s->eps_unit)
        return 0;
    int rc = ntr_expr_eval_text(s->eps_unit->text, unit_pos(s->eps_unit),
                                "study.crossover.eps_unit", v, scale, err);
    if (rc == 0 && !(*scale > 0))
        rc = ntr_fail_at(err, s->eps_unit->pos, "study.crossover.eps_unit = %g: not positive",
                         *scale);
    return rc;
}

/* The grid iterator at dose i. */
static void dose_iter(const ntr_ex_spec *s, size_t i, ntr_grid_iter *it)
{
    size_t g = 0, n = 0;
    for (;;) {
        const ntr_node *grid = grid_of(s, g);
        size_t pts = 1;
        for (size_t k = 0; k < grid->n; k++)
            pts *= grid->items[k]->n;
        if (i < n + pts || g + 1 >= (s->over->kind == NTR_NODE_SEQ ? s->over->n : 1)) {
            ntr_grid_first(it, grid);
            for (size_t k = n; k < i; k++)
                ntr_grid_next(it);
            return;
        }
        n += pts;
        g++;
    }
}

void ntr_ex_dose_assigns(const ntr_ex_spec *s, size_t i, ntr_assign *a, size_t *na)
{
    *na = 0;
    if (!s->over)
        return;
    ntr_grid_iter it;
    dose_iter(s, i, &it);
    ntr_grid_assigns(&it, a);
    *na = it.nkeys;
}

void ntr_ex_dose_label(const ntr_ex_spec *s, size_t i, char *buf, size_t size)
{
    if (!s->over) {
        snprintf(buf, size, "base");
        return;
    }
    ntr_grid_iter it;
    dose_iter(s, i, &it);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < it.nkeys && used < size; k++) {
        const ntr_node *v = it.grid->items[k]->items[it.idx[k]];
        int w = snprintf(buf + used, size - used, "%s%s=%s", k ? " " : "", it.grid->keys[k],
                         v->kind == NTR_NODE_SCALAR ? v->text : "?");
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* extrap.c: the extrapolation study type and its expansion into cells
 * (see extrap.h).
 *
 * Per dose, the (a) points then the (b) points; each point once per role
 * (off, on, each control), so that the roles of one point differ only in
 * method.extrapolation and the control's keys and share their start
 * points and noise streams (common random numbers).  A point's
 * assignments, in order (a later one wins):
 *
 *     the dose's keys, the part's `set:` keys,
 *     method.eta, method.alpha          (a: the listed values; b: the rule's)
 *     budget.iterations                 (b only: ceil(horizon/alpha), capped)
 *     method.extrapolation              (false for off, true otherwise)
 *     the control's keys                (controls only)
 *
 * and the command line's --set pins after them all (plan builder).  The
 * rule is evaluated with the dose's constants, read from a trial cell of
 * the dose with the crossover part's keys (so with its start point). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "study/rate/theory.h"
#include "study/extrap/extrap.h"
#include "study/point_constants.h"
#include "config/yaml_emit.h"

#define MAX_ASSIGNS 48

/* The assignments of one point, with the nodes it owns. */
typedef struct point {
    size_t n, nown;
    ntr_assign a[MAX_ASSIGNS];
    ntr_node *own[MAX_ASSIGNS];
} point;

static void point_drop_to(point *p, size_t n, size_t nown)
{
    while (p->nown > nown)
        ntr_node_free(p->own[--p->nown]);
    p->n = n;
}

static int put(point *p, const char *key, const ntr_node *val, ntr_pos pos, ntr_error *err)
{
    if (p->n >= MAX_ASSIGNS)
        return ntr_fail_at(err, pos, "study: too many keys for one point (at most %d)",
                           MAX_ASSIGNS);
    p->a[p->n].key = key;
    p->a[p->n].val = val;
    p->n++;
    return 0;
}

static int put_map(point *p, const ntr_node *map, ntr_error *err)
{
    for (size_t i = 0; map && i < map->n; i++)
        if (put(p, map->keys[i], map->items[i], map->key_pos[i], err) != 0)
            return -1;
    return 0;
}

/* A node made here: a number (integral values as integers) or a word. */
static int put_own(point *p, const char *key, ntr_node *val, ntr_pos pos, ntr_error *err)
{
    if (!val)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (p->nown >= MAX_ASSIGNS || put(p, key, val, pos, err) != 0) {
        ntr_node_free(val);
        return ntr_fail_at(err, pos, "study: too many keys for one point");
    }
    p->own[p->nown++] = val;
    return 0;
}

static int put_number(point *p, const char *key, double v, ntr_pos pos, ntr_error *err)
{
    return put_own(p, key, ntr_yaml_number_node(v, pos), pos, err);
}

/* Add the point once per role, with the role's keys after the common ones:
 * momentum point (eta i, alpha j), or crossover point i at absolute eps x. */
static int add_roles(ntr_plan_builder *b, const ntr_ex_spec *s, point *p, const char *dose,
                     int momentum, size_t i, size_t j, double x, ntr_error *err)
{
    size_t n0 = p->n, own0 = p->nown;
    int rc = 0;
    for (size_t r = 0; rc == 0 && r < ntr_ex_nroles(s); r++) {
        rc = put_own(p, "method.extrapolation", ntr_node_scalar(r == NTR_EX_OFF ? "false" : "true",
                                                                s->pos, 0),
                     s->pos, err);
        if (rc == 0 && r >= NTR_EX_CONTROL0)
            rc = put_map(p, s->control_set[r - NTR_EX_CONTROL0], err);
        char label[512];
        if (momentum)
            ntr_ex_momentum_label(dose, s->eta[i], s->alpha[j], ntr_ex_role_name(s, r), label,
                                  sizeof label);
        else
            ntr_ex_crossover_label(s, dose, i, ntr_ex_role_name(s, r), label, sizeof label);
        if (rc == 0)
            rc = ntr_pb_add_point(b, p->a, p->n, label, momentum ? NAN : x, err);
        point_drop_to(p, n0, own0);
    }
    return rc;
}

static int add_momentum(ntr_plan_builder *b, const ntr_ex_spec *s, point *p, const char *dose,
                        ntr_error *err)
{
    size_t n0 = p->n, own0 = p->nown;
    int rc = put_map(p, s->momentum_set, err);
    size_t n1 = p->n, own1 = p->nown;
    for (size_t i = 0; rc == 0 && i < s->neta; i++)
        for (size_t j = 0; rc == 0 && j < s->nalpha; j++) {
            rc = put_number(p, "method.eta", s->eta[i], s->pos, err);
            if (rc == 0)
                rc = put_number(p, "method.alpha", s->alpha[j], s->pos, err);
            if (rc == 0)
                rc = add_roles(b, s, p, dose, 1, i, j, NAN, err);
            point_drop_to(p, n1, own1);
        }
    point_drop_to(p, n0, own0);
    return rc;
}

static int add_crossover(ntr_plan_builder *b, const ntr_ex_spec *s, ntr_theory *rule, point *p,
                         const char *dose, ntr_error *err)
{
    size_t n0 = p->n, own0 = p->nown;
    ntr_theory_vars v;
    double scale = 1.0;
    int rc = put_map(p, s->crossover_set, err);
    if (rc == 0)
        rc = ntr_study_point_vars(b, p->a, p->n, &v, err);
    if (rc == 0)
        rc = ntr_ex_eps_scale(s, &v, &scale, err);
    size_t n1 = p->n, own1 = p->nown;
    for (size_t i = 0; rc == 0 && i < s->neps; i++) {
        ntr_theory_point tp;
        v.eps = s->eps[i] * scale;
        v.alpha = v.eta = NAN;
        rc = ntr_theory_eval(rule, &v, &tp, err);
        if (rc == 0)
            rc = put_number(p, "method.eta", tp.eta, s->theory->pos, err);
        if (rc == 0)
            rc = put_number(p, "method.alpha", tp.alpha, s->theory->pos, err);
        double K = fmin(ceil(s->horizon / tp.alpha), (double)s->max_iterations);
        if (rc == 0)
            rc = put_number(p, "budget.iterations", K, s->theory->pos, err);
        if (rc == 0)
            rc = add_roles(b, s, p, dose, 0, i, 0, s->eps[i] * scale, err);
        point_drop_to(p, n1, own1);
    }
    point_drop_to(p, n0, own0);
    return rc;
}

static int ex_expand(ntr_plan_builder *b, const ntr_node *study, ntr_error *err)
{
    ntr_ex_spec s;
    ntr_theory *rule = NULL;
    /* hitting times: every iterate measured unless the config says */
    if (ntr_pb_measure_exactly(b, err) != 0 || ntr_ex_spec_read(study, &s, err) != 0 ||
        ntr_theory_parse(s.theory, &rule, err) != 0)
        return -1;
    int rc = 0;
    if (ntr_theory_nsettings(rule) > 0)
        rc = ntr_fail_at(err, s.theory->pos, "study.crossover.theory: the rule may set only "
                                             "method keys (eta, alpha), not problem or noise keys");
    if (s.seeds > 0)
        ntr_pb_set_seeds(b, s.seeds);
    point p;
    p.n = p.nown = 0;
    for (size_t dose = 0; rc == 0 && dose < s.ndoses; dose++) {
        ntr_ex_dose_assigns(&s, dose, p.a, &p.n);
        char label[256];
        ntr_ex_dose_label(&s, dose, label, sizeof label);
        rc = add_momentum(b, &s, &p, label, err);
        if (rc == 0)
            rc = add_crossover(b, &s, rule, &p, label, err);
        point_drop_to(&p, 0, 0);
    }
    ntr_theory_free(rule);
    return rc;
}

const ntr_study_type ntr_study_extrapolation = {
    "extrapolation",
    "the extrapolation mechanism (claim C4): momentum error with extrapolation off and on at "
    "the same (eta, alpha), the crossover eps* of the running average, its dose-response in "
    "L^2/L2",
    ex_expand,
    ntr_ex_analyse,
    ntr_ex_report,
};

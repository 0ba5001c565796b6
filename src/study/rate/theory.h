/* theory.h: a theorem's parameter rules as functions of the accuracy eps.
 *
 * A rate study asks, for each eps, which step size eta, momentum weight
 * alpha, weight decay and iteration count K a theorem prescribes, and
 * which exponent p it predicts for K(eps) ~ eps^-p.  The rules come from a
 * preset (THEORY.md section 1, see presets.c for the formulas and their
 * derivations) or from the config as expressions (expr.h):
 *
 *     theory: kovalev_nonconvex
 *     theory: {preset: kovalev_extrapolation, c: 32}
 *     theory: {eta: "eps/(8*L)", alpha: "1", iterations: "ceil(32*L*Delta0/eps^2)",
 *              exponent: 2, measure: min_grad_dual,
 *              problem: {T: "ceil(1/eps^2)", p: "min(1, 10*eps^2)"}, noise: {sigma: "..."}}
 *
 * Keys given beside `preset` override the preset's rule.  Rules under
 * `problem:` and `noise:` set those config keys as functions of eps (the
 * hard instance's length and reveal probability scale with eps); they are
 * evaluated with the base problem's constants, before the problem is built
 * for that eps.  The method rules are evaluated in the order alpha, eta,
 * weight_decay, iterations, and each may use the ones before it. */
#ifndef NTR_THEORY_H
#define NTR_THEORY_H

#include <stddef.h>

#include "config/measure.h"
#include "base/node.h"
#include "base/expr.h"

extern const char *const ntr_theory_presets[];       /* NULL-terminated */

/* The rule's values at one eps. */
typedef struct ntr_theory_point {
    double alpha, eta;
    double weight_decay; /* NAN when the rule leaves the configured value */
    double K;            /* the theorem's iteration count (may exceed any budget) */
} ntr_theory_point;

typedef struct ntr_theory ntr_theory;

/* Read a `theory:` node (a preset name or a map); errors are positioned. */
int ntr_theory_parse(const ntr_node *node, ntr_theory **out, ntr_error *err);
void ntr_theory_free(ntr_theory *t);

/* "kovalev_nonconvex", "kovalev_nonconvex (eta overridden)" or "custom". */
const char *ntr_theory_name(const ntr_theory *t);
/* Where the rule's constants come from: "paper", "reconstructed",
 * "derived" (deterministic) or "user". */
const char *ntr_theory_source(const ntr_theory *t);
/* The predicted exponent p, NAN when a custom rule gives none. */
double ntr_theory_exponent(const ntr_theory *t);
/* What the theorem bounds (min_grad_dual, gap, or a measure the user named). */
ntr_measure ntr_theory_measure_of(const ntr_theory *t);
/* 1 when the rule turns method.extrapolation on. */
int ntr_theory_extrapolation(const ntr_theory *t);
/* The rule's assumption worth stating beside its results ("sigma = 0"), or NULL. */
const char *ntr_theory_assumption(const ntr_theory *t);

/* The method rules' texts (NULL when absent: weight_decay). which: "alpha",
 * "eta", "weight_decay" or "iterations". */
const char *ntr_theory_formula(const ntr_theory *t, const char *which);

/* The problem/noise rules: count, the dotted key ("problem.T") and the
 * position of the rule in the YAML. */
size_t ntr_theory_nsettings(const ntr_theory *t);
const char *ntr_theory_setting_key(const ntr_theory *t, size_t i);
ntr_pos ntr_theory_setting_pos(const ntr_theory *t, size_t i);
int ntr_theory_setting_eval(ntr_theory *t, size_t i, const ntr_theory_vars *v, double *out,
                            ntr_error *err);

/* The method rules at v->eps (v->alpha and v->eta are set here).  K is
 * checked to be at least 1, eta and alpha to be positive, alpha <= 1. */
int ntr_theory_eval(ntr_theory *t, const ntr_theory_vars *v, ntr_theory_point *out,
                    ntr_error *err);

#endif

/* setting_expr.h: settings given as expressions of other settings.
 *
 * A value such as method.eta: "0.03*method.alpha" (in the config, in a
 * sweep, a union or a study's over grid) is an expression over other
 * settings, named by their dotted keys under problem, noise, method,
 * init, budget and log.  Each cell's tree is resolved before its settings
 * are read: every referenced key takes the cell's value (its resolved
 * setting, defaults included; true/false count as 1/0) and the expression
 * is replaced by its value, so that a cell's identity holds the number,
 * never the formula.  A controlled design (eta/alpha fixed while alpha
 * varies) then needs no hand-written union of grids.  An expression may
 * not refer to another expression; errors point at the expression. */
#ifndef NTR_SETTING_EXPR_H
#define NTR_SETTING_EXPR_H

#include "base/node.h"
#include "config/settings.h"

/* 1 when the scalar text refers to a setting (section.key). */
int ntr_setting_expr_refers(const char *text);

/* The setting expressions in tree: up to max of their dotted keys (into
 * keys[i], 256 bytes each) and texts (borrowed); returns their number. */
size_t ntr_setting_exprs_list(const ntr_node *tree, char (*keys)[256], const char **texts,
                              size_t max);

/* Replace every setting expression in tree by its value (nothing to do,
 * and nothing read, when there is none). */
int ntr_setting_exprs_resolve(ntr_node *tree, const char *base_dir, ntr_error *err);

/* The value of an expression of settings (text starting at pos; what
 * names it in messages) with the resolved settings s: e.g. the centre of
 * a tuning grid per group ("0.01/noise.sigma"). */
int ntr_setting_expr_eval(const char *text, ntr_pos pos, const char *what, const ntr_settings *s,
                          double *out, ntr_error *err);

#endif

/* settings_cols.h: a cell's resolved settings as dotted-key columns
 * (summary.csv): every key of its resolved config (name, seed,
 * problem.type, problem.shape, noise.sigma, method.lmo.solver, ...), the
 * values as config.yaml writes them (lists in flow style), so that the
 * summaries of two studies concatenate and filter without joins. */
#ifndef NTR_SETTINGS_COLS_H
#define NTR_SETTINGS_COLS_H

#include <stddef.h>

#include "config/plan.h"

typedef struct ntr_settings_cols {
    size_t nkeys;
    char **keys;          /* union over the cells, in first-seen order */
    size_t ncells;
    char ***values;       /* values[cell][key]: NULL when the cell has no such key */
} ntr_settings_cols;

/* Every cell of the plan, leaving out the keys in skip (n of them: the
 * plan's swept axes, which have their own columns). */
int ntr_settings_cols_build(const ntr_plan *p, char *const *skip, size_t nskip,
                            ntr_settings_cols *out, ntr_error *err);
void ntr_settings_cols_free(ntr_settings_cols *c);

#endif

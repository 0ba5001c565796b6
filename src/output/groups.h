/* groups.h: the cells of a result folder gathered by setting.
 *
 * summary.csv has one row per cell and a `group` column naming the cell's
 * setting without its replicate (seed); cells of one group differ only by
 * seed.  Figures draw one line per group and the report one table row per
 * group, so both start here.  Groups keep the order in which they first
 * appear in summary.csv (the cell index order); a summary without a group
 * column is one group called "all". */
#ifndef NTR_GROUPS_H
#define NTR_GROUPS_H

#include <stddef.h>

#include "base/error.h"
#include "base/table.h"

typedef struct ntr_group {
    const char *label;  /* points into the table (or a static "all") */
    size_t ncells;
    size_t *rows;       /* summary.csv row of each cell, in file order */
} ntr_group;

typedef struct ntr_groups {
    size_t n;
    ntr_group *g;
} ntr_groups;

/* Gather the rows of a summary table into groups; free with ntr_groups_free.
 * The table must outlive the groups. */
int ntr_groups_from_summary(const ntr_table *summary, ntr_groups *out, ntr_error *err);

void ntr_groups_free(ntr_groups *gs);

/* The cell hash of a summary row, checked to be a plain folder name (no '/',
 * not starting with '.'), so that cells/<hash> stays inside the folder. */
int ntr_summary_hash(const ntr_table *summary, size_t row, const char **hash, ntr_error *err);

#endif

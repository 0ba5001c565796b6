/* tidy_tables.h: trajectories.csv and targets.csv, the long tables of a
 * result folder (SPEC section 3), rebuilt from the cell folders.
 *
 * trajectories.csv: every logged row of every finished cell, one table:
 *   hash, replicate, seed, <every swept setting>, k, sfo, f, gap,
 *   grad_dual, grad_l2, min_grad_dual, avg_grad_dual, x_norm, x_fro,
 *   mom_err
 * targets.csv: one row per finished cell and target:
 *   hash, measure, target, K, SFO   (K and SFO empty: never reached)
 * A data frame library reads either with one read_csv; summary.csv joins
 * on hash.  Numbers are the cells' own text (numfmt.h); a missing value is
 * an empty field. */
#ifndef NTR_TIDY_TABLES_H
#define NTR_TIDY_TABLES_H

#include "config/plan.h"

int ntr_tidy_tables_write(const char *outdir, const ntr_plan *p, ntr_error *err);

#endif

/* summary_csv.h: summary.csv, one row per cell of the plan, rebuilt from
 * the cells' summary.json files (so it also works on merged shards).
 * Columns: index,hash,group,replicate,<axes>,status,iterations,sfo,f,gap,
 * grad_dual,min_grad_dual,K_<target>...,SFO_<target>...,wall_s.
 * Beside it, when some point's replicate has the same settings as an
 * earlier point's (the cell runs once, for both), aliases.csv lists them:
 * group,replicate,hash (the shared cell's). */
#ifndef NTR_SUMMARY_CSV_H
#define NTR_SUMMARY_CSV_H

#include "config/plan.h"
#include "base/status.h"

/* counts[] (indexed by ntr_status) receives how many cells have each
 * status; may be NULL. */
int ntr_summary_csv_write(const char *outdir, const ntr_plan *p, long counts[NTR_STATUS_COUNT],
                          ntr_error *err);

#endif

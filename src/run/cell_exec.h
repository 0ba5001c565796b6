/* cell_exec.h: run one cell into its folder cells/<hash>/ of a result
 * folder: trajectory.csv and timing.csv through temporary names, then
 * summary.json last (its presence marks the cell finished). */
#ifndef NTR_CELL_EXEC_H
#define NTR_CELL_EXEC_H

#include <signal.h>

#include "../config/plan.h"
#include "runner.h"

/* 1 when cells/<hash>/summary.json exists with a final status (anything
 * but interrupted): such a cell is skipped on resume. */
int ntr_cell_is_finished(const char *outdir, const ntr_cell *c);

int ntr_cell_execute(const ntr_cell *c, const char *outdir, const volatile sig_atomic_t *stop,
                     ntr_run_result *res, ntr_error *err);

#endif

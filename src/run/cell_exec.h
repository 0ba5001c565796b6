/* cell_exec.h: run one cell into its folder cells/<hash>/ of a result
 * folder: trajectory.csv and timing.csv through temporary names, then
 * state.bin (the run's final state, for a larger budget later), then
 * summary.json last (its presence marks the cell finished). */
#ifndef NTR_CELL_EXEC_H
#define NTR_CELL_EXEC_H

#include <signal.h>

#include "config/plan.h"
#include "run/runner.h"

/* 1 when cells/<hash>/summary.json exists with a final status (anything
 * but interrupted) and the cell's files agree with it (cell_check.h): such a
 * cell is skipped on resume. */
int ntr_cell_is_finished(const char *outdir, const ntr_cell *c);

/* Run the cell.  source: NULL, or the folder of a finished cell that
 * differs only by a smaller budget (the same lineage): the cell then goes on
 * from that cell's state.bin, after the rows of its trajectory.csv and
 * timing.csv before that state, giving the bytes of a run from k = 0 (a
 * damaged source is ignored: the cell runs from the start).  A cell with a
 * lineage that ended for good leaves its own state.bin. */
/* threads: the size of the cell's thread team for its large matrix
 * products (par.h; 1: none); the results do not depend on it. */
int ntr_cell_execute(const ntr_cell *c, const char *outdir, const char *source, int threads,
                     const volatile sig_atomic_t *stop, ntr_run_result *res, ntr_error *err);

#endif

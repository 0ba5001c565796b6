/* cell_check.h: whether a cell's files in a result folder are whole.
 *
 * A cell is finished when its summary.json names a final status; its files
 * must then agree: summary.json parses, names a known status (and this
 * cell's hash), and trajectory.csv exists, ends with a whole row whose k is
 * the summary's iterations, with as many fields as its header.  Only the
 * header and the last 64 KiB are read, so checking a folder costs little
 * whatever its trajectories' sizes.  A cell that fails (hand-edited:
 * trajectory.csv deleted, summary.json of {}, a truncated trajectory) is
 * damaged: its folder is moved to DIR/damaged/<hash>-N and the cell runs
 * again from scratch. */
#ifndef NTR_CELL_CHECK_H
#define NTR_CELL_CHECK_H

#include <stddef.h>

#include "config/plan.h"

typedef enum {
    NTR_CELL_PENDING = 0, /* no summary.json, or not a final status: runs (again) */
    NTR_CELL_FINISHED,    /* whole: skipped on resume */
    NTR_CELL_DAMAGED      /* summary.json says finished but the files disagree */
} ntr_cell_state;

/* The cell's state; why (for DAMAGED) says what is wrong. */
ntr_cell_state ntr_cell_inspect(const char *outdir, const ntr_cell *c, char *why, size_t size);

/* Move a damaged cell's folder to DIR/damaged/<hash>-N (N = 1, 2, ...);
 * dest receives where. */
int ntr_cell_move_damaged(const char *outdir, const ntr_cell *c, char *dest, size_t size,
                          ntr_error *err);

#endif

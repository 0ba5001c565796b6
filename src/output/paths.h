/* paths.h: where a result folder keeps its files, spelled once.
 *
 *   RESULT/manifest.json, summary.csv, report.md, ...
 *   RESULT/cells/HASH/summary.json, trajectory.csv, timing.csv, ...
 *
 * Each builder writes into buf like ntr_path (files.h): a path that does
 * not fit is an error. */
#ifndef NTR_PATHS_H
#define NTR_PATHS_H

#include <stddef.h>

#include "base/error.h"

#define NTR_CELLS_DIR "cells"
#define NTR_SUMMARY_JSON "summary.json"
#define NTR_TRAJECTORY_CSV "trajectory.csv"
#define NTR_TIMING_CSV "timing.csv"

/* RESULT/cells */
int ntr_cells_path(char *buf, size_t size, ntr_error *err, const char *outdir);
/* RESULT/cells/HASH, or RESULT/cells/HASH/FILE when file is not NULL. */
int ntr_cell_path(char *buf, size_t size, ntr_error *err, const char *outdir, const char *hash,
                  const char *file);

#endif

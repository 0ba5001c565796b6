/* manifest.h: manifest.json, what produced a result folder: tool version,
 * git commit, compiler, BLAS and its kernels, host, start and end times, cells and their
 * status counts. */
#ifndef NTR_MANIFEST_H
#define NTR_MANIFEST_H

#include "linalg/blas_kernel.h"
#include "config/plan.h"
#include "base/status.h"

/* blas: the kernels the cells were computed with (NULL: described from
 * OpenBLAS alone). */
int ntr_manifest_write(const char *outdir, const ntr_plan *p, const char *started,
                       const char *finished, const long counts[NTR_STATUS_COUNT],
                       const char *argv_line, const ntr_blas_kernel *blas, ntr_error *err);
/* Current UTC time as ISO 8601 into buf. */
void ntr_now_iso(char *buf, size_t size);

#endif

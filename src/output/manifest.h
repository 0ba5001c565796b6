/* manifest.h: manifest.json, what produced a result folder: tool version,
 * git commit, compiler, BLAS, host, start and end times, cells and their
 * status counts. */
#ifndef NTR_MANIFEST_H
#define NTR_MANIFEST_H

#include "../config/plan.h"

int ntr_manifest_write(const char *outdir, const ntr_plan *p, const char *started,
                       const char *finished, const long counts[6], const char *argv_line,
                       ntr_error *err);
/* Current UTC time as ISO 8601 into buf. */
void ntr_now_iso(char *buf, size_t size);

#endif

/* status.h: how a cell ended, one enum with its names.
 *
 * Every file that writes or counts statuses (runner, summary.json,
 * summary.csv, manifest.json, report, the ntr-run summary line) uses this
 * enum, its names and counts indexed by it.  `not_reached` was called
 * `budget` before: ntr_status_parse() still reads the old name, so older
 * result folders resume and report as before. */
#ifndef NTR_STATUS_H
#define NTR_STATUS_H

typedef enum {
    NTR_STATUS_DONE = 0,     /* ran its iterations (all targets reached, or none set) */
    NTR_STATUS_TARGET,       /* stopped when every target was reached (stop_at_target) */
    NTR_STATUS_DIVERGED,     /* NaN/Inf or grad_dual above diverge_above */
    NTR_STATUS_NOT_REACHED,  /* ran its iterations without reaching every target */
    NTR_STATUS_STEP_FAILED,  /* a step could not be computed (a sharp failed on finite input) */
    NTR_STATUS_INTERRUPTED,  /* stopped by a signal: rerun on resume */
    NTR_STATUS_PENDING,      /* not run yet (no summary.json) */
    NTR_STATUS_COUNT
} ntr_status;

/* "done", "target", "diverged", "not_reached", "step_failed", "interrupted",
 * "pending". */
extern const char *const ntr_status_names[NTR_STATUS_COUNT];

/* The status of a name (also the old name "budget"); -1 when unknown. */
int ntr_status_parse(const char *name, ntr_status *out);

/* 1 for a status that ends a cell for good (done, target, diverged,
 * not_reached, step_failed: a rerun would end the same way): resume skips
 * it. */
int ntr_status_is_final(ntr_status s);

/* The current name of a status name ("budget" -> "not_reached"); the name
 * itself when unknown. */
const char *ntr_status_canonical(const char *name);

#endif

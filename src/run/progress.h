/* progress.h: the one updating progress line of ntr-run on a terminal.
 *
 *   ntr-run: 12/48 cells done, 2 running, 1 failed, ETA 3m05s
 *
 * redrawn in place with a carriage return (padded with blanks over the
 * previous text), at most a few times a second.  The caller decides
 * whether the line is shown at all (stderr is a terminal and not -q); a
 * disabled progress does nothing.  The ETA extrapolates the cells finished
 * by this invocation (cells already finished before it started are
 * counted as done but say nothing about speed). */
#ifndef NTR_PROGRESS_H
#define NTR_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

typedef struct ntr_progress {
    FILE *out;
    int enabled;
    size_t total;       /* cells of this invocation (this shard) */
    size_t done;        /* finished, including those found finished */
    size_t done_before; /* found finished when the run started */
    size_t running, failed;
    double t0, last_draw;
    size_t width;       /* length of the line drawn last (0: nothing shown) */
} ntr_progress;

/* Start a progress over total cells of which done_before are finished. */
void ntr_progress_init(ntr_progress *pr, FILE *out, int enabled, size_t total,
                       size_t done_before);

/* Record events; each may redraw the line (at most every 0.25 s unless force). */
void ntr_progress_update(ntr_progress *pr, size_t running, int force);
void ntr_progress_cell_done(ntr_progress *pr, int failed, size_t running);

/* Erase the line (before other output on the same stream) / erase it for good. */
void ntr_progress_clear(ntr_progress *pr);
void ntr_progress_end(ntr_progress *pr);

/* The line's text for the state at time now (seconds on the clock
 * ntr_progress_now uses); exposed for tests. */
void ntr_progress_format(const ntr_progress *pr, double now, char *buf, size_t size);

/* A duration as "12s", "3m05s" or "2h07m". */
void ntr_progress_duration(double seconds, char *buf, size_t size);

/* Monotonic clock in seconds. */
double ntr_progress_now(void);

#endif

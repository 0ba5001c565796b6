/* workers.h: running jobs (the cells of a plan) in N worker processes.
 *
 * The parent forks N workers, each with a command pipe (parent -> worker:
 * the next job number, or end of file when there is no more work) and a
 * report pipe (worker -> parent: one fixed-size ntr_job_report per job).
 * Jobs are handed out one at a time, to whichever worker is free, so a
 * slow job never holds up the others; each job writes only into its own
 * files, so the order in which jobs finish changes nothing in the results.
 *
 * Stopping.  When *stop becomes non-zero in the parent (a signal handler
 * sets it), the parent hands out no more jobs and sends SIGUSR1 to every
 * worker; a worker's SIGUSR1 only sets its stop flag, so the running job
 * ends at its next iteration boundary and reports back.  A worker also
 * takes SIGINT/SIGTERM itself (Ctrl-C reaches the whole process group):
 * the first sets its stop flag, a second ends it at once with the default
 * action (files are always written under temporary names and renamed, so
 * nothing half-written is ever left under a final name).
 *
 * A worker that dies without reporting (killed, crashed) has its job
 * reported as failed by the parent (as interrupted when stopping), and a
 * new worker takes its place.  Each worker limits OpenBLAS to one thread. */
#ifndef NTR_WORKERS_H
#define NTR_WORKERS_H

#include <signal.h>
#include <stddef.h>

#include "base/error.h"

/* What a worker sends back after each job. */
typedef struct ntr_job_report {
    size_t job;           /* the job's number (index into the caller's list) */
    int ran;              /* 1: the job ran (its files are written); 0: it failed or was skipped */
    int skipped;          /* 1: not started because a stop was asked for */
    int status;           /* the caller's status code when ran (ntr_status for cells) */
    long iterations;
    double value;         /* a number to show (min grad_dual for cells) */
    double wall_s;
    int err_kind;         /* ntr_error_kind when !ran && !skipped */
    char msg[768];        /* the error message when !ran && !skipped */
} ntr_job_report;

/* Runs job number `job` (in a worker, or in-process for one worker),
 * filling rep.  stop is the flag the job must watch. */
typedef void (*ntr_job_fn)(size_t job, void *ctx, const volatile sig_atomic_t *stop,
                           ntr_job_report *rep);

/* Called in the parent when a job ends (rep filled), and with rep == NULL
 * when jobs start and a few times a second, so that a progress line can be
 * redrawn; running is the number of jobs running now.  Returning -1 after
 * a report asks the pool to hand out no more jobs. */
typedef int (*ntr_job_event_fn)(void *ctx, const ntr_job_report *rep, size_t running);

typedef struct ntr_pool_opts {
    int workers;                       /* >= 2 */
    volatile sig_atomic_t *stop;       /* the parent's stop flag (may be NULL) */
    ntr_job_fn run;
    ntr_job_event_fn event;
    void *ctx;                         /* passed to run (in the workers) and event */
} ntr_pool_opts;

/* Run jobs 0 .. njobs-1.  Returns 0 once every handed-out job has reported
 * (or its worker died) and every worker has exited; -1 with err when the
 * pool itself cannot work (no pipes, no fork).  Jobs not handed out
 * because of a stop or an event's -1 are simply not run. */
int ntr_pool_run(const ntr_pool_opts *o, size_t njobs, ntr_error *err);

/* Limit OpenBLAS to one thread in this process (workers call it). */
void ntr_blas_single_thread(void);

#endif

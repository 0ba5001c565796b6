/* driver.h: a whole ntr-run invocation over a result folder.
 *
 * The steps main() calls in order: validate every cell (nothing runs when
 * one is bad), open the result folder (a new one, or resume one whose
 * config matches), run the pending cells, then collect: summary.csv, the
 * study's analysis, figures, report.md and manifest.json, all rebuilt from
 * the files in the folder. */
#ifndef NTR_DRIVER_H
#define NTR_DRIVER_H

#include <signal.h>

#include "linalg/blas_kernel.h"
#include "config/plan.h"
#include "output/folder_guard.h"
#include "base/status.h"
#include "run/folder.h"

typedef struct ntr_driver_opts {
    const char *outdir;
    int jobs;                 /* worker processes (1: in this process) */
    int threads;              /* threads per cell for large products (0: CPUs / cells at once) */
    int shard_k, shard_n;     /* run cells with index % n == k - 1 (n = 0: all) */
    int quiet, verbose, no_plot, force_new;
    int aside;                /* a plan that drops cells moves them to aside/ (folder.h) */
    int collect_only;         /* --collect: the folder must be an ntr result folder */
    int wait;                 /* --wait: wait for the folder's lock instead of refusing */
    ntr_folder_lock *lock;    /* taken by ntr_driver_open_folder, held until the caller
                                 releases it; NULL: no lock */
    const char *plot_format;  /* png | pdf | svg */
    const char *argv_line;    /* the command, for the manifest */
    const ntr_blas_kernel *blas; /* the BLAS kernels in use, for the manifest */
    volatile sig_atomic_t *stop; /* set by signal handlers */
} ntr_driver_opts;

typedef struct ntr_driver_outcome {
    long counts[NTR_STATUS_COUNT]; /* cells per status (status.h) */
    long failed;              /* cells that could not run (I/O or numerical failure) */
    char failure[800];        /* why the first of them failed ("" when none did) */
    long ran;                 /* cells run by this invocation */
    int gnuplot_missing;
    int plot_failed;          /* gnuplot ran and failed: plot_error says why */
    int plot_interrupted;     /* a stop signal came before every figure was drawn */
    char plot_error[800];
    char *verdict;            /* study's last line, malloc'ed, or NULL */
    char started[32];
} ntr_driver_outcome;

/* Threads per cell: `asked` when positive (--threads), else the CPUs this
 * process may use divided by the cells running at once (at least 1). */
int ntr_threads_per_cell(int asked, size_t cells_at_once);
/* Prepare every distinct cell once and free it: all input errors surface here. */
int ntr_driver_validate(const ntr_plan *p, ntr_error *err);
/* Create or resume the result folder (output/folder_guard.h: only a new,
 * empty or ntr result folder; --force-new moves an old one aside), take its
 * lock (shared for a shard, exclusive otherwise) and write config.yaml when
 * new.  An existing folder follows the plan (folder.h: grows, sets dropped
 * cells aside, brings cells back); ch (may be NULL) says what changed. */
int ntr_driver_open_folder(const ntr_plan *p, const ntr_driver_opts *o, ntr_folder_change *ch,
                           ntr_error *err);
/* Check the finished cells of this shard (cell_check.h): a damaged one
 * (hand-edited: a trajectory deleted or truncated, summary.json of {}) is
 * moved to DIR/damaged/ with one line on stderr, so that it runs again.
 * ntr_driver_run_cells does this first; --collect calls it itself. */
int ntr_driver_check_cells(const ntr_plan *p, const ntr_driver_opts *o, ntr_error *err);
/* Run the pending cells of this shard (those not finished: never run,
 * interrupted, or left half-written), in this process or, with jobs > 1,
 * in worker processes (workers.h); a progress line on a terminal
 * (progress.h).  A stop (*o->stop) ends the running cells at their next
 * iteration as "interrupted" and starts no more.  Cells that fail count in
 * out->failed; an I/O error stops the run and is returned. */
int ntr_driver_run_cells(const ntr_plan *p, const ntr_driver_opts *o, ntr_driver_outcome *out,
                         ntr_error *err);
/* Rebuild summary.csv, study files, figures, report and manifest from the
 * folder's files.  A shard (shard_n > 0) writes summary.csv only: the rest
 * waits for `--collect`, which sees every shard's cells.  The stop signals
 * are held from then on (signals.h): one that comes (or came) ends
 * gnuplot, no further figure is drawn (out->plot_interrupted), the report
 * is still written, and the handler sees it when this returns. */
int ntr_driver_collect(const ntr_plan *p, const ntr_driver_opts *o, ntr_driver_outcome *out,
                       ntr_error *err);

#endif

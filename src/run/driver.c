/* driver.c: validate, open the result folder, run cells, collect (see
 * driver.h). */
#include "run/driver.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/diff.h"
#include "config/yaml_load.h"
#include "output/files.h"
#include "output/manifest.h"
#include "output/summary_csv.h"
#include "output/tidy_tables.h"
#include "linalg/par.h"
#include "plot/plot.h"
#include "report/report.h"
#include "base/signals.h"
#include "study/study.h"
#include "run/cell_check.h"
#include "run/cell_exec.h"
#include "run/folder.h"
#include "run/progress.h"
#include "run/runner.h"
#include "run/workers.h"
#include "output/paths.h"

int ntr_driver_validate(const ntr_plan *p, ntr_error *err)
{
    for (size_t c = 0; c < p->ncells; c++) {
        const ntr_cell *cell = &p->cells[c];
        /* replicates differ only by their seeds: validating one is enough */
        if (cell->replicate != 0)
            continue;
        ntr_run *r;
        if (ntr_run_prepare(&cell->s, cell->run_seed, cell->init_seed, &r, err) != 0)
            return -1;
        ntr_run_free(r);
    }
    return 0;
}

/* Move an ntr result folder aside to DIR.old.N, under its lock. */
static int move_aside(const ntr_driver_opts *o, ntr_error *err)
{
    ntr_folder_lock old;
    if (ntr_folder_lock_take(&old, o->outdir, 0, o->wait, o->quiet ? NULL : "ntr-run", err) != 0)
        return -1;
    char aside[1100];
    int rc = 0;
    for (int i = 1; rc == 0; i++) {
        rc = ntr_path(aside, sizeof aside, err, "%s.old.%d", o->outdir, i);
        if (rc == 0 && !ntr_exists(aside)) {
            if (rename(o->outdir, aside) != 0)
                rc = ntr_fail(err, NTR_E_IO, "cannot move %s aside: %s", o->outdir,
                              strerror(errno));
            break;
        }
    }
    ntr_folder_lock_release(&old);
    return rc;
}

int ntr_driver_open_folder(const ntr_plan *p, const ntr_driver_opts *o, ntr_folder_change *ch,
                           ntr_error *err)
{
    ntr_folder_kind kind;
    const char *what = o->collect_only ? "--collect" : "-o";
    if (ntr_folder_inspect(o->outdir, what, &kind, err) != 0)
        return -1;
    if (o->collect_only && kind != NTR_FOLDER_RESULT)
        return ntr_fail(err, NTR_E_INPUT, "--collect: %s is not an ntr result folder%s",
                        o->outdir, kind == NTR_FOLDER_ABSENT ? " (it does not exist)" : "");
    if (kind == NTR_FOLDER_RESULT && o->force_new) {
        if (move_aside(o, err) != 0)
            return -1;
        kind = NTR_FOLDER_ABSENT;
    }
    if (kind == NTR_FOLDER_ABSENT && ntr_mkdirs(o->outdir, err) != 0)
        return -1;
    if (o->lock && ntr_folder_lock_take(o->lock, o->outdir, o->shard_n > 0, o->wait,
                                        o->quiet ? NULL : "ntr-run", err) != 0)
        return -1;
    /* Again under the lock: another command may have made it meanwhile. */
    if (ntr_folder_inspect(o->outdir, what, &kind, err) != 0)
        return -1;
    char path[1100];
    ntr_folder_change ignored;
    if (!ch)
        ch = &ignored;
    memset(ch, 0, sizeof *ch);
    char *text = ntr_plan_yaml(p);
    if (!text)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    int rc = ntr_path(path, sizeof path, err, "%s/config.yaml", o->outdir);
    if (rc == 0 && kind == NTR_FOLDER_RESULT && ntr_exists(path)) {
        rc = ntr_folder_update(p, o->outdir, text, 1, o->aside, ch, err);
        free(text);
        return rc;
    }
    if (rc == 0 && ntr_cells_path(path, sizeof path, err, o->outdir) == 0)
        rc = ntr_mkdirs(path, err);
    else if (rc == 0)
        rc = -1;
    if (rc == 0 && ntr_path(path, sizeof path, err, "%s/config.yaml", o->outdir) == 0)
        rc = ntr_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

static int in_shard(const ntr_driver_opts *o, size_t index)
{
    return o->shard_n <= 0 || (long)(index % (size_t)o->shard_n) == o->shard_k - 1;
}

/* Everything a job (one cell) and the events need: the plan, the folder,
 * the list of pending cells, the counters and the progress line. */
typedef struct run_ctx {
    const ntr_plan *p;
    const ntr_driver_opts *o;
    const size_t *todo;       /* plan indices of the cells to run */
    const ntr_sources *sources; /* finished cells a new one can go on from */
    ntr_driver_outcome *out;
    ntr_progress progress;
    ntr_error io_err;         /* first I/O error: stops the run */
    int io_failed;
    int threads;              /* per cell (par.h) */
} run_ctx;

/* 1 for the name of a temporary file: "NAME.tmp.PID" (digits) or, for
 * figures, "NAME.tmp.XXXXXX" (mkstemp: six letters or digits). */
static int is_temporary(const char *name)
{
    const char *t = NULL;
    for (const char *s = strstr(name, ".tmp."); s; s = strstr(s + 1, ".tmp."))
        t = s + 5;
    if (!t || !*t)
        return 0;
    size_t n = strlen(t), digits = strspn(t, "0123456789");
    size_t alnum = strspn(t, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    return digits == n || (n == 6 && alnum == 6);
}

/* Remove what a process killed while writing left in a folder (see
 * is_temporary). */
static void remove_temporaries_in(const char *dir)
{
    char path[1400];
    ntr_error err;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (is_temporary(e->d_name) &&
            ntr_path(path, sizeof path, &err, "%s/%s", dir, e->d_name) == 0)
            unlink(path);
    closedir(d);
}

/* A cell folder's temporaries: the cell is about to be rerun from scratch. */
static void remove_stale_temporaries(const char *outdir, const ntr_cell *cell)
{
    char dir[1100];
    ntr_error err;
    if (ntr_cell_path(dir, sizeof dir, &err, outdir, cell->hash, NULL) == 0)
        remove_temporaries_in(dir);
}

/* One cell, in a worker or in this process (ntr_job_fn). */
static void run_one(size_t job, void *vctx, const volatile sig_atomic_t *stop,
                    ntr_job_report *rep)
{
    run_ctx *ctx = vctx;
    const ntr_cell *cell = &ctx->p->cells[ctx->todo[job]];
    memset(rep, 0, sizeof *rep);
    rep->job = job;
    if (stop && *stop) {
        rep->skipped = 1;
        return;
    }
    /* Another process (a shard run twice, shards of another N) may be
     * running this cell, or may have finished it since the list was made:
     * leave it alone then. */
    int mine = ntr_folder_lock_cell(ctx->o->lock, cell->hash);
    if (mine == 0 || (mine == 1 && ntr_cell_is_finished(ctx->o->outdir, cell))) {
        if (mine == 1)
            ntr_folder_unlock_cell(ctx->o->lock, cell->hash);
        rep->skipped = 1;
        return;
    }
    remove_stale_temporaries(ctx->o->outdir, cell);
    ntr_run_result res;
    ntr_error cerr;
    memset(&cerr, 0, sizeof cerr);
    const char *source = ntr_sources_find(ctx->sources, cell, NULL);
    int rc = ntr_cell_execute(cell, ctx->o->outdir, source, ctx->threads, stop, &res, &cerr);
    ntr_folder_unlock_cell(ctx->o->lock, cell->hash);
    if (rc != 0) {
        rep->err_kind = (int)cerr.kind;
        snprintf(rep->msg, sizeof rep->msg, "%s", cerr.msg);
        return;
    }
    rep->ran = 1;
    rep->status = (int)res.status;
    rep->iterations = res.iterations;
    rep->value = res.min_grad_dual;
    rep->wall_s = res.wall_s;
}

/* A job's report or a tick, in the parent (ntr_job_event_fn). */
static int on_event(void *vctx, const ntr_job_report *rep, size_t running)
{
    run_ctx *ctx = vctx;
    const ntr_driver_opts *o = ctx->o;
    if (!rep) {
        ntr_progress_update(&ctx->progress, running, 0);
        return 0;
    }
    size_t c = ctx->todo[rep->job];
    const ntr_cell *cell = &ctx->p->cells[c];
    if (rep->skipped) {
        ntr_progress_update(&ctx->progress, running, 0);
        return 0;
    }
    if (!rep->ran) {
        ntr_progress_cell_done(&ctx->progress, 1, running);
        if (rep->err_kind == NTR_E_IO) {
            if (!ctx->io_failed) {
                ntr_fail(&ctx->io_err, NTR_E_IO, "%s", rep->msg);
                ctx->io_failed = 1;
            }
            return -1;
        }
        if (!ctx->out->failed++)
            snprintf(ctx->out->failure, sizeof ctx->out->failure, "cell %zu (%s): %s", c,
                     cell->hash, rep->msg);
        if (!o->quiet) {
            ntr_progress_clear(&ctx->progress);
            fprintf(stderr, "ntr-run: cell %zu (%s) failed: %s\n", c, cell->hash, rep->msg);
        }
        return 0;
    }
    ctx->out->ran++;
    ntr_progress_cell_done(&ctx->progress, 0, running);
    if (o->verbose) {
        ntr_progress_clear(&ctx->progress);
        fprintf(stderr, "ntr-run: cell %zu/%zu %s [%s] %s, k = %ld, min grad_dual = %.3g\n",
                c + 1, ctx->p->ncells, cell->hash, cell->group, ntr_status_names[rep->status],
                rep->iterations, rep->value);
        ntr_progress_update(&ctx->progress, running, 1);
    }
    return 0;
}

int ntr_driver_check_cells(const ntr_plan *p, const ntr_driver_opts *o, ntr_error *err)
{
    char why[300], dest[1200];
    for (size_t c = 0; c < p->ncells; c++) {
        const ntr_cell *cell = &p->cells[c];
        if (!in_shard(o, c) || ntr_cell_inspect(o->outdir, cell, why, sizeof why) !=
                                   NTR_CELL_DAMAGED)
            continue;
        if (ntr_folder_lock_cell(o->lock, cell->hash) == 0)
            continue; /* another process runs it: its files are not final yet */
        int rc = ntr_cell_move_damaged(o->outdir, cell, dest, sizeof dest, err);
        ntr_folder_unlock_cell(o->lock, cell->hash);
        if (rc != 0)
            return -1;
        fprintf(stderr, "ntr-run: cell %zu (%s): %s; moved its files to %s%s\n", c, cell->hash,
                why, dest, o->collect_only ? "; run without --collect to run it again"
                                           : " and running it again");
    }
    return 0;
}

int ntr_threads_per_cell(int asked, size_t cells_at_once)
{
    if (asked > 0)
        return asked;
    int cpus = ntr_cpu_count();
    size_t n = cells_at_once > 0 ? cells_at_once : 1;
    return (size_t)cpus > n ? (int)((size_t)cpus / n) : 1;
}

int ntr_driver_run_cells(const ntr_plan *p, const ntr_driver_opts *o, ntr_driver_outcome *out,
                         ntr_error *err)
{
    if (ntr_driver_check_cells(p, o, err) != 0)
        return -1;
    size_t *todo = malloc((p->ncells ? p->ncells : 1) * sizeof *todo);
    if (!todo)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    size_t ntodo = 0, nshard = 0;
    for (size_t c = 0; c < p->ncells; c++) {
        if (!in_shard(o, c))
            continue;
        nshard++;
        if (!ntr_cell_is_finished(o->outdir, &p->cells[c]))
            todo[ntodo++] = c;
    }
    ntr_sources *sources = NULL;
    if (ntodo > 0 && ntr_sources_scan(p, o->outdir, &sources, err) != 0) {
        free(todo);
        return -1;
    }
    run_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.p = p;
    ctx.o = o;
    ctx.todo = todo;
    ctx.sources = sources;
    ctx.out = out;
    ntr_progress_init(&ctx.progress, stderr, !o->quiet && isatty(fileno(stderr)), nshard,
                      nshard - ntodo);
    /* OpenBLAS on one thread, whatever -j: its threads sum in another order
     * for each thread count, and results must not depend on -j, --shard or
     * the number of cores of the machine.  The cores that the cells running
     * at once leave free go to each cell's own thread team (par.h), whose
     * split of the large products does not depend on its size. */
    ntr_blas_single_thread();
    size_t at_once = ntodo < (size_t)o->jobs ? ntodo : (size_t)o->jobs;
    ctx.threads = ntr_threads_per_cell(o->threads, at_once);
    int rc = 0;
    if (o->jobs > 1 && ntodo > 1) {
        ntr_pool_opts po = {o->jobs, o->stop, run_one, on_event, &ctx};
        rc = ntr_pool_run(&po, ntodo, err);
    } else {
        for (size_t j = 0; j < ntodo && !ctx.io_failed; j++) {
            if (o->stop && *o->stop)
                break;
            ntr_progress_update(&ctx.progress, 1, 1);
            ntr_job_report rep;
            run_one(j, &ctx, o->stop, &rep);
            on_event(&ctx, &rep, 0);
        }
    }
    ntr_progress_end(&ctx.progress);
    ntr_sources_free(sources);
    free(todo);
    if (rc == 0 && ctx.io_failed) {
        *err = ctx.io_err;
        rc = -1;
    }
    return rc;
}

/* 1 when a stop was asked for: the handler ran, or a signal waits. */
static int stop_asked(const ntr_driver_opts *o)
{
    return (o->stop && *o->stop) || ntr_signal_pending();
}

/* The collect of a whole folder, with the stop signals held (see
 * ntr_driver_collect). */
static int collect_whole(const ntr_plan *p, const ntr_driver_opts *o, ntr_driver_outcome *out,
                         ntr_error *err)
{
    /* The whole folder is this run's now: drop what a run killed while
     * collecting left beside summary.csv and among the figures. */
    char plots[1100];
    remove_temporaries_in(o->outdir);
    if (ntr_path(plots, sizeof plots, err, "%s/plots", o->outdir) == 0)
        remove_temporaries_in(plots);
    int interrupted = 0;
    if (p->study) {
        const ntr_study_type *st;
        if (ntr_study_of(p->study, &st, err) != 0)
            return -1;
        if (st->analyse(o->outdir, p->study, !o->no_plot && !stop_asked(o), &out->verdict,
                        err) != 0) {
            if (err->kind != NTR_E_INTERRUPTED)
                return -1;
            interrupted = 1;
        }
    }
    char finished[32];
    ntr_now_iso(finished, sizeof finished);
    if (ntr_manifest_write(o->outdir, p, out->started, finished, out->counts, o->argv_line,
                           o->blas, err) != 0)
        return -1;
    /* Figures and report read only the files written above.  A failing
     * gnuplot does not lose results: it is a warning, like a missing one;
     * a file that cannot be written is an error. */
    if (!o->no_plot && !interrupted && !stop_asked(o)) {
        ntr_error perr;
        ntr_plot_opts popts = {o->plot_format, NULL};
        ntr_plot_result pres;
        if (ntr_plot_all_ex(o->outdir, &popts, &pres, &perr) != 0) {
            if (perr.kind == NTR_E_INTERRUPTED) {
                interrupted = 1;
            } else if (pres.gnuplot_failed) {
                out->plot_failed = 1;
                snprintf(out->plot_error, sizeof out->plot_error, "%s", perr.msg);
            } else {
                return *err = perr, -1;
            }
        }
        out->gnuplot_missing = pres.gnuplot_missing;
    }
    out->plot_interrupted = !o->no_plot && (interrupted || stop_asked(o));
    return ntr_report_write(o->outdir, err);
}

int ntr_driver_collect(const ntr_plan *p, const ntr_driver_opts *o, ntr_driver_outcome *out,
                       ntr_error *err)
{
    if (ntr_summary_csv_write(o->outdir, p, out->counts, err) != 0)
        return -1;
    /* A shard sees only its own cells: the study, figures, report and
     * manifest are made by `ntr-run CONFIG --collect` once every shard ran. */
    if (o->shard_n > 0)
        return 0;
    if (ntr_tidy_tables_write(o->outdir, p, err) != 0)
        return -1;
    /* Ctrl-C or kill from here on: gnuplot is ended at once, no temporary
     * is left, no more figures are drawn, the report is written; the
     * handler sees the signal once it is unblocked (exit 3). */
    sigset_t old;
    ntr_signals_block(&old);
    int rc = collect_whole(p, o, out, err);
    ntr_signals_restore(&old);
    return rc;
}

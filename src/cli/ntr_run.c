/* ntr_run.c: the ntr-run command.
 *
 * Read top to bottom, this is the whole flow: parse the arguments, load the
 * config into a plan of cells (every input error stops here, exit 2),
 * validate every cell, open the result folder (new or resumed), run the
 * cells, then collect: summary.csv, study analysis, figures, report. */
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/run/args.h"
#include "problems/problem.h"
#include "linalg/blas_kernel.h"
#include "config/plan.h"
#include "methods/method.h"
#include "noise/noise.h"
#include "norms/norm.h"
#include "output/best.h"
#include "output/files.h"
#include "output/manifest.h"
#include "run/cell_exec.h"
#include "run/driver.h"
#include "run/estimate.h"
#include "run/cost.h"
#include "run/folder.h"
#include "run/plan_print.h"
#include "base/signals.h"
#include "base/status.h"

static volatile sig_atomic_t stop_requested;

/* SIGINT, SIGTERM, SIGHUP: the first asks every cell to stop at its next
 * iteration; a second ends at once, exit 3 like the first (files are
 * always whole: written under a temporary name and renamed; the figures
 * phase holds these signals until its temporaries are gone). */
static void on_signal(int sig)
{
    (void)sig;
    if (stop_requested)
        _exit(3);
    stop_requested = 1;
}

/* "ntr-run: 18 cells: 6 done, 0 target, 12 not_reached, ..." in the order a
 * reader expects: finished, then what did not finish well. */
static void print_counts(size_t ncells, const long counts[NTR_STATUS_COUNT], long failed)
{
    static const ntr_status order[] = {NTR_STATUS_DONE,        NTR_STATUS_TARGET,
                                       NTR_STATUS_NOT_REACHED, NTR_STATUS_DIVERGED,
                                       NTR_STATUS_INTERRUPTED, NTR_STATUS_PENDING};
    printf("ntr-run: %zu cells:", ncells);
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        printf("%s %ld %s", i ? "," : "", counts[order[i]], ntr_status_names[order[i]]);
        if (order[i] == NTR_STATUS_DIVERGED && counts[NTR_STATUS_STEP_FAILED] > 0) /* rare */
            printf(", %ld %s", counts[NTR_STATUS_STEP_FAILED],
                   ntr_status_names[NTR_STATUS_STEP_FAILED]);
    }
    printf("%s\n", failed ? " (some failed)" : "");
    if (counts[NTR_STATUS_NOT_REACHED] > 0) /* a reader's first question */
        printf("  (not_reached: ran every iteration without reaching every target; the report "
               "gives each setting's hitting times)\n");
}

/* What following a changed config did to the folder (folder.h). */
static void print_change(const ntr_folder_change *ch, const char *outdir, int quiet)
{
    if (quiet || (!ch->config_changed && !ch->dropped && !ch->restored))
        return;
    fprintf(stderr, "ntr-run: %s: the config changed (differing: %s): %zu new cells", outdir,
            ch->keys[0] ? ch->keys : "none", ch->added);
    if (ch->restored)
        fprintf(stderr, ", %zu back from aside/", ch->restored);
    if (ch->superseded)
        fprintf(stderr, ", %zu continued with a larger budget (the old ones kept in aside/)",
                ch->superseded);
    if (ch->dropped > ch->superseded)
        fprintf(stderr, ", %zu not in this plan moved to aside/", ch->dropped - ch->superseded);
    fputc('\n', stderr);
}

/* Load the config into a plan of cells and validate every cell, before
 * anything runs.  Returns -1 to go on, else the exit code. */
static int load_plan(cli_args *a, ntr_plan **plan)
{
    ntr_error err;
    memset(&err, 0, sizeof err);
    if (ntr_plan_load_limited(a->config, a->sets, a->nsets, &a->limits, plan, &err) != 0 ||
        ntr_check_resources(*plan, a->o.jobs, a->o.shard_k, a->o.shard_n, &err) != 0 || ntr_driver_validate(*plan, &err) != 0) {
        ntr_error_print(&err, "ntr-run", stderr);
        ntr_plan_free(*plan); /* NULL when the load failed; the plan when a cell did */
        return err.kind == NTR_E_INPUT ? 2 : 1;
    }
    if (!a->o.outdir) {
        snprintf(a->outdir_buf, sizeof a->outdir_buf, "results/%s", (*plan)->base.name);
        a->o.outdir = a->outdir_buf;
    }
    return -1;
}

/* --plan: the cells, their state in the folder and their cost. */
static int show_plan(const ntr_plan *plan, const char *outdir)
{
    ntr_error err;
    memset(&err, 0, sizeof err);
    int rc = ntr_plan_print(stdout, plan, outdir, &err);
    if (rc != 0)
        ntr_error_print(&err, "ntr-run", stderr);
    return rc ? ntr_error_exit_code(&err) : 0;
}

/* Open the folder, run the cells (or only check them: --collect), collect
 * the tables, figures and report.  Returns 0 or the exit code. */
static int run_plan(const ntr_plan *plan, cli_args *a, ntr_folder_lock *lock,
                    ntr_driver_outcome *out)
{
    ntr_driver_opts *o = &a->o;
    ntr_error err;
    memset(&err, 0, sizeof err);
    ntr_folder_change change;
    ntr_now_iso(out->started, sizeof out->started);
    ntr_signals_install(on_signal);
    o->lock = lock;
    o->collect_only = a->collect_only;
    if (ntr_driver_open_folder(plan, o, &change, &err) != 0)
        goto fail;
    print_change(&change, o->outdir, o->quiet);
    if ((a->collect_only ? ntr_driver_check_cells(plan, o, &err)
                         : ntr_driver_run_cells(plan, o, out, &err)) != 0 ||
        ntr_driver_collect(plan, o, out, &err) != 0)
        goto fail;
    return 0;
fail:
    ntr_error_print(&err, "ntr-run", stderr);
    return ntr_error_exit_code(&err);
}

/* The closing lines: the counts, where the results are, why figures are
 * missing, the study's verdict. */
static void print_outcome(const ntr_plan *plan, const cli_args *a, const ntr_driver_outcome *out)
{
    const ntr_driver_opts *o = &a->o;
    print_counts(plan->ncells, out->counts, out->failed);
    ntr_error berr = {0};
    if (o->shard_n <= 0 && ntr_best_print(o->outdir, stdout, &berr) != 0)
        ntr_error_print(&berr, "ntr-run", stderr); /* the results are complete */
    printf("results: %s/summary.csv\n", o->outdir);
    if (out->gnuplot_missing)
        fprintf(stderr,
                "ntr-run: warning: gnuplot not found: figures not drawn; run `ntr-plot "
                "%s` once it is installed\n",
                o->outdir);
    else if (out->plot_failed)
        fprintf(stderr,
                "ntr-run: warning: gnuplot failed (%s): results are complete; draw the "
                "figures later with `ntr-plot %s`\n",
                out->plot_error, o->outdir);
    else if (out->plot_interrupted)
        fprintf(stderr,
                "ntr-run: interrupted while drawing figures: results are complete; "
                "draw them with `ntr-plot %s`\n",
                o->outdir);
    else if (o->shard_n > 0)
        printf("shard %d/%d done; when every shard has run: ntr-run %s -o %s --collect\n",
               o->shard_k, o->shard_n, a->config, o->outdir);
    else if (!o->no_plot)
        printf("figure:  %s/plots/convergence.%s\nreport:  %s/report.md\n", o->outdir,
               o->plot_format, o->outdir);
    if (out->verdict)
        printf("%s\n", out->verdict);
}

/* The exit code of a run that went through: 3 interrupted, 1 when cells
 * diverged, failed a step or failed or (--collect) have no results yet,
 * else 0. */
static int outcome_code(const ntr_plan *plan, const cli_args *a, const ntr_driver_outcome *out)
{
    int rc = 0;
    if (a->collect_only && out->counts[NTR_STATUS_PENDING] > 0) {
        fprintf(stderr,
                "ntr-run: --collect: %ld of %zu cells have no results yet; run them (the "
                "same command without --collect, or the missing shards), then collect "
                "again\n",
                out->counts[NTR_STATUS_PENDING], plan->ncells);
        if (!stop_requested)
            rc = 1;
    }
    if (stop_requested || out->counts[NTR_STATUS_INTERRUPTED] > 0)
        return 3;
    if (out->counts[NTR_STATUS_DIVERGED] + out->counts[NTR_STATUS_STEP_FAILED] + out->failed > 0)
        return 1;
    return rc;
}

/* parse the command line, load and check the plan, run it, print the outcome. */
int main(int argc, char **argv)
{
    /* GSL reports failures through return codes, never abort(). */
    gsl_set_error_handler_off();
    /* A file-size limit makes writes fail (EFBIG, named in the message)
     * instead of killing the process mid-write. */
    signal(SIGXFSZ, SIG_IGN);
    /* First of all: the BLAS kernels (may restart the program once). */
    ntr_blas_kernel blas;
    char blas_msg[256];
    if (ntr_blas_kernel_select(argv, &blas, blas_msg, sizeof blas_msg) != 0) {
        fprintf(stderr, "ntr-run: %s\n", blas_msg);
        return 2;
    }
    cli_args a;
    int rc = ntr_run_parse_args(argc, argv, &stop_requested, &a, &blas);
    if (rc >= 0)
        return rc;
    a.o.blas = &blas;
    ntr_blas_kernel_message(&blas, "ntr-run", blas_msg, sizeof blas_msg);
    if (blas_msg[0] && !a.o.quiet)
        fprintf(stderr, "%s\n", blas_msg);

    ntr_plan *plan = NULL;
    if ((rc = load_plan(&a, &plan)) >= 0)
        return rc;
    if (a.plan_only) {
        rc = show_plan(plan, a.o.outdir);
        ntr_plan_free(plan);
        return rc;
    }
    ntr_driver_outcome out;
    memset(&out, 0, sizeof out);
    ntr_folder_lock lock = {-1};
    rc = run_plan(plan, &a, &lock, &out);
    if (rc == 0) {
        if (!a.o.quiet)
            print_outcome(plan, &a, &out);
        rc = outcome_code(plan, &a, &out);
    }
    ntr_folder_lock_release(&lock);
    free(out.verdict);
    ntr_plan_free(plan);
    return rc;
}

/* ntr_run.c: the ntr-run command.
 *
 * Read top to bottom, this is the whole flow: parse the arguments, load the
 * config into a plan of cells (every input error stops here, exit 2),
 * validate every cell, open the result folder (new or resumed), run the
 * cells, then collect: summary.csv, study analysis, figures, report. */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
#include "config/describe.h"
#include "config/list.h"
#include "run/estimate.h"
#include "run/cost.h"
#include "run/folder.h"
#include "run/plan_print.h"
#include "base/signals.h"
#include "base/status.h"

#define MAX_SETS 256

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

static void usage(FILE *f)
{
    fputs("usage: ntr-run CONFIG.yaml [options]\n"
          "Run what the config describes (a run, a sweep, a study), write a\n"
          "result folder, then analyse and plot it.\n\n"
          "options:\n"
          "  --set KEY.PATH=VALUE  override a config key (YAML value; repeatable),\n"
          "                        e.g. --set method.norm=euclidean --set sweep.noise.batch=[1,4]\n"
          "  --unset KEY.PATH      remove a key (it takes its default), a swept key\n"
          "                        (--unset sweep.method.eta) or a block (--unset seeds)\n"
          "  -o, --out DIR         result folder (default results/<name>); an existing folder\n"
          "                        with the same config is resumed, never overwritten\n"
          "  -j, --jobs N          run N cells at a time in worker processes (default 1)\n"
          "  --threads N           threads per cell for its large matrix products (default:\n"
          "                        the CPUs divided by the cells running at once; results\n"
          "                        are the same bytes whatever N)\n"
          "  --shard K/N           run only the cells with index % N == K-1 (cluster arrays)\n"
          "  --collect             run nothing: rebuild summary, studies and plots from the folder\n"
          "  --plan                print every cell (index, hash, parameters, done/pending); run nothing\n"
          "  --aside               run a config that drops cells of an existing folder: those\n"
          "                        cells move to DIR/aside/ (never deleted; back when planned again)\n"
          "  --force-new           move an existing result folder aside (DIR.old.N) and start anew\n"
          "  --wait                wait for another ntr command using the folder to end\n"
          "                        (default: refuse, naming its pid)\n"
          "  --format FMT          figure format: png (default), pdf or svg\n"
          "  --no-plot             do not draw figures\n"
          "  --max-memory SIZE     memory the cells running at once may need, estimated before\n"
          "                        anything runs (default 8G; none: no limit)\n"
          "  --max-disk SIZE       estimated size of the result folder (default 20G; none)\n"
          "  --max-data SIZE       largest data file a config may name (default 1G; none: no limit)\n"
          "  --list WHAT           list the registered problems, norms, methods, noise types or\n"
          "                        studies\n"
          "  -q, --quiet           print only errors\n"
          "  -v, --verbose         print a line per finished cell\n"
          "  -h, --help            this help\n"
          "  --version             print the version\n\n"
          "exit codes: 0 success; 1 some runs diverged or failed (the rest are saved);\n"
          "            2 bad usage or bad input (nothing run); 3 interrupted (resumable)\n",
          f);
}

static int list_registry(const char *what)
{
    if (ntr_list(stdout, what) == 0)
        return 0;
    fprintf(stderr, "ntr-run: --list takes %s, not '%s'\n", ntr_list_groups, what);
    return 2;
}

static int parse_shard(const char *s, int *k, int *n)
{
    char *end;
    errno = 0;
    long kk = strtol(s, &end, 10);
    if (end == s || *end != '/' || errno != 0)
        return -1;
    const char *t = end + 1;
    long nn = strtol(t, &end, 10);
    if (end == t || *end != '\0' || errno != 0 || nn < 1 || nn > INT_MAX || kk < 1 || kk > nn)
        return -1;
    *k = (int)kk;
    *n = (int)nn;
    return 0;
}

/* "ntr-run: 18 cells: 6 done, 0 target, 12 not_reached, ..." in the order a
 * reader expects: finished, then what did not finish well. */
static void print_counts(size_t ncells, const long counts[NTR_STATUS_COUNT], long failed)
{
    static const ntr_status order[] = {NTR_STATUS_DONE,        NTR_STATUS_TARGET,
                                       NTR_STATUS_NOT_REACHED, NTR_STATUS_DIVERGED,
                                       NTR_STATUS_INTERRUPTED, NTR_STATUS_PENDING};
    printf("ntr-run: %zu cells:", ncells);
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        printf("%s %ld %s", i ? "," : "", counts[order[i]], ntr_status_names[order[i]]);
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

/* What the command line asks for. */
typedef struct cli_args {
    const char *sets[MAX_SETS];       /* --set KEY=VALUE and --unset KEY ("!KEY"), in order */
    char unsets[MAX_SETS][256];
    int nsets;
    int plan_only, collect_only;
    const char *config;
    ntr_limits limits;
    ntr_driver_opts o;
    char outdir_buf[1100];
    char argv_line[2048];
} cli_args;

static const struct option longopts[] = {
    {"set", required_argument, NULL, 'S'},   {"out", required_argument, NULL, 'o'},
    {"jobs", required_argument, NULL, 'j'},  {"shard", required_argument, NULL, 'D'},
    {"threads", required_argument, NULL, 'H'},
    {"plan", no_argument, NULL, 'P'},        {"collect", no_argument, NULL, 'C'},
    {"force-new", no_argument, NULL, 'F'},   {"format", required_argument, NULL, 'T'},
    {"aside", no_argument, NULL, 'a'},
    {"no-plot", no_argument, NULL, 'N'},     {"list", required_argument, NULL, 'L'},
    {"quiet", no_argument, NULL, 'q'},       {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},        {"version", no_argument, NULL, 'V'},
    {"max-data", required_argument, NULL, 'A'},
    {"describe", required_argument, NULL, 'E'},
    {"max-memory", required_argument, NULL, 'M'},
    {"max-disk", required_argument, NULL, 'K'},
    {"unset", required_argument, NULL, 'U'},
    {"wait", no_argument, NULL, 'W'},
    {NULL, 0, NULL, 0}};

/* --set KEY=VALUE or --unset KEY (c == 'U'), kept in command-line order. */
static int parse_set(cli_args *a, int c, const char *arg)
{
    if (a->nsets == MAX_SETS) {
        fprintf(stderr, "ntr-run: at most %d --set and --unset options\n", MAX_SETS);
        return 2;
    }
    if (c != 'U') {
        a->sets[a->nsets++] = arg;
        return -1;
    }
    if (!arg[0] || strchr(arg, '=')) { /* the plan reads "!KEY" as a removal */
        fprintf(stderr, "ntr-run: --unset takes a key (method.nesterov, "
                        "sweep.method.eta, seeds), not '%s'\n",
                arg);
        return 2;
    }
    snprintf(a->unsets[a->nsets], sizeof a->unsets[a->nsets], "!%s", arg);
    a->sets[a->nsets] = a->unsets[a->nsets];
    a->nsets++;
    return -1;
}

/* A whole number in [lo, hi] for an option; 2 (after the message) when not. */
static int parse_count(const char *arg, long lo, long hi, const char *msg, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*end || end == arg || v < lo || v > hi) {
        fprintf(stderr, msg, arg);
        return 2;
    }
    *out = (int)v;
    return -1;
}

/* --max-data, --max-memory, --max-disk SIZE. */
static int parse_limit(cli_args *a, int c, const char *arg)
{
    double *lim = c == 'A' ? &a->limits.max_data : c == 'M' ? &a->limits.max_memory
                                                            : &a->limits.max_disk;
    if (ntr_size_parse(arg, lim) == 0)
        return -1;
    fprintf(stderr, "ntr-run: %s takes a size such as 512M or 2G (or none), not '%s'\n",
            c == 'A' ? "--max-data" : c == 'M' ? "--max-memory" : "--max-disk", arg);
    return 2;
}

/* The options that end the program at once: --list, --describe, --help,
 * --version.  Returns its exit code. */
static int answer_at_once(int c, const char *arg, const ntr_blas_kernel *blas)
{
    char msg[256];
    ntr_error derr;
    switch (c) {
    case 'L': return list_registry(arg);
    case 'E':
        memset(&derr, 0, sizeof derr);
        if (ntr_describe(stdout, arg, &derr) != 0) {
            ntr_error_print(&derr, "ntr-run", stderr);
            return 2;
        }
        return 0;
    case 'h': usage(stdout); return 0;
    default: /* 'V' */
        ntr_blas_kernel_describe(blas, msg, sizeof msg);
        printf("ntr-run %s (commit %s)\nblas: %s\n", NTR_VERSION, NTR_GIT_COMMIT, msg);
        return 0;
    }
}

/* One option.  Returns -1 to go on, else the exit code. */
static int parse_option(cli_args *a, int c, const char *arg, char **argv,
                        const ntr_blas_kernel *blas)
{
    ntr_driver_opts *o = &a->o;
    switch (c) {
    case 'S':
    case 'U': return parse_set(a, c, arg);
    case 'o': o->outdir = arg; return -1;
    case 'j':
        return parse_count(arg, 1, 1024,
                           "ntr-run: -j takes a number of workers from 1 to 1024, not '%s'\n",
                           &o->jobs);
    case 'H':
        return parse_count(arg, 1, 256,
                           "ntr-run: --threads takes a number of threads from 1 to 256, not "
                           "'%s'\n",
                           &o->threads);
    case 'D':
        if (parse_shard(arg, &o->shard_k, &o->shard_n) == 0)
            return -1;
        fprintf(stderr, "ntr-run: --shard takes K/N with 1 <= K <= N, not '%s'\n", arg);
        return 2;
    case 'P': a->plan_only = 1; return -1;
    case 'W': o->wait = 1; return -1;
    case 'C': a->collect_only = 1; return -1;
    case 'F': o->force_new = 1; return -1;
    case 'a': o->aside = 1; return -1;
    case 'T':
        if (strcmp(arg, "png") != 0 && strcmp(arg, "pdf") != 0 && strcmp(arg, "svg") != 0) {
            fprintf(stderr, "ntr-run: --format takes png, pdf or svg, not '%s'\n", arg);
            return 2;
        }
        o->plot_format = arg;
        return -1;
    case 'A':
    case 'M':
    case 'K': return parse_limit(a, c, arg);
    case 'N': o->no_plot = 1; return -1;
    case 'q': o->quiet = 1; return -1;
    case 'v': o->verbose = 1; return -1;
    case 'L':
    case 'E':
    case 'h':
    case 'V': return answer_at_once(c, arg, blas);
    case ':':
        fprintf(stderr, "ntr-run: option '%s' needs a value (see --help)\n", argv[optind - 1]);
        return 2;
    default:
        fprintf(stderr, "ntr-run: unknown option '%s' (see --help)\n", argv[optind - 1]);
        return 2;
    }
}

/* The whole command line into a.  Returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, cli_args *a, const ntr_blas_kernel *blas)
{
    memset(a, 0, sizeof *a);
    a->limits = ntr_limits_default();
    a->o.jobs = 1;
    a->o.plot_format = "png";
    a->o.stop = &stop_requested;
    int c, rc;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:j:qvh", longopts, NULL)) != -1)
        if ((rc = parse_option(a, c, optarg, argv, blas)) >= 0)
            return rc;
    /* Options that contradict each other: refused rather than one ignored. */
    const ntr_driver_opts *o = &a->o;
    const char *clash = a->plan_only && a->collect_only ? "--plan and --collect"
                        : a->plan_only && o->force_new  ? "--plan and --force-new"
                        : a->collect_only && o->force_new ? "--collect and --force-new"
                        : a->collect_only && o->shard_n   ? "--collect and --shard"
                                                          : NULL;
    if (clash) {
        fprintf(stderr, "ntr-run: %s contradict each other: give one of them\n", clash);
        return 2;
    }
    if (optind != argc - 1) {
        fprintf(stderr, optind == argc ? "ntr-run: no config given\n"
                                       : "ntr-run: one config at a time\n");
        usage(stderr);
        return 2;
    }
    a->config = argv[optind];
    /* The command line, for the manifest. */
    size_t used = 0;
    for (int i = 0; i < argc && used < sizeof a->argv_line; i++)
        used += (size_t)snprintf(a->argv_line + used, sizeof a->argv_line - used, "%s%s",
                                 i ? " " : "", argv[i]);
    a->o.argv_line = a->argv_line;
    return -1;
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
 * diverged or failed or (--collect) have no results yet, else 0. */
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
    if (out->counts[NTR_STATUS_DIVERGED] + out->failed > 0)
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
    int rc = parse_args(argc, argv, &a, &blas);
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

/* ntr_plot.c: the ntr-plot command: redraw every figure of a result folder
 * and rebuild its report.md, from the folder's files only.
 *
 *   ntr-plot RESULT_DIR [--format png|pdf|svg] [-q] [--help] [--version]
 *   ntr-plot RESULT_DIR [--x k|sfo|time] [--y COLS] [--hue KEY] [--style KEY]
 *
 * With none of --x/--y/--hue/--style it redraws every figure and the
 * report; with any of them it draws the figures asked for (plot.h:
 * ntr_plot_custom) and leaves the others and the report alone.
 *
 * Exit 0 on success; 2 on bad usage, a missing/malformed result folder or
 * a folder that is not an ntr result folder, or one in use by another ntr
 * command (nothing written); 1 when gnuplot failed or is not installed, or
 * a file could not be written; 3 when interrupted (SIGINT, SIGTERM,
 * SIGHUP: gnuplot is ended, no temporary left).  NTR_GNUPLOT in the
 * environment names the gnuplot program to run (default: gnuplot from
 * PATH). */
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "output/folder_guard.h"
#include "base/signals.h"
#include "plot/plot.h"
#include "plot/plot_series.h"
#include "base/table.h"
#include "report/report.h"
#include "config/yaml_load.h"
#include "study/study.h"

#ifndef NTR_VERSION
#define NTR_VERSION "dev"
#endif
#ifndef NTR_GIT_COMMIT
#define NTR_GIT_COMMIT "unknown"
#endif

static const char usage[] =
    "usage: ntr-plot RESULT_DIR [--format png|pdf|svg] [--x k|sfo|time] [--y COLS]\n"
    "                [--hue KEY] [--style KEY] [--wait] [-q] [--help] [--version]\n";

static const char help[] =
    "Redraw every figure of an ntr result folder with gnuplot, from its files\n"
    "(summary.csv, cells/*/trajectory.csv), and rebuild its report.md.\n"
    "\n"
    "  --format F   figure format: png (default), pdf or svg\n"
    "  --wait       wait for another ntr command using the folder to end\n"
    "  --x X        draw against k (default), sfo (oracle calls) or time (wall clock)\n"
    "  --y COLS     trajectory columns to draw, comma-separated (default: the folder's\n"
    "               budget.measure): f, gap, grad_dual, grad_l2, min_grad_dual,\n"
    "               avg_grad_dual, x_norm, x_fro, mom_err\n"
    "  --hue KEY    colour by this summary.csv column (default: the first swept key)\n"
    "  --style KEY  dash pattern by this column (default: the next swept key)\n"
    "  -q, --quiet  print nothing but errors and warnings\n"
    "  --help       this text\n"
    "  --version    the version\n"
    "\n"
    "Writes RESULT_DIR/plots/NAME.{dat,gp,png} for each figure and RESULT_DIR/report.md.\n"
    "With --x, --y, --hue or --style: plots/Y_vs_X for each Y (one line per hue and\n"
    "style value, median and band over the line's cells, n in the key) and\n"
    "plots/final_Y_KEY (final Y against each numeric swept KEY); nothing else.\n"
    "Exit status: 0 success; 1 gnuplot failed or missing, or a write failed;\n"
    "2 bad usage, a missing or malformed result folder, a folder that is not an\n"
    "ntr result folder or one in use (nothing written); 3 interrupted.\n"
    "Environment: NTR_GNUPLOT names the gnuplot program (default: gnuplot).\n";

static int bad_usage(const char *fmt, const char *arg)
{
    fputs("ntr-plot: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    fputs(usage, stderr);
    return 2;
}

/* Re-run the analysis of the study named in DIR/config.yaml, if any: its
 * tables and figures (png) come from the cell files like everything else. */
static int redraw_study(const char *dir, int quiet)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/config.yaml", dir);
    ntr_node *root = NULL;
    ntr_error err = {0};
    if (ntr_yaml_load_file(path, path, &root, &err) != 0) {
        ntr_error_print(&err, "ntr-plot", stderr);
        return -1;
    }
    const ntr_node *study = root ? ntr_node_get(root, "study") : NULL;
    int rc = 0;
    if (study) {
        const ntr_study_type *st;
        char *verdict = NULL;
        if (ntr_study_of(study, &st, &err) != 0 || st->analyse(dir, study, 1, &verdict, &err) != 0) {
            ntr_error_print(&err, "ntr-plot", stderr);
            rc = -1;
        } else if (!quiet && verdict) {
            printf("%s\n", verdict);
        }
        free(verdict);
    }
    ntr_node_free(root);
    return rc;
}

static volatile sig_atomic_t stop_requested;

/* The first stop signal ends gnuplot and the drawing (the figures phase
 * holds the signals until its temporaries are gone); a second ends at
 * once.  Both exit 3. */
static void on_signal(int sig)
{
    (void)sig;
    if (stop_requested)
        _exit(3);
    stop_requested = 1;
}

/* Figures, study figures and report of dir, with the stop signals held:
 * 0, 1 (gnuplot failed or missing, a write failed) or 3 (interrupted). */
static int draw_all(const char *dir, const char *format, int quiet)
{
    ntr_error err = {0};
    ntr_plot_opts opts = {format, getenv("NTR_GNUPLOT")};
    ntr_plot_result res;
    int plot_rc = ntr_plot_all_ex(dir, &opts, &res, &err);
    if (plot_rc != 0 && err.kind == NTR_E_INPUT) {
        ntr_error_print(&err, "ntr-plot", stderr);
        return 2;
    }
    int interrupted = plot_rc != 0 && err.kind == NTR_E_INTERRUPTED;
    int status = 0;
    if (plot_rc != 0 && !interrupted) {
        ntr_error_print(&err, "ntr-plot", stderr);
        status = 1;
    } else if (res.gnuplot_missing) {
        fprintf(stderr, "ntr-plot: gnuplot not found: figures not drawn; run `ntr-plot %s` "
                        "once it is installed\n", dir);
        status = 1;
    }
    if (!quiet && res.cells_missing > 0)
        fprintf(stderr, "ntr-plot: %zu of %zu cells have no trajectory yet; drawn without them\n",
                res.cells_missing, res.cells);
    if (!quiet && plot_rc == 0) {
        for (int i = 0; i < res.nfigures; i++)
            printf("%s %s/plots/%s\n", res.gnuplot_missing ? "data and script for" : "figure",
                   dir, res.figures[i]);
        if (res.nfigures == 0)
            printf("no figure: no cell has a trajectory yet\n");
    }
    /* A study's tables and figures are rebuilt from the same files. */
    if (plot_rc == 0 && !res.gnuplot_missing && !ntr_signal_pending() &&
        redraw_study(dir, quiet) != 0)
        status = 1;
    ntr_error rerr = {0};
    if (ntr_report_write(dir, &rerr) != 0) {
        ntr_error_print(&rerr, "ntr-plot", stderr);
        return rerr.kind == NTR_E_INPUT && status == 0 ? 2 : 1;
    }
    if (interrupted || ntr_signal_pending())
        return 3;
    if (!quiet)
        printf("report %s/report.md\n", dir);
    return status;
}

/* The trajectory columns --y accepts. */
static int valid_y(const char *y)
{
    static const char *const cols[] = {"f",      "gap",           "grad_dual",
                                       "grad_l2", "min_grad_dual", "avg_grad_dual",
                                       "x_norm", "x_fro",         "mom_err",
                                       NULL};
    for (int i = 0; cols[i]; i++)
        if (strcmp(cols[i], y) == 0)
            return 1;
    return 0;
}

/* Split --y's comma list into ch->y (pointers into buf). */
static int parse_y(char *buf, ntr_plot_choice *ch)
{
    ch->ny = 0;
    for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
        if (!valid_y(t)) {
            fprintf(stderr,
                    "ntr-plot: --y %s: not a trajectory column (f, gap, grad_dual, grad_l2, "
                    "min_grad_dual, avg_grad_dual, x_norm, x_fro, mom_err)\n",
                    t);
            return -1;
        }
        if (ch->ny == NTR_PLOT_MAX_Y) {
            fprintf(stderr, "ntr-plot: --y: at most %d columns\n", NTR_PLOT_MAX_Y);
            return -1;
        }
        ch->y[ch->ny++] = t;
    }
    if (ch->ny == 0) {
        fprintf(stderr, "ntr-plot: --y needs one or more columns\n");
        return -1;
    }
    return 0;
}

/* --y's default: the folder's measure (budget.measure, a trajectory
 * column), read from summary.csv; grad_dual when it cannot be read. */
static void default_y(const char *dir, char *buf, size_t size)
{
    char path[1100];
    snprintf(buf, size, "grad_dual");
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    ntr_table *t;
    ntr_error err = {0};
    if (ntr_table_read(path, &t, &err) != 0)
        return;
    long m = ntr_table_find(t, "budget.measure");
    if (m >= 0 && ntr_table_rows(t) > 0 && valid_y(ntr_table_str(t, 0, (size_t)m)))
        snprintf(buf, size, "%s", ntr_table_str(t, 0, (size_t)m));
    ntr_table_free(t);
}

/* ntr-plot with --x/--y/--hue/--style: the chosen figures only. */
static int plot_chosen(const char *dir, const char *format, ntr_plot_choice *ch, char *ybuf,
                       size_t ybuf_size, int quiet)
{
    if (ch->ny == 0) { /* no --y: ybuf is free to hold the default column */
        default_y(dir, ybuf, ybuf_size);
        ch->y[0] = ybuf;
        ch->ny = 1;
    }
    ntr_error err = {0};
    ntr_plot_opts opts = {format, getenv("NTR_GNUPLOT")};
    ntr_plot_result res;
    char note[700];
    if (ntr_plot_custom(dir, &opts, ch, &res, note, sizeof note, &err) != 0) {
        if (err.kind == NTR_E_INTERRUPTED)
            return 3;
        ntr_error_print(&err, "ntr-plot", stderr);
        return err.kind == NTR_E_INPUT ? 2 : 1;
    }
    if (note[0])
        fprintf(stderr, "ntr-plot: note: %s\n", note);
    if (res.gnuplot_missing)
        fprintf(stderr, "ntr-plot: gnuplot not found: figures not drawn; run this command "
                        "again once it is installed\n");
    for (int i = 0; !quiet && i < res.nfigures; i++)
        printf("%s %s/plots/%s\n", res.gnuplot_missing ? "data and script for" : "figure", dir,
               res.figures[i]);
    return res.gnuplot_missing ? 1 : 0;
}

/* What the command line asks for. */
typedef struct plot_args {
    const char *dir, *format;
    int quiet, wait, chosen;       /* chosen: --x, --y, --hue or --style given */
    char ybuf[512];
    ntr_plot_choice ch;
} plot_args;

/* --x, --y, --hue or --style (opt) with its value v. */
static int parse_choice(plot_args *a, const char *opt, const char *v)
{
    a->chosen = 1;
    if (!strcmp(opt, "--x")) {
        a->ch.x = -1;
        for (int x = 0; x < 3; x++)
            if (!strcmp(v, ntr_plot_x_names[x]))
                a->ch.x = x;
        if (a->ch.x < 0)
            return bad_usage("--x takes k, sfo or time, not '%s'", v);
    } else if (!strcmp(opt, "--y")) {
        snprintf(a->ybuf, sizeof a->ybuf, "%s", v);
        if (parse_y(a->ybuf, &a->ch) != 0)
            return 2;
    } else if (!strcmp(opt, "--hue")) {
        a->ch.hue = v;
    } else {
        a->ch.style = v;
    }
    return -1;
}

/* The whole command line.  Returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, plot_args *a)
{
    memset(a, 0, sizeof *a);
    a->format = "png";
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        int rc = -1;
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            fputs(usage, stdout);
            fputs(help, stdout);
            return 0;
        } else if (strcmp(o, "--version") == 0) {
            printf("ntr-plot %s (commit %s)\n", NTR_VERSION, NTR_GIT_COMMIT);
            return 0;
        } else if (strcmp(o, "-q") == 0 || strcmp(o, "--quiet") == 0) {
            a->quiet = 1;
        } else if (strcmp(o, "--wait") == 0) {
            a->wait = 1;
        } else if (strcmp(o, "--format") == 0) {
            if (i + 1 >= argc)
                return bad_usage("--format needs a value (png, pdf or svg)%s", "");
            a->format = argv[++i];
        } else if (strncmp(o, "--format=", 9) == 0) {
            a->format = o + 9;
        } else if (!strcmp(o, "--x") || !strcmp(o, "--y") || !strcmp(o, "--hue") ||
                   !strcmp(o, "--style")) {
            if (i + 1 >= argc)
                return bad_usage("%s needs a value", o);
            rc = parse_choice(a, o, argv[++i]);
        } else if (strcmp(o, "--") == 0 && i + 1 < argc && !a->dir && i + 2 == argc) {
            a->dir = argv[++i];
        } else if (o[0] == '-' && o[1] != '\0') {
            return bad_usage("unknown option %s", o);
        } else if (a->dir) {
            return bad_usage("one result folder only (got a second: %s)", o);
        } else {
            a->dir = o;
        }
        if (rc >= 0)
            return rc;
    }
    if (!a->dir)
        return bad_usage("missing RESULT_DIR%s", "");
    if (strcmp(a->format, "png") != 0 && strcmp(a->format, "pdf") != 0 &&
        strcmp(a->format, "svg") != 0)
        return bad_usage("unknown format '%s' (png, pdf or svg)", a->format);
    return -1;
}

/* Only into an ntr result folder.  Returns -1 to go on, else the exit code. */
static int check_folder(const char *dir)
{
    ntr_error err = {0};
    ntr_folder_kind kind;
    if (ntr_folder_inspect(dir, "ntr-plot", &kind, &err) != 0) {
        ntr_error_print(&err, "ntr-plot", stderr);
        return 2;
    }
    if (kind != NTR_FOLDER_RESULT) {
        fprintf(stderr, "ntr-plot: %s is not an ntr result folder%s\n", dir,
                kind == NTR_FOLDER_ABSENT ? " (it does not exist)" : " (it is empty)");
        return 2;
    }
    return -1;
}

/* parse the command line, check the folder, lock it, draw, report. */
int main(int argc, char **argv)
{
    /* GSL reports failures through return codes, never abort(); a file-size
     * limit makes writes fail with EFBIG instead of killing the process. */
    gsl_set_error_handler_off();
    signal(SIGXFSZ, SIG_IGN);
    plot_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0 || (rc = check_folder(a.dir)) >= 0)
        return rc;
    /* Not while another command uses the folder. */
    ntr_error err = {0};
    ntr_signals_install(on_signal);
    ntr_folder_lock lock;
    if (ntr_folder_lock_take(&lock, a.dir, 0, a.wait, a.quiet ? NULL : "ntr-plot", &err) != 0) {
        ntr_error_print(&err, "ntr-plot", stderr);
        return ntr_error_exit_code(&err);
    }
    sigset_t old;
    ntr_signals_block(&old);
    int status = a.chosen ? plot_chosen(a.dir, a.format, &a.ch, a.ybuf, sizeof a.ybuf, a.quiet)
                          : draw_all(a.dir, a.format, a.quiet);
    ntr_signals_restore(&old); /* a pending stop signal is handled here */
    ntr_folder_lock_release(&lock);
    if (status == 3 || stop_requested) {
        fprintf(stderr, "ntr-plot: interrupted: figures not all drawn; run `ntr-plot %s` "
                        "again\n", a.dir);
        return 3;
    }
    return status;
}

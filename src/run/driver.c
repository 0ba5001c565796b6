/* driver.c: validate, open the result folder, run cells, collect (see
 * driver.h). */
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../config/diff.h"
#include "../config/yaml_load.h"
#include "../output/files.h"
#include "../output/manifest.h"
#include "../output/summary_csv.h"
#include "../plot.h"
#include "../report.h"
#include "../study/study.h"
#include "cell_exec.h"
#include "runner.h"

int ntr_driver_validate(const ntr_plan *p, ntr_error *err)
{
    for (size_t c = 0; c < p->ncells; c++) {
        const ntr_cell *cell = &p->cells[c];
        int seen = 0;
        for (size_t j = 0; j < c && !seen; j++)
            seen = strcmp(p->cells[j].yaml, cell->yaml) == 0;
        if (seen)
            continue;
        ntr_run *r;
        if (ntr_run_prepare(&cell->s, cell->run_seed, cell->init_seed, &r, err) != 0)
            return -1;
        ntr_run_free(r);
    }
    return 0;
}

/* Compare the stored config.yaml with this plan's; name differing keys. */
static int check_same_config(const char *stored_path, const char *text, ntr_error *err)
{
    char *stored = ntr_read_all(stored_path, 1 << 24, err);
    if (!stored)
        return -1;
    if (strcmp(stored, text) == 0) {
        free(stored);
        return 0;
    }
    ntr_node *a = NULL, *b = NULL;
    ntr_error tmp;
    char keys[600] = "";
    if (ntr_yaml_load_string(stored, strlen(stored), "stored", 0, &a, &tmp) == 0 &&
        ntr_yaml_load_string(text, strlen(text), "new", 0, &b, &tmp) == 0)
        ntr_node_diff(a, b, keys, sizeof keys);
    ntr_node_free(a);
    ntr_node_free(b);
    free(stored);
    ntr_fail(err, NTR_E_INPUT,
             "%s holds results of a different config (differing: %s); use another -o folder, "
             "or --force-new to move the old folder aside and start anew",
             stored_path, keys[0] ? keys : "tool version or format");
    return -1;
}

int ntr_driver_open_folder(const ntr_plan *p, const ntr_driver_opts *o, ntr_error *err)
{
    char path[1100];
    char *text = ntr_plan_yaml(p);
    if (!text)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    int rc = ntr_path(path, sizeof path, err, "%s/config.yaml", o->outdir);
    if (rc == 0 && ntr_exists(o->outdir) && o->force_new) {
        char aside[1100];
        for (int i = 1; rc == 0; i++) {
            rc = ntr_path(aside, sizeof aside, err, "%s.old.%d", o->outdir, i);
            if (rc == 0 && !ntr_exists(aside)) {
                if (rename(o->outdir, aside) != 0)
                    rc = ntr_fail(err, NTR_E_IO, "cannot move %s aside: %s", o->outdir,
                                  strerror(errno));
                break;
            }
        }
    } else if (rc == 0 && ntr_exists(path)) {
        rc = check_same_config(path, text, err);
        free(text);
        return rc;
    }
    if (rc == 0)
        rc = ntr_mkdirs(o->outdir, err);
    if (rc == 0 && ntr_path(path, sizeof path, err, "%s/cells", o->outdir) == 0)
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

int ntr_driver_run_cells(const ntr_plan *p, const ntr_driver_opts *o, ntr_driver_outcome *out,
                         ntr_error *err)
{
    for (size_t c = 0; c < p->ncells; c++) {
        const ntr_cell *cell = &p->cells[c];
        if (!in_shard(o, c) || ntr_cell_is_finished(o->outdir, cell))
            continue;
        if (o->stop && *o->stop)
            break;
        ntr_run_result res;
        ntr_error cerr;
        if (ntr_cell_execute(cell, o->outdir, o->stop, &res, &cerr) != 0) {
            if (cerr.kind == NTR_E_IO) {
                *err = cerr;
                return -1;
            }
            out->failed++;
            if (!o->quiet)
                fprintf(stderr, "ntr-run: cell %zu (%s) failed: %s\n", c, cell->hash, cerr.msg);
            continue;
        }
        out->ran++;
        if (o->verbose)
            fprintf(stderr, "ntr-run: cell %zu/%zu %s [%s] %s, k = %ld, min grad_dual = %.3g\n",
                    c + 1, p->ncells, cell->hash, cell->group, ntr_status_names[res.status],
                    res.iterations, res.min_grad_dual);
    }
    return 0;
}

int ntr_driver_collect(const ntr_plan *p, const ntr_driver_opts *o, ntr_driver_outcome *out,
                       ntr_error *err)
{
    if (ntr_summary_csv_write(o->outdir, p, out->counts, err) != 0)
        return -1;
    if (p->study) {
        const ntr_study_type *st;
        if (ntr_study_of(p->study, &st, err) != 0 ||
            st->analyse(o->outdir, p->study, !o->no_plot, &out->verdict, err) != 0)
            return -1;
    }
    char finished[32];
    ntr_now_iso(finished, sizeof finished);
    if (ntr_manifest_write(o->outdir, p, out->started, finished, out->counts, o->argv_line,
                           err) != 0)
        return -1;
    /* Figures and report read only the files written above.  A failing
     * gnuplot does not lose results: it is a warning, like a missing one. */
    if (!o->no_plot) {
        ntr_error perr;
        if (ntr_plot_all(o->outdir, o->plot_format, &out->gnuplot_missing, &perr) != 0) {
            if (perr.kind != NTR_E_IO)
                return *err = perr, -1;
            out->plot_failed = 1;
            snprintf(out->plot_error, sizeof out->plot_error, "%s", perr.msg);
        }
    }
    return ntr_report_write(o->outdir, err);
}

/* plan_print.c: the table of `ntr-run --plan` (see plan_print.h). */
#include "run/plan_print.h"

#include <stdlib.h>
#include <string.h>

#include "output/files.h"
#include "run/cell_exec.h"
#include "run/cost.h"
#include "run/folder.h"

int ntr_plan_print(FILE *f, const ntr_plan *p, const char *outdir, ntr_error *err)
{
    ntr_folder_change ch;
    memset(&ch, 0, sizeof ch);
    char cfg[1100];
    snprintf(cfg, sizeof cfg, "%s/config.yaml", outdir);
    ntr_sources *src = NULL;
    if (ntr_exists(cfg)) {
        char *text = ntr_plan_yaml(p);
        int rc = text ? ntr_folder_update(p, outdir, text, 0, 0, &ch, err)
                      : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        free(text);
        if (rc != 0 || ntr_sources_scan(p, outdir, &src, err) != 0)
            return -1;
    }
    fprintf(f, "%-6s %-16s %-14s %-4s %10s %10s %9s  %s\n", "index", "hash", "status", "rep",
            "iterations", "sfo", "gradients", "group");
    ntr_run_cost total = {0, 0, 0, 0};
    size_t todo = 0;
    for (size_t c = 0; c < p->ncells; c++) {
        const ntr_cell *cell = &p->cells[c];
        char status[32] = "done";
        char aside[1300];
        snprintf(aside, sizeof aside, "%s/aside/%s", outdir, cell->hash);
        long k_from = 0;
        ntr_run_cost cost = {0, 0, 0, 0};
        if (!ntr_cell_is_finished(outdir, cell)) {
            if (ntr_exists(aside)) {
                snprintf(status, sizeof status, "from aside/");
            } else {
                if (ntr_sources_find(src, cell, &k_from))
                    snprintf(status, sizeof status, "from k=%ld", k_from);
                else
                    snprintf(status, sizeof status, "pending");
                ntr_run_cost_of(&cell->s, k_from, &cost);
                todo++;
            }
        }
        total.iterations += cost.iterations;
        total.sfo += cost.sfo;
        total.gradients += cost.gradients;
        fprintf(f, "%-6zu %-16s %-14s %-4d %10ld %10ld %9ld  %s\n", c, cell->hash, status,
                cell->replicate, cost.iterations, cost.sfo, cost.gradients, cell->group);
    }
    fprintf(f, "%zu cells, %zu to run: %ld iterations, %ld oracle units (SFO), %ld exact gradients "
            "for the measurements\n",
            p->ncells, todo, total.iterations, total.sfo, total.gradients);
    if (ch.config_changed || ch.dropped || ch.restored)
        fprintf(f, "%s holds another config (differing: %s): %zu of its %zu cells are not in this "
                "plan (%zu continued by a larger budget; the others need --aside), %zu come back "
                "from aside/\n",
                outdir, ch.keys[0] ? ch.keys : "none", ch.dropped, ch.folder_cells, ch.superseded,
                ch.restored);
    ntr_sources_free(src);
    return 0;
}

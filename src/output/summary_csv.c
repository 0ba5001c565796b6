/* summary_csv.c: summary.csv from the plan and each cell's summary.json
 * (see summary_csv.h). */
#include "output/summary_csv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/cell_summary.h"
#include "output/csv_field.h"
#include "output/files.h"
#include "output/settings_cols.h"
#include "base/numfmt.h"
#include "output/paths.h"

static void real(FILE *f, double v)
{
    fputc(',', f);
    ntr_csv_double(f, v);
}

/* aliases.csv: group, replicate, hash of the points' replicates that share
 * an earlier point's cell (written only when there are some). */
static int aliases_write(const char *outdir, const ntr_plan *p, ntr_error *err)
{
    char path[1100];
    ntr_tmpfile t;
    if (p->naliases == 0)
        return 0;
    if (ntr_path(path, sizeof path, err, "%s/aliases.csv", outdir) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    fputs("group,replicate,hash\n", t.fp);
    for (size_t i = 0; i < p->naliases; i++) {
        ntr_csv_field(t.fp, p->aliases[i].group);
        fprintf(t.fp, ",%d,%s\n", p->aliases[i].replicate, p->aliases[i].hash);
    }
    return ntr_tmpfile_commit(&t, err);
}

/* The final values of summary.json, in trajectory.csv's order. */
#define FINAL_COLUMNS "f,gap,grad_dual,grad_l2,min_grad_dual,avg_grad_dual,x_norm,x_fro,mom_err"

/* The header line; *nt receives the number of target columns of each kind. */
static void write_header(FILE *f, const ntr_plan *p, const ntr_settings_cols *sc, int *nt_out)
{
    fputs("index,hash,group,replicate", f);
    for (size_t i = 0; i < p->naxes; i++) {
        fputc(',', f);
        ntr_csv_field(f, p->axes[i]);
    }
    fputs(",status,iterations,sfo," FINAL_COLUMNS, f);
    const ntr_settings *b = &p->base;
    int nt = p->ncells ? p->cells[0].s.ntargets : b->ntargets;
    const double *tg = p->ncells ? p->cells[0].s.targets : b->targets;
    /* Columns are named by their target when every cell has the same ones;
     * a study whose cells each have their own (a rate study: eps) names
     * them K_target, or K_target1, K_target2, ... */
    int same = 1;
    for (size_t c = 1; c < p->ncells; c++) {
        const ntr_settings *cs = &p->cells[c].s;
        if (cs->ntargets > nt)
            nt = cs->ntargets;
        if (cs->ntargets != p->cells[0].s.ntargets ||
            memcmp(cs->targets, tg, (size_t)cs->ntargets * sizeof *tg) != 0)
            same = 0;
    }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < nt; i++) {
            const char *what = pass ? "SFO" : "K";
            char label[64];
            ntr_target_label(tg[i], label, sizeof label);
            if (same)
                fprintf(f, ",%s_%s", what, label);
            else if (nt == 1)
                fprintf(f, ",%s_target", what);
            else
                fprintf(f, ",%s_target%d", what, i + 1);
        }
    for (size_t i = 0; i < sc->nkeys; i++) {
        fputc(',', f);
        ntr_csv_field(f, sc->keys[i]);
    }
    fputs(",wall_s\n", f);
    *nt_out = nt;
}

/* The row of cell c from its summary.json record r. */
static void write_row(FILE *f, const ntr_plan *p, size_t c, const ntr_cell_record *r, int nt,
                      const ntr_settings_cols *sc)
{
    const ntr_cell *cell = &p->cells[c];
    fprintf(f, "%zu,%s,", cell->index, cell->hash);
    ntr_csv_field(f, cell->group);
    fprintf(f, ",%d", cell->replicate);
    for (size_t i = 0; i < p->naxes; i++) {
        fputc(',', f);
        ntr_csv_field(f, cell->values[i]);
    }
    fprintf(f, ",%s", r->status);
    int pending = r->known && r->code == NTR_STATUS_PENDING;
    if (pending)
        fputs(",,", f);
    else
        fprintf(f, ",%ld,%ld", r->iterations, r->sfo);
    const double fin[] = {r->f,           r->gap,    r->grad_dual, r->grad_l2, r->min_grad_dual,
                          r->avg_grad_dual, r->x_norm, r->x_fro,     r->mom_err};
    for (size_t i = 0; i < sizeof fin / sizeof *fin; i++)
        real(f, pending ? NAN : fin[i]);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < nt; i++) {
            long v = i < r->ntargets ? (pass ? r->hit_sfo[i] : r->hit_k[i]) : -1;
            if (!pending && v >= 0)
                fprintf(f, ",%ld", v);
            else
                fputc(',', f);
        }
    for (size_t i = 0; i < sc->nkeys; i++) {
        fputc(',', f);
        if (sc->values[c][i])
            ntr_csv_field(f, sc->values[c][i]);
    }
    if (pending)
        fputs(",\n", f);
    else
        fprintf(f, ",%.3f\n", r->wall_s);
}

int ntr_summary_csv_write(const char *outdir, const ntr_plan *p, long counts[NTR_STATUS_COUNT],
                          ntr_error *err)
{
    char path[1100];
    ntr_tmpfile t;
    ntr_settings_cols sc;
    if (ntr_settings_cols_build(p, p->axes, p->naxes, &sc, err) != 0)
        return -1;
    if (ntr_path(path, sizeof path, err, "%s/summary.csv", outdir) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0) {
        ntr_settings_cols_free(&sc);
        return -1;
    }
    if (counts)
        memset(counts, 0, NTR_STATUS_COUNT * sizeof *counts);
    int nt;
    write_header(t.fp, p, &sc, &nt);
    for (size_t c = 0; c < p->ncells; c++) {
        char sp[1200];
        ntr_cell_record r;
        if (ntr_cell_path(sp, sizeof sp, err, outdir, p->cells[c].hash, NTR_SUMMARY_JSON) != 0 ||
            ntr_cell_summary_read(sp, &r, err) != 0) {
            ntr_tmpfile_abort(&t);
            ntr_settings_cols_free(&sc);
            return -1;
        }
        if (counts && r.known)
            counts[r.code]++;
        write_row(t.fp, p, c, &r, nt, &sc);
    }
    ntr_settings_cols_free(&sc);
    if (ntr_tmpfile_commit(&t, err) != 0)
        return -1;
    return aliases_write(outdir, p, err);
}

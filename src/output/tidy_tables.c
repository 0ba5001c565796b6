/* tidy_tables.c: trajectories.csv and targets.csv (see tidy_tables.h).
 * Each cell's trajectory.csv is copied row by row under its identifying
 * columns; its columns are matched by name to the current trajectory
 * header, so that a folder written by an older ntr (fewer columns) still
 * gives one table (the missing columns empty). */
#include "output/tidy_tables.h"

#include <stdlib.h>
#include <string.h>

#include "base/numfmt.h"
#include "output/run_result.h"
#include "output/cell_summary.h"
#include "output/csv_field.h"
#include "output/files.h"
#include "output/paths.h"

#define MAX_COLS 64

/* Split a header or row (no quoting in trajectory.csv) in place. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *c = line; *c && n < max; c++)
        if (*c == ',') {
            *c = '\0';
            f[n++] = c + 1;
        }
    return n;
}

/* map[i]: the column of the cell's file holding the current header's
 * column i, -1 if it has none. */
static int column_map(char *header, int *map, int ncur, char **cur)
{
    char *f[MAX_COLS];
    int n = split(header, f, MAX_COLS);
    for (int i = 0; i < ncur; i++) {
        map[i] = -1;
        for (int j = 0; j < n; j++)
            if (strcmp(cur[i], f[j]) == 0)
                map[i] = j;
    }
    return n;
}

static int cell_rows(FILE *out, const char *outdir, const ntr_plan *p, const ntr_cell *cell,
                     char **cur, int ncur, ntr_error *err)
{
    char path[1200];
    if (ntr_cell_path(path, sizeof path, err, outdir, cell->hash, NTR_TRAJECTORY_CSV) != 0)
        return -1;
    char *text = ntr_read_all(path, (size_t)1 << 36, err);
    if (!text)
        return -1;
    char prefix[4096];
    size_t used = (size_t)snprintf(prefix, sizeof prefix, "%s,%d,%lu", cell->hash,
                                   cell->replicate, cell->s.seed);
    char *pre = NULL;
    size_t prelen = 0;
    FILE *pf = open_memstream(&pre, &prelen);
    if (!pf) {
        free(text);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    fwrite(prefix, 1, used, pf);
    for (size_t i = 0; i < p->naxes; i++) {
        if (!strcmp(p->axes[i], "seed"))
            continue;
        fputc(',', pf);
        ntr_csv_field(pf, cell->values[i]);
    }
    fclose(pf);
    int map[MAX_COLS], nf = 0;
    char *line = text, *f[MAX_COLS];
    for (int row = 0; line && *line; row++) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (row == 0) {
            nf = column_map(line, map, ncur, cur);
        } else if (*line) {
            int n = split(line, f, MAX_COLS);
            fputs(pre, out);
            for (int i = 0; i < ncur; i++) {
                fputc(',', out);
                if (map[i] >= 0 && map[i] < n && map[i] < nf && strcmp(f[map[i]], "nan") != 0)
                    fputs(f[map[i]], out); /* an older file's nan is the empty field now */
            }
            fputc('\n', out);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(pre);
    free(text);
    return 0;
}

static int write_trajectories(const char *outdir, const ntr_plan *p, const char *const *done,
                              ntr_error *err)
{
    char path[1100], header[512];
    snprintf(header, sizeof header, "%s", ntr_trajectory_header);
    char *cur[MAX_COLS];
    int ncur = split(header, cur, MAX_COLS);
    ntr_tmpfile t;
    if (ntr_path(path, sizeof path, err, "%s/trajectories.csv", outdir) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    fputs("hash,replicate,seed", t.fp);
    for (size_t i = 0; i < p->naxes; i++)
        if (strcmp(p->axes[i], "seed") != 0) {
            fputc(',', t.fp);
            ntr_csv_field(t.fp, p->axes[i]);
        }
    fprintf(t.fp, ",%s\n", ntr_trajectory_header);
    for (size_t c = 0; c < p->ncells; c++)
        if (done[c] && cell_rows(t.fp, outdir, p, &p->cells[c], cur, ncur, err) != 0) {
            ntr_tmpfile_abort(&t);
            return -1;
        }
    return ntr_tmpfile_commit(&t, err);
}

static int write_targets(const char *outdir, const ntr_plan *p, const char *const *done,
                         ntr_error *err)
{
    char path[1200];
    ntr_tmpfile t;
    if (ntr_path(path, sizeof path, err, "%s/targets.csv", outdir) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    fputs("hash,measure,target,K,SFO\n", t.fp);
    for (size_t c = 0; c < p->ncells; c++) {
        const ntr_cell *cell = &p->cells[c];
        ntr_cell_record r;
        if (!done[c])
            continue;
        if (ntr_cell_path(path, sizeof path, err, outdir, cell->hash, NTR_SUMMARY_JSON) !=
                0 ||
            ntr_cell_summary_read(path, &r, err) != 0) {
            ntr_tmpfile_abort(&t);
            return -1;
        }
        for (int i = 0; i < r.ntargets; i++) {
            fprintf(t.fp, "%s,%s,", cell->hash, ntr_measure_names[cell->s.measure]);
            ntr_csv_double(t.fp, r.target[i]);
            if (r.hit_k[i] >= 0)
                fprintf(t.fp, ",%ld,%ld\n", r.hit_k[i], r.hit_sfo[i]);
            else
                fputs(",,\n", t.fp);
        }
    }
    return ntr_tmpfile_commit(&t, err);
}

int ntr_tidy_tables_write(const char *outdir, const ntr_plan *p, ntr_error *err)
{
    /* the cells with results: a final status (an interrupted cell's
     * trajectory is a part that a resume rewrites) */
    const char **done = calloc(p->ncells ? p->ncells : 1, sizeof *done);
    if (!done)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    int rc = 0;
    for (size_t c = 0; rc == 0 && c < p->ncells; c++) {
        char path[1200];
        ntr_cell_record r;
        if (ntr_cell_path(path, sizeof path, err, outdir, p->cells[c].hash, NTR_SUMMARY_JSON) != 0 ||
            ntr_cell_summary_read(path, &r, err) != 0)
            rc = -1;
        else if (r.known && ntr_status_is_final(r.code))
            done[c] = p->cells[c].hash;
    }
    if (rc == 0)
        rc = write_trajectories(outdir, p, done, err);
    if (rc == 0)
        rc = write_targets(outdir, p, done, err);
    free(done);
    return rc;
}

/* tuned_data.c: reading a tuned study's result folder (see tuned_data.h). */
#include "study/tuned/tuned_data.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_load.h"
#include "output/groups.h"
#include "output/cell_summary.h"
#include "output/files.h"
#include "output/paths.h"
#include "study/select.h"

/* Mean of column c of a trajectory over k >= (1 - window) K; NAN if absent. */
static int final_value(const char *path, const char *column, double window, double *out,
                       ntr_error *err)
{
    *out = NAN;
    if (!ntr_exists(path))
        return 0;
    ntr_table *t;
    size_t ck, cc;
    if (ntr_table_read(path, &t, err) != 0)
        return -1;
    int rc = ntr_table_require(t, "k", &ck, err);
    if (rc == 0)
        rc = ntr_table_require(t, column, &cc, err);
    size_t n = ntr_table_rows(t);
    if (rc == 0 && n > 0) {
        double K = ntr_table_num(t, n - 1, ck), sum = 0.0;
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            double v = ntr_table_num(t, i, cc);
            if (ntr_table_num(t, i, ck) >= (1.0 - window) * K && !isnan(v))
                sum += v, m++;
        }
        *out = m ? sum / (double)m : NAN;
        if (m && !isfinite(*out))
            *out = INFINITY; /* diverged: worse than any floor */
    }
    ntr_table_free(t);
    return rc;
}

/* The first k reaching the target; INFINITY when a finished cell never did. */
static int hit_value(const char *path, double *out, ntr_error *err)
{
    ntr_cell_record rec;
    *out = NAN;
    if (ntr_cell_summary_read(path, &rec, err) != 0)
        return -1;
    if (!strcmp(rec.status, "pending") || !strcmp(rec.status, "interrupted"))
        return 0;
    *out = rec.ntargets > 0 && rec.hit_k[0] >= 0 ? (double)rec.hit_k[0] : INFINITY;
    return 0;
}

static int find_group(ntr_tuned_data *d, const char *label, size_t len, size_t row, size_t *cap)
{
    for (size_t i = 0; i < d->ngroups; i++)
        if (strlen(d->g[i].label) == len && !strncmp(d->g[i].label, label, len))
            return (int)i;
    if (d->ngroups == *cap) {
        size_t c = *cap ? 2 * *cap : 16;
        ntr_tuned_group *g = realloc(d->g, c * sizeof *g);
        if (!g)
            return -1;
        d->g = g;
        *cap = c;
    }
    ntr_tuned_group *g = &d->g[d->ngroups];
    memset(g, 0, sizeof *g);
    snprintf(g->label, sizeof g->label, "%.*s", (int)len, label);
    g->row0 = row;
    return (int)d->ngroups++;
}

/* One group's grid and values from its rows. */
static int read_group(const char *dir, ntr_tuned_data *d, ntr_tuned_group *g, const size_t *rows,
                      size_t nrows, ntr_error *err)
{
    const char *keys[NTR_TUNE_MAX_KEYS];
    for (size_t a = 0; a < d->nkeys; a++)
        keys[a] = d->keys[a];
    const char **vals = malloc((nrows * d->nkeys + 1) * sizeof *vals);
    size_t *point = malloc((nrows + 1) * sizeof *point);
    long crep = ntr_table_find(d->summary, "replicate");
    int rc = vals && point ? 0 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t c = 0; rc == 0 && c < nrows; c++)
        for (size_t a = 0; a < d->nkeys; a++)
            vals[c * d->nkeys + a] = ntr_table_str(d->summary, rows[c], (size_t)ntr_table_find(
                                                                           d->summary, keys[a]));
    if (rc == 0)
        rc = ntr_tune_observed(keys, d->nkeys, vals, nrows, &g->grid, point, err);
    g->npoints = ntr_tune_npoints(&g->grid);
    if (rc == 0 && !(g->v = malloc(g->npoints * d->nreps * sizeof *g->v)))
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t i = 0; rc == 0 && i < g->npoints * d->nreps; i++)
        g->v[i] = NAN;
    for (size_t c = 0; rc == 0 && c < nrows; c++) {
        const char *hash;
        char path[1200];
        double v, r = ntr_table_num(d->summary, rows[c], (size_t)crep);
        rc = ntr_summary_hash(d->summary, rows[c], &hash, err);
        if (rc == 0 && d->spec.score == NTR_TUNED_FINAL)
            rc = ntr_cell_path(path, sizeof path, err, dir, hash, NTR_TRAJECTORY_CSV);
        else if (rc == 0)
            rc = ntr_cell_path(path, sizeof path, err, dir, hash, NTR_SUMMARY_JSON);
        if (rc == 0)
            rc = d->spec.score == NTR_TUNED_FINAL
                     ? final_value(path, d->spec.column, d->spec.window, &v, err)
                     : hit_value(path, &v, err);
        if (rc == 0 && r >= 0 && (size_t)r < d->nreps)
            g->v[point[c] * d->nreps + (size_t)r] = v;
    }
    free(vals);
    free(point);
    return rc;
}

int ntr_tuned_data_read(const char *result_dir, const ntr_node *study, ntr_tuned_data *d,
                        ntr_error *err)
{
    memset(d, 0, sizeof *d);
    char path[1200];
    if (ntr_tuned_spec_read(study, &d->spec, err) != 0 ||
        ntr_path(path, sizeof path, err, "%s/config.yaml", result_dir) != 0 ||
        ntr_yaml_load_file(path, "config.yaml", &d->config, err) != 0 ||
        ntr_path(path, sizeof path, err, "%s/summary.csv", result_dir) != 0 ||
        ntr_table_read(path, &d->summary, err) != 0)
        return -1;
    for (size_t i = 0; i < d->spec.tune->n && d->nkeys < NTR_TUNE_MAX_KEYS; i++)
        if (ntr_table_find(d->summary, d->spec.tune->keys[i]) >= 0) /* pinned: not a column */
            snprintf(d->keys[d->nkeys++], sizeof d->keys[0], "%s", d->spec.tune->keys[i]);
    size_t cg, crep, rows = ntr_table_rows(d->summary), cap = 0;
    if (ntr_table_require(d->summary, "group", &cg, err) != 0 ||
        ntr_table_require(d->summary, "replicate", &crep, err) != 0)
        return -1;
    size_t *of = malloc((rows + 1) * sizeof *of), *list = malloc((rows + 1) * sizeof *list);
    int rc = of && list ? 0 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t r = 0; rc == 0 && r < rows; r++) {
        const char *label = ntr_table_str(d->summary, r, cg), *sep = strstr(label, NTR_TUNED_SEP);
        int gi = find_group(d, label, sep ? (size_t)(sep - label) : strlen(label), r, &cap);
        if (gi < 0)
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        of[r] = (size_t)gi;
        double rep = ntr_table_num(d->summary, r, crep);
        if (rep + 1 > (double)d->nreps)
            d->nreps = (size_t)rep + 1;
    }
    if (rc == 0 && d->nreps > NTR_TREND_MAX_SEEDS)
        rc = ntr_fail(err, NTR_E_INPUT, "a tuned study has at most %d seeds", NTR_TREND_MAX_SEEDS);
    for (size_t gi = 0; rc == 0 && gi < d->ngroups; gi++) {
        size_t n = 0;
        for (size_t r = 0; r < rows; r++)
            if (of[r] == gi)
                list[n++] = r;
        rc = read_group(result_dir, d, &d->g[gi], list, n, err);
        if (rc == 0) {
            double *score = malloc(d->g[gi].npoints * sizeof *score), *w = malloc(d->nreps * sizeof *w);
            if (!score || !w)
                rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            for (size_t p = 0; rc == 0 && p < d->g[gi].npoints; p++) {
                memcpy(w, d->g[gi].v + p * d->nreps, d->nreps * sizeof *w);
                score[p] = ntr_tune_score(w, d->nreps);
            }
            if (rc == 0)
                ntr_tune_select(&d->g[gi].grid, score, NULL, d->spec.flat, &d->g[gi].choice);
            free(score);
            free(w);
        }
    }
    free(of);
    free(list);
    return rc;
}

void ntr_tuned_data_free(ntr_tuned_data *d)
{
    for (size_t i = 0; i < d->ngroups; i++)
        free(d->g[i].v);
    free(d->g);
    ntr_table_free(d->summary);
    ntr_node_free(d->config);
    memset(d, 0, sizeof *d);
}

double ntr_tuned_best(const ntr_tuned_data *d, const ntr_tuned_group *g, const size_t *rep,
                      size_t n, const long *at)
{
    double best = INFINITY, w[NTR_TREND_MAX_SEEDS];
    size_t coord[NTR_TUNE_MAX_KEYS];
    for (size_t p = 0; p < g->npoints; p++) {
        if (at) {
            ntr_tune_coords(&g->grid, p, coord);
            int keep = 1;
            for (size_t a = 0; a < g->grid.naxes; a++)
                keep &= at[a] < 0 || coord[a] == (size_t)at[a];
            if (!keep)
                continue;
        }
        for (size_t j = 0; j < n; j++)
            w[j] = g->v[p * d->nreps + rep[j]];
        double s = ntr_tune_score(w, n);
        if (isnan(s))
            return NAN;
        best = fmin(best, s);
    }
    return best;
}

size_t ntr_tuned_select(const ntr_tuned_data *d, const ntr_node *sel, size_t *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < d->ngroups && n < max; i++)
        if (ntr_select_matches(d->summary, d->config, d->g[i].row0, sel))
            out[n++] = i;
    return n;
}

double ntr_tuned_x(const ntr_tuned_data *d, const ntr_tuned_group *g, const char *key)
{
    return ntr_select_number(ntr_select_value(d->summary, d->config, g->row0, key));
}

int ntr_tuned_key(const ntr_tuned_data *d, const char *key)
{
    for (size_t i = 0; i < d->nkeys; i++)
        if (!strcmp(d->keys[i], key))
            return (int)i;
    return -1;
}

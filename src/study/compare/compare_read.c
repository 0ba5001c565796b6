/* compare_read.c: reading a compare study's result folder into groups and
 * their statistics (see compare_data.h). */
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
#include "study/compare/compare_data.h"
#include "study/select.h"

int ntr_cmp_col(const ntr_cmp_data *d, const char *name)
{
    for (size_t i = 0; i < d->ncols; i++)
        if (strcmp(d->cols[i], name) == 0)
            return (int)i;
    return -1;
}

static void add_col(ntr_cmp_data *d, const char *name)
{
    if (ntr_cmp_col(d, name) < 0 && d->ncols < NTR_CMP_MAX_COLS)
        snprintf(d->cols[d->ncols++], sizeof d->cols[0], "%s", name);
}

/* Mean of v over rows with lo <= k <= hi; NAN when none. */
static double window_mean(const ntr_cmp_seed *s, const double *v, double lo, double hi)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < s->nrows; i++)
        if (s->k[i] >= lo && s->k[i] <= hi && isfinite(v[i]))
            sum += v[i], n++;
    return n ? sum / (double)n : NAN;
}

/* Median of the finite values among v[0..n) (reordered); NAN if none. */
static double median(double *v, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            v[m++] = v[i];
    if (m == 0)
        return NAN;
    gsl_sort(v, 1, m);
    return gsl_stats_median_from_sorted_data(v, 1, m);
}

static int group_stats(ntr_cmp_data *d, ntr_cmp_group *g, ntr_error *err)
{
    size_t n = g->nseeds;
    double *ini = malloc(4 * (n ? n : 1) * sizeof *ini);
    if (!ini)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    double *fin = ini + n, *ear = fin + n, *lk = ear + n;
    for (size_t c = 0; c < d->ncols; c++) {
        g->max[c] = -INFINITY;
        for (size_t j = 0; j < n; j++) {
            const ntr_cmp_seed *s = &g->seed[j];
            ini[j] = fin[j] = ear[j] = lk[j] = NAN;
            if (s->nrows == 0)
                continue;
            double K = s->k[s->nrows - 1];
            ini[j] = s->v[c][0];
            fin[j] = window_mean(s, s->v[c], (1.0 - d->spec.window) * K, K);
            ear[j] = window_mean(s, s->v[c], K / 20.0, K / 10.0);
            lk[j] = K;
            for (size_t i = 0; i < s->nrows; i++)
                if (isfinite(s->v[c][i]) && s->v[c][i] > g->max[c])
                    g->max[c] = s->v[c][i];
        }
        g->initial[c] = median(ini, n);
        g->final[c] = median(fin, n);
        g->earlier[c] = median(ear, n);
        g->last_k = median(lk, n);
    }
    free(ini);
    return 0;
}

static int read_seed(const char *path, ntr_cmp_data *d, ntr_cmp_seed *s, ntr_error *err)
{
    if (!ntr_exists(path))
        return 0; /* not run yet */
    ntr_table *t;
    if (ntr_table_read(path, &t, err) != 0)
        return -1;
    size_t n = ntr_table_rows(t), ck, cc[NTR_CMP_MAX_COLS];
    int rc = ntr_table_require(t, "k", &ck, err);
    for (size_t c = 0; rc == 0 && c < d->ncols; c++)
        rc = ntr_table_require(t, d->cols[c], &cc[c], err);
    if (rc == 0 && n > 0) {
        s->k = malloc(n * sizeof *s->k);
        for (size_t c = 0; c < d->ncols; c++)
            s->v[c] = malloc(n * sizeof *s->v[c]);
        int ok = s->k != NULL;
        for (size_t c = 0; c < d->ncols; c++)
            ok &= s->v[c] != NULL;
        if (!ok)
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        for (size_t i = 0; rc == 0 && i < n; i++) {
            s->k[i] = ntr_table_num(t, i, ck);
            for (size_t c = 0; c < d->ncols; c++)
                s->v[c][i] = ntr_table_num(t, i, cc[c]);
        }
        if (rc == 0)
            s->nrows = n;
    }
    ntr_table_free(t);
    return rc;
}

int ntr_cmp_data_read(const char *result_dir, const ntr_node *study, ntr_cmp_data *d,
                      ntr_error *err)
{
    memset(d, 0, sizeof *d);
    if (ntr_cmp_spec_read(study, &d->spec, err) != 0)
        return -1;
    for (size_t i = 0; i < d->spec.ncolumns; i++)
        add_col(d, d->spec.columns[i]);
    for (size_t i = 0; i < d->spec.nchecks; i++) {
        add_col(d, d->spec.check[i].column);
        if (d->spec.check[i].kind == NTR_CMP_GRAD_BOUND)
            add_col(d, "x_norm");
    }
    char path[1200];
    if (ntr_path(path, sizeof path, err, "%s/config.yaml", result_dir) != 0 ||
        ntr_yaml_load_file(path, "config.yaml", &d->config, err) != 0 ||
        ntr_path(path, sizeof path, err, "%s/summary.csv", result_dir) != 0 ||
        ntr_table_read(path, &d->summary, err) != 0)
        return -1;
    ntr_groups gs;
    if (ntr_groups_from_summary(d->summary, &gs, err) != 0)
        return -1;
    int rc = 0;
    d->g = calloc(gs.n ? gs.n : 1, sizeof *d->g);
    if (!d->g)
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t i = 0; rc == 0 && i < gs.n; i++) {
        ntr_cmp_group *g = &d->g[i];
        d->ngroups++;
        snprintf(g->label, sizeof g->label, "%s", gs.g[i].label);
        g->first_row = gs.g[i].rows[0];
        g->seed = calloc(gs.g[i].ncells, sizeof *g->seed);
        if (!g->seed) {
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            break;
        }
        g->nseeds = gs.g[i].ncells;
        for (size_t j = 0; rc == 0 && j < g->nseeds; j++) {
            const char *hash;
            rc = ntr_summary_hash(d->summary, gs.g[i].rows[j], &hash, err);
            if (rc == 0)
                rc = ntr_cell_path(path, sizeof path, err, result_dir, hash, NTR_TRAJECTORY_CSV);
            if (rc == 0)
                rc = read_seed(path, d, &g->seed[j], err);
            ntr_cell_record rec;
            if (rc == 0)
                rc = ntr_cell_path(path, sizeof path, err, result_dir, hash, NTR_SUMMARY_JSON);
            if (rc == 0)
                rc = ntr_cell_summary_read(path, &rec, err);
            g->seed[j].L = rc == 0 ? rec.consts.L : NAN;
        }
        if (rc == 0)
            rc = group_stats(d, g, err);
    }
    ntr_groups_free(&gs);
    return rc;
}

void ntr_cmp_data_free(ntr_cmp_data *d)
{
    for (size_t i = 0; i < d->ngroups; i++) {
        for (size_t j = 0; d->g[i].seed && j < d->g[i].nseeds; j++) {
            free(d->g[i].seed[j].k);
            for (size_t c = 0; c < d->ncols; c++)
                free(d->g[i].seed[j].v[c]);
        }
        free(d->g[i].seed);
    }
    free(d->g);
    ntr_table_free(d->summary);
    ntr_node_free(d->config);
    memset(d, 0, sizeof *d);
}

const char *ntr_cmp_value(const ntr_cmp_data *d, const ntr_cmp_group *g, const char *key)
{
    return ntr_select_value(d->summary, d->config, g->first_row, key);
}

int ntr_cmp_matches(const ntr_cmp_data *d, const ntr_cmp_group *g, const ntr_node *sel)
{
    return ntr_select_matches(d->summary, d->config, g->first_row, sel);
}

/* rate_cells.c: reading a rate study's result folder into points (see
 * rate_data.h): summary.csv names the cells, each cell's summary.json gives
 * its status, hitting iteration and constants, its trajectory.csv the
 * running measure. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../groups.h"
#include "../output/files.h"
#include "../status.h"
#include "../table.h"
#include "rate_data.h"

ntr_rate_point *ntr_rate_point_at(ntr_rate_data *d, size_t ie, size_t ia, size_t ib)
{
    const ntr_rate_spec *s = d->spec;
    return &d->pt[(ie * s->ntune_eta + ia) * s->ntune_alpha + ib];
}

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The variables of a cell's recorded constants (see rate.c: vars_of). */
static void vars_of_json(json_t *cs, ntr_theory_vars *v)
{
    memset(v, 0, sizeof *v);
    v->L = num(cs, "L");
    v->L2 = num(cs, "L2");
    v->rho = num(cs, "rho");
    v->D = num(cs, "D");
    v->Delta0 = num(cs, "Delta0");
    v->batch = num(cs, "batch");
    if (isnan(v->batch))
        v->batch = 1.0;
    v->sigma = num(cs, "sigma") / sqrt(v->batch);
    v->d = num(cs, "d");
    v->m = num(cs, "m");
    v->n = num(cs, "n");
    v->alpha = v->eta = NAN;
}

static int read_summary(const char *path, ntr_rate_seed *sd, ntr_rate_point *pt, int rep0,
                        ntr_error *err)
{
    if (!ntr_exists(path)) {
        snprintf(sd->status, sizeof sd->status, "pending");
        sd->hit = NAN;
        return 0;
    }
    json_error_t jerr;
    json_t *o = json_load_file(path, 0, &jerr);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return ntr_fail(err, NTR_E_IO, "%s: unreadable summary (%s)", path, jerr.text);
    }
    sd->present = 1;
    const char *st = json_string_value(json_object_get(o, "status"));
    snprintf(sd->status, sizeof sd->status, "%s", st ? ntr_status_canonical(st) : "unknown");
    sd->iterations = (long)num(o, "iterations");
    json_t *t0 = json_array_get(json_object_get(o, "targets"), 0);
    sd->hit = t0 ? num(t0, "k") : NAN;
    if (rep0) {
        vars_of_json(json_object_get(o, "constants"), &pt->vars);
        pt->vars.eps = pt->eps;
        pt->have_vars = 1;
    }
    json_decref(o);
    return 0;
}

static int read_trajectory(const char *path, const char *column, ntr_rate_seed *sd,
                           ntr_error *err)
{
    if (!ntr_exists(path))
        return 0;
    ntr_table *t;
    if (ntr_table_read(path, &t, err) != 0)
        return -1;
    size_t ck, cv;
    size_t n = ntr_table_rows(t);
    int rc = ntr_table_require(t, "k", &ck, err);
    if (rc == 0)
        rc = ntr_table_require(t, column, &cv, err);
    if (rc == 0 && n > 0) {
        sd->k = malloc(n * sizeof *sd->k);
        sd->v = malloc(n * sizeof *sd->v);
        if (!sd->k || !sd->v)
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        for (size_t i = 0; rc == 0 && i < n; i++) {
            sd->k[i] = ntr_table_num(t, i, ck);
            sd->v[i] = ntr_table_num(t, i, cv);
        }
        if (rc == 0)
            sd->nrows = n;
    }
    ntr_table_free(t);
    return rc;
}

static int alloc_points(ntr_rate_data *d, ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    d->npoints = s->neps * s->ntune_eta * s->ntune_alpha;
    d->pt = calloc(d->npoints, sizeof *d->pt);
    if (!d->pt)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t ie = 0; ie < s->neps; ie++)
        for (size_t ia = 0; ia < s->ntune_eta; ia++)
            for (size_t ib = 0; ib < s->ntune_alpha; ib++) {
                ntr_rate_point *p = ntr_rate_point_at(d, ie, ia, ib);
                p->ie = ie, p->ia = ia, p->ib = ib;
                p->eps = s->eps[ie];
                p->eta_mult = s->tune_eta[ia];
                p->alpha_mult = s->tune_alpha[ib];
                ntr_rate_label(s, ie, ia, ib, p->label, sizeof p->label);
            }
    return 0;
}

/* Every point's seeds, once their number is known: all pending. */
static int alloc_seeds(ntr_rate_data *d, ntr_error *err)
{
    for (size_t i = 0; i < d->npoints; i++) {
        ntr_rate_point *p = &d->pt[i];
        p->seed = calloc(d->nseeds, sizeof *p->seed);
        if (!p->seed)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        for (size_t j = 0; j < d->nseeds; j++) {
            p->seed[j].hit = NAN;
            snprintf(p->seed[j].status, sizeof p->seed[j].status, "pending");
        }
    }
    return 0;
}

static ntr_rate_point *point_of_label(ntr_rate_data *d, const char *label)
{
    for (size_t i = 0; i < d->npoints; i++)
        if (strcmp(d->pt[i].label, label) == 0)
            return &d->pt[i];
    return NULL;
}

int ntr_rate_data_read(const char *result_dir, ntr_rate_spec *spec, ntr_rate_data *d,
                       ntr_error *err)
{
    memset(d, 0, sizeof *d);
    d->spec = spec;
    char path[1200];
    ntr_table *t = NULL;
    if (ntr_path(path, sizeof path, err, "%s/summary.csv", result_dir) != 0 ||
        ntr_table_read(path, &t, err) != 0)
        return -1;
    size_t cg = 0, cr = 0;
    int rc = ntr_table_require(t, "group", &cg, err);
    if (rc == 0)
        rc = ntr_table_require(t, "replicate", &cr, err);
    size_t rows = ntr_table_rows(t);
    if (rc == 0)
        rc = alloc_points(d, err);
    for (size_t i = 0; rc == 0 && i < rows; i++) { /* seeds: replicates of this series */
        double r = ntr_table_num(t, i, cr);
        if (r >= 0 && r < 1e6 && r + 1 > (double)d->nseeds &&
            point_of_label(d, ntr_table_str(t, i, cg)))
            d->nseeds = (size_t)r + 1;
    }
    if (rc == 0 && d->nseeds == 0)
        rc = ntr_fail(err, NTR_E_INPUT, "%s lists no cell of the rate study%s%s", path,
                      spec->name[0] ? " variant " : "", spec->name);
    if (rc == 0)
        rc = alloc_seeds(d, err);
    const char *column = ntr_measure_names[ntr_theory_measure_of(d->spec->theory)];
    long cb = ntr_table_find(t, "budget.iterations");
    for (size_t i = 0; rc == 0 && i < rows; i++) {
        ntr_rate_point *p = point_of_label(d, ntr_table_str(t, i, cg));
        double r = ntr_table_num(t, i, cr);
        if (!p || !(r >= 0) || r >= (double)d->nseeds)
            continue; /* not a cell of this series */
        if (cb >= 0 && ntr_table_num(t, i, (size_t)cb) > 0)
            p->budget = (long)ntr_table_num(t, i, (size_t)cb);
        ntr_rate_seed *sd = &p->seed[(size_t)r];
        const char *hash;
        rc = ntr_summary_hash(t, i, &hash, err);
        if (rc != 0)
            break;
        snprintf(sd->hash, sizeof sd->hash, "%s", hash);
        rc = ntr_path(path, sizeof path, err, "%s/cells/%s/summary.json", result_dir, hash);
        if (rc == 0)
            rc = read_summary(path, sd, p, r == 0, err);
        if (rc == 0 && sd->present)
            rc = ntr_path(path, sizeof path, err, "%s/cells/%s/trajectory.csv", result_dir, hash);
        if (rc == 0 && sd->present)
            rc = read_trajectory(path, column, sd, err);
    }
    ntr_table_free(t);
    return rc;
}

void ntr_rate_data_free(ntr_rate_data *d)
{
    for (size_t i = 0; d->pt && i < d->npoints; i++) {
        for (size_t j = 0; d->pt[i].seed && j < d->nseeds; j++) {
            free(d->pt[i].seed[j].k);
            free(d->pt[i].seed[j].v);
        }
        free(d->pt[i].seed);
    }
    free(d->pt);
    d->pt = NULL;
    free(d->boot);
    d->boot = NULL;
}

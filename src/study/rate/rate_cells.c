/* rate_cells.c: reading a rate series' cells back into points (see
 * rate_data.h): summary.csv names the cells and their resolved settings,
 * each cell's summary.json gives its status, hitting iteration and
 * constants, its trajectory.csv the columns the series' kind needs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_emit.h"
#include "output/groups.h"
#include "output/cell_summary.h"
#include "output/files.h"
#include "output/paths.h"
#include "base/status.h"
#include "base/table.h"
#include "study/point_constants.h"
#include "study/rate/rate_data.h"

const char *const ntr_rate_check_names[] = {"theorem2", "momentum", "starconvex", NULL};

static int read_summary(const char *path, ntr_rate_seed *sd, double eps, ntr_error *err)
{
    ntr_cell_record rec;
    if (ntr_cell_summary_read(path, &rec, err) != 0)
        return -1;
    snprintf(sd->status, sizeof sd->status, "%s", rec.status);
    if (!rec.present) {
        sd->hit = NAN;
        return 0;
    }
    sd->present = 1;
    sd->iterations = rec.iterations;
    sd->hit = rec.ntargets > 0 && rec.hit_k[0] >= 0 ? (double)rec.hit_k[0] : NAN;
    ntr_study_vars_of(&rec.consts, rec.batch, &sd->vars);
    sd->vars.eps = eps;
    sd->have_vars = 1;
    return 0;
}

/* Copy column name of t into a new array (NAN where absent or empty). */
static int column(const ntr_table *t, const char *name, double **out, ntr_error *err)
{
    size_t n = ntr_table_rows(t);
    *out = malloc((n + 1) * sizeof **out);
    if (!*out)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    long c = ntr_table_find(t, name);
    for (size_t i = 0; i < n; i++)
        (*out)[i] = c >= 0 ? ntr_table_num(t, i, (size_t)c) : NAN;
    return 0;
}

static int read_trajectory(const char *path, ntr_rate_kind kind, const char *measure,
                           ntr_rate_seed *sd, ntr_error *err)
{
    if (!ntr_exists(path))
        return 0;
    ntr_table *t;
    if (ntr_table_read(path, &t, err) != 0)
        return -1;
    size_t ck;
    int rc = ntr_table_require(t, "k", &ck, err);
    if (rc == 0)
        rc = column(t, "k", &sd->k, err);
    if (rc == 0 && kind != NTR_RATE_KIND_BOUND)
        rc = column(t, measure, &sd->v, err);
    if (rc == 0 && kind == NTR_RATE_KIND_BOUND) {
        rc = column(t, "grad_dual", &sd->gd, err);
        if (rc == 0)
            rc = column(t, "min_grad_dual", &sd->mind, err);
        if (rc == 0)
            rc = column(t, "mom_err", &sd->mom, err);
        if (rc == 0)
            rc = column(t, "gap", &sd->gap, err);
    }
    if (rc == 0)
        sd->nrows = ntr_table_rows(t);
    ntr_table_free(t);
    return rc;
}

/* A setting of a row: summary.csv's column (resolved) when there is one,
 * else the folder's config.yaml (resolved base, with --set). */
static void setting_text(const ntr_table *t, size_t row, const ntr_node *config, const char *key,
                         char *buf, size_t size)
{
    long c = ntr_table_find(t, key);
    buf[0] = '\0';
    if (c >= 0) {
        snprintf(buf, size, "%s", ntr_table_str(t, row, (size_t)c));
        return;
    }
    const ntr_node *n = config ? ntr_node_path(config, key) : NULL;
    if (!n)
        return;
    if (n->kind == NTR_NODE_SCALAR) {
        snprintf(buf, size, "%s", n->text);
        return;
    }
    char *txt = ntr_yaml_flow_string(n);
    snprintf(buf, size, "%s", txt ? txt : "");
    free(txt);
}

static double setting_num(const ntr_table *t, size_t row, const ntr_node *config, const char *key)
{
    char buf[128], *end;
    setting_text(t, row, config, key, buf, sizeof buf);
    double v = strtod(buf, &end);
    return end == buf || *end ? NAN : v;
}

static void point_settings(ntr_rate_point *p, const ntr_rate_spec *s, const ntr_table *t,
                           size_t row, const ntr_node *config)
{
    char buf[128];
    p->eta = setting_num(t, row, config, "method.eta");
    p->eta_constant = !isnan(p->eta);
    p->alpha = setting_num(t, row, config, "method.alpha");
    p->weight_decay = setting_num(t, row, config, "method.weight_decay");
    setting_text(t, row, config, "method.name", p->method, sizeof p->method);
    setting_text(t, row, config, "method.norm", p->norm, sizeof p->norm);
    setting_text(t, row, config, "method.m0", p->m0, sizeof p->m0);
    setting_text(t, row, config, "method.scale", p->scale, sizeof p->scale);
    setting_text(t, row, config, "noise.type", p->noise, sizeof p->noise);
    setting_text(t, row, config, "method.lmo.solver", p->solver, sizeof p->solver);
    if (!p->solver[0]) { /* method.lmo may be an axis of its own (a map) */
        setting_text(t, row, config, "method.lmo", buf, sizeof buf);
        p->solver[0] = '\0';
        if (strstr(buf, "svd"))
            snprintf(p->solver, sizeof p->solver, "svd");
        else if (buf[0])
            snprintf(p->solver, sizeof p->solver, "other");
    }
    setting_text(t, row, config, "method.nesterov", buf, sizeof buf);
    p->nesterov = strcmp(buf, "true") == 0;
    setting_text(t, row, config, "method.extrapolation", buf, sizeof buf);
    p->extrapolation = strcmp(buf, "true") == 0;
    double every = setting_num(t, row, config, "log.measure_every");
    p->measure_every = every >= 1 && every < 1e15 ? (long)every : 1;
    double budget = setting_num(t, row, config, "budget.iterations");
    p->budget = budget >= 1 && budget < 9e18 ? (long)budget : 0;
    for (size_t a = 0; a < s->tune.naxes; a++)
        setting_text(t, row, config, s->tune.axis[a].key, p->tunev[a], sizeof p->tunev[a]);
}

/* 1 when label belongs to prefix: equal, or prefix followed by a space. */
static int has_prefix(const char *label, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(label, prefix, n) == 0 && (label[n] == '\0' || label[n] == ' ');
}

/* The point of label in d (appended when new; NULL when full). */
static ntr_rate_point *point_for(ntr_rate_data *d, const char *label, size_t cap)
{
    for (size_t i = 0; i < d->npoints; i++)
        if (strcmp(d->pt[i].label, label) == 0)
            return &d->pt[i];
    if (d->npoints >= cap)
        return NULL;
    ntr_rate_point *p = &d->pt[d->npoints++];
    snprintf(p->label, sizeof p->label, "%s", label);
    p->eps = NAN;
    return p;
}

/* Which eps (index) a row of this series belongs to; -1: not this series. */
static long row_eps(const ntr_rate_spec *s, const char *label)
{
    char prefix[160];
    if (s->kind == NTR_RATE_KIND_BOUND)
        return !s->name[0] || has_prefix(label, s->name) ? 0 : -1;
    for (size_t ie = 0; ie < s->neps; ie++) {
        ntr_rate_eps_label(s, ie, prefix, sizeof prefix);
        if (has_prefix(label, prefix))
            return (long)ie;
    }
    return -1;
}

/* One cell of a point: its label and replicate, the summary.csv row that
 * describes its (possibly shared) cell. */
typedef struct entry {
    const char *label;
    double replicate;
    size_t row;
} entry;

/* summary.csv's rows, then aliases.csv's (points that share an earlier
 * point's cell, so that every series finds all of its cells). */
static int entries_of(const char *result_dir, const ntr_table *t, size_t cg, size_t cr,
                      ntr_table **aliases, entry **out, size_t *n, ntr_error *err)
{
    char path[1200];
    size_t rows = ntr_table_rows(t), na = 0;
    *aliases = NULL;
    if (ntr_path(path, sizeof path, err, "%s/aliases.csv", result_dir) != 0)
        return -1;
    size_t ag = 0, ar = 0, ah = 0;
    if (ntr_exists(path)) {
        if (ntr_table_read(path, aliases, err) != 0 ||
            ntr_table_require(*aliases, "group", &ag, err) != 0 ||
            ntr_table_require(*aliases, "replicate", &ar, err) != 0 ||
            ntr_table_require(*aliases, "hash", &ah, err) != 0)
            return -1;
        na = ntr_table_rows(*aliases);
    }
    *out = calloc(rows + na + 1, sizeof **out);
    if (!*out)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    long ch = ntr_table_find(t, "hash");
    *n = 0;
    for (size_t i = 0; i < rows; i++)
        (*out)[(*n)++] = (entry){ntr_table_str(t, i, cg), ntr_table_num(t, i, cr), i};
    for (size_t i = 0; i < na && ch >= 0; i++) {
        const char *h = ntr_table_str(*aliases, i, ah);
        for (size_t j = 0; j < rows; j++)
            if (strcmp(ntr_table_str(t, j, (size_t)ch), h) == 0) {
                (*out)[(*n)++] = (entry){ntr_table_str(*aliases, i, ag),
                                         ntr_table_num(*aliases, i, ar), j};
                break;
            }
    }
    return 0;
}

/* Points in order: per eps (in the spec's order), labels first seen first. */
static int collect_points(ntr_rate_data *d, const ntr_table *t, const entry *en, size_t n,
                          const ntr_node *config, ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    d->pt = calloc(n + 1, sizeof *d->pt);
    if (!d->pt)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    size_t passes = s->kind == NTR_RATE_KIND_BOUND ? 1 : s->neps;
    for (size_t ie = 0; ie < passes; ie++) {
        d->per[ie].first = d->npoints;
        d->per[ie].eps = s->kind == NTR_RATE_KIND_BOUND ? NAN : s->eps[ie];
        for (size_t i = 0; i < n; i++) {
            if (row_eps(s, en[i].label) != (long)ie)
                continue;
            ntr_rate_point *p = point_for(d, en[i].label, n);
            p->ie = ie;
            p->eps = d->per[ie].eps;
            double r = en[i].replicate;
            if (r >= 0 && r < 1e6 && r + 1 > (double)d->nseeds)
                d->nseeds = (size_t)r + 1;
            if (r == 0 || !p->have_settings)
                point_settings(p, s, t, en[i].row, config);
            p->have_settings = 1;
        }
        d->per[ie].count = d->npoints - d->per[ie].first;
    }
    return 0;
}

int ntr_rate_data_read(const char *result_dir, const ntr_node *config, ntr_rate_spec *spec,
                       ntr_rate_data *d, ntr_error *err)
{
    memset(d, 0, sizeof *d);
    d->spec = spec;
    char path[1200];
    ntr_table *t = NULL, *al = NULL;
    entry *en = NULL;
    size_t n = 0;
    if (ntr_path(path, sizeof path, err, "%s/summary.csv", result_dir) != 0 ||
        ntr_table_read(path, &t, err) != 0)
        return -1;
    size_t cg = 0, cr = 0;
    int rc = ntr_table_require(t, "group", &cg, err);
    if (rc == 0)
        rc = ntr_table_require(t, "replicate", &cr, err);
    if (rc == 0)
        rc = entries_of(result_dir, t, cg, cr, &al, &en, &n, err);
    if (rc == 0)
        rc = collect_points(d, t, en, n, config, err);
    if (rc == 0 && d->npoints == 0)
        rc = ntr_fail(err, NTR_E_INPUT, "%s lists no cell of the rate study%s%s", path,
                      spec->name[0] ? " variant " : "", spec->name);
    for (size_t i = 0; rc == 0 && i < d->npoints; i++) {
        ntr_rate_point *p = &d->pt[i];
        p->seed = calloc(d->nseeds, sizeof *p->seed);
        if (!p->seed) {
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            break;
        }
        for (size_t j = 0; j < d->nseeds; j++) {
            p->seed[j].hit = NAN;
            snprintf(p->seed[j].status, sizeof p->seed[j].status, "pending");
        }
    }
    const char *measure = ntr_measure_names[ntr_theory_measure_of(spec->theory)];
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (row_eps(spec, en[i].label) < 0)
            continue;
        ntr_rate_point *p = point_for(d, en[i].label, d->npoints);
        double r = en[i].replicate;
        if (!p || !(r >= 0) || r >= (double)d->nseeds)
            continue;
        ntr_rate_seed *sd = &p->seed[(size_t)r];
        const char *hash;
        rc = ntr_summary_hash(t, en[i].row, &hash, err);
        if (rc != 0)
            break;
        snprintf(sd->hash, sizeof sd->hash, "%s", hash);
        rc = ntr_cell_path(path, sizeof path, err, result_dir, hash, NTR_SUMMARY_JSON);
        if (rc == 0)
            rc = read_summary(path, sd, p->eps, err);
        if (rc == 0 && sd->present)
            rc = ntr_cell_path(path, sizeof path, err, result_dir, hash, NTR_TRAJECTORY_CSV);
        if (rc == 0 && sd->present)
            rc = read_trajectory(path, spec->kind, measure, sd, err);
    }
    free(en);
    ntr_table_free(al);
    ntr_table_free(t);
    return rc;
}

void ntr_rate_data_free(ntr_rate_data *d)
{
    for (size_t i = 0; d->pt && i < d->npoints; i++) {
        ntr_rate_point *p = &d->pt[i];
        for (size_t j = 0; p->seed && j < d->nseeds; j++) {
            ntr_rate_seed *sd = &p->seed[j];
            free(sd->k), free(sd->v), free(sd->gd), free(sd->mind), free(sd->mom), free(sd->gap);
        }
        free(p->seed);
        for (int c = 0; c < NTR_RATE_NCHECKS; c++) {
            ntr_rate_bcheck *b = &p->chk[c];
            free(b->k), free(b->mean), free(b->lcb), free(b->bound), free(b->ratio);
            free(b->violated);
        }
    }
    free(d->pt);
    d->pt = NULL;
    d->npoints = 0;
    free(d->boot);
    d->boot = NULL;
}

/* extrap_read.c: reading an extrapolation study's result folder (see
 * extrap_data.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_load.h"
#include "output/groups.h"
#include "output/files.h"
#include "study/extrap/extrap_data.h"
#include "output/paths.h"
#include "output/cell_summary.h"
#include "study/point_constants.h"

size_t ntr_ex_mom_index(const ntr_ex_data *d, size_t dose, size_t i, size_t j)
{
    const ntr_ex_spec *s = &d->spec;
    return (dose * s->neta + i) * s->nalpha + j;
}

size_t ntr_ex_hover_index(const ntr_ex_data *d, size_t dose, size_t i)
{
    const ntr_ex_spec *s = &d->spec;
    return s->ndoses * s->neta * s->nalpha + dose * s->neps + i;
}

/* What a group label stands for. */
typedef struct slot {
    char label[512];
    size_t dose, i, j, role;
    int momentum;
} slot;

typedef struct reader {
    ntr_ex_data *d;
    const char *dir;
    slot *slots;
    size_t nslots;
    ntr_table *summary;
    ntr_node *config;
    /* per (a)/(b) point and role: sum of the seeds' window mean squares */
    double *msq_sum;
    size_t *msq_n;
} reader;

static const slot *slot_of(const reader *rd, const char *label)
{
    for (size_t i = 0; i < rd->nslots; i++)
        if (strcmp(rd->slots[i].label, label) == 0)
            return &rd->slots[i];
    return NULL;
}

static int make_slots(reader *rd, ntr_error *err)
{
    const ntr_ex_spec *s = &rd->d->spec;
    size_t nr = rd->d->nroles;
    size_t per_dose = (s->neta * s->nalpha + s->neps) * nr;
    size_t nslots = s->ndoses * per_dose;
    rd->slots = calloc(nslots ? nslots : 1, sizeof *rd->slots);
    if (!rd->slots)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t d = 0; d < s->ndoses; d++) {
        const char *dose = rd->d->dose[d].label;
        for (size_t i = 0; i < s->neta; i++)
            for (size_t j = 0; j < s->nalpha; j++)
                for (size_t r = 0; r < nr; r++) {
                    slot *sl = &rd->slots[rd->nslots++];
                    *sl = (slot){.dose = d, .i = i, .j = j, .role = r, .momentum = 1};
                    ntr_ex_momentum_label(dose, s->eta[i], s->alpha[j], ntr_ex_role_name(s, r),
                                          sl->label, sizeof sl->label);
                }
        for (size_t i = 0; i < s->neps; i++)
            for (size_t r = 0; r < nr; r++) {
                slot *sl = &rd->slots[rd->nslots++];
                *sl = (slot){.dose = d, .i = i, .role = r};
                ntr_ex_crossover_label(s, dose, i, ntr_ex_role_name(s, r), sl->label,
                                       sizeof sl->label);
            }
    }
    return 0;
}

/* A setting of the cell in summary row `row`: its column, else config.yaml. */
static const char *value_of(const reader *rd, size_t row, const char *key)
{
    long c = ntr_table_find(rd->summary, key);
    if (c >= 0)
        return ntr_table_str(rd->summary, row, (size_t)c);
    const ntr_node *n = ntr_node_path(rd->config, key);
    return n && n->kind == NTR_NODE_SCALAR ? n->text : NULL;
}

static double number_of(const reader *rd, size_t row, const char *key)
{
    const char *v = value_of(rd, row, key);
    char *end;
    double x = v ? strtod(v, &end) : NAN;
    return v && end != v && !*end ? x : NAN;
}

/* Mean square of mom_err over the rows with k >= k0; NAN without rows. */
static int window_msq(const char *path, double k0, double *msq, ntr_error *err)
{
    ntr_table *t;
    *msq = NAN;
    if (ntr_table_read(path, &t, err) != 0)
        return -1;
    size_t ck, cm;
    int rc = ntr_table_require(t, "k", &ck, err);
    if (rc == 0)
        rc = ntr_table_require(t, "mom_err", &cm, err);
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; rc == 0 && i < ntr_table_rows(t); i++) {
        double k = ntr_table_num(t, i, ck), e = ntr_table_num(t, i, cm);
        if (k >= k0 && isfinite(e)) {
            sum += e * e;
            n++;
        }
    }
    if (n > 0)
        *msq = sum / (double)n;
    ntr_table_free(t);
    return rc;
}

static void read_constants(reader *rd, ntr_ex_dose *dz, const ntr_cell_record *rec, size_t row)
{
    ntr_theory_vars v;
    ntr_study_vars_of(&rec->consts, rec->batch, &v);
    dz->L = v.L;
    dz->L2 = v.L2;
    dz->rho = v.rho;
    dz->sigma = v.sigma;
    dz->ratio = dz->L * dz->L / dz->L2;
    const char *norm = value_of(rd, row, "method.norm");
    snprintf(dz->norm, sizeof dz->norm, "%s", norm ? norm : "?");
    dz->have = 1;
}

/* One cell: summary row `row` (for its settings), replicate rep, folder hash. */
static int read_cell(reader *rd, const slot *sl, size_t row, size_t rep, const char *hash,
                     ntr_error *err)
{
    ntr_ex_data *d = rd->d;
    ntr_ex_dose *dz = &d->dose[sl->dose];
    char path[1200];
    if (ntr_cell_path(path, sizeof path, err, rd->dir, hash, NTR_SUMMARY_JSON) != 0)
        return -1;
    double eta = number_of(rd, row, "method.eta"), alpha = number_of(rd, row, "method.alpha");
    size_t pt = sl->momentum ? ntr_ex_mom_index(d, sl->dose, sl->i, sl->j)
                             : ntr_ex_hover_index(d, sl->dose, sl->i);
    if (sl->role == NTR_EX_OFF || isnan(d->mom[pt].eta)) {
        d->mom[pt].eta = eta;
        d->mom[pt].alpha = alpha;
    }
    if (!sl->momentum && (sl->role == NTR_EX_OFF || isnan(dz->eta[sl->i]))) {
        dz->eta[sl->i] = eta;
        dz->alpha[sl->i] = alpha;
        dz->K[sl->i] = number_of(rd, row, "budget.iterations");
    }
    d->cells++;
    ntr_cell_record rec;
    if (ntr_cell_summary_read(path, &rec, err) != 0)
        return -1;
    if (!rec.present) {
        d->pending++;
        return 0;
    }
    int diverged = rec.known && rec.code == NTR_STATUS_DIVERGED;
    d->diverged += diverged;
    if (!dz->have)
        read_constants(rd, dz, &rec, row);
    if (!sl->momentum && !dz->have_vars) {
        ntr_study_vars_of(&rec.consts, rec.batch, &dz->vars);
        dz->have_vars = 1;
    }
    if (!sl->momentum) {
        double avg = rec.avg_grad_dual;
        dz->avg[sl->role][sl->i * d->nseeds + rep] = diverged || isnan(avg) ? INFINITY : avg;
    }
    double msq = NAN;
    int rc = ntr_cell_path(path, sizeof path, err, rd->dir, hash, NTR_TRAJECTORY_CSV);
    if (rc == 0 && !diverged && alpha > 0)
        rc = window_msq(path, ceil(d->spec.warmup / alpha), &msq, err);
    if (rc == 0 && !isnan(msq)) {
        rd->msq_sum[pt * d->nroles + sl->role] += msq;
        rd->msq_n[pt * d->nroles + sl->role]++;
    }
    return rc;
}

/* Every (group, replicate, hash) of a table with those columns; rows of
 * aliases.csv take their settings from the summary row of their hash. */
static int scan(reader *rd, const ntr_table *t, int aliases, int count_only, ntr_error *err)
{
    size_t cg, cr, ch;
    if (ntr_table_require(t, "group", &cg, err) != 0 ||
        ntr_table_require(t, "replicate", &cr, err) != 0 ||
        ntr_table_require(t, "hash", &ch, err) != 0)
        return -1;
    for (size_t i = 0; i < ntr_table_rows(t); i++) {
        const slot *sl = slot_of(rd, ntr_table_str(t, i, cg));
        double rep = ntr_table_num(t, i, cr);
        if (!sl || !(rep >= 0) || rep >= 1e6)
            continue;
        if (count_only) {
            if ((size_t)rep + 1 > rd->d->nseeds)
                rd->d->nseeds = (size_t)rep + 1;
            continue;
        }
        const char *hash;
        if (ntr_summary_hash(t, i, &hash, err) != 0)
            return -1;
        size_t row = i;
        if (aliases) {
            long sh = ntr_table_find(rd->summary, "hash");
            size_t n = ntr_table_rows(rd->summary);
            for (row = 0; sh >= 0 && row < n; row++)
                if (!strcmp(ntr_table_str(rd->summary, row, (size_t)sh), hash))
                    break;
            if (sh < 0 || row == n)
                continue; /* an alias of a cell summary.csv does not list */
        }
        if ((size_t)rep < rd->d->nseeds && read_cell(rd, sl, row, (size_t)rep, hash, err) != 0)
            return -1;
    }
    return 0;
}

static int alloc_arrays(reader *rd, ntr_error *err)
{
    ntr_ex_data *d = rd->d;
    const ntr_ex_spec *s = &d->spec;
    d->nmom = s->ndoses * (s->neta * s->nalpha + s->neps);
    d->mom = calloc(d->nmom, sizeof *d->mom);
    rd->msq_sum = calloc(d->nmom * d->nroles, sizeof *rd->msq_sum);
    rd->msq_n = calloc(d->nmom * d->nroles, sizeof *rd->msq_n);
    if (!d->mom || !rd->msq_sum || !rd->msq_n)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < d->nmom; i++)
        d->mom[i].eta = d->mom[i].alpha = NAN;
    for (size_t z = 0; z < s->ndoses; z++) {
        ntr_ex_dose *dz = &d->dose[z];
        for (size_t r = 0; r < d->nroles; r++) {
            dz->avg[r] = malloc(s->neps * d->nseeds * sizeof *dz->avg[r]);
            if (!dz->avg[r])
                return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            for (size_t i = 0; i < s->neps * d->nseeds; i++)
                dz->avg[r][i] = NAN;
        }
        for (size_t i = 0; i < s->neps; i++)
            dz->eta[i] = dz->alpha[i] = dz->K[i] = dz->eps[i] = NAN;
        dz->L = dz->L2 = dz->sigma = dz->rho = dz->ratio = dz->scale = NAN;
    }
    return 0;
}

/* The analysis inputs of every point from what was read. */
static int finish(reader *rd, ntr_error *err)
{
    ntr_ex_data *d = rd->d;
    const ntr_ex_spec *s = &d->spec;
    for (size_t z = 0; z < s->ndoses; z++) {
        ntr_ex_dose *dz = &d->dose[z];
        if (dz->have_vars && ntr_ex_eps_scale(s, &dz->vars, &dz->scale, err) != 0)
            return -1;
        for (size_t i = 0; i < s->neps; i++)
            dz->eps[i] = s->eps[i] * dz->scale; /* NAN while no crossover cell ran */
        dz->curve.neps = s->neps;
        dz->curve.nseeds = d->nseeds;
        dz->curve.eps = dz->eps;
        for (size_t r = 0; r < d->nroles; r++)
            dz->curve.avg[r] = dz->avg[r];
    }
    for (size_t i = 0; i < d->nmom; i++) {
        ntr_ex_mom *m = &d->mom[i];
        size_t z = i < s->ndoses * s->neta * s->nalpha
                       ? i / (s->neta * s->nalpha)
                       : (i - s->ndoses * s->neta * s->nalpha) / s->neps;
        const ntr_ex_dose *dz = &d->dose[z];
        m->dose = z;
        m->travel = i < s->ndoses * s->neta * s->nalpha;
        m->L = dz->L;
        m->L2 = dz->L2;
        m->floor = dz->rho == 1.0 || !strcmp(dz->norm, "euclidean")
                       ? ntr_ex_floor(dz->sigma, m->alpha)
                       : dz->rho * ntr_ex_floor(dz->sigma, m->alpha);
        m->floor_exact = !strcmp(dz->norm, "euclidean");
        for (size_t r = 0; r < NTR_EX_MAX_ROLES; r++) {
            size_t n = r < d->nroles ? rd->msq_n[i * d->nroles + r] : 0;
            m->err[r] = n ? sqrt(rd->msq_sum[i * d->nroles + r] / (double)n) : NAN;
        }
    }
    return 0;
}

int ntr_ex_data_read(const char *result_dir, const ntr_node *study, ntr_ex_data *d,
                     ntr_error *err)
{
    memset(d, 0, sizeof *d);
    reader rd = {.d = d, .dir = result_dir};
    char path[1200];
    ntr_table *aliases = NULL;
    int rc = ntr_ex_spec_read(study, &d->spec, err);
    d->nroles = ntr_ex_nroles(&d->spec);
    for (size_t z = 0; rc == 0 && z < d->spec.ndoses; z++)
        ntr_ex_dose_label(&d->spec, z, d->dose[z].label, sizeof d->dose[z].label);
    if (rc == 0)
        rc = make_slots(&rd, err);
    if (rc == 0)
        rc = ntr_path(path, sizeof path, err, "%s/summary.csv", result_dir);
    if (rc == 0)
        rc = ntr_table_read(path, &rd.summary, err);
    if (rc == 0)
        rc = ntr_path(path, sizeof path, err, "%s/config.yaml", result_dir);
    if (rc == 0)
        rc = ntr_yaml_load_file(path, "config.yaml", &rd.config, err);
    if (rc == 0)
        rc = ntr_path(path, sizeof path, err, "%s/aliases.csv", result_dir);
    if (rc == 0 && ntr_exists(path))
        rc = ntr_table_read(path, &aliases, err);
    if (rc == 0)
        rc = scan(&rd, rd.summary, 0, 1, err);
    if (rc == 0 && aliases)
        rc = scan(&rd, aliases, 1, 1, err);
    if (rc == 0 && d->nseeds == 0)
        rc = ntr_fail(err, NTR_E_INPUT, "%s/summary.csv lists no cell of the extrapolation "
                                        "study",
                      result_dir);
    if (rc == 0)
        rc = alloc_arrays(&rd, err);
    if (rc == 0)
        rc = scan(&rd, rd.summary, 0, 0, err);
    if (rc == 0 && aliases)
        rc = scan(&rd, aliases, 1, 0, err);
    if (rc == 0)
        rc = finish(&rd, err);
    ntr_table_free(aliases);
    ntr_table_free(rd.summary);
    ntr_node_free(rd.config);
    free(rd.slots);
    free(rd.msq_sum);
    free(rd.msq_n);
    return rc;
}

void ntr_ex_data_free(ntr_ex_data *d)
{
    for (size_t z = 0; z < NTR_EX_MAX_DOSES; z++)
        for (size_t r = 0; r < NTR_EX_MAX_ROLES; r++) {
            free(d->dose[z].avg[r]);
            d->dose[z].avg[r] = NULL;
        }
    free(d->mom);
    d->mom = NULL;
}

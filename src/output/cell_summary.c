/* cell_summary.c: writing and reading a cell's summary.json with jansson
 * (see cell_summary.h).  Non-finite numbers are written as null. */
#include "output/cell_summary.h"

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "output/files.h"

static json_t *real(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* The recorded constants, in summary.json's order ("L_generic_bound"
 * follows "L"); d, m, n (and batch) are theory rules' variables. */
static const struct {
    const char *key;
    size_t offset;
} const_fields[] = {
    {"L", offsetof(ntr_constants, L)},         {"L2", offsetof(ntr_constants, L2)},
    {"rho", offsetof(ntr_constants, rho)},     {"D", offsetof(ntr_constants, D)},
    {"Delta0", offsetof(ntr_constants, Delta0)}, {"f_star", offsetof(ntr_constants, f_star)},
    {"f0", offsetof(ntr_constants, f0)},       {"sigma", offsetof(ntr_constants, sigma)},
    {"d", offsetof(ntr_constants, d)},         {"m", offsetof(ntr_constants, m)},
    {"n", offsetof(ntr_constants, n)},
};
#define NCONST (sizeof const_fields / sizeof const_fields[0])

static double *const_field(ntr_constants *k, size_t i)
{
    return (double *)(void *)((char *)k + const_fields[i].offset);
}

static double const_value(const ntr_constants *k, size_t i)
{
    return *(const double *)(const void *)((const char *)k + const_fields[i].offset);
}

int ntr_cell_summary_write(const char *path, const ntr_cell *c, const ntr_run_result *res,
                           ntr_error *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "hash", json_string(c->hash));
    json_object_set_new(o, "index", json_integer((json_int_t)c->index));
    json_object_set_new(o, "group", json_string(c->group));
    json_object_set_new(o, "replicate", json_integer(c->replicate));
    json_object_set_new(o, "run_seed", json_integer((json_int_t)c->run_seed));
    json_object_set_new(o, "init_seed", json_integer((json_int_t)c->init_seed));
    if (c->lineage[0])
        json_object_set_new(o, "lineage", json_string(c->lineage));
    json_object_set_new(o, "status", json_string(ntr_status_names[res->status]));
    if (res->reason[0])
        json_object_set_new(o, "reason", json_string(res->reason));
    json_object_set_new(o, "iterations", json_integer(res->iterations));
    json_object_set_new(o, "sfo", json_integer(res->sfo));
    json_t *fin = json_object();
    json_object_set_new(fin, "f", real(res->f));
    json_object_set_new(fin, "gap", real(res->gap));
    json_object_set_new(fin, "grad_dual", real(res->grad_dual));
    json_object_set_new(fin, "grad_l2", real(res->grad_l2));
    json_object_set_new(fin, "min_grad_dual", real(res->min_grad_dual));
    json_object_set_new(fin, "avg_grad_dual", real(res->avg_grad_dual));
    json_object_set_new(fin, "x_norm", real(res->x_norm));
    json_object_set_new(fin, "x_fro", real(res->x_fro));
    json_object_set_new(fin, "mom_err", real(res->mom_err));
    json_object_set_new(o, "final", fin);
    json_t *hits = json_array();
    for (int i = 0; i < c->s.ntargets; i++) {
        json_t *h = json_object();
        json_object_set_new(h, "target", json_real(c->s.targets[i]));
        json_object_set_new(h, "k", res->hit_k[i] >= 0 ? json_integer(res->hit_k[i]) : json_null());
        json_object_set_new(h, "sfo",
                            res->hit_sfo[i] >= 0 ? json_integer(res->hit_sfo[i]) : json_null());
        json_array_append_new(hits, h);
    }
    json_object_set_new(o, "targets", hits);
    const ntr_constants *k = &res->consts;
    json_t *cs = json_object();
    for (size_t i = 0; i < NCONST; i++) {
        json_object_set_new(cs, const_fields[i].key, real(const_value(k, i)));
        if (i == 0)
            json_object_set_new(cs, "L_generic_bound", json_boolean(k->L_generic));
    }
    json_object_set_new(cs, "batch", json_integer(c->s.batch));
    json_object_set_new(o, "constants", cs);
    if (!isnan(c->study_x))
        json_object_set_new(o, "study_x", json_real(c->study_x));
    json_t *t = json_object();
    json_object_set_new(t, "wall_s", json_real(res->wall_s));
    json_object_set_new(o, "timing", t);
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (!text)
        return ntr_fail(err, NTR_E_INTERNAL, "cannot encode summary.json");
    size_t len = strlen(text);
    text[len] = '\0';
    char *withnl = realloc(text, len + 2);
    if (!withnl) {
        free(text);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    withnl[len] = '\n';
    withnl[len + 1] = '\0';
    int rc = ntr_write_atomic(path, withnl, len + 1, err);
    free(withnl);
    return rc;
}

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

int ntr_cell_summary_read(const char *path, ntr_cell_record *rec, ntr_error *err)
{
    memset(rec, 0, sizeof *rec);
    rec->f = rec->gap = rec->grad_dual = rec->grad_l2 = rec->min_grad_dual = rec->avg_grad_dual =
        rec->wall_s = rec->x_norm = rec->x_fro = rec->mom_err = NAN;
    rec->consts.c = rec->batch = NAN;
    for (size_t i = 0; i < NCONST; i++)
        *const_field(&rec->consts, i) = NAN;
    if (!ntr_exists(path)) {
        strcpy(rec->status, "pending");
        rec->known = 1;
        rec->code = NTR_STATUS_PENDING;
        return 0;
    }
    json_error_t jerr;
    json_t *o = json_load_file(path, 0, &jerr);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return ntr_fail(err, NTR_E_IO, "%s: unreadable summary (%s)", path, jerr.text);
    }
    rec->present = 1;
    const char *st = json_string_value(json_object_get(o, "status"));
    const char *lin = json_string_value(json_object_get(o, "lineage"));
    snprintf(rec->lineage, sizeof rec->lineage, "%s", lin && strlen(lin) == 16 ? lin : "");
    rec->known = ntr_status_parse(st, &rec->code) == 0;
    snprintf(rec->status, sizeof rec->status, "%s",
             rec->known ? ntr_status_names[rec->code] : st ? st : "unknown");
    rec->iterations = (long)num(o, "iterations");
    rec->sfo = (long)num(o, "sfo");
    json_t *fin = json_object_get(o, "final");
    rec->f = num(fin, "f");
    rec->gap = num(fin, "gap");
    rec->grad_dual = num(fin, "grad_dual");
    rec->grad_l2 = num(fin, "grad_l2");
    rec->min_grad_dual = num(fin, "min_grad_dual");
    rec->avg_grad_dual = num(fin, "avg_grad_dual");
    rec->x_norm = num(fin, "x_norm");
    rec->x_fro = num(fin, "x_fro");
    rec->mom_err = num(fin, "mom_err");
    rec->wall_s = num(json_object_get(o, "timing"), "wall_s");
    json_t *cs = json_object_get(o, "constants");
    for (size_t i = 0; i < NCONST; i++)
        *const_field(&rec->consts, i) = num(cs, const_fields[i].key);
    rec->consts.L_generic = json_is_true(json_object_get(cs, "L_generic_bound"));
    rec->batch = num(cs, "batch");
    json_t *hits = json_object_get(o, "targets");
    for (size_t i = 0; i < json_array_size(hits) && i < NTR_MAX_TARGETS; i++) {
        json_t *h = json_array_get(hits, i);
        rec->target[i] = num(h, "target");
        double k = num(h, "k"), s = num(h, "sfo");
        rec->hit_k[i] = isnan(k) ? -1 : (long)k;
        rec->hit_sfo[i] = isnan(s) ? -1 : (long)s;
        rec->ntargets++;
    }
    json_decref(o);
    return 0;
}

/* tuned_write.c: a tuned study's files: tuned.csv (one row per group: its
 * best point, tuned score and bracket status), tuned_points.csv (every
 * tuning point of every group: its values, score and how many seeds reached
 * a finite value) and tuned.json (the analyses: their lines, per-x values
 * and intervals, trends; the claim line), which the report and figures are
 * drawn from. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/csv_field.h"
#include "output/files.h"
#include "study/tuned/tuned_analyse.h"

static void real(FILE *f, double v)
{
    if (isnan(v))
        fputc(',', f);
    else if (isinf(v))
        fputs(v > 0 ? ",inf" : ",-inf", f);
    else
        fprintf(f, ",%.17g", v);
}

static json_t *jreal(double v)
{
    if (isnan(v))
        return json_null();
    if (isinf(v))
        return json_string(v > 0 ? "inf" : "-inf");
    return json_real(v);
}

static json_t *jarray(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, jreal(v[i]));
    return a;
}

static int groups_csv(const char *dir, const ntr_tuned_data *d, ntr_error *err)
{
    char path[1200], label[300];
    ntr_tmpfile t;
    if (ntr_path(path, sizeof path, err, "%s/tuned.csv", dir) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    fputs("group,best,score,bracketed,plateau,complete,points,why\n", t.fp);
    for (size_t i = 0; i < d->ngroups; i++) {
        const ntr_tuned_group *g = &d->g[i];
        ntr_tune_label(&g->grid, g->choice.best, label, sizeof label);
        ntr_csv_field(t.fp, g->label);
        fputc(',', t.fp);
        ntr_csv_field(t.fp, g->choice.found ? label : "");
        real(t.fp, g->choice.found ? g->choice.score : NAN);
        fprintf(t.fp, ",%d,%d,%d,%zu,", g->choice.bracketed, g->choice.plateau, g->choice.complete,
                g->npoints);
        ntr_csv_field(t.fp, g->choice.why);
        fputc('\n', t.fp);
    }
    if (ntr_tmpfile_commit(&t, err) != 0)
        return -1;
    if (ntr_path(path, sizeof path, err, "%s/tuned_points.csv", dir) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    fputs("group,point", t.fp);
    for (size_t a = 0; a < d->nkeys; a++)
        fprintf(t.fp, ",%s", d->keys[a]);
    fputs(",score,finite,seeds\n", t.fp);
    double w[NTR_TREND_MAX_SEEDS];
    size_t coord[NTR_TUNE_MAX_KEYS];
    for (size_t i = 0; i < d->ngroups; i++) {
        const ntr_tuned_group *g = &d->g[i];
        for (size_t p = 0; p < g->npoints; p++) {
            ntr_tune_label(&g->grid, p, label, sizeof label);
            ntr_tune_coords(&g->grid, p, coord);
            ntr_csv_field(t.fp, g->label);
            fputc(',', t.fp);
            ntr_csv_field(t.fp, label);
            for (size_t a = 0; a < d->nkeys; a++) {
                fputc(',', t.fp);
                ntr_csv_field(t.fp, g->grid.axis[a].text[coord[a]]);
            }
            size_t fin = 0;
            for (size_t r = 0; r < d->nreps; r++) {
                w[r] = g->v[p * d->nreps + r];
                fin += isfinite(w[r]);
            }
            real(t.fp, ntr_tune_score(w, d->nreps));
            fprintf(t.fp, ",%zu,%zu\n", fin, d->nreps);
        }
    }
    return ntr_tmpfile_commit(&t, err);
}

static json_t *analysis_json(const ntr_tuned_data *d, const ntr_tuned_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(ntr_tuned_kind_names[r->an->kind]));
    json_object_set_new(o, "label", json_string(r->an->label));
    json_object_set_new(o, "x_key", json_string(r->an->x));
    json_object_set_new(o, "holds", json_boolean(r->holds));
    json_object_set_new(o, "tuned", json_boolean(r->tuned));
    json_object_set_new(o, "line", json_string(r->line));
    if (r->an->kind != NTR_TUNED_PROFILE) {
        json_object_set_new(o, "x", jarray(r->x, r->n));
        json_object_set_new(o, "score_a", jarray(r->sa, r->n));
        json_object_set_new(o, "score_b", jarray(r->sb, r->n));
        json_object_set_new(o, "ratio", jarray(r->r, r->n));
        json_object_set_new(o, "ratio_lo", jarray(r->r_lo, r->n));
        json_object_set_new(o, "ratio_hi", jarray(r->r_hi, r->n));
        json_t *ga = json_array(), *gb = json_array();
        for (size_t i = 0; i < r->n; i++) {
            json_array_append_new(ga, json_string(d->g[r->ga[i]].label));
            json_array_append_new(gb, json_string(d->g[r->gb[i]].label));
        }
        json_object_set_new(o, "groups_a", ga);
        json_object_set_new(o, "groups_b", gb);
    }
    if (r->an->kind == NTR_TUNED_CROSSOVER) {
        json_object_set_new(o, "crossover", jreal(r->xstar));
        json_object_set_new(o, "crossover_lo", jreal(r->xstar_lo));
        json_object_set_new(o, "crossover_hi", jreal(r->xstar_hi));
    }
    json_t *tr = json_array();
    for (size_t i = 0; i < r->ntrends; i++) {
        const ntr_trend *t = &r->trend[i];
        json_t *x = json_object();
        if (r->an->kind == NTR_TUNED_PROFILE) {
            json_object_set_new(x, "group", json_string(d->g[r->tgroup[i]].label));
            json_object_set_new(x, "x", jarray(r->tx[i], t->npoints));
        }
        json_object_set_new(x, "stat", jarray(t->stat, t->npoints));
        json_object_set_new(x, "slope", jreal(t->slope));
        json_object_set_new(x, "ci_lo", jreal(t->ci_lo));
        json_object_set_new(x, "ci_hi", jreal(t->ci_hi));
        json_object_set_new(x, "direction", json_string(ntr_trend_direction_names[t->direction]));
        json_array_append_new(tr, x);
    }
    json_object_set_new(o, "trends", tr);
    return o;
}

int ntr_tuned_write(const char *dir, const ntr_tuned_data *d, const ntr_tuned_result *res,
                    const char *claim, ntr_error *err)
{
    if (groups_csv(dir, d, err) != 0)
        return -1;
    json_t *o = json_object(), *an = json_array();
    json_object_set_new(o, "score", json_string(d->spec.score == NTR_TUNED_FINAL ? "final" : "hit"));
    if (d->spec.score == NTR_TUNED_FINAL) {
        json_object_set_new(o, "column", json_string(d->spec.column));
        json_object_set_new(o, "window", json_real(d->spec.window));
    } else {
        json_object_set_new(o, "target", json_real(d->spec.target));
    }
    json_object_set_new(o, "seeds", json_integer((json_int_t)d->nreps));
    json_object_set_new(o, "bootstrap", json_integer((json_int_t)d->spec.nboot));
    json_t *keys = json_array();
    for (size_t a = 0; a < d->nkeys; a++)
        json_array_append_new(keys, json_string(d->keys[a]));
    json_object_set_new(o, "tuning_keys", keys);
    size_t nt = 0;
    for (size_t i = 0; i < d->ngroups; i++)
        nt += !d->g[i].choice.bracketed;
    json_object_set_new(o, "groups", json_integer((json_int_t)d->ngroups));
    json_object_set_new(o, "groups_not_tuned", json_integer((json_int_t)nt));
    for (size_t i = 0; i < d->spec.nanalyses; i++)
        json_array_append_new(an, analysis_json(d, &res[i]));
    json_object_set_new(o, "analyses", an);
    json_object_set_new(o, "claim_line", json_string(claim));
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (!text)
        return ntr_fail(err, NTR_E_INTERNAL, "cannot encode tuned.json");
    char path[1200];
    int rc = ntr_path(path, sizeof path, err, "%s/tuned.json", dir);
    if (rc == 0)
        rc = ntr_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

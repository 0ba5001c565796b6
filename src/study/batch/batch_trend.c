/* batch_trend.c: reading batch.csv back and how b* moves with each setting
 * key, set against the paper's claim (see batch.h).
 *
 * THEORY.md section 2: b* = 2Y/eps' (or 9Y^2/(4 eps'^2)) with
 * Y = [(2 beta + 1)(1 - beta) + lambda] sigma^2 / 2, so the paper's b*
 * moves like Y: it falls as beta grows (for beta > 1/4) and rises with
 * lambda.  Only these trends are claimed, so the comparison is one of
 * directions, pair by pair: two settings that differ in one key only,
 * neighbours in that key's numeric order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/batch/batch.h"

/* A move of b* by less than this factor counts as flat. */
#define FLAT_RATIO 1.15

double ntr_batch_paper_Y(double alpha, double lambda)
{
    double beta = 1 - alpha;
    return (2 * beta + 1) * (1 - beta) + lambda;
}

void ntr_batch_summary_free(ntr_batch_summary *s)
{
    for (size_t i = 0; i < s->nkeys; i++)
        free(s->keys[i]);
    free(s->settings);
    ntr_table_free(s->table);
    memset(s, 0, sizeof *s);
}

static int num_or_empty(const ntr_table *t, size_t row, const char *name, double *v,
                        ntr_error *err)
{
    size_t col;
    if (ntr_table_require(t, name, &col, err) != 0)
        return -1;
    return ntr_table_get_num(t, row, col, 1, v, err);
}

int ntr_batch_summary_read(const char *result_dir, ntr_batch_summary *s, int *found,
                           ntr_error *err)
{
    memset(s, 0, sizeof *s);
    *found = 0;
    char path[1100];
    if (snprintf(path, sizeof path, "%s/batch.csv", result_dir) >= (int)sizeof path)
        return ntr_fail(err, NTR_E_IO, "path too long: %s", result_dir);
    FILE *probe = fopen(path, "r");
    if (!probe)
        return 0;
    fclose(probe);
    *found = 1;
    if (ntr_table_read(path, &s->table, err) != 0)
        return -1;
    ntr_table *t = s->table;
    size_t scol, acol;
    if (ntr_table_require(t, "setting", &scol, err) != 0 ||
        ntr_table_require(t, "alpha", &acol, err) != 0)
        goto fail;
    if (acol < scol || acol - scol - 1 > NTR_BATCH_MAX_OVER) {
        ntr_fail(err, NTR_E_INPUT, "%s: the setting keys lie between 'setting' and 'alpha'",
                 path);
        goto fail;
    }
    for (size_t c = scol + 1; c < acol; c++) {
        s->keys[s->nkeys] = strdup(ntr_table_name(t, c));
        if (!s->keys[s->nkeys++]) {
            ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            goto fail;
        }
    }
    size_t rows = ntr_table_rows(t);
    s->settings = calloc(rows ? rows : 1, sizeof *s->settings);
    if (!s->settings) {
        ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        goto fail;
    }
    for (size_t r = 0; r < rows; r++) {
        const char *label = ntr_table_str(t, r, scol);
        ntr_batch_setting *st = s->nsettings ? &s->settings[s->nsettings - 1] : NULL;
        if (st && st->label && strcmp(st->label, label) == 0) {
            st->nrows++;
            continue;
        }
        st = &s->settings[s->nsettings++];
        st->label = label;
        st->row0 = r;
        st->nrows = 1;
        for (size_t k = 0; k < s->nkeys; k++)
            st->val[k] = ntr_table_str(t, r, scol + 1 + k);
        double b, edge, sfo;
        if (ntr_table_get_num(t, r, acol, 0, &st->alpha, err) != 0 ||
            num_or_empty(t, r, "lambda", &st->lambda, err) != 0 ||
            num_or_empty(t, r, "b_star", &b, err) != 0 ||
            num_or_empty(t, r, "b_star_edge", &edge, err) != 0 ||
            num_or_empty(t, r, "SFO_star", &sfo, err) != 0)
            goto fail;
        st->bstar.found = !isnan(b);
        st->bstar.b = b;
        st->bstar.sfo = sfo;
        st->bstar.edge = isnan(edge) ? 0 : (int)edge;
    }
    return 0;
fail:
    ntr_batch_summary_free(s);
    return -1;
}

/* A key value's place in its order: a number, or false/true as 0/1. */
static int rank_of(const char *v, double *out)
{
    if (strcmp(v, "false") == 0 || strcmp(v, "true") == 0) {
        *out = v[0] == 't';
        return 0;
    }
    char *end;
    *out = strtod(v, &end);
    return end != v && *end == '\0' && isfinite(*out) ? 0 : -1;
}

/* Settings i and j differ in key k only. */
static int differ_in_only(const ntr_batch_setting *a, const ntr_batch_setting *b, size_t nkeys,
                          size_t k)
{
    for (size_t i = 0; i < nkeys; i++)
        if (i != k && strcmp(a->val[i], b->val[i]) != 0)
            return 0;
    return strcmp(a->val[k], b->val[k]) != 0;
}

static int sign_of(double d, double scale)
{
    return d > 1e-12 * scale ? 1 : d < -1e-12 * scale ? -1 : 0;
}

void ntr_batch_trends(const ntr_batch_setting *s, size_t ns, size_t nkeys, ntr_batch_trend *out)
{
    for (size_t k = 0; k < nkeys; k++) {
        ntr_batch_trend *t = &out[k];
        memset(t, 0, sizeof *t);
        t->key = k;
        int pred_seen = 0, pred = 0;
        for (size_t i = 0; i < ns; i++) {
            double ri, rj, best_r = INFINITY;
            size_t best = ns;
            if (rank_of(s[i].val[k], &ri) != 0)
                continue;
            for (size_t j = 0; j < ns; j++)
                if (differ_in_only(&s[i], &s[j], nkeys, k) && rank_of(s[j].val[k], &rj) == 0 &&
                    rj > ri && rj < best_r) {
                    best_r = rj;
                    best = j;
                }
            if (best == ns || !s[i].bstar.found || !s[best].bstar.found)
                continue;
            double yi = ntr_batch_paper_Y(s[i].alpha, s[i].lambda);
            double yj = ntr_batch_paper_Y(s[best].alpha, s[best].lambda);
            int p = sign_of(yj - yi, fabs(yi) + fabs(yj));
            if (!pred_seen)
                pred = p, pred_seen = 1;
            else if (p != pred)
                pred = 0;
            double ratio = s[best].bstar.b / s[i].bstar.b;
            int moved = ratio > FLAT_RATIO ? 1 : ratio < 1 / FLAT_RATIO ? -1 : 0;
            t->pairs++;
            t->rises += moved > 0;
            t->falls += moved < 0;
            t->flat += moved == 0;
            t->claimed += p != 0;
            t->agree += p != 0 && moved == p;
        }
        t->predicted = pred_seen ? pred : 0;
    }
}

void ntr_batch_display_label(const ntr_batch_summary *s, const ntr_batch_setting *st, char *buf,
                             size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    if (s->nkeys == 0) {
        snprintf(buf, size, "%s", st->label);
        return;
    }
    for (size_t k = 0; k < s->nkeys && used < size; k++) {
        const char *key = s->keys[k], *sep = k ? " " : "";
        double v;
        int n;
        if (strcmp(key, "method.alpha") == 0 && rank_of(st->val[k], &v) == 0) {
            n = snprintf(buf + used, size - used, "%sbeta=%.6g", sep, 1 - v);
        } else if (strcmp(key, "method.weight_decay") == 0 && rank_of(st->val[k], &v) == 0) {
            n = snprintf(buf + used, size - used, "%slambda=%.6g", sep, v);
        } else if (rank_of(st->val[k], &v) == 0 && strcmp(st->val[k], "true") != 0 &&
                   strcmp(st->val[k], "false") != 0) {
            const char *dot = strrchr(key, '.');
            n = snprintf(buf + used, size - used, "%s%s=%.6g", sep, dot ? dot + 1 : key, v);
        } else {
            const char *dot = strrchr(key, '.');
            n = snprintf(buf + used, size - used, "%s%s=%s", sep, dot ? dot + 1 : key,
                         st->val[k]);
        }
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

void ntr_batch_trend_text(const ntr_batch_summary *s, const ntr_batch_trend *t, char *buf,
                          size_t size)
{
    const char *key = s->keys[t->key];
    int as_beta = strcmp(key, "method.alpha") == 0;
    /* Along beta = 1 - alpha the directions turn round. */
    size_t up = as_beta ? t->falls : t->rises, down = as_beta ? t->rises : t->falls;
    int pred = as_beta ? -t->predicted : t->predicted;
    char along[160];
    if (as_beta)
        snprintf(along, sizeof along, "as beta = 1 - alpha grows");
    else if (strcmp(key, "method.weight_decay") == 0)
        snprintf(along, sizeof along, "as lambda (weight decay) grows");
    else if (s->nsettings > 0 && (strcmp(s->settings[0].val[t->key], "true") == 0 ||
                                  strcmp(s->settings[0].val[t->key], "false") == 0))
        snprintf(along, sizeof along, "with %s true instead of false", key);
    else
        snprintf(along, sizeof along, "as %s grows", key);
    if (t->pairs == 0) {
        snprintf(buf, size, "%s: no pair of settings with b* found in both", along);
        return;
    }
    int n = snprintf(buf, size, "%s, b* rises in %zu of %zu pairs, falls in %zu, stays within "
                                "15%% in %zu",
                     along, up, t->pairs, down, t->flat);
    if (n < 0 || (size_t)n >= size)
        return;
    if (t->claimed == 0)
        snprintf(buf + n, size - (size_t)n, "; the paper's Y does not depend on it (no claim)");
    else if (pred == 0)
        snprintf(buf + n, size - (size_t)n,
                 "; the paper's Y moves both ways along it: %zu of %zu pairs agree", t->agree,
                 t->claimed);
    else
        snprintf(buf + n, size - (size_t)n, "; the paper predicts b* %s: %zu of %zu pairs agree",
                 pred > 0 ? "rises" : "falls", t->agree, t->pairs);
}

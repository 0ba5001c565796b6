/* batch_boot.c: the direction of the critical batch size along a setting
 * key, tested over seeds (see batch.h and study/trend_boot.h).
 *
 * For a key k (beta through method.alpha, lambda through
 * method.weight_decay), the settings that differ only in k form a
 * sequence per combination of the other keys.  On each sequence the trend
 * test resamples the replicates (the same draw for every setting),
 * recomputes each setting's b* from the medians of its resampled hitting
 * times, and fits the slope of log b* against log x (x = the key's value;
 * against x itself when a value is 0, lambda = 0).  A b* on the batch
 * grid's edge is only a bound: it counts as missing, and a sequence with
 * too many missing values is inconclusive rather than a direction.  The
 * pooled trend uses, at each value of k, the geometric mean of b* over the
 * sequences: the claim's verdict rests on it. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/files.h"
#include "study/batch/batch.h"
#include "study/trend_boot.h"

double ntr_batch_bstar_of(const ntr_batch_seeds *sd, size_t s, const size_t *rep, size_t n)
{
    double bx[NTR_BATCH_MAX_B], sx[NTR_BATCH_MAX_B], w[NTR_TREND_MAX_SEEDS];
    size_t m = 0;
    for (size_t j = 0; j < sd->nb; j++) {
        size_t k = 0;
        for (size_t r = 0; r < n; r++) {
            double v = sd->T[(s * sd->nb + j) * sd->nreps + rep[r]];
            if (!isnan(v))
                w[k++] = v;
        }
        if (k == 0)
            continue;
        bx[m] = (double)sd->b[j];
        sx[m++] = (double)sd->b[j] * ntr_batch_median(w, k);
    }
    ntr_bstar bs;
    ntr_batch_bstar(bx, sx, m, sd->budget, &bs);
    return bs.found && bs.edge == 0 ? bs.b : NAN;
}

/* The settings of one sequence along key k, ordered by its value. */
typedef struct seq {
    size_t n;
    size_t set[NTR_TREND_MAX_POINTS];
    double x[NTR_TREND_MAX_POINTS];
} seq;

typedef struct ctx {
    const ntr_batch_seeds *sd;
    const seq *sq;   /* nseq sequences, all with the same x (pooled) */
    size_t nseq;
} ctx;

static double stat(size_t point, const size_t *rep, size_t n, void *c)
{
    const ctx *x = c;
    double logsum = 0.0;
    for (size_t q = 0; q < x->nseq; q++) {
        double b = ntr_batch_bstar_of(x->sd, x->sq[q].set[point], rep, n);
        if (!(b > 0))
            return NAN;
        logsum += log(b);
    }
    return exp(logsum / (double)x->nseq);
}

static int differ_only_in(const ntr_batch_seeds *sd, size_t a, size_t b, size_t k)
{
    for (size_t i = 0; i < sd->nkeys; i++)
        if (i != k && strcmp(sd->val[a * sd->nkeys + i], sd->val[b * sd->nkeys + i]) != 0)
            return 0;
    return 1;
}

/* Gather the sequences along key k: settings grouped by their other keys. */
static size_t sequences(const ntr_batch_seeds *sd, size_t k, seq *out, size_t max)
{
    size_t nq = 0;
    int *used = calloc(sd->ns ? sd->ns : 1, sizeof *used);
    if (!used)
        return 0;
    for (size_t s = 0; s < sd->ns && nq < max; s++) {
        if (used[s])
            continue;
        seq *q = &out[nq];
        q->n = 0;
        for (size_t t = s; t < sd->ns && q->n < NTR_TREND_MAX_POINTS; t++) {
            if (used[t] || !differ_only_in(sd, s, t, k))
                continue;
            char *end;
            const char *v = sd->val[t * sd->nkeys + k];
            double x = !strcmp(v, "true") ? 1 : !strcmp(v, "false") ? 0 : strtod(v, &end);
            size_t i = q->n++;
            while (i > 0 && q->x[i - 1] > x) {
                q->x[i] = q->x[i - 1];
                q->set[i] = q->set[i - 1];
                i--;
            }
            q->x[i] = x;
            q->set[i] = t;
            used[t] = 1;
        }
        if (q->n >= 2)
            nq++;
    }
    free(used);
    return nq;
}

static size_t append(char *buf, size_t size, size_t u, const char *s)
{
    size_t n = strlen(s);
    if (u + n + 1 > size)
        n = u + 1 < size ? size - u - 1 : 0;
    memcpy(buf + u, s, n);
    buf[u + n] = '\0';
    return u + n;
}

int ntr_batch_boot_key(const ntr_batch_seeds *sd, size_t k, int expect, long nboot, int *holds,
                       char *buf, size_t size, ntr_error *err)
{
    seq *sq = malloc(64 * sizeof *sq);
    if (!sq)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    size_t nq = sequences(sd, k, sq, 64), u = 0;
    *holds = -1;
    buf[0] = '\0';
    char line[600];
    const char *key = sd->keys[k];
    int beta = !strcmp(key, "method.alpha");
    if (nq == 0) {
        snprintf(line, sizeof line, "%s: no two settings differ in it alone", key);
        append(buf, size, 0, line);
        free(sq);
        return 0;
    }
    /* pooled: every sequence must take the same values of k */
    int same = 1;
    for (size_t q = 1; q < nq; q++) {
        same &= sq[q].n == sq[0].n;
        for (size_t i = 0; same && i < sq[0].n; i++)
            same &= sq[q].x[i] == sq[0].x[i];
    }
    ntr_trend t;
    ctx c = {sd, sq, nq};
    int rc = 0;
    if (same) {
        rc = ntr_trend_test(sq[0].x, sq[0].n, sd->nreps, stat, &c, (size_t)nboot, 4242 + k, 0.1, &t,
                            err);
        if (rc == 0) {
            char tt[300];
            ntr_trend_text(&t, tt, sizeof tt);
            /* along beta = 1 - alpha the direction turns round */
            const char *dir = ntr_trend_direction_names[t.direction];
            if (beta && t.direction == NTR_TREND_RISES)
                dir = "falls";
            else if (beta && t.direction == NTR_TREND_FALLS)
                dir = "rises";
            snprintf(line, sizeof line, "b* along %s%s, pooled over %zu sequences (geometric mean "
                                        "of b*): against %s %s",
                     key, beta ? " (beta = 1 - alpha)" : "", nq, beta ? "beta" : key, dir);
            u = append(buf, size, u, line);
            snprintf(line, sizeof line, " [trend against %s: %s]", key, tt);
            u = append(buf, size, u, line);
            int want = expect > 0 ? NTR_TREND_RISES : NTR_TREND_FALLS;
            *holds = t.direction == (ntr_trend_direction)want ? 1
                     : t.direction == NTR_TREND_UNDECIDED || t.direction == NTR_TREND_INCONCLUSIVE
                         ? -1
                         : 0;
            if (expect)
                u = append(buf, size, u,
                           *holds > 0    ? ", as claimed"
                           : *holds == 0 ? ", NOT as claimed"
                                         : ", no clear direction");
        }
    }
    size_t dirs[5] = {0};
    for (size_t q = 0; rc == 0 && q < nq; q++) {
        ctx one = {sd, &sq[q], 1};
        rc = ntr_trend_test(sq[q].x, sq[q].n, sd->nreps, stat, &one, (size_t)nboot, 777 + q, 0.1, &t,
                            err);
        if (rc == 0)
            dirs[t.direction]++;
    }
    if (rc == 0) {
        snprintf(line, sizeof line, "%sper sequence against %s: rises in %zu, falls in %zu, flat "
                                    "or undecided in %zu, inconclusive (b* on the grid's edge) "
                                    "in %zu of %zu",
                 u ? "; " : "", key, dirs[NTR_TREND_RISES], dirs[NTR_TREND_FALLS],
                 dirs[NTR_TREND_FLAT] + dirs[NTR_TREND_UNDECIDED], dirs[NTR_TREND_INCONCLUSIVE],
                 nq);
        append(buf, size, u, line);
    }
    free(sq);
    return rc;
}

int ntr_batch_boot_write(const char *dir, const ntr_batch_seeds *sd, const ntr_batch_spec *spec,
                         char **lines, ntr_error *err)
{
    size_t nk = sd->nkeys;
    *lines = NULL;
    json_t *js = json_object(), *arr = json_array();
    char *buf = NULL;
    size_t len = 0, claimed = 0, held = 0, unclear = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = f && js && arr ? 0 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t k = 0; rc == 0 && k < nk; k++) {
        int holds;
        char line[2000];
        rc = ntr_batch_boot_key(sd, k, spec->expect[k], spec->nboot, &holds, line,
                                sizeof line, err);
        if (rc != 0)
            break;
        fprintf(f, "%s\n", line);
        json_array_append_new(arr, json_string(line));
        if (spec->expect[k]) {
            claimed++;
            held += holds > 0;
            unclear += holds < 0;
        }
    }
    if (rc == 0 && sd->yeps) { /* the formula itself, when the floors are known */
        ntr_batch_scaling_result sc;
        char line[900];
        rc = ntr_batch_scaling(sd, spec->nboot, &sc, err);
        if (rc == 0) {
            ntr_batch_scaling_text(&sc, line, sizeof line);
            fprintf(f, "%s\n", line);
            json_array_append_new(arr, json_string(line));
            claimed++;
            held += sc.holds > 0;
            unclear += sc.holds < 0;
        }
    }
    if (rc == 0 && claimed) {
        char claim[300];
        const char *role = spec->contrast ? "contrast" : "claim";
        if (held == claimed)
            snprintf(claim, sizeof claim, "%s: b* moves as claimed in %zu of %zu tests "
                                          "(bootstrap over seeds): reproduced",
                     role, held, claimed);
        else if (held + unclear == claimed)
            snprintf(claim, sizeof claim, "%s: inconclusive (b* moves as claimed in %zu of %zu "
                                          "tests, no clear direction in %zu)",
                     role, held, claimed, unclear);
        else
            snprintf(claim, sizeof claim, "%s: NOT reproduced (b* moves as claimed in %zu of "
                                          "%zu tests, the other way or flat in %zu)",
                     role, held, claimed, claimed - held - unclear);
        fprintf(f, "%s", claim);
        json_object_set_new(js, "claim_line", json_string(claim));
    }
    if (f)
        fclose(f);
    json_object_set_new(js, "lines", arr);
    json_object_set_new(js, "role", json_string(spec->contrast ? "contrast" : "claim"));
    char *text = rc == 0 ? json_dumps(js, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(js);
    char path[1100];
    if (rc == 0 && !text)
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (rc == 0)
        rc = ntr_path(path, sizeof path, err, "%s/batch_trends.json", dir);
    if (rc == 0)
        rc = ntr_write_atomic(path, text, strlen(text), err);
    free(text);
    if (rc == 0)
        *lines = buf;
    else
        free(buf);
    return rc;
}


/* compare_checks.c: a compare study's analyse: each check evaluated on the
 * groups' statistics (compare_read.c), compare.csv (one row per group:
 * initial, final, earlier and max of every column, and the median last k),
 * compare.json (the checks and their lines) and the verdict lines, one per
 * check and a closing "claim: reproduced" or "claim: NOT reproduced (...)".
 * See compare.h for what each kind of check tests. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/files.h"
#include "study/compare/compare_data.h"
#include "base/textbuf.h"

#define MAX_VALUES 256

typedef struct check_result {
    int pass;
    char line[900];
    size_t nvalues;                /* per matched group (not for lower) */
    size_t group[MAX_VALUES];
    double value[MAX_VALUES];
    double gain[MAX_VALUES], exact[MAX_VALUES]; /* bound checks: the step bound c, and the
                                                 * value against the bound with c = 1 */
    int ok[MAX_VALUES];
} check_result;

static const char *const relation[] = {">=", "<=", ">=", ">=", "<=", "in", "<=", ">="};
static const char *const quantity[] = {"final b / final a",
                                       "final / a decade earlier",
                                       "final / a decade earlier",
                                       "initial / final",
                                       "max / max(x0, c/lambda)",
                                       "(x_K - x_0) / (K eta)",
                                       "max / (g0 + L (x0 + max(x0, c/lambda)))",
                                       "final / initial"};

/* The line of a check over several groups: each group when there are at
 * most three, else how many pass and the extremes. */
static size_t group_line(const ntr_cmp_data *d, const ntr_cmp_check *k, const check_result *r,
                         char *buf, size_t size, size_t u);

/* The one group sel matches; an input error at the check otherwise. */
static int one_group(const ntr_cmp_data *d, const ntr_cmp_check *k, const ntr_node *sel,
                     const char *which, const ntr_cmp_group **out, ntr_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < d->ngroups; i++)
        if (ntr_cmp_matches(d, &d->g[i], sel)) {
            *out = &d->g[i];
            n++;
        }
    if (n != 1)
        return ntr_fail_at(err, sel ? sel->pos : k->pos,
                           "check %s: group %s matches %zu groups, not one", ntr_cmp_kind_names[k->kind],
                           which, n);
    return 0;
}

static int eval_check(const ntr_cmp_data *d, size_t idx, const ntr_cmp_check *k, check_result *r,
                      ntr_error *err)
{
    int c = ntr_cmp_col(d, k->column);
    size_t u = 0;
    u = ntr_appendf(r->line, sizeof r->line, u, "check %zu %s %s: ", idx + 1,
                    ntr_cmp_kind_names[k->kind], k->column);
    if (k->kind == NTR_CMP_LOWER) {
        const ntr_cmp_group *a, *b;
        if (one_group(d, k, k->a, "a", &a, err) != 0 || one_group(d, k, k->b, "b", &b, err) != 0)
            return -1;
        double v = b->final[c] / a->final[c];
        r->pass = v >= k->threshold;
        ntr_appendf(r->line, sizeof r->line, u,
                    "final %.4g [%s] / final %.4g [%s] = %.4g (claim >= %g): %s", b->final[c],
                    b->label, a->final[c], a->label, v, k->threshold,
                    r->pass ? "reproduced" : "NOT reproduced");
        return 0;
    }
    size_t matched = 0;
    r->pass = 1;
    for (size_t i = 0; i < d->ngroups; i++) {
        const ntr_cmp_group *g = &d->g[i];
        if (!ntr_cmp_matches(d, g, k->where))
            continue;
        matched++;
        double v = NAN, want = k->threshold;
        int ok = 1;
        switch (k->kind) {
        case NTR_CMP_FALLS:
            v = g->final[c] / g->earlier[c], ok = v <= want;
            break;
        case NTR_CMP_STALLS:
            v = g->final[c] / g->earlier[c], ok = v >= want;
            break;
        case NTR_CMP_DECREASE:
            v = g->initial[c] / g->final[c], ok = v >= want;
            break;
        case NTR_CMP_RISES:
            v = g->final[c] / g->initial[c], ok = v >= want;
            break;
        case NTR_CMP_BOUND:
        case NTR_CMP_GROWTH:
        case NTR_CMP_GRAD_BOUND: {
            ntr_cmp_bound b;
            if (ntr_cmp_bound_value(d, g, k, &b, err) != 0)
                return -1;
            v = b.value;
            if (k->kind == NTR_CMP_GROWTH)
                ok = v >= k->min && v <= (isnan(k->max) ? b.gain : k->max);
            else
                ok = v <= 1.0 + 1e-12;
            if (r->nvalues < MAX_VALUES) {
                r->gain[r->nvalues] = b.gain;
                r->exact[r->nvalues] = b.exact;
            }
            break;
        }
        default:
            break;
        }
        ok = ok && isfinite(v);
        if (!ok)
            r->pass = 0;
        if (r->nvalues < MAX_VALUES) {
            r->group[r->nvalues] = i;
            r->value[r->nvalues] = v;
            r->ok[r->nvalues++] = ok;
        }
    }
    if (matched == 0)
        return ntr_fail_at(err, k->where ? k->where->pos : k->pos,
                           "check %s: no group matches", ntr_cmp_kind_names[k->kind]);
    u = group_line(d, k, r, r->line, sizeof r->line, u);
    ntr_appendf(r->line, sizeof r->line, u, ": %s", r->pass ? "reproduced" : "NOT reproduced");
    return 0;
}

static size_t group_line(const ntr_cmp_data *d, const ntr_cmp_check *k, const check_result *r,
                         char *buf, size_t size, size_t u)
{
    char want[64];
    int bounded = k->kind == NTR_CMP_BOUND || k->kind == NTR_CMP_GRAD_BOUND;
    if (k->kind == NTR_CMP_GROWTH && isnan(k->max))
        snprintf(want, sizeof want, "in [%g, c]", k->min);
    else if (k->kind == NTR_CMP_GROWTH)
        snprintf(want, sizeof want, "in [%g, %g]", k->min, k->max);
    else
        snprintf(want, sizeof want, "%s %g", relation[k->kind], bounded ? 1.0 : k->threshold);
    u = ntr_appendf(buf, size, u, "%s %s; ", quantity[k->kind], want);
    int with_gain = bounded || k->kind == NTR_CMP_GROWTH;
    if (r->nvalues <= 3) {
        for (size_t j = 0; j < r->nvalues; j++) {
            u = ntr_appendf(buf, size, u, "%s%.4g [%s", j ? ", " : "", r->value[j],
                            d->g[r->group[j]].label);
            if (with_gain && r->gain[j] != 1.0)
                u = ntr_appendf(buf, size, u, "; step bound c = %.4g", r->gain[j]);
            if (bounded && r->gain[j] != 1.0)
                u = ntr_appendf(buf, size, u, "; %.4g against c = 1", r->exact[j]);
            u = ntr_appendf(buf, size, u, "]");
        }
        return u;
    }
    size_t lo = 0, hi = 0, pass = 0, over1 = 0, ngain = 0;
    double cmax = 1.0;
    for (size_t j = 0; j < r->nvalues; j++) {
        pass += r->ok[j] != 0;
        if (r->value[j] < r->value[lo])
            lo = j;
        if (r->value[j] > r->value[hi])
            hi = j;
        if (with_gain && r->gain[j] != 1.0) {
            ngain++;
            cmax = fmax(cmax, r->gain[j]);
            over1 += bounded && r->exact[j] > 1.0 + 1e-12;
        }
    }
    u = ntr_appendf(buf, size, u,
                    "%zu of %zu groups pass; smallest %.4g [%s], largest %.4g [%s]", pass,
                    r->nvalues, r->value[lo], d->g[r->group[lo]].label, r->value[hi],
                    d->g[r->group[hi]].label);
    if (ngain > 0)
        u = ntr_appendf(buf, size, u, "; %zu groups with Newton-Schulz steps (c up to %.4g)", ngain,
                        cmax);
    if (ngain > 0 && bounded)
        u = ntr_appendf(buf, size, u, ", %zu of them above the exact polar factor's bound (c = 1)",
                        over1);
    return u;
}

static void real(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, ",%.17g", v);
    else
        fputc(',', f);
}

static int write_files(const char *dir, const ntr_cmp_data *d, const check_result *res,
                       const char *claim, ntr_error *err)
{
    char path[1100];
    ntr_tmpfile t;
    if (ntr_path(path, sizeof path, err, "%s/compare.csv", dir) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    fputs("group", t.fp);
    for (size_t c = 0; c < d->ncols; c++)
        fprintf(t.fp, ",%s_initial,%s_final,%s_earlier,%s_max", d->cols[c], d->cols[c], d->cols[c],
                d->cols[c]);
    fputs(",last_k\n", t.fp);
    for (size_t i = 0; i < d->ngroups; i++) {
        const ntr_cmp_group *g = &d->g[i];
        fputc('"', t.fp); /* a quoted CSV field: a quote inside is doubled */
        for (const char *p = g->label; *p; p++) {
            if (*p == '"')
                fputc('"', t.fp);
            fputc(*p, t.fp);
        }
        fputc('"', t.fp);
        for (size_t c = 0; c < d->ncols; c++) {
            real(t.fp, g->initial[c]);
            real(t.fp, g->final[c]);
            real(t.fp, g->earlier[c]);
            real(t.fp, g->max[c]);
        }
        real(t.fp, g->last_k);
        fputc('\n', t.fp);
    }
    if (ntr_tmpfile_commit(&t, err) != 0)
        return -1;
    json_t *o = json_object(), *checks = json_array(), *cols = json_array();
    for (size_t i = 0; i < d->spec.ncolumns; i++)
        json_array_append_new(cols, json_string(d->spec.columns[i]));
    json_object_set_new(o, "columns", cols);
    json_object_set_new(o, "window", json_real(d->spec.window));
    for (size_t i = 0; i < d->spec.nchecks; i++) {
        json_t *c = json_object();
        json_object_set_new(c, "kind", json_string(ntr_cmp_kind_names[d->spec.check[i].kind]));
        json_object_set_new(c, "column", json_string(d->spec.check[i].column));
        json_object_set_new(c, "reproduced", json_boolean(res[i].pass));
        json_object_set_new(c, "line", json_string(res[i].line));
        json_object_set_new(c, "quantity", json_string(quantity[d->spec.check[i].kind]));
        json_t *vals = json_array();
        for (size_t j = 0; j < res[i].nvalues; j++) {
            json_t *v = json_object();
            json_object_set_new(v, "group", json_string(d->g[res[i].group[j]].label));
            json_object_set_new(v, "value", isfinite(res[i].value[j]) ? json_real(res[i].value[j])
                                                                      : json_null());
            json_object_set_new(v, "reproduced", json_boolean(res[i].ok[j]));
            ntr_cmp_kind kind = d->spec.check[i].kind;
            if (kind == NTR_CMP_BOUND || kind == NTR_CMP_GRAD_BOUND || kind == NTR_CMP_GROWTH)
                json_object_set_new(v, "step_bound", json_real(res[i].gain[j]));
            if ((kind == NTR_CMP_BOUND || kind == NTR_CMP_GRAD_BOUND) && isfinite(res[i].exact[j]))
                json_object_set_new(v, "value_with_c1", json_real(res[i].exact[j]));
            json_array_append_new(vals, v);
        }
        json_object_set_new(c, "groups", vals);
        json_array_append_new(checks, c);
    }
    json_object_set_new(o, "checks", checks);
    json_object_set_new(o, "claim_line", json_string(claim));
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (!text)
        return ntr_fail(err, NTR_E_INTERNAL, "cannot encode compare.json");
    int rc = ntr_path(path, sizeof path, err, "%s/compare.json", dir);
    if (rc == 0)
        rc = ntr_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

int ntr_cmp_analyse(const char *result_dir, const ntr_node *study, int draw, char **verdict_line,
                    ntr_error *err)
{
    ntr_cmp_data d;
    check_result res[NTR_CMP_MAX_CHECKS];
    char claim[1200];
    *verdict_line = NULL;
    int rc = ntr_cmp_data_read(result_dir, study, &d, err);
    size_t nfail = 0, u = 0;
    memset(res, 0, sizeof res);
    for (size_t i = 0; rc == 0 && i < d.spec.nchecks; i++) {
        rc = eval_check(&d, i, &d.spec.check[i], &res[i], err);
        nfail += rc == 0 && !res[i].pass;
    }
    if (rc == 0) {
        if (d.spec.nchecks == 0)
            snprintf(claim, sizeof claim, "compare: %zu groups, no claim checked", d.ngroups);
        else if (nfail == 0)
            snprintf(claim, sizeof claim, "claim: reproduced (%zu of %zu checks)", d.spec.nchecks,
                     d.spec.nchecks);
        else {
            u = ntr_appendf(claim, sizeof claim, 0, "claim: NOT reproduced (failed check");
            for (size_t i = 0; i < d.spec.nchecks; i++)
                if (!res[i].pass)
                    u = ntr_appendf(claim, sizeof claim, u, " %zu", i + 1);
            ntr_appendf(claim, sizeof claim, u, " of %zu)", d.spec.nchecks);
        }
        rc = write_files(result_dir, &d, res, claim, err);
    }
    if (rc == 0 && draw)
        rc = ntr_cmp_plot(result_dir, &d, err);
    if (rc == 0) {
        size_t len = strlen(claim) + 2;
        for (size_t i = 0; i < d.spec.nchecks; i++)
            len += strlen(res[i].line) + 1;
        char *out = malloc(len);
        if (!out)
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        else {
            size_t w = 0;
            for (size_t i = 0; i < d.spec.nchecks; i++)
                w = ntr_appendf(out, len, w, "%s\n", res[i].line);
            ntr_appendf(out, len, w, "%s", claim);
            *verdict_line = out;
        }
    }
    ntr_cmp_data_free(&d);
    return rc;
}

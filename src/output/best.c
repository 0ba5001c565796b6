/* best.c: the best setting for each value of the first swept key (best.h). */
#include "output/best.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first swept key: summary.csv's first column after `replicate`, when
 * it comes before `status` (the swept keys sit between the two). */
static long first_key_col(const ntr_table *t)
{
    long rep = ntr_table_find(t, "replicate"), st = ntr_table_find(t, "status");
    return rep >= 0 && st > rep + 1 ? rep + 1 : -1;
}

/* Median of the finite values of col over a group's rows (NAN if none). */
static double group_median(const ntr_table *t, size_t col, const ntr_group *gr, double *work)
{
    size_t m = 0;
    for (size_t i = 0; i < gr->ncells; i++) {
        double v = ntr_table_num(t, gr->rows[i], col);
        if (isfinite(v))
            work[m++] = v;
    }
    if (m == 0)
        return NAN;
    gsl_sort(work, 1, m);
    return gsl_stats_median_from_sorted_data(work, 1, m);
}

/* a better than b: smaller, and any number better than none. */
static int better(double a, double b)
{
    return isnan(b) ? !isnan(a) : a < b;
}

int ntr_best_find(const ntr_table *t, const ntr_groups *g, ntr_best *out, ntr_error *err)
{
    memset(out, 0, sizeof *out);
    long kcol = first_key_col(t), st = ntr_table_find(t, "status");
    long mcol_name = ntr_table_find(t, "budget.measure");
    if (kcol < 0 || st - kcol < 2 || mcol_name < 0 || g->n < 2 || ntr_table_rows(t) == 0)
        return 0; /* fewer than two swept keys, or no measure: no choice to show */
    const char *measure = ntr_table_str(t, 0, (size_t)mcol_name);
    long mcol = ntr_table_find(t, measure);
    if (mcol < 0)
        return 0;
    size_t maxc = 1;
    for (size_t i = 0; i < g->n; i++)
        maxc = g->g[i].ncells > maxc ? g->g[i].ncells : maxc;
    double *work = malloc(maxc * sizeof *work);
    out->e = malloc(g->n * sizeof *out->e);
    if (!work || !out->e) {
        free(work);
        ntr_best_free(out);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    out->key = ntr_table_name(t, (size_t)kcol);
    out->measure = measure;
    size_t choices = 0;
    for (size_t i = 0; i < g->n; i++) {
        const ntr_group *gr = &g->g[i];
        if (gr->ncells == 0)
            continue;
        const char *v = ntr_table_str(t, gr->rows[0], (size_t)kcol);
        double med = group_median(t, (size_t)mcol, gr, work);
        size_t j = 0;
        while (j < out->n && strcmp(out->e[j].value, v) != 0)
            j++;
        if (j == out->n) {
            out->e[out->n++] = (ntr_best_entry){v, i, 1, med};
            continue;
        }
        out->e[j].ngroups++;
        choices += out->e[j].ngroups == 2;
        if (better(med, out->e[j].median)) {
            out->e[j].group = i;
            out->e[j].median = med;
        }
    }
    free(work);
    if (choices == 0)
        out->n = 0; /* one group per value: nothing was chosen */
    return 0;
}

void ntr_best_free(ntr_best *b)
{
    free(b->e);
    memset(b, 0, sizeof *b);
}

void ntr_best_rest(const ntr_best *b, const ntr_best_entry *e, const char *label, char *buf,
                   size_t size)
{
    size_t klen = strlen(b->key), vlen = strlen(e->value);
    const char *p = label; /* "KEY=VALUE rest": the first swept key comes first */
    if (strncmp(p, b->key, klen) == 0 && p[klen] == '=' &&
        strncmp(p + klen + 1, e->value, vlen) == 0 &&
        (p[klen + 1 + vlen] == ' ' || p[klen + 1 + vlen] == '\0')) {
        p += klen + 1 + vlen;
        while (*p == ' ')
            p++;
    }
    snprintf(buf, size, "%s", p);
}

int ntr_best_print(const char *result_dir, FILE *out, ntr_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/summary.csv", result_dir);
    ntr_table *t = NULL;
    ntr_groups g = {0, NULL};
    ntr_best b = {0};
    int rc = ntr_table_read(path, &t, err);
    if (rc == 0)
        rc = ntr_groups_from_summary(t, &g, err);
    if (rc == 0)
        rc = ntr_best_find(t, &g, &b, err);
    if (rc == 0 && b.n > 0) {
        fprintf(out, "best setting for each %s (smallest median final %s):\n", b.key,
                b.measure);
        for (size_t i = 0; i < b.n; i++) {
            char rest[512];
            ntr_best_rest(&b, &b.e[i], g.g[b.e[i].group].label, rest, sizeof rest);
            fprintf(out, "  %-12s %-28s %.3g\n", b.e[i].value, rest, b.e[i].median);
        }
    }
    ntr_best_free(&b);
    ntr_groups_free(&g);
    ntr_table_free(t);
    return rc;
}

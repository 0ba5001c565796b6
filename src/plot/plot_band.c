/* plot_band.c: per-k median and quantiles over a group's cells (see plot_band.h). */
#include "plot/plot_band.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Index of k in s (binary search), or -1. */
static long find_k(const ntr_series *s, double k)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->k[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->k[lo] == k ? (long)lo : -1;
}

int ntr_band_compute(const ntr_series *cells, size_t ncells, ntr_band_row **rows,
                     size_t *nrows, ntr_error *err)
{
    *rows = NULL;
    *nrows = 0;
    size_t total = 0;
    for (size_t c = 0; c < ncells; c++)
        total += cells[c].n;
    if (total == 0)
        return 0;
    double *ks = malloc(total * sizeof *ks);
    double *vals = malloc((ncells ? ncells : 1) * sizeof *vals);
    if (!ks || !vals) {
        free(ks);
        free(vals);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory computing quantiles");
    }
    /* The union of logged k's, sorted, without repeats. */
    size_t nk = 0;
    for (size_t c = 0; c < ncells; c++)
        for (size_t i = 0; i < cells[c].n; i++)
            ks[nk++] = cells[c].k[i];
    qsort(ks, nk, sizeof *ks, cmp_double);
    size_t u = 0;
    for (size_t i = 0; i < nk; i++)
        if (u == 0 || ks[i] != ks[u - 1])
            ks[u++] = ks[i];
    nk = u;

    ntr_band_row *out = malloc(nk * sizeof *out);
    if (!out) {
        free(ks);
        free(vals);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory computing quantiles");
    }
    size_t nout = 0;
    for (size_t i = 0; i < nk; i++) {
        size_t nv = 0;
        for (size_t c = 0; c < ncells; c++) {
            long j = find_k(&cells[c], ks[i]);
            if (j >= 0 && isfinite(cells[c].v[j]))
                vals[nv++] = cells[c].v[j];
        }
        if (nv == 0)
            continue;
        qsort(vals, nv, sizeof *vals, cmp_double);
        ntr_band_row *r = &out[nout++];
        r->k = ks[i];
        r->n = nv;
        r->median = gsl_stats_quantile_from_sorted_data(vals, 1, nv, 0.5);
        r->lo = gsl_stats_quantile_from_sorted_data(vals, 1, nv, NTR_BAND_LO);
        r->hi = gsl_stats_quantile_from_sorted_data(vals, 1, nv, NTR_BAND_HI);
        r->min = vals[0];
        r->max = vals[nv - 1];
    }
    free(ks);
    free(vals);
    if (nout == 0) {
        free(out);
        return 0;
    }
    *rows = out;
    *nrows = nout;
    return 0;
}

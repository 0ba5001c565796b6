/* report_best.c: the "Best setting for each KEY" section (report_best.h). */
#include "report/report_best.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/best.h"

int ntr_report_best(ntr_report *r, const char *result_dir, ntr_error *err)
{
    (void)result_dir;
    const ntr_table *t = ntr_report_summary(r);
    const ntr_groups *g = ntr_report_groups(r);
    ntr_best b;
    if (ntr_best_find(t, g, &b, err) != 0)
        return -1;
    if (b.n == 0) { /* nothing chosen: the entries are still allocated */
        ntr_best_free(&b);
        return 0;
    }
    size_t maxc = 1;
    for (size_t i = 0; i < g->n; i++)
        maxc = g->g[i].ncells > maxc ? g->g[i].ncells : maxc;
    double *work = malloc(maxc * sizeof *work);
    char title[300];
    snprintf(title, sizeof title, "Best setting for each %s", b.key);
    if (!work || ntr_report_section(r, title) != 0) {
        free(work);
        ntr_best_free(&b);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    ntr_report_printf(r, "| ");
    ntr_report_text(r, b.key);
    ntr_report_printf(r, " | best setting | settings tried | median final ");
    ntr_report_text(r, b.measure);
    ntr_report_printf(r, " |");
    size_t nk = ntr_report_hitting_headers(r, t);
    ntr_report_printf(r, "\n|---|---|---:|---:|");
    for (size_t j = 0; j < nk; j++)
        ntr_report_printf(r, "---:|");
    ntr_report_printf(r, "\n");
    for (size_t i = 0; i < b.n; i++) {
        const ntr_best_entry *e = &b.e[i];
        const ntr_group *gr = &g->g[e->group];
        char rest[512];
        ntr_best_rest(&b, e, gr->label, rest, sizeof rest);
        ntr_report_printf(r, "| ");
        ntr_report_code(r, e->value, 1);
        ntr_report_printf(r, " | ");
        ntr_report_code(r, rest, 1);
        ntr_report_printf(r, " | %zu |", e->ngroups);
        if (isfinite(e->median))
            ntr_report_printf(r, " %.3g |", e->median);
        else
            ntr_report_printf(r, " n/a |");
        ntr_report_hitting_times(r, t, gr, work);
        ntr_report_printf(r, "\n");
    }
    free(work);
    ntr_report_printf(r, "\nEach %s at the setting (of the other swept keys) with the smallest "
                         "median final ", b.key);
    ntr_report_text(r, b.measure);
    ntr_report_printf(r, " over its cells: compare the rows of this table, each at its own "
                         "best, rather than rows of the table below at one shared setting. A "
                         "best setting at the edge of the values tried may lie beyond them.\n");
    ntr_best_free(&b);
    return 0;
}

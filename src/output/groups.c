/* groups.c: gathering summary.csv rows by group (see groups.h). */
#include "output/groups.h"

#include <stdlib.h>
#include <string.h>

static const char all_label[] = "all";

int ntr_groups_from_summary(const ntr_table *summary, ntr_groups *out, ntr_error *err)
{
    out->n = 0;
    out->g = NULL;
    size_t rows = ntr_table_rows(summary);
    long col = ntr_table_find(summary, "group");
    /* At most one group per row: allocate for the worst case once. */
    ntr_group *g = calloc(rows ? rows : 1, sizeof *g);
    size_t *slots = malloc((rows ? rows : 1) * sizeof *slots);
    size_t *which = malloc((rows ? rows : 1) * sizeof *which);
    if (!g || !slots || !which) {
        free(g);
        free(slots);
        free(which);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory grouping cells");
    }
    size_t n = 0;
    for (size_t i = 0; i < rows; i++) {
        const char *label = col < 0 ? all_label : ntr_table_str(summary, i, (size_t)col);
        size_t j = 0;
        while (j < n && strcmp(g[j].label, label) != 0)
            j++;
        if (j == n)
            g[n++].label = label;
        g[j].ncells++;
        which[i] = j;
    }
    /* Each group's rows are one slice of slots, in file order. */
    size_t start = 0;
    for (size_t j = 0; j < n; j++) {
        g[j].rows = slots + start;
        start += g[j].ncells;
        g[j].ncells = 0;
    }
    for (size_t i = 0; i < rows; i++) {
        ntr_group *gr = &g[which[i]];
        gr->rows[gr->ncells++] = i;
    }
    free(which);
    if (n == 0)
        free(slots);
    out->n = n;
    out->g = g;
    return 0;
}

void ntr_groups_free(ntr_groups *gs)
{
    if (gs->n > 0)
        free(gs->g[0].rows); /* the one slots array */
    free(gs->g);
    gs->g = NULL;
    gs->n = 0;
}

int ntr_summary_hash(const ntr_table *summary, size_t row, const char **hash, ntr_error *err)
{
    size_t col;
    if (ntr_table_require(summary, "hash", &col, err) != 0)
        return -1;
    const char *h = ntr_table_str(summary, row, col);
    int ok = h[0] != '\0' && h[0] != '.';
    for (const char *p = h; ok && *p; p++)
        ok = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
             *p == '_' || *p == '-' || *p == '.';
    if (!ok)
        return ntr_fail_at(err, ntr_table_pos(summary, row, col),
                           "cell hash '%.80s' is not a plain folder name", h);
    *hash = h;
    return 0;
}

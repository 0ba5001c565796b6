/* layout.c: building and comparing block layouts (see layout.h). */
#include "base/layout.h"

#include <stdio.h>
#include <string.h>

int ntr_layout_add(ntr_layout *lay, size_t rows, size_t cols)
{
    if (lay->nblocks >= NTR_MAX_BLOCKS)
        return -1;
    int i = lay->nblocks++;
    lay->rows[i] = rows;
    lay->cols[i] = cols;
    lay->off[i] = lay->dim;
    lay->dim += rows * cols;
    return 0;
}

ntr_layout ntr_layout_single(size_t rows, size_t cols)
{
    ntr_layout lay;
    memset(&lay, 0, sizeof lay);
    ntr_layout_add(&lay, rows, cols);
    return lay;
}

int ntr_layout_equal(const ntr_layout *a, const ntr_layout *b)
{
    if (a->nblocks != b->nblocks)
        return 0;
    for (int i = 0; i < a->nblocks; i++)
        if (a->rows[i] != b->rows[i] || a->cols[i] != b->cols[i])
            return 0;
    return 1;
}

void ntr_layout_format(const ntr_layout *lay, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < lay->nblocks && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%zux%zu", i ? "+" : "",
                         lay->rows[i], lay->cols[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* layout.h: how a parameter vector is cut into matrix blocks.
 *
 * Every iterate, gradient and momentum in ntr is one contiguous array of
 * doubles; a layout says where each block (a row-major rows x cols matrix)
 * starts.  A vector is a rows x 1 block.  Layouts are small values, copied
 * freely. */
#ifndef NTR_LAYOUT_H
#define NTR_LAYOUT_H

#include <stddef.h>

#define NTR_MAX_BLOCKS 16

typedef struct ntr_layout {
    int nblocks;
    size_t rows[NTR_MAX_BLOCKS];
    size_t cols[NTR_MAX_BLOCKS];
    size_t off[NTR_MAX_BLOCKS]; /* start of block i in the flat array */
    size_t dim;                 /* total number of entries */
} ntr_layout;

/* Append a rows x cols block; returns -1 when NTR_MAX_BLOCKS is reached. */
int ntr_layout_add(ntr_layout *lay, size_t rows, size_t cols);

/* A layout of one block. */
ntr_layout ntr_layout_single(size_t rows, size_t cols);

/* 1 when both layouts have the same blocks. */
int ntr_layout_equal(const ntr_layout *a, const ntr_layout *b);

/* "64x32" or "64x32+32x16" into buf. */
void ntr_layout_format(const ntr_layout *lay, char *buf, size_t size);

#endif

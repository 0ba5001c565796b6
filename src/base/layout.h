/* layout.h: how a parameter vector is cut into matrix blocks.
 *
 * Every iterate, gradient and momentum in ntr is one contiguous array of
 * doubles; a layout says where each block (a row-major rows x cols matrix)
 * starts.  A vector is a rows x 1 block.  Layouts are small values, copied
 * freely. */
#ifndef NTR_LAYOUT_H
#define NTR_LAYOUT_H

#include <stddef.h>

#include "ntr/ntr.h" /* ntr_layout, NTR_MAX_BLOCKS, ntr_layout_add, ntr_layout_single */

/* 1 when both layouts have the same blocks. */
int ntr_layout_equal(const ntr_layout *a, const ntr_layout *b);

/* "64x32" or "64x32+32x16" into buf. */
void ntr_layout_format(const ntr_layout *lay, char *buf, size_t size);

#endif

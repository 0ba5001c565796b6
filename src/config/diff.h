/* diff.h: which dotted keys differ between two config trees (to explain
 * why an existing result folder cannot be resumed with a changed config). */
#ifndef NTR_DIFF_H
#define NTR_DIFF_H

#include <stddef.h>

#include "../node.h"

/* Writes "method.eta, noise.sigma" (at most size bytes) and returns the
 * number of differing keys. */
size_t ntr_node_diff(const ntr_node *a, const ntr_node *b, char *buf, size_t size);

#endif

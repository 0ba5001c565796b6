/* diff.h: which dotted keys differ between two config trees (to explain
 * why an existing result folder cannot be resumed with a changed config). */
#ifndef NTR_DIFF_H
#define NTR_DIFF_H

#include <stddef.h>

#include "base/node.h"

/* Writes "method.eta, noise.sigma" (at most size bytes) and returns the
 * number of differing keys. */
size_t ntr_node_diff(const ntr_node *a, const ntr_node *b, char *buf, size_t size);

/* Can a result folder whose config.yaml holds stored_text be resumed (or
 * collected) with a plan whose config.yaml text is new_text?  Compares the
 * two as YAML trees, so comments and layout do not matter; data_dir (where
 * the files are) does not either, their content (inputs) does.  0 when
 * they agree; otherwise an input error naming the changed data files, or
 * the differing keys.  stored_path names config.yaml in messages. */
int ntr_config_check(const char *stored_text, const char *new_text, const char *stored_path,
                     ntr_error *err);
/* The same comparison without failing on a difference: 0 when the two
 * agree, 1 when keys differ (named in keys, at most size bytes), -1 and an
 * error when the stored text is unreadable or a data file changed. */
int ntr_config_compare(const char *stored_text, const char *new_text, const char *stored_path,
                       char *keys, size_t size, ntr_error *err);

#endif

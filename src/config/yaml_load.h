/* yaml_load.h: YAML text to an ntr_node tree, with positions.
 *
 * Bounded against hostile input: nesting depth, node count (alias
 * expansion included) and scalar length are capped; duplicate keys,
 * non-scalar keys, multiple documents, text after the document and YAML
 * tags are errors: every byte is used or refused. */
#ifndef NTR_YAML_LOAD_H
#define NTR_YAML_LOAD_H

#include <stddef.h>

#include "base/node.h"

#define NTR_YAML_MAX_DEPTH 32
#define NTR_YAML_MAX_NODES 100000
#define NTR_YAML_MAX_SCALAR 4096
#define NTR_YAML_MAX_FILE (4L << 20)

/* Parse a file; name is the string used in positions and must outlive the
 * tree.  *root is NULL for an empty document. */
int ntr_yaml_load_file(const char *path, const char *name, ntr_node **root, ntr_error *err);
/* Parse text (for --set values); columns are offset by col0. */
int ntr_yaml_load_string(const char *text, size_t len, const char *name, int col0, ntr_node **root,
                         ntr_error *err);

#endif

/* yaml_emit.h: writing config subtrees and strings as YAML text. */
#ifndef NTR_YAML_EMIT_H
#define NTR_YAML_EMIT_H

#include <stdio.h>

#include "base/node.h"

/* A string, quoted only when plain YAML would change its meaning. */
void ntr_yaml_emit_string(FILE *f, const char *s);
/* A node in flow style on one line: 1.5, [1, 2], {a: 1, b: [x, y]}. */
void ntr_yaml_emit_flow(FILE *f, const ntr_node *n);

#endif

/* yaml_emit.h: writing config subtrees, strings and numbers as YAML text. */
#ifndef NTR_YAML_EMIT_H
#define NTR_YAML_EMIT_H

#include <stdio.h>

#include "base/node.h"

/* A string, quoted only when plain YAML would change its meaning. */
void ntr_yaml_emit_string(FILE *f, const char *s);
/* A node in flow style on one line: 1.5, [1, 2], {a: 1, b: [x, y]}. */
void ntr_yaml_emit_flow(FILE *f, const ntr_node *n);
/* The same as a new string (the caller frees it); NULL when out of memory. */
char *ntr_yaml_flow_string(const ntr_node *n);

/* A number as a config value: integral values as integers (T: 400), else
 * %.17g (reads back to the same double).  buf holds NTR_YAML_NUMBER_CHARS. */
#define NTR_YAML_NUMBER_CHARS 40
void ntr_yaml_number_text(double v, char *buf);
/* The same as a new plain scalar node at pos; NULL when out of memory. */
ntr_node *ntr_yaml_number_node(double v, ntr_pos pos);

#endif

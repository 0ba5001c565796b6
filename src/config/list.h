/* list.h: `ntr-run --list problems|norms|methods|noise|studies`: one line
 * (or a few) per registered object, from the registries themselves. */
#ifndef NTR_LIST_H
#define NTR_LIST_H

#include <stdio.h>

/* Write the list of a registry to f.  Returns -1 (nothing written) when
 * what names no registry; ntr_list_groups says which do. */
int ntr_list(FILE *f, const char *what);
extern const char ntr_list_groups[]; /* "problems, norms, methods, noise or studies" */

#endif

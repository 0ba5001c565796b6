/* describe.h: `ntr-run --describe problems|norms|methods|noise|NAME`:
 * each registered object's keys, defaults, meaning and declared constants,
 * from the objects themselves (a problem is created on an empty section
 * through a recording view, kv_record.h; a method's defaults come from the
 * settings reader). */
#ifndef NTR_DESCRIBE_H
#define NTR_DESCRIBE_H

#include <stdio.h>

#include "base/error.h"

/* Write the description of what (a group or a registered name) to f; an
 * unknown name is an input error naming the nearest one. */
int ntr_describe(FILE *f, const char *what, ntr_error *err);

#endif

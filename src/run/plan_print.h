/* plan_print.h: `ntr-run --plan`: every cell of a plan with what running
 * it into a result folder will do (done, from aside/, continued from k,
 * pending) and cost, the totals, and what a changed config does to the
 * folder.  Nothing is written. */
#ifndef NTR_PLAN_PRINT_H
#define NTR_PLAN_PRINT_H

#include <stdio.h>

#include "config/plan.h"

int ntr_plan_print(FILE *f, const ntr_plan *p, const char *outdir, ntr_error *err);

#endif

/* report_best.h: the report section "Best setting for each KEY" (output/best.h):
 * each value of the first swept key at its own best setting, so that methods
 * are compared each at its best step size rather than at a shared one. */
#ifndef NTR_REPORT_BEST_H
#define NTR_REPORT_BEST_H

#include "report/report.h"

int ntr_report_best(ntr_report *r, const char *result_dir, ntr_error *err);

#endif

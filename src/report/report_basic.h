/* report_basic.h: the report sections every result folder has.
 *
 * Builders (see report.h) listed in report_sections.c: the page title (the
 * config's name), what ran (manifest.json and the status counts of
 * summary.csv), the final values per group (medians over seeds, hitting
 * times per target) and the figures found in plots/. */
#ifndef NTR_REPORT_BASIC_H
#define NTR_REPORT_BASIC_H

#include "report/report.h"

int ntr_report_title(ntr_report *r, const char *result_dir, ntr_error *err);
int ntr_report_what_ran(ntr_report *r, const char *result_dir, ntr_error *err);
int ntr_report_final_values(ntr_report *r, const char *result_dir, ntr_error *err);
int ntr_report_figures(ntr_report *r, const char *result_dir, ntr_error *err);

#endif

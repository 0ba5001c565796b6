/* report_sections.c: the sections of report.md, in page order.
 *
 * Adding a section is one builder function (see report.h) and one line
 * here.  The studies' sections (rate verdicts, batch b*, comparisons) come
 * from the study registry (study/study.h), between "what ran" and the final
 * values, so the verdict is read first. */
#include "report/report.h"
#include "report/report_basic.h"
#include "report/report_best.h"
#include "study/study.h"

static const ntr_report_entry builders[] = {
    {"title", ntr_report_title},
    {"what ran", ntr_report_what_ran},
    {"studies", ntr_study_reports}, /* each registered study's own section */
    {"best settings", ntr_report_best},
    {"final values", ntr_report_final_values},
    {"figures", ntr_report_figures},
};

const ntr_report_entry *ntr_report_builders(size_t *n)
{
    *n = sizeof builders / sizeof builders[0];
    return builders;
}

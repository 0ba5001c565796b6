/* report_sections.c: the sections of report.md, in page order.
 *
 * Adding a section is one builder function (see report.h) and one line
 * here.  Study sections (rate verdicts, batch b*) belong between "what ran"
 * and the final values, so the verdict is read first. */
#include "report.h"
#include "report_basic.h"
#include "study/batch.h"
#include "study/compare.h"
#include "study/rate.h"

static const ntr_report_entry builders[] = {
    {"title", ntr_report_title},
    {"what ran", ntr_report_what_ran},
    {"rate study", ntr_rate_report},
    {"batch study", ntr_batch_report},
    {"comparison", ntr_cmp_report},
    {"final values", ntr_report_final_values},
    {"figures", ntr_report_figures},
};

const ntr_report_entry *ntr_report_builders(size_t *n)
{
    *n = sizeof builders / sizeof builders[0];
    return builders;
}

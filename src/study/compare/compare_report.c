/* compare_report.c: the compare study's section of report.md, from
 * compare.json and compare.csv alone (a report builder, see report.h): the
 * claim line, each check's line, a table of the groups' initial and final
 * values of the tabulated columns, and the figures of the checked columns. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output/files.h"
#include "report/report.h"
#include "base/table.h"
#include "study/compare/compare.h"

static void table(ntr_report *r, const ntr_table *t, json_t *cols)
{
    size_t n = json_array_size(cols);
    ntr_report_printf(r, "\n| group |");
    for (size_t i = 0; i < n; i++) {
        const char *c = json_string_value(json_array_get(cols, i));
        ntr_report_printf(r, " %s at k = 0 | %s final |", c ? c : "?", c ? c : "?");
    }
    ntr_report_printf(r, " last k |\n|---|");
    for (size_t i = 0; i < n; i++)
        ntr_report_printf(r, "---:|---:|");
    ntr_report_printf(r, "---:|\n");
    long cg = ntr_table_find(t, "group");
    for (size_t row = 0; cg >= 0 && row < ntr_table_rows(t); row++) {
        ntr_report_printf(r, "| ");
        ntr_report_code(r, ntr_table_str(t, row, (size_t)cg), 1);
        ntr_report_printf(r, " |");
        for (size_t i = 0; i < n; i++) {
            const char *c = json_string_value(json_array_get(cols, i));
            char a[64], b[64];
            snprintf(a, sizeof a, "%s_initial", c ? c : "");
            snprintf(b, sizeof b, "%s_final", c ? c : "");
            ntr_report_num_cell(r, t, row, a, 4);
            ntr_report_num_cell(r, t, row, b, 4);
        }
        ntr_report_num_cell(r, t, row, "last_k", 4);
        ntr_report_printf(r, "\n");
    }
}

int ntr_cmp_report(ntr_report *r, const char *result_dir, ntr_error *err)
{
    json_t *o;
    ntr_table *t;
    if (ntr_report_study_files(result_dir, "compare.json", "compare.csv", &o, &t, err) != 0)
        return -1;
    if (!o)
        return 0; /* not a compare study */
    ntr_report_section(r, "Comparison");
    ntr_report_bold_line(r, json_string_value(json_object_get(o, "claim_line")));
    json_t *checks = json_object_get(o, "checks");
    for (size_t i = 0; i < json_array_size(checks); i++) {
        const char *line = json_string_value(json_object_get(json_array_get(checks, i), "line"));
        ntr_report_printf(r, "- ");
        ntr_report_text(r, line ? line : "");
        ntr_report_printf(r, "\n");
    }
    ntr_report_printf(r, "\nEvery value is the median over a group's seeds; final is the mean over "
                         "the last %g of the run, \"a decade earlier\" the mean over k in "
                         "[K/20, K/10].\n",
                      json_number_value(json_object_get(o, "window")));
    table(r, t, json_object_get(o, "columns"));
    for (size_t i = 0; i < json_array_size(checks); i++) {
        const char *col = json_string_value(json_object_get(json_array_get(checks, i), "column"));
        int seen = 0;
        for (size_t j = 0; j < i && col; j++)
            seen |= !strcmp(col, json_string_value(json_object_get(json_array_get(checks, j),
                                                                   "column")));
        if (!col || seen)
            continue;
        char stem[300], caption[300];
        snprintf(stem, sizeof stem, "compare_%s", col);
        snprintf(caption, sizeof caption, "%s per group", col);
        ntr_report_figure(r, result_dir, stem, caption);
    }
    ntr_table_free(t);
    json_decref(o);
    return 0;
}

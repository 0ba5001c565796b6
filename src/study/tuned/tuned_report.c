/* tuned_report.c: the tuned study's section of report.md, from tuned.json
 * and tuned.csv alone (a report builder, see report.h): the claim line,
 * what was tuned and how it is scored, each analysis's line, a table of
 * the groups' best points (tuned or not, and why), and the figures. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output/files.h"
#include "report/report.h"
#include "base/table.h"
#include "study/tuned/tuned.h"

int ntr_tuned_report(ntr_report *r, const char *result_dir, ntr_error *err)
{
    json_t *o;
    ntr_table *t;
    if (ntr_report_study_files(result_dir, "tuned.json", "tuned.csv", &o, &t, err) != 0)
        return -1;
    if (!o)
        return 0;
    ntr_report_section(r, "Tuned comparison");
    ntr_report_bold_line(r, json_string_value(json_object_get(o, "claim_line")));
    ntr_report_printf(r, "Each group is run at every point of its tuning grid (");
    json_t *keys = json_object_get(o, "tuning_keys");
    for (size_t i = 0; i < json_array_size(keys); i++) {
        ntr_report_printf(r, "%s", i ? ", " : "");
        ntr_report_code(r, json_string_value(json_array_get(keys, i)), 0);
    }
    const char *score = json_string_value(json_object_get(o, "score"));
    if (score && !strcmp(score, "final"))
        ntr_report_printf(r, "), scored by the mean of `%s` over the last %g of the run",
                          json_string_value(json_object_get(o, "column")),
                          json_number_value(json_object_get(o, "window")));
    else
        ntr_report_printf(r, "), scored by the first k reaching %g",
                          json_number_value(json_object_get(o, "target")));
    ntr_report_printf(r, " (median over %lld seeds; lower is better), and judged at its best "
                         "point; a best point on the grid's edge means \"not tuned\".  Intervals "
                         "are 95%%, from %lld resamples of the seeds, re-selecting every group's "
                         "best point each time.\n\n",
                      (long long)json_integer_value(json_object_get(o, "seeds")),
                      (long long)json_integer_value(json_object_get(o, "bootstrap")));
    json_t *an = json_object_get(o, "analyses");
    for (size_t i = 0; i < json_array_size(an); i++) {
        ntr_report_printf(r, "- ");
        ntr_report_text(r, json_string_value(json_object_get(json_array_get(an, i), "line")));
        ntr_report_printf(r, "\n");
    }
    ntr_report_printf(r, "\n| group | best point | score | tuned |\n|---|---|---:|---|\n");
    long cg = ntr_table_find(t, "group"), cb = ntr_table_find(t, "best"),
         cs = ntr_table_find(t, "score"), ck = ntr_table_find(t, "bracketed"),
         cw = ntr_table_find(t, "why");
    for (size_t row = 0; cg >= 0 && cb >= 0 && cs >= 0 && ck >= 0 && cw >= 0 &&
                         row < ntr_table_rows(t);
         row++) {
        ntr_report_printf(r, "| ");
        ntr_report_code(r, ntr_table_str(t, row, (size_t)cg), 1);
        ntr_report_printf(r, " | ");
        ntr_report_code(r, ntr_table_str(t, row, (size_t)cb), 1);
        ntr_report_printf(r, " | %.4g | ", ntr_table_num(t, row, (size_t)cs));
        int ok = ntr_table_num(t, row, (size_t)ck) > 0;
        ntr_report_printf(r, "%s", ok ? "yes" : "**no**: ");
        if (!ok)
            ntr_report_text(r, ntr_table_str(t, row, (size_t)cw));
        else if (ntr_table_str(t, row, (size_t)cw)[0]) {
            ntr_report_printf(r, " (");
            ntr_report_text(r, ntr_table_str(t, row, (size_t)cw));
            ntr_report_printf(r, ")");
        }
        ntr_report_printf(r, " |\n");
    }
    for (size_t i = 0; i < json_array_size(an); i++) {
        json_t *a = json_array_get(an, i);
        const char *label = json_string_value(json_object_get(a, "label"));
        const char *kind = json_string_value(json_object_get(a, "kind"));
        char name[64];
        snprintf(name, sizeof name, "tuned_%zu", i + 1);
        ntr_report_figure(r, result_dir, name, label ? label : name);
        if (kind && strcmp(kind, "profile") != 0) {
            snprintf(name, sizeof name, "tuned_%zu_ratio", i + 1);
            ntr_report_figure(r, result_dir, name, "R = b / a with its 95% interval");
        }
    }
    ntr_table_free(t);
    json_decref(o);
    return 0;
}

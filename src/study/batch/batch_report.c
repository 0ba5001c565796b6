/* batch_report.c: the batch study's section of report.md (a report
 * builder, see report.h), made from batch.csv only: the b* table per
 * setting with both model fits, the censored batch sizes, how b* moves
 * with each setting key against the paper's trend, and the figures. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output/files.h"
#include "study/batch/batch.h"

static void put_b(ntr_report *r, double b)
{
    if (b >= 100)
        ntr_report_printf(r, "%.0f", b);
    else
        ntr_report_printf(r, "%.3g", b);
}

static int oom(ntr_error *err)
{
    return ntr_fail(err, NTR_E_INTERNAL, "out of memory writing the report");
}

/* The fit columns of a model on the setting's first row. */
static int fit_cell(ntr_report *r, const ntr_table *t, size_t row, const char *model,
                    ntr_error *err)
{
    char name[64];
    size_t cb, crms;
    snprintf(name, sizeof name, "%s_b_star", model);
    if (ntr_table_require(t, name, &cb, err) != 0)
        return -1;
    snprintf(name, sizeof name, "%s_rms", model);
    if (ntr_table_require(t, name, &crms, err) != 0)
        return -1;
    double b = ntr_table_num(t, row, cb), rms = ntr_table_num(t, row, crms);
    if (isnan(b)) {
        ntr_report_printf(r, " no fit |");
        return 0;
    }
    ntr_report_printf(r, " ");
    put_b(r, b);
    ntr_report_printf(r, " (rms %.2f) |", rms);
    return 0;
}

/* The batch sizes of a setting whose median run never reached the target. */
static void censored_cell(ntr_report *r, const ntr_table *t, const ntr_batch_setting *st,
                          size_t bcol, size_t tcol)
{
    size_t n = 0;
    ntr_report_printf(r, " ");
    for (size_t row = st->row0; row < st->row0 + st->nrows; row++)
        if (isinf(ntr_table_num(t, row, tcol)))
            ntr_report_printf(r, "%s%s", n++ ? ", " : "", ntr_table_str(t, row, bcol));
    ntr_report_printf(r, "%s |", n ? "" : "none");
}

static int table(ntr_report *r, const ntr_batch_summary *s, ntr_error *err)
{
    size_t bcol, tcol;
    if (ntr_table_require(s->table, "b", &bcol, err) != 0 ||
        ntr_table_require(s->table, "T", &tcol, err) != 0)
        return -1;
    ntr_report_printf(r, "| setting | b* | SFO(b*) | median never reached at b | Y/b fit: b* "
                         "(rms log T) | Y/sqrt(b) fit: b* (rms log T) |\n"
                         "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < s->nsettings; i++) {
        const ntr_batch_setting *st = &s->settings[i];
        char label[256];
        ntr_batch_display_label(s, st, label, sizeof label);
        if (ntr_report_printf(r, "| ") != 0 || ntr_report_text(r, label) != 0 ||
            ntr_report_printf(r, " | ") != 0)
            return oom(err);
        if (st->bstar.found) {
            ntr_report_printf(r, "%s", st->bstar.edge < 0 ? "<= " : st->bstar.edge > 0 ? ">= " : "");
            put_b(r, st->bstar.b);
            ntr_report_printf(r, " | %.3g |", st->bstar.sfo);
        } else {
            ntr_report_printf(r, "never reached | - |");
        }
        censored_cell(r, s->table, st, bcol, tcol);
        if (fit_cell(r, s->table, st->row0, ntr_batch_model_names[0], err) != 0 ||
            fit_cell(r, s->table, st->row0, ntr_batch_model_names[1], err) != 0)
            return -1;
        ntr_report_printf(r, "\n");
    }
    return 0;
}

static int trends(ntr_report *r, const ntr_batch_summary *s, ntr_error *err)
{
    if (s->nkeys == 0)
        return 0;
    ntr_batch_trend tr[NTR_BATCH_MAX_OVER];
    ntr_batch_trends(s->settings, s->nsettings, s->nkeys, tr);
    if (ntr_report_printf(r, "\nHow b* moves (pairs of settings that differ in one key only; "
                             "the paper's b* moves like Y = (2 beta + 1)(1 - beta) + "
                             "lambda):\n\n") != 0)
        return oom(err);
    for (size_t k = 0; k < s->nkeys; k++) {
        char text[400];
        ntr_batch_trend_text(s, &tr[k], text, sizeof text);
        if (ntr_report_printf(r, "- ") != 0 || ntr_report_text(r, text) != 0 ||
            ntr_report_printf(r, "\n") != 0)
            return oom(err);
    }
    return 0;
}

/* The bootstrap trend test of b* (batch_trends.json), when present. */
static int boot_trends(ntr_report *r, const char *result_dir, ntr_error *err)
{
    char path[1200];
    if (ntr_path(path, sizeof path, err, "%s/batch_trends.json", result_dir) != 0)
        return -1;
    if (!ntr_exists(path))
        return 0;
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (!o)
        return ntr_fail(err, NTR_E_IO, "%s: %s", path, je.text);
    const char *claim = json_string_value(json_object_get(o, "claim_line"));
    int rc = 0;
    if (claim && (ntr_report_printf(r, "\n**") != 0 || ntr_report_text(r, claim) != 0 ||
                  ntr_report_printf(r, "**\n") != 0))
        rc = oom(err);
    if (rc == 0 && ntr_report_printf(r, "\nThe direction of b* along each key, tested over "
                                        "seeds: resamples of the replicates recompute every "
                                        "setting's b* (a b* on the batch grid's edge counts as "
                                        "missing: it is only a bound), and the slope of log b* "
                                        "against the key gets a 95%% interval; pooled over the "
                                        "other keys by the geometric mean of b*:\n\n") != 0)
        rc = oom(err);
    json_t *lines = json_object_get(o, "lines");
    for (size_t i = 0; rc == 0 && i < json_array_size(lines); i++)
        if (ntr_report_printf(r, "- ") != 0 ||
            ntr_report_text(r, json_string_value(json_array_get(lines, i))) != 0 ||
            ntr_report_printf(r, "\n") != 0)
            rc = oom(err);
    json_decref(o);
    return rc;
}

static int figures(ntr_report *r, const char *result_dir, ntr_error *err)
{
    static const char *const figs[2][2] = {{"batch_T", "T(b)"}, {"batch_sfo", "SFO(b)"}};
    static const char *const exts[] = {"png", "svg", "pdf"};
    for (int i = 0; i < 2; i++)
        for (int e = 0; e < 3; e++) {
            char path[1200];
            if (ntr_path(path, sizeof path, err, "%s/plots/%s.%s", result_dir, figs[i][0],
                         exts[e]) != 0)
                return -1;
            if (!ntr_exists(path))
                continue;
            if (ntr_report_printf(r, "\n![%s](plots/%s.%s)\n", figs[i][1], figs[i][0],
                                  exts[e]) != 0)
                return oom(err);
            break;
        }
    return 0;
}

int ntr_batch_report(ntr_report *r, const char *result_dir, ntr_error *err)
{
    ntr_batch_summary s;
    int found;
    if (ntr_batch_summary_read(result_dir, &s, &found, err) != 0)
        return -1;
    if (!found)
        return 0;
    int rc = 0;
    if (ntr_report_section(r, "Critical batch size") != 0 ||
        ntr_report_printf(
            r,
            "T(b): median over seeds of the first iteration reaching the target (a run that "
            "never reaches it counts as infinite); SFO(b) = b T(b); b* minimises SFO on a "
            "log-b interpolation (<= or >= when the minimum is at the grid's first or last "
            "batch size: a bound).  Where the batch size below the minimum never reached the "
            "target, its SFO is at least b x budget.iterations; when that exceeds the minimum, "
            "b* is bracketed (SFO is convex in b) and given at the grid's resolution, the "
            "measured minimum; otherwise it is a bound (<=).  The fits are the two forms of THEORY.md "
            "section 2 in log T: T = a b/(b - c) (Y/b form, b* = 2c) and "
            "T = a sqrt(b)/(sqrt(b) - c) (Y/sqrt(b) form, b* = 9c^2/4).  All numbers: "
            "batch.csv.\n\n") != 0)
        rc = oom(err);
    if (rc == 0)
        rc = table(r, &s, err);
    if (rc == 0)
        rc = boot_trends(r, result_dir, err);
    if (rc == 0)
        rc = trends(r, &s, err);
    if (rc == 0)
        rc = figures(r, result_dir, err);
    ntr_batch_summary_free(&s);
    return rc;
}

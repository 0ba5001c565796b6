/* rate_report.c: the rate study's section of report.md, from rates.json
 * and rates.csv alone (a report builder, see report.h): the claim and the
 * comparison first, then per series its verdict, the rule (its source:
 * paper, derived or reconstructed constants), the multipliers that changed
 * it, the table of K(eps) and its convergence figure; the K(eps) figure of
 * all series last. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../output/files.h"
#include "../report.h"
#include "../table.h"
#include "rate.h"

static double jnum(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void rule_lines(ntr_report *r, json_t *th)
{
    static const char *const rules[] = {"alpha", "eta", "weight_decay", "iterations"};
    const char *src = jstr(th, "source");
    ntr_report_printf(r, "- theory: ");
    ntr_report_code(r, jstr(th, "name"), 0);
    if (!strcmp(src, "reconstructed"))
        ntr_report_printf(r, ", constants **reconstructed** from the proof structure "
                             "(THEORY.md), not read from the paper");
    else if (!strcmp(src, "derived"))
        ntr_report_printf(r, ", rule derived from Theorem 2's bound with sigma = 0");
    else if (!strcmp(src, "paper"))
        ntr_report_printf(r, ", constants of the paper (Theorem 2)");
    else
        ntr_report_printf(r, ", user rules");
    ntr_report_printf(r, "; measure ");
    ntr_report_code(r, jstr(th, "measure"), 0);
    if (json_is_string(json_object_get(th, "assumption"))) {
        ntr_report_printf(r, "; assumes ");
        ntr_report_text(r, jstr(th, "assumption"));
    }
    ntr_report_printf(r, "\n");
    for (int i = 0; i < 4; i++) {
        if (!json_is_string(json_object_get(th, rules[i])))
            continue;
        ntr_report_printf(r, "- %s = ", rules[i]);
        ntr_report_code(r, jstr(th, rules[i]), 0);
        ntr_report_printf(r, "\n");
    }
    if (json_is_true(json_object_get(th, "extrapolation")))
        ntr_report_printf(r, "- gradients at the extrapolated point "
                             "z_k = x_k + ((1-alpha)/alpha)(x_k - x_{k-1})\n");
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(th, "settings"), key, v)
    {
        ntr_report_printf(r, "- ");
        ntr_report_code(r, key, 0);
        ntr_report_printf(r, " set by the rule as a function of eps (see config.yaml)\n");
    }
}

static void num_cell(ntr_report *r, const ntr_table *t, size_t row, const char *col)
{
    long c = ntr_table_find(t, col);
    double v = c >= 0 ? ntr_table_num(t, row, (size_t)c) : NAN;
    if (isnan(v))
        ntr_report_printf(r, " - |");
    else
        ntr_report_printf(r, " %.4g |", v);
}

static void table(ntr_report *r, const ntr_table *t, const char *series, int tuned)
{
    long cv = ntr_table_find(t, "variant"), cl = ntr_table_find(t, "label"), cs = ntr_table_find(t, "status"),
         cc = ntr_table_find(t, "K_le_theory"), cb = ntr_table_find(t, "best"),
         cr = ntr_table_find(t, "reached"), cn = ntr_table_find(t, "seeds");
    if (cv < 0 || cl < 0 || cs < 0 || cc < 0 || cb < 0 || cr < 0 || cn < 0)
        return;
    ntr_report_printf(r, "\n| point | eta | alpha | K_theory | budget | reached | median K | "
                         "mean K | K (mean criterion) | fitted | 95%% lo | 95%% hi | K <= "
                         "K_theory | status |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:"
                         "|---:|---:|---|---|\n");
    for (size_t i = 0; i < ntr_table_rows(t); i++) {
        if (strcmp(ntr_table_str(t, i, (size_t)cv), series) != 0)
            continue;
        int best = ntr_table_num(t, i, (size_t)cb) == 1.0;
        ntr_report_printf(r, "| ");
        ntr_report_code(r, ntr_table_str(t, i, (size_t)cl), 1);
        ntr_report_printf(r, "%s |", tuned && best ? " (best)" : "");
        num_cell(r, t, i, "eta");
        num_cell(r, t, i, "alpha");
        num_cell(r, t, i, "K_theory");
        num_cell(r, t, i, "budget");
        ntr_report_printf(r, " %s/%s |", ntr_table_str(t, i, (size_t)cr),
                          ntr_table_str(t, i, (size_t)cn));
        num_cell(r, t, i, "median_K");
        num_cell(r, t, i, "mean_K");
        num_cell(r, t, i, "K_mean_criterion");
        num_cell(r, t, i, "stat");
        num_cell(r, t, i, "stat_lo");
        num_cell(r, t, i, "stat_hi");
        ntr_report_printf(r, " ");
        ntr_report_text(r, ntr_table_str(t, i, (size_t)cc));
        ntr_report_printf(r, " | ");
        ntr_report_text(r, ntr_table_str(t, i, (size_t)cs));
        ntr_report_printf(r, " |\n");
    }
}

static void figure(ntr_report *r, const char *dir, const char *stem, const char *caption)
{
    char path[1200];
    ntr_error tmp;
    if (ntr_path(path, sizeof path, &tmp, "%s/plots/%s.png", dir, stem) != 0 ||
        access(path, F_OK) != 0)
        return;
    ntr_report_printf(r, "\n![");
    ntr_report_text(r, caption);
    ntr_report_printf(r, "](plots/%s.png)\n", stem);
}

/* One series: its verdict, rule, multipliers, fit, table and curves. */
static void series(ntr_report *r, const char *dir, json_t *o, const ntr_table *t, int many)
{
    const char *name = jstr(o, "name");
    if (many) {
        ntr_report_printf(r, "### Series ");
        ntr_report_code(r, name, 0);
        ntr_report_printf(r, "\n\n");
    }
    ntr_report_printf(r, "**");
    ntr_report_text(r, jstr(o, "verdict_line"));
    ntr_report_printf(r, "**\n\n");
    rule_lines(r, json_object_get(o, "theory"));
    json_t *sc = json_object_get(o, "scale");
    ntr_report_printf(r, "- multipliers: scale_eta = %g, scale_alpha = %g, scale_iterations = %g%s\n",
                      jnum(sc, "eta"), jnum(sc, "alpha"), jnum(sc, "iterations"),
                      jnum(sc, "eta") == 1 && jnum(sc, "alpha") == 1
                          ? " (eta and alpha are the theorem's own)"
                          : " (eta/alpha changed: the check against K_theory does not apply)");
    json_t *fit = json_object_get(o, "fit");
    ntr_report_printf(r, "- fit: least squares of log K against log(1/eps) over %g uncensored eps, "
                         "K = the %s over %g seeds of the first k with the measure <= eps; 95%% "
                         "interval from %g bootstrap resamples of the seeds; expected %g, "
                         "tolerance %g\n",
                      jnum(fit, "points"), jstr(o, "statistic"), jnum(o, "seeds"),
                      jnum(o, "bootstrap"), jnum(o, "expect"), jnum(o, "tolerance"));
    json_t *tf = json_object_get(o, "tuned_fit");
    if (tf)
        ntr_report_printf(r, "- tuned (best multipliers per eps): exponent %.3g, 95%% CI [%.3g, "
                             "%.3g], the method's empirically best complexity here\n",
                          jnum(tf, "exponent"), jnum(tf, "ci_lo"), jnum(tf, "ci_hi"));
    table(r, t, name, tf != NULL);
    char stem[80], caption[160];
    snprintf(stem, sizeof stem, "rate_curves%s%s", name[0] ? "_" : "", name);
    snprintf(caption, sizeof caption, "running measure per eps%s%s", name[0] ? ": " : "", name);
    figure(r, dir, stem, caption);
    ntr_report_printf(r, "\n");
}

int ntr_rate_report(ntr_report *r, const char *result_dir, ntr_error *err)
{
    json_t *o;
    ntr_table *t;
    if (ntr_report_study_files(result_dir, "rates.json", "rates.csv", &o, &t, err) != 0)
        return -1;
    if (!o)
        return 0; /* not a rate study */
    ntr_report_section(r, "Rate study");
    if (json_is_string(json_object_get(o, "claim_line"))) {
        ntr_report_printf(r, "**");
        ntr_report_text(r, jstr(o, "claim_line"));
        ntr_report_printf(r, "**\n\n");
    }
    json_t *cmp = json_object_get(o, "compare");
    if (cmp) {
        ntr_report_text(r, jstr(cmp, "line"));
        ntr_report_printf(r, " (the interval pairs the two series' independent bootstrap "
                             "resamples)\n\n");
    }
    json_t *all = json_object_get(o, "series");
    size_t n = json_array_size(all);
    for (size_t i = 0; i < n; i++)
        series(r, result_dir, json_array_get(all, i), t, n > 1);
    ntr_report_printf(r, "K (mean criterion) is the first logged or hitting iteration at which "
                         "the mean over seeds of the running measure is <= eps (the theorem's "
                         "statement); a seed that stopped at its target keeps its value there, so "
                         "it is an upper bound. Status censored: some seed did not reach eps "
                         "within the budget (left out of the fit); trivial: reached at k = 0.\n");
    figure(r, result_dir, "rate_K", "K(eps) against 1/eps with the fit and the expected slope");
    ntr_table_free(t);
    json_decref(o);
    return 0;
}

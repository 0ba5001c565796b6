/* rate_report.c: the rate study's section of report.md, from rates.json
 * and rates.csv alone (a report builder, see report.h).  Per claim: the
 * claim line and the comparison first; then per series its verdict line,
 * what it is (kind, role, the verdicts expected of a control and why),
 * the theory and where its constants come from, and its evidence:
 *   tuned  the tuned exponent with both intervals and the eps range, a
 *          table of K*(eps) with the best point, K* eta and K* / information
 *          (what limits progress), K_theory, budget and status (censored,
 *          not tuned), and the lower bound that applies (or that none is
 *          known, so that consistent is the best verdict);
 *   bound  per check the worst measured/bound and where, the violations,
 *          the points it does not apply to and why;
 *   rule   the exponent, labelled as imposed by the rule;
 * and one line saying what the verdict rests on.  Figures last. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output/files.h"
#include "report/report.h"
#include "base/table.h"
#include "study/rate/rate.h"

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

static void theory_line(ntr_report *r, json_t *th)
{
    const char *src = jstr(th, "source");
    ntr_report_printf(r, "- theory: ");
    ntr_report_code(r, jstr(th, "name"), 0);
    if (!strcmp(src, "reconstructed"))
        ntr_report_printf(r, ", constants **[reconstructed]** from the proof structure "
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
}

static void str_cell(ntr_report *r, const ntr_table *t, size_t row, const char *col, int code)
{
    long c = ntr_table_find(t, col);
    const char *s = c >= 0 ? ntr_table_str(t, row, (size_t)c) : "";
    ntr_report_printf(r, " ");
    if (code && s[0])
        ntr_report_code(r, s, 1);
    else
        ntr_report_text(r, s);
    ntr_report_printf(r, " |");
}

static void eps_table(ntr_report *r, const ntr_table *t, const char *series)
{
    long cs = ntr_table_find(t, "series");
    if (cs < 0)
        return;
    ntr_report_printf(r, "\n| eps | status | K | 95%% lo | 95%% hi | best point | eta | alpha | "
                         "K eta | information | K / information | K_theory | budget | why |\n"
                         "|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (size_t i = 0; i < ntr_table_rows(t); i++) {
        if (strcmp(ntr_table_str(t, i, (size_t)cs), series) != 0)
            continue;
        ntr_report_printf(r, "|");
        ntr_report_num_cell(r, t, i, "eps", 4);
        str_cell(r, t, i, "status", 0);
        ntr_report_num_cell(r, t, i, "K", 4);
        ntr_report_num_cell(r, t, i, "K_lo", 4);
        ntr_report_num_cell(r, t, i, "K_hi", 4);
        str_cell(r, t, i, "best", 1);
        ntr_report_num_cell(r, t, i, "eta", 4);
        ntr_report_num_cell(r, t, i, "alpha", 4);
        ntr_report_num_cell(r, t, i, "K_eta", 4);
        ntr_report_num_cell(r, t, i, "information", 4);
        ntr_report_num_cell(r, t, i, "K_over_information", 4);
        ntr_report_num_cell(r, t, i, "K_theory", 4);
        ntr_report_num_cell(r, t, i, "budget", 4);
        str_cell(r, t, i, "why", 0);
        ntr_report_printf(r, "\n");
    }
}

static void fit_lines(ntr_report *r, json_t *o)
{
    json_t *fit = json_object_get(o, "fit");
    int rule = !strcmp(jstr(o, "kind"), "rule");
    ntr_report_printf(r, "- %s: %.3g, 95%% interval [%.3g, %.3g] (the union of the fit's "
                         "parametric interval [%.3g, %.3g] and a bootstrap over seeds [%.3g, "
                         "%.3g]; rms residual of log K %.3g), from %g of %g eps over %g..%g; "
                         "claimed %g, tolerance %g\n",
                      rule ? "exponent **imposed by the rule** (a contrast, not evidence)"
                           : "tuned exponent of K*(eps)",
                      jnum(fit, "exponent"), jnum(fit, "ci_lo"), jnum(fit, "ci_hi"),
                      jnum(fit, "parametric_lo"), jnum(fit, "parametric_hi"),
                      jnum(fit, "bootstrap_lo"), jnum(fit, "bootstrap_hi"),
                      jnum(fit, "rms_residual"), jnum(o, "usable"), jnum(o, "eps_count"),
                      jnum(o, "eps_first"), jnum(o, "eps_last"), jnum(o, "expect"),
                      jnum(o, "tolerance"));
    if (rule)
        return;
    ntr_report_printf(r, "- K*(eps): the smallest median hitting time over the tuning grid (");
    json_t *keys = json_object_get(o, "tune_keys"), *pins = json_object_get(o, "tune_pinned");
    for (size_t i = 0; i < json_array_size(keys); i++) {
        ntr_report_printf(r, "%s", i ? ", " : "");
        ntr_report_code(r, json_string_value(json_array_get(keys, i)), 0);
    }
    if (!json_array_size(keys))
        ntr_report_printf(r, "no key");
    ntr_report_printf(r, ") among points whose every seed reached eps; a best point on the "
                         "grid's edge is not tuned");
    for (size_t i = 0; i < json_array_size(pins); i++) {
        ntr_report_printf(r, "%s", i ? ", " : "; left out of the grid (set by the series or "
                                             "pinned by --set): ");
        ntr_report_code(r, json_string_value(json_array_get(pins, i)), 0);
    }
    ntr_report_printf(r, "\n");
    if (json_is_string(json_object_get(o, "information"))) {
        ntr_report_printf(r, "- information count: ");
        ntr_report_code(r, jstr(o, "information"), 0);
        ntr_report_printf(r, " (K*/information about constant and above 1 with K* eta not "
                             "constant: the reveals limit progress; K* eta constant: travel at "
                             "speed eta does)\n");
    }
    if (json_is_string(json_object_get(o, "lower_bound"))) {
        ntr_report_printf(r, "- lower bound that applies: ");
        ntr_report_text(r, jstr(o, "lower_bound"));
        ntr_report_printf(r, "\n");
    } else {
        ntr_report_printf(r, "- no lower bound of the claimed order is known for this instance: "
                             "the best possible verdict is consistent\n");
    }
}

static void bound_lines(ntr_report *r, json_t *o)
{
    json_t *cs = json_object_get(o, "constants");
    ntr_report_printf(r, "- each check: the mean over %g seeds of the measured quantity at every "
                         "logged K against the bound with the cell's own constants; violated "
                         "where the one-sided lower confidence bound exceeds it (%g%% family-wise over "
                         "the point's rows: Bonferroni)",
                      jnum(o, "seeds"), 100.0 * jnum(o, "confidence"));
    if (jnum(cs, "L") != 1 || jnum(cs, "sigma") != 1 || jnum(cs, "rho") != 1 ||
        jnum(cs, "Delta0") != 1)
        ntr_report_printf(r, "; constants deliberately scaled: L x %g, sigma x %g, rho x %g, "
                             "Delta0 x %g",
                          jnum(cs, "L"), jnum(cs, "sigma"), jnum(cs, "rho"), jnum(cs, "Delta0"));
    ntr_report_printf(r, "\n");
    json_t *b;
    size_t i;
    json_array_foreach(json_object_get(o, "bounds"), i, b)
    {
        ntr_report_printf(r, "- %s [%s]: %g of %g points apply, %g violated (%g rows)",
                          jstr(b, "check"), jstr(b, "source"), jnum(b, "applicable"),
                          jnum(b, "points"), jnum(b, "violated_points"), jnum(b, "violations"));
        if (isfinite(jnum(b, "worst_ratio"))) {
            ntr_report_printf(r, "; worst measured/bound %.3g at ", jnum(b, "worst_ratio"));
            ntr_report_code(r, jstr(b, "worst_point"), 0);
            ntr_report_printf(r, ", K = %.0f", jnum(b, "worst_k"));
        }
        if (jstr(b, "not_applicable_because")[0]) {
            ntr_report_printf(r, "; not applicable to some points: ");
            ntr_report_text(r, jstr(b, "not_applicable_because"));
        }
        ntr_report_printf(r, "\n");
    }
    ntr_report_printf(r, "\n| point | check | applies | worst measured/bound | at K | violations |\n"
                         "|---|---|---|---:|---:|---:|\n");
    json_t *q;
    json_array_foreach(json_object_get(o, "points"), i, q)
    {
        ntr_report_printf(r, "| ");
        ntr_report_code(r, jstr(q, "point"), 1);
        ntr_report_printf(r, " | %s | %s | %.3g | %.0f | %g |\n", jstr(q, "check"),
                          json_is_true(json_object_get(q, "applicable")) ? "yes" : "no",
                          jnum(q, "worst_ratio"), jnum(q, "worst_k"), jnum(q, "violations"));
    }
}

static void rests_on(ntr_report *r, json_t *o)
{
    const char *kind = jstr(o, "kind"), *role = jstr(o, "role");
    ntr_report_printf(r, "- the verdict rests on: ");
    if (!strcmp(role, "contrast"))
        ntr_report_printf(r, "nothing of the claim (a contrast)");
    else if (!strcmp(kind, "bound"))
        ntr_report_printf(r, "the theorem's bound at every logged K with its own constants");
    else if (json_is_string(json_object_get(o, "lower_bound")))
        ntr_report_printf(r, "the exponent of the tuned K*(eps) on an instance whose lower bound "
                             "is of the claimed order");
    else
        ntr_report_printf(r, "the exponent of the tuned K*(eps) not exceeding the claim, and "
                             "K* <= K_theory");
    if (!strcmp(role, "control"))
        ntr_report_printf(r, "; as a control it must come out as expected for the claim to count");
    ntr_report_printf(r, "\n");
}

static void series(ntr_report *r, json_t *o, const ntr_table *t, int many)
{
    const char *name = jstr(o, "name");
    if (many) {
        ntr_report_printf(r, "### Series ");
        ntr_report_code(r, name, 0);
        ntr_report_printf(r, " (%s, %s)\n\n", jstr(o, "kind"), jstr(o, "role"));
    }
    ntr_report_bold_line(r, jstr(o, "verdict_line"));
    json_t *exp = json_object_get(o, "expected");
    if (json_array_size(exp)) {
        ntr_report_printf(r, "- expected verdict: ");
        for (size_t i = 0; i < json_array_size(exp); i++)
            ntr_report_printf(r, "%s%s", i ? " or " : "",
                              json_string_value(json_array_get(exp, i)));
        if (json_is_string(json_object_get(o, "note"))) {
            ntr_report_printf(r, "; ");
            ntr_report_text(r, jstr(o, "note"));
        }
        ntr_report_printf(r, "\n");
    }
    theory_line(r, json_object_get(o, "theory"));
    if (!strcmp(jstr(o, "kind"), "bound")) {
        bound_lines(r, o);
    } else {
        fit_lines(r, o);
        eps_table(r, t, name);
    }
    ntr_report_printf(r, "\n");
    rests_on(r, o);
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
        ntr_report_bold_line(r, jstr(o, "claim_line"));
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
        series(r, json_array_get(all, i), t, n > 1);
    ntr_report_printf(r, "Status censored: no grid point reached eps with every seed within the "
                         "budget (it counts as K > budget, never dropped silently); not_tuned: "
                         "the best point lies on the tuning grid's edge; trivial: reached at "
                         "k = 0. Per point: rate_points.csv; every bound row: bounds.csv.\n");
    ntr_report_figure(r, result_dir, "rate_K", "K(eps) against 1/eps with the fit and the claimed slope");
    ntr_report_figure(r, result_dir, "rate_bounds", "measured / bound at every K");
    ntr_table_free(t);
    json_decref(o);
    return 0;
}

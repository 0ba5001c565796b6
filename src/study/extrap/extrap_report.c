/* extrap_report.c: the extrapolation study's section of report.md, from
 * extrapolation.json and its two CSV files alone (a report builder, see
 * report.h): the claim line and what it rests on, each role's verdict,
 * the momentum errors (a), the crossovers (b), the dose-response (c), and
 * the figures. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output/files.h"
#include "report/report.h"
#include "base/table.h"
#include "study/extrap/extrap.h"

static const char *text(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static double jnum(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The role columns (err_ROLE) of the momentum table. */
static void momentum_table(ntr_report *r, const ntr_table *t)
{
    size_t nc = ntr_table_cols(t);
    ntr_report_printf(r, "\n| dose | part | eps | eta | alpha | L eta/alpha | floor F |");
    for (size_t c = 0; c < nc; c++)
        if (!strncmp(ntr_table_name(t, c), "err_", 4))
            ntr_report_printf(r, " %s |", ntr_table_name(t, c) + 4);
    ntr_report_printf(r, " c |\n|---|---|");
    for (size_t c = 0; c < nc; c++)
        if (!strncmp(ntr_table_name(t, c), "err_", 4))
            ntr_report_printf(r, "---:|");
    ntr_report_printf(r, "---:|---:|---:|---:|---:|---:|\n");
    long cd = ntr_table_find(t, "dose"), cp = ntr_table_find(t, "part");
    for (size_t row = 0; cd >= 0 && cp >= 0 && row < ntr_table_rows(t); row++) {
        ntr_report_printf(r, "| ");
        ntr_report_code(r, ntr_table_str(t, row, (size_t)cd), 1);
        ntr_report_printf(r, " | %s |", ntr_table_str(t, row, (size_t)cp));
        ntr_report_num_cell(r, t, row, "eps", 3);
        ntr_report_num_cell(r, t, row, "eta", 3);
        ntr_report_num_cell(r, t, row, "alpha", 3);
        ntr_report_num_cell(r, t, row, "lag", 3);
        ntr_report_num_cell(r, t, row, "floor", 3);
        for (size_t c = 0; c < nc; c++)
            if (!strncmp(ntr_table_name(t, c), "err_", 4))
                ntr_report_num_cell(r, t, row, ntr_table_name(t, c), 3);
        ntr_report_num_cell(r, t, row, "c", 3);
        ntr_report_printf(r, "\n");
    }
}

static void dose_table(ntr_report *r, json_t *doses)
{
    ntr_report_printf(r, "\n| dose | L | L2 | L^2/L2 | crossover | eps* | eps missed by plain | "
                         "slope of log R_off in log eps |\n|---|---:|---:|---:|---|---:|---:|---:|"
                         "\n");
    for (size_t i = 0; i < json_array_size(doses); i++) {
        json_t *x = json_array_get(doses, i);
        ntr_report_printf(r, "| ");
        ntr_report_code(r, text(x, "dose"), 1);
        ntr_report_printf(r, " | %.3g | %.3g | %.3g | %s | %.3g | %.0f | %.3g |\n", jnum(x, "L"),
                          jnum(x, "L2"), jnum(x, "L2_ratio"), text(x, "crossover"),
                          jnum(x, "eps_star"), jnum(x, "eps_missed_by_plain"),
                          jnum(x, "slope_R_off"));
    }
}

/* The crossover CSV: one row per dose and eps, a column per role. */
static void crossover_table(ntr_report *r, const ntr_table *t)
{
    size_t nc = ntr_table_cols(t);
    ntr_report_printf(r, "\n| dose | eps | eta | alpha | K |");
    for (size_t c = 0; c < nc; c++)
        if (!strncmp(ntr_table_name(t, c), "R_", 2))
            ntr_report_printf(r, " R %s |", ntr_table_name(t, c) + 2);
    ntr_report_printf(r, "\n|---|---:|---:|---:|---:|");
    for (size_t c = 0; c < nc; c++)
        if (!strncmp(ntr_table_name(t, c), "R_", 2))
            ntr_report_printf(r, "---:|");
    ntr_report_printf(r, "\n");
    long cd = ntr_table_find(t, "dose");
    for (size_t row = 0; cd >= 0 && row < ntr_table_rows(t); row++) {
        ntr_report_printf(r, "| ");
        ntr_report_code(r, ntr_table_str(t, row, (size_t)cd), 1);
        ntr_report_printf(r, " |");
        ntr_report_num_cell(r, t, row, "eps", 3);
        ntr_report_num_cell(r, t, row, "eta", 3);
        ntr_report_num_cell(r, t, row, "alpha", 3);
        ntr_report_num_cell(r, t, row, "iterations", 3);
        for (size_t c = 0; c < nc; c++)
            if (!strncmp(ntr_table_name(t, c), "R_", 2))
                ntr_report_num_cell(r, t, row, ntr_table_name(t, c), 3);
        ntr_report_printf(r, "\n");
    }
}

static void figure(ntr_report *r, const char *dir, const char *name, const char *what)
{
    char path[1200];
    ntr_error tmp;
    if (ntr_path(path, sizeof path, &tmp, "%s/plots/%s.png", dir, name) == 0 &&
        access(path, F_OK) == 0)
        ntr_report_printf(r, "\n![%s](plots/%s.png)\n", what, name);
}

int ntr_ex_report(ntr_report *r, const char *result_dir, ntr_error *err)
{
    json_t *o;
    ntr_table *mom, *cross = NULL;
    if (ntr_report_study_files(result_dir, "extrapolation.json", "extrapolation_momentum.csv",
                               &o, &mom, err) != 0)
        return -1;
    if (!o)
        return 0; /* not an extrapolation study */
    char path[1200];
    if (ntr_path(path, sizeof path, err, "%s/extrapolation_crossover.csv", result_dir) != 0 ||
        ntr_table_read(path, &cross, err) != 0) {
        ntr_table_free(mom);
        json_decref(o);
        return -1;
    }
    ntr_report_section(r, "Extrapolation mechanism (claim C4)");
    ntr_report_bold_line(r, text(o, "claim_line"));
    ntr_report_printf(r, "The verdict rests on the mechanism, measured with extrapolation "
                         "off and on at the same (eta, alpha): (a) the momentum error, (b) the "
                         "crossover eps* of the running average, (c) how eps* moves with "
                         "L^2/L2; not on the exponents that two step-size rules impose.  Each "
                         "control breaks the mechanism on purpose and must come out violated.\n\n");
    json_t *verdicts = json_object_get(o, "verdicts");
    for (size_t i = 0; i < json_array_size(verdicts); i++) {
        json_t *v = json_array_get(verdicts, i);
        ntr_report_printf(r, "- %s: **%s** (expected %s): ", text(v, "role"), text(v, "verdict"),
                          text(v, "expected"));
        ntr_report_text(r, text(v, "why"));
        ntr_report_printf(r, "\n");
    }
    json_t *m = json_object_get(o, "momentum");
    ntr_report_printf(r, "\n**(a) Momentum error.** Root mean square over seeds and the window k "
                         ">= warmup/alpha.  Plain momentum lags about 1/alpha steps: while "
                         "travelling its error is c L eta/alpha on top of the floor F = "
                         "sqrt(alpha/(2-alpha)) sigma; extrapolated, it must stay within "
                         "[F/%.3g, %.3g E], E = sqrt(F^2 + (L eta + L2 (eta/alpha)^2)^2).  Lag "
                         "exponent %.3g [%.3g, %.3g] over %.0f travelling points (predicted 1 +- "
                         "%.3g), c from %.3g to %.3g.\n",
                      jnum(m, "floor_factor"), jnum(m, "floor_factor"), jnum(m, "exponent"),
                      jnum(m, "exponent_lo"), jnum(m, "exponent_hi"), jnum(m, "points_fitted"),
                      jnum(m, "band"), jnum(m, "c_min"), jnum(m, "c_max"));
    momentum_table(r, mom);
    figure(r, result_dir, "extrapolation_momentum", "momentum error against L eta/alpha");
    ntr_report_printf(r, "\n**(b) Crossover.** At each eps the rule's (eta, alpha), budget "
                         "ceil(horizon/alpha), started at x*: R = median over seeds of the final "
                         "running average (1/K) sum ||grad f(x_k)||_* / eps (above 1: eps not "
                         "reached).  eps* is where the plain R crosses 1.\n");
    dose_table(r, json_object_get(o, "doses"));
    crossover_table(r, cross);
    figure(r, result_dir, "extrapolation_crossover", "running average over eps");
    json_t *f = json_object_get(o, "dose_response");
    ntr_report_printf(r, "\n**(c) Dose-response.** eps* ~ (L^2/L2)^%.3g, 95%% interval [%.3g, "
                         "%.3g] (parametric [%.3g, %.3g] joined with a seed bootstrap [%.3g, "
                         "%.3g]) over %.0f doses; predicted 1 +- %.3g.\n",
                      jnum(f, "exponent"), jnum(f, "exponent_lo"), jnum(f, "exponent_hi"),
                      jnum(f, "parametric_lo"), jnum(f, "parametric_hi"), jnum(f, "bootstrap_lo"),
                      jnum(f, "bootstrap_hi"), jnum(f, "doses_fitted"), jnum(f, "band"));
    figure(r, result_dir, "extrapolation_dose", "eps* against L^2/L2");
    ntr_table_free(cross);
    ntr_table_free(mom);
    json_decref(o);
    return 0;
}

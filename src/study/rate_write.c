/* rate_write.c: a rate study's rates.csv and rates.json (see rate_data.h).
 *
 * rates.csv has one row per point (series, eps and tune pair):
 *   variant (the series' name, empty without variants), eps, label, eta_mult, alpha_mult, eta, alpha, weight_decay, K_theory,
 *   budget, seeds, reached, K_seed_0 .. K_seed_{S-1} (empty: never),
 *   median_K, mean_K, K_mean_criterion, stat, stat_lo, stat_hi (the fitted
 *   statistic and its 95% bootstrap interval), K_le_theory (yes, no, n/a,
 *   unknown), status (ok, censored, trivial, pending), best (1: lowest
 *   statistic of its eps over the tune grid), then the study's exponent,
 *   ci_lo, ci_hi, expected, tolerance, verdict and, when tuning, the tuned
 *   exponent and its interval (the same on every row of a series).
 * rates.json holds what the report states beside the table: per series the
 * theory, its source and formulas, the multipliers, the fits and the
 * verdict line; then the comparison and the claim line. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../output/files.h"
#include "rate_data.h"

static const char *const checks[] = {"n/a", "yes", "no", "unknown"};

static void real(FILE *f, double v)
{
    if (isnan(v))
        fputc(',', f);
    else
        fprintf(f, ",%.17g", v);
}

static const char *point_status(const ntr_rate_point *p, size_t S)
{
    if (p->pending)
        return "pending";
    if (p->reached < S)
        return "censored";
    return p->trivial ? "trivial" : "ok";
}

static void write_header(FILE *f, size_t S)
{
    fputs("variant,eps,label,eta_mult,alpha_mult,eta,alpha,weight_decay,K_theory,budget,seeds,reached", f);
    for (size_t j = 0; j < S; j++)
        fprintf(f, ",K_seed_%zu", j);
    fputs(",median_K,mean_K,K_mean_criterion,stat,stat_lo,stat_hi,K_le_theory,status,best,"
          "exponent,ci_lo,ci_hi,expected,tolerance,verdict,tuned_exponent,tuned_ci_lo,"
          "tuned_ci_hi\n",
          f);
}

static void write_rows(FILE *f, const ntr_rate_data *d, size_t S)
{
    const ntr_rate_spec *s = d->spec;
    for (size_t i = 0; i < d->npoints; i++) {
        const ntr_rate_point *p = &d->pt[i];
        fprintf(f, "%s,%.17g,\"%s\",%.17g,%.17g", s->name, p->eps, p->label, p->eta_mult,
                p->alpha_mult);
        real(f, p->eta);
        real(f, p->alpha);
        real(f, p->weight_decay);
        real(f, p->K_theory);
        fprintf(f, ",%ld,%zu,%zu", p->budget, d->nseeds, p->reached);
        for (size_t j = 0; j < S; j++)
            real(f, j < d->nseeds ? p->seed[j].hit : NAN);
        real(f, p->median);
        real(f, p->mean);
        real(f, p->K_mean);
        real(f, p->stat);
        real(f, p->lo);
        real(f, p->hi);
        fprintf(f, ",%s,%s,%d", checks[p->check], point_status(p, S), p->best);
        real(f, d->fit.slope);
        real(f, d->fit.ci_lo);
        real(f, d->fit.ci_hi);
        real(f, s->expect);
        real(f, s->tolerance);
        fprintf(f, ",%s", ntr_rate_verdict_names[d->verdict]);
        real(f, d->tuned.slope);
        real(f, d->tuned.ci_lo);
        real(f, d->tuned.ci_hi);
        fputc('\n', f);
    }
}

static json_t *jreal(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *fit_json(const ntr_rate_fit *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "points", json_integer((json_int_t)f->npoints));
    json_object_set_new(o, "exponent", jreal(f->slope));
    json_object_set_new(o, "intercept", jreal(f->intercept));
    json_object_set_new(o, "ci_lo", jreal(f->ci_lo));
    json_object_set_new(o, "ci_hi", jreal(f->ci_hi));
    return o;
}

static json_t *series_json(const ntr_rate_data *d)
{
    const ntr_rate_spec *s = d->spec;
    const ntr_theory *t = s->theory;
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(s->name));
    json_t *th = json_object();
    json_object_set_new(th, "name", json_string(ntr_theory_name(t)));
    json_object_set_new(th, "source", json_string(ntr_theory_source(t)));
    json_object_set_new(th, "measure",
                        json_string(ntr_measure_names[ntr_theory_measure_of(t)]));
    json_object_set_new(th, "exponent", jreal(ntr_theory_exponent(t)));
    const char *rules[] = {"alpha", "eta", "weight_decay", "iterations"};
    for (int i = 0; i < 4; i++) {
        const char *f = ntr_theory_formula(t, rules[i]);
        if (f)
            json_object_set_new(th, rules[i], json_string(f));
    }
    if (ntr_theory_extrapolation(t))
        json_object_set_new(th, "extrapolation", json_true());
    if (ntr_theory_assumption(t))
        json_object_set_new(th, "assumption", json_string(ntr_theory_assumption(t)));
    json_t *set = json_object();
    for (size_t i = 0; i < ntr_theory_nsettings(t); i++)
        json_object_set_new(set, ntr_theory_setting_key(t, i), json_string("rule"));
    json_object_set_new(th, "settings", set);
    json_object_set_new(o, "theory", th);
    json_t *sc = json_object();
    json_object_set_new(sc, "eta", json_real(s->scale_eta));
    json_object_set_new(sc, "alpha", json_real(s->scale_alpha));
    json_object_set_new(sc, "iterations", json_real(s->scale_iterations));
    json_object_set_new(o, "scale", sc);
    json_object_set_new(o, "max_iterations", json_integer(s->max_iterations));
    json_object_set_new(o, "seeds", json_integer((json_int_t)d->nseeds));
    json_object_set_new(o, "statistic", json_string(s->fit_mean ? "mean" : "median"));
    json_object_set_new(o, "bootstrap", json_integer(s->bootstrap));
    json_object_set_new(o, "expect", json_real(s->expect));
    json_object_set_new(o, "tolerance", json_real(s->tolerance));
    json_object_set_new(o, "fit", fit_json(&d->fit));
    if (s->tuned)
        json_object_set_new(o, "tuned_fit", fit_json(&d->tuned));
    json_object_set_new(o, "censored", json_integer((json_int_t)d->ncensored));
    json_object_set_new(o, "checked", json_integer((json_int_t)d->nchecked));
    json_object_set_new(o, "exceeded", json_integer((json_int_t)d->nexceeded));
    json_object_set_new(o, "verdict", json_string(ntr_rate_verdict_names[d->verdict]));
    if (s->claim >= 0)
        json_object_set_new(o, "claim", json_string(ntr_rate_verdict_names[s->claim]));
    json_object_set_new(o, "verdict_line", json_string(d->line));
    return o;
}

static json_t *rates_json(const ntr_rate_study *st, const ntr_rate_data *d,
                          const ntr_rate_comparison *cmp, const char *claim)
{
    json_t *o = json_object(), *series = json_array();
    for (size_t i = 0; i < st->nvar; i++)
        json_array_append_new(series, series_json(&d[i]));
    json_object_set_new(o, "series", series);
    if (cmp) {
        json_t *c = json_object();
        json_object_set_new(c, "a", json_string(st->var[st->cmp_a].name));
        json_object_set_new(c, "b", json_string(st->var[st->cmp_b].name));
        json_object_set_new(c, "difference", jreal(cmp->difference));
        json_object_set_new(c, "ci_lo", jreal(cmp->ci_lo));
        json_object_set_new(c, "ci_hi", jreal(cmp->ci_hi));
        json_object_set_new(c, "expected", json_real(st->cmp_difference));
        json_object_set_new(c, "tolerance", json_real(st->cmp_tolerance));
        json_object_set_new(c, "consistent", json_boolean(cmp->consistent));
        json_object_set_new(c, "line", json_string(cmp->line));
        json_object_set_new(o, "compare", c);
    }
    if (claim[0])
        json_object_set_new(o, "claim_line", json_string(claim));
    return o;
}

int ntr_rate_write(const char *result_dir, const ntr_rate_study *st, ntr_rate_data *d,
                   const ntr_rate_comparison *cmp, const char *claim, ntr_error *err)
{
    char path[1100];
    ntr_tmpfile t;
    if (ntr_path(path, sizeof path, err, "%s/rates.csv", result_dir) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    size_t S = 0;
    for (size_t i = 0; i < st->nvar; i++)
        S = d[i].nseeds > S ? d[i].nseeds : S;
    write_header(t.fp, S);
    for (size_t i = 0; i < st->nvar; i++)
        write_rows(t.fp, &d[i], S);
    if (ntr_tmpfile_commit(&t, err) != 0)
        return -1;
    json_t *o = rates_json(st, d, cmp, claim);
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (!text)
        return ntr_fail(err, NTR_E_INTERNAL, "cannot encode rates.json");
    int rc = ntr_path(path, sizeof path, err, "%s/rates.json", result_dir);
    if (rc == 0) {
        size_t len = strlen(text);
        char *nl = realloc(text, len + 2);
        if (!nl) {
            free(text);
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
        text = nl;
        text[len] = '\n';
        text[len + 1] = '\0';
        rc = ntr_write_atomic(path, text, len + 1, err);
    }
    free(text);
    return rc;
}

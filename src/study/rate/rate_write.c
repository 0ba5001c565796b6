/* rate_write.c: a rate study's tables and rates.json (see rate_data.h).
 *
 * rates.csv, one row per (tuned or rule series, eps):
 *   series, kind, role, eps, status (ok | censored | not_tuned | pending |
 *   trivial), K (K*(eps) for tuned, the median for rule), K_lo, K_hi (95%
 *   bootstrap), best (the chosen point's label), eta, alpha (its resolved
 *   values), K_eta (K eta), information, K_over_information, K_theory,
 *   budget, why.
 * rate_points.csv, one row per point of those series: series, eps, label,
 *   eta, alpha, weight_decay, budget, seeds, reached, K_seed_0.. (empty:
 *   never), score (median if every seed reached, inf otherwise), best.
 * bounds.csv, one row per (bound series, point, check, logged K): series,
 *   point, check, applicable, k, mean, lcb, bound, ratio, violated.
 * rates.json: per series its kind, role, expected verdicts, note, theory,
 *   fit, diagnostics, bound summaries, verdict and line; the comparison and
 *   the claim line. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/csv_field.h"
#include "output/files.h"
#include "study/rate/rate_data.h"

static void real(FILE *f, double v)
{
    if (isnan(v))
        fputc(',', f);
    else
        fprintf(f, ",%.17g", v);
}

static void text(FILE *f, const char *s)
{
    fputc(',', f);
    ntr_csv_field(f, s);
}

static void rates_rows(FILE *f, const ntr_rate_data *d)
{
    const ntr_rate_spec *s = d->spec;
    if (s->kind == NTR_RATE_KIND_BOUND)
        return;
    for (size_t ie = 0; ie < s->neps; ie++) {
        const ntr_rate_eps *e = &d->per[ie];
        const ntr_rate_point *b = e->best;
        ntr_csv_field(f, s->name);
        text(f, ntr_rate_kind_names[s->kind]);
        text(f, ntr_rate_role_names[s->role]);
        real(f, e->eps);
        text(f, e->status);
        real(f, e->K);
        real(f, e->K_lo);
        real(f, e->K_hi);
        text(f, b ? b->label : "");
        real(f, b ? b->eta : NAN);
        real(f, b ? b->alpha : NAN);
        real(f, b ? e->K * b->eta : NAN);
        real(f, e->information);
        real(f, e->K / e->information);
        real(f, e->K_theory);
        fprintf(f, ",%ld", e->budget);
        text(f, e->why);
        fputc('\n', f);
    }
}

static void point_rows(FILE *f, const ntr_rate_data *d, size_t S)
{
    const ntr_rate_spec *s = d->spec;
    if (s->kind == NTR_RATE_KIND_BOUND)
        return;
    for (size_t i = 0; i < d->npoints; i++) {
        const ntr_rate_point *p = &d->pt[i];
        ntr_csv_field(f, s->name);
        real(f, p->eps);
        text(f, p->label);
        real(f, p->eta);
        real(f, p->alpha);
        real(f, p->weight_decay);
        fprintf(f, ",%ld,%zu,%zu", p->budget, d->nseeds, p->reached);
        for (size_t j = 0; j < S; j++)
            real(f, j < d->nseeds ? p->seed[j].hit : NAN);
        if (isinf(p->score))
            fputs(",inf", f);
        else
            real(f, p->score);
        fprintf(f, ",%d\n", p->best);
    }
}

static void bound_rows(FILE *f, const ntr_rate_data *d)
{
    const ntr_rate_spec *s = d->spec;
    if (s->kind != NTR_RATE_KIND_BOUND)
        return;
    for (size_t i = 0; i < d->npoints; i++)
        for (int c = 0; c < NTR_RATE_NCHECKS; c++) {
            const ntr_rate_bcheck *b = &d->pt[i].chk[c];
            for (size_t r = 0; b->active && r < b->nrows; r++) {
                ntr_csv_field(f, s->name);
                text(f, d->pt[i].label);
                text(f, ntr_rate_check_names[c]);
                fprintf(f, ",%d", b->applicable);
                real(f, b->k[r]);
                real(f, b->mean[r]);
                if (isinf(b->lcb[r]))
                    fputs(",-inf", f);
                else
                    real(f, b->lcb[r]);
                real(f, b->bound[r]);
                real(f, b->ratio[r]);
                fprintf(f, ",%d\n", b->violated[r]);
            }
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
    json_object_set_new(o, "parametric_lo", jreal(f->par_lo));
    json_object_set_new(o, "parametric_hi", jreal(f->par_hi));
    json_object_set_new(o, "bootstrap_lo", jreal(f->boot_lo));
    json_object_set_new(o, "bootstrap_hi", jreal(f->boot_hi));
    json_object_set_new(o, "rms_residual", jreal(f->rms));
    return o;
}

static json_t *theory_json(const ntr_theory *t)
{
    json_t *th = json_object();
    json_object_set_new(th, "name", json_string(ntr_theory_name(t)));
    json_object_set_new(th, "source", json_string(ntr_theory_source(t)));
    json_object_set_new(th, "measure", json_string(ntr_measure_names[ntr_theory_measure_of(t)]));
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
    json_t *set = json_array();
    for (size_t i = 0; i < ntr_theory_nsettings(t); i++)
        json_array_append_new(set, json_string(ntr_theory_setting_key(t, i)));
    json_object_set_new(th, "settings", set);
    return th;
}

static json_t *bounds_json(const ntr_rate_data *d)
{
    json_t *a = json_array();
    for (int c = 0; c < NTR_RATE_NCHECKS; c++) {
        if (!((d->spec->checks >> c) & 1u))
            continue;
        const ntr_rate_bsum *b = &d->bsum[c];
        json_t *o = json_object();
        json_object_set_new(o, "check", json_string(ntr_rate_check_names[c]));
        json_object_set_new(o, "source", json_string(c == 2 ? "reconstructed" : "paper"));
        json_object_set_new(o, "points", json_integer((json_int_t)b->points));
        json_object_set_new(o, "applicable", json_integer((json_int_t)b->applicable));
        json_object_set_new(o, "violated_points", json_integer((json_int_t)b->violated_points));
        json_object_set_new(o, "violations", json_integer((json_int_t)b->violations));
        json_object_set_new(o, "worst_ratio", jreal(b->worst_ratio));
        json_object_set_new(o, "worst_k", jreal(b->worst_k));
        json_object_set_new(o, "worst_point", json_string(b->worst ? b->worst->label : ""));
        const char *na = "";
        for (size_t i = 0; i < d->npoints && !na[0]; i++)
            if (d->pt[i].chk[c].active && !d->pt[i].chk[c].applicable)
                na = d->pt[i].chk[c].why_na;
        json_object_set_new(o, "not_applicable_because", json_string(na));
        json_array_append_new(a, o);
    }
    return a;
}

/* One entry per point and active check of a bound series. */
static json_t *bound_points_json(const ntr_rate_data *d)
{
    json_t *pts = json_array();
    for (size_t i = 0; i < d->npoints; i++)
        for (int c = 0; c < NTR_RATE_NCHECKS; c++) {
            const ntr_rate_bcheck *b = &d->pt[i].chk[c];
            if (!b->active)
                continue;
            json_t *q = json_object();
            json_object_set_new(q, "point", json_string(d->pt[i].label));
            json_object_set_new(q, "check", json_string(ntr_rate_check_names[c]));
            json_object_set_new(q, "applicable", json_boolean(b->applicable));
            json_object_set_new(q, "not_applicable_because", json_string(b->why_na));
            json_object_set_new(q, "eta", jreal(d->pt[i].eta));
            json_object_set_new(q, "alpha", jreal(d->pt[i].alpha));
            json_object_set_new(q, "worst_ratio", jreal(b->worst_ratio));
            json_object_set_new(q, "worst_k", jreal(b->worst_k));
            json_object_set_new(q, "violations", json_integer((json_int_t)b->violations));
            json_object_set_new(q, "first_violation_k", jreal(b->first_violation_k));
            json_object_set_new(q, "approx", json_boolean(b->approx));
            json_array_append_new(pts, q);
        }
    return pts;
}

/* The fields of a bound series. */
static void bound_fields(json_t *o, const ntr_rate_data *d)
{
    const ntr_rate_spec *s = d->spec;
    json_object_set_new(o, "confidence", json_real(s->confidence));
    json_object_set_new(o, "applicability", json_string(s->any_method ? "any" : "algorithm1"));
    json_t *cs = json_object();
    json_object_set_new(cs, "L", json_real(s->scale_L));
    json_object_set_new(cs, "sigma", json_real(s->scale_sigma));
    json_object_set_new(cs, "rho", json_real(s->scale_rho));
    json_object_set_new(cs, "Delta0", json_real(s->scale_Delta0));
    json_object_set_new(o, "constants", cs);
    json_object_set_new(o, "bounds", bounds_json(d));
    json_object_set_new(o, "points", bound_points_json(d));
}

/* The tuning keys of a rate series (tune_keys) and those pinned
 * (tune_pinned: by the series, or by --set leaving one value). */
static void tune_fields(json_t *o, const ntr_rate_data *d)
{
    const ntr_rate_spec *s = d->spec;
    json_t *pins = json_array();
    for (size_t i = 0; i < s->tune.npinned; i++)
        json_array_append_new(pins, json_string(s->tune.pinned[i]));
    for (size_t i = 0; i < s->tune.naxes; i++) /* ran with one value: --set pinned it */
        if (d->collapsed[i])
            json_array_append_new(pins, json_string(s->tune.axis[i].key));
    json_object_set_new(o, "tune_pinned", pins);
    json_t *keys = json_array();
    for (size_t i = 0; i < s->tune.naxes; i++)
        json_array_append_new(keys, json_string(s->tune.axis[i].key));
    json_object_set_new(o, "tune_keys", keys);
}

/* The fields of a rate series (tuned or rule): the fit and what it used. */
static void rate_fields(json_t *o, const ntr_rate_data *d)
{
    const ntr_rate_spec *s = d->spec;
    json_object_set_new(o, "expect", json_real(s->expect));
    json_object_set_new(o, "tolerance", json_real(s->tolerance));
    json_object_set_new(o, "bootstrap", json_integer(s->bootstrap));
    json_object_set_new(o, "fit", fit_json(&d->fit));
    json_object_set_new(o, "eps_first", json_real(s->eps[0]));
    json_object_set_new(o, "eps_last", json_real(s->eps[s->neps - 1]));
    json_object_set_new(o, "eps_count", json_integer((json_int_t)s->neps));
    json_object_set_new(o, "usable", json_integer((json_int_t)d->ev.usable));
    json_object_set_new(o, "censored", json_integer((json_int_t)d->ev.censored));
    json_object_set_new(o, "not_tuned", json_integer((json_int_t)d->ev.untuned));
    if (s->lower_bound[0])
        json_object_set_new(o, "lower_bound", json_string(s->lower_bound));
    if (s->information[0])
        json_object_set_new(o, "information", json_string(s->information));
    if (s->budget[0])
        json_object_set_new(o, "budget", json_string(s->budget));
    tune_fields(o, d);
    if (s->kind == NTR_RATE_KIND_RULE) {
        json_t *sc = json_object();
        json_object_set_new(sc, "eta", json_real(s->scale_eta));
        json_object_set_new(sc, "alpha", json_real(s->scale_alpha));
        json_object_set_new(sc, "iterations", json_real(s->scale_iterations));
        json_object_set_new(o, "scale", sc);
    }
}

static json_t *series_json(const ntr_rate_data *d)
{
    const ntr_rate_spec *s = d->spec;
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(s->name));
    json_object_set_new(o, "kind", json_string(ntr_rate_kind_names[s->kind]));
    json_object_set_new(o, "role", json_string(ntr_rate_role_names[s->role]));
    json_t *exp = json_array();
    for (int v = 0; ntr_rate_verdict_names[v]; v++)
        if ((s->expected >> v) & 1u)
            json_array_append_new(exp, json_string(ntr_rate_verdict_names[v]));
    json_object_set_new(o, "expected", exp);
    if (s->note)
        json_object_set_new(o, "note", json_string(s->note));
    json_object_set_new(o, "theory", theory_json(s->theory));
    json_object_set_new(o, "seeds", json_integer((json_int_t)d->nseeds));
    if (s->kind == NTR_RATE_KIND_BOUND)
        bound_fields(o, d);
    else
        rate_fields(o, d);
    json_object_set_new(o, "verdict", json_string(ntr_rate_verdict_names[d->verdict]));
    json_object_set_new(o, "why", json_string(d->why));
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

/* One table: header, then every series' rows. */
static int write_table(const char *result_dir, const char *name, const char *header,
                       const ntr_rate_study *st, const ntr_rate_data *d, int which, size_t S,
                       ntr_error *err)
{
    char path[1100];
    ntr_tmpfile t;
    if (ntr_path(path, sizeof path, err, "%s/%s", result_dir, name) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    fputs(header, t.fp);
    if (which == 1)
        for (size_t j = 0; j < S; j++)
            fprintf(t.fp, ",K_seed_%zu", j);
    if (which == 1)
        fputs(",score,best", t.fp);
    fputc('\n', t.fp);
    for (size_t i = 0; i < st->nvar; i++) {
        if (which == 0)
            rates_rows(t.fp, &d[i]);
        else if (which == 1)
            point_rows(t.fp, &d[i], S);
        else
            bound_rows(t.fp, &d[i]);
    }
    return ntr_tmpfile_commit(&t, err);
}

int ntr_rate_write(const char *result_dir, const ntr_rate_study *st, ntr_rate_data *d,
                   const ntr_rate_comparison *cmp, const char *claim, ntr_error *err)
{
    size_t S = 0;
    int bounds = 0;
    for (size_t i = 0; i < st->nvar; i++) {
        S = d[i].nseeds > S ? d[i].nseeds : S;
        bounds |= st->var[i].kind == NTR_RATE_KIND_BOUND;
    }
    if (write_table(result_dir, "rates.csv",
                    "series,kind,role,eps,status,K,K_lo,K_hi,best,eta,alpha,K_eta,information,"
                    "K_over_information,K_theory,budget,why",
                    st, d, 0, S, err) != 0 ||
        write_table(result_dir, "rate_points.csv",
                    "series,eps,label,eta,alpha,weight_decay,budget,seeds,reached", st, d, 1, S,
                    err) != 0)
        return -1;
    if (bounds && write_table(result_dir, "bounds.csv",
                              "series,point,check,applicable,k,mean,lcb,bound,ratio,violated", st,
                              d, 2, S, err) != 0)
        return -1;
    json_t *o = rates_json(st, d, cmp, claim);
    char *txt = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (!txt)
        return ntr_fail(err, NTR_E_INTERNAL, "cannot encode rates.json");
    char path[1100];
    int rc = ntr_path(path, sizeof path, err, "%s/rates.json", result_dir);
    if (rc == 0) {
        size_t len = strlen(txt);
        char *nl = realloc(txt, len + 2);
        if (!nl) {
            free(txt);
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
        txt = nl;
        txt[len] = '\n';
        txt[len + 1] = '\0';
        rc = ntr_write_atomic(path, txt, len + 1, err);
    }
    free(txt);
    return rc;
}

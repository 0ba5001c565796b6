/* extrap_write.c: the extrapolation study's files (see extrap_data.h):
 *
 *   extrapolation_momentum.csv   one row per (a) point and per crossover
 *                                point (part travel | hover): eta, alpha,
 *                                L eta/alpha, the floor, the envelope E, the
 *                                error of each role, bias_off, c, checks
 *   extrapolation_crossover.csv  one row per dose and eps: the rule's eta and
 *                                alpha as run, the budget, R = median of the
 *                                final running average / eps for each role
 *   extrapolation.json           the fits, eps* per dose, verdict per role,
 *                                the claim line
 *
 * Numbers are written with %.17g; NAN as an empty field (CSV) or null. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/csv_field.h"
#include "output/files.h"
#include "study/extrap/extrap_data.h"

static void real(FILE *f, double v)
{
    if (isnan(v))
        fputc(',', f);
    else
        fprintf(f, ",%.17g", v);
}

static json_t *jreal(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static int write_momentum(const char *dir, const ntr_ex_data *d, ntr_error *err)
{
    const ntr_ex_spec *s = &d->spec;
    char path[1100];
    ntr_tmpfile t;
    if (ntr_path(path, sizeof path, err, "%s/extrapolation_momentum.csv", dir) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    fputs("dose,part,eps,eta,alpha,L,L2,lag,floor,envelope", t.fp);
    for (size_t r = 0; r < d->nroles; r++)
        fprintf(t.fp, ",err_%s", ntr_ex_role_name(s, r));
    fputs(",bias_off,c,in_fit", t.fp);
    for (size_t r = NTR_EX_ON; r < d->nroles; r++)
        fprintf(t.fp, ",ok_%s", ntr_ex_role_name(s, r));
    fputc('\n', t.fp);
    for (size_t i = 0; i < d->nmom; i++) {
        const ntr_ex_mom *m = &d->mom[i];
        ntr_csv_field(t.fp, d->dose[m->dose].label);
        fprintf(t.fp, ",%s", m->travel ? "travel" : "hover");
        real(t.fp, m->travel ? NAN : d->dose[m->dose].eps[i - ntr_ex_hover_index(d, m->dose, 0)]);
        real(t.fp, m->eta);
        real(t.fp, m->alpha);
        real(t.fp, m->L);
        real(t.fp, m->L2);
        real(t.fp, m->lag);
        real(t.fp, m->floor);
        real(t.fp, m->envelope);
        for (size_t r = 0; r < d->nroles; r++)
            real(t.fp, m->err[r]);
        real(t.fp, m->bias_off);
        real(t.fp, m->c);
        fprintf(t.fp, ",%d", m->in_fit);
        for (size_t r = NTR_EX_ON; r < d->nroles; r++)
            fprintf(t.fp, ",%s", m->ok[r] < 0 ? "" : m->ok[r] ? "yes" : "no");
        fputc('\n', t.fp);
    }
    return ntr_tmpfile_commit(&t, err);
}

static int write_crossover(const char *dir, const ntr_ex_data *d, const ntr_ex_outcome *o,
                           ntr_error *err)
{
    const ntr_ex_spec *s = &d->spec;
    char path[1100];
    ntr_tmpfile t;
    if (ntr_path(path, sizeof path, err, "%s/extrapolation_crossover.csv", dir) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    fputs("dose,L2_ratio,eps_listed,eps,eta,alpha,iterations", t.fp);
    for (size_t r = 0; r < d->nroles; r++)
        fprintf(t.fp, ",R_%s", ntr_ex_role_name(s, r));
    fputc('\n', t.fp);
    for (size_t z = 0; z < s->ndoses; z++)
        for (size_t i = 0; i < s->neps; i++) {
            const ntr_ex_dose *dz = &d->dose[z];
            ntr_csv_field(t.fp, dz->label);
            real(t.fp, dz->ratio);
            real(t.fp, s->eps[i]);
            real(t.fp, dz->eps[i]);
            real(t.fp, dz->eta[i]);
            real(t.fp, dz->alpha[i]);
            real(t.fp, dz->K[i]);
            for (size_t r = 0; r < d->nroles; r++)
                real(t.fp, o->cross[z].ratio[r][i]);
            fputc('\n', t.fp);
        }
    return ntr_tmpfile_commit(&t, err);
}

static json_t *momentum_json(const ntr_ex_data *d, const ntr_ex_outcome *o)
{
    const ntr_ex_mom_result *m = &o->mom;
    json_t *j = json_object();
    json_object_set_new(j, "exponent", jreal(m->slope));
    json_object_set_new(j, "exponent_lo", jreal(m->lo));
    json_object_set_new(j, "exponent_hi", jreal(m->hi));
    json_object_set_new(j, "points_fitted", json_integer((json_int_t)m->nfit));
    json_object_set_new(j, "c_min", jreal(m->c_min));
    json_object_set_new(j, "c_max", jreal(m->c_max));
    json_object_set_new(j, "band", json_real(NTR_EX_LAG_BAND));
    json_object_set_new(j, "floor_factor", json_real(NTR_EX_FLOOR_FACTOR));
    json_t *roles = json_array();
    for (size_t r = NTR_EX_ON; r < d->nroles; r++) {
        json_t *x = json_object();
        json_object_set_new(x, "role", json_string(ntr_ex_role_name(&d->spec, r)));
        json_object_set_new(x, "checked", json_integer((json_int_t)m->nchecked[r]));
        json_object_set_new(x, "outside", json_integer((json_int_t)m->nbad[r]));
        json_object_set_new(x, "worst_ratio", jreal(m->worst[r]));
        json_array_append_new(roles, x);
    }
    json_object_set_new(j, "roles", roles);
    return j;
}

static json_t *doses_json(const ntr_ex_data *d, const ntr_ex_outcome *o)
{
    json_t *a = json_array();
    for (size_t z = 0; z < d->spec.ndoses; z++) {
        const ntr_ex_dose *dz = &d->dose[z];
        const ntr_ex_cross *c = &o->cross[z];
        json_t *x = json_object();
        json_object_set_new(x, "dose", json_string(dz->label));
        json_object_set_new(x, "L", jreal(dz->L));
        json_object_set_new(x, "L2", jreal(dz->L2));
        json_object_set_new(x, "L2_ratio", jreal(dz->ratio));
        json_object_set_new(x, "sigma", jreal(dz->sigma));
        json_object_set_new(x, "norm", json_string(dz->norm));
        json_object_set_new(x, "crossover", json_string(ntr_ex_cross_state_names[c->state]));
        json_object_set_new(x, "eps_star", jreal(c->eps_star));
        json_object_set_new(x, "eps_missed_by_plain", json_integer((json_int_t)c->nfail_off));
        json_object_set_new(x, "slope_R_off", jreal(c->slope_off));
        json_array_append_new(a, x);
    }
    return a;
}

static json_t *fit_json(const ntr_ex_dose_fit *f, double band)
{
    json_t *j = json_object();
    json_object_set_new(j, "doses_fitted", json_integer((json_int_t)f->n));
    json_object_set_new(j, "exponent", jreal(f->slope));
    json_object_set_new(j, "exponent_lo", jreal(f->lo));
    json_object_set_new(j, "exponent_hi", jreal(f->hi));
    json_object_set_new(j, "parametric_lo", jreal(f->par_lo));
    json_object_set_new(j, "parametric_hi", jreal(f->par_hi));
    json_object_set_new(j, "bootstrap_lo", jreal(f->boot_lo));
    json_object_set_new(j, "bootstrap_hi", jreal(f->boot_hi));
    json_object_set_new(j, "bootstrap_missing", json_integer((json_int_t)f->boot_missing));
    json_object_set_new(j, "expect", json_real(1.0));
    json_object_set_new(j, "band", json_real(band));
    return j;
}

int ntr_ex_write(const char *dir, const ntr_ex_data *d, const ntr_ex_outcome *o, ntr_error *err)
{
    if (write_momentum(dir, d, err) != 0 || write_crossover(dir, d, o, err) != 0)
        return -1;
    json_t *j = json_object(), *verdicts = json_array();
    json_object_set_new(j, "claim_line", json_string(o->claim));
    json_object_set_new(j, "reproduced", json_boolean(o->reproduced));
    json_object_set_new(j, "verdict", json_string(ntr_rate_verdict_names[o->verdict[NTR_EX_ON]]));
    for (size_t r = NTR_EX_ON; r < d->nroles; r++) {
        json_t *x = json_object();
        json_object_set_new(x, "role", json_string(ntr_ex_role_name(&d->spec, r)));
        json_object_set_new(x, "verdict", json_string(ntr_rate_verdict_names[o->verdict[r]]));
        json_object_set_new(x, "expected", json_string(r == NTR_EX_ON ? "consistent" : "violated"));
        json_object_set_new(x, "why", json_string(o->why[r]));
        json_array_append_new(verdicts, x);
    }
    json_object_set_new(j, "verdicts", verdicts);
    json_object_set_new(j, "momentum", momentum_json(d, o));
    json_object_set_new(j, "doses", doses_json(d, o));
    json_object_set_new(j, "dose_response", fit_json(&o->fit, d->spec.band));
    json_object_set_new(j, "seeds", json_integer((json_int_t)d->nseeds));
    json_object_set_new(j, "cells", json_integer((json_int_t)d->cells));
    json_object_set_new(j, "pending", json_integer((json_int_t)d->pending));
    json_object_set_new(j, "diverged", json_integer((json_int_t)d->diverged));
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(j);
    if (!text)
        return ntr_fail(err, NTR_E_INTERNAL, "cannot encode extrapolation.json");
    char path[1100];
    int rc = ntr_path(path, sizeof path, err, "%s/extrapolation.json", dir);
    if (rc == 0)
        rc = ntr_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

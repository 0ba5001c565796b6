/* rate_rule.c: the statistics of a point (shared by the tuned and rule
 * kinds), and the analysis of a rule series: K(eps) at the theorem's own
 * eta(eps), alpha(eps) (times multipliers).  Its exponent is reported as
 * "imposed by the rule": with eta prescribed as a power of eps the iterates
 * travel a fixed distance at speed eta, so K eta stays about constant and
 * the exponent is the rule's whatever the method (THEORY.md section 5.2).
 *
 * Per eps: the median (or mean) over seeds of the hitting iterations when
 * every seed reached eps (else censored: K > budget); the exponent's
 * interval joins the parametric one with a bootstrap over seeds; K is
 * compared with K_theory only at the rule's own parameters (no multiplier). */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/rate/rate_data.h"

int ntr_rate_point_stats(ntr_rate_data *d, ntr_rate_point *p, ntr_error *err)
{
    size_t S = d->nseeds;
    double *hits = malloc((2 * S + 1) * sizeof *hits);
    if (!hits)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    const ntr_theory_vars *vars = NULL;
    p->reached = p->pending = p->diverged = 0;
    p->trivial = 0;
    for (size_t j = 0; j < S; j++) {
        const ntr_rate_seed *sd = &p->seed[j];
        hits[j] = isnan(sd->hit) ? INFINITY : sd->hit;
        p->reached += !isnan(sd->hit);
        p->pending += !sd->present || strcmp(sd->status, "interrupted") == 0;
        p->diverged += strcmp(sd->status, "diverged") == 0;
        p->trivial |= sd->hit == 0.0;
        if (!vars && sd->have_vars)
            vars = &sd->vars;
    }
    if (p->pending)
        p->score = NAN;
    else if (p->reached < S)
        p->score = INFINITY;
    else
        p->score = ntr_rate_stat(hits, S, 0, hits + S);
    p->median = p->reached == S ? p->score : NAN;
    free(hits);
    p->K_theory = NAN;
    if (!vars)
        return 0;
    ntr_theory_point tp;
    if (ntr_theory_eval(d->spec->theory, vars, &tp, err) != 0)
        return -1;
    p->K_theory = tp.K;
    return 0;
}

/* The statistic of the chosen seeds of one point. */
static double point_stat(const ntr_rate_point *p, const size_t *pick, size_t S, int mean,
                         double *work)
{
    for (size_t j = 0; j < S; j++)
        work[j] = p->seed[pick[j]].hit;
    return ntr_rate_stat(work, S, mean, work + S);
}

/* Eps e's point: pending, censored or trivial (counted in d->ev), else
 * usable with its statistic e->K (returns 1).  rules: the theorem's own
 * parameters, where K is compared with K_theory. */
static int eps_point(ntr_rate_data *d, ntr_rate_eps *e, int rules, size_t *pick, double *work)
{
    const ntr_rate_spec *s = d->spec;
    ntr_rate_evidence *ev = &d->ev;
    size_t S = d->nseeds;
    e->K = e->K_lo = e->K_hi = NAN;
    e->information = NAN;
    ntr_rate_point *p = e->count ? &d->pt[e->first] : NULL;
    e->best = p;
    e->K_theory = p ? p->K_theory : NAN;
    e->budget = p ? p->budget : 0;
    if (!p || p->pending) {
        e->pending = 1;
        snprintf(e->status, sizeof e->status, "pending");
        ev->pending++;
        return 0;
    }
    p->best = 1;
    if (p->reached < S) {
        e->censored = 1;
        snprintf(e->status, sizeof e->status, "censored");
        ev->censored++;
        if (rules && (double)e->budget >= e->K_theory)
            ev->censored_past_theory++;
        return 0;
    }
    if (p->trivial) {
        e->trivial = 1;
        snprintf(e->status, sizeof e->status, "trivial");
        return 0;
    }
    for (size_t j = 0; j < S; j++)
        pick[j] = j;
    e->K = point_stat(p, pick, S, s->fit_mean, work);
    e->usable = 1;
    snprintf(e->status, sizeof e->status, "ok");
    if (rules && e->K > e->K_theory)
        ev->above_theory++;
    return 1;
}

/* The slopes of the fits over the usable eps (x, nu of them) with each
 * eps's seeds resampled, into boot (*nb of them: the finite ones). */
static int bootstrap_slopes(ntr_rate_data *d, unsigned long seed, const double *x, size_t nu,
                            size_t *pick, double *work, gsl_rng *rng, double *boot, size_t *nb,
                            ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    size_t S = d->nseeds;
    gsl_rng_set(rng, seed);
    double *yb = malloc((nu + 1) * sizeof *yb);
    if (!yb)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (long b = 0; b < s->bootstrap; b++) {
        size_t u = 0;
        for (size_t ie = 0; ie < s->neps; ie++) {
            if (!d->per[ie].usable)
                continue;
            for (size_t j = 0; j < S; j++)
                pick[j] = gsl_rng_uniform_int(rng, S);
            yb[u++] = point_stat(d->per[ie].best, pick, S, s->fit_mean, work);
        }
        ntr_rate_fit f;
        ntr_rate_fit_line(x, yb, nu, NULL, 0, &f);
        if (!isnan(f.slope))
            boot[(*nb)++] = f.slope;
    }
    free(yb);
    return 0;
}

/* d->boot: a copy of the nb slopes, in resample order (for comparisons). */
static int keep_boot(ntr_rate_data *d, const double *boot, size_t nb, ntr_error *err)
{
    free(d->boot);
    d->boot = malloc((nb + 1) * sizeof *d->boot);
    d->nboot = nb;
    if (!d->boot)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    memcpy(d->boot, boot, nb * sizeof *boot);
    return 0;
}

int ntr_rate_evidence_start(ntr_rate_data *d, ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    for (size_t i = 0; i < d->npoints; i++)
        if (ntr_rate_point_stats(d, &d->pt[i], err) != 0)
            return -1;
    ntr_rate_evidence *ev = &d->ev;
    memset(ev, 0, sizeof *ev);
    ev->neps = s->neps;
    ev->eps_span = s->eps[0] / s->eps[s->neps - 1];
    ev->expect = s->expect;
    ev->tolerance = s->tolerance;
    return 0;
}

int ntr_rate_rule_compute(ntr_rate_data *d, unsigned long seed, ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    size_t S = d->nseeds, ne = s->neps;
    int rules = s->scale_eta == 1.0 && s->scale_alpha == 1.0; /* the theorem's own parameters */
    if (ntr_rate_evidence_start(d, err) != 0)
        return -1;
    ntr_rate_evidence *ev = &d->ev;
    size_t *pick = malloc((S + 1) * sizeof *pick);
    double *work = malloc((2 * S + 1) * sizeof *work);
    double *x = malloc((ne + 1) * sizeof *x), *y = malloc((ne + 1) * sizeof *y);
    double *boot = malloc(((size_t)s->bootstrap + 1) * sizeof *boot);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = 0;
    if (!pick || !work || !x || !y || !boot || !rng)
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    size_t nu = 0, nb = 0;
    for (size_t ie = 0; rc == 0 && ie < ne; ie++)
        if (eps_point(d, &d->per[ie], rules, pick, work)) {
            x[nu] = d->per[ie].eps;
            y[nu++] = d->per[ie].K;
        }
    ev->usable = nu;
    if (rc == 0 && nu >= 2) /* bootstrap: resample each eps's seeds */
        rc = bootstrap_slopes(d, seed, x, nu, pick, work, rng, boot, &nb, err);
    if (rc == 0)
        rc = keep_boot(d, boot, nb, err);
    if (rc == 0) {
        ntr_rate_fit_line(x, y, nu, boot, nb, &d->fit);
        ev->fit = d->fit;
        d->verdict = ntr_rate_judge(ev, d->why, sizeof d->why);
    }
    free(pick), free(work), free(x), free(y), free(boot);
    gsl_rng_free(rng);
    return rc;
}

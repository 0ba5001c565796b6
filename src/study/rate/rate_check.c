/* rate_check.c: the analysis of a bound series (see rate.h): the theorem's
 * bound with its constants at every logged K of every grid point, against
 * the mean over seeds of what it bounds, with a one-sided lower confidence
 * bound (rate_bound.h).  A point violates the bound at K when the lower
 * confidence bound of the measurement exceeds it; the series is violated
 * when any point that runs what the bound is about does.  The confidence
 * level is family-wise over a point's rows (Bonferroni: each row at
 * 1 - (1 - confidence)/rows), so that checking at many K does not by
 * itself make false violations likely.
 *
 * What each bound is compared with (trajectory columns, every iterate
 * measured since rate.c sets log.measure_every: 1):
 *   theorem2    min_{k=1..K} ||grad f(x_k)||_*: the running min_grad_dual
 *               when it is below the start's grad_dual (then it was met at
 *               some k >= 1), else the start's value, a lower value of the
 *               true minimum over k >= 1 (flagged approx: it can only hide a
 *               violation, never make one);
 *   momentum    mom_err = ||m_k - grad f(x_k)||_* at k;
 *   starconvex  gap = f(x_K) - f*.
 * The constants are each cell's own (summary.json): L, rho and sigma of
 * the method's norm and oracle, Delta0 averaged over the seeds (the bound
 * is linear in it), times the series' `constants` multipliers.  Each seed
 * is compared with the bound at its own Delta0 (the start points differ):
 * the test is the lower confidence bound of the mean of value - own bound
 * (violated above 0); without noise (sigma = 0) the bound holds for every
 * start point and every seed is checked on its own, no statistics.  The
 * ratio reported is mean / mean bound (without noise: the largest seed's
 * value / own bound). */
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/rate/rate_data.h"

/* A measurement above the bound by less than this relative amount is
 * rounding (L is itself computed in floating point; normalized descent on
 * a quadratic meets the momentum lemma with alpha = 1 exactly). */
#define ROUNDING 1e-9

/* Why a bound does not apply to a point's cells ("" when it does). */
static void applicability(const ntr_rate_point *p, int c, const ntr_theory_vars *v, int any,
                          char *why, size_t size)
{
    why[0] = '\0';
    if (any) { /* checked whatever the method (applicability: any) */
        if (!(isfinite(v->L) && isfinite(v->rho) && isfinite(v->sigma)))
            snprintf(why, size, "the problem gives no finite L, rho or sigma in this norm");
        else if (c == 2 && !(p->weight_decay > 0 && isfinite(v->D)))
            snprintf(why, size, "the star-convex bound needs weight decay and a known D");
        return;
    }
    if (strcmp(p->method, "ntr") != 0)
        snprintf(why, size, "method %s: the bound is about Algorithm 1 (ntr)", p->method);
    else if (p->nesterov)
        snprintf(why, size, "nesterov momentum is not Algorithm 1");
    else if (p->extrapolation)
        snprintf(why, size, "extrapolation is not Algorithm 1");
    else if (!p->eta_constant)
        snprintf(why, size, "eta is a schedule, the bound is for a constant eta");
    else if (strcmp(p->scale, "none") != 0 && p->scale[0])
        snprintf(why, size, "method.scale %s changes the step's length", p->scale);
    else if (strcmp(p->norm, "spectral") == 0 && strcmp(p->solver, "svd") != 0)
        snprintf(why, size, "an approximate polar factor (lmo %s) is not the exact sharp",
                 p->solver);
    else if (c == 0 && p->measure_every != 1)
        snprintf(why, size, "log.measure_every %ld: the running minimum skips iterates",
                 p->measure_every);
    else if (!(isfinite(v->L) && isfinite(v->rho) && isfinite(v->sigma)))
        snprintf(why, size, "the problem gives no finite L, rho or sigma in this norm");
    else if (c != 2 && p->weight_decay != 0)
        snprintf(why, size, "weight decay %g: the bound is for Algorithm 1 without it",
                 p->weight_decay);
    else if (c == 2 && !(p->weight_decay > 0))
        snprintf(why, size, "the star-convex bound needs weight decay");
    else if (c == 2 && !(isfinite(v->D) && 1.0 / p->weight_decay >= v->D * (1 - 1e-12)))
        snprintf(why, size, "1/weight_decay = %g is below D = %g (or D unknown): the ball does "
                            "not hold x_0 and x*",
                 1.0 / p->weight_decay, v->D);
}

static double bound_at(int c, const ntr_bound_params *bp, double k)
{
    if (c == 0)
        return ntr_bound_theorem2(bp, k);
    if (c == 1)
        return ntr_bound_momentum(bp, k);
    return ntr_bound_starconvex(bp, k);
}

/* Empty b for a (re)computation. */
static void reset_check(ntr_rate_bcheck *b)
{
    b->worst_ratio = b->worst_k = b->first_violation_k = NAN;
    b->nrows = 0;
    b->violations = 0;
    b->approx = 0;
    free(b->k), free(b->mean), free(b->lcb), free(b->bound), free(b->ratio), free(b->violated);
    b->k = b->mean = b->lcb = b->bound = b->ratio = NULL; /* a recomputation starts afresh */
    b->violated = NULL;
}

/* What the point's seeds share: the theory variables of the first seed
 * with results (NULL when a seed has none yet), the rows every seed has
 * (*n) and the mean Delta0 and start gradient over the seeds. */
static const ntr_theory_vars *seed_common(const ntr_rate_point *p, size_t S, size_t *n,
                                          double *delta0, double *g0)
{
    const ntr_theory_vars *v = NULL;
    size_t present = 0;
    *n = 0, *delta0 = 0.0, *g0 = 0.0;
    for (size_t j = 0; j < S; j++) {
        const ntr_rate_seed *sd = &p->seed[j];
        if (!sd->present || !sd->have_vars || sd->nrows == 0)
            continue;
        present++;
        *n = !v || sd->nrows < *n ? sd->nrows : *n; /* the rows every seed has */
        v = v ? v : &sd->vars;
        *delta0 += sd->vars.Delta0;
        *g0 += sd->gd[0];
    }
    if (!v || present < S || S == 0)
        return NULL;
    *delta0 /= (double)present;
    *g0 /= (double)present;
    return v;
}

/* The row arrays of b for n rows; 0, or -1 when out of memory. */
static int alloc_rows(ntr_rate_bcheck *b, size_t n)
{
    b->k = calloc(n + 1, sizeof *b->k);
    b->mean = malloc((n + 1) * sizeof *b->mean);
    b->lcb = malloc((n + 1) * sizeof *b->lcb);
    b->bound = malloc((n + 1) * sizeof *b->bound);
    b->ratio = malloc((n + 1) * sizeof *b->ratio);
    b->violated = malloc(n + 1);
    return b->k && b->mean && b->lcb && b->bound && b->ratio && b->violated ? 0 : -1;
}

/* The measured values of check c, S per row, into val, for the first n rows
 * where every seed has the same K and a finite value (b->k, b->nrows). */
static void collect_rows(const ntr_rate_point *p, int c, size_t S, size_t n, ntr_rate_bcheck *b,
                         double *val)
{
    for (size_t i = 0; i < n; i++) { /* the rows where every seed has a value */
        double k = p->seed[0].k[i];
        int same = 1, finite = 1;
        double *row = val + b->nrows * S;
        for (size_t j = 0; j < S; j++) {
            const ntr_rate_seed *sd = &p->seed[j];
            same &= sd->k[i] == k;
            double x = c == 0 ? sd->mind[i] : c == 1 ? sd->mom[i] : sd->gap[i];
            if (c == 0 && !(x < sd->gd[0])) {
                x = sd->gd[0]; /* min met at k = 0: the min over k >= 1 is at least this */
                b->approx |= k >= 1;
            }
            finite &= isfinite(x);
            row[j] = x;
        }
        if (same && finite && !(c != 1 && k < 1)) /* K = 0: theorem2 starts at 1, the
                                                      * star-convex bound is Delta0 there */
            b->k[b->nrows++] = k;
    }
}

/* Row r of check c: each seed against the bound with its own Delta0 (and
 * start error): the bound is linear in them, so the mean of value - own
 * bound is at most 0 when the theorem holds, whatever spread the start
 * points make; its lower confidence bound is the test.  diff: S scratch. */
static void judge_row(const ntr_rate_spec *s, const ntr_rate_point *p, int c,
                      const ntr_bound_params *bp, size_t S, int exact, double conf,
                      const double *val, double *diff, ntr_rate_bcheck *b, size_t r)
{
    double B = 0.0, ratio = -INFINITY, mean, dmean;
    for (size_t j = 0; j < S; j++) {
        ntr_bound_params sp = *bp;
        sp.Delta0 = p->seed[j].vars.Delta0 * s->scale_Delta0;
        if (strcmp(p->m0, "zero") == 0)
            sp.m0_err = p->seed[j].gd[0];
        double Bj = bound_at(c, &sp, b->k[r]);
        diff[j] = val[r * S + j] - Bj;
        ratio = fmax(ratio, val[r * S + j] / Bj);
        B += Bj / (double)S;
    }
    double dl = ntr_bound_lcb(diff, S, conf, exact, &dmean);
    for (size_t j = 0; exact && j < S; j++) /* no noise: the worst seed decides */
        dl = j ? fmax(dl, diff[j]) : diff[j];
    mean = gsl_stats_mean(val + r * S, 1, S);
    double lcb = B + dl; /* the measurement's lower confidence bound, on the bound's scale */
    int violated = dl > B * ROUNDING;
    if (!exact)
        ratio = mean / B;
    b->mean[r] = mean, b->lcb[r] = lcb, b->bound[r] = B, b->ratio[r] = ratio;
    b->violated[r] = (unsigned char)violated;
    if (isnan(b->worst_ratio) || ratio > b->worst_ratio) {
        b->worst_ratio = ratio;
        b->worst_k = b->k[r];
    }
    if (violated) {
        if (!b->violations)
            b->first_violation_k = b->k[r];
        b->violations++;
    }
}

/* The rows of one check of one point. */
static int check_point(ntr_rate_data *d, ntr_rate_point *p, int c, ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    ntr_rate_bcheck *b = &p->chk[c];
    size_t S = d->nseeds, n;
    double delta0, g0;
    reset_check(b);
    const ntr_theory_vars *v = seed_common(p, S, &n, &delta0, &g0);
    if (!v) {
        snprintf(b->why_na, sizeof b->why_na, "cells not run yet");
        return 0;
    }
    applicability(p, c, v, s->any_method, b->why_na, sizeof b->why_na);
    b->applicable = !b->why_na[0];
    ntr_bound_params bp = {v->L * s->scale_L, v->rho * s->scale_rho, v->sigma * s->scale_sigma,
                           delta0 * s->scale_Delta0, p->eta, p->alpha, 0.0, p->weight_decay};
    bp.m0_err = strcmp(p->m0, "zero") == 0 ? g0 : bp.rho * bp.sigma;
    int exact = v->sigma == 0.0;
    double *val = malloc((n * S + 1) * sizeof *val);
    if (alloc_rows(b, n) != 0 || !val) {
        free(val);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    collect_rows(p, c, S, n, b, val);
    if (b->nrows == 0 && b->applicable) {
        b->applicable = 0;
        snprintf(b->why_na, sizeof b->why_na, "no finite measurement at any K (%s is not "
                                              "defined for this method)",
                 c == 0 ? "min_grad_dual" : c == 1 ? "mom_err" : "gap");
    }
    /* Bonferroni over the rows: the point's check errs with probability at
     * most 1 - confidence when the bound holds at every row */
    double conf = 1.0 - (1.0 - s->confidence) / (double)(b->nrows ? b->nrows : 1);
    double *diff = calloc(S + 1, sizeof *diff);
    if (!diff) {
        free(val);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    for (size_t r = 0; r < b->nrows; r++)
        judge_row(s, p, c, &bp, S, exact, conf, val, diff, b, r);
    free(diff);
    free(val);
    return 0;
}

int ntr_rate_check_compute(ntr_rate_data *d, ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    size_t pending = 0;
    for (size_t i = 0; i < d->npoints; i++) {
        ntr_rate_point *p = &d->pt[i];
        for (size_t j = 0; j < d->nseeds; j++)
            pending += !p->seed[j].present;
        for (int c = 0; c < NTR_RATE_NCHECKS; c++) {
            p->chk[c].active = ((s->checks >> c) & 1u) != 0;
            if (p->chk[c].active && check_point(d, p, c, err) != 0)
                return -1;
        }
    }
    size_t applicable = 0, violated = 0;
    for (int c = 0; c < NTR_RATE_NCHECKS; c++) {
        memset(&d->bsum[c], 0, sizeof d->bsum[c]);
        d->bsum[c].worst_ratio = d->bsum[c].worst_k = NAN;
        for (size_t i = 0; i < d->npoints; i++) {
            const ntr_rate_bcheck *b = &d->pt[i].chk[c];
            if (!b->active)
                continue;
            d->bsum[c].points++;
            if (!b->applicable)
                continue;
            d->bsum[c].applicable++;
            d->bsum[c].violations += b->violations;
            d->bsum[c].violated_points += b->violations > 0;
            if (isnan(d->bsum[c].worst_ratio) || b->worst_ratio > d->bsum[c].worst_ratio) {
                d->bsum[c].worst_ratio = b->worst_ratio;
                d->bsum[c].worst_k = b->worst_k;
                d->bsum[c].worst = &d->pt[i];
            }
        }
        applicable += d->bsum[c].applicable;
        violated += d->bsum[c].violated_points;
    }
    size_t used = 0;
    d->why[0] = '\0';
    for (int c = 0; c < NTR_RATE_NCHECKS && used < sizeof d->why; c++) {
        if (!((s->checks >> c) & 1u))
            continue;
        const ntr_rate_bsum *b = &d->bsum[c];
        if (b->applicable == 0)
            used += (size_t)snprintf(d->why + used, sizeof d->why - used,
                                     "%s%s: no applicable cell", used ? "; " : "",
                                     ntr_rate_check_names[c]);
        else
            used += (size_t)snprintf(
                d->why + used, sizeof d->why - used,
                "%s%s: %zu of %zu points violated, worst measured/bound %.3g at [%s] K = %.0f",
                used ? "; " : "", ntr_rate_check_names[c], b->violated_points, b->applicable,
                b->worst_ratio, b->worst ? b->worst->label : "?", b->worst_k);
    }
    if (violated)
        d->verdict = NTR_RATE_VIOLATED;
    else if (pending || applicable == 0)
        d->verdict = NTR_RATE_INCONCLUSIVE;
    else
        d->verdict = NTR_RATE_CONSISTENT;
    if (pending && used < sizeof d->why)
        snprintf(d->why + used, sizeof d->why - used, "%s%zu cells not run yet", used ? "; " : "",
                 pending);
    return 0;
}

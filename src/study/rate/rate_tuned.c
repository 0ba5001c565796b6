/* rate_tuned.c: the analysis of a tuned series (see rate.h): K*(eps), the
 * method's best complexity over the tuning grid actually run.
 *
 * Per eps, the grid is rebuilt from the cells' resolved values (a key that
 * --set pinned has one value) and each grid point scored: the median
 * hitting iteration when every seed reached eps, +infinity when some seed
 * did not (the point fails at that eps), unknown while cells are pending.
 * K*(eps) is the lowest score; the bracket check (tune.c) marks an eps
 * whose best point lies on the grid's edge "not tuned"; an eps that no
 * point reached with every seed is censored (K* > budget).  The interval
 * of K*(eps) and of the exponent come from a bootstrap that resamples the
 * seeds (the same replicates at every grid point, so common random numbers
 * stay paired) and re-selects the best point in every resample, joined
 * with the parametric interval of the fit (rate_fit.c).  Diagnostics per
 * eps: K* eta (about constant when travel at speed eta limits progress)
 * and K* / information (about constant, above 1, when the reveals of a
 * hard instance do). */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/rate/rate_data.h"

/* The first present seed's constants among the eps's points, with the
 * rule's eta and alpha (as the expansion evaluated its expressions). */
static int eps_vars(ntr_rate_data *d, ntr_rate_eps *e, ntr_theory_vars *v, ntr_error *err)
{
    for (size_t i = e->first; i < e->first + e->count; i++)
        for (size_t j = 0; j < d->nseeds; j++)
            if (d->pt[i].seed[j].have_vars) {
                *v = d->pt[i].seed[j].vars;
                v->eps = e->eps;
                ntr_theory_point tp;
                if (ntr_theory_eval(d->spec->theory, v, &tp, err) != 0)
                    return -1;
                v->alpha = tp.alpha;
                v->eta = tp.eta;
                return 1;
            }
    return 0;
}

/* Choose the best point of one eps and classify the eps. */
static int choose(ntr_rate_data *d, ntr_rate_eps *e, size_t *cellpoint, ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    size_t nk = s->tune.naxes, n = e->count;
    const char **vals = calloc(n * nk + 1, sizeof *vals);
    if (!vals)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    const char *keys[NTR_TUNE_MAX_KEYS];
    for (size_t a = 0; a < nk; a++)
        keys[a] = s->tune.axis[a].key;
    for (size_t c = 0; c < n; c++)
        for (size_t a = 0; a < nk; a++)
            vals[c * nk + a] = d->pt[e->first + c].tunev[a];
    int rc = ntr_tune_observed(keys, nk, vals, n, &e->grid, cellpoint, err);
    free(vals);
    if (rc != 0)
        return -1;
    size_t np = ntr_tune_npoints(&e->grid);
    double *score = malloc((np + 1) * sizeof *score);
    if (!score)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < np; i++)
        score[i] = NAN; /* a grid point without cells is not run */
    for (size_t c = 0; c < n; c++)
        score[cellpoint[c]] = d->pt[e->first + c].score;
    ntr_tune_select(&e->grid, score, NULL, d->spec->plateau, &e->choice);
    free(score);
    return 0;
}

static void classify(ntr_rate_data *d, ntr_rate_eps *e, const size_t *cellpoint)
{
    ntr_rate_evidence *ev = &d->ev;
    e->K = e->K_lo = e->K_hi = NAN;
    e->best = NULL;
    e->budget = 0;
    for (size_t c = 0; c < e->count; c++) {
        ntr_rate_point *p = &d->pt[e->first + c];
        if (p->budget > e->budget)
            e->budget = p->budget;
        if (e->choice.found && cellpoint[c] == e->choice.best && !e->best)
            e->best = p;
        e->pending |= p->pending > 0;
        e->trivial |= p->trivial;
    }
    if (e->count == 0)
        e->pending = 1;
    e->K_theory = e->best ? e->best->K_theory : e->count ? d->pt[e->first].K_theory : NAN;
    if (e->pending) {
        snprintf(e->status, sizeof e->status, "pending");
        snprintf(e->why, sizeof e->why, "cells not run yet");
        ev->pending++;
        return;
    }
    if (e->trivial) {
        snprintf(e->status, sizeof e->status, "trivial");
        snprintf(e->why, sizeof e->why, "reached at k = 0: the start already satisfies eps");
        return;
    }
    if (!e->best) {
        e->censored = 1;
        snprintf(e->status, sizeof e->status, "censored");
        snprintf(e->why, sizeof e->why, "no grid point reached eps with every seed within %ld "
                                        "iterations: K* > %ld",
                 e->budget, e->budget);
        ev->censored++;
        if ((double)e->budget >= e->K_theory)
            ev->censored_past_theory++;
        return;
    }
    e->best->best = 1;
    e->K = e->choice.score;
    e->usable = 1;
    ev->usable++;
    if (e->K > e->K_theory)
        ev->above_theory++;
    if (!e->choice.bracketed) {
        e->untuned = 1;
        ev->untuned++;
        snprintf(e->status, sizeof e->status, "not_tuned");
        snprintf(e->why, sizeof e->why, "%s", e->choice.why);
    } else {
        snprintf(e->status, sizeof e->status, "ok");
    }
}

/* One bootstrap resample: every eps's K* with the seeds pick[0..S). */
static void resample_K(ntr_rate_data *d, const size_t *pick, double *work, double *Kb)
{
    size_t S = d->nseeds, u = 0;
    for (size_t ie = 0; ie < d->spec->neps; ie++) {
        const ntr_rate_eps *e = &d->per[ie];
        if (!e->usable)
            continue;
        double best = INFINITY;
        for (size_t c = 0; c < e->count; c++) {
            const ntr_rate_point *p = &d->pt[e->first + c];
            if (!(isfinite(p->score)))
                continue;
            for (size_t j = 0; j < S; j++)
                work[j] = p->seed[pick[j]].hit;
            double m = ntr_rate_stat(work, S, 0, work + S);
            best = fmin(best, m);
        }
        Kb[u++] = best;
    }
}

static int bootstrap(ntr_rate_data *d, unsigned long seed, double *x, double *y, size_t nu,
                     ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    size_t S = d->nseeds, B = (size_t)s->bootstrap;
    size_t *pick = malloc((S + 1) * sizeof *pick);
    double *work = malloc((2 * S + 1) * sizeof *work), *Kb = malloc((nu + 1) * sizeof *Kb);
    double *perK = malloc((nu * B + 1) * sizeof *perK);
    d->boot = malloc((B + 1) * sizeof *d->boot);
    double *slopes = malloc((B + 1) * sizeof *slopes);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = 0;
    if (!pick || !work || !Kb || !perK || !d->boot || !slopes || !rng)
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    d->nboot = 0;
    if (rc == 0 && nu >= 2)
        gsl_rng_set(rng, seed);
    for (size_t b = 0; rc == 0 && nu >= 2 && b < B; b++) {
        for (size_t j = 0; j < S; j++)
            pick[j] = gsl_rng_uniform_int(rng, S);
        resample_K(d, pick, work, Kb);
        for (size_t u = 0; u < nu; u++)
            perK[u * B + b] = Kb[u];
        ntr_rate_fit f;
        ntr_rate_fit_line(x, Kb, nu, NULL, 0, &f);
        if (!isnan(f.slope))
            d->boot[d->nboot++] = f.slope;
    }
    if (rc == 0 && nu >= 2) {
        size_t u = 0;
        for (size_t ie = 0; ie < s->neps; ie++)
            if (d->per[ie].usable) {
                ntr_rate_quantiles95(perK + u * B, B, &d->per[ie].K_lo, &d->per[ie].K_hi);
                u++;
            }
        memcpy(slopes, d->boot, d->nboot * sizeof *slopes); /* d->boot keeps resample order */
        ntr_rate_fit_line(x, y, nu, slopes, d->nboot, &d->fit);
    } else if (rc == 0) {
        ntr_rate_fit_line(x, y, nu, NULL, 0, &d->fit);
    }
    free(pick), free(work), free(Kb), free(perK), free(slopes);
    gsl_rng_free(rng);
    return rc;
}

int ntr_rate_tuned_compute(ntr_rate_data *d, unsigned long seed, ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    size_t ne = s->neps;
    if (ntr_rate_evidence_start(d, err) != 0)
        return -1;
    ntr_rate_evidence *ev = &d->ev;
    ev->lower_bound = s->lower_bound[0] != '\0';
    size_t *cellpoint = malloc((d->npoints + 1) * sizeof *cellpoint);
    double *x = malloc((ne + 1) * sizeof *x), *y = malloc((ne + 1) * sizeof *y);
    int rc = 0;
    if (!cellpoint || !x || !y)
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    size_t nu = 0;
    for (size_t ie = 0; rc == 0 && ie < ne; ie++) {
        ntr_rate_eps *e = &d->per[ie];
        e->information = NAN;
        rc = choose(d, e, cellpoint, err);
        if (rc != 0)
            break;
        for (size_t a = 0; a < s->tune.naxes && e->count; a++)
            d->collapsed[a] |= e->grid.axis[a].n == 1 && s->tune.axis[a].n > 1;
        classify(d, e, cellpoint);
        ntr_theory_vars v;
        int have = eps_vars(d, e, &v, err);
        if (have < 0) {
            rc = -1;
            break;
        }
        if (have && s->information[0] &&
            ntr_expr_eval_text(s->information, s->information_pos, "study.information", &v,
                               &e->information, err) != 0) {
            rc = -1;
            break;
        }
        if (e->usable) {
            x[nu] = e->eps;
            y[nu++] = e->K;
        }
    }
    if (rc == 0)
        rc = bootstrap(d, seed, x, y, nu, err);
    if (rc == 0) {
        ev->fit = d->fit;
        d->verdict = ntr_rate_judge(ev, d->why, sizeof d->why);
    }
    free(cellpoint), free(x), free(y);
    return rc;
}

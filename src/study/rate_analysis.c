/* rate_analysis.c: from a rate study's cells to K(eps), the exponent and the
 * verdict (the study type's analyse; see rate.h and rate_data.h).
 *
 * Per point: the seeds' hitting iterations (exact when log.measure_every is
 * 1: the runner tests the target at every measured iteration), their
 * median and mean, and K for the expectation criterion, the theorem's own
 * statement: the first k at which the mean over seeds of the running
 * measure is <= eps.  That mean is evaluated at the union of the logged
 * iterations (log-spaced rows) and the hitting iterations; between rows
 * each seed keeps its last logged value, and a seed that stopped at its
 * target keeps its value there, so the K found is an upper bound on the
 * exact one (for min_grad_dual, which only decreases).
 *
 * An eps at which some seed never reached eps (budget spent, diverged, not
 * run) is censored: left out of the fit and listed.  So is an eps reached
 * at k = 0 (the start already satisfies it).  The check against the
 * theorem's K applies to the rule's own parameters only (scale_eta =
 * scale_alpha = 1, no tune multiplier). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rate_data.h"

/* Expectation-criterion K of one point (NAN when the mean never gets <= eps). */
static double mean_criterion(const ntr_rate_point *p, size_t S)
{
    size_t total = 0;
    for (size_t j = 0; j < S; j++)
        total += p->seed[j].nrows + 1;
    double *ks = malloc((total + 1) * sizeof *ks);
    size_t *at = calloc(S, sizeof *at);
    double K = NAN;
    if (!ks || !at) {
        free(ks);
        free(at);
        return NAN;
    }
    size_t n = 0;
    for (size_t j = 0; j < S; j++) {
        const ntr_rate_seed *sd = &p->seed[j];
        if (!sd->present || sd->nrows == 0) {
            free(ks);
            free(at);
            return NAN; /* a seed without a trajectory: no mean */
        }
        for (size_t i = 0; i < sd->nrows; i++)
            ks[n++] = sd->k[i];
        if (!isnan(sd->hit))
            ks[n++] = sd->hit;
    }
    for (size_t i = 1; i < n; i++) /* insertion sort: a few hundred values */
        for (size_t m = i; m > 0 && ks[m - 1] > ks[m]; m--) {
            double t = ks[m];
            ks[m] = ks[m - 1];
            ks[m - 1] = t;
        }
    for (size_t i = 0; i < n && isnan(K); i++) {
        if (i > 0 && ks[i] == ks[i - 1])
            continue;
        double sum = 0.0;
        for (size_t j = 0; j < S; j++) {
            const ntr_rate_seed *sd = &p->seed[j];
            while (at[j] + 1 < sd->nrows && sd->k[at[j] + 1] <= ks[i])
                at[j]++;
            double v = sd->v[at[j]];
            if (!isnan(sd->hit) && sd->hit <= ks[i] && !(v <= p->eps))
                v = p->eps; /* reached: the measure is at most eps from there on */
            sum += isfinite(v) ? v : INFINITY;
        }
        if (sum / (double)S <= p->eps)
            K = ks[i];
    }
    free(ks);
    free(at);
    return K;
}

/* Median with "never" (NAN) counted as larger than everything. */
static double median_never(const double *v, size_t n, double *work)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            work[m++] = v[i];
    if (2 * m <= n)
        return NAN; /* the middle seed (or one of the two middle ones) never reached */
    double s = ntr_rate_stat(work, m, 0, work + n);
    if (m == n)
        return s;
    for (size_t i = 0; i < n; i++) /* some never: the order statistic itself */
        work[i] = isnan(v[i]) ? INFINITY : v[i];
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && work[k - 1] > work[k]; k--) {
            double t = work[k];
            work[k] = work[k - 1];
            work[k - 1] = t;
        }
    return 0.5 * (work[(n - 1) / 2] + work[n / 2]);
}

static int point_stats(ntr_rate_data *d, ntr_rate_point *p, double *hits, double *work,
                       ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    size_t S = d->nseeds;
    for (size_t j = 0; j < S; j++) {
        const ntr_rate_seed *sd = &p->seed[j];
        hits[j] = sd->hit;
        p->reached += !isnan(sd->hit);
        p->pending += !sd->present || strcmp(sd->status, "interrupted") == 0;
        p->diverged += strcmp(sd->status, "diverged") == 0;
        p->trivial |= sd->hit == 0.0;
    }
    p->usable = p->reached == S && !p->trivial;
    p->median = median_never(hits, S, work);
    p->mean = p->reached == S ? ntr_rate_stat(hits, S, 1, work) : NAN;
    p->K_mean = mean_criterion(p, S);
    p->stat = p->lo = p->hi = NAN;
    p->eta = p->alpha = p->weight_decay = p->K_theory = NAN;
    if (!p->have_vars)
        return 0;
    ntr_theory_point tp;
    if (ntr_theory_eval(s->theory, &p->vars, &tp, err) != 0)
        return -1;
    p->K_theory = tp.K;
    p->eta = tp.eta * s->scale_eta * p->eta_mult;
    p->alpha = fmin(1.0, tp.alpha * s->scale_alpha * p->alpha_mult);
    p->weight_decay = tp.weight_decay;
    p->check = NTR_RATE_CHECK_NA;
    if (s->scale_eta != 1.0 || s->scale_alpha != 1.0 || p->ia != 0 || p->ib != 0)
        return 0;
    if (!isnan(p->K_mean))
        p->check = p->K_mean <= p->K_theory ? NTR_RATE_CHECK_OK : NTR_RATE_CHECK_EXCEEDED;
    else if (p->pending == 0 && (double)p->budget >= p->K_theory)
        p->check = NTR_RATE_CHECK_EXCEEDED; /* ran K_theory iterations, mean still above eps */
    else
        p->check = NTR_RATE_CHECK_UNKNOWN;
    return 0;
}

/* Fit one series: the point chosen per eps (NULL: none usable). */
static int fit_series(ntr_rate_data *d, ntr_rate_point **chosen, ntr_rate_fit *fit,
                      unsigned long seed, int keep_boot, ntr_error *err)
{
    size_t ne = d->spec->neps, S = d->nseeds;
    double *K = calloc(ne * S, sizeof *K), *st = calloc(3 * ne, sizeof *st);
    int *use = calloc(ne, sizeof *use);
    int rc = -1;
    if (!K || !st || !use) {
        ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < ne; i++) {
        use[i] = chosen[i] != NULL;
        for (size_t j = 0; j < S; j++)
            K[i * S + j] = use[i] ? chosen[i]->seed[j].hit : NAN;
    }
    if (keep_boot) {
        free(d->boot);
        d->nboot = 0;
        d->boot = malloc((size_t)d->spec->bootstrap * sizeof *d->boot);
        if (!d->boot) {
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
            goto done;
        }
    }
    rc = ntr_rate_fit_exponent(d->spec->eps, K, ne, S, use, d->spec->fit_mean,
                               d->spec->bootstrap, seed, fit, st, st + ne, st + 2 * ne,
                               keep_boot ? d->boot : NULL, keep_boot ? &d->nboot : NULL, err);
    for (size_t i = 0; rc == 0 && i < ne; i++)
        if (use[i]) {
            chosen[i]->stat = st[i];
            chosen[i]->lo = st[ne + i];
            chosen[i]->hi = st[2 * ne + i];
        }
done:
    free(K);
    free(st);
    free(use);
    return rc;
}

static void verdict_line(ntr_rate_data *d)
{
    const ntr_rate_spec *s = d->spec;
    char fit[200], censored[200] = "", check[120];
    size_t used = 0;
    for (size_t ie = 0; ie < s->neps; ie++) {
        const ntr_rate_point *p = ntr_rate_point_at(d, ie, 0, 0);
        if (!p->usable && used < sizeof censored)
            used += (size_t)snprintf(censored + used, sizeof censored - used, "%s%g", used ? ", " : "",
                                     p->eps);
    }
    if (isnan(d->fit.slope))
        snprintf(fit, sizeof fit, "no exponent (%zu usable eps of %zu)", d->fit.npoints, s->neps);
    else
        snprintf(fit, sizeof fit, "measured exponent %.2f, 95%% CI [%.2f, %.2f], from %zu eps",
                 d->fit.slope, d->fit.ci_lo, d->fit.ci_hi, d->fit.npoints);
    if (d->nchecked == 0)
        snprintf(check, sizeof check, "K_theory check n/a (scaled parameters)");
    else if (d->nexceeded)
        snprintf(check, sizeof check, "measured K > K_theory at %zu of %zu eps", d->nexceeded,
                 d->nchecked);
    else
        snprintf(check, sizeof check, "measured K <= K_theory at %zu of %zu eps", d->nchecked,
                 d->nchecked);
    char claim[80] = "";
    if (s->claim >= 0)
        snprintf(claim, sizeof claim, "; claimed %s: %s", ntr_rate_verdict_names[s->claim],
                 (int)d->verdict == s->claim ? "reproduced" : "NOT reproduced");
    snprintf(d->line, sizeof d->line,
             "verdict%s%s: %s: %s vs expected %g (tolerance %g), %s, %s; %s; censored: %s%s",
             s->name[0] ? " " : "", s->name, ntr_rate_verdict_names[d->verdict], fit, s->expect,
             s->tolerance, ntr_theory_name(s->theory),
             ntr_measure_names[ntr_theory_measure_of(s->theory)], check,
             censored[0] ? censored : "none", claim);
}

int ntr_rate_compute(ntr_rate_data *d, unsigned long seed, ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    size_t S = d->nseeds;
    double *hits = malloc(S * sizeof *hits), *work = malloc(2 * S * sizeof *work);
    ntr_rate_point **chosen = calloc(s->neps, sizeof *chosen);
    int rc = 0;
    if (!hits || !work || !chosen)
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t i = 0; rc == 0 && i < d->npoints; i++)
        rc = point_stats(d, &d->pt[i], hits, work, err);
    for (size_t ie = 0; rc == 0 && ie < s->neps; ie++) {
        ntr_rate_point *p = ntr_rate_point_at(d, ie, 0, 0);
        chosen[ie] = p->usable ? p : NULL;
        d->ncensored += !p->usable;
        d->nchecked += p->check != NTR_RATE_CHECK_NA && p->check != NTR_RATE_CHECK_UNKNOWN;
        d->nexceeded += p->check == NTR_RATE_CHECK_EXCEEDED;
    }
    if (rc == 0)
        rc = fit_series(d, chosen, &d->fit, seed, 1, err);
    d->tuned.slope = d->tuned.intercept = d->tuned.ci_lo = d->tuned.ci_hi = NAN;
    if (rc == 0 && s->tuned) {
        for (size_t ie = 0; ie < s->neps; ie++) {
            chosen[ie] = NULL;
            for (size_t ia = 0; ia < s->ntune_eta; ia++)
                for (size_t ib = 0; ib < s->ntune_alpha; ib++) {
                    ntr_rate_point *p = ntr_rate_point_at(d, ie, ia, ib);
                    double v = s->fit_mean ? p->mean : p->median;
                    double best = chosen[ie] ? (s->fit_mean ? chosen[ie]->mean : chosen[ie]->median)
                                             : INFINITY;
                    if (p->usable && v < best)
                        chosen[ie] = p;
                }
            if (chosen[ie])
                chosen[ie]->best = 1;
        }
        /* the rule's points keep the rule fit's intervals */
        ntr_rate_fit tuned;
        double keep[3 * NTR_RATE_MAX_EPS] = {0};
        for (size_t ie = 0; ie < s->neps; ie++) {
            ntr_rate_point *p = ntr_rate_point_at(d, ie, 0, 0);
            keep[3 * ie] = p->stat, keep[3 * ie + 1] = p->lo, keep[3 * ie + 2] = p->hi;
        }
        rc = fit_series(d, chosen, &tuned, seed + 7919, 0, err);
        d->tuned = tuned;
        for (size_t ie = 0; ie < s->neps; ie++) {
            ntr_rate_point *p = ntr_rate_point_at(d, ie, 0, 0);
            p->stat = keep[3 * ie], p->lo = keep[3 * ie + 1], p->hi = keep[3 * ie + 2];
        }
    }
    if (rc == 0) {
        d->verdict = ntr_rate_judge(&d->fit, s->expect, s->tolerance, d->nexceeded > 0);
        verdict_line(d);
    }
    free(hits);
    free(work);
    free(chosen);
    return rc;
}

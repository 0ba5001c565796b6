/* tuned_analyse.c: a tuned study's analyses (see tuned.h) and its analyse
 * entry point: crossover, profile and ratio with seed-bootstrap
 * intervals that re-select every group's best point on each resample. */
#include "study/tuned/tuned_analyse.h"
#include "base/textbuf.h"

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RNG_SEED 20250101UL

/* The a and b groups of a crossover or ratio, paired by their x value and
 * sorted by it. */
static int pairs(const ntr_tuned_data *d, const ntr_tuned_analysis *an, ntr_tuned_result *r,
                 ntr_error *err)
{
    size_t ga[NTR_TUNED_MAX_X], gb[NTR_TUNED_MAX_X];
    size_t na = ntr_tuned_select(d, an->a, ga, NTR_TUNED_MAX_X);
    size_t nb = ntr_tuned_select(d, an->b, gb, NTR_TUNED_MAX_X);
    if (na < 2)
        return ntr_fail_at(err, an->pos, "%s: group a matches %zu groups; it needs one per value "
                                         "of %s, at least two",
                           an->label, na, an->x);
    r->n = 0;
    for (size_t i = 0; i < na; i++) {
        double x = ntr_tuned_x(d, &d->g[ga[i]], an->x);
        if (isnan(x))
            return ntr_fail_at(err, an->pos, "%s: %s of group %s is not a number", an->label, an->x,
                               d->g[ga[i]].label);
        size_t found = 0, at = 0;
        for (size_t j = 0; j < nb; j++)
            if (ntr_tuned_x(d, &d->g[gb[j]], an->x) == x)
                found++, at = gb[j];
        for (size_t k = 0; k < r->n; k++)
            if (r->x[k] == x)
                found = 99;
        if (found != 1)
            return ntr_fail_at(err, an->pos, "%s: at %s = %g, a matches one group and b %zu; "
                                             "each needs exactly one group per value",
                               an->label, an->x, x, found == 99 ? (size_t)2 : found);
        size_t k = r->n++;
        while (k > 0 && r->x[k - 1] > x) { /* insertion by x */
            r->x[k] = r->x[k - 1];
            r->ga[k] = r->ga[k - 1];
            r->gb[k] = r->gb[k - 1];
            k--;
        }
        r->x[k] = x;
        r->ga[k] = ga[i];
        r->gb[k] = at;
    }
    if (nb != na)
        return ntr_fail_at(err, an->pos, "%s: a matches %zu groups, b %zu", an->label, na, nb);
    r->tuned = 1;
    for (size_t i = 0; i < r->n; i++)
        r->tuned &= d->g[r->ga[i]].choice.bracketed && d->g[r->gb[i]].choice.bracketed;
    return 0;
}

/* b over a at point i from the replicates rep[0..n). */
static double ratio_at(const ntr_tuned_data *d, const ntr_tuned_result *r, size_t i,
                       const size_t *rep, size_t n)
{
    double sa = ntr_tuned_best(d, &d->g[r->ga[i]], rep, n, NULL);
    double sb = ntr_tuned_best(d, &d->g[r->gb[i]], rep, n, NULL);
    if (isnan(sa) || isnan(sb) || (isinf(sa) && isinf(sb)))
        return NAN;
    return sb / sa; /* a never reaching: 0; b never: INFINITY */
}

/* x* where log R crosses 0 upward for the last time; -INFINITY when R > 1
 * everywhere (below the grid), +INFINITY when R <= 1 at the largest x. */
static double crossing(const double *x, const double *R, size_t n)
{
    size_t j = n;
    for (size_t i = 0; i < n; i++)
        if (!(R[i] > 1.0))
            j = i;
    if (j == n)
        return -INFINITY;
    if (j == n - 1)
        return INFINITY;
    double l0 = log(R[j]), l1 = log(R[j + 1]);
    double t = !isfinite(l0) || !isfinite(l1) || l1 == l0 ? 0.5 : -l0 / (l1 - l0);
    t = fmin(1.0, fmax(0.0, t));
    return exp(log(x[j]) + t * (log(x[j + 1]) - log(x[j])));
}

static double quantile(double *v, size_t n, double q)
{
    gsl_sort(v, 1, n);
    return gsl_stats_quantile_from_sorted_data(v, 1, n, q);
}

static void xtext(char *buf, size_t size, double x)
{
    if (x == -INFINITY)
        snprintf(buf, size, "below the grid");
    else if (x == INFINITY)
        snprintf(buf, size, "above the grid");
    else
        snprintf(buf, size, "%.3g", x);
}

static int crossover(const ntr_tuned_data *d, const ntr_tuned_analysis *an, ntr_tuned_result *r,
                     ntr_error *err)
{
    size_t B = (size_t)d->spec.nboot, n = r->n, nr = d->nreps;
    double *rb = malloc(B * n * sizeof *rb), *xs = malloc(B * sizeof *xs), *col = malloc(B * sizeof *col);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rb || !xs || !col || !g) {
        free(rb), free(xs), free(col), gsl_rng_free(g);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    size_t rep[NTR_TREND_MAX_SEEDS];
    for (size_t j = 0; j < nr; j++)
        rep[j] = j;
    for (size_t i = 0; i < n; i++) {
        r->sa[i] = ntr_tuned_best(d, &d->g[r->ga[i]], rep, nr, NULL);
        r->sb[i] = ntr_tuned_best(d, &d->g[r->gb[i]], rep, nr, NULL);
        r->r[i] = ratio_at(d, r, i, rep, nr);
    }
    r->xstar = crossing(r->x, r->r, n);
    gsl_rng_set(g, RNG_SEED);
    size_t kept = 0;
    for (size_t b = 0; b < B; b++) {
        for (size_t j = 0; j < nr; j++)
            rep[j] = (size_t)gsl_rng_uniform_int(g, nr);
        int ok = 1;
        for (size_t i = 0; i < n; i++) {
            rb[kept * n + i] = ratio_at(d, r, i, rep, nr);
            ok &= !isnan(rb[kept * n + i]);
        }
        if (ok)
            xs[kept] = crossing(r->x, rb + kept * n, n), kept++;
    }
    gsl_rng_free(g);
    for (size_t i = 0; i < n; i++) {
        for (size_t b = 0; b < kept; b++)
            col[b] = rb[b * n + i];
        r->r_lo[i] = kept ? quantile(col, kept, 0.025) : NAN;
        r->r_hi[i] = kept ? quantile(col, kept, 0.975) : NAN;
    }
    r->xstar_lo = kept ? quantile(xs, kept, 0.025) : NAN;
    r->xstar_hi = kept ? quantile(xs, kept, 0.975) : NAN;
    free(rb), free(xs), free(col);

    /* a wins at the largest x (significantly) and at every x above x* */
    int top = n > 0 && r->r_lo[n - 1] > 1.0;
    r->holds = top && isfinite(r->xstar) ? 1 : top && r->xstar == -INFINITY;
    size_t wins = 0, bwins = 0, bsig = 0;
    for (size_t i = 0; i < n; i++) {
        wins += r->r[i] > 1.0;
        bwins += r->r[i] < 1.0;
        bsig += r->r_hi[i] < 1.0;
    }
    char xa[40], xb[40], xc[40];
    xtext(xa, sizeof xa, r->xstar);
    xtext(xb, sizeof xb, r->xstar_lo);
    xtext(xc, sizeof xc, r->xstar_hi);
    size_t u = ntr_appendf(r->line, sizeof r->line, 0,
                           "%s: R = tuned score of b / of a along %s (a wins where R > 1); "
                           "crossover %s* = %s [%s, %s]; a wins at %zu of %zu values, b at %zu "
                           "(significantly at %zu); at the largest %s = %g R = %.3g [%.3g, %.3g], "
                           "at the smallest %g R = %.3g [%.3g, %.3g]",
                           an->label, an->x, an->x, xa, xb, xc, wins, n, bwins, bsig, an->x,
                           r->x[n - 1], r->r[n - 1], r->r_lo[n - 1], r->r_hi[n - 1], r->x[0],
                           r->r[0], r->r_lo[0], r->r_hi[0]);
    ntr_appendf(r->line, sizeof r->line, u, "; a above the crossover: %s%s",
                r->holds ? "holds" : "does NOT hold", r->tuned ? "" : " (some group not tuned)");
    return 0;
}

/* ---- profile and ratio: trends over the seeds ------------------------------ */

typedef struct prof_ctx {
    const ntr_tuned_data *d;
    const ntr_tuned_group *g;
    int axis;
    long at[NTR_TUNE_MAX_KEYS]; /* -1: tuned; else held at that index (fix) */
    const ntr_tuned_result *r;
} prof_ctx;

static double prof_stat(size_t point, const size_t *seed, size_t n, void *ctx)
{
    prof_ctx *c = ctx;
    c->at[c->axis] = (long)point;
    return ntr_tuned_best(c->d, c->g, seed, n, c->at);
}

/* The index of each `fix` value along its axis in group g (at[] -1 elsewhere). */
static int fix_indices(const ntr_tuned_data *d, const ntr_tuned_analysis *an,
                       const ntr_tuned_group *g, long *at, ntr_error *err)
{
    for (size_t a = 0; a < NTR_TUNE_MAX_KEYS; a++)
        at[a] = -1;
    for (size_t i = 0; an->fix && i < an->fix->n; i++) {
        int a = ntr_tuned_key(d, an->fix->keys[i]);
        if (a < 0)
            return ntr_fail_at(err, an->fix->pos, "%s: fix.%s is not a tuning key that was run",
                               an->label, an->fix->keys[i]);
        double v = strtod(an->fix->items[i]->text, NULL);
        const ntr_tune_axis *ax = &g->grid.axis[a];
        for (size_t j = 0; j < ax->n; j++)
            if (fabs(ax->value[j] - v) <= 1e-9 * fabs(v))
                at[a] = (long)j;
        if (at[a] < 0)
            return ntr_fail_at(err, an->fix->items[i]->pos, "%s: group %s did not run %s = %s",
                               an->label, g->label, an->fix->keys[i], an->fix->items[i]->text);
    }
    return 0;
}

static double ratio_stat(size_t point, const size_t *seed, size_t n, void *ctx)
{
    const prof_ctx *c = ctx;
    return ratio_at(c->d, c->r, point, seed, n);
}

static int expectation_holds(ntr_tuned_expect e, const ntr_trend *t, double band)
{
    if (t->direction == NTR_TREND_INCONCLUSIVE)
        return 0;
    switch (e) { /* a trend counts when its whole interval is beyond the band */
    case NTR_EXPECT_RISES: return t->ci_lo > band;
    case NTR_EXPECT_FALLS: return t->ci_hi < -band;
    case NTR_EXPECT_FLAT: return t->ci_lo >= -band && t->ci_hi <= band;
    case NTR_EXPECT_NO_RISE: return t->ci_lo <= band;
    case NTR_EXPECT_NO_FALL: return t->ci_hi >= -band;
    }
    return 0;
}

static int profile(const ntr_tuned_data *d, const ntr_tuned_analysis *an, size_t idx,
                   ntr_tuned_result *r, ntr_error *err)
{
    size_t gs[16];
    size_t ng = ntr_tuned_select(d, an->where, gs, 16);
    int axis = ntr_tuned_key(d, an->x);
    if (ng == 0)
        return ntr_fail_at(err, an->pos, "%s: `where` matches no group", an->label);
    if (axis < 0)
        return ntr_fail_at(err, an->pos, "%s: %s is not a tuning key that was run (a key pinned "
                                         "with --set has one value)",
                           an->label, an->x);
    r->holds = 1;
    r->tuned = 1;
    char held[200] = "other keys tuned";
    for (size_t i = 0, u2 = 0; an->fix && i < an->fix->n && u2 < sizeof held; i++)
        u2 += (size_t)snprintf(held + u2, sizeof held - u2, "%s%s = %s", i ? ", " : "at ",
                               an->fix->keys[i], an->fix->items[i]->text);
    size_t u = ntr_appendf(r->line, sizeof r->line, 0, "%s: best %s at each %s (%s), slope of log "
                                                  "against log %s, expected %s:",
                      an->label, d->spec.score == NTR_TUNED_FINAL ? d->spec.column : "hitting time",
                      an->x, held, an->x, ntr_tuned_expect_names[an->expect]);
    for (size_t i = 0; i < ng; i++) {
        const ntr_tuned_group *g = &d->g[gs[i]];
        const ntr_tune_axis *ax = &g->grid.axis[axis];
        if (!ax->numeric || ax->n < 2) { /* e.g. pinned by --set: nothing to profile */
            r->holds = 0;
            u = ntr_appendf(r->line, sizeof r->line, u, "%s [%s] cannot run: %s takes %zu value(s)",
                            i ? ";" : "", g->label, an->x, ax->n);
            continue;
        }
        prof_ctx c = {d, g, axis, {0}, r};
        if (fix_indices(d, an, g, c.at, err) != 0)
            return -1;
        ntr_trend *t = &r->trend[r->ntrends];
        if (ntr_trend_test(ax->value, ax->n, d->nreps, prof_stat, &c, (size_t)d->spec.nboot,
                           RNG_SEED + idx * 131 + i, an->band, t, err) != 0)
            return -1;
        memcpy(r->tx[r->ntrends], ax->value, ax->n * sizeof ax->value[0]);
        r->tgroup[r->ntrends++] = gs[i];
        int ok = expectation_holds(an->expect, t, an->band);
        r->holds &= ok;
        char tt[300];
        ntr_trend_text(t, tt, sizeof tt);
        u = ntr_appendf(r->line, sizeof r->line, u, "%s [%s] %s (%s)", i ? ";" : "", g->label, tt,
                        ok ? "as expected" : "NOT as expected");
    }
    ntr_appendf(r->line, sizeof r->line, u, ": %s", r->holds ? "holds" : "does NOT hold");
    return 0;
}

static int ratio(const ntr_tuned_data *d, const ntr_tuned_analysis *an, size_t idx,
                 ntr_tuned_result *r, ntr_error *err)
{
    prof_ctx c = {d, NULL, -1, {0}, r};
    ntr_trend *t = &r->trend[0];
    size_t rep[NTR_TREND_MAX_SEEDS];
    for (size_t j = 0; j < d->nreps; j++)
        rep[j] = j;
    for (size_t i = 0; i < r->n; i++) {
        r->sa[i] = ntr_tuned_best(d, &d->g[r->ga[i]], rep, d->nreps, NULL);
        r->sb[i] = ntr_tuned_best(d, &d->g[r->gb[i]], rep, d->nreps, NULL);
        r->r[i] = ratio_at(d, r, i, rep, d->nreps);
        r->r_lo[i] = r->r_hi[i] = NAN;
    }
    if (ntr_trend_test(r->x, r->n, d->nreps, ratio_stat, &c, (size_t)d->spec.nboot,
                       RNG_SEED + idx * 131, 0.0, t, err) != 0)
        return -1;
    r->ntrends = 1;
    r->holds = !isnan(t->slope) && t->direction != NTR_TREND_INCONCLUSIVE &&
               fabs(t->slope - an->slope) <= an->tolerance;
    ntr_appendf(r->line, sizeof r->line, 0,
                "%s: R = tuned score of b / of a against %s: slope of log R against log %s = %.3g "
                "[%.3g, %.3g] (expected %g +- %g), R from %.3g at %g to %.3g at %g: %s%s",
                an->label, an->x, an->x, t->slope, t->ci_lo, t->ci_hi, an->slope, an->tolerance,
                r->r[0], r->x[0], r->r[r->n - 1], r->x[r->n - 1],
                r->holds ? "holds" : "does NOT hold", r->tuned ? "" : " (some group not tuned)");
    return 0;
}

int ntr_tuned_run(const ntr_tuned_data *d, size_t i, ntr_tuned_result *r, ntr_error *err)
{
    const ntr_tuned_analysis *an = &d->spec.an[i];
    memset(r, 0, sizeof *r);
    r->an = an;
    r->xstar = r->xstar_lo = r->xstar_hi = NAN;
    if (an->kind == NTR_TUNED_PROFILE)
        return profile(d, an, i, r, err);
    if (pairs(d, an, r, err) != 0)
        return -1;
    if (r->n > NTR_TREND_MAX_POINTS)
        return ntr_fail_at(err, an->pos, "%s: at most %d values of %s", an->label,
                           NTR_TREND_MAX_POINTS, an->x);
    return an->kind == NTR_TUNED_CROSSOVER ? crossover(d, an, r, err) : ratio(d, an, i, r, err);
}

int ntr_tuned_analyse(const char *result_dir, const ntr_node *study, int draw, char **verdict,
                      ntr_error *err)
{
    ntr_tuned_data d;
    *verdict = NULL;
    if (ntr_tuned_data_read(result_dir, study, &d, err) != 0) {
        ntr_tuned_data_free(&d);
        return -1;
    }
    ntr_tuned_result *res = calloc(d.spec.nanalyses + 1, sizeof *res);
    int rc = res ? 0 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    size_t failed = 0, untuned = 0, missing = 0;
    for (size_t i = 0; rc == 0 && i < d.spec.nanalyses; i++) {
        rc = ntr_tuned_run(&d, i, &res[i], err);
        failed += rc == 0 && !res[i].holds;
        untuned += rc == 0 && !res[i].tuned;
    }
    for (size_t i = 0; i < d.ngroups; i++)
        missing += !d.g[i].choice.complete;
    char claim[600];
    size_t u = 0;
    if (rc == 0) {
        if (d.spec.nanalyses == 0)
            u = ntr_appendf(claim, sizeof claim, 0, "tuned: %zu groups, no claim analysed",
                            d.ngroups);
        else if (missing > 0)
            u = ntr_appendf(claim, sizeof claim, 0,
                            "claim: inconclusive (%zu groups have cells not run)", missing);
        else if (failed > 0) {
            u = ntr_appendf(claim, sizeof claim, 0, "claim: NOT reproduced (does not hold:");
            for (size_t i = 0; i < d.spec.nanalyses; i++)
                if (!res[i].holds)
                    u = ntr_appendf(claim, sizeof claim, u, " %s;", d.spec.an[i].label);
            claim[u - 1] = ')';
        } else if (untuned > 0)
            u = ntr_appendf(claim, sizeof claim, 0,
                            "claim: inconclusive (every analysis holds, but %zu rest on groups "
                            "not tuned: best point on the grid's edge)",
                            untuned);
        else
            u = ntr_appendf(claim, sizeof claim, 0,
                            "claim: reproduced (%zu of %zu analyses hold, every group tuned)",
                            d.spec.nanalyses, d.spec.nanalyses);
        (void)u;
        rc = ntr_tuned_write(result_dir, &d, res, claim, err);
    }
    if (rc == 0 && draw)
        rc = ntr_tuned_plot(result_dir, &d, res, err);
    if (rc == 0) {
        size_t len = strlen(claim) + 2, nt = 0;
        for (size_t i = 0; i < d.ngroups; i++)
            nt += !d.g[i].choice.bracketed;
        len += 200;
        for (size_t i = 0; i < d.spec.nanalyses; i++)
            len += strlen(res[i].line) + 1;
        char *out = malloc(len);
        if (!out)
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        else {
            size_t w = ntr_appendf(out, len, 0,
                                   "tuned: %zu groups, %zu tuning points each at most, %zu "
                                   "seeds; %zu groups not tuned (best on the grid's edge)\n",
                                   d.ngroups, d.ngroups ? d.g[0].npoints : 0, d.nreps, nt);
            for (size_t i = 0; i < d.spec.nanalyses; i++)
                w = ntr_appendf(out, len, w, "%s\n", res[i].line);
            ntr_appendf(out, len, w, "%s", claim);
            *verdict = out;
        }
    }
    free(res);
    ntr_tuned_data_free(&d);
    return rc;
}

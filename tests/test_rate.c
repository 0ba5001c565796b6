/* test_rate.c: the rate study's pieces on synthetic data with known answers
 * (src/study/rate/rate_fit.c, rate_bound.c, rate_spec.c): the exponent fit and
 * its parametric interval, every verdict rule (tight, consistent,
 * violated, inconclusive, censoring, untuned eps, short eps ranges), the
 * theorems' bounds against values worked out by hand (and the
 * reconstructed star-convex bound against its own rule), the one-sided
 * confidence bound, the bound check on synthetic measurements (holds,
 * violated, not significant, exact per-seed, pending, not applicable, a
 * wrong constant), and reading study blocks (kinds, roles, expected
 * verdicts, keys that leave the tuning grid, positioned errors).  The
 * study end to end is in test_rate_e2e.c. */
#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_load.h"
#include "study/rate/rate.h"
#include "study/rate/rate_bound.h"
#include "study/rate/rate_data.h"
#include "study/rate/rate_fit.h"
#include "support.h"

/* ---- fit -------------------------------------------------------------------- */

START_TEST(test_fit_exact)
{
    double eps[6], K[6];
    for (int i = 0; i < 6; i++) {
        eps[i] = 0.3 * pow(0.1, i / 5.0);
        K[i] = 7.0 * pow(eps[i], -4.0);
    }
    ntr_rate_fit f;
    ntr_rate_fit_line(eps, K, 6, NULL, 0, &f);
    ck_assert_double_eq_tol(f.slope, 4.0, 1e-10);
    ck_assert_double_eq_tol(f.intercept, log(7.0), 1e-9);
    ck_assert_double_eq_tol(f.par_lo, 4.0, 1e-6); /* a perfect line: no fit error */
    ck_assert_double_eq_tol(f.par_hi, 4.0, 1e-6);
    ck_assert(isnan(f.boot_lo));
    ck_assert_double_eq_tol(f.ci_lo, 4.0, 1e-6);
    /* the union with a bootstrap interval */
    double slopes[5] = {3.5, 3.9, 4.0, 4.1, 4.6};
    ntr_rate_fit_line(eps, K, 6, slopes, 5, &f);
    ck_assert(f.boot_lo > 3.5 && f.boot_lo < 3.6 && f.boot_hi > 4.5);
    ck_assert_double_eq(f.ci_lo, f.boot_lo);
    ck_assert_double_eq(f.ci_hi, f.boot_hi);
    /* two points: no parametric interval, the point itself */
    ntr_rate_fit_line(eps, K, 2, NULL, 0, &f);
    ck_assert(isnan(f.par_lo));
    ck_assert_double_eq(f.ci_lo, f.slope);
    ntr_rate_fit_line(eps, K, 1, NULL, 0, &f);
    ck_assert(isnan(f.slope));
}
END_TEST

/* Noisy power laws: the parametric interval covers the true exponent in
 * about 95% of repetitions (loosely: at least 85 of 100). */
START_TEST(test_fit_noise_coverage)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    int covered = 0;
    for (int rep = 0; rep < 100; rep++) {
        double eps[8], K[8];
        for (int i = 0; i < 8; i++) {
            eps[i] = 0.2 * pow(0.05, i / 7.0);
            K[i] = 3.0 * pow(eps[i], -2.5) * exp(gsl_ran_gaussian(r, 0.2));
        }
        ntr_rate_fit f;
        ntr_rate_fit_line(eps, K, 8, NULL, 0, &f);
        covered += f.par_lo <= 2.5 && 2.5 <= f.par_hi;
        ck_assert(f.rms > 0.05 && f.rms < 0.5);
    }
    ck_assert_int_ge(covered, 85);
    ck_assert_int_le(covered, 100);
    gsl_rng_free(r);
}
END_TEST

START_TEST(test_difference)
{
    double a[4] = {4.0, 4.1, 3.9, 4.0}, b[4] = {3.5, 3.5, 3.5, 3.5}, lo, hi;
    ntr_rate_difference_ci(a, 4, b, 4, &lo, &hi);
    ck_assert(lo > 0.39 && lo < 0.41 && hi > 0.59 && hi < 0.61);
    ntr_rate_difference_ci(a, 0, b, 4, &lo, &hi);
    ck_assert(isnan(lo) && isnan(hi));
}
END_TEST

/* ---- verdict rules ---------------------------------------------------------- */

/* Evidence of 7 usable eps over a decade with exponent 4 +- 0.1. */
static ntr_rate_evidence good(int lower_bound)
{
    ntr_rate_evidence e;
    memset(&e, 0, sizeof e);
    e.neps = 7;
    e.eps_span = 10;
    e.usable = 7;
    e.lower_bound = lower_bound;
    e.expect = 4;
    e.tolerance = 0.25;
    e.fit.npoints = 7;
    e.fit.slope = 4.0;
    e.fit.ci_lo = 3.9;
    e.fit.ci_hi = 4.1;
    return e;
}

static ntr_rate_verdict judge(const ntr_rate_evidence *e, const char *want)
{
    char why[300];
    ntr_rate_verdict v = ntr_rate_judge(e, why, sizeof why);
    ck_assert_msg(strstr(why, want) != NULL, "why: %s (wanted %s)", why, want);
    return v;
}

START_TEST(test_judge)
{
    ntr_rate_evidence e = good(1);
    ck_assert_int_eq(judge(&e, "matches"), NTR_RATE_TIGHT);
    e = good(0); /* no lower bound: consistent at best */
    ck_assert_int_eq(judge(&e, "best possible verdict is consistent"), NTR_RATE_CONSISTENT);
    e.fit.slope = 2.0, e.fit.ci_lo = 1.8, e.fit.ci_hi = 2.2; /* faster than claimed */
    ck_assert_int_eq(judge(&e, "not above"), NTR_RATE_CONSISTENT);
    e = good(1); /* below the lower bound: the instance does not bind */
    e.fit.slope = 3.0, e.fit.ci_lo = 2.9, e.fit.ci_hi = 3.1;
    ck_assert_int_eq(judge(&e, "does not bind"), NTR_RATE_INCONCLUSIVE);
    e = good(0); /* above the claim beyond the interval and the tolerance */
    e.fit.slope = 4.6, e.fit.ci_lo = 4.4, e.fit.ci_hi = 4.8;
    ck_assert_int_eq(judge(&e, "above the claimed 4"), NTR_RATE_VIOLATED);
    e.fit.slope = 4.2, e.fit.ci_lo = 4.1, e.fit.ci_hi = 4.3; /* above, within the tolerance */
    ck_assert_int_eq(judge(&e, "not above"), NTR_RATE_CONSISTENT);
    e = good(1); /* within the tolerance though outside the interval */
    e.fit.slope = 3.85, e.fit.ci_lo = 3.8, e.fit.ci_hi = 3.9;
    ck_assert_int_eq(judge(&e, "matches"), NTR_RATE_TIGHT);
    /* censoring: at most inconclusive; violated when the budget passed K_theory */
    e = good(1);
    e.censored = 1, e.usable = 6;
    ck_assert_int_eq(judge(&e, "1 censored eps"), NTR_RATE_INCONCLUSIVE);
    e.censored_past_theory = 1;
    ck_assert_int_eq(judge(&e, "within a budget of at least K_theory"), NTR_RATE_VIOLATED);
    e = good(1);
    e.above_theory = 2;
    ck_assert_int_eq(judge(&e, "K above K_theory at 2 eps"), NTR_RATE_VIOLATED);
    e = good(1);
    e.untuned = 1;
    ck_assert_int_eq(judge(&e, "not tuned"), NTR_RATE_INCONCLUSIVE);
    e = good(1);
    e.pending = 2;
    ck_assert_int_eq(judge(&e, "not run yet"), NTR_RATE_INCONCLUSIVE);
    e = good(1); /* five usable eps, or a span short of a decade */
    e.usable = 5;
    ck_assert_int_eq(judge(&e, "needs 6 or more"), NTR_RATE_INCONCLUSIVE);
    e = good(1);
    e.eps_span = 5;
    ck_assert_int_eq(judge(&e, "needs 6 or more"), NTR_RATE_INCONCLUSIVE);
    e = good(1);
    e.fit.slope = NAN, e.fit.npoints = 0;
    ck_assert_int_eq(judge(&e, "no exponent"), NTR_RATE_INCONCLUSIVE);
    ck_assert_str_eq(ntr_rate_verdict_names[NTR_RATE_CONSISTENT], "consistent");
}
END_TEST

/* ---- bounds ----------------------------------------------------------------- */

START_TEST(test_bounds_by_hand)
{
    ntr_bound_params p = {2.0, 1.5, 0.5, 4.0, 0.01, 0.25, 0.75, 0.5};
    /* 4/(0.01*100) + 2*0.75/(0.25*100) + 2*0.5*0.75 + 1.5*2*0.01 + 2*2*0.01/0.25 */
    ck_assert_double_eq_tol(ntr_bound_theorem2(&p, 100), 4 + 0.06 + 0.75 + 0.03 + 0.16, 1e-12);
    /* 0.75^2 * 0.75 + 0.5 * 0.75 + 2 * 0.01 / 0.25 */
    ck_assert_double_eq_tol(ntr_bound_momentum(&p, 2), 0.421875 + 0.375 + 0.08, 1e-12);
    /* star-convex, R = 2, lambda = 0.005: K = 0 is Delta0; K = 1 by hand */
    ck_assert_double_eq_tol(ntr_bound_starconvex(&p, 0), 4.0, 1e-12);
    ck_assert_double_eq_tol(ntr_bound_starconvex(&p, 1), 3.98 + 0.01125 + 0.0107 + 0.0004, 1e-12);
    /* K -> infinity: 2 R sqrt(alpha) rho sigma + 4 L R eta/alpha + 2 L eta R */
    ck_assert_double_eq_tol(ntr_bound_starconvex(&p, 1e9), 1.5 + 0.64 + 0.08, 1e-9);
    p.weight_decay = 0;
    ck_assert(isnan(ntr_bound_starconvex(&p, 10)));
}
END_TEST

/* The reconstructed star-convex bound at the rule's own alpha, eta, weight
 * decay 1/D and K is at most eps: the rule follows from the bound. */
START_TEST(test_starconvex_bound_gives_its_rule)
{
    double L = 5, rho = 2, sigma = 0.1, D = 3, Delta0 = 2;
    for (double eps = 0.2; eps > 0.01; eps /= 2) {
        double alpha = fmin(1, eps * eps / (64 * D * D * rho * rho * sigma * sigma));
        double eta = fmin(eps * alpha / (16 * L * D), eps * alpha / (16 * rho * sigma));
        double K = ceil(D / eta * log(4 * Delta0 / eps));
        ntr_bound_params p = {L, rho, sigma, Delta0, eta, alpha, rho * sigma, 1.0 / D};
        double b = ntr_bound_starconvex(&p, K);
        ck_assert_msg(b <= eps, "eps %g: bound %g", eps, b);
        ck_assert_msg(b > 0.3 * eps, "eps %g: bound %g, loose", eps, b);
    }
    /* Theorem 2 at its own rule: at most 31 eps/32 */
    double L2 = 3, Delta = 1.5, r = 1.2, s2 = 0.4;
    for (double eps = 0.3; eps > 0.01; eps /= 2) {
        double eta = fmin(eps / (16 * L2), pow(eps, 3) / (256 * r * r * s2 * s2 * L2));
        double alpha = fmin(1, eps * eps / (16 * r * r * s2 * s2));
        double K = ceil(fmax(fmax(2048 * L2 * Delta * r * r * s2 * s2 / pow(eps, 4),
                                  256 * pow(r * s2, 3) / pow(eps, 3)),
                             fmax(128 * L2 * Delta / (eps * eps), 16 * r * s2 / eps)));
        ntr_bound_params p = {L2, r, s2, Delta, eta, alpha, r * s2, 0};
        ck_assert(ntr_bound_theorem2(&p, K) <= 31 * eps / 32 * (1 + 1e-12));
    }
}
END_TEST

START_TEST(test_lcb)
{
    double v[3] = {1, 2, 3}, mean;
    /* t_{0.975, 2} = 4.302653 */
    ck_assert_double_eq_tol(ntr_bound_lcb(v, 3, 0.975, 0, &mean), 2 - 4.302653 / sqrt(3), 1e-5);
    ck_assert_double_eq(mean, 2);
    ck_assert_double_eq(ntr_bound_lcb(v, 1, 0.99, 1, &mean), 1); /* exact: the value */
    ck_assert(isinf(ntr_bound_lcb(v, 1, 0.99, 0, &mean)));     /* noisy: no judgement */
    double c[4] = {5, 5, 5, 5};
    ck_assert_double_eq(ntr_bound_lcb(c, 4, 0.999, 0, &mean), 5);
}
END_TEST

/* ---- the bound check on synthetic measurements ------------------------------ */

/* A bound series of one point (Algorithm 1, euclidean, eta 0.01, alpha 0.1)
 * whose S seeds measured min_{k<=K} ||grad f||_* = frac x Theorem 2's bound
 * at K = 1..100 (each seed's own Delta0), times 1 + spread x N(0, 1). */
static void synth_bound(ntr_rate_data *d, ntr_rate_spec *s, size_t S, double sigma, double frac,
                        double spread, gsl_rng *rng)
{
    memset(s, 0, sizeof *s);
    s->kind = NTR_RATE_KIND_BOUND;
    s->checks = NTR_RATE_CHECK_THEOREM2;
    s->confidence = 0.99;
    s->scale_L = s->scale_sigma = s->scale_rho = s->scale_Delta0 = 1.0;
    memset(d, 0, sizeof *d);
    d->spec = s;
    d->nseeds = S;
    d->npoints = 1;
    d->pt = calloc(1, sizeof *d->pt);
    ntr_rate_point *p = &d->pt[0];
    p->eps = NAN;
    snprintf(p->label, sizeof p->label, "synthetic");
    p->seed = calloc(S, sizeof *p->seed);
    p->have_settings = 1;
    p->eta = 0.01, p->alpha = 0.1, p->weight_decay = 0;
    snprintf(p->method, sizeof p->method, "ntr");
    snprintf(p->norm, sizeof p->norm, "euclidean");
    snprintf(p->m0, sizeof p->m0, "sample");
    snprintf(p->solver, sizeof p->solver, "svd");
    snprintf(p->scale, sizeof p->scale, "none");
    p->eta_constant = 1;
    p->measure_every = 1;
    size_t n = 101;
    for (size_t j = 0; j < S; j++) {
        ntr_rate_seed *sd = &p->seed[j];
        sd->present = sd->have_vars = 1;
        sd->vars.L = 2, sd->vars.rho = 1, sd->vars.sigma = sigma, sd->vars.D = 1;
        sd->vars.Delta0 = 1.0 + 0.1 * (double)j;
        sd->nrows = n;
        sd->k = malloc(n * sizeof *sd->k);
        sd->gd = malloc(n * sizeof *sd->gd);
        sd->mind = malloc(n * sizeof *sd->mind);
        ntr_bound_params bp = {2, 1, sigma, sd->vars.Delta0, 0.01, 0.1, sigma, 0};
        for (size_t i = 0; i < n; i++) {
            sd->k[i] = (double)i;
            sd->gd[i] = 1e6; /* the running minimum is met after k = 0 */
            sd->mind[i] = i ? frac * ntr_bound_theorem2(&bp, (double)i) *
                                  (1.0 + spread * gsl_ran_gaussian(rng, 1.0))
                            : 1e6;
        }
    }
}

START_TEST(test_bound_check_synthetic)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    ntr_rate_spec s;
    ntr_rate_data d;
    ntr_error err = {0};
    /* half the bound, noisy: holds everywhere, worst ratio about 0.5 */
    synth_bound(&d, &s, 8, 0.3, 0.5, 0.2, rng);
    ck_assert_int_eq(ntr_rate_check_compute(&d, &err), 0);
    ck_assert_int_eq(d.verdict, NTR_RATE_CONSISTENT);
    ck_assert_uint_eq(d.bsum[0].applicable, 1);
    ck_assert_uint_eq(d.bsum[0].violated_points, 0);
    ck_assert_uint_eq(d.pt[0].chk[0].nrows, 100); /* K = 1..100 (K = 0 is not a row) */
    ck_assert(d.bsum[0].worst_ratio > 0.3 && d.bsum[0].worst_ratio < 0.8);
    ntr_rate_data_free(&d);
    /* twice the bound: violated, and the lower confidence bound is above it */
    synth_bound(&d, &s, 8, 0.3, 2.0, 0.1, rng);
    ck_assert_int_eq(ntr_rate_check_compute(&d, &err), 0);
    ck_assert_int_eq(d.verdict, NTR_RATE_VIOLATED);
    ck_assert(d.pt[0].chk[0].violations > 50);
    ck_assert(d.pt[0].chk[0].lcb[0] > d.pt[0].chk[0].bound[0]);
    ck_assert(strstr(d.why, "1 of 1 points violated") != NULL);
    ntr_rate_data_free(&d);
    /* 5% above the bound with 50% spread over 3 seeds: the mean is above,
     * but not significantly: no violation can be claimed */
    synth_bound(&d, &s, 3, 0.3, 1.05, 0.5, rng);
    ck_assert_int_eq(ntr_rate_check_compute(&d, &err), 0);
    ck_assert_int_eq(d.verdict, NTR_RATE_CONSISTENT);
    ck_assert(d.bsum[0].worst_ratio > 1.0);
    ntr_rate_data_free(&d);
    /* no noise: every seed on its own; one seed 1% above its bound at one K */
    synth_bound(&d, &s, 4, 0.0, 0.9, 0.0, rng);
    d.pt[0].seed[2].mind[40] *= 1.01 / 0.9;
    ck_assert_int_eq(ntr_rate_check_compute(&d, &err), 0);
    ck_assert_int_eq(d.verdict, NTR_RATE_VIOLATED);
    ck_assert_uint_eq(d.pt[0].chk[0].violations, 1);
    ck_assert_double_eq(d.pt[0].chk[0].first_violation_k, 40);
    ck_assert_double_eq_tol(d.bsum[0].worst_ratio, 1.01, 1e-9);
    ntr_rate_data_free(&d);
    /* a seed not run yet: inconclusive; the wrong method: not applicable */
    synth_bound(&d, &s, 4, 0.3, 0.5, 0.1, rng);
    d.pt[0].seed[3].present = 0;
    ck_assert_int_eq(ntr_rate_check_compute(&d, &err), 0);
    ck_assert_int_eq(d.verdict, NTR_RATE_INCONCLUSIVE);
    ck_assert(strstr(d.why, "not run yet") != NULL);
    ntr_rate_data_free(&d);
    synth_bound(&d, &s, 4, 0.3, 2.0, 0.1, rng);
    snprintf(d.pt[0].method, sizeof d.pt[0].method, "osgdm");
    ck_assert_int_eq(ntr_rate_check_compute(&d, &err), 0);
    ck_assert_int_eq(d.verdict, NTR_RATE_INCONCLUSIVE);
    ck_assert(strstr(d.pt[0].chk[0].why_na, "Algorithm 1") != NULL);
    s.any_method = 1; /* applicability: any checks it anyway (computed again: afresh) */
    ck_assert_int_eq(ntr_rate_check_compute(&d, &err), 0);
    ck_assert_int_eq(d.verdict, NTR_RATE_VIOLATED);
    ck_assert_uint_eq(d.bsum[0].points, 1);
    ck_assert_uint_eq(d.bsum[0].applicable, 1);
    ntr_rate_data_free(&d);
    /* wrong constants: an honest run (0.9 x its bound) judged with L and
     * sigma ten times too small violates once the Delta0/(eta K) term fades */
    synth_bound(&d, &s, 8, 0.3, 0.9, 0.05, rng);
    ck_assert_int_eq(ntr_rate_check_compute(&d, &err), 0);
    ck_assert_int_eq(d.verdict, NTR_RATE_CONSISTENT);
    s.scale_L = 0.1;
    s.scale_sigma = 0.1;
    ck_assert_int_eq(ntr_rate_check_compute(&d, &err), 0);
    ck_assert_int_eq(d.verdict, NTR_RATE_VIOLATED);
    ntr_rate_data_free(&d);
    gsl_rng_free(rng);
}
END_TEST

/* ---- study blocks ----------------------------------------------------------- */

static ntr_node *yaml(const char *text)
{
    ntr_node *n = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_yaml_load_string(text, strlen(text), "s.yaml", 0, &n, &err) == 0, "%s",
                  err.msg);
    return n;
}

static ntr_error study_bad(const char *text)
{
    ntr_node *n = yaml(text);
    ntr_rate_study st;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_rate_study_read(n, NULL, &st, &err), -1);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert_str_eq(err.file, "s.yaml");
    ntr_node_free(n);
    return err;
}

START_TEST(test_study_read)
{
    ntr_node *n = yaml("type: rate\ntheory: kovalev_nonconvex\nseeds: 4\n"
                       "eps: {logspace: [0.3, 0.03, 7]}\n"
                       "tune: {method.eta: {logspace: [0.5, 2, 3], around: eps}, "
                       "method.alpha: [0.1, 1]}\n"
                       "variants:\n"
                       "  chain: {kind: tuned, claim: tight, lower_bound: T/p}\n"
                       "  no_momentum: {kind: tuned, role: control, set: {method.alpha: 1},\n"
                       "                claim: [violated, inconclusive], note: why}\n"
                       "  bounds: {kind: bound, grid: {method.eta: [0.1]}, check: starconvex,\n"
                       "           constants: {L: 0.5}, eps: [0.1], applicability: any}\n"
                       "  rule: {kind: rule, scale_eta: 2}\n"
                       "compare: {a: rule, b: chain}\n");
    ntr_rate_study st;
    ntr_error err = {0};
    ck_assert_msg(ntr_rate_study_read(n, NULL, &st, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.nvar, 4);
    const ntr_rate_spec *c = &st.var[0], *nm = &st.var[1], *b = &st.var[2], *r = &st.var[3];
    ck_assert_int_eq(c->kind, NTR_RATE_KIND_TUNED);
    ck_assert_int_eq(c->role, NTR_RATE_ROLE_CLAIM);
    ck_assert_uint_eq(c->expected, 1u << NTR_RATE_TIGHT);
    ck_assert_uint_eq(c->neps, 7);
    ck_assert_double_eq(c->expect, 4);
    ck_assert_uint_eq(c->tune.naxes, 2);
    ck_assert_str_eq(c->lower_bound, "T/p");
    ck_assert_double_eq(c->plateau, 0.05);
    /* the control sets alpha: alpha leaves its grid */
    ck_assert_int_eq(nm->role, NTR_RATE_ROLE_CONTROL);
    ck_assert_uint_eq(nm->expected, (1u << NTR_RATE_VIOLATED) | (1u << NTR_RATE_INCONCLUSIVE));
    ck_assert_uint_eq(nm->tune.naxes, 1);
    ck_assert_str_eq(nm->tune.axis[0].key, "method.eta");
    ck_assert_uint_eq(nm->tune.npinned, 1);
    ck_assert_str_eq(nm->tune.pinned[0], "method.alpha");
    ck_assert_str_eq(nm->note, "why");
    ck_assert_int_eq(b->kind, NTR_RATE_KIND_BOUND);
    ck_assert_uint_eq(b->checks, NTR_RATE_CHECK_STARCONVEX);
    ck_assert_double_eq(b->scale_L, 0.5);
    ck_assert_double_eq(b->confidence, 0.99);
    ck_assert_uint_eq(b->neps, 1); /* a bound series: the rule's own point at eps = 0.1 */
    ck_assert_int_eq(b->any_method, 1);
    ck_assert_int_eq(r->kind, NTR_RATE_KIND_RULE);
    ck_assert_int_eq(r->role, NTR_RATE_ROLE_CONTRAST); /* a rule is a contrast */
    ck_assert_double_eq(r->scale_eta, 2);
    ck_assert(st.compare);
    ck_assert_uint_eq(st.cmp_a, 3);
    char label[80];
    ntr_rate_eps_label(c, 0, label, sizeof label);
    ck_assert_str_eq(label, "chain eps=0.3");
    ntr_rate_study_free(&st);
    ntr_node_free(n);
}
END_TEST

START_TEST(test_study_errors)
{
    const char *head = "type: rate\ntheory: kovalev_nonconvex\neps: [0.1, 0.05]\n";
    char text[600];
    snprintf(text, sizeof text, "%s", head);
    ntr_error e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "needs kind"));
    snprintf(text, sizeof text, "%skind: rule\nrole: claim\n", head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "a rule series is a contrast"));
    ck_assert_int_eq(e.line, 5);
    snprintf(text, sizeof text, "%skind: tuned\nclaim: [tight, consistent]\n", head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "a claim states one verdict"));
    snprintf(text, sizeof text, "%skind: tuned\nclaim: faster\n", head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "not a verdict"));
    ck_assert_int_eq(e.line, 5);
    snprintf(text, sizeof text, "%skind: bound\n", head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "needs grid"));
    snprintf(text, sizeof text, "%skind: bound\ngrid: {method.eta: [1]}\ncheck: [theorem3]\n",
             head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "not a bound"));
    snprintf(text, sizeof text, "%skind: bound\ngrid: {method.alpha: [1]}\n"
                                "set: {method: {alpha: 1}}\n",
             head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "also set by the series"));
    snprintf(text, sizeof text, "%skind: tuned\ntune: {seeds: [1, 2]}\n", head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "cannot be tuned"));
    snprintf(text, sizeof text, "%skind: tuned\nset: {seeds: 2}\n", head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "cannot differ"));
    snprintf(text, sizeof text, "%skind: bound\ngrid: {method.eta: [1]}\napplicability: all\n", head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "applicability"));
    snprintf(text, sizeof text, "%skind: tuned\nplateau: -1\n", head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "plateau"));
    snprintf(text, sizeof text, "type: rate\ntheory: kovalev_nonconvex\nkind: tuned\n");
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "needs eps"));
    snprintf(text, sizeof text, "%skind: tuned\nvariants: {a: {}, b: {kind: bound, grid: "
                                "{method.eta: [1]}}}\ncompare: {a: a, b: b}\n",
             head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "is a bound series"));
    snprintf(text, sizeof text, "%skind: tuned\nvariants: {a: {}, b: {theory: kovalev_nonconvx}}\n",
             head);
    e = study_bad(text);
    ck_assert_ptr_nonnull(strstr(e.msg, "did you mean"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("rate");
    TCase *tc = tcase_create("rate");
    tcase_add_test(tc, test_fit_exact);
    tcase_add_test(tc, test_fit_noise_coverage);
    tcase_add_test(tc, test_difference);
    tcase_add_test(tc, test_judge);
    tcase_add_test(tc, test_bounds_by_hand);
    tcase_add_test(tc, test_starconvex_bound_gives_its_rule);
    tcase_add_test(tc, test_lcb);
    tcase_add_test(tc, test_bound_check_synthetic);
    tcase_add_test(tc, test_study_read);
    tcase_add_test(tc, test_study_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ts_run_suite(suite()); }

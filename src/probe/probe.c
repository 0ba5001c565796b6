/* probe.c: measuring a problem's declared properties on random points (see
 * probe.h).  Points are drawn around x* (or x0 when x* is unknown) at
 * distances from 1% to 200% of ||x0 - x*||, so both the local and the
 * global behaviour are seen.  A NaN seen anywhere fails its check (and the
 * finite-values check counts the points where f or grad f is not finite):
 * a problem, a plug-in especially, is not certified by comparisons that
 * NaN makes false. */
#include "probe/probe.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "run/oracle.h"
#include "run/runner.h"

typedef struct probe_ctx {
    ntr_problem *p;
    ntr_norm *norm;
    const ntr_constants *k;
    size_t d;
    gsl_rng *r;
    const double *centre;
    double radius;           /* per-entry scale of ||x0 - centre|| */
    double *x, *y, *g, *h, *u, *t1, *t2, *hx, *hy; /* workspaces of d entries */
} probe_ctx;

static void add_row(ntr_probe_report *rep, const char *check, double seen, double bound,
                    int verdict, const char *note)
{
    if (rep->nrows >= NTR_PROBE_MAX_ROWS)
        return;
    ntr_probe_row *row = &rep->rows[rep->nrows++];
    snprintf(row->check, sizeof row->check, "%s", check);
    row->seen = seen;
    row->bound = bound;
    row->verdict = verdict;
    snprintf(row->note, sizeof row->note, "%s", note ? note : "");
    if (verdict == 0)
        rep->violations++;
}

/* A random point centre + s * z, s log-uniform in [0.01, 2] * radius. */
static void random_point(probe_ctx *c, double *x)
{
    double s = c->radius * pow(10.0, -2.0 + 2.30103 * gsl_rng_uniform(c->r));
    ntr_fill_gaussian(c->r, x, c->d, s);
    ntr_axpy(1.0, c->centre, x, c->d);
}

/* A random direction of unit norm in the problem's norm. */
static void random_direction(probe_ctx *c, double *u)
{
    ntr_fill_gaussian(c->r, u, c->d, 1.0);
    double n = ntr_norm_value(c->norm, u);
    ntr_scal(1.0 / n, u, c->d);
}

static double grad_fd_error(probe_ctx *c, long points)
{
    double worst = 0.0;
    for (long i = 0; i < points; i++) {
        random_point(c, c->x);
        ntr_fill_gaussian(c->r, c->u, c->d, 1.0);
        ntr_scal(1.0 / ntr_nrm2(c->u, c->d), c->u, c->d);
        c->p->type->grad(c->p, c->x, c->g);
        double scale = fmax(1.0, ntr_nrm2(c->x, c->d) / sqrt((double)c->d));
        double h = 1e-5 * scale;
        ntr_copy(c->x, c->y, c->d);
        ntr_axpy(h, c->u, c->y, c->d);
        double fp = c->p->type->value(c->p, c->y);
        ntr_axpy(-2.0 * h, c->u, c->y, c->d);
        double fm = c->p->type->value(c->p, c->y);
        double fd = (fp - fm) / (2.0 * h);
        double an = ntr_dot(c->g, c->u, c->d);
        double f = c->p->type->value(c->p, c->x);
        /* relative to the gradient's size, with the rounding floor of the
         * differences themselves */
        double denom = ntr_nrm2(c->g, c->d) + 1e-12 * (1.0 + fabs(f)) / h;
        double rel = fabs(fd - an) / denom;
        if (rel > worst || isnan(rel)) /* NaN stays: it fails the check */
            worst = rel;
    }
    return worst;
}

static double smoothness_seen(probe_ctx *c, long points)
{
    double worst = 0.0;
    for (long i = 0; i < 2 * points; i++) {
        random_point(c, c->x);
        c->p->type->grad(c->p, c->x, c->g);
        if (i % 2) { /* along the steepest direction of the norm */
            /* a failed sharp leaves u NaN: the ratio is NaN and fails the check */
            if (ntr_norm_sharp(c->norm, c->g, c->u, NULL) == 0 &&
                ntr_norm_value(c->norm, c->u) == 0.0)
                random_direction(c, c->u);
        } else {
            random_direction(c, c->u);
        }
        double delta = c->radius * sqrt((double)c->d) * pow(10.0, -4.0 + 4.0 * gsl_rng_uniform(c->r));
        ntr_copy(c->x, c->y, c->d);
        ntr_axpy(-delta, c->u, c->y, c->d);
        c->p->type->grad(c->p, c->y, c->h);
        for (size_t j = 0; j < c->d; j++)
            c->t1[j] = c->g[j] - c->h[j];
        for (size_t j = 0; j < c->d; j++)
            c->t2[j] = c->x[j] - c->y[j];
        double dist = ntr_norm_value(c->norm, c->t2);
        if (dist <= 0)
            continue;
        double ratio = ntr_norm_dual(c->norm, c->t1) / dist;
        if (ratio > worst || isnan(ratio))
            worst = ratio;
    }
    return worst;
}

/* Hessian-vector product by central differences at x along v into out,
 * and an estimate of its error (difference with half the step). */
static double hvp(probe_ctx *c, const double *x, const double *v, double *out)
{
    double scale = fmax(1.0, ntr_nrm2(x, c->d) / sqrt((double)c->d));
    double hs[2] = {1e-4 * scale, 0.5e-4 * scale};
    double est = 0.0;
    for (int pass = 0; pass < 2; pass++) {
        double h = hs[pass];
        ntr_copy(x, c->t1, c->d);
        ntr_axpy(h, v, c->t1, c->d);
        c->p->type->grad(c->p, c->t1, c->t2);
        ntr_copy(x, c->t1, c->d);
        ntr_axpy(-h, v, c->t1, c->d);
        c->p->type->grad(c->p, c->t1, c->g);
        for (size_t j = 0; j < c->d; j++)
            c->t2[j] = (c->t2[j] - c->g[j]) / (2.0 * h);
        if (pass == 0) {
            ntr_copy(c->t2, out, c->d);
        } else {
            for (size_t j = 0; j < c->d; j++)
                c->t1[j] = out[j] - c->t2[j];
            est = ntr_norm_dual(c->norm, c->t1);
            ntr_copy(c->t2, out, c->d);
        }
    }
    return 2.0 * est;
}

static double hessian_lipschitz_seen(probe_ctx *c, long points)
{
    double worst = 0.0;
    for (long i = 0; i < points; i++) {
        random_point(c, c->x);
        random_point(c, c->y);
        random_direction(c, c->u);
        double ex = hvp(c, c->x, c->u, c->hx);
        double ey = hvp(c, c->y, c->u, c->hy);
        for (size_t j = 0; j < c->d; j++)
            c->h[j] = c->hx[j] - c->hy[j];
        double num = ntr_norm_dual(c->norm, c->h) - ex - ey; /* a lower estimate */
        for (size_t j = 0; j < c->d; j++)
            c->h[j] = c->x[j] - c->y[j];
        double dist = ntr_norm_value(c->norm, c->h);
        if (dist > 0 && (num / dist > worst || isnan(num)))
            worst = num / dist;
    }
    return worst;
}

static double star_convex_residual(probe_ctx *c, long points)
{
    const double *xs = c->p->x_star;
    double fs = c->p->type->value(c->p, xs);
    double worst = -INFINITY;
    for (long i = 0; i < points; i++) {
        random_point(c, c->x);
        double f = c->p->type->grad(c->p, c->x, c->g);
        for (size_t j = 0; j < c->d; j++)
            c->h[j] = c->x[j] - xs[j];
        double lin = ntr_dot(c->g, c->h, c->d);
        /* star-convexity: f(x*) >= f(x) + <grad f(x), x* - x>, i.e.
         * f(x) - f(x*) - <grad f(x), x - x*> <= 0 */
        double res = (f - fs - lin) / (1.0 + fabs(f) + fabs(lin));
        if (res > worst || isnan(res))
            worst = res;
    }
    return worst;
}

/* Random points where f or grad f is not a number or infinite. */
static long nonfinite_points(probe_ctx *c, long points)
{
    long bad = 0;
    for (long i = 0; i < points; i++) {
        random_point(c, c->x);
        double f = c->p->type->grad(c->p, c->x, c->g);
        int ok = isfinite(f) && isfinite(c->p->type->value(c->p, c->x));
        for (size_t j = 0; ok && j < c->d; j++)
            ok = isfinite(c->g[j]);
        bad += !ok;
    }
    return bad;
}

static void noise_rows(probe_ctx *c, const ntr_oracle *o, const ntr_settings *s, long points,
                       gsl_rng *orng, ntr_probe_report *rep)
{
    const double *x0 = c->x; /* x0 copied by the caller */
    c->p->type->grad(c->p, x0, c->g);
    long M = points * 20 > 400 ? points * 20 : 400;
    double sum = 0.0, sum2 = 0.0;
    memset(c->u, 0, c->d * sizeof *c->u);
    for (long i = 0; i < M; i++) {
        ntr_oracle_grad(o, x0, orng, c->h);
        double e2 = 0.0;
        for (size_t j = 0; j < c->d; j++) {
            double e = c->h[j] - c->g[j];
            e2 += e * e;
            c->u[j] += e;
        }
        sum += e2;
        sum2 += e2 * e2;
    }
    double var = sum / (double)M;
    double se = sqrt(fmax(sum2 / (double)M - var * var, 0.0) / (double)M);
    double mean_err2 = ntr_dot(c->u, c->u, c->d) / ((double)M * (double)M);
    char note[120];
    if (o->kind == NTR_NOISE_EXACT) {
        add_row(rep, "noise E||g-grad||^2", var, 0.0, var == 0.0, "exact oracle");
        return;
    }
    if (o->kind == NTR_NOISE_SAMPLED) {
        double bound = c->p->term_sigma2 / (double)s->batch;
        snprintf(note, sizeof note, "%ld samples at x0, problem's own oracle, batch %ld", M,
                 s->batch);
        if (isfinite(bound))
            add_row(rep, "noise E||g-grad||^2", var, bound, var <= bound + 5 * se, note);
        else
            add_row(rep, "noise E||g-grad||^2", var, NAN, -1, note);
    } else {
        double want = s->sigma * s->sigma / (double)s->batch;
        snprintf(note, sizeof note, "%ld samples at x0; sigma^2/batch, 5 standard errors", M);
        add_row(rep, "noise E||g-grad||^2", var, want, fabs(var - want) <= 5 * se + 1e-15 * want,
                note);
    }
    /* unbiasedness: E||mean - grad||^2 = var / M; allow four times that */
    snprintf(note, sizeof note, "||mean(g) - grad||_2^2 against 4 var/M");
    add_row(rep, "noise mean error", mean_err2, 4.0 * var / (double)M,
            mean_err2 <= 4.0 * var / (double)M + 1e-300, note);
}

/* The report's heading: the problem (a plug-in's own name, then the
 * loader's), the norm and the problem's flags. */
static void name_report(const ntr_settings *s, const probe_ctx *c, ntr_probe_report *rep)
{
    if (strcmp(s->problem->name, c->p->type->name) == 0)
        snprintf(rep->problem, sizeof rep->problem, "%s", s->problem->name);
    else /* a plug-in: its own name, then the loader's */
        snprintf(rep->problem, sizeof rep->problem, "%.80s (%s)", c->p->type->name,
                 s->problem->name);
    snprintf(rep->norm, sizeof rep->norm, "%s", s->norm->name);
    ntr_problem_flags_format(c->p->type->flags, rep->flags, sizeof rep->flags);
}

/* Points are drawn around x* (x0 when x* is unknown) at the per-entry
 * scale of ||x0 - centre|| (1 when that is 0 or not finite). */
static void set_centre(probe_ctx *c, const double *x0)
{
    c->centre = c->p->x_star ? c->p->x_star : x0;
    for (size_t j = 0; j < c->d; j++)
        c->t1[j] = x0[j] - c->centre[j];
    c->radius = ntr_nrm2(c->t1, c->d) / sqrt((double)c->d);
    if (!(c->radius > 0) || !isfinite(c->radius))
        c->radius = 1.0;
}

/* The smoothness L (claimed or declared) and, when the problem declares a
 * Lipschitz Hessian, L2, against what random points show. */
static void smoothness_rows(probe_ctx *c, const ntr_settings *s, const ntr_probe_claims *claims,
                            long points, ntr_probe_report *rep)
{
    char note[120];
    int claimed = claims && !isnan(claims->L);
    double L = claimed ? claims->L : c->k->L;
    double seen = smoothness_seen(c, points);
    snprintf(note, sizeof note, "declared L in %s norm%s", s->norm->name,
             claimed            ? " (claimed on the command line)"
             : c->k->L_generic ? " (generic bound rho*c*L_frob)"
                                : " (problem's own bound)");
    if (isfinite(L))
        add_row(rep, "smoothness L", seen, L, seen <= L * (1 + 1e-9) + 1e-12, note);
    else
        add_row(rep, "smoothness L", seen, L, -1, "no global L declared");
    if (c->p->type->flags & NTR_PF_LIP_HESSIAN) {
        double L2 = claims && !isnan(claims->L2) ? claims->L2 : c->k->L2;
        double seen2 = hessian_lipschitz_seen(c, points);
        snprintf(note, sizeof note, "finite-difference Hessian-vector products, %s norm",
                 s->norm->name);
        add_row(rep, "Hessian Lipschitz L2", seen2, L2, seen2 <= L2 * (1 + 1e-6) + 1e-9, note);
    }
}

/* What the problem says of its minimiser x*: a zero gradient there, and
 * f(x*) = f* when it gives f*. */
static void optimum_rows(probe_ctx *c, const double *x0, ntr_probe_report *rep)
{
    double gs_n = (c->p->type->grad(c->p, c->p->x_star, c->g), ntr_norm_dual(c->norm, c->g));
    double g0 = (c->p->type->grad(c->p, x0, c->g), ntr_norm_dual(c->norm, c->g));
    add_row(rep, "||grad f(x*)||_*", gs_n, 1e-7 * (1.0 + g0), gs_n <= 1e-7 * (1.0 + g0),
            "relative to 1 + ||grad f(x0)||_*");
    if (isfinite(c->p->f_star)) {
        double fs = c->p->type->value(c->p, c->p->x_star);
        double tol = 1e-9 * (1.0 + fabs(c->k->f0));
        add_row(rep, "|f(x*) - f*|", fabs(fs - c->p->f_star), tol,
                fabs(fs - c->p->f_star) <= tol, "relative to 1 + |f(x0)|");
    }
}

/* Every check in its order (the random points are drawn in this order). */
static void probe_rows(probe_ctx *c, const ntr_settings *s, const ntr_probe_claims *claims,
                       long points, const double *x0, const ntr_oracle *o, gsl_rng *orng,
                       ntr_probe_report *rep)
{
    char note[120];
    double gerr = grad_fd_error(c, points);
    add_row(rep, "gradient (central differences)", gerr, 1e-5, gerr <= 1e-5,
            "max relative error along random directions");
    smoothness_rows(c, s, claims, points, rep);
    if ((c->p->type->flags & NTR_PF_STAR_CONVEX) && c->p->x_star) {
        double res = star_convex_residual(c, points);
        add_row(rep, "star-convexity residual", res, 1e-10, res <= 1e-10,
                "max of (f(x) - f(x*) - <grad f(x), x - x*>) / scale, must be <= 0");
    }
    if (c->p->x_star)
        optimum_rows(c, x0, rep);
    long bad = nonfinite_points(c, points);
    snprintf(note, sizeof note, "random points where f or grad f is NaN or infinite (of %ld)",
             points);
    add_row(rep, "finite f and grad f", (double)bad, 0.0, bad == 0, note);
    ntr_copy(x0, c->x, c->d);
    noise_rows(c, o, s, points, orng, rep);
}

int ntr_probe_run(const ntr_settings *s, long points, unsigned long seed,
                  const ntr_probe_claims *claims, ntr_probe_report *rep, ntr_error *err)
{
    memset(rep, 0, sizeof *rep);
    ntr_run *run;
    if (ntr_run_prepare(s, seed, seed + 1, &run, err) != 0)
        return -1;
    probe_ctx c;
    memset(&c, 0, sizeof c);
    c.p = ntr_run_problem(run);
    c.norm = ntr_run_norm(run);
    c.k = ntr_run_constants(run);
    c.d = c.p->layout.dim;
    name_report(s, &c, rep);
    double **bufs[] = {&c.x, &c.y, &c.g, &c.h, &c.u, &c.t1, &c.t2, &c.hx, &c.hy};
    int rc = 0;
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) {
        *bufs[i] = malloc(c.d * sizeof(double));
        if (!*bufs[i])
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    c.r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng *orng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!c.r || !orng)
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (rc == 0) {
        gsl_rng_set(c.r, seed);
        gsl_rng_set(orng, seed ^ 0x5bd1e995UL);
        const double *x0 = ntr_run_x0(run);
        set_centre(&c, x0);
        probe_rows(&c, s, claims, points, x0, ntr_run_oracle(run), orng, rep);
    }
    gsl_rng_free(c.r);
    gsl_rng_free(orng);
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        free(*bufs[i]);
    ntr_run_free(run);
    return rc;
}

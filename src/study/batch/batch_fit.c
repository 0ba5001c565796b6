/* batch_fit.c: the numbers of the batch study (see batch.h): the censored
 * median of steps-to-target, the critical batch size b* on a log-b
 * interpolation of SFO(b), and the two model forms of THEORY.md section 2
 * fitted to T(b) with GSL's nonlinear least squares.
 *
 * Both forms are T = a x / (x - c) with x = b (Y/b form) or x = sqrt(b)
 * (Y/sqrt(b) form), a > 0 and 0 <= c < x_min (every batch that reached the
 * target lies above c).  The fit minimises the squared residuals of log T,
 * so that a 10% miss weighs the same at b = 1 and at b = 4096, in the
 * unconstrained parameters p0 = log a and p1 with c = x_min s(p1),
 * s the logistic function; it starts from three values of p1 and keeps the
 * best. */
#include "study/batch/batch.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const ntr_batch_model_names[2] = {"inv_b", "inv_sqrt_b"};
const char *const ntr_batch_model_titles[2] = {"Y/b form: T = a b/(b - c), b* = 2c",
                                               "Y/sqrt(b) form: T = a sqrt(b)/(sqrt(b) - c), "
                                               "b* = 9c^2/4"};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ntr_batch_median(double *t, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(t, n, sizeof *t, cmp_double); /* INFINITY sorts last */
    if (n % 2)
        return t[n / 2];
    return 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

void ntr_batch_bstar(const double *b, const double *sfo, size_t n, double budget,
                     ntr_bstar *out)
{
    memset(out, 0, sizeof *out);
    size_t best = n;
    for (size_t i = 0; i < n; i++)
        if (isfinite(sfo[i]) && sfo[i] > 0 && (best == n || sfo[i] < sfo[best]))
            best = i;
    if (best == n)
        return;
    out->found = 1;
    out->b = b[best];
    out->sfo = sfo[best];
    int left = best > 0 && isfinite(sfo[best - 1]) && sfo[best - 1] > 0;
    int right = best + 1 < n && isfinite(sfo[best + 1]) && sfo[best + 1] > 0;
    /* The batch below never reached the target: its SFO exceeds b x budget. */
    int censored_left = !left && best > 0 && budget > 0 && sfo[best - 1] == INFINITY &&
                        b[best - 1] * budget > sfo[best];
    if (censored_left && right)
        return; /* bracketed: the measured minimum, at the grid's resolution */
    if (!left || !right) {
        out->edge = !left ? -1 : 1;
        return;
    }
    /* Parabola through (u, v) = (log b, log SFO) at best-1, best, best+1. */
    double u0 = log(b[best - 1]), u1 = log(b[best]), u2 = log(b[best + 1]);
    double v0 = log(sfo[best - 1]), v1 = log(sfo[best]), v2 = log(sfo[best + 1]);
    double d01 = (v1 - v0) / (u1 - u0), d12 = (v2 - v1) / (u2 - u1);
    double curv = (d12 - d01) / (u2 - u0);
    if (!(curv > 0))
        return; /* flat or concave: keep the measured minimum */
    /* Newton form v(u) = v0 + d01 (u - u0) + curv (u - u0)(u - u1); v' = 0 at us. */
    double us = 0.5 * (u0 + u1) - d01 / (2 * curv);
    if (us < u0)
        us = u0;
    if (us > u2)
        us = u2;
    out->b = exp(us);
    out->sfo = exp(v0 + d01 * (us - u0) + curv * (us - u0) * (us - u1));
}

double ntr_batch_model_T(ntr_batch_model model, double a, double c, double b)
{
    double x = model == NTR_BATCH_INV_B ? b : sqrt(b);
    return x > c ? a * x / (x - c) : INFINITY;
}

typedef struct fit_data {
    size_t n;
    const double *x, *logT;
    double xmin;
} fit_data;

static double logistic(double p)
{
    return 1.0 / (1.0 + exp(-p));
}

static double c_of(const fit_data *d, double p1)
{
    double c = d->xmin * logistic(p1);
    double cap = d->xmin * (1 - 1e-12);
    return c < cap ? c : cap;
}

/* r_i = log a + log x_i - log(x_i - c) - log T_i. */
static int fit_f(const gsl_vector *p, void *vd, gsl_vector *r)
{
    const fit_data *d = vd;
    double p0 = gsl_vector_get(p, 0), c = c_of(d, gsl_vector_get(p, 1));
    for (size_t i = 0; i < d->n; i++)
        gsl_vector_set(r, i, p0 + log(d->x[i]) - log(d->x[i] - c) - d->logT[i]);
    return GSL_SUCCESS;
}

static int fit_df(const gsl_vector *p, void *vd, gsl_matrix *J)
{
    const fit_data *d = vd;
    double p1 = gsl_vector_get(p, 1), s = logistic(p1), c = c_of(d, p1);
    double dc = d->xmin * s * (1 - s);
    for (size_t i = 0; i < d->n; i++) {
        gsl_matrix_set(J, i, 0, 1.0);
        gsl_matrix_set(J, i, 1, dc / (d->x[i] - c));
    }
    return GSL_SUCCESS;
}

/* One solve from (p0, p1); returns the cost (sum of squares) or INFINITY. */
static double solve(gsl_multifit_nlinear_workspace *w, gsl_multifit_nlinear_fdf *fdf, double p0,
                    double p1, double *out)
{
    double start[2] = {p0, p1};
    gsl_vector_view x0 = gsl_vector_view_array(start, 2);
    if (gsl_multifit_nlinear_init(&x0.vector, fdf, w) != GSL_SUCCESS)
        return INFINITY;
    int info;
    int st = gsl_multifit_nlinear_driver(500, 1e-12, 1e-12, 1e-12, NULL, NULL, &info, w);
    if (st != GSL_SUCCESS && st != GSL_EMAXITER && st != GSL_ENOPROG)
        return INFINITY;
    const gsl_vector *x = gsl_multifit_nlinear_position(w);
    const gsl_vector *r = gsl_multifit_nlinear_residual(w);
    double cost;
    gsl_blas_ddot(r, r, &cost);
    out[0] = gsl_vector_get(x, 0);
    out[1] = gsl_vector_get(x, 1);
    return isfinite(cost) ? cost : INFINITY;
}

int ntr_batch_fit(ntr_batch_model model, const double *b, const double *T, size_t n,
                  ntr_batch_fitres *out, ntr_error *err)
{
    memset(out, 0, sizeof *out);
    double *x = malloc((n ? n : 1) * sizeof *x), *logT = malloc((n ? n : 1) * sizeof *logT);
    if (!x || !logT) {
        free(x);
        free(logT);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    fit_data d = {0, x, logT, INFINITY};
    double log_last = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(T[i]) && T[i] > 0 && b[i] > 0) {
            x[d.n] = model == NTR_BATCH_INV_B ? b[i] : sqrt(b[i]);
            logT[d.n] = log(T[i]);
            if (x[d.n] < d.xmin)
                d.xmin = x[d.n];
            log_last = logT[d.n];
            d.n++;
        }
    out->npoints = d.n;
    if (d.n < 3) {
        snprintf(out->why, sizeof out->why, "%zu batch sizes reached the target: 3 needed",
                 d.n);
        free(x);
        free(logT);
        return 0;
    }
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    gsl_multifit_nlinear_parameters params = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_workspace *w =
        gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &params, d.n, 2);
    int rc = 0;
    if (!w) {
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    } else {
        gsl_multifit_nlinear_fdf fdf;
        memset(&fdf, 0, sizeof fdf);
        fdf.f = fit_f;
        fdf.df = fit_df;
        fdf.n = d.n;
        fdf.p = 2;
        fdf.params = &d;
        static const double starts[] = {-4.0, 0.0, 4.0};
        double best = INFINITY, bp[2] = {0, 0};
        for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
            double p[2] = {0, 0};
            double cost = solve(w, &fdf, log_last, starts[s], p);
            if (cost < best) {
                best = cost;
                bp[0] = p[0];
                bp[1] = p[1];
            }
        }
        if (isfinite(best)) {
            out->ok = 1;
            out->a = exp(bp[0]);
            out->c = c_of(&d, bp[1]);
            out->bstar = model == NTR_BATCH_INV_B ? 2 * out->c : 2.25 * out->c * out->c;
            out->rms = sqrt(best / (double)d.n);
        } else {
            snprintf(out->why, sizeof out->why, "the least-squares solver failed");
        }
        gsl_multifit_nlinear_free(w);
    }
    gsl_set_error_handler(old);
    free(x);
    free(logT);
    return rc;
}

/* compare_bounds.c: the per-group values of a compare study's bound checks
 * (see compare.h), each from every seed's whole trajectory:
 *
 *   bound       worst over seeds of max_k x_k / B, B = max(x_0, c/lambda)
 *   growth      median over seeds of (x_K - x_0) / (K eta)
 *   grad_bound  worst over seeds of max_k g_k / (g_0 + L (x_0 + B))
 *
 * x is the column (x_norm: ||W||_op for Muon), g the gradient's dual norm,
 * lambda = method.weight_decay, eta = method.eta, L the cell's smoothness
 * constant in the method's norm (its summary.json), and c an upper bound
 * on the operator norm of one step's direction: 1 for the exact polar
 * factor, the sup of the Newton-Schulz polynomial for the group's
 * coefficients (ntr_lmo_gain_bound; jordan's steps are longer than 1).
 * With ||O_t|| <= c, W_{t+1} = (1 - eta lambda) W_t - eta O_t gives
 * ||W_{t+1}|| <= (1 - eta lambda) ||W_t|| + eta c, hence ||W_t|| <= B for
 * every t when eta lambda <= 1; and ||grad f(W_t) - grad f(W_0)||_* <=
 * L ||W_t - W_0|| <= L (B + x_0): bounded gradients with no bounded-gradient
 * assumption (Sato et al.).  Without decay, ||W_K|| - ||W_0|| <= c K eta. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "norms/norm.h"
#include "study/compare/compare_data.h"

/* A positive number from a group's setting, or an error at the check. */
static int positive(const ntr_cmp_data *d, const ntr_cmp_group *g, const ntr_cmp_check *k,
                    const char *key, double *x, ntr_error *err)
{
    const char *txt = ntr_cmp_value(d, g, key);
    char *end = NULL;
    *x = txt ? strtod(txt, &end) : NAN;
    if (!txt || end == txt || *end || !(*x > 0))
        return ntr_fail_at(err, k->pos, "check %s: group %s has no positive number %s",
                           ntr_cmp_kind_names[k->kind], g->label, key);
    return 0;
}

int ntr_cmp_gain(const ntr_cmp_data *d, const ntr_cmp_group *g, const ntr_cmp_check *k,
                 double *gain, ntr_error *err)
{
    const char *solver = ntr_cmp_value(d, g, "method.lmo.solver");
    const char *norm = ntr_cmp_value(d, g, "method.norm");
    *gain = 1.0;
    if (!solver || !strcmp(solver, "svd") || (norm && strcmp(norm, "spectral") != 0))
        return 0;
    const char *coef = ntr_cmp_value(d, g, "method.lmo.coefficients");
    const char *steps = ntr_cmp_value(d, g, "method.lmo.steps");
    if (!strcmp(solver, "polar_express"))
        coef = "polar_express";
    else if (!coef)
        coef = "jordan";
    ntr_lmo_opts o;
    memset(&o, 0, sizeof o);
    int nsteps = !strcmp(coef, "cubic") ? 25 : 5;
    if (steps)
        nsteps = (int)strtol(steps, NULL, 10); /* a setting the config check has read */
    if (ntr_lmo_preset(&o, coef, nsteps) != 0)
        return ntr_fail_at(err, k->pos,
                           "check %s: group %s: the step bound of Newton-Schulz coefficients '%s' "
                           "is known for the presets jordan, cubic and polar_express only",
                           ntr_cmp_kind_names[k->kind], g->label, coef);
    *gain = ntr_lmo_gain_bound(&o);
    return 0;
}

static double median_of(double *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t m = i; m > 0 && v[m - 1] > v[m]; m--) {
            double t = v[m];
            v[m] = v[m - 1];
            v[m - 1] = t;
        }
    return n ? 0.5 * (v[(n - 1) / 2] + v[n / 2]) : NAN;
}

int ntr_cmp_bound_value(const ntr_cmp_data *d, const ntr_cmp_group *g, const ntr_cmp_check *k,
                        ntr_cmp_bound *out, ntr_error *err)
{
    memset(out, 0, sizeof *out);
    out->value = out->exact = NAN;
    int c = ntr_cmp_col(d, k->column), cx = ntr_cmp_col(d, "x_norm");
    double lambda = 0.0, eta = 0.0;
    if (ntr_cmp_gain(d, g, k, &out->gain, err) != 0)
        return -1;
    if (k->kind != NTR_CMP_GROWTH &&
        positive(d, g, k, "method.weight_decay", &lambda, err) != 0)
        return -1;
    if (k->kind == NTR_CMP_GROWTH && positive(d, g, k, "method.eta", &eta, err) != 0)
        return -1;
    double worst = -INFINITY, exact = -INFINITY, *vals = malloc((g->nseeds + 1) * sizeof *vals);
    size_t n = 0;
    if (!vals)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t j = 0; j < g->nseeds; j++) {
        const ntr_cmp_seed *s = &g->seed[j];
        if (s->nrows == 0)
            continue;
        const double *x = s->v[k->kind == NTR_CMP_GRAD_BOUND ? cx : c];
        double B = fmax(x[0], out->gain / lambda), B1 = fmax(x[0], 1.0 / lambda);
        double m = -INFINITY;
        for (size_t i = 0; i < s->nrows; i++)
            m = fmax(m, s->v[c][i]);
        if (k->kind == NTR_CMP_BOUND) {
            worst = fmax(worst, m / B);
            exact = fmax(exact, m / B1);
        } else if (k->kind == NTR_CMP_GRAD_BOUND) {
            double g0 = s->v[c][0];
            worst = fmax(worst, m / (g0 + s->L * (x[0] + B)));
            exact = fmax(exact, m / (g0 + s->L * (x[0] + B1)));
        } else {
            double K = s->k[s->nrows - 1];
            vals[n++] = (s->v[c][s->nrows - 1] - s->v[c][0]) / (K * eta);
        }
    }
    out->value = k->kind == NTR_CMP_GROWTH ? median_of(vals, n) : worst;
    out->exact = k->kind == NTR_CMP_GROWTH ? NAN : exact;
    free(vals);
    return 0;
}

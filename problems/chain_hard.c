/* chain_hard.c: the zero-chain hard instance of the eps^-4 lower bound
 * (Carmon, Duchi, Hinder, Sidford 2019, "Lower bounds for finding
 * stationary points I"; Arjevani, Carmon, Duchi, Foster, Srebro, Woodworth
 * 2019, "Lower bounds for non-convex stochastic optimization"):
 *   F_T(u) = -Psi(1) Phi(u_1) + sum_{i=2..T} [Psi(-u_{i-1}) Phi(-u_i) - Psi(u_{i-1}) Phi(u_i)]
 *   Psi(t) = exp(1 - 1/(2t - 1)^2) for t > 1/2, else 0  (Psi(1) = 1)
 *   Phi(t) = sqrt(e) int_{-inf}^t exp(-s^2/2) ds = sqrt(e pi/2) erfc(-t/sqrt 2)
 * scaled as f(x) = scale * lambda^2 * F_T(x / lambda) (keys `scale`,
 * `lambda`, default 1; Arjevani et al. take scale = L/152).  The T
 * coordinates are the entries of the parameter in row-major order: shape
 * T x 1 by default (key `T`, default 32), or any m x n with m n = T.
 *
 * Constants cited (Arjevani et al. 2019, Lemma 2, from Carmon et al. 2019,
 * Lemma 3): F_T(0) - inf F_T <= 12 T; ||grad F_T||_inf <= 23; grad F_T is
 * 152-Lipschitz (l_2).  Hence L_frob = 152 scale.
 * Infimum: Psi <= e and Phi < sqrt(2 pi e), the first product of each chain
 * term is >= 0, so F_T > -sqrt(2 pi e) (1 + e (T - 1)), approached as all
 * u_i -> +inf: f_star = -scale lambda^2 sqrt(2 pi e)(1 + e (T - 1)), not
 * attained (x_star NULL).
 * Lipschitz Hessian (derived here, not from the papers, so it is loose):
 * with P_k = sup |Psi^(k)| and Q_k = sup |Phi^(k)| (computed numerically:
 * P = 2.71827, 4.45708, 32.3867, 457.715; Q = 4.13274, 1.64873, 1, 1.64873),
 * each chain term depends on (u_{i-1}, u_i) and only one of its two
 * products is non-zero at a time, so its third derivative along (a, b) is at
 * most C3 (a^2 + b^2)^(3/2) with C3 = max over unit (a, b) of
 * sum_k binom(3, k) |a|^k |b|^(3-k) P_k Q_(3-k) = 1893.88.  Summing,
 * |D^3 F_T[v, v, v]| <= Q_3 |v_1|^3 + C3 sum_i (v_{i-1}^2 + v_i^2)^(3/2)
 * <= Q_3 + 2 C3 <= 3790 for ||v|| = 1, so the Hessian is 3790-Lipschitz and
 * L2_frob = 3790 scale / lambda.  (The same route gives 270 for the
 * gradient, consistent with the sharper published 152.)
 *
 * Oracle (Arjevani et al. 2019, eq. for g_T): with prog(u) = the largest i
 * with |u_i| > 1/4 (0 if none) and xi ~ Bernoulli(p),
 *   [g(x; xi)]_i = (1 + 1{i > prog(u)} (xi/p - 1)) [grad f(x)]_i,
 * unbiased, and only coordinate prog + 1 of the tail can be non-zero (zero
 * chain), so E||g - grad f||^2 <= (1 - p)/p (23 scale lambda)^2 =
 * term_sigma2.  A batch of b averages b independent draws: the tail is
 * scaled by K/(b p), K ~ Binomial(b, p).  p = `p` in (0, 1], default 0.5. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_erf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "problems/problem.h"
#include "problems/support.h"

#define CHAIN_L1 152.0   /* Carmon et al. 2019, Lemma 3 */
#define CHAIN_GRAD 23.0  /* ||grad F_T||_inf bound, same lemma */
#define CHAIN_L2 3790.0  /* derived above */

typedef struct ch_data {
    size_t T;
    double lambda, scale, p;
} ch_data;

static const char *const ch_keys[] = {"T", "lambda", "scale", "p", NULL};

static double Psi(double t)
{
    if (t <= 0.5)
        return 0.0;
    double s = 2.0 * t - 1.0;
    return exp(1.0 - 1.0 / (s * s));
}

static double dPsi(double t)
{
    double P = Psi(t);
    if (P == 0.0) /* also guards 0 * inf near t = 1/2 */
        return 0.0;
    double s = 2.0 * t - 1.0;
    return P * 4.0 / (s * s * s);
}

static double Phi(double t) { return sqrt(M_E * M_PI / 2.0) * gsl_sf_erfc(-t / M_SQRT2); }
static double dPhi(double t) { return sqrt(M_E) * exp(-0.5 * t * t); }

static void ch_destroy(ntr_problem *p)
{
    free(p->data);
    free(p->x_star);
    p->data = NULL;
    p->x_star = NULL;
}

static double ch_eval(const ch_data *d, const double *x, double *g)
{
    double il = 1.0 / d->lambda, u1 = x[0] * il;
    double F = -Phi(u1);
    if (g) {
        memset(g, 0, d->T * sizeof *g);
        g[0] = -dPhi(u1);
    }
    for (size_t i = 1; i < d->T; i++) {
        double a = x[i - 1] * il, b = x[i] * il;
        double pm = Psi(-a), pp = Psi(a);
        if (pm == 0.0 && pp == 0.0)
            continue; /* |a| <= 1/2: the term and its derivatives vanish */
        F += pm * Phi(-b) - pp * Phi(b);
        if (g) {
            g[i - 1] += -dPsi(-a) * Phi(-b) - dPsi(a) * Phi(b);
            g[i] += -pm * dPhi(-b) - pp * dPhi(b);
        }
    }
    if (g)
        for (size_t i = 0; i < d->T; i++)
            g[i] *= d->scale * d->lambda;
    return d->scale * d->lambda * d->lambda * F;
}

static double ch_value(ntr_problem *p, const double *x)
{
    return ch_eval(p->data, x, NULL);
}

static double ch_grad(ntr_problem *p, const double *x, double *g)
{
    return ch_eval(p->data, x, g);
}

static void ch_sample_grad(ntr_problem *p, const double *x, long batch, gsl_rng *rng, double *g)
{
    const ch_data *d = p->data;
    ch_eval(d, x, g);
    if (batch < 1)
        batch = 1;
    size_t prog = 0; /* number of leading coordinates up to the last |u_i| > 1/4 */
    for (size_t i = d->T; i > 0; i--)
        if (fabs(x[i - 1] / d->lambda) > 0.25) {
            prog = i;
            break;
        }
    unsigned int K = gsl_ran_binomial(rng, d->p, (unsigned int)batch);
    double w = (double)K / ((double)batch * d->p);
    for (size_t i = prog; i < d->T; i++)
        g[i] *= w;
}

static double ch_smoothness(const ntr_problem *p, ntr_norm_id norm)
{
    return norm == NTR_NORM_EUCLIDEAN ? p->L_frob : NAN;
}

static double ch_hessian_lipschitz(const ntr_problem *p, ntr_norm_id norm)
{
    return norm == NTR_NORM_EUCLIDEAN ? p->L2_frob : NAN;
}

/* Meanings of the keys, for `ntr-run --describe`. */
static const char *const ch_key_docs[] = {
    "T",
    "coordinates of the zero chain (the parameter has T entries)",
    "lambda",
    "f(x) = scale lambda^2 F_T(x / lambda)",
    "scale",
    "f(x) = scale lambda^2 F_T(x / lambda); L_frob = 152 scale",
    "p",
    "probability that the oracle reveals the next coordinate (Arjevani et al.)",
    NULL};

static int ch_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env, ntr_error *err)
{
    ntr_kv_docs(kv, ch_key_docs);
    ch_data *d = ntr_pb_calloc(1, sizeof *d, err);
    if (!d)
        return -1;
    p->data = d;
    long T;
    size_t m, n;
    if (ntr_kv_long(kv, "T", 32, 1, 1L << 26, &T, err) != 0 ||
        ntr_kv_double(kv, "lambda", 1.0, 1e-12, 1e12, &d->lambda, err) != 0 ||
        ntr_kv_double(kv, "scale", 1.0, 1e-12, 1e12, &d->scale, err) != 0 ||
        ntr_kv_double(kv, "p", 0.5, -HUGE_VAL, HUGE_VAL, &d->p, err) != 0)
        return -1;
    if (!(d->p > 0.0 && d->p <= 1.0))
        return ntr_fail_at(err, ntr_kv_pos(kv, "p"),
                           "%s.p = %g: the reveal probability must be in (0, 1]",
                           ntr_pb_section(kv), d->p);
    if (ntr_pb_one_block(env, "chain_hard", (size_t)T, 1, &m, &n, err) != 0)
        return -1;
    if (ntr_kv_has(kv, "T") && m * n != (size_t)T)
        return ntr_fail_at(err, ntr_kv_pos(kv, "T"),
                           "%s.T = %ld does not match problem.shape [%zu, %zu] (%zu coordinates)",
                           ntr_pb_section(kv), T, m, n, m * n);
    d->T = m * n;
    double T1 = (double)d->T - 1.0, s2 = d->scale * d->lambda * d->lambda;
    p->layout = ntr_layout_single(m, n);
    p->f_star = -s2 * sqrt(2.0 * M_PI * M_E) * (1.0 + M_E * T1);
    p->L_frob = CHAIN_L1 * d->scale;
    p->L2_frob = CHAIN_L2 * d->scale / d->lambda;
    double gb = CHAIN_GRAD * d->scale * d->lambda;
    p->term_sigma2 = (1.0 - d->p) / d->p * gb * gb;
    return 0;
}

const ntr_problem_type ntr_problem_chain_hard = {
    .api_version = NTR_API_VERSION,
    .name = "chain_hard",
    .summary = "zero-chain lower-bound function (Carmon et al.; Arjevani et al.) with a "
               "probability-p reveal oracle",
    .flags = NTR_PF_NONCONVEX | NTR_PF_SMOOTH | NTR_PF_LIP_HESSIAN | NTR_PF_HARD | NTR_PF_SAMPLED,
    .keys = ch_keys,
    .create = ch_create,
    .destroy = ch_destroy,
    .value = ch_value,
    .grad = ch_grad,
    .sample_grad = ch_sample_grad,
    .smoothness = ch_smoothness,
    .hessian_lipschitz = ch_hessian_lipschitz,
};

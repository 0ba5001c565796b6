/* test_extrap.c: the extrapolation-mechanism study (src/study/extrap/).
 *
 * On synthetic data with a known answer: the noise floor; (a) the lag
 * exponent of the plain momentum error (1 when the error is c L eta/alpha,
 * 0.5 when it grows like its square root) and the floor check of the
 * extrapolated error; (b) the crossover eps* of a power-law R(eps) (exact
 * by log-log interpolation), outside the grid, missing, and an extrapolated
 * run that fails too; (c) the dose exponent (1, 2 and 0); the verdict rules,
 * including inconclusive evidence.  Reading the study block (positioned
 * errors).  End to end (tests/extrap/tiny.yaml): the mechanism is
 * consistent and reproduced, its control (gradient at x_k) is violated, the
 * files hold what the verdict used; and the same study with the mechanism
 * broken on purpose (--set method.extrapolation_error=-1) is violated. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_load.h"
#include "study/extrap/extrap.h"
#include "study/extrap/extrap_analysis.h"
#include "base/table.h"
#include "support.h"

START_TEST(test_floor)
{
    ck_assert_double_eq_tol(ntr_ex_floor(0.2, 0.01), 0.2 * sqrt(0.01 / 1.99), 1e-15);
    ck_assert_double_eq_tol(ntr_ex_floor(1.0, 1.0), 1.0, 1e-15); /* no averaging at alpha = 1 */
}
END_TEST

/* Two doses, eta x alpha points travelling; the plain error's bias is
 * c L (eta/alpha)^p (with a small deterministic wobble), the extrapolated
 * error sits at the floor, the control's equals the plain one. */
static size_t make_points(ntr_ex_mom *p, double power)
{
    static const double etas[] = {1e-3, 3e-3, 1e-2}, alphas[] = {0.01, 0.03};
    static const double L[] = {2.0, 4.0}, c[] = {0.9, 0.6};
    size_t n = 0;
    for (size_t d = 0; d < 2; d++)
        for (size_t i = 0; i < 3; i++)
            for (size_t j = 0; j < 2; j++) {
                ntr_ex_mom *m = &p[n];
                memset(m, 0, sizeof *m);
                m->dose = d;
                m->travel = 1;
                m->L = L[d];
                m->L2 = 0.1;
                m->eta = etas[i];
                m->alpha = alphas[j];
                m->floor = ntr_ex_floor(0.1, m->alpha);
                m->floor_exact = 1;
                double lag = m->L * m->eta / m->alpha;
                double bias = c[d] * pow(lag, power) * (1.0 + 0.02 * ((n % 3) - 1.0));
                m->err[NTR_EX_OFF] = sqrt(bias * bias + m->floor * m->floor);
                m->err[NTR_EX_ON] = 1.05 * m->floor;
                m->err[NTR_EX_CONTROL0] = m->err[NTR_EX_OFF];
                n++;
            }
    return n;
}

START_TEST(test_momentum_lag)
{
    ntr_ex_mom p[12];
    size_t n = make_points(p, 1.0);
    ntr_ex_mom_result r;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_ex_momentum(p, n, 2, 3, &r, &err), 0);
    ck_assert_uint_eq(r.nfit, 12); /* every lag is at least twice its floor */
    ck_assert_double_eq_tol(r.slope, 1.0, 0.01);
    ck_assert(r.lo < 1.0 && r.hi > 1.0 && r.hi - r.lo < 0.1);
    ck_assert_double_eq_tol(r.c_min, 0.6 * 0.98, 1e-9);
    ck_assert_double_eq_tol(r.c_max, 0.9 * 1.02, 1e-9);
    ck_assert_uint_eq(r.nchecked[NTR_EX_ON], 12);
    ck_assert_uint_eq(r.nbad[NTR_EX_ON], 0);
    ck_assert_uint_eq(r.nbad[NTR_EX_CONTROL0], 12); /* the control carries the lag */
    ck_assert(r.worst[NTR_EX_CONTROL0] > 3.0);
    ck_assert_double_eq_tol(p[0].lag, 2.0 * 1e-3 / 0.01, 1e-15);
    ck_assert_double_eq_tol(p[0].c, 0.9 * 0.98, 1e-9);

    /* a bias growing like the square root of the lag */
    n = make_points(p, 0.5);
    ck_assert_int_eq(ntr_ex_momentum(p, n, 2, 2, &r, &err), 0);
    ck_assert_double_eq_tol(r.slope, 0.5, 0.02);
    ck_assert(r.hi < 0.75);

    /* an extrapolated error below the floor: the floor is not what it claims */
    n = make_points(p, 1.0);
    p[3].err[NTR_EX_ON] = 0.5 * p[3].floor;
    ck_assert_int_eq(ntr_ex_momentum(p, n, 2, 2, &r, &err), 0);
    ck_assert_uint_eq(r.nbad[NTR_EX_ON], 1);
    ck_assert_double_eq_tol(r.worst[NTR_EX_ON], 0.5, 1e-12);
    /* without an exact floor (another norm) only the upper side is checked */
    p[3].floor_exact = 0;
    ck_assert_int_eq(ntr_ex_momentum(p, n, 2, 2, &r, &err), 0);
    ck_assert_uint_eq(r.nbad[NTR_EX_ON], 0);

    /* hovering points never enter the lag fit; too few travelling ones: no interval */
    for (size_t i = 2; i < n; i++)
        p[i].travel = 0;
    ck_assert_int_eq(ntr_ex_momentum(p, n, 2, 2, &r, &err), 0);
    ck_assert_uint_eq(r.nfit, 2);
    ck_assert(isnan(r.slope) && isnan(r.lo));
}
END_TEST

/* A dose's curves: eps from 1 down to 0.001 (7 points), R_off =
 * (eps/e0)^-1/2 times a seed factor (1, 1.03, 0.97: the median seed is
 * exact), R_on = 0.3.  avg = R eps. */
typedef struct curve_buf {
    double eps[7];
    double off[7 * 3], on[7 * 3], ctl[7 * 3];
    ntr_ex_curve c;
} curve_buf;

static void make_curve(curve_buf *b, double e0)
{
    static const double seed_factor[] = {1.0, 1.03, 0.97};
    for (size_t i = 0; i < 7; i++) {
        b->eps[i] = pow(0.001, (double)i / 6.0);
        for (size_t j = 0; j < 3; j++) {
            double r = pow(b->eps[i] / e0, -0.5) * seed_factor[j];
            b->off[i * 3 + j] = r * b->eps[i];
            b->on[i * 3 + j] = 0.3 * b->eps[i];
            b->ctl[i * 3 + j] = b->off[i * 3 + j];
        }
    }
    b->c = (ntr_ex_curve){7, 3, b->eps, {b->off, b->on, b->ctl}};
}

START_TEST(test_crossover)
{
    curve_buf b;
    ntr_ex_cross x;
    make_curve(&b, 0.02);
    ntr_ex_crossover(&b.c, 3, NULL, 0, &x);
    ck_assert_int_eq(x.state, NTR_EX_CROSS_FOUND);
    ck_assert_double_eq_tol(x.eps_star, 0.02, 1e-12);
    ck_assert_double_eq_tol(x.slope_off, -0.5, 1e-12);
    ck_assert_uint_eq(x.nfail_off, 3); /* eps below 0.02: 0.01, 0.00316, 0.001 */
    ck_assert_uint_eq(x.rescue_fail[NTR_EX_ON], 0);
    ck_assert_uint_eq(x.rescue_fail[NTR_EX_CONTROL0], 3);
    ck_assert_double_eq_tol(x.ratio[NTR_EX_ON][3], 0.3, 1e-12);
    /* resampled seeds: seed 1 three times moves R_off up by 3% */
    size_t sel[3] = {1, 1, 1};
    ntr_ex_crossover(&b.c, 2, sel, 3, &x);
    ck_assert_double_eq_tol(x.eps_star, 0.02 * 1.03 * 1.03, 1e-12);
    /* outside the grid */
    make_curve(&b, 2.0);
    ntr_ex_crossover(&b.c, 2, NULL, 0, &x);
    ck_assert_int_eq(x.state, NTR_EX_CROSS_ABOVE);
    ck_assert(isnan(x.eps_star));
    make_curve(&b, 0.0005);
    ntr_ex_crossover(&b.c, 2, NULL, 0, &x);
    ck_assert_int_eq(x.state, NTR_EX_CROSS_BELOW);
    ck_assert_uint_eq(x.nfail_off, 0);
    /* a cell not run */
    make_curve(&b, 0.02);
    b.on[5 * 3 + 2] = NAN;
    ntr_ex_crossover(&b.c, 2, NULL, 0, &x);
    ck_assert_int_eq(x.state, NTR_EX_CROSS_MISSING);
    /* an extrapolated run that misses an eps the plain one misses */
    make_curve(&b, 0.02);
    for (size_t j = 0; j < 3; j++)
        b.on[6 * 3 + j] = 2.0 * b.eps[6];
    ntr_ex_crossover(&b.c, 2, NULL, 0, &x);
    ck_assert_int_eq(x.state, NTR_EX_CROSS_FOUND);
    ck_assert_uint_eq(x.rescue_fail[NTR_EX_ON], 1);
}
END_TEST

/* Four doses with eps* = 0.02 (x/10)^p; returns the fit. */
static ntr_ex_dose_fit dose_fit(double p, curve_buf *b, ntr_ex_cross *x, const double *xs)
{
    ntr_ex_curve curves[4];
    for (size_t d = 0; d < 4; d++) {
        make_curve(&b[d], 0.02 * pow(xs[d] / 10.0, p));
        curves[d] = b[d].c;
        ntr_ex_crossover(&curves[d], 3, NULL, 0, &x[d]);
    }
    ntr_ex_dose_fit f;
    ntr_error err = {0};
    ck_assert_msg(ntr_ex_dose_response(xs, curves, x, 4, 200, 7, &f, &err) == 0, "%s", err.msg);
    return f;
}

START_TEST(test_dose_response)
{
    static const double xs[] = {4.0, 12.1, 5.6, 35.4}; /* not sorted: the fit sorts */
    static curve_buf b[4];
    ntr_ex_cross x[4];
    ntr_ex_dose_fit f = dose_fit(1.0, b, x, xs);
    ck_assert_uint_eq(f.n, 4);
    ck_assert_double_eq_tol(f.slope, 1.0, 1e-9);
    ck_assert(f.lo <= 1.0 && f.hi >= 1.0 && f.lo > 0.9 && f.hi < 1.1);
    ck_assert(f.lo <= f.par_lo && f.lo <= f.boot_lo && f.hi >= f.boot_hi);
    f = dose_fit(2.0, b, x, xs);
    ck_assert_double_eq_tol(f.slope, 2.0, 1e-9);
    f = dose_fit(0.0, b, x, xs);
    ck_assert_double_eq_tol(f.slope, 0.0, 1e-9);
    /* two doses with the same L^2/L2 */
    static const double same[] = {4.0, 12.1, 12.1, 35.4};
    f = dose_fit(1.0, b, x, same);
    ck_assert_int_eq(f.duplicate_x, 1);
    ck_assert(isnan(f.slope));
}
END_TEST

START_TEST(test_judge)
{
    ntr_ex_mom p[12];
    ntr_ex_mom_result m;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_ex_momentum(p, make_points(p, 1.0), 2, 3, &m, &err), 0);
    static const double xs[] = {4.0, 5.6, 12.1, 35.4};
    static curve_buf b[4];
    ntr_ex_cross x[4];
    char why[600];
    ntr_ex_dose_fit f = dose_fit(1.0, b, x, xs);
    ck_assert_int_eq(ntr_ex_judge(&m, x, 4, &f, 0.5, NTR_EX_ON, 0, why, sizeof why),
                     NTR_RATE_CONSISTENT);
    ck_assert_ptr_nonnull(strstr(why, "(c) eps* ~ (L^2/L2)^1"));
    /* the control: its error carries the lag and it misses what plain misses */
    ck_assert_int_eq(ntr_ex_judge(&m, x, 4, &f, 0.5, NTR_EX_CONTROL0, 0, why, sizeof why),
                     NTR_RATE_VIOLATED);
    ck_assert_ptr_nonnull(strstr(why, "(a) the extrapolated momentum error"));
    ck_assert_ptr_nonnull(strstr(why, "(b) at 4 doses"));
    /* pending cells */
    ck_assert_int_eq(ntr_ex_judge(&m, x, 4, &f, 0.5, NTR_EX_ON, 3, why, sizeof why),
                     NTR_RATE_INCONCLUSIVE);
    /* eps* moving like (L^2/L2)^2 or not at all */
    f = dose_fit(2.0, b, x, xs);
    ck_assert_int_eq(ntr_ex_judge(&m, x, 4, &f, 0.5, NTR_EX_ON, 0, why, sizeof why),
                     NTR_RATE_VIOLATED);
    ck_assert_ptr_nonnull(strstr(why, "(c) eps* moves like (L^2/L2)^2"));
    f = dose_fit(0.0, b, x, xs);
    ck_assert_int_eq(ntr_ex_judge(&m, x, 4, &f, 0.5, NTR_EX_ON, 0, why, sizeof why),
                     NTR_RATE_VIOLATED);
    /* a wide band lets 2 pass: the band is what is tested */
    f = dose_fit(2.0, b, x, xs);
    ck_assert_int_eq(ntr_ex_judge(&m, x, 4, &f, 1.5, NTR_EX_ON, 0, why, sizeof why),
                     NTR_RATE_CONSISTENT);
    /* a crossover above the grid at one dose */
    f = dose_fit(1.0, b, x, xs);
    x[3].state = NTR_EX_CROSS_ABOVE;
    ck_assert_int_eq(ntr_ex_judge(&m, x, 4, &f, 0.5, NTR_EX_ON, 0, why, sizeof why),
                     NTR_RATE_INCONCLUSIVE);
    ck_assert_ptr_nonnull(strstr(why, "above the grid"));
    /* plain momentum's error not growing with its lag */
    f = dose_fit(1.0, b, x, xs);
    ck_assert_int_eq(ntr_ex_momentum(p, make_points(p, 0.5), 2, 2, &m, &err), 0);
    ck_assert_int_eq(ntr_ex_judge(&m, x, 4, &f, 0.5, NTR_EX_ON, 0, why, sizeof why),
                     NTR_RATE_VIOLATED);
    ck_assert_ptr_nonnull(strstr(why, "not like its lag"));
    /* too few travelling points for the lag exponent */
    size_t n = make_points(p, 1.0);
    for (size_t i = 2; i < n; i++)
        p[i].travel = 0;
    ck_assert_int_eq(ntr_ex_momentum(p, n, 2, 2, &m, &err), 0);
    ck_assert_int_eq(ntr_ex_judge(&m, x, 4, &f, 0.5, NTR_EX_ON, 0, why, sizeof why),
                     NTR_RATE_INCONCLUSIVE);
}
END_TEST

static ntr_node *yaml(const char *text)
{
    ntr_node *n = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_yaml_load_string(text, strlen(text), "s.yaml", 0, &n, &err) == 0, "%s",
                  err.msg);
    return n;
}

#define GOOD_PARTS                                                                                \
    "momentum: {eta: [1e-3], alpha: [0.01, 0.1]}\n"                                              \
    "crossover: {eps: [0.1, 0.03, 0.01], theory: kovalev_extrapolation}\n"

/* Doses from a list of grids (paired values) and eps in units of L^2/L2. */
static void check_paired_doses(void)
{
    ntr_node *n = yaml("type: extrapolation\n"
                       "over: [{problem.a: [0.1], noise.sigma: [0.6]}, {problem.a: [0.3, 1]}]\n"
                       "momentum: {eta: [1e-3], alpha: [0.1]}\n"
                       "crossover: {eps: [0.01, 0.003, 0.001], eps_unit: \"L^2/L2\", "
                       "theory: kovalev_extrapolation}\n");
    ntr_ex_spec s;
    ntr_error err = {0};
    ck_assert_msg(ntr_ex_spec_read(n, &s, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(s.ndoses, 3);
    char dose[256], label[300];
    ntr_ex_dose_label(&s, 0, dose, sizeof dose);
    ck_assert_str_eq(dose, "problem.a=0.1 noise.sigma=0.6");
    ntr_ex_dose_label(&s, 2, dose, sizeof dose);
    ck_assert_str_eq(dose, "problem.a=1");
    ntr_assign a[32];
    size_t na;
    ntr_ex_dose_assigns(&s, 1, a, &na);
    ck_assert_uint_eq(na, 1);
    ck_assert_str_eq(a[0].key, "problem.a");
    ck_assert_str_eq(a[0].val->text, "0.3");
    ntr_ex_crossover_label(&s, dose, 2, "off", label, sizeof label);
    ck_assert_str_eq(label, "problem.a=1 crossover eps=0.001*(L^2/L2) off");
    ntr_theory_vars v = {.L = 4.0, .L2 = 2.0};
    double scale;
    ck_assert_int_eq(ntr_ex_eps_scale(&s, &v, &scale, &err), 0);
    ck_assert_double_eq_tol(scale, 8.0, 1e-12);
    v.L2 = NAN; /* a problem without a Lipschitz Hessian */
    ck_assert_int_ne(ntr_ex_eps_scale(&s, &v, &scale, &err), 0);
    ntr_node_free(n);
}

START_TEST(test_spec)
{
    ntr_node *n = yaml("type: extrapolation\nover: {problem.a: [0.1, 1]}\n" GOOD_PARTS
                       "controls: {at_x: {method.extrapolation_error: -1}}\n");
    ntr_ex_spec s;
    ntr_error err = {0};
    ck_assert_msg(ntr_ex_spec_read(n, &s, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(s.ndoses, 2);
    ck_assert_uint_eq(s.neps, 3);
    ck_assert_uint_eq(ntr_ex_nroles(&s), 3);
    ck_assert_str_eq(ntr_ex_role_name(&s, 2), "at_x");
    ck_assert_double_eq(s.horizon, 50.0);
    ck_assert_double_eq(s.band, 0.5);
    char dose[256], label[300];
    ntr_ex_dose_label(&s, 1, dose, sizeof dose);
    ck_assert_str_eq(dose, "problem.a=1");
    ntr_ex_crossover_label(&s, dose, 1, "on", label, sizeof label);
    ck_assert_str_eq(label, "problem.a=1 crossover eps=0.03 on");
    check_paired_doses();
    ntr_ex_momentum_label(dose, 0.001, 0.01, "at_x", label, sizeof label);
    ck_assert_str_eq(label, "problem.a=1 momentum eta=0.001 alpha=0.01 at_x");
    ntr_node_free(n);

    static const struct {
        const char *text, *frag;
        int line;
    } bad[] = {
        {"type: extrapolation\n" GOOD_PARTS "bogus: 1\n", "bogus", 4},
        {"type: extrapolation\nmomentum: {eta: [1e-3], alpha: [0.1]}\n", "needs momentum", 1},
        {"type: extrapolation\n"
         "momentum: {eta: [1e-3], alpha: [0.1, 2]}\n"
         "crossover: {eps: [0.1, 0.03, 0.01], theory: kovalev_extrapolation}\n",
         "above 1", 2},
        {"type: extrapolation\n"
         "momentum: {eta: [1e-3], alpha: [0.1]}\n"
         "crossover: {eps: [0.01, 0.03, 0.1], theory: kovalev_extrapolation}\n",
         "must decrease", 3},
        {"type: extrapolation\n"
         "momentum: {eta: [1e-3], alpha: [0.1]}\n"
         "crossover: {eps: [0.1, 0.01], theory: kovalev_extrapolation}\n",
         "at least 3", 3},
        {"type: extrapolation\n"
         "momentum: {eta: [1e-3], alpha: [0.1]}\n"
         "crossover: {eps: [0.1, 0.03, 0.01]}\n",
         "needs theory", 3},
        {"type: extrapolation\n" GOOD_PARTS "controls: {on: {method.alpha: 1}}\n", "not on or off",
         4},
        {"type: extrapolation\n" GOOD_PARTS "controls: {x: {method.extrapolation: false}}\n",
         "sets method.extrapolation itself", 4},
        {"type: extrapolation\n" GOOD_PARTS "over: {seeds: [1, 2]}\n", "seeds", 4},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = yaml(bad[i].text);
        memset(&err, 0, sizeof err);
        ck_assert_msg(ntr_ex_spec_read(n, &s, &err) != 0, "case %zu accepted", i);
        ck_assert_msg(strstr(err.msg, bad[i].frag) != NULL, "case %zu: %s", i, err.msg);
        ck_assert_msg(err.line == bad[i].line, "case %zu: line %d: %s", i, err.line, err.msg);
        ntr_node_free(n);
    }
}
END_TEST

/* The line of out that starts with prefix (malloc'ed), or NULL. */
static char *line_starting(const char *out, const char *prefix)
{
    for (const char *p = out; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            char *s = malloc(len + 1);
            memcpy(s, p, len);
            s[len] = '\0';
            return s;
        }
        p = e ? e + 1 : NULL;
    }
    return NULL;
}

START_TEST(test_e2e)
{
    char *tmp = ts_tmpdir(), *cfg = ts_tests("extrap/tiny.yaml"), *out = ts_path("%s/t", tmp);
    ts_result r;
    NTR_RUN(r, cfg, "-o", out, "--no-plot", "-j", "2");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    char *claim = line_starting(r.out, "claim: "), *ctl = line_starting(r.out, "control at_x: ");
    ck_assert_msg(claim && !strcmp(claim, "claim: consistent, reproduced"), "%s", r.out);
    ck_assert_msg(ctl && strstr(ctl, "control at_x: violated (") && strstr(ctl, "as expected"),
                  "%s", r.out);
    /* the files behind the verdict */
    char *mom = ts_path("%s/extrapolation_momentum.csv", out);
    char *cross = ts_path("%s/extrapolation_crossover.csv", out);
    ntr_table *t = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_table_read(mom, &t, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(ntr_table_rows(t), 4 * (4 + 5)); /* doses x (eta x alpha + eps) */
    long con = ntr_table_find(t, "err_on"), coff = ntr_table_find(t, "err_off"),
         cctl = ntr_table_find(t, "err_at_x"), cf = ntr_table_find(t, "floor");
    ck_assert(con >= 0 && coff >= 0 && cctl >= 0 && cf >= 0);
    for (size_t i = 0; i < 4; i++) { /* travelling points of the first dose */
        double on = ntr_table_num(t, i, (size_t)con), off = ntr_table_num(t, i, (size_t)coff);
        ck_assert_msg(off > 2.0 * on, "row %zu: off %g on %g", i, off, on);
        /* the control queries x_k: its iterates are the plain ones */
        ck_assert_double_eq_tol(ntr_table_num(t, i, (size_t)cctl), off, 1e-12 * off);
    }
    ntr_table_free(t);
    ck_assert_msg(ntr_table_read(cross, &t, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(ntr_table_rows(t), 4 * 5);
    ntr_table_free(t);
    char *json = ts_path("%s/extrapolation.json", out), *md = ts_path("%s/report.md", out);
    char *js = ts_read_file(json, NULL), *mdt = ts_read_file(md, NULL);
    ck_assert_ptr_nonnull(strstr(js, "\"reproduced\": true"));
    ck_assert_ptr_nonnull(strstr(mdt, "## Extrapolation mechanism (claim C4)"));
    free(js), free(mdt), free(claim), free(ctl);
    ts_result_free(&r);

    /* the mechanism broken on purpose: the extrapolated cells query x_k */
    char *out2 = ts_path("%s/broken", tmp);
    NTR_RUN(r, cfg, "-o", out2, "--no-plot", "-j", "2", "--set",
            "method.extrapolation_error=-1");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    claim = line_starting(r.out, "claim: ");
    ck_assert_msg(claim && !strncmp(claim, "claim: violated, NOT reproduced", 31), "%s", r.out);
    ck_assert_ptr_nonnull(strstr(claim, "(a) the extrapolated momentum error leaves"));
    ck_assert_ptr_nonnull(strstr(claim, "(b) at 4 doses"));
    free(claim);
    ts_result_free(&r);
    ts_rmtree(tmp);
    free(tmp), free(cfg), free(out), free(out2), free(mom), free(cross), free(json), free(md);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("extrap");
    TCase *tc = tcase_create("analysis");
    tcase_add_test(tc, test_floor);
    tcase_add_test(tc, test_momentum_lag);
    tcase_add_test(tc, test_crossover);
    tcase_add_test(tc, test_dose_response);
    tcase_add_test(tc, test_judge);
    tcase_add_test(tc, test_spec);
    suite_add_tcase(s, tc);
    TCase *e2e = tcase_create("e2e");
    tcase_set_timeout(e2e, 300);
    tcase_add_test(e2e, test_e2e);
    suite_add_tcase(s, e2e);
    return s;
}

int main(void) { return ts_run_suite(suite()); }

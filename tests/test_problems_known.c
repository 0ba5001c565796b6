/* test_problems_known.c: one tiny instance per problem whose value,
 * gradient, minimiser and constants are worked out by hand in the comments,
 * and the refusals of bad parameters (input errors naming the key). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "problem_kv.h"
#include "support.h"

#define CLOSE(a, b, tol) ck_assert_msg(fabs((a) - (b)) <= (tol), "%.17g != %.17g", (double)(a), (double)(b))

/* least_squares with A = [1; 2], B = [3; 4] (N = 2, m = n = 1):
 *   f(x) = (1/4) ((x - 3)^2 + (2x - 4)^2);  f(0) = (9 + 16)/4 = 6.25
 *   f'(x) = (1/2) ((x - 3) + 2 (2x - 4)) = (5x - 11)/2;  f'(0) = -5.5
 *   x* = 11/5 = 2.2, f* = ((-0.8)^2 + 0.4^2)/4 = 0.2
 *   M = A^T A / N = 5/2, so L = 2.5 in every norm (1 x 1). */
START_TEST(least_squares_by_hand)
{
    const char *pairs[] = {"A", "ls_a.csv", "B", "ls_b.csv", NULL};
    ntr_problem p;
    ntr_error err;
    ck_assert_msg(test_create(&p, "least_squares", pairs, 0, 0, 1, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(p.layout.dim, 1);
    ck_assert_uint_eq(p.n_terms, 2);
    double x = 0.0, g;
    CLOSE(p.type->value(&p, &x), 6.25, 1e-14);
    CLOSE(p.type->grad(&p, &x, &g), 6.25, 1e-14);
    CLOSE(g, -5.5, 1e-14);
    CLOSE(p.x_star[0], 2.2, 1e-14);
    CLOSE(p.f_star, 0.2, 1e-14);
    CLOSE(p.L_frob, 2.5, 1e-8);
    CLOSE(p.L2_frob, 0.0, 0.0);
    const ntr_norm_id norms[] = {NTR_NORM_EUCLIDEAN, NTR_NORM_SPECTRAL, NTR_NORM_LINF,
                                 NTR_NORM_L1,        NTR_NORM_COLNORM,  NTR_NORM_ROWNORM};
    for (int i = 0; i < 6; i++)
        CLOSE(p.type->smoothness(&p, norms[i]), 2.5, 1e-8);
    /* One sampled term with batch 1 is row 1 or row 2: x - 3 or 2 (2x - 4). */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    for (int t = 0; t < 20; t++) {
        p.type->sample_grad(&p, &x, 1, r, &g);
        ck_assert_msg(g == -3.0 || g == -8.0, "sampled term %g", g);
    }
    gsl_rng_free(r);
    ntr_problem_destroy(&p);
}
END_TEST

/* Synthetic least squares: default shape 64 x 32, N = 4 m, L = 1 (A is
 * scaled so that lambda_max(A^T A / N) = 1), planted: f* = 0. */
START_TEST(least_squares_defaults)
{
    ntr_problem p;
    ntr_error err;
    ck_assert_msg(test_create(&p, "least_squares", NULL, 0, 0, 1, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(p.layout.rows[0], 64);
    ck_assert_uint_eq(p.layout.cols[0], 32);
    ck_assert_uint_eq(p.n_terms, 256);
    CLOSE(p.L_frob, 1.0, 1e-9);
    CLOSE(p.f_star, 0.0, 1e-20);
    ntr_problem_destroy(&p);
}
END_TEST

START_TEST(least_squares_refusals)
{
    const char *mismatch[] = {"A", "ls_a.csv", "B", "ls_b.csv", NULL};
    test_create_fails("least_squares", mismatch, 2, 1, "shape");
    const char *rows[] = {"A", "ls_a.csv", "B", "ls_b3.csv", NULL};
    test_create_fails("least_squares", rows, 0, 0, "problem.B");
    const char *missing[] = {"A", "no_such.csv", "B", "ls_b.csv", NULL};
    test_create_fails("least_squares", missing, 0, 0, "problem.A");
    const char *alone[] = {"A", "ls_a.csv", NULL};
    test_create_fails("least_squares", alone, 0, 0, "problem.B");
    const char *both[] = {"A", "ls_a.csv", "B", "ls_b.csv", "samples", "4", NULL};
    test_create_fails("least_squares", both, 0, 0, "samples");
    const char *cond[] = {"condition", "0.5", NULL};
    test_create_fails("least_squares", cond, 4, 3, "condition");
    const char *bad[] = {"A", "csv_text.csv", "B", "ls_b.csv", NULL};
    test_create_fails("least_squares", bad, 0, 0, "problem.A");
}
END_TEST

/* cauchy_regression with A = [1; 2], y = [0; 1] (N = 2, X 1 x 1):
 *   f(x) = (1/2) (log(1 + x^2) + log(1 + (2x - 1)^2));  f(1) = log 2
 *   f'(x) = (1/2) (2x/(1 + x^2) + 2 * 2(2x - 1)/(1 + (2x - 1)^2));  f'(1) = (1 + 2)/2 = 1.5
 *   G = (1 + 4)/2 = 2.5:  L = 2 G = 5;  L2 = (3/2 + sqrt 2) (1 + 8)/2;
 *   term variance bound (1 + 4)/2 = 2.5.  Data files: f* unknown. */
START_TEST(cauchy_by_hand)
{
    const char *pairs[] = {"A", "cr_a.csv", "y", "cr_y.csv", NULL};
    ntr_problem p;
    ntr_error err;
    ck_assert_msg(test_create(&p, "cauchy_regression", pairs, 0, 0, 1, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(p.layout.dim, 1);
    double x = 1.0, g;
    CLOSE(p.type->grad(&p, &x, &g), log(2.0), 1e-15);
    CLOSE(g, 1.5, 1e-15);
    CLOSE(p.L_frob, 5.0, 1e-8);
    CLOSE(p.L2_frob, (1.5 + sqrt(2.0)) * 4.5, 1e-8);
    CLOSE(p.term_sigma2, 2.5, 1e-8);
    ck_assert(isnan(p.f_star));
    ck_assert_ptr_null(p.x_star);
    ntr_problem_destroy(&p);
}
END_TEST

START_TEST(cauchy_refusals)
{
    const char *mismatch[] = {"A", "cr_a.csv", "y", "cr_y.csv", NULL};
    test_create_fails("cauchy_regression", mismatch, 2, 1, "shape");
    const char *rows[] = {"A", "cr_a.csv", "y", "ls_b3.csv", NULL};
    test_create_fails("cauchy_regression", rows, 0, 0, "problem.y");
    const char *cols[] = {"A", "cr_a.csv", "y", "csv_crlf.csv", NULL};
    test_create_fails("cauchy_regression", cols, 0, 0, "problem.y");
    const char *out[] = {"outliers", "1.5", NULL};
    test_create_fails("cauchy_regression", out, 0, 0, "outliers");
}
END_TEST

/* logistic with features a_1 = (1, 2), a_2 = (0, 1), labels 1, 0 (two
 * classes from the largest label), at W = I (2 x 2):
 *   sample 1: z = (1, 2), label 1: loss = log(e + e^2) - 2 = log(1 + e) - 1
 *   sample 2: z = (0, 1), label 0: loss = log(1 + e)
 *   f(I) = log(1 + e) - 1/2.
 *   Both samples have p = softmax = (1, e)/(1 + e);
 *   p - e_1 = (1, -1)/(1 + e), times a_1^T: [[1, 2], [-1, -2]]/(1 + e);
 *   p - e_0 = (-e, e)/(1 + e), times a_2^T: [[0, -e], [0, e]]/(1 + e);
 *   grad f(I) = [[1, 2 - e], [-1, e - 2]] / (2 (1 + e)).
 *   G = ([[1, 2], [2, 4]] + [[0, 0], [0, 1]])/2 = [[0.5, 1], [1, 2.5]],
 *   lambda_max(G) = (3 + sqrt(4 + 4))/2 = 1.5 + sqrt 2, L = lambda_max / 2;
 *   L2 = (5^1.5 + 1) / (2 sqrt 2); term variance bound 2 (5 + 1)/2 = 6. */
START_TEST(logistic_by_hand)
{
    const char *pairs[] = {"features", "lg_features.csv", "labels", "lg_labels.csv", NULL};
    ntr_problem p;
    ntr_error err;
    ck_assert_msg(test_create(&p, "logistic", pairs, 0, 0, 1, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(p.layout.rows[0], 2);
    ck_assert_uint_eq(p.layout.cols[0], 2);
    const double w[4] = {1, 0, 0, 1};
    double g[4], e = exp(1.0), k = 2 * (1 + e);
    CLOSE(p.type->grad(&p, w, g), log(1 + e) - 0.5, 1e-15);
    const double want[4] = {1 / k, (2 - e) / k, -1 / k, (e - 2) / k};
    for (int i = 0; i < 4; i++)
        CLOSE(g[i], want[i], 1e-15);
    CLOSE(p.L_frob, (1.5 + sqrt(2.0)) / 2, 1e-8);
    CLOSE(p.L2_frob, (pow(5, 1.5) + 1) / (2 * sqrt(2.0)), 1e-8);
    CLOSE(p.term_sigma2, 6.0, 1e-8);
    ntr_problem_destroy(&p);
}
END_TEST

START_TEST(logistic_refusals)
{
    const char *ok[] = {"features", "lg_features.csv", "labels", "lg_labels.csv", NULL};
    test_create_fails("logistic", ok, 2, 3, "shape");
    test_create_fails("logistic", ok, 1, 2, "shape");
    const char *frac[] = {"features", "lg_features.csv", "labels", "lg_bad_labels.csv", NULL};
    test_create_fails("logistic", frac, 0, 0, "labels");
    const char *alone[] = {"labels", "lg_labels.csv", NULL};
    test_create_fails("logistic", alone, 0, 0, "labels");
    test_create_fails("logistic", NULL, 1, 5, "shape");
}
END_TEST

/* sine_quadratic, a = 1.5, h(r) = r^2 + 1.5 sin^2 r, h'(r) = 2r + 1.5 sin 2r.
 * Entrywise, centre (0, 1), X = (pi/2, 1): D = (pi/2, 0),
 *   f = h(pi/2) + h(0) = pi^2/4 + 1.5;  grad = (h'(pi/2), h'(0)) = (pi, 0);
 *   L = 2 + 2a = 5, L2 = 4a = 6, star-convex and not convex (a > 1).
 * Measured, A = [1; 2], centre 0, x = pi/4:
 *   f = (h(pi/4) + h(pi/2))/2 = (pi^2/16 + 0.75 + pi^2/4 + 1.5)/2 = (5 pi^2/16 + 2.25)/2
 *   f' = (h'(pi/4) + 2 h'(pi/2))/2 = (pi/2 + 1.5 + 2 pi)/2 = (5 pi/2 + 1.5)/2
 *   G = (1 + 4)/2: L = 5 G = 12.5;  L2 = 4a (1 + 8)/2 = 27.
 * Spectral, centre 0 (2 x 2), X = [[0, 2], [0, 0]] = 2 e_1 e_2^T: singular
 * values (2, 0), f = h(2) + h(0) = 4 + 1.5 sin^2 2;
 *   grad = h'(2) e_1 e_2^T = [[0, 4 + 1.5 sin 4], [0, 0]]. */
START_TEST(sine_quadratic_by_hand)
{
    ntr_problem p;
    ntr_error err;
    const char *ew[] = {"center", "sq_center21.csv", NULL};
    ck_assert_msg(test_create(&p, "sine_quadratic", ew, 0, 0, 1, &err) == 0, "%s", err.msg);
    double x[4] = {M_PI / 2, 1.0}, g[4];
    CLOSE(p.type->grad(&p, x, g), M_PI * M_PI / 4 + 1.5, 1e-14);
    CLOSE(g[0], M_PI, 1e-14);
    CLOSE(g[1], 0.0, 1e-15);
    CLOSE(p.L_frob, 5.0, 0.0);
    CLOSE(p.L2_frob, 6.0, 0.0);
    CLOSE(p.f_star, 0.0, 0.0);
    ck_assert(p.type->flags & NTR_PF_STAR_CONVEX);
    ck_assert(p.type->flags & NTR_PF_NONCONVEX);
    ck_assert_ptr_null(p.type->sample_grad);
    ntr_problem_destroy(&p);

    const char *ms[] = {"form", "measured", "center", "sq_center11.csv", "A", "cr_a.csv", NULL};
    ck_assert_msg(test_create(&p, "sine_quadratic", ms, 0, 0, 1, &err) == 0, "%s", err.msg);
    x[0] = M_PI / 4;
    CLOSE(p.type->grad(&p, x, g), (5 * M_PI * M_PI / 16 + 2.25) / 2, 1e-14);
    CLOSE(g[0], (5 * M_PI / 2 + 1.5) / 2, 1e-14);
    CLOSE(p.L_frob, 12.5, 1e-8);
    CLOSE(p.L2_frob, 27.0, 1e-8);
    ck_assert_uint_eq(p.n_terms, 2);
    ck_assert(p.type->flags & NTR_PF_FINITE_SUM);
    ck_assert_ptr_nonnull(p.type->sample_grad);
    ntr_problem_destroy(&p);

    const char *sp[] = {"form", "spectral", "center", "sq_center22.csv", "a", "0.5", NULL};
    ck_assert_msg(test_create(&p, "sine_quadratic", sp, 0, 0, 1, &err) == 0, "%s", err.msg);
    ck_assert(p.type->flags & NTR_PF_CONVEX); /* a <= 1 */
    ntr_problem_destroy(&p);
    const char *sp15[] = {"form", "spectral", "center", "sq_center22.csv", NULL};
    ck_assert_msg(test_create(&p, "sine_quadratic", sp15, 0, 0, 1, &err) == 0, "%s", err.msg);
    const double X[4] = {0, 2, 0, 0};
    CLOSE(p.type->grad(&p, X, g), 4 + 1.5 * sin(2.0) * sin(2.0), 1e-14);
    const double want[4] = {0, 4 + 1.5 * sin(4.0), 0, 0};
    for (int i = 0; i < 4; i++)
        CLOSE(g[i], want[i], 1e-14);
    CLOSE(p.type->value(&p, X), 4 + 1.5 * sin(2.0) * sin(2.0), 1e-14);
    ntr_problem_destroy(&p);
}
END_TEST

START_TEST(sine_quadratic_refusals)
{
    const char *big[] = {"a", "1.75", NULL};
    test_create_fails("sine_quadratic", big, 2, 2, "problem.a");
    test_create_fails("sine_quadratic", big, 2, 2, "not star-convex");
    const char *form[] = {"form", "mesured", NULL};
    test_create_fails("sine_quadratic", form, 2, 2, "problem.form");
    const char *samples[] = {"samples", "10", NULL};
    test_create_fails("sine_quadratic", samples, 2, 2, "samples");
    const char *center[] = {"center", "sq_center21.csv", NULL};
    test_create_fails("sine_quadratic", center, 1, 2, "shape");
    const char *ashape[] = {"form", "measured", "center", "sq_center21.csv", "A", "cr_a.csv", NULL};
    test_create_fails("sine_quadratic", ashape, 0, 0, "problem.A");
    /* a = 1.7048 itself is accepted. */
    const char *edge[] = {"a", "1.7048", NULL};
    ntr_problem p;
    ntr_error err;
    ck_assert_int_eq(test_create(&p, "sine_quadratic", edge, 2, 2, 1, &err), 0);
    ntr_problem_destroy(&p);
}
END_TEST

/* chain_hard with T = 2: F(u) = -Phi(u_1) + Psi(-u_1) Phi(-u_2) - Psi(u_1) Phi(u_2),
 * Phi(t) = sqrt(e pi/2) (1 + erf(t/sqrt 2)), Phi'(t) = sqrt(e) exp(-t^2/2),
 * Psi(1) = 1, Psi'(1) = 4 Psi(1)/(2 - 1)^3 = 4, Psi(-1) = Psi'(-1) = 0.
 *   F(1, 1) = -2 Phi(1);  dF/du_1 = -Phi'(1) - Psi'(1) Phi(1) = -1 - 4 Phi(1);
 *   dF/du_2 = -Psi(1) Phi'(1) = -1.
 * With scale 2, lambda 2 at x = (2, 2): f = 2 * 4 * F(1, 1) = -16 Phi(1),
 * grad = 2 * 2 * grad F(1, 1).  inf = -scale lambda^2 sqrt(2 pi e) (1 + e).
 * Oracle at x = (1, 0) (scale = lambda = 1, p = 1/2): prog = 1 (|x_2| <= 1/4),
 * so g_1 = -1 - 4 Phi(0) = -1 - 4 sqrt(e pi/2) always, and g_2 is
 * -Phi'(0)/p = -2 sqrt(e) or 0. */
START_TEST(chain_hard_by_hand)
{
    ntr_problem p;
    ntr_error err;
    const char *pairs[] = {"T", "2", "scale", "2", "lambda", "2", NULL};
    ck_assert_msg(test_create(&p, "chain_hard", pairs, 0, 0, 1, &err) == 0, "%s", err.msg);
    double Phi1 = sqrt(M_E * M_PI / 2) * (1 + erf(1 / sqrt(2.0)));
    double x[2] = {2, 2}, g[2];
    CLOSE(p.type->grad(&p, x, g), -16 * Phi1, 1e-13);
    CLOSE(g[0], 4 * (-1 - 4 * Phi1), 1e-13);
    CLOSE(g[1], -4.0, 1e-14);
    CLOSE(p.f_star, -8 * sqrt(2 * M_PI * M_E) * (1 + M_E), 1e-12);
    CLOSE(p.L_frob, 304.0, 0.0);
    ntr_problem_destroy(&p);

    const char *half[] = {"T", "2", "p", "0.5", NULL};
    ck_assert_msg(test_create(&p, "chain_hard", half, 0, 0, 1, &err) == 0, "%s", err.msg);
    CLOSE(p.term_sigma2, 23.0 * 23.0, 1e-12); /* (1 - p)/p = 1 */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    int seen[2] = {0, 0};
    x[0] = 1;
    x[1] = 0;
    for (int t = 0; t < 50; t++) {
        p.type->sample_grad(&p, x, 1, r, g);
        CLOSE(g[0], -1 - 4 * sqrt(M_E * M_PI / 2), 1e-13);
        ck_assert_msg(g[1] == 0.0 || fabs(g[1] + 2 * sqrt(M_E)) < 1e-14, "g_2 = %g", g[1]);
        seen[g[1] == 0.0]++;
    }
    ck_assert(seen[0] > 0 && seen[1] > 0);
    gsl_rng_free(r);
    ntr_problem_destroy(&p);
}
END_TEST

START_TEST(chain_hard_refusals)
{
    const char *zero[] = {"p", "0", NULL};
    test_create_fails("chain_hard", zero, 0, 0, "problem.p");
    const char *big[] = {"p", "1.5", NULL};
    test_create_fails("chain_hard", big, 0, 0, "problem.p");
    const char *t[] = {"T", "5", NULL};
    test_create_fails("chain_hard", t, 2, 3, "problem.T");
    const char *lam[] = {"lambda", "0", NULL};
    test_create_fails("chain_hard", lam, 0, 0, "lambda");
}
END_TEST

/* teacher_student with W* = 0 (1 x 1), evaluation inputs x = 1, 2,
 * beta = 1, s(t) = t + tanh t, s'(t) = 1 + sech^2 t, at W = 1:
 *   f = ((s(1) - s(0))^2 + (s(2) - s(0))^2)/2 = (s(1)^2 + s(2)^2)/2
 *   f' = (2/2) (s(1) s'(1) * 1 + s(2) s'(2) * 2)
 *   C_s = (1 + 1)^2 + (0.64 + 0.5) + 0.77 |s(0)| = 5.14 for both inputs,
 *   L = (2/2) * 5.14 * (1 + 4) = 25.7. */
START_TEST(teacher_student_by_hand)
{
    ntr_problem p;
    ntr_error err;
    const char *pairs[] = {"teacher", "ts_teacher11.csv", "eval_inputs", "ts_inputs.csv", NULL};
    ck_assert_msg(test_create(&p, "teacher_student", pairs, 0, 0, 1, &err) == 0, "%s", err.msg);
    double s1 = 1 + tanh(1.0), s2 = 2 + tanh(2.0);
    double d1 = 1 + 1 / (cosh(1.0) * cosh(1.0)), d2 = 1 + 1 / (cosh(2.0) * cosh(2.0));
    double w = 1.0, g;
    CLOSE(p.type->grad(&p, &w, &g), (s1 * s1 + s2 * s2) / 2, 1e-14);
    CLOSE(g, s1 * d1 + 2 * s2 * d2, 1e-14);
    CLOSE(p.L_frob, 25.7, 1e-8);
    CLOSE(p.f_star, 0.0, 0.0);
    CLOSE(p.x_star[0], 0.0, 0.0);
    ntr_problem_destroy(&p);
}
END_TEST

START_TEST(teacher_student_refusals)
{
    const char *beta[] = {"beta", "1.5", NULL};
    test_create_fails("teacher_student", beta, 2, 2, "problem.beta");
    const char *neg[] = {"beta", "-0.1", NULL};
    test_create_fails("teacher_student", neg, 2, 2, "problem.beta");
    const char *t[] = {"teacher", "ts_teacher11.csv", NULL};
    test_create_fails("teacher_student", t, 2, 2, "shape");
    const char *in[] = {"teacher", "ts_teacher11.csv", "eval_inputs", "csv_ok.csv", NULL};
    test_create_fails("teacher_student", in, 0, 0, "problem.eval_inputs");
    const char *both[] = {"eval_inputs", "ts_inputs.csv", "eval_samples", "10", NULL};
    test_create_fails("teacher_student", both, 1, 1, "eval_samples");
}
END_TEST

/* mlp with one input, one hidden unit, one output: inputs x = 1, 2,
 * targets y = 0, 1, at W1 = 1, W2 = 2:
 *   r_1 = 2 tanh 1 - 0, r_2 = 2 tanh 2 - 1,  f = (r_1^2 + r_2^2)/(2 * 2)
 *   df/dW2 = (r_1 tanh 1 + r_2 tanh 2)/2
 *   df/dW1 = (r_1 W2 (1 - tanh^2 1) * 1 + r_2 W2 (1 - tanh^2 2) * 2)/2
 * Target files: f* unknown; not smooth: L = infinity. */
START_TEST(mlp_by_hand)
{
    ntr_problem p;
    ntr_error err;
    const char *pairs[] = {"inputs", "ts_inputs.csv", "targets", "mlp_targets.csv", "hidden", "1",
                           NULL};
    ck_assert_msg(test_create(&p, "mlp", pairs, 0, 0, 1, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(p.layout.nblocks, 2);
    ck_assert_uint_eq(p.layout.dim, 2);
    double t1 = tanh(1.0), t2 = tanh(2.0), r1 = 2 * t1, r2 = 2 * t2 - 1;
    const double w[2] = {1, 2};
    double g[2];
    CLOSE(p.type->grad(&p, w, g), (r1 * r1 + r2 * r2) / 4, 1e-15);
    CLOSE(g[1], (r1 * t1 + r2 * t2) / 2, 1e-15);
    CLOSE(g[0], (r1 * 2 * (1 - t1 * t1) + r2 * 2 * (1 - t2 * t2) * 2) / 2, 1e-15);
    ck_assert(isnan(p.f_star));
    ck_assert(isinf(p.L_frob));
    ntr_problem_destroy(&p);
    /* With teacher targets the teacher is a zero of f. */
    const char *teach[] = {"inputs", "ts_inputs.csv", "hidden", "2", NULL};
    ck_assert_msg(test_create(&p, "mlp", teach, 0, 0, 1, &err) == 0, "%s", err.msg);
    CLOSE(p.f_star, 0.0, 0.0);
    CLOSE(p.type->value(&p, p.x_star), 0.0, 0.0);
    ntr_problem_destroy(&p);
}
END_TEST

START_TEST(mlp_refusals)
{
    ntr_layout bad;
    memset(&bad, 0, sizeof bad);
    ntr_layout_add(&bad, 3, 2);
    ntr_layout_add(&bad, 2, 4); /* hidden 3 vs 4 */
    ntr_problem p;
    ntr_error err;
    ck_assert_int_eq(test_create_layout(&p, "mlp", NULL, &bad, 1, &err), -1);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "problem.blocks"));
    ck_assert_int_eq(test_create(&p, "mlp", NULL, 3, 2, 1, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "problem.blocks"));
    ntr_layout ok;
    memset(&ok, 0, sizeof ok);
    ntr_layout_add(&ok, 3, 2);
    ntr_layout_add(&ok, 2, 3);
    const char *files[] = {"inputs", "ts_inputs.csv", NULL}; /* 1 input column, blocks say 2 */
    ck_assert_int_eq(test_create_layout(&p, "mlp", files, &ok, 1, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "problem.blocks"));
    const char *hid[] = {"hidden", "5", NULL};
    ck_assert_int_eq(test_create_layout(&p, "mlp", hid, &ok, 1, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "problem.hidden"));
    const char *tg[] = {"targets", "mlp_targets.csv", NULL};
    test_create_fails("mlp", tg, 0, 0, "problem.targets");
    const char *rows[] = {"inputs", "ts_inputs.csv", "targets", "ls_b3.csv", NULL};
    test_create_fails("mlp", rows, 0, 0, "problem.targets");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("problems_known");
    TCase *tc = tcase_create("known");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, least_squares_by_hand);
    tcase_add_test(tc, least_squares_defaults);
    tcase_add_test(tc, least_squares_refusals);
    tcase_add_test(tc, cauchy_by_hand);
    tcase_add_test(tc, logistic_by_hand);
    tcase_add_test(tc, logistic_refusals);
    tcase_add_test(tc, sine_quadratic_by_hand);
    tcase_add_test(tc, sine_quadratic_refusals);
    tcase_add_test(tc, chain_hard_by_hand);
    tcase_add_test(tc, chain_hard_refusals);
    tcase_add_test(tc, teacher_student_by_hand);
    tcase_add_test(tc, teacher_student_refusals);
    tcase_add_test(tc, mlp_by_hand);
    tcase_add_test(tc, mlp_refusals);
    tcase_add_test(tc, cauchy_refusals);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

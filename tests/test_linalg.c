/* test_linalg.c: the shared helpers of src/linalg/linalg.c: vector operations,
 * NaN visibility, the Gaussian fill, singular values and the largest
 * eigenvalue on matrices with known answers. */
#include <check.h>
#include <float.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "linalg/linalg.h"
#include "support.h"

START_TEST(test_vector_ops)
{
    double x[4] = {1.0, -2.0, 3.0, -4.0}, y[4] = {0.5, 0.5, 0.5, 0.5}, z[4];
    ck_assert(ntr_dot(x, y, 4) == -1.0);
    ck_assert_double_eq_tol(ntr_nrm2(x, 4), sqrt(30.0), 1e-15);
    ck_assert(ntr_sum_abs(x, 4) == 10.0);
    ck_assert(ntr_max_abs(x, 4) == 4.0);
    ck_assert(ntr_max_abs(x, 0) == 0.0);
    ntr_copy(x, z, 4);
    ntr_axpy(2.0, y, z, 4); /* z = x + 2 y */
    ck_assert(z[0] == 2.0 && z[1] == -1.0 && z[2] == 4.0 && z[3] == -3.0);
    ntr_scal(-0.5, z, 4);
    ck_assert(z[0] == -1.0 && z[3] == 1.5);
    ntr_copy(z, z, 4); /* copying onto itself is harmless */
    ck_assert(z[0] == -1.0);
    x[2] = NAN;
    ck_assert(isnan(ntr_max_abs(x, 4)));
    x[2] = 3.0;
    x[0] = NAN; /* NaN first, then larger numbers */
    ck_assert(isnan(ntr_max_abs(x, 4)));
}
END_TEST

/* ntr_all_finite: finite vectors of every length (zeros of both signs,
 * the largest and the smallest doubles) pass; one NaN or infinity at the
 * start, in the middle, in the unrolled tail or at the end fails. */
START_TEST(test_all_finite)
{
    static const double bad[] = {NAN, INFINITY, -INFINITY};
    double x[9];
    for (size_t n = 1; n <= 9; n++) {
        for (size_t i = 0; i < n; i++)
            x[i] = i % 4 == 0 ? -0.0 : i % 4 == 1 ? DBL_MAX : i % 4 == 2 ? -DBL_MAX : 4.9e-324;
        ck_assert_msg(ntr_all_finite(x, n), "n %zu: finite vector refused", n);
        for (size_t at = 0; at < n; at++)
            for (size_t b = 0; b < 3; b++) {
                double keep = x[at];
                x[at] = bad[b];
                ck_assert_msg(!ntr_all_finite(x, n), "n %zu: %g at %zu missed", n, bad[b], at);
                x[at] = keep;
            }
    }
    ck_assert(ntr_all_finite(x, 0));
}
END_TEST

START_TEST(test_fill_gaussian)
{
    enum { N = 20000 };
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    ntr_fill_gaussian(r, a, N, 2.0);
    gsl_rng_set(r, 3);
    ntr_fill_gaussian(r, b, N, 2.0);
    double mean = 0.0, var = 0.0;
    for (int i = 0; i < N; i++) {
        ck_assert(a[i] == b[i]); /* same seed, same stream */
        mean += a[i] / N;
    }
    for (int i = 0; i < N; i++)
        var += (a[i] - mean) * (a[i] - mean) / (N - 1);
    /* Standard errors: 2/sqrt(N) = 0.014 for the mean, about 0.04 for the variance. */
    ck_assert_double_eq_tol(mean, 0.0, 0.06);
    ck_assert_double_eq_tol(var, 4.0, 0.2);
    gsl_rng_free(r);
    free(a);
    free(b);
}
END_TEST

START_TEST(test_singular_values)
{
    ntr_error err = {0};
    /* A^T A = [[25, 20], [20, 25]]: singular values 3 sqrt 5 and sqrt 5. */
    const double a[4] = {3.0, 0.0, 4.0, 5.0};
    double s[2], op = 0.0;
    ck_assert(ntr_singular_values(a, 2, 2, s, &err) == 0);
    ck_assert_double_eq_tol(s[0], 3.0 * sqrt(5.0), 1e-14);
    ck_assert_double_eq_tol(s[1], sqrt(5.0), 1e-14);
    ck_assert(ntr_op_norm(a, 2, 2, &op, &err) == 0);
    ck_assert_double_eq_tol(op, 3.0 * sqrt(5.0), 1e-14);
    /* A row, a column, and a 3 x 2 matrix with orthogonal columns. */
    const double row[3] = {1.0, 2.0, 2.0};
    ck_assert(ntr_op_norm(row, 1, 3, &op, &err) == 0);
    ck_assert_double_eq_tol(op, 3.0, 1e-14);
    ck_assert(ntr_op_norm(row, 3, 1, &op, &err) == 0);
    ck_assert_double_eq_tol(op, 3.0, 1e-14);
    const double tall[6] = {1.0, 0.0, 0.0, 2.0, 0.0, 0.0};
    ck_assert(ntr_singular_values(tall, 3, 2, s, &err) == 0);
    ck_assert_double_eq_tol(s[0], 2.0, 1e-15);
    ck_assert_double_eq_tol(s[1], 1.0, 1e-15);
    /* Non-finite input is an error, not a garbage answer. */
    const double bad[4] = {1.0, INFINITY, 0.0, 1.0};
    ck_assert(ntr_op_norm(bad, 2, 2, &op, &err) == -1);
    ck_assert_int_eq(err.kind, NTR_E_NUMERIC);
}
END_TEST

START_TEST(test_sym_eig_max)
{
    ntr_error err = {0};
    double top = 0.0;
    const double a[4] = {2.0, 1.0, 1.0, 2.0}; /* eigenvalues 1 and 3 */
    ck_assert(ntr_sym_eig_max(a, 2, &top, &err) == 0);
    ck_assert_double_eq_tol(top, 3.0, 1e-14);
    const double neg[9] = {-5.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, -7.0};
    ck_assert(ntr_sym_eig_max(neg, 3, &top, &err) == 0);
    ck_assert_double_eq_tol(top, -1.0, 1e-14);
    const double nan[1] = {NAN};
    ck_assert(ntr_sym_eig_max(nan, 1, &top, &err) == -1);
    ck_assert(ntr_sym_eig_max(a, 0, &top, &err) == -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linalg");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_vector_ops);
    tcase_add_test(tc, test_all_finite);
    tcase_add_test(tc, test_fill_gaussian);
    tcase_add_test(tc, test_singular_values);
    tcase_add_test(tc, test_sym_eig_max);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

/* test_schedule.c: step-size schedules (src/run/schedule.c): each type's values
 * at a few k worked out by hand, the warmup factor, expressions in k and K,
 * and the errors an alloc must report (with the column of a syntax error). */
#include <check.h>
#include <math.h>
#include <string.h>

#include "run/schedule.h"
#include "support.h"

static const ntr_pos where = {"cfg.yaml", 7, 12};

static ntr_schedule *open_ok(ntr_schedule_spec spec, long K)
{
    ntr_schedule *s = NULL;
    ntr_error err = {0};
    spec.pos = where;
    ck_assert_msg(ntr_schedule_alloc(&spec, K, &s, &err) == 0, "alloc failed: %s", err.msg);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* Returns the error of a failing alloc. */
static ntr_error open_bad(ntr_schedule_spec spec, long K)
{
    static char sentinel;
    ntr_schedule *s = (ntr_schedule *)(void *)&sentinel; /* alloc must reset it to NULL */
    ntr_error err = {0};
    spec.pos = where;
    ck_assert_int_eq(ntr_schedule_alloc(&spec, K, &s, &err), -1);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert_str_eq(err.file, "cfg.yaml");
    ck_assert_int_eq(err.line, 7);
    ck_assert(err.msg[0] != '\0');
    return err;
}

#define EQ(s, k, want) ck_assert_double_eq_tol(ntr_schedule_eta((s), (k)), (want), 1e-15)

START_TEST(test_names)
{
    ck_assert_str_eq(ntr_schedule_names[NTR_SCHED_CONSTANT], "constant");
    ck_assert_str_eq(ntr_schedule_names[NTR_SCHED_COSINE], "cosine");
    ck_assert_str_eq(ntr_schedule_names[NTR_SCHED_INVERSE_SQRT], "inverse_sqrt");
    ck_assert_str_eq(ntr_schedule_names[NTR_SCHED_LINEAR], "linear");
    ck_assert_str_eq(ntr_schedule_names[NTR_SCHED_EXPR], "expr");
    ck_assert_ptr_null(ntr_schedule_names[NTR_SCHED_EXPR + 1]);
}
END_TEST

START_TEST(test_constant)
{
    ntr_schedule *s = open_ok((ntr_schedule_spec){.type = NTR_SCHED_CONSTANT, .value = 0.1}, 100);
    EQ(s, 0, 0.1);
    EQ(s, 57, 0.1);
    EQ(s, 1000, 0.1); /* past K: still the value */
    ntr_schedule_free(s);
}
END_TEST

START_TEST(test_cosine)
{
    /* min + (value - min)(1 + cos(pi k/K))/2 with value .1, min .01, K 100 */
    ntr_schedule *s = open_ok(
        (ntr_schedule_spec){.type = NTR_SCHED_COSINE, .value = 0.1, .min = 0.01}, 100);
    EQ(s, 0, 0.1);                                    /* cos 0 = 1 */
    EQ(s, 25, 0.01 + 0.09 * (1 + M_SQRT1_2) / 2);     /* cos(pi/4) = 1/sqrt 2 */
    EQ(s, 50, 0.055);                                 /* cos(pi/2) = 0: halfway */
    EQ(s, 100, 0.01);                                 /* cos pi = -1 */
    EQ(s, 150, 0.01);                                 /* stays at min after K */
    ntr_schedule_free(s);
}
END_TEST

START_TEST(test_inverse_sqrt)
{
    ntr_schedule *s = open_ok((ntr_schedule_spec){.type = NTR_SCHED_INVERSE_SQRT, .value = 0.3}, 10);
    EQ(s, 0, 0.3);
    EQ(s, 3, 0.15);  /* 0.3 / sqrt 4 */
    EQ(s, 8, 0.1);   /* 0.3 / sqrt 9 */
    EQ(s, 99, 0.03); /* 0.3 / sqrt 100, past K as well */
    ntr_schedule_free(s);
}
END_TEST

START_TEST(test_linear)
{
    /* value + (min - value) k / K with value .1, min .02, K 10 */
    ntr_schedule *s = open_ok(
        (ntr_schedule_spec){.type = NTR_SCHED_LINEAR, .value = 0.1, .min = 0.02}, 10);
    EQ(s, 0, 0.1);
    EQ(s, 5, 0.06);   /* .1 - .08/2 */
    EQ(s, 9, 0.028);  /* .1 - .08 * .9 */
    EQ(s, 10, 0.02);
    EQ(s, 40, 0.02);  /* stays at min after K */
    ntr_schedule_free(s);
}
END_TEST

START_TEST(test_warmup)
{
    /* factor min(1, (k+1)/W): W = 4 on a constant .2 gives .05, .1, .15, .2, .2 ... */
    ntr_schedule *s = open_ok(
        (ntr_schedule_spec){.type = NTR_SCHED_CONSTANT, .value = 0.2, .warmup = 4}, 100);
    EQ(s, 0, 0.05);
    EQ(s, 1, 0.1);
    EQ(s, 2, 0.15);
    EQ(s, 3, 0.2);
    EQ(s, 50, 0.2);
    ntr_schedule_free(s);
    /* on inverse_sqrt .4 with W = 2: k=0 .4 * 1/2; k=1 .4/sqrt 2; k=3 .4/2 */
    s = open_ok((ntr_schedule_spec){.type = NTR_SCHED_INVERSE_SQRT, .value = 0.4, .warmup = 2}, 100);
    EQ(s, 0, 0.2);
    EQ(s, 1, 0.4 * M_SQRT1_2);
    EQ(s, 3, 0.2);
    ntr_schedule_free(s);
    /* warmup 1 changes nothing */
    s = open_ok((ntr_schedule_spec){.type = NTR_SCHED_CONSTANT, .value = 0.3, .warmup = 1}, 100);
    EQ(s, 0, 0.3);
    ntr_schedule_free(s);
}
END_TEST

START_TEST(test_expression)
{
    ntr_schedule *s = open_ok((ntr_schedule_spec){.type = NTR_SCHED_EXPR, .expr = "0.1/sqrt(k+1)"}, 100);
    EQ(s, 0, 0.1);
    EQ(s, 3, 0.05);
    EQ(s, 99, 0.01);
    ntr_schedule_free(s);
    /* K is the budget: .2 (1 - k/K) with K = 10 */
    s = open_ok((ntr_schedule_spec){.type = NTR_SCHED_EXPR, .expr = "0.2*(1-k/K)"}, 10);
    EQ(s, 0, 0.2);
    EQ(s, 5, 0.1);
    EQ(s, 9, 0.02);
    ntr_schedule_free(s);
    /* functions and a warmup on top: min(.1, 1/(k+1)) with W = 2 */
    s = open_ok((ntr_schedule_spec){.type = NTR_SCHED_EXPR, .expr = "min(0.1, 1/(k+1))", .warmup = 2},
                100);
    EQ(s, 0, 0.05);
    EQ(s, 1, 0.1);
    EQ(s, 19, 0.05);
    ntr_schedule_free(s);
    /* only k = 0 is checked at alloc: later values are returned as they are */
    s = open_ok((ntr_schedule_spec){.type = NTR_SCHED_EXPR, .expr = "0.5-k"}, 10);
    EQ(s, 0, 0.5);
    EQ(s, 2, -1.5);
    ntr_schedule_free(s);
}
END_TEST

START_TEST(test_expression_errors)
{
    /* "0.1*(k+" ends early: muparser's position 8 (0-based), so column 12 + 8 */
    ntr_error e = open_bad((ntr_schedule_spec){.type = NTR_SCHED_EXPR, .expr = "0.1*(k+"}, 10);
    ck_assert_int_eq(e.col, 20);
    ck_assert_msg(strstr(e.msg, "0.1*(k+") != NULL, "%s", e.msg);
    /* an unknown name at position 4 */
    e = open_bad((ntr_schedule_spec){.type = NTR_SCHED_EXPR, .expr = "0.1*eps"}, 10);
    ck_assert_int_eq(e.col, 16);
    ck_assert_msg(strstr(e.msg, "eps") != NULL, "%s", e.msg);
    /* an operator where a value belongs, at position 5 */
    e = open_bad((ntr_schedule_spec){.type = NTR_SCHED_EXPR, .expr = "0.1+*k"}, 10);
    ck_assert_int_eq(e.col, 16);
    /* values at k = 0 that are no step size: zero, negative, infinite, NaN */
    static const char *const bad[] = {"k/K", "-0.1", "1/k", "sqrt(k-1)"};
    for (int i = 0; i < 4; i++) {
        ntr_schedule_spec spec = {.type = NTR_SCHED_EXPR};
        strcpy(spec.expr, bad[i]);
        e = open_bad(spec, 10);
        ck_assert_int_eq(e.col, 12);
        ck_assert_msg(strstr(e.msg, "k = 0") != NULL, "%s: %s", bad[i], e.msg);
    }
    e = open_bad((ntr_schedule_spec){.type = NTR_SCHED_EXPR, .expr = ""}, 10);
    ck_assert_msg(strstr(e.msg, "empty") != NULL, "%s", e.msg);
}
END_TEST

START_TEST(test_spec_errors)
{
    ntr_error e = open_bad((ntr_schedule_spec){.type = NTR_SCHED_CONSTANT, .value = 0}, 10);
    ck_assert_msg(strstr(e.msg, "value") != NULL, "%s", e.msg);
    e = open_bad((ntr_schedule_spec){.type = NTR_SCHED_INVERSE_SQRT, .value = NAN}, 10);
    ck_assert_msg(strstr(e.msg, "value") != NULL, "%s", e.msg);
    e = open_bad((ntr_schedule_spec){.type = NTR_SCHED_COSINE, .value = 0.1, .min = 0.2}, 10);
    ck_assert_msg(strstr(e.msg, "min") != NULL, "%s", e.msg);
    e = open_bad((ntr_schedule_spec){.type = NTR_SCHED_LINEAR, .value = 0.1, .min = -0.1}, 10);
    ck_assert_msg(strstr(e.msg, "min") != NULL, "%s", e.msg);
    e = open_bad((ntr_schedule_spec){.type = NTR_SCHED_COSINE, .value = 0.1}, 0);
    ck_assert_msg(strstr(e.msg, "K") != NULL, "%s", e.msg);
    e = open_bad((ntr_schedule_spec){.type = NTR_SCHED_CONSTANT, .value = 0.1, .warmup = -1}, 10);
    ck_assert_msg(strstr(e.msg, "warmup") != NULL, "%s", e.msg);
    e = open_bad((ntr_schedule_spec){.type = (ntr_schedule_type)99, .value = 0.1}, 10);
    ck_assert_msg(strstr(e.msg, "type") != NULL, "%s", e.msg);
    ntr_schedule_free(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("schedule");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_constant);
    tcase_add_test(tc, test_cosine);
    tcase_add_test(tc, test_inverse_sqrt);
    tcase_add_test(tc, test_linear);
    tcase_add_test(tc, test_warmup);
    tcase_add_test(tc, test_expression);
    tcase_add_test(tc, test_expression_errors);
    tcase_add_test(tc, test_spec_errors);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

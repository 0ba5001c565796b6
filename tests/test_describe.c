/* test_describe.c: `ntr-run --describe` (src/config/describe.c, src/base/kv_record.c).
 *
 * A problem's description lists every key it accepts with its kind, its
 * default and its meaning (read from its create() on an empty section),
 * its default shape and declared constants; every built-in problem's keys
 * all have a meaning; norms, methods (defaults from the settings reader)
 * and noise types are described; an unknown name exits 2 naming the
 * nearest one. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "problems/problem.h"
#include "support.h"

static char *describe(const char *what, int want_code)
{
    ts_result r;
    ck_assert_int_eq(ts_run_bin(&r, "ntr-run", "--describe", what, (const char *)NULL), 0);
    ck_assert_msg(r.code == want_code, "--describe %s: exit %d: %s", what, r.code, r.err);
    char *out = strdup(want_code == 0 ? r.out : r.err);
    ts_result_free(&r);
    return out;
}

START_TEST(a_problem_says_its_keys_defaults_and_constants)
{
    char *d = describe("logistic", 0);
    static const char *const want[] = {
        "logistic: ",         "  class: convex",
        "    teacher_scale  number in [0, 1e+06]\n      entries of the planted teacher",
        "      default: 3\n", "    samples        whole number in",
        "      default: 512\n", "      default: [10, 32]\n",
        "    L            0.",  "    f*           unknown",
        "    terms N      512", "labels"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        ck_assert_msg(strstr(d, want[i]), "missing '%s' in:\n%s", want[i], d);
    free(d);
}
END_TEST

/* Every key of every built-in problem has a meaning line. */
START_TEST(every_problem_key_has_a_meaning)
{
    for (size_t t = 0; ntr_problem_types[t]; t++) {
        const ntr_problem_type *pt = ntr_problem_types[t];
        if (!strcmp(pt->name, "plugin"))
            continue;
        char *d = describe(pt->name, 0);
        for (size_t k = 0; pt->keys && pt->keys[k]; k++) {
            char head[96];
            snprintf(head, sizeof head, "\n    %-14s ", pt->keys[k]);
            const char *at = strstr(d, head);
            ck_assert_msg(at != NULL, "%s: key %s not listed:\n%s", pt->name, pt->keys[k], d);
            const char *next = strchr(at + 1, '\n');
            ck_assert_ptr_nonnull(next);
            ck_assert_msg(strncmp(next, "\n      ", 7) == 0 && strncmp(next + 7, "default:", 8),
                          "%s: key %s has no meaning:\n%s", pt->name, pt->keys[k], d);
        }
        free(d);
    }
}
END_TEST

START_TEST(norms_methods_noise_and_unknown_names)
{
    char *d = describe("norms", 0);
    ck_assert_ptr_nonnull(strstr(d, "spectral: "));
    ck_assert_ptr_nonnull(strstr(d, "dual norm (grad_dual): nuclear"));
    free(d);
    d = describe("adamw", 0);
    ck_assert_ptr_nonnull(strstr(d, "    beta2: 0.999\n"));
    ck_assert_ptr_nonnull(strstr(d, "    alpha: 0.1\n      momentum EMA weight"));
    free(d);
    d = describe("noise", 0);
    ck_assert_ptr_nonnull(strstr(d, "student_t: "));
    ck_assert_ptr_nonnull(strstr(d, "nu (4 in"));
    free(d);
    d = describe("problems", 0);
    for (size_t t = 0; ntr_problem_types[t]; t++) {
        char head[80];
        snprintf(head, sizeof head, "%s: ", ntr_problem_types[t]->name);
        ck_assert_msg(strstr(d, head), "--describe problems lacks %s", head);
    }
    free(d);
    d = describe("logistc", 2);
    ck_assert_msg(strstr(d, "did you mean 'logistic'"), "%s", d);
    free(d);
}
END_TEST

static Suite *describe_suite(void)
{
    Suite *s = suite_create("describe");
    TCase *tc = tcase_create("describe");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_problem_says_its_keys_defaults_and_constants);
    tcase_add_test(tc, every_problem_key_has_a_meaning);
    tcase_add_test(tc, norms_methods_noise_and_unknown_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ts_run_suite(describe_suite()); }

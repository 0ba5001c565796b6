/* test_stop_reasons.c: every run records why it stopped ("reason" in its
 * summary.json), end to end: every iteration run, every target reached
 * (stop_at_target), a target not reached, a non-finite step size from an
 * expression after k = 0 (1/(3-k), 0.1*(k<3)), grad_dual above
 * diverge_above, a spectral sharp whose Newton-Schulz iterates overflow
 * (step_failed; test_step_failure has the rest of that path).  A run that diverges at k = 0 leaves figures every later
 * ntr-plot can draw (its momentum error of 0 has no place on log axes). */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/gnuplot.h"
#include "support.h"

/* Run config (with extra YAML appended) and return the reason of its one
 * cell's summary.json (malloc'ed); *status_out its status. */
static char *reason_of(const char *extra, char *status_out, size_t size, int want_code)
{
    char *yaml = ts_path("name: r\nproblem: {shape: [4, 3], samples: 8}\n%s", extra);
    ts_scratch s = ts_scratch_new(yaml);
    free(yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot");
    ck_assert_msg(r.code == want_code, "%s: exit %d: %s", extra, r.code, r.err);
    ts_result_free(&r);
    char *cells = ts_path("%s/summary.csv", out);
    char *csv = ts_read_file(cells, NULL);
    ck_assert_ptr_nonnull(csv);
    char *line2 = strchr(csv, '\n') + 1;
    char hash[17];
    ck_assert_int_eq(ts_csv_field(line2, 1, hash, sizeof hash), 0);
    char *path = ts_path("%s/cells/%s/summary.json", out, hash);
    json_error_t jerr;
    json_t *o = json_load_file(path, 0, &jerr);
    ck_assert_msg(o != NULL, "%s: %s", path, jerr.text);
    const char *reason = json_string_value(json_object_get(o, "reason"));
    ck_assert_msg(reason != NULL, "%s: no reason", extra);
    snprintf(status_out, size, "%s", json_string_value(json_object_get(o, "status")));
    char *copy = strdup(reason);
    json_decref(o);
    free(path);
    free(csv);
    free(cells);
    free(out);
    ts_scratch_free(&s);
    return copy;
}

static void expect_reason(const char *extra, int code, const char *status, const char *fragment)
{
    char st[32];
    char *reason = reason_of(extra, st, sizeof st, code);
    ck_assert_msg(strcmp(st, status) == 0, "%s: status %s", extra, st);
    ck_assert_msg(strstr(reason, fragment) != NULL, "%s: reason '%s' lacks '%s'", extra, reason,
                  fragment);
    free(reason);
}

START_TEST(every_stop_has_a_reason)
{
    expect_reason("budget: {iterations: 10}\n", 0, "done", "ran its 10 iterations");
    expect_reason("budget: {iterations: 10, targets: [1e-30]}\n", 0, "not_reached",
                  "ran its 10 iterations without reaching the target 1e-30");
    expect_reason("method: {eta: 0.05}\nbudget: {iterations: 200, targets: [1e3], "
                  "stop_at_target: true}\n",
                  0, "target", "every target reached by k = 0");
    expect_reason("method: {eta: \"1/(3-k)\"}\nbudget: {iterations: 10}\n", 1, "diverged",
                  "step size eta = inf at k = 3");
    expect_reason("method: {eta: \"0.1*(k<3)\"}\nbudget: {iterations: 10}\n", 1, "diverged",
                  "step size eta = 0 at k = 3");
    expect_reason("budget: {iterations: 10, diverge_above: 1e-9}\n", 1, "diverged",
                  "above budget.diverge_above = 1e-09 at k = 0");
    /* Newton-Schulz coefficients so large that the iterates overflow on a
     * finite input: the sharp fails, the run is step_failed (not diverged) */
    expect_reason("method: {norm: spectral, lmo: {solver: newton_schulz, coefficients: "
                  "[[1e200, 0, 0], [1e200, 0, 0]]}}\nbudget: {iterations: 10}\n",
                  1, "step_failed",
                  "the step at k = 0 failed: spectral sharp of block 1 (4 x 3): Newton-Schulz "
                  "iterates overflowed on a finite input (coefficients too large for float64?)");
    /* the same coefficients 1e100 apart do not overflow: the run goes through */
    expect_reason("method: {norm: spectral, lmo: {solver: newton_schulz, coefficients: "
                  "[[1e100, 0, 0], [1e-100, 0, 0]]}}\nbudget: {iterations: 10}\n",
                  0, "done", "ran its 10 iterations");
}
END_TEST

START_TEST(divergence_at_k0_keeps_figures_drawable)
{
    if (!ntr_gnuplot_available(NULL)) {
        printf("test_stop_reasons: gnuplot not installed: figure part skipped\n");
        return;
    }
    ts_scratch s = ts_scratch_new("name: d\nproblem: {shape: [4, 3], samples: 8}\n"
                                  "budget: {iterations: 20, diverge_above: 1e-9}\n"
                                  "sweep: {method.norm: [spectral, euclidean]}\n");
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out);
    ck_assert_msg(r.code == 1, "exit %d: %s", r.code, r.err); /* diverged cells */
    ck_assert_msg(!strstr(r.err, "gnuplot failed"), "%s", r.err);
    ts_result_free(&r);
    ck_assert(ts_run_bin(&r, "ntr-plot", out, (const char *)NULL) == 0);
    ck_assert_msg(r.code == 0, "ntr-plot: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stop_reasons");
    TCase *tc = tcase_create("stop_reasons");
    tcase_set_timeout(tc, 120); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, every_stop_has_a_reason);
    tcase_add_test(tc, divergence_at_k0_keeps_figures_drawable);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

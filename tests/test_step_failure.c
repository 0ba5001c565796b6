/* test_step_failure.c: a step that cannot be computed ends the run with a
 * reason (run/run_loop.c, methods/method.h, norms/norm.h).
 *
 * The runs are prepared from a config as ntr-run would, with the norm
 * replaced by a test-only type: the euclidean norm whose sharp fails at a
 * chosen call, either as a solver failing on a finite input
 * (NTR_SHARP_FAILED: status step_failed) or as a sharp handed a NaN
 * (NTR_SHARP_NONFINITE: status diverged).  Production code has no switch
 * for this; the real failure end to end (Newton-Schulz iterates that
 * overflow) is in test_stop_reasons.  Checked: the status, k and the
 * reason; the row at k is in the trajectory (also between logged rows);
 * the oracle call of the failed step is not counted; no state is saved
 * for a continuation; osgdm's failed start (its sharp of g0) ends the run
 * at k = 0. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/plan.h"
#include "norms/norm.h"
#include "run/runner.h"
#include "support.h"

/* The test norm: fail_at counts sharp calls (1 = the first); 0 never. */
static long calls, fail_at;
static int fail_code;

static int flaky_sharp(const double *g, double *out, size_t rows, size_t cols, void *state,
                       ntr_error *err)
{
    if (++calls != fail_at)
        return ntr_norm_euclidean.sharp(g, out, rows, cols, state, err);
    size_t n = rows * cols;
    if (fail_code == NTR_SHARP_FAILED)
        return ntr_norm_sharp_failed(g, out, n, "a failure the test asked for", err);
    double bad[64];
    ck_assert_uint_le(n, 64);
    memcpy(bad, g, n * sizeof *g);
    bad[n - 1] = NAN;
    return ntr_norm_sharp_failed(bad, out, n, "unused", err);
}

static ntr_norm_type flaky;

static const char yaml[] = "name: fail\n"
                           "seed: 4\n"
                           "problem: {type: least_squares, shape: [4, 3], samples: 8}\n"
                           "noise: {type: gaussian, sigma: 0.1}\n"
                           "method: {name: %s, eta: 0.05, alpha: 0.2, m0: sample}\n"
                           "budget: {iterations: 40}\n"
                           "log: {every: 100}\n";

typedef struct outcome {
    ntr_run_result res;
    char last_row[512];  /* the trajectory's last line */
    int state_saved;     /* ntr_run_save_state wrote a file */
} outcome;

static void run_flaky(const char *method, long at, int code, outcome *o)
{
    flaky = ntr_norm_euclidean;
    flaky.name = "flaky";
    flaky.sharp = flaky_sharp;
    calls = 0;
    fail_at = at;
    fail_code = code;
    char *dir = ts_tmpdir();
    char *path = ts_path("%s/fail.yaml", dir), *state = ts_path("%s/state.bin", dir);
    char *text = ts_path(yaml, method);
    ck_assert_int_eq(ts_write_file(path, text), 0);
    ntr_plan *plan = NULL;
    ntr_error err = {0};
    ck_assert_msg(ntr_plan_load(path, NULL, 0, &plan, &err) == 0, "%s", err.msg);
    ntr_settings s = plan->cells[0].s;
    s.norm = &flaky;
    ntr_run *run = NULL;
    ck_assert_msg(ntr_run_prepare(&s, plan->cells[0].run_seed, plan->cells[0].init_seed, &run,
                                  &err) == 0,
                  "%s", err.msg);
    FILE *traj = tmpfile();
    ck_assert_ptr_nonnull(traj);
    ck_assert_msg(ntr_run_execute(run, traj, NULL, NULL, &o->res, &err) == 0, "%s", err.msg);
    rewind(traj);
    char line[512];
    o->last_row[0] = '\0';
    while (fgets(line, sizeof line, traj))
        memcpy(o->last_row, line, sizeof line);
    fclose(traj);
    ck_assert_int_eq(ntr_run_save_state(run, state, &err), 0);
    o->state_saved = access(state, F_OK) == 0;
    ntr_run_free(run);
    ntr_plan_free(plan);
    free(text);
    free(state);
    free(path);
    ts_rmtree(dir);
    free(dir);
}

/* The cost column of a trajectory row "k,sfo,...". */
static long row_sfo(const char *row)
{
    const char *comma = strchr(row, ',');
    ck_assert_ptr_nonnull(comma);
    return strtol(comma + 1, NULL, 10);
}

START_TEST(failed_sharp_is_step_failed)
{
    outcome o;
    run_flaky("ntr", 6, NTR_SHARP_FAILED, &o); /* ntr's step k takes sharp call k + 1 */
    ck_assert_int_eq(o.res.status, NTR_STATUS_STEP_FAILED);
    ck_assert_int_eq(o.res.iterations, 5);
    ck_assert_msg(strstr(o.res.reason, "the step at k = 5 failed: flaky sharp of block 1 "
                                       "(4 x 3): a failure the test asked for") != NULL,
                  "reason '%s'", o.res.reason);
    ck_assert_msg(strncmp(o.last_row, "5,", 2) == 0, "last row '%s'", o.last_row);
    ck_assert_int_eq(row_sfo(o.last_row), o.res.sfo);
    ck_assert_int_eq(o.res.sfo, 6); /* g0 and the steps 0..4, not the failed one */
    ck_assert(!o.state_saved);
    /* the same run without the failure goes through: the status comes
     * from the failure, not from the setting */
    run_flaky("ntr", 0, NTR_SHARP_FAILED, &o);
    ck_assert_int_eq(o.res.status, NTR_STATUS_DONE);
    ck_assert_int_eq(o.res.iterations, 40);
    ck_assert(o.state_saved);
}
END_TEST

START_TEST(nonfinite_sharp_input_is_diverged)
{
    outcome o;
    run_flaky("ntr", 6, NTR_SHARP_NONFINITE, &o);
    ck_assert_int_eq(o.res.status, NTR_STATUS_DIVERGED);
    ck_assert_int_eq(o.res.iterations, 5);
    ck_assert_msg(strstr(o.res.reason, "non-finite values in the step at k = 5: flaky sharp of "
                                       "block 1 (4 x 3): its input holds a NaN or an "
                                       "infinity") != NULL,
                  "reason '%s'", o.res.reason);
    ck_assert_msg(strncmp(o.last_row, "5,", 2) == 0, "last row '%s'", o.last_row);
    ck_assert(!o.state_saved);
}
END_TEST

START_TEST(failed_start_ends_at_k0)
{
    outcome o;
    run_flaky("osgdm", 1, NTR_SHARP_FAILED, &o); /* osgdm's start takes the sharp of g0 */
    ck_assert_int_eq(o.res.status, NTR_STATUS_STEP_FAILED);
    ck_assert_int_eq(o.res.iterations, 0);
    ck_assert_msg(strstr(o.res.reason, "the step at k = 0 failed") != NULL, "reason '%s'",
                  o.res.reason);
    ck_assert_msg(strncmp(o.last_row, "0,1,", 4) == 0, "last row '%s'", o.last_row);
    ck_assert(!o.state_saved);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("step_failure");
    TCase *tc = tcase_create("step_failure");
    tcase_set_timeout(tc, 60); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, failed_sharp_is_step_failed);
    tcase_add_test(tc, nonfinite_sharp_input_is_diverged);
    tcase_add_test(tc, failed_start_ends_at_k0);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

/* test_api.c: the public API of ntr/ntr.h (src/api/): running one cell
 * from config text, in memory or into a result folder, gives the rows
 * ntr-run writes; a config of several cells, another API version, bad
 * text and missing arguments are refused with the error's accessors
 * telling why and where; the public structs keep the layout of their
 * API version. */
#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntr/ntr.h"
#include "support.h"

static const char cell_yaml[] = "name: api\n"
                                "seed: 4\n"
                                "problem: {type: least_squares, shape: [5, 3], samples: 10}\n"
                                "noise: {type: gaussian, sigma: 0.1}\n"
                                "method: {name: ntr, norm: spectral, eta: 0.05, alpha: 0.2}\n"
                                "budget: {iterations: 80, targets: [1.0]}\n"
                                "log: {every: 10}\n";

/* t holds exactly the rows of the trajectory.csv at path. */
static void assert_same_as_file(const ntr_trajectory *t, const char *path)
{
    char *text = ts_read_file(path, NULL);
    ck_assert_ptr_nonnull(text);
    char *lines[512];
    int n = ts_split_lines(text, lines, 512);
    ck_assert_int_eq((int)ntr_trajectory_rows(t), n - 1);
    for (size_t j = 0; j < ntr_trajectory_columns(t); j++) {
        char name[64];
        ck_assert_int_eq(ts_csv_field(lines[0], (int)j, name, sizeof name), 0);
        ck_assert_str_eq(ntr_trajectory_column_name(t, j), name);
        ck_assert_int_eq(ntr_trajectory_column_index(t, name), (long)j);
        for (int i = 1; i < n; i++) {
            char field[64];
            ck_assert_int_eq(ts_csv_field(lines[i], (int)j, field, sizeof field), 0);
            double want = field[0] ? strtod(field, NULL) : NAN;
            double got = ntr_trajectory_value(t, (size_t)i - 1, j);
            ck_assert_msg(got == want || (isnan(got) && isnan(want)), "row %d %s: %.17g != %s",
                          i, name, got, field);
        }
    }
    ck_assert_int_eq(ntr_trajectory_column_index(t, "no_such_column"), -1);
    free(text);
}

START_TEST(in_memory_matches_ntr_run)
{
    ts_scratch s = ts_scratch_new(cell_yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot");
    ck_assert_int_eq(r.code, 0);
    ts_result_free(&r);

    ntr_error *err = ntr_error_new();
    ntr_trajectory *t = NULL;
    ck_assert_msg(ntr_run_cell(cell_yaml, s.dir, NULL, &t, err) == 0, "%s",
                  ntr_error_message(err));
    ck_assert_int_eq(ntr_error_get_kind(err), NTR_E_NONE);
    char *path = ts_path("%s/cells/%s/trajectory.csv", out, ntr_trajectory_hash(t));
    ck_assert_msg(ts_exists(path), "no cell %s in ntr-run's folder", ntr_trajectory_hash(t));
    assert_same_as_file(t, path);
    ck_assert_int_eq(ntr_trajectory_rows(t), 9); /* k = 0, 10, ..., 80 */
    ck_assert_str_eq(ntr_trajectory_status(t), "done");
    ntr_trajectory_free(t);
    ntr_error_free(err);
    free(path);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(result_folder_like_ntr_run)
{
    ts_scratch s = ts_scratch_new(cell_yaml);
    char *out = ts_path("%s/out", s.dir), *ref = ts_path("%s/ref", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", ref, "--no-plot");
    ck_assert_int_eq(r.code, 0);
    ts_result_free(&r);
    ntr_error *err = ntr_error_new();
    ntr_trajectory *t = NULL;
    ck_assert_msg(ntr_run_cell(cell_yaml, s.dir, out, &t, err) == 0, "%s",
                  ntr_error_message(err));
    const char *files[] = {"config.yaml", "summary.csv", "trajectory.csv", "summary.json"};
    for (int i = 0; i < 4; i++) {
        char *a = i < 2 ? ts_path("%s/%s", out, files[i])
                        : ts_path("%s/cells/%s/%s", out, ntr_trajectory_hash(t), files[i]);
        char *b = i < 2 ? ts_path("%s/%s", ref, files[i])
                        : ts_path("%s/cells/%s/%s", ref, ntr_trajectory_hash(t), files[i]);
        ck_assert_msg(ts_exists(a), "no %s", a);
        if (i == 2) /* summary.csv and summary.json hold wall times */
            ck_assert_msg(ts_files_equal(a, b), "%s differs from ntr-run's", files[i]);
        free(a);
        free(b);
    }
    char *path = ts_path("%s/cells/%s/trajectory.csv", out, ntr_trajectory_hash(t));
    assert_same_as_file(t, path);
    ntr_trajectory_free(t);
    /* a second call resumes the folder: the cell is not run again */
    ck_assert_int_eq(ntr_run_cell(cell_yaml, s.dir, out, NULL, err), 0);
    ntr_error_free(err);
    free(path);
    free(out);
    free(ref);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(refusals)
{
    ntr_error *err = ntr_error_new();
    ntr_trajectory *t = (ntr_trajectory *)&t; /* must come back NULL */
    char *sweep = ts_path("%ssweep:\n  method.norm: [spectral, linf]\n", cell_yaml);
    ck_assert_int_eq(ntr_run_cell(sweep, NULL, NULL, &t, err), -1);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(ntr_error_exit_code(err), 2);
    ck_assert_ptr_nonnull(strstr(ntr_error_message(err), "describes 2"));
    free(sweep);

    ck_assert_int_eq(ntr_run_cell_checked(NTR_API_VERSION + 1, cell_yaml, NULL, NULL, &t, err),
                     -1);
    ck_assert_ptr_nonnull(strstr(ntr_error_message(err), "API version"));
    ck_assert_int_eq(ntr_api_version(), NTR_API_VERSION);

    ck_assert_int_eq(ntr_run_cell(cell_yaml, NULL, NULL, NULL, err), -1);
    ck_assert_int_eq(ntr_run_cell(NULL, NULL, NULL, &t, err), -1);

    /* bad text: the error names the place in it */
    ck_assert_int_eq(ntr_run_cell("seed: 1\nmethod: {norm: spectrall}\n", NULL, NULL, &t, err),
                     -1);
    ck_assert_int_eq(ntr_error_get_kind(err), NTR_E_INPUT);
    ck_assert_str_eq(ntr_error_file(err), "config");
    ck_assert_int_eq(ntr_error_line(err), 2);
    ck_assert_int_eq(ntr_error_column(err), 16);
    ck_assert_ptr_nonnull(strstr(ntr_error_message(err), "spectral"));
    ntr_error_free(err);
}
END_TEST

/* A plug-in built against a header reads and fills the public structs
 * as that header lays them out; ntr checks only api_version.  So any change
 * to their layout must bump NTR_API_VERSION: this records the layout of
 * version 2 (LP64) and fails when it moves without a new version (then
 * bump the version and record the new layout here).  Version 2 kept
 * version 1's layout: it changed what smoothness() and
 * hessian_lipschitz() receive (the norm's id, not its name), and
 * ntr_norm_id's values are recorded below too. */
START_TEST(public_layout_matches_the_version)
{
    const char *bump = "the public structs changed: bump NTR_API_VERSION and record the layout";
    ck_assert_msg(NTR_API_VERSION == 2, "record the layout of API version %d here",
                  NTR_API_VERSION);
    const size_t seen[] = {
        sizeof(ntr_pos),
        sizeof(ntr_layout),
        sizeof(ntr_problem_env),
        offsetof(ntr_problem_env, data_rng),
        sizeof(ntr_problem),
        offsetof(ntr_problem, L_frob),
        offsetof(ntr_problem, data),
        sizeof(ntr_problem_type),
        offsetof(ntr_problem_type, name),
        offsetof(ntr_problem_type, keys),
        offsetof(ntr_problem_type, file_keys),
        offsetof(ntr_problem_type, create),
        offsetof(ntr_problem_type, grad),
        offsetof(ntr_problem_type, hessian_lipschitz),
        sizeof(ntr_norm_id),
        NTR_NORM_OTHER,
        NTR_NORM_EUCLIDEAN,
        NTR_NORM_ROWNORM,
    };
    const size_t v2[] = {16, 400, 424, 416, 464, 432, 456, 104, 8, 32, 40, 48, 72, 96, 4, 0, 1, 6};
    ck_assert_int_eq(sizeof seen / sizeof *seen, sizeof v2 / sizeof *v2);
    for (size_t i = 0; i < sizeof v2 / sizeof *v2; i++)
        ck_assert_msg(seen[i] == v2[i], "%s (entry %zu: %zu, version 2 has %zu)", bump, i,
                      seen[i], v2[i]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("api");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, in_memory_matches_ntr_run);
    tcase_add_test(tc, result_folder_like_ntr_run);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, public_layout_matches_the_version);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

/* test_inputs.c: the content of data files is part of a cell's identity
 * (src/config/inputs.h), end to end through the ntr-run in $NTR_BIN.
 *
 * A data file edited between a run and its resume, or between two shards,
 * is refused (exit 2) with a message naming the file and nothing written;
 * --force-new starts a new folder instead.  The cell hash changes with the
 * content (not only the path).  The config.yaml saved in a result folder
 * runs from there (data_dir) and records each file's content hash; a
 * recorded hash that no longer matches is an error at its position.  A
 * comment added to the saved config.yaml changes nothing.  A data file
 * above --max-data is refused at its key. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "support.h"

static const char ls_yaml[] = "name: data\n"
                              "problem: {A: a.csv, B: b.csv}\n"
                              "method: {eta: 0.05}\n"
                              "budget: {iterations: 20}\n"
                              "log: {every: 5}\n"
                              "sweep: {method.norm: [spectral, euclidean]}\n";

static const char a_csv[] = "1,2\n3,4\n5,6\n";
static const char a_csv_edited[] = "1,2\n3,4\n5,6.5\n";

/* A scratch folder with the config and its two data files. */
static ts_scratch data_scratch(void)
{
    ts_scratch s = ts_scratch_new(ls_yaml);
    char *a = ts_path("%s/a.csv", s.dir), *b = ts_path("%s/b.csv", s.dir);
    ck_assert_int_eq(ts_write_file(a, a_csv), 0);
    ck_assert_int_eq(ts_write_file(b, "1\n0\n-1\n"), 0);
    free(a);
    free(b);
    return s;
}

static void edit_a(const ts_scratch *s, const char *text)
{
    char *a = ts_path("%s/a.csv", s->dir);
    ck_assert_int_eq(ts_write_file(a, text), 0);
    free(a);
}

START_TEST(cell_hash_follows_the_content)
{
    ts_scratch s = data_scratch();
    ntr_plan *p = ts_plan_of(s.config);
    char before[17];
    memcpy(before, p->cells[0].hash, sizeof before);
    ck_assert_int_eq(p->cells[0].s.inputs.n, 2);
    ck_assert_str_eq(p->cells[0].s.inputs.item[0].key, "problem.A");
    ntr_plan_free(p);
    edit_a(&s, a_csv_edited);
    p = ts_plan_of(s.config);
    ck_assert_msg(strcmp(before, p->cells[0].hash) != 0, "same hash after the content changed");
    ntr_plan_free(p);
    edit_a(&s, a_csv);
    p = ts_plan_of(s.config);
    ck_assert_str_eq(before, p->cells[0].hash);
    ntr_plan_free(p);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(changed_data_refused_on_resume)
{
    ts_scratch s = data_scratch();
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    char *before = ts_tree_snapshot(out);
    edit_a(&s, a_csv_edited);
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q");
    ck_assert_msg(r.code == 2, "exit %d: %s", r.code, r.err);
    ck_assert_msg(strstr(r.err, "a.csv") && strstr(r.err, "data changed"), "%s", r.err);
    ck_assert_msg(!strstr(r.err, "b.csv"), "unchanged file named: %s", r.err);
    ts_result_free(&r);
    char *after = ts_tree_snapshot(out);
    ck_assert_str_eq(before, after);
    free(after);
    /* --collect too: the folder's cells are of other data */
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q", "--collect");
    ck_assert_msg(r.code == 2, "collect: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    /* --force-new: the old folder moves aside, a new one is made */
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q", "--force-new");
    ck_assert_msg(r.code == 0, "force-new: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    char *aside = ts_path("%s.old.1/config.yaml", out);
    ck_assert(ts_exists(aside));
    free(aside);
    free(before);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(changed_data_refused_between_shards)
{
    ts_scratch s = data_scratch();
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q", "--shard", "1/2");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    edit_a(&s, a_csv_edited);
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q", "--shard", "2/2");
    ck_assert_msg(r.code == 2, "exit %d: %s", r.code, r.err);
    ck_assert_msg(strstr(r.err, "a.csv") != NULL, "%s", r.err);
    ts_result_free(&r);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

/* The saved config runs from the result folder itself (data_dir), resumes
 * the folder untouched (a comment added to it changes nothing), and its
 * recorded hashes are checked. */
START_TEST(saved_config_runs_from_the_folder)
{
    ts_scratch s = data_scratch();
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    char *cfg = ts_path("%s/config.yaml", out);
    char *text = ts_read_file(cfg, NULL);
    ck_assert_ptr_nonnull(text);
    ck_assert_msg(strstr(text, "\ndata_dir: ") && strstr(text, "\ninputs:\n  a.csv: \""), "%s",
                  text);
    /* a comment in the saved config is not a difference */
    char *commented = ts_path("# my note on this run\n%s", text);
    ck_assert_int_eq(ts_write_file(cfg, commented), 0);
    char *cells = ts_path("%s/cells", out);
    char *before = ts_tree_snapshot(cells);
    ck_assert_ptr_nonnull(before);
    NTR_RUN(r, cfg, "-o", out, "--no-plot", "-q");
    ck_assert_msg(r.code == 0, "saved config: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q");
    ck_assert_msg(r.code == 0, "comment: exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    /* nothing ran again: the cells are untouched */
    char *after = ts_tree_snapshot(cells);
    ck_assert_ptr_nonnull(after);
    ck_assert_str_eq(before, after);
    free(after);
    free(cells);
    /* the recorded hash is checked where it is written */
    edit_a(&s, a_csv_edited);
    char *other = ts_path("%s/other", s.dir);
    NTR_RUN(r, cfg, "-o", other, "--no-plot", "-q");
    ck_assert_msg(r.code == 2, "exit %d: %s", r.code, r.err);
    char *prefix = ts_path("%s:", cfg);
    ck_assert_msg(strncmp(r.err, prefix, strlen(prefix)) == 0 &&
                      strstr(r.err, "a.csv has changed"),
                  "%s", r.err);
    ck_assert(!ts_exists(other));
    ts_result_free(&r);
    free(prefix);
    free(other);
    free(before);
    free(commented);
    free(text);
    free(cfg);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

/* A data file above --max-data is refused at its key, before anything is
 * read or written; "none" lifts the limit; a bad size is a usage error. */
START_TEST(data_file_limit)
{
    ts_scratch s = data_scratch();
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q", "--max-data", "8");
    ck_assert_msg(r.code == 2, "exit %d: %s", r.code, r.err);
    char *prefix = ts_path("%s:2:14: problem.A: ", s.config);
    ck_assert_msg(strncmp(r.err, prefix, strlen(prefix)) == 0, "%s", r.err);
    ck_assert_msg(strstr(r.err, "above the data-file limit of 8 bytes") &&
                      strstr(r.err, "--max-data"),
                  "%s", r.err);
    ck_assert(!ts_exists(out));
    ts_result_free(&r);
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q", "--max-data", "12x");
    ck_assert_int_eq(r.code, 2);
    ck_assert_msg(strstr(r.err, "--max-data takes a size"), "%s", r.err);
    ts_result_free(&r);
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q", "--max-data", "none");
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    ts_result_free(&r);
    free(prefix);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("inputs");
    TCase *tc = tcase_create("inputs");
    tcase_set_timeout(tc, 120); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, cell_hash_follows_the_content);
    tcase_add_test(tc, changed_data_refused_on_resume);
    tcase_add_test(tc, changed_data_refused_between_shards);
    tcase_add_test(tc, saved_config_runs_from_the_folder);
    tcase_add_test(tc, data_file_limit);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

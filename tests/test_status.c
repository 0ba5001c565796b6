/* test_status.c: the status enum and its names (src/base/status.h).
 *
 * Names parse back to their status; the old name `budget` reads as
 * not_reached; unknown names are refused.  End to end: a run whose cells
 * miss their targets writes not_reached everywhere (summary.json,
 * summary.csv, manifest.json, the summary line); a folder written before
 * the rename (statuses `budget`) resumes without rerunning a cell and
 * reports not_reached. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/plan.h"
#include "base/status.h"
#include "support.h"

static const char yaml[] =
    "name: status\n"
    "seed: 2\n"
    "problem: {type: least_squares, shape: [4, 3], samples: 8}\n"
    "noise: {type: gaussian, sigma: 0.1}\n"
    "method: {name: ntr, eta: 0.05, alpha: 0.2}\n"
    "budget: {iterations: 30, targets: [1e-9]}\n"
    "log: {every: 10}\n"
    "sweep: {method.norm: [spectral, euclidean]}\n";

START_TEST(names_parse_back)
{
    for (int i = 0; i < NTR_STATUS_COUNT; i++) {
        ntr_status s;
        ck_assert_int_eq(ntr_status_parse(ntr_status_names[i], &s), 0);
        ck_assert_int_eq(s, i);
        ck_assert_str_eq(ntr_status_canonical(ntr_status_names[i]), ntr_status_names[i]);
    }
    ck_assert_str_eq(ntr_status_names[NTR_STATUS_NOT_REACHED], "not_reached");
    ntr_status s = NTR_STATUS_DONE;
    ck_assert_int_eq(ntr_status_parse("budget", &s), 0);
    ck_assert_int_eq(s, NTR_STATUS_NOT_REACHED);
    ck_assert_str_eq(ntr_status_canonical("budget"), "not_reached");
    ck_assert_int_eq(ntr_status_parse("bugdet", &s), -1);
    ck_assert_int_eq(ntr_status_parse(NULL, &s), -1);
    ck_assert_str_eq(ntr_status_canonical("odd"), "odd");
    ck_assert(ntr_status_is_final(NTR_STATUS_NOT_REACHED));
    ck_assert(ntr_status_is_final(NTR_STATUS_DIVERGED));
    ck_assert(!ntr_status_is_final(NTR_STATUS_INTERRUPTED));
    ck_assert(!ntr_status_is_final(NTR_STATUS_PENDING));
}
END_TEST

/* Replace every occurrence of `from` by `to` (same length or shorter) in a
 * file. */
static void rewrite(const char *path, const char *from, const char *to)
{
    char *t = ts_read_file(path, NULL);
    ck_assert_ptr_nonnull(t);
    size_t nf = strlen(from), nt = strlen(to);
    ck_assert_uint_le(nt, nf);
    char *out = malloc(strlen(t) + 1), *o = out;
    for (const char *c = t; *c;) {
        if (strncmp(c, from, nf) == 0) {
            memcpy(o, to, nt);
            o += nt;
            c += nf;
        } else {
            *o++ = *c++;
        }
    }
    *o = '\0';
    ck_assert_int_eq(ts_write_file(path, out), 0);
    free(out);
    free(t);
}

START_TEST(not_reached_everywhere_and_old_name_read)
{
    ts_scratch s = ts_scratch_new(yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "2 cells: 0 done, 0 target, 2 not_reached, 0 diverged"));
    ts_result_free(&r);
    ntr_plan *p = ts_plan_of(s.config);
    char *csv_path = ts_path("%s/summary.csv", out), *man_path = ts_path("%s/manifest.json", out);
    char *csv = ts_read_file(csv_path, NULL), *man = ts_read_file(man_path, NULL);
    ck_assert_ptr_nonnull(strstr(csv, ",not_reached,"));
    ck_assert_ptr_null(strstr(csv, ",budget,")); /* the old status name */
    ck_assert_ptr_nonnull(strstr(man, "\"not_reached\": 2"));
    free(csv);
    free(man);

    /* The folder as an older ntr wrote it. */
    struct stat before[2], after;
    for (size_t c = 0; c < p->ncells; c++) {
        char *js = ts_path("%s/cells/%s/summary.json", out, p->cells[c].hash);
        rewrite(js, "\"not_reached\"", "\"budget\"");
        char *t = ts_read_file(js, NULL);
        ck_assert_ptr_nonnull(strstr(t, "\"status\": \"budget\""));
        free(t);
        char *tr = ts_path("%s/cells/%s/trajectory.csv", out, p->cells[c].hash);
        ck_assert_int_eq(stat(tr, &before[c]), 0);
        free(tr);
        free(js);
    }
    NTR_RUN(r, s.config, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "2 not_reached"));
    ts_result_free(&r);
    for (size_t c = 0; c < p->ncells; c++) {
        char *tr = ts_path("%s/cells/%s/trajectory.csv", out, p->cells[c].hash);
        ck_assert_int_eq(stat(tr, &after), 0);
        ck_assert_msg(after.st_ino == before[c].st_ino &&
                          after.st_mtim.tv_nsec == before[c].st_mtim.tv_nsec,
                      "cell %s was rerun", p->cells[c].hash);
        free(tr);
    }
    csv = ts_read_file(csv_path, NULL);
    man = ts_read_file(man_path, NULL);
    ck_assert_ptr_nonnull(strstr(csv, ",not_reached,"));
    ck_assert_ptr_nonnull(strstr(man, "\"not_reached\": 2"));
    free(csv);
    free(man);
    free(csv_path);
    free(man_path);
    ntr_plan_free(p);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

static Suite *status_suite(void)
{
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("status");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, names_parse_back);
    tcase_add_test(tc, not_reached_everywhere_and_old_name_read);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ts_run_suite(status_suite()); }

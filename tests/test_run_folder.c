/* test_run_folder.c: ntr-run end to end on a result folder, through the
 * binary in $NTR_BIN.
 *
 * A tiny sweep (4 cells, 50 iterations each) must write every file of
 * SPEC section 3 with the exact trajectory columns; two runs give
 * byte-identical deterministic files; a second run resumes without
 * touching finished cells; a changed config on a used folder is refused
 * (exit 2) naming the key; a diverging cell is recorded as such while the
 * others complete (exit 1). */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/plan.h"
#include "support.h"

static const char tiny_yaml[] =
    "# a tiny sweep for the end-to-end tests\n"
    "name: tiny\n"
    "seed: 3\n"
    "problem:\n"
    "  type: least_squares\n"
    "  shape: [4, 3]\n"
    "  samples: 8\n"
    "noise: {type: gaussian, sigma: 0.1, batch: 1}\n"
    "method: {name: ntr, eta: 0.05, alpha: 0.2}\n"
    "budget: {iterations: 50, targets: [1.0, 0.1]}\n"
    "log: {every: 10}\n"
    "sweep:\n"
    "  method.norm: [spectral, euclidean]\n"
    "seeds: 2\n";

static const char traj_header[] =
    "k,sfo,f,gap,grad_dual,grad_l2,min_grad_dual,avg_grad_dual,x_norm,x_fro,mom_err,grad_l1";

/* Number of entries of a folder (without . and ..); fails on any leftover
 * temporary file (name containing ".tmp."). */
static int count_entries(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        ck_assert_msg(!strstr(e->d_name, ".tmp."), "temporary file left: %s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

/* Field idx of a CSV line into buf. */
static void field_of(const char *line, int idx, char *buf, size_t size)
{
    ck_assert_msg(ts_csv_field(line, idx, buf, size) == 0, "no field %d in '%.200s'", idx, line);
}

/* summary.json text without its "timing" object (and the comma before it). */
static char *without_timing(const char *json)
{
    const char *t = strstr(json, "\"timing\"");
    ck_assert_msg(t != NULL, "summary.json has no timing object");
    const char *close = strchr(t, '}');
    ck_assert_ptr_nonnull(close);
    const char *start = t;
    while (start > json && (start[-1] == ' ' || start[-1] == '\n'))
        start--;
    if (start > json && start[-1] == ',')
        start--;
    size_t head = (size_t)(start - json);
    char *out = ts_path("%.*s%s", (int)head, json, close + 1);
    ck_assert_ptr_nonnull(out);
    ck_assert_msg(!strstr(out, "wall_s") && !strstr(out, "time_s"),
                  "wall time outside the timing object");
    return out;
}

static char *cell_file(const char *out, const char *hash, const char *name)
{
    return ts_path("%s/cells/%s/%s", out, hash, name);
}

/* Check one cell folder: three files, the exact trajectory header, rows
 * at k = 0, 10, ..., 50 with sfo = k + 1 (m0 sample, batch 1), and a
 * timing.csv with the same k column. */
static void check_cell(const char *out, const char *hash)
{
    char *dir = ts_path("%s/cells/%s", out, hash);
    ck_assert_int_eq(count_entries(dir), 4); /* and state.bin */
    char *tp = cell_file(out, hash, "trajectory.csv");
    char *mp = cell_file(out, hash, "timing.csv");
    char *sp = cell_file(out, hash, "summary.json");
    char *traj = ts_read_file(tp, NULL), *timing = ts_read_file(mp, NULL);
    char *summary = ts_read_file(sp, NULL);
    ck_assert_ptr_nonnull(traj);
    ck_assert_ptr_nonnull(timing);
    ck_assert_ptr_nonnull(summary);
    ck_assert_ptr_nonnull(strstr(summary, "\"status\": \"not_reached\""));
    ck_assert_ptr_nonnull(strstr(summary, hash));
    char *tl[64], *ml[64];
    int nt = ts_split_lines(traj, tl, 64), nm = ts_split_lines(timing, ml, 64);
    ck_assert_str_eq(tl[0], traj_header);
    ck_assert_str_eq(ml[0], "k,time_s");
    ck_assert_int_eq(nt, 7);
    ck_assert_int_eq(nm, 7);
    for (int r = 1; r < nt; r++) {
        long k, sfo;
        int used = 0;
        ck_assert_int_eq(sscanf(tl[r], "%ld,%ld,%n", &k, &sfo, &used), 2);
        ck_assert_int_eq(k, 10L * (r - 1));
        ck_assert_int_eq(sfo, k + 1);
        int commas = 0;
        for (const char *c = tl[r]; *c; c++)
            commas += *c == ',';
        ck_assert_int_eq(commas, 11);
        long mk;
        ck_assert_int_eq(sscanf(ml[r], "%ld,", &mk), 1);
        ck_assert_int_eq(mk, k);
    }
    free(traj);
    free(timing);
    free(summary);
    free(tp);
    free(mp);
    free(sp);
    free(dir);
}

START_TEST(writes_every_file)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q");
    ck_assert_msg(r.code == 0, "exit %d: %.400s", r.code, r.err);
    ck_assert_str_eq(r.err, "");
    ck_assert_str_eq(r.out, ""); /* -q: nothing but errors */
    const char *top[] = {"config.yaml", "manifest.json", "summary.csv", "cells"};
    for (int i = 0; i < 4; i++) {
        char *p = ts_path("%s/%s", out, top[i]);
        ck_assert_msg(ts_exists(p), "missing %s", top[i]);
        free(p);
    }
    count_entries(out);

    /* One folder per planned cell, named by its hash. */
    ntr_plan *plan = ts_plan_of(s.config);
    ck_assert_uint_eq(plan->ncells, 4);
    char *cells = ts_path("%s/cells", out);
    ck_assert_int_eq(count_entries(cells), 4);
    for (size_t c = 0; c < plan->ncells; c++)
        check_cell(out, plan->cells[c].hash);

    /* summary.csv: a row per cell in plan order, with its hash and status. */
    char *sp = ts_path("%s/summary.csv", out);
    char *csv = ts_read_file(sp, NULL);
    ck_assert_ptr_nonnull(csv);
    char *lines[16];
    ck_assert_int_eq(ts_split_lines(csv, lines, 16), 5);
    int hcol = ts_csv_column(lines[0], "hash"), scol = ts_csv_column(lines[0], "status");
    ck_assert_int_ge(hcol, 0);
    ck_assert_int_ge(scol, 0);
    ck_assert_int_ge(ts_csv_column(lines[0], "method.norm"), 0);
    ck_assert_int_ge(ts_csv_column(lines[0], "wall_s"), 0);
    for (size_t c = 0; c < plan->ncells; c++) {
        char buf[64];
        field_of(lines[c + 1], hcol, buf, sizeof buf);
        ck_assert_str_eq(buf, plan->cells[c].hash);
        field_of(lines[c + 1], scol, buf, sizeof buf);
        ck_assert_str_eq(buf, "not_reached");
    }

    /* manifest.json names every cell; config.yaml is the plan's resolved text. */
    char *mp = ts_path("%s/manifest.json", out);
    char *manifest = ts_read_file(mp, NULL);
    ck_assert_ptr_nonnull(manifest);
    for (size_t c = 0; c < plan->ncells; c++)
        ck_assert_ptr_nonnull(strstr(manifest, plan->cells[c].hash));
    ck_assert_ptr_nonnull(strstr(manifest, "\"version\""));
    char *cp = ts_path("%s/config.yaml", out);
    char *stored = ts_read_file(cp, NULL);
    char *resolved = ntr_plan_yaml(plan);
    ck_assert_ptr_nonnull(stored);
    ck_assert_str_eq(stored, resolved);

    free(stored);
    free(resolved);
    free(cp);
    free(manifest);
    free(mp);
    free(csv);
    free(sp);
    free(cells);
    ntr_plan_free(plan);
    ts_result_free(&r);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(two_runs_are_byte_identical)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *a = ts_path("%s/a", s.dir), *b = ts_path("%s/b", s.dir);
    ts_result ra;
    NTR_RUN(ra, s.config, "-o", a, "--no-plot", "-q");
    ts_result rb;
    NTR_RUN(rb, s.config, "-o", b, "--no-plot", "-q");
    ck_assert_int_eq(ra.code, 0);
    ck_assert_int_eq(rb.code, 0);
    ntr_plan *plan = ts_plan_of(s.config);
    for (size_t c = 0; c < plan->ncells; c++) {
        const char *h = plan->cells[c].hash;
        char *ta = cell_file(a, h, "trajectory.csv"), *tb = cell_file(b, h, "trajectory.csv");
        ck_assert_msg(ts_files_equal(ta, tb), "trajectory.csv of %s differs", h);
        char *ja = cell_file(a, h, "summary.json"), *jb = cell_file(b, h, "summary.json");
        char *xa = ts_read_file(ja, NULL), *xb = ts_read_file(jb, NULL);
        ck_assert_ptr_nonnull(xa);
        ck_assert_ptr_nonnull(xb);
        char *ya = without_timing(xa), *yb = without_timing(xb);
        ck_assert_str_eq(ya, yb);
        free(ya);
        free(yb);
        free(xa);
        free(xb);
        free(ja);
        free(jb);
        free(ta);
        free(tb);
    }
    /* The cells of different seeds or norms really differ. */
    char *t0 = cell_file(a, plan->cells[0].hash, "trajectory.csv");
    char *t1 = cell_file(a, plan->cells[1].hash, "trajectory.csv");
    ck_assert(!ts_files_equal(t0, t1));
    free(t0);
    free(t1);
    char *ca = ts_path("%s/config.yaml", a), *cb = ts_path("%s/config.yaml", b);
    ck_assert(ts_files_equal(ca, cb));
    char *sa = ts_path("%s/summary.csv", a), *sb = ts_path("%s/summary.csv", b);
    char *xa = ts_read_file(sa, NULL), *xb = ts_read_file(sb, NULL);
    char *ya = ts_without_last_column(xa), *yb = ts_without_last_column(xb);
    ck_assert_str_eq(ya, yb);
    free(ya);
    free(yb);
    free(xa);
    free(xb);
    free(sa);
    free(sb);
    free(ca);
    free(cb);
    ntr_plan_free(plan);
    ts_result_free(&ra);
    ts_result_free(&rb);
    free(a);
    free(b);
    ts_scratch_free(&s);
}
END_TEST

/* Identity of a file: inode and modification time. */
typedef struct file_id {
    ino_t ino;
    struct timespec mtime;
} file_id;

static file_id id_of(const char *path)
{
    struct stat st;
    ck_assert_msg(stat(path, &st) == 0, "missing %s", path);
    file_id id = {st.st_ino, st.st_mtim};
    return id;
}

static int same_id(file_id a, file_id b)
{
    return a.ino == b.ino && a.mtime.tv_sec == b.mtime.tv_sec && a.mtime.tv_nsec == b.mtime.tv_nsec;
}

START_TEST(resume_runs_nothing_and_keeps_files)
{
    static const char *const names[] = {"trajectory.csv", "timing.csv", "summary.json"};
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q");
    ck_assert_int_eq(r.code, 0);
    ts_result_free(&r);
    ntr_plan *plan = ts_plan_of(s.config);
    file_id ids[4][3];
    char *copy[4][3];
    for (size_t c = 0; c < 4; c++)
        for (int f = 0; f < 3; f++) {
            char *p = cell_file(out, plan->cells[c].hash, names[f]);
            ids[c][f] = id_of(p);
            copy[c][f] = ts_read_file(p, NULL);
            free(p);
        }
    char *cfg = ts_path("%s/config.yaml", out);
    file_id cfg_id = id_of(cfg);

    /* Everything finished: nothing runs, nothing is rewritten. */
    NTR_RUN(r, s.config, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 0, "exit %d: %.400s", r.code, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "4 cells"));
    ts_result_free(&r);
    for (size_t c = 0; c < 4; c++)
        for (int f = 0; f < 3; f++) {
            char *p = cell_file(out, plan->cells[c].hash, names[f]);
            ck_assert_msg(same_id(ids[c][f], id_of(p)), "%s was rewritten", p);
            free(p);
        }
    ck_assert(same_id(cfg_id, id_of(cfg)));

    /* A cell without summary.json is unfinished: only it runs again, and
     * it comes back identical. */
    char *victim = cell_file(out, plan->cells[2].hash, "summary.json");
    ck_assert_int_eq(unlink(victim), 0);
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q");
    ck_assert_int_eq(r.code, 0);
    ts_result_free(&r);
    for (size_t c = 0; c < 4; c++)
        for (int f = 0; f < 3; f++) {
            char *p = cell_file(out, plan->cells[c].hash, names[f]);
            if (c != 2) {
                ck_assert_msg(same_id(ids[c][f], id_of(p)), "%s was rewritten", p);
            } else {
                ck_assert_msg(!same_id(ids[c][f], id_of(p)), "%s was not rerun", p);
                if (f == 0) {
                    char *now = ts_read_file(p, NULL);
                    ck_assert_str_eq(now, copy[c][f]);
                    free(now);
                }
            }
            free(p);
            free(copy[c][f]);
        }
    free(victim);
    free(cfg);
    ntr_plan_free(plan);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(changed_config_is_refused)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q");
    ck_assert_int_eq(r.code, 0);
    ts_result_free(&r);
    char *cfg = ts_path("%s/config.yaml", out);
    char *before = ts_read_file(cfg, NULL);
    file_id cfg_id = id_of(cfg);
    char *cells = ts_path("%s/cells", out);

    NTR_RUN(r, s.config, "-o", out, "--no-plot", "--set", "method.eta=0.1");
    ck_assert_int_eq(r.code, 2);
    ck_assert_msg(strstr(r.err, "method.eta") != NULL, "no key named: %.400s", r.err);
    ts_result_free(&r);
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "--set", "noise.batch=2");
    ck_assert_int_eq(r.code, 2);
    ck_assert_msg(strstr(r.err, "noise.batch") != NULL, "no key named: %.400s", r.err);
    ck_assert_msg(strstr(r.err, "method.eta") == NULL, "wrong key named: %.400s", r.err);
    ts_result_free(&r);

    /* The folder is as it was: same config, no new cell. */
    char *after = ts_read_file(cfg, NULL);
    ck_assert_str_eq(before, after);
    ck_assert(same_id(cfg_id, id_of(cfg)));
    ck_assert_int_eq(count_entries(cells), 4);
    free(after);
    free(before);
    free(cells);
    free(cfg);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(diverging_cell_is_recorded)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    /* Normalised steps of length 1e9 blow the gradient past diverge_above. */
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-q", "--set",
                          "sweep.method.eta=[0.05, 1e9]");
    ck_assert_msg(r.code == 1, "exit %d: %.400s", r.code, r.err);
    ts_result_free(&r);
    char *sp = ts_path("%s/summary.csv", out);
    char *csv = ts_read_file(sp, NULL);
    ck_assert_ptr_nonnull(csv);
    char *lines[16];
    ck_assert_int_eq(ts_split_lines(csv, lines, 16), 9);
    int ecol = ts_csv_column(lines[0], "method.eta"), scol = ts_csv_column(lines[0], "status");
    int hcol = ts_csv_column(lines[0], "hash");
    ck_assert_int_ge(ecol, 0);
    int diverged = 0, budget = 0;
    for (int i = 1; i < 9; i++) {
        char eta[64], status[32], hash[32];
        field_of(lines[i], ecol, eta, sizeof eta);
        field_of(lines[i], scol, status, sizeof status);
        field_of(lines[i], hcol, hash, sizeof hash);
        int big = strtod(eta, NULL) > 1.0;
        ck_assert_str_eq(status, big ? "diverged" : "not_reached");
        diverged += big;
        budget += !big;
        /* Every cell, diverged or not, is saved whole. */
        char *js = cell_file(out, hash, "summary.json");
        char *json = ts_read_file(js, NULL);
        ck_assert_ptr_nonnull(json);
        char want[64];
        snprintf(want, sizeof want, "\"status\": \"%s\"", status);
        ck_assert_ptr_nonnull(strstr(json, want));
        free(json);
        free(js);
        char *tj = cell_file(out, hash, "trajectory.csv");
        ck_assert(ts_exists(tj));
        free(tj);
    }
    ck_assert_int_eq(diverged, 4);
    ck_assert_int_eq(budget, 4);
    free(csv);
    free(sp);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("run_folder");
    TCase *tc = tcase_create("run_folder");
    tcase_set_timeout(tc, 120); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, writes_every_file);
    tcase_add_test(tc, two_runs_are_byte_identical);
    tcase_add_test(tc, resume_runs_nothing_and_keeps_files);
    tcase_add_test(tc, changed_config_is_refused);
    tcase_add_test(tc, diverging_cell_is_recorded);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

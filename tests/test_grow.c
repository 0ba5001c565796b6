/* test_grow.c: growing an experiment in its result folder (src/run/folder.h,
 * src/run/run_state.c).
 *
 * A sweep grown by one value runs only the new cells (the old files are not
 * rewritten); budget.iterations raised from 1000 to 2000 continues every
 * cell from its state.bin and gives the bytes of a 2000-iteration run
 * (trajectory.csv, state.bin, summary.json without timing, summary.csv
 * without wall_s) for momentum, Nesterov, extrapolation, adamw, m0: zero,
 * minibatch noise, a target stop and a divergence; a config that drops
 * cells is refused naming them, --aside keeps them in aside/ and the old
 * config brings them back without rerunning; a damaged state.bin or a
 * budget-dependent schedule runs the cell from the start; --plan says
 * which cells continue and what they cost. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/plan.h"
#include "run/cost.h"
#include "support.h"

static const char sweep_yaml[] =
    "name: grow\n"
    "seed: 4\n"
    "problem: {type: least_squares, shape: [6, 4], samples: 16}\n"
    "noise: {type: gaussian, sigma: 0.2}\n"
    "method: {name: ntr, eta: 0.02, alpha: 0.1}\n"
    "budget: {iterations: 1000, targets: [0.5, 0.02]}\n"
    "log: {every: log, measure_every: 7}\n"
    "union:\n"
    "  - {method.norm: [spectral, euclidean], method.nesterov: [false, true]}\n"
    "  - {method.extrapolation: [true], method.norm: [linf]}\n"
    "  - {method.name: [adamw], method.norm: [euclidean], method.m0: [zero]}\n"
    "  - {noise.type: [minibatch], method.norm: [spectral]}\n"
    "  - {budget.stop_at_target: [true], budget.targets: [[0.3]]}\n"
    "  - {method.eta: [5.0], budget.diverge_above: [20], method.name: [sgd]}\n"
    "seeds: 2\n";

typedef struct stamp {
    ino_t ino;
    struct timespec mtime;
} stamp;

static stamp stamp_of(const char *path)
{
    struct stat st;
    ck_assert_msg(stat(path, &st) == 0, "no %s", path);
    stamp s = {st.st_ino, st.st_mtim};
    return s;
}

static int same_stamp(stamp a, stamp b)
{
    return a.ino == b.ino && a.mtime.tv_sec == b.mtime.tv_sec &&
           a.mtime.tv_nsec == b.mtime.tv_nsec;
}

static char *cell_path(const char *out, const char *hash, const char *name)
{
    return ts_path("%s/cells/%s/%s", out, hash, name);
}

/* summary.json text without its timing object (the last one). */
static char *json_without_timing(const char *path)
{
    char *t = ts_read_file(path, NULL);
    ck_assert_msg(t != NULL, "no %s", path);
    char *at = strstr(t, ",\n  \"timing\"");
    ck_assert_ptr_nonnull(at);
    *at = '\0';
    return t;
}

static void run_ok(const char *config, const char *out, const char *set1, const char *set2)
{
    ts_result r;
    if (set2)
        NTR_RUN(r, config, "-o", out, "-q", "--no-plot", "--set", set1, "--set", set2);
    else if (set1)
        NTR_RUN(r, config, "-o", out, "-q", "--no-plot", "--set", set1);
    else
        NTR_RUN(r, config, "-o", out, "-q", "--no-plot");
    ck_assert_msg(r.code == 0 || r.code == 1, "ntr-run exit %d: %s", r.code, r.err);
    ts_result_free(&r);
}

/* Every cell of a and b: the same deterministic bytes. */
static void same_results(const char *config, const char *set, const char *a, const char *b)
{
    const char *sets[1] = {set};
    ntr_plan *p;
    ntr_error err;
    ck_assert_msg(ntr_plan_load(config, sets, set ? 1 : 0, &p, &err) == 0, "%s", err.msg);
    for (size_t c = 0; c < p->ncells; c++) {
        const char *h = p->cells[c].hash;
        static const char *const files[] = {"trajectory.csv", "state.bin"};
        for (int f = 0; f < 2; f++) {
            char *x = cell_path(a, h, files[f]), *y = cell_path(b, h, files[f]);
            ck_assert_msg(ts_files_equal(x, y), "%s of cell %s [%s] differs", files[f], h,
                          p->cells[c].group);
            free(x);
            free(y);
        }
        char *x = cell_path(a, h, "summary.json"), *y = cell_path(b, h, "summary.json");
        char *jx = json_without_timing(x), *jy = json_without_timing(y);
        ck_assert_str_eq(jx, jy);
        free(jx);
        free(jy);
        free(x);
        free(y);
    }
    ntr_plan_free(p);
    char *sa = ts_path("%s/summary.csv", a), *sb = ts_path("%s/summary.csv", b);
    char *ta = ts_read_file(sa, NULL), *tb = ts_read_file(sb, NULL);
    char *ca = ts_without_last_column(ta), *cb = ts_without_last_column(tb);
    ck_assert_str_eq(ca, cb);
    free(ca);
    free(cb);
    free(ta);
    free(tb);
    free(sa);
    free(sb);
}

START_TEST(budget_raised_gives_the_bytes_of_the_larger_run)
{
    ts_scratch s = ts_scratch_new(sweep_yaml);
    char *grown = ts_path("%s/grown", s.dir), *fresh = ts_path("%s/fresh", s.dir);
    run_ok(s.config, grown, NULL, NULL);
    /* --plan: every cell continues from k = 1000 (or from where it stopped) */
    ts_result r;
    NTR_RUN(r, s.config, "-o", grown, "--plan", "--set", "budget.iterations=2000");
    ck_assert_int_eq(r.code, 0);
    ck_assert_msg(strstr(r.out, "from k=1000") != NULL, "%s", r.out);
    ck_assert_ptr_null(strstr(r.out, " pending "));
    ts_result_free(&r);
    NTR_RUN(r, s.config, "-o", grown, "--no-plot", "--set", "budget.iterations=2000");
    ck_assert_msg(r.code == 1, "exit %d: %s", r.code, r.err); /* the sgd cells diverge */
    ck_assert_msg(strstr(r.err, "continued with a larger budget") != NULL, "%s", r.err);
    ts_result_free(&r);
    run_ok(s.config, fresh, "budget.iterations=2000", NULL);
    same_results(s.config, "budget.iterations=2000", grown, fresh);
    /* the 1000-iteration cells are kept in aside/ */
    ntr_plan *p = ts_plan_of(s.config);
    for (size_t c = 0; c < p->ncells; c++) {
        char *old = ts_path("%s/aside/%s/trajectory.csv", grown, p->cells[c].hash);
        ck_assert_msg(ts_exists(old), "%s was not kept", old);
        free(old);
    }
    ntr_plan_free(p);
    free(grown);
    free(fresh);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(sweep_grown_runs_only_new_cells)
{
    static const char yaml[] =
        "name: g\nseed: 1\n"
        "problem: {type: least_squares, shape: [4, 3], samples: 8}\n"
        "noise: {type: gaussian, sigma: 0.1}\n"
        "method: {name: ntr, alpha: 0.2}\n"
        "budget: {iterations: 100}\nlog: {every: 20}\n"
        "sweep: {method.eta: [0.01, 0.03]}\nseeds: 2\n";
    ts_scratch s = ts_scratch_new(yaml);
    char *out = ts_path("%s/out", s.dir);
    run_ok(s.config, out, NULL, NULL);
    ntr_plan *p = ts_plan_of(s.config);
    stamp before[4];
    for (size_t c = 0; c < 4; c++) {
        char *t = cell_path(out, p->cells[c].hash, "trajectory.csv");
        before[c] = stamp_of(t);
        free(t);
    }
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "-v", "--set", "sweep.method.eta=[0.01, 0.03, 0.1]");
    ck_assert_msg(r.code == 0, "%s", r.err);
    ck_assert_msg(strstr(r.err, "2 new cells") != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.err, "cell 5/6") && strstr(r.err, "cell 6/6") && !strstr(r.err, "cell 1/6"),
                  "not only the new cells ran: %s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "6 cells: 6 done"));
    ts_result_free(&r);
    for (size_t c = 0; c < 4; c++) {
        char *t = cell_path(out, p->cells[c].hash, "trajectory.csv");
        ck_assert_msg(same_stamp(before[c], stamp_of(t)), "cell %zu was rewritten", c);
        free(t);
    }
    char *cfg = ts_path("%s/config.yaml", out);
    char *text = ts_read_file(cfg, NULL);
    ck_assert_msg(strstr(text, "0.1]") != NULL, "config.yaml not updated: %s", text);
    free(text);
    free(cfg);
    ntr_plan_free(p);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(dropped_cells_are_named_set_aside_and_restored)
{
    static const char yaml[] =
        "name: d\nseed: 1\n"
        "problem: {type: least_squares, shape: [4, 3], samples: 8}\n"
        "noise: {type: gaussian, sigma: 0.1}\n"
        "method: {name: ntr, alpha: 0.2}\n"
        "budget: {iterations: 60}\nlog: {every: 20}\n"
        "sweep: {method.eta: [0.01, 0.03, 0.1]}\n";
    ts_scratch s = ts_scratch_new(yaml);
    char *out = ts_path("%s/out", s.dir);
    run_ok(s.config, out, NULL, NULL);
    ntr_plan *p = ts_plan_of(s.config);
    char *snap = ts_tree_snapshot(out);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "--set", "sweep.method.eta=[0.01]");
    ck_assert_int_eq(r.code, 2);
    ck_assert_msg(strstr(r.err, "sweep.method.eta") && strstr(r.err, "2 of the folder's 3 cells") &&
                      strstr(r.err, "--aside"),
                  "%s", r.err);
    ts_result_free(&r);
    char *snap2 = ts_tree_snapshot(out);
    ck_assert_str_eq(snap, snap2); /* refused: nothing moved or written */
    free(snap2);
    NTR_RUN(r, s.config, "-o", out, "--no-plot", "--aside", "--set", "sweep.method.eta=[0.01]");
    ck_assert_msg(r.code == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "1 cells: 1 done"));
    ts_result_free(&r);
    stamp kept[3];
    for (size_t c = 1; c < 3; c++) {
        char *a = ts_path("%s/aside/%s/trajectory.csv", out, p->cells[c].hash);
        ck_assert_msg(ts_exists(a), "cell %zu not kept aside", c);
        kept[c] = stamp_of(a);
        free(a);
        char *gone = ts_path("%s/cells/%s", out, p->cells[c].hash);
        ck_assert(!ts_exists(gone));
        free(gone);
    }
    /* the old config again: the cells come back, nothing reruns */
    NTR_RUN(r, s.config, "-o", out, "--no-plot");
    ck_assert_msg(r.code == 0, "%s", r.err);
    ck_assert_msg(strstr(r.err, "2 back from aside/"), "%s", r.err);
    ts_result_free(&r);
    for (size_t c = 1; c < 3; c++) {
        char *t = cell_path(out, p->cells[c].hash, "trajectory.csv");
        ck_assert_msg(same_stamp(kept[c], stamp_of(t)), "cell %zu was rerun", c);
        free(t);
    }
    free(snap);
    ntr_plan_free(p);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(damaged_state_or_budget_schedule_runs_from_the_start)
{
    static const char yaml[] =
        "name: s\nseed: 1\n"
        "problem: {type: least_squares, shape: [4, 3], samples: 8}\n"
        "noise: {type: gaussian, sigma: 0.1}\n"
        "method: {name: ntr, eta: 0.02, alpha: 0.2}\n"
        "budget: {iterations: 200}\nlog: {every: 50}\n";
    ts_scratch s = ts_scratch_new(yaml);
    char *a = ts_path("%s/a", s.dir), *b = ts_path("%s/b", s.dir);
    run_ok(s.config, a, NULL, NULL);
    ntr_plan *p = ts_plan_of(s.config);
    char *st = cell_path(a, p->cells[0].hash, "state.bin");
    size_t len;
    char *bytes = ts_read_file(st, &len);
    bytes[len / 2] ^= 0x5a; /* one flipped byte: the checksum fails */
    ck_assert_int_eq(ts_write_bytes(st, bytes, len), 0);
    free(bytes);
    run_ok(s.config, a, "budget.iterations=400", NULL);
    run_ok(s.config, b, "budget.iterations=400", NULL);
    same_results(s.config, "budget.iterations=400", a, b);
    free(st);
    ntr_plan_free(p);

    /* a cosine schedule depends on K: no continuation, the raise drops cells */
    ts_result r;
    char *c = ts_path("%s/c", s.dir);
    run_ok(s.config, c, "method.eta={type: cosine, value: 0.02}", NULL);
    NTR_RUN(r, s.config, "-o", c, "--no-plot", "--set", "method.eta={type: cosine, value: 0.02}",
            "--set", "budget.iterations=400");
    ck_assert_int_eq(r.code, 2);
    ck_assert_msg(strstr(r.err, "budget.iterations"), "%s", r.err);
    ts_result_free(&r);
    free(c);
    free(a);
    free(b);
    ts_scratch_free(&s);
}
END_TEST

/* ntr_run_cost_of counts the trajectory rows a run writes. */
START_TEST(cost_counts_the_rows)
{
    static const char *const logs[] = {"log", "7", "20"};
    static const long budgets[] = {1, 100, 1000};
    for (int l = 0; l < 3; l++)
        for (int b = 0; b < 3; b++) {
            char *yaml = ts_path("name: c\nproblem: {type: least_squares, shape: [3, 2], "
                                 "samples: 4}\nbudget: {iterations: %ld}\nlog: {every: %s, "
                                 "measure_every: 3}\n",
                                 budgets[b], logs[l]);
            ts_scratch s = ts_scratch_new(yaml);
            char *out = ts_path("%s/out", s.dir);
            run_ok(s.config, out, NULL, NULL);
            ntr_plan *p = ts_plan_of(s.config);
            ntr_run_cost cost;
            ntr_run_cost_of(&p->cells[0].s, 0, &cost);
            char *t = cell_path(out, p->cells[0].hash, "trajectory.csv");
            char *text = ts_read_file(t, NULL);
            char *lines[2048];
            int n = ts_split_lines(text, lines, 2048);
            ck_assert_msg(cost.rows == n - 1, "log %s, K %ld: %ld rows planned, %d written",
                          logs[l], budgets[b], cost.rows, n - 1);
            ck_assert_int_eq(cost.iterations, budgets[b]);
            ck_assert_int_eq(cost.sfo, budgets[b] + 1);
            ck_assert_int_ge(cost.gradients, budgets[b] / 3 + 1);
            free(text);
            free(t);
            ntr_plan_free(p);
            free(out);
            ts_scratch_free(&s);
            free(yaml);
        }
}
END_TEST

static Suite *grow_suite(void)
{
    Suite *s = suite_create("grow");
    TCase *tc = tcase_create("grow");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, budget_raised_gives_the_bytes_of_the_larger_run);
    tcase_add_test(tc, sweep_grown_runs_only_new_cells);
    tcase_add_test(tc, dropped_cells_are_named_set_aside_and_restored);
    tcase_add_test(tc, damaged_state_or_budget_schedule_runs_from_the_start);
    tcase_add_test(tc, cost_counts_the_rows);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ts_run_suite(grow_suite()); }

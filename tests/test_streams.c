/* test_streams.c: random streams depend only on the experiment (SPEC
 * section 4).
 *
 * A cell's noise stream is seeded from (seed, replicate, problem, noise,
 * init) only.  So changing a logging, measuring, target, stop or budget key
 * must leave every trajectory row that both runs log byte-identical (the
 * running minimum min_grad_dual and the running mean avg_grad_dual are over
 * the measured iterations: with another measuring grid only those columns
 * may differ); the methods of one
 * replicate share their draws (sgd ignores the norm, so its iterates are
 * the same whatever method.norm is); replicates differ; and a change of the
 * noise or the problem changes the draws. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "support.h"

#define MAX_ROWS 512

/* The base experiment; %s receives the lines that vary. */
static const char base_fmt[] =
    "name: streams\n"
    "seed: 5\n"
    "problem: {type: least_squares, shape: [6, 4], samples: 12}\n"
    "noise: {type: %s, sigma: 0.3, batch: 2}\n"
    "method: {name: ntr, norm: spectral, eta: 0.03, alpha: 0.2}\n"
    "%s";

typedef struct rows {
    char *text;
    char *header;
    char *line[MAX_ROWS];
    long k[MAX_ROWS];
    int n;
} rows;

/* Run the config text (one cell, or the cell at plan index `index`) in a
 * fresh folder and read its trajectory rows. */
static void run_rows(const char *noise, const char *extra, size_t index, rows *out,
                     unsigned long *run_seed)
{
    char *yaml = ts_path(base_fmt, noise, extra);
    ts_scratch sc = ts_scratch_new(yaml);
    char *dir = ts_path("%s/out", sc.dir);
    ts_result r;
    NTR_RUN(r, sc.config, "-o", dir, "-q", "--no-plot");
    ck_assert_msg(r.code == 0, "ntr-run exit %d: %s\nconfig:\n%s", r.code, r.err, yaml);
    ts_result_free(&r);
    ntr_plan *p = ts_plan_of(sc.config);
    ck_assert_uint_lt(index, p->ncells);
    if (run_seed)
        *run_seed = p->cells[index].run_seed;
    char *path = ts_path("%s/cells/%s/trajectory.csv", dir, p->cells[index].hash);
    ntr_plan_free(p);
    out->text = ts_read_file(path, NULL);
    ck_assert_ptr_nonnull(out->text);
    char *all[MAX_ROWS + 1];
    int n = ts_split_lines(out->text, all, MAX_ROWS + 1);
    ck_assert_int_gt(n, 1);
    out->header = all[0];
    out->n = n - 1;
    for (int i = 1; i < n; i++) {
        out->line[i - 1] = all[i];
        out->k[i - 1] = strtol(all[i], NULL, 10);
    }
    free(path);
    free(dir);
    ts_scratch_free(&sc);
    free(yaml);
}

/* The line with the fields of the running statistics over the measured
 * iterations (min_grad_dual, avg_grad_dual) blanked. */
static void without_running(const char *header, const char *line, char *buf, size_t size)
{
    int skip[2] = {ts_csv_column(header, "min_grad_dual"), ts_csv_column(header, "avg_grad_dual")};
    ck_assert_int_ge(skip[0], 0);
    int field = 0;
    size_t j = 0;
    for (const char *c = line; *c && j + 1 < size; c++) {
        if (*c == ',')
            field++;
        if ((field == skip[0] || field == skip[1]) && *c != ',')
            continue;
        buf[j++] = *c;
    }
    buf[j] = '\0';
}

/* Every k logged by both runs has the same row; returns how many. */
static int common_rows_equal(const rows *a, const rows *b, int ignore_min, const char *what)
{
    int common = 0;
    for (int i = 0; i < a->n; i++)
        for (int j = 0; j < b->n; j++) {
            if (a->k[i] != b->k[j])
                continue;
            common++;
            if (ignore_min) {
                char x[1024], y[1024];
                without_running(a->header, a->line[i], x, sizeof x);
                without_running(b->header, b->line[j], y, sizeof y);
                ck_assert_msg(!strcmp(x, y), "%s: row k = %ld differs:\n%s\n%s", what, a->k[i],
                              a->line[i], b->line[j]);
            } else {
                ck_assert_msg(!strcmp(a->line[i], b->line[j]), "%s: row k = %ld differs:\n%s\n%s",
                              what, a->k[i], a->line[i], b->line[j]);
            }
        }
    return common;
}

START_TEST(test_logging_and_budget_keep_the_draws)
{
    static const char base[] =
        "budget: {iterations: 120, targets: [0.5]}\nlog: {every: 10, measure_every: 1}\n";
    static const struct {
        const char *extra, *what;
        int ignore_min, min_common;
    } variants[] = {
        {"budget: {iterations: 120, targets: [0.5]}\nlog: {every: 3, measure_every: 1}\n",
         "log.every 3", 0, 5},
        {"budget: {iterations: 120, targets: [0.5]}\nlog: {every: log, measure_every: 1}\n",
         "log.every log", 0, 3},
        {"budget: {iterations: 200, targets: [0.5]}\nlog: {every: 10, measure_every: 1}\n",
         "budget.iterations 200", 0, 13},
        {"budget: {iterations: 60, targets: [0.5]}\nlog: {every: 10, measure_every: 1}\n",
         "budget.iterations 60", 0, 7},
        {"budget: {iterations: 120, targets: [2.0, 0.3, 0.01]}\nlog: {every: 10, "
         "measure_every: 1}\n",
         "budget.targets", 0, 13},
        {"budget: {iterations: 120, targets: [0.5], stop_at_target: true}\nlog: {every: 10, "
         "measure_every: 1}\n",
         "budget.stop_at_target", 0, 1},
        {"budget: {iterations: 120, targets: [0.5], diverge_above: 1e6}\nlog: {every: 10, "
         "measure_every: 1}\n",
         "budget.diverge_above", 0, 13},
        {"budget: {iterations: 120, targets: [0.5]}\nlog: {every: 10, measure_every: 7}\n",
         "log.measure_every 7", 1, 13},
    };
    rows ref;
    run_rows("gaussian", base, 0, &ref, NULL);
    ck_assert_int_eq(ref.n, 13);
    for (size_t v = 0; v < sizeof variants / sizeof *variants; v++) {
        rows other;
        run_rows("gaussian", variants[v].extra, 0, &other, NULL);
        int common = common_rows_equal(&ref, &other, variants[v].ignore_min, variants[v].what);
        ck_assert_msg(common >= variants[v].min_common, "%s: only %d rows in common",
                      variants[v].what, common);
        free(other.text);
    }
    free(ref.text);
}
END_TEST

/* sgd's update ignores the norm: with shared draws its iterates (f, x_fro,
 * grad_l2) are the same for every method.norm of one replicate; another
 * replicate draws other noise. */
START_TEST(test_methods_of_a_replicate_share_draws)
{
    static const char extra[] =
        "budget: {iterations: 60}\nlog: {every: 20}\n"
        "sweep: {method.name: [sgd], method.norm: [euclidean, linf]}\n"
        "seeds: 2\n";
    rows r[2][2];
    unsigned long seed[2][2];
    /* cells in plan order: norm slowest, then replicate */
    for (int n = 0; n < 2; n++)
        for (int rep = 0; rep < 2; rep++)
            run_rows("gaussian", extra, (size_t)(2 * n + rep), &r[n][rep], &seed[n][rep]);
    for (int rep = 0; rep < 2; rep++) {
        ck_assert_uint_eq(seed[0][rep], seed[1][rep]);
        ck_assert_int_eq(r[0][rep].n, r[1][rep].n);
        int cf = ts_csv_column(r[0][rep].header, "f");
        int cx = ts_csv_column(r[0][rep].header, "x_fro");
        ck_assert_int_ge(cf, 0);
        ck_assert_int_ge(cx, 0);
        for (int i = 0; i < r[0][rep].n; i++) {
            char fa[64], fb[64], xa[64], xb[64];
            ck_assert_int_eq(ts_csv_field(r[0][rep].line[i], cf, fa, sizeof fa), 0);
            ck_assert_int_eq(ts_csv_field(r[1][rep].line[i], cf, fb, sizeof fb), 0);
            ck_assert_int_eq(ts_csv_field(r[0][rep].line[i], cx, xa, sizeof xa), 0);
            ck_assert_int_eq(ts_csv_field(r[1][rep].line[i], cx, xb, sizeof xb), 0);
            ck_assert_str_eq(fa, fb);
            ck_assert_str_eq(xa, xb);
        }
    }
    ck_assert_uint_ne(seed[0][0], seed[0][1]);
    ck_assert_str_ne(r[0][0].line[r[0][0].n - 1], r[0][1].line[r[0][1].n - 1]);
    for (int n = 0; n < 2; n++)
        for (int rep = 0; rep < 2; rep++)
            free(r[n][rep].text);
}
END_TEST

/* The noise and the problem are part of the stream: another noise type
 * draws other numbers (the rows after k = 0 differ). */
START_TEST(test_noise_changes_the_draws)
{
    static const char extra[] = "budget: {iterations: 20}\nlog: {every: 10}\n";
    rows a, b;
    unsigned long sa, sb;
    run_rows("gaussian", extra, 0, &a, &sa);
    run_rows("student_t", extra, 0, &b, &sb);
    ck_assert_uint_ne(sa, sb);
    ck_assert_str_ne(a.line[a.n - 1], b.line[b.n - 1]);
    free(a.text);
    free(b.text);
}
END_TEST

static Suite *streams_suite(void)
{
    Suite *s = suite_create("streams");
    TCase *tc = tcase_create("streams");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, test_logging_and_budget_keep_the_draws);
    tcase_add_test(tc, test_methods_of_a_replicate_share_draws);
    tcase_add_test(tc, test_noise_changes_the_draws);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ts_run_suite(streams_suite()); }

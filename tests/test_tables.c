/* test_tables.c: the tidy tables of a result folder (src/output/tidy_tables.c,
 * summary_csv.c, src/base/numfmt.c).
 *
 * Numbers are the shortest text that reads back to the same double; a
 * missing value is an empty field (no "nan" anywhere).  A sweep with
 * unknown f* (logistic: gap missing), a method without momentum (sgd:
 * mom_err missing), a diverging cell and a target stop writes
 * trajectories.csv (hash, replicate, seed, swept settings, trajectory
 * columns), targets.csv (hash, measure, target, K, SFO) and a summary.csv
 * with the final values and every resolved setting; tests/check_tables.py
 * (python3) recomputes summary.csv from the two long tables, and fails when
 * summary.csv is altered. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/numfmt.h"
#include "support.h"

START_TEST(shortest_round_trip_text)
{
    static const struct {
        double v;
        const char *text;
    } known[] = {{0.003, "0.003"},  {0.1 + 0.2, "0.30000000000000004"},
                 {1.0, "1"},        {-2.5, "-2.5"},
                 {1e-300, "1e-300"}, {5e-324, "5e-324"},
                 {1e4, "10000"},    {123456789012345680.0, "1.2345678901234568e+17"},
                 {-0.0, "-0"},      {INFINITY, "inf"},
                 {-INFINITY, "-inf"}, {NAN, "nan"}};
    char buf[NTR_NUM_CHARS];
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        ntr_fmt_double(buf, known[i].v);
        ck_assert_str_eq(buf, known[i].text);
    }
    /* random doubles: reads back, and one digit fewer does not */
    unsigned long long x = 88172645463325252ULL;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v;
        if (i % 2) {
            memcpy(&v, &x, sizeof v);
            if (!isfinite(v))
                continue;
        } else {
            v = (double)(x % 100000) / 1000.0 * pow(10.0, (double)(int)(x % 21) - 10);
        }
        int len = ntr_fmt_double(buf, v);
        ck_assert_int_lt(len, NTR_NUM_CHARS);
        ck_assert_msg(strtod(buf, NULL) == v, "%s does not read back to %.17g", buf, v);
        /* the fewest significant digits that read back, found by trying all */
        char want[400];
        int pmin = 1;
        for (; pmin < 17; pmin++) {
            snprintf(want, sizeof want, "%.*g", pmin, v);
            if (strtod(want, NULL) == v)
                break;
        }
        snprintf(want, sizeof want, "%.*g", pmin, v);
        const char *e = strchr(want, 'e');
        if (e && atoi(e + 1) >= 0 && atoi(e + 1) <= 16)
            snprintf(want, sizeof want, "%.0f", v); /* 10000, not 1e+04 */
        ck_assert_str_eq(buf, want);
    }
}
END_TEST

static const char yaml[] =
    "name: tables\n"
    "seed: 6\n"
    "problem: {type: least_squares, shape: [5, 3], samples: 10}\n"
    "noise: {type: gaussian, sigma: 0.1}\n"
    "method: {name: ntr, eta: 0.003, alpha: 0.2}\n"
    "budget: {iterations: 300, targets: [3, 0.3]}\n"
    "log: {every: log}\n"
    "union:\n"
    "  - {method.norm: [spectral, linf], method.eta: [0.003, 0.03]}\n"
    "  - {problem.type: [logistic], problem.shape: [[3, 4]], method.norm: [euclidean]}\n"
    "  - {method.name: [sgd], method.norm: [euclidean]}\n"
    "  - {method.name: [sgd], method.eta: [9.0], budget.diverge_above: [50]}\n"
    "  - {budget.stop_at_target: [true], method.eta: [0.03]}\n"
    "seeds: 2\n";

/* A python3 on PATH, or NULL. */
static char *find_python(void)
{
    const char *path = getenv("PATH");
    char *copy = strdup(path ? path : "/usr/bin:/bin");
    char *found = NULL;
    for (char *dir = strtok(copy, ":"); dir && !found; dir = strtok(NULL, ":")) {
        char *p = ts_path("%s/python3", dir);
        if (access(p, X_OK) == 0)
            found = p;
        else
            free(p);
    }
    free(copy);
    return found;
}

static int no_nan_field(const char *text)
{
    return strstr(text, ",nan") == NULL && strstr(text, "nan,") == NULL;
}

START_TEST(long_tables_reproduce_the_summary)
{
    ts_scratch s = ts_scratch_new(yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot");
    ck_assert_msg(r.code == 1, "exit %d (one cell diverges): %s", r.code, r.err);
    ts_result_free(&r);
    char *tp = ts_path("%s/trajectories.csv", out), *gp = ts_path("%s/targets.csv", out);
    char *sp = ts_path("%s/summary.csv", out), *cp = ts_path("%s/config.yaml", out);
    char *traj = ts_read_file(tp, NULL), *targ = ts_read_file(gp, NULL);
    char *sum = ts_read_file(sp, NULL), *cfg = ts_read_file(cp, NULL);
    ck_assert_ptr_nonnull(traj);
    ck_assert_ptr_nonnull(targ);
    char *line = ts_first_line(traj);
    ck_assert_str_eq(line, "hash,replicate,seed,method.norm,method.eta,problem.type,"
                           "problem.shape,method.name,budget.diverge_above,budget.stop_at_target,"
                           "k,sfo,f,gap,grad_dual,grad_l2,min_grad_dual,avg_grad_dual,x_norm,"
                           "x_fro,mom_err,grad_l1");
    free(line);
    line = ts_first_line(targ);
    ck_assert_str_eq(line, "hash,measure,target,K,SFO");
    free(line);
    ck_assert_msg(strstr(targ, ",min_grad_dual,0.3,"), "%s", targ);
    line = ts_first_line(sum);
    static const char *const need[] = {"f", "grad_l2", "x_norm", "name", "seed", "noise.sigma",
                                       "method.alpha", "problem.samples", "log.every"};
    for (size_t i = 0; i < sizeof need / sizeof *need; i++)
        ck_assert_msg(ts_csv_column(line, need[i]) >= 0, "summary.csv lacks %s: %s", need[i],
                      line);
    ck_assert_str_eq(strrchr(line, ',') + 1, "wall_s"); /* last: tests cut it */
    free(line);
    ck_assert(no_nan_field(traj));
    ck_assert(no_nan_field(sum));
    ck_assert_ptr_nonnull(strstr(sum, ",0.003,"));
    ck_assert_ptr_null(strstr(sum, "0.0030000000000000001"));
    ck_assert_ptr_nonnull(strstr(cfg, "eta: 0.003\n"));
    /* missing values: the logistic gap, sgd's mom_err are empty fields */
    ck_assert_ptr_nonnull(strstr(traj, ",logistic,"));
    ck_assert_msg(strstr(traj, ",,") != NULL, "no empty field");

    char *py = find_python();
    if (!py) {
        fprintf(stderr, "test_tables: python3 not found: check_tables.py not run\n");
    } else {
        char *script = ts_tests("check_tables.py");
        const char *argv[] = {py, script, out, NULL};
        ck_assert_int_eq(ts_run(argv, &r), 0);
        ck_assert_msg(r.code == 0, "check_tables.py: %s%s", r.out, r.err);
        ck_assert_ptr_nonnull(strstr(r.out, "agree with summary.csv"));
        ts_result_free(&r);
        /* alter one final value of summary.csv: the check must see it */
        char *at = strstr(sum, ",not_reached,");
        ck_assert_ptr_nonnull(at);
        char *f = strchr(strchr(strchr(at + 1, ',') + 1, ',') + 1, ','); /* after iterations, sfo */
        ck_assert_ptr_nonnull(f);
        f[1] = f[1] == '9' ? '8' : '9';
        ck_assert_int_eq(ts_write_file(sp, sum), 0);
        ck_assert_int_eq(ts_run(argv, &r), 0);
        ck_assert_msg(r.code == 1, "altered summary.csv passed: %s", r.out);
        ck_assert_ptr_nonnull(strstr(r.err, "final f"));
        ts_result_free(&r);
        free(script);
        free(py);
    }
    free(traj);
    free(targ);
    free(sum);
    free(cfg);
    free(tp);
    free(gp);
    free(sp);
    free(cp);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

static Suite *tables_suite(void)
{
    Suite *s = suite_create("tables");
    TCase *tc = tcase_create("tables");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, shortest_round_trip_text);
    tcase_add_test(tc, long_tables_reproduce_the_summary);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ts_run_suite(tables_suite()); }

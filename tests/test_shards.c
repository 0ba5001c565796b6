/* test_shards.c: --shard K/N, --collect and the cluster launchers
 * (scripts/parallel-shards, scripts/slurm-array), end to end.
 *
 * Shards run one after the other, through GNU parallel, or as a Slurm job
 * array (a stand-in sbatch that runs the array tasks and the collect job in
 * turn), then `--collect`: the result folder holds the same cells and
 * summary.csv as one `-j 1` run (trajectory.csv and summary.json without
 * its timing byte-identical, summary.csv without wall_s).  A shard runs
 * exactly its cells (index % N == K-1) and leaves the study, figures and
 * report to the collect.  The GNU parallel test skips, with a message,
 * only where `parallel` is not installed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e_sweeps/compare.h"
#include "support.h"

#define CONFIG "e2e_sweeps/small_sweep.yaml"

static int run(const char *const *argv, char **out_text)
{
    ts_result r;
    ck_assert_int_eq(ts_run(argv, &r), 0);
    int code = r.code;
    if (code != 0)
        fprintf(stderr, "%s: exit %d: %s%s\n", argv[0], code, r.out, r.err);
    if (out_text)
        *out_text = strdup(r.out);
    ts_result_free(&r);
    return code;
}

static int run_ntr(const char *out, const char *a1, const char *a2)
{
    char *bin = ts_bin("ntr-run"), *cfg = ts_tests(CONFIG);
    const char *argv[] = {bin, cfg, "-o", out, "-q", "--no-plot", a1, a2, NULL};
    int code = run(argv, NULL);
    free(bin);
    free(cfg);
    return code;
}

/* 1 when program is found in PATH. */
static int in_path(const char *program)
{
    const char *path = getenv("PATH");
    char *copy = strdup(path ? path : "");
    int found = 0;
    for (char *d = strtok(copy, ":"); d && !found; d = strtok(NULL, ":")) {
        char *p = ts_path("%s/%s", *d ? d : ".", program);
        found = access(p, X_OK) == 0;
        free(p);
    }
    free(copy);
    return found;
}

/* The cell hash of each plan index, from a finished folder's summary.csv. */
static int hashes_by_index(const char *dir, char hashes[][17], int max)
{
    char *p = ts_path("%s/summary.csv", dir);
    char *text = ts_read_file(p, NULL);
    free(p);
    ck_assert_ptr_nonnull(text);
    char *lines[256];
    int n = ts_split_lines(text, lines, 256);
    int ic = ts_csv_column(lines[0], "index"), hc = ts_csv_column(lines[0], "hash");
    ck_assert(ic >= 0 && hc >= 0);
    int count = 0;
    for (int i = 1; i < n && count < max; i++) {
        char idx[32];
        ck_assert_int_eq(ts_csv_field(lines[i], ic, idx, sizeof idx), 0);
        ck_assert_int_eq(atoi(idx), i - 1);
        ck_assert_int_eq(ts_csv_field(lines[i], hc, hashes[count], 17), 0);
        count++;
    }
    free(text);
    return count;
}

START_TEST(shards_then_collect_equal_one_run)
{
    char *dir = ts_tmpdir();
    char *ref = ts_path("%s/ref", dir), *out = ts_path("%s/out", dir);
    ck_assert_int_eq(run_ntr(ref, NULL, NULL), 0);
    char hashes[64][17];
    int n = hashes_by_index(ref, hashes, 64);
    ck_assert_int_eq(n, 12);

    ck_assert_int_eq(run_ntr(out, "--shard", "1/3"), 0);
    for (int i = 0; i < n; i++) {
        char *p = ts_path("%s/cells/%s/summary.json", out, hashes[i]);
        ck_assert_msg(ts_exists(p) == (i % 3 == 0), "cell %d after shard 1/3", i);
        free(p);
    }
    char *rep = ts_path("%s/report.md", out), *man = ts_path("%s/manifest.json", out);
    ck_assert(!ts_exists(rep) && !ts_exists(man)); /* left to the collect */
    ck_assert_int_eq(run_ntr(out, "--shard", "3/3"), 0);
    ck_assert_int_eq(run_ntr(out, "--shard", "2/3"), 0);
    ck_assert_int_eq(rc_count_status(out, "done") + rc_count_status(out, "not_reached"), 12);
    ck_assert_int_eq(run_ntr(out, "--collect", NULL), 0);
    char why[600];
    ck_assert_msg(rc_same_results(ref, out, why, sizeof why), "%s", why);
    ck_assert(ts_exists(rep) && ts_exists(man));
    /* A shard run again finds its cells finished and runs nothing. */
    char *cells = ts_path("%s/cells", out);
    char *before = ts_tree_snapshot(cells);
    ck_assert_int_eq(run_ntr(out, "--shard", "2/3"), 0);
    char *after = ts_tree_snapshot(cells);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    free(cells);
    free(rep);
    free(man);
    ts_rmtree(dir);
    free(dir);
    free(ref);
    free(out);
}
END_TEST

START_TEST(gnu_parallel_shards_equal_one_run)
{
    if (!in_path("parallel")) {
        printf("test_shards: skipped gnu_parallel_shards_equal_one_run: GNU parallel is not "
               "installed (scripts/install-deps installs it)\n");
        return;
    }
    char *dir = ts_tmpdir();
    char *ref = ts_path("%s/ref", dir), *out = ts_path("%s/out", dir);
    char *bin = ts_bin("ntr-run"), *cfg = ts_tests(CONFIG);
    char *script = ts_tests("../scripts/parallel-shards");
    ck_assert_int_eq(run_ntr(ref, NULL, NULL), 0);
    const char *argv[] = {script, "-n", "2", "--ntr-run", bin, cfg, "-o", out, "--no-plot", NULL};
    char *text = NULL;
    ck_assert_int_eq(run(argv, &text), 0);
    ck_assert_ptr_nonnull(strstr(text, "12 cells: "));
    free(text);
    char why[600];
    ck_assert_msg(rc_same_results(ref, out, why, sizeof why), "%s", why);
    char *rep = ts_path("%s/report.md", out);
    ck_assert(ts_exists(rep));
    free(rep);
    /* Three shards, two workers each, on the same folder: nothing to do. */
    const char *again[] = {script, "-n", "3", "-j", "2", "--ntr-run", bin, cfg, "-o", out,
                           "--no-plot", NULL};
    ck_assert_int_eq(run(again, NULL), 0);
    ck_assert_msg(rc_same_results(ref, out, why, sizeof why), "%s", why);
    /* Arguments after the config reach ntr-run untouched: GNU parallel's
     * replacement strings ({}, {#}, {.}, {= =}) in a folder name are not
     * replaced (they were: three folders and a failed collect). */
    char *braces = ts_path("%s/out {} {#} {.} {= $_ =} it's", dir);
    const char *odd[] = {script, "-n", "3", "--ntr-run", bin, cfg, "-o", braces, "--no-plot",
                         NULL};
    ck_assert_int_eq(run(odd, NULL), 0);
    ck_assert_msg(rc_same_results(ref, braces, why, sizeof why), "%s", why);
    char *one = ts_path("%s/out 1 1 1 1 it's", dir);
    ck_assert(!ts_exists(one));
    free(one);
    free(braces);
    /* --force-new would move the folder aside once per shard: refused. */
    const char *bad[] = {script, "-n", "2", "--ntr-run", bin, cfg, "-o", out, "--force-new", NULL};
    ts_result r;
    ck_assert_int_eq(ts_run(bad, &r), 0);
    ck_assert_int_eq(r.code, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "--force-new"));
    ts_result_free(&r);
    free(script);
    free(bin);
    free(cfg);
    ts_rmtree(dir);
    free(dir);
    free(ref);
    free(out);
}
END_TEST

/* A stand-in sbatch: records its arguments in $FAKE_SLURM/args.N, runs the
 * --wrap script once per array task (SLURM_ARRAY_TASK_ID set) or once, and
 * answers "JOBID;cluster" as `sbatch --parsable` does. */
static const char fake_sbatch[] =
    "#!/bin/sh\n"
    "n=$(cat \"$FAKE_SLURM/count\" 2>/dev/null || echo 0); n=$((n + 1))\n"
    "echo $n > \"$FAKE_SLURM/count\"\n"
    "printf '%s\\n' \"$@\" > \"$FAKE_SLURM/args.$n\"\n"
    "array=''; wrap=''\n"
    "while [ $# -gt 0 ]; do\n"
    "  case $1 in --array=*) array=${1#--array=} ;; --wrap) wrap=$2; shift ;; esac; shift\n"
    "done\n"
    "if [ -n \"$array\" ]; then\n"
    "  last=${array#1-}; last=${last%%%*}; k=1\n"
    "  while [ $k -le $last ]; do\n"
    "    SLURM_ARRAY_TASK_ID=$k sh -c \"$wrap\" > \"$FAKE_SLURM/out.$n.$k\" 2>&1 || exit 1\n"
    "    k=$((k + 1))\n"
    "  done\n"
    "else\n"
    "  sh -c \"$wrap\" > \"$FAKE_SLURM/out.$n\" 2>&1 || exit 1\n"
    "fi\n"
    "echo \"$((1000 + n));cluster\"\n";

START_TEST(slurm_array_equals_one_run)
{
    char *dir = ts_tmpdir();
    char *ref = ts_path("%s/ref", dir), *out = ts_path("%s/out it's", dir);
    char *fake = ts_path("%s/bin", dir), *sb = ts_path("%s/bin/sbatch", dir);
    char *rec = ts_path("%s/slurm", dir);
    ck_assert_int_eq(mkdir(fake, 0755), 0);
    ck_assert_int_eq(mkdir(rec, 0755), 0);
    ck_assert_int_eq(ts_write_file(sb, fake_sbatch), 0);
    ck_assert_int_eq(chmod(sb, 0755), 0);
    const char *old = getenv("PATH");
    char *path = ts_path("%s:%s", fake, old ? old : "/usr/bin:/bin");
    setenv("PATH", path, 1);
    setenv("FAKE_SLURM", rec, 1);
    char *bin = ts_bin("ntr-run"), *cfg = ts_tests(CONFIG);
    char *script = ts_tests("../scripts/slurm-array");
    ck_assert_int_eq(run_ntr(ref, NULL, NULL), 0);

    const char *argv[] = {script, "-n", "3", "--ntr-run", bin, "--time=0:10:00", "--mem=1G", "--",
                          cfg, "-o", out, "--no-plot", NULL};
    char *text = NULL;
    ck_assert_int_eq(run(argv, &text), 0);
    ck_assert_ptr_nonnull(strstr(text, "job 1001"));
    ck_assert_ptr_nonnull(strstr(text, "job 1002"));
    free(text);
    char *a1p = ts_path("%s/args.1", rec), *a2p = ts_path("%s/args.2", rec);
    char *a1 = ts_read_file(a1p, NULL), *a2 = ts_read_file(a2p, NULL);
    ck_assert(a1 && a2);
    ck_assert_ptr_nonnull(strstr(a1, "--array=1-3\n"));
    ck_assert_ptr_nonnull(strstr(a1, "--time=0:10:00\n--mem=1G\n"));
    ck_assert_ptr_nonnull(strstr(a2, "--dependency=afterany:1001\n"));
    ck_assert_ptr_nonnull(strstr(a2, "--time=0:10:00\n--mem=1G\n"));
    ck_assert_ptr_nonnull(strstr(a2, "--collect"));
    char why[600];
    ck_assert_msg(rc_same_results(ref, out, why, sizeof why), "%s", why);
    char *rep = ts_path("%s/report.md", out);
    ck_assert(ts_exists(rep));
    free(rep);

    /* No -n, or a bad config: refused before anything is queued. */
    char *count = ts_path("%s/count", rec);
    unlink(count);
    const char *no_n[] = {script, "--", cfg, NULL};
    ts_result r;
    ck_assert_int_eq(ts_run(no_n, &r), 0);
    ck_assert_int_eq(r.code, 2);
    ts_result_free(&r);
    char *bad_cfg = ts_path("%s/bad.yaml", dir);
    ck_assert_int_eq(ts_write_file(bad_cfg, "name: bad\nmethod: {nmae: ntr}\n"), 0);
    const char *bad[] = {script, "-n", "2", "--ntr-run", bin, "--", bad_cfg, NULL};
    ck_assert_int_eq(ts_run(bad, &r), 0);
    ck_assert_int_eq(r.code, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "bad.yaml:2:"));
    ts_result_free(&r);
    ck_assert(!ts_exists(count));
    free(count);
    free(bad_cfg);
    free(a1p);
    free(a2p);
    free(a1);
    free(a2);
    free(script);
    free(bin);
    free(cfg);
    free(path);
    free(fake);
    free(sb);
    free(rec);
    ts_rmtree(dir);
    free(dir);
    free(ref);
    free(out);
}
END_TEST

Suite *shards_suite(void);
Suite *shards_suite(void)
{
    Suite *s = suite_create("shards");
    TCase *tc = tcase_create("shards");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, shards_then_collect_equal_one_run);
    tcase_add_test(tc, gnu_parallel_shards_equal_one_run);
    tcase_add_test(tc, slurm_array_equals_one_run);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ts_run_suite(shards_suite());
}

/* test_plot_choice.c: the figures a user chooses and the summary figures
 * (ntr-plot --x --y --hue --style; src/plot/plot_lines.c, plot_series.c,
 * plot_summary_figs.c).
 *
 * On a small sweep: --x sfo --hue method.norm draws sfo on the x axis (the
 * data's x column is each row's oracle calls), one colour per norm and a
 * distinct dash per nesterov value, each key entry with its n; --style
 * overrides the dash key; --hue pooling another swept key says so; bad
 * --x/--y/--hue values exit 2 naming the valid ones.  From a hand-written
 * summary.csv: the ECDF is the fraction of (cell, target) pairs reached
 * within x oracle calls, per line; the final-value figure has one point per
 * swept value with the median over seeds and the min-max band. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"

static const char yaml[] =
    "name: choice\nseed: 2\n"
    "problem: {type: least_squares, shape: [4, 3], samples: 8}\n"
    "noise: {type: gaussian, sigma: 0.1, batch: 2}\n"
    "method: {name: ntr, eta: 0.02, alpha: 0.2}\n"
    "budget: {iterations: 60, targets: [2, 0.5]}\n"
    "log: {every: 10}\n"
    "sweep: {method.norm: [spectral, euclidean], method.nesterov: [false, true]}\n"
    "seeds: 2\n";

/* Numbers of one data block of a .dat file (6 columns per row). */
static int read_block(const char *path, int block, double rows[][6], int max)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "no %s", path);
    char line[512];
    int b = 0, n = 0, blank = 0, in = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        if (line[0] == '\n') {
            blank++;
            if (in && blank >= 2) {
                b++;
                in = 0;
            }
            continue;
        }
        blank = 0;
        in = 1;
        if (b == block && n < max)
            n += sscanf(line, "%lf %lf %lf %lf %lf %lf", &rows[n][0], &rows[n][1], &rows[n][2],
                        &rows[n][3], &rows[n][4], &rows[n][5]) == 6;
    }
    fclose(f);
    return n;
}

/* Lines of the plot command "... lt L dt D ... title 'T'" in a script. */
static int script_lines(const char *gp, char lt[][8], char dt[][24], char title[][160], int max)
{
    int n = 0;
    for (const char *p = strstr(gp, " with lines lt "); p && n < max;
         p = strstr(p + 1, " with lines lt ")) {
        ck_assert_int_eq(sscanf(p, " with lines lt %7s dt %23s lw 2 title '%159[^']'", lt[n],
                                dt[n], title[n]),
                         3);
        n++;
    }
    return n;
}

START_TEST(chosen_axes_hue_and_style)
{
    ts_scratch s = ts_scratch_new(yaml);
    char *out = ts_path("%s/out", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", out, "-q", "--no-plot");
    ck_assert_int_eq(r.code, 0);
    ts_result_free(&r);
    ck_assert_int_eq(ts_run_bin(&r, "ntr-plot", out, "--x", "sfo", "--hue", "method.norm",
                                (const char *)NULL),
                     0);
    ck_assert_msg(r.code == 0 || r.code == 1, "%s", r.err); /* 1: no gnuplot here */
    ck_assert_ptr_nonnull(strstr(r.out, "plots/min_grad_dual_vs_sfo."));
    ts_result_free(&r);
    char *gpp = ts_path("%s/plots/min_grad_dual_vs_sfo.gp", out);
    char *gp = ts_read_file(gpp, NULL);
    ck_assert_ptr_nonnull(gp);
    ck_assert_ptr_nonnull(strstr(gp, "oracle calls (SFO"));
    ck_assert_ptr_nonnull(strstr(gp, "band: min-max"));
    char lt[8][8], dt[8][24], title[8][160];
    int n = script_lines(gp, lt, dt, title, 8);
    ck_assert_int_eq(n, 4);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(strstr(title[i], "(n = 2)"), "%s", title[i]);
        int spectral = strstr(title[i], "norm=spectral") != NULL;
        int nesterov = strstr(title[i], "nesterov=true") != NULL;
        ck_assert_str_eq(lt[i], spectral ? "1" : "2");          /* colour: the norm */
        ck_assert_str_eq(dt[i], nesterov ? "(10,6)" : "1");     /* dash: nesterov */
        for (int j = 0; j < i; j++)
            ck_assert(strcmp(lt[i], lt[j]) != 0 || strcmp(dt[i], dt[j]) != 0);
    }
    /* x is the oracle calls: batch 2, m0 sample: 2 (k + 1) at logged k */
    char *datp = ts_path("%s/plots/min_grad_dual_vs_sfo.dat", out);
    double rows[32][6];
    int nr = read_block(datp, 0, rows, 32);
    ck_assert_int_eq(nr, 7);
    for (int i = 0; i < nr; i++) {
        ck_assert_double_eq(rows[i][0], 2.0 * (10 * i + 1));
        ck_assert_double_eq(rows[i][1], rows[i][0]);
        ck_assert_double_eq(rows[i][2], 2);
    }
    free(datp);
    free(gp);
    free(gpp);

    /* --style names the dash key; a --hue with one value: the style is the first swept
     * key, the second is pooled (and the user told) */
    ck_assert_int_eq(ts_run_bin(&r, "ntr-plot", out, "--x", "time", "--y", "grad_l2,f", "--hue",
                                "method.nesterov", "--style", "method.norm", (const char *)NULL),
                     0);
    ck_assert_ptr_nonnull(strstr(r.out, "grad_l2_vs_time"));
    ck_assert_ptr_nonnull(strstr(r.out, "f_vs_time"));
    ts_result_free(&r);
    ck_assert_int_eq(ts_run_bin(&r, "ntr-plot", out, "--hue", "method.name", (const char *)NULL),
                     0);
    ck_assert_msg(strstr(r.err, "pool cells that differ in method.nesterov"), "%s",
                  r.err);
    ts_result_free(&r);
    /* bad choices: exit 2, valid values named */
    static const char *const bad[][3] = {{"--x", "iterations", "k, sfo or time"},
                                         {"--y", "grad", "grad_l2"},
                                         {"--hue", "method.nrom", "method.norm"},
                                         {"--style", "nope", "method.nesterov"}};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(ts_run_bin(&r, "ntr-plot", out, bad[i][0], bad[i][1],
                                    (const char *)NULL),
                         0);
        ck_assert_int_eq(r.code, 2);
        ck_assert_msg(strstr(r.err, bad[i][2]), "%s %s: %s", bad[i][0], bad[i][1], r.err);
        ts_result_free(&r);
    }
    free(out);
    ts_scratch_free(&s);
}
END_TEST

/* A result folder made by hand: summary.csv and the cells' trajectories. */
static char *hand_folder(void)
{
    char *dir = ts_tmpdir();
    char *p = ts_path("%s/summary.csv", dir);
    /* eta 0.1 and 0.01, two seeds each, two norms; SFO of targets 1 and 0.1 */
    ck_assert_int_eq(ts_write_file(p, "index,hash,group,replicate,method.eta,method.norm,status,"
                                      "iterations,sfo,min_grad_dual,K_1,K_0.1,SFO_1,SFO_0.1,"
                                      "budget.measure,wall_s\n"
                                      "0,a0,g,0,0.1,l2,done,9,10,0.5,3,,4,,min_grad_dual,1\n"
                                      "1,a1,g,1,0.1,l2,done,9,10,0.3,1,8,2,9,min_grad_dual,1\n"
                                      "2,b0,g,0,0.01,l2,done,9,10,2,,,,,min_grad_dual,1\n"
                                      "3,b1,g,1,0.01,l2,not_reached,9,10,4,,,,,min_grad_dual,1\n"
                                      "4,c0,h,0,0.1,sp,done,9,10,0.2,0,2,1,3,min_grad_dual,1\n"
                                      "5,c1,h,1,0.1,sp,pending,,,,,,,,min_grad_dual,\n"),
                     0);
    free(p);
    p = ts_path("%s/config.yaml", dir); /* what makes it an ntr result folder */
    ck_assert_int_eq(ts_write_file(p, "# resolved by ntr-run: every default filled in\n"
                                      "name: hand\n"),
                     0);
    free(p);
    return dir;
}

START_TEST(ecdf_and_final_value_figures)
{
    char *dir = hand_folder();
    ts_result r;
    ck_assert_int_eq(ts_run_bin(&r, "ntr-plot", dir, "-q", (const char *)NULL), 0);
    ts_result_free(&r);
    /* ECDF: by group: g (eta 0.1 and 0.01 together here: groups as given)
     * and h.  g: 4 finished cells x 2 targets = 8 pairs, hits at SFO 4, 2, 9;
     * h: 1 finished cell (the pending one is out), hits at 1 and 3. */
    char *e = ts_path("%s/plots/ecdf.dat", dir);
    double rows[16][6];
    int n = read_block(e, 0, rows, 16);
    ck_assert_int_eq(n, 5); /* start, 2, 4, 9, end */
    ck_assert(rows[0][0] == 1 && rows[0][3] == 0);
    ck_assert(rows[1][0] == 2 && fabs(rows[1][3] - 1.0 / 8) < 1e-15);
    ck_assert(rows[2][0] == 4 && fabs(rows[2][3] - 2.0 / 8) < 1e-15);
    ck_assert(rows[3][0] == 9 && fabs(rows[3][3] - 3.0 / 8) < 1e-15);
    ck_assert(rows[4][0] == 9 && rows[4][2] == 8);
    n = read_block(e, 1, rows, 16);
    ck_assert(n == 4 && rows[1][0] == 1 && rows[1][3] == 0.5 && rows[2][3] == 1.0);
    free(e);
    /* final min_grad_dual against method.eta, one line per norm */
    char *f = ts_path("%s/plots/final_method.eta.dat", dir);
    n = read_block(f, 0, rows, 16); /* l2: eta 0.01 -> {2, 4}, eta 0.1 -> {0.5, 0.3} */
    ck_assert_int_eq(n, 2);
    ck_assert(rows[0][0] == 0.01 && rows[0][2] == 2 && rows[0][3] == 3 && rows[0][4] == 2 &&
              rows[0][5] == 4);
    ck_assert(rows[1][0] == 0.1 && fabs(rows[1][3] - 0.4) < 1e-15 && rows[1][4] == 0.3);
    n = read_block(f, 1, rows, 16); /* sp: one finished cell at eta 0.1 */
    ck_assert(n == 1 && rows[0][0] == 0.1 && rows[0][3] == 0.2 && rows[0][2] == 1);
    char *gp = ts_path("%s/plots/final_method.eta.gp", dir);
    char *text = ts_read_file(gp, NULL);
    ck_assert_ptr_nonnull(strstr(text, "yerrorlines"));
    ck_assert_ptr_nonnull(strstr(text, "set logscale xy"));
    ck_assert_ptr_nonnull(strstr(text, "Final min_grad_dual against method.eta"));
    free(text);
    free(gp);
    free(f);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

static Suite *choice_suite(void)
{
    Suite *s = suite_create("plot_choice");
    TCase *tc = tcase_create("plot_choice");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, chosen_axes_hue_and_style);
    tcase_add_test(tc, ecdf_and_final_value_figures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ts_run_suite(choice_suite()); }

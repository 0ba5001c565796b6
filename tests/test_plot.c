/* test_plot.c: figures (src/plot/), gnuplot running and quoting
 * (src/plot/gnuplot.c) and report.md (src/report/) on a hand-made result
 * folder of 2 groups x 3 seeds. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot/gnuplot.h"
#include "plot/plot.h"
#include "plot/plot_band.h"
#include "report/report.h"
#include "support.h"

#define HOSTILE "it's \"odd\" $(touch pwned) `touch pwned` \\ @x"

static const char traj_header[] =
    "k,sfo,f,gap,grad_dual,grad_l2,min_grad_dual,x_norm,x_fro,mom_err\n";

/* The hand-made grad_dual values: group A stops at no k, group B's third
 * cell stops after k = 1 (diverged, inf), its second has a nan at k = 3.
 * mom_err is finite only in group B; gap is nan everywhere. */
static const double ks[4] = {0, 1, 3, 7};
static const double gd[2][3][4] = {
    {{8, 4, 2, 1}, {10, 6, 3, 2}, {6, 5, 4, 0.5}},
    {{1, 0.5, 0.25, 0.125}, {3, 1.5, NAN, 0.375}, {2, INFINITY, -1, -1}},
};
static const int nrows[2][3] = {{4, 4, 4}, {4, 4, 2}};

/* Expected rows (k, n, median, lo, hi) per group.  A group of 3 cells (at
 * most 4) gets a min-max band: a 10-90% quantile of 3 values would only
 * interpolate between them. */
static const double want[2][4][5] = {
    {{0, 3, 8, 6, 10}, {1, 3, 5, 4, 6}, {3, 3, 3, 2, 4}, {7, 3, 1, 0.5, 2}},
    {{0, 3, 2, 1, 3}, {1, 2, 1.0, 0.5, 1.5}, {3, 1, 0.25, 0.25, 0.25},
     {7, 2, 0.25, 0.125, 0.375}},
};

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

static int exists(const char *dir, const char *name)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return access(p, F_OK) == 0;
}

static long file_size(const char *dir, const char *name)
{
    char p[1024];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static void rm_rf(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *make_tmp(void)
{
    static const char tmpl[] = P_tmpdir "/ntr-plot-XXXXXX";
    char *d = malloc(sizeof tmpl);
    memcpy(d, tmpl, sizeof tmpl);
    ck_assert_ptr_nonnull(mkdtemp(d));
    return d;
}

/* Build a result folder at dir; group labels as given. */
static void make_result(const char *dir, const char *label_a, const char *label_b)
{
    char p[1024], line[512];
    ck_assert_int_eq(mkdir(dir, 0755) == 0 || errno == EEXIST, 1);
    snprintf(p, sizeof p, "%s/cells", dir);
    ck_assert_int_eq(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/summary.csv", dir);
    FILE *s = fopen(p, "w");
    ck_assert_ptr_nonnull(s);
    fputs("index,hash,group,replicate,method.norm,status,iterations,sfo,f,gap,grad_dual,"
          "min_grad_dual,K_0.1,K_0.01,SFO_0.1,SFO_0.01,wall_s\n", s);
    const char *labels[2] = {label_a, label_b};
    for (int g = 0; g < 2; g++)
        for (int c = 0; c < 3; c++) {
            char hash[32];
            snprintf(hash, sizeof hash, "%c%d0123abcd", 'a' + g, c);
            snprintf(p, sizeof p, "%s/cells/%s", dir, hash);
            ck_assert_int_eq(mkdir(p, 0755), 0);
            snprintf(p, sizeof p, "%s/cells/%s/trajectory.csv", dir, hash);
            FILE *t = fopen(p, "w");
            ck_assert_ptr_nonnull(t);
            fputs(traj_header, t);
            for (int i = 0; i < nrows[g][c]; i++) {
                double v = gd[g][c][i];
                fprintf(t, "%.17g,%.17g,1,nan,%.17g,%.17g,%.17g,1,1,", ks[i], ks[i], v, v, v);
                if (g == 1)
                    fprintf(t, "%.17g\n", v / 2);
                else
                    fputs("nan\n", t);
            }
            fclose(t);
            /* Group labels go through CSV quoting like the runner's. */
            fprintf(s, "%d,%s,\"", g * 3 + c, hash);
            for (const char *q = labels[g]; *q; q++)
                fprintf(s, *q == '"' ? "\"\"" : "%c", *q);
            /* K_0.1: A all at 3, B only its first cell at 1; K_0.01: A's
             * first two cells at 7, B never. */
            const char *k1 = g == 0 ? "3" : (c == 0 ? "1" : "");
            const char *k2 = g == 0 && c < 2 ? "7" : "";
            snprintf(line, sizeof line, "\",%d,x,%s,7,7,1,nan,%g,%g,%s,%s,%s,%s,1.0\n", c,
                     g == 1 && c == 2 ? "diverged" : "done", gd[g][c][nrows[g][c] - 1],
                     gd[g][c][nrows[g][c] - 1], k1, k2, k1, k2);
            fputs(line, s);
        }
    fclose(s);
    snprintf(p, sizeof p, "%s/config.yaml", dir);
    write_text(p, "# resolved by ntr-run: every default filled in\n"
                  "name: synthetic\nseed: 1\nproblem: {type: least_squares, name: inner}\n");
}

/* Read data block `block` of a .dat file into rows[][6]; returns the count. */
static int read_block(const char *path, int block, double rows[][6], int max)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "missing %s", path);
    char line[512];
    int b = -1, n = 0, blank = 2;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        if (line[0] == '\n') {
            blank++;
            continue;
        }
        if (blank >= 2)
            b++;
        blank = 0;
        if (b != block)
            continue;
        ck_assert_int_lt(n, max);
        ck_assert_int_eq(sscanf(line, "%lf %lf %lf %lf %lf %lf", &rows[n][0], &rows[n][1],
                                &rows[n][2], &rows[n][3], &rows[n][4], &rows[n][5]), 6);
        n++;
    }
    fclose(f);
    return n;
}

static int count_blocks(const char *path)
{
    double rows[16][6];
    int b = 0;
    while (read_block(path, b, rows, 16) > 0)
        b++;
    return b;
}

static void check_dat(const char *plots)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/convergence.dat", plots);
    ck_assert_int_eq(count_blocks(p), 2);
    for (int g = 0; g < 2; g++) {
        double rows[16][6];
        ck_assert_int_eq(read_block(p, g, rows, 16), 4);
        for (int i = 0; i < 4; i++) {
            ck_assert_double_eq(rows[i][0], want[g][i][0]);
            ck_assert_double_eq(rows[i][1], want[g][i][0] + 1);
            ck_assert_double_eq(rows[i][2], want[g][i][1]);
            for (int j = 0; j < 3; j++)
                ck_assert_msg(fabs(rows[i][3 + j] - want[g][i][2 + j]) < 1e-12,
                              "group %d k=%g stat %d: %.17g, want %.17g", g, rows[i][0], j,
                              rows[i][3 + j], want[g][i][2 + j]);
        }
    }
    /* mom_err: only group B has it, so one block, half of grad_dual. */
    snprintf(p, sizeof p, "%s/mom_err.dat", plots);
    ck_assert_int_eq(count_blocks(p), 1);
    double rows[16][6];
    ck_assert_int_eq(read_block(p, 0, rows, 16), 4);
    ck_assert(fabs(rows[0][3] - 1.0) < 1e-12 && fabs(rows[3][5] - 0.1875) < 1e-12);
}

START_TEST(test_band_unit)
{
    double k1[] = {0, 2, 4}, v1[] = {1, 2, 3};
    double k2[] = {0, 1, 2, 4}, v2[] = {3, 9, NAN, 5};
    ntr_series s[2] = {{3, k1, v1}, {4, k2, v2}};
    ntr_band_row *rows;
    size_t n;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_band_compute(s, 2, &rows, &n, &err), 0);
    ck_assert_uint_eq(n, 4);
    ck_assert(rows[0].k == 0 && rows[0].n == 2 && rows[0].median == 2);
    ck_assert(fabs(rows[0].lo - 1.2) < 1e-15 && fabs(rows[0].hi - 2.8) < 1e-15);
    ck_assert(rows[1].k == 1 && rows[1].n == 1 && rows[1].median == 9 && rows[1].lo == 9);
    ck_assert(rows[2].k == 2 && rows[2].n == 1 && rows[2].median == 2);
    ck_assert(rows[3].k == 4 && rows[3].n == 2 && rows[3].median == 4);
    free(rows);
    ck_assert_int_eq(ntr_band_compute(s, 0, &rows, &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(rows);
}
END_TEST

START_TEST(test_quote)
{
    char buf[256];
    ntr_error err = {0};
    ck_assert_int_eq(ntr_gp_quote(HOSTILE, buf, sizeof buf, &err), 0);
    ck_assert_str_eq(buf, "'it''s \"odd\" $(touch pwned) `touch pwned` \\ @x'");
    ck_assert_int_eq(ntr_gp_quote("", buf, sizeof buf, &err), 0);
    ck_assert_str_eq(buf, "''");
    ck_assert_int_eq(ntr_gp_quote("a\nb", buf, sizeof buf, &err), -1);
    ck_assert(strstr(err.msg, "control character"));
    ck_assert_int_eq(ntr_gp_quote("''''", buf, 9, &err), -1);
    ck_assert_int_eq(ntr_gp_quote("''''", buf, 11, &err), 0);
    ck_assert_str_eq(buf, "''''''''''");
    ntr_gp_sanitize("a\tb\nc", buf, sizeof buf);
    ck_assert_str_eq(buf, "a b c");
    const char *term, *ext;
    ck_assert_int_eq(ntr_gp_terminal("svg", &term, &ext, &err), 0);
    ck_assert_str_eq(ext, "svg");
    ck_assert_int_eq(ntr_gp_terminal("jpeg", &term, &ext, &err), -1);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
}
END_TEST

/* A data file whose name is hostile, plotted through a quoted name by a
 * script run in another folder: gnuplot must read exactly that file. */
START_TEST(test_gnuplot_hostile_name)
{
    if (!ntr_gnuplot_available(NULL)) {
        fprintf(stderr, "test_gnuplot_hostile_name: gnuplot not installed, skipped\n");
        return;
    }
    char *tmp = make_tmp();
    char dir[512], data[700], script[700], q[800], out[700];
    snprintf(dir, sizeof dir, "%s/%s", tmp, HOSTILE);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    snprintf(data, sizeof data, "%s/%s.dat", dir, HOSTILE);
    write_text(data, "1 1\n2 4\n3 9\n");
    snprintf(out, sizeof out, "%s/out.svg", tmp);
    snprintf(script, sizeof script, "%s/s.gp", tmp);
    FILE *f = fopen(script, "w");
    ck_assert_ptr_nonnull(f);
    ntr_error err = {0};
    fprintf(f, "set terminal svg\nset output 'out.svg'\nplot ");
    ck_assert_int_eq(ntr_gp_put_string(f, data, &err), 0);
    fprintf(f, " using 1:2 with lines title ");
    ck_assert_int_eq(ntr_gp_quote(HOSTILE, q, sizeof q, &err), 0);
    fprintf(f, "%s\n", q);
    fclose(f);
    ck_assert_msg(ntr_gnuplot_run(NULL, tmp, NULL, "s.gp", &err) == 0, "%s", err.msg);
    ck_assert_int_gt(file_size(tmp, "out.svg"), 0);
    ck_assert(!exists(tmp, "pwned") && !exists(dir, "pwned") && access("pwned", F_OK) != 0);
    /* A script error is reported with gnuplot's own message. */
    write_text(script, "plot 'no such file.dat'\n");
    ck_assert_int_eq(ntr_gnuplot_run(NULL, tmp, NULL, "s.gp", &err), -1);
    ck_assert_int_eq(err.kind, NTR_E_IO);
    ck_assert_msg(strstr(err.msg, "no such file.dat"), "message: %s", err.msg);
    /* A program that does not exist. */
    ck_assert_int_eq(ntr_gnuplot_run("ntr-no-such-gnuplot", tmp, NULL, "s.gp", &err), -1);
    ck_assert(strstr(err.msg, "cannot run"));
    ck_assert(!ntr_gnuplot_available("ntr-no-such-gnuplot"));
    ck_assert(!ntr_gnuplot_available("/nonexistent/gnuplot"));
    rm_rf(tmp);
    free(tmp);
}
END_TEST

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "missing %s", path);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

START_TEST(test_pipeline)
{
    char *tmp = make_tmp();
    char dir[512], plots[600], p[700];
    snprintf(dir, sizeof dir, "%s/res", tmp);
    make_result(dir, "method.norm=euclidean", "method.norm=spectral method.nesterov=true");
    ntr_error err = {0};
    int missing = -1;
    ck_assert_msg(ntr_plot_all(dir, "png", &missing, &err) == 0, "%s", err.msg);
    snprintf(plots, sizeof plots, "%s/plots", dir);
    check_dat(plots);
    ck_assert(exists(plots, "convergence.gp") && exists(plots, "mom_err.gp"));
    ck_assert(!exists(plots, "gap.dat") && !exists(plots, "gap.gp")); /* gap is nan */
    if (missing) {
        fprintf(stderr, "test_pipeline: gnuplot not installed, png not checked\n");
    } else {
        ck_assert_int_gt(file_size(plots, "convergence.png"), 1000);
        ck_assert_int_gt(file_size(plots, "mom_err.png"), 1000);
        /* a figure has the mode of any file ntr writes, not mkstemp's 0600 */
        char png[1200];
        snprintf(png, sizeof png, "%s/convergence.png", plots);
        struct stat st;
        mode_t mask = umask(0);
        umask(mask);
        ck_assert_int_eq(stat(png, &st), 0);
        ck_assert_int_eq((int)(st.st_mode & 0777), (int)(0666 & ~mask));
    }
    snprintf(p, sizeof p, "%s/convergence.gp", plots);
    const char *gp = read_all(p);
    /* Keys are shortened to their last part in the figure's key. */
    ck_assert(strstr(gp, "title 'norm=spectral nesterov=true  (n = 3)'"));
    ck_assert(strstr(gp, "set logscale xy"));
    ck_assert(strstr(gp, "k + 1"));

    ck_assert_msg(ntr_report_write(dir, &err) == 0, "%s", err.msg);
    snprintf(p, sizeof p, "%s/report.md", dir);
    const char *md = read_all(p);
    ck_assert(strstr(md, "# ntr report: synthetic\n"));
    ck_assert(strstr(md, "| `method.norm=euclidean` | 3 | done 3 |"));
    ck_assert(strstr(md, "| `method.norm=spectral method.nesterov=true` | 3 | done 2, diverged 1 |"));
    ck_assert(strstr(md, "cells in summary.csv: 6 (done 5, diverged 1)"));
    ck_assert(strstr(md, " K(0.1) | K(0.01) |"));
    ck_assert(strstr(md, "| 3 (3/3) | 7 (2/3) |"));
    ck_assert(strstr(md, "| never (1/3) | never (0/3) |"));
    if (!missing)
        ck_assert(strstr(md, "(plots/convergence.png)"));
    ck_assert(!strstr(md, "plots/gap."));
    rm_rf(tmp);
    free(tmp);
}
END_TEST

START_TEST(test_hostile_folder)
{
    char *tmp = make_tmp();
    char dir[512], plots[600], p[700];
    snprintf(dir, sizeof dir, "%s/%s", tmp, HOSTILE);
    make_result(dir, "method.norm=" HOSTILE, "b|[x](y)*_z_");
    ntr_error err = {0};
    int missing = -1;
    ck_assert_msg(ntr_plot_all(dir, "svg", &missing, &err) == 0, "%s", err.msg);
    snprintf(plots, sizeof plots, "%s/plots", dir);
    check_dat(plots);
    if (missing)
        fprintf(stderr, "test_hostile_folder: gnuplot not installed, figure not checked\n");
    else
        ck_assert_int_gt(file_size(plots, "convergence.svg"), 1000);
    ck_assert(!exists(tmp, "pwned") && !exists(dir, "pwned") && !exists(plots, "pwned"));
    ck_assert(access("pwned", F_OK) != 0);
    /* The label reached gnuplot's key as it is. */
    if (!missing) {
        snprintf(p, sizeof p, "%s/convergence.svg", plots);
        const char *svg = read_all(p);
        ck_assert_msg(strstr(svg, "$(touch pwned) `touch pwned`"), "label not in the svg");
    }
    ck_assert_msg(ntr_report_write(dir, &err) == 0, "%s", err.msg);
    snprintf(p, sizeof p, "%s/report.md", dir);
    const char *md = read_all(p);
    /* Labels are code spans: fenced past their backticks, '|' escaped. */
    ck_assert(strstr(md, "| ``method.norm=it's \"odd\" $(touch pwned) `touch pwned` \\ @x`` |"));
    ck_assert(strstr(md, "| `b\\|[x](y)*_z_` |"));
    rm_rf(tmp);
    free(tmp);
}
END_TEST

START_TEST(test_gnuplot_missing)
{
    char *tmp = make_tmp();
    char dir[512], plots[600], p[700];
    snprintf(dir, sizeof dir, "%s/res", tmp);
    make_result(dir, "p.x=1 q.x=2", "p.x=3 q.x=4");
    /* A cell not run yet (no trajectory.csv) is left out, not an error. */
    snprintf(p, sizeof p, "%s/cells/a00123abcd/trajectory.csv", dir);
    ck_assert_int_eq(remove(p), 0);
    ntr_plot_opts opts = {"png", "/nonexistent/ntr-gnuplot"};
    ntr_plot_result res;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_plot_all_ex(dir, &opts, &res, &err), 0);
    ck_assert_int_eq(res.gnuplot_missing, 1);
    ck_assert_int_eq(res.nfigures, 3); /* convergence, mom_err, ecdf */
    ck_assert_str_eq(res.figures[0], "convergence.png");
    ck_assert_str_eq(res.figures[2], "ecdf.png");
    ck_assert_uint_eq(res.cells, 6);
    ck_assert_uint_eq(res.cells_missing, 1);
    snprintf(plots, sizeof plots, "%s/plots", dir);
    ck_assert(exists(plots, "convergence.dat") && exists(plots, "convergence.gp"));
    ck_assert(!exists(plots, "convergence.png"));
    /* Group A at k = 0 now has cells {10, 6}: median 8, band 6 to 10. */
    double rows[16][6];
    snprintf(p, sizeof p, "%s/convergence.dat", plots);
    ck_assert_int_eq(read_block(p, 0, rows, 16), 4);
    ck_assert(rows[0][2] == 2 && fabs(rows[0][3] - 8) < 1e-12);
    ck_assert(fabs(rows[0][4] - 6) < 1e-12 && fabs(rows[0][5] - 10) < 1e-12);
    ck_assert(rows[3][2] == 2 && fabs(rows[3][3] - 1.25) < 1e-12);
    /* Shortening both keys to "x" would be ambiguous: labels stay whole. */
    snprintf(p, sizeof p, "%s/convergence.gp", plots);
    ck_assert(strstr(read_all(p), "title 'p.x=3 q.x=4  (n = 3)'"));
    ck_assert_int_eq(ntr_report_write(dir, &err), 0);
    snprintf(p, sizeof p, "%s/report.md", dir);
    ck_assert(strstr(read_all(p), "Figures not drawn"));
    rm_rf(tmp);
    free(tmp);
}
END_TEST

START_TEST(test_bad_folders)
{
    char *tmp = make_tmp();
    char dir[512], p[700];
    ntr_error err = {0};
    int missing;
    snprintf(dir, sizeof dir, "%s/none", tmp);
    ck_assert_int_eq(ntr_plot_all(dir, "png", &missing, &err), -1);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert(access(dir, F_OK) != 0);
    ck_assert_int_eq(ntr_report_write(dir, &err), -1);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    /* A folder without summary.csv: an error, and no plots/ made. */
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    ck_assert_int_eq(ntr_plot_all(dir, "png", &missing, &err), -1);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert(strstr(err.file, "summary.csv"));
    ck_assert(!exists(dir, "plots"));
    /* A malformed trajectory: positioned error, nothing written. */
    snprintf(dir, sizeof dir, "%s/bad", tmp);
    make_result(dir, "a", "b");
    snprintf(p, sizeof p, "%s/cells/b10123abcd/trajectory.csv", dir);
    write_text(p, "k,grad_dual\n0,1\n1,oops\n");
    ck_assert_int_eq(ntr_plot_all(dir, "png", &missing, &err), -1);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(err.col, 3);
    ck_assert(strstr(err.file, "b10123abcd/trajectory.csv"));
    ck_assert(!exists(dir, "plots"));
    /* k going backwards. */
    write_text(p, "k,grad_dual\n0,1\n5,1\n3,1\n");
    ck_assert_int_eq(ntr_plot_all(dir, "png", &missing, &err), -1);
    ck_assert_int_eq(err.line, 4);
    /* A hash that would leave the folder. */
    snprintf(p, sizeof p, "%s/summary.csv", dir);
    write_text(p, "index,hash,group\n0,../../x,a\n");
    ck_assert_int_eq(ntr_plot_all(dir, "png", &missing, &err), -1);
    ck_assert(strstr(err.msg, "not a plain folder name"));
    /* A bad format. */
    ck_assert_int_eq(ntr_plot_all(dir, "gif", &missing, &err), -1);
    ck_assert(strstr(err.msg, "gif"));
    ck_assert(!exists(dir, "plots"));
    rm_rf(tmp);
    free(tmp);
}
END_TEST

START_TEST(test_median_never)
{
    double a[] = {NAN, 5, 7};
    size_t r;
    ck_assert_double_eq(ntr_report_median_never(a, 3, &r), 7);
    ck_assert_uint_eq(r, 2);
    double b[] = {NAN, 5, NAN};
    ck_assert(isnan(ntr_report_median_never(b, 3, &r)));
    ck_assert_uint_eq(r, 1);
    double c[] = {8, 2, 4, 6};
    ck_assert_double_eq(ntr_report_median_never(c, 4, NULL), 5);
    double d[] = {8, NAN, 4, 6};
    ck_assert_double_eq(ntr_report_median_never(d, 4, NULL), 7);
    double e[] = {8, NAN, 4, NAN};
    ck_assert(isnan(ntr_report_median_never(e, 4, NULL)));
}
END_TEST

/* Run bin/ntr-plot (NTR_BIN) with up to 3 arguments; its exit status. */
static int run_cli(const char *a1, const char *a2, const char *a3)
{
    char prog[1024];
    snprintf(prog, sizeof prog, "%s/ntr-plot", getenv("NTR_BIN"));
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(prog, prog, a1, a2, a3, (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(test_cli)
{
    if (!getenv("NTR_BIN")) {
        fprintf(stderr, "test_cli: NTR_BIN not set, skipped\n");
        return;
    }
    char *tmp = make_tmp();
    char dir[512];
    snprintf(dir, sizeof dir, "%s/res", tmp);
    ck_assert_int_eq(run_cli("--version", NULL, NULL), 0);
    ck_assert_int_eq(run_cli("--help", NULL, NULL), 0);
    ck_assert_int_eq(run_cli(NULL, NULL, NULL), 2);
    ck_assert_int_eq(run_cli(dir, NULL, NULL), 2);
    ck_assert(access(dir, F_OK) != 0);
    make_result(dir, "a", "b");
    ck_assert_int_eq(run_cli(dir, "--bogus", NULL), 2);
    ck_assert_int_eq(run_cli(dir, "--format", "gif"), 2);
    ck_assert(!exists(dir, "plots") && !exists(dir, "report.md"));
    /* Only into an ntr result folder: a user's folder with a summary.csv
     * and a report.md of its own is refused, nothing written. */
    char user[600], cfg[700], rep[700];
    snprintf(user, sizeof user, "%s/user", tmp);
    make_result(user, "a", "b");
    snprintf(cfg, sizeof cfg, "%s/config.yaml", user);
    ck_assert_int_eq(unlink(cfg), 0);
    snprintf(rep, sizeof rep, "%s/report.md", user);
    write_text(rep, "my own report\n");
    ck_assert_int_eq(run_cli(user, "-q", NULL), 2);
    ck_assert(!exists(user, "plots"));
    FILE *rf = fopen(rep, "r");
    char line[64] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, rf));
    fclose(rf);
    ck_assert_str_eq(line, "my own report\n");
    ck_assert_int_eq(run_cli(rep, NULL, NULL), 2); /* a file, not a folder */
    int expect = ntr_gnuplot_available(NULL) ? 0 : 1;
    ck_assert_int_eq(run_cli(dir, "-q", NULL), expect);
    ck_assert(exists(dir, "report.md"));
    if (expect == 0) {
        ck_assert_int_eq(run_cli(dir, "--format", "pdf"), 0);
        char plots[600];
        snprintf(plots, sizeof plots, "%s/plots", dir);
        ck_assert_int_gt(file_size(plots, "convergence.pdf"), 0);
    }
    rm_rf(tmp);
    free(tmp);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("plot");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_band_unit);
    tcase_add_test(tc, test_quote);
    tcase_add_test(tc, test_gnuplot_hostile_name);
    tcase_add_test(tc, test_pipeline);
    tcase_add_test(tc, test_hostile_folder);
    tcase_add_test(tc, test_gnuplot_missing);
    tcase_add_test(tc, test_bad_folders);
    tcase_add_test(tc, test_median_never);
    tcase_add_test(tc, test_cli);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

/* test_e2e_reference.c: ntr-run against a second implementation.
 *
 * A deterministic run (noise none, CSV data, log every 1) of every method
 * variant is computed here again, independently, from THEORY.md's
 * equations with plain loops on 2 x 2 matrices (the spectral sharp from a
 * closed-form 2 x 2 polar decomposition, not LAPACK), and every logged
 * f(x_k) and ||x_k||_F of ntr-run's trajectory.csv must agree to 1e-9
 * relative.  This checks the whole chain: config, CSV data, start point,
 * oracle, method, norm, runner and output. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/table.h"
#include "support.h"

#define N 4
#define K 40

static const double A[N][2] = {{1.0, 0.5}, {-0.3, 2.0}, {0.7, -1.1}, {1.5, 0.2}};
static const double B[N][2] = {{0.4, -1.0}, {2.0, 0.3}, {-0.6, 0.9}, {1.1, 1.7}};
static const double X0[2][2] = {{0.9, -1.3}, {0.2, 1.6}};

typedef struct variant {
    const char *method, *norm;
    int nesterov, extrapolation, m0_sample;
    double eta, alpha, wd;
} variant;

static const variant variants[] = {
    {"ntr", "euclidean", 0, 0, 1, 0.05, 0.2, 0.0},
    {"ntr", "euclidean", 1, 0, 1, 0.05, 0.2, 0.0},
    {"ntr", "euclidean", 0, 0, 0, 0.05, 0.2, 0.0},
    {"ntr", "euclidean", 0, 0, 1, 0.05, 0.2, 0.5},
    {"ntr", "euclidean", 0, 1, 1, 0.05, 0.5, 0.0},
    {"ntr", "linf", 1, 0, 1, 0.02, 0.3, 0.1},
    {"ntr", "spectral", 0, 0, 1, 0.05, 0.2, 0.0},
    {"ntr", "spectral", 1, 1, 1, 0.03, 0.4, 0.2},
    {"osgdm", "spectral", 0, 0, 1, 0.05, 0.2, 0.0},
    {"osgdm", "spectral", 0, 0, 1, 0.05, 0.2, 0.3},
    {"sgd", "euclidean", 0, 0, 1, 0.1, 1.0, 0.2},
    {"sgdm", "euclidean", 0, 0, 1, 0.1, 0.3, 0.0},
    {"sgdm", "euclidean", 1, 0, 0, 0.1, 0.3, 0.1},
    {"adamw", "euclidean", 0, 0, 0, 0.01, 0.1, 0.05},
};
#define NVAR (sizeof variants / sizeof *variants)

/* f(X) = 1/(2N) ||A X - B||_F^2 and its gradient A^T (A X - B) / N. */
static double fgrad(const double x[4], double g[4])
{
    double f = 0.0;
    double r[N][2];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < 2; j++) {
            r[i][j] = A[i][0] * x[0 * 2 + j] + A[i][1] * x[1 * 2 + j] - B[i][j];
            f += r[i][j] * r[i][j];
        }
    for (int a = 0; a < 2; a++)
        for (int j = 0; j < 2; j++) {
            double s = 0.0;
            for (int i = 0; i < N; i++)
                s += A[i][a] * r[i][j];
            if (g)
                g[a * 2 + j] = s / N;
        }
    return f / (2.0 * N);
}

/* Polar factor of a 2 x 2 matrix M: with M^T M = V diag(l) V^T,
 * Q = M V diag(1/sqrt(l)) V^T (M is generic here: full rank). */
static void polar2(const double m[4], double q[4])
{
    double p = m[0] * m[0] + m[2] * m[2], r = m[1] * m[1] + m[3] * m[3];
    double s = m[0] * m[1] + m[2] * m[3];
    double dm = m[0] * m[3] - m[1] * m[2];
    double tr = p + r, det = dm * dm; /* det(M^T M) = det(M)^2, without cancellation */
    double disc = sqrt(fmax(tr * tr / 4.0 - det, 0.0));
    double l1 = tr / 2.0 + disc, l2 = det / l1;
    double v1[2], v2[2];
    if (fabs(s) > 1e-300) {
        v1[0] = s; v1[1] = l1 - p;
    } else if (p >= r) {
        v1[0] = 1; v1[1] = 0;
    } else {
        v1[0] = 0; v1[1] = 1;
    }
    double n1 = hypot(v1[0], v1[1]);
    v1[0] /= n1; v1[1] /= n1;
    v2[0] = -v1[1]; v2[1] = v1[0];
    /* S^{-1/2} = sum v v^T / sqrt(l) */
    double w[4];
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++)
            w[a * 2 + b] = v1[a] * v1[b] / sqrt(l1) + v2[a] * v2[b] / sqrt(l2);
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++)
            q[a * 2 + b] = m[a * 2 + 0] * w[0 * 2 + b] + m[a * 2 + 1] * w[1 * 2 + b];
}

static void sharp(const char *norm, const double g[4], double out[4])
{
    if (!strcmp(norm, "euclidean")) {
        double n = sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2] + g[3] * g[3]);
        for (int i = 0; i < 4; i++)
            out[i] = n > 0 ? g[i] / n : 0.0;
    } else if (!strcmp(norm, "linf")) {
        for (int i = 0; i < 4; i++)
            out[i] = g[i] > 0 ? 1.0 : g[i] < 0 ? -1.0 : 0.0;
    } else {
        polar2(g, out);
    }
}

/* The reference trajectory: f[k] and ||x_k||_F for k = 0..K. */
static void reference(const variant *v, double f[K + 1], double fro[K + 1])
{
    double x[4], xprev[4], m[4] = {0}, s2[4] = {0}, g[4], d[4], u[4], z[4];
    memcpy(x, X0, sizeof x);
    memcpy(xprev, x, sizeof x);
    double a = v->alpha, eta = v->eta, lam = v->wd;
    int osgdm = !strcmp(v->method, "osgdm"), adam = !strcmp(v->method, "adamw");
    if (v->m0_sample) {
        fgrad(x, g);
        if (osgdm)
            sharp(v->norm, g, m);
        else
            memcpy(m, g, sizeof m);
    }
    for (int k = 0; k <= K; k++) {
        f[k] = fgrad(x, NULL);
        fro[k] = sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[3] * x[3]);
        if (k == K)
            break;
        for (int i = 0; i < 4; i++)
            z[i] = v->extrapolation ? x[i] + (1.0 - a) / a * (x[i] - xprev[i]) : x[i];
        fgrad(z, g);
        memcpy(xprev, x, sizeof x);
        if (!strcmp(v->method, "ntr")) {
            for (int i = 0; i < 4; i++) {
                m[i] = (1.0 - a) * m[i] + a * g[i];
                d[i] = v->nesterov ? (1.0 - a) * m[i] + a * g[i] : m[i];
            }
            sharp(v->norm, d, u);
            for (int i = 0; i < 4; i++)
                x[i] = (1.0 - eta * lam) * x[i] - eta * u[i];
        } else if (osgdm) {
            sharp(v->norm, g, u);
            for (int i = 0; i < 4; i++) {
                m[i] = (1.0 - a) * m[i] + a * u[i];
                x[i] = (1.0 - eta * lam) * x[i] - eta * m[i];
            }
        } else if (!strcmp(v->method, "sgd")) {
            for (int i = 0; i < 4; i++)
                x[i] = (1.0 - eta * lam) * x[i] - eta * g[i];
        } else if (!strcmp(v->method, "sgdm")) {
            for (int i = 0; i < 4; i++) {
                m[i] = (1.0 - a) * m[i] + a * g[i];
                d[i] = v->nesterov ? (1.0 - a) * m[i] + a * g[i] : m[i];
                x[i] = (1.0 - eta * lam) * x[i] - eta * d[i];
            }
        } else if (adam) { /* standard AdamW (m0: zero) */
            double b1 = 1.0 - a, b2 = 0.999, eps = 1e-8;
            int t = k + 1;
            for (int i = 0; i < 4; i++) {
                m[i] = b1 * m[i] + (1.0 - b1) * g[i];
                s2[i] = b2 * s2[i] + (1.0 - b2) * g[i] * g[i];
                double mh = m[i] / (1.0 - pow(b1, t)), vh = s2[i] / (1.0 - pow(b2, t));
                x[i] = x[i] - eta * (mh / (sqrt(vh) + eps) + lam * x[i]);
            }
        }
    }
}

static char *dir;

static void write_data(void)
{
    char buf[512];
    size_t u = 0;
    u += (size_t)snprintf(buf + u, sizeof buf - u, "# A: 4 samples x 2\n");
    for (int i = 0; i < N; i++)
        u += (size_t)snprintf(buf + u, sizeof buf - u, "%.17g,%.17g\n", A[i][0], A[i][1]);
    char *p = ts_path("%s/A.csv", dir);
    ck_assert_int_eq(ts_write_file(p, buf), 0);
    free(p);
    u = 0;
    for (int i = 0; i < N; i++)
        u += (size_t)snprintf(buf + u, sizeof buf - u, "%.17g,%.17g\n", B[i][0], B[i][1]);
    p = ts_path("%s/B.csv", dir);
    ck_assert_int_eq(ts_write_file(p, buf), 0);
    free(p);
    snprintf(buf, sizeof buf, "%.17g,%.17g\n%.17g,%.17g\n", X0[0][0], X0[0][1], X0[1][0], X0[1][1]);
    p = ts_path("%s/X0.csv", dir);
    ck_assert_int_eq(ts_write_file(p, buf), 0);
    free(p);
}

START_TEST(variant_matches_reference)
{
    const variant *v = &variants[_i];
    dir = ts_tmpdir();
    ck_assert_ptr_nonnull(dir);
    write_data();
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "name: ref\nproblem: {type: least_squares, A: A.csv, B: B.csv}\n"
             "noise: {type: none}\n"
             "method: {name: %s, norm: %s, eta: %.17g, alpha: %.17g, weight_decay: %.17g,\n"
             "         nesterov: %s, extrapolation: %s, m0: %s}\n"
             "init: {file: X0.csv}\nbudget: {iterations: %d}\nlog: {every: 1}\n",
             v->method, v->norm, v->eta, v->alpha, v->wd, v->nesterov ? "true" : "false",
             v->extrapolation ? "true" : "false", v->m0_sample ? "sample" : "zero", K);
    char *cpath = ts_path("%s/ref.yaml", dir);
    char *out = ts_path("%s/out", dir);
    ck_assert_int_eq(ts_write_file(cpath, cfg), 0);
    char *bin = ts_bin("ntr-run");
    const char *argv[] = {bin, cpath, "-o", out, "-q", "--no-plot", NULL};
    ts_result r;
    ck_assert_int_eq(ts_run(argv, &r), 0);
    ck_assert_msg(r.code == 0, "ntr-run exit %d: %s", r.code, r.err);
    ts_result_free(&r);

    /* the single cell's trajectory */
    char *sum = ts_path("%s/summary.csv", out);
    char *text = ts_read_file(sum, NULL);
    ck_assert_ptr_nonnull(text);
    char *line = strchr(text, '\n') + 1;
    char hash[17];
    ck_assert_int_eq(sscanf(line, "0,%16[0-9a-f],", hash), 1);
    char *tpath = ts_path("%s/cells/%s/trajectory.csv", out, hash);
    ntr_table *traj = NULL;
    ntr_error terr;
    memset(&terr, 0, sizeof terr);
    ck_assert_msg(ntr_table_read(tpath, &traj, &terr) == 0, "%s", terr.msg);

    double f[K + 1], fro[K + 1];
    reference(v, f, fro);
    /* columns by name: the trajectory may gain columns */
    long ck = ntr_table_find(traj, "k"), csfo = ntr_table_find(traj, "sfo");
    long cf = ntr_table_find(traj, "f"), cfro = ntr_table_find(traj, "x_fro");
    ck_assert(ck >= 0 && csfo >= 0 && cf >= 0 && cfro >= 0);
    int rows = 0;
    for (size_t i = 0; i < ntr_table_rows(traj); i++) {
        long k = (long)ntr_table_num(traj, i, (size_t)ck);
        long sfo = (long)ntr_table_num(traj, i, (size_t)csfo);
        double fk = ntr_table_num(traj, i, (size_t)cf), xf = ntr_table_num(traj, i, (size_t)cfro);
        ck_assert_int_eq(k, rows);
        ck_assert_int_eq(sfo, k + (v->m0_sample ? 1 : 0));
        ck_assert_msg(fabs(fk - f[k]) <= 1e-9 * fabs(f[k]), "%s/%s k=%ld: f %.17g vs %.17g",
                      v->method, v->norm, k, fk, f[k]);
        ck_assert_msg(fabs(xf - fro[k]) <= 1e-9 * fro[k], "%s/%s k=%ld: ||x||_F %.17g vs %.17g",
                      v->method, v->norm, k, xf, fro[k]);
        rows++;
    }
    ck_assert_int_eq(rows, K + 1);
    /* the run moved: the reference is not trivially equal */
    ck_assert(fabs(f[K] - f[0]) > 1e-3 * f[0]);
    ntr_table_free(traj);
    free(tpath);
    free(text);
    free(sum);
    free(bin);
    free(out);
    free(cpath);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("e2e_reference");
    TCase *t = tcase_create("variants");
    tcase_set_timeout(t, 60);
    tcase_add_loop_test(t, variant_matches_reference, 0, (int)NVAR);
    suite_add_tcase(s, t);
    return ts_run_suite(s);
}

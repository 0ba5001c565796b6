/* test_par.c: the thread team (src/linalg/par.c) and the split products
 * (src/linalg/par_blas.c) give the same bytes whatever the number of threads.
 *
 * Unit: every task runs exactly once on teams of 1 to 5 threads; each split
 * product (syrk both ways, symm both sides, gemm in the four transpose
 * combinations) equals the single BLAS call to rounding and is the same
 * bytes on teams of 1, 2, 3 and 5 threads, on shapes below the split size
 * (one call), just above it (256-blocks) and beyond 1024 (512-blocks).
 * Engine: the Newton-Schulz sharp (standard float64 and float32, Gram) on
 * the shapes where products split, the same bytes for every team.
 * End to end: ntr-run --threads 1 and --threads 3 write byte-identical
 * trajectories and summaries (timing aside) for a cell whose products
 * split (least squares 512 x 520, Newton-Schulz and Gram), and a bad
 * --threads value exits 2. */
#include <check.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "linalg/par.h"
#include "linalg/par_blas.h"
#include "linalg/polar.h"
#include "support.h"

static double *random_matrix(size_t n, unsigned seed)
{
    double *a = malloc(n * sizeof *a);
    ck_assert_ptr_nonnull(a);
    unsigned long s = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ul + 1442695040888963407ul;
        a[i] = (double)(s >> 11) / 9007199254740992.0 - 0.5;
    }
    return a;
}

static const int team_sizes[] = {1, 2, 3, 5};
#define NTEAMS (sizeof team_sizes / sizeof team_sizes[0])

static ntr_par *team_of(int threads)
{
    ntr_par *p = NULL;
    ntr_error err;
    ck_assert_msg(ntr_par_create(threads, &p, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(ntr_par_threads(p), threads);
    return p;
}

typedef struct count_ctx {
    atomic_int hits[1000];
} count_ctx;

static void count_task(size_t i, void *ctx)
{
    count_ctx *c = ctx;
    atomic_fetch_add(&c->hits[i], 1);
}

START_TEST(every_task_once)
{
    static count_ctx c;
    for (size_t t = 0; t < NTEAMS; t++) {
        ntr_par *p = team_of(team_sizes[t]);
        for (size_t n = 0; n <= 1000; n += 333) {
            for (size_t i = 0; i < 1000; i++)
                atomic_store(&c.hits[i], 0);
            for (int rep = 0; rep < 3; rep++)
                ntr_par_run(p, n, count_task, &c);
            for (size_t i = 0; i < 1000; i++)
                ck_assert_int_eq(atomic_load(&c.hits[i]), i < n ? 3 : 0);
        }
        ntr_par_free(p);
    }
    ck_assert_int_ge(ntr_cpu_count(), 1);
}
END_TEST

/* Largest |a - b| relative to the largest |b|. */
static double rel_diff(const double *a, const double *b, size_t n)
{
    double d = 0.0, m = 0.0;
    for (size_t i = 0; i < n; i++) {
        d = fmax(d, fabs(a[i] - b[i]));
        m = fmax(m, fabs(b[i]));
    }
    return m > 0.0 ? d / m : d;
}

/* Run `op` on every team; its output (n doubles) must equal the reference
 * (the single BLAS call) to rounding and be the same bytes on every team. */
typedef void (*op_fn)(ntr_par *team, const double *a, const double *b, double *c, int r,
                      int s);

static void check_op(const char *name, op_fn op, size_t na, size_t nb, size_t nc, int r, int s,
                     op_fn reference)
{
    double *a = random_matrix(na, 1), *b = random_matrix(nb, 2);
    double *ref = random_matrix(nc, 3), *first = malloc(nc * sizeof *first);
    double *c = malloc(nc * sizeof *c);
    double *c0 = random_matrix(nc, 3); /* the same starting C for beta != 0 */
    reference(NULL, a, b, ref, r, s);
    for (size_t t = 0; t < NTEAMS; t++) {
        ntr_par *p = team_of(team_sizes[t]);
        memcpy(c, c0, nc * sizeof *c);
        op(p, a, b, c, r, s);
        if (t == 0) {
            memcpy(first, c, nc * sizeof *c);
            double d = rel_diff(c, ref, nc);
            ck_assert_msg(d <= 1e-13, "%s %dx%d: split differs from one call by %.3g", name, r,
                          s, d);
        } else {
            ck_assert_msg(memcmp(c, first, nc * sizeof *c) == 0,
                          "%s %dx%d: %d threads give other bytes than 1", name, r, s,
                          team_sizes[t]);
        }
        ntr_par_free(p);
    }
    free(a);
    free(b);
    free(ref);
    free(first);
    free(c);
    free(c0);
}

/* C (r x r) = A A^T + 0.5 C, A r x s; and C (s x s) = A^T A, A r x s. */
static void syrk_n(ntr_par *t, const double *a, const double *b, double *c, int r, int s)
{
    (void)b;
    ntr_par_dsyrk(t, CblasNoTrans, r, s, 1.0, a, s, 0.5, c, r);
}
static void syrk_n_ref(ntr_par *t, const double *a, const double *b, double *c, int r, int s)
{
    (void)t;
    (void)b;
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, r, s, 1.0, a, s, 0.5, c, r);
}
static void syrk_t(ntr_par *t, const double *a, const double *b, double *c, int r, int s)
{
    (void)b;
    ntr_par_dsyrk(t, CblasTrans, s, r, 1.0, a, s, 0.0, c, s);
}
static void syrk_t_ref(ntr_par *t, const double *a, const double *b, double *c, int r, int s)
{
    (void)t;
    (void)b;
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, s, r, 1.0, a, s, 0.0, c, s);
}
/* C (r x s) = P B, P r x r; C (r x s) = B P, P s x s. */
static void symm_l(ntr_par *t, const double *p, const double *b, double *c, int r, int s)
{
    ntr_par_dsymm(t, CblasLeft, r, s, 1.0, p, r, b, s, 0.0, c, s);
}
static void symm_l_ref(ntr_par *t, const double *p, const double *b, double *c, int r, int s)
{
    (void)t;
    cblas_dsymm(CblasRowMajor, CblasLeft, CblasUpper, r, s, 1.0, p, r, b, s, 0.0, c, s);
}
static void symm_r(ntr_par *t, const double *p, const double *b, double *c, int r, int s)
{
    ntr_par_dsymm(t, CblasRight, r, s, 1.0, p, s, b, s, 0.25, c, s);
}
static void symm_r_ref(ntr_par *t, const double *p, const double *b, double *c, int r, int s)
{
    (void)t;
    cblas_dsymm(CblasRowMajor, CblasRight, CblasUpper, r, s, 1.0, p, s, b, s, 0.25, c, s);
}
/* C (r x s) = op(A) op(B) with inner dimension 300, the four combinations. */
#define INNER 300
#define DEFINE_GEMM(name, ta, tb)                                                               \
    static void name(ntr_par *t, const double *a, const double *b, double *c, int r, int s)   \
    {                                                                                           \
        ntr_par_dgemm(t, ta, tb, r, s, INNER, 0.5, a, ta == CblasNoTrans ? INNER : r, b,       \
                      tb == CblasNoTrans ? s : INNER, -1.0, c, s);                              \
    }                                                                                           \
    static void name##_ref(ntr_par *t, const double *a, const double *b, double *c, int r,     \
                           int s)                                                               \
    {                                                                                           \
        (void)t;                                                                                \
        cblas_dgemm(CblasRowMajor, ta, tb, r, s, INNER, 0.5, a, ta == CblasNoTrans ? INNER : r, \
                    b, tb == CblasNoTrans ? s : INNER, -1.0, c, s);                             \
    }
DEFINE_GEMM(gemm_nn, CblasNoTrans, CblasNoTrans)
DEFINE_GEMM(gemm_nt, CblasNoTrans, CblasTrans)
DEFINE_GEMM(gemm_tn, CblasTrans, CblasNoTrans)
DEFINE_GEMM(gemm_tt, CblasTrans, CblasTrans)

static const int shapes[][2] = {{200, 300}, {520, 300}, {300, 530}, {1100, 520}, {600, 1030}};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

START_TEST(split_products_same_bytes)
{
    for (size_t i = 0; i < NSHAPES; i++) {
        int r = shapes[i][0], s = shapes[i][1];
        size_t rs = (size_t)r * (size_t)s, rr = (size_t)r * (size_t)r, ss = (size_t)s * (size_t)s;
        check_op("syrk A A^T", syrk_n, rs, 1, rr, r, s, syrk_n_ref);
        check_op("syrk A^T A", syrk_t, rs, 1, ss, r, s, syrk_t_ref);
        check_op("symm left", symm_l, rr, rs, rs, r, s, symm_l_ref);
        check_op("symm right", symm_r, ss, rs, rs, r, s, symm_r_ref);
        size_t ni = (size_t)INNER * (size_t)(r > s ? r : s);
        check_op("gemm NN", gemm_nn, ni, ni, rs, r, s, gemm_nn_ref);
        check_op("gemm NT", gemm_nt, ni, ni, rs, r, s, gemm_nt_ref);
        check_op("gemm TN", gemm_tn, ni, ni, rs, r, s, gemm_tn_ref);
        check_op("gemm TT", gemm_tt, ni, ni, rs, r, s, gemm_tt_ref);
    }
}
END_TEST

/* The Newton-Schulz sharp on every team: the same bytes. */
static void check_sharp(size_t rows, size_t cols, const char *coef, int precision, int gram)
{
    size_t n = rows * cols;
    double *g = random_matrix(n, 9), *first = malloc(n * sizeof *first);
    double *out = malloc(n * sizeof *out);
    for (size_t t = 0; t < NTEAMS; t++) {
        ntr_par *p = team_of(team_sizes[t]);
        ntr_lmo_opts o;
        memset(&o, 0, sizeof o);
        ck_assert_int_eq(ntr_lmo_preset(&o, coef, 0), 0);
        o.precision = precision;
        o.gram = gram;
        o.team = p;
        ntr_ns *w = NULL;
        ntr_error err;
        ck_assert_msg(ntr_ns_alloc(rows, cols, &o, &w, &err) == 0, "%s", err.msg);
        ntr_ns_apply(w, g, out);
        if (t == 0)
            memcpy(first, out, n * sizeof *out);
        else
            ck_assert_msg(memcmp(out, first, n * sizeof *out) == 0,
                          "%s %zux%zu precision %d gram %d: %d threads give other bytes", coef,
                          rows, cols, precision, gram, team_sizes[t]);
        ntr_ns_free(w);
        ntr_par_free(p);
    }
    free(g);
    free(first);
    free(out);
}

START_TEST(sharp_same_bytes)
{
    check_sharp(520, 600, "jordan", NTR_PREC_FLOAT64, 0);
    check_sharp(1030, 515, "polar_express", NTR_PREC_FLOAT64, 0);
    check_sharp(520, 600, "jordan", NTR_PREC_FLOAT32, 0);
    check_sharp(512, 1100, "jordan", NTR_PREC_FLOAT64, 1);
    check_sharp(2100, 520, "polar_express", NTR_PREC_FLOAT64, 1);
}
END_TEST

static const char big_yaml[] =
    "name: big\n"
    "seed: 2\n"
    "problem: {type: least_squares, shape: [512, 520], samples: 1030}\n"
    "noise: {type: gaussian, sigma: 0.1}\n"
    "method: {name: ntr, norm: spectral, eta: 0.01, alpha: 0.2,\n"
    "         lmo: {solver: newton_schulz}}\n"
    "budget: {iterations: 4}\n"
    "log: {every: 1}\n"
    "sweep:\n"
    "  method.lmo.gram: [false, true]\n";

START_TEST(run_same_bytes_any_threads)
{
    ts_scratch s = ts_scratch_new(big_yaml);
    char *o1 = ts_path("%s/t1", s.dir), *o3 = ts_path("%s/t3", s.dir);
    ts_result r;
    NTR_RUN(r, s.config, "-o", o1, "--no-plot", "-q", "--threads", "1");
    ck_assert_msg(r.code == 0, "%s", r.err);
    ts_result_free(&r);
    NTR_RUN(r, s.config, "-o", o3, "--no-plot", "-q", "--threads", "3");
    ck_assert_msg(r.code == 0, "%s", r.err);
    ts_result_free(&r);
    ntr_plan *plan = ts_plan_of(s.config);
    ck_assert_int_eq((int)plan->ncells, 2);
    for (size_t c = 0; c < plan->ncells; c++) {
        char *a = ts_path("%s/cells/%s/trajectory.csv", o1, plan->cells[c].hash);
        char *b = ts_path("%s/cells/%s/trajectory.csv", o3, plan->cells[c].hash);
        ck_assert_msg(ts_files_equal(a, b), "cell %zu: trajectories differ", c);
        free(a);
        free(b);
    }
    ntr_plan_free(plan);
    char *a = ts_path("%s/summary.csv", o1), *b = ts_path("%s/summary.csv", o3);
    char *ta = ts_read_file(a, NULL), *tb = ts_read_file(b, NULL);
    char *ca = ts_without_last_column(ta), *cb = ts_without_last_column(tb);
    ck_assert_str_eq(ca, cb);
    free(a);
    free(b);
    free(ta);
    free(tb);
    free(ca);
    free(cb);
    /* A bad value: exit 2, nothing written. */
    char *o4 = ts_path("%s/t4", s.dir);
    NTR_RUN(r, s.config, "-o", o4, "--threads", "0");
    ck_assert_int_eq(r.code, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "--threads takes a number of threads"));
    ck_assert(!ts_exists(o4));
    ts_result_free(&r);
    free(o1);
    free(o3);
    free(o4);
    ts_scratch_free(&s);
}
END_TEST

int main(void)
{
    openblas_set_num_threads(1);
    Suite *s = suite_create("par");
    TCase *tc = tcase_create("par");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, every_task_once);
    tcase_add_test(tc, split_products_same_bytes);
    tcase_add_test(tc, sharp_same_bytes);
    tcase_add_test(tc, run_same_bytes_any_threads);
    suite_add_tcase(s, tc);
    return ts_rerun_with_avx512_kernels(ts_run_suite(s));
}

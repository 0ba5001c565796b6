/* bench_kernels.c: the kernels of `make bench` (bench/run-bench): the GEMM
 * roofline and the spectral sharp per call.
 *
 *   bench_kernels gemm N REPS [THREADS]     dgemm and sgemm of N x N matrices
 *   bench_kernels sharp ROWS COLS ENGINE REPS [THREADS]
 *       ENGINE: svd | ns64 (jordan, float64) | ns32 (jordan, float32) | pe (polar_express)
 *               | gram (jordan, Gram Newton-Schulz) | pegram (polar_express, Gram)
 *   bench_kernels nuclear ROWS COLS REPS   the nuclear norm of the measurement,
 *       with its relative difference from the sum of dgesdd's singular values
 *
 * Each prints one JSON object per line with the CPU times of every
 * repetition (seconds; the first call, a warm-up, is not counted) so that the driver
 * takes medians and spreads.  One BLAS thread, as ntr-run uses per cell;
 * with THREADS > 1 the wall-clock times of OpenBLAS on that many threads
 * (gemm) or of the sharp on a team of that many threads (par.h).
 * For the sharp it also prints the FLOP counts (see flops_ns) and the
 * orthogonality error ||O O^T - I||_op (wide) or ||O^T O - I||_op (tall)
 * of the output O, on the Gaussian input the times are taken on and on an
 * input with singular values log-spaced over [1e-2, 1] (condition 100). */
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "linalg/linalg.h"
#include "linalg/par.h"
#include "linalg/polar.h"

/* CPU time of this thread: on a shared machine it leaves out the time the
 * thread waits for a core (one BLAS thread: the BLAS runs in this thread). */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Wall-clock time, for runs on several threads. */
static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void fill_normal(double *x, size_t n, unsigned long long seed)
{
    unsigned long long s = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    for (size_t i = 0; i < n; i += 2) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double u1 = ((double)(s >> 11) + 0.5) / 9007199254740992.0;
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double u2 = ((double)(s >> 11) + 0.5) / 9007199254740992.0;
        double r = sqrt(-2.0 * log(u1));
        x[i] = r * cos(2.0 * M_PI * u2);
        if (i + 1 < n)
            x[i + 1] = r * sin(2.0 * M_PI * u2);
    }
}

static void print_times(const double *t, int reps)
{
    printf("\"times\": [");
    for (int i = 0; i < reps; i++)
        printf("%s%.9g", i ? ", " : "", t[i]);
    printf("]");
}

static int bench_gemm(int n, int reps, int threads)
{
    double (*clock_s)(void) = threads > 1 ? wall_s : now_s;
    openblas_set_num_threads(threads > 1 ? threads : 1);
    size_t nn = (size_t)n * (size_t)n;
    double *a = malloc(nn * sizeof *a), *b = malloc(nn * sizeof *b), *c = malloc(nn * sizeof *c);
    float *fa = malloc(nn * sizeof *fa), *fb = malloc(nn * sizeof *fb),
          *fc = malloc(nn * sizeof *fc);
    double *t = malloc((size_t)reps * sizeof *t);
    if (!a || !b || !c || !fa || !fb || !fc || !t)
        return 1;
    fill_normal(a, nn, 1);
    fill_normal(b, nn, 2);
    for (size_t i = 0; i < nn; i++) {
        fa[i] = (float)a[i];
        fb[i] = (float)b[i];
    }
    double flops = 2.0 * (double)n * (double)n * (double)n;
    for (int prec = 0; prec < 2; prec++) {
        for (int r = -1; r < reps; r++) {
            double t0 = clock_s();
            if (prec == 0)
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, b, n,
                            0.0, c, n);
            else
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, fa, n, fb,
                            n, 0.0f, fc, n);
            if (r >= 0)
                t[r] = clock_s() - t0;
        }
        printf("{\"kind\": \"gemm\", \"prec\": \"%s\", \"n\": %d, \"threads\": %d, "
               "\"flops\": %.6g, ",
               prec ? "float32" : "float64", n, threads > 1 ? threads : 1, flops);
        print_times(t, reps);
        printf("}\n");
    }
    free(a);
    free(b);
    free(c);
    free(fa);
    free(fb);
    free(fc);
    free(t);
    return 0;
}

/* FLOPs of one Newton-Schulz call of `steps` steps on a rows x cols input,
 * k = min, c = max (multiply-add = 2):
 *   standard: the three GEMMs of the reference algorithm per step,
 *             A = X X^T (2 k^2 c), A A (2 k^3), B X (2 k^2 c);
 *   actual:   what polar_ns.c issues, syrk for X X^T (k^2 c), syrk for
 *             A A^T (k^3), symm for P X (2 k^2 c). */
static void flops_ns(size_t rows, size_t cols, int steps, int gram, double *standard,
                     double *actual)
{
    double k = (double)(rows < cols ? rows : cols), c = (double)(rows < cols ? cols : rows);
    *standard = steps * (4.0 * k * k * c + 2.0 * k * k * k);
    *actual = steps * (3.0 * k * k * c + k * k * k);
    if (gram && c >= 2.0 * k && steps == 5) /* polar_ns_gram.c: 3 k^2 c + 10 k^3 multiply-adds */
        *actual = 6.0 * k * k * c + 20.0 * k * k * k;
}

/* ||O O^T - I||_op for the k x k Gram matrix of the output on its small side. */
static double ortho_error(const double *o, size_t rows, size_t cols)
{
    size_t k = rows < cols ? rows : cols;
    double *g = malloc(k * k * sizeof *g);
    if (!g)
        return NAN;
    if (rows <= cols)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)k, (blasint)k,
                    (blasint)cols, 1.0, o, (blasint)cols, o, (blasint)cols, 0.0, g, (blasint)k);
    else
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)k, (blasint)k,
                    (blasint)rows, 1.0, o, (blasint)cols, o, (blasint)cols, 0.0, g, (blasint)k);
    for (size_t i = 0; i < k; i++)
        g[i * k + i] -= 1.0;
    double e = NAN;
    ntr_error err;
    if (ntr_op_norm(g, k, k, &e, &err) != 0)
        e = NAN;
    free(g);
    return e;
}

/* An orthonormal rows x k matrix (row-major): Q of the QR of a Gaussian. */
static int orthonormal(double *q, size_t rows, size_t k, unsigned long long seed)
{
    double *tau = malloc(k * sizeof *tau);
    if (!tau)
        return -1;
    fill_normal(q, rows * k, seed);
    int rc = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (lapack_int)rows, (lapack_int)k, q, (lapack_int)k,
                            tau) != 0 ||
             LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (lapack_int)rows, (lapack_int)k, (lapack_int)k, q,
                            (lapack_int)k, tau) != 0;
    free(tau);
    return rc ? -1 : 0;
}

/* g = Q1 diag(s) Q2^T with s log-spaced from 1 down to 1e-2. */
static int conditioned(double *g, size_t rows, size_t cols)
{
    size_t k = rows < cols ? rows : cols;
    double *q1 = malloc(rows * k * sizeof *q1), *q2 = malloc(cols * k * sizeof *q2);
    int rc = -1;
    if (q1 && q2 && orthonormal(q1, rows, k, 11) == 0 && orthonormal(q2, cols, k, 12) == 0) {
        for (size_t j = 0; j < k; j++) {
            double s = k > 1 ? pow(1e-2, (double)j / (double)(k - 1)) : 1.0;
            cblas_dscal((blasint)rows, s, q1 + j, (blasint)k);
        }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)rows, (blasint)cols,
                    (blasint)k, 1.0, q1, (blasint)k, q2, (blasint)k, 0.0, g, (blasint)cols);
        rc = 0;
    }
    free(q1);
    free(q2);
    return rc;
}

static int bench_sharp(size_t rows, size_t cols, const char *engine, int reps, int threads)
{
    double (*clock_s)(void) = threads > 1 ? wall_s : now_s;
    ntr_lmo_opts o;
    memset(&o, 0, sizeof o);
    o.precision = NTR_PREC_FLOAT64;
    int ns = 1;
    if (strcmp(engine, "svd") == 0) {
        o.solver = NTR_LMO_SVD;
        ns = 0;
    } else if (strcmp(engine, "ns64") == 0 || strcmp(engine, "ns32") == 0) {
        ntr_lmo_preset(&o, "jordan", 0);
        if (engine[2] == '3')
            o.precision = NTR_PREC_FLOAT32;
    } else if (strcmp(engine, "pe") == 0) {
        ntr_lmo_preset(&o, "polar_express", 0);
    } else if (strcmp(engine, "gram") == 0 || strcmp(engine, "pegram") == 0) {
        ntr_lmo_preset(&o, engine[0] == 'p' ? "polar_express" : "jordan", 0);
        o.gram = 1;
    } else {
        fprintf(stderr, "bench_kernels: unknown engine %s\n", engine);
        return 2;
    }
    ntr_polar *p;
    ntr_error err;
    ntr_par *team = NULL;
    if ((threads > 1 && ntr_par_create(threads, &team, &err) != 0) ||
        (o.team = team, ntr_polar_alloc(rows, cols, &o, &p, &err) != 0)) {
        fprintf(stderr, "bench_kernels: %s\n", err.msg);
        return 2;
    }
    size_t n = rows * cols;
    double *g = malloc(n * sizeof *g), *out = malloc(n * sizeof *out);
    double *t = malloc((size_t)reps * sizeof *t);
    if (!g || !out || !t)
        return 1;
    fill_normal(g, n, 7);
    for (int r = -1; r < reps; r++) {
        double t0 = clock_s();
        ntr_polar_sharp(p, g, out, NULL);
        if (r >= 0)
            t[r] = clock_s() - t0;
    }
    double err_gauss = ortho_error(out, rows, cols), err_cond = NAN;
    if (conditioned(g, rows, cols) == 0) {
        ntr_polar_sharp(p, g, out, NULL);
        err_cond = ortho_error(out, rows, cols);
    }
    double standard = 0.0, actual = 0.0;
    if (ns) {
        flops_ns(rows, cols, o.steps, o.gram, &standard, &actual);
    } else {
        /* Nominal thin SVD (Golub-Van Loan, R-SVD computing U1, S, V:
         * 6 m k^2 + 11 k^3) plus the product U V^T (2 m k^2). */
        double k = (double)(rows < cols ? rows : cols), m = (double)(rows < cols ? cols : rows);
        standard = actual = 8.0 * m * k * k + 11.0 * k * k * k;
    }
    printf("{\"kind\": \"sharp\", \"engine\": \"%s\", \"rows\": %zu, \"cols\": %zu, "
           "\"threads\": %d, \"flops_standard\": %.6g, \"flops_actual\": %.6g, "
           "\"ortho_err\": %.3g, \"ortho_err_cond\": %.3g, ",
           engine, rows, cols, threads > 1 ? threads : 1, standard, actual, err_gauss, err_cond);
    print_times(t, reps);
    printf("}\n");
    free(g);
    free(out);
    free(t);
    ntr_polar_free(p);
    ntr_par_free(team);
    return 0;
}

static int bench_nuclear(size_t rows, size_t cols, int reps)
{
    ntr_polar *p;
    ntr_error err;
    if (ntr_polar_alloc(rows, cols, NULL, &p, &err) != 0) {
        fprintf(stderr, "bench_kernels: %s\n", err.msg);
        return 2;
    }
    size_t n = rows * cols, k = rows < cols ? rows : cols;
    double *g = malloc(n * sizeof *g), *s = malloc(k * sizeof *s);
    double *t = malloc((size_t)reps * sizeof *t);
    if (!g || !s || !t)
        return 1;
    fill_normal(g, n, 7);
    double nuc = 0.0;
    for (int r = -1; r < reps; r++) {
        double t0 = now_s();
        nuc = ntr_polar_nuclear_norm(p, g);
        if (r >= 0)
            t[r] = now_s() - t0;
    }
    double ref = 0.0;
    if (ntr_singular_values(g, rows, cols, s, &err) == 0)
        for (size_t i = k; i-- > 0;)
            ref += s[i];
    printf("{\"kind\": \"nuclear\", \"rows\": %zu, \"cols\": %zu, \"rel_diff\": %.3g, ", rows,
           cols, fabs(nuc - ref) / ref);
    print_times(t, reps);
    printf("}\n");
    free(g);
    free(s);
    free(t);
    ntr_polar_free(p);
    return 0;
}

int main(int argc, char **argv)
{
    openblas_set_num_threads(1);
    if ((argc == 4 || argc == 5) && strcmp(argv[1], "gemm") == 0)
        return bench_gemm(atoi(argv[2]), atoi(argv[3]), argc == 5 ? atoi(argv[4]) : 1);
    if ((argc == 6 || argc == 7) && strcmp(argv[1], "sharp") == 0)
        return bench_sharp((size_t)atol(argv[2]), (size_t)atol(argv[3]), argv[4], atoi(argv[5]),
                           argc == 7 ? atoi(argv[6]) : 1);
    if (argc == 5 && strcmp(argv[1], "nuclear") == 0)
        return bench_nuclear((size_t)atol(argv[2]), (size_t)atol(argv[3]), atoi(argv[4]));
    fprintf(stderr, "usage: bench_kernels gemm N REPS [THREADS] | sharp ROWS COLS "
                    "svd|ns64|ns32|pe|gram|pegram REPS [THREADS] | nuclear ROWS COLS REPS\n");
    return 2;
}

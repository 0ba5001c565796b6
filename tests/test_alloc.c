/* test_alloc.c: nothing allocates inside the iteration loop.
 *
 * The test binary interposes malloc, calloc, realloc, free, posix_memalign,
 * aligned_alloc and memalign (its own definitions win over the C library's
 * for every caller in the process, the BLAS and LAPACK included) and counts
 * the calls made while a flag is on; the wrappers forward to glibc's
 * __libc_* entry points.  The flag is on exactly during ntr_run_execute()
 * of prepared runs covering every norm (spectral with the svd solver and
 * with Newton-Schulz in float64 and float32 and polar_express), every
 * method and its variants, every noise type, step-size schedules, logging
 * settings, targets, divergence and a two-block problem.
 *
 * The BLAS runs on one thread, as ntr-run runs every cell: OpenBLAS's
 * threaded level-3 paths (symm, and gemm beyond small sizes) malloc a buffer
 * per call.  Shapes are chosen to reach OpenBLAS's small-matrix kernels too:
 * its plain "NN" dgemm kernel mallocs when rows % 8 is 1 to 4 and the inner
 * dimension is at least 16, which the spectral sharp therefore avoids.
 *
 * The trajectory and timing go to temporary files whose stdio buffers are
 * set with setvbuf() to arrays of the test before the run: otherwise the C
 * library allocates a FILE's buffer at its first write, which is the
 * runner's header line.  (A caller writing through an unbuffered or
 * pre-sized stream, as here, sees no allocation at all.)
 *
 * Under AddressSanitizer the sanitizer owns malloc: the wrappers are left
 * out and the cases only check that every run completes. */
#include <cblas.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "linalg/par.h"
#include "run/runner.h"
#include "support.h"

#if defined(__SANITIZE_ADDRESS__)
#define NTR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NTR_ASAN 1
#endif
#endif

#ifndef NTR_ASAN
/* ---- the counting allocator (test binary only) ---- */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static volatile int counting;
static volatile long n_alloc, n_free;

void *malloc(size_t n)
{
    if (counting)
        n_alloc++;
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    if (counting)
        n_alloc++;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    if (counting)
        n_alloc++;
    return __libc_realloc(p, n);
}

void free(void *p)
{
    if (counting && p)
        n_free++;
    __libc_free(p);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (counting)
        n_alloc++;
    void *p = __libc_memalign(align, n);
    if (!p)
        return 12; /* ENOMEM */
    *out = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t n)
{
    if (counting)
        n_alloc++;
    return __libc_memalign(align, n);
}

void *memalign(size_t align, size_t n)
{
    if (counting)
        n_alloc++;
    return __libc_memalign(align, n);
}
#else
static int counting;
static long n_alloc, n_free;
#endif

/* Stream buffers of the test (see the header comment). */
static char traj_buf[1 << 16], timing_buf[1 << 16];

static const char *const base_yaml =
    "name: alloc\n"
    "seed: 3\n"
    "problem: {type: least_squares, shape: [8, 5], samples: 24, condition: 5}\n"
    "noise: {type: gaussian, sigma: 0.1}\n"
    "method: {name: ntr, norm: spectral, eta: 0.02, alpha: 0.2}\n"
    "budget: {iterations: 40, targets: [10.0, 0.5]}\n";

/* Run the first cell of the base config with the overrides (NULL
 * terminated) and return the number of allocator calls made inside
 * ntr_run_execute; *status gets the run's status. */
static long allocations(const char *path, const char *const *sets, ntr_par *team,
                        ntr_status *status)
{
    int nsets = 0;
    while (sets[nsets])
        nsets++;
    ntr_plan *plan = NULL;
    ntr_error err;
    memset(&err, 0, sizeof err);
    ck_assert_msg(ntr_plan_load(path, sets, nsets, &plan, &err) == 0, "%s (%s)", err.msg,
                  sets[0] ? sets[0] : "base");
    const ntr_cell *c = &plan->cells[0];
    ntr_run *run = NULL;
    ck_assert_msg(ntr_run_prepare_team(&c->s, c->run_seed, c->init_seed, team, &run, &err) == 0,
                  "%s",
                  err.msg);
    FILE *traj = tmpfile(), *timing = tmpfile();
    ck_assert_ptr_nonnull(traj);
    ck_assert_ptr_nonnull(timing);
    ck_assert_int_eq(setvbuf(traj, traj_buf, _IOFBF, sizeof traj_buf), 0);
    ck_assert_int_eq(setvbuf(timing, timing_buf, _IOFBF, sizeof timing_buf), 0);
    ntr_run_result res;
    n_alloc = n_free = 0;
    counting = 1;
    int rc = ntr_run_execute(run, traj, timing, NULL, &res, &err);
    counting = 0;
    long calls = n_alloc + n_free;
    ck_assert_msg(rc == 0, "%s", err.msg);
    /* The rows were written: the header and at least row 0. */
    ck_assert_int_eq(fflush(traj), 0);
    ck_assert_int_gt(ftell(traj), 80);
    fclose(traj);
    fclose(timing);
    *status = res.status;
    ntr_run_free(run);
    ntr_plan_free(plan);
    return calls;
}

static char *write_base(char **dir)
{
    *dir = ts_tmpdir();
    ck_assert_ptr_nonnull(*dir);
    char *path = ts_path("%s/alloc.yaml", *dir);
    ck_assert_int_eq(ts_write_file(path, base_yaml), 0);
    return path;
}

/* Each case: overrides of the base config. */
#define MAX_SETS 8
typedef struct alloc_case {
    const char *sets[MAX_SETS];
} alloc_case;

static void run_cases_on(const alloc_case *cases, size_t n, ntr_par *team)
{
    char *dir;
    char *path = write_base(&dir);
    for (size_t i = 0; i < n; i++) {
        ntr_status st;
        long calls = allocations(path, cases[i].sets, team, &st);
        char label[512] = "";
        for (int j = 0; cases[i].sets[j]; j++) {
            strncat(label, " ", sizeof label - strlen(label) - 1);
            strncat(label, cases[i].sets[j], sizeof label - strlen(label) - 1);
        }
#ifndef NTR_ASAN
        ck_assert_msg(calls == 0, "%ld allocator calls inside the loop with%s", calls,
                      label[0] ? label : " the base config");
#else
        (void)calls;
#endif
        ck_assert_msg(st != NTR_STATUS_INTERRUPTED, "interrupted with%s", label);
    }
    ts_rmtree(dir);
    free(dir);
    free(path);
}

static void run_cases(const alloc_case *cases, size_t n)
{
    run_cases_on(cases, n, NULL);
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(the_counter_sees_allocations)
{
#ifndef NTR_ASAN
    counting = 1;
    n_alloc = n_free = 0;
    void *p = malloc(32);
    p = realloc(p, 64);
    free(p);
    counting = 0;
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(n_alloc, 2);
    ck_assert_int_eq(n_free, 1);
#else
    fprintf(stderr, "test_alloc: AddressSanitizer build, allocations not counted\n");
#endif
}
END_TEST

START_TEST(every_norm_and_spectral_solver)
{
    static const alloc_case cases[] = {
        {{NULL}},
        {{"method.norm=euclidean", NULL}},
        {{"method.norm=linf", NULL}},
        {{"method.norm=l1", NULL}},
        {{"method.norm=colnorm", NULL}},
        {{"method.norm=rownorm", NULL}},
        {{"method.lmo.solver=svd", NULL}},
        {{"method.lmo.solver=newton_schulz", NULL}},
        {{"method.lmo.solver=newton_schulz", "method.lmo.precision=float32", NULL}},
        {{"method.lmo.solver=newton_schulz", "method.lmo.coefficients=polar_express", NULL}},
        {{"method.lmo.solver=newton_schulz", "method.lmo.coefficients=cubic",
          "method.lmo.steps=3", NULL}},
        {{"method.lmo.solver=polar_express", NULL}},
        {{"problem.shape=[5, 8]", NULL}},
        {{"problem.shape=[5, 8]", "method.lmo.solver=newton_schulz", NULL}},
        {{"problem.shape=[5, 8]", "method.lmo.solver=newton_schulz",
          "method.lmo.precision=float32", NULL}},
        {{"problem.shape=[12, 1]", "method.norm=euclidean", NULL}},
        {{"problem.shape=[100, 1]", "method.norm=euclidean", NULL}},
        {{"problem.shape=[100, 1]", "method.norm=linf", NULL}},
        {{"problem={type: least_squares, shape: [20, 3], samples: 40}", NULL}},
        {{"problem={type: least_squares, shape: [24, 12], samples: 64}", NULL}},
        /* Shapes where a plain "NN" product would reach OpenBLAS's allocating
         * small kernel (a problem without BLAS products of its own). */
        {{"problem={type: sine_quadratic, shape: [24, 20], form: entrywise}", NULL}},
        {{"problem={type: sine_quadratic, shape: [20, 28], form: entrywise}", NULL}},
        {{"problem={type: sine_quadratic, shape: [20, 28], form: entrywise}",
          "method.lmo.solver=newton_schulz", NULL}},
        {{"problem={type: sine_quadratic, shape: [36, 17], form: entrywise}",
          "method.lmo.solver=newton_schulz", "method.lmo.precision=float32", NULL}},
        /* Small Gram matrices (gemm products with AVX-512 kernels): k % 8
         * in 1..4 (where plain products would allocate) and not. */
        {{"problem={type: least_squares, shape: [100, 20], samples: 120}",
          "method.lmo.solver=newton_schulz", NULL}},
        {{"problem={type: least_squares, shape: [36, 72], samples: 80}",
          "method.lmo.solver=newton_schulz", NULL}},
        {{"problem={type: least_squares, shape: [64, 32], samples: 128}",
          "method.lmo.solver=newton_schulz", NULL}},
        /* Gram Newton-Schulz, wide and tall, k % 8 in 1..4 and not. */
        {{"problem={type: least_squares, shape: [20, 100], samples: 120}",
          "method.lmo.solver=newton_schulz", "method.lmo.gram=true", NULL}},
        {{"problem={type: least_squares, shape: [96, 24], samples: 120}",
          "method.lmo.solver=newton_schulz", "method.lmo.coefficients=polar_express",
          "method.lmo.gram=true", NULL}},
    };
    run_cases(cases, N_OF(cases));
}
END_TEST

START_TEST(every_method_and_variant)
{
    static const alloc_case cases[] = {
        {{"method.name=osgdm", NULL}},
        {{"method.name=sgd", NULL}},
        {{"method.name=sgdm", NULL}},
        {{"method.name=adamw", NULL}},
        {{"method.name=adamw", "method.weight_decay=0.1", NULL}},
        {{"method.nesterov=true", NULL}},
        {{"method.extrapolation=true", NULL}},
        {{"method.extrapolation=true", "method.norm=linf", NULL}},
        {{"method.weight_decay=0.05", NULL}},
        {{"method.scale=jordan", NULL}},
        {{"method.scale=rms_match", "method.lmo.solver=newton_schulz", NULL}},
        {{"method.m0=zero", NULL}},
        {{"method.name=sgdm", "method.nesterov=true", "method.norm=euclidean", NULL}},
    };
    run_cases(cases, N_OF(cases));
}
END_TEST

START_TEST(every_noise_type)
{
    static const alloc_case cases[] = {
        {{"noise.type=none", NULL}},
        {{"noise.type=gaussian", "noise.batch=4", NULL}},
        {{"noise.type=student_t", NULL}},
        {{"noise.type=sparse", NULL}},
        {{"noise.type=separable", "noise.support=3", "noise.decay=1", NULL}},
        {{"noise.type=minibatch", "noise.batch=3", NULL}},
        {{"noise.type=minibatch", "method.norm=euclidean", NULL}},
        {{"noise.type=minibatch", "method.lmo.solver=newton_schulz", NULL}},
        {{"noise.type=student_t", "method.norm=linf", NULL}},
    };
    run_cases(cases, N_OF(cases));
}
END_TEST

START_TEST(schedules_logging_targets_divergence)
{
    static const alloc_case cases[] = {
        {{"method.eta={type: cosine, value: 0.05, min: 0.001}", NULL}},
        {{"method.eta={type: inverse_sqrt, value: 0.05, warmup: 5}", NULL}},
        {{"method.eta=0.05/sqrt(k+1)", NULL}},
        {{"log.every=1", NULL}},
        {{"log.every=7", "log.measure_every=3", NULL}},
        {{"log.measure_every=5", NULL}},
        {{"budget.stop_at_target=true", NULL}},
        {{"budget.measure=gap", "budget.targets=[100.0, 1e-3]", NULL}},
        {{"budget.diverge_above=1e-3", NULL}},
        {{"method.eta=1e200", "method.norm=euclidean", NULL}},
        {{"init.type=zeros", NULL}},
        {{"budget.iterations=300", "method.lmo.solver=newton_schulz", NULL}},
    };
    run_cases(cases, N_OF(cases));
}
END_TEST

START_TEST(two_blocks)
{
    static const alloc_case cases[] = {
        {{"problem={type: mlp, samples: 32}", "noise.type=minibatch", "noise.batch=4", NULL}},
        {{"problem={type: mlp, samples: 32}", "method.lmo.solver=newton_schulz",
          "method.lmo.precision=float32", NULL}},
        {{"problem={type: mlp, samples: 32}", "method.norm=rownorm", NULL}},
        {{"problem={type: mlp, samples: 32}", "method.name=adamw", NULL}},
    };
    run_cases(cases, N_OF(cases));
}
END_TEST

/* Products large enough to be split over a thread team (par_blas.c): the
 * helper threads allocate nothing either. */
START_TEST(split_products_on_a_team)
{
    static const alloc_case cases[] = {
        {{"problem={type: least_squares, shape: [512, 520], samples: 1030}",
          "method.lmo.solver=newton_schulz", "budget.iterations=3", NULL}},
        {{"problem={type: least_squares, shape: [520, 512], samples: 1030}",
          "method.lmo.solver=newton_schulz", "method.lmo.precision=float32",
          "budget.iterations=3", NULL}},
        {{"problem={type: least_squares, shape: [512, 1030], samples: 1030}",
          "method.lmo.solver=newton_schulz", "method.lmo.gram=true", "budget.iterations=3",
          NULL}},
    };
    ntr_par *team = NULL;
    ntr_error err;
    ck_assert_msg(ntr_par_create(2, &team, &err) == 0, "%s", err.msg);
    run_cases_on(cases, N_OF(cases), team);
    ntr_par_free(team);
}
END_TEST

int main(void)
{
    openblas_set_num_threads(1);
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("alloc");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, the_counter_sees_allocations);
    tcase_add_test(tc, every_norm_and_spectral_solver);
    tcase_add_test(tc, every_method_and_variant);
    tcase_add_test(tc, every_noise_type);
    tcase_add_test(tc, schedules_logging_targets_divergence);
    tcase_add_test(tc, two_blocks);
    tcase_add_test(tc, split_products_on_a_team);
    suite_add_tcase(s, tc);
    return ts_rerun_with_avx512_kernels(ts_run_suite(s));
}

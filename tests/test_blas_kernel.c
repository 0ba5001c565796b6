/* test_blas_kernel.c: the start-up selection of OpenBLAS's kernels
 * (src/linalg/blas_kernel.c).
 *
 * Unit: the instruction-set table of OpenBLAS core names, the decision
 * (older kernels than the CPU supports are replaced, equal or newer or
 * unknown ones never), the CPU level against GCC's own feature test.
 * End to end, through ntr-run: OPENBLAS_CORETYPE=Prescott with
 * NTR_BLAS_AUTO=force makes OpenBLAS load its fallback kernels; ntr-run
 * must restart once with the CPU's best kernels, say so in exactly one line
 * on stderr (none with -q; one with -j 2, whose workers are forked, not
 * restarted) and record them in manifest.json; NTR_BLAS_AUTO=0 and a
 * user's OPENBLAS_CORETYPE are left alone; a process that has already been
 * restarted (NTR_BLAS_AUTO_FROM set) never restarts again, even when the
 * kernels it got are still a fallback; a bad NTR_BLAS_AUTO exits 2. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/blas_kernel.h"
#include "support.h"

static const char tiny_yaml[] =
    "name: tiny\n"
    "seed: 3\n"
    "problem: {type: least_squares, shape: [6, 4], samples: 12}\n"
    "noise: {type: gaussian, sigma: 0.1, batch: 1}\n"
    "method: {name: ntr, norm: spectral, eta: 0.05, alpha: 0.2}\n"
    "budget: {iterations: 20, targets: [1.0]}\n"
    "seeds: 2\n";

START_TEST(core_table)
{
    ck_assert_int_eq(ntr_blas_kernel_isa("Prescott"), NTR_ISA_SSE);
    ck_assert_int_eq(ntr_blas_kernel_isa("Nehalem"), NTR_ISA_SSE);
    ck_assert_int_eq(ntr_blas_kernel_isa("Sandybridge"), NTR_ISA_AVX);
    ck_assert_int_eq(ntr_blas_kernel_isa("Haswell"), NTR_ISA_AVX2);
    ck_assert_int_eq(ntr_blas_kernel_isa("zen"), NTR_ISA_AVX2);
    ck_assert_int_eq(ntr_blas_kernel_isa("SkylakeX"), NTR_ISA_AVX512);
    ck_assert_int_eq(ntr_blas_kernel_isa("Cooperlake"), NTR_ISA_AVX512);
    ck_assert_int_eq(ntr_blas_kernel_isa("Zen5"), NTR_ISA_UNKNOWN);
    ck_assert_int_eq(ntr_blas_kernel_isa(NULL), NTR_ISA_UNKNOWN);
    /* What is selected for a level has that level. */
    for (int isa = NTR_ISA_AVX; isa <= NTR_ISA_AVX512; isa++)
        ck_assert_int_eq(ntr_blas_kernel_isa(ntr_blas_kernel_for_isa(isa)), isa);
    ck_assert_ptr_null(ntr_blas_kernel_for_isa(NTR_ISA_SSE));
}
END_TEST

START_TEST(decision)
{
    ck_assert_str_eq(ntr_blas_kernel_better("Prescott", NTR_ISA_AVX512), "SkylakeX");
    ck_assert_str_eq(ntr_blas_kernel_better("Haswell", NTR_ISA_AVX512), "SkylakeX");
    ck_assert_str_eq(ntr_blas_kernel_better("Zen", NTR_ISA_AVX512), "SkylakeX");
    ck_assert_str_eq(ntr_blas_kernel_better("Prescott", NTR_ISA_AVX2), "Haswell");
    ck_assert_str_eq(ntr_blas_kernel_better("Nehalem", NTR_ISA_AVX), "Sandybridge");
    /* Same level or newer: kept. */
    ck_assert_ptr_null(ntr_blas_kernel_better("Cooperlake", NTR_ISA_AVX512));
    ck_assert_ptr_null(ntr_blas_kernel_better("SkylakeX", NTR_ISA_AVX512));
    ck_assert_ptr_null(ntr_blas_kernel_better("Zen", NTR_ISA_AVX2));
    ck_assert_ptr_null(ntr_blas_kernel_better("SkylakeX", NTR_ISA_AVX2));
    ck_assert_ptr_null(ntr_blas_kernel_better("Prescott", NTR_ISA_SSE));
    /* Unknown core (a newer OpenBLAS) or unknown CPU: kept. */
    ck_assert_ptr_null(ntr_blas_kernel_better("Zen5", NTR_ISA_AVX512));
    ck_assert_ptr_null(ntr_blas_kernel_better("Prescott", NTR_ISA_UNKNOWN));
}
END_TEST

START_TEST(cpu_level)
{
    int isa = ntr_blas_cpu_isa();
#if defined(__x86_64__)
    __builtin_cpu_init();
    ck_assert_int_eq(isa >= NTR_ISA_AVX512, __builtin_cpu_supports("avx512f") &&
                                                __builtin_cpu_supports("avx512vl") &&
                                                __builtin_cpu_supports("avx512bw") &&
                                                __builtin_cpu_supports("avx512dq") &&
                                                __builtin_cpu_supports("avx512cd"));
    ck_assert_int_eq(isa >= NTR_ISA_AVX, __builtin_cpu_supports("avx") != 0);
    ck_assert_int_ge(isa, NTR_ISA_SSE);
#else
    ck_assert_int_eq(isa, NTR_ISA_UNKNOWN);
#endif
}
END_TEST

/* Run ntr-run on the tiny config with the given BLAS environment (NULL:
 * unset), the others left as they are. */
static void run_with(ts_result *r, const char *coretype, const char *mode, const char *from,
                     const char *const *args)
{
    static const char *const names[] = {"OPENBLAS_CORETYPE", "NTR_BLAS_AUTO",
                                        "NTR_BLAS_AUTO_FROM"};
    const char *vals[] = {coretype, mode, from};
    char *saved[3];
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(names[i]);
        saved[i] = v ? strdup(v) : NULL;
        if (vals[i])
            setenv(names[i], vals[i], 1);
        else
            unsetenv(names[i]);
    }
    ck_assert(ts_run_bin(r, "ntr-run", args[0], args[1], args[2], args[3], args[4], args[5],
                         args[6], (const char *)NULL) == 0);
    for (int i = 0; i < 3; i++) {
        if (saved[i])
            setenv(names[i], saved[i], 1);
        else
            unsetenv(names[i]);
        free(saved[i]);
    }
}

/* The manifest's blas_kernel object, as "name chosen_by openblas_choice". */
static char *kernel_record(const char *outdir)
{
    char *path = ts_path("%s/manifest.json", outdir);
    json_error_t je;
    json_t *m = json_load_file(path, 0, &je);
    ck_assert_msg(m != NULL, "manifest: %s", je.text);
    json_t *k = json_object_get(m, "blas_kernel");
    ck_assert_ptr_nonnull(k);
    const char *choice = json_string_value(json_object_get(k, "openblas_choice"));
    const char *note = json_string_value(json_object_get(k, "note"));
    char *s = ts_path("%s %s %s%s%s", json_string_value(json_object_get(k, "name")),
                      json_string_value(json_object_get(k, "chosen_by")), choice ? choice : "-",
                      note ? " note: " : "", note ? note : "");
    json_decref(m);
    free(path);
    return s;
}

static int count_lines_with(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* The kernels this CPU should end up with from a Prescott start. */
static const char *expected_best(void)
{
    const char *best = ntr_blas_kernel_for_isa(ntr_blas_cpu_isa());
    return best ? best : "Prescott";
}

static void check_forced_fallback(const char *jobs, int quiet)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    const char *args[8] = {s.config, "-o", out, "--no-plot", "-j", jobs, quiet ? "-q" : NULL,
                           NULL};
    ts_result r;
    run_with(&r, "Prescott", "force", NULL, args);
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    const char *best = expected_best();
    char *rec = kernel_record(out);
    if (strcmp(best, "Prescott") == 0) { /* an SSE-only CPU: nothing better */
        ck_assert_str_eq(rec, "Prescott OPENBLAS_CORETYPE -");
        ck_assert_int_eq(count_lines_with(r.err, "kernels"), 0);
    } else {
        char *want = ts_path("%s ntr Prescott", best);
        ck_assert_str_eq(rec, want);
        free(want);
        ck_assert_int_eq(
            count_lines_with(r.err, "ntr-run: OpenBLAS had loaded its Prescott kernels on a CPU"),
            quiet ? 0 : 1);
        ck_assert_int_eq(count_lines_with(r.err, "kernels"), quiet ? 0 : 1);
        if (!quiet) {
            char *using = ts_path("; using %s (NTR_BLAS_AUTO=0", best);
            ck_assert_msg(strstr(r.err, using) != NULL, "stderr: %s", r.err);
            free(using);
        }
    }
    free(rec);
    ts_result_free(&r);
    free(out);
    ts_scratch_free(&s);
}

START_TEST(forced_fallback_selected_once)
{
    check_forced_fallback("1", 0);
}
END_TEST

START_TEST(forced_fallback_quiet)
{
    check_forced_fallback("1", 1);
}
END_TEST

START_TEST(forced_fallback_workers)
{
    check_forced_fallback("2", 0);
}
END_TEST

START_TEST(off_and_user_choice_kept)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    const char *args[8] = {s.config, "-o", out, "--no-plot", NULL};
    ts_result r;
    /* NTR_BLAS_AUTO=0, even with force-worthy fallback kernels. */
    run_with(&r, "Prescott", "0", NULL, args);
    ck_assert_int_eq(r.code, 0);
    ck_assert_int_eq(count_lines_with(r.err, "kernels"), 0);
    char *rec = kernel_record(out);
    ck_assert_str_eq(rec, "Prescott OPENBLAS_CORETYPE -");
    free(rec);
    ts_result_free(&r);
    /* The default mode leaves a user's OPENBLAS_CORETYPE alone. */
    run_with(&r, "Prescott", NULL, NULL, args);
    ck_assert_int_eq(r.code, 0);
    ck_assert_int_eq(count_lines_with(r.err, "kernels"), 0);
    rec = kernel_record(out);
    ck_assert_str_eq(rec, "Prescott OPENBLAS_CORETYPE -");
    free(rec);
    ts_result_free(&r);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

/* A process started with the guard set is a restarted one: it never
 * restarts again, and says so when it did not get what was asked. */
START_TEST(restarted_process_never_restarts)
{
    if (ntr_blas_cpu_isa() <= NTR_ISA_SSE)
        return; /* nothing would be selected anyway */
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    const char *args[8] = {s.config, "-o", out, "--no-plot", NULL};
    ts_result r;
    /* Katmai is a 32-bit core: a 64-bit OpenBLAS loads Prescott instead,
     * still a fallback on this CPU. */
    run_with(&r, "Katmai", "force", "Prescott", args);
    ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
    char *rec = kernel_record(out);
    ck_assert_msg(strcmp(rec, "Prescott OPENBLAS_CORETYPE - note: asked OpenBLAS for Katmai "
                              "kernels, got Prescott") == 0,
                  "manifest: %s", rec);
    ck_assert_int_eq(count_lines_with(r.err, "warning: asked OpenBLAS for Katmai"), 1);
    free(rec);
    ts_result_free(&r);
    /* Without the guard the same start is restarted with the best kernels. */
    run_with(&r, "Katmai", "force", NULL, args);
    ck_assert_int_eq(r.code, 0);
    rec = kernel_record(out);
    char *want = ts_path("%s ntr Prescott", expected_best());
    ck_assert_str_eq(rec, want);
    free(want);
    free(rec);
    ts_result_free(&r);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(bad_mode_exits_2)
{
    ts_scratch s = ts_scratch_new(tiny_yaml);
    char *out = ts_path("%s/out", s.dir);
    const char *args[8] = {s.config, "-o", out, NULL};
    ts_result r;
    run_with(&r, NULL, "yes", NULL, args);
    ck_assert_int_eq(r.code, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "NTR_BLAS_AUTO must be 0, 1 or force, not 'yes'"));
    ck_assert(!ts_exists(out));
    ts_result_free(&r);
    free(out);
    ts_scratch_free(&s);
}
END_TEST

START_TEST(version_names_kernels)
{
    const char *args[8] = {"--version", NULL};
    ts_result r;
    run_with(&r, "Prescott", "0", NULL, args);
    ck_assert_int_eq(r.code, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\nblas: Prescott kernels, chosen by OPENBLAS_CORETYPE"));
    ts_result_free(&r);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("blas_kernel");
    TCase *t = tcase_create("unit");
    tcase_add_test(t, core_table);
    tcase_add_test(t, decision);
    tcase_add_test(t, cpu_level);
    suite_add_tcase(s, t);
    t = tcase_create("e2e");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, forced_fallback_selected_once);
    tcase_add_test(t, forced_fallback_quiet);
    tcase_add_test(t, forced_fallback_workers);
    tcase_add_test(t, off_and_user_choice_kept);
    tcase_add_test(t, restarted_process_never_restarts);
    tcase_add_test(t, bad_mode_exits_2);
    tcase_add_test(t, version_names_kernels);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return ts_run_suite(suite());
}

/* support_ck.c: the test helpers that assert with Check (see support.h):
 * scratch folders, planning a config, running a suite (and running it again
 * on AVX-512 kernels). */
#include <cblas.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linalg/blas_kernel.h"
#include "config/plan.h"
#include "support.h"

ts_scratch ts_scratch_new(const char *yaml)
{
    ts_scratch s;
    s.dir = ts_tmpdir();
    ck_assert_ptr_nonnull(s.dir);
    s.config = ts_path("%s/tiny.yaml", s.dir);
    ck_assert_int_eq(ts_write_file(s.config, yaml), 0);
    return s;
}

void ts_scratch_free(ts_scratch *s)
{
    ck_assert_int_eq(ts_rmtree(s->dir), 0);
    free(s->dir);
    free(s->config);
}

ntr_plan *ts_plan_of(const char *config)
{
    ntr_plan *p;
    ntr_error err;
    ck_assert_msg(ntr_plan_load(config, NULL, 0, &p, &err) == 0, "plan: %s", err.msg);
    return p;
}

int ts_rerun_with_avx512_kernels(int rc)
{
    if (getenv("NTR_TEST_AVX512_PASS") || ntr_blas_cpu_isa() < NTR_ISA_AVX512 ||
        ntr_blas_kernel_isa(openblas_get_corename()) >= NTR_ISA_AVX512)
        return rc;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        setenv("NTR_TEST_AVX512_PASS", "1", 1);
        setenv("OPENBLAS_CORETYPE", ntr_blas_kernel_for_isa(NTR_ISA_AVX512), 1);
        char *const argv[] = {(char *)"test (SkylakeX kernels)", NULL};
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "the second pass with AVX-512 kernels failed\n");
        return EXIT_FAILURE;
    }
    return rc;
}

int ts_run_suite(Suite *s)
{
    /* The commands under test keep the BLAS kernels of this process's
     * environment (tests/run-tests sets OPENBLAS_CORETYPE to the ones ntr
     * selects), so that they compute like the test itself; the selection is
     * tested on its own, in test_blas_kernel. */
    setenv("NTR_BLAS_AUTO", "0", 0);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

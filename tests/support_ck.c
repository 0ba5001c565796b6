/* support_ck.c: the test helpers that assert with Check (see support.h):
 * scratch folders, planning a config, running a suite. */
#include <check.h>
#include <stdlib.h>

#include "../src/config/plan.h"
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

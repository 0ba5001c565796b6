/* problem_kv.h: helpers for the problem tests: a key/value view built from
 * "key", "value" string pairs (each value at its own made-up position in
 * "test.yaml", line = pair index + 1, column 5), data file paths under
 * tests/data, and creating a problem by registry name.  Static inline so
 * that each test file takes only what it uses. */
#ifndef NTR_TEST_PROBLEM_KV_H
#define NTR_TEST_PROBLEM_KV_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "problems/problem.h"
#include "base/node.h"

/* Folder of the test data: $NTR_TESTS/data (set by tests/run-tests) or
 * tests/data relative to the repository root. */
static inline const char *test_data_dir(void)
{
    static char dir[1024];
    const char *t = getenv("NTR_TESTS");
    snprintf(dir, sizeof dir, "%s/data", t && t[0] ? t : "tests");
    return dir;
}

/* A map node from NULL-terminated key, value pairs. */
static inline ntr_node *test_map(const char *const *pairs)
{
    ntr_pos top = {"test.yaml", 1, 1};
    ntr_node *m = ntr_node_map(top);
    ck_assert_ptr_nonnull(m);
    for (int i = 0; pairs && pairs[2 * i]; i++) {
        ntr_pos kp = {"test.yaml", i + 1, 1};
        ntr_pos vp = {"test.yaml", i + 1, 5};
        ntr_node *v = ntr_node_scalar(pairs[2 * i + 1], vp, 0);
        ck_assert_int_eq(ntr_node_put(m, pairs[2 * i], kp, v), 0);
    }
    return m;
}

/* Create the named problem from pairs and a layout (NULL: shape unset); the
 * data folder is the config folder, so "A: ls_a.csv" names tests/data/ls_a.csv. */
static inline int test_create_layout(ntr_problem *p, const char *name, const char *const *pairs,
                                     const ntr_layout *shape, unsigned long seed, ntr_error *err)
{
    const ntr_problem_type *t = ntr_problem_lookup(name);
    ck_assert_msg(t != NULL, "problem %s is not registered", name);
    ntr_node *m = test_map(pairs);
    ntr_kv kv = {m, "problem", test_data_dir()};
    ntr_problem_env env;
    memset(&env, 0, sizeof env);
    if (shape) {
        env.shape = *shape;
        env.shape_pos = (ntr_pos){"test.yaml", 99, 8};
    }
    env.data_rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(env.data_rng, seed);
    memset(err, 0, sizeof *err);
    int rc = ntr_problem_create(p, t, &kv, &env, err);
    gsl_rng_free(env.data_rng);
    ntr_node_free(m);
    return rc;
}

/* The same with one rows x cols block (rows 0: shape unset). */
static inline int test_create(ntr_problem *p, const char *name, const char *const *pairs,
                              size_t rows, size_t cols, unsigned long seed, ntr_error *err)
{
    ntr_layout lay = ntr_layout_single(rows, cols);
    return test_create_layout(p, name, pairs, rows ? &lay : NULL, seed, err);
}

/* Expect creation to fail with an input error whose message names key. */
static inline void test_create_fails(const char *name, const char *const *pairs, size_t rows,
                                     size_t cols, const char *key)
{
    ntr_problem p;
    ntr_error err;
    int rc = test_create(&p, name, pairs, rows, cols, 1, &err);
    ck_assert_msg(rc == -1, "%s: creation should fail (key %s)", name, key);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert_msg(strstr(err.msg, key) != NULL, "message '%s' should name '%s'", err.msg, key);
}

#endif

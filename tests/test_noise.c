/* test_noise.c: the noise registry (src/noise/) and its types: every type
 * declares a name, a summary, a variance convention and well-formed keys;
 * the separable type's per-coordinate scales, fixed support and variance
 * convention (sum_i sigma_i^2 = sigma^2, measured on many draws); its keys
 * written back to YAML ("support: all"); its errors (a support larger than
 * the parameters, a fractional support, a negative decay); and that every
 * additive type keeps E||g - grad f||^2 = sigma^2 / batch. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/settings.h"
#include "config/yaml_load.h"
#include "noise/noise.h"
#include "run/oracle.h"
#include "run/runner.h"
#include "support.h"

/* Settings from a YAML text; 0 or -1 (err filled). */
static int settings_of(const char *yaml, ntr_node **root, ntr_settings *s, ntr_error *err)
{
    memset(err, 0, sizeof *err);
    if (ntr_yaml_load_string(yaml, strlen(yaml), "noise.yaml", 0, root, err) != 0)
        return -1;
    return ntr_settings_read(*root, ".", "noise", s, err);
}

START_TEST(registry_is_well_formed)
{
    size_t n = 0;
    for (size_t i = 0; ntr_noise_types[i]; i++, n++) {
        const ntr_noise_type *t = ntr_noise_types[i];
        ck_assert_msg(t->name && t->summary && t->variance, "type %zu lacks a description", i);
        ck_assert_ptr_eq(ntr_noise_lookup(t->name), t);
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(ntr_noise_types[j]->name, t->name);
        size_t nk = 0;
        for (; t->keys && t->keys[nk].name; nk++) {
            const ntr_noise_key *k = &t->keys[nk];
            ck_assert_msg(k->lo <= k->def && k->def <= k->hi, "%s.%s: default out of range",
                          t->name, k->name);
            ck_assert_ptr_nonnull(k->meaning);
            ck_assert_int_eq(ntr_noise_key_index(t, k->name), (int)nk);
        }
        ck_assert_int_le(nk, NTR_NOISE_MAX_KEYS);
        ck_assert_msg(t->kind != NTR_NOISE_ADDITIVE || t->perturb, "%s: additive, no perturb",
                      t->name);
    }
    ck_assert_int_ge(n, 6);
    ck_assert_ptr_null(ntr_noise_lookup("gausian"));
}
END_TEST

/* Draw `draws` oracle calls at x0; per-coordinate mean square error into
 * var[d] (allocated). */
static size_t per_coordinate_variance(const char *yaml, long draws, double **var)
{
    ntr_node *root = NULL;
    ntr_settings s;
    ntr_error err;
    ck_assert_msg(settings_of(yaml, &root, &s, &err) == 0, "%s", err.msg);
    ntr_run *run = NULL;
    ck_assert_msg(ntr_run_prepare(&s, 5, 6, &run, &err) == 0, "%s", err.msg);
    ntr_problem *p = ntr_run_problem(run);
    const ntr_oracle *o = ntr_run_oracle(run);
    size_t d = p->layout.dim;
    double *x = malloc(d * sizeof *x), *g = malloc(d * sizeof *g), *h = malloc(d * sizeof *h);
    memcpy(x, ntr_run_x0(run), d * sizeof *x);
    p->type->grad(p, x, g);
    *var = calloc(d, sizeof **var);
    for (long t = 0; t < draws; t++) {
        ck_assert_int_eq(ntr_oracle_grad(o, x, ntr_run_rng(run), h), s.batch);
        for (size_t i = 0; i < d; i++)
            (*var)[i] += (h[i] - g[i]) * (h[i] - g[i]) / (double)draws;
    }
    free(x);
    free(g);
    free(h);
    ntr_run_free(run);
    ntr_node_free(root);
    return d;
}

/* Sparse support: 4 of 32 coordinates, at positions 0, 8, 16, 24; nothing
 * drawn elsewhere (exactly zero error); each of the four carries
 * sigma^2/(4 batch); the total is sigma^2/batch. */
START_TEST(separable_sparse_support)
{
    double *var;
    size_t d = per_coordinate_variance("problem: {type: least_squares, shape: [8, 4]}\n"
                                       "noise: {type: separable, sigma: 2, batch: 4, support: 4}\n",
                                       40000, &var);
    ck_assert_uint_eq(d, 32);
    double total = 0;
    for (size_t i = 0; i < d; i++) {
        total += var[i];
        if (i % 8 == 0)
            ck_assert_msg(fabs(var[i] - 0.25) < 0.02, "coordinate %zu: variance %g, want 0.25", i,
                          var[i]);
        else
            ck_assert_msg(var[i] == 0.0, "coordinate %zu off the support is noisy (%g)", i, var[i]);
    }
    ck_assert_msg(fabs(total - 1.0) < 0.03, "E||g - grad||^2 = %g, want sigma^2/batch = 1", total);
    free(var);
}
END_TEST

/* Dense (support: all) with decay 1: sigma_j proportional to 1/(j+1) on
 * every coordinate, so var_0 / var_1 = 4, var_0 / var_3 = 16, total sigma^2. */
START_TEST(separable_dense_decay)
{
    double *var;
    size_t d = per_coordinate_variance("problem: {type: least_squares, shape: [4, 3]}\n"
                                       "noise: {type: separable, sigma: 1, support: all, decay: 1}\n",
                                       60000, &var);
    ck_assert_uint_eq(d, 12);
    double total = 0, h2 = 0;
    for (size_t i = 0; i < d; i++) {
        total += var[i];
        h2 += 1.0 / (double)((i + 1) * (i + 1));
        ck_assert(var[i] > 0);
    }
    ck_assert_msg(fabs(total - 1.0) < 0.03, "total variance %g", total);
    ck_assert_msg(fabs(var[0] - 1.0 / h2) < 0.03 / h2, "var_0 = %g, want %g", var[0], 1.0 / h2);
    ck_assert_msg(fabs(var[0] / var[1] - 4.0) < 0.3, "var_0/var_1 = %g", var[0] / var[1]);
    ck_assert_msg(fabs(var[0] / var[3] - 16.0) < 1.6, "var_0/var_3 = %g", var[0] / var[3]);
    free(var);
}
END_TEST

/* The keys go back to YAML (a cell's identity): support 0 as "all". */
START_TEST(separable_yaml)
{
    ntr_node *root = NULL;
    ntr_settings s;
    ntr_error err;
    ck_assert(settings_of("noise: {type: separable, sigma: 1, support: all}\n", &root, &s,
                          &err) == 0);
    char *y = ntr_settings_yaml(&s, 0);
    ck_assert_ptr_nonnull(strstr(y, "  type: separable\n  sigma: 1\n  batch: 1\n  support: all\n"
                                    "  decay: 0\n"));
    free(y);
    ntr_node_free(root);
    ck_assert(settings_of("noise: {type: separable, sigma: 1, support: 3, decay: 0.5}\n", &root,
                          &s, &err) == 0);
    ck_assert_double_eq(ntr_settings_noise_opt(&s, "support"), 3);
    ck_assert_double_eq(ntr_settings_noise_opt(&s, "decay"), 0.5);
    y = ntr_settings_yaml(&s, 0);
    ck_assert_ptr_nonnull(strstr(y, "  support: 3\n  decay: 0.5\n"));
    free(y);
    ntr_node_free(root);
}
END_TEST

START_TEST(separable_errors)
{
    static const struct {
        const char *yaml, *fragment;
        int line, col;
    } bad[] = {
        {"noise: {type: separable, support: 2.5}\n", "whole number", 1, 35},
        {"noise: {type: separable, support: some}\n", "support", 1, 35},
        {"noise: {type: separable, decay: -1}\n", "out of range", 1, 33},
        {"noise: {type: separable, supprt: 3}\n", "support", 1, 26},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ntr_node *root = NULL;
        ntr_settings s;
        ntr_error err;
        ck_assert_msg(settings_of(bad[i].yaml, &root, &s, &err) != 0, "accepted: %s", bad[i].yaml);
        ck_assert_msg(strstr(err.msg, bad[i].fragment), "%s: %s", bad[i].yaml, err.msg);
        ck_assert_msg(err.line == bad[i].line && err.col == bad[i].col, "%s: at %d:%d", bad[i].yaml,
                      err.line, err.col);
        ntr_node_free(root);
    }
    /* a support beyond the parameters is found when the run starts, at the key */
    ntr_node *root = NULL;
    ntr_settings s;
    ntr_error err;
    ck_assert(settings_of("problem: {type: least_squares, shape: [3, 3]}\n"
                          "noise: {type: separable, sigma: 1, support: 10}\n",
                          &root, &s, &err) == 0);
    ntr_run *run = NULL;
    ck_assert(ntr_run_prepare(&s, 1, 1, &run, &err) != 0);
    ck_assert_ptr_null(run);
    ck_assert_msg(strstr(err.msg, "exceeds the problem's 9 parameters"), "%s", err.msg);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.col, 45);
    ntr_node_free(root);
}
END_TEST

/* Every additive type: the total variance is sigma^2 / batch. */
START_TEST(additive_types_share_the_variance)
{
    for (size_t i = 0; ntr_noise_types[i]; i++) {
        const ntr_noise_type *t = ntr_noise_types[i];
        if (t->kind != NTR_NOISE_ADDITIVE)
            continue;
        char yaml[256];
        snprintf(yaml, sizeof yaml,
                 "problem: {type: least_squares, shape: [6, 4]}\n"
                 "noise: {type: %s, sigma: 3, batch: 9, support: 2, p: 0.25, nu: 6}\n",
                 t->name);
        double *var;
        size_t d = per_coordinate_variance(yaml, 40000, &var);
        double total = 0;
        for (size_t j = 0; j < d; j++)
            total += var[j];
        ck_assert_msg(fabs(total - 1.0) < 0.04, "%s: E||g - grad||^2 = %g, want 1", t->name,
                      total);
        free(var);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("noise");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, registry_is_well_formed);
    tcase_add_test(tc, separable_sparse_support);
    tcase_add_test(tc, separable_dense_decay);
    tcase_add_test(tc, separable_yaml);
    tcase_add_test(tc, separable_errors);
    tcase_add_test(tc, additive_types_share_the_variance);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

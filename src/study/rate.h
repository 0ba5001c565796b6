/* rate.h: the rate study, `study: {type: rate, ...}`, measuring the
 * iteration complexity K(eps) under a theorem's parameter rules.
 *
 *     study:
 *       type: rate
 *       eps: [1e-1, 5e-2, 2e-2]       # or {logspace: [1e-1, 1e-2, 5]}
 *       theory: kovalev_nonconvex     # or a map of rules (src/theory/theory.h)
 *       scale_eta: 1                  # multipliers that keep the eps-dependence
 *       scale_alpha: 1                #   but tame the worst-case constants
 *       scale_iterations: 1
 *       seeds: 8                      # default: the config's seeds
 *       expect: 4                     # default: the theory's exponent
 *       tolerance: 0.25
 *       max_iterations: 100000        # cap on K (default: budget.iterations)
 *       tune: {eta: [0.5, 2], alpha: [0.5, 2]}   # optional multiplier grid
 *       fit: median                   # median | mean of the seeds' hitting K
 *       bootstrap: 2000               # resamples for the 95% interval
 *       claim: tight                  # optional: the verdict the config expects
 *       set: {problem: {...}}         # optional: config keys of these cells
 *
 * Several series in one study: `variants` maps a name ([A-Za-z0-9_-]) to a
 * block of the same keys (set, theory, expect, claim, eps, ...), each
 * overriding the study's own for that series; `compare: {a: NAME, b: NAME,
 * difference: 0.5}` then tests the difference of their exponents (a minus
 * b) against the expected one with a bootstrap interval.
 *
 *     variants:
 *       hard: {set: {problem: {type: chain_hard}}, claim: tight}
 *       easy: {set: {problem: {type: least_squares}}, claim: faster}
 *
 * rate.c expands it into cells (one per variant, eps, tune point and seed:
 * eta, alpha, weight decay and K from the rule, target eps, stop at the
 * target); rate_analysis.c reads the result folder back into rates.csv,
 * rates.json, figures (rate_plot.c) and the verdict lines; rate_report.c
 * is its report.md section; rate_fit.c the exponent fit, bootstrap and
 * verdict. */
#ifndef NTR_STUDY_RATE_H
#define NTR_STUDY_RATE_H

#include <stddef.h>

#include "../node.h"
#include "../theory/theory.h"
#include "study.h"

extern const ntr_study_type ntr_study_rate;

#define NTR_RATE_MAX_EPS 64
#define NTR_RATE_MAX_TUNE 16
#define NTR_RATE_MAX_VARIANTS 8

/* One series: the study's keys, or a variant's merged over them. */
typedef struct ntr_rate_spec {
    char name[48];                /* variant name, "" for a study without variants */
    ntr_node *merged;             /* the keys this spec was read from (owned) */
    const ntr_node *set;          /* `set:` map of config keys, or NULL (in merged) */
    int claim;                    /* expected verdict (ntr_rate_verdict), -1: none */
    size_t neps;
    double eps[NTR_RATE_MAX_EPS]; /* decreasing */
    ntr_theory *theory;
    double scale_eta, scale_alpha, scale_iterations;
    long seeds;                   /* 0: the plan's */
    double expect, tolerance;
    long max_iterations;          /* 0: the config's budget.iterations */
    size_t ntune_eta, ntune_alpha;/* grids of multipliers, 1 first */
    double tune_eta[NTR_RATE_MAX_TUNE + 1], tune_alpha[NTR_RATE_MAX_TUNE + 1];
    int tuned;                    /* a tune grid was given */
    int fit_mean;                 /* fit the mean of the seeds' K instead of the median */
    long bootstrap;
    ntr_pos pos;
} ntr_rate_spec;

/* The whole study: its series and the optional comparison. */
typedef struct ntr_rate_study {
    size_t nvar;
    ntr_rate_spec var[NTR_RATE_MAX_VARIANTS];
    int compare;                  /* a comparison was asked for */
    size_t cmp_a, cmp_b;          /* variant indices */
    double cmp_difference, cmp_tolerance;
} ntr_rate_study;

/* Read and check a study block (positions!); free with ntr_rate_study_free. */
int ntr_rate_study_read(const ntr_node *study, ntr_rate_study *st, ntr_error *err);
void ntr_rate_study_free(ntr_rate_study *st);

/* One series from a block of keys (node is cloned into s->merged); name:
 * the variant's, or NULL. */
int ntr_rate_spec_read(const ntr_node *node, const char *name, ntr_rate_spec *s,
                       ntr_error *err);
void ntr_rate_spec_free(ntr_rate_spec *s);

/* The point label of eps index ie and tune point (ia over eta, ib over
 * alpha): "eps=0.01", "eps=0.01 eta*2 alpha*0.5" when tuning, prefixed by
 * the variant's name ("hard eps=0.01") in a study with variants. */
void ntr_rate_label(const ntr_rate_spec *s, size_t ie, size_t ia, size_t ib, char *buf,
                    size_t size);

/* The iteration budget of a cell: min(ceil(K scale_iterations), cap), at least 1. */
long ntr_rate_budget(const ntr_rate_spec *s, double K, long cap);

/* report.md's rate section, from rates.json and rates.csv (a report
 * builder: nothing when the folder has no rates.json). */
struct ntr_report;
int ntr_rate_report(struct ntr_report *r, const char *result_dir, ntr_error *err);

/* Analysis of a result folder (the study type's analyse). */
int ntr_rate_analyse(const char *result_dir, const ntr_node *study, int draw, char **verdict_line,
                     ntr_error *err);

#endif

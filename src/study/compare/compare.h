/* compare.h: the comparison study, `study: {type: compare, ...}`, for claims
 * that are comparisons between settings rather than rates (Muon against
 * OSGDM, weight decay's bound on the iterates, one algorithm in several
 * norms).  It runs a grid like a sweep and then checks stated claims on the
 * groups' trajectories:
 *
 *     study:
 *       type: compare
 *       over: {method.name: [ntr, osgdm]}   # cartesian grid of config keys, or a
 *                                          # list of grids (their union)
 *       seeds: 4                           # default: the config's seeds
 *       window: 0.5                        # final value: mean over k >= (1 - window) K
 *       columns: [grad_dual, grad_l2]      # tabulated per group in the report
 *       checks:
 *         - {kind: lower, column: grad_dual, a: {method.name: ntr},
 *            b: {method.name: osgdm}, ratio: 3}
 *         - {kind: falls, column: grad_dual, where: {method.name: ntr}, by: 0.7}
 *         - {kind: stalls, column: grad_dual, where: {method.name: osgdm}, above: 0.8}
 *
 * Check kinds (every group statistic is the median over seeds; a group is
 * chosen by `where`, config keys and values, matched against summary.csv's
 * columns and otherwise config.yaml; no `where` means every group):
 *   lower     final(b) / final(a) >= ratio, for the groups a and b
 *   falls     final / earlier <= by, where earlier is the mean over
 *             k in [K/20, K/10]: still falling a decade before the end
 *   stalls    final / earlier >= above: flat over the last decade
 *   decrease  initial / final >= factor for every chosen group
 *   bound     max over k and seeds of the column <= max(value at k = 0,
 *             c / method.weight_decay) (Sato et al.: weight decay keeps
 *             ||W_t||_op <= max(||W_0||_op, 1/lambda) with the exact polar
 *             factor; c bounds one step's operator norm: 1 for svd, the
 *             sup of the Newton-Schulz polynomial otherwise)
 *   growth    (column(K) - column(0)) / (K eta) within [min, max] (eta =
 *             method.eta, a number; max defaults to c): growth like k eta
 *   grad_bound  max over k and seeds of the gradient's dual norm (column)
 *             <= g_0 + L (x_0 + max(x_0, c/lambda)), x = x_norm, L the
 *             cell's smoothness constant: bounded gradients without a
 *             bounded-gradient assumption
 *   rises     final / initial >= factor for every chosen group (e.g. the
 *             gradient's growth without weight decay)
 * compare_bounds.c computes the bound checks' values.
 * compare.c reads the block and expands the grid; compare_checks.c
 * evaluates the checks into compare.csv, compare.json and the verdict
 * lines; compare_report.c is its report.md section and figure. */
#ifndef NTR_STUDY_COMPARE_H
#define NTR_STUDY_COMPARE_H

#include <stddef.h>

#include "base/node.h"
#include "study/study.h"

extern const ntr_study_type ntr_study_compare;

#define NTR_CMP_MAX_CHECKS 16
#define NTR_CMP_MAX_COLUMNS 8

typedef enum {
    NTR_CMP_LOWER = 0,
    NTR_CMP_FALLS,
    NTR_CMP_STALLS,
    NTR_CMP_DECREASE,
    NTR_CMP_BOUND,
    NTR_CMP_GROWTH,
    NTR_CMP_GRAD_BOUND,
    NTR_CMP_RISES
} ntr_cmp_kind;

extern const char *const ntr_cmp_kind_names[]; /* NULL-terminated */

typedef struct ntr_cmp_check {
    ntr_cmp_kind kind;
    char column[32];
    const ntr_node *where, *a, *b; /* group selectors (maps), borrowed; NULL: all */
    double threshold;              /* ratio, by, above, factor */
    double min, max;               /* growth (max NAN: the step bound c) */
    ntr_pos pos;
} ntr_cmp_check;

typedef struct ntr_cmp_spec {
    const ntr_node *over;          /* a grid (map of key -> list) or a list of grids; borrowed */
    long seeds;                    /* 0: the plan's */
    double window;
    size_t ncolumns;
    char columns[NTR_CMP_MAX_COLUMNS][32];
    size_t nchecks;
    ntr_cmp_check check[NTR_CMP_MAX_CHECKS];
} ntr_cmp_spec;

/* Read and check a compare block (positioned errors). */
int ntr_cmp_spec_read(const ntr_node *study, ntr_cmp_spec *s, ntr_error *err);

/* The study type's analyse (compare_checks.c). */
int ntr_cmp_analyse(const char *result_dir, const ntr_node *study, int draw, char **verdict_line,
                    ntr_error *err);

/* report.md's compare section from compare.json (nothing when absent). */
struct ntr_report;
int ntr_cmp_report(struct ntr_report *r, const char *result_dir, ntr_error *err);

#endif

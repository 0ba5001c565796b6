/* compare_data.h: a compare study's result folder read back into groups
 * (compare_read.c) and the statistics its checks and report use.
 *
 * Per group (cells that differ only by seed) and per column: the median
 * over seeds of the value at k = 0 (initial), of the mean over the last
 * `window` of the run (final) and of the mean over k in [K/20, K/10]
 * (earlier, a decade before the end), the largest value any seed logged
 * (max), and the median last k.  Each seed's rows are kept for the
 * figures. */
#ifndef NTR_STUDY_COMPARE_DATA_H
#define NTR_STUDY_COMPARE_DATA_H

#include <stddef.h>

#include "base/node.h"
#include "base/table.h"
#include "study/compare/compare.h"

#define NTR_CMP_MAX_COLS (NTR_CMP_MAX_COLUMNS + NTR_CMP_MAX_CHECKS)

typedef struct ntr_cmp_seed {
    size_t nrows;
    double L;                    /* the cell's smoothness constant in its norm (summary.json) */
    double *k;
    double *v[NTR_CMP_MAX_COLS]; /* one array per data column */
} ntr_cmp_seed;

typedef struct ntr_cmp_group {
    char label[512];
    size_t first_row;          /* a summary.csv row of the group (for its axis values) */
    size_t nseeds;
    ntr_cmp_seed *seed;
    double initial[NTR_CMP_MAX_COLS], final[NTR_CMP_MAX_COLS], earlier[NTR_CMP_MAX_COLS];
    double max[NTR_CMP_MAX_COLS];
    double last_k;
} ntr_cmp_group;

typedef struct ntr_cmp_data {
    ntr_cmp_spec spec;
    size_t ncols;
    char cols[NTR_CMP_MAX_COLS][32]; /* the columns read: spec.columns, then the checks' */
    size_t ngroups;
    ntr_cmp_group *g;
    ntr_table *summary;        /* summary.csv */
    ntr_node *config;          /* config.yaml as a tree (values not in summary.csv) */
} ntr_cmp_data;

int ntr_cmp_data_read(const char *result_dir, const ntr_node *study, ntr_cmp_data *d,
                      ntr_error *err);
void ntr_cmp_data_free(ntr_cmp_data *d);

/* Index of a column in d->cols (-1 if absent). */
int ntr_cmp_col(const ntr_cmp_data *d, const char *name);

/* A config key's value for a group: its summary.csv column when the key
 * was compared over, else config.yaml's.  NULL when neither has it. */
const char *ntr_cmp_value(const ntr_cmp_data *d, const ntr_cmp_group *g, const char *key);

/* 1 when the group matches every key = value of sel (NULL: every group). */
int ntr_cmp_matches(const ntr_cmp_data *d, const ntr_cmp_group *g, const ntr_node *sel);

/* An upper bound c on the operator norm of one step's direction for the
 * group's sharp: 1 for the exact polar factor (svd) and non-spectral
 * norms, the sup of the Newton-Schulz polynomial for its coefficients. */
int ntr_cmp_gain(const ntr_cmp_data *d, const ntr_cmp_group *g, const ntr_cmp_check *k,
                 double *gain, ntr_error *err);

/* The value of a bound, growth or grad_bound check for one group
 * (compare_bounds.c): value against the bound with the step bound c,
 * exact against the same bound with c = 1 (what the exact polar factor
 * would allow; NAN for growth). */
typedef struct ntr_cmp_bound {
    double value, exact, gain;
} ntr_cmp_bound;

int ntr_cmp_bound_value(const ntr_cmp_data *d, const ntr_cmp_group *g, const ntr_cmp_check *k,
                        ntr_cmp_bound *out, ntr_error *err);

/* plots/compare_COLUMN.* for the columns the checks use. */
int ntr_cmp_plot(const char *result_dir, const ntr_cmp_data *d, ntr_error *err);

#endif

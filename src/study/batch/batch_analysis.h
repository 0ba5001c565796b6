/* batch_analysis.h: the batch study's analysis of one result folder, as
 * batch_analyse.c gathers it and batch_csv.c writes it (private to the
 * batch study). */
#ifndef NTR_STUDY_BATCH_ANALYSIS_H
#define NTR_STUDY_BATCH_ANALYSIS_H

#include <stddef.h>

#include "base/table.h"
#include "study/batch/batch.h"

/* One (setting, b) cell group. */
typedef struct bpoint {
    size_t cells, final, reached;
    double T, sfo;
} bpoint;

typedef struct setting {
    size_t first_row;   /* its first summary row: values and label come from there */
    double alpha, lambda;
    bpoint *pt;         /* nb of them */
    ntr_bstar bstar;
    ntr_batch_fitres fit[2];
} setting;

typedef struct analysis {
    const ntr_batch_spec *spec;
    const ntr_table *sum;
    size_t bcol, statcol, kcol, acol, lcol;  /* acol / lcol: SIZE_MAX when not columns */
    size_t keycol[NTR_BATCH_MAX_OVER];
    double base_alpha, base_lambda;
    double budget;       /* budget.iterations of config.yaml (0: unknown) */
    size_t ns;
    setting *s;
    size_t *row_setting; /* per summary row */
    long *row_b;         /* per summary row: index into spec->b, -1 if none */
    size_t repcol, nreps;
    double *T;           /* ns x nb x nreps hitting times (INFINITY never, NAN not run) */
} analysis;

/* batch.csv of the analysis (batch_csv.c). */
int ntr_batch_write_csv(const char *dir, const analysis *a, ntr_error *err);

#endif

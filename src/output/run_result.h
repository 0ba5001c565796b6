/* run_result.h: what one run hands to the result files: its status, counts,
 * last measures and target hits, the problem's constants it ran with
 * (summary.json, written by cell_summary.c), and the column names of its
 * trajectory.csv.  The runner (run/runner.h) fills these; the output layer
 * reads them without knowing the runner. */
#ifndef NTR_RUN_RESULT_H
#define NTR_RUN_RESULT_H

#include "base/status.h"
#include "config/settings.h"

/* A problem's constants in the method's norm (run/constants.h computes
 * them and says what each means). */
typedef struct ntr_constants {
    double L, L2, rho, c, D, Delta0, f_star, f0, sigma;
    double d, m, n; /* dimension and first block's rows/cols */
    int L_generic;  /* 1: L came from the generic bound */
} ntr_constants;

typedef struct ntr_run_result {
    ntr_status status;
    long iterations;      /* k of the last iterate */
    long sfo;             /* oracle cost spent */
    double f, gap, grad_dual, grad_l2, min_grad_dual, avg_grad_dual, x_norm, x_fro,
        mom_err; /* last measured; min and avg are running statistics (measure.h) */
    long hit_k[NTR_MAX_TARGETS];   /* first k reaching each target, -1 if never */
    long hit_sfo[NTR_MAX_TARGETS];
    double wall_s;
    char reason[320];     /* why it stopped */
    ntr_constants consts;
} ntr_run_result;

/* The header line of trajectory.csv: "k,sfo,f,gap,..." (one row per
 * logged iteration; row k describes x_k). */
extern const char *const ntr_trajectory_header;

#endif

/* rate_data.h: a rate study's result folder read back into points.
 *
 * One point per (eps, tune pair), as rate.c made them; each holds its
 * seeds' outcomes (from cells/<hash>/summary.json and trajectory.csv) and
 * the statistics the analysis derives: hitting iterations, their median
 * and mean, the expectation-criterion K, the theory's values at that eps
 * and the check against K_theory.  rate_cells.c reads the folder,
 * rate_analysis.c computes, rate_write.c and rate_plot.c write. */
#ifndef NTR_STUDY_RATE_DATA_H
#define NTR_STUDY_RATE_DATA_H

#include <stddef.h>
#include <stdio.h>

#include "rate.h"
#include "rate_fit.h"

typedef struct ntr_rate_seed {
    int present;        /* the cell has a summary.json */
    char status[16];    /* done | target | budget | diverged | interrupted | pending */
    double hit;         /* first k with measure <= eps; NAN if never */
    long iterations;    /* k of its last iterate */
    char hash[24];
    size_t nrows;       /* trajectory: k and the running measure */
    double *k, *v;
} ntr_rate_seed;

/* The check of a measured K against the theorem's K. */
typedef enum {
    NTR_RATE_CHECK_NA = 0,   /* multipliers changed the theorem's parameters */
    NTR_RATE_CHECK_OK,       /* measured <= K_theory */
    NTR_RATE_CHECK_EXCEEDED, /* measured > K_theory */
    NTR_RATE_CHECK_UNKNOWN   /* not reached within a budget below K_theory */
} ntr_rate_check;

typedef struct ntr_rate_point {
    size_t ie, ia, ib;
    double eps, eta_mult, alpha_mult;
    char label[160];
    ntr_rate_seed *seed;      /* spec.seeds of them */
    int have_vars;            /* constants found (replicate 0 ran) */
    ntr_theory_vars vars;     /* the cell's constants */
    double eta, alpha, weight_decay; /* as run (rule x scale x tune) */
    double K_theory;          /* the theorem's K at eps (NAN if unknown) */
    long budget;
    size_t reached, pending, diverged;
    int trivial;              /* some seed reached eps at k = 0 */
    int usable;               /* every seed reached eps at k >= 1 */
    double median, mean;      /* of the hitting iterations (all seeds reached) */
    double K_mean;            /* first k where the seeds' mean running measure <= eps */
    double stat, lo, hi;      /* fitted statistic and its 95% bootstrap interval */
    ntr_rate_check check;
    int best;                 /* lowest statistic of its eps over the tune grid */
} ntr_rate_point;

typedef struct ntr_rate_data {
    ntr_rate_spec *spec;      /* borrowed from the study */
    size_t nseeds, npoints;
    ntr_rate_point *pt;       /* eps-major, then eta multipliers, then alpha multipliers */
    ntr_rate_fit fit;         /* the rule's points */
    ntr_rate_fit tuned;       /* the best tune point per eps (when tuning) */
    ntr_rate_verdict verdict;
    size_t nexceeded, nchecked, ncensored;
    double *boot;             /* the fit's bootstrap slopes (nboot of them) */
    size_t nboot;
    char line[1200];          /* the verdict line */
} ntr_rate_data;

/* Read result_dir's cells of one series (spec) into d.  Free with
 * ntr_rate_data_free, also after a failure. */
int ntr_rate_data_read(const char *result_dir, ntr_rate_spec *spec, ntr_rate_data *d,
                       ntr_error *err);
void ntr_rate_data_free(ntr_rate_data *d);

/* The point of eps index ie with tune indices (ia, ib). */
ntr_rate_point *ntr_rate_point_at(ntr_rate_data *d, size_t ie, size_t ia, size_t ib);

/* Statistics, fit, check and verdict on read data; seed: the bootstrap's
 * (one per series, so that two series resample independently). */
int ntr_rate_compute(ntr_rate_data *d, unsigned long seed, ntr_error *err);

/* The comparison of two series' exponents. */
typedef struct ntr_rate_comparison {
    double difference, ci_lo, ci_hi; /* exponent of a minus exponent of b */
    int consistent;                  /* expected difference in the interval or within tolerance */
    char line[400];
} ntr_rate_comparison;

/* rates.csv and rates.json in result_dir, for every series; cmp may be NULL;
 * claim: the closing claim line or "" (see rate_analysis.c). */
int ntr_rate_write(const char *result_dir, const ntr_rate_study *st, ntr_rate_data *d,
                   const ntr_rate_comparison *cmp, const char *claim, ntr_error *err);

/* For the figure files (rate_plot.c, rate_plot_k.c): the curves figure's
 * stem of a series, and the K figure's data blocks (have[b]: block b of the
 * series has rows) and script. */
#define NTR_RATE_KBLOCKS 6
void ntr_rate_curves_name(const char *series, char *buf, size_t size);
void ntr_rate_k_data(FILE *f, ntr_rate_data *d, int have[NTR_RATE_KBLOCKS]);
int ntr_rate_k_script(FILE *f, const ntr_rate_study *st, ntr_rate_data *d, size_t n,
                      int have[][NTR_RATE_KBLOCKS], const char *terminal, const char *ext,
                      ntr_error *err);

/* plots/rate_K.* (every series) and plots/rate_curves[_NAME].* (one per
 * series); figures only when gnuplot runs. */
int ntr_rate_plot(const char *result_dir, const ntr_rate_study *st, ntr_rate_data *d,
                  ntr_error *err);

#endif

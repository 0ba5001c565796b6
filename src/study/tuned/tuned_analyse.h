/* tuned_analyse.h: the analyses of a tuned study (tuned_analyse.c) and
 * their results, which the files, figures and report are written from. */
#ifndef NTR_STUDY_TUNED_ANALYSE_H
#define NTR_STUDY_TUNED_ANALYSE_H

#include "study/tuned/tuned_data.h"

#define NTR_TUNED_MAX_X 64

typedef struct ntr_tuned_result {
    const ntr_tuned_analysis *an;
    int holds;                   /* the expectation holds */
    int tuned;                   /* every group it uses is tuned (bracketed) */
    char line[1400];
    /* crossover and ratio: one entry per x, a's and b's groups */
    size_t n;
    double x[NTR_TUNED_MAX_X], sa[NTR_TUNED_MAX_X], sb[NTR_TUNED_MAX_X];
    double r[NTR_TUNED_MAX_X], r_lo[NTR_TUNED_MAX_X], r_hi[NTR_TUNED_MAX_X];
    size_t ga[NTR_TUNED_MAX_X], gb[NTR_TUNED_MAX_X];
    double xstar, xstar_lo, xstar_hi; /* crossover; +-INFINITY: beyond the grid */
    /* ratio (one trend) and profile (one per matched group) */
    size_t ntrends;
    ntr_trend trend[16];
    size_t tgroup[16];
    double tx[16][NTR_TUNE_MAX_VALUES];  /* profile: the tuning key's values */
} ntr_tuned_result;

/* Run analysis i of d->spec into out (error: a selector that matches no
 * group or pairs groups ambiguously, an x that is not a number). */
int ntr_tuned_run(const ntr_tuned_data *d, size_t i, ntr_tuned_result *out, ntr_error *err);

/* tuned.csv, tuned_points.csv and tuned.json; the figures (tuned_plot.c). */
int ntr_tuned_write(const char *dir, const ntr_tuned_data *d, const ntr_tuned_result *res,
                    const char *claim, ntr_error *err);
int ntr_tuned_plot(const char *dir, const ntr_tuned_data *d, const ntr_tuned_result *res,
                   ntr_error *err);

#endif

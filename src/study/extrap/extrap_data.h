/* extrap_data.h: an extrapolation study's result folder read back
 * (extrap_read.c) into the inputs of its analysis (extrap_analysis.h).
 *
 * Cells are found by their group labels (extrap.h), in summary.csv and in
 * aliases.csv when a point's cell is shared with another point.  Per cell:
 * its status and final running average (summary.json), its constants, and
 * the mean square of mom_err over the logged rows with k >= warmup/alpha
 * (trajectory.csv); eta, alpha and the norm as the cell ran (summary.csv
 * columns, else config.yaml). */
#ifndef NTR_STUDY_EXTRAP_DATA_H
#define NTR_STUDY_EXTRAP_DATA_H

#include <stddef.h>

#include "base/node.h"
#include "base/table.h"
#include "study/extrap/extrap.h"
#include "study/extrap/extrap_analysis.h"

typedef struct ntr_ex_dose {
    char label[256];
    int have;                   /* constants read */
    double L, L2, sigma, rho;   /* sigma per oracle call at the cell's batch */
    char norm[32];
    double ratio;               /* L^2 / L2 */
    int have_vars;              /* vars read from a crossover cell */
    ntr_theory_vars vars;       /* its constants (the start point of the crossover cells) */
    double scale;               /* eps_unit at vars (1 without one); NAN before */
    double eps[NTR_EX_MAX_EPS]; /* the crossover eps in absolute terms */
    /* (b), per eps: eta, alpha and budget as run (the off role's cells) */
    double eta[NTR_EX_MAX_EPS], alpha[NTR_EX_MAX_EPS], K[NTR_EX_MAX_EPS];
    double *avg[NTR_EX_MAX_ROLES]; /* [eps * nseeds + seed]; NAN: not run */
    ntr_ex_curve curve;
} ntr_ex_dose;

typedef struct ntr_ex_data {
    ntr_ex_spec spec;
    size_t nroles, nseeds;
    ntr_ex_dose dose[NTR_EX_MAX_DOSES];
    size_t nmom;                /* (a) points, then the crossover points (hover errors) */
    ntr_ex_mom *mom;
    size_t pending, diverged, cells;
} ntr_ex_data;

/* What the analysis made of the data (extrap_analyse.c), for the files,
 * figures and report. */
typedef struct ntr_ex_outcome {
    ntr_ex_mom_result mom;
    ntr_ex_cross cross[NTR_EX_MAX_DOSES];
    ntr_ex_dose_fit fit;
    ntr_ex_verdict verdict[NTR_EX_MAX_ROLES]; /* roles >= on */
    char why[NTR_EX_MAX_ROLES][600];
    int reproduced;          /* on consistent and every control violated */
    char claim[800];
} ntr_ex_outcome;

/* extrapolation.json, extrapolation_momentum.csv, extrapolation_crossover.csv. */
int ntr_ex_write(const char *result_dir, const ntr_ex_data *d, const ntr_ex_outcome *o,
                 ntr_error *err);
/* plots/extrapolation_{momentum,crossover,dose}.*. */
int ntr_ex_plot(const char *result_dir, const ntr_ex_data *d, const ntr_ex_outcome *o,
                ntr_error *err);

/* The index in d->mom of momentum point (dose, eta i, alpha j) and of
 * crossover point (dose, eps i). */
size_t ntr_ex_mom_index(const ntr_ex_data *d, size_t dose, size_t i, size_t j);
size_t ntr_ex_hover_index(const ntr_ex_data *d, size_t dose, size_t i);

int ntr_ex_data_read(const char *result_dir, const ntr_node *study, ntr_ex_data *d,
                     ntr_error *err);
void ntr_ex_data_free(ntr_ex_data *d);

#endif

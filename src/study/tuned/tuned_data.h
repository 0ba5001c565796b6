/* tuned_data.h: a tuned study's result folder read back (tuned_data.c)
 * and the tuned scores its analyses resample (tuned_analyse.c).
 *
 * Cells are gathered by group (the part of their label before " | ") and,
 * within a group, by tuning point: the grid actually run is rebuilt from
 * the cells' values of the tuning keys (ntr_tune_observed: a key pinned by
 * --set has one value; `around` grids have each group's own values).  Each
 * cell gives one value (its score: a floor or a hitting time) for its
 * (point, replicate). */
#ifndef NTR_STUDY_TUNED_DATA_H
#define NTR_STUDY_TUNED_DATA_H

#include <stddef.h>

#include "base/table.h"
#include "study/tune.h"
#include "study/tuned/tuned.h"

typedef struct ntr_tuned_group {
    char label[400];
    size_t row0;               /* a summary.csv row of the group */
    ntr_tune_grid grid;        /* the grid run for this group */
    size_t npoints;
    double *v;                 /* npoints x nreps values; NAN: not run */
    ntr_tune_choice choice;    /* on all seeds */
} ntr_tuned_group;

typedef struct ntr_tuned_data {
    ntr_tuned_spec spec;
    ntr_table *summary;
    ntr_node *config;
    size_t nreps;              /* replicates (seeds) */
    size_t nkeys;              /* tuning keys run (columns of summary.csv) */
    char keys[NTR_TUNE_MAX_KEYS][96];
    size_t ngroups;
    ntr_tuned_group *g;
} ntr_tuned_data;

int ntr_tuned_data_read(const char *result_dir, const ntr_node *study, ntr_tuned_data *d,
                        ntr_error *err);
void ntr_tuned_data_free(ntr_tuned_data *d);

/* A group's tuned score from the replicates rep[0..n) (indices, repeats
 * allowed): the lowest over the points of the median of those replicates'
 * values (INFINITY: never reached).  at (NULL: every point) restricts the
 * points: at[a] >= 0 keeps those whose coordinate along axis a is at[a]
 * (a profile, a slice at a fixed value).  NAN when a value needed is
 * missing. */
double ntr_tuned_best(const ntr_tuned_data *d, const ntr_tuned_group *g, const size_t *rep,
                      size_t n, const long *at);

/* The groups matching sel (indices into d->g), in order; returns their number. */
size_t ntr_tuned_select(const ntr_tuned_data *d, const ntr_node *sel, size_t *out, size_t max);

/* A group's value of a setting key as a number (ntr_select_number). */
double ntr_tuned_x(const ntr_tuned_data *d, const ntr_tuned_group *g, const char *key);

/* The index of a tuning key among d->keys, -1 if absent. */
int ntr_tuned_key(const ntr_tuned_data *d, const char *key);

#endif

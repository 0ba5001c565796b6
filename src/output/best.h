/* best.h: the best setting for each value of the first swept key.
 *
 * A sweep over (method.norm, method.eta) answers "which method is better"
 * only when each method is taken at its own best step size: comparing them
 * at one eta compares the eta.  For each value of the first swept key (in
 * summary.csv order) this picks, among the groups with that value, the
 * group whose median final measure (budget.measure: the column of
 * summary.csv with that name) is smallest; a group whose median is not a
 * number (diverged) is never preferred to one that is.  The report's
 * "Best setting" section and the ntr-run summary lines both come from here.
 *
 * There is a choice to show only when the sweep has at least two keys and
 * some value of the first has two or more groups; otherwise *out has n = 0. */
#ifndef NTR_BEST_H
#define NTR_BEST_H

#include <stddef.h>
#include <stdio.h>

#include "base/error.h"
#include "base/table.h"
#include "output/groups.h"

typedef struct ntr_best_entry {
    const char *value;  /* the first swept key's value (points into the table) */
    size_t group;       /* index into the groups: the best one */
    size_t ngroups;     /* groups that share this value (the choices) */
    double median;      /* its median final measure (NAN: none finite) */
} ntr_best_entry;

typedef struct ntr_best {
    const char *key;      /* the first swept key, e.g. "method.norm" */
    const char *measure;  /* the measure ranked, e.g. "gap" */
    size_t n;
    ntr_best_entry *e;
} ntr_best;

/* Fill *out from a summary table and its groups; free with ntr_best_free.
 * The table must outlive *out. */
int ntr_best_find(const ntr_table *summary, const ntr_groups *g, ntr_best *out, ntr_error *err);

void ntr_best_free(ntr_best *b);

/* The part of entry e's group label that the first key does not give
 * ("method.eta=0.03" out of "method.norm=spectral method.eta=0.03"), into buf. */
void ntr_best_rest(const ntr_best *b, const ntr_best_entry *e, const char *label, char *buf,
                   size_t size);

/* The best settings of result_dir/summary.csv as lines of text on out
 * (nothing when there is no choice to show), for ntr-run's summary. */
int ntr_best_print(const char *result_dir, FILE *out, ntr_error *err);

#endif

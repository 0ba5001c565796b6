/* tune.h: tuning grids, for studies that judge a method at its best
 * settings rather than at one prescribed setting (the rate study's K*(eps),
 * comparisons of methods each at its own tuned step).
 *
 * A tuning grid maps config keys to lists of values, like a sweep:
 *
 *     tune:
 *       method.eta: [0.001, 0.003, 0.01, 0.03]          # numbers (or words)
 *       method.alpha: {logspace: [1, 0.01, 5]}          # first, last, count
 *       noise.batch: {values: [1, 2, 4, 8]}
 *       method.eta: {logspace: [0.25, 4, 5], around: "eps^2"}
 *
 * `around: EXPR` makes the values multipliers of a centre that the study
 * evaluates per group (the rate study: an expression of eps and the
 * problem's constants; another study may give its own variables): the
 * grid then moves with the group while its shape stays fixed.  Keys that
 * the command line pins (--set) are left out of the grid, and listed in
 * `pinned`, so a reader can rerun a study with one setting forced.
 *
 * A study adds one point per grid point and group (ntr_tune_assigns gives
 * the assignments), scores each point from its seeds (ntr_tune_score: the
 * median with "never reached" as +infinity, or another criterion the study
 * computes; lower is better) and picks the best point of each group with
 * ntr_tune_select, which also runs the bracket check: the best point must
 * not lie on the grid's edge along any key it tunes (a value at the edge of
 * the key's own domain, alpha = 1 or batch 1, is not an edge: the grid
 * cannot go further).  A group whose best point is on an edge is "not
 * tuned": the optimum may lie outside the grid, so its score is only an
 * upper bound on the tuned value. */
#ifndef NTR_STUDY_TUNE_H
#define NTR_STUDY_TUNE_H

#include <stddef.h>

#include "config/plan_builder.h"
#include "base/error.h"
#include "base/node.h"

#define NTR_TUNE_MAX_KEYS 6
#define NTR_TUNE_MAX_VALUES 32

typedef struct ntr_tune_axis {
    char key[96];                         /* dotted config key */
    size_t n;                             /* number of values (>= 1) */
    int numeric;                          /* every value is a number */
    double value[NTR_TUNE_MAX_VALUES];    /* numbers (NAN for words); multipliers with around */
    const ntr_node *node[NTR_TUNE_MAX_VALUES]; /* the values as given (borrowed; NULL when made
                                                * from a logspace or observed) */
    char text[NTR_TUNE_MAX_VALUES][40];   /* observed axes: the values' texts (clipped) */
    char around[256];                     /* centre expression, "" when none */
    ntr_pos around_pos;                   /* where it starts */
    double domain_lo, domain_hi;          /* the key's own range (alpha: (0, 1]); +-inf if none */
    ntr_pos pos;
} ntr_tune_axis;

typedef struct ntr_tune_grid {
    size_t naxes;
    ntr_tune_axis axis[NTR_TUNE_MAX_KEYS];
    size_t npinned;                       /* keys of the block left out: --set pins them */
    char pinned[NTR_TUNE_MAX_KEYS][96];
} ntr_tune_grid;

/* Read a tune block (a map; what names it in messages, "study.tune"); b
 * (may be NULL) tells which keys --set pins.  The node must outlive g. */
int ntr_tune_read(const ntr_node *tune, const char *what, const ntr_plan_builder *b,
                  ntr_tune_grid *g, ntr_error *err);

/* An empty grid: one point, no assignment. */
void ntr_tune_empty(ntr_tune_grid *g);

/* Number of grid points (the product of the axes' lengths; 1 when empty). */
size_t ntr_tune_npoints(const ntr_tune_grid *g);

/* The index along each axis of point idx (first key slowest). */
void ntr_tune_coords(const ntr_tune_grid *g, size_t idx, size_t *coord);

/* The value of axis a at index i, given its centre (ignored without
 * around; NAN for a word). */
double ntr_tune_value(const ntr_tune_axis *a, size_t i, double centre);

/* The assignments of point idx; centre[a] is axis a's centre (may be NULL
 * when no axis has around).  The nodes made here are owned by out. */
typedef struct ntr_tune_assigns {
    size_t n;
    ntr_assign a[NTR_TUNE_MAX_KEYS];
    ntr_node *own[NTR_TUNE_MAX_KEYS];
} ntr_tune_assigns;

int ntr_tune_assigns_make(const ntr_tune_grid *g, size_t idx, const double *centre,
                          ntr_tune_assigns *out, ntr_error *err);
void ntr_tune_assigns_free(ntr_tune_assigns *out);

/* "eta=0.01 alpha=0.1" (the last part of each key; with around, the
 * multiplier: "eta=2x"); "" for an empty grid. */
void ntr_tune_label(const ntr_tune_grid *g, size_t idx, char *buf, size_t size);

/* The grid actually run, rebuilt from the cells' resolved values (a study
 * reading a result folder back: --set may have pinned a key, `around`
 * moved the values): axis a holds the distinct values of keys[a] among the
 * cells (numbers sorted increasing, words in first-seen order); values is
 * ncells x nkeys texts, row-major; point[c] receives cell c's point index.
 * Cells that share a point are its seeds.  The axes keep the texts
 * (clipped to 39 characters), no node. */
int ntr_tune_observed(const char *const *keys, size_t nkeys, const char *const *values,
                      size_t ncells, ntr_tune_grid *g, size_t *point, ntr_error *err);

/* ---- choosing the best point ------------------------------------------- */

/* The median of n per-seed values where INFINITY means "never reached"
 * (larger than every number): INFINITY when the median seed never reached;
 * NAN when a value is NAN (a seed not run yet) or n == 0.  v is reordered. */
double ntr_tune_score(double *v, size_t n);

typedef struct ntr_tune_choice {
    int found;       /* some point has a finite score */
    int complete;    /* no point's score is NAN */
    size_t best;     /* the best point (lowest score; among ties an interior one) */
    double score;
    size_t coord[NTR_TUNE_MAX_KEYS];
    int edge[NTR_TUNE_MAX_KEYS]; /* -1 / +1: the best is at the grid's low / high end of a
                                  * numeric axis, short of the key's domain; 0 otherwise */
    int edge_any;    /* the best point is on an edge along some key */
    int bracketed;   /* found, complete, and no edge (or a plateau, see flat) */
    int plateau;     /* at an edge, but a point off every edge scores within flat of it */
    char why[240];   /* which key, which end, the value (also for a plateau) */
} ntr_tune_choice;

/* Pick the best point of one group from score[ntr_tune_npoints(g)] (lower
 * is better, INFINITY: never reached, NAN: not run yet); centre as for
 * ntr_tune_assigns_make (for the values named in why).  flat >= 0: a best
 * point on an edge still counts as bracketed when a point on no edge
 * scores at most (1 + flat) times as much: the score is flat there (a
 * plateau, e.g. where information rather than the step limits progress)
 * and going past the edge can gain at most that fraction.  flat = 0
 * accepts exact ties only. */
void ntr_tune_select(const ntr_tune_grid *g, const double *score, const double *centre,
                     double flat, ntr_tune_choice *out);

#endif

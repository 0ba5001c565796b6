/* tuned.h: the tuned comparison, `study: {type: tuned, ...}`: methods
 * compared each at its own best settings, never at one hand-picked point
 * (claims C5 and C9: Muon against OSGDM over the noise level, sign
 * methods against SGD over the dimension).
 *
 *     study:
 *       type: tuned
 *       seeds: 3
 *       over:                               # the groups (a grid, or a list of grids)
 *         noise.sigma: [1, 10, 100]
 *         method.name: [ntr, osgdm]
 *       tune:                               # study/tune.h: per group, every point is run
 *         method.alpha: {logspace: [1, 0.001, 4]}
 *         method.eta: {logspace: [0.25, 4, 5], around: "0.003*sqrt(noise.sigma)"}
 *       score: {final: grad_dual, window: 0.5}   # or {hit: 0.01}
 *       flat: 0.02                          # plateau tolerance of the bracket check
 *       bootstrap: 400                      # resamples of the seeds
 *       analyses:
 *         - {kind: crossover, x: noise.sigma, a: {method.name: ntr}, b: {method.name: osgdm}}
 *         - {kind: profile, x: method.alpha, where: {method.name: osgdm, noise.sigma: 100},
 *            expect: no_rise}
 *         - {kind: ratio, x: problem.shape, a: {...}, b: {...}, expect: 1, tolerance: 0.3}
 *
 * `around` here is an expression of the group's settings (evaluated on the
 * group's resolved settings): the grid moves with the group while its shape
 * stays fixed.  Scores (lower is better): `final: COLUMN` the mean of a
 * trajectory column over the last `window` of the run (a floor), `hit: EPS`
 * the first k where budget.measure reaches EPS (never: +infinity; the cells
 * stop there).  Per tuning point the score is the median over seeds; a
 * group's tuned score is its best point's, with rate's bracket check
 * (ntr_tune_select): a group whose best point is on the grid's edge is
 * "not tuned" and makes the claim at best inconclusive.
 *
 * Analyses, each with a 95% interval from resampling the seeds (the same
 * draw for every group) and re-selecting every group's best point:
 *   crossover  R(x) = tuned score of b / tuned score of a along the over key
 *              x (a wins where R > 1); x* where log R crosses 0 upward
 *              (log-log interpolation).  Holds when a wins at the largest x
 *              (interval of R above 1) and at every x above x*; the regime
 *              below x*, where b wins, is reported.
 *   profile    for each group `where` matches: the best score at each value
 *              of the tune key x (the other keys tuned, or held at the values
 *              `fix` gives: {method.eta: 0.0003}, a slice), and the slope of its
 *              log against log x (study/trend_boot.h); expect rises (the
 *              interval above +band: a trend that matters, not only a
 *              significant one), falls (below -band), flat (inside +-band),
 *              no_rise (interval's lower end <= band) or no_fall; band 0.1
 *              unless given.
 *   ratio      R(x) as for crossover; the slope of log R against log x
 *              (x a number, or a list such as problem.shape: its product,
 *              the dimension) with its interval; holds when
 *              |slope - expect| <= tolerance.
 * The claim line: reproduced when every analysis holds and every group it
 * uses is tuned; inconclusive when a group is not tuned; else NOT
 * reproduced.  tuned.c reads the block and makes the cells; tuned_data.c
 * reads a result folder back; tuned_analyse.c runs the analyses and writes
 * tuned.csv, tuned_points.csv and tuned.json; tuned_plot.c and
 * tuned_report.c draw the figures and the report section. */
#ifndef NTR_STUDY_TUNED_H
#define NTR_STUDY_TUNED_H

#include <stddef.h>

#include "base/node.h"
#include "study/study.h"
#include "study/trend_boot.h"

extern const ntr_study_type ntr_study_tuned;

#define NTR_TUNED_MAX_ANALYSES 12

typedef enum { NTR_TUNED_FINAL = 0, NTR_TUNED_HIT } ntr_tuned_score;
typedef enum { NTR_TUNED_CROSSOVER = 0, NTR_TUNED_PROFILE, NTR_TUNED_RATIO } ntr_tuned_kind;
typedef enum {
    NTR_EXPECT_RISES = 0,
    NTR_EXPECT_FALLS,
    NTR_EXPECT_FLAT,
    NTR_EXPECT_NO_RISE,
    NTR_EXPECT_NO_FALL
} ntr_tuned_expect;

extern const char *const ntr_tuned_kind_names[];   /* NULL-terminated */
extern const char *const ntr_tuned_expect_names[]; /* NULL-terminated */

typedef struct ntr_tuned_analysis {
    ntr_tuned_kind kind;
    char x[96];                       /* crossover, ratio: an over key; profile: a tune key */
    const ntr_node *a, *b, *where;    /* group selectors (maps of key: value), borrowed */
    const ntr_node *fix;              /* profile: tuning keys held at one value (a slice), or NULL */
    ntr_tuned_expect expect;          /* profile */
    double band;                      /* profile: slopes within +-band count as flat */
    double slope, tolerance;          /* ratio: the expected slope and its tolerance */
    char label[64];                   /* its name in lines and figures ("" : kind + index) */
    ntr_pos pos;
} ntr_tuned_analysis;

typedef struct ntr_tuned_spec {
    const ntr_node *over;             /* map or list of maps, borrowed */
    const ntr_node *tune;             /* map, borrowed */
    long seeds;                       /* 0: the config's */
    ntr_tuned_score score;
    char column[32];                  /* final */
    double window;                    /* final */
    double target;                    /* hit */
    double flat;
    long nboot;
    size_t nanalyses;
    ntr_tuned_analysis an[NTR_TUNED_MAX_ANALYSES];
} ntr_tuned_spec;

/* Read and check a tuned block (positioned errors). */
int ntr_tuned_spec_read(const ntr_node *study, ntr_tuned_spec *s, ntr_error *err);

/* The separator between a cell's group and its tuning point in its label. */
#define NTR_TUNED_SEP " | "

int ntr_tuned_analyse(const char *result_dir, const ntr_node *study, int draw, char **verdict,
                      ntr_error *err);
struct ntr_report;
int ntr_tuned_report(struct ntr_report *r, const char *result_dir, ntr_error *err);

#endif

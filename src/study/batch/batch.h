/* batch.h: the batch-size study, `study: {type: batch, ...}`, measuring
 * the critical batch size of THEORY.md section 2.
 *
 *     study:
 *       type: batch
 *       batch: [1, 2, 4, 8, 16, 32, 64]   # increasing batch sizes b
 *       target: 0.2                       # eps: steps-to-target T(b) on the budget measure
 *       seeds: 3                          # replicates per (setting, b); default: the config's seeds
 *       over:                             # settings compared, a grid like sweep:
 *         method.alpha: [0.2, 0.1]        #   (beta = 1 - alpha)
 *         method.weight_decay: [0, 0.1]   #   (lambda)
 *         method.nesterov: [false, true]
 *       eta_batch_scaling: none           # none | sqrt | linear: eta(b) = eta (b/b0)^(0, 1/2, 1),
 *                                         #   b0 the config's noise.batch
 *
 * batch.c expands it into one point per (setting, b), replicated over the
 * seeds, with noise.batch = b, budget.targets = [eps] and stop_at_target
 * (study_x = b).  batch_analyse.c reads the result folder back: T(b) is the
 * median over seeds of the first k reaching eps (a run that never reaches
 * it counts as infinite: censored), SFO(b) = b T(b), b* the minimiser of
 * SFO on a log-b interpolation (batch_fit.c), and the two model forms of
 * THEORY.md section 2 fitted to T(b) by nonlinear least squares (GSL
 * multifit, batch_fit.c):
 *
 *     Y/b form:        T(b) = a b / (b - c)                b* = 2 c
 *     Y/sqrt(b) form:  T(b) = a sqrt(b) / (sqrt(b) - c)    b* = 9 c^2 / 4
 *
 * (a = X/eps', c = Y/eps' in the bound X/T + Y/b + Z <= eps; the fit is in
 * log T).  It writes batch.csv, the figures batch_T and batch_sfo
 * (batch_plot.c) and a verdict comparing how b* moves with beta and lambda
 * with the trend of Y = (2 beta + 1)(1 - beta) + lambda (batch_trend.c);
 * batch_report.c is its report.md section. */
#ifndef NTR_STUDY_BATCH_H
#define NTR_STUDY_BATCH_H

#include <stddef.h>

#include "base/error.h"
#include "base/node.h"
#include "report/report.h"
#include "base/table.h"
#include "study/study.h"

extern const ntr_study_type ntr_study_batch;

#define NTR_BATCH_MAX_B 64
#define NTR_BATCH_MAX_OVER 8

/* ---- numbers (batch_fit.c) ---------------------------------------------- */

/* Median of n steps-to-target values, INFINITY meaning "never reached"
 * (larger than every number); NAN when n == 0.  t is reordered. */
double ntr_batch_median(double *t, size_t n);

/* The critical batch size from SFO(b) at increasing b (INFINITY where the
 * target was not reached within `budget` steps): the minimiser of the
 * parabola through the three points (log b, log SFO) around the smallest
 * finite SFO, clamped to its neighbours.  When the batch below the smallest
 * SFO never reached the target, its SFO is at least b x budget; if that
 * exceeds the smallest SFO, the minimum is bracketed (SFO is convex in b,
 * THEORY.md section 2) and b* is the measured minimum, at the grid's
 * resolution (edge 0).  edge: -1 when the smallest SFO is at the grid's
 * first batch, or at the first batch that reached the target without that
 * bracket (b* is at most there), +1 at the last batch (b* is at least
 * there), 0 inside.  found = 0 when no SFO is finite.  budget <= 0: unknown
 * (no bracket from a censored neighbour). */
typedef struct ntr_bstar {
    int found;
    double b, sfo;
    int edge;
} ntr_bstar;

void ntr_batch_bstar(const double *b, const double *sfo, size_t n, double budget,
                     ntr_bstar *out);

typedef enum { NTR_BATCH_INV_B = 0, NTR_BATCH_INV_SQRT_B = 1 } ntr_batch_model;

/* Names of the two forms for files ("inv_b", "inv_sqrt_b") and text. */
extern const char *const ntr_batch_model_names[2];
extern const char *const ntr_batch_model_titles[2];

/* A fitted model.  ok = 0 (and why) when there are fewer than three finite
 * points or the solver fails. */
typedef struct ntr_batch_fitres {
    int ok;
    double a, c;     /* T(b) = a x / (x - c), x = b or sqrt(b); 0 <= c < smallest x */
    double bstar;    /* 2c, or 9c^2/4 */
    double rms;      /* root mean square residual of log T */
    size_t npoints;
    char why[96];
} ntr_batch_fitres;

/* Fit model to the points (b_i, T_i) with finite positive T_i. */
int ntr_batch_fit(ntr_batch_model model, const double *b, const double *T, size_t n,
                  ntr_batch_fitres *out, ntr_error *err);

/* The fitted T at batch b (INFINITY where x <= c). */
double ntr_batch_model_T(ntr_batch_model model, double a, double c, double b);

/* ---- trends (batch_trend.c) --------------------------------------------- */

/* One setting as read back from batch.csv. */
typedef struct ntr_batch_setting {
    const char *label;
    size_t row0, nrows;                  /* its rows in batch.csv */
    const char *val[NTR_BATCH_MAX_OVER]; /* over-key values (text) */
    double alpha, lambda;                /* resolved method.alpha and weight_decay */
    ntr_bstar bstar;
} ntr_batch_setting;

/* How b* moves along one over key, over the pairs of settings that differ
 * only in that key (neighbours in the key's numeric order). */
typedef struct ntr_batch_trend {
    size_t key;          /* index into the over keys */
    size_t pairs;        /* pairs with b* found in both */
    size_t rises, falls, flat; /* b* ratio above 1.15, below 1/1.15, between */
    int predicted;       /* +1 / -1: the paper's Y rises / falls along the key in every
                          * pair; 0: it stays (no claim) or moves both ways */
    size_t claimed;      /* pairs where the paper's Y changes */
    size_t agree;        /* pairs where b* moves as Y does */
} ntr_batch_trend;

/* Y = (2 beta + 1)(1 - beta) + lambda with beta = 1 - alpha (THEORY.md section 2,
 * up to the factor sigma^2 / 2). */
double ntr_batch_paper_Y(double alpha, double lambda);

/* One trend per over key (out[nkeys]). */
void ntr_batch_trends(const ntr_batch_setting *s, size_t ns, size_t nkeys, ntr_batch_trend *out);

/* The read-back of a result folder's batch.csv, for the verdict and report. */
typedef struct ntr_batch_summary {
    size_t nkeys;
    char *keys[NTR_BATCH_MAX_OVER];
    size_t nsettings;
    ntr_batch_setting *settings;
    ntr_table *table;       /* batch.csv; the strings above point into it */
} ntr_batch_summary;

/* Read result_dir/batch.csv; *found = 0 (and 0 returned) when it is absent. */
int ntr_batch_summary_read(const char *result_dir, ntr_batch_summary *s, int *found,
                           ntr_error *err);
void ntr_batch_summary_free(ntr_batch_summary *s);

/* A short label for figures and tables: "beta=0.9 lambda=0.01 nesterov=true"
 * (method.alpha shown as beta = 1 - alpha, method.weight_decay as lambda,
 * other keys by the last part of their name). */
void ntr_batch_display_label(const ntr_batch_summary *s, const ntr_batch_setting *st,
                             char *buf, size_t size);

/* A sentence describing a trend ("as beta grows, b* falls in 5 of 6 pairs;
 * the paper's Y falls: agrees in 5"). */
void ntr_batch_trend_text(const ntr_batch_summary *s, const ntr_batch_trend *t, char *buf,
                          size_t size);

/* ---- the parts of the study (batch.c, batch_analyse.c, batch_plot.c) ---- */

/* The study block, validated. */
typedef struct ntr_batch_spec {
    size_t nb;
    long b[NTR_BATCH_MAX_B];
    double target;              /* a number; NAN with target: {floor: f} */
    double floor_factor;        /* > 0: each setting's target is this times its full-batch
                                 * floor (batch_floor.c) plus floor_above */
    double floor_above;         /* E of target: {floor: F, above: E} (0 when not given) */
    long seeds;                 /* 0: the plan's */
    const ntr_node *over;        /* map or NULL */
    int scaling;                /* 0 none, 1 sqrt, 2 linear */
    int expect[NTR_BATCH_MAX_OVER]; /* +1 / -1: b* claimed to rise / fall along over key i */
    int contrast;               /* role: contrast (a design shown for its confound) */
    long nboot;                 /* bootstrap resamples of the trend test */
} ntr_batch_spec;

/* The full-batch floor of one setting (the over assignments a): the level
 * ||grad f||_* hovers at in the same run with exact gradients (noise.type
 * none): the median over its logged rows of the second half; run once at
 * plan time (deterministic, no files).  Needs budget.measure
 * min_grad_dual. */
int ntr_batch_floor(const ntr_plan_builder *b, const ntr_assign *a, size_t na, ntr_pos pos,
                    double *floor_out, ntr_error *err);

/* ---- the trend test over seeds (batch_boot.c) ---------------------------- */

/* Steps to target per (setting, b, replicate), for the bootstrap. */
typedef struct ntr_batch_seeds {
    size_t ns, nb, nreps, nkeys;
    const long *b;               /* nb batch sizes */
    const double *T;             /* ns x nb x nreps: INFINITY never reached, NAN not run */
    const char *const *val;      /* ns x nkeys: the settings' over-key values (text) */
    const char *const *keys;     /* nkeys over keys */
    double budget;               /* budget.iterations (see ntr_batch_bstar) */
    const double *yeps;          /* ns: Y/eps' of each setting (batch_scaling.c), NAN when
                                  * unknown (a fixed target: its floor was not measured);
                                  * NULL: none */
} ntr_batch_seeds;

/* b* of setting s from the replicates rep[0..n): the medians of T over
 * them, SFO = b T and ntr_batch_bstar; NAN when b* is not found or lies on
 * the grid's edge (then it is only a bound). */
double ntr_batch_bstar_of(const ntr_batch_seeds *sd, size_t s, const size_t *rep, size_t n);

/* The direction of b* along over key k: every sequence of settings that
 * differ in key k only (the trend test of study/trend_boot.h on each), and
 * the pooled trend of the geometric mean of b* over the sequences.  The
 * lines go to buf (one per key, "; "-separated sequences); *holds is 1
 * when the pooled direction is the expected one (expect +1 rises, -1
 * falls), 0 when it is another clear direction, -1 when there is none
 * (undecided or inconclusive).  flat band 0.1. */
int ntr_batch_boot_key(const ntr_batch_seeds *sd, size_t k, int expect, long nboot,
                       int *holds, char *buf, size_t size, ntr_error *err);

/* The trend of every over key, their lines and the claim line (role claim
 * or contrast; reproduced when every key with an expected direction has it,
 * inconclusive when some has none, else NOT reproduced) into *lines
 * (malloc'ed, newline-separated) and dir/batch_trends.json. */
int ntr_batch_boot_write(const char *dir, const ntr_batch_seeds *sd, const ntr_batch_spec *spec,
                         char **lines, ntr_error *err);

int ntr_batch_spec_read(const ntr_node *study, ntr_batch_spec *s, ntr_error *err);

int ntr_batch_analyse(const char *result_dir, const ntr_node *study, int draw,
                      char **verdict, ntr_error *err);

/* The figures batch_T and batch_sfo in result_dir/plots from batch.csv,
 * in format png, pdf or svg (NULL: png); nothing when there is no
 * batch.csv.  When gnuplot is missing or fails, the data and scripts are
 * written, the figures are not, and note says so (empty: all drawn).
 * ntr-run draws png (a study's analyse has no format); ntr-plot may call
 * this with its --format. */
int ntr_batch_plot(const char *result_dir, const char *format, char *note, size_t size,
                   ntr_error *err);

/* The report.md section (a report builder, see report.h). */
int ntr_batch_report(ntr_report *r, const char *result_dir, ntr_error *err);

/* b* against Y/eps' (batch_scaling.c): the log-log slope over the settings
 * with a 95% bootstrap interval over seeds.  holds: 1 when the interval
 * lies above 0, 0 below, -1 otherwise or inconclusive (slope or interval
 * NAN). */
typedef struct ntr_batch_scaling_result {
    size_t nsettings;       /* settings in the fit on all seeds */
    double slope, ci_lo, ci_hi;
    size_t nboot, missing;  /* resamples; those with fewer than 3 settings */
    int holds;
} ntr_batch_scaling_result;

int ntr_batch_scaling(const ntr_batch_seeds *sd, long nboot, ntr_batch_scaling_result *out,
                      ntr_error *err);
void ntr_batch_scaling_text(const ntr_batch_scaling_result *s, char *buf, size_t size);
/* The target of a summary.csv row (its budget.targets "[eps]"), NAN if none. */
double ntr_batch_row_target(const ntr_table *sum, size_t row);

#endif

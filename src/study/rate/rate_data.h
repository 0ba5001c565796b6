/* rate_data.h: a rate study's result folder read back, and what the
 * analysis derives from it (shared by rate_cells.c, rate_tuned.c,
 * rate_check.c, rate_rule.c, rate_write.c, rate_plot*.c, rate_summary.c).
 *
 * A series' cells are grouped into points by their group label (the
 * labels rate.c made); each point has its seeds' outcomes (summary.json:
 * status, hitting iteration, constants; trajectory.csv: the columns its
 * kind needs) and its resolved settings (summary.csv's columns, else
 * config.yaml: what the cells ran after --set). */
#ifndef NTR_STUDY_RATE_DATA_H
#define NTR_STUDY_RATE_DATA_H

#include <stddef.h>
#include <stdio.h>

#include "study/rate/rate.h"
#include "study/rate/rate_bound.h"
#include "study/rate/rate_fit.h"

typedef struct ntr_rate_seed {
    int present;            /* the cell has a summary.json */
    char status[16];        /* done | target | budget (not_reached) | diverged | interrupted | pending */
    double hit;             /* first k with measure <= eps; NAN if never (tuned, rule) */
    long iterations;        /* k of its last iterate */
    char hash[24];
    int have_vars;
    ntr_theory_vars vars;   /* the cell's constants (Delta0 and D depend on its x0) */
    size_t nrows;           /* trajectory rows */
    double *k;              /* k of each row */
    double *v;              /* the theory's measure (tuned, rule) */
    double *gd, *mind, *mom, *gap; /* bound: grad_dual, min_grad_dual, mom_err, gap */
} ntr_rate_seed;

enum { NTR_RATE_NCHECKS = 3 }; /* theorem2, momentum, starconvex */
extern const char *const ntr_rate_check_names[]; /* "theorem2", "momentum", "starconvex" */

/* One bound check of one point: its rows and the worst one. */
typedef struct ntr_rate_bcheck {
    int active;             /* asked for by the series */
    int applicable;         /* the cell runs what the bound is about */
    char why_na[160];       /* why not, when not applicable */
    size_t nrows;
    double *k, *mean, *lcb, *bound; /* per row (k where all seeds have a value) */
    double *ratio;          /* mean/bound, or (no noise) the largest seed's value/own bound */
    unsigned char *violated;/* per row */
    int approx;             /* theorem2: some min over k >= 1 taken as grad at k = 0 (a lower value) */
    double worst_ratio, worst_k;    /* max mean/bound */
    size_t violations;      /* rows with lcb > bound */
    double first_violation_k;
} ntr_rate_bcheck;

typedef struct ntr_rate_point {
    size_t ie;              /* eps index (tuned, rule) */
    double eps;             /* NAN for a bound point */
    char label[512];
    ntr_rate_seed *seed;    /* nseeds */
    int have_settings;
    /* resolved settings of replicate 0 */
    double eta, alpha, weight_decay;
    char method[32], norm[32], m0[16], solver[32], scale[16], noise[32];
    int nesterov, extrapolation, eta_constant;
    long measure_every;     /* log.measure_every */
    char tunev[NTR_TUNE_MAX_KEYS][64]; /* tuned: the tuning keys' resolved values */
    long budget;
    double K_theory;        /* the theorem's K at eps with this point's constants */
    size_t reached, pending, diverged;
    int trivial;            /* some seed reached eps at k = 0 */
    double median;          /* median hitting k when every seed reached, else NAN */
    double score;           /* tuning score: median, INFINITY (a seed never reached), NAN (pending) */
    int best;               /* chosen for its eps */
    ntr_rate_bcheck chk[NTR_RATE_NCHECKS];
} ntr_rate_point;

/* A bound series' result for one check: counts and the worst point. */
typedef struct ntr_rate_bsum {
    size_t points, applicable, violated_points, violations;
    double worst_ratio, worst_k;
    const ntr_rate_point *worst;
} ntr_rate_bsum;

/* Per eps of a tuned or rule series. */
typedef struct ntr_rate_eps {
    double eps;
    size_t first, count;    /* its points: pt[first .. first + count) */
    ntr_rate_point *best;   /* the chosen point, NULL when none reached eps */
    ntr_tune_choice choice; /* tuned: over the grid actually run */
    ntr_tune_grid grid;     /* tuned: that grid (from the resolved values) */
    double K, K_lo, K_hi;   /* K*(eps) and its 95% bootstrap interval */
    int usable, censored, untuned, pending, trivial;
    double K_theory;        /* at the chosen point (or the first) */
    long budget;
    double information;     /* the series' information count at eps, NAN without */
    char status[16];        /* ok | censored | not_tuned | pending | trivial */
    char why[200];
} ntr_rate_eps;

typedef struct ntr_rate_data {
    ntr_rate_spec *spec;    /* borrowed from the study */
    size_t nseeds, npoints;
    ntr_rate_point *pt;     /* eps-major for tuned/rule; grid order for bound */
    ntr_rate_eps per[NTR_RATE_MAX_EPS];
    ntr_rate_fit fit;       /* tuned/rule: the exponent */
    double *boot;           /* its bootstrap slopes (nboot) */
    size_t nboot;
    ntr_rate_evidence ev;
    int collapsed[NTR_TUNE_MAX_KEYS]; /* tuned: a key with several values that ran with one
                                       * (--set pinned it) */
    ntr_rate_bsum bsum[NTR_RATE_NCHECKS]; /* bound: per check */
    ntr_rate_verdict verdict;
    char why[600];
    char line[1600];        /* the verdict line */
} ntr_rate_data;

/* Read result_dir's cells of one series into d (config: the folder's
 * config.yaml, for settings summary.csv does not carry).  Free with
 * ntr_rate_data_free, also after a failure. */
int ntr_rate_data_read(const char *result_dir, const ntr_node *config, ntr_rate_spec *spec,
                       ntr_rate_data *d, ntr_error *err);
void ntr_rate_data_free(ntr_rate_data *d);

/* The analyses of the three kinds: statistics, choices, fit or checks,
 * verdict and verdict line; seed: the bootstrap's. */
int ntr_rate_tuned_compute(ntr_rate_data *d, unsigned long seed, ntr_error *err);
int ntr_rate_check_compute(ntr_rate_data *d, ntr_error *err);
int ntr_rate_rule_compute(ntr_rate_data *d, unsigned long seed, ntr_error *err);

/* The point statistics every eps-based kind needs: reached, pending,
 * median, score, K_theory (rate_rule.c). */
int ntr_rate_point_stats(ntr_rate_data *d, ntr_rate_point *p, ntr_error *err);
/* The start of every eps-based kind's compute: each point's statistics,
 * and d->ev cleared and filled with the spec's eps span, expectation and
 * tolerance (rate_rule.c). */
int ntr_rate_evidence_start(ntr_rate_data *d, ntr_error *err);

/* The comparison of two series' exponents. */
typedef struct ntr_rate_comparison {
    double difference, ci_lo, ci_hi; /* exponent of a minus exponent of b */
    int consistent;                  /* expected difference in the interval or within tolerance */
    char line[400];
} ntr_rate_comparison;

/* rates.csv, rate_points.csv, bounds.csv and rates.json in result_dir, for
 * every series; cmp may be NULL; claim: the closing claim line or "". */
int ntr_rate_write(const char *result_dir, const ntr_rate_study *st, ntr_rate_data *d,
                   const ntr_rate_comparison *cmp, const char *claim, ntr_error *err);

/* plots/rate_K.* (every tuned and rule series) and plots/rate_bounds.*
 * (measured / bound against K, every bound series); figures only when
 * gnuplot runs. */
int ntr_rate_plot(const char *result_dir, const ntr_rate_study *st, ntr_rate_data *d,
                  ntr_error *err);

#endif

/* rate.h: the rate study, `study: {type: rate, ...}`: checks of an
 * iteration-complexity claim that can fail (THEORY.md sections 5 and 8).
 *
 * A study is one or more series (`variants`, each a block of the keys
 * below over the study's own); each series has a kind:
 *
 *   tuned  K*(eps), the method's best complexity: for every eps the
 *          smallest median hitting time over a tuning grid (tune.h), whose
 *          best point must not lie on the grid's edge (else "not tuned");
 *          an eps that some seed of every grid point misses within the
 *          budget is censored (K > budget); the exponent of K*(eps) is
 *          fitted with an interval that includes the fit's own error.
 *   bound  the theorem's bound with its constants at every logged K, on a
 *          grid of settings (eta, alpha, problems, norms) run without
 *          targets: the mean over seeds of the measured quantity, with a
 *          one-sided lower confidence bound, against the bound (rate_bound.h).
 *   rule   the old check: K(eps) at the theorem's prescribed eta(eps),
 *          alpha(eps) (times multipliers): its exponent is largely imposed by
 *          the rule, so it is reported only as a labelled contrast.
 *
 * and a role: claim (the evidence), control (a variant that theory says
 * must fail, with the verdicts expected of it), contrast (reported only).
 *
 *     study:
 *       type: rate
 *       theory: kovalev_nonconvex       # K_theory, the expected exponent
 *       seeds: 5
 *       variants:
 *         bounds:
 *           kind: bound
 *           grid: {method.eta: [1e-3, 1e-2], method.alpha: [1, 0.1, 0.01]}
 *           iterations: 20000
 *           check: [theorem2, momentum]
 *           claim: consistent
 *         chain:
 *           kind: tuned
 *           eps: {logspace: [0.3, 0.03, 7]}
 *           set: {problem: {type: chain_hard}}
 *           theory: {preset: kovalev_nonconvex, problem: {T: "rint(0.5/eps^2)", p: "eps^2"}}
 *           tune: {method.eta: {logspace: [0.1, 10, 5], around: "eps"},
 *                  method.alpha: [0.01, 0.1, 1]}
 *           budget: "ceil(40/eps^4)"           # per-eps iteration budget (theory variables)
 *           information: "d/eps^2"             # what limits progress: T/p on the chain
 *           lower_bound: "zero-respecting methods need T/p oracle calls (Arjevani et al. 2019)"
 *           claim: tight
 *         no_momentum:
 *           kind: tuned
 *           role: control
 *           set: {method.alpha: 1}             # set keys leave the tuning grid
 *           claim: [violated, inconclusive]    # the verdicts theory expects of it
 *           note: "why theory says so"
 *
 * Series keys (a series without `kind` is an error): kind, role, claim
 * (one verdict, or a list for a control), note, eps, theory, seeds, expect
 * (the claimed exponent, default the theory's), tolerance, max_iterations,
 * bootstrap, set (for a bound series `eps` adds, beside each grid point of
 * the grid's first eta and alpha, a point at the theorem's own eta(eps) and
 * alpha(eps); a theory with a weight decay rule sets it on every bound
 * point); tuned: tune, plateau (default 0.05: a best point on
 * the grid's edge counts as tuned when a point inside scores within 5% of
 * it), budget, information, lower_bound; bound:
 * grid, iterations, check (theorem2 | momentum | starconvex), confidence,
 * applicability (algorithm1: only cells that run Algorithm 1 with an exact
 * sharp count, the default; any: every cell, to watch a check fail on a
 * method the theorem is not about),
 * constants ({L: x, sigma: x, rho: x, Delta0: x}: multipliers of the constants the
 * bound uses, to break a check on purpose); rule: scale_eta, scale_alpha,
 * scale_iterations, fit.  `compare: {a, b, difference}` tests the
 * difference of two series' exponents.
 *
 * rate.c expands the series into cells; rate_cells.c reads them back;
 * rate_tuned.c, rate_check.c and rate_rule.c analyse each kind; rate_fit.c
 * fits and judges; rate_summary.c joins the verdicts into the claim line;
 * rate_write.c, rate_plot*.c and rate_report.c write the files, figures
 * and report section. */
#ifndef NTR_STUDY_RATE_H
#define NTR_STUDY_RATE_H

#include <stddef.h>

#include "base/node.h"
#include "study/rate/theory.h"
#include "study/study.h"
#include "study/tune.h"

extern const ntr_study_type ntr_study_rate;

#define NTR_RATE_MAX_EPS 64
#define NTR_RATE_MAX_VARIANTS 12

typedef enum { NTR_RATE_KIND_TUNED = 0, NTR_RATE_KIND_BOUND, NTR_RATE_KIND_RULE } ntr_rate_kind;
typedef enum { NTR_RATE_ROLE_CLAIM = 0, NTR_RATE_ROLE_CONTROL, NTR_RATE_ROLE_CONTRAST } ntr_rate_role;
extern const char *const ntr_rate_kind_names[];  /* "tuned", "bound", "rule" */
extern const char *const ntr_rate_role_names[];  /* "claim", "control", "contrast" */

/* The bounds a bound series can check (rate_bound.h). */
enum {
    NTR_RATE_CHECK_THEOREM2 = 1u << 0,  /* E min_{k<=K} ||grad f(x_k)||_*  [paper] */
    NTR_RATE_CHECK_MOMENTUM = 1u << 1,  /* E ||m_k - grad f(x_k)||_*      [paper] */
    NTR_RATE_CHECK_STARCONVEX = 1u << 2 /* E f(x_K) - f*                  [reconstructed] */
};

/* One series: the study's keys, or a variant's merged over them. */
typedef struct ntr_rate_spec {
    char name[48];                /* variant name, "" for a study without variants */
    ntr_node *merged;             /* the keys this spec was read from (owned) */
    const ntr_node *set;          /* `set:` map of config keys, or NULL (in merged) */
    ntr_rate_kind kind;
    ntr_rate_role role;
    unsigned expected;            /* bit v: verdict v is what the series should get (0: none) */
    const char *note;             /* why (in merged), or NULL */
    size_t neps;
    double eps[NTR_RATE_MAX_EPS]; /* decreasing (tuned, rule) */
    ntr_theory *theory;
    long seeds;                   /* 0: the plan's */
    double expect, tolerance;     /* the claimed exponent */
    long max_iterations;          /* 0: the config's budget.iterations */
    long bootstrap;
    /* tuned */
    ntr_tune_grid tune;
    const ntr_node *tune_node;    /* in merged, or NULL */
    double plateau;               /* relative flatness that brackets a best point on an edge */
    char budget[256];             /* expression of the theory variables, "" = max_iterations */
    ntr_pos budget_pos;
    char information[256];        /* expression, "" when none */
    ntr_pos information_pos;
    char lower_bound[300];        /* the lower bound that applies, "" when none is known */
    /* bound */
    const ntr_node *grid;         /* in merged */
    long iterations;
    unsigned checks;              /* NTR_RATE_CHECK_* */
    double confidence;            /* one-sided level of the lower confidence bound */
    int any_method;               /* applicability: any (check every cell, to break a check on
                                   * purpose with another sharp) or algorithm1 (default) */
    double scale_L, scale_sigma, scale_rho, scale_Delta0;
    /* rule */
    double scale_eta, scale_alpha, scale_iterations;
    int fit_mean;
    ntr_pos pos;
} ntr_rate_spec;

/* The whole study: its series and the optional comparison. */
typedef struct ntr_rate_study {
    size_t nvar;
    ntr_rate_spec var[NTR_RATE_MAX_VARIANTS];
    int compare;                  /* a comparison was asked for */
    size_t cmp_a, cmp_b;          /* variant indices */
    double cmp_difference, cmp_tolerance;
} ntr_rate_study;

/* Read and check a study block (positions!); b (NULL when analysing) tells
 * which keys --set pins, which leave the tuning grids.  Free with
 * ntr_rate_study_free. */
int ntr_rate_study_read(const ntr_node *study, const ntr_plan_builder *b, ntr_rate_study *st,
                        ntr_error *err);
void ntr_rate_study_free(ntr_rate_study *st);

/* One series from a block of keys (node is cloned into s->merged); name:
 * the variant's, or NULL. */
int ntr_rate_spec_read(const ntr_node *node, const char *name, const ntr_plan_builder *b,
                       ntr_rate_spec *s, ntr_error *err);
void ntr_rate_spec_free(ntr_rate_spec *s);

/* The label prefix of eps index ie: "eps=0.01", "NAME eps=0.01" in a study
 * with variants (a tuned point adds its grid label after a space). */
void ntr_rate_eps_label(const ntr_rate_spec *s, size_t ie, char *buf, size_t size);

/* report.md's rate section, from rates.json and rates.csv (a report
 * builder: nothing when the folder has no rates.json). */
struct ntr_report;
int ntr_rate_report(struct ntr_report *r, const char *result_dir, ntr_error *err);

/* Analysis of a result folder (the study type's analyse). */
int ntr_rate_analyse(const char *result_dir, const ntr_node *study, int draw, char **verdict_line,
                     ntr_error *err);

#endif

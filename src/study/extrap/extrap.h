/* extrap.h: the extrapolation-mechanism study (claim C4, THEORY.md
 * section 6): what the extrapolated gradient itself does, measured with
 * extrapolation on and off at the same (eta, alpha), instead of the
 * exponents that two step-size rules impose.
 *
 *     study:
 *       type: extrapolation
 *       seeds: 3
 *       over: {problem.a: [0.03, 0.1, 0.3, 1.0]}   # doses: settings that move L^2/L2
 *                                      # (a grid, or a list of grids: paired values)
 *       momentum:                      # (a) fixed (eta, alpha), each cell travelling
 *         eta: [1e-3, 3e-3]
 *         alpha: [0.01, 0.03, 0.1]
 *         warmup: 5                    # window k >= warmup/alpha (the start-up term decays)
 *         set: {init.type: gaussian, budget.iterations: 1500}
 *       crossover:                     # (b) the rule's (eta, alpha) at each eps
 *         eps: {logspace: [0.15, 0.005, 8]}
 *         eps_unit: "L^2/L2"           # optional: eps given in units of this
 *                                      # expression of the dose's constants
 *         theory: kovalev_extrapolation
 *         horizon: 60                  # budget.iterations = ceil(horizon/alpha)
 *         set: {init.type: zeros}
 *       controls:                      # the mechanism broken on purpose
 *         at_x: {method.extrapolation_error: -1}
 *       band: 0.5                      # tolerance of the dose-response exponent
 *
 * For every dose (a point of `over`, or the config itself) the study adds
 * the (a) cells: each (eta, alpha) with extrapolation off, on, and once per
 * control (extrapolation on plus the control's keys); and the (b) cells:
 * at each eps the rule's eta and alpha (evaluated with the dose's own
 * constants L, L2, rho, sigma), budget ceil(horizon/alpha), off, on and the
 * controls.  The analysis (extrap_analysis.h) turns them into
 *   (a) the momentum error ||m_k - grad f(x_k)||_* off and on against
 *       c L eta/alpha and the noise floor sqrt(alpha/(2-alpha)) sigma;
 *   (b) per dose the crossover eps* below which the plain method's
 *       running average (1/K) sum ||grad f(x_k)||_* stays above eps while
 *       the extrapolated one reaches it;
 *   (c) the exponent of eps* against L^2/L2 over the doses (prediction 1);
 * and the verdict: consistent | violated | inconclusive (never tight: no
 * lower bound is involved).  Each control is judged the same way with its
 * cells in the extrapolated role and must come out violated. */
#ifndef NTR_STUDY_EXTRAP_H
#define NTR_STUDY_EXTRAP_H

#include <stddef.h>

#include "base/node.h"
#include "base/expr.h"
#include "study/study.h"

#define NTR_EX_MAX_EPS 24
#define NTR_EX_MAX_MOM 16     /* eta values, and alpha values, of part (a) */
#define NTR_EX_MAX_DOSES 16
#define NTR_EX_MAX_CONTROLS 4
#define NTR_EX_MAX_ROLES (2 + NTR_EX_MAX_CONTROLS) /* off, on, the controls */

/* The roles of a point's cells: the plain method, the extrapolated one and
 * each control (extrapolated, with the control's keys). */
enum { NTR_EX_OFF = 0, NTR_EX_ON = 1, NTR_EX_CONTROL0 = 2 };

typedef struct ntr_ex_spec {
    long seeds;                /* 0: the config's seeds */
    const ntr_node *over;      /* the doses: a grid (map of keys to lists), a list of
                                * grids (their points in turn), or NULL */
    size_t ndoses;
    /* (a) */
    size_t neta, nalpha;
    double eta[NTR_EX_MAX_MOM], alpha[NTR_EX_MAX_MOM];
    double warmup;
    const ntr_node *momentum_set;
    /* (b) */
    size_t neps;
    double eps[NTR_EX_MAX_EPS]; /* decreasing; in units of eps_unit when it is set */
    const ntr_node *eps_unit;   /* an expression of the constants (L, L2, sigma, ...), or NULL */
    const ntr_node *theory;
    double horizon;
    long max_iterations;
    const ntr_node *crossover_set;
    /* controls */
    size_t ncontrols;
    char control[NTR_EX_MAX_CONTROLS][64];
    const ntr_node *control_set[NTR_EX_MAX_CONTROLS];
    double band;
    long bootstrap;
    ntr_pos pos;
} ntr_ex_spec;

/* Read and check a study block (every error positioned).  The nodes stay
 * borrowed from study. */
int ntr_ex_spec_read(const ntr_node *study, ntr_ex_spec *s, ntr_error *err);

/* Number of roles (2 + controls) and the name of role r: "off", "on" or
 * the control's name. */
size_t ntr_ex_nroles(const ntr_ex_spec *s);
const char *ntr_ex_role_name(const ntr_ex_spec *s, size_t r);

/* The group labels of the cells, shared by expansion and analysis:
 *   DOSE momentum eta=E alpha=A ROLE
 *   DOSE crossover eps=E ROLE          (eps=E*(UNIT) with an eps_unit)
 * where DOSE is the dose's assignments ("problem.a=0.1"), or "base". */
void ntr_ex_momentum_label(const char *dose, double eta, double alpha, const char *role,
                           char *buf, size_t size);
void ntr_ex_crossover_label(const ntr_ex_spec *s, const char *dose, size_t i, const char *role,
                            char *buf, size_t size);

/* The label of dose i (i < s->ndoses), and its assignments (a[0..*na),
 * borrowed from the study block; a: NTR_GRID_MAX_KEYS entries). */
void ntr_ex_dose_label(const ntr_ex_spec *s, size_t i, char *buf, size_t size);
void ntr_ex_dose_assigns(const ntr_ex_spec *s, size_t i, ntr_assign *a, size_t *na);

/* The eps of dose i in absolute terms: s->eps times the eps_unit evaluated
 * with the dose's constants v (times 1 without a unit). */
int ntr_ex_eps_scale(const ntr_ex_spec *s, const ntr_theory_vars *v, double *scale,
                     ntr_error *err);

/* The study type (registered in study/registry.c) and its analysis. */
extern const ntr_study_type ntr_study_extrapolation;
int ntr_ex_analyse(const char *result_dir, const ntr_node *study, int draw, char **verdict_line,
                   ntr_error *err);
int ntr_ex_report(struct ntr_report *r, const char *result_dir, ntr_error *err);

#endif

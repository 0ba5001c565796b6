/* expr.h: one theory-rule expression, compiled once by muparser.
 *
 * A rule such as "min(eps/(16*L), eps^3/(256*rho^2*sigma^2*L))" is an
 * expression over the theory variables (ntr_theory_vars: eps, L, L2, sigma,
 * rho, Delta0, D, d, m, n, batch, and the rule's own alpha and eta) with
 * muparser's operators and functions (x^y, min, max, sqrt, log = ln, exp,
 * abs, a < b ? x : y, ...) plus ceil, floor and pow(x, y).  Compilation checks
 * the syntax and the variable names; evaluation fails when a variable the
 * expression uses is unknown (NAN: L2 on a problem without a Lipschitz
 * Hessian; min and max would otherwise drop it silently) and when the result
 * is not finite (a division by zero, the log of a negative number).  Every
 * error is positioned: the expression's place in the YAML plus the column
 * muparser reports.
 *
 * The same wrapper serves expressions over names the caller does not know
 * in advance (ntr_expr_compile_open): every name the text uses, dots
 * allowed ("0.03*method.alpha"), becomes a variable that the caller lists
 * and sets before evaluating (the expressions between settings of
 * config/setting_expr.c); and expressions over the caller's own names
 * (ntr_expr_compile_vars: a step-size schedule in k and K), evaluated
 * without checks or allocation in a hot loop (ntr_expr_value_fast).  This
 * wrapper is the only code that talks to muparser. */
#ifndef NTR_THEORY_EXPR_H
#define NTR_THEORY_EXPR_H

#include "base/error.h"

/* The variables a rule may use.  sigma is the A1 constant of one oracle
 * call (noise.sigma / sqrt(noise.batch)); d the number of parameters; m, n
 * the first block's rows and columns. */
typedef struct ntr_theory_vars {
    double eps, L, L2, sigma, rho, Delta0, D, d, m, n, batch;
    double alpha, eta; /* the rule's own alpha and eta, once evaluated (NAN before) */
} ntr_theory_vars;

/* The variable names, in the struct's order (NULL-terminated). */
extern const char *const ntr_theory_var_names[];

typedef struct ntr_expr ntr_expr;

/* Compile text.  pos: where the text starts in its file (the first
 * character of the expression, after any opening quote); what names the
 * rule in messages ("theory.eta").  A syntax error or an unknown name is
 * an NTR_E_INPUT error at pos plus muparser's column. */
int ntr_expr_compile(const char *text, ntr_pos pos, const char *what, ntr_expr **out,
                     ntr_error *err);

/* Evaluate with the given variables; an unknown (NAN) variable in use or a
 * non-finite result is an NTR_E_INPUT error at the expression, naming the
 * variable or the values used. */
int ntr_expr_eval(ntr_expr *e, const ntr_theory_vars *v, double *out, ntr_error *err);

/* Compile text, evaluate it once with v and free it: ntr_expr_compile then
 * ntr_expr_eval, with their errors. */
int ntr_expr_eval_text(const char *text, ntr_pos pos, const char *what,
                       const ntr_theory_vars *v, double *out, ntr_error *err);

/* ---- expressions over open names ---- */

#define NTR_EXPR_MAX_VARS 16

/* Compile text with every name it uses as a variable (letters, digits, _
 * and dots; at most NTR_EXPR_MAX_VARS names).  Errors as ntr_expr_compile. */
int ntr_expr_compile_open(const char *text, ntr_pos pos, const char *what, ntr_expr **out,
                          ntr_error *err);
/* Compile text over the variables names[0..n) (n <= NTR_EXPR_MAX_VARS),
 * each 1 until set with ntr_expr_var_set (index i: names[i]); another name
 * is a syntax error.  Errors as ntr_expr_compile. */
int ntr_expr_compile_vars(const char *text, ntr_pos pos, const char *what,
                          const char *const *names, size_t n, ntr_expr **out, ntr_error *err);

/* Open and named expressions: the names (open ones in their order of first
 * use), and setting their values. */
size_t ntr_expr_var_count(const ntr_expr *e);
const char *ntr_expr_var_name(const ntr_expr *e, size_t i);
void ntr_expr_var_set(ntr_expr *e, size_t i, double value);
/* Evaluate with the values set (a NAN value in use is an error, as is a
 * result that is not finite). */
int ntr_expr_value(ntr_expr *e, double *out, ntr_error *err);

/* The value with the variables as set, NAN when muparser reports an error;
 * no check, no message, no allocation (for a hot loop). */
double ntr_expr_value_fast(ntr_expr *e);

/* The expression text as given, and where it starts. */
const char *ntr_expr_text(const ntr_expr *e);
ntr_pos ntr_expr_pos(const ntr_expr *e);

void ntr_expr_free(ntr_expr *e);

#endif

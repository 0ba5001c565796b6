/* expr.c: expressions on muparser's C API (see expr.h), the one file that
 * talks to muparser: theory rules over the fixed theory variables,
 * expressions over the caller's named variables (a step-size schedule in k
 * and K), and expressions over open names. */
#include "base/expr.h"

#include <math.h>
#include <muParserDLL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ntr_theory_var_names[] = {"eps", "L", "L2",    "sigma", "rho", "Delta0", "D",
                                            "d",   "m", "n",     "batch", "alpha", "eta", NULL};
#define NTHEORY 13

/* Whose variables an expression reads. */
typedef enum { KIND_THEORY, KIND_NAMED, KIND_OPEN } expr_kind;

struct ntr_expr {
    muParserHandle_t parser;
    double slot[NTR_EXPR_MAX_VARS]; /* the parser reads the variables from here */
    double spare;                   /* handed out past NTR_EXPR_MAX_VARS (an error) */
    char *name[NTR_EXPR_MAX_VARS];  /* named and open names (owned) */
    size_t nvars;
    expr_kind kind;
    int overflow;
    char *text;
    ntr_pos pos;
    char what[96];
};

static const double *theory_value(const ntr_theory_vars *v, size_t i)
{
    const double *fields[NTHEORY] = {&v->eps, &v->L,  &v->L2,    &v->sigma, &v->rho,
                                     &v->Delta0, &v->D, &v->d,   &v->m,     &v->n,
                                     &v->batch, &v->alpha, &v->eta};
    return fields[i];
}

static double fn_ceil(double x) { return ceil(x); }
static double fn_floor(double x) { return floor(x); }
static double fn_pow(double x, double y) { return pow(x, y); }

/* A new open variable: a slot of its own (the spare one past the limit). */
static double *open_var(const char *name, void *data)
{
    ntr_expr *e = data;
    if (e->nvars >= NTR_EXPR_MAX_VARS || !(e->name[e->nvars] = strdup(name))) {
        e->overflow = 1;
        return &e->spare;
    }
    e->slot[e->nvars] = 1.0;
    return &e->slot[e->nvars++];
}

/* pos moved right by cols characters (positions without a file stay put). */
static ntr_pos shift(ntr_pos pos, int cols)
{
    if (pos.file && cols > 0)
        pos.col += cols;
    return pos;
}

/* The caller's variables names[0..n), each a slot of its own (1 until set). */
static int define_named(ntr_expr *e, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i >= NTR_EXPR_MAX_VARS || !(e->name[i] = strdup(names[i])))
            return -1;
        e->nvars = i + 1;
        e->slot[i] = 1.0;
        mupDefineVar(e->parser, names[i], &e->slot[i]);
    }
    return 0;
}

static int compile(const char *text, ntr_pos pos, const char *what, expr_kind kind,
                   const char *const *names, size_t nnames, ntr_expr **out, ntr_error *err)
{
    *out = NULL;
    size_t len = strlen(text);
    size_t blank = strspn(text, " \t");
    if (blank == len)
        return ntr_fail_at(err, pos, "%s: empty expression", what);
    ntr_expr *e = calloc(1, sizeof *e);
    if (!e || !(e->text = strdup(text))) {
        free(e);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    e->pos = pos;
    e->kind = kind;
    snprintf(e->what, sizeof e->what, "%s", what);
    e->parser = mupCreate(muBASETYPE_FLOAT);
    if (!e->parser) {
        ntr_expr_free(e);
        return ntr_fail(err, NTR_E_INTERNAL, "cannot create an expression parser");
    }
    if (kind == KIND_OPEN) {
        mupDefineNameChars(e->parser, "0123456789_abcdefghijklmnopqrstuvwxyz"
                                      "ABCDEFGHIJKLMNOPQRSTUVWXYZ.");
        mupSetVarFactory(e->parser, open_var, e);
    } else if (kind == KIND_NAMED) {
        if (define_named(e, names, nnames) != 0) {
            ntr_expr_free(e);
            return ntr_fail(err, NTR_E_INTERNAL, "%s: more than %d variables, or out of memory",
                            what, NTR_EXPR_MAX_VARS);
        }
    } else {
        for (size_t i = 0; i < NTHEORY; i++) {
            e->slot[i] = 1.0;
            mupDefineVar(e->parser, ntr_theory_var_names[i], &e->slot[i]);
        }
        e->nvars = NTHEORY;
    }
    mupDefineFun1(e->parser, "ceil", fn_ceil, 1);
    mupDefineFun1(e->parser, "floor", fn_floor, 1);
    mupDefineFun2(e->parser, "pow", fn_pow, 1);
    mupSetExpr(e->parser, e->text);
    (void)mupEval(e->parser); /* parses; the value at all-ones is not checked */
    if (mupError(e->parser)) { /* reading the flag clears it: read it once */
        int at = mupGetErrorPos(e->parser);
        if (at < 0)
            at = 0;
        if ((size_t)at > len && kind != KIND_NAMED)
            at = (int)len; /* rules and settings point at the text's end; a schedule
                              keeps muparser's column past it, as it always has */
        if (kind != KIND_THEORY)
            ntr_fail_at(err, shift(pos, at), "%s \"%s\": %s", what, text,
                        mupGetErrorMsg(e->parser));
        else
            ntr_fail_at(err, shift(pos, at), "%s \"%s\": %s (variables: eps, L, L2, sigma, rho, "
                                             "Delta0, D, d, m, n, batch, alpha, eta)",
                        what, text, mupGetErrorMsg(e->parser));
        ntr_expr_free(e);
        return -1;
    }
    if (e->overflow) {
        ntr_fail_at(err, pos, "%s \"%s\": more than %d names", what, text, NTR_EXPR_MAX_VARS);
        ntr_expr_free(e);
        return -1;
    }
    *out = e;
    return 0;
}

int ntr_expr_compile(const char *text, ntr_pos pos, const char *what, ntr_expr **out,
                     ntr_error *err)
{
    return compile(text, pos, what, KIND_THEORY, NULL, 0, out, err);
}

int ntr_expr_compile_vars(const char *text, ntr_pos pos, const char *what,
                          const char *const *names, size_t n, ntr_expr **out, ntr_error *err)
{
    return compile(text, pos, what, KIND_NAMED, names, n, out, err);
}

int ntr_expr_compile_open(const char *text, ntr_pos pos, const char *what, ntr_expr **out,
                          ntr_error *err)
{
    return compile(text, pos, what, KIND_OPEN, NULL, 0, out, err);
}

size_t ntr_expr_var_count(const ntr_expr *e) { return e->kind != KIND_THEORY ? e->nvars : 0; }
const char *ntr_expr_var_name(const ntr_expr *e, size_t i)
{
    return e->kind != KIND_THEORY && i < e->nvars ? e->name[i] : NULL;
}
void ntr_expr_var_set(ntr_expr *e, size_t i, double value)
{
    if (e->kind != KIND_THEORY && i < e->nvars)
        e->slot[i] = value;
}

/* "eps = 0.01, L = 2" for the variables the expression uses. */
static void used_values(ntr_expr *e, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    int nv = mupGetExprVarNum(e->parser);
    for (int i = 0; i < nv && used < size; i++) {
        const char *name = NULL;
        double *addr = NULL;
        mupGetExprVar(e->parser, (unsigned)i, &name, &addr);
        if (!name || !addr)
            continue;
        used += (size_t)snprintf(buf + used, size - used, "%s%s = %g", used ? ", " : "", name,
                                 *addr);
    }
}

/* min() and max() would silently drop a NAN: refuse unknown inputs first. */
static const char *unknown_var(ntr_expr *e)
{
    int nv = mupGetExprVarNum(e->parser);
    for (int i = 0; i < nv; i++) {
        const char *name = NULL;
        double *addr = NULL;
        mupGetExprVar(e->parser, (unsigned)i, &name, &addr);
        if (name && addr && isnan(*addr))
            return name;
    }
    return NULL;
}

static int evaluate(ntr_expr *e, double *out, ntr_error *err)
{
    double r = mupEval(e->parser);
    if (mupError(e->parser))
        return ntr_fail_at(err, e->pos, "%s \"%s\": %s", e->what, e->text,
                           mupGetErrorMsg(e->parser));
    if (!isfinite(r)) {
        char vals[400];
        used_values(e, vals, sizeof vals);
        return ntr_fail_at(err, e->pos,
                           "%s \"%s\" is %s at %s (a division by zero, the log of a non-positive "
                           "number, or a constant the problem does not know)",
                           e->what, e->text, isnan(r) ? "not a number" : "infinite",
                           vals[0] ? vals : "these values");
    }
    *out = r;
    return 0;
}

int ntr_expr_eval(ntr_expr *e, const ntr_theory_vars *v, double *out, ntr_error *err)
{
    for (size_t i = 0; e->kind == KIND_THEORY && i < NTHEORY; i++)
        e->slot[i] = *theory_value(v, i);
    const char *name = unknown_var(e);
    if (name)
        return ntr_fail_at(err, e->pos,
                           "%s \"%s\" uses %s, which is not known here (%s)", e->what, e->text,
                           name,
                           !strcmp(name, "alpha") || !strcmp(name, "eta")
                               ? "rules are evaluated in the order alpha, eta, weight_decay, "
                                 "iterations"
                               : "the problem does not supply it for this norm and start");
    return evaluate(e, out, err);
}

int ntr_expr_value(ntr_expr *e, double *out, ntr_error *err)
{
    const char *name = unknown_var(e);
    if (name)
        return ntr_fail_at(err, e->pos, "%s \"%s\" uses %s, which has no value here", e->what,
                           e->text, name);
    return evaluate(e, out, err);
}

int ntr_expr_eval_text(const char *text, ntr_pos pos, const char *what,
                       const ntr_theory_vars *v, double *out, ntr_error *err)
{
    ntr_expr *e;
    if (ntr_expr_compile(text, pos, what, &e, err) != 0)
        return -1;
    int rc = ntr_expr_eval(e, v, out, err);
    ntr_expr_free(e);
    return rc;
}

double ntr_expr_value_fast(ntr_expr *e)
{
    double r = mupEval(e->parser);
    return mupError(e->parser) ? NAN : r; /* reading the flag clears it: read it once */
}

const char *ntr_expr_text(const ntr_expr *e) { return e->text; }
ntr_pos ntr_expr_pos(const ntr_expr *e) { return e->pos; }

void ntr_expr_free(ntr_expr *e)
{
    if (!e)
        return;
    if (e->parser)
        mupRelease(e->parser);
    for (size_t i = 0; e->kind != KIND_THEORY && i < e->nvars; i++)
        free(e->name[i]);
    free(e->text);
    free(e);
}

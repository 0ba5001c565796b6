/* schedule.c: step-size schedules eta_k (see schedule.h).
 *
 * For a run of K iterations and a 0-based step k:
 *   constant      value
 *   cosine        min + (value - min) (1 + cos(pi k' / K)) / 2     k' = min(k, K)
 *   inverse_sqrt  value / sqrt(1 + k)
 *   linear        value + (min - value) k' / K                     k' = min(k, K)
 *   expr          an expression in k and K, compiled once at alloc (base/expr.h)
 * times, when warmup = W > 0, the linear warmup factor min(1, (k + 1) / W):
 * eta_0 = eta/W, and the full eta from step W - 1 on (never a zero step).
 *
 * An expression is checked at alloc: a syntax error fails there with the
 * column of the fault (spec->pos is where the expression text starts), and
 * so does a value at k = 0 that is not finite and positive.  Later
 * evaluations return NaN if the expression fails to evaluate (the runner then
 * stops the run as diverged).  ntr_schedule_eta never allocates. */
#include "run/schedule.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/expr.h"

struct ntr_schedule {
    ntr_schedule_spec spec;
    long K;
    ntr_expr *expr; /* NTR_SCHED_EXPR only: over the variables k (0) and K (1) */
};

enum { VAR_k, VAR_K };

/* Parse spec->expr and check its value at k = 0. */
static int open_expression(ntr_schedule *s, ntr_error *err)
{
    const ntr_schedule_spec *spec = &s->spec;
    if (spec->expr[0] == '\0')
        return ntr_fail_at(err, spec->pos, "eta: empty expression");
    static const char *const vars[] = {"k", "K"};
    if (ntr_expr_compile_vars(spec->expr, spec->pos, "eta expression", vars, 2, &s->expr, err) != 0)
        return -1;
    ntr_expr_var_set(s->expr, VAR_k, 0.0);
    ntr_expr_var_set(s->expr, VAR_K, (double)s->K);
    double v = ntr_expr_value_fast(s->expr);
    if (!(isfinite(v) && v > 0.0))
        return ntr_fail_at(err, spec->pos,
                           "eta expression \"%s\" gives %g at k = 0 (K = %ld): a step size must be "
                           "finite and positive",
                           spec->expr, v, s->K);
    return 0;
}

static int check_spec(const ntr_schedule_spec *spec, long K, ntr_error *err)
{
    if ((unsigned)spec->type > NTR_SCHED_EXPR)
        return ntr_fail_at(err, spec->pos, "eta: unknown schedule type %d", (int)spec->type);
    if (spec->warmup < 0)
        return ntr_fail_at(err, spec->pos, "eta: warmup must be >= 0, got %ld", spec->warmup);
    if (spec->type == NTR_SCHED_EXPR)
        return 0;
    const char *name = ntr_schedule_names[spec->type];
    if (!(isfinite(spec->value) && spec->value > 0.0))
        return ntr_fail_at(err, spec->pos, "eta (%s): value must be finite and positive, got %g",
                           name, spec->value);
    if (spec->type == NTR_SCHED_COSINE || spec->type == NTR_SCHED_LINEAR) {
        if (!(isfinite(spec->min) && spec->min >= 0.0 && spec->min <= spec->value))
            return ntr_fail_at(err, spec->pos, "eta (%s): min must be in [0, value = %g], got %g",
                               name, spec->value, spec->min);
        if (K < 1)
            return ntr_fail_at(err, spec->pos, "eta (%s): needs an iteration budget K >= 1, got %ld",
                               name, K);
    }
    return 0;
}

int ntr_schedule_alloc(const ntr_schedule_spec *spec, long K, ntr_schedule **out, ntr_error *err)
{
    *out = NULL;
    if (check_spec(spec, K, err) < 0)
        return -1;
    ntr_schedule *s = calloc(1, sizeof *s);
    if (!s)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    s->spec = *spec;
    s->spec.expr[sizeof s->spec.expr - 1] = '\0';
    s->K = K;
    if (spec->type == NTR_SCHED_EXPR && open_expression(s, err) < 0) {
        ntr_schedule_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

void ntr_schedule_free(ntr_schedule *s)
{
    if (!s)
        return;
    ntr_expr_free(s->expr);
    free(s);
}

static double base_eta(ntr_schedule *s, long k)
{
    const ntr_schedule_spec *p = &s->spec;
    double kk = (double)k, K = (double)s->K;
    double kc = fmin(kk, K); /* cosine and linear stay at min after K */
    switch (p->type) {
    case NTR_SCHED_CONSTANT:
        return p->value;
    case NTR_SCHED_COSINE:
        return p->min + (p->value - p->min) * 0.5 * (1.0 + cos(M_PI * kc / K));
    case NTR_SCHED_INVERSE_SQRT:
        return p->value / sqrt(1.0 + kk);
    case NTR_SCHED_LINEAR:
        return p->value + (p->min - p->value) * kc / K;
    case NTR_SCHED_EXPR: {
        ntr_expr_var_set(s->expr, VAR_k, kk);
        return ntr_expr_value_fast(s->expr);
    }
    }
    return NAN;
}

double ntr_schedule_eta(ntr_schedule *s, long k)
{
    double eta = base_eta(s, k);
    if (s->spec.warmup > 0 && k + 1 < s->spec.warmup)
        eta *= (double)(k + 1) / (double)s->spec.warmup;
    return eta;
}

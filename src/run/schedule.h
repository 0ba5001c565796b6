/* schedule.h: step-size schedules eta_k.
 *
 * method.eta is a number (constant), a map {type, value, min, warmup} or an
 * expression string in k (0-based step) and K (iteration budget), e.g.
 * "0.1/sqrt(k+1)".  A linear warmup from 0 over `warmup` steps multiplies
 * any type.  ntr_schedule_eta() is called once per iteration and must not
 * allocate. */
#ifndef NTR_SCHEDULE_H
#define NTR_SCHEDULE_H

#include "base/error.h"

typedef enum {
    NTR_SCHED_CONSTANT = 0,
    NTR_SCHED_COSINE,       /* min + (value - min) (1 + cos(pi k / K)) / 2 */
    NTR_SCHED_INVERSE_SQRT, /* value / sqrt(1 + k) */
    NTR_SCHED_LINEAR,       /* value + (min - value) k / K */
    NTR_SCHED_EXPR          /* expression in k and K */
} ntr_schedule_type;

typedef struct ntr_schedule_spec {
    ntr_schedule_type type;
    double value;   /* eta_0 */
    double min;     /* floor for cosine/linear */
    long warmup;    /* linear warmup steps (0: none) */
    char expr[256]; /* NTR_SCHED_EXPR */
    ntr_pos pos;    /* where eta was given; for an expression, its first character */
} ntr_schedule_spec;

typedef struct ntr_schedule ntr_schedule;

/* Prepare for a run of K iterations (parses the expression once). */
int ntr_schedule_alloc(const ntr_schedule_spec *spec, long K, ntr_schedule **out, ntr_error *err);
double ntr_schedule_eta(ntr_schedule *s, long k);
void ntr_schedule_free(ntr_schedule *s);
/* 1 when eta_k depends on the budget K (cosine, linear, an expression in
 * K): a run with another budget then takes other steps from the start. */
int ntr_schedule_uses_budget(const ntr_schedule_spec *spec);
/* Names of the map types, NULL-terminated, indexable by ntr_schedule_type. */
extern const char *const ntr_schedule_names[];

#endif

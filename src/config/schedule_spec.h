/* schedule_spec.h: the parsed description of a step-size schedule, as the
 * settings hold it (method.eta): its type, numbers, expression text and
 * position.  Read by config/settings.c, written back by settings_yaml.c;
 * run/schedule.h turns it into eta_k for a run.
 *
 * method.eta is a number (constant), a map {type, value, min, warmup} or an
 * expression string in k (0-based step) and K (iteration budget), e.g.
 * "0.1/sqrt(k+1)".  A linear warmup from 0 over `warmup` steps multiplies
 * any type. */
#ifndef NTR_SCHEDULE_SPEC_H
#define NTR_SCHEDULE_SPEC_H

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

/* 1 when eta_k depends on the budget K (cosine, linear, an expression in
 * K): a run with another budget then takes other steps from the start. */
int ntr_schedule_uses_budget(const ntr_schedule_spec *spec);
/* Names of the map types, NULL-terminated, indexable by ntr_schedule_type. */
extern const char *const ntr_schedule_names[];

#endif

/* schedule.h: step-size schedules eta_k, evaluated for one run from the
 * parsed spec (config/schedule_spec.h: the types, their names and what
 * method.eta may say).  ntr_schedule_eta() is called once per iteration
 * and must not allocate. */
#ifndef NTR_SCHEDULE_H
#define NTR_SCHEDULE_H

#include "base/error.h"
#include "config/schedule_spec.h"

typedef struct ntr_schedule ntr_schedule;

/* Prepare for a run of K iterations (parses the expression once). */
int ntr_schedule_alloc(const ntr_schedule_spec *spec, long K, ntr_schedule **out, ntr_error *err);
double ntr_schedule_eta(ntr_schedule *s, long k);
void ntr_schedule_free(ntr_schedule *s);

#endif

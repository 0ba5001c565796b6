/* point_constants.h: the theory variables of one study point, read from a
 * throw-away cell of that point (its problem built, its start point drawn
 * as the plan draws it), for studies whose cells take their parameters
 * from a theorem's rule evaluated with the problem's own constants; and
 * the same variables of a finished cell, from its summary.json record. */
#ifndef NTR_STUDY_POINT_CONSTANTS_H
#define NTR_STUDY_POINT_CONSTANTS_H

#include <stddef.h>

#include "config/plan_builder.h"
#include "base/expr.h"
#include "output/cell_summary.h"

/* v: L, L2, rho, D, Delta0, sigma (per call at the cell's batch), batch, d,
 * m, n of the point with assignments a[0..na); eps, alpha and eta NAN. */
int ntr_study_point_vars(const ntr_plan_builder *b, const ntr_assign *a, size_t na,
                         ntr_theory_vars *v, ntr_error *err);

/* v: the variables of constants k at batch samples per call (NAN: 1):
 * sigma per call is k->sigma / sqrt(batch); eps, alpha and eta NAN.  A
 * finished cell's: ntr_study_vars_of(&rec.consts, rec.batch, v). */
void ntr_study_vars_of(const ntr_constants *k, double batch, ntr_theory_vars *v);

#endif

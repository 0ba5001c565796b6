/* trajectory.h: the trajectory object of the public API (ntr_trajectory
 * in ntr/ntr.h): a trajectory.csv text held as named columns of doubles,
 * with the run's status and the cell's hash. */
#ifndef NTR_API_TRAJECTORY_H
#define NTR_API_TRAJECTORY_H

#include "base/error.h"

/* Parse csv (a header line, then rows of numbers; an empty field is NAN).
 * NULL, with err filled, on malformed text or no memory. */
ntr_trajectory *ntr_trajectory_parse(const char *csv, const char *status, const char *hash,
                                     ntr_error *err);

#endif

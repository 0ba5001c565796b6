/* measure.c: the names of the measures (see measure.h). */
#include "config/measure.h"

#include <stddef.h>

const char *const ntr_measure_names[NTR_MEASURE_COUNT + 1] = {
    "min_grad_dual", "gap", "grad_l2", "f", "grad_dual", "avg_grad_dual", "grad_l1", NULL};

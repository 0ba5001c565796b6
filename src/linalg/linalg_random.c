/* linalg_random.c: the random-number helpers of linalg.h.
 *
 * Kept apart from linalg.c because <gsl/gsl_randist.h> includes
 * <gsl/gsl_cblas.h>, which cannot share a translation unit with OpenBLAS's
 * <cblas.h> (both declare the CBLAS enums). */
#include "linalg/linalg.h"

#include <gsl/gsl_randist.h>

/* One ziggurat draw per entry, in index order: the stream a seed produces is
 * part of the determinism contract (SPEC section 4). */
void ntr_fill_gaussian(gsl_rng *r, double *x, size_t n, double scale)
{
    for (size_t i = 0; i < n; i++)
        x[i] = gsl_ran_gaussian_ziggurat(r, 1.0) * scale;
}

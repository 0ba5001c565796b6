/* registry.c: every norm ntr knows, by name.  Adding a norm is one file in
 * norms/ plus one line here (and its extern below). */
#include "norms/norm.h"

extern const ntr_norm_type ntr_norm_euclidean;
extern const ntr_norm_type ntr_norm_linf;
extern const ntr_norm_type ntr_norm_l1;
extern const ntr_norm_type ntr_norm_spectral;
extern const ntr_norm_type ntr_norm_colnorm;
extern const ntr_norm_type ntr_norm_rownorm;

const ntr_norm_type *const ntr_norm_types[] = {
    &ntr_norm_euclidean,
    &ntr_norm_linf,
    &ntr_norm_l1,
    &ntr_norm_spectral,
    &ntr_norm_colnorm,
    &ntr_norm_rownorm,
    NULL,
};

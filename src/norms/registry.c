/* registry.c: every norm ntr knows, in --list order.  Adding a norm is one
 * file in norms/ defining `const ntr_norm_type ntr_norm_NAME` plus one line
 * X(NAME) in the list below, which both declares it and puts it in the
 * table. */
#include "norms/norm.h"

#define NTR_NORM_LIST(X) \
    X(euclidean)    \
    X(linf)         \
    X(l1)           \
    X(spectral)     \
    X(colnorm)      \
    X(rownorm)      \
    /* one line per type above; the list ends here */

#define DECLARE(name) extern const ntr_norm_type ntr_norm_##name;
#define ENTRY(name) &ntr_norm_##name,
NTR_NORM_LIST(DECLARE)

const ntr_norm_type *const ntr_norm_types[] = {NTR_NORM_LIST(ENTRY) NULL};

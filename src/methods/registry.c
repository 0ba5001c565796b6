/* registry.c: the table of optimisation methods, in --list order.
 * Adding a method is one file defining `const ntr_method_type
 * ntr_method_NAME` plus one line X(NAME) in the list below, which both
 * declares it and puts it in the table. */
#include "methods/method.h"

#define NTR_METHOD_LIST(X) \
    X(ntr)      \
    X(osgdm)    \
    X(sgd)      \
    X(sgdm)     \
    X(adamw)    \
    /* one line per type above; the list ends here */

#define DECLARE(name) extern const ntr_method_type ntr_method_##name;
#define ENTRY(name) &ntr_method_##name,
NTR_METHOD_LIST(DECLARE)

const ntr_method_type *const ntr_method_types[] = {NTR_METHOD_LIST(ENTRY) NULL};

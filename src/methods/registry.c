/* registry.c: the table of optimisation methods, in --list order.
 * Adding a method: one file defining `const ntr_method_type ntr_method_NAME`
 * and one line below. */
#include "methods/method.h"

extern const ntr_method_type ntr_method_ntr, ntr_method_osgdm, ntr_method_sgd, ntr_method_sgdm,
    ntr_method_adamw;

const ntr_method_type *const ntr_method_types[] = {
    &ntr_method_ntr,
    &ntr_method_osgdm,
    &ntr_method_sgd,
    &ntr_method_sgdm,
    &ntr_method_adamw,
    NULL,
};

/* registry.c: the list of problem types, in --list order.  Adding a
 * problem is one file defining `const ntr_problem_type ntr_problem_NAME`
 * plus one line X(NAME) in the list below, which both declares it and puts
 * it in the table.  ntr_problem_plugin (the plug-in loader, declared in
 * problem.h: the key checks know it) comes last. */
#include "problems/problem.h"

#define NTR_PROBLEM_LIST(X) \
    X(least_squares)        \
    X(logistic)             \
    X(cauchy_regression)    \
    X(sine_quadratic)       \
    X(teacher_student)      \
    X(chain_hard)           \
    X(mlp)                  \
    X(quadratic)            \
    /* one line per type above; the list ends here */

#define DECLARE(name) extern const ntr_problem_type ntr_problem_##name;
#define ENTRY(name) &ntr_problem_##name,
NTR_PROBLEM_LIST(DECLARE)

const ntr_problem_type *const ntr_problem_types[] = {NTR_PROBLEM_LIST(ENTRY) &ntr_problem_plugin,
                                                     NULL};

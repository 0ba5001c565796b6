/* registry.c: the list of problem types (one line per problem file). */
#include "problems/problem.h"

extern const ntr_problem_type ntr_problem_least_squares;
extern const ntr_problem_type ntr_problem_cauchy_regression;
extern const ntr_problem_type ntr_problem_logistic;
extern const ntr_problem_type ntr_problem_sine_quadratic;
extern const ntr_problem_type ntr_problem_chain_hard;
extern const ntr_problem_type ntr_problem_mlp;
extern const ntr_problem_type ntr_problem_teacher_student;
extern const ntr_problem_type ntr_problem_quadratic;
/* ntr_problem_plugin is declared in problem.h: the key checks know it. */

const ntr_problem_type *const ntr_problem_types[] = {
    &ntr_problem_least_squares,
    &ntr_problem_logistic,
    &ntr_problem_cauchy_regression,
    &ntr_problem_sine_quadratic,
    &ntr_problem_teacher_student,
    &ntr_problem_chain_hard,
    &ntr_problem_mlp,
    &ntr_problem_quadratic,
    &ntr_problem_plugin,
    NULL,
};

/* sizes.c: the table of problem estimators and the data-file bounds they
 * share (see sizes.h). */
#include "problems/sizes.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

extern const ntr_problem_type ntr_problem_least_squares;
extern const ntr_problem_type ntr_problem_logistic;
extern const ntr_problem_type ntr_problem_cauchy_regression;
extern const ntr_problem_type ntr_problem_sine_quadratic;
extern const ntr_problem_type ntr_problem_teacher_student;
extern const ntr_problem_type ntr_problem_mlp;

static const struct {
    const ntr_problem_type *type;
    ntr_problem_estimate_fn estimate;
} estimators[] = {
    {&ntr_problem_least_squares, ntr_least_squares_estimate},
    {&ntr_problem_logistic, ntr_logistic_estimate},
    {&ntr_problem_cauchy_regression, ntr_cauchy_regression_estimate},
    {&ntr_problem_sine_quadratic, ntr_sine_quadratic_estimate},
    {&ntr_problem_teacher_student, ntr_teacher_student_estimate},
    {&ntr_problem_mlp, ntr_mlp_estimate},
};

ntr_problem_estimate_fn ntr_problem_estimator(const ntr_problem_type *t)
{
    for (size_t i = 0; t && i < sizeof estimators / sizeof estimators[0]; i++)
        if (estimators[i].type == t || strcmp(estimators[i].type->name, t->name) == 0)
            return estimators[i].estimate;
    return NULL;
}

void ntr_pb_csv_bounds(const ntr_kv *kv, const char *key, size_t *rows_max, size_t *cols)
{
    char path[4096];
    *rows_max = *cols = 0;
    if (ntr_kv_path(kv, key, path, sizeof path, NULL) != 0 || !path[0])
        return;
    struct stat st;
    FILE *f = fopen(path, "r");
    if (!f || fstat(fileno(f), &st) != 0) {
        if (f)
            fclose(f);
        return;
    }
    /* the first data row: skip blank and '#' lines; count its fields */
    int c, at_start = 1, comment = 0;
    size_t fields = 0, seen = 0;
    while ((c = getc(f)) != EOF && seen++ < ((size_t)1 << 26)) {
        if (c == '\n') {
            if (fields > 0)
                break;
            at_start = 1;
            comment = 0;
            continue;
        }
        if (at_start && c == '#')
            comment = 1;
        if (comment || c == ' ' || c == '\t' || c == '\r')
            continue;
        at_start = 0;
        if (fields == 0)
            fields = 1;
        if (c == ',')
            fields++;
    }
    fclose(f);
    if (fields == 0)
        return;
    *cols = fields;
    *rows_max = ((size_t)st.st_size + 1) / (2 * fields) + 1;
}

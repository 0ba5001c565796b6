/* study.h: studies (rate, batch) as type objects in a static registry.
 *
 * A study turns its `study:` block into plan points (ntr_plan_add_point)
 * and, after the cells have run, analyses the result folder's files into
 * its own table, figures and report section.  Adding a study is one file
 * plus one line in study/registry.c. */
#ifndef NTR_STUDY_H
#define NTR_STUDY_H

#include "../config/plan.h"
#include "../error.h"

typedef struct ntr_study_type {
    const char *name; /* value of study.type */
    const char *summary;
    /* Validate the study block (positions!) and add the plan's points. */
    int (*expand)(ntr_plan *p, const ntr_node *study, ntr_error *err);
    /* Analyse a result folder: tables, figures, report section.  quiet: no
     * terminal output; *verdict_line receives a malloc'ed one-line verdict
     * (or NULL) that the CLI prints last. */
    int (*analyse)(const char *result_dir, const ntr_node *study, int draw, char **verdict_line,
                   ntr_error *err);
} ntr_study_type;

extern const ntr_study_type *const ntr_study_types[]; /* NULL-terminated */
const ntr_study_type *ntr_study_lookup(const char *name);

/* The study type named by a study block, with a positioned error when the
 * block is malformed or the type unknown. */
int ntr_study_of(const ntr_node *study, const ntr_study_type **out, ntr_error *err);

#endif

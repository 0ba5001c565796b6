/* study.h: studies (rate, compare, batch, extrapolation, tuned) as type objects in a static
 * registry.
 *
 * A study turns its `study:` block into plan points through a plan builder
 * (config/plan_builder.h: add a point, add a grid, set seeds; never the
 * whole plan) and, after the cells have run, analyses the result folder's
 * files into its own table, figures and report.md section.  Adding a study
 * is one file plus one line in study/registry.c: its report section comes
 * from the registry too (ntr_study_reports). */
#ifndef NTR_STUDY_H
#define NTR_STUDY_H

#include "config/plan_builder.h"
#include "base/error.h"

struct ntr_report;

typedef struct ntr_study_type {
    const char *name; /* value of study.type */
    const char *summary;
    /* Validate the study block (positions!) and add the plan's points. */
    int (*expand)(ntr_plan_builder *b, const ntr_node *study, ntr_error *err);
    /* Analyse a result folder: tables, figures, report section.  quiet: no
     * terminal output; *verdict_line receives a malloc'ed one-line verdict
     * (or NULL) that the CLI prints last. */
    int (*analyse)(const char *result_dir, const ntr_node *study, int draw, char **verdict_line,
                   ntr_error *err);
    /* Its report.md section, from the folder's files alone (adds nothing
     * when they are absent: another study's folder).  May be NULL. */
    int (*report)(struct ntr_report *r, const char *result_dir, ntr_error *err);
} ntr_study_type;

extern const ntr_study_type *const ntr_study_types[]; /* NULL-terminated */
const ntr_study_type *ntr_study_lookup(const char *name);
/* The type of a name; an unknown name fails at pos ("unknown WHAT 'x' (did
 * you mean ...? known: ...)", base/registry.h). */
int ntr_study_find(const char *name, const char *what, ntr_pos pos, const ntr_study_type **out,
                    ntr_error *err);

/* Every registered study's report section, in registry order (a report
 * builder, see report.h). */
int ntr_study_reports(struct ntr_report *r, const char *result_dir, ntr_error *err);

/* The study type named by a study block, with a positioned error when the
 * block is malformed or the type unknown. */
int ntr_study_of(const ntr_node *study, const ntr_study_type **out, ntr_error *err);

#endif

/* select.h: choosing groups of a result folder by their settings, for the
 * studies' checks and analyses ({method.name: ntr, noise.sigma: 30}).
 *
 * A setting's value for a summary.csv row is its column when the key was
 * varied, else config.yaml's (the resolved base config).  Values compare
 * equal as numbers when both are numbers (to 1e-12 relative), else as
 * text. */
#ifndef NTR_STUDY_SELECT_H
#define NTR_STUDY_SELECT_H

#include <stddef.h>

#include "base/node.h"
#include "base/table.h"

/* The text of key for summary row `row`; NULL when neither has it. */
const char *ntr_select_value(const ntr_table *summary, const ntr_node *config, size_t row,
                             const char *key);

/* 1 when every key: value of sel matches row (sel NULL: always). */
int ntr_select_matches(const ntr_table *summary, const ntr_node *config, size_t row,
                       const ntr_node *sel);

/* A setting's text as one number: a number, true/false as 1/0, or a flow
 * list of numbers as their product ("[8, 4]" is 32: a shape's number of
 * parameters).  NAN when it is none of these. */
double ntr_select_number(const char *text);

#endif

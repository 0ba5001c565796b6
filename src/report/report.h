/* report.h: RESULT/report.md, the one-page account of a result folder.
 *
 * Like the figures, the report is made from the folder's files only
 * (manifest.json, config.yaml, summary.csv, plots/, and whatever studies
 * wrote), so `ntr-plot DIR` can rebuild it at any time.
 *
 * The page is a title followed by sections, each made by a builder
 * function.  The builders are listed, in page order, in one table in
 * report_sections.c: a module that wants a section in the report (the rate
 * study's verdicts, the batch study's b*) writes a builder
 *
 *     int ntr_rate_report(ntr_report *r, const char *result_dir, ntr_error *err);
 *
 * that adds nothing when its files are absent (no rates.csv: not a rate
 * study) and otherwise calls ntr_report_section and ntr_report_printf, and
 * adds one line to that table.  A builder that fails aborts the report
 * (nothing is written). */
#ifndef NTR_REPORT_H
#define NTR_REPORT_H

#include <stddef.h>

#include "base/error.h"
#include "output/groups.h"
#include "base/table.h"

typedef struct ntr_report ntr_report;

/* A section builder (see above). */
typedef int (*ntr_report_builder)(ntr_report *r, const char *result_dir, ntr_error *err);

/* One line of the builder table (report_sections.c), in page order. */
typedef struct ntr_report_entry {
    const char *name;
    ntr_report_builder build;
} ntr_report_entry;

/* The builder table and its length. */
const ntr_report_entry *ntr_report_builders(size_t *n);

/* Build every section and write result_dir/report.md (temporary name +
 * rename).  A missing folder or summary.csv is an NTR_E_INPUT error. */
int ntr_report_write(const char *result_dir, ntr_error *err);

/* --- For builders ------------------------------------------------------ */

/* Start a new "## title" section. */
int ntr_report_section(ntr_report *r, const char *title);

/* Append markdown text to the current section. */
int ntr_report_printf(ntr_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append text escaped for markdown (inline text or a table cell): markdown
 * punctuation is backslash-escaped, control characters become spaces. */
int ntr_report_text(ntr_report *r, const char *text);

/* Append text as a markdown code span (shown verbatim: group labels,
 * commands, host names).  in_table: also escape '|' as GFM tables need. */
int ntr_report_code(ntr_report *r, const char *text, int in_table);

/* "**text**" and a blank line: a claim or verdict in bold (text escaped;
 * NULL is empty). */
int ntr_report_bold_line(ntr_report *r, const char *text);

/* The table cell " v |" of column col in row (v with %.*g, digits
 * significant digits), " - |" when the column is absent or the value
 * missing. */
void ntr_report_num_cell(ntr_report *r, const ntr_table *t, size_t row, const char *col,
                         int digits);

/* "\n![caption](plots/stem.png)\n" (caption escaped) when the figure
 * result_dir/plots/stem.png exists; nothing otherwise. */
void ntr_report_figure(ntr_report *r, const char *result_dir, const char *stem,
                       const char *caption);

/* The folder's summary.csv (never NULL while building) and its groups. */
const ntr_table *ntr_report_summary(const ntr_report *r);
const ntr_groups *ntr_report_groups(const ntr_report *r);

/* The median of n values where NAN marks "never" (a target not reached),
 * counted as larger than every number; NAN when the median is "never".
 * values is reordered.  Returns the number of values that are not NAN
 * through *reached (may be NULL). */
double ntr_report_median_never(double *values, size_t n, size_t *reached);

/* Table cells " K(t) |" for each target column K_t of the summary; returns
 * how many. */
size_t ntr_report_hitting_headers(ntr_report *r, const ntr_table *t);

/* The group's median K for each target column, as table cells: " 383 (3/3) |"
 * or " never (0/3) |".  work holds at least gr->ncells values. */
void ntr_report_hitting_times(ntr_report *r, const ntr_table *t, const ntr_group *gr,
                              double *work);

/* A study's files: result_dir/json_name (a JSON object) and
 * result_dir/csv_name, for its section.  0 with *o NULL when the JSON file
 * is absent (not that study); -1 and an error when either cannot be read.
 * Otherwise the caller frees *t (ntr_table_free) and *o (json_decref). */
struct json_t;
int ntr_report_study_files(const char *result_dir, const char *json_name, const char *csv_name,
                           struct json_t **o, ntr_table **t, ntr_error *err);

#endif

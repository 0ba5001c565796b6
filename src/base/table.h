/* table.h: a CSV file with a header line, read into named columns.
 *
 * The analysis and plotting read the result files written by the runner
 * (summary.csv, cells/<hash>/trajectory.csv, rates.csv ...) through this one
 * reader.  Format: the first non-empty line names the columns; every other
 * non-empty line is one row with exactly as many fields.  Fields are
 * separated by commas; a field may be double-quoted (RFC 4180: "" inside is
 * one quote, commas and newlines inside are data).  Lines may end in CRLF.
 *
 * Every cell keeps its text and, when the text is a number (strtod syntax,
 * including nan, inf and -inf, surrounding blanks allowed), its value.
 * Empty cells are allowed.  Errors carry file:line:column. */
#ifndef NTR_TABLE_H
#define NTR_TABLE_H

#include <stddef.h>

#include "base/error.h"

typedef struct ntr_table ntr_table;

/* Read path; *out is NULL on failure.  A missing or unreadable file is an
 * NTR_E_INPUT error naming the file. */
int ntr_table_read(const char *path, ntr_table **out, ntr_error *err);

/* Parse text (len bytes, NUL bytes are errors) as if it were the file named
 * name (used in messages only). */
int ntr_table_parse(const char *name, const char *text, size_t len, ntr_table **out,
                    ntr_error *err);

void ntr_table_free(ntr_table *t);

size_t ntr_table_rows(const ntr_table *t);
size_t ntr_table_cols(const ntr_table *t);
const char *ntr_table_name(const ntr_table *t, size_t col);
const char *ntr_table_path(const ntr_table *t);

/* Index of the column called name, or -1. */
long ntr_table_find(const ntr_table *t, const char *name);

/* Like ntr_table_find, but a missing column is an error positioned on the
 * header line. */
int ntr_table_require(const ntr_table *t, const char *name, size_t *col, ntr_error *err);

/* The text of a cell ("" when empty); never NULL for valid indices. */
const char *ntr_table_str(const ntr_table *t, size_t row, size_t col);

/* 1 when the cell is empty (no characters, or only blanks). */
int ntr_table_is_empty(const ntr_table *t, size_t row, size_t col);

/* 1 when the cell holds a number (nan and inf count as numbers). */
int ntr_table_is_num(const ntr_table *t, size_t row, size_t col);

/* The cell's value; NAN when it is empty or not a number. */
double ntr_table_num(const ntr_table *t, size_t row, size_t col);

/* The cell's value; a non-number is a positioned error.  When allow_empty is
 * set an empty cell gives NAN, otherwise it is an error too. */
int ntr_table_get_num(const ntr_table *t, size_t row, size_t col, int allow_empty, double *v,
                      ntr_error *err);

/* Where a cell starts in the file (for other modules' messages). */
ntr_pos ntr_table_pos(const ntr_table *t, size_t row, size_t col);

/* Copy a whole column of numbers into out[rows]; every cell must be a
 * number (or empty when allow_empty, giving NAN). */
int ntr_table_column(const ntr_table *t, size_t col, int allow_empty, double *out,
                     ntr_error *err);

#endif

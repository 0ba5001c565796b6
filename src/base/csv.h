/* csv.h: reading and writing matrices as CSV files.
 *
 * Format (the project's data format): one matrix row per line, values
 * separated by commas, no header; blank lines and lines starting with '#'
 * are ignored.  Every value must be a finite number; every row the same
 * length.  Errors carry file:line:column. */
#ifndef NTR_CSV_H
#define NTR_CSV_H

#include <stddef.h>

#include "base/error.h"

/* Longest line read (a row of a million values takes about 25 MB): a file
 * of one endless line (/dev/zero through a FIFO, a binary blob) is refused
 * at that line instead of filling memory. */
#define NTR_CSV_MAX_LINE ((size_t)64 << 20)

/* Read a matrix; *data is malloc'ed (free() it).  When want_rows/want_cols
 * are non-zero the shape must match (the message says what was expected).
 * max_entries bounds what is read (0: no bound). */
int ntr_csv_read(const char *path, size_t want_rows, size_t want_cols, size_t max_entries,
                 double **data, size_t *rows, size_t *cols, ntr_error *err);

/* Where the value of largest magnitude is, for messages about values too
 * large to compute with. */
typedef struct ntr_csv_extreme {
    double value;      /* the value itself (0 when the file holds none) */
    int line, col;     /* its position */
} ntr_csv_extreme;

/* ntr_csv_read, also telling where the largest |value| is (may be NULL). */
int ntr_csv_read_ex(const char *path, size_t want_rows, size_t want_cols, size_t max_entries,
                    double **data, size_t *rows, size_t *cols, ntr_csv_extreme *top,
                    ntr_error *err);

/* Write a rows x cols matrix with %.17g to path (temporary name + rename). */
int ntr_csv_write(const char *path, const double *data, size_t rows, size_t cols,
                  ntr_error *err);

#endif

/* numfmt.h: numbers as text in result files.
 *
 * Every float ntr writes in a table (trajectory.csv, trajectories.csv,
 * targets.csv, summary.csv) or in a resolved config.yaml is the shortest
 * decimal text that reads back (strtod) to the same double: 0.003, not
 * 0.0030000000000000001.  A missing value (not defined, not measured, never
 * reached) is an empty field, the one missing-value token of every table;
 * infinities are written inf and -inf. */
#ifndef NTR_NUMFMT_H
#define NTR_NUMFMT_H

#include <stdio.h>

#define NTR_NUM_CHARS 32

/* The shortest round-trip text of v into buf (at least NTR_NUM_CHARS
 * bytes); "nan", "inf", "-inf" when not finite.  Returns its length. */
int ntr_fmt_double(char *buf, double v);

/* v as a CSV field: the shortest text, nothing for NaN (missing). */
void ntr_csv_double(FILE *f, double v);

#endif

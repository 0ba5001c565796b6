/* csv_field.h: writing one text field of a CSV table (summary.csv,
 * batch.csv), quoted only when it must be. */
#ifndef NTR_CSV_FIELD_H
#define NTR_CSV_FIELD_H

#include <stdio.h>

/* Write s as a CSV field: as is, or in double quotes (a quote inside
 * doubled) when it holds a comma, quote, newline or carriage return. */
void ntr_csv_field(FILE *f, const char *s);

#endif

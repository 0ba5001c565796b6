/* study_gp.h: gnuplot helpers for the studies' own figures (rate, compare).
 *
 * A figure is NAME.dat and NAME.gp in the result folder's plots/; the
 * script starts with ntr_study_gp_head (terminal, output file, log axes and
 * grid; the output is the gnuplot variable ntr_output when set, so that
 * ntr_gnuplot_draw can draw to a temporary name and rename it), and every
 * text goes through ntr_study_gp_text / ntr_gp_put_string (quoted). */
#ifndef NTR_STUDY_GP_H
#define NTR_STUDY_GP_H

#include <stdio.h>

#include "base/error.h"

/* Script head: a comment, the terminal line, output and log-log axes. */
void ntr_study_gp_head(FILE *f, const char *name, const char *what, const char *terminal,
                       const char *ext);

/* `set WHAT 'text'` with text quoted for gnuplot. */
int ntr_study_gp_text(FILE *f, const char *what, const char *text, ntr_error *err);

#endif

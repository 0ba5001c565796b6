/* rate_plot.h: the pieces of a rate study's figures (rate_plot.c writes
 * the files, rate_plot_k.c the K(eps) figure's data and script). */
#ifndef NTR_STUDY_RATE_PLOT_H
#define NTR_STUDY_RATE_PLOT_H

#include <stdio.h>

#include "study/rate/rate_data.h"

#define NTR_RATE_KBLOCKS 5

/* The K figure's data blocks of one series (have[b]: block b has rows). */
void ntr_rate_k_data(FILE *f, const ntr_rate_data *d, int have[NTR_RATE_KBLOCKS]);

/* The K figure's script over series d[0..n). */
int ntr_rate_k_script(FILE *f, const ntr_rate_data *d, size_t n, int have[][NTR_RATE_KBLOCKS],
                      const char *terminal, const char *ext, ntr_error *err);

#endif

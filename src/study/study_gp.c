/* study_gp.c: small gnuplot helpers shared by the studies' figures (see
 * study_gp.h). */
#include "study/study_gp.h"

#include <stdio.h>

#include "plot/gnuplot.h"

void ntr_study_gp_head(FILE *f, const char *name, const char *what, const char *terminal,
                       const char *ext)
{
    fprintf(f, "# %s.gp: %s, drawn from %s.dat by ntr %s.\n", name, what, name, NTR_VERSION);
    fprintf(f, "# Redraw from this folder with: gnuplot %s.gp\n", name);
    fprintf(f, "%s\n", terminal);
    fprintf(f, "if (!exists('ntr_output')) ntr_output = '%s.%s'\n", name, ext);
    fprintf(f, "set output ntr_output\nset logscale xy\n");
    fprintf(f, "set grid xtics ytics mxtics mytics lw 0.5 lc rgb '#dddddd'\n");
}

int ntr_study_gp_text(FILE *f, const char *what, const char *text, ntr_error *err)
{
    fprintf(f, "set %s ", what);
    if (ntr_gp_put_string(f, text, err) != 0)
        return -1;
    fputc('\n', f);
    return 0;
}

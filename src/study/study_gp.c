/* study_gp.c: small gnuplot helpers shared by the studies' figures (see
 * study_gp.h). */
#include "study_gp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../gnuplot.h"
#include "../output/files.h"

/* Run gnuplot on NAME.gp in plots/, drawing to a temporary name renamed to NAME.png. */
int ntr_study_gp_draw(const char *plots, const char *name, const char *ext, ntr_error *err)
{
    char final[1100], tmp[1100];
    if (ntr_path(final, sizeof final, err, "%s/%s.%s", plots, name, ext) != 0 ||
        ntr_path(tmp, sizeof tmp, err, "%s.tmp.XXXXXX", final) != 0)
        return -1;
    int fd = mkstemp(tmp);
    if (fd < 0)
        return ntr_fail(err, NTR_E_IO, "cannot create a file in %s: %s", plots, strerror(errno));
    close(fd);
    char cmd[160], quoted[120], script[64];
    int rc = ntr_gp_quote(strrchr(tmp, '/') + 1, quoted, sizeof quoted, err);
    if (rc == 0) {
        snprintf(cmd, sizeof cmd, "ntr_output = %s", quoted);
        snprintf(script, sizeof script, "%s.gp", name);
        rc = ntr_gnuplot_run(NULL, plots, cmd, script, err);
    }
    if (rc == 0 && rename(tmp, final) != 0)
        rc = ntr_fail(err, NTR_E_IO, "cannot write %s: %s", final, strerror(errno));
    if (rc != 0)
        unlink(tmp);
    return rc;
}

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

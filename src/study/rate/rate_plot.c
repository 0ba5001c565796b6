/* rate_plot.c: a rate study's figures (see rate_data.h), written to plots/
 * as data (.dat), gnuplot script (.gp, re-runnable there) and figure (.png
 * when gnuplot is installed):
 *
 *   rate_K       K(eps) against 1/eps, every tuned and rule series
 *                (rate_plot_k.c);
 *   rate_bounds  measured / bound against K for every applicable point of
 *                every bound series, one colour per check, the line 1 where
 *                the bound is met exactly (a point above it, beyond its
 *                confidence bound, violates the theorem).
 *
 * Data blocks are separated by two blank lines (gnuplot's `index`). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/gnuplot.h"
#include "output/files.h"
#include "study/rate/rate_plot.h"
#include "study/study_gp.h"

static int k_figure(const char *plots, const ntr_rate_study *st, ntr_rate_data *d,
                    const char *terminal, const char *ext, int *drawable, ntr_error *err)
{
    char path[1100];
    ntr_tmpfile dat, gp;
    int have[NTR_RATE_MAX_VARIANTS][NTR_RATE_KBLOCKS];
    const ntr_rate_data *sel[NTR_RATE_MAX_VARIANTS];
    ntr_rate_data *copy = calloc(st->nvar + 1, sizeof *copy);
    if (!copy)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < st->nvar; i++)
        if (st->var[i].kind != NTR_RATE_KIND_BOUND)
            sel[n++] = &d[i];
    *drawable = 0;
    if (ntr_path(path, sizeof path, err, "%s/rate_K.dat", plots) != 0 ||
        ntr_tmpfile_open(&dat, path, err) != 0) {
        free(copy);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        ntr_rate_k_data(dat.fp, sel[i], have[i]);
        *drawable |= have[i][0] || have[i][4];
        copy[i] = *sel[i]; /* shallow: the script reads fields only */
    }
    int rc = ntr_tmpfile_commit(&dat, err);
    if (rc == 0)
        rc = ntr_path(path, sizeof path, err, "%s/rate_K.gp", plots);
    if (rc == 0)
        rc = ntr_tmpfile_open(&gp, path, err);
    if (rc == 0) {
        rc = ntr_rate_k_script(gp.fp, copy, n, have, terminal, ext, err);
        if (rc == 0)
            rc = ntr_tmpfile_commit(&gp, err);
        else
            ntr_tmpfile_abort(&gp);
    }
    free(copy);
    return rc;
}

static const char *const check_colours[NTR_RATE_NCHECKS] = {"#1f77b4", "#d62728", "#2ca02c"};

static int bound_figure(const char *plots, const ntr_rate_study *st, ntr_rate_data *d,
                        const char *terminal, const char *ext, int *drawable, ntr_error *err)
{
    char path[1100];
    ntr_tmpfile dat, gp;
    *drawable = 0;
    if (ntr_path(path, sizeof path, err, "%s/rate_bounds.dat", plots) != 0 ||
        ntr_tmpfile_open(&dat, path, err) != 0)
        return -1;
    size_t block = 0, cap = 64;
    int *chk = malloc(cap * sizeof *chk);
    if (!chk) {
        ntr_tmpfile_abort(&dat);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    for (size_t i = 0; i < st->nvar; i++)
        for (size_t p = 0; st->var[i].kind == NTR_RATE_KIND_BOUND && p < d[i].npoints; p++)
            for (int c = 0; c < NTR_RATE_NCHECKS; c++) {
                const ntr_rate_bcheck *b = &d[i].pt[p].chk[c];
                if (!b->active || !b->applicable || b->nrows == 0)
                    continue;
                fprintf(dat.fp, "# %s [%s] %s: k, measured mean / bound\n", st->var[i].name,
                        d[i].pt[p].label, ntr_rate_check_names[c]);
                for (size_t r = 0; r < b->nrows; r++)
                    fprintf(dat.fp, "%.17g %.17g\n", b->k[r], b->ratio[r]);
                fputs("\n\n", dat.fp);
                if (block == cap) {
                    int *more = realloc(chk, 2 * cap * sizeof *chk);
                    if (!more) {
                        free(chk);
                        ntr_tmpfile_abort(&dat);
                        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
                    }
                    chk = more, cap *= 2;
                }
                chk[block++] = c;
            }
    int rc = ntr_tmpfile_commit(&dat, err);
    *drawable = block > 0;
    if (rc == 0)
        rc = ntr_path(path, sizeof path, err, "%s/rate_bounds.gp", plots);
    if (rc == 0)
        rc = ntr_tmpfile_open(&gp, path, err);
    if (rc != 0) {
        free(chk);
        return rc;
    }
    FILE *f = gp.fp;
    ntr_study_gp_head(f, "rate_bounds", "measured / bound against K", terminal, ext);
    rc = ntr_study_gp_text(f, "title", "the theorems' bounds at every K: measured mean / bound "
                                       "(above 1 beyond the confidence bound: violated)",
                           err);
    if (rc == 0)
        rc = ntr_study_gp_text(f, "xlabel", "K (iterations)", err);
    if (rc == 0)
        rc = ntr_study_gp_text(f, "ylabel", "measured / bound", err);
    if (rc == 0) {
        fputs("set key below\ndata = 'rate_bounds.dat'\nplot 1 with lines lc rgb 'black' lw 2 "
              "title 'bound'",
              f);
        int shown[NTR_RATE_NCHECKS] = {0};
        for (size_t b = 0; b < block; b++) {
            fprintf(f, ", \\\n  data index %zu using 1:2 with lines lc rgb '%s' lw 0.7 ", b,
                    check_colours[chk[b]]);
            if (shown[chk[b]]++) {
                fputs("notitle", f);
                continue;
            }
            fputs("title ", f);
            if (ntr_gp_put_string(f, ntr_rate_check_names[chk[b]], err) != 0) {
                rc = -1;
                break;
            }
        }
        fputc('\n', f);
    }
    free(chk);
    if (rc == 0)
        return ntr_tmpfile_commit(&gp, err);
    ntr_tmpfile_abort(&gp);
    return rc;
}

int ntr_rate_plot(const char *result_dir, const ntr_rate_study *st, ntr_rate_data *d,
                  ntr_error *err)
{
    const char *terminal, *ext;
    char plots[1100];
    if (ntr_gp_terminal("png", &terminal, &ext, err) != 0 ||
        ntr_path(plots, sizeof plots, err, "%s/plots", result_dir) != 0 ||
        ntr_mkdirs(plots, err) != 0)
        return -1;
    int have = ntr_gnuplot_available(NULL), drawable = 0, bounds = 0, rates = 0;
    for (size_t i = 0; i < st->nvar; i++) {
        bounds |= st->var[i].kind == NTR_RATE_KIND_BOUND;
        rates |= st->var[i].kind != NTR_RATE_KIND_BOUND;
    }
    if (rates && (k_figure(plots, st, d, terminal, ext, &drawable, err) != 0 ||
                  (have && drawable && ntr_gnuplot_draw(NULL, plots, "rate_K", ext, err) != 0)))
        return -1;
    if (bounds &&
        (bound_figure(plots, st, d, terminal, ext, &drawable, err) != 0 ||
         (have && drawable && ntr_gnuplot_draw(NULL, plots, "rate_bounds", ext, err) != 0)))
        return -1;
    return 0;
}

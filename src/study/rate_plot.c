/* rate_plot.c: a rate study's figures (see rate_data.h), written to plots/
 * as data (.dat), gnuplot script (.gp, re-runnable there) and figure (.png
 * when gnuplot is installed):
 *
 *   rate_K       K(eps) against 1/eps, every series (rate_plot_k.c);
 *   rate_curves  (rate_curves_NAME per series of a study with variants)
 *                the running measure against k + 1 per eps (median over
 *                seeds, band 10%-90%; a seed that stopped at its target
 *                keeps its last value), with the level eps dashed.
 *
 * Data blocks are separated by two blank lines (gnuplot's `index`). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gnuplot.h"
#include "../output/files.h"
#include "../plot_band.h"
#include "rate_data.h"
#include "study_gp.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The seeds of one point on the union of their logged k's: a seed that
 * stopped (target reached) keeps its last value, as its running measure
 * would only have gone down.  ks, vs: room for nseeds * total values. */
static size_t carry_forward(const ntr_rate_point *p, size_t S, double *ks, double *vs,
                            ntr_series *ser)
{
    size_t n = 0;
    for (size_t j = 0; j < S; j++)
        for (size_t i = 0; i < p->seed[j].nrows; i++)
            ks[n++] = p->seed[j].k[i];
    qsort(ks, n, sizeof *ks, cmp_double);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || ks[i] != ks[u - 1])
            ks[u++] = ks[i];
    size_t ns = 0;
    for (size_t j = 0; j < S; j++) {
        const ntr_rate_seed *sd = &p->seed[j];
        if (sd->nrows == 0)
            continue;
        double *v = vs + ns * u;
        size_t at = 0;
        for (size_t i = 0; i < u; i++) {
            while (at + 1 < sd->nrows && sd->k[at + 1] <= ks[i])
                at++;
            v[i] = ks[i] < sd->k[0] ? NAN : sd->v[at];
        }
        ser[ns++] = (ntr_series){u, ks, v};
    }
    return ns;
}

/* rate_curves.dat: one block per eps of the rule: k+1, median, q10, q90, eps. */
static int curves_data(FILE *f, const ntr_rate_data *d, size_t *drawn, ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    size_t S = d->nseeds, total = 0;
    for (size_t i = 0; i < d->npoints; i++)
        for (size_t j = 0; j < S; j++)
            total += d->pt[i].seed[j].nrows;
    ntr_series *ser = calloc(S ? S : 1, sizeof *ser);
    double *ks = malloc((total + 1) * sizeof *ks), *vs = malloc((S * total + 1) * sizeof *vs);
    int rc = 0;
    if (!ser || !ks || !vs)
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t ie = 0; rc == 0 && ie < s->neps; ie++) {
        ntr_rate_point *p = ntr_rate_point_at((ntr_rate_data *)d, ie, 0, 0);
        size_t n = carry_forward(p, S, ks, vs, ser);
        ntr_band_row *rows = NULL;
        size_t nrows = 0;
        if (n > 0)
            rc = ntr_band_compute(ser, n, &rows, &nrows, err);
        fprintf(f, "# eps = %.17g\n", p->eps);
        for (size_t r = 0; rc == 0 && r < nrows; r++)
            fprintf(f, "%.17g %.17g %.17g %.17g %.17g\n", rows[r].k + 1.0, rows[r].median,
                    rows[r].lo, rows[r].hi, p->eps);
        if (nrows == 0)
            fprintf(f, "1 nan nan nan %.17g\n", p->eps);
        fputs("\n\n", f);
        free(rows);
        *drawn += nrows > 0;
    }
    free(ser);
    free(ks);
    free(vs);
    return rc;
}

static int curves_script(FILE *f, const char *name, const ntr_rate_data *d,
                         const char *terminal, const char *ext, ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    const char *m = ntr_measure_names[ntr_theory_measure_of(s->theory)];
    char t[260];
    ntr_study_gp_head(f, name, "the running measure per eps", terminal, ext);
    snprintf(t, sizeof t, "%s%s%s per eps (median over seeds, band 10%%-90%%; dashed: the level eps)",
             s->name, s->name[0] ? ": " : "", m);
    if (ntr_study_gp_text(f, "title", t, err) != 0 ||
        ntr_study_gp_text(f, "xlabel", "k + 1", err) != 0 ||
        ntr_study_gp_text(f, "ylabel",
                         strcmp(m, "gap") ? "min_{j<=k} ||grad f(x_j)||_*" : "f(x_k) - f*",
                         err) != 0)
        return -1;
    fprintf(f, "set key below horizontal maxcols 4\nset style fill transparent solid 0.15 "
               "noborder\ndata = '%s.dat'\nplot \\\n",
            name);
    for (size_t ie = 0; ie < s->neps; ie++) {
        size_t lt = ie % 8 + 1;
        fprintf(f, "  data index %zu using 1:($3 > 0 ? $3 : NaN):($4 > 0 ? $4 : NaN) with "
                   "filledcurves lt %zu notitle, \\\n",
                ie, lt);
        fprintf(f, "  data index %zu using 1:5 with lines lt %zu dt 2 notitle, \\\n", ie, lt);
        snprintf(t, sizeof t, "eps = %g", s->eps[ie]);
        fprintf(f, "  data index %zu using 1:($2 > 0 ? $2 : NaN) with lines lt %zu lw 2 title ",
                ie, lt);
        if (ntr_gp_put_string(f, t, err) != 0)
            return -1;
        fputs(ie + 1 < s->neps ? ", \\\n" : "\n", f);
    }
    return 0;
}

/* Write NAME.dat and NAME.gp through temporary files: the K figure of every
 * series (d[0..n)) or the curves of d[0]. */
static int write_pair(const char *plots, const char *name, const ntr_rate_study *st,
                      ntr_rate_data *d, size_t n, const char *terminal, const char *ext,
                      int *drawable, ntr_error *err)
{
    char path[1100];
    ntr_tmpfile dat, gp;
    int is_k = strcmp(name, "rate_K") == 0;
    int have[NTR_RATE_MAX_VARIANTS][NTR_RATE_KBLOCKS];
    size_t curves = 0;
    if (ntr_path(path, sizeof path, err, "%s/%s.dat", plots, name) != 0 ||
        ntr_tmpfile_open(&dat, path, err) != 0)
        return -1;
    int rc = 0;
    *drawable = 0;
    if (is_k) {
        for (size_t i = 0; i < n; i++) {
            ntr_rate_k_data(dat.fp, &d[i], have[i]);
            *drawable |= have[i][0] || have[i][3] || have[i][4];
        }
    } else {
        rc = curves_data(dat.fp, d, &curves, err);
        *drawable = curves > 0;
    }
    if (rc != 0) {
        ntr_tmpfile_abort(&dat);
        return -1;
    }
    if (ntr_tmpfile_commit(&dat, err) != 0 ||
        ntr_path(path, sizeof path, err, "%s/%s.gp", plots, name) != 0 ||
        ntr_tmpfile_open(&gp, path, err) != 0)
        return -1;
    if (is_k)
        rc = ntr_rate_k_script(gp.fp, st, d, n, have, terminal, ext, err);
    else
        rc = curves_script(gp.fp, name, d, terminal, ext, err);
    if (rc != 0) {
        ntr_tmpfile_abort(&gp);
        return -1;
    }
    return ntr_tmpfile_commit(&gp, err);
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
    int have = ntr_gnuplot_available(NULL), drawable;
    if (write_pair(plots, "rate_K", st, d, st->nvar, terminal, ext, &drawable, err) != 0 ||
        (have && drawable && ntr_gnuplot_draw(NULL, plots, "rate_K", ext, err) != 0))
        return -1;
    for (size_t i = 0; i < st->nvar; i++) {
        char name[80];
        ntr_rate_curves_name(st->var[i].name, name, sizeof name);
        if (write_pair(plots, name, st, &d[i], 1, terminal, ext, &drawable, err) != 0 ||
            (have && drawable && ntr_gnuplot_draw(NULL, plots, name, ext, err) != 0))
            return -1;
    }
    return 0;
}

void ntr_rate_curves_name(const char *series, char *buf, size_t size)
{
    snprintf(buf, size, "rate_curves%s%s", series[0] ? "_" : "", series);
}

/* rate_plot.c: a rate study's figures (see rate_data.h), written to plots/
 * as data (.dat), gnuplot script (.gp, re-runnable there) and figure (.png
 * when gnuplot is installed):
 *
 *   rate_K       K(eps) against 1/eps, log-log: the fitted statistic per eps
 *                with its 95% bootstrap interval, the fitted line, a line of
 *                the expected slope through the points' centre, the theorem's
 *                K_theory, censored eps at their budget, and the tuned best
 *                per eps when a tune grid ran;
 *   rate_curves  the running measure against k + 1 per eps (median over
 *                seeds, band 10%-90%; a seed that stopped at its target
 *                keeps its last value), with the level eps dashed.
 *
 * Data blocks are separated by two blank lines (gnuplot's `index`). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../gnuplot.h"
#include "../output/files.h"
#include "../plot_band.h"
#include "rate_data.h"

/* Run gnuplot on NAME.gp in plots/, drawing to a temporary name renamed to NAME.png. */
static int draw(const char *plots, const char *name, const char *ext, ntr_error *err)
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

static void head(FILE *f, const char *name, const char *what, const char *terminal,
                 const char *ext)
{
    fprintf(f, "# %s.gp: %s, drawn from %s.dat by ntr %s.\n", name, what, name, NTR_VERSION);
    fprintf(f, "# Redraw from this folder with: gnuplot %s.gp\n", name);
    fprintf(f, "%s\n", terminal);
    fprintf(f, "if (!exists('ntr_output')) ntr_output = '%s.%s'\n", name, ext);
    fprintf(f, "set output ntr_output\nset logscale xy\n");
    fprintf(f, "set grid xtics ytics mxtics mytics lw 0.5 lc rgb '#dddddd'\n");
}

static int set_text(FILE *f, const char *what, const char *text, ntr_error *err)
{
    fprintf(f, "set %s ", what);
    if (ntr_gp_put_string(f, text, err) != 0)
        return -1;
    fputc('\n', f);
    return 0;
}

/* rate_K.dat blocks: 0 rule points, 1 fitted line, 2 expected slope,
 * 3 K_theory, 4 censored at budget, 5 tuned best.  have[i]: block i has rows. */
static void k_data(FILE *f, const ntr_rate_data *d, int have[6])
{
    const ntr_rate_spec *s = &d->spec;
    ntr_rate_data *dd = (ntr_rate_data *)d;
    double xmin = INFINITY, xmax = -INFINITY, sx = 0, sy = 0;
    size_t n = 0;
    memset(have, 0, 6 * sizeof *have);
    fputs("# block 0: 1/eps, statistic, 95% lo, 95% hi\n", f);
    for (size_t ie = 0; ie < s->neps; ie++) {
        const ntr_rate_point *p = ntr_rate_point_at(dd, ie, 0, 0);
        double x = 1.0 / p->eps;
        xmin = fmin(xmin, x), xmax = fmax(xmax, x);
        if (!p->usable)
            continue;
        fprintf(f, "%.17g %.17g %.17g %.17g\n", x, p->stat, p->lo, p->hi);
        sx += log(x), sy += log(p->stat), n++;
        have[0] = 1;
    }
    fputs("\n\n# block 1: fitted line\n", f);
    if (!isnan(d->fit.slope)) {
        for (int i = 0; i < 2; i++) {
            double x = i ? xmax : xmin;
            fprintf(f, "%.17g %.17g\n", x, exp(d->fit.intercept + d->fit.slope * log(x)));
        }
        have[1] = 1;
    }
    fputs("\n\n# block 2: the expected slope through the points' centre\n", f);
    if (n > 0) {
        for (int i = 0; i < 2; i++) {
            double x = i ? xmax : xmin;
            fprintf(f, "%.17g %.17g\n", x, exp(sy / (double)n + s->expect * (log(x) - sx / (double)n)));
        }
        have[2] = 1;
    }
    fputs("\n\n# block 3: 1/eps, K_theory\n", f);
    for (size_t ie = 0; ie < s->neps; ie++) {
        const ntr_rate_point *p = ntr_rate_point_at(dd, ie, 0, 0);
        if (isfinite(p->K_theory)) {
            fprintf(f, "%.17g %.17g\n", 1.0 / p->eps, p->K_theory);
            have[3] = 1;
        }
    }
    fputs("\n\n# block 4: censored eps: 1/eps, budget\n", f);
    for (size_t ie = 0; ie < s->neps; ie++) {
        const ntr_rate_point *p = ntr_rate_point_at(dd, ie, 0, 0);
        if (!p->usable && p->budget > 0) {
            fprintf(f, "%.17g %ld\n", 1.0 / p->eps, p->budget);
            have[4] = 1;
        }
    }
    fputs("\n\n# block 5: tuned best per eps: 1/eps, statistic, 95% lo, 95% hi\n", f);
    for (size_t i = 0; s->tuned && i < d->npoints; i++) {
        const ntr_rate_point *p = &d->pt[i];
        if (p->best) {
            fprintf(f, "%.17g %.17g %.17g %.17g\n", 1.0 / p->eps, p->stat, p->lo, p->hi);
            have[5] = 1;
        }
    }
}

static int k_script(FILE *f, const ntr_rate_data *d, const int have[6], const char *terminal,
                    const char *ext, ntr_error *err)
{
    const ntr_rate_spec *s = &d->spec;
    char title[300], t[200];
    head(f, "rate_K", "K(eps) against 1/eps", terminal, ext);
    snprintf(title, sizeof title, "iterations to reach eps: %s, %s (%s statistic of %zu seeds)",
             ntr_theory_name(s->theory), ntr_theory_measure_names[ntr_theory_measure_of(s->theory)],
             s->fit_mean ? "mean" : "median", d->nseeds);
    if (set_text(f, "title", title, err) != 0 || set_text(f, "xlabel", "1/eps", err) != 0 ||
        set_text(f, "ylabel", "K(eps): iterations to reach eps", err) != 0)
        return -1;
    fputs("set key top left Left reverse box opaque\nset offsets graph 0.05, graph 0.05, 0, 0\n"
          "data = 'rate_K.dat'\nplot \\\n",
          f);
    int first = 1;
    for (int b = 0; b < 6; b++) {
        if (!have[b])
            continue;
        fputs(first ? "" : ", \\\n", f);
        first = 0;
        switch (b) {
        case 0:
            snprintf(t, sizeof t, "measured, 95%% interval over seeds");
            fprintf(f, "  data index 0 using 1:2:3:4 with yerrorbars lt 1 pt 7 ps 1.2 title ");
            break;
        case 1:
            snprintf(t, sizeof t, "fit: p = %.2f, 95%% CI [%.2f, %.2f]", d->fit.slope,
                     d->fit.ci_lo, d->fit.ci_hi);
            fprintf(f, "  data index 1 using 1:2 with lines lt 1 lw 2 title ");
            break;
        case 2:
            snprintf(t, sizeof t, "expected slope p = %g", s->expect);
            fprintf(f, "  data index 2 using 1:2 with lines lt 0 lw 2 lc rgb '#555555' title ");
            break;
        case 3:
            snprintf(t, sizeof t, "K_theory (the theorem's K)");
            fprintf(f, "  data index 3 using 1:2 with linespoints lt 3 dt 2 pt 6 title ");
            break;
        case 4:
            snprintf(t, sizeof t, "censored: not reached within the budget");
            fprintf(f, "  data index 4 using 1:2 with points lt 7 pt 9 ps 1.5 title ");
            break;
        default:
            snprintf(t, sizeof t, "tuned best: p = %.2f [%.2f, %.2f]", d->tuned.slope,
                     d->tuned.ci_lo, d->tuned.ci_hi);
            fprintf(f, "  data index 5 using 1:2:3:4 with yerrorlines lt 2 pt 5 title ");
            break;
        }
        if (ntr_gp_put_string(f, t, err) != 0)
            return -1;
    }
    fputc('\n', f);
    return 0;
}

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
    const ntr_rate_spec *s = &d->spec;
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

static int curves_script(FILE *f, const ntr_rate_data *d, const char *terminal,
                         const char *ext, ntr_error *err)
{
    const ntr_rate_spec *s = &d->spec;
    const char *m = ntr_theory_measure_names[ntr_theory_measure_of(s->theory)];
    char t[200];
    head(f, "rate_curves", "the running measure per eps", terminal, ext);
    snprintf(t, sizeof t, "%s per eps (median over seeds, band 10%%-90%%; dashed: the level eps)",
             m);
    if (set_text(f, "title", t, err) != 0 || set_text(f, "xlabel", "k + 1", err) != 0 ||
        set_text(f, "ylabel", strcmp(m, "gap") ? "min_{j<=k} ||grad f(x_j)||_*" : "f(x_k) - f*",
                 err) != 0)
        return -1;
    fprintf(f, "set key below horizontal maxcols 4\nset style fill transparent solid 0.15 "
               "noborder\ndata = 'rate_curves.dat'\nplot \\\n");
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

/* Write NAME.dat and NAME.gp through temporary files. */
static int write_pair(const char *plots, const char *name, const ntr_rate_data *d,
                      const char *terminal, const char *ext, int *drawable, ntr_error *err)
{
    char path[1100];
    ntr_tmpfile dat, gp;
    int have[6];
    size_t curves = 0;
    if (ntr_path(path, sizeof path, err, "%s/%s.dat", plots, name) != 0 ||
        ntr_tmpfile_open(&dat, path, err) != 0)
        return -1;
    int rc = 0;
    if (strcmp(name, "rate_K") == 0) {
        k_data(dat.fp, d, have);
        *drawable = have[0] || have[3] || have[4];
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
    if (strcmp(name, "rate_K") == 0)
        rc = k_script(gp.fp, d, have, terminal, ext, err);
    else
        rc = curves_script(gp.fp, d, terminal, ext, err);
    if (rc != 0) {
        ntr_tmpfile_abort(&gp);
        return -1;
    }
    return ntr_tmpfile_commit(&gp, err);
}

int ntr_rate_plot(const char *result_dir, const ntr_rate_data *d, ntr_error *err)
{
    const char *terminal, *ext;
    char plots[1100];
    if (ntr_gp_terminal("png", &terminal, &ext, err) != 0 ||
        ntr_path(plots, sizeof plots, err, "%s/plots", result_dir) != 0 ||
        ntr_mkdirs(plots, err) != 0)
        return -1;
    int have = ntr_gnuplot_available(NULL);
    const char *names[] = {"rate_K", "rate_curves"};
    for (int i = 0; i < 2; i++) {
        int drawable;
        if (write_pair(plots, names[i], d, terminal, ext, &drawable, err) != 0)
            return -1;
        if (have && drawable && draw(plots, names[i], ext, err) != 0)
            return -1;
    }
    return 0;
}

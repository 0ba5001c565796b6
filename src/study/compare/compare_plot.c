/* compare_plot.c: a compare study's figures: for each column a check uses,
 * plots/compare_COLUMN.{dat,gp,png}: per group the median over seeds of
 * the column against k + 1 with a 10%-90% band (log-log), and for a bound
 * check the bound max(x_0, 1/lambda) of each group with weight decay,
 * dashed in the group's colour.  Block 2i of the data file is group i's
 * curve, block 2i + 1 its bound (a NaN row when it has none). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/gnuplot.h"
#include "output/files.h"
#include "plot/plot_band.h"
#include "study/compare/compare_data.h"
#include "study/study_gp.h"

/* The bound of group g for column c, NAN when no bound check covers it. */
static double bound_of(const ntr_cmp_data *d, const ntr_cmp_group *g, int c)
{
    for (size_t i = 0; i < d->spec.nchecks; i++) {
        const ntr_cmp_check *k = &d->spec.check[i];
        if (k->kind != NTR_CMP_BOUND || ntr_cmp_col(d, k->column) != c ||
            !ntr_cmp_matches(d, g, k->where))
            continue;
        const char *txt = ntr_cmp_value(d, g, "method.weight_decay");
        double lambda = txt ? strtod(txt, NULL) : 0, gain = 1.0;
        ntr_error tmp;
        if (ntr_cmp_gain(d, g, k, &gain, &tmp) != 0)
            gain = 1.0;
        if (lambda > 0)
            return fmax(g->initial[c], gain / lambda);
    }
    return NAN;
}

static int write_data(FILE *f, const ntr_cmp_data *d, int c, ntr_error *err)
{
    for (size_t i = 0; i < d->ngroups; i++) {
        const ntr_cmp_group *g = &d->g[i];
        ntr_series *ser = calloc(g->nseeds ? g->nseeds : 1, sizeof *ser);
        if (!ser)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        size_t n = 0;
        for (size_t j = 0; j < g->nseeds; j++)
            if (g->seed[j].nrows > 0)
                ser[n++] = (ntr_series){g->seed[j].nrows, g->seed[j].k, g->seed[j].v[c]};
        ntr_band_row *rows = NULL;
        size_t nrows = 0;
        int rc = n ? ntr_band_compute(ser, n, &rows, &nrows, err) : 0;
        free(ser);
        if (rc != 0)
            return -1;
        fprintf(f, "# group %zu: k+1, median, q10, q90\n", i);
        for (size_t r = 0; r < nrows; r++)
            fprintf(f, "%.17g %.17g %.17g %.17g\n", rows[r].k + 1, rows[r].median, rows[r].lo,
                    rows[r].hi);
        if (nrows == 0)
            fputs("NaN NaN NaN NaN\n", f);
        double b = bound_of(d, g, c), k1 = nrows ? rows[nrows - 1].k + 1 : NAN;
        free(rows);
        fprintf(f, "\n\n# group %zu: its bound\n", i);
        if (isfinite(b) && isfinite(k1))
            fprintf(f, "1 %.17g\n%.17g %.17g\n\n\n", b, k1, b);
        else
            fputs("NaN NaN\n\n\n", f);
    }
    return 0;
}

static int write_script(FILE *f, const ntr_cmp_data *d, const char *name, int c,
                        const char *terminal, const char *ext, ntr_error *err)
{
    char t[300];
    ntr_study_gp_head(f, name, "a compared column per group", terminal, ext);
    snprintf(t, sizeof t, "%s per group (median over seeds, band 10%%-90%%)", d->cols[c]);
    if (ntr_study_gp_text(f, "title", t, err) != 0 ||
        ntr_study_gp_text(f, "xlabel", "k + 1", err) != 0 ||
        ntr_study_gp_text(f, "ylabel", d->cols[c], err) != 0)
        return -1;
    fprintf(f, "set key below Left reverse maxcols 2\nset style fill transparent solid 0.15 "
               "noborder\ndata = '%s.dat'\nplot \\\n",
            name);
    for (size_t i = 0; i < d->ngroups; i++) {
        size_t lt = i % 8 + 1;
        fprintf(f, "  data index %zu using 1:($3 > 0 ? $3 : NaN):($4 > 0 ? $4 : NaN) with "
                   "filledcurves lt %zu notitle, \\\n",
                2 * i, lt);
        fprintf(f, "  data index %zu using 1:2 with lines lt %zu dt 2 notitle, \\\n", 2 * i + 1,
                lt);
        fprintf(f, "  data index %zu using 1:($2 > 0 ? $2 : NaN) with lines lt %zu lw 2 title ",
                2 * i, lt);
        char label[512];
        ntr_gp_sanitize(d->g[i].label, label, sizeof label);
        if (ntr_gp_put_string(f, label, err) != 0)
            return -1;
        fputs(i + 1 < d->ngroups ? ", \\\n" : "\n", f);
    }
    return 0;
}

static int one_figure(const char *plots, const ntr_cmp_data *d, int c, const char *terminal,
                      const char *ext, int have, ntr_error *err)
{
    char name[64], path[1200];
    snprintf(name, sizeof name, "compare_%s", d->cols[c]);
    ntr_tmpfile t;
    if (ntr_path(path, sizeof path, err, "%s/%s.dat", plots, name) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    if (write_data(t.fp, d, c, err) != 0) {
        ntr_tmpfile_abort(&t);
        return -1;
    }
    if (ntr_tmpfile_commit(&t, err) != 0 ||
        ntr_path(path, sizeof path, err, "%s/%s.gp", plots, name) != 0 ||
        ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    if (write_script(t.fp, d, name, c, terminal, ext, err) != 0) {
        ntr_tmpfile_abort(&t);
        return -1;
    }
    if (ntr_tmpfile_commit(&t, err) != 0)
        return -1;
    return have ? ntr_gnuplot_draw(NULL, plots, name, ext, err) : 0;
}

int ntr_cmp_plot(const char *result_dir, const ntr_cmp_data *d, ntr_error *err)
{
    const char *terminal, *ext;
    char plots[1100];
    if (d->ngroups == 0)
        return 0;
    if (ntr_gp_terminal("png", &terminal, &ext, err) != 0 ||
        ntr_path(plots, sizeof plots, err, "%s/plots", result_dir) != 0 ||
        ntr_mkdirs(plots, err) != 0)
        return -1;
    int have = ntr_gnuplot_available(NULL);
    int done[NTR_CMP_MAX_COLS] = {0};
    for (size_t i = 0; i < d->spec.nchecks; i++) {
        int c = ntr_cmp_col(d, d->spec.check[i].column);
        if (c < 0 || done[c])
            continue;
        done[c] = 1;
        if (one_figure(plots, d, c, terminal, ext, have, err) != 0)
            return -1;
    }
    return 0;
}

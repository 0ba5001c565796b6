/* batch_plot.c: the batch study's figures, drawn from batch.csv (see
 * batch.h): plots/batch_T (steps to target against b) and plots/batch_sfo
 * (SFO = b T against b), log-log, one line per setting, its b* marked by
 * a large square and the batch sizes whose median run never reached the
 * target (censored) by triangles along the top of the figure.
 *
 * Both scripts read plots/batch.dat, whose blocks are: 0 .. n-1 the
 * curves (b, T, SFO), n .. 2n-1 the b* points (b*, T(b*), SFO(b*)) and
 * 2n .. 3n-1 the censored batch sizes (b, top of the T axis, top of the
 * SFO axis).  Like the other figures they are drawn to a temporary name
 * and renamed, and can be redrawn by hand: `gnuplot batch_T.gp` in plots/. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/gnuplot.h"
#include "output/files.h"
#include "study/batch/batch.h"

typedef struct cols {
    size_t b, T, sfo;
} cols;

static void empty_block(FILE *f)
{
    fputs("NaN NaN NaN\n", f);
}

static int write_dat(const char *path, const ntr_batch_summary *s, const cols *c, ntr_error *err)
{
    const ntr_table *t = s->table;
    double topT = 0, topS = 0;
    for (size_t r = 0; r < ntr_table_rows(t); r++) {
        double T = ntr_table_num(t, r, c->T), S = ntr_table_num(t, r, c->sfo);
        if (isfinite(T))
            topT = fmax(topT, T);
        if (isfinite(S))
            topS = fmax(topS, S);
    }
    topT = topT > 0 ? 1.5 * topT : 1;
    topS = topS > 0 ? 1.5 * topS : 1;
    ntr_tmpfile tf;
    if (ntr_tmpfile_open(&tf, path, err) != 0)
        return -1;
    FILE *f = tf.fp;
    fprintf(f, "# batch.dat: batch study curves, by ntr %s\n"
               "# blocks 0..%zu: b T SFO per setting (median over seeds, finite only)\n"
               "# blocks %zu..%zu: b* T(b*) SFO(b*) per setting\n"
               "# blocks %zu..%zu: censored batch sizes: b, top of T axis, top of SFO axis\n",
            NTR_VERSION, s->nsettings - 1, s->nsettings, 2 * s->nsettings - 1,
            2 * s->nsettings, 3 * s->nsettings - 1);
    for (int part = 0; part < 3; part++)
        for (size_t i = 0; i < s->nsettings; i++) {
            const ntr_batch_setting *st = &s->settings[i];
            fprintf(f, "\n\n# %s\n", st->label);
            size_t n = 0;
            if (part == 1 && st->bstar.found) {
                fprintf(f, "%.10g %.10g %.10g\n", st->bstar.b, st->bstar.sfo / st->bstar.b,
                        st->bstar.sfo);
                n++;
            }
            for (size_t r = st->row0; part != 1 && r < st->row0 + st->nrows; r++) {
                double b = ntr_table_num(t, r, c->b), T = ntr_table_num(t, r, c->T);
                double S = ntr_table_num(t, r, c->sfo);
                if (part == 0 && isfinite(T) && T > 0) {
                    fprintf(f, "%.10g %.10g %.10g\n", b, T, S);
                    n++;
                } else if (part == 2 && isinf(T)) {
                    fprintf(f, "%.10g %.10g %.10g\n", b, topT, topS);
                    n++;
                }
            }
            if (n == 0)
                empty_block(f);
        }
    return ntr_tmpfile_commit(&tf, err);
}

/* Where value v of over key k comes among that key's distinct values, in
 * order of first appearance. */
static size_t value_index(const ntr_batch_summary *s, size_t k, const char *v)
{
    size_t n = 0;
    for (size_t j = 0; j < s->nsettings; j++) {
        const char *w = s->settings[j].val[k];
        int first = 1;
        for (size_t m = 0; m < j && first; m++)
            first = strcmp(s->settings[m].val[k], w) != 0;
        if (!first)
            continue;
        if (strcmp(w, v) == 0)
            return n;
        n++;
    }
    return 0;
}

/* The style of setting i: colour by its value of the first over key, dash
 * pattern by the second, point type by the third (so that a line reads as
 * "beta, lambda, Nesterov"); with one key, or very many settings, by
 * setting. */
static void style_of(const ntr_batch_summary *s, size_t i, size_t *lt, size_t *dt, size_t *pt)
{
    static const size_t points[] = {7, 5, 9, 11, 13, 15};
    size_t idx[3] = {i, i / 8, 0};
    if (s->nkeys >= 2 && s->nsettings <= 256)
        for (size_t k = 0; k < 3 && k < s->nkeys; k++)
            idx[k] = value_index(s, k, s->settings[i].val[k]);
    *lt = idx[0] % 8 + 1;
    *dt = idx[1] % 5 + 1;
    *pt = points[idx[2] % (sizeof points / sizeof points[0])];
}

static int write_script(const char *path, const char *stem, int ycol, const char *terminal,
                        const char *ext, const ntr_batch_summary *s, ntr_error *err)
{
    ntr_tmpfile tf;
    if (ntr_tmpfile_open(&tf, path, err) != 0)
        return -1;
    FILE *f = tf.fp;
    int is_T = ycol == 2;
    fprintf(f, "# %s.gp: batch study, %s against the batch size, by ntr %s.\n", stem,
            is_T ? "steps to target T(b)" : "oracle cost SFO(b) = b T(b)", NTR_VERSION);
    fprintf(f, "# Redraw from this folder with: gnuplot %s.gp (data: batch.dat)\n", stem);
    fprintf(f, "%s\n", terminal);
    fprintf(f, "if (!exists('ntr_output')) ntr_output = '%s.%s'\n", stem, ext);
    fprintf(f, "set output ntr_output\nset logscale xy\n");
    fprintf(f, "set grid xtics ytics mxtics mytics lw 0.5 lc rgb '#dddddd'\n");
    fprintf(f, "set title '%s'\n",
            is_T ? "Steps to reach the target: T(b), median over seeds"
                 : "Stochastic gradients to reach the target: SFO(b) = b T(b)");
    fprintf(f, "set xlabel 'batch size b'\nset ylabel '%s'\n",
            is_T ? "T(b)   (iterations)" : "SFO(b) = b T(b)");
    fprintf(f, "set key outside right top vertical Left reverse font ',8'\n");
    fprintf(f, "data = 'batch.dat'\nn = %zu\nplot \\\n", s->nsettings);
    for (size_t i = 0; i < s->nsettings; i++) {
        char label[200];
        ntr_batch_display_label(s, &s->settings[i], label, sizeof label);
        size_t lt, dt, pt;
        style_of(s, i, &lt, &dt, &pt);
        fprintf(f, "  data index %zu using 1:%d with linespoints lt %zu dt %zu pt %zu ps 0.6 "
                   "lw 1.5 title ",
                i, ycol, lt, dt, pt);
        if (ntr_gp_put_string(f, label, err) != 0) {
            ntr_tmpfile_abort(&tf);
            return -1;
        }
        fprintf(f, ", \\\n  data index %zu using 1:%d with points lt %zu pt 5 ps 1.6 notitle, "
                   "\\\n  data index %zu using 1:%d with points lt %zu pt 9 ps 1.0 notitle, \\\n",
                s->nsettings + i, ycol, lt, 2 * s->nsettings + i, ycol, lt);
    }
    fprintf(f, "  NaN with points lc rgb 'black' pt 5 ps 1.6 title 'b* (min of SFO)', \\\n"
               "  NaN with points lc rgb 'black' pt 9 ps 1.0 title 'median never reached'\n");
    return ntr_tmpfile_commit(&tf, err);
}

int ntr_batch_plot(const char *result_dir, const char *format, char *note, size_t size,
                   ntr_error *err)
{
    note[0] = '\0';
    ntr_batch_summary s;
    int found;
    if (ntr_batch_summary_read(result_dir, &s, &found, err) != 0)
        return -1;
    if (!found || s.nsettings == 0) {
        ntr_batch_summary_free(&s);
        return 0;
    }
    cols c;
    const char *terminal, *ext;
    char plots[1100], path[1200];
    int rc = ntr_table_require(s.table, "b", &c.b, err);
    if (rc == 0)
        rc = ntr_table_require(s.table, "T", &c.T, err);
    if (rc == 0)
        rc = ntr_table_require(s.table, "SFO", &c.sfo, err);
    if (rc == 0)
        rc = ntr_gp_terminal(format ? format : "png", &terminal, &ext, err);
    if (rc == 0)
        rc = ntr_path(plots, sizeof plots, err, "%s/plots", result_dir);
    if (rc == 0)
        rc = ntr_mkdirs(plots, err);
    if (rc == 0 && ntr_path(path, sizeof path, err, "%s/batch.dat", plots) == 0)
        rc = write_dat(path, &s, &c, err);
    else if (rc == 0)
        rc = -1;
    static const char *const stems[2] = {"batch_T", "batch_sfo"};
    for (int k = 0; rc == 0 && k < 2; k++) {
        if (ntr_path(path, sizeof path, err, "%s/%s.gp", plots, stems[k]) != 0)
            rc = -1;
        else
            rc = write_script(path, stems[k], k == 0 ? 2 : 3, terminal, ext, &s, err);
    }
    ntr_batch_summary_free(&s);
    if (rc != 0)
        return -1;
    if (!ntr_gnuplot_available(NULL)) {
        snprintf(note, size, "batch figures not drawn: gnuplot not found");
        return 0;
    }
    for (int k = 0; k < 2; k++) {
        ntr_error gerr;
        if (ntr_gnuplot_draw(NULL, plots, stems[k], ext, &gerr) != 0) {
            snprintf(note, size, "batch figure %s not drawn: %.700s", stems[k], gerr.msg);
            break;
        }
    }
    return 0;
}

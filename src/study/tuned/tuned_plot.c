/* tuned_plot.c: a tuned study's figures, one or two per analysis, in
 * plots/ (data, gnuplot script and png):
 *   tuned_N        crossover and ratio: the tuned scores of a and b against
 *                  x (log-log: the floors against sigma for Muon against
 *                  OSGDM, the steps to eps against d for a sign method
 *                  against SGD); profile: the best score at each value of
 *                  the tuning key, one line per group (the floor against
 *                  alpha: the mechanism)
 *   tuned_N_ratio  crossover and ratio: R = b / a with its 95% interval,
 *                  the line R = 1 (and the crossover x*)
 * Non-finite values are left out (a NaN row). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot/gnuplot.h"
#include "output/files.h"
#include "study/study_gp.h"
#include "study/tuned/tuned_analyse.h"

static void num(FILE *f, double v)
{
    if (isfinite(v) && v > 0)
        fprintf(f, " %.17g", v);
    else
        fputs(" NaN", f);
}

static int label_of(FILE *f, const char *s, ntr_error *err)
{
    char buf[512];
    ntr_gp_sanitize(s, buf, sizeof buf);
    return ntr_gp_put_string(f, buf, err);
}

/* A selector as "key=value key=value". */
static void sel_text(const ntr_node *sel, char *buf, size_t size)
{
    size_t u = 0;
    buf[0] = '\0';
    for (size_t i = 0; sel && i < sel->n && u < size; i++) {
        int w = snprintf(buf + u, size - u, "%s%s=%s", i ? " " : "", sel->keys[i],
                         sel->items[i]->text);
        if (w < 0)
            return;
        u += (size_t)w;
    }
}

static int write_pair(const char *plots, const char *name, const ntr_tuned_data *d,
                      const ntr_tuned_result *r, const char *terminal, const char *ext, int ratio,
                      ntr_error *err)
{
    char path[1200], t[600], sa[200], sb[200];
    ntr_tmpfile f;
    if (ntr_path(path, sizeof path, err, "%s/%s.dat", plots, name) != 0 ||
        ntr_tmpfile_open(&f, path, err) != 0)
        return -1;
    fputs("# x, tuned score of a, of b, R = b/a, R 2.5%, R 97.5%\n", f.fp);
    for (size_t i = 0; i < r->n; i++) {
        fprintf(f.fp, "%.17g", r->x[i]);
        num(f.fp, r->sa[i]);
        num(f.fp, r->sb[i]);
        num(f.fp, r->r[i]);
        num(f.fp, r->r_lo[i]);
        num(f.fp, r->r_hi[i]);
        fputc('\n', f.fp);
    }
    if (ntr_tmpfile_commit(&f, err) != 0 ||
        ntr_path(path, sizeof path, err, "%s/%s.gp", plots, name) != 0 ||
        ntr_tmpfile_open(&f, path, err) != 0)
        return -1;
    const char *what = d->spec.score == NTR_TUNED_FINAL ? d->spec.column : "steps to the target";
    sel_text(r->an->a, sa, sizeof sa);
    sel_text(r->an->b, sb, sizeof sb);
    ntr_study_gp_head(f.fp, name, ratio ? "R = b / a with its 95% interval" : "tuned scores",
                      terminal, ext);
    int rc;
    if (!ratio) {
        snprintf(t, sizeof t, "%s: tuned %s%s against %s", r->an->label, what,
                 d->spec.score == NTR_TUNED_FINAL ? " (final window, median over seeds)" : "",
                 r->an->x);
        rc = ntr_study_gp_text(f.fp, "title", t, err);
        if (rc == 0)
            rc = ntr_study_gp_text(f.fp, "xlabel", r->an->x, err);
        if (rc == 0)
            rc = ntr_study_gp_text(f.fp, "ylabel", what, err);
        if (rc == 0) {
            fprintf(f.fp, "set key top left\nplot '%s.dat' using 1:2 with linespoints lw 2 title ",
                    name);
            rc = label_of(f.fp, sa, err);
        }
        if (rc == 0) {
            fprintf(f.fp, ", '%s.dat' using 1:3 with linespoints lw 2 title ", name);
            rc = label_of(f.fp, sb, err);
            fputc('\n', f.fp);
        }
    } else {
        snprintf(t, sizeof t, "%s: R = %s of [b] / of [a], 95%% interval (seeds resampled, "
                              "re-tuned)",
                 r->an->label, what);
        rc = ntr_study_gp_text(f.fp, "title", t, err);
        if (rc == 0)
            rc = ntr_study_gp_text(f.fp, "xlabel", r->an->x, err);
        snprintf(t, sizeof t, "R (a = %s, b = %s)", sa, sb);
        if (rc == 0)
            rc = ntr_study_gp_text(f.fp, "ylabel", t, err);
        if (rc == 0 && isfinite(r->xstar))
            fprintf(f.fp, "set arrow from %.17g, graph 0 to %.17g, graph 1 nohead dt 2\n",
                    r->xstar, r->xstar);
        if (rc == 0)
            fprintf(f.fp, "set key top left\nplot '%s.dat' using 1:4:5:6 with yerrorlines lw 2 "
                          "title 'R = b / a', 1 with lines dt 2 lc rgb '#888888' title 'R = 1'\n",
                    name);
    }
    if (rc != 0) {
        ntr_tmpfile_abort(&f);
        return -1;
    }
    return ntr_tmpfile_commit(&f, err);
}

static int write_profile(const char *plots, const char *name, const ntr_tuned_data *d,
                         const ntr_tuned_result *r, const char *terminal, const char *ext,
                         ntr_error *err)
{
    char path[1200], t[400];
    ntr_tmpfile f;
    if (ntr_path(path, sizeof path, err, "%s/%s.dat", plots, name) != 0 ||
        ntr_tmpfile_open(&f, path, err) != 0)
        return -1;
    for (size_t i = 0; i < r->ntrends; i++) {
        fprintf(f.fp, "# group %zu: %s, best score\n", i, r->an->x);
        for (size_t j = 0; j < r->trend[i].npoints; j++) {
            fprintf(f.fp, "%.17g", r->tx[i][j]);
            num(f.fp, r->trend[i].stat[j]);
            fputc('\n', f.fp);
        }
        fputs("\n\n", f.fp);
    }
    if (ntr_tmpfile_commit(&f, err) != 0 ||
        ntr_path(path, sizeof path, err, "%s/%s.gp", plots, name) != 0 ||
        ntr_tmpfile_open(&f, path, err) != 0)
        return -1;
    const char *what = d->spec.score == NTR_TUNED_FINAL ? d->spec.column : "steps to the target";
    ntr_study_gp_head(f.fp, name, "a profile: the best score at each value of a tuning key",
                      terminal, ext);
    snprintf(t, sizeof t, "%s: best %s at each %s (other tuning keys at their best)",
             r->an->label, what, r->an->x);
    int rc = ntr_study_gp_text(f.fp, "title", t, err);
    if (rc == 0)
        rc = ntr_study_gp_text(f.fp, "xlabel", r->an->x, err);
    if (rc == 0)
        rc = ntr_study_gp_text(f.fp, "ylabel", what, err);
    if (rc == 0)
        fprintf(f.fp, "set key below Left reverse\nplot \\\n");
    for (size_t i = 0; rc == 0 && i < r->ntrends; i++) {
        fprintf(f.fp, "  '%s.dat' index %zu using 1:2 with linespoints lw 2 title ", name, i);
        char tl[600];
        snprintf(tl, sizeof tl, "%s (slope %.2g)", d->g[r->tgroup[i]].label, r->trend[i].slope);
        rc = label_of(f.fp, tl, err);
        fputs(i + 1 < r->ntrends ? ", \\\n" : "\n", f.fp);
    }
    if (rc != 0) {
        ntr_tmpfile_abort(&f);
        return -1;
    }
    return ntr_tmpfile_commit(&f, err);
}

int ntr_tuned_plot(const char *dir, const ntr_tuned_data *d, const ntr_tuned_result *res,
                   ntr_error *err)
{
    const char *terminal, *ext;
    char plots[1100], name[64];
    if (d->spec.nanalyses == 0)
        return 0;
    if (ntr_gp_terminal("png", &terminal, &ext, err) != 0 ||
        ntr_path(plots, sizeof plots, err, "%s/plots", dir) != 0 || ntr_mkdirs(plots, err) != 0)
        return -1;
    int have = ntr_gnuplot_available(NULL);
    for (size_t i = 0; i < d->spec.nanalyses; i++) {
        const ntr_tuned_result *r = &res[i];
        snprintf(name, sizeof name, "tuned_%zu", i + 1);
        if (r->an->kind == NTR_TUNED_PROFILE) {
            if (write_profile(plots, name, d, r, terminal, ext, err) != 0 ||
                (have && ntr_gnuplot_draw(NULL, plots, name, ext, err) != 0))
                return -1;
            continue;
        }
        if (write_pair(plots, name, d, r, terminal, ext, 0, err) != 0 ||
            (have && ntr_gnuplot_draw(NULL, plots, name, ext, err) != 0))
            return -1;
        snprintf(name, sizeof name, "tuned_%zu_ratio", i + 1);
        if (write_pair(plots, name, d, r, terminal, ext, 1, err) != 0 ||
            (have && ntr_gnuplot_draw(NULL, plots, name, ext, err) != 0))
            return -1;
    }
    return 0;
}

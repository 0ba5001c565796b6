/* extrap_plot.c: the extrapolation study's figures, in plots/:
 *
 *   extrapolation_momentum  the momentum error of each role against the lag
 *                           L eta/alpha (log-log), travelling and hovering
 *                           points, with the line c = 1 (error = L eta/alpha)
 *                           and each point's noise floor F
 *   extrapolation_crossover R = running average / eps against eps per dose,
 *                           plain solid, extrapolated dashed, controls
 *                           dotted; R = 1 is the line to cross
 *   extrapolation_dose      eps* against L^2/L2 with the fitted line and
 *                           the predicted slope 1
 *
 * Each is NAME.dat (gnuplot blocks) and NAME.gp beside the figure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot/gnuplot.h"
#include "output/files.h"
#include "study/extrap/extrap_data.h"
#include "study/study_gp.h"

typedef int (*writer)(FILE *f, const ntr_ex_data *d, const ntr_ex_outcome *o, const char *name,
                      const char *terminal, const char *ext, ntr_error *err);

static void num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, " %.17g", v);
    else
        fputs(" NaN", f);
}

/* Blocks: per role r, travel points (2r) and hover points (2r + 1): lag, err;
 * then the floors: lag, F. */
static int momentum_data(FILE *f, const ntr_ex_data *d, const ntr_ex_outcome *o,
                         const char *name, const char *terminal, const char *ext, ntr_error *err)
{
    (void)o, (void)name, (void)terminal, (void)ext, (void)err;
    for (size_t r = 0; r < d->nroles; r++)
        for (int travel = 1; travel >= 0; travel--) {
            fprintf(f, "# %s, %s points: L eta/alpha, error\n", ntr_ex_role_name(&d->spec, r),
                    travel ? "travelling" : "hovering");
            size_t n = 0;
            for (size_t i = 0; i < d->nmom; i++)
                if (d->mom[i].travel == travel) {
                    num(f, d->mom[i].lag);
                    num(f, d->mom[i].err[r]);
                    fputc('\n', f);
                    n++;
                }
            fputs(n ? "\n\n" : "NaN NaN\n\n\n", f);
        }
    fputs("# noise floors: L eta/alpha, F\n", f);
    for (size_t i = 0; i < d->nmom; i++) {
        num(f, d->mom[i].lag);
        num(f, d->mom[i].floor);
        fputc('\n', f);
    }
    if (d->nmom == 0)
        fputs("NaN NaN\n", f);
    return 0;
}

static int role_title(FILE *f, const ntr_ex_data *d, size_t r, const char *what, ntr_error *err)
{
    char t[200];
    snprintf(t, sizeof t, "%s, %s", r == 0 ? "plain" : r == 1 ? "extrapolated"
                                                               : ntr_ex_role_name(&d->spec, r),
             what);
    return ntr_gp_put_string(f, t, err);
}

static int momentum_script(FILE *f, const ntr_ex_data *d, const ntr_ex_outcome *o,
                           const char *name, const char *terminal, const char *ext,
                           ntr_error *err)
{
    (void)o;
    ntr_study_gp_head(f, name, "momentum error against the lag L eta/alpha", terminal, ext);
    if (ntr_study_gp_text(f, "title", "momentum error ||m_k - grad f(x_k)||_* (rms over seeds and "
                                      "window)", err) != 0 ||
        ntr_study_gp_text(f, "xlabel", "L eta / alpha", err) != 0 ||
        ntr_study_gp_text(f, "ylabel", "momentum error", err) != 0)
        return -1;
    fprintf(f, "set key below Left reverse maxcols 2\ndata = '%s.dat'\nplot \\\n", name);
    /* the controls first (crosses), so that plain and extrapolated, drawn
     * over them, stay visible where a control repeats the plain errors */
    for (size_t k = 0; k < d->nroles; k++)
        for (int travel = 1; travel >= 0; travel--) {
            size_t r = (k + NTR_EX_CONTROL0) % d->nroles;
            int pt = r >= NTR_EX_CONTROL0 ? (travel ? 2 : 1) : travel ? 7 : 6;
            fprintf(f, "  data index %zu using 1:($2 > 0 ? $2 : NaN) with points lt %zu pt %d "
                       "title ",
                    2 * r + (size_t)(1 - travel), r + 1, pt);
            if (role_title(f, d, r, travel ? "travelling" : "hovering at x*", err) != 0)
                return -1;
            fputs(", \\\n", f);
        }
    fprintf(f, "  data index %zu using 1:2 with points lt 0 pt 1 title 'noise floor F', \\\n",
            2 * d->nroles);
    fputs("  x with lines lt 0 dt 2 title 'L eta/alpha (c = 1)'\n", f);
    return 0;
}

/* Blocks: per dose and role: eps as listed (in units of eps_unit, when
 * set: the doses' curves then share an axis), R. */
static int crossover_data(FILE *f, const ntr_ex_data *d, const ntr_ex_outcome *o,
                          const char *name, const char *terminal, const char *ext,
                          ntr_error *err)
{
    (void)name, (void)terminal, (void)ext, (void)err;
    for (size_t z = 0; z < d->spec.ndoses; z++)
        for (size_t r = 0; r < d->nroles; r++) {
            fprintf(f, "# dose %zu, %s: eps, R\n", z, ntr_ex_role_name(&d->spec, r));
            for (size_t i = 0; i < d->spec.neps; i++) {
                num(f, d->spec.eps[i]);
                num(f, o->cross[z].ratio[r][i]);
                fputc('\n', f);
            }
            fputs("\n\n", f);
        }
    return 0;
}

static int crossover_script(FILE *f, const ntr_ex_data *d, const ntr_ex_outcome *o,
                            const char *name, const char *terminal, const char *ext,
                            ntr_error *err)
{
    (void)o;
    char xlabel[300];
    if (d->spec.eps_unit)
        snprintf(xlabel, sizeof xlabel, "eps / (%s)", d->spec.eps_unit->text);
    else
        snprintf(xlabel, sizeof xlabel, "eps");
    ntr_study_gp_head(f, name, "running average over eps against eps", terminal, ext);
    if (ntr_study_gp_text(f, "title", "running average (1/K) sum ||grad f(x_k)||_* over eps "
                                      "(median over seeds)", err) != 0 ||
        ntr_study_gp_text(f, "xlabel", xlabel, err) != 0 ||
        ntr_study_gp_text(f, "ylabel", "average / eps (above 1: eps not reached)", err) != 0)
        return -1;
    fprintf(f, "set key below Left reverse maxcols 2\ndata = '%s.dat'\nplot \\\n", name);
    for (size_t z = 0; z < d->spec.ndoses; z++)
        for (size_t r = 0; r < d->nroles; r++) {
            fprintf(f, "  data index %zu using 1:($2 > 0 ? $2 : NaN) with linespoints lt %zu "
                       "dt %d pt 7 ps 0.6 title ",
                    z * d->nroles + r, z + 1, r == 0 ? 1 : r == 1 ? 2 : 3);
            char t[400];
            char label[300];
            ntr_gp_sanitize(d->dose[z].label, label, sizeof label);
            snprintf(t, sizeof t, "%s %s", label, r == 0 ? "plain" : r == 1 ? "extrapolated"
                                                         : ntr_ex_role_name(&d->spec, r));
            if (ntr_gp_put_string(f, t, err) != 0)
                return -1;
            fputs(", \\\n", f);
        }
    fputs("  1 with lines lt 0 lw 2 title 'R = 1'\n", f);
    return 0;
}

/* Block 0: L^2/L2, eps*; block 1: the fitted line at the ends; block 2:
 * the predicted slope 1. */
static int dose_data(FILE *f, const ntr_ex_data *d, const ntr_ex_outcome *o, const char *name,
                     const char *terminal, const char *ext, ntr_error *err)
{
    (void)name, (void)terminal, (void)ext, (void)err;
    fputs("# L^2/L2, eps*\n", f);
    double lo = INFINITY, hi = -INFINITY, sx = 0, sy = 0;
    size_t n = 0;
    for (size_t z = 0; z < d->spec.ndoses; z++) {
        num(f, d->dose[z].ratio);
        num(f, o->cross[z].eps_star);
        fputc('\n', f);
        if (isfinite(o->cross[z].eps_star) && d->dose[z].ratio > 0) {
            lo = fmin(lo, d->dose[z].ratio);
            hi = fmax(hi, d->dose[z].ratio);
            sx += log(d->dose[z].ratio);
            sy += log(o->cross[z].eps_star);
            n++;
        }
    }
    /* the fitted line, then the predicted slope 1, both through the centroid */
    for (int line = 0; line < 2; line++) {
        double slope = line ? 1.0 : o->fit.slope;
        fputs(line ? "\n\n# slope 1 (predicted)\n" : "\n\n# fitted line\n", f);
        if (n >= 2 && isfinite(slope)) {
            double mx = sx / (double)n, my = sy / (double)n;
            for (int e = 0; e < 2; e++) {
                double x = e ? hi : lo;
                num(f, x);
                num(f, exp(my + slope * (log(x) - mx)));
                fputc('\n', f);
            }
        } else {
            fputs("NaN NaN\n", f);
        }
    }
    return 0;
}

static int dose_script(FILE *f, const ntr_ex_data *d, const ntr_ex_outcome *o, const char *name,
                       const char *terminal, const char *ext, ntr_error *err)
{
    (void)d;
    ntr_study_gp_head(f, name, "crossover eps* against L^2/L2", terminal, ext);
    char t[200];
    snprintf(t, sizeof t, "crossover eps* against L^2/L2: exponent %.3g [%.3g, %.3g], "
                          "predicted 1",
             o->fit.slope, o->fit.lo, o->fit.hi);
    if (ntr_study_gp_text(f, "title", t, err) != 0 ||
        ntr_study_gp_text(f, "xlabel", "L^2 / L2", err) != 0 ||
        ntr_study_gp_text(f, "ylabel", "eps*", err) != 0)
        return -1;
    fprintf(f, "set key below\ndata = '%s.dat'\nplot data index 0 using 1:2 with points pt 7 ps "
               "1.5 title 'eps* per dose', \\\n  data index 1 using 1:2 with lines lw 2 title "
               "'least-squares line', \\\n  data index 2 using 1:2 with lines lt 0 dt 2 title "
               "'slope 1 (predicted)'\n",
            name);
    return 0;
}

/* Points each figure would show (gnuplot refuses a plot without any). */
static size_t momentum_points(const ntr_ex_data *d, const ntr_ex_outcome *o)
{
    (void)o;
    size_t n = 0;
    for (size_t i = 0; i < d->nmom; i++)
        for (size_t r = 0; r < d->nroles; r++)
            n += d->mom[i].lag > 0 && d->mom[i].err[r] > 0;
    return n;
}

static size_t crossover_points(const ntr_ex_data *d, const ntr_ex_outcome *o)
{
    size_t n = 0;
    for (size_t z = 0; z < d->spec.ndoses; z++)
        for (size_t r = 0; r < d->nroles; r++)
            for (size_t i = 0; i < d->spec.neps; i++)
                n += o->cross[z].ratio[r][i] > 0;
    return n;
}

static size_t dose_points(const ntr_ex_data *d, const ntr_ex_outcome *o)
{
    size_t n = 0;
    for (size_t z = 0; z < d->spec.ndoses; z++)
        n += d->dose[z].ratio > 0 && o->cross[z].eps_star > 0;
    return n;
}

/* NAME.dat and NAME.gp, and the figure when gnuplot is there; nothing
 * when the figure would be empty (no eps* found, cells not run). */
static int figure(const char *plots, const char *name, writer data, writer script,
                  size_t points, const ntr_ex_data *d, const ntr_ex_outcome *o,
                  const char *terminal, const char *ext, int have, ntr_error *err)
{
    if (points == 0)
        return 0;
    char path[1200];
    ntr_tmpfile t;
    for (int pass = 0; pass < 2; pass++) {
        if (ntr_path(path, sizeof path, err, "%s/%s.%s", plots, name, pass ? "gp" : "dat") != 0 ||
            ntr_tmpfile_open(&t, path, err) != 0)
            return -1;
        if ((pass ? script : data)(t.fp, d, o, name, terminal, ext, err) != 0) {
            ntr_tmpfile_abort(&t);
            return -1;
        }
        if (ntr_tmpfile_commit(&t, err) != 0)
            return -1;
    }
    return have ? ntr_gnuplot_draw(NULL, plots, name, ext, err) : 0;
}

int ntr_ex_plot(const char *result_dir, const ntr_ex_data *d, const ntr_ex_outcome *o,
                ntr_error *err)
{
    const char *terminal, *ext;
    char plots[1100];
    if (ntr_gp_terminal("png", &terminal, &ext, err) != 0 ||
        ntr_path(plots, sizeof plots, err, "%s/plots", result_dir) != 0 ||
        ntr_mkdirs(plots, err) != 0)
        return -1;
    int have = ntr_gnuplot_available(NULL);
    if (figure(plots, "extrapolation_momentum", momentum_data, momentum_script,
               momentum_points(d, o), d, o, terminal, ext, have, err) != 0 ||
        figure(plots, "extrapolation_crossover", crossover_data, crossover_script,
               crossover_points(d, o), d, o, terminal, ext, have, err) != 0)
        return -1;
    return figure(plots, "extrapolation_dose", dose_data, dose_script, dose_points(d, o), d, o,
                  terminal, ext, have, err);
}

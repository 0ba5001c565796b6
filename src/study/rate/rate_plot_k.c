/* rate_plot_k.c: the K(eps) figure of a rate study (see rate_plot.c for
 * the files): per tuned or rule series, K(eps) against 1/eps with its 95%
 * bootstrap interval, the fitted line, a line of the claimed slope through
 * the points' centre, the theorem's K_theory, and censored eps at their
 * budget; log-log.  Series i uses data blocks NTR_RATE_KBLOCKS i + b and
 * keeps one colour. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot/gnuplot.h"
#include "study/rate/rate_plot.h"
#include "study/study_gp.h"

/* Close a data block; an empty one gets a row of NaN so that gnuplot still
 * counts it (it skips blocks without rows when numbering `index`). */
static void end_block(FILE *f, int had_rows)
{
    if (!had_rows)
        fputs("NaN NaN NaN NaN\n", f);
    fputs("\n\n", f);
}

void ntr_rate_k_data(FILE *f, const ntr_rate_data *d, int have[NTR_RATE_KBLOCKS])
{
    const ntr_rate_spec *s = d->spec;
    double xmin = INFINITY, xmax = -INFINITY, sx = 0, sy = 0;
    size_t n = 0;
    memset(have, 0, NTR_RATE_KBLOCKS * sizeof *have);
    fprintf(f, "# series '%s'\n# block 0: 1/eps, K, 95%% lo, 95%% hi\n", s->name);
    for (size_t ie = 0; s->kind != NTR_RATE_KIND_BOUND && ie < s->neps; ie++) {
        const ntr_rate_eps *e = &d->per[ie];
        double x = 1.0 / e->eps;
        xmin = fmin(xmin, x), xmax = fmax(xmax, x);
        if (!e->usable)
            continue;
        fprintf(f, "%.17g %.17g %.17g %.17g\n", x, e->K, isnan(e->K_lo) ? e->K : e->K_lo,
                isnan(e->K_hi) ? e->K : e->K_hi);
        sx += log(x), sy += log(e->K), n++;
        have[0] = 1;
    }
    end_block(f, have[0]);
    fputs("# block 1: fitted line\n", f);
    if (!isnan(d->fit.slope) && n > 0) {
        for (int i = 0; i < 2; i++) {
            double x = i ? xmax : xmin;
            fprintf(f, "%.17g %.17g\n", x, exp(d->fit.intercept + d->fit.slope * log(x)));
        }
        have[1] = 1;
    }
    end_block(f, have[1]);
    fputs("# block 2: the claimed slope through the points' centre\n", f);
    if (n > 0) {
        for (int i = 0; i < 2; i++) {
            double x = i ? xmax : xmin;
            double y = exp(sy / (double)n + s->expect * (log(x) - sx / (double)n));
            fprintf(f, "%.17g %.17g\n", x, y);
        }
        have[2] = 1;
    }
    end_block(f, have[2]);
    fputs("# block 3: 1/eps, K_theory\n", f);
    for (size_t ie = 0; s->kind != NTR_RATE_KIND_BOUND && ie < s->neps; ie++) {
        const ntr_rate_eps *e = &d->per[ie];
        if (isfinite(e->K_theory)) {
            fprintf(f, "%.17g %.17g\n", 1.0 / e->eps, e->K_theory);
            have[3] = 1;
        }
    }
    end_block(f, have[3]);
    fputs("# block 4: censored eps: 1/eps, budget\n", f);
    for (size_t ie = 0; s->kind != NTR_RATE_KIND_BOUND && ie < s->neps; ie++) {
        const ntr_rate_eps *e = &d->per[ie];
        if (e->censored && e->budget > 0) {
            fprintf(f, "%.17g %ld\n", 1.0 / e->eps, e->budget);
            have[4] = 1;
        }
    }
    end_block(f, have[4]);
}

/* One series' lines of the plot command; *first: no line written yet. */
static int k_lines(FILE *f, const ntr_rate_data *d, size_t i, size_t n,
                   const int have[NTR_RATE_KBLOCKS], int *first, ntr_error *err)
{
    const ntr_rate_spec *s = d->spec;
    char t[260], pre[64] = "";
    size_t lt = i % 8 + 1, b0 = NTR_RATE_KBLOCKS * i;
    if (n > 1)
        snprintf(pre, sizeof pre, "%s: ", s->name);
    for (int b = 0; b < NTR_RATE_KBLOCKS; b++) {
        if (!have[b])
            continue;
        fputs(*first ? "" : ", \\\n", f);
        *first = 0;
        switch (b) {
        case 0:
            snprintf(t, sizeof t, "%s%s", pre,
                     s->kind == NTR_RATE_KIND_TUNED ? "K*(eps), tuned, 95% interval"
                                                    : "K(eps) at the rule's eta(eps)");
            fprintf(f, "  data index %zu using 1:2:3:4 with yerrorbars lt %zu pt 7 ps 1.2 title ",
                    b0, lt);
            break;
        case 1:
            snprintf(t, sizeof t, "%sfit: p = %.2f [%.2f, %.2f]%s", pre, d->fit.slope,
                     d->fit.ci_lo, d->fit.ci_hi,
                     s->kind == NTR_RATE_KIND_RULE ? " (imposed by the rule)" : "");
            fprintf(f, "  data index %zu using 1:2 with lines lt %zu lw 2 title ", b0 + 1, lt);
            break;
        case 2:
            snprintf(t, sizeof t, "%sclaimed slope p = %g", pre, s->expect);
            fprintf(f, "  data index %zu using 1:2 with lines lt %zu dt 3 lw 2 title ", b0 + 2, lt);
            break;
        case 3:
            snprintf(t, sizeof t, "%sK_theory (the theorem's K)", pre);
            fprintf(f, "  data index %zu using 1:2 with linespoints lt %zu dt 2 pt 6 title ",
                    b0 + 3, lt);
            break;
        default:
            snprintf(t, sizeof t, "%scensored: K > budget", pre);
            fprintf(f, "  data index %zu using 1:2 with points lt %zu pt 9 ps 1.5 title ", b0 + 4,
                    lt);
            break;
        }
        if (ntr_gp_put_string(f, t, err) != 0)
            return -1;
    }
    return 0;
}

int ntr_rate_k_script(FILE *f, const ntr_rate_data *d, size_t n, int have[][NTR_RATE_KBLOCKS],
                      const char *terminal, const char *ext, ntr_error *err)
{
    ntr_study_gp_head(f, "rate_K", "K(eps) against 1/eps", terminal, ext);
    if (ntr_study_gp_text(f, "title", "iterations to reach eps (median over seeds)", err) != 0 ||
        ntr_study_gp_text(f, "xlabel", "1/eps", err) != 0 ||
        ntr_study_gp_text(f, "ylabel", "K(eps)", err) != 0)
        return -1;
    fprintf(f, "set key below Left reverse maxcols 2\nset offsets graph 0.05, graph 0.05, 0, 0\n"
               "data = 'rate_K.dat'\nplot \\\n");
    int first = 1;
    for (size_t i = 0; i < n; i++)
        if (k_lines(f, &d[i], i, n, have[i], &first, err) != 0)
            return -1;
    if (first)
        fputs("  NaN notitle", f);
    fputc('\n', f);
    return 0;
}

/* plot_script.c: writing the gnuplot script of a band figure (see plot_script.h). */
#include "plot/plot_script.h"

#include <stdlib.h>
#include <string.h>

#include "plot/gnuplot.h"

/* Labels longer than this are cut in the key. */
#define LABEL_MAX 120

/* A group label for the key: "method.norm=spectral noise.batch=4" becomes
 * "norm=spectral batch=4" (the last part of each dotted key), unless two
 * keys would then look the same; control characters become spaces. */
static void key_label(const char *label, char *out, size_t size)
{
    char full[LABEL_MAX + 1];
    ntr_gp_sanitize(label, full, sizeof full);
    const char *shorts[32];
    size_t nshort = 0, w = 0;
    const char *p = full;
    while (*p && w + 1 < size) {
        size_t tok = strcspn(p, " ");
        size_t eq = strcspn(p, "=");
        const char *key = p;
        if (eq < tok) {
            const char *dot = NULL;
            for (const char *q = p; q < p + eq; q++)
                if (*q == '.')
                    dot = q;
            if (dot)
                key = dot + 1;
            for (size_t i = 0; i < nshort; i++)
                if (strncmp(shorts[i], key, (size_t)(p + eq - key) + 1) == 0) {
                    snprintf(out, size, "%s", full); /* ambiguous: keep it whole */
                    return;
                }
            if (nshort < sizeof shorts / sizeof shorts[0])
                shorts[nshort++] = key;
        }
        size_t len = (size_t)(p + tok - key);
        if (w + len + 1 >= size)
            len = size - w - 1;
        memcpy(out + w, key, len);
        w += len;
        p += tok;
        while (*p == ' ' && w + 1 < size) {
            out[w++] = ' ';
            p++;
        }
    }
    out[w] = '\0';
}

/* "set NAME 'text'" with text quoted. */
static int set_text(FILE *f, const char *what, const char *text, ntr_error *err)
{
    fprintf(f, "set %s ", what);
    if (ntr_gp_put_string(f, text, err) != 0)
        return -1;
    fputc('\n', f);
    return 0;
}

/* gnuplot column expression: column col, left out (NaN) when a log axis
 * cannot show it. */
static void col_expr(FILE *f, int col, int log)
{
    if (log)
        fprintf(f, "($%d > 0 ? $%d : NaN)", col, col);
    else
        fprintf(f, "%d", col);
}

const char *ntr_gp_dash(size_t i)
{
    static const char *const dash[] = {"1",           "(10,6)",        "(3,5)",
                                       "(14,5,3,5)",  "(20,8)",        "(6,4,6,4,2,4)",
                                       "(2,10)",      "(14,4,3,4,3,4)"};
    return dash[i % (sizeof dash / sizeof *dash)];
}

/* The script's opening: what it draws from what, the terminal, the output
 * file and the axes' scales. */
static void script_head(FILE *f, const ntr_fig_spec *spec, const char *terminal, const char *ext,
                        const char *data)
{
    fprintf(f, "# %s.gp: %s, drawn from %s by ntr %s.\n", spec->name, spec->title, data,
            NTR_VERSION);
    fprintf(f, "# Redraw from this folder with: gnuplot %s.gp\n", spec->name);
    fprintf(f, "# Data blocks of %s: one per line; columns x, x_plot, n, median, lo, hi.\n",
            data);
    fprintf(f, "%s\n", terminal);
    fprintf(f, "if (!exists('ntr_output')) ntr_output = '%s.%s'\n", spec->name, ext);
    fprintf(f, "set output ntr_output\n");
    if (spec->logx || spec->logy)
        fprintf(f, "set logscale %s%s\n", spec->logx ? "x" : "", spec->logy ? "y" : "");
    fprintf(f, "set grid xtics ytics mxtics mytics lw 0.5 lc rgb '#dddddd'\n");
}

/* The title, and the note as its second line. */
static int put_title(FILE *f, const ntr_fig_spec *spec, ntr_error *err)
{
    char title[1024];
    if (spec->note)
        snprintf(title, sizeof title, "%s\n%s", spec->title, spec->note);
    else
        snprintf(title, sizeof title, "%s", spec->title);
    /* a newline is a control character for the quoting: two title lines are
     * joined by gnuplot's own "\n" in a double-quoted-free way */
    fprintf(f, "set title ");
    char *nl = strchr(title, '\n');
    if (nl)
        *nl = '\0';
    if (ntr_gp_put_string(f, title, err) != 0)
        return -1;
    if (nl) {
        fprintf(f, " . \"\\n\" . ");
        if (ntr_gp_put_string(f, nl + 1, err) != 0)
            return -1;
    }
    fputc('\n', f);
    return 0;
}

/* Where the key goes, and the ranges and fill the figure's kind needs. */
static void key_and_ranges(FILE *f, const ntr_fig_spec *spec, size_t nlines)
{
    /* Up to 3 lines fit in the empty top right corner of a decreasing
     * curve; more go below the axes, where long labels have room. */
    if (nlines > 3)
        fprintf(f, "set key below horizontal Left reverse nobox maxcols %d\n",
                nlines > 8 ? 3 : 2);
    else if (spec->kind == NTR_FIG_STEPS)
        fprintf(f, "set key inside top left Left reverse box opaque\n");
    else
        fprintf(f, "set key inside top right Left reverse box opaque\n");
    if (spec->kind == NTR_FIG_BAND)
        fprintf(f, "set autoscale xfix\n");
    if (spec->kind == NTR_FIG_STEPS)
        fprintf(f, "set yrange [0:1.02]\n");
    fprintf(f, "set style fill transparent solid 0.2 noborder\n");
}

/* Line i of the plot command (its band first, for a band figure). */
static int plot_line(FILE *f, const ntr_fig_spec *spec, const ntr_fig_line *lines, size_t nlines,
                     size_t i, ntr_error *err)
{
    char label[LABEL_MAX + 32];
    size_t lt = lines[i].color % 8 + 1;
    const char *dt = ntr_gp_dash(lines[i].dash);
    if (spec->kind == NTR_FIG_BAND) {
        fprintf(f, "  data index %zu using 2:", i);
        col_expr(f, 5, spec->logy);
        fputc(':', f);
        col_expr(f, 6, spec->logy);
        fprintf(f, " with filledcurves lt %zu notitle, \\\n", lt);
    }
    fprintf(f, "  data index %zu using 2:", i);
    col_expr(f, 4, spec->logy);
    if (spec->kind == NTR_FIG_POINTS) {
        fputc(':', f);
        col_expr(f, 5, spec->logy);
        fputc(':', f);
        col_expr(f, 6, spec->logy);
        fprintf(f, " with yerrorlines lt %zu dt %s lw 2 pt 7 ps 0.8 title ", lt, dt);
    } else {
        fprintf(f, " with %s lt %zu dt %s lw 2 title ",
                spec->kind == NTR_FIG_STEPS ? "steps" : "lines", lt, dt);
    }
    if (nlines == 1 && strcmp(lines[i].label, "all") == 0)
        snprintf(label, sizeof label, "n = %zu", lines[i].ncells);
    else {
        key_label(lines[i].label, label, LABEL_MAX + 1);
        size_t used = strlen(label);
        snprintf(label + used, sizeof label - used, "  (n = %zu)", lines[i].ncells);
    }
    if (ntr_gp_put_string(f, label, err) != 0)
        return -1;
    fprintf(f, "%s\n", i + 1 < nlines ? ", \\" : "");
    return 0;
}

int ntr_plot_script(FILE *f, const ntr_fig_spec *spec, const char *terminal, const char *ext,
                    const ntr_fig_line *lines, size_t nlines, ntr_error *err)
{
    char name[256];
    snprintf(name, sizeof name, "%s.dat", spec->name);
    script_head(f, spec, terminal, ext, name);
    if (put_title(f, spec, err) != 0)
        return -1;
    if (set_text(f, "xlabel",
                 spec->xlabel ? spec->xlabel
                              : "k + 1   (iteration k, shifted by one so that k = 0 shows)",
                 err) != 0 ||
        set_text(f, "ylabel", spec->ylabel, err) != 0)
        return -1;
    key_and_ranges(f, spec, nlines);
    fprintf(f, "data = '%s'\n", name);
    fprintf(f, "plot \\\n");
    for (size_t i = 0; i < nlines; i++)
        if (plot_line(f, spec, lines, nlines, i, err) != 0)
            return -1;
    return 0;
}

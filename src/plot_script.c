/* plot_script.c: writing the gnuplot script of a band figure (see plot_script.h). */
#include "plot_script.h"

#include <stdlib.h>
#include <string.h>

#include "gnuplot.h"

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

/* gnuplot column expression that drops values a log axis cannot show. */
static void positive(FILE *f, int col)
{
    fprintf(f, "($%d > 0 ? $%d : NaN)", col, col);
}

int ntr_plot_script(FILE *f, const ntr_fig_spec *spec, const char *terminal, const char *ext,
                    const ntr_fig_line *lines, size_t nlines, ntr_error *err)
{
    char name[256], label[LABEL_MAX + 1];
    snprintf(name, sizeof name, "%s.dat", spec->name);
    fprintf(f, "# %s.gp: %s, drawn from %s by ntr %s.\n", spec->name, spec->title, name,
            NTR_VERSION);
    fprintf(f, "# Redraw from this folder with: gnuplot %s.gp\n", spec->name);
    fprintf(f, "# Data blocks of %s: one per group; columns k, k+1, n, median, q10, q90.\n",
            name);
    fprintf(f, "%s\n", terminal);
    fprintf(f, "if (!exists('ntr_output')) ntr_output = '%s.%s'\n", spec->name, ext);
    fprintf(f, "set output ntr_output\n");
    fprintf(f, "set logscale xy\n");
    fprintf(f, "set grid xtics ytics mxtics mytics lw 0.5 lc rgb '#dddddd'\n");
    if (set_text(f, "title", spec->title, err) != 0 ||
        set_text(f, "xlabel", "k + 1   (iteration k, shifted by one so that k = 0 shows)",
                 err) != 0 ||
        set_text(f, "ylabel", spec->ylabel, err) != 0)
        return -1;
    /* Up to 3 lines fit in the empty top right corner of a decreasing
     * curve; more go below the axes, where long labels have room. */
    if (nlines > 3)
        fprintf(f, "set key below horizontal Left reverse nobox maxcols %d\n",
                nlines > 8 ? 3 : 2);
    else
        fprintf(f, "set key inside top right Left reverse box opaque\n");
    fprintf(f, "set autoscale xfix\n");
    fprintf(f, "set style fill transparent solid 0.2 noborder\n");
    fprintf(f, "data = '%s'\n", name);
    fprintf(f, "plot \\\n");
    for (size_t i = 0; i < nlines; i++) {
        size_t lt = lines[i].group % 8 + 1, dt = lines[i].group / 8 % 5 + 1;
        fprintf(f, "  data index %zu using 2:", i);
        positive(f, 5);
        fputc(':', f);
        positive(f, 6);
        fprintf(f, " with filledcurves lt %zu notitle, \\\n", lt);
        fprintf(f, "  data index %zu using 2:", i);
        positive(f, 4);
        fprintf(f, " with lines lt %zu dt %zu lw 2 title ", lt, dt);
        if (nlines == 1 && strcmp(lines[i].label, "all") == 0) {
            snprintf(label, sizeof label, "median over %zu seed%s, band 10%%-90%%",
                     lines[i].ncells, lines[i].ncells == 1 ? "" : "s");
        } else {
            key_label(lines[i].label, label, sizeof label);
        }
        if (ntr_gp_put_string(f, label, err) != 0)
            return -1;
        fprintf(f, "%s\n", i + 1 < nlines ? ", \\" : "");
    }
    return 0;
}

/* plot_lines.c: the lines of a figure from summary.csv (see plot_lines.h). */
#include "plot/plot_lines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/gnuplot.h"

size_t ntr_summary_axes(const ntr_table *summary, const char **axes, size_t max)
{
    long rep = ntr_table_find(summary, "replicate"), st = ntr_table_find(summary, "status");
    size_t n = 0;
    if (rep < 0 || st < 0)
        return 0;
    for (long c = rep + 1; c < st && n < max; c++)
        axes[n++] = ntr_table_name(summary, (size_t)c);
    return n;
}

/* "method.norm" -> "norm" */
static const char *short_key(const char *key)
{
    const char *dot = strrchr(key, '.');
    return dot ? dot + 1 : key;
}

/* A distinct-text list: the index of s, added when new. */
static size_t index_of(const char **list, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    list[*n] = s;
    return (*n)++;
}

static int add_line(ntr_plot_lines *out, const char *label, size_t color, size_t nrows)
{
    ntr_plot_line *l = &out->line[out->n++];
    ntr_gp_sanitize(label, l->label, sizeof l->label);
    l->color = color;
    l->ncells = 0;
    l->rows = malloc((nrows ? nrows : 1) * sizeof *l->rows);
    return l->rows ? 0 : -1;
}

static void append(char *buf, size_t size, const char *key, const char *val)
{
    size_t used = strlen(buf);
    snprintf(buf + used, size - used, "%s%s=%s", used ? " " : "", short_key(key), val);
}

/* Unknown key: the message lists the swept keys. */
static int unknown_key(const ntr_table *s, const char *what, const char *key, ntr_error *err)
{
    const char *axes[NTR_PLOT_MAX_AXES];
    size_t na = ntr_summary_axes(s, axes, NTR_PLOT_MAX_AXES);
    char list[600] = "";
    size_t used = 0;
    for (size_t i = 0; i < na && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", axes[i]);
    return ntr_fail(err, NTR_E_INPUT,
                    "%s %s: no such column in summary.csv (swept keys: %s; any setting column "
                    "such as method.name also works)",
                    what, key, na ? list : "none");
}

/* The columns that decide a summary row's line. */
typedef struct line_keys {
    const ntr_table *t;
    const char *axes[NTR_PLOT_MAX_AXES]; /* the swept keys */
    size_t na;
    const char *exclude;                 /* the x axis's key, or NULL */
    int by_keys;                         /* --hue or --style given */
    long hcol, scol, gcol;               /* hue, style and group columns (-1: none) */
} line_keys;

/* The hue and style columns: those asked for, else from the sweep (hue
 * the first swept key, style the next); their names into out. */
static int choose_keys(const ntr_table *summary, const char *hue, const char *style,
                       const char *exclude, line_keys *k, ntr_plot_lines *out, ntr_error *err)
{
    k->t = summary;
    k->na = ntr_summary_axes(summary, k->axes, NTR_PLOT_MAX_AXES);
    k->exclude = exclude;
    k->by_keys = hue || style;
    k->hcol = k->scol = -1;
    if (hue && (k->hcol = ntr_table_find(summary, hue)) < 0)
        return unknown_key(summary, "--hue", hue, err);
    if (style && (k->scol = ntr_table_find(summary, style)) < 0)
        return unknown_key(summary, "--style", style, err);
    for (size_t i = 0; i < k->na && k->hcol < 0; i++)
        if (!exclude || strcmp(k->axes[i], exclude) != 0)
            k->hcol = ntr_table_find(summary, k->axes[i]);
    for (size_t i = 0; k->by_keys && i < k->na && k->scol < 0; i++) {
        long c = ntr_table_find(summary, k->axes[i]);
        if (c != k->hcol)
            k->scol = c;
    }
    snprintf(out->hue, sizeof out->hue, "%s",
             k->hcol >= 0 ? ntr_table_name(summary, (size_t)k->hcol) : "");
    snprintf(out->style, sizeof out->style, "%s",
             k->scol >= 0 ? ntr_table_name(summary, (size_t)k->scol) : "");
    k->gcol = ntr_table_find(summary, "group");
    return 0;
}

/* Row r's line: its identity and its label (each of size bytes). */
static void line_identity(const line_keys *k, const ntr_plot_lines *out, size_t r, char *id,
                          char *label, size_t size)
{
    const ntr_table *t = k->t;
    id[0] = label[0] = '\0';
    if (k->by_keys) {
        append(id, size, out->hue, k->hcol >= 0 ? ntr_table_str(t, r, (size_t)k->hcol) : "");
        if (k->scol >= 0)
            append(id, size, out->style, ntr_table_str(t, r, (size_t)k->scol));
        snprintf(label, size, "%s", id);
    } else if (k->exclude) {
        for (size_t i = 0; i < k->na; i++)
            if (strcmp(k->axes[i], k->exclude) != 0)
                append(id, size, k->axes[i],
                       ntr_table_str(t, r, (size_t)ntr_table_find(t, k->axes[i])));
        snprintf(label, size, "%s", id[0] ? id : "all");
    } else {
        snprintf(id, size, "%s", k->gcol >= 0 ? ntr_table_str(t, r, (size_t)k->gcol) : "all");
        snprintf(label, size, "%s", id);
    }
}

/* Every row into its line (out->line, in order of first appearance), a
 * color per hue value and a dash per line of that color; -1 when out of
 * memory. */
static int group_rows(const line_keys *k, size_t rows, ntr_plot_lines *out)
{
    const ntr_table *t = k->t;
    const char **hues = malloc((rows ? rows : 1) * sizeof *hues);
    const char **ids = malloc((rows ? rows : 1) * sizeof *ids);
    char **idtext = calloc(rows ? rows : 1, sizeof *idtext);
    size_t *per_color = calloc(rows ? rows : 1, sizeof *per_color);
    out->line = calloc(rows ? rows : 1, sizeof *out->line);
    int rc = hues && ids && idtext && per_color && out->line ? 0 : -1;
    size_t nh = 0, nid = 0;
    for (size_t r = 0; rc == 0 && r < rows; r++) {
        char id[1024], label[1024];
        line_identity(k, out, r, id, label, sizeof id);
        size_t before = nid;
        size_t li = index_of(ids, &nid, id);
        if (li == before) { /* a new line */
            idtext[li] = strdup(id);
            ids[li] = idtext[li];
            const char *hv = k->hcol >= 0 ? ntr_table_str(t, r, (size_t)k->hcol) : "";
            size_t color = index_of(hues, &nh, hv);
            if (!idtext[li] || add_line(out, label, color, rows) != 0) {
                rc = -1;
                break;
            }
            out->line[li].dash = per_color[color]++;
        }
        out->line[li].rows[out->line[li].ncells++] = r;
    }
    for (size_t i = 0; i < nid; i++)
        free(idtext[i]);
    free(idtext);
    free(hues);
    free(ids);
    free(per_color);
    return rc;
}

/* By hue and style: a dash per style value instead of per line. */
static int dash_by_style(const line_keys *k, size_t rows, ntr_plot_lines *out)
{
    const char **styles = malloc((rows ? rows : 1) * sizeof *styles);
    size_t ns = 0;
    if (!styles)
        return -1;
    for (size_t li = 0; li < out->n; li++)
        out->line[li].dash =
            index_of(styles, &ns, ntr_table_str(k->t, out->line[li].rows[0], (size_t)k->scol));
    free(styles);
    return 0;
}

/* The swept keys that vary inside a line, into out->pooled. */
static void note_pooled(const line_keys *k, ntr_plot_lines *out)
{
    for (size_t i = 0; i < k->na; i++) {
        long c = ntr_table_find(k->t, k->axes[i]);
        if (c == k->hcol || c == k->scol)
            continue;
        int varies = 0;
        for (size_t li = 0; li < out->n && !varies; li++)
            for (size_t j = 1; j < out->line[li].ncells && !varies; j++)
                varies = strcmp(ntr_table_str(k->t, out->line[li].rows[j], (size_t)c),
                                ntr_table_str(k->t, out->line[li].rows[0], (size_t)c)) != 0;
        if (varies) {
            size_t used = strlen(out->pooled);
            snprintf(out->pooled + used, sizeof out->pooled - used, "%s%s", used ? ", " : "",
                     k->axes[i]);
        }
    }
}

int ntr_plot_lines_build(const ntr_table *summary, const char *hue, const char *style,
                         const char *exclude, ntr_plot_lines *out, ntr_error *err)
{
    memset(out, 0, sizeof *out);
    size_t rows = ntr_table_rows(summary);
    line_keys k;
    if (choose_keys(summary, hue, style, exclude, &k, out, err) != 0)
        return -1;
    int rc = group_rows(&k, rows, out);
    if (rc == 0 && k.by_keys && k.scol >= 0 && rows > 0)
        rc = dash_by_style(&k, rows, out);
    if (rc == 0 && k.by_keys)
        note_pooled(&k, out);
    if (rc != 0) {
        ntr_plot_lines_free(out);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory choosing the lines of a figure");
    }
    return 0;
}

void ntr_plot_lines_free(ntr_plot_lines *l)
{
    for (size_t i = 0; l->line && i < l->n; i++)
        free(l->line[i].rows);
    free(l->line);
    memset(l, 0, sizeof *l);
}

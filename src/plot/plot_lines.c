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

int ntr_plot_lines_build(const ntr_table *summary, const char *hue, const char *style,
                         const char *exclude, ntr_plot_lines *out, ntr_error *err)
{
    memset(out, 0, sizeof *out);
    size_t rows = ntr_table_rows(summary);
    const char *axes[NTR_PLOT_MAX_AXES];
    size_t na = ntr_summary_axes(summary, axes, NTR_PLOT_MAX_AXES);
    int by_keys = hue || style;
    long hcol = -1, scol = -1;
    if (hue && (hcol = ntr_table_find(summary, hue)) < 0)
        return unknown_key(summary, "--hue", hue, err);
    if (style && (scol = ntr_table_find(summary, style)) < 0)
        return unknown_key(summary, "--style", style, err);
    /* defaults from the sweep: hue the first swept key, style the next */
    for (size_t i = 0; i < na && hcol < 0; i++)
        if (!exclude || strcmp(axes[i], exclude) != 0)
            hcol = ntr_table_find(summary, axes[i]);
    for (size_t i = 0; by_keys && i < na && scol < 0; i++) {
        long c = ntr_table_find(summary, axes[i]);
        if (c != hcol)
            scol = c;
    }
    snprintf(out->hue, sizeof out->hue, "%s", hcol >= 0 ? ntr_table_name(summary, (size_t)hcol) : "");
    snprintf(out->style, sizeof out->style, "%s",
             scol >= 0 ? ntr_table_name(summary, (size_t)scol) : "");
    long gcol = ntr_table_find(summary, "group");
    const char **hues = malloc((rows ? rows : 1) * sizeof *hues);
    const char **ids = malloc((rows ? rows : 1) * sizeof *ids);
    char **idtext = calloc(rows ? rows : 1, sizeof *idtext);
    size_t *per_color = calloc(rows ? rows : 1, sizeof *per_color);
    out->line = calloc(rows ? rows : 1, sizeof *out->line);
    int rc = hues && ids && idtext && per_color && out->line ? 0 : -1;
    size_t nh = 0, nid = 0;
    for (size_t r = 0; rc == 0 && r < rows; r++) {
        /* the line's identity and label */
        char id[1024] = "", label[1024] = "";
        if (by_keys) {
            append(id, sizeof id, out->hue, hcol >= 0 ? ntr_table_str(summary, r, (size_t)hcol) : "");
            if (scol >= 0)
                append(id, sizeof id, out->style, ntr_table_str(summary, r, (size_t)scol));
            snprintf(label, sizeof label, "%s", id);
        } else if (exclude) {
            for (size_t i = 0; i < na; i++)
                if (strcmp(axes[i], exclude) != 0)
                    append(id, sizeof id, axes[i],
                           ntr_table_str(summary, r, (size_t)ntr_table_find(summary, axes[i])));
            snprintf(label, sizeof label, "%s", id[0] ? id : "all");
        } else {
            snprintf(id, sizeof id, "%s", gcol >= 0 ? ntr_table_str(summary, r, (size_t)gcol) : "all");
            snprintf(label, sizeof label, "%s", id);
        }
        size_t before = nid;
        size_t li = index_of(ids, &nid, id);
        if (li == before) { /* a new line */
            idtext[li] = strdup(id);
            ids[li] = idtext[li];
            const char *hv = hcol >= 0 ? ntr_table_str(summary, r, (size_t)hcol) : "";
            size_t color = index_of(hues, &nh, hv);
            if (!idtext[li] || add_line(out, label, color, rows) != 0) {
                rc = -1;
                break;
            }
            out->line[li].dash = per_color[color]++;
        }
        out->line[li].rows[out->line[li].ncells++] = r;
    }
    /* by hue and style: a dash per style value instead of per line */
    if (rc == 0 && by_keys && scol >= 0 && rows > 0) {
        const char **styles = malloc((rows ? rows : 1) * sizeof *styles);
        size_t ns = 0;
        rc = styles ? 0 : -1;
        for (size_t li = 0; rc == 0 && li < out->n; li++)
            out->line[li].dash =
                index_of(styles, &ns, ntr_table_str(summary, out->line[li].rows[0], (size_t)scol));
        free(styles);
    }
    /* the swept keys that vary inside a line */
    for (size_t i = 0; rc == 0 && by_keys && i < na; i++) {
        long c = ntr_table_find(summary, axes[i]);
        if (c == hcol || c == scol)
            continue;
        int varies = 0;
        for (size_t li = 0; li < out->n && !varies; li++)
            for (size_t k = 1; k < out->line[li].ncells && !varies; k++)
                varies = strcmp(ntr_table_str(summary, out->line[li].rows[k], (size_t)c),
                                ntr_table_str(summary, out->line[li].rows[0], (size_t)c)) != 0;
        if (varies) {
            size_t used = strlen(out->pooled);
            snprintf(out->pooled + used, sizeof out->pooled - used, "%s%s", used ? ", " : "",
                     axes[i]);
        }
    }
    for (size_t i = 0; i < nid; i++)
        free(idtext[i]);
    free(idtext);
    free(hues);
    free(ids);
    free(per_color);
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

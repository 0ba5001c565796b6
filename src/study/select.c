/* select.c: choosing groups of a result folder by their settings (see
 * select.h). */
#include "study/select.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *ntr_select_value(const ntr_table *summary, const ntr_node *config, size_t row,
                             const char *key)
{
    long c = ntr_table_find(summary, key);
    if (c >= 0)
        return ntr_table_str(summary, row, (size_t)c);
    const ntr_node *n = ntr_node_path(config, key);
    return n && n->kind == NTR_NODE_SCALAR ? n->text : NULL;
}

/* Equal as numbers when both are numbers, else as text. */
static int same_value(const char *a, const char *b)
{
    char *ea, *eb;
    double x = strtod(a, &ea), y = strtod(b, &eb);
    if (ea != a && !*ea && eb != b && !*eb)
        return x == y || fabs(x - y) <= 1e-12 * fmax(fabs(x), fabs(y));
    return strcmp(a, b) == 0;
}

int ntr_select_matches(const ntr_table *summary, const ntr_node *config, size_t row,
                       const ntr_node *sel)
{
    for (size_t i = 0; sel && i < sel->n; i++) {
        const char *v = ntr_select_value(summary, config, row, sel->keys[i]);
        if (!v || !same_value(v, sel->items[i]->text))
            return 0;
    }
    return 1;
}

double ntr_select_number(const char *text)
{
    if (!text)
        return NAN;
    if (!strcmp(text, "true") || !strcmp(text, "false"))
        return text[0] == 't';
    const char *p = text;
    while (*p == ' ')
        p++;
    if (*p != '[') {
        char *end;
        double x = strtod(p, &end);
        return end != p && *end == '\0' ? x : NAN;
    }
    double prod = 1.0;
    int any = 0;
    p++;
    for (;;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == ']')
            return any ? prod : NAN;
        char *end;
        double x = strtod(p, &end);
        if (end == p)
            return NAN;
        prod *= x;
        any = 1;
        p = end;
    }
}

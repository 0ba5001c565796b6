/* yaml_emit.c: config subtrees and strings as YAML text (see yaml_emit.h). */
#include "config/yaml_emit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int needs_quotes(const char *s)
{
    if (!s[0] || s[0] == ' ' || s[strlen(s) - 1] == ' ')
        return 1;
    if (strchr("-?:,[]{}#&*!|>'\"%@`~", s[0]))
        return 1;
    for (const char *p = s; *p; p++) {
        if (*p == '#' || *p == '\n' || *p == '\t' || (unsigned char)*p < 0x20)
            return 1;
        if ((*p == ':' || *p == ',' || *p == '[' || *p == ']' || *p == '{' || *p == '}'))
            return 1;
    }
    char *end;
    strtod(s, &end);
    if (end != s && *end == '\0')
        return 1; /* a string that reads as a number */
    static const char *const special[] = {"true", "false", "yes", "no",  "on",
                                          "off",  "null",  "True", "False", NULL};
    for (int i = 0; special[i]; i++)
        if (!strcmp(s, special[i]))
            return 1;
    return 0;
}

void ntr_yaml_emit_string(FILE *f, const char *s)
{
    if (!needs_quotes(s)) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p < 0x20)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

void ntr_yaml_emit_flow(FILE *f, const ntr_node *n)
{
    switch (n->kind) {
    case NTR_NODE_SCALAR:
        /* A plain scalar stays plain (numbers, booleans, names); a quoted
         * one stays a string. */
        if (!n->quoted && n->text[0] && !strpbrk(n->text, ",[]{}#\n\"'") &&
            !strstr(n->text, ": "))
            fputs(n->text, f);
        else
            ntr_yaml_emit_string(f, n->text);
        break;
    case NTR_NODE_SEQ:
        fputc('[', f);
        for (size_t i = 0; i < n->n; i++) {
            if (i)
                fputs(", ", f);
            ntr_yaml_emit_flow(f, n->items[i]);
        }
        fputc(']', f);
        break;
    case NTR_NODE_MAP:
        fputc('{', f);
        for (size_t i = 0; i < n->n; i++) {
            if (i)
                fputs(", ", f);
            ntr_yaml_emit_string(f, n->keys[i]);
            fputs(": ", f);
            ntr_yaml_emit_flow(f, n->items[i]);
        }
        fputc('}', f);
        break;
    }
}

char *ntr_yaml_flow_string(const ntr_node *n)
{
    char *txt = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&txt, &len);
    if (!f)
        return NULL;
    ntr_yaml_emit_flow(f, n);
    fclose(f);
    return txt;
}

void ntr_yaml_number_text(double v, char *buf)
{
    if (v == floor(v) && fabs(v) < 9e15)
        snprintf(buf, NTR_YAML_NUMBER_CHARS, "%.0f", v);
    else
        snprintf(buf, NTR_YAML_NUMBER_CHARS, "%.17g", v);
}

ntr_node *ntr_yaml_number_node(double v, ntr_pos pos)
{
    char text[NTR_YAML_NUMBER_CHARS];
    ntr_yaml_number_text(v, text);
    return ntr_node_scalar(text, pos, 0);
}

/* error.c: filling, printing and reading ntr_error (see error.h; the
 * accessors are public, in ntr/ntr.h). */
#include "base/error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void set_msg(ntr_error *err, const char *fmt, va_list ap)
{
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int (ntr_fail)(ntr_error *err, ntr_error_kind kind, const char *fmt, ...)
{
    if (!err)
        return -1;
    err->kind = kind;
    err->file[0] = '\0';
    err->line = err->col = 0;
    va_list ap;
    va_start(ap, fmt);
    set_msg(err, fmt, ap);
    va_end(ap);
    return -1;
}

int (ntr_fail_at)(ntr_error *err, ntr_pos pos, const char *fmt, ...)
{
    if (!err)
        return -1;
    err->kind = NTR_E_INPUT;
    if (pos.file) {
        snprintf(err->file, sizeof err->file, "%s", pos.file);
        err->line = pos.line;
        err->col = pos.col;
    } else {
        err->file[0] = '\0';
        err->line = err->col = 0;
    }
    va_list ap;
    va_start(ap, fmt);
    set_msg(err, fmt, ap);
    va_end(ap);
    return -1;
}

/* Length of the UTF-8 sequence at s and its code point, or 0 when the
 * bytes are not well-formed UTF-8 (overlong forms and surrogates too). */
static int utf8_decode(const unsigned char *s, unsigned long *cp)
{
    int len;
    unsigned long c, min;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    } else if ((s[0] & 0xe0) == 0xc0) {
        len = 2, c = s[0] & 0x1f, min = 0x80;
    } else if ((s[0] & 0xf0) == 0xe0) {
        len = 3, c = s[0] & 0x0f, min = 0x800;
    } else if ((s[0] & 0xf8) == 0xf0) {
        len = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

/* Code points shown as \u{...}: C1 controls, zero-width and bidirectional
 * formatting characters, the byte-order mark. */
static int invisible(unsigned long c)
{
    return (c >= 0x80 && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) ||
           (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) || c == 0xfeff;
}

static int escape_one(FILE *out, const unsigned char *p, int *used)
{
    unsigned long c;
    int len = utf8_decode(p, &c);
    *used = len ? len : 1;
    if (len == 0) {
        if (out)
            fprintf(out, "\\x%02X", p[0]);
        return 1;
    }
    if (c < 0x20 || c == 0x7f) {
        if (out)
            fprintf(out, c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : "\\x%02X",
                    (unsigned)c);
        return 1;
    }
    if (invisible(c)) {
        if (out)
            fprintf(out, "\\u{%04lX}", c);
        return 1;
    }
    if (out)
        fwrite(p, 1, (size_t)len, out);
    return 0;
}

void ntr_print_escaped(FILE *out, const char *s)
{
    int used;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += used)
        escape_one(out, p, &used);
}

int ntr_needs_escape(const char *s)
{
    int used;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += used)
        if (escape_one(NULL, p, &used))
            return 1;
    return 0;
}

void ntr_error_print(const ntr_error *err, const char *prog, FILE *out)
{
    ntr_print_escaped(out, err->file[0] ? err->file : prog);
    if (err->file[0] && err->line > 0)
        fprintf(out, ":%d:%d", err->line, err->col);
    fputs(": ", out);
    ntr_print_escaped(out, err->msg);
    fputc('\n', out);
}

int ntr_error_exit_code(const ntr_error *err)
{
    return err->kind == NTR_E_INPUT ? 2 : err->kind == NTR_E_INTERRUPTED ? 3 : 1;
}

/* ---- the public accessors (ntr/ntr.h) -------------------------------------- */

ntr_error *ntr_error_new(void) { return calloc(1, sizeof(ntr_error)); }

void ntr_error_free(ntr_error *err) { free(err); }

ntr_error_kind ntr_error_get_kind(const ntr_error *err) { return err->kind; }

const char *ntr_error_message(const ntr_error *err) { return err->msg; }

const char *ntr_error_file(const ntr_error *err) { return err->file; }

int ntr_error_line(const ntr_error *err) { return err->line; }

int ntr_error_column(const ntr_error *err) { return err->col; }

/* error.c: filling and printing ntr_error (see error.h). */
#include "error.h"

#include <stdarg.h>
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

void ntr_error_print(const ntr_error *err, const char *prog, FILE *out)
{
    if (err->file[0] && err->line > 0)
        fprintf(out, "%s:%d:%d: %s\n", err->file, err->line, err->col, err->msg);
    else if (err->file[0])
        fprintf(out, "%s: %s\n", err->file, err->msg);
    else
        fprintf(out, "%s: %s\n", prog, err->msg);
}

int ntr_error_exit_code(const ntr_error *err)
{
    return err->kind == NTR_E_INPUT ? 2 : 1;
}

/* error.h: the one error type every layer fills and returns upward.
 *
 * A function that can fail returns 0 on success and -1 on failure, after
 * filling an ntr_error with a message and, where the fault has a place in an
 * input file, its file, line and column. Only the command-line front ends
 * print errors (ntr_error_print) and choose exit codes (ntr_error.kind). */
#ifndef NTR_ERROR_H
#define NTR_ERROR_H

#include <stdio.h>

#include "ntr/ntr.h" /* ntr_error_kind, ntr_pos, ntr_fail, ntr_fail_at, the accessors */

/* The error itself (opaque outside ntr). */
struct ntr_error {
    ntr_error_kind kind;
    char file[256];
    int line, col; /* 0 when there is no position */
    char msg[768];
};

/* Print "file:line:col: msg" (or "prog: msg" without a position) and a
 * newline, escaped with ntr_print_escaped: one line whatever the message
 * quotes (bytes of a binary data file, a name with a newline). */
void ntr_error_print(const ntr_error *err, const char *prog, FILE *out);

/* Write s with what a terminal would act on or hide made visible: control
 * characters as \n, \t, \r or \xNN, bytes that are not UTF-8 as \xNN,
 * and the invisible or reordering code points (C1 controls, zero-width
 * and bidirectional controls such as U+202E) as \u{202E}. */
void ntr_print_escaped(FILE *out, const char *s);

/* 1 when s holds something ntr_print_escaped would escape. */
int ntr_needs_escape(const char *s);

#ifdef __clang_analyzer__
/* For the static analyzer (make lint), which sees one file at a time: a
 * failure always returns -1, so a caller's "if (f(...) != 0) return" path
 * never continues with unset outputs.  error.c defines the functions with
 * parenthesised names, which these macros leave alone. */
#define ntr_fail(...) (ntr_fail(__VA_ARGS__), -1)
#define ntr_fail_at(...) (ntr_fail_at(__VA_ARGS__), -1)
#endif

#endif

/* gnuplot.h: running gnuplot safely on a script, and quoting text for it.
 *
 * Figures are drawn by writing a .gp script (kept beside the figure so the
 * user can edit and re-run it) and running gnuplot on it.  gnuplot is started
 * with fork + execvp and an argument list, never through a shell; its stderr
 * is captured and becomes the error message when it fails.
 *
 * Every piece of text that goes into a script (file names, titles) goes
 * through ntr_gp_quote / ntr_gp_put_string: a gnuplot single-quoted string,
 * where only a single quote is special (it is doubled).  Double-quoted
 * strings are never used, because gnuplot expands backquotes (command
 * substitution) and backslash escapes inside them. */
#ifndef NTR_GNUPLOT_H
#define NTR_GNUPLOT_H

#include <stddef.h>
#include <stdio.h>

#include "base/error.h"

/* The program run when none is given. */
#define NTR_GNUPLOT_DEFAULT "gnuplot"

/* 1 when program (NULL: "gnuplot"; a name is looked up in PATH like execvp
 * does, a name with a '/' is used as is) exists and is executable. */
int ntr_gnuplot_available(const char *program);

/* Write s as a gnuplot single-quoted string literal ('it''s') into buf
 * (NUL-terminated).  Fails when buf is too small or s holds a newline, a
 * carriage return or another control character that would end or corrupt
 * a script line. */
int ntr_gp_quote(const char *s, char *buf, size_t size, ntr_error *err);

/* The same, written to f.  Nothing is written when s is refused. */
int ntr_gp_put_string(FILE *f, const char *s, ntr_error *err);

/* Copy s to buf, replacing control characters by spaces, so that any label
 * (a group name from a config, say) can be quoted. */
void ntr_gp_sanitize(const char *s, char *buf, size_t size);

/* The "set terminal ..." line (without newline) and file extension ("png")
 * for a figure format: png, pdf or svg.  Anything else is an input error. */
int ntr_gp_terminal(const char *format, const char **terminal, const char **ext,
                    ntr_error *err);

/* Run `program [-e pre_command] script` with the working directory dir
 * (NULL: unchanged), stdin and stdout on /dev/null, stderr captured.
 * program NULL means "gnuplot".  Fails (NTR_E_IO) when the program cannot be
 * started, is killed, or exits non-zero; the message holds the start of what
 * gnuplot wrote on stderr.
 *
 * Interrupts: SIGINT, SIGTERM and SIGHUP are blocked while gnuplot runs and
 * watched (signalfd).  When one arrives, gnuplot is ended (SIGTERM, then
 * SIGKILL after half a second) and the call fails with NTR_E_INTERRUPTED,
 * the signal left pending; with one already pending, gnuplot is not
 * started.  A caller that blocks these signals across all its figures thus
 * stops at the first, and its handler runs once it unblocks them. */
int ntr_gnuplot_run(const char *program, const char *dir, const char *pre_command,
                    const char *script, ntr_error *err);

/* Run program (NULL: "gnuplot") on NAME.gp in the folder plots, drawing
 * NAME.ext through a temporary name renamed on success (the script writes
 * to the gnuplot variable ntr_output, which is set to that name first).
 * The stop signals are held until the temporary is renamed or removed, so
 * an interrupt never leaves one behind. */
int ntr_gnuplot_draw(const char *program, const char *plots, const char *name, const char *ext,
                     ntr_error *err);

#endif

/* textbuf.h: building a line of text in a fixed buffer, piece by piece
 * (the studies' verdict and check lines). */
#ifndef NTR_TEXTBUF_H
#define NTR_TEXTBUF_H

#include <stddef.h>

/* Append printf-formatted text at buf + used (buf holds size bytes, always
 * NUL-terminated while used < size) and return the new length; text that
 * does not fit is cut, and once used >= size nothing more is written.
 * The returned length counts what would have been written, so a caller
 * chaining calls can tell that the line was cut (result >= size). */
size_t ntr_appendf(char *buf, size_t size, size_t used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif

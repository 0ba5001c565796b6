/* textbuf.c: appending formatted text to a fixed buffer (see textbuf.h). */
#include "base/textbuf.h"

#include <stdarg.h>
#include <stdio.h>

size_t ntr_appendf(char *buf, size_t size, size_t used, const char *fmt, ...)
{
    if (used >= size)
        return used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
    return n < 0 ? used : used + (size_t)n;
}

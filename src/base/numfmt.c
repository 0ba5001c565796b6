/* numfmt.c: shortest round-trip number text (see numfmt.h).
 *
 * The p-digit rounding of v (printf %.*g) reads back to v for every p from
 * the shortest such p on (a (p+1)-digit rounding is at least as close to v
 * as the p-digit one, which is also a (p+1)-digit decimal), and p = 17
 * always does: a search over p finds the shortest.  Computed values mostly
 * need 16 or 17 digits, so 16 and 15 are tried first, then a binary search
 * below. */
#include "base/numfmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int reads_back(char *buf, int p, double v)
{
    snprintf(buf, NTR_NUM_CHARS, "%.*g", p, v);
    return strtod(buf, NULL) == v;
}

/* %g writes a whole number of 1 to 16 digits beyond its precision with an
 * exponent (10000 as 1e+04): write those as plain integers. */
static int plain(char *buf, int len, double v)
{
    const char *e = strchr(buf, 'e');
    if (!e)
        return len;
    long exp = strtol(e + 1, NULL, 10);
    if (exp < 0 || exp > 16)
        return len;
    return snprintf(buf, NTR_NUM_CHARS, "%.0f", v);
}

int ntr_fmt_double(char *buf, double v)
{
    if (isnan(v))
        return snprintf(buf, NTR_NUM_CHARS, "nan");
    if (isinf(v))
        return snprintf(buf, NTR_NUM_CHARS, v > 0 ? "inf" : "-inf");
    if (!reads_back(buf, 16, v))
        return plain(buf, snprintf(buf, NTR_NUM_CHARS, "%.17g", v), v);
    if (!reads_back(buf, 15, v))
        return plain(buf, snprintf(buf, NTR_NUM_CHARS, "%.16g", v), v);
    int lo = 1, hi = 15;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (reads_back(buf, mid, v))
            hi = mid;
        else
            lo = mid + 1;
    }
    return plain(buf, snprintf(buf, NTR_NUM_CHARS, "%.*g", lo, v), v);
}

void ntr_csv_double(FILE *f, double v)
{
    char buf[NTR_NUM_CHARS];
    if (isnan(v))
        return;
    ntr_fmt_double(buf, v);
    fputs(buf, f);
}

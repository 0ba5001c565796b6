/* node_scalar.c: reading a node as a number, an integer in a range, a flag
 * or a string, with an error at the node's position when it is not one
 * (see node.h).  Numbers are read in plain decimal only. */
#include "base/node.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_name(const ntr_node *n)
{
    return n->kind == NTR_NODE_MAP ? "a mapping" : n->kind == NTR_NODE_SEQ ? "a list" : "a scalar";
}

/* Numbers are written in decimal: an optional sign, digits with an
 * optional fraction, an optional exponent ("1e-3", "-0.5", ".5", "2.").
 * A leading zero before another digit ("017", which YAML 1.1 reads as
 * octal and other readers as 17), hexadecimal ("0x10"), octal or binary
 * prefixes, digit separators and the words inf and nan are refused rather
 * than read one way or another.  Returns 0 for a well-formed number text. */
static int decimal_number(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t int_digits = strspn(p, "0123456789");
    if (int_digits > 1 && p[0] == '0')
        return -1;
    p += int_digits;
    size_t frac_digits = 0;
    if (*p == '.') {
        p++;
        frac_digits = strspn(p, "0123456789");
        p += frac_digits;
    }
    if (int_digits + frac_digits == 0)
        return -1;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        size_t exp_digits = strspn(p, "0123456789");
        if (exp_digits == 0)
            return -1;
        p += exp_digits;
    }
    return *p == '\0' ? 0 : -1;
}

/* 1 when s is an optional sign and decimal digits only. */
static int integer_text(const char *s)
{
    const char *p = s + (*s == '+' || *s == '-');
    return *p && strspn(p, "0123456789") == strlen(p);
}

int ntr_node_as_double(const ntr_node *n, const char *what, double *out, ntr_error *err)
{
    if (n->kind != NTR_NODE_SCALAR || n->quoted)
        return ntr_fail_at(err, n->pos, "%s must be a number, not %s", what,
                           n->kind == NTR_NODE_SCALAR ? "a quoted string" : kind_name(n));
    const char *s = n->text;
    if (decimal_number(s) != 0) {
        const char *digits = s + (*s == '+' || *s == '-');
        if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X' || digits[1] == 'o' ||
                                 digits[1] == 'b' || (digits[1] >= '0' && digits[1] <= '9')))
            return ntr_fail_at(err, n->pos,
                               "%s: write numbers in decimal without leading zeros, not '%s' "
                               "(hexadecimal, octal and 017-style numbers are not read)",
                               what, s);
        return ntr_fail_at(err, n->pos, "%s must be a number, not '%s'", what, s);
    }
    errno = 0;
    double v = strtod(s, NULL);
    /* Every decimal text gives a number; too large or too small for a
     * double (strtod: ERANGE) is out of range, whatever the key's range. */
    if (!isfinite(v) || (errno == ERANGE && (v == 0.0 || fabs(v) < DBL_MIN)))
        return ntr_fail_at(err, n->pos,
                           "%s = %s is out of range: a number other than 0 must be between "
                           "%.17g and %.17g in magnitude",
                           what, s, DBL_MIN, DBL_MAX);
    *out = v;
    return 0;
}

int ntr_node_as_long_in(const ntr_node *n, const char *what, long lo, long hi, long *out,
                        ntr_error *err)
{
    double v;
    if (ntr_node_as_double(n, what, &v, err) != 0)
        return -1;
    long w;
    if (integer_text(n->text)) {
        /* exact, also beyond 2^53 */
        errno = 0;
        long long ll = strtoll(n->text, NULL, 10);
        if (errno == ERANGE || ll < lo || ll > hi)
            return ntr_fail_at(err, n->pos, "%s = %s is out of range [%ld, %ld]", what, n->text,
                               lo, hi);
        w = (long)ll;
    } else {
        if (v != floor(v))
            return ntr_fail_at(err, n->pos, "%s must be a whole number, not '%s'", what, n->text);
        if (v < (double)lo || v > (double)hi || fabs(v) > 9007199254740992.0)
            return ntr_fail_at(err, n->pos, "%s = %s is out of range [%ld, %ld]", what, n->text,
                               lo, hi);
        w = (long)v;
    }
    *out = w;
    return 0;
}

int ntr_node_as_long(const ntr_node *n, const char *what, long *out, ntr_error *err)
{
    return ntr_node_as_long_in(n, what, LONG_MIN, LONG_MAX, out, err);
}

int ntr_node_as_bool(const ntr_node *n, const char *what, int *out, ntr_error *err)
{
    if (n->kind == NTR_NODE_SCALAR && !n->quoted) {
        const char *s = n->text;
        if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "yes") || !strcmp(s, "on")) {
            *out = 1;
            return 0;
        }
        if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "no") || !strcmp(s, "off")) {
            *out = 0;
            return 0;
        }
    }
    return ntr_fail_at(err, n->pos, "%s must be true or false, not %s%s%s", what,
                       n->kind == NTR_NODE_SCALAR ? "'" : "",
                       n->kind == NTR_NODE_SCALAR ? n->text : kind_name(n),
                       n->kind == NTR_NODE_SCALAR ? "'" : "");
}

int ntr_node_as_string(const ntr_node *n, const char *what, const char **out, ntr_error *err)
{
    if (n->kind != NTR_NODE_SCALAR)
        return ntr_fail_at(err, n->pos, "%s must be a string, not %s", what, kind_name(n));
    *out = n->text;
    return 0;
}

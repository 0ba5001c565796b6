/* limits.c: default limits and byte sizes in text (see limits.h). */
#include "config/limits.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

ntr_limits ntr_limits_default(void)
{
    ntr_limits l = {NTR_DEFAULT_MAX_MEMORY, NTR_DEFAULT_MAX_DISK, NTR_DEFAULT_MAX_DATA};
    return l;
}

int ntr_size_parse(const char *text, double *bytes)
{
    if (!text || !*text)
        return -1;
    if (strcasecmp(text, "none") == 0) {
        *bytes = 0.0;
        return 0;
    }
    if (*text < '0' || *text > '9')
        return -1;
    char *end;
    double v = strtod(text, &end);
    if (end == text || !isfinite(v) || v < 0)
        return -1;
    static const char units[] = "KMGTP";
    double scale = 1.0;
    if (*end) {
        const char *u = strchr(units, *end >= 'a' ? *end - 'a' + 'A' : *end);
        if (!u)
            return -1;
        scale = pow(1024.0, (double)(u - units + 1));
        end++;
        if (strcasecmp(end, "iB") == 0 || strcasecmp(end, "B") == 0)
            end += strlen(end);
    }
    if (*end)
        return -1;
    *bytes = v * scale;
    return isfinite(*bytes) ? 0 : -1;
}

void ntr_size_format(double bytes, char *buf, size_t size)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (!(bytes >= 1024.0)) {
        snprintf(buf, size, "%.0f bytes", bytes);
        return;
    }
    int u = 0; /* bytes >= 1024 here: at least KiB */
    bytes /= 1024.0;
    while (bytes >= 1024.0 && u < 5) {
        bytes /= 1024.0;
        u++;
    }
    snprintf(buf, size, bytes < 10.0 ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

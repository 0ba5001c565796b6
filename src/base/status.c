/* status.c: the status names and their parsing (see status.h). */
#include "base/status.h"

#include <string.h>

const char *const ntr_status_names[NTR_STATUS_COUNT] = {
    "done", "target", "diverged", "not_reached", "step_failed", "interrupted", "pending"};

int ntr_status_parse(const char *name, ntr_status *out)
{
    if (!name)
        return -1;
    for (int i = 0; i < NTR_STATUS_COUNT; i++)
        if (strcmp(name, ntr_status_names[i]) == 0) {
            *out = (ntr_status)i;
            return 0;
        }
    if (strcmp(name, "budget") == 0) { /* the name before not_reached */
        *out = NTR_STATUS_NOT_REACHED;
        return 0;
    }
    return -1;
}

int ntr_status_is_final(ntr_status s)
{
    return s == NTR_STATUS_DONE || s == NTR_STATUS_TARGET || s == NTR_STATUS_DIVERGED ||
           s == NTR_STATUS_NOT_REACHED || s == NTR_STATUS_STEP_FAILED;
}

const char *ntr_status_canonical(const char *name)
{
    ntr_status s;
    return ntr_status_parse(name, &s) == 0 ? ntr_status_names[s] : name;
}

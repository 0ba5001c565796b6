/* schedule_spec.c: the schedule types' names and whether a schedule reads
 * the iteration budget K (see schedule_spec.h); evaluating eta_k is
 * run/schedule.c. */
#include "config/schedule_spec.h"

#include <ctype.h>

const char *const ntr_schedule_names[] = {"constant", "cosine", "inverse_sqrt", "linear", "expr",
                                          NULL};

/* 1 when the identifier K appears in an expression (not as part of a
 * longer name such as "Kappa" or "k"). */
static int mentions_K(const char *e)
{
    for (const char *c = e; *c; c++) {
        if (*c != 'K')
            continue;
        int before = c > e && (isalnum((unsigned char)c[-1]) || c[-1] == '_');
        int after = isalnum((unsigned char)c[1]) || c[1] == '_';
        if (!before && !after)
            return 1;
    }
    return 0;
}

int ntr_schedule_uses_budget(const ntr_schedule_spec *spec)
{
    switch (spec->type) {
    case NTR_SCHED_COSINE:
    case NTR_SCHED_LINEAR:
        return 1;
    case NTR_SCHED_EXPR:
        return mentions_K(spec->expr);
    case NTR_SCHED_CONSTANT:
    case NTR_SCHED_INVERSE_SQRT:
        break;
    }
    return 0;
}

/* registry.c: looking names up in a registry (see registry.h). */
#include "base/registry.h"

#include <stdio.h>
#include <string.h>

#include "base/node.h"

int ntr_registry_index(const char *const *names, const char *name)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int ntr_registry_find(const char *const *names, const char *name, const char *what, ntr_pos pos,
                      ntr_error *err)
{
    int i = ntr_registry_index(names, name);
    if (i >= 0)
        return i;
    const char *near = ntr_nearest(name, names);
    char list[512] = "";
    size_t used = 0;
    for (size_t j = 0; names[j] && used < sizeof list; j++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "", names[j]);
    if (near)
        return ntr_fail_at(err, pos, "unknown %s '%s' (did you mean '%s'? known: %s)", what, name,
                           near, list);
    return ntr_fail_at(err, pos, "unknown %s '%s' (known: %s)", what, name, list);
}

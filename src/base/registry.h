/* registry.h: finding a name in a registry, with the "did you mean" of an
 * unknown one, written once for every registry.
 *
 * A registry is a NULL-terminated array of pointers to type objects that
 * each have a `name` (problems, norms, methods, noise types, studies).
 * NTR_REGISTRY_NAMES copies the names into a NULL-terminated array;
 * ntr_registry_find looks a name up in such an array, and an unknown name is
 * an input error at its position:
 *     unknown norm 'spectal' (did you mean 'spectral'? known: euclidean, ...)
 * Each registry wraps it in a typed ntr_X_find (see norms/norm.h). */
#ifndef NTR_REGISTRY_H
#define NTR_REGISTRY_H

#include <stddef.h>

#include "base/error.h"

#define NTR_REGISTRY_MAX 64 /* entries a registry may hold */

/* names[i] = types[i]->name for every entry, then NULL (at most
 * NTR_REGISTRY_MAX - 1 names: names has NTR_REGISTRY_MAX slots). */
#define NTR_REGISTRY_NAMES(types, names)                                                      \
    do {                                                                                      \
        size_t ntr_n_ = 0;                                                                    \
        for (; (types)[ntr_n_] && ntr_n_ + 1 < NTR_REGISTRY_MAX; ntr_n_++)                    \
            (names)[ntr_n_] = (types)[ntr_n_]->name;                                          \
        (names)[ntr_n_] = NULL;                                                               \
    } while (0)

/* The index of name in names (NULL-terminated); -1 when absent. */
int ntr_registry_index(const char *const *names, const char *name);

/* The index of name in names; an unknown name fails at pos, naming the
 * nearest known one and listing them all ("unknown WHAT 'NAME' ..."). */
int ntr_registry_find(const char *const *names, const char *name, const char *what, ntr_pos pos,
                      ntr_error *err);

#endif

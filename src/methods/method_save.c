/* method_save.c: a method's whole state as bytes and back (method.h), for
 * continuing a run with a larger budget (run/run_state.c), which never sees
 * the state itself.
 *
 * The bytes, native-endian: five u64 (the step count, whether m_0 was
 * sampled, dim, the number of the type's vectors, whether x_{k-1} is kept
 * for extrapolation), then those vectors of dim doubles in the order of the
 * type's vecs list, then x_{k-1}. */
#include "methods/method_impl.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

enum { HEADER_WORDS = 5 };

void ntr_method_save(const ntr_method *m, FILE *f)
{
    int nvec = ntr_method_type_nvec(m->type);
    const uint64_t head[HEADER_WORDS] = {(uint64_t)m->k, (uint64_t)m->m0_sampled, m->dim,
                                         (uint64_t)nvec, m->x_prev != NULL};
    fwrite(head, sizeof *head, HEADER_WORDS, f);
    for (int i = 0; i < nvec; i++)
        fwrite(ntr_method_state_vec(m, i), sizeof(double), m->dim, f);
    if (m->x_prev)
        fwrite(m->x_prev, sizeof(double), m->dim, f);
}

int ntr_method_restore(ntr_method *m, const void *p, size_t n)
{
    int nvec = ntr_method_type_nvec(m->type);
    size_t nv = (size_t)nvec + (m->x_prev != NULL);
    uint64_t head[HEADER_WORDS];
    if (n != sizeof head + nv * m->dim * sizeof(double))
        return -1;
    memcpy(head, p, sizeof head);
    if (head[1] > 1 || head[2] != m->dim || head[3] != (uint64_t)nvec ||
        head[4] != (m->x_prev != NULL) || head[0] > (uint64_t)LONG_MAX)
        return -1;
    const char *at = (const char *)p + sizeof head;
    size_t bytes = m->dim * sizeof(double);
    for (int i = 0; i < nvec; i++, at += bytes)
        memcpy(ntr_method_state_vec(m, i), at, bytes);
    if (m->x_prev)
        memcpy(m->x_prev, at, bytes);
    m->k = (long)head[0];
    m->m0_sampled = (int)head[1];
    return 0;
}

/* registry.c: the studies ntr knows, one line X(NAME) each for a study
 * whose files (src/study/NAME/) define `const ntr_study_type
 * ntr_study_NAME` (see study.h); the list both declares each type and puts
 * it in the table, in --list order. */
#include "study/study.h"
#include "base/registry.h"

#include <string.h>

#define NTR_STUDY_LIST(X) \
    X(rate)             \
    X(compare)          \
    X(batch)            \
    X(extrapolation)    \
    X(tuned)            \
    /* one line per type above; the list ends here */

#define DECLARE(name) extern const ntr_study_type ntr_study_##name;
#define ENTRY(name) &ntr_study_##name,
NTR_STUDY_LIST(DECLARE)

const ntr_study_type *const ntr_study_types[] = {NTR_STUDY_LIST(ENTRY) NULL};

const ntr_study_type *ntr_study_lookup(const char *name)
{
    const char *names[NTR_REGISTRY_MAX];
    NTR_REGISTRY_NAMES(ntr_study_types, names);
    int i = ntr_registry_index(names, name);
    return i < 0 ? NULL : ntr_study_types[i];
}

int ntr_study_find(const char *name, const char *what, ntr_pos pos, const ntr_study_type **out,
                    ntr_error *err)
{
    const char *names[NTR_REGISTRY_MAX];
    NTR_REGISTRY_NAMES(ntr_study_types, names);
    int i = ntr_registry_find(names, name, what, pos, err);
    if (i < 0)
        return -1;
    *out = ntr_study_types[i];
    return 0;
}

int ntr_study_reports(struct ntr_report *r, const char *result_dir, ntr_error *err)
{
    for (size_t i = 0; ntr_study_types[i]; i++)
        if (ntr_study_types[i]->report && ntr_study_types[i]->report(r, result_dir, err) != 0)
            return -1;
    return 0;
}

int ntr_study_of(const ntr_node *study, const ntr_study_type **out, ntr_error *err)
{
    if (study->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, study->pos, "study must be a mapping {type: NAME, ...} (ntr-run --list studies)");
    const ntr_node *t = ntr_node_get(study, "type");
    if (!t)
        return ntr_fail_at(err, study->pos, "study needs a type");
    const char *names[16];
    size_t n = 0;
    for (size_t i = 0; ntr_study_types[i] && n < 15; i++)
        names[n++] = ntr_study_types[i]->name;
    names[n] = NULL;
    int idx;
    ntr_kv kv = {study, "study", NULL};
    if (ntr_kv_choice(&kv, "type", names, 0, &idx, err) != 0)
        return -1;
    *out = ntr_study_types[idx];
    return 0;
}

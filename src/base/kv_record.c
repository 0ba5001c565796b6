/* kv_record.c: recording what the key readers read (see kv_record.h). */
#include "base/kv_record.h"

#include <stdint.h>
#include <string.h>

ntr_kv ntr_kv_recording(ntr_kv_record *r, const char *section)
{
    memset(r, 0, sizeof *r);
    snprintf(r->section, sizeof r->section, "%c%s", NTR_KV_RECORD_MARK, section);
    ntr_kv kv = {NULL, r->section, NULL};
    return kv;
}

ntr_kv_record *ntr_kv_record_of(const ntr_kv *kv)
{
    if (!kv->section || kv->section[0] != NTR_KV_RECORD_MARK)
        return NULL;
    /* the section is the first member of a (non-const) record */
    return (ntr_kv_record *)(uintptr_t)kv->section;
}

ntr_kv_entry *ntr_kv_record_entry(ntr_kv_record *r, const char *key)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->e[i].key, key) == 0)
            return &r->e[i];
    if (r->n == NTR_KV_RECORD_MAX)
        return NULL;
    ntr_kv_entry *e = &r->e[r->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->key, sizeof e->key, "%s", key);
    return e;
}

void ntr_kv_docs(const ntr_kv *kv, const char *const *pairs)
{
    ntr_kv_record *rec = ntr_kv_record_of(kv);
    for (int i = 0; rec && pairs[i] && pairs[i + 1]; i += 2) {
        ntr_kv_entry *e = ntr_kv_record_entry(rec, pairs[i]);
        if (e)
            snprintf(e->meaning, sizeof e->meaning, "%s", pairs[i + 1]);
    }
}

void ntr_kv_note(const ntr_kv *kv, const char *key, const char *kind, const char *def)
{
    ntr_kv_record *rec = ntr_kv_record_of(kv);
    if (!rec)
        return;
    ntr_kv_entry *e = ntr_kv_record_entry(rec, key);
    if (!e || e->kind[0]) /* the first read of a key says it */
        return;
    snprintf(e->kind, sizeof e->kind, "%s", kind);
    snprintf(e->def, sizeof e->def, "%s", def ? def : "");
}

/* kv_record.h: what a reader of config keys reads, recorded: the keys,
 * their kinds, defaults, ranges and meanings (`ntr-run --describe`).
 *
 * A problem's create() (and any reader of an ntr_kv) documents its keys
 * with ntr_kv_docs() and reads them with the ntr_kv_* readers.  Normally
 * both only read; on a view made by ntr_kv_recording(), every reader also
 * notes the key, its kind, its default and its range, and ntr_kv_docs
 * notes the meanings, so that `ntr-run --describe NAME` runs create() on
 * an empty section and prints what it read: always what the code does.
 *
 * The view stays the three-field ntr_kv every reader knows: a recording
 * view's section name is the record's first member, a text starting with
 * the byte NTR_KV_RECORD_MARK, which no config section name holds. */
#ifndef NTR_KV_RECORD_H
#define NTR_KV_RECORD_H

#include <stdio.h>

#include "base/node.h"

#define NTR_KV_RECORD_MAX 48

typedef struct ntr_kv_entry {
    char key[64];
    char kind[96];      /* "number in [1, 1e+12]", "whole number in [1, 16777216]", ... */
    char def[96];       /* the default as text; "" when none */
    char meaning[240];
} ntr_kv_entry;

#define NTR_KV_RECORD_MARK '\x1e'

typedef struct ntr_kv_record {
    char section[32];   /* first: NTR_KV_RECORD_MARK, then the section's name */
    int n;
    ntr_kv_entry e[NTR_KV_RECORD_MAX];
} ntr_kv_record;

/* An empty view over no keys (every key takes its default) that records
 * into r; section names it in the record ("problem"). */
ntr_kv ntr_kv_recording(ntr_kv_record *r, const char *section);

/* The record behind a view, NULL for an ordinary view. */
ntr_kv_record *ntr_kv_record_of(const ntr_kv *kv);

/* The entry of key (added when new); NULL when the record is full. */
ntr_kv_entry *ntr_kv_record_entry(ntr_kv_record *r, const char *key);

/* Called by the ntr_kv_* readers (node.c): note a key read. */
void ntr_kv_note(const ntr_kv *kv, const char *key, const char *kind, const char *def);

#endif

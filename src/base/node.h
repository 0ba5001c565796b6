/* node.h: the parsed configuration tree and typed reads from it.
 *
 * The YAML loader turns a file into a tree of nodes (scalars, sequences,
 * mappings), each remembering where it came from, so that any later check
 * can point at file:line:column.  Sweeps, --set overrides and theory rules
 * edit copies of this tree; the typed settings are read from it at the end.
 *
 * The ntr_kv_* readers are the "already parsed key/value view" that a
 * problem receives: a problem validates its own keys with them and never
 * sees the loader. */
#ifndef NTR_NODE_H
#define NTR_NODE_H

#include <stddef.h>

#include "base/error.h" /* and ntr/ntr.h: the public ntr_kv readers */

typedef enum { NTR_NODE_SCALAR, NTR_NODE_SEQ, NTR_NODE_MAP } ntr_node_kind;

typedef struct ntr_node ntr_node;
struct ntr_node {
    ntr_node_kind kind;
    ntr_pos pos;     /* where the value starts */
    char *text;      /* scalar text (NULL for seq/map) */
    int quoted;      /* scalar was quoted: always a string */
    size_t n;        /* number of items / pairs */
    ntr_node **items;/* values */
    char **keys;     /* map keys (NULL for seq) */
    ntr_pos *key_pos;/* map key positions */
};

/* Construction (the loader, overrides and tests use these). */
ntr_node *ntr_node_scalar(const char *text, ntr_pos pos, int quoted);
ntr_node *ntr_node_seq(ntr_pos pos);
ntr_node *ntr_node_map(ntr_pos pos);
int ntr_node_push(ntr_node *seq, ntr_node *item);                 /* -1: no memory */
int ntr_node_put(ntr_node *map, const char *key, ntr_pos key_pos, ntr_node *val);
ntr_node *ntr_node_clone(const ntr_node *n);
void ntr_node_free(ntr_node *n);

/* Lookup in a map; NULL when absent or not a map. */
ntr_node *ntr_node_get(const ntr_node *map, const char *key);
/* Index of key in a map, or -1. */
long ntr_node_find(const ntr_node *map, const char *key);
/* Replace or add map[key] = val (val is owned afterwards; old value freed). */
int ntr_node_set(ntr_node *map, const char *key, ntr_pos key_pos, ntr_node *val);
/* Remove map[key] if present. */
void ntr_node_remove(ntr_node *map, const char *key);
/* Follow a dotted path ("method.lmo.solver"); NULL if any part is absent. */
ntr_node *ntr_node_path(const ntr_node *root, const char *path);
/* Set a dotted path, creating intermediate maps; error if a part is a non-map. */
int ntr_node_set_path(ntr_node *root, const char *path, ntr_node *val, ntr_error *err);

/* Scalar conversions with positioned errors.  what names the key for messages.
 * Numbers are decimal (1e-3, -0.5); leading zeros (017), hexadecimal and
 * the words inf/nan are refused; a number too large or too small for a
 * double is "out of range" with the range. */
int ntr_node_as_double(const ntr_node *n, const char *what, double *out, ntr_error *err);
int ntr_node_as_long(const ntr_node *n, const char *what, long *out, ntr_error *err);
/* A whole number in [lo, hi]; outside: "out of range [lo, hi]". */
int ntr_node_as_long_in(const ntr_node *n, const char *what, long lo, long hi, long *out,
                        ntr_error *err);
int ntr_node_as_bool(const ntr_node *n, const char *what, int *out, ntr_error *err);
int ntr_node_as_string(const ntr_node *n, const char *what, const char **out, ntr_error *err);

/* The closest of candidates (NULL-terminated) to word by edit distance, or
 * NULL when none is close enough to be a plausible typo. */
const char *ntr_nearest(const char *word, const char *const *candidates);

/* ---- key/value view for problems ---------------------------------------- */

/* The view a problem receives (opaque outside ntr; its readers ntr_kv_* are
 * public, in ntr/ntr.h): a map node plus the section name used in messages
 * ("problem") and the folder relative paths start from. */
struct ntr_kv {
    const ntr_node *map; /* may be NULL: every key takes its default */
    const char *section;
    const char *base_dir;/* folder of the config file: relative paths start here */
};

/* Document keys for `ntr-run --describe`: pairs key, meaning, ..., NULL.
 * A problem's create() calls it first; it reads nothing and costs nothing
 * on an ordinary view (see kv_record.h). */
void ntr_kv_docs(const ntr_kv *kv, const char *const *pairs);

/* Fail on any key not in allowed (NULL-terminated), naming the nearest one. */
int ntr_kv_check_keys(const ntr_kv *kv, const char *const *allowed, ntr_error *err);

#endif

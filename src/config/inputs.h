/* inputs.h: the files a cell reads, each with its content hash.
 *
 * A cell's identity is its resolved settings plus the content of every file
 * it reads (data files, an initial point, a plug-in's library), so that an
 * edited file makes new cells instead of mixing old and new results in one
 * folder.  The mechanism has two halves:
 *
 *  - while settings are read, every key whose value names a file is
 *    recorded in the settings' ntr_inputs list (ntr_inputs_add): its dotted
 *    key and its value node (the path as written, with its position).
 *    Problem types declare such keys in ntr_problem_type.file_keys; any
 *    other reader (init.file, a plug-in loader) calls ntr_inputs_add.
 *  - the plan then hashes each input (ntr_file_table_hash): every distinct
 *    file is read once per plan, refused when it is not a regular file or
 *    is larger than the data-file limit, and its XXH64 goes into the input
 *    (16 hex digits).  The cell's hash covers these content hashes, and the
 *    result folder's config.yaml lists them (`inputs:`), so that resuming
 *    or collecting with a changed file is an error naming that file.
 *
 * Paths are resolved against the settings' base_dir (the config's folder,
 * or `data_dir:` when given). */
#ifndef NTR_INPUTS_H
#define NTR_INPUTS_H

#include <stddef.h>

#include "base/node.h"

#define NTR_MAX_INPUTS 8

typedef struct ntr_input {
    char key[48];          /* dotted config key: "problem.A", "init.file" */
    const ntr_node *value; /* the path as written (borrowed from the config tree) */
    char hash[17];         /* XXH64 of the content, 16 hex digits; "" until hashed */
    long long bytes;       /* file size when hashed */
} ntr_input;

typedef struct ntr_inputs {
    int n;
    ntr_input item[NTR_MAX_INPUTS];
} ntr_inputs;

/* Record that the key (dotted) names a file, given by the scalar value. */
int ntr_inputs_add(ntr_inputs *in, const char *key, const ntr_node *value, ntr_error *err);

/* The path of an input resolved against base_dir into buf. */
int ntr_input_path(const ntr_input *in, const char *base_dir, char *buf, size_t size,
                   ntr_error *err);

/* Each distinct file hashed once (a plan reads a data file for every cell). */
typedef struct ntr_file_entry {
    char *path;            /* as resolved */
    char hash[17];
    long long bytes;
} ntr_file_entry;

typedef struct ntr_file_table {
    size_t n, cap;
    ntr_file_entry *e;
    double max_bytes;      /* data-file limit (bytes); <= 0: none */
} ntr_file_table;

/* Hash the file at path (cached per path): a regular file of at most
 * t->max_bytes bytes.  Errors are input errors at pos, starting "key: ". */
int ntr_file_table_hash(ntr_file_table *t, const char *path, const char *key, ntr_pos pos,
                        char hash[17], long long *bytes, ntr_error *err);
/* Hash every input of a list (base_dir resolves their paths). */
int ntr_inputs_hash(ntr_inputs *in, const char *base_dir, ntr_file_table *t, ntr_error *err);
void ntr_file_table_free(ntr_file_table *t);

#endif

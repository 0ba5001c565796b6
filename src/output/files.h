/* files.h: writing files so that a crash never leaves a half file.
 *
 * Everything ntr writes goes to "NAME.tmp.PID" first and is renamed over
 * NAME once complete (rename is atomic on one filesystem). */
#ifndef NTR_FILES_H
#define NTR_FILES_H

#include <stddef.h>
#include <stdio.h>

#include "base/error.h"

/* mkdir -p. */
int ntr_mkdirs(const char *path, ntr_error *err);
/* 1 if path exists (file or folder). */
int ntr_exists(const char *path);
/* Write len bytes to path atomically. */
int ntr_write_atomic(const char *path, const char *data, size_t len, ntr_error *err);
/* Read a whole file (malloc'ed, NUL-terminated); NULL and an error if absent. */
char *ntr_read_all(const char *path, size_t max, ntr_error *err);
/* The same for any content: *len receives its size (NUL bytes included). */
char *ntr_read_all_bytes(const char *path, size_t max, size_t *len, ntr_error *err);

/* A file being written: open a temporary, write through fp, then commit
 * (flush, rename) or abort (remove). */
typedef struct ntr_tmpfile {
    FILE *fp;
    char path[1100];
    char tmp[1150];
} ntr_tmpfile;

int ntr_tmpfile_open(ntr_tmpfile *t, const char *path, ntr_error *err);
int ntr_tmpfile_commit(ntr_tmpfile *t, ntr_error *err);
void ntr_tmpfile_abort(ntr_tmpfile *t);

/* snprintf into buf with a path-too-long error. */
int ntr_path(char *buf, size_t size, ntr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif

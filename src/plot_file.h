/* plot_file.h: writing result-folder files whole or not at all.
 *
 * Figures, their data and scripts, and report.md are written to a temporary
 * name beside the target and renamed over it once complete (SPEC section 3),
 * so that a crash or a failed write never leaves half a file. */
#ifndef NTR_PLOT_FILE_H
#define NTR_PLOT_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

typedef struct ntr_pfile {
    FILE *f;     /* write here */
    char *tmp;   /* the temporary name */
    char *path;  /* the final name */
} ntr_pfile;

/* Create "<path>.tmp.XXXXXX" (mode 0644) and open it for writing. */
int ntr_pfile_open(ntr_pfile *pf, const char *path, ntr_error *err);

/* Close and rename onto the final name; on any write error the temporary
 * file is removed and an NTR_E_IO error returned.  pf is released either way. */
int ntr_pfile_commit(ntr_pfile *pf, ntr_error *err);

/* Close and remove the temporary file; pf is released. */
void ntr_pfile_abort(ntr_pfile *pf);

/* Write len bytes of data as the whole file path (temporary name + rename). */
int ntr_pfile_write(const char *path, const char *data, size_t len, ntr_error *err);

/* "a/b" in a fresh malloc'ed string (NULL when out of memory). */
char *ntr_path_join(const char *a, const char *b);

/* mkdir path (0755) unless it is already a directory. */
int ntr_mkdir_p1(const char *path, ntr_error *err);

#endif

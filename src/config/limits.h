/* limits.h: the resource limits a run is checked against before anything
 * runs, and byte sizes as people write them ("512M", "8G").
 *
 * Memory: the estimate of one cell's working memory (problem data and
 * workspaces, the method's and norm's buffers) times the cells that run at
 * once (-j).  Disk: the estimate of everything the result folder will hold.
 * Data: the size of each file a config names.  Each has a default and an
 * override (ntr-run --max-memory, --max-disk, --max-data; 0 or "none"
 * lifts it). */
#ifndef NTR_LIMITS_H
#define NTR_LIMITS_H

#include <stddef.h>

#include "base/error.h"

#define NTR_DEFAULT_MAX_MEMORY (8.0 * 1073741824.0)   /* 8 GiB */
#define NTR_DEFAULT_MAX_DISK (20.0 * 1073741824.0)    /* 20 GiB */
#define NTR_DEFAULT_MAX_DATA (1.0 * 1073741824.0)     /* 1 GiB per data file */

typedef struct ntr_limits {
    double max_memory; /* bytes; <= 0: no limit */
    double max_disk;
    double max_data;
} ntr_limits;

/* The defaults above. */
ntr_limits ntr_limits_default(void);

/* "123", "64K", "512M", "8G", "2T" (powers of 1024, optional "iB"/"B"),
 * or "none"/"0" (no limit: 0).  -1 on anything else. */
int ntr_size_parse(const char *text, double *bytes);

/* "1.5 GiB", "512 MiB", "800 bytes" into buf. */
void ntr_size_format(double bytes, char *buf, size_t size);

#endif

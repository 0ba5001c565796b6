/* paths.c: the paths of a result folder's files (see paths.h). */
#include "output/paths.h"

#include "output/files.h"

int ntr_cells_path(char *buf, size_t size, ntr_error *err, const char *outdir)
{
    return ntr_path(buf, size, err, "%s/" NTR_CELLS_DIR, outdir);
}

int ntr_cell_path(char *buf, size_t size, ntr_error *err, const char *outdir, const char *hash,
                  const char *file)
{
    if (file)
        return ntr_path(buf, size, err, "%s/" NTR_CELLS_DIR "/%s/%s", outdir, hash, file);
    return ntr_path(buf, size, err, "%s/" NTR_CELLS_DIR "/%s", outdir, hash);
}

/* plot_file.c: temporary-name-and-rename file writing (see plot_file.h). */
#include "plot_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void release(ntr_pfile *pf)
{
    free(pf->tmp);
    free(pf->path);
    pf->f = NULL;
    pf->tmp = pf->path = NULL;
}

int ntr_pfile_open(ntr_pfile *pf, const char *path, ntr_error *err)
{
    pf->f = NULL;
    pf->path = strdup(path);
    pf->tmp = malloc(strlen(path) + 12);
    if (!pf->path || !pf->tmp) {
        release(pf);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    sprintf(pf->tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(pf->tmp);
    if (fd < 0) {
        int e = errno;
        release(pf);
        return ntr_fail(err, NTR_E_IO, "cannot create a file beside %s: %s", path, strerror(e));
    }
    if (fchmod(fd, 0644) != 0 || !(pf->f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        unlink(pf->tmp);
        release(pf);
        return ntr_fail(err, NTR_E_IO, "cannot write %s: %s", path, strerror(e));
    }
    return 0;
}

int ntr_pfile_commit(ntr_pfile *pf, ntr_error *err)
{
    int bad = ferror(pf->f);
    int e = bad ? EIO : 0;
    if (fclose(pf->f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(pf->tmp, pf->path) != 0) {
        bad = 1;
        e = errno;
    }
    int rc = 0;
    if (bad) {
        unlink(pf->tmp);
        rc = ntr_fail(err, NTR_E_IO, "cannot write %s: %s", pf->path, strerror(e));
    }
    release(pf);
    return rc;
}

void ntr_pfile_abort(ntr_pfile *pf)
{
    if (pf->f)
        fclose(pf->f);
    if (pf->tmp)
        unlink(pf->tmp);
    release(pf);
}

int ntr_pfile_write(const char *path, const char *data, size_t len, ntr_error *err)
{
    ntr_pfile pf;
    if (ntr_pfile_open(&pf, path, err) != 0)
        return -1;
    if (len > 0)
        fwrite(data, 1, len, pf.f);
    return ntr_pfile_commit(&pf, err);
}

char *ntr_path_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = malloc(la + lb + 2);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    size_t w = la;
    if (la > 0 && a[la - 1] != '/')
        p[w++] = '/';
    memcpy(p + w, b, lb + 1);
    return p;
}

int ntr_mkdir_p1(const char *path, ntr_error *err)
{
    if (mkdir(path, 0755) == 0)
        return 0;
    int e = errno;
    struct stat st;
    if (e == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    return ntr_fail(err, NTR_E_IO, "cannot create folder %s: %s", path, strerror(e));
}

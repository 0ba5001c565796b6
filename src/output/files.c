/* files.c: atomic file writing and small file-system helpers (see files.h). */
#include "output/files.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ntr_path(char *buf, size_t size, ntr_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size)
        return ntr_fail(err, NTR_E_IO, "path too long: %.80s...", buf);
    return 0;
}

int ntr_mkdirs(const char *path, ntr_error *err)
{
    char tmp[1100];
    if (ntr_path(tmp, sizeof tmp, err, "%s", path) != 0)
        return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
            return ntr_fail(err, NTR_E_IO, "cannot create folder %s: %s", tmp, strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
        return ntr_fail(err, NTR_E_IO, "cannot create folder %s: %s", tmp, strerror(errno));
    struct stat st;
    if (stat(tmp, &st) != 0 || !S_ISDIR(st.st_mode))
        return ntr_fail(err, NTR_E_IO, "%s exists and is not a folder", tmp);
    return 0;
}

int ntr_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int ntr_tmpfile_open(ntr_tmpfile *t, const char *path, ntr_error *err)
{
    t->fp = NULL;
    if (ntr_path(t->path, sizeof t->path, err, "%s", path) != 0 ||
        ntr_path(t->tmp, sizeof t->tmp, err, "%s.tmp.%ld", path, (long)getpid()) != 0)
        return -1;
    t->fp = fopen(t->tmp, "w");
    if (!t->fp)
        return ntr_fail(err, NTR_E_IO, "cannot write %s: %s", t->tmp, strerror(errno));
    return 0;
}

int ntr_tmpfile_commit(ntr_tmpfile *t, ntr_error *err)
{
    int bad = fflush(t->fp) != 0 || ferror(t->fp);
    int saved = errno;
    if (fclose(t->fp) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    t->fp = NULL;
    if (bad) {
        remove(t->tmp);
        return ntr_fail(err, NTR_E_IO, "cannot write %s: %s", t->path, strerror(saved));
    }
    if (rename(t->tmp, t->path) != 0) {
        saved = errno;
        remove(t->tmp);
        return ntr_fail(err, NTR_E_IO, "cannot rename into %s: %s", t->path, strerror(saved));
    }
    return 0;
}

void ntr_tmpfile_abort(ntr_tmpfile *t)
{
    if (t->fp) {
        fclose(t->fp);
        t->fp = NULL;
        remove(t->tmp);
    }
}

int ntr_write_atomic(const char *path, const char *data, size_t len, ntr_error *err)
{
    ntr_tmpfile t;
    if (ntr_tmpfile_open(&t, path, err) != 0)
        return -1;
    if (len && fwrite(data, 1, len, t.fp) != len) {
        int saved = errno;
        ntr_tmpfile_abort(&t);
        return ntr_fail(err, NTR_E_IO, "cannot write %s: %s", path, strerror(saved));
    }
    return ntr_tmpfile_commit(&t, err);
}

char *ntr_read_all(const char *path, size_t max, ntr_error *err)
{
    size_t len;
    return ntr_read_all_bytes(path, max, &len, err);
}

char *ntr_read_all_bytes(const char *path, size_t max, size_t *len_out, ntr_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ntr_fail(err, NTR_E_IO, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len + 1 >= cap) {
            if (cap > max) {
                free(buf);
                fclose(f);
                ntr_fail(err, NTR_E_IO, "%s is larger than %zu bytes", path, max);
                return NULL;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        /* buf is not NULL inside the loop */
        // cppcheck-suppress nullPointerArithmeticRedundantCheck
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    if (!buf) {
        ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        return NULL;
    }
    buf[len] = '\0';
    *len_out = len;
    return buf;
}

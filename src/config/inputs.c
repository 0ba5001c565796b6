/* inputs.c: recording the files a cell reads and hashing their content
 * (see inputs.h). */
#include "config/inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "config/limits.h"

int ntr_inputs_add(ntr_inputs *in, const char *key, const ntr_node *value, ntr_error *err)
{
    if (!value || value->kind != NTR_NODE_SCALAR)
        return ntr_fail_at(err, value ? value->pos : (ntr_pos){NULL, 0, 0},
                           "%s must be a file name", key);
    if (in->n >= NTR_MAX_INPUTS)
        return ntr_fail_at(err, value->pos, "%s: at most %d files per run", key, NTR_MAX_INPUTS);
    ntr_input *it = &in->item[in->n];
    memset(it, 0, sizeof *it);
    if (snprintf(it->key, sizeof it->key, "%s", key) >= (int)sizeof it->key)
        return ntr_fail_at(err, value->pos, "key name too long: %.60s", key);
    it->value = value;
    in->n++;
    return 0;
}

int ntr_input_path(const ntr_input *in, const char *base_dir, char *buf, size_t size,
                   ntr_error *err)
{
    const char *s = in->value->text;
    if (!s[0])
        return ntr_fail_at(err, in->value->pos, "%s: empty file name", in->key);
    int n = s[0] == '/' || !base_dir || !base_dir[0] ? snprintf(buf, size, "%s", s)
                                                     : snprintf(buf, size, "%s/%s", base_dir, s);
    if (n < 0 || (size_t)n >= size)
        return ntr_fail_at(err, in->value->pos, "%s: file name too long", in->key);
    return 0;
}

/* XXH64 of an open file's content, reading at most max + 1 bytes. */
static int hash_fd(int fd, double max, unsigned long long *h, long long *bytes)
{
    XXH64_state_t *st = XXH64_createState();
    if (!st)
        return ENOMEM;
    XXH64_reset(st, 0);
    char buf[1 << 16];
    long long total = 0;
    int rc = 0;
    for (;;) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = errno;
            break;
        }
        if (got == 0)
            break;
        total += got;
        if (max > 0 && (double)total > max) {
            rc = EFBIG;
            break;
        }
        XXH64_update(st, buf, (size_t)got);
    }
    *h = XXH64_digest(st);
    *bytes = total;
    XXH64_freeState(st);
    return rc;
}

static int too_large(const char *key, const char *path, ntr_pos pos, double bytes, double max,
                     ntr_error *err)
{
    char have[32], lim[32];
    ntr_size_format(bytes, have, sizeof have);
    ntr_size_format(max, lim, sizeof lim);
    return ntr_fail_at(err, pos,
                       "%s: %s is %s%s, above the data-file limit of %s (raise it with "
                       "--max-data SIZE)",
                       key, path, bytes > max ? "" : "more than ", have, lim);
}

int ntr_file_table_hash(ntr_file_table *t, const char *path, const char *key, ntr_pos pos,
                        char hash[17], long long *bytes, ntr_error *err)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->e[i].path, path) == 0) {
            memcpy(hash, t->e[i].hash, 17);
            *bytes = t->e[i].bytes;
            return 0;
        }
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return ntr_fail_at(err, pos, "%s: cannot open %s: %s", key, path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return ntr_fail_at(err, pos, "%s: cannot read %s: %s", key, path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return ntr_fail_at(err, pos, "%s: %s is %s, not a regular file", key, path,
                           S_ISDIR(st.st_mode)   ? "a folder"
                           : S_ISCHR(st.st_mode) ? "a character device"
                           : S_ISFIFO(st.st_mode) ? "a pipe"
                                                  : "a special file");
    }
    if (t->max_bytes > 0 && (double)st.st_size > t->max_bytes) {
        close(fd);
        return too_large(key, path, pos, (double)st.st_size, t->max_bytes, err);
    }
    unsigned long long h = 0;
    long long n = 0;
    int e = hash_fd(fd, t->max_bytes, &h, &n);
    close(fd);
    if (e == EFBIG)
        return too_large(key, path, pos, (double)n, t->max_bytes, err);
    if (e == ENOMEM)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (e)
        return ntr_fail_at(err, pos, "%s: cannot read %s: %s", key, path, strerror(e));
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 8;
        ntr_file_entry *ne = realloc(t->e, cap * sizeof *ne);
        if (!ne)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        t->e = ne;
        t->cap = cap;
    }
    ntr_file_entry *fe = &t->e[t->n];
    fe->path = strdup(path);
    if (!fe->path)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    snprintf(fe->hash, sizeof fe->hash, "%016llx", h);
    fe->bytes = n;
    t->n++;
    memcpy(hash, fe->hash, 17);
    *bytes = n;
    return 0;
}

int ntr_inputs_hash(ntr_inputs *in, const char *base_dir, ntr_file_table *t, ntr_error *err)
{
    char path[4096];
    for (int i = 0; i < in->n; i++) {
        ntr_input *it = &in->item[i];
        if (ntr_input_path(it, base_dir, path, sizeof path, err) != 0 ||
            ntr_file_table_hash(t, path, it->key, it->value->pos, it->hash, &it->bytes, err) != 0)
            return -1;
    }
    return 0;
}

void ntr_file_table_free(ntr_file_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->e[i].path);
    free(t->e);
    t->e = NULL;
    t->n = t->cap = 0;
}

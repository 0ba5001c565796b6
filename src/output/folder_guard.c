/* folder_guard.c: inspecting a result folder path and locking it (see
 * folder_guard.h). */
#include "output/folder_guard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/files.h"
#include "output/paths.h"

/* The first line of every config.yaml ntr-run writes. */
static const char config_marker[] = "# resolved by ntr-run";

static int file_starts_with(const char *path, const char *prefix)
{
    char buf[64];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strncmp(buf, prefix, strlen(prefix)) == 0;
}

/* manifest.json written by ntr: its "tool" member says so. */
static int ntr_manifest(const char *path)
{
    char *text = ntr_read_all(path, 1 << 26, NULL);
    int yes = text && strstr(text, "\"tool\": \"ntr\"") != NULL;
    free(text);
    return yes;
}

/* Entries of a folder other than . and .. and the one named except; -1
 * when it cannot be read. */
static int entries(const char *dir, const char *except, int *only_cells)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    *only_cells = 1;
    while ((e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (!strcmp(name, ".") || !strcmp(name, "..") || (except && !strcmp(name, except)))
            continue;
        n++;
        if (strcmp(name, NTR_CELLS_DIR) != 0)
            *only_cells = 0;
    }
    closedir(d);
    return n;
}

/* 1 when dir holds nothing but, possibly, .lock and an empty cells/ (what
 * a run killed right after creating the folder leaves). */
static int nearly_empty(const char *dir)
{
    int only_cells, unused;
    int n = entries(dir, ".lock", &only_cells);
    if (n == 0)
        return 1;
    if (n != 1 || !only_cells)
        return 0;
    char cells[1200];
    snprintf(cells, sizeof cells, "%s/" NTR_CELLS_DIR, dir);
    return entries(cells, NULL, &unused) == 0;
}

static int check_components(const char *dir, const char *what, ntr_error *err)
{
    size_t len = strlen(dir);
    if (len > NTR_MAX_OUTDIR)
        return ntr_fail(err, NTR_E_INPUT,
                        "%s: the path is %zu characters long; at most %d are accepted (the "
                        "files a run writes inside it must fit too)",
                        what, len, NTR_MAX_OUTDIR);
    const char *p = dir;
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n > 240)
            return ntr_fail(err, NTR_E_INPUT,
                            "%s: a folder name in the path is %zu characters long; at most 240 "
                            "are accepted",
                            what, n);
        p += n;
        p += strspn(p, "/");
    }
    return 0;
}

int ntr_folder_inspect(const char *dir, const char *what, ntr_folder_kind *kind, ntr_error *err)
{
    *kind = NTR_FOLDER_ABSENT;
    if (!dir[0])
        return ntr_fail(err, NTR_E_INPUT, "%s: empty folder name", what);
    if (check_components(dir, what, err) != 0)
        return -1;
    struct stat lst, st;
    if (lstat(dir, &lst) != 0) {
        if (errno == ENOENT)
            return 0;
        return ntr_fail(err, NTR_E_INPUT, "%s: cannot use %s: %s", what, dir, strerror(errno));
    }
    if (stat(dir, &st) != 0) {
        if (S_ISLNK(lst.st_mode) && errno == ENOENT)
            return ntr_fail(err, NTR_E_INPUT,
                            "%s: %s is a symbolic link to something that does not exist", what,
                            dir);
        return ntr_fail(err, NTR_E_INPUT, "%s: cannot use %s: %s", what, dir, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return ntr_fail(err, NTR_E_INPUT, "%s: %s exists and is not a folder", what, dir);
    char path[1200];
    snprintf(path, sizeof path, "%s/config.yaml", dir);
    if (file_starts_with(path, config_marker)) {
        *kind = NTR_FOLDER_RESULT;
        return 0;
    }
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    if (ntr_manifest(path)) {
        *kind = NTR_FOLDER_RESULT;
        return 0;
    }
    if (nearly_empty(dir)) {
        *kind = NTR_FOLDER_EMPTY;
        return 0;
    }
    return ntr_fail(err, NTR_E_INPUT,
                    "%s: %s is not empty and is not an ntr result folder (no config.yaml "
                    "written by ntr-run); ntr writes only into a new or empty folder or one of "
                    "its own: choose another folder",
                    what, dir);
}

/* ---- the lock --------------------------------------------------------- */

static int set_lock(int fd, short type, off_t start, int wait, pid_t *holder)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = 1;
    if (fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl) == 0)
        return 0;
    int e = errno;
    if (holder) {
        *holder = 0;
        struct flock q = fl;
        if ((e == EACCES || e == EAGAIN) && fcntl(fd, F_GETLK, &q) == 0 && q.l_type != F_UNLCK)
            *holder = q.l_pid;
    }
    errno = e;
    return -1;
}

int ntr_folder_lock_take(ntr_folder_lock *l, const char *dir, int shared, int wait,
                         const char *prog, ntr_error *err)
{
    char path[1200];
    l->fd = -1;
    if (ntr_path(path, sizeof path, err, "%s/.lock", dir) != 0)
        return -1;
    /* read-write for an exclusive record lock; never truncated or written */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        return ntr_fail(err, NTR_E_IO, "cannot create %s: %s", path, strerror(errno));
    short type = shared ? F_RDLCK : F_WRLCK;
    pid_t holder = 0;
    if (set_lock(fd, type, 0, 0, &holder) != 0) {
        int e = errno;
        if (e != EACCES && e != EAGAIN) {
            close(fd);
            return ntr_fail(err, NTR_E_IO, "cannot lock %s: %s", path, strerror(e));
        }
        if (!wait) {
            close(fd);
            return ntr_fail(err, NTR_E_INPUT,
                            "%s is in use by another ntr command (pid %ld)%s; wait for it to "
                            "end, or run again with --wait",
                            dir, (long)holder,
                            shared ? " that needs the whole folder" : "");
        }
        if (prog)
            fprintf(stderr, "%s: %s is in use by pid %ld; waiting for it (--wait)\n", prog, dir,
                    (long)holder);
        while (set_lock(fd, type, 0, 1, NULL) != 0) {
            e = errno;
            if (e == EINTR) {
                close(fd);
                return ntr_fail(err, NTR_E_INTERRUPTED, "interrupted while waiting for %s",
                                dir);
            }
            if (e != EDEADLK) {
                close(fd);
                return ntr_fail(err, NTR_E_IO, "cannot lock %s: %s", path, strerror(e));
            }
            sleep(1); /* EDEADLK: the kernel saw a cycle of waiters; try again */
        }
    }
    l->fd = fd;
    return 0;
}

/* The byte of a cell: from its hash, past byte 0 (the folder's). */
static off_t cell_offset(const char *hash)
{
    unsigned long long h = strtoull(hash, NULL, 16);
    return (off_t)(1 + (h & 0x3fffffffffffffffULL));
}

int ntr_folder_lock_cell(const ntr_folder_lock *l, const char *hash)
{
    if (!l || l->fd < 0)
        return 1;
    if (set_lock(l->fd, F_WRLCK, cell_offset(hash), 0, NULL) == 0)
        return 1;
    return errno == EACCES || errno == EAGAIN ? 0 : -1;
}

void ntr_folder_unlock_cell(const ntr_folder_lock *l, const char *hash)
{
    if (l && l->fd >= 0)
        (void)set_lock(l->fd, F_UNLCK, cell_offset(hash), 0, NULL);
}

void ntr_folder_lock_release(ntr_folder_lock *l)
{
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
}

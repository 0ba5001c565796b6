/* folder_guard.h: what a path given as a result folder is, and the lock that
 * keeps two commands from working on one folder at once.
 *
 * Never overwrite a user's files: a command writes only into a folder that
 * is absent, empty, or an ntr result folder (its config.yaml was written by
 * ntr-run, or its manifest.json says "tool": "ntr").  ntr_folder_inspect
 * refuses, as input errors (exit 2, before anything is written), an empty
 * path, a path too long for the files a run creates inside it, a path that
 * exists and is not a folder (a file, /dev/null), a dangling symbolic link,
 * and a non-empty folder that is not an ntr result folder (`-o /`, a home
 * folder).
 *
 * The lock: a POSIX record lock (fcntl) on DIR/.lock, a file that is
 * created once and never written, so the folder's contents stay unchanged
 * by a run that changes nothing.  Record locks rather than flock because
 * F_GETLK names the holder's pid (the message says who holds the folder)
 * and they work across the hosts of a shared file system (NFS lockd).
 *   - byte 0, exclusive: a whole-folder command (a run without --shard,
 *     --collect, --force-new, ntr-plot);
 *   - byte 0, shared: a run with --shard, so that every shard of a folder
 *     runs at once, while a whole-folder command waits for or refuses
 *     them;
 *   - one byte per cell (offset from the cell's hash), exclusive while a
 *     process runs that cell: two shard runs that would run the same cell
 *     (the same shard submitted twice, shards of different N) never do;
 *     the second skips it and leaves it pending.
 * The locks go away with the process that holds them, however it ends. */
#ifndef NTR_FOLDER_GUARD_H
#define NTR_FOLDER_GUARD_H

#include "base/error.h"

/* Longest result folder path accepted: every file a run writes inside it
 * (cells/<hash>/trajectory.csv.tmp.<pid>, plots/<figure>.tmp.XXXXXX, ...)
 * must fit the path buffers (about 1100 bytes) and the system's limits. */
#define NTR_MAX_OUTDIR 960

typedef enum {
    NTR_FOLDER_ABSENT = 0, /* nothing there: a new folder will be made */
    NTR_FOLDER_EMPTY,      /* an empty folder (or only an empty cells/ and .lock) */
    NTR_FOLDER_RESULT      /* an ntr result folder */
} ntr_folder_kind;

/* What dir is; errors as described above.  what names the option in
 * messages ("-o", "ntr-plot"). */
int ntr_folder_inspect(const char *dir, const char *what, ntr_folder_kind *kind, ntr_error *err);

typedef struct ntr_folder_lock {
    int fd; /* -1: not held */
} ntr_folder_lock;

/* Take the folder lock on dir (which must exist): shared for a shard,
 * exclusive otherwise.  Busy: with wait, block until free (printing one
 * line on stderr as program prog, none when prog is NULL; a signal ends
 * the wait as NTR_E_INTERRUPTED), else an input error naming the holder's
 * pid. */
int ntr_folder_lock_take(ntr_folder_lock *l, const char *dir, int shared, int wait,
                         const char *prog, ntr_error *err);
/* Lock one cell while running it: 1 when taken, 0 when another process
 * runs it, -1 on error.  A process without the folder lock (l->fd < 0)
 * always gets 1. */
int ntr_folder_lock_cell(const ntr_folder_lock *l, const char *hash);
void ntr_folder_unlock_cell(const ntr_folder_lock *l, const char *hash);
void ntr_folder_lock_release(ntr_folder_lock *l);

#endif

/* cell_exec.c: one cell from settings to files (see cell_exec.h). */
#include "run/cell_exec.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/cell_summary.h"
#include "output/files.h"
#include "linalg/par.h"
#include "run/cell_check.h"
#include "output/paths.h"

int ntr_cell_is_finished(const char *outdir, const ntr_cell *c)
{
    char why[300];
    return ntr_cell_inspect(outdir, c, why, sizeof why) == NTR_CELL_FINISHED;
}

/* The header and the rows with k < k_end of a CSV whose first column is k
 * (malloc'ed); *last receives the second column of the last row kept (the
 * time of timing.csv), 0 when none.  NULL when the file is unreadable or
 * holds no row k_end - 1 (it is not the file that goes with the state). */
static char *rows_before(const char *path, long k_end, double *last)
{
    ntr_error err;
    char *text = ntr_read_all(path, (size_t)1 << 34, &err);
    if (!text)
        return NULL;
    size_t used = 0;
    long last_k = -1;
    *last = 0.0;
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        if (!nl)
            break; /* a file always ends with a newline */
        size_t len = (size_t)(nl - line) + 1;
        int keep = line == text;
        if (!keep) {
            char *end;
            long k = strtol(line, &end, 10);
            keep = end != line && *end == ',' && k < k_end;
            if (keep) {
                last_k = k;
                *last = strtod(end + 1, NULL);
            }
        }
        if (keep) {
            memmove(text + used, line, len);
            used += len;
        }
        line = nl + 1;
    }
    text[used] = '\0';
    if (k_end > 0 && last_k < 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Restore the state saved in source/state.bin into run and read the rows
 * of source's trajectory.csv and timing.csv before it.  0 on success;
 * -1 leaves the run half restored (prepare it again). */
static int load_continuation(ntr_run *run, const char *source, char **traj_rows,
                             char **time_rows, ntr_error *err)
{
    char path[1200];
    long k_end;
    double t_traj, t_last;
    *traj_rows = *time_rows = NULL;
    if (ntr_path(path, sizeof path, err, "%s/state.bin", source) != 0 ||
        ntr_run_load_state(run, path, &k_end, err) != 0)
        return -1;
    if (ntr_path(path, sizeof path, err, "%s/" NTR_TRAJECTORY_CSV, source) != 0 ||
        !(*traj_rows = rows_before(path, k_end, &t_traj)) ||
        ntr_path(path, sizeof path, err, "%s/" NTR_TIMING_CSV, source) != 0 ||
        !(*time_rows = rows_before(path, k_end, &t_last))) {
        free(*traj_rows);
        *traj_rows = NULL;
        return ntr_fail(err, NTR_E_IO, "%s: no trajectory before k = %ld", source, k_end);
    }
    ntr_run_set_time_offset(run, t_last);
    return 0;
}

/* "cannot write trajectory.csv: REASON" from the runner names the file in
 * the cell's folder. */
static void name_failed_write(ntr_error *err, const char *dir)
{
    static const char prefix[] = "cannot write ";
    if (!err || ntr_error_get_kind(err) != NTR_E_IO ||
        strncmp(err->msg, prefix, sizeof prefix - 1) != 0 || strchr(err->msg, '/'))
        return;
    char msg[sizeof err->msg];
    if (snprintf(msg, sizeof msg, "%s%.400s/%.300s", prefix, dir, err->msg + sizeof prefix - 1) >
        0)
        memcpy(err->msg, msg, sizeof msg);
}

int ntr_cell_execute(const ntr_cell *c, const char *outdir, const char *source, int threads,
                     const volatile sig_atomic_t *stop, ntr_run_result *res, ntr_error *err)
{
    char dir[1100], path[1200], state[1200];
    if (ntr_cell_path(dir, sizeof dir, err, outdir, c->hash, NULL) != 0 ||
        ntr_path(state, sizeof state, err, "%s/state.bin", dir) != 0 || ntr_mkdirs(dir, err) != 0)
        return -1;
    unlink(state); /* a stale state of an earlier attempt */
    ntr_par *team = NULL;
    if (threads > 1 && ntr_par_create(threads, &team, err) != 0)
        return -1;
    ntr_run *run = NULL;
    char *traj_rows = NULL, *time_rows = NULL;
    ntr_tmpfile traj, timing;
    traj.fp = timing.fp = NULL;
    int rc = -1;
    if (ntr_run_prepare_team(&c->s, c->run_seed, c->init_seed, team, &run, err) != 0)
        goto done;
    ntr_error lerr;
    if (source && load_continuation(run, source, &traj_rows, &time_rows, &lerr) != 0) {
        /* a damaged or foreign state: run from the start instead */
        ntr_run_free(run);
        run = NULL;
        if (ntr_run_prepare_team(&c->s, c->run_seed, c->init_seed, team, &run, err) != 0)
            goto done;
    }
    if (ntr_path(path, sizeof path, err, "%s/" NTR_TRAJECTORY_CSV, dir) != 0 ||
        ntr_tmpfile_open(&traj, path, err) != 0)
        goto done;
    if (ntr_path(path, sizeof path, err, "%s/" NTR_TIMING_CSV, dir) != 0 ||
        ntr_tmpfile_open(&timing, path, err) != 0)
        goto done;
    if (traj_rows) {
        fputs(traj_rows, traj.fp);
        fputs(time_rows, timing.fp);
    }
    if (ntr_run_execute(run, traj.fp, timing.fp, stop, res, err) != 0) {
        name_failed_write(err, dir);
        goto done;
    }
    if (ntr_tmpfile_commit(&traj, err) != 0 || ntr_tmpfile_commit(&timing, err) != 0)
        goto done;
    /* the state first: summary.json marks the cell finished */
    if (c->lineage[0] && res->status != NTR_STATUS_INTERRUPTED &&
        ntr_run_save_state(run, state, err) != 0)
        goto done;
    if (ntr_path(path, sizeof path, err, "%s/" NTR_SUMMARY_JSON, dir) != 0 ||
        ntr_cell_summary_write(path, c, res, err) != 0)
        goto done;
    rc = 0;
done:
    free(traj_rows);
    free(time_rows);
    ntr_tmpfile_abort(&traj);
    ntr_tmpfile_abort(&timing);
    ntr_run_free(run);
    ntr_par_free(team);
    return rc;
}

/* cell_exec.c: one cell from settings to files (see cell_exec.h). */
#include "cell_exec.h"

#include <string.h>

#include "../output/cell_summary.h"
#include "../output/files.h"

int ntr_cell_is_finished(const char *outdir, const ntr_cell *c)
{
    char path[1200];
    ntr_cell_record r;
    ntr_error err;
    if (ntr_path(path, sizeof path, &err, "%s/cells/%s/summary.json", outdir, c->hash) != 0 ||
        ntr_cell_summary_read(path, &r, &err) != 0)
        return 0;
    return r.known && ntr_status_is_final(r.code);
}

int ntr_cell_execute(const ntr_cell *c, const char *outdir, const volatile sig_atomic_t *stop,
                     ntr_run_result *res, ntr_error *err)
{
    char dir[1100], path[1200];
    if (ntr_path(dir, sizeof dir, err, "%s/cells/%s", outdir, c->hash) != 0 ||
        ntr_mkdirs(dir, err) != 0)
        return -1;
    ntr_run *run;
    if (ntr_run_prepare(&c->s, c->run_seed, c->init_seed, &run, err) != 0)
        return -1;
    ntr_tmpfile traj, timing;
    traj.fp = timing.fp = NULL;
    int rc = -1;
    if (ntr_path(path, sizeof path, err, "%s/trajectory.csv", dir) != 0 ||
        ntr_tmpfile_open(&traj, path, err) != 0)
        goto done;
    if (ntr_path(path, sizeof path, err, "%s/timing.csv", dir) != 0 ||
        ntr_tmpfile_open(&timing, path, err) != 0)
        goto done;
    if (ntr_run_execute(run, traj.fp, timing.fp, stop, res, err) != 0)
        goto done;
    if (ntr_tmpfile_commit(&traj, err) != 0 || ntr_tmpfile_commit(&timing, err) != 0)
        goto done;
    if (ntr_path(path, sizeof path, err, "%s/summary.json", dir) != 0 ||
        ntr_cell_summary_write(path, c, res, err) != 0)
        goto done;
    rc = 0;
done:
    ntr_tmpfile_abort(&traj);
    ntr_tmpfile_abort(&timing);
    ntr_run_free(run);
    return rc;
}

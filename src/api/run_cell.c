/* run_cell.c: running one configured cell from C, the entry point of the
 * public API (ntr_run_cell in ntr/ntr.h).
 *
 * The config text becomes a plan exactly as a config file does for
 * ntr-run; a plan of more than one cell is refused.  With a result folder,
 * the cell runs through the same driver steps as `ntr-run -o DIR
 * --no-plot` (validate, open or resume the folder, run, collect), and the
 * trajectory, when asked for, is read back from the cell's
 * trajectory.csv; without one, the run writes its trajectory into memory.
 * Either way the caller gets the very rows ntr-run writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "output/cell_summary.h"
#include "output/files.h"
#include "output/manifest.h"
#include "run/driver.h"
#include "run/runner.h"
#include "run/workers.h"
#include "api/trajectory.h"
#include "output/paths.h"

/* Largest trajectory.csv read back (bytes). */
#define MAX_TRAJECTORY_TEXT ((size_t)1 << 30)

int ntr_api_version(void) { return NTR_API_VERSION; }

static int one_cell(const ntr_plan *p, ntr_error *err)
{
    if (p->ncells == 1 && !p->study)
        return 0;
    return ntr_fail_at(err, p->root->pos,
                       "ntr_run_cell runs one cell; this config describes %zu%s (a sweep, a "
                       "study or seeds > 1): run it with ntr-run",
                       p->ncells, p->study ? " in a study" : "");
}

/* The cell through the driver into out_dir, as ntr-run does. */
static int run_in_folder(const ntr_plan *p, const char *out_dir, ntr_error *err)
{
    ntr_driver_opts o;
    memset(&o, 0, sizeof o);
    o.outdir = out_dir;
    o.jobs = 1;
    o.quiet = 1;
    o.no_plot = 1;
    o.plot_format = "png";
    o.argv_line = "ntr_run_cell";
    ntr_folder_lock lock = {-1};
    o.lock = &lock;
    ntr_driver_outcome out;
    memset(&out, 0, sizeof out);
    ntr_now_iso(out.started, sizeof out.started);
    int rc = 0;
    if (ntr_driver_open_folder(p, &o, NULL, err) != 0 || ntr_driver_run_cells(p, &o, &out, err) != 0 ||
        ntr_driver_collect(p, &o, &out, err) != 0)
        rc = -1;
    else if (out.failed)
        rc = ntr_fail(err, NTR_E_NUMERIC, "%s", out.failure);
    ntr_folder_lock_release(&lock);
    free(out.verdict);
    return rc;
}

/* The trajectory of the cell from its files in out_dir. */
static ntr_trajectory *read_back(const ntr_cell *c, const char *out_dir, ntr_error *err)
{
    char path[1200];
    ntr_cell_record rec;
    if (ntr_cell_path(path, sizeof path, err, out_dir, c->hash, NTR_SUMMARY_JSON) != 0 ||
        ntr_cell_summary_read(path, &rec, err) != 0 ||
        ntr_cell_path(path, sizeof path, err, out_dir, c->hash, NTR_TRAJECTORY_CSV) != 0)
        return NULL;
    char *text = ntr_read_all(path, MAX_TRAJECTORY_TEXT, err);
    if (!text)
        return NULL;
    ntr_trajectory *t = ntr_trajectory_parse(text, rec.status, c->hash, err);
    free(text);
    return t;
}

/* The cell run in memory: no file is written. */
static ntr_trajectory *run_in_memory(const ntr_cell *c, ntr_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        return NULL;
    }
    ntr_run *run = NULL;
    ntr_run_result res;
    ntr_blas_single_thread(); /* as ntr-run: the same sums in the same order */
    int rc = ntr_run_prepare(&c->s, c->run_seed, c->init_seed, &run, err);
    if (rc == 0)
        rc = ntr_run_execute(run, f, NULL, NULL, &res, err);
    ntr_run_free(run);
    if (fclose(f) != 0 && rc == 0)
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    ntr_trajectory *t = NULL;
    if (rc == 0)
        t = ntr_trajectory_parse(text, ntr_status_names[res.status], c->hash, err);
    free(text);
    return t;
}

int ntr_run_cell_checked(int api_version, const char *config_text, const char *base_dir,
                         const char *out_dir, ntr_trajectory **traj, ntr_error *err)
{
    if (traj)
        *traj = NULL;
    if (api_version != NTR_API_VERSION)
        return ntr_fail(err, NTR_E_INPUT,
                        "ntr_run_cell: the program was built against ntr API version %d, this "
                        "library is version %d: rebuild it against the installed ntr/ntr.h",
                        api_version, NTR_API_VERSION);
    if (!config_text)
        return ntr_fail(err, NTR_E_INPUT, "ntr_run_cell: no config text");
    if (!out_dir && !traj)
        return ntr_fail(err, NTR_E_INPUT,
                        "ntr_run_cell: give a result folder, a trajectory to fill, or both");
    ntr_plan *p;
    if (ntr_plan_load_text(config_text, "config", base_dir, &p, err) != 0)
        return -1;
    int rc = -1;
    if (one_cell(p, err) == 0 && ntr_driver_validate(p, err) == 0) {
        const ntr_cell *c = &p->cells[0];
        if (!out_dir)
            rc = (*traj = run_in_memory(c, err)) ? 0 : -1;
        else if (run_in_folder(p, out_dir, err) == 0)
            rc = !traj || (*traj = read_back(c, out_dir, err)) ? 0 : -1;
    }
    ntr_plan_free(p);
    return rc;
}

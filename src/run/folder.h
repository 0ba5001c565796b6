/* folder.h: growing and shrinking an experiment in its result folder.
 *
 * A result folder holds one cell folder per cell (cells/<hash>/) and the
 * config that planned them.  Run again with another config, the folder
 * follows the new plan:
 *  - cells of the new plan already in the folder are kept (done or
 *    resumed); new cells run; a config whose cells are a superset of the
 *    folder's just grows it;
 *  - a folder cell that the new plan does not have is "dropped".  When a
 *    cell of the new plan continues it (the same cell with a larger
 *    budget.iterations: the same lineage) it is superseded and moved to
 *    aside/<hash>/ automatically; any other dropped cell is only moved
 *    there with --aside, otherwise the run is refused naming what would be
 *    dropped.  Nothing is ever deleted;
 *  - a cell of the new plan found in aside/ is moved back (a config run
 *    again after another one finds its results).
 * Continuation sources (ntr_sources) are the finished cells outside the
 * plan (in aside/ or cells/) that a pending plan cell of the same lineage
 * can go on from (cell_exec.h). */
#ifndef NTR_FOLDER_H
#define NTR_FOLDER_H

#include <stddef.h>

#include "config/plan.h"

typedef struct ntr_folder_change {
    int config_changed;    /* the stored config.yaml differed */
    char keys[600];        /* its differing keys */
    size_t folder_cells;   /* cell folders found in cells/ */
    size_t added;          /* plan cells without a folder (new) */
    size_t dropped;        /* folder cells not in the plan */
    size_t superseded;     /* of those: continued by a plan cell with a larger budget */
    size_t restored;       /* plan cells found in aside/ */
} ntr_folder_change;

/* Compare the folder with the plan (config_text: the plan's config.yaml).
 * apply = 0 only looks (for --plan); apply = 1 also moves the dropped
 * cells aside (refused, with an input error naming the differing keys and
 * the cells, when some are not superseded and allow_aside is 0), brings
 * cells back from aside/ and writes config.yaml when it changed. */
int ntr_folder_update(const ntr_plan *p, const char *outdir, const char *config_text,
                      int apply, int allow_aside, ntr_folder_change *ch, ntr_error *err);

typedef struct ntr_sources ntr_sources;

/* The finished cells outside the plan that could be continued. */
int ntr_sources_scan(const ntr_plan *p, const char *outdir, ntr_sources **out, ntr_error *err);
/* The folder a cell goes on from (the source of its lineage with the
 * largest final k not above its budget), NULL when none; *k_end its k. */
const char *ntr_sources_find(const ntr_sources *s, const ntr_cell *c, long *k_end);
void ntr_sources_free(ntr_sources *s);

#endif

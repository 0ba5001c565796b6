/* estimate.h: the memory a cell needs and the disk a result folder will
 * take, estimated from the resolved config before anything runs, and
 * checked against the limits (config/limits.h).
 *
 * Memory: the problem's data and workspaces (its estimator,
 * problems/sizes.h, from its keys and data-file sizes: the Gram matrix of
 * a least_squares with shape [100000, 1], an mlp's N x hidden activations)
 * plus the parameter's buffers (iterate, gradients, momentum, the norm's
 * SVD or Newton-Schulz work).  Disk: for every cell its trajectory,
 * timing and long-table rows (log.every against budget.iterations), its
 * summary and its saved state.  Either above its limit is an input error
 * at the key that drives it, with the estimate and the override. */
#ifndef NTR_ESTIMATE_H
#define NTR_ESTIMATE_H

#include "config/plan.h"

typedef struct ntr_memory_estimate {
    double bytes;       /* total for one cell */
    double problem;     /* of which the problem's own */
    char key[64];       /* the dotted key that drives it: "problem.samples" */
    ntr_pos pos;        /* where it is (or the section holding its default) */
} ntr_memory_estimate;

/* The estimate for one run of these settings. */
int ntr_estimate_memory(const ntr_settings *s, ntr_memory_estimate *e, ntr_error *err);

/* Refuse a cell above s->max_memory / at_once (at_once cells run at the
 * same time: -j).  No limit when s->max_memory <= 0. */
int ntr_check_memory(const ntr_settings *s, int at_once, ntr_error *err);

/* The estimated size of the plan's result folder; refused above
 * p->limits.max_disk. */
double ntr_estimate_disk(const ntr_plan *p);
int ntr_check_disk(const ntr_plan *p, ntr_error *err);
/* Before any cell is prepared: the memory of the cells that run at once
 * (jobs of them, counting only shard shard_k of shard_n when shard_n > 0;
 * each alone is checked again when it is prepared) and the size of the
 * result folder. */
int ntr_check_resources(const ntr_plan *p, int jobs, int shard_k, int shard_n, ntr_error *err);

#endif

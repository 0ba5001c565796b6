/* batch_floor.c: a setting's full-batch floor, for targets set relative to
 * it (study.target: {floor: F}, see batch.h).
 *
 * With a constant step a normalized method does not converge even with
 * exact gradients: it hovers where ||grad f|| is about L eta (and, with
 * weight decay, where the decay balances the gradient).  A target below
 * that floor is never reached whatever the batch, and a target fixed
 * across settings is far above the floor of some and near that of others,
 * which confounds the batch-size comparison (THEORY.md section 2).  The
 * floor here is the running minimum of ||grad f||_* at the end of the
 * setting's own run with exact gradients (noise.type none, the same start,
 * step, momentum, weight decay and budget): deterministic, run once per
 * setting when the plan is made, writing no file. */
#include <math.h>
#include <string.h>

#include "../run/runner.h"
#include "batch.h"

int ntr_batch_floor(const ntr_plan_builder *b, const ntr_assign *a, size_t na, ntr_pos pos,
                    double *floor_out, ntr_error *err)
{
    *floor_out = NAN;
    if (ntr_pb_base(b)->measure != NTR_MEASURE_MIN_GRAD_DUAL)
        return ntr_fail_at(err, pos, "study.target: {floor: F} needs budget.measure "
                                     "min_grad_dual (the floor is a minimum of ||grad f||_*)");
    ntr_assign all[NTR_BATCH_MAX_OVER + 2];
    ntr_node *none = ntr_node_scalar("none", pos, 0);
    if (!none)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    memcpy(all, a, na * sizeof *a);
    all[na].key = "noise.type";
    all[na].val = none;
    ntr_pb_trial t;
    int rc = ntr_pb_trial_make(b, all, na + 1, &t, err);
    ntr_node_free(none);
    if (rc != 0)
        return -1;
    ntr_run *run = NULL;
    ntr_run_result res;
    rc = ntr_run_prepare(&t.cell->s, t.cell->run_seed, t.cell->init_seed, &run, err);
    if (rc == 0)
        rc = ntr_run_execute(run, NULL, NULL, NULL, &res, err);
    ntr_run_free(run);
    ntr_pb_trial_free(&t);
    if (rc != 0)
        return -1;
    if (!(res.min_grad_dual > 0) || !isfinite(res.min_grad_dual))
        return ntr_fail_at(err, pos, "study.target: the full-batch run of a setting ended at "
                                     "||grad f||_* = %g: no floor to set a target from",
                           res.min_grad_dual);
    *floor_out = res.min_grad_dual;
    return 0;
}

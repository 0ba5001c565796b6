/* point_constants.c: a study point's theory variables (see
 * point_constants.h). */
#include "study/point_constants.h"

#include <math.h>
#include <string.h>

#include "run/runner.h"

int ntr_study_point_vars(const ntr_plan_builder *b, const ntr_assign *a, size_t na,
                         ntr_theory_vars *v, ntr_error *err)
{
    ntr_pb_trial t;
    if (ntr_pb_trial_make(b, a, na, &t, err) != 0)
        return -1;
    ntr_run *run;
    const ntr_cell *c = t.cell;
    int rc = ntr_run_prepare(&c->s, c->run_seed, c->init_seed, &run, err);
    if (rc == 0) {
        ntr_study_vars_of(ntr_run_constants(run), (double)c->s.batch, v);
        ntr_run_free(run);
    }
    ntr_pb_trial_free(&t);
    return rc;
}

void ntr_study_vars_of(const ntr_constants *k, double batch, ntr_theory_vars *v)
{
    memset(v, 0, sizeof *v);
    v->L = k->L;
    v->L2 = k->L2;
    v->rho = k->rho;
    v->D = k->D;
    v->Delta0 = k->Delta0;
    v->batch = isnan(batch) ? 1.0 : batch;
    v->sigma = k->sigma / sqrt(v->batch);
    v->d = k->d;
    v->m = k->m;
    v->n = k->n;
    v->eps = v->alpha = v->eta = NAN;
}

/* batch_floor.c: a setting's full-batch floor, for targets set relative to
 * it (study.target: {floor: F}, see batch.h).
 *
 * With a constant step a normalized method does not converge even with
 * exact gradients: it hovers where ||grad f|| is about L eta (and, with
 * weight decay, where the decay balances the gradient).  A target below
 * that floor is never reached whatever the batch, and a target fixed
 * across settings is far above the floor of some and near that of others,
 * which confounds the batch-size comparison (THEORY.md section 2).  The
 * floor here is the level the setting's own run with exact gradients
 * (noise.type none, the same start, step, momentum, weight decay and
 * budget) hovers at: the median of ||grad f||_* over its logged rows in the
 * second half of the run, logged on a linear grid of about 200 rows.  (Not its running minimum: a deterministic
 * oscillation passes close to the minimiser now and then, and a minimum
 * over many passes is far below where the iterates stay.)  Deterministic,
 * run once per setting when the plan is made; its trajectory goes to
 * memory, no file is written. */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/runner.h"
#include "study/batch/batch.h"

/* Rows of the full-batch run's trajectory (linear grid). */
enum { FLOOR_ROWS = 200 };

/* The median of grad_dual over the trajectory's rows with k >= K/2. */
static double hover_level(const char *text, double K)
{
    const char *nl = strchr(text, '\n');
    if (!nl)
        return NAN;
    int col = 0, at = -1; /* the grad_dual column of the header */
    for (const char *p = text; p < nl; p++) {
        if (p == text || p[-1] == ',') {
            if (!strncmp(p, "grad_dual", 9) && (p[9] == ',' || p + 9 == nl))
                at = col;
            col++;
        }
    }
    if (at < 0)
        return NAN;
    size_t cap = 64, n = 0;
    double *v = malloc(cap * sizeof *v);
    if (!v)
        return NAN;
    for (const char *line = nl + 1; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
        char *end;
        double k = strtod(line, &end);
        const char *p = line;
        for (int c = 0; c < at && p; c++)
            p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
        if (!p || k < K / 2)
            continue;
        if (n == cap) {
            double *w = realloc(v, 2 * cap * sizeof *v);
            if (!w)
                break;
            v = w;
            cap *= 2;
        }
        v[n++] = strtod(p, NULL);
    }
    double med = NAN;
    if (v && n > 0) {
        gsl_sort(v, 1, n);
        med = gsl_stats_median_from_sorted_data(v, 1, n);
    }
    free(v);
    return med;
}

int ntr_batch_floor(const ntr_plan_builder *b, const ntr_assign *a, size_t na, ntr_pos pos,
                    double *floor_out, ntr_error *err)
{
    *floor_out = NAN;
    if (ntr_pb_base(b)->measure != NTR_MEASURE_MIN_GRAD_DUAL)
        return ntr_fail_at(err, pos, "study.target: {floor: F} needs budget.measure "
                                     "min_grad_dual (the floor is a minimum of ||grad f||_*)");
    /* Exact gradients, logged and measured on a linear grid of about
     * FLOOR_ROWS rows, so that the median rests on ~FLOOR_ROWS/2 values
     * (the log-spaced grid gives a handful in the second half). */
    long every = ntr_pb_base(b)->iterations / FLOOR_ROWS;
    char every_text[32];
    snprintf(every_text, sizeof every_text, "%ld", every > 0 ? every : 1);
    ntr_assign all[NTR_BATCH_MAX_OVER + 4];
    ntr_node *none = ntr_node_scalar("none", pos, 0);
    ntr_node *ev = ntr_node_scalar(every_text, pos, 0);
    ntr_node *ms = ntr_node_scalar("log", pos, 0);
    if (!none || !ev || !ms) {
        ntr_node_free(none);
        ntr_node_free(ev);
        ntr_node_free(ms);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    memcpy(all, a, na * sizeof *a);
    all[na] = (ntr_assign){.key = "noise.type", .val = none};
    all[na + 1] = (ntr_assign){.key = "log.every", .val = ev};
    all[na + 2] = (ntr_assign){.key = "log.measure_every", .val = ms};
    ntr_pb_trial t;
    int rc = ntr_pb_trial_make(b, all, na + 3, &t, err);
    ntr_node_free(none);
    ntr_node_free(ev);
    ntr_node_free(ms);
    if (rc != 0)
        return -1;
    ntr_run *run = NULL;
    ntr_run_result res;
    char *text = NULL;
    size_t len = 0;
    FILE *traj = open_memstream(&text, &len);
    if (!traj)
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (rc == 0)
        rc = ntr_run_prepare(&t.cell->s, t.cell->run_seed, t.cell->init_seed, &run, err);
    if (rc == 0)
        rc = ntr_run_execute(run, traj, NULL, NULL, &res, err);
    if (traj)
        fclose(traj);
    ntr_run_free(run);
    ntr_pb_trial_free(&t);
    double fl = NAN;
    if (rc == 0)
        fl = hover_level(text, (double)res.iterations);
    free(text);
    if (rc != 0)
        return -1;
    if (!(fl > 0) || !isfinite(fl))
        return ntr_fail_at(err, pos, "study.target: the full-batch run of a setting hovers at "
                                     "||grad f||_* = %g: no floor to set a target from",
                           fl);
    *floor_out = fl;
    return 0;
}

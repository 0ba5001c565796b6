/* runner.c: prepare one run (see runner.h): its problem and data, norm,
 * method, schedule, oracle, start point, generators and every buffer, all
 * allocated here, before the loop (run_loop.c) that allocates nothing.
 *
 * grad_l2 and x_fro are the euclidean norm's value (norms/euclidean.c);
 * with one euclidean block the method's norm and its dual are that same
 * number, computed once (norm_is_l2). */
#include "run/runner.h"
#include "run/estimate.h"
#include "run/run_internal.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "linalg/linalg.h"
#include "methods/method.h"
#include "run/oracle.h"
#include "run/schedule.h"

/* Name init.file in a fault of its CSV file; a fault without a line in the
 * file (cannot open it, too few rows) points at init.file in the config. */
static int init_file_error(const ntr_settings *s, ntr_error *err)
{
    if (!err)
        return -1;
    char msg[sizeof err->msg];
    memcpy(msg, err->msg, sizeof msg);
    if (err->line == 0 && s->init_pos.file) {
        snprintf(err->file, sizeof err->file, "%s", s->init_pos.file);
        err->line = s->init_pos.line;
        err->col = s->init_pos.col;
        if (strncmp(msg, "cannot ", 7) == 0)
            snprintf(err->msg, sizeof err->msg, "init.file: %.700s", msg);
        else
            snprintf(err->msg, sizeof err->msg, "init.file: %.300s: %.400s", s->init_file, msg);
    } else {
        snprintf(err->msg, sizeof err->msg, "init.file: %.750s", msg);
    }
    if (err->kind != NTR_E_INTERNAL)
        err->kind = NTR_E_INPUT;
    return -1;
}

static int start_point(ntr_run *r, unsigned long init_seed, ntr_error *err)
{
    const ntr_settings *s = r->s;
    size_t dim = r->problem.layout.dim;
    if (s->init == NTR_INIT_ZEROS) {
        memset(r->x, 0, dim * sizeof *r->x);
    } else if (s->init == NTR_INIT_GAUSSIAN) {
        gsl_rng *ir = gsl_rng_alloc(gsl_rng_mt19937);
        if (!ir)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        gsl_rng_set(ir, init_seed);
        ntr_fill_gaussian(ir, r->x, dim, s->init_scale);
        gsl_rng_free(ir);
    } else {
        double *data;
        size_t rows, cols;
        const ntr_layout *lay = &r->problem.layout;
        size_t want_r = lay->nblocks == 1 ? lay->rows[0] : dim;
        size_t want_c = lay->nblocks == 1 ? lay->cols[0] : 1;
        if (ntr_csv_read(s->init_file, want_r, want_c, dim, &data, &rows, &cols, err) != 0)
            return init_file_error(s, err);
        memcpy(r->x, data, dim * sizeof *r->x);
        free(data);
    }
    return 0;
}

int ntr_run_prepare(const ntr_settings *s, unsigned long run_seed, unsigned long init_seed,
                    ntr_run **out, ntr_error *err)
{
    return ntr_run_prepare_team(s, run_seed, init_seed, NULL, out, err);
}

int ntr_run_prepare_team(const ntr_settings *s, unsigned long run_seed, unsigned long init_seed,
                         struct ntr_par *team, ntr_run **out, ntr_error *err)
{
    /* Nothing is allocated for a run too large for the memory limit. */
    *out = NULL;
    if (ntr_check_memory(s, 1, err) != 0)
        return -1;
    ntr_run *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    r->s = s;
    gsl_rng *data_rng = gsl_rng_alloc(gsl_rng_mt19937);
    r->rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!data_rng || !r->rng) {
        gsl_rng_free(data_rng);
        ntr_run_free(r);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    gsl_rng_set(data_rng, (unsigned long)s->data_seed);
    gsl_rng_set(r->rng, run_seed);

    ntr_problem_env env = {s->shape, s->shape_pos, data_rng};
    ntr_kv kv = {s->problem_node, "problem", s->base_dir};
    int rc = ntr_problem_create(&r->problem, s->problem, &kv, &env, err);
    gsl_rng_free(data_rng);
    if (rc != 0) {
        ntr_run_free(r);
        return -1;
    }
    r->have_problem = 1;
    const ntr_layout *lay = &r->problem.layout;
    size_t dim = lay->dim;
    ntr_lmo_opts lmo = s->lmo;
    lmo.team = team;
    if (ntr_norm_alloc(s->norm, &lmo, lay, &r->norm, err) != 0 ||
        ntr_method_alloc(s->method, &s->mopts, lay, r->norm, &r->method, err) != 0 ||
        ntr_schedule_alloc(&s->eta, s->iterations, &r->sched, err) != 0 ||
        ntr_oracle_init(&r->oracle, &r->problem, s, err) != 0) {
        ntr_run_free(r);
        return -1;
    }
    r->l2 = &ntr_norm_euclidean;
    r->norm_is_l2 = lay->nblocks == 1 && ntr_norm_get_type(r->norm) == r->l2;
    r->have_oracle = 1;
    r->additive = r->oracle.kind != NTR_NOISE_SAMPLED;
    r->x = malloc(dim * sizeof *r->x);
    r->g = malloc(dim * sizeof *r->g);
    r->grad = malloc(dim * sizeof *r->grad);
    r->diff = malloc(dim * sizeof *r->diff);
    if (!r->x || !r->g || !r->grad || !r->diff) {
        ntr_run_free(r);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory (%zu parameters)", dim);
    }
    if (start_point(r, init_seed, err) != 0) {
        ntr_run_free(r);
        return -1;
    }
    /* sigma of one oracle call at batch 1 (A1) */
    ntr_constants_compute(&r->problem, r->norm, r->x, r->oracle.sigma1, r->grad, &r->consts);
    if (s->measure == NTR_MEASURE_GAP && !isfinite(r->problem.f_star)) {
        ntr_run_free(r);
        return ntr_fail_at(err, s->problem_node ? s->problem_node->pos : (ntr_pos){NULL, 0, 0},
                           "budget.measure gap needs the optimal value f*, which %s does not know",
                           s->problem->name);
    }
    *out = r;
    return 0;
}

const ntr_constants *ntr_run_constants(const ntr_run *r) { return &r->consts; }
ntr_problem *ntr_run_problem(ntr_run *r) { return &r->problem; }
ntr_norm *ntr_run_norm(ntr_run *r) { return r->norm; }
const ntr_oracle *ntr_run_oracle(const ntr_run *r) { return &r->oracle; }
const double *ntr_run_x0(const ntr_run *r) { return r->x; }
gsl_rng *ntr_run_rng(ntr_run *r) { return r->rng; }

void ntr_run_free(ntr_run *r)
{
    if (!r)
        return;
    free(r->x);
    free(r->g);
    free(r->grad);
    free(r->diff);
    ntr_schedule_free(r->sched);
    if (r->have_oracle)
        ntr_oracle_free(&r->oracle);
    ntr_method_free(r->method);
    ntr_norm_free(r->norm);
    if (r->have_problem)
        ntr_problem_destroy(&r->problem);
    gsl_rng_free(r->rng);
    free(r);
}

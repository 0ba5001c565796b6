/* runner.c: prepare and execute one run (see runner.h).
 *
 * The loop per iteration: take the query point (x_k or the extrapolated
 * z_k), draw one stochastic gradient there, take the step size, step.
 * Exact-gradient measurements (not counted as oracle cost) run every
 * log.measure_every iterations and at each logged row; they track the
 * running minimum of ||grad f||_*, the targets and divergence.
 *
 * Reuse of the exact gradient.  r->grad holds grad f(x_k) once it has been
 * computed at the current x (r->grad_at_x, cleared by each step).  When the
 * query point is x_k itself and the oracle is exact or additive (all noise
 * types but minibatch), its call starts from that gradient and adds the
 * noise type's perturbation (ntr_oracle_perturb), drawing byte for byte
 * what a fresh evaluation would (the problem's gradient is a deterministic
 * function of x).  The first sample (m0: sample) computes grad f(x_0) this
 * way and the measurement at k = 0 uses it; a measured iteration's gradient
 * serves its oracle call.
 *
 * grad_l2 and x_fro are the euclidean norm's value (norms/euclidean.c);
 * with one euclidean block the method's norm and its dual are that same
 * number, computed once. */
#include "run/runner.h"
#include "run/cost.h"
#include "run/estimate.h"
#include "run/run_internal.h"

#include <errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/csv.h"
#include "linalg/linalg.h"
#include "methods/method.h"
#include "base/numfmt.h"
#include "run/oracle.h"
#include "run/schedule.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

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

typedef struct measure {
    double f, gap, grad_dual, grad_l2, grad_l1, x_norm, x_fro, mom_err;
} measure;

/* Exact-gradient measurement at x; full = also the norms of x and the
 * momentum error (only on logged rows: they may need an SVD each). */
static void measure_at(ntr_run *r, const double *x, int full, measure *m)
{
    size_t dim = r->problem.layout.dim;
    if (x != r->x || !r->grad_at_x) {
        r->grad_f = r->problem.type->grad(&r->problem, x, r->grad);
        r->grad_at_x = x == r->x;
    }
    m->f = r->grad_f;
    m->gap = isfinite(r->problem.f_star) ? m->f - r->problem.f_star : NAN;
    m->grad_dual = ntr_norm_dual(r->norm, r->grad);
    m->grad_l2 = r->norm_is_l2 ? m->grad_dual : r->l2->value(r->grad, dim, 1, NULL);
    m->grad_l1 = 0.0;
    for (size_t i = 0; i < dim; i++)
        m->grad_l1 += fabs(r->grad[i]);
    m->x_norm = m->x_fro = m->mom_err = NAN;
    if (!full)
        return;
    m->x_fro = r->l2->value(x, dim, 1, NULL);
    m->x_norm = !isfinite(m->x_fro) ? NAN : r->norm_is_l2 ? m->x_fro : ntr_norm_value(r->norm, x);
    const double *mom = ntr_method_momentum(r->method);
    if (mom && r->method->type->tracks_gradient) {
        for (size_t i = 0; i < dim; i++)
            r->diff[i] = mom[i] - r->grad[i];
        m->mom_err = ntr_norm_dual(r->norm, r->diff);
    }
}

/* One oracle call at q into r->g; returns its cost.  With q = x_k and an
 * exact or additive oracle the exact gradient is taken from r->grad when it
 * is known there, or computed there first when `fill` says it will be
 * needed anyway (see the header comment). */
static long oracle_call(ntr_run *r, const double *q, int fill)
{
    if (r->additive && q == r->x && (r->grad_at_x || fill)) {
        if (!r->grad_at_x) {
            r->grad_f = r->problem.type->grad(&r->problem, r->x, r->grad);
            r->grad_at_x = 1;
        }
        memcpy(r->g, r->grad, r->problem.layout.dim * sizeof *r->g);
        return ntr_oracle_perturb(&r->oracle, r->g, r->rng);
    }
    return ntr_oracle_grad(&r->oracle, q, r->rng, r->g);
}

static double running_mean(const running *rs)
{
    if (rs->weighted)
        return rs->n > 0 ? (rs->sum + rs->last) / (double)(rs->last_k + 1) : NAN;
    return rs->n > 0 ? rs->sum / (double)rs->n : NAN;
}

/* 1 when an entry of g is not finite or beyond above in magnitude. */
static int wild(const double *g, size_t n, double above)
{
    for (size_t i = 0; i < n; i++)
        if (!(fabs(g[i]) <= above))
            return 1;
    return 0;
}

/* Add the measurement v at k to the running mean (see running). */
static void running_add(running *rs, long k, long every, double v)
{
    if (rs->weighted) {
        if (rs->n > 0)
            rs->sum += rs->last * (double)(k - rs->last_k);
        rs->last = v;
        rs->last_k = k;
        rs->n++;
    } else if (k % every == 0) {
        rs->sum += v;
        rs->n++;
    }
}

/* The value budget.measure names, at the current measurement. */
static double measure_value(ntr_measure which, const measure *m, const running *rs)
{
    switch (which) {
    case NTR_MEASURE_GAP: return m->gap;
    case NTR_MEASURE_GRAD_L2: return m->grad_l2;
    case NTR_MEASURE_F: return m->f;
    case NTR_MEASURE_GRAD_DUAL: return m->grad_dual;
    case NTR_MEASURE_AVG_GRAD_DUAL: return running_mean(rs);
    case NTR_MEASURE_GRAD_L1: return m->grad_l1;
    case NTR_MEASURE_MIN_GRAD_DUAL:
    case NTR_MEASURE_COUNT: break;
    }
    return rs->min;
}

static void write_row(FILE *f, long k, long sfo, const measure *m, const running *rs)
{
    const double v[] = {m->f,    m->gap,  m->grad_dual, m->grad_l2, rs->min, running_mean(rs),
                        m->x_norm, m->x_fro, m->mom_err, m->grad_l1};
    fprintf(f, "%ld,%ld", k, sfo);
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        fputc(',', f);
        ntr_csv_double(f, v[i]);
    }
    fputc('\n', f);
}

/* The loop state of a run that starts at x_0. */
static void fresh_state(ntr_loop_state *st, const ntr_settings *s)
{
    memset(st, 0, sizeof *st);
    st->rs.min = INFINITY;
    st->rs.weighted = s->measure_every == 0;
    for (int i = 0; i < NTR_MAX_TARGETS; i++)
        st->hit_k[i] = st->hit_sfo[i] = -1;
}

/* The first write error of a stream, with errno as it was when it happened
 * (checked right after each row: a full disk, a file-size limit). */
static void note_write_error(FILE *f, const char *name, int *werr, const char **wfile)
{
    if (*werr || !f || !ferror(f))
        return;
    *werr = errno ? errno : EIO;
    *wfile = name;
}

int ntr_run_execute(ntr_run *r, FILE *traj, FILE *timing, const volatile sig_atomic_t *stop,
                    ntr_run_result *res, ntr_error *err)
{
    const ntr_settings *s = r->s;
    double t0 = now_s() - r->time_offset;
    memset(res, 0, sizeof *res);
    res->consts = r->consts;
    ntr_loop_state st;
    r->grad_at_x = 0;
    r->have_last = 0;
    if (r->resuming) {
        /* x, the method and the generator were restored with this state */
        st = r->resume;
    } else {
        fresh_state(&st, s);
        if (traj)
            fprintf(traj, "%s\n", ntr_trajectory_header);
        if (timing)
            fprintf(timing, "k,time_s\n");
        if (s->mopts.m0_sample) {
            /* k = 0 is always measured: its exact gradient serves g0 too. */
            const double *q0 = ntr_method_query_point(r->method, r->x);
            st.sfo += oracle_call(r, q0, 1);
            ntr_method_start(r->method, r->x, r->g);
        } else {
            ntr_method_start(r->method, r->x, NULL);
        }
    }

    const long K = s->iterations;
    ntr_status status = NTR_STATUS_DONE;
    int werr = 0;             /* errno of the first failed write, and its file */
    const char *wfile = NULL;
    note_write_error(traj, "trajectory.csv", &werr, &wfile);
    note_write_error(timing, "timing.csv", &werr, &wfile);
    ntr_loop_state top = st; /* st before this iteration's measurement */
    int measuring = 0, no_state = 0;
    measure m = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    for (;;) {
        const long k = st.k;
        int logged = k == st.log_at || k == K;
        measuring = logged || (s->measure_every > 0 && k % s->measure_every == 0);
        if (measuring) {
            top = st;
            measure_at(r, r->x, logged, &m);
            int bad = !isfinite(m.f) || !isfinite(m.grad_dual);
            if (m.grad_dual < st.rs.min)
                st.rs.min = m.grad_dual;
            running_add(&st.rs, k, s->measure_every, m.grad_dual);
            double v = measure_value(s->measure, &m, &st.rs);
            for (int i = 0; i < s->ntargets; i++)
                if (st.hit_k[i] < 0 && v <= s->targets[i]) {
                    st.hit_k[i] = k;
                    st.hit_sfo[i] = st.sfo;
                    st.hits++;
                }
            int diverged = bad || m.grad_dual > s->diverge_above;
            int reached = s->stop_at_target && s->ntargets > 0 && st.hits == s->ntargets;
            if ((diverged || reached) && !logged) {
                measure_at(r, r->x, 1, &m);
                logged = 1;
            }
            if (logged) {
                if (traj)
                    write_row(traj, k, st.sfo, &m, &st.rs);
                if (timing)
                    fprintf(timing, "%ld,%.6f\n", k, now_s() - t0);
                note_write_error(traj, "trajectory.csv", &werr, &wfile);
                note_write_error(timing, "timing.csv", &werr, &wfile);
                if (k == st.log_at)
                    st.log_at = ntr_next_log(s, k);
            }
            if (diverged) {
                status = NTR_STATUS_DIVERGED;
                if (!isfinite(m.f))
                    snprintf(res->reason, sizeof res->reason, "non-finite f (%g) at k = %ld", m.f,
                             k);
                else if (bad)
                    snprintf(res->reason, sizeof res->reason,
                             "non-finite gradient (grad_dual %g) at k = %ld", m.grad_dual,
                             k);
                else
                    snprintf(res->reason, sizeof res->reason,
                             "grad_dual = %g above budget.diverge_above = %g at k = %ld",
                             m.grad_dual, s->diverge_above, k);
                break;
            }
            if (reached) {
                status = NTR_STATUS_TARGET;
                snprintf(res->reason, sizeof res->reason,
                         "every target reached by k = %ld (budget.stop_at_target)", k);
                break;
            }
        }
        if (k == K)
            break;
        if (stop && *stop) {
            status = NTR_STATUS_INTERRUPTED;
            snprintf(res->reason, sizeof res->reason, "stopped by a signal at k = %ld", k);
            break;
        }
        double eta = ntr_schedule_eta(r->sched, k);
        if (!(eta > 0.0) || !isfinite(eta)) { /* an expression schedule gone bad */
            status = NTR_STATUS_DIVERGED;
            snprintf(res->reason, sizeof res->reason,
                     "step size eta = %g at k = %ld is not a positive finite number", eta, k);
            break;
        }
        const double *q = ntr_method_query_point(r->method, r->x);
        long sfo_k = st.sfo;
        st.sfo += oracle_call(r, q, 0);
        if (!measuring && wild(r->g, r->problem.layout.dim, s->diverge_above)) {
            /* between measurements: a stochastic gradient entry beyond
             * diverge_above (every dual norm is at least the largest
             * entry) or not finite; the row at k says where it stood */
            measure_at(r, r->x, 1, &m);
            if (m.grad_dual < st.rs.min)
                st.rs.min = m.grad_dual;
            running_add(&st.rs, k, s->measure_every, m.grad_dual);
            if (traj)
                write_row(traj, k, sfo_k, &m, &st.rs);
            if (timing)
                fprintf(timing, "%ld,%.6f\n", k, now_s() - t0);
            st.sfo = sfo_k;
            status = NTR_STATUS_DIVERGED;
            snprintf(res->reason, sizeof res->reason,
                     "a stochastic gradient entry beyond budget.diverge_above = %g (or not finite) "
                     "at k = %ld, between measurements",
                     s->diverge_above, k);
            no_state = 1; /* the generator moved past this state: no continuation */
            break;
        }
        ntr_method_step(r->method, r->x, r->g, eta);
        r->grad_at_x = 0;
        st.k++;
    }
    if (status != NTR_STATUS_INTERRUPTED && !no_state) { /* every break is before st.k++ */
        r->last = measuring ? top : st;
        r->have_last = 1;
    }
    if (status == NTR_STATUS_DONE && s->ntargets > 0 && st.hits < s->ntargets) {
        status = NTR_STATUS_NOT_REACHED;
        int first = 0;
        while (first < s->ntargets && st.hit_k[first] >= 0)
            first++;
        snprintf(res->reason, sizeof res->reason,
                 "ran its %ld iterations without reaching the target %g", K,
                 s->targets[first]);
    } else if (status == NTR_STATUS_DONE) {
        snprintf(res->reason, sizeof res->reason, "ran its %ld iterations%s", K,
                 s->ntargets > 0 ? ", every target reached" : "");
    }
    res->status = status;
    res->iterations = st.k;
    res->sfo = st.sfo;
    memcpy(res->hit_k, st.hit_k, sizeof res->hit_k);
    memcpy(res->hit_sfo, st.hit_sfo, sizeof res->hit_sfo);
    res->f = m.f;
    res->gap = m.gap;
    res->grad_dual = m.grad_dual;
    res->grad_l2 = m.grad_l2;
    res->min_grad_dual = st.rs.min;
    res->avg_grad_dual = running_mean(&st.rs);
    res->x_norm = m.x_norm;
    res->x_fro = m.x_fro;
    res->mom_err = m.mom_err;
    res->wall_s = now_s() - t0;
    note_write_error(traj, "trajectory.csv", &werr, &wfile);
    note_write_error(timing, "timing.csv", &werr, &wfile);
    if (werr)
        return ntr_fail(err, NTR_E_IO, "cannot write %s: %s", wfile, strerror(werr));
    return 0;
}

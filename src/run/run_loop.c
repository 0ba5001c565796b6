/* run_loop.c: the iteration loop of one run, ntr_run_execute (runner.h).
 *
 * The loop per iteration: measure when the grid says so (check_point:
 * targets, divergence, the logged row), then take the query point (x_k or
 * the extrapolated z_k), draw one stochastic gradient there, take the step
 * size, step (advance).  Exact-gradient measurements (not counted as
 * oracle cost) run every log.measure_every iterations and at each logged
 * row; they track the running minimum of ||grad f||_*, the targets and
 * divergence.
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
 * A step that fails (method.h: a sharp that could not be computed) ends
 * the run at k: `diverged` when the sharp's input held a NaN or an
 * infinity (the run's own numbers went bad, as every other divergence),
 * `step_failed` when the solver failed on a finite input (an SVD that did
 * not converge, Newton-Schulz iterates that overflowed).  Either way the
 * row at k describes x_k (which the failed step left as it was) and no
 * state is kept for a continuation (the method's state moved).
 *
 * grad_l2 and x_fro are the euclidean norm's value (norms/euclidean.c);
 * with one euclidean block the method's norm and its dual are that same
 * number, computed once.  Nothing here allocates. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "base/numfmt.h"
#include "run/cost.h"
#include "run/run_internal.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct measure {
    double f, gap, grad_dual, grad_l2, grad_l1, x_norm, x_fro, mom_err;
} measure;

/* Everything one execution carries besides the run itself. */
typedef struct loop {
    ntr_run *r;
    const ntr_settings *s;
    FILE *traj, *timing;
    double t0;
    ntr_loop_state st;   /* the state now */
    ntr_loop_state top;  /* st before this iteration's measurement */
    measure m;           /* the last measurement */
    int measuring;       /* this iteration is measured */
    int logged;          /* this iteration's row is written */
    int no_state;        /* the run ended past a state: no continuation */
    int start_rc;        /* the method's start failed (NTR_SHARP_*): at k = 0 */
    ntr_error start_err;
    int werr;            /* errno of the first failed write, and its file */
    const char *wfile;
    ntr_status status;
    ntr_run_result *res;
} loop;

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
    if (mom && ntr_method_get_type(r->method)->tracks_gradient) {
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

/* Add the measurement v at k to the running minimum and mean (see running). */
static void running_add(running *rs, long k, long every, double v)
{
    if (v < rs->min)
        rs->min = v;
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

/* The first write error of a stream, with errno as it was when it happened
 * (checked right after each row: a full disk, a file-size limit). */
static void note_write_error(FILE *f, const char *name, int *werr, const char **wfile)
{
    if (*werr || !f || !ferror(f))
        return;
    *werr = errno ? errno : EIO;
    *wfile = name;
}

/* The row of x_k (trajectory.csv, timing.csv) after cost sfo. */
static void write_row(loop *L, long k, long sfo)
{
    const measure *m = &L->m;
    const running *rs = &L->st.rs;
    if (L->traj) {
        const double v[] = {m->f,      m->gap,   m->grad_dual, m->grad_l2, rs->min,
                            running_mean(rs), m->x_norm, m->x_fro, m->mom_err, m->grad_l1};
        fprintf(L->traj, "%ld,%ld", k, sfo);
        for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
            fputc(',', L->traj);
            ntr_csv_double(L->traj, v[i]);
        }
        fputc('\n', L->traj);
    }
    if (L->timing)
        fprintf(L->timing, "%ld,%.6f\n", k, now_s() - L->t0);
    note_write_error(L->traj, "trajectory.csv", &L->werr, &L->wfile);
    note_write_error(L->timing, "timing.csv", &L->werr, &L->wfile);
}

/* End the loop with status and a reason (printf-style). */
static int stop_with(loop *L, ntr_status status, const char *fmt, ...) NTR_PRINTF(3, 4);
static int stop_with(loop *L, ntr_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->res->reason, sizeof L->res->reason, fmt, ap);
    va_end(ap);
    L->status = status;
    return 1;
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

/* Set up L and the method: a resumed run goes on from its restored state;
 * a fresh one writes the headers and starts the method at x_0 (with the
 * first sample g0 for m0: sample, whose exact gradient serves k = 0). */
static void loop_open(loop *L, ntr_run *r, FILE *traj, FILE *timing, ntr_run_result *res)
{
    memset(L, 0, sizeof *L);
    L->r = r;
    L->s = r->s;
    L->traj = traj;
    L->timing = timing;
    L->res = res;
    L->t0 = now_s() - r->time_offset;
    L->status = NTR_STATUS_DONE;
    L->m = (measure){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    memset(res, 0, sizeof *res);
    res->consts = r->consts;
    r->grad_at_x = 0;
    r->have_last = 0;
    if (r->resuming) { /* x, the method and the generator were restored with this state */
        L->st = r->resume;
    } else {
        fresh_state(&L->st, L->s);
        if (traj)
            fprintf(traj, "%s\n", ntr_trajectory_header);
        if (timing)
            fprintf(timing, "k,time_s\n");
        const double *g0 = NULL;
        if (L->s->mopts.m0_sample) {
            L->st.sfo += oracle_call(r, ntr_method_query_point(r->method, r->x), 1);
            g0 = r->g;
        }
        L->start_rc = ntr_method_start(r->method, r->x, g0, &L->start_err);
    }
    note_write_error(traj, "trajectory.csv", &L->werr, &L->wfile);
    note_write_error(timing, "timing.csv", &L->werr, &L->wfile);
    L->top = L->st;
}

/* The targets the measured value v reaches first at k. */
static void note_targets(loop *L, long k, double v)
{
    for (int i = 0; i < L->s->ntargets; i++)
        if (L->st.hit_k[i] < 0 && v <= L->s->targets[i]) {
            L->st.hit_k[i] = k;
            L->st.hit_sfo[i] = L->st.sfo;
            L->st.hits++;
        }
}

/* Why a measurement at k says the run diverged. */
static int stop_diverged(loop *L, long k, int bad)
{
    const measure *m = &L->m;
    if (!isfinite(m->f))
        return stop_with(L, NTR_STATUS_DIVERGED, "non-finite f (%g) at k = %ld", m->f, k);
    if (bad)
        return stop_with(L, NTR_STATUS_DIVERGED, "non-finite gradient (grad_dual %g) at k = %ld",
                         m->grad_dual, k);
    return stop_with(L, NTR_STATUS_DIVERGED,
                     "grad_dual = %g above budget.diverge_above = %g at k = %ld", m->grad_dual,
                     L->s->diverge_above, k);
}

/* The measurement at k when the grid asks for one: running statistics,
 * targets, the logged row, divergence and the stop at the targets.
 * 1 when the run ends here. */
static int check_point(loop *L, long K)
{
    const ntr_settings *s = L->s;
    const long k = L->st.k;
    L->logged = k == L->st.log_at || k == K;
    L->measuring = L->logged || (s->measure_every > 0 && k % s->measure_every == 0);
    if (!L->measuring)
        return 0;
    L->top = L->st;
    measure_at(L->r, L->r->x, L->logged, &L->m);
    int bad = !isfinite(L->m.f) || !isfinite(L->m.grad_dual);
    running_add(&L->st.rs, k, s->measure_every, L->m.grad_dual);
    note_targets(L, k, measure_value(s->measure, &L->m, &L->st.rs));
    int diverged = bad || L->m.grad_dual > s->diverge_above;
    int reached = s->stop_at_target && s->ntargets > 0 && L->st.hits == s->ntargets;
    if ((diverged || reached) && !L->logged) {
        measure_at(L->r, L->r->x, 1, &L->m);
        L->logged = 1;
    }
    if (L->logged) {
        write_row(L, k, L->st.sfo);
        if (k == L->st.log_at)
            L->st.log_at = ntr_next_log(s, k);
    }
    if (diverged)
        return stop_diverged(L, k, bad);
    if (reached)
        return stop_with(L, NTR_STATUS_TARGET,
                         "every target reached by k = %ld (budget.stop_at_target)", k);
    return 0;
}

/* The run ends at k without a step (a stochastic gradient gone wild, a
 * failed step): the row at k describes x_k after cost sfo_k, measured in
 * full unless this iteration already wrote it; no continuation. */
static void end_between(loop *L, long k, long sfo_k)
{
    if (!L->logged) {
        measure_at(L->r, L->r->x, 1, &L->m);
        if (!L->measuring)
            running_add(&L->st.rs, k, L->s->measure_every, L->m.grad_dual);
        write_row(L, k, sfo_k);
    }
    L->st.sfo = sfo_k;
    L->no_state = 1;
}

/* A failed start or step at k (code NTR_SHARP_*, see the header comment). */
static int stop_failed_step(loop *L, long k, long sfo_k, int code, const ntr_error *why)
{
    end_between(L, k, sfo_k);
    if (code == NTR_SHARP_NONFINITE)
        return stop_with(L, NTR_STATUS_DIVERGED, "non-finite values in the step at k = %ld: %.200s",
                         k, why->msg);
    return stop_with(L, NTR_STATUS_STEP_FAILED, "the step at k = %ld failed: %.200s", k, why->msg);
}

/* From x_k to x_{k+1}: the step size, one oracle call, the method's step.
 * 1 when the run ends here instead. */
static int advance(loop *L)
{
    ntr_run *r = L->r;
    const ntr_settings *s = L->s;
    const long k = L->st.k;
    if (L->start_rc)
        return stop_failed_step(L, k, L->st.sfo, L->start_rc, &L->start_err);
    double eta = ntr_schedule_eta(r->sched, k);
    if (!(eta > 0.0) || !isfinite(eta)) /* an expression schedule gone bad */
        return stop_with(L, NTR_STATUS_DIVERGED,
                         "step size eta = %g at k = %ld is not a positive finite number", eta, k);
    const double *q = ntr_method_query_point(r->method, r->x);
    long sfo_k = L->st.sfo;
    L->st.sfo += oracle_call(r, q, 0);
    if (!L->measuring && wild(r->g, r->problem.layout.dim, s->diverge_above)) {
        /* between measurements: a stochastic gradient entry beyond
         * diverge_above (every dual norm is at least the largest entry) or
         * not finite; the row at k says where it stood */
        end_between(L, k, sfo_k);
        return stop_with(L, NTR_STATUS_DIVERGED,
                         "a stochastic gradient entry beyond budget.diverge_above = %g (or not "
                         "finite) at k = %ld, between measurements",
                         s->diverge_above, k);
    }
    ntr_error why;
    int rc = ntr_method_step(r->method, r->x, r->g, eta, &why);
    if (rc != 0)
        return stop_failed_step(L, k, sfo_k, rc, &why);
    r->grad_at_x = 0;
    L->st.k++;
    return 0;
}

/* The result of the loop that ended with L->status. */
static int loop_close(loop *L, long K, ntr_error *err)
{
    const ntr_settings *s = L->s;
    ntr_run_result *res = L->res;
    const ntr_loop_state *st = &L->st;
    if (L->status != NTR_STATUS_INTERRUPTED && !L->no_state) { /* every break is before st.k++ */
        L->r->last = L->measuring ? L->top : *st;
        L->r->have_last = 1;
    }
    if (L->status == NTR_STATUS_DONE && s->ntargets > 0 && st->hits < s->ntargets) {
        int first = 0;
        while (first < s->ntargets && st->hit_k[first] >= 0)
            first++;
        stop_with(L, NTR_STATUS_NOT_REACHED,
                  "ran its %ld iterations without reaching the target %g", K, s->targets[first]);
    } else if (L->status == NTR_STATUS_DONE) {
        stop_with(L, NTR_STATUS_DONE, "ran its %ld iterations%s", K,
                  s->ntargets > 0 ? ", every target reached" : "");
    }
    const measure *m = &L->m;
    res->status = L->status;
    res->iterations = st->k;
    res->sfo = st->sfo;
    memcpy(res->hit_k, st->hit_k, sizeof res->hit_k);
    memcpy(res->hit_sfo, st->hit_sfo, sizeof res->hit_sfo);
    res->f = m->f;
    res->gap = m->gap;
    res->grad_dual = m->grad_dual;
    res->grad_l2 = m->grad_l2;
    res->min_grad_dual = st->rs.min;
    res->avg_grad_dual = running_mean(&st->rs);
    res->x_norm = m->x_norm;
    res->x_fro = m->x_fro;
    res->mom_err = m->mom_err;
    res->wall_s = now_s() - L->t0;
    note_write_error(L->traj, "trajectory.csv", &L->werr, &L->wfile);
    note_write_error(L->timing, "timing.csv", &L->werr, &L->wfile);
    if (L->werr)
        return ntr_fail(err, NTR_E_IO, "cannot write %s: %s", L->wfile, strerror(L->werr));
    return 0;
}

int ntr_run_execute(ntr_run *r, FILE *traj, FILE *timing, const volatile sig_atomic_t *stop,
                    ntr_run_result *res, ntr_error *err)
{
    loop L;
    loop_open(&L, r, traj, timing, res);
    const long K = r->s->iterations;
    for (;;) {
        if (check_point(&L, K) || L.st.k == K)
            break;
        if (stop && *stop) {
            stop_with(&L, NTR_STATUS_INTERRUPTED, "stopped by a signal at k = %ld", L.st.k);
            break;
        }
        if (advance(&L))
            break;
    }
    return loop_close(&L, K, err);
}

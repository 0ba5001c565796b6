/* estimate.c: memory and disk estimates and their limits (see
 * estimate.h). */
#include "run/estimate.h"

#include <stdio.h>
#include <string.h>

#include "problems/sizes.h"
#include "run/cost.h"

/* Doubles for the parameter's buffers: the runner's iterate, gradients and
 * difference, the method's state, the oracle's noise, and per block the
 * norm's work (an SVD or Newton-Schulz iteration for the spectral norm). */
static double parameter_doubles(const ntr_layout *lay, const ntr_norm_type *norm)
{
    double total = 12.0 * (double)lay->dim;
    int spectral = norm->id == NTR_NORM_SPECTRAL;
    for (int b = 0; b < lay->nblocks; b++) {
        double r = (double)lay->rows[b], c = (double)lay->cols[b];
        double lo = r < c ? r : c, hi = r > c ? r : c;
        total += spectral ? 4 * r * c + 8 * lo * lo + 10 * hi : r * c;
    }
    return total;
}

int ntr_estimate_memory(const ntr_settings *s, ntr_memory_estimate *e, ntr_error *err)
{
    memset(e, 0, sizeof *e);
    const ntr_problem_type *t = s->problem;
    ntr_problem_env env = {s->shape, s->shape_pos, NULL};
    ntr_kv kv = {s->problem_node, "problem", s->base_dir};
    ntr_problem_estimate pe;
    memset(&pe, 0, sizeof pe);
    pe.layout = s->shape;
    pe.key = "shape";
    ntr_problem_estimate_fn fn = ntr_problem_estimator(t);
    if (fn && fn(&kv, &env, &pe, err) != 0)
        return -1;
    double param = 8 * parameter_doubles(&pe.layout, s->norm);
    e->problem = pe.bytes;
    e->bytes = pe.bytes + param;
    const char *key = param >= pe.bytes ? "shape" : pe.key;
    /* a key left at its default follows from the shape given (samples:
     * 4 rows by default): the shape drives it then */
    if (!ntr_node_get(s->problem_node, key) && s->shape.nblocks > 0)
        key = "shape";
    if (strcmp(key, "shape") == 0 && s->shape.nblocks > 1)
        key = "blocks";
    snprintf(e->key, sizeof e->key, "problem.%s", key);
    const ntr_node *at = ntr_node_get(s->problem_node, key);
    e->pos = at                               ? at->pos
             : !strcmp(key, "shape") || !strcmp(key, "blocks") ? s->shape_pos
             : s->problem_node                               ? s->problem_node->pos
                                                             : s->shape_pos;
    return 0;
}

int ntr_check_memory(const ntr_settings *s, int at_once, ntr_error *err)
{
    if (!(s->max_memory > 0))
        return 0;
    ntr_memory_estimate e;
    if (ntr_estimate_memory(s, &e, err) != 0)
        return -1;
    if (at_once < 1)
        at_once = 1;
    double need = e.bytes * at_once;
    if (need <= s->max_memory)
        return 0;
    char cell[32], total[32], lim[32], prob[32];
    ntr_size_format(e.bytes, cell, sizeof cell);
    ntr_size_format(need, total, sizeof total);
    ntr_size_format(s->max_memory, lim, sizeof lim);
    ntr_size_format(e.problem, prob, sizeof prob);
    char running[96] = "";
    if (at_once > 1)
        snprintf(running, sizeof running, ", %s for the %d cells run at once (-j)", total,
                 at_once);
    return ntr_fail_at(err, e.pos,
                       "%s: a cell would need about %s of memory (%s for the problem's data and "
                       "work)%s, above the limit of %s; make it smaller, or raise the limit with "
                       "--max-memory SIZE",
                       e.key, cell, prob, running, lim);
}

/* Bytes of the folder for one cell: each logged row in trajectory.csv,
 * timing.csv and the long table trajectories.csv (with one column per
 * swept key), the summary, and the saved state (iterate and method). */
static double cell_bytes(const ntr_plan *p, const ntr_cell *c, double dim)
{
    ntr_run_cost cost;
    ntr_run_cost_of(&c->s, 0, &cost);
    double row = 260.0 + 30.0 + 300.0 + 30.0 * (double)p->naxes;
    return (double)cost.rows * row + 4096.0 + 32.0 * dim;
}

double ntr_estimate_disk(const ntr_plan *p)
{
    double total = 0;
    for (size_t i = 0; i < p->ncells; i++)
        total += cell_bytes(p, &p->cells[i], (double)p->cells[i].s.shape.dim);
    return total;
}

int ntr_check_disk(const ntr_plan *p, ntr_error *err)
{
    if (!(p->limits.max_disk > 0) || p->ncells == 0)
        return 0;
    double total = ntr_estimate_disk(p);
    if (total <= p->limits.max_disk)
        return 0;
    /* the cell that takes the most, for the key and its rows */
    size_t worst = 0;
    double most = -1;
    for (size_t i = 0; i < p->ncells; i++) {
        double b = cell_bytes(p, &p->cells[i], (double)p->cells[i].s.shape.dim);
        if (b > most) {
            most = b;
            worst = i;
        }
    }
    const ntr_settings *s = &p->cells[worst].s;
    ntr_run_cost cost;
    ntr_run_cost_of(s, 0, &cost);
    const ntr_node *log = ntr_node_get(p->cells[worst].tree, "log");
    const ntr_node *every = ntr_node_get(log, "every");
    const ntr_node *budget = ntr_node_get(p->cells[worst].tree, "budget");
    const ntr_node *its = ntr_node_get(budget, "iterations");
    const ntr_node *at = every && s->log_every > 0 ? every : its ? its : p->root;
    char size[32], lim[32];
    ntr_size_format(total, size, sizeof size);
    ntr_size_format(p->limits.max_disk, lim, sizeof lim);
    return ntr_fail_at(err, at->pos,
                       "%s: the result folder would take about %s (%zu cell%s; up to %ld logged "
                       "rows each, budget.iterations = %ld with log.every = %s), above the limit "
                       "of %s; log less often, or raise the limit with --max-disk SIZE",
                       at == every ? "log.every" : at == its ? "budget.iterations" : "config",
                       size, p->ncells, p->ncells == 1 ? "" : "s", cost.rows, s->iterations,
                       s->log_every > 0 ? every ? every->text : "?" : "log", lim);
}

int ntr_check_resources(const ntr_plan *p, int jobs, int shard_k, int shard_n, ntr_error *err)
{
    size_t in_shard = 0;
    for (size_t c = 0; c < p->ncells; c++)
        in_shard += shard_n <= 0 || (long)(c % (size_t)shard_n) == shard_k - 1;
    int at_once = (size_t)jobs < in_shard ? jobs : (int)(in_shard ? in_shard : 1);
    for (size_t c = 0; c < p->ncells; c++)
        if (p->cells[c].replicate == 0 && ntr_check_memory(&p->cells[c].s, at_once, err) != 0)
            return -1;
    return ntr_check_disk(p, err);
}

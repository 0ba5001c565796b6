/* batch_analyse.c: from a result folder's summary.csv to batch.csv, the
 * batch figures and the verdict line (see batch.h).
 *
 * summary.csv has one row per cell with the over keys and noise.batch as
 * columns, the status and K_<eps> (the first k reaching eps, empty when
 * never).  Rows are gathered by setting (the over-key values, in the order
 * they first appear) and batch size; cells not finished (pending,
 * interrupted) are left out and counted.  batch.csv holds one block per
 * setting (blank line between blocks), one row per batch size:
 *
 *   setting,<over keys>,alpha,lambda,b,cells,final,reached,T,SFO,
 *   b_star,b_star_edge,SFO_star,T_fit_inv_b,T_fit_inv_sqrt_b,
 *   inv_b_a,inv_b_c,inv_b_b_star,inv_b_rms,
 *   inv_sqrt_b_a,inv_sqrt_b_c,inv_sqrt_b_b_star,inv_sqrt_b_rms
 *
 * T and SFO are "inf" when the median run never reached eps and empty when
 * no cell of that batch size has finished; the b* and fit columns repeat
 * on every row of a setting and are empty when unknown. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_load.h"
#include "output/csv_field.h"
#include "output/files.h"
#include "base/status.h"
#include "study/batch/batch.h"

#include "study/batch/batch_analysis.h"


static void analysis_free(analysis *a)
{
    for (size_t i = 0; i < a->ns; i++)
        free(a->s[i].pt);
    free(a->s);
    free(a->row_setting);
    free(a->row_b);
    free(a->T);
}

/* method.alpha and method.weight_decay of the resolved config.yaml, for
 * settings that do not vary them. */
static int base_values(const char *dir, analysis *a, ntr_error *err)
{
    char path[1100];
    ntr_node *root = NULL;
    a->base_alpha = 0.1;
    a->base_lambda = 0;
    if (ntr_path(path, sizeof path, err, "%s/config.yaml", dir) != 0 ||
        ntr_yaml_load_file(path, path, &root, err) != 0)
        return -1;
    const ntr_node *al = ntr_node_path(root, "method.alpha");
    const ntr_node *wd = ntr_node_path(root, "method.weight_decay");
    const ntr_node *it = ntr_node_path(root, "budget.iterations");
    int rc = 0;
    a->budget = 0;
    int varied = 0; /* an over key varying the budget: no single one */
    for (size_t i = 0; a->spec->over && i < a->spec->over->n; i++)
        varied |= strcmp(a->spec->over->keys[i], "budget.iterations") == 0;
    if (it && !varied)
        rc = ntr_node_as_double(it, "budget.iterations", &a->budget, err);
    if (al)
        rc = ntr_node_as_double(al, "method.alpha", &a->base_alpha, err);
    if (rc == 0 && wd)
        rc = ntr_node_as_double(wd, "method.weight_decay", &a->base_lambda, err);
    ntr_node_free(root);
    return rc;
}

static int find_columns(analysis *a, ntr_error *err)
{
    const ntr_table *t = a->sum;
    if (ntr_table_require(t, "noise.batch", &a->bcol, err) != 0 ||
        ntr_table_require(t, "status", &a->statcol, err) != 0 ||
        ntr_table_require(t, "replicate", &a->repcol, err) != 0)
        return -1;
    for (size_t r = 0; r < ntr_table_rows(t); r++) {
        double rep = ntr_table_num(t, r, a->repcol);
        if (rep >= 0 && rep < 10000 && rep + 1 > (double)a->nreps)
            a->nreps = (size_t)rep + 1;
    }
    long k = -1;
    for (size_t c = 0; c < ntr_table_cols(t) && k < 0; c++)
        if (strncmp(ntr_table_name(t, c), "K_", 2) == 0)
            k = (long)c;
    if (k < 0)
        return ntr_fail(err, NTR_E_INPUT, "%s has no K_<target> column", ntr_table_path(t));
    a->kcol = (size_t)k;
    const ntr_node *o = a->spec->over;
    a->acol = a->lcol = (size_t)-1;
    for (size_t i = 0; o && i < o->n; i++) {
        if (ntr_table_require(t, o->keys[i], &a->keycol[i], err) != 0)
            return -1;
        if (strcmp(o->keys[i], "method.alpha") == 0)
            a->acol = a->keycol[i];
        if (strcmp(o->keys[i], "method.weight_decay") == 0)
            a->lcol = a->keycol[i];
    }
    return 0;
}

static int same_setting(const analysis *a, size_t r1, size_t r2)
{
    size_t nk = a->spec->over ? a->spec->over->n : 0;
    for (size_t i = 0; i < nk; i++)
        if (strcmp(ntr_table_str(a->sum, r1, a->keycol[i]),
                   ntr_table_str(a->sum, r2, a->keycol[i])) != 0)
            return 0;
    return 1;
}

/* Assign every summary row to a setting and a batch index. */
static int gather(analysis *a, ntr_error *err)
{
    const ntr_table *t = a->sum;
    size_t rows = ntr_table_rows(t), nb = a->spec->nb;
    a->row_setting = calloc(rows ? rows : 1, sizeof *a->row_setting);
    a->row_b = calloc(rows ? rows : 1, sizeof *a->row_b);
    a->s = calloc(rows ? rows : 1, sizeof *a->s);
    if (!a->row_setting || !a->row_b || !a->s)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t r = 0; r < rows; r++) {
        size_t i = 0;
        while (i < a->ns && !same_setting(a, a->s[i].first_row, r))
            i++;
        if (i == a->ns) {
            setting *st = &a->s[a->ns++];
            st->first_row = r;
            st->alpha = a->base_alpha;
            st->lambda = a->base_lambda;
            if ((a->acol != (size_t)-1 &&
                 ntr_table_get_num(t, r, a->acol, 0, &st->alpha, err) != 0) ||
                (a->lcol != (size_t)-1 &&
                 ntr_table_get_num(t, r, a->lcol, 0, &st->lambda, err) != 0))
                return -1;
            st->pt = calloc(nb ? nb : 1, sizeof *st->pt);
            if (!st->pt)
                return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        }
        a->row_setting[r] = i;
        double b;
        if (ntr_table_get_num(t, r, a->bcol, 0, &b, err) != 0)
            return -1;
        a->row_b[r] = -1;
        for (size_t j = 0; j < nb; j++)
            if ((double)a->spec->b[j] == b)
                a->row_b[r] = (long)j;
    }
    return 0;
}

static int is_final(const char *status)
{
    ntr_status s;
    return ntr_status_parse(status, &s) == 0 && ntr_status_is_final(s);
}

/* Rows bucketed by (setting, batch index): the rows of bucket q are
 * order[first[q] .. first[q+1]-1] (a counting sort). */
static int bucket_rows(const analysis *a, size_t **first_out, size_t **order_out, ntr_error *err)
{
    size_t rows = ntr_table_rows(a->sum), nq = a->ns * a->spec->nb;
    size_t *first = calloc(nq + 1, sizeof *first), *order = malloc((rows ? rows : 1) * sizeof *order);
    size_t *fill = calloc(nq + 1, sizeof *fill);
    if (!first || !order || !fill) {
        free(first);
        free(order);
        free(fill);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    for (size_t r = 0; r < rows; r++)
        if (a->row_b[r] >= 0)
            first[a->row_setting[r] * a->spec->nb + (size_t)a->row_b[r] + 1]++;
    for (size_t q = 0; q < nq; q++)
        first[q + 1] += first[q];
    for (size_t r = 0; r < rows; r++)
        if (a->row_b[r] >= 0) {
            size_t q = a->row_setting[r] * a->spec->nb + (size_t)a->row_b[r];
            order[first[q] + fill[q]++] = r;
        }
    free(fill);
    *first_out = first;
    *order_out = order;
    return 0;
}

/* T(b), SFO(b), b* and the fits of every setting. */
static int measure(analysis *a, ntr_error *err)
{
    const ntr_table *t = a->sum;
    size_t rows = ntr_table_rows(t), nb = a->spec->nb;
    size_t *first = NULL, *order = NULL;
    if (bucket_rows(a, &first, &order, err) != 0)
        return -1;
    double *vals = malloc((rows ? rows : 1) * sizeof *vals);
    size_t nb1 = nb ? nb : 1; /* never malloc(0) */
    double *bx = malloc(nb1 * sizeof *bx), *Tx = malloc(nb1 * sizeof *Tx);
    double *sx = malloc(nb1 * sizeof *sx);
    size_t nT = a->ns * nb * (a->nreps ? a->nreps : 1);
    /* NOLINTNEXTLINE(clang-analyzer-optin.portability.UnixAPI): at least one element */
    a->T = malloc((nT ? nT : 1) * sizeof *a->T);
    int rc = vals && bx && Tx && sx && a->T ? 0 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t i = 0; rc == 0 && i < nT; i++)
        a->T[i] = NAN;
    for (size_t i = 0; rc == 0 && i < a->ns; i++) {
        setting *st = &a->s[i];
        size_t m = 0;
        for (size_t j = 0; rc == 0 && st->pt && j < nb; j++) {
            bpoint *pt = &st->pt[j];
            size_t n = 0, q = i * nb + j;
            for (size_t o = first[q]; rc == 0 && o < first[q + 1]; o++) {
                size_t r = order[o];
                pt->cells++;
                if (!is_final(ntr_table_str(t, r, a->statcol)))
                    continue;
                double k;
                rc = ntr_table_get_num(t, r, a->kcol, 1, &k, err);
                pt->final++;
                pt->reached += !isnan(k);
                vals[n++] = isnan(k) ? INFINITY : k;
                double rep = ntr_table_num(t, r, a->repcol);
                if (rep >= 0 && (size_t)rep < a->nreps)
                    a->T[q * a->nreps + (size_t)rep] = isnan(k) ? INFINITY : k;
            }
            pt->T = ntr_batch_median(vals, n);
            pt->sfo = (double)a->spec->b[j] * pt->T;
            if (n > 0) {
                bx[m] = (double)a->spec->b[j];
                Tx[m] = pt->T;
                sx[m++] = pt->sfo;
            }
        }
        if (rc == 0) {
            ntr_batch_bstar(bx, sx, m, a->budget, &st->bstar);
            rc = ntr_batch_fit(NTR_BATCH_INV_B, bx, Tx, m, &st->fit[0], err);
        }
        if (rc == 0)
            rc = ntr_batch_fit(NTR_BATCH_INV_SQRT_B, bx, Tx, m, &st->fit[1], err);
    }
    free(first);
    free(order);
    free(vals);
    free(bx);
    free(Tx);
    free(sx);
    return rc;
}

/* The verdict line from batch.csv as written. */
static int verdict_line(const char *dir, char **verdict, ntr_error *err)
{
    ntr_batch_summary s;
    int found;
    if (ntr_batch_summary_read(dir, &s, &found, err) != 0)
        return -1;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        ntr_batch_summary_free(&s);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    double lo = INFINITY, hi = 0;
    size_t with = 0, edge = 0;
    for (size_t i = 0; i < s.nsettings; i++)
        if (s.settings[i].bstar.found && s.settings[i].bstar.edge == 0) {
            with++;
            lo = fmin(lo, s.settings[i].bstar.b);
            hi = fmax(hi, s.settings[i].bstar.b);
        } else if (s.settings[i].bstar.found) {
            edge++;
        }
    if (with)
        fprintf(f, "batch study: b* inside the batch grid from %.3g to %.3g in %zu of %zu "
                   "settings, on its edge (a bound only) in %zu (batch.csv)",
                lo, hi, with, s.nsettings, edge);
    else if (edge)
        fprintf(f, "batch study: b* on the batch grid's edge in all %zu settings that reached the "
                   "target (bounds only: refine the grid) (batch.csv)",
                edge);
    else
        fprintf(f, "batch study: no setting reached the target: no b* (batch.csv)");
    ntr_batch_trend tr[NTR_BATCH_MAX_OVER];
    ntr_batch_trends(s.settings, s.nsettings, s.nkeys, tr);
    for (size_t k = 0; k < s.nkeys; k++) {
        if (tr[k].pairs == 0)
            continue;
        char text[400];
        ntr_batch_trend_text(&s, &tr[k], text, sizeof text);
        fprintf(f, "; %s", text);
    }
    fclose(f);
    ntr_batch_summary_free(&s);
    *verdict = buf;
    return 0;
}

/* The trend test of b* along each over key (batch_boot.c). */
static int trends(const char *dir, const analysis *a, char **lines, ntr_error *err)
{
    const ntr_node *o = a->spec->over;
    size_t nk = o ? o->n : 0;
    *lines = NULL;
    if (nk == 0 || a->nreps == 0)
        return 0;
    const char **val = malloc((a->ns * nk + 1) * sizeof *val);
    const char *keys[NTR_BATCH_MAX_OVER];
    if (!val)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < a->ns; i++)
        for (size_t k = 0; k < nk; k++)
            val[i * nk + k] = ntr_table_str(a->sum, a->s[i].first_row, a->keycol[k]);
    for (size_t k = 0; k < nk; k++)
        keys[k] = o->keys[k];
    /* Y/eps' per setting with a floor target F floor + E: eps' = target - floor */
    double *yeps = a->spec->floor_factor > 0 ? malloc(a->ns * sizeof *yeps + 1) : NULL;
    for (size_t i = 0; yeps && i < a->ns; i++) {
        const setting *st = &a->s[i];
        double tg = ntr_batch_row_target(a->sum, st->first_row), beta = 1 - st->alpha;
        double floor = (tg - a->spec->floor_above) / a->spec->floor_factor;
        yeps[i] = ((2 * beta + 1) * (1 - beta) + st->lambda) / (tg - floor);
    }
    ntr_batch_seeds sd = {a->ns, a->spec->nb, a->nreps, nk,       a->spec->b,
                          a->T,  val,         keys,     a->budget, yeps};
    int rc = ntr_batch_boot_write(dir, &sd, a->spec, lines, err);
    free(val);
    free(yeps);
    return rc;
}

int ntr_batch_analyse(const char *result_dir, const ntr_node *study, int draw, char **verdict,
                      ntr_error *err)
{
    ntr_batch_spec spec;
    if (ntr_batch_spec_read(study, &spec, err) != 0)
        return -1;
    analysis a;
    memset(&a, 0, sizeof a);
    a.spec = &spec;
    char path[1100];
    ntr_table *sum = NULL;
    if (ntr_path(path, sizeof path, err, "%s/summary.csv", result_dir) != 0 ||
        ntr_table_read(path, &sum, err) != 0)
        return -1;
    a.sum = sum;
    int rc = base_values(result_dir, &a, err);
    if (rc == 0)
        rc = find_columns(&a, err);
    if (rc == 0)
        rc = gather(&a, err);
    if (rc == 0)
        rc = measure(&a, err);
    if (rc == 0)
        rc = ntr_batch_write_csv(result_dir, &a, err);
    char *tlines = NULL;
    if (rc == 0)
        rc = trends(result_dir, &a, &tlines, err);
    analysis_free(&a);
    ntr_table_free(sum);
    char note[900] = "";
    if (rc == 0 && draw)
        rc = ntr_batch_plot(result_dir, "png", note, sizeof note, err);
    if (rc == 0)
        rc = verdict_line(result_dir, verdict, err);
    if (rc == 0 && tlines && *verdict) {
        size_t len = strlen(*verdict), n = len + strlen(tlines) + 2;
        char *v = realloc(*verdict, n);
        if (v) {
            snprintf(v + len, n - len, "\n%s", tlines);
            *verdict = v;
        }
    }
    free(tlines);
    if (rc == 0 && note[0] && *verdict) {
        size_t len = strlen(*verdict), n = len + strlen(note) + 8;
        char *v = realloc(*verdict, n);
        if (v) {
            snprintf(v + len, n - len, "; %s", note);
            *verdict = v;
        }
    }
    return rc;
}

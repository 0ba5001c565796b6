/* best_eta.c: a study added as one file (tests/one-file/run checks it).
 *
 *   study: {type: best_eta, eta: [0.01, 0.1, 0.3]}
 *
 * runs the config at each step size (method.eta) and, from summary.csv
 * alone, writes best_eta.csv (eta, mean final f over the seeds, runs) and
 * the verdict "best eta X". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/table.h"
#include "output/files.h"
#include "study/study.h"

#define MAX_ETAS 16

static const char *const study_keys[] = {"type", "eta", NULL};

static int read_etas(const ntr_node *study, const ntr_node **list, ntr_error *err)
{
    ntr_kv kv = {study, "study", NULL};
    double etas[MAX_ETAS];
    size_t n;
    if (ntr_kv_check_keys(&kv, study_keys, err) != 0 ||
        ntr_kv_doubles(&kv, "eta", 1e-12, 1e6, etas, MAX_ETAS, &n, err) != 0)
        return -1;
    *list = ntr_node_get(study, "eta");
    if (n < 2 || (*list)->kind != NTR_NODE_SEQ)
        return ntr_fail_at(err, ntr_kv_pos(&kv, "eta"), "study.eta: a list of 2 to %d step sizes",
                           MAX_ETAS);
    return 0;
}

static int expand(ntr_plan_builder *b, const ntr_node *study, ntr_error *err)
{
    const ntr_node *list;
    if (read_etas(study, &list, err) != 0)
        return -1;
    for (size_t i = 0; i < list->n; i++) {
        ntr_assign a = {"method.eta", list->items[i]};
        if (ntr_pb_add_point(b, &a, 1, NULL, NAN, err) != 0)
            return -1;
    }
    return 0;
}

static int analyse(const char *dir, const ntr_node *study, int draw, char **verdict,
                   ntr_error *err)
{
    (void)draw;
    const ntr_node *list;
    char path[1100];
    ntr_table *t = NULL;
    size_t ceta, cf;
    if (read_etas(study, &list, err) != 0 ||
        ntr_path(path, sizeof path, err, "%s/summary.csv", dir) != 0 ||
        ntr_table_read(path, &t, err) != 0 || ntr_table_require(t, "method.eta", &ceta, err) ||
        ntr_table_require(t, "f", &cf, err) != 0) {
        ntr_table_free(t);
        return -1;
    }
    double sum[MAX_ETAS] = {0}, best = INFINITY;
    int runs[MAX_ETAS] = {0}, at = -1;
    for (size_t r = 0; r < ntr_table_rows(t); r++)
        for (size_t i = 0; i < list->n; i++)
            if (ntr_table_num(t, r, ceta) == strtod(list->items[i]->text, NULL)) {
                sum[i] += ntr_table_num(t, r, cf);
                runs[i]++;
            }
    ntr_table_free(t);
    ntr_tmpfile out;
    if (ntr_path(path, sizeof path, err, "%s/best_eta.csv", dir) != 0 ||
        ntr_tmpfile_open(&out, path, err) != 0)
        return -1;
    fprintf(out.fp, "eta,mean_f,runs\n");
    for (size_t i = 0; i < list->n; i++) {
        double mean = runs[i] ? sum[i] / runs[i] : NAN;
        fprintf(out.fp, "%s,%.17g,%d\n", list->items[i]->text, mean, runs[i]);
        if (mean < best) {
            best = mean;
            at = (int)i;
        }
    }
    if (ntr_tmpfile_commit(&out, err) != 0)
        return -1;
    char line[200];
    snprintf(line, sizeof line, "best eta %s (mean final f %.4g)", at < 0 ? "none" : list->items[at]->text,
             best);
    *verdict = strdup(line);
    return *verdict ? 0 : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
}

const ntr_study_type ntr_study_best_eta = {
    .name = "best_eta",
    .summary = "the config at each of a list of step sizes, and the one with the lowest final f "
               "(one-file example)",
    .expand = expand,
    .analyse = analyse,
};

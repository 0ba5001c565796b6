/* cell_summary.h: a cell's summary.json, written last (its presence marks
 * the cell finished) and read back by summary.csv, studies and resume.
 * Everything but the "timing" object is deterministic. */
#ifndef NTR_CELL_SUMMARY_H
#define NTR_CELL_SUMMARY_H

#include "config/plan.h"
#include "output/run_result.h"
#include "base/status.h"

int ntr_cell_summary_write(const char *path, const ntr_cell *c, const ntr_run_result *res,
                           ntr_error *err);

/* What summary.csv and the studies need back from a summary.json: the one
 * reader of that file (resume's stricter check aside, run/cell_check.c). */
typedef struct ntr_cell_record {
    int present;           /* the summary.json exists (else all below is "pending") */
    char status[16];       /* its current name (ntr_status_canonical); "pending" when
                              there is no summary.json */
    int known;             /* status names a status (code is valid) */
    char lineage[17];      /* the cell's identity without its budget; "" if none */
    ntr_status code;
    long iterations, sfo;
    double f, gap, grad_dual, grad_l2, min_grad_dual, avg_grad_dual, wall_s;
    double x_norm, x_fro, mom_err;
    ntr_constants consts;  /* as recorded, each NAN when absent (c is never
                              recorded); sigma per sample, not divided by batch */
    double batch;          /* constants.batch: samples per call (NAN if absent) */
    int ntargets;
    double target[NTR_MAX_TARGETS];
    long hit_k[NTR_MAX_TARGETS], hit_sfo[NTR_MAX_TARGETS];
} ntr_cell_record;

/* Returns 0 and fills rec, with status "pending" when path is absent. */
int ntr_cell_summary_read(const char *path, ntr_cell_record *rec, ntr_error *err);

#endif

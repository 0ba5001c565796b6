/* par.h: a team of threads for the large matrix products of one cell, and
 * products split over it (par_blas.c) whose results never depend on the
 * number of threads.
 *
 * OpenBLAS's own threading splits a product by the number of threads, so
 * its results change with it (measured: gemm, symm, gemv, and LAPACK's
 * eigen- and singular-value routines all differ between 1 and 2 threads
 * from 128 x 128 on).  ntr keeps OpenBLAS on one thread and splits the big
 * products itself, into blocks whose layout depends only on the shapes:
 * each block is one single-threaded BLAS call, whichever thread runs it, so
 * 1, 2 or 16 threads give the same bytes.
 *
 * ntr_par_run() hands out task numbers 0..n-1 to the team (the caller
 * included) and returns when every task has finished; it allocates nothing,
 * so it may run inside the iteration loop.  A NULL team runs the tasks in
 * this thread, in order. */
#ifndef NTR_PAR_H
#define NTR_PAR_H

#include <stddef.h>

#include "base/error.h"

typedef struct ntr_par ntr_par;

/* A team of `threads` threads (the caller counts as one; threads <= 1 gives
 * no helper thread). */
int ntr_par_create(int threads, ntr_par **out, ntr_error *err);
void ntr_par_free(ntr_par *p);
/* Threads of the team (1 for NULL). */
int ntr_par_threads(const ntr_par *p);

typedef void (*ntr_par_task)(size_t task, void *ctx);
/* Run task(i, ctx) for every i in [0, ntasks), on the team. */
void ntr_par_run(ntr_par *p, size_t ntasks, ntr_par_task task, void *ctx);

/* The number of CPUs this process may run on (affinity mask), at least 1. */
int ntr_cpu_count(void);

#endif

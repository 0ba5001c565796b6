/* polar.h: the spectral sharp, i.e. the polar factor U V^T of a matrix, and
 * the spectral quantities (singular values, operator and nuclear norms) that
 * the spectral norm needs, all on preallocated workspaces.
 *
 * Two engines:
 *   - svd (polar.c): the exact polar factor from a thin SVD (LAPACK dgesdd).
 *     Singular values below max(rows,cols) * DBL_EPSILON * s_max count as
 *     zero and give zero directions, so the polar factor of a rank-deficient
 *     matrix has singular values 1 on its range and 0 elsewhere.
 *   - newton_schulz (polar_ns.c): the iteration X <- a X + (b A + c A^2) X,
 *     A = X X^T, with a coefficient triple per step (THEORY.md section 4),
 *     from X0 = M / ((input_scale + 1e-7) ||M||_F), a guard relative to the
 *     scale of M (a tiny M gives the same unit step); in double or in float.
 *
 * A workspace is allocated once for one rows x cols shape (allocation is the
 * only step that can run out of memory); the compute functions allocate
 * nothing and may run inside the iteration loop.  A workspace is not
 * thread-safe: use one per thread.  In every compute function the output may
 * be the input array itself.  Matrices are row-major. */
#ifndef NTR_POLAR_H
#define NTR_POLAR_H

#include <stddef.h>

#include "base/error.h"
#include "linalg/lmo.h"

/* ---- Newton-Schulz engine (polar_ns.c) ---- */
typedef struct ntr_ns ntr_ns;

/* Workspace for rows x cols inputs running opts' steps, coefficients and
 * precision (opts->solver is not looked at).  Fails on bad options. */
int ntr_ns_alloc(size_t rows, size_t cols, const ntr_lmo_opts *opts, ntr_ns **out,
                 ntr_error *err);
void ntr_ns_free(ntr_ns *w);
/* out = the Newton-Schulz approximation of the polar factor of g.
 * g = 0 gives out = 0; a NaN in g gives NaNs in out. */
void ntr_ns_apply(ntr_ns *w, const double *g, double *out);

/* "float64" or "float32": the precision w runs in (for messages). */
const char *ntr_ns_precision_name(const ntr_ns *w);

/* Check a Newton-Schulz option set: 1 <= steps <= NTR_LMO_MAX_STEPS, finite
 * coefficients, input_scale > 0, a known precision. */
int ntr_lmo_opts_check(const ntr_lmo_opts *opts, ntr_error *err);

/* ---- The spectral workspace (polar.c) ---- */
typedef struct ntr_polar ntr_polar;

/* Workspace for rows x cols matrices.  opts NULL means the exact svd solver;
 * with solver newton_schulz the options are checked (ntr_lmo_opts_check). */
int ntr_polar_alloc(size_t rows, size_t cols, const ntr_lmo_opts *opts, ntr_polar **out,
                    ntr_error *err);
void ntr_polar_free(ntr_polar *p);

/* out = the sharp of g in the spectral norm with the configured solver: 0,
 * or (out filled with NaN, err says why, err may be NULL)
 * NTR_SHARP_NONFINITE when g holds a NaN or an infinity, NTR_SHARP_FAILED
 * when the SVD fails on a finite g (dgesdd info != 0, or non-finite
 * singular values) or Newton-Schulz's iterates overflow (lmo.h). */
int ntr_polar_sharp(ntr_polar *p, const double *g, double *out, ntr_error *err);

/* The min(rows,cols) singular values of a, descending, into s (s may be
 * NULL: they stay in the workspace).  Returns -1 as ntr_polar_sharp. */
int ntr_polar_singular_values(ntr_polar *p, const double *a, double *s);
/* Largest singular value, and the sum of all of them; NaN on failure. */
double ntr_polar_op_norm(ntr_polar *p, const double *a);
double ntr_polar_nuclear_norm(ntr_polar *p, const double *a);

#endif

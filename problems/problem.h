/* problem.h: the interface every objective implements, and its registry.
 *
 * A problem type is a small static object (name, class flags, the keys it
 * accepts, function pointers), in the style of GSL's
 * gsl_multimin_fdfminimizer_type.  The type object and the problem
 * instance are declared in the public header ntr/ntr.h, because plug-ins
 * (problems/plugin.c) implement the very same interface.  Adding an
 * objective is one new file in problems/ that defines
 * `const ntr_problem_type ntr_problem_NAME` plus one line in
 * problems/registry.c.
 *
 * create() reads the problem's own keys through an ntr_kv view (it validates
 * them itself, with positions), builds or loads its data with the data
 * generator it is given, allocates every workspace it will need, and fills
 * the public fields of ntr_problem.  After create() returns, value(), grad()
 * and sample_grad() allocate nothing: they run inside the iteration loop.
 *
 * A type whose class depends on its keys (sine_quadratic: only the
 * `measured` form is a finite sum, only a > 1 is non-convex) may set p->type
 * in create() to a static variant of itself: same name, create and destroy,
 * with the flags and sample_grad of that instance.  Callers therefore read
 * flags and function pointers from p->type after create(), and use the
 * registered type only to create.
 *
 * Problems know only this header, node.h (the key/value view), layout.h,
 * csv.h, linalg.h and GSL's random numbers. */
#ifndef NTR_PROBLEM_H
#define NTR_PROBLEM_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "base/error.h"
#include "base/layout.h"
#include "base/node.h"
#include "ntr/ntr.h" /* the type object, ntr_problem, the flags: public, for plug-ins too */

/* The registry: NULL-terminated list, and lookup by name (NULL if unknown). */
extern const ntr_problem_type *const ntr_problem_types[];
const ntr_problem_type *ntr_problem_lookup(const char *name);
/* The type of a name; an unknown name fails at pos ("unknown WHAT 'x' (did
 * you mean ...? known: ...)", base/registry.h). */
int ntr_problem_find(const char *name, const char *what, ntr_pos pos, const ntr_problem_type **out,
                    ntr_error *err);

/* The plug-in loader (plugin.c): `type: plugin` in a config. */
extern const ntr_problem_type ntr_problem_plugin;

/* Fail on a key of kv that is neither a key of every problem section (type,
 * shape, blocks, data_seed), nor one of extra (NULL-terminated, may be
 * NULL), nor one of t's own.  The plug-in loader's keys are checked by its
 * create() once the library is loaded: nothing is checked for it here. */
int ntr_problem_check_keys(const ntr_problem_type *t, const ntr_kv *kv,
                           const char *const *extra, ntr_error *err);

/* The keys of a problem section whose values name files the problem
 * reads (their content is part of the cell's identity): the type's
 * file_keys; for the plug-in loader, `library` and the plug-in type's own
 * file_keys, which needs the library loaded (and its keys are then checked
 * too).  Fills keys[0 .. *n-1] (at most max); the names stay valid. */
int ntr_problem_file_keys(const ntr_problem_type *t, const ntr_kv *kv, const char **keys,
                          int max, int *n, ntr_error *err);
/* The plug-in loader's part of that (plugin.c). */
int ntr_plugin_file_keys(const ntr_kv *kv, const char **keys, int max, int *n, ntr_error *err);

/* Create through the type, after checking the keys; on failure the problem
 * is left empty.  The _with variant also accepts the keys in extra (the
 * plug-in loader's own). */
int ntr_problem_create(ntr_problem *p, const ntr_problem_type *t, const ntr_kv *kv,
                       const ntr_problem_env *env, ntr_error *err);
int ntr_problem_create_with(ntr_problem *p, const ntr_problem_type *t, const ntr_kv *kv,
                            const ntr_problem_env *env, const char *const *extra, ntr_error *err);
void ntr_problem_destroy(ntr_problem *p);

/* "convex,smooth,finite-sum" style text of flags into buf. */
void ntr_problem_flags_format(unsigned flags, char *buf, size_t size);

#endif

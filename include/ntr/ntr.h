/* ntr.h: the public interface of ntr, the one header a program or a
 * problem plug-in outside the source tree includes.
 *
 * Build against it with `pkg-config --cflags --libs ntr`.  It holds:
 *   1. the version (NTR_API_VERSION) and the visibility of public names;
 *   2. errors: the opaque ntr_error, filled with ntr_fail / ntr_fail_at and
 *      read with its accessors, and ntr_pos, a place in an input file;
 *   3. the key/value view (the opaque ntr_kv) through which a problem reads
 *      and validates its own config keys, with positioned errors;
 *   4. layouts: how a parameter vector is cut into matrix blocks;
 *   5. the norms, by identity (what smoothness() is asked about);
 *   6. the problem interface: the type object every objective implements,
 *      the built-in ones and plug-ins alike, with its class flags and
 *      declared constants;
 *   7. running one configured cell from C: config text in, a result folder
 *      or the trajectory out.
 *
 * Everything else in ntr is private: the shared library exports exactly
 * the functions declared here (NTR_API), and the types a caller never
 * needs to look inside (errors, the key/value view, a trajectory) are
 * opaque.  The public structs (ntr_pos, ntr_layout, ntr_problem_env,
 * ntr_problem, ntr_problem_type) and the norm ids (ntr_norm_id) are the
 * contract between ntr and a problem: any change to them, or to a
 * function's meaning, bumps NTR_API_VERSION, and ntr refuses a plug-in
 * built against another one.
 *
 * A plug-in defines one `const ntr_problem_type` whose first field is
 * NTR_API_VERSION and names it in a config:
 *     problem: {type: plugin, library: libmine.so, symbol: my_problem, ...own keys...}
 * (see examples/plugin/ in the source tree).  A plug-in is code the user
 * chose to run: ntr loads no library that a config does not name. */
#ifndef NTR_NTR_H
#define NTR_NTR_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* ---- 1. version and visibility -------------------------------------------- */

/* The version of this interface.  The shared library is libntr.so.N for
 * NTR_API_VERSION N.  Version 2: smoothness() and hessian_lipschitz()
 * take the norm's id (ntr_norm_id) instead of its name. */
#define NTR_API_VERSION 2

#if defined(__GNUC__) || defined(__clang__)
#define NTR_API __attribute__((visibility("default")))
#define NTR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define NTR_API
#define NTR_PRINTF(fmt, args)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The NTR_API_VERSION the library was built with. */
NTR_API int ntr_api_version(void);

/* ---- 2. errors ------------------------------------------------------------- */

/* What kind of failure: decides a front end's exit code. */
typedef enum {
    NTR_E_NONE = 0,
    NTR_E_INPUT,    /* bad config, bad data file, bad usage: exit 2 */
    NTR_E_IO,       /* cannot write results: exit 1 */
    NTR_E_NUMERIC,  /* a library routine failed (an SVD did not converge ...) */
    NTR_E_INTERNAL, /* out of memory, broken invariant */
    NTR_E_INTERRUPTED /* stopped by a signal (SIGINT, SIGTERM, SIGHUP): exit 3 */
} ntr_error_kind;

/* A place in an input file; file == NULL means "no place". */
typedef struct ntr_pos {
    const char *file;
    int line; /* 1-based */
    int col;  /* 1-based */
} ntr_pos;

/* An error: a kind, a message and, for input errors, file:line:col. */
typedef struct ntr_error ntr_error;

/* Fill err (if not NULL) and return -1.  ntr_fail_at makes an input error
 * at pos (take pos from ntr_kv_pos); ntr_fail gives the kind itself. */
NTR_API int ntr_fail(ntr_error *err, ntr_error_kind kind, const char *fmt, ...) NTR_PRINTF(3, 4);
NTR_API int ntr_fail_at(ntr_error *err, ntr_pos pos, const char *fmt, ...) NTR_PRINTF(3, 4);

/* For programs that call ntr: an empty error, freed with ntr_error_free. */
NTR_API ntr_error *ntr_error_new(void);
NTR_API void ntr_error_free(ntr_error *err);
NTR_API ntr_error_kind ntr_error_get_kind(const ntr_error *err);
NTR_API const char *ntr_error_message(const ntr_error *err);
/* The input file of the error ("" when it has none), its line and column (0: none). */
NTR_API const char *ntr_error_file(const ntr_error *err);
NTR_API int ntr_error_line(const ntr_error *err);
NTR_API int ntr_error_column(const ntr_error *err);
/* The exit code a command gives for this error: 2 for input errors, else 1. */
NTR_API int ntr_error_exit_code(const ntr_error *err);

/* ---- 3. the key/value view ----------------------------------------------- */

/* A problem's own keys of the config (the `problem:` section), already
 * parsed, each value remembering its place.  Each reader leaves *out at
 * def when the key is absent, checks the value's type and range and fails
 * with the value's position otherwise.  The keys a type accepts are
 * declared in ntr_problem_type.keys: ntr rejects any other key before
 * create() runs, naming the nearest valid one. */
typedef struct ntr_kv ntr_kv;

NTR_API int ntr_kv_has(const ntr_kv *kv, const char *key);
NTR_API int ntr_kv_double(const ntr_kv *kv, const char *key, double def, double lo, double hi,
                          double *out, ntr_error *err);
NTR_API int ntr_kv_long(const ntr_kv *kv, const char *key, long def, long lo, long hi,
                        long *out, ntr_error *err);
/* A number or a list of 1 to max numbers, each in [lo, hi], into out;
 * *n is how many (0 when the key is absent). */
NTR_API int ntr_kv_doubles(const ntr_kv *kv, const char *key, double lo, double hi, double *out,
                           size_t max, size_t *n, ntr_error *err);
NTR_API int ntr_kv_bool(const ntr_kv *kv, const char *key, int def, int *out, ntr_error *err);
/* One of choices (NULL-terminated); *out is its index. */
NTR_API int ntr_kv_choice(const ntr_kv *kv, const char *key, const char *const *choices, int def,
                          int *out, ntr_error *err);
/* A string (NULL default allowed); it lives as long as the view. */
NTR_API int ntr_kv_string(const ntr_kv *kv, const char *key, const char *def, const char **out,
                          ntr_error *err);
/* A file path, resolved against the config's folder, into buf (empty when absent). */
NTR_API int ntr_kv_path(const ntr_kv *kv, const char *key, char *buf, size_t size,
                        ntr_error *err);
/* Where a key's value is (or the section, when the key is absent), for ntr_fail_at. */
NTR_API ntr_pos ntr_kv_pos(const ntr_kv *kv, const char *key);

/* ---- 4. layouts ------------------------------------------------------------ */

#define NTR_MAX_BLOCKS 16

/* Every iterate and gradient is one contiguous array of doubles; a layout
 * says where each block (a row-major rows x cols matrix) starts.  A vector
 * is a rows x 1 block. */
typedef struct ntr_layout {
    int nblocks;
    size_t rows[NTR_MAX_BLOCKS];
    size_t cols[NTR_MAX_BLOCKS];
    size_t off[NTR_MAX_BLOCKS]; /* start of block i in the flat array */
    size_t dim;                 /* total number of entries */
} ntr_layout;

/* Append a rows x cols block; -1 when NTR_MAX_BLOCKS is reached. */
NTR_API int ntr_layout_add(ntr_layout *lay, size_t rows, size_t cols);
/* A layout of one block. */
NTR_API ntr_layout ntr_layout_single(size_t rows, size_t cols);

/* ---- 5. the norms ------------------------------------------------------------ */

/* The norms a method can use (method.norm), as smoothness() and
 * hessian_lipschitz() receive them: by identity, not by name.  With
 * several blocks the norm is the largest block norm.  A norm added to ntr
 * without a public id here is NTR_NORM_OTHER: a problem answers NAN for
 * it, and ntr uses the generic bound. */
typedef enum ntr_norm_id {
    NTR_NORM_OTHER = 0, /* a norm this header does not name */
    NTR_NORM_EUCLIDEAN, /* "euclidean": Frobenius; dual Frobenius */
    NTR_NORM_LINF,      /* "linf": entrywise max; dual entrywise l1 */
    NTR_NORM_L1,        /* "l1": entrywise l1; dual entrywise max */
    NTR_NORM_SPECTRAL,  /* "spectral": largest singular value; dual nuclear */
    NTR_NORM_COLNORM,   /* "colnorm": largest column l2 norm; dual sum of column norms */
    NTR_NORM_ROWNORM    /* "rownorm": largest row l2 norm; dual sum of row norms */
} ntr_norm_id;

/* ---- 6. the problem interface ---------------------------------------------- */

/* Class flags: what the objective is known to satisfy. */
enum {
    NTR_PF_CONVEX       = 1u << 0,
    NTR_PF_STAR_CONVEX  = 1u << 1, /* about x_star */
    NTR_PF_NONCONVEX    = 1u << 2,
    NTR_PF_SMOOTH       = 1u << 3, /* globally L-smooth, L_frob is an upper bound */
    NTR_PF_LIP_HESSIAN  = 1u << 4, /* L2_frob is finite and an upper bound */
    NTR_PF_FINITE_SUM   = 1u << 5, /* sample_grad draws terms of a finite sum */
    NTR_PF_SAMPLED      = 1u << 6, /* sample_grad draws fresh data (an expectation) */
    NTR_PF_HARD         = 1u << 7  /* built as a lower-bound instance */
};

/* What create() gets besides its keys. */
typedef struct ntr_problem_env {
    ntr_layout shape;   /* from problem.shape / problem.blocks (nblocks 0: unset) */
    ntr_pos shape_pos;  /* where shape was given, for shape-mismatch messages */
    gsl_rng *data_rng;  /* generator for synthetic data (seeded from the config) */
} ntr_problem_env;

typedef struct ntr_problem_type ntr_problem_type;

/* One problem instance.  create() fills the public fields. */
typedef struct ntr_problem {
    const ntr_problem_type *type;
    ntr_layout layout;  /* the parameter's blocks */
    size_t n_terms;     /* finite-sum size N, 0 if not a finite sum */
    double f_star;      /* optimal value, NAN when unknown */
    double *x_star;     /* a minimiser (layout.dim entries), NULL when unknown */
    double L_frob;      /* gradient Lipschitz constant w.r.t. the Frobenius norm */
    double L2_frob;     /* Hessian Lipschitz constant (Frobenius), INFINITY if not finite/known */
    double term_sigma2; /* E||grad f_i - grad f||_2^2 bound for one sampled term, NAN if unknown */
    void *data;         /* the problem's own data and workspaces */
} ntr_problem;

/* A problem type: a static object, in the style of GSL's
 * gsl_multimin_fdfminimizer_type.  create() reads the type's own keys
 * through kv (validating them itself, with positions), builds or loads its
 * data with env->data_rng, allocates every workspace it will need and fills
 * the public fields of p (the fields start as: no layout, f_star NAN,
 * L_frob and L2_frob INFINITY, term_sigma2 NAN).  After create(), value(),
 * grad() and sample_grad() must allocate nothing: they run inside the
 * iteration loop.  A type whose class depends on its keys may set p->type
 * in create() to a static variant of itself (same create and destroy):
 * callers read flags and functions from p->type after create(). */
struct ntr_problem_type {
    int api_version;           /* NTR_API_VERSION: checked when a plug-in is loaded */
    const char *name;          /* stable name, e.g. "least_squares" */
    const char *summary;       /* one line for `ntr-run --list problems` */
    unsigned flags;            /* NTR_PF_* */
    const char *const *keys;   /* the type's own keys (NULL-terminated; NULL: none) */
    /* Of those, the keys whose value names a file the problem reads (data
     * files): their content is part of the cell's identity, so that a
     * changed file is a new cell.  NULL-terminated; NULL when none. */
    const char *const *file_keys;

    /* Required: create, destroy, value, grad. */
    int (*create)(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env, ntr_error *err);
    void (*destroy)(ntr_problem *p);
    /* f(x). */
    double (*value)(ntr_problem *p, const double *x);
    /* g = grad f(x); returns f(x). */
    double (*grad)(ntr_problem *p, const double *x, double *g);
    /* g = an unbiased stochastic gradient from `batch` sampled terms or
     * inputs, drawn with r.  Required with NTR_PF_FINITE_SUM or
     * NTR_PF_SAMPLED, NULL otherwise (noise is then added by the runner). */
    void (*sample_grad)(ntr_problem *p, const double *x, long batch, gsl_rng *r, double *g);
    /* Optional (NULL, or NAN for a norm it does not know, NTR_NORM_OTHER
     * included): a tighter smoothness constant in the norm `norm` than the
     * generic bound rho * c * L_frob. */
    double (*smoothness)(const ntr_problem *p, ntr_norm_id norm);
    /* Optional: the same for the Hessian Lipschitz constant. */
    double (*hessian_lipschitz)(const ntr_problem *p, ntr_norm_id norm);
};

/* ---- 7. running one cell from C --------------------------------------------- */

/* The trajectory of one run: the columns of trajectory.csv (k, sfo, f,
 * gap, grad_dual, ...) for each logged iteration, and how the run ended. */
typedef struct ntr_trajectory ntr_trajectory;

/* Run the one cell that config_text (YAML, as in a config file) describes:
 * a config with a sweep, a study or seeds > 1 is refused.  base_dir is the
 * folder relative paths start from (NULL: the current folder).  With
 * out_dir, the run writes a result folder there exactly as
 * `ntr-run -o out_dir --no-plot` (an existing one is resumed); with traj,
 * *traj receives the trajectory (free it with ntr_trajectory_free).  Give
 * either or both.  Returns 0, or -1 with err filled (ntr_error_exit_code
 * says 2 for bad input).  A diverged run is a result, not an error: see
 * ntr_trajectory_status.  Like ntr-run, the run sets OpenBLAS to one
 * thread in this process, so that its rows are byte-identical to
 * ntr-run's.  A plug-in library, once loaded, stays loaded in the process:
 * rebuild it between runs of a program, not during one.  The macro
 * passes the caller's NTR_API_VERSION, and a library of another version
 * refuses the call. */
#define ntr_run_cell(config_text, base_dir, out_dir, traj, err) \
    ntr_run_cell_checked(NTR_API_VERSION, (config_text), (base_dir), (out_dir), (traj), (err))
NTR_API int ntr_run_cell_checked(int api_version, const char *config_text, const char *base_dir,
                                 const char *out_dir, ntr_trajectory **traj, ntr_error *err);

NTR_API size_t ntr_trajectory_rows(const ntr_trajectory *t);
NTR_API size_t ntr_trajectory_columns(const ntr_trajectory *t);
NTR_API const char *ntr_trajectory_column_name(const ntr_trajectory *t, size_t col);
/* Index of the named column, or -1. */
NTR_API long ntr_trajectory_column_index(const ntr_trajectory *t, const char *name);
NTR_API double ntr_trajectory_value(const ntr_trajectory *t, size_t row, size_t col);
/* How the run ended, as its summary.json says (done, target, diverged, ...). */
NTR_API const char *ntr_trajectory_status(const ntr_trajectory *t);
/* The cell's hash: its folder name under cells/ in a result folder. */
NTR_API const char *ntr_trajectory_hash(const ntr_trajectory *t);
NTR_API void ntr_trajectory_free(ntr_trajectory *t);

#ifdef __cplusplus
}
#endif

#endif

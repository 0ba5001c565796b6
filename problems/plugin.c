/* plugin.c: problems defined outside ntr, in a shared library the config
 * names:
 *
 *     problem: {type: plugin, library: libmine.so, symbol: my_problem, ...own keys...}
 *
 * The library is built against the public header ntr/ntr.h and defines
 * `const ntr_problem_type my_problem`, the same type object the built-in
 * problems are.  create() loads the library (dlopen, the path relative to
 * the config's folder, never searched for elsewhere), finds the symbol,
 * checks that the type speaks this ntr's NTR_API_VERSION and has every
 * function it needs, checks the section's keys against the ones the type
 * declares, then creates the plug-in's problem through the key/value view,
 * so that its own errors carry file:line:col like a built-in's.
 *
 * The library is opened with RTLD_NODELETE: once loaded it stays mapped
 * for the process (planning loads it for every cell, to check the keys and
 * to name the files whose content is part of the cell's identity: the
 * library itself and the plug-in's own file_keys).
 *
 * The problem handed back wraps the plug-in's instance (as COCO wraps a
 * problem in a transformed one): its type is a per-instance copy of the
 * plug-in's type (name, class flags, keys) whose functions forward to the
 * plug-in, and whose destroy also closes the library.  Every failure to
 * load, and a declared class without the constants it needs (smooth
 * without a finite L, ...), is an input error (exit 2) at the `library`
 * or `symbol` value; whether the constants are true is ntr-probe's
 * question. */
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "problems/problem.h"

/* The loader's own keys; the plug-in's keys come from its type. */
static const char *const loader_keys[] = {"library", "symbol", NULL};

typedef struct plugin_instance {
    void *handle;           /* the library, closed by destroy */
    ntr_problem inner;      /* the plug-in's own problem */
    ntr_problem_type type;  /* the wrapper's type: the plug-in's, forwarding */
} plugin_instance;

/* "problem.KEY" for messages. */
static const char *section(const ntr_kv *kv)
{
    return kv->section ? kv->section : "problem";
}

/* The library path the config names, as dlopen must get it: with a slash,
 * so that dlopen opens that file and never searches the library path. */
static int library_path(const ntr_kv *kv, char *path, size_t size, ntr_error *err)
{
    char given[4096];
    if (ntr_kv_path(kv, "library", given, sizeof given, err) != 0)
        return -1;
    if (!given[0])
        return ntr_fail_at(err, ntr_kv_pos(kv, "library"),
                           "%s: type plugin needs `library:`, the shared library (.so) that "
                           "defines the problem",
                           section(kv));
    int n = snprintf(path, size, "%s%s", strchr(given, '/') ? "" : "./", given);
    if (n < 0 || (size_t)n >= size)
        return ntr_fail_at(err, ntr_kv_pos(kv, "library"), "%s.library: file name too long",
                           section(kv));
    struct stat st;
    if (stat(path, &st) != 0)
        return ntr_fail_at(err, ntr_kv_pos(kv, "library"), "%s.library: cannot open '%s': %s",
                           section(kv), path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return ntr_fail_at(err, ntr_kv_pos(kv, "library"),
                           "%s.library: '%s' is not a file (a shared library .so is expected)",
                           section(kv), path);
    return 0;
}

/* The functions a plug-in's type must have; NULL when it has them all. */
static const char *missing_function(const ntr_problem_type *t)
{
    if (!t->create)
        return "create";
    if (!t->destroy)
        return "destroy";
    if (!t->value)
        return "value";
    if (!t->grad)
        return "grad";
    if ((t->flags & (NTR_PF_FINITE_SUM | NTR_PF_SAMPLED)) && !t->sample_grad)
        return "sample_grad (its flags say finite-sum or sampled)";
    return NULL;
}

/* Load the library, find the symbol and check the type it names. */
static int load_type(const ntr_kv *kv, void **handle, const ntr_problem_type **type,
                     ntr_error *err)
{
    char path[4200];
    const char *symbol = NULL;
    if (library_path(kv, path, sizeof path, err) != 0 ||
        ntr_kv_string(kv, "symbol", NULL, &symbol, err) != 0)
        return -1;
    if (!symbol || !symbol[0])
        return ntr_fail_at(err, ntr_kv_pos(kv, "symbol"),
                           "%s: type plugin needs `symbol:`, the name of the ntr_problem_type "
                           "that the library defines",
                           section(kv));
    dlerror();
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!h) {
        const char *why = dlerror();
        return ntr_fail_at(err, ntr_kv_pos(kv, "library"), "%s.library: cannot load '%s': %s",
                           section(kv), path, why ? why : "unknown reason");
    }
    dlerror();
    const ntr_problem_type *t = dlsym(h, symbol);
    if (!t) {
        dlclose(h);
        return ntr_fail_at(err, ntr_kv_pos(kv, "symbol"),
                           "%s.symbol: '%s' is not defined in %s (a plug-in defines `const "
                           "ntr_problem_type %s = {NTR_API_VERSION, ...}`)",
                           section(kv), symbol, path, symbol);
    }
    const char *missing;
    if (t->api_version != NTR_API_VERSION) {
        int v = t->api_version;
        dlclose(h);
        return ntr_fail_at(err, ntr_kv_pos(kv, "symbol"),
                           "%s.symbol: '%s' in %s was built for ntr API version %d; this ntr "
                           "speaks version %d: rebuild the plug-in against the installed "
                           "ntr/ntr.h (pkg-config --cflags --libs ntr)",
                           section(kv), symbol, path, v, NTR_API_VERSION);
    }
    if (!t->name || !t->name[0]) {
        dlclose(h);
        return ntr_fail_at(err, ntr_kv_pos(kv, "symbol"),
                           "%s.symbol: the type '%s' in %s has no name", section(kv), symbol,
                           path);
    }
    if ((missing = missing_function(t)) != NULL) {
        dlclose(h);
        return ntr_fail_at(err, ntr_kv_pos(kv, "symbol"),
                           "%s.symbol: the type '%s' in %s has no %s function (a problem type "
                           "needs create, destroy, value and grad)",
                           section(kv), symbol, path, missing);
    }
    *handle = h;
    *type = t;
    return 0;
}

/* The loader's file: the library, whose content is part of the cell. */
static const char *const loader_file_keys[] = {"library", NULL};

int ntr_plugin_file_keys(const ntr_kv *kv, const char **keys, int max, int *n, ntr_error *err)
{
    void *handle;
    const ntr_problem_type *t;
    *n = 0;
    if (load_type(kv, &handle, &t, err) != 0)
        return -1;
    int rc = ntr_problem_check_keys(t, kv, loader_keys, err);
    for (int i = 0; rc == 0 && loader_file_keys[i]; i++)
        keys[(*n)++] = loader_file_keys[i];
    for (size_t i = 0; rc == 0 && t->file_keys && t->file_keys[i]; i++) {
        if (*n >= max)
            rc = ntr_fail_at(err, ntr_kv_pos(kv, "symbol"),
                             "%s.symbol: the type '%s' declares more than %d file keys",
                             section(kv), t->name, max - 1);
        else /* the library stays loaded (RTLD_NODELETE): the names stay valid */
            keys[(*n)++] = t->file_keys[i];
    }
    dlclose(handle);
    return rc;
}

/* ---- the wrapper's functions: forward to the plug-in's instance ---------- */

static double fwd_value(ntr_problem *p, const double *x)
{
    plugin_instance *w = p->data;
    return w->inner.type->value(&w->inner, x);
}

static double fwd_grad(ntr_problem *p, const double *x, double *g)
{
    plugin_instance *w = p->data;
    return w->inner.type->grad(&w->inner, x, g);
}

static void fwd_sample_grad(ntr_problem *p, const double *x, long batch, gsl_rng *r, double *g)
{
    plugin_instance *w = p->data;
    w->inner.type->sample_grad(&w->inner, x, batch, r, g);
}

static double fwd_smoothness(const ntr_problem *p, ntr_norm_id norm)
{
    const plugin_instance *w = p->data;
    return w->inner.type->smoothness(&w->inner, norm);
}

static double fwd_hessian_lipschitz(const ntr_problem *p, ntr_norm_id norm)
{
    const plugin_instance *w = p->data;
    return w->inner.type->hessian_lipschitz(&w->inner, norm);
}

static void plugin_destroy(ntr_problem *p)
{
    plugin_instance *w = p->data;
    if (!w)
        return;
    ntr_problem_destroy(&w->inner);
    if (w->handle)
        dlclose(w->handle);
    free(w);
    p->data = NULL;
}

/* What the plug-in's instance declares must be usable: a smooth problem
 * has a finite L, a Lipschitz Hessian a finite L2, a star-convex one its
 * x*, a finite sum its number of terms. */
static int check_declared(const ntr_kv *kv, const ntr_problem *in, ntr_error *err)
{
    const char *name = in->type->name;
    unsigned fl = in->type->flags;
    const char *why = NULL;
    if ((fl & NTR_PF_SMOOTH) && !(isfinite(in->L_frob) && in->L_frob >= 0))
        why = "is declared smooth, but its L_frob is not a finite number >= 0";
    else if ((fl & NTR_PF_LIP_HESSIAN) && !(isfinite(in->L2_frob) && in->L2_frob >= 0))
        why = "is declared to have a Lipschitz Hessian, but its L2_frob is not a finite number "
              ">= 0";
    else if ((fl & NTR_PF_STAR_CONVEX) && !in->x_star)
        why = "is declared star-convex (about x_star), but its x_star is NULL";
    else if ((fl & NTR_PF_FINITE_SUM) && in->n_terms == 0)
        why = "is declared a finite sum, but its n_terms is 0";
    if (!why)
        return 0;
    return ntr_fail_at(err, ntr_kv_pos(kv, "symbol"), "%s.symbol: the problem '%s' %s",
                       section(kv), name, why);
}

static int plugin_create(ntr_problem *p, const ntr_kv *kv, const ntr_problem_env *env,
                         ntr_error *err)
{
    void *handle;
    const ntr_problem_type *t;
    if (load_type(kv, &handle, &t, err) != 0)
        return -1;
    plugin_instance *w = calloc(1, sizeof *w);
    if (!w) {
        dlclose(handle);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    w->handle = handle;
    p->data = w; /* from here on, a failure is cleaned up by plugin_destroy */
    if (ntr_problem_create_with(&w->inner, t, kv, env, loader_keys, err) != 0)
        return -1;
    const ntr_problem *in = &w->inner;
    if (check_declared(kv, in, err) != 0)
        return -1;
    const ntr_problem_type *it = in->type; /* the instance's type (a variant, maybe) */
    w->type = *it;
    w->type.create = plugin_create;
    w->type.destroy = plugin_destroy;
    w->type.value = fwd_value;
    w->type.grad = fwd_grad;
    w->type.sample_grad = it->sample_grad ? fwd_sample_grad : NULL;
    w->type.smoothness = it->smoothness ? fwd_smoothness : NULL;
    w->type.hessian_lipschitz = it->hessian_lipschitz ? fwd_hessian_lipschitz : NULL;
    p->type = &w->type;
    p->layout = in->layout;
    p->n_terms = in->n_terms;
    p->f_star = in->f_star;
    p->x_star = in->x_star;
    p->L_frob = in->L_frob;
    p->L2_frob = in->L2_frob;
    p->term_sigma2 = in->term_sigma2;
    return 0;
}

const ntr_problem_type ntr_problem_plugin = {
    .api_version = NTR_API_VERSION,
    .name = "plugin",
    .summary = "a problem from a shared library: library: PATH.so, symbol: NAME, its own keys",
    .flags = 0,
    .keys = loader_keys,
    .file_keys = loader_file_keys,
    .create = plugin_create,
    .destroy = plugin_destroy,
    .value = fwd_value,
    .grad = fwd_grad,
};

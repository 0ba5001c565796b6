/* problem.c: the type-independent part of the problem interface (see
 * problem.h): lookup in the registry, the check of a section's keys,
 * create/destroy wrappers that check the keys and leave a failed problem
 * empty, and the text of class flags. */
#include "problems/problem.h"
#include "base/registry.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Keys of the problem section that belong to the runner, not to the type. */
static const char *const common_keys[] = {"type", "shape", "blocks", "data_seed", NULL};

#define MAX_KEYS 64

const ntr_problem_type *ntr_problem_lookup(const char *name)
{
    if (!name)
        return NULL;
    const char *names[NTR_REGISTRY_MAX];
    NTR_REGISTRY_NAMES(ntr_problem_types, names);
    int i = ntr_registry_index(names, name);
    return i < 0 ? NULL : ntr_problem_types[i];
}

int ntr_problem_find(const char *name, const char *what, ntr_pos pos, const ntr_problem_type **out,
                    ntr_error *err)
{
    const char *names[NTR_REGISTRY_MAX];
    NTR_REGISTRY_NAMES(ntr_problem_types, names);
    int i = ntr_registry_find(names, name, what, pos, err);
    if (i < 0)
        return -1;
    *out = ntr_problem_types[i];
    return 0;
}

static void set_empty(ntr_problem *p)
{
    memset(p, 0, sizeof *p);
    p->f_star = NAN;
    p->L_frob = INFINITY;
    p->L2_frob = INFINITY;
    p->term_sigma2 = NAN;
}

int ntr_problem_check_keys(const ntr_problem_type *t, const ntr_kv *kv,
                           const char *const *extra, ntr_error *err)
{
    /* The plug-in loader's keys are those of the library it loads: its
     * create() checks them once the library is loaded (plugin.c). */
    if (t == &ntr_problem_plugin)
        return 0;
    const char *allowed[MAX_KEYS];
    size_t n = 0;
    for (size_t i = 0; common_keys[i]; i++)
        allowed[n++] = common_keys[i];
    for (size_t i = 0; extra && extra[i] && n + 1 < MAX_KEYS; i++)
        allowed[n++] = extra[i];
    for (size_t i = 0; t->keys && t->keys[i] && n + 1 < MAX_KEYS; i++)
        allowed[n++] = t->keys[i];
    allowed[n] = NULL;
    return ntr_kv_check_keys(kv, allowed, err);
}

int ntr_problem_file_keys(const ntr_problem_type *t, const ntr_kv *kv, const char **keys,
                          int max, int *n, ntr_error *err)
{
    if (t == &ntr_problem_plugin)
        return ntr_plugin_file_keys(kv, keys, max, n, err);
    *n = 0;
    for (size_t i = 0; t->file_keys && t->file_keys[i] && *n < max; i++)
        keys[(*n)++] = t->file_keys[i];
    return 0;
}

int ntr_problem_create(ntr_problem *p, const ntr_problem_type *t, const ntr_kv *kv,
                       const ntr_problem_env *env, ntr_error *err)
{
    return ntr_problem_create_with(p, t, kv, env, NULL, err);
}

int ntr_problem_create_with(ntr_problem *p, const ntr_problem_type *t, const ntr_kv *kv,
                            const ntr_problem_env *env, const char *const *extra, ntr_error *err)
{
    set_empty(p);
    if (!t)
        return ntr_fail(err, NTR_E_INTERNAL, "no problem type");
    ntr_kv none = {NULL, "problem", NULL};
    if (!kv)
        kv = &none;
    if (ntr_problem_check_keys(t, kv, extra, err) != 0)
        return -1;

    /* A problem needs a data generator; without one (tests, probes) it gets
     * a fixed-seed generator of its own for the duration of create(). */
    ntr_problem_env local;
    gsl_rng *own = NULL;
    if (!env || !env->data_rng) {
        memset(&local, 0, sizeof local);
        if (env)
            local = *env;
        own = gsl_rng_alloc(gsl_rng_mt19937);
        if (!own)
            return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        gsl_rng_set(own, 1);
        local.data_rng = own;
        env = &local;
    }
    p->type = t;
    int rc = t->create(p, kv, env, err);
    if (own)
        gsl_rng_free(own);
    if (rc != 0) {
        if (t->destroy)
            t->destroy(p);
        set_empty(p);
        return -1;
    }
    if (p->layout.nblocks < 1 || p->layout.dim == 0) {
        if (t->destroy)
            t->destroy(p);
        set_empty(p);
        return ntr_fail(err, NTR_E_INTERNAL, "problem %s: create left an empty layout", t->name);
    }
    return 0;
}

void ntr_problem_destroy(ntr_problem *p)
{
    if (!p)
        return;
    if (p->type && p->type->destroy)
        p->type->destroy(p);
    set_empty(p);
}

void ntr_problem_flags_format(unsigned flags, char *buf, size_t size)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
        {NTR_PF_CONVEX, "convex"},
        {NTR_PF_STAR_CONVEX, "star-convex"},
        {NTR_PF_NONCONVEX, "nonconvex"},
        {NTR_PF_SMOOTH, "smooth"},
        {NTR_PF_LIP_HESSIAN, "lipschitz-hessian"},
        {NTR_PF_FINITE_SUM, "finite-sum"},
        {NTR_PF_SAMPLED, "sampled"},
        {NTR_PF_HARD, "hard"},
    };
    if (!buf || size == 0)
        return;
    buf[0] = '\0';
    size_t used = 0;
    int first = 1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(flags & names[i].bit))
            continue;
        int w = snprintf(buf + used, size - used, "%s%s", first ? "" : ",", names[i].name);
        if (w < 0 || (size_t)w >= size - used) {
            buf[size - 1] = '\0';
            return;
        }
        used += (size_t)w;
        first = 0;
    }
}

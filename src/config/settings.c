/* settings.c: reading and validating the typed settings of one run from a
 * config tree (see settings.h): the top level and the problem, noise,
 * init, budget and log sections (the method section is settings_method.c).
 * Each section has its own reader; every absent key takes the default
 * written next to it. */
#include "config/settings.h"
#include "config/settings_read.h"
#include "base/registry.h"
#include "config/limits.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "problems/problem.h"

const char *const ntr_settings_extra_keys[] = {"sweep", "seeds", "union", "study", "inputs", NULL};

static const char *const top_keys[] = {"name",  "seed",  "problem", "noise", "method",
                                       "init",  "budget", "log",    "sweep", "seeds",
                                       "union", "study", "data_dir", "inputs", NULL};
static const char *const noise_generic_keys[] = {"type", "sigma", "batch", NULL};
static const char *const init_keys[] = {"type", "scale", "file", NULL};
static const char *const init_names[] = {"gaussian", "zeros", "file", NULL};
static const char *const budget_keys[] = {"iterations",    "targets", "stop_at_target",
                                          "diverge_above", "measure", NULL};
static const char *const log_keys[] = {"every", "measure_every", NULL};

/* Largest parameter accepted: refused before anything is allocated. */
#define NTR_MAX_DIM (1UL << 27)

int ntr_settings_copy_name(char *dst, size_t size, const char *src, ntr_pos pos, const char *what,
                           ntr_error *err)
{
    if (strlen(src) >= size)
        return ntr_fail_at(err, pos, "%s is too long (at most %zu characters)", what, size - 1);
    memcpy(dst, src, strlen(src) + 1);
    return 0;
}

int ntr_settings_section(const ntr_node *root, const char *name, const char *const *keys,
                         ntr_kv *kv, const char *base_dir, ntr_error *err)
{
    const ntr_node *n = ntr_node_get(root, name);
    kv->map = n;
    kv->section = name;
    kv->base_dir = base_dir;
    if (n && n->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, n->pos, "%s must be a mapping of keys", name);
    return keys ? ntr_kv_check_keys(kv, keys, err) : 0;
}

static int read_dims(const ntr_node *n, const char *what, ntr_layout *lay, ntr_error *err)
{
    if (n->kind != NTR_NODE_SEQ || n->n < 1 || n->n > 2)
        return ntr_fail_at(err, n->pos, "%s must be [rows, cols] or [length]", what);
    long d[2] = {1, 1};
    for (size_t i = 0; i < n->n; i++) {
        if (ntr_node_as_long(n->items[i], what, &d[i], err) != 0)
            return -1;
        if (d[i] < 1)
            return ntr_fail_at(err, n->items[i]->pos, "%s: sizes must be at least 1, not %ld", what,
                               d[i]);
        if ((unsigned long)d[i] > NTR_MAX_DIM)
            return ntr_fail_at(err, n->items[i]->pos, "%s: size %ld is too large", what, d[i]);
    }
    double entries = (double)lay->dim + (double)d[0] * (double)d[1];
    if (entries > (double)NTR_MAX_DIM)
        return ntr_fail_at(err, n->pos,
                           "%s: %.0f parameters would need %.1f GiB per copy; at most %lu are "
                           "accepted",
                           what, entries, entries * 8.0 / 1073741824.0, NTR_MAX_DIM);
    if (ntr_layout_add(lay, (size_t)d[0], (size_t)d[1]) != 0)
        return ntr_fail_at(err, n->pos, "at most %d blocks", NTR_MAX_BLOCKS);
    return 0;
}

static int read_problem(const ntr_node *root, ntr_settings *s, ntr_error *err)
{
    ntr_kv kv;
    if (ntr_settings_section(root, "problem", NULL, &kv, s->base_dir, err) != 0)
        return -1;
    s->problem_node = kv.map;
    const char *type;
    if (ntr_kv_string(&kv, "type", "least_squares", &type, err) != 0)
        return -1;
    if (ntr_problem_find(type, "problem", ntr_kv_pos(&kv, "type"), &s->problem, err) != 0)
        return -1;
    /* Generic keys plus the problem's own (a plug-in's: with its files). */
    const ntr_problem_type *pt = s->problem;
    const char *fkeys[NTR_MAX_INPUTS];
    int nf;
    if (ntr_problem_check_keys(pt, &kv, NULL, err) != 0 ||
        ntr_problem_file_keys(pt, &kv, fkeys, NTR_MAX_INPUTS, &nf, err) != 0)
        return -1;
    /* Files the problem reads: their content is part of the cell. */
    for (int i = 0; i < nf; i++) {
        const ntr_node *f = ntr_node_get(kv.map, fkeys[i]);
        char key[64];
        snprintf(key, sizeof key, "problem.%s", fkeys[i]);
        if (f && (ntr_node_as_string(f, key, &(const char *){NULL}, err) != 0 ||
                  ntr_inputs_add(&s->inputs, key, f, err) != 0))
            return -1;
    }

    memset(&s->shape, 0, sizeof s->shape);
    const ntr_node *shape = ntr_node_get(kv.map, "shape");
    const ntr_node *blocks = ntr_node_get(kv.map, "blocks");
    if (shape && blocks)
        return ntr_fail_at(err, blocks->pos, "give problem.shape or problem.blocks, not both");
    if (shape) {
        s->shape_pos = shape->pos;
        if (read_dims(shape, "problem.shape", &s->shape, err) != 0)
            return -1;
    } else if (blocks) {
        s->shape_pos = blocks->pos;
        if (blocks->kind != NTR_NODE_SEQ || blocks->n == 0)
            return ntr_fail_at(err, blocks->pos, "problem.blocks must be a list of [rows, cols]");
        for (size_t i = 0; i < blocks->n; i++)
            if (read_dims(blocks->items[i], "problem.blocks", &s->shape, err) != 0)
                return -1;
    } else {
        s->shape_pos = kv.map ? kv.map->pos : root->pos;
    }
    return ntr_kv_long(&kv, "data_seed", (long)s->seed, 0, 4294967295L, &s->data_seed, err);
}

static int read_noise(const ntr_node *root, ntr_settings *s, ntr_error *err)
{
    ntr_kv kv;
    const char *names[NTR_REGISTRY_MAX], *keys[64];
    size_t nk = 0;
    for (; noise_generic_keys[nk]; nk++)
        keys[nk] = noise_generic_keys[nk];
    ntr_noise_all_keys(keys + nk, 64 - nk);
    NTR_REGISTRY_NAMES(ntr_noise_types, names);
    int type, gaussian = 0;
    gaussian = ntr_registry_index(names, "gaussian");
    if (ntr_settings_section(root, "noise", keys, &kv, s->base_dir, err) != 0 ||
        ntr_kv_choice(&kv, "type", names, gaussian, &type, err) != 0 ||
        ntr_kv_double(&kv, "sigma", 0.0, 0.0, 1e300, &s->sigma, err) != 0 ||
        ntr_kv_long(&kv, "batch", 1, 1, 1L << 40, &s->batch, err) != 0)
        return -1;
    s->noise = ntr_noise_types[type];
    return ntr_noise_read_opts(s->noise, &kv, s->noise_opt, s->noise_pos, err);
}

double ntr_settings_noise_opt(const ntr_settings *s, const char *key)
{
    int i = ntr_noise_key_index(s->noise, key);
    return i < 0 ? NAN : s->noise_opt[i];
}

static int read_init(const ntr_node *root, ntr_settings *s, ntr_error *err)
{
    ntr_kv kv;
    int type;
    if (ntr_settings_section(root, "init", init_keys, &kv, s->base_dir, err) != 0)
        return -1;
    int has_file = ntr_node_get(kv.map, "file") != NULL;
    if (ntr_kv_choice(&kv, "type", init_names, has_file ? NTR_INIT_FILE : NTR_INIT_GAUSSIAN, &type,
                      err) != 0 ||
        ntr_kv_double(&kv, "scale", 1.0, 0.0, 1e300, &s->init_scale, err) != 0 ||
        ntr_kv_path(&kv, "file", s->init_file, sizeof s->init_file, err) != 0)
        return -1;
    s->init = (ntr_init_type)type;
    s->init_pos = ntr_kv_pos(&kv, "file");
    if (s->init == NTR_INIT_FILE && !s->init_file[0])
        return ntr_fail_at(err, ntr_kv_pos(&kv, "type"), "init.type file needs init.file: PATH");
    if (s->init != NTR_INIT_FILE && s->init_file[0])
        return ntr_fail_at(err, ntr_kv_pos(&kv, "file"), "init.file is given but init.type is %s",
                           init_names[type]);
    if (s->init_file[0])
        return ntr_inputs_add(&s->inputs, "init.file", ntr_node_get(kv.map, "file"), err);
    return 0;
}

static int read_budget(const ntr_node *root, ntr_settings *s, ntr_error *err)
{
    ntr_kv kv;
    int measure = 0;
    if (ntr_settings_section(root, "budget", budget_keys, &kv, s->base_dir, err) != 0 ||
        ntr_kv_long(&kv, "iterations", 10000, 1, 1000000000000L, &s->iterations, err) != 0 ||
        ntr_kv_bool(&kv, "stop_at_target", 0, &s->stop_at_target, err) != 0 ||
        ntr_kv_double(&kv, "diverge_above", 1e4, 0.0, 1e300, &s->diverge_above, err) != 0 ||
        ntr_kv_choice(&kv, "measure", ntr_measure_names, 0, &measure, err) != 0)
        return -1;
    s->measure = (ntr_measure)measure;
    if (!(s->diverge_above > 0))
        return ntr_fail_at(err, ntr_kv_pos(&kv, "diverge_above"),
                           "budget.diverge_above must be positive");
    s->ntargets = 0;
    const ntr_node *t = ntr_node_get(kv.map, "targets");
    if (!t)
        return 0;
    if (t->kind == NTR_NODE_SCALAR) {
        if (ntr_node_as_double(t, "budget.targets", &s->targets[0], err) != 0)
            return -1;
        s->ntargets = 1;
    } else if (t->kind == NTR_NODE_SEQ) {
        if (t->n > NTR_MAX_TARGETS)
            return ntr_fail_at(err, t->pos, "budget.targets: at most %d targets", NTR_MAX_TARGETS);
        for (size_t i = 0; i < t->n; i++)
            if (ntr_node_as_double(t->items[i], "budget.targets", &s->targets[s->ntargets++],
                                   err) != 0)
                return -1;
    } else {
        return ntr_fail_at(err, t->pos, "budget.targets must be a number or a list of numbers");
    }
    /* Norms and gaps are positive; a target on f itself may be any number. */
    for (int i = 0; i < s->ntargets; i++) {
        ntr_pos at = t->kind == NTR_NODE_SEQ ? t->items[i]->pos : t->pos;
        if (s->measure != NTR_MEASURE_F && !(s->targets[i] > 0))
            return ntr_fail_at(err, at,
                               "budget.targets must be positive (a negative target needs "
                               "budget.measure: f)");
        char li[64], lj[64];
        ntr_target_label(s->targets[i], li, sizeof li);
        for (int j = 0; j < i; j++) {
            ntr_target_label(s->targets[j], lj, sizeof lj);
            if (strcmp(li, lj) == 0)
                return ntr_fail_at(err, at,
                                   "budget.targets: %s and %s are the same target as column "
                                   "names write them (K_%s); give distinct targets",
                                   t->items[j]->text, t->items[i]->text, li);
        }
    }
    return 0;
}

void ntr_target_label(double target, char *buf, size_t size)
{
    snprintf(buf, size, "%g", target);
}

static int read_log(const ntr_node *root, ntr_settings *s, ntr_error *err)
{
    ntr_kv kv;
    if (ntr_settings_section(root, "log", log_keys, &kv, s->base_dir, err) != 0)
        return -1;
    /* measure_every: log (0, the default: on the logging grid) or N >= 1 */
    const ntr_node *me = ntr_node_get(kv.map, "measure_every");
    s->measure_every = 0;
    if (me && !(me->kind == NTR_NODE_SCALAR && !strcmp(me->text, "log")) &&
        ntr_kv_long(&kv, "measure_every", 0, 1, 1L << 50, &s->measure_every, err) != 0)
        return -1;
    const ntr_node *e = ntr_node_get(kv.map, "every");
    s->log_every = 0;
    if (e && !(e->kind == NTR_NODE_SCALAR && !strcmp(e->text, "log")))
        return ntr_kv_long(&kv, "every", 0, 1, 1L << 50, &s->log_every, err);
    return 0;
}

/* Why name cannot be a result folder's name (NULL when it can): it must
 * be a plain, visible, unambiguous folder name, safe in a shell. */
static const char *folder_name_fault(const char *name)
{
    if (!name[0])
        return "is empty";
    if (strspn(name, " ") == strlen(name))
        return "is only spaces";
    if (name[0] == ' ' || name[strlen(name) - 1] == ' ')
        return "starts or ends with a space";
    if (strchr(name, '/'))
        return "holds a '/'";
    if (!strcmp(name, ".") || !strcmp(name, ".."))
        return "is a folder of its own ('.' or '..')";
    if (name[0] == '~')
        return "starts with '~' (a shell reads ~ as a home folder)";
    if (name[0] == '-')
        return "starts with '-' (commands would read it as an option)";
    if (ntr_needs_escape(name))
        return "holds a control, invisible or bidirectional character, or bytes that are not "
               "UTF-8";
    return NULL;
}

int ntr_settings_read(const ntr_node *root, const char *base_dir, const char *default_name,
                      ntr_settings *s, ntr_error *err)
{
    memset(s, 0, sizeof *s);
    snprintf(s->base_dir, sizeof s->base_dir, "%s", base_dir ? base_dir : "");
    s->max_memory = NTR_DEFAULT_MAX_MEMORY; /* a plan sets its own limit */
    if (root->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, root->pos, "a config must be a mapping of keys (name:, problem:, ...)");
    ntr_kv kv = {root, "config", s->base_dir};
    if (ntr_kv_check_keys(&kv, top_keys, err) != 0)
        return -1;
    /* data_dir: where relative data paths start (a result folder's
     * config.yaml names the original config's folder this way). */
    char data_dir[sizeof s->base_dir];
    if (ntr_kv_path(&kv, "data_dir", data_dir, sizeof data_dir, err) != 0)
        return -1;
    if (data_dir[0])
        memcpy(s->base_dir, data_dir, sizeof data_dir);
    const char *name;
    long seed;
    if (ntr_kv_string(&kv, "name", default_name ? default_name : "ntr", &name, err) != 0 ||
        ntr_kv_long(&kv, "seed", 1, 0, 4294967295L, &seed, err) != 0)
        return -1;
    const char *why = folder_name_fault(name);
    if (why && !ntr_node_get(root, "name"))
        return ntr_fail_at(err, (ntr_pos){root->pos.file, 1, 1},
                           "the config has no name: and its file name gives '%s', which cannot "
                           "name a result folder: it %s; add name: NAME",
                           name, why);
    if (why)
        return ntr_fail_at(err, ntr_kv_pos(&kv, "name"),
                           "name '%s' cannot name a result folder: it %s", name, why);
    if (ntr_settings_copy_name(s->name, sizeof s->name, name, ntr_kv_pos(&kv, "name"), "name",
                               err) != 0)
        return -1;
    s->seed = (unsigned long)seed;
    if (read_problem(root, s, err) != 0 || read_noise(root, s, err) != 0 ||
        ntr_settings_read_method(root, s, err) != 0 || read_init(root, s, err) != 0 ||
        read_budget(root, s, err) != 0 || read_log(root, s, err) != 0)
        return -1;
    return 0;
}

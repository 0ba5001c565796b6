/* settings.h: the typed settings of one run, read from a config tree.
 *
 * ntr_settings_read() fills every field from the tree, taking the default
 * for each absent key, and checks types, ranges and names (registries of
 * problems, norms and methods) with positioned errors.  Unknown keys are
 * errors naming the nearest valid key.  ntr_settings_noise_opt() reads a
 * noise type's own key by name.  ntr_settings_yaml() writes the
 * resolved settings back as canonical YAML: the config.yaml of a result
 * folder and the text a cell's hash is taken of. */
#ifndef NTR_SETTINGS_H
#define NTR_SETTINGS_H

#include <stdio.h>

#include "base/layout.h"
#include "config/measure.h"
#include "methods/method.h"
#include "base/node.h"
#include "problems/problem.h"
#include "noise/noise.h"
#include "norms/norm.h"
#include "config/schedule_spec.h"
#include "config/inputs.h"

typedef enum { NTR_INIT_GAUSSIAN = 0, NTR_INIT_ZEROS, NTR_INIT_FILE } ntr_init_type;

#define NTR_MAX_TARGETS 16

typedef struct ntr_settings {
    char name[128];
    unsigned long seed;
    char base_dir[1024];        /* folder relative paths start from: the config
                                   file's, or data_dir when given */
    ntr_inputs inputs;          /* files the run reads (hashed by the plan) */
    double max_memory;          /* bytes a run may need (run/estimate.h); <= 0: no limit */

    /* problem */
    const ntr_problem_type *problem; /* problem.type, looked up once */
    ntr_layout shape;           /* nblocks 0: the problem's default */
    ntr_pos shape_pos;
    long data_seed;             /* seed of the synthetic data (default: seed) */
    const ntr_node *problem_node; /* the problem map (problem-specific keys); borrowed */

    /* noise */
    const ntr_noise_type *noise; /* registry type (noise/registry.c) */
    double sigma;
    long batch;
    double noise_opt[NTR_NOISE_MAX_KEYS]; /* the type's own keys, in its declaration order */
    ntr_pos noise_pos[NTR_NOISE_MAX_KEYS]; /* where each was given (errors found when a run starts) */

    /* method */
    const ntr_method_type *method; /* method.name, looked up once */
    const ntr_norm_type *norm;     /* method.norm, looked up once */
    char lmo_name[32];          /* svd | newton_schulz | polar_express */
    char lmo_coef[32];          /* jordan | cubic | polar_express | custom */
    ntr_lmo_opts lmo;
    ntr_schedule_spec eta;
    ntr_method_opts mopts;

    /* init */
    ntr_init_type init;
    double init_scale;
    char init_file[1024];
    ntr_pos init_pos;

    /* budget */
    long iterations;
    double targets[NTR_MAX_TARGETS];
    int ntargets;
    int stop_at_target;
    double diverge_above;
    ntr_measure measure;        /* what the targets apply to (budget.measure) */

    /* log */
    long log_every;             /* 0: log-spaced, about 20 rows a decade */
    long measure_every;         /* 0: on the logging grid (log.measure_every: log) */
} ntr_settings;

/* A target as it names result columns (summary.csv K_<label>, SFO_<label>):
 * targets whose labels are equal are refused, so every column name is
 * unique. */
void ntr_target_label(double target, char *buf, size_t size);

/* Top-level keys that ntr_settings_read() does not read itself but the
 * config layer accepts (sweep, seeds, union, study). */
extern const char *const ntr_settings_extra_keys[];

/* base_dir: folder for relative paths; default_name: used when name is absent. */
int ntr_settings_read(const ntr_node *root, const char *base_dir, const char *default_name,
                      ntr_settings *s, ntr_error *err);

/* Canonical YAML of the resolved settings.  with_name = 0 leaves out the
 * name (which does not change what a cell computes).  Returns a malloc'ed
 * string. */
char *ntr_settings_yaml(const ntr_settings *s, int with_name);
/* The same settings with every number in its shortest round-trip text
 * (numfmt.h): what users read (config.yaml, summary.csv). */
char *ntr_settings_yaml_display(const ntr_settings *s, int with_name);

/* Canonical YAML of what decides a run's random numbers (SPEC section 4):
 * the seed, the problem, the noise and the start point; never the method,
 * the budget, targets, logging or measuring.  A cell's noise stream is
 * seeded from this text and its replicate.  Returns a malloc'ed string. */
char *ntr_settings_stream_yaml(const ntr_settings *s);

/* The value of the noise type's own key (e.g. "nu"); NAN when the type has
 * no such key. */
double ntr_settings_noise_opt(const ntr_settings *s, const char *key);

#endif

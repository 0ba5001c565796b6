/* settings_yaml.c: the resolved settings written back as canonical YAML
 * (every default filled in, a fixed key order, numbers in %.17g), used for
 * a result folder's config.yaml and as the text a cell's hash is taken of;
 * and a small emitter for config subtrees (problem keys, sweeps). */
#include "settings.h"
#include "yaml_emit.h"

#include <stdlib.h>
#include <string.h>

static const char *const init_names[] = {"gaussian", "zeros", "file"};
static const char *const scale_names[] = {"none", "jordan", "rms_match"};

static void num(FILE *f, const char *key, double v, int indent)
{
    fprintf(f, "%*s%s: %.17g\n", indent, "", key, v);
}

static void write_shape(FILE *f, const ntr_layout *lay)
{
    if (lay->nblocks == 1) {
        if (lay->cols[0] == 1)
            fprintf(f, "  shape: [%zu]\n", lay->rows[0]);
        else
            fprintf(f, "  shape: [%zu, %zu]\n", lay->rows[0], lay->cols[0]);
    } else if (lay->nblocks > 1) {
        fprintf(f, "  blocks: [");
        for (int i = 0; i < lay->nblocks; i++)
            fprintf(f, "%s[%zu, %zu]", i ? ", " : "", lay->rows[i], lay->cols[i]);
        fprintf(f, "]\n");
    }
}

static void write_eta(FILE *f, const ntr_schedule_spec *e)
{
    if (e->type == NTR_SCHED_EXPR) {
        fprintf(f, "  eta: ");
        ntr_yaml_emit_string(f, e->expr);
        fprintf(f, "\n");
    } else if (e->type == NTR_SCHED_CONSTANT && e->warmup == 0) {
        num(f, "eta", e->value, 2);
    } else {
        fprintf(f, "  eta: {type: %s, value: %.17g, min: %.17g, warmup: %ld}\n",
                ntr_schedule_names[e->type], e->value, e->min, e->warmup);
    }
}

static void write_lmo(FILE *f, const ntr_settings *s)
{
    if (s->lmo.solver == NTR_LMO_SVD) {
        fprintf(f, "  lmo: {solver: svd}\n");
        return;
    }
    fprintf(f, "  lmo:\n    solver: %s\n    steps: %d\n", s->lmo_name, s->lmo.steps);
    if (strcmp(s->lmo_coef, "custom") == 0) {
        fprintf(f, "    coefficients: [");
        for (int i = 0; i < s->lmo.steps; i++)
            fprintf(f, "%s[%.17g, %.17g, %.17g]", i ? ", " : "", s->lmo.coef[i][0],
                    s->lmo.coef[i][1], s->lmo.coef[i][2]);
        fprintf(f, "]\n");
    } else {
        fprintf(f, "    coefficients: %s\n", s->lmo_coef);
    }
    fprintf(f, "    precision: %s\n", s->lmo.precision == NTR_PREC_FLOAT32 ? "float32" : "float64");
}

/* A data path as the config gave it: relative to the config's folder, like
 * the problem's own file keys, so that the text (and a cell's hash) does not
 * depend on how the config's path was spelled on the command line. */
static const char *config_relative(const char *path, const char *base_dir)
{
    size_t n = strlen(base_dir);
    if (n && strncmp(path, base_dir, n) == 0 && path[n] == '/' && path[n + 1])
        return path + n + 1;
    return path;
}

/* The sections that decide what random numbers a run draws (SPEC section
 * 4): the seed, the problem (its data), the noise and the start point. */
static void write_stream_sections(FILE *f, const ntr_settings *s)
{
    fprintf(f, "seed: %lu\n", s->seed);

    fprintf(f, "problem:\n  type: %s\n", s->problem);
    write_shape(f, &s->shape);
    fprintf(f, "  data_seed: %ld\n", s->data_seed);
    const ntr_node *p = s->problem_node;
    for (size_t i = 0; p && i < p->n; i++) {
        const char *k = p->keys[i];
        if (!strcmp(k, "type") || !strcmp(k, "shape") || !strcmp(k, "blocks") ||
            !strcmp(k, "data_seed"))
            continue;
        fprintf(f, "  %s: ", k);
        ntr_yaml_emit_flow(f, p->items[i]);
        fprintf(f, "\n");
    }

    fprintf(f, "noise:\n  type: %s\n", s->noise->name);
    num(f, "sigma", s->sigma, 2);
    fprintf(f, "  batch: %ld\n", s->batch);
    for (size_t i = 0; s->noise->keys && s->noise->keys[i].name; i++) {
        const ntr_noise_key *k = &s->noise->keys[i];
        if (k->all_word && s->noise_opt[i] == 0.0)
            fprintf(f, "  %s: all\n", k->name);
        else
            num(f, k->name, s->noise_opt[i], 2);
    }
}

static void write_init(FILE *f, const ntr_settings *s)
{
    fprintf(f, "init:\n  type: %s\n", init_names[s->init]);
    if (s->init == NTR_INIT_GAUSSIAN)
        num(f, "scale", s->init_scale, 2);
    if (s->init == NTR_INIT_FILE) {
        fprintf(f, "  file: ");
        ntr_yaml_emit_string(f, config_relative(s->init_file, s->base_dir));
        fprintf(f, "\n");
    }
}

char *ntr_settings_stream_yaml(const ntr_settings *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    write_stream_sections(f, s);
    write_init(f, s);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

char *ntr_settings_yaml(const ntr_settings *s, int with_name)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    if (with_name) {
        fprintf(f, "name: ");
        ntr_yaml_emit_string(f, s->name);
        fprintf(f, "\n");
    }
    write_stream_sections(f, s);

    const ntr_method_opts *o = &s->mopts;
    fprintf(f, "method:\n  name: %s\n  norm: %s\n", s->method, s->norm);
    write_lmo(f, s);
    write_eta(f, &s->eta);
    num(f, "alpha", o->alpha, 2);
    fprintf(f, "  m0: %s\n", o->m0_sample ? "sample" : "zero");
    fprintf(f, "  nesterov: %s\n", o->nesterov ? "true" : "false");
    num(f, "weight_decay", o->weight_decay, 2);
    fprintf(f, "  extrapolation: %s\n", o->extrapolation ? "true" : "false");
    if (o->extrapolation)
        num(f, "extrapolation_error", o->extrapolation_error, 2);
    fprintf(f, "  scale: %s\n", scale_names[o->scale]);
    if (strcmp(s->method, "adamw") == 0) {
        num(f, "beta2", o->beta2, 2);
        num(f, "adam_eps", o->adam_eps, 2);
    }

    write_init(f, s);

    fprintf(f, "budget:\n  iterations: %ld\n  targets: [", s->iterations);
    for (int i = 0; i < s->ntargets; i++)
        fprintf(f, "%s%.17g", i ? ", " : "", s->targets[i]);
    fprintf(f, "]\n  stop_at_target: %s\n", s->stop_at_target ? "true" : "false");
    num(f, "diverge_above", s->diverge_above, 2);
    fprintf(f, "  measure: %s\n", ntr_measure_names[s->measure]);

    fprintf(f, "log:\n");
    if (s->log_every == 0)
        fprintf(f, "  every: log\n");
    else
        fprintf(f, "  every: %ld\n", s->log_every);
    fprintf(f, "  measure_every: %ld\n", s->measure_every);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

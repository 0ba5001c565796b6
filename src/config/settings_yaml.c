/* settings_yaml.c: the resolved settings written back as canonical YAML
 * (every default filled in, a fixed key order): with numbers in %.17g, the
 * text a cell's hash is taken of; with the shortest round-trip numbers, a
 * result folder's config.yaml and the settings columns of its tables;
 * and a small emitter for config subtrees (problem keys, sweeps). */
#include "config/settings.h"
#include "config/yaml_emit.h"

#include <stdlib.h>
#include <string.h>

#include "base/numfmt.h"

static const char *const init_names[] = {"gaussian", "zeros", "file"};
static const char *const scale_names[] = {"none", "jordan", "rms_match"};

/* Where the text goes and how numbers are written: %.17g in the canonical
 * text (a cell's identity: unchanged since the first result folders), the
 * shortest round-trip text (numfmt.h) in what users read. */
typedef struct emit {
    FILE *f;
    int shortest;
} emit;

static void dbl(const emit *e, double v)
{
    char buf[NTR_NUM_CHARS];
    if (e->shortest)
        ntr_fmt_double(buf, v);
    else
        snprintf(buf, sizeof buf, "%.17g", v);
    fputs(buf, e->f);
}

static void num(const emit *e, const char *key, double v, int indent)
{
    fprintf(e->f, "%*s%s: ", indent, "", key);
    dbl(e, v);
    fputc('\n', e->f);
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

static void write_eta(const emit *o, const ntr_schedule_spec *e)
{
    FILE *f = o->f;
    if (e->type == NTR_SCHED_EXPR) {
        fprintf(f, "  eta: ");
        ntr_yaml_emit_string(f, e->expr);
        fprintf(f, "\n");
    } else if (e->type == NTR_SCHED_CONSTANT && e->warmup == 0) {
        num(o, "eta", e->value, 2);
    } else {
        fprintf(f, "  eta: {type: %s, value: ", ntr_schedule_names[e->type]);
        dbl(o, e->value);
        fprintf(f, ", min: ");
        dbl(o, e->min);
        fprintf(f, ", warmup: %ld}\n", e->warmup);
    }
}

static void write_lmo(const emit *e, const ntr_settings *s)
{
    FILE *f = e->f;
    if (s->lmo.solver == NTR_LMO_SVD) {
        fprintf(f, "  lmo: {solver: svd}\n");
        return;
    }
    fprintf(f, "  lmo:\n    solver: %s\n    steps: %d\n", s->lmo_name, s->lmo.steps);
    if (strcmp(s->lmo_coef, "custom") == 0) {
        fprintf(f, "    coefficients: [");
        for (int i = 0; i < s->lmo.steps; i++)
            for (int j = 0; j < 3; j++) {
                fputs(j ? ", " : i ? ", [" : "[", f);
                dbl(e, s->lmo.coef[i][j]);
                fputs(j == 2 ? "]" : "", f);
            }
        fprintf(f, "]\n");
    } else {
        fprintf(f, "    coefficients: %s\n", s->lmo_coef);
    }
    fprintf(f, "    precision: %s\n", s->lmo.precision == NTR_PREC_FLOAT32 ? "float32" : "float64");
    if (s->lmo.gram) /* only when set: the text (and hash) of other cells is unchanged */
        fprintf(f, "    gram: true\n");
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
static void write_stream_sections(const emit *e, const ntr_settings *s)
{
    FILE *f = e->f;
    fprintf(f, "seed: %lu\n", s->seed);

    fprintf(f, "problem:\n  type: %s\n", s->problem->name);
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
    num(e, "sigma", s->sigma, 2);
    fprintf(f, "  batch: %ld\n", s->batch);
    for (size_t i = 0; s->noise->keys && s->noise->keys[i].name; i++) {
        const ntr_noise_key *k = &s->noise->keys[i];
        if (k->all_word && s->noise_opt[i] == 0.0)
            fprintf(f, "  %s: all\n", k->name);
        else
            num(e, k->name, s->noise_opt[i], 2);
    }
}

static void write_init(const emit *e, const ntr_settings *s)
{
    FILE *f = e->f;
    fprintf(f, "init:\n  type: %s\n", init_names[s->init]);
    if (s->init == NTR_INIT_GAUSSIAN)
        num(e, "scale", s->init_scale, 2);
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
    emit e = {f, 0};
    write_stream_sections(&e, s);
    write_init(&e, s);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static char *settings_yaml(const ntr_settings *s, int with_name, int shortest)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    emit e = {f, shortest};
    if (with_name) {
        fprintf(f, "name: ");
        ntr_yaml_emit_string(f, s->name);
        fprintf(f, "\n");
    }
    write_stream_sections(&e, s);

    const ntr_method_opts *o = &s->mopts;
    fprintf(f, "method:\n  name: %s\n  norm: %s\n", s->method->name, s->norm->name);
    write_lmo(&e, s);
    write_eta(&e, &s->eta);
    num(&e, "alpha", o->alpha, 2);
    fprintf(f, "  m0: %s\n", o->m0_sample ? "sample" : "zero");
    fprintf(f, "  nesterov: %s\n", o->nesterov ? "true" : "false");
    num(&e, "weight_decay", o->weight_decay, 2);
    fprintf(f, "  extrapolation: %s\n", o->extrapolation ? "true" : "false");
    if (o->extrapolation)
        num(&e, "extrapolation_error", o->extrapolation_error, 2);
    fprintf(f, "  scale: %s\n", scale_names[o->scale]);
    for (size_t i = 0; s->method->own_keys && s->method->own_keys[i].name; i++)
        num(&e, s->method->own_keys[i].name, o->own[i], 2);

    write_init(&e, s);

    fprintf(f, "budget:\n  iterations: %ld\n  targets: [", s->iterations);
    for (int i = 0; i < s->ntargets; i++) {
        fputs(i ? ", " : "", f);
        dbl(&e, s->targets[i]);
    }
    fprintf(f, "]\n  stop_at_target: %s\n", s->stop_at_target ? "true" : "false");
    num(&e, "diverge_above", s->diverge_above, 2);
    fprintf(f, "  measure: %s\n", ntr_measure_names[s->measure]);

    fprintf(f, "log:\n");
    if (s->log_every == 0)
        fprintf(f, "  every: log\n");
    else
        fprintf(f, "  every: %ld\n", s->log_every);
    if (s->measure_every == 0)
        fprintf(f, "  measure_every: log\n");
    else
        fprintf(f, "  measure_every: %ld\n", s->measure_every);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

char *ntr_settings_yaml(const ntr_settings *s, int with_name)
{
    return settings_yaml(s, with_name, 0);
}

char *ntr_settings_yaml_display(const ntr_settings *s, int with_name)
{
    return settings_yaml(s, with_name, 1);
}

/* test_config.c: the config layer through the library (src/config/): every
 * default of an almost empty config, explicit values of every section,
 * --set overrides (and their positions), sweep / union / seeds expansion
 * into cells with stable hashes and derived seeds, and the canonical YAML
 * (config.yaml of a result folder) read back to the same plan. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "config/plan.h"
#include "config/settings.h"
#include "config/yaml_load.h"
#include "support.h"

/* A config file in a fresh temporary folder. */
typedef struct cfg_file {
    char *dir, *path;
} cfg_file;

static cfg_file cfg_new(const char *file, const char *yaml)
{
    cfg_file c;
    c.dir = ts_tmpdir();
    ck_assert_ptr_nonnull(c.dir);
    c.path = ts_path("%s/%s", c.dir, file);
    ck_assert_int_eq(ts_write_file(c.path, yaml), 0);
    return c;
}

static void cfg_free(cfg_file *c)
{
    ck_assert_int_eq(ts_rmtree(c->dir), 0);
    free(c->dir);
    free(c->path);
}

static ntr_plan *load(const char *path, const char *const *sets, int nsets)
{
    ntr_plan *p = NULL;
    ntr_error err;
    memset(&err, 0, sizeof err);
    int rc = ntr_plan_load(path, sets, nsets, &p, &err);
    ck_assert_msg(rc == 0, "%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    return p;
}

static ntr_plan *load_text(cfg_file *c, const char *file, const char *yaml)
{
    *c = cfg_new(file, yaml);
    return load(c->path, NULL, 0);
}

START_TEST(defaults_of_an_almost_empty_config)
{
    cfg_file c;
    ntr_plan *p = load_text(&c, "mini.yaml", "seed: 7\n");
    const ntr_settings *s = &p->base;
    ck_assert_str_eq(s->name, "mini"); /* the file name without .yaml */
    ck_assert_uint_eq(s->seed, 7);
    ck_assert_str_eq(s->base_dir, c.dir);
    ck_assert_str_eq(s->problem->name, "least_squares");
    ck_assert_int_eq(s->shape.nblocks, 0); /* the problem's own default */
    ck_assert_int_eq(s->data_seed, 7);     /* data_seed defaults to seed */
    ck_assert_str_eq(s->noise->name, "gaussian");
    ck_assert_double_eq(s->sigma, 0.0);
    ck_assert_int_eq(s->batch, 1);
    ck_assert(isnan(ntr_settings_noise_opt(s, "nu"))); /* not a key of gaussian noise */
    ck_assert_str_eq(s->method->name, "ntr");
    ck_assert_str_eq(s->norm->name, "spectral");
    ck_assert_str_eq(s->lmo_name, "svd");
    ck_assert_int_eq(s->lmo.solver, NTR_LMO_SVD);
    ck_assert_int_eq(s->eta.type, NTR_SCHED_CONSTANT);
    ck_assert_double_eq(s->eta.value, 0.01);
    ck_assert_double_eq(s->mopts.alpha, 0.1);
    ck_assert_int_eq(s->mopts.m0_sample, 1); /* m0: sample, as the theorems */
    ck_assert_int_eq(s->mopts.nesterov, 0);
    ck_assert_double_eq(s->mopts.weight_decay, 0.0);
    ck_assert_int_eq(s->mopts.extrapolation, 0);
    ck_assert_int_eq(s->mopts.scale, 0);
    ck_assert_ptr_null(s->method->own_keys); /* ntr has no options of its own */
    ck_assert_int_eq(s->init, NTR_INIT_GAUSSIAN);
    ck_assert_double_eq(s->init_scale, 1.0);
    ck_assert_str_eq(s->init_file, "");
    ck_assert_int_eq(s->iterations, 10000);
    ck_assert_int_eq(s->ntargets, 0);
    ck_assert_int_eq(s->stop_at_target, 0);
    ck_assert_double_eq(s->diverge_above, 1e4);
    ck_assert_int_eq(s->measure, NTR_MEASURE_MIN_GRAD_DUAL);
    ck_assert_int_eq(s->log_every, 0); /* log-spaced */
    ck_assert_int_eq(s->measure_every, 0); /* log: on the logging grid */
    ck_assert_int_eq(p->seeds, 1);
    ck_assert_uint_eq(p->ncells, 1);
    ck_assert_ptr_null(p->study);
    /* The default name follows the file: .yml too, and no extension. */
    ntr_plan_free(p);
    char *other = ts_path("%s/second.yml", c.dir);
    ck_assert_int_eq(ts_write_file(other, "{}\n"), 0);
    p = load(other, NULL, 0);
    ck_assert_str_eq(p->base.name, "second");
    ntr_plan_free(p);
    free(other);
    cfg_free(&c);
}
END_TEST

START_TEST(explicit_values_of_every_section)
{
    cfg_file c;
    ntr_plan *p = load_text(
        &c, "full.yaml",
        "name: full\n"
        "seed: 11\n"
        "problem: {type: least_squares, shape: [6, 5], samples: 12, condition: 3, data_seed: 4}\n"
        "noise: {type: student_t, sigma: 0.5, batch: 8, nu: 5}\n"
        "method:\n"
        "  name: osgdm\n"
        "  norm: colnorm\n"
        "  lmo: {solver: newton_schulz, coefficients: cubic, steps: 9, precision: float32}\n"
        "  eta: {type: cosine, value: 0.2, min: 0.002, warmup: 10}\n"
        "  alpha: 0.25\n"
        "  m0: zero\n"
        "  nesterov: true\n"
        "  weight_decay: 0.5\n"
        "  extrapolation: yes\n"
        "  scale: rms_match\n"
        "init: {type: zeros}\n"
        "budget: {iterations: 300, targets: 1e-2, stop_at_target: true, diverge_above: 1e3,\n"
        "         measure: gap}\n"
        "log: {every: 5, measure_every: 2}\n");
    const ntr_settings *s = &p->base;
    ck_assert_str_eq(s->name, "full");
    ck_assert_uint_eq(s->seed, 11);
    ck_assert_int_eq(s->shape.nblocks, 1);
    ck_assert_uint_eq(s->shape.rows[0], 6);
    ck_assert_uint_eq(s->shape.cols[0], 5);
    ck_assert_int_eq(s->data_seed, 4);
    ck_assert_str_eq(s->noise->name, "student_t");
    ck_assert_double_eq(s->sigma, 0.5);
    ck_assert_int_eq(s->batch, 8);
    ck_assert_double_eq(ntr_settings_noise_opt(s, "nu"), 5.0);
    ck_assert_str_eq(s->method->name, "osgdm");
    ck_assert_str_eq(s->norm->name, "colnorm");
    ck_assert_str_eq(s->lmo_name, "newton_schulz");
    ck_assert_str_eq(s->lmo_coef, "cubic");
    ck_assert_int_eq(s->lmo.solver, NTR_LMO_NEWTON_SCHULZ);
    ck_assert_int_eq(s->lmo.steps, 9);
    ck_assert_int_eq(s->lmo.precision, NTR_PREC_FLOAT32);
    ck_assert_int_eq(s->eta.type, NTR_SCHED_COSINE);
    ck_assert_double_eq(s->eta.value, 0.2);
    ck_assert_double_eq(s->eta.min, 0.002);
    ck_assert_int_eq(s->eta.warmup, 10);
    ck_assert_double_eq(s->mopts.alpha, 0.25);
    ck_assert_int_eq(s->mopts.m0_sample, 0);
    ck_assert_int_eq(s->mopts.nesterov, 1);
    ck_assert_double_eq(s->mopts.weight_decay, 0.5);
    ck_assert_int_eq(s->mopts.extrapolation, 1);
    ck_assert_int_eq(s->mopts.scale, 2);
    ck_assert_int_eq(s->init, NTR_INIT_ZEROS);
    ck_assert_int_eq(s->iterations, 300);
    ck_assert_int_eq(s->ntargets, 1);
    ck_assert_double_eq(s->targets[0], 1e-2);
    ck_assert_int_eq(s->stop_at_target, 1);
    ck_assert_double_eq(s->diverge_above, 1e3);
    ck_assert_int_eq(s->measure, NTR_MEASURE_GAP);
    ck_assert_int_eq(s->log_every, 5);
    ck_assert_int_eq(s->measure_every, 2);
    ntr_plan_free(p);
    cfg_free(&c);
}
END_TEST

START_TEST(blocks_expressions_custom_coefficients_and_init_file)
{
    cfg_file c = cfg_new("x0.csv", "1,2\n3,4\n");
    char *path = ts_path("%s/other.yaml", c.dir);
    ck_assert_int_eq(
        ts_write_file(path,
                      "problem: {blocks: [[2, 3], [4, 1]]}\n"
                      "method:\n"
                      "  eta: \"0.1 / sqrt(k + 1)\"\n"
                      "  lmo: {solver: newton_schulz,\n"
                      "        coefficients: [[3, -3.2, 1.2], [2, -1, 0.5]]}\n"
                      "init: {file: x0.csv}\n"
                      "budget: {targets: [1, 0.5, 0.25]}\n"),
        0);
    ntr_plan *p = load(path, NULL, 0);
    const ntr_settings *s = &p->base;
    ck_assert_int_eq(s->shape.nblocks, 2);
    ck_assert_uint_eq(s->shape.rows[1], 4);
    ck_assert_uint_eq(s->shape.cols[1], 1);
    ck_assert_uint_eq(s->shape.dim, 10);
    ck_assert_int_eq(s->eta.type, NTR_SCHED_EXPR);
    ck_assert_str_eq(s->eta.expr, "0.1 / sqrt(k + 1)");
    ck_assert_str_eq(s->lmo_coef, "custom");
    ck_assert_int_eq(s->lmo.steps, 2);
    ck_assert_double_eq(s->lmo.coef[0][1], -3.2);
    ck_assert_double_eq(s->lmo.coef[1][2], 0.5);
    ck_assert_int_eq(s->init, NTR_INIT_FILE); /* implied by init.file */
    char *want = ts_path("%s/x0.csv", c.dir); /* relative to the config's folder */
    ck_assert_str_eq(s->init_file, want);
    ck_assert_int_eq(s->ntargets, 3);
    ck_assert_double_eq(s->targets[2], 0.25);
    free(want);
    ntr_plan_free(p);
    free(path);
    cfg_free(&c);
}
END_TEST

START_TEST(set_overrides)
{
    cfg_file c;
    c = cfg_new("base.yaml", "name: base\nmethod: {eta: 0.05, norm: spectral}\nseeds: 2\n");
    const char *sets[] = {"method.eta=0.2",         "noise.batch=4",
                          "init.scale=2.5",         "problem.shape=[3, 2]",
                          "sweep.method.norm=[linf, l1]", "name=renamed",
                          "method.eta=0.3"}; /* the last --set wins */
    ntr_plan *p = load(c.path, sets, 7);
    const ntr_settings *s = &p->base;
    ck_assert_double_eq(s->eta.value, 0.3);
    ck_assert_int_eq(s->batch, 4);
    ck_assert_double_eq(s->init_scale, 2.5);
    ck_assert_uint_eq(s->shape.rows[0], 3);
    ck_assert_uint_eq(s->shape.cols[0], 2);
    ck_assert_str_eq(s->name, "renamed");
    ck_assert_uint_eq(p->ncells, 4);
    ck_assert_str_eq(p->cells[0].s.norm->name, "linf");
    ck_assert_str_eq(p->cells[2].s.norm->name, "l1");
    ck_assert_double_eq(p->cells[3].s.eta.value, 0.3);
    ntr_plan_free(p);

    /* A bad --set value is reported at its column on the "--set" line. */
    const char *bad[] = {"method.alpha=abc"};
    ntr_error err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(ntr_plan_load(c.path, bad, 1, &p, &err), -1);
    ck_assert_int_eq(err.kind, NTR_E_INPUT);
    ck_assert_str_eq(err.file, "--set");
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.col, 14); /* 'a' of abc after "method.alpha=" */
    ck_assert_ptr_nonnull(strstr(err.msg, "method.alpha"));
    /* An unknown key given by --set is caught like one in the file. */
    const char *typo[] = {"method.etta=0.1"};
    ck_assert_int_eq(ntr_plan_load(c.path, typo, 1, &p, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "did you mean 'eta'"));
    cfg_free(&c);
}
END_TEST

/* --set of a cell key applies last, on top of a study's values, and pins
 * the key (and its parents and parts).  A key of a sweep: grid that a
 * --set also sets is refused (its points would collapse under labels that
 * still name them); the study's own grids drop pinned keys instead. */
START_TEST(set_applies_last_and_pins)
{
    cfg_file c = cfg_new("pin.yaml", "name: pin\nmethod: {eta: 0.05, alpha: 0.1}\n"
                                     "sweep: {method.alpha: [0.2, 0.3], method.eta: [0.1, 0.2]}\n");
    const char *sets[] = {"method.alpha=1", "sweep.method.eta=[0.4]"};
    ntr_plan *p = NULL;
    ntr_error err;
    ck_assert_int_eq(ntr_plan_load(c.path, sets, 2, &p, &err), -1);
    ck_assert_msg(strstr(err.msg, "sweep key 'method.alpha' is also set by --set") != NULL, "%s",
                  err.msg);
    cfg_free(&c);
    c = cfg_new("pin.yaml", "name: pin\nmethod: {eta: 0.05, alpha: 0.1}\n"
                            "sweep: {method.eta: [0.1, 0.2]}\n");
    p = load(c.path, sets, 2);
    ck_assert_uint_eq(p->ncells, 1); /* the sweep's list was replaced by one value */
    ck_assert_double_eq(p->cells[0].s.mopts.alpha, 1.0);
    ck_assert_double_eq(p->cells[0].s.eta.value, 0.4);
    ck_assert_int_eq(ntr_plan_pinned(p, "method.alpha"), 1);
    ck_assert_int_eq(ntr_plan_pinned(p, "method"), 1);          /* a parent */
    ck_assert_int_eq(ntr_plan_pinned(p, "method.alpha.x"), 1);  /* a part */
    ck_assert_int_eq(ntr_plan_pinned(p, "method.alph"), 0);
    ck_assert_int_eq(ntr_plan_pinned(p, "method.eta"), 0);      /* only the sweep was set */
    ck_assert_int_eq(ntr_plan_pinned(p, "sweep.method.eta"), 0);
    ntr_plan_free(p);
    cfg_free(&c);

    c = cfg_new("pin2.yaml", "name: pin2\nmethod: {eta: 0.05}\n"
                             "study: {type: compare, seeds: 2, over: {method.alpha: [0.2, 0.3]}}\n");
    const char *one[] = {"method.alpha=1", "study.seeds=3"};
    p = load(c.path, one, 2);
    ck_assert_uint_eq(p->ncells, 3); /* one point left, with the study's new seeds */
    for (size_t i = 0; i < p->ncells; i++)
        ck_assert_double_eq(p->cells[i].s.mopts.alpha, 1.0);
    ck_assert_int_eq(ntr_plan_pinned(p, "study.seeds"), 0);
    ntr_plan_free(p);
    cfg_free(&c);
}
END_TEST

/* The hash a cell must have: XXH64 of its canonical settings (without the
 * name) followed by its replicate line. */
static void check_hash(const ntr_cell *cell)
{
    char rep[64];
    snprintf(rep, sizeof rep, "replicate: %d\n", cell->replicate);
    char *text = ts_path("%s%s", cell->yaml, rep);
    char want[17];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)XXH64(text, strlen(text), 0));
    ck_assert_str_eq(cell->hash, want);
    free(text);
    char *again = ntr_settings_yaml(&cell->s, 0);
    ck_assert_str_eq(again, cell->yaml);
    /* the run's name is not part of what a cell computes */
    ck_assert(strncmp(cell->yaml, "name:", 5) != 0 && !strstr(cell->yaml, "\nname:"));
    free(again);
}

START_TEST(sweep_expands_to_cells)
{
    cfg_file c;
    ntr_plan *p = load_text(&c, "grid.yaml",
                            "name: grid\nseed: 5\n"
                            "sweep:\n"
                            "  method.norm: [spectral, euclidean, linf]\n"
                            "  noise.batch: [1, 4]\n"
                            "seeds: 2\n");
    ck_assert_uint_eq(p->ncells, 12);
    ck_assert_uint_eq(p->npoints, 6);
    ck_assert_uint_eq(p->naxes, 2);
    ck_assert_str_eq(p->axes[0], "method.norm");
    ck_assert_str_eq(p->axes[1], "noise.batch");
    static const char *const norms[] = {"spectral", "euclidean", "linf"};
    for (size_t i = 0; i < p->ncells; i++) {
        const ntr_cell *cell = &p->cells[i];
        /* first key slowest, replicates innermost */
        size_t point = i / 2;
        ck_assert_uint_eq(cell->index, i);
        ck_assert_uint_eq(cell->point, point);
        ck_assert_int_eq(cell->replicate, (int)(i % 2));
        ck_assert_str_eq(cell->s.norm->name, norms[point / 2]);
        ck_assert_int_eq(cell->s.batch, point % 2 ? 4 : 1);
        ck_assert_str_eq(cell->values[0], norms[point / 2]);
        ck_assert_str_eq(cell->values[1], point % 2 ? "4" : "1");
        char group[128];
        snprintf(group, sizeof group, "method.norm=%s noise.batch=%d", norms[point / 2],
                 point % 2 ? 4 : 1);
        ck_assert_str_eq(cell->group, group);
        ck_assert(isnan(cell->study_x));
        ck_assert_uint_eq(strlen(cell->hash), 16);
        ck_assert_uint_eq(strspn(cell->hash, "0123456789abcdef"), 16);
        check_hash(cell);
        for (size_t j = 0; j < i; j++) {
            ck_assert_str_ne(cell->hash, p->cells[j].hash);
            /* the noise stream depends on the replicate and the noise
             * (batch), never on the method: common random numbers */
            if (p->cells[j].replicate == cell->replicate &&
                p->cells[j].s.batch == cell->s.batch)
                ck_assert_uint_eq(cell->run_seed, p->cells[j].run_seed);
            else
                ck_assert_uint_ne(cell->run_seed, p->cells[j].run_seed);
            /* one replicate starts every method from the same x0 */
            if (p->cells[j].replicate == cell->replicate)
                ck_assert_uint_eq(cell->init_seed, p->cells[j].init_seed);
            else
                ck_assert_uint_ne(cell->init_seed, p->cells[j].init_seed);
        }
    }
    ntr_plan_free(p);
    cfg_free(&c);
}
END_TEST

START_TEST(hashes_are_stable)
{
    cfg_file c;
    ntr_plan *a = load_text(&c, "a.yaml",
                            "name: first\nseed: 2\nmethod: {eta: 0.05, alpha: 0.1}\n"
                            "sweep: {noise.batch: [1, 2]}\n");
    /* Another name, another key order, another spelling of the same numbers,
     * defaults written out: the same cells. */
    char *bpath = ts_path("%s/b.yaml", c.dir);
    ck_assert_int_eq(ts_write_file(bpath, "sweep:\n  noise.batch: [1, 2]\n"
                                          "method:\n  alpha: 1e-1\n  eta: 5.0e-2\n"
                                          "  norm: spectral\nseed: 2\nname: second\n"
                                          "noise: {type: gaussian}\n"),
                     0);
    ntr_plan *b = load(bpath, NULL, 0);
    ck_assert_uint_eq(a->ncells, b->ncells);
    for (size_t i = 0; i < a->ncells; i++) {
        ck_assert_str_eq(a->cells[i].hash, b->cells[i].hash);
        ck_assert_uint_eq(a->cells[i].run_seed, b->cells[i].run_seed);
        ck_assert_uint_eq(a->cells[i].init_seed, b->cells[i].init_seed);
    }
    /* Loading again gives the same; a different seed or value does not. */
    ntr_plan *a2 = load(c.path, NULL, 0);
    const char *sets[] = {"seed=3"};
    ntr_plan *a3 = load(c.path, sets, 1);
    const char *sets2[] = {"method.eta=0.06"};
    ntr_plan *a4 = load(c.path, sets2, 1);
    for (size_t i = 0; i < a->ncells; i++) {
        ck_assert_str_eq(a->cells[i].hash, a2->cells[i].hash);
        ck_assert_str_ne(a->cells[i].hash, a3->cells[i].hash);
        ck_assert_uint_ne(a->cells[i].run_seed, a3->cells[i].run_seed);
        ck_assert_str_ne(a->cells[i].hash, a4->cells[i].hash);
    }
    ntr_plan_free(a);
    ntr_plan_free(a2);
    ntr_plan_free(a3);
    ntr_plan_free(a4);
    ntr_plan_free(b);
    free(bpath);
    cfg_free(&c);
}
END_TEST

/* A config read through another spelling of its path (here dir/./file)
 * makes the same cells: data paths enter the canonical text relative to
 * the config's folder, so a folder resumes whichever way it is named. */
START_TEST(hashes_do_not_depend_on_the_path_spelling)
{
    cfg_file c = cfg_new("x0.csv", "1,2\n3,4\n");
    char *path = ts_path("%s/init.yaml", c.dir);
    char *dotted = ts_path("%s/./init.yaml", c.dir);
    ck_assert_int_eq(ts_write_file(path, "problem: {shape: [2, 2], samples: 4}\n"
                                         "init: {file: x0.csv}\nseeds: 2\n"),
                     0);
    ntr_plan *a = load(path, NULL, 0), *b = load(dotted, NULL, 0);
    ck_assert_str_ne(a->base.init_file, b->base.init_file);
    char *ya = ntr_plan_yaml(a), *yb = ntr_plan_yaml(b);
    ck_assert_str_eq(ya, yb);
    ck_assert_ptr_nonnull(strstr(ya, "file: x0.csv\n"));
    for (size_t i = 0; i < a->ncells; i++)
        ck_assert_str_eq(a->cells[i].hash, b->cells[i].hash);
    free(ya);
    free(yb);
    ntr_plan_free(a);
    ntr_plan_free(b);
    free(dotted);
    free(path);
    cfg_free(&c);
}
END_TEST

START_TEST(union_and_seeds)
{
    cfg_file c;
    ntr_plan *p = load_text(&c, "u.yaml",
                            "union:\n"
                            "  - {method.norm: [spectral, linf]}\n"
                            "  - {method.norm: [linf], method.nesterov: [true]}\n"
                            "  - {method.norm: [spectral]}\n" /* a repeat: no new cell */
                            "seeds: 3\n");
    ck_assert_uint_eq(p->ncells, 9);
    ck_assert_uint_eq(p->naxes, 2);
    ck_assert_str_eq(p->cells[0].s.norm->name, "spectral");
    ck_assert_str_eq(p->cells[3].s.norm->name, "linf");
    ck_assert_int_eq(p->cells[3].s.mopts.nesterov, 0);
    ck_assert_str_eq(p->cells[6].s.norm->name, "linf");
    ck_assert_int_eq(p->cells[6].s.mopts.nesterov, 1);
    for (size_t i = 0; i < p->ncells; i++) {
        ck_assert_int_eq(p->cells[i].replicate, (int)(i % 3));
        ck_assert_uint_eq(p->cells[i].index, i);
        check_hash(&p->cells[i]);
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(p->cells[i].hash, p->cells[j].hash);
    }
    /* The swept value of a cell that did not sweep a key is its resolved one. */
    ck_assert_str_eq(p->cells[0].values[1], "false");
    ck_assert_str_eq(p->cells[6].values[1], "true");
    ntr_plan_free(p);
    cfg_free(&c);
}
END_TEST

/* Write the plan's canonical YAML to a file and load it again: the same
 * text and the same cells. */
static void round_trip(const char *dir, ntr_plan *p)
{
    char *text = ntr_plan_yaml(p);
    ck_assert_ptr_nonnull(text);
    char *path = ts_path("%s/resolved.yaml", dir);
    ck_assert_int_eq(ts_write_file(path, text), 0);
    ntr_plan *q = load(path, NULL, 0);
    char *again = ntr_plan_yaml(q);
    ck_assert_str_eq(text, again);
    ck_assert_uint_eq(p->ncells, q->ncells);
    for (size_t i = 0; i < p->ncells; i++) {
        ck_assert_str_eq(p->cells[i].hash, q->cells[i].hash);
        ck_assert_str_eq(p->cells[i].yaml, q->cells[i].yaml);
    }
    free(again);
    ntr_plan_free(q);
    free(path);
    free(text);
}

START_TEST(canonical_yaml_round_trips)
{
    static const char *const configs[] = {
        "name: plain\n",
        "name: grid\nseed: 9\nproblem: {shape: [5, 4], samples: 10, condition: 4}\n"
        "noise: {type: sparse, sigma: 0.3, p: 0.25}\n"
        "method: {name: adamw, norm: euclidean, eta: 1e-3, weight_decay: 0.01, beta2: 0.99}\n"
        "budget: {iterations: 40, targets: [0.5, 0.1]}\n"
        "sweep: {noise.batch: [1, 3], method.eta: [0.001, 0.01]}\nseeds: 2\n",
        "name: sched\nproblem: {blocks: [[3, 2], [2, 2]]}\n"
        "method:\n  eta: {type: cosine, value: 0.1, min: 0.01, warmup: 5}\n"
        "  lmo: {solver: newton_schulz, coefficients: [[3, -3.2, 1.2]], precision: float32}\n"
        "log: {every: 3}\n",
        "name: expr\nmethod: {eta: \"0.05 * (1 - k / K)\", nesterov: true, scale: jordan}\n"
        "noise: {type: student_t, nu: 3.5, sigma: 1}\n"
        "union: [{method.norm: [l1]}, {method.norm: [rownorm, colnorm]}]\n",
        "name: polar\nmethod: {lmo: {solver: polar_express}}\ninit: {type: zeros}\n"
        "budget: {measure: gap, stop_at_target: true, targets: 1e-3}\n",
    };
    for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++) {
        cfg_file c;
        ntr_plan *p = load_text(&c, "cfg.yaml", configs[i]);
        round_trip(c.dir, p);
        /* The settings text is a fixed point: read it back, write it again. */
        char *text = ntr_settings_yaml(&p->base, 1);
        ntr_node *root;
        ntr_error err;
        ck_assert_int_eq(ntr_yaml_load_string(text, strlen(text), "resolved", 0, &root, &err), 0);
        ntr_settings s;
        ck_assert_msg(ntr_settings_read(root, c.dir, "x", &s, &err) == 0, "%s", err.msg);
        char *again = ntr_settings_yaml(&s, 1);
        ck_assert_str_eq(text, again);
        free(again);
        ntr_node_free(root);
        free(text);
        ntr_plan_free(p);
        cfg_free(&c);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("config");
    tcase_set_timeout(tc, 60); /* a guard against hangs, not a speed test */
    tcase_add_test(tc, defaults_of_an_almost_empty_config);
    tcase_add_test(tc, explicit_values_of_every_section);
    tcase_add_test(tc, blocks_expressions_custom_coefficients_and_init_file);
    tcase_add_test(tc, set_overrides);
    tcase_add_test(tc, set_applies_last_and_pins);
    tcase_add_test(tc, sweep_expands_to_cells);
    tcase_add_test(tc, hashes_are_stable);
    tcase_add_test(tc, hashes_do_not_depend_on_the_path_spelling);
    tcase_add_test(tc, union_and_seeds);
    tcase_add_test(tc, canonical_yaml_round_trips);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

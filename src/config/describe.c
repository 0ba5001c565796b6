/* describe.c: `ntr-run --describe WHAT` (see describe.h).
 *
 * A problem is described by creating it on an empty section through a
 * recording view (kv_record.h): the keys its create() read, with their
 * kinds, defaults and meanings, the default shape, and the constants it
 * declares there.  Norms, methods and noise types are type objects whose
 * fields say what they are. */
#include "config/describe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "problems/problem.h"
#include "config/settings.h"
#include "config/yaml_load.h"
#include "base/kv_record.h"
#include "methods/method.h"
#include "noise/noise.h"
#include "norms/norm.h"

static void shape_text(const ntr_layout *lay, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < lay->nblocks && used < size; i++) {
        if (lay->cols[i] == 1)
            used += (size_t)snprintf(buf + used, size - used, "%s[%zu]", i ? ", " : "",
                                     lay->rows[i]);
        else
            used += (size_t)snprintf(buf + used, size - used, "%s[%zu, %zu]", i ? ", " : "",
                                     lay->rows[i], lay->cols[i]);
    }
}

static void constant(FILE *f, const char *name, double v, const char *unknown)
{
    if (isfinite(v))
        fprintf(f, "    %-12s %.6g\n", name, v);
    else
        fprintf(f, "    %-12s %s\n", name, unknown);
}

static int describe_problem(FILE *f, const ntr_problem_type *t, ntr_error *err)
{
    if (t == &ntr_problem_plugin) { /* its keys are the library's own */
        fprintf(f, "%s: %s\n  keys (problem.KEY): library (the shared library, relative to "
                   "the config's folder), symbol (the ntr_problem_type it defines), then the "
                   "plug-in's own keys; its constants are what its create() declares (check "
                   "them with ntr-probe)\n",
                t->name, t->summary);
        return 0;
    }
    ntr_kv_record rec;
    ntr_kv kv = ntr_kv_recording(&rec, "problem");
    ntr_problem p;
    ntr_problem_env env;
    memset(&env, 0, sizeof env);
    if (ntr_problem_create(&p, t, &kv, &env, err) != 0)
        return -1;
    char flags[256], shape[256];
    ntr_problem_flags_format(p.type->flags, flags, sizeof flags);
    shape_text(&p.layout, shape, sizeof shape);
    fprintf(f, "%s: %s\n  class: %s\n", t->name, t->summary, flags);
    fprintf(f, "  keys (problem.KEY):\n");
    fprintf(f, "    %-14s %s\n      default: %s\n", "shape",
            "[rows, cols] or [length] (one block); blocks: [[r, c], ...] for several", shape);
    fprintf(f, "    %-14s %s\n      default: the config's seed\n", "data_seed",
            "seed of the synthetic data (the same problem in every cell)");
    /* every key the type accepts: what create() read, then data files */
    for (size_t i = 0; t->keys && t->keys[i]; i++) {
        const ntr_kv_entry *e = ntr_kv_record_entry(&rec, t->keys[i]);
        int is_file = 0;
        for (size_t j = 0; t->file_keys && t->file_keys[j]; j++)
            is_file |= strcmp(t->file_keys[j], t->keys[i]) == 0;
        const char *kind = e && e->kind[0] ? e->kind
                           : is_file       ? "a data file (CSV, one matrix row per line)"
                                           : "see the problem's file";
        fprintf(f, "    %-14s %s\n", t->keys[i], kind);
        if (e && e->meaning[0])
            fprintf(f, "      %s\n", e->meaning);
        if (e && e->def[0])
            fprintf(f, "      default: %s\n", e->def);
        else if (is_file)
            fprintf(f, "      default: none (generated from data_seed)\n");
    }
    fprintf(f, "  declared at the default shape (Frobenius norm; f*, x* where known):\n");
    constant(f, "L", p.L_frob, "not globally finite (none claimed)");
    constant(f, "L2", p.L2_frob, "not claimed");
    constant(f, "f*", p.f_star, "unknown");
    fprintf(f, "    %-12s %s\n", "x*", p.x_star ? "known" : "unknown");
    if (p.n_terms)
        fprintf(f, "    %-12s %zu\n", "terms N", p.n_terms);
    constant(f, "term sigma^2", p.term_sigma2, "unknown");
    fprintf(f, "  smoothness in each norm (else the generic bound rho c L):\n");
    for (size_t i = 0; ntr_norm_types[i]; i++) {
        const ntr_norm_type *norm = ntr_norm_types[i];
        double L = p.type->smoothness ? p.type->smoothness(&p, norm->id) : NAN;
        double L2 = p.type->hessian_lipschitz ? p.type->hessian_lipschitz(&p, norm->id) : NAN;
        fprintf(f, "    %-10s L %s", norm->name, isfinite(L) ? "" : "generic bound");
        if (isfinite(L))
            fprintf(f, "%.6g", L);
        if (isfinite(L2))
            fprintf(f, ", L2 %.6g", L2);
        fputc('\n', f);
    }
    ntr_problem_destroy(&p);
    return 0;
}

static void describe_norm(FILE *f, const ntr_norm_type *t)
{
    fprintf(f, "%s: %s\n  dual norm (grad_dual): %s\n", t->name, t->summary, t->dual_name);
    if (t->rho)
        fprintf(f, "  rho (||g||_* <= rho ||g||_2) for a 64 x 32 block: %.6g\n", t->rho(64, 32));
}

/* The method section of a config with method.name set, every default
 * filled in by the settings reader itself. */
static int method_defaults(const ntr_method_type *t, char **out, ntr_error *err)
{
    char text[128];
    /* a method whose step uses no norm is shown with the euclidean one */
    snprintf(text, sizeof text, "method: {name: %s, norm: %s}\n", t->name,
             t->uses_norm ? "spectral" : "euclidean");
    ntr_node *root = NULL;
    ntr_settings *s = malloc(sizeof *s);
    *out = NULL;
    int rc = s ? ntr_yaml_load_string(text, strlen(text), "describe", 0, &root, err)
               : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (rc == 0)
        rc = ntr_settings_read(root, ".", "describe", s, err);
    char *yaml = rc == 0 ? ntr_settings_yaml_display(s, 0) : NULL;
    if (rc == 0 && !yaml)
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    if (yaml) {
        char *m = strstr(yaml, "\nmethod:\n");
        char *end = m ? m + 9 : NULL;
        while (end && *end == ' ') /* the section: lines that start with a space */
            end = strchr(end, '\n') ? strchr(end, '\n') + 1 : end + strlen(end);
        if (m && end) {
            *end = '\0';
            *out = strdup(m + 1);
        }
        free(yaml);
    }
    ntr_node_free(root);
    free(s);
    return rc;
}

/* NOLINTBEGIN(bugprone-suspicious-missing-comma): key, text pairs; texts span lines */
static const char *const method_key_docs[] = {
    "norm", "the norm whose sharp makes the step (and whose dual measures grad_dual)",
    "lmo", "the spectral sharp's solver: svd (exact), newton_schulz, polar_express; "
           "newton_schulz takes steps, coefficients, precision, gram (Gram Newton-Schulz)",
    "eta", "step size: a number, a schedule {type, value, min, warmup} or an expression in k, K",
    "alpha", "momentum EMA weight: m <- (1 - alpha) m + alpha g (beta = 1 - alpha)",
    "m0", "sample: m_0 = g(x_0) (one extra oracle call, as the theorems); zero",
    "nesterov", "direction (1 - alpha) m + alpha g instead of m",
    "weight_decay", "lambda: x <- (1 - eta lambda) x - eta d",
    "extrapolation", "the gradient at z_k = x_k + ((1 - alpha)/alpha)(x_k - x_{k-1})",
    "extrapolation_error", "a deliberate relative error in the extrapolation coefficient",
    "scale", "shape factor on each block's step: none, jordan, rms_match",
    NULL};
/* NOLINTEND(bugprone-suspicious-missing-comma) */

static int describe_method(FILE *f, const ntr_method_type *t, ntr_error *err)
{
    char *sec;
    if (method_defaults(t, &sec, err) != 0)
        return -1;
    fprintf(f, "%s: %s\n", t->name, t->summary);
    fprintf(f, "  uses the norm's sharp: %s; momentum buffers: %d; estimates grad f "
               "(mom_err): %s\n",
            t->uses_norm ? "yes" : "no (the norm only measures)", ntr_method_type_nvec(t),
            t->tracks_gradient ? "yes" : "no");
    fprintf(f, "  keys (method.KEY) and their defaults:\n");
    for (char *line = sec ? strtok(sec, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "method:", 7) == 0 || strncmp(line, "  name:", 7) == 0)
            continue;
        fprintf(f, "  %s\n", line);
        char key[64] = "";
        if (sscanf(line, " %63[a-z_0-9]:", key) != 1 || line[2] == ' ')
            continue;
        for (int i = 0; method_key_docs[i]; i += 2)
            if (strcmp(method_key_docs[i], key) == 0)
                fprintf(f, "      %s\n", method_key_docs[i + 1]);
        for (int i = 0; t->own_keys && t->own_keys[i].name; i++)
            if (strcmp(t->own_keys[i].name, key) == 0 && t->own_keys[i].meaning)
                fprintf(f, "      %s\n", t->own_keys[i].meaning);
    }
    free(sec);
    return 0;
}

static void describe_noise(FILE *f, const ntr_noise_type *t)
{
    fprintf(f, "%s: %s\n  variance: %s\n", t->name, t->summary, t->variance);
    fprintf(f, "  keys (noise.KEY): sigma (0), batch (1)");
    for (size_t i = 0; t->keys && t->keys[i].name; i++)
        fprintf(f, ", %s (%g in [%g, %g]%s)", t->keys[i].name, t->keys[i].def, t->keys[i].lo,
                t->keys[i].hi, t->keys[i].all_word ? "; or all" : "");
    fputc('\n', f);
    for (size_t i = 0; t->keys && t->keys[i].name; i++)
        if (t->keys[i].meaning)
            fprintf(f, "    %s: %s\n", t->keys[i].name, t->keys[i].meaning);
}

int ntr_describe(FILE *f, const char *what, ntr_error *err)
{
    int all_problems = !strcmp(what, "problems"), found = 0;
    for (size_t i = 0; ntr_problem_types[i]; i++)
        if (all_problems || !strcmp(what, ntr_problem_types[i]->name)) {
            if (found++)
                fputc('\n', f);
            if (describe_problem(f, ntr_problem_types[i], err) != 0)
                return -1;
        }
    for (size_t i = 0; ntr_norm_types[i]; i++)
        if (!strcmp(what, "norms") || !strcmp(what, ntr_norm_types[i]->name)) {
            if (found++)
                fputc('\n', f);
            describe_norm(f, ntr_norm_types[i]);
        }
    for (size_t i = 0; ntr_method_types[i]; i++)
        if (!strcmp(what, "methods") || !strcmp(what, ntr_method_types[i]->name)) {
            if (found++)
                fputc('\n', f);
            if (describe_method(f, ntr_method_types[i], err) != 0)
                return -1;
        }
    for (size_t i = 0; ntr_noise_types[i]; i++)
        if (!strcmp(what, "noise") || !strcmp(what, ntr_noise_types[i]->name)) {
            if (found++)
                fputc('\n', f);
            describe_noise(f, ntr_noise_types[i]);
        }
    if (found)
        return 0;
    const char *names[128];
    size_t n = 0;
    static const char *const groups[] = {"problems", "norms", "methods", "noise"};
    for (size_t i = 0; i < 4; i++)
        names[n++] = groups[i];
    for (size_t i = 0; ntr_problem_types[i] && n < 120; i++)
        names[n++] = ntr_problem_types[i]->name;
    for (size_t i = 0; ntr_norm_types[i] && n < 120; i++)
        names[n++] = ntr_norm_types[i]->name;
    for (size_t i = 0; ntr_method_types[i] && n < 120; i++)
        names[n++] = ntr_method_types[i]->name;
    for (size_t i = 0; ntr_noise_types[i] && n < 120; i++)
        names[n++] = ntr_noise_types[i]->name;
    names[n] = NULL;
    const char *near = ntr_nearest(what, names);
    return ntr_fail(err, NTR_E_INPUT,
                    "--describe %s: no such problem, norm, method or noise type%s%s%s (ntr-run "
                    "--list problems|norms|methods|noise lists them)",
                    what, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

/* plan_inputs.c: the files of a plan's cells (see inputs.h): the text a
 * cell's hash is taken of (settings plus input content hashes), the
 * data_dir and inputs entries of the plan's config.yaml, and the check of
 * a config's own recorded inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/plan.h"
#include "config/yaml_emit.h"

/* What a cell's hash is taken of: its settings (without the name) and the
 * content hash of every file it reads. */
char *ntr_plan_identity_text(const ntr_settings *s)
{
    char *yaml = ntr_settings_yaml(s, 0);
    if (!yaml || s->inputs.n == 0)
        return yaml;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        free(yaml);
        return NULL;
    }
    fputs(yaml, f);
    free(yaml);
    fputs("inputs:\n", f);
    for (int i = 0; i < s->inputs.n; i++)
        fprintf(f, "  %s: %s\n", s->inputs.item[i].key, s->inputs.item[i].hash);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* A config's own `inputs:` (a result folder's config.yaml run again): each
 * file must still have the content recorded there. */
int ntr_plan_check_recorded_inputs(ntr_plan *p, ntr_error *err)
{
    const ntr_node *in = ntr_node_get(p->root, "inputs");
    if (!in)
        return 0;
    if (in->kind != NTR_NODE_MAP)
        return ntr_fail_at(err, in->pos,
                           "inputs must map data files to their content hashes (as ntr-run "
                           "writes it in a result folder's config.yaml)");
    for (size_t i = 0; i < in->n; i++) {
        const ntr_node *v = in->items[i];
        if (v->kind != NTR_NODE_SCALAR || strlen(v->text) != 16 ||
            strspn(v->text, "0123456789abcdef") != 16)
            return ntr_fail_at(err, v->pos, "inputs: the content hash of %s must be 16 hex digits",
                               in->keys[i]);
        ntr_node name = {NTR_NODE_SCALAR, in->key_pos[i], in->keys[i], 1, 0, NULL, NULL, NULL};
        ntr_input it;
        memset(&it, 0, sizeof it);
        snprintf(it.key, sizeof it.key, "inputs");
        it.value = &name;
        char file[4096];
        if (ntr_input_path(&it, p->base.base_dir, file, sizeof file, err) != 0 ||
            ntr_file_table_hash(&p->files, file, "inputs", in->key_pos[i], it.hash, &it.bytes,
                                err) != 0)
            return -1;
        if (strcmp(it.hash, v->text) != 0)
            return ntr_fail_at(err, v->pos,
                               "data file %s has changed since this config was written (content "
                               "hash %s, recorded %s); remove its inputs entry to run with the "
                               "new content",
                               in->keys[i], it.hash, v->text);
    }
    return 0;
}

/* data_dir and inputs of the plan's yaml (see plan.h); nothing when no
 * cell reads a file. */
void ntr_plan_write_inputs(const ntr_plan *p, FILE *f)
{
    int any = 0;
    for (size_t c = 0; c < p->ncells && !any; c++)
        any = p->cells[c].s.inputs.n > 0;
    if (!any)
        return;
    char abs[4096];
    const char *dir = p->base.base_dir[0] ? p->base.base_dir : ".";
    fputs("data_dir: ", f);
    ntr_yaml_emit_string(f, realpath(dir, abs) ? abs : dir);
    fputs("\ninputs:\n", f);
    /* each file as written, once, in first-seen order */
    const char **seen = NULL;
    size_t nseen = 0;
    for (size_t c = 0; c < p->ncells; c++) {
        const ntr_inputs *in = &p->cells[c].s.inputs;
        for (int i = 0; i < in->n; i++) {
            const char *text = in->item[i].value->text;
            size_t j = 0;
            while (j < nseen && strcmp(seen[j], text) != 0)
                j++;
            if (j < nseen)
                continue;
            const char **more = realloc(seen, (nseen + 1) * sizeof *seen);
            if (more) { /* without memory a repeat is written twice: still valid */
                seen = more;
                seen[nseen++] = text;
            }
            fputs("  ", f);
            ntr_yaml_emit_string(f, text);
            fprintf(f, ": \"%s\"\n", in->item[i].hash);
        }
    }
    free(seen);
}

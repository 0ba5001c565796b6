/* manifest.c: writing manifest.json (see manifest.h). */
#include "output/manifest.h"

#include <cblas.h>
#include <jansson.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "output/files.h"

#ifndef NTR_VERSION
#define NTR_VERSION "dev"
#endif
#ifndef NTR_GIT_COMMIT
#define NTR_GIT_COMMIT "unknown"
#endif

void ntr_now_iso(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* {"name": kernels in use, "chosen_by": openblas | OPENBLAS_CORETYPE | ntr,
 *  "openblas_choice": what OpenBLAS had picked (chosen_by ntr only),
 *  "cpu": the CPU's instruction set, "auto": NTR_BLAS_AUTO, "note": a
 *  selection that failed} */
static json_t *blas_kernel_json(const ntr_blas_kernel *k)
{
    static const char *const modes[] = {"0", "1", "force"};
    json_t *o = json_object();
    if (!k) {
        json_object_set_new(o, "name", json_string(openblas_get_corename()));
        return o;
    }
    json_object_set_new(o, "name", json_string(k->name));
    json_object_set_new(o, "chosen_by", json_string(ntr_blas_chooser_name(k->chooser)));
    if (k->chooser == NTR_BLAS_BY_NTR)
        json_object_set_new(o, "openblas_choice", json_string(k->openblas_choice));
    json_object_set_new(o, "cpu", json_string(ntr_blas_isa_name(k->cpu_isa)));
    json_object_set_new(o, "auto", json_string(modes[k->auto_mode]));
    if (k->note[0])
        json_object_set_new(o, "note", json_string(k->note));
    return o;
}

int ntr_manifest_write(const char *outdir, const ntr_plan *p, const char *started,
                       const char *finished, const long counts[NTR_STATUS_COUNT],
                       const char *argv_line, const ntr_blas_kernel *blas, ntr_error *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "tool", json_string("ntr"));
    json_object_set_new(o, "version", json_string(NTR_VERSION));
    json_object_set_new(o, "git_commit", json_string(NTR_GIT_COMMIT));
#ifdef __VERSION__
    json_object_set_new(o, "compiler", json_string(__VERSION__));
#endif
    json_object_set_new(o, "blas", json_string(openblas_get_config()));
    json_object_set_new(o, "blas_kernel", blas_kernel_json(blas));
    struct utsname u;
    char host[256] = "unknown";
    if (uname(&u) == 0)
        snprintf(host, sizeof host, "%s %s %s", u.nodename, u.sysname, u.machine);
    json_object_set_new(o, "host", json_string(host));
    json_object_set_new(o, "config", json_string(p->config_path));
    json_object_set_new(o, "command", json_string(argv_line));
    json_object_set_new(o, "started", json_string(started));
    if (finished)
        json_object_set_new(o, "finished", json_string(finished));
    json_object_set_new(o, "cells", json_integer((json_int_t)p->ncells));
    json_t *st = json_object();
    for (int i = 0; i < NTR_STATUS_COUNT; i++)
        if (counts && counts[i])
            json_object_set_new(st, ntr_status_names[i], json_integer(counts[i]));
    json_object_set_new(o, "status", st);
    json_t *list = json_array();
    for (size_t c = 0; c < p->ncells; c++) {
        json_t *e = json_object();
        json_object_set_new(e, "index", json_integer((json_int_t)c));
        json_object_set_new(e, "hash", json_string(p->cells[c].hash));
        json_object_set_new(e, "group", json_string(p->cells[c].group));
        json_object_set_new(e, "replicate", json_integer(p->cells[c].replicate));
        json_array_append_new(list, e);
    }
    json_object_set_new(o, "cell_list", list);
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!text)
        return ntr_fail(err, NTR_E_INTERNAL, "cannot encode manifest.json");
    char path[1100];
    int rc = ntr_path(path, sizeof path, err, "%s/manifest.json", outdir);
    if (rc == 0)
        rc = ntr_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

/* pipeline.c: one fuzz input through loader, settings and plan (see
 * pipeline.h).  The plan loader reads a path, so the bytes are handed to
 * it through an in-memory file (memfd) named by /proc/self/fd/N: nothing
 * touches the disk. */
#define _GNU_SOURCE
#include "pipeline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config/plan.h"
#include "config/settings.h"
#include "config/yaml_load.h"

static int broke(char *msg, size_t msize, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msize, fmt, ap);
    va_end(ap);
    return -1;
}

/* A refusal must say why. */
static int refused(const ntr_error *err, const char *stage, char *msg, size_t msize)
{
    if (err->msg[0] == '\0' || err->kind == NTR_E_NONE)
        return broke(msg, msize, "%s refused the input without a message", stage);
    return 0;
}

/* Canonical YAML of accepted settings reads back to the same text. */
static int settings_round_trip(const ntr_settings *s, char *msg, size_t msize)
{
    char *text = ntr_settings_yaml(s, 1);
    if (!text)
        return broke(msg, msize, "ntr_settings_yaml returned NULL");
    ntr_node *root = NULL;
    ntr_error err;
    memset(&err, 0, sizeof err);
    int rc = 0;
    ntr_settings *again = malloc(sizeof *again);
    if (!again) {
        free(text);
        return 0;
    }
    if (ntr_yaml_load_string(text, strlen(text), "canonical", 0, &root, &err) != 0 || !root) {
        rc = broke(msg, msize, "canonical settings do not load: %s\n%s", err.msg, text);
    } else if (ntr_settings_read(root, s->base_dir, "fuzz", again, &err) != 0) {
        rc = broke(msg, msize, "canonical settings are refused: %s\n%s", err.msg, text);
    } else {
        char *text2 = ntr_settings_yaml(again, 1);
        if (text2 && strcmp(text, text2) != 0)
            rc = broke(msg, msize, "canonical settings change on reload:\n%s---\n%s", text,
                       text2);
        free(text2);
    }
    ntr_node_free(root);
    free(again);
    free(text);
    return rc;
}

static int check_plan(const ntr_plan *p, char *msg, size_t msize)
{
    if (p->ncells == 0)
        return broke(msg, msize, "an accepted plan has no cell");
    for (size_t c = 0; c < p->ncells; c++) {
        const char *h = p->cells[c].hash;
        if (strlen(h) != 16 || strspn(h, "0123456789abcdef") != 16)
            return broke(msg, msize, "cell %zu has hash '%s'", c, h);
    }
    char *text = ntr_plan_yaml(p);
    if (!text)
        return broke(msg, msize, "ntr_plan_yaml returned NULL");
    ntr_node *root = NULL;
    ntr_error err;
    memset(&err, 0, sizeof err);
    int rc = 0;
    if (ntr_yaml_load_string(text, strlen(text), "config.yaml", 0, &root, &err) != 0)
        rc = broke(msg, msize, "the plan's config.yaml does not load: %s\n%s", err.msg, text);
    ntr_node_free(root);
    free(text);
    return rc;
}

#define MAX_SETS 8

/* The "#--set KEY=VALUE" lines of the input, malloc'ed; returns how many. */
static int find_sets(const uint8_t *data, size_t size, char **sets)
{
    static const char tag[] = "#--set ";
    int n = 0;
    for (size_t i = 0; i < size && n < MAX_SETS;) {
        size_t end = i;
        while (end < size && data[end] != '\n')
            end++;
        size_t len = end - i;
        if (len >= sizeof tag - 1 && memcmp(data + i, tag, sizeof tag - 1) == 0 &&
            !memchr(data + i, '\0', len)) {
            sets[n] = strndup((const char *)data + i + sizeof tag - 1, len - (sizeof tag - 1));
            if (sets[n])
                n++;
        }
        i = end + 1;
    }
    return n;
}

static int plan_stage(const uint8_t *data, size_t size, size_t *planned, char *msg,
                      size_t msize)
{
    int fd = memfd_create("fuzz-config", MFD_CLOEXEC);
    if (fd < 0)
        return 0; /* no memfd: the plan stage cannot run here */
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0) {
            close(fd);
            return 0;
        }
        done += (size_t)w;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    char *sets[MAX_SETS];
    int nsets = find_sets(data, size, sets);
    ntr_plan *p = NULL;
    ntr_error err;
    memset(&err, 0, sizeof err);
    int rc;
    if (ntr_plan_load(path, (const char *const *)sets, nsets, &p, &err) != 0)
        rc = refused(&err, "ntr_plan_load", msg, msize);
    else if ((rc = check_plan(p, msg, msize)) == 0)
        *planned = p->ncells;
    ntr_plan_free(p);
    for (int i = 0; i < nsets; i++)
        free(sets[i]);
    close(fd);
    return rc;
}

/* 1 for a batch study whose targets are set from full-batch floors
 * (study.target: {floor: F}): its plan runs one full-batch cell per setting
 * (seconds each, tens of seconds for a paper config), which is science, not
 * input handling.  The fuzzer checks such inputs through the loader and the
 * settings only; tests/test_batch* plan and run them. */
static int plan_runs_cells(const ntr_node *root)
{
    const ntr_node *study = ntr_node_get(root, "study");
    const ntr_node *target = study && study->kind == NTR_NODE_MAP ? ntr_node_get(study, "target")
                                                                  : NULL;
    return target && target->kind == NTR_NODE_MAP && ntr_node_get(target, "floor") != NULL;
}

int fuzz_config_one(const uint8_t *data, size_t size, size_t *planned, char *msg, size_t msize)
{
    size_t ignored;
    if (!planned)
        planned = &ignored;
    *planned = 0;
    msg[0] = '\0';
    if (size > NTR_YAML_MAX_FILE)
        return 0;
    ntr_node *root = NULL;
    ntr_error err;
    memset(&err, 0, sizeof err);
    if (ntr_yaml_load_string((const char *)data, size, "fuzz.yaml", 0, &root, &err) != 0)
        return refused(&err, "ntr_yaml_load_string", msg, msize);
    int rc = 0, plan = 1;
    if (root && root->kind == NTR_NODE_MAP) {
        plan = !plan_runs_cells(root);
        ntr_settings *s = malloc(sizeof *s);
        if (s) {
            memset(&err, 0, sizeof err);
            if (ntr_settings_read(root, ".", "fuzz", s, &err) != 0)
                rc = refused(&err, "ntr_settings_read", msg, msize);
            else
                rc = settings_round_trip(s, msg, msize);
            free(s);
        }
    }
    ntr_node_free(root);
    if (rc == 0 && plan)
        rc = plan_stage(data, size, planned, msg, msize);
    return rc;
}

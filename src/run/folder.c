/* folder.c: a result folder following a new plan, and the cells a new
 * cell can continue (see folder.h). */
#include "run/folder.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/diff.h"
#include "output/cell_summary.h"
#include "output/files.h"
#include "output/paths.h"

/* A growing list of names. */
typedef struct names {
    char **v;
    size_t n, cap;
} names;

static int names_add(names *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n] = strdup(s);
    if (!l->v[l->n])
        return -1;
    l->n++;
    return 0;
}

static void names_free(names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A cell folder's name: a 16-digit hash, in aside/ perhaps with ".N". */
static int is_cell_name(const char *s, int suffix_ok)
{
    if (strspn(s, "0123456789abcdef") != 16)
        return 0;
    return s[16] == '\0' || (suffix_ok && s[16] == '.');
}

/* The cell folders of dir (absent: none), sorted. */
static int list_cells(const char *dir, int suffix_ok, names *out, ntr_error *err)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : ntr_fail(err, NTR_E_IO, "cannot read %s: %s", dir,
                                              strerror(errno));
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL)
        if (is_cell_name(e->d_name, suffix_ok) && names_add(out, e->d_name) != 0)
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    closedir(d);
    if (rc != 0)
        names_free(out);
    else if (out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_str);
    return rc;
}

/* The plan's hashes, sorted, for lookups. */
static char **plan_hashes(const ntr_plan *p)
{
    char **h = malloc((p->ncells ? p->ncells : 1) * sizeof *h);
    if (!h)
        return NULL;
    for (size_t c = 0; c < p->ncells; c++)
        h[c] = (char *)p->cells[c].hash;
    qsort(h, p->ncells, sizeof *h, cmp_str);
    return h;
}

static int in_plan(char **sorted, size_t n, const char *name)
{
    char key[17];
    snprintf(key, sizeof key, "%.16s", name);
    const char *k = key;
    return bsearch(&k, sorted, n, sizeof *sorted, cmp_str) != NULL;
}

/* A finished cell folder that can be continued: its lineage and final k. */
static int continuable(const char *dir, char lineage[17], long *k_end)
{
    char path[1300];
    ntr_cell_record r;
    ntr_error err;
    if (ntr_path(path, sizeof path, &err, "%s/state.bin", dir) != 0 || !ntr_exists(path) ||
        ntr_path(path, sizeof path, &err, "%s/" NTR_SUMMARY_JSON, dir) != 0 ||
        ntr_cell_summary_read(path, &r, &err) != 0 || !r.known || !ntr_status_is_final(r.code) ||
        !r.lineage[0])
        return 0;
    memcpy(lineage, r.lineage, 17);
    *k_end = r.iterations;
    return 1;
}

/* The plan's (lineage, budget) pairs sorted by lineage: which lineages a
 * plan continues, up to which budget. */
typedef struct budget {
    const char *lineage;
    long iterations;
} budget;

static int cmp_budget(const void *a, const void *b)
{
    return strcmp(((const budget *)a)->lineage, ((const budget *)b)->lineage);
}

static budget *plan_budgets(const ntr_plan *p, size_t *n)
{
    budget *v = malloc((p->ncells ? p->ncells : 1) * sizeof *v);
    *n = 0;
    if (!v)
        return NULL;
    for (size_t c = 0; c < p->ncells; c++)
        if (p->cells[c].lineage[0]) {
            v[*n].lineage = p->cells[c].lineage;
            v[(*n)++].iterations = p->cells[c].s.iterations;
        }
    if (*n)
        qsort(v, *n, sizeof *v, cmp_budget);
    return v;
}

/* The largest budget of the plan's cells of this lineage, -1 if none. */
static long plan_budget_of(const budget *v, size_t n, const char *lineage)
{
    size_t lo = 0, hi = n; /* first entry >= lineage */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].lineage, lineage) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    long best = -1;
    for (; lo < n && !strcmp(v[lo].lineage, lineage); lo++)
        if (v[lo].iterations > best)
            best = v[lo].iterations;
    return best;
}

/* Move from/name to to/name (to/name.N when taken); ENOENT is no error (a
 * concurrent shard moved it first). */
static int move_cell(const char *from, const char *to, const char *name, ntr_error *err)
{
    char src[1300], dst[1300];
    if (ntr_path(src, sizeof src, err, "%s/%s", from, name) != 0 || ntr_mkdirs(to, err) != 0)
        return -1;
    for (int i = 0; i < 1000; i++) {
        int rc = i ? ntr_path(dst, sizeof dst, err, "%s/%.16s.%d", to, name, i)
                   : ntr_path(dst, sizeof dst, err, "%s/%.16s", to, name);
        if (rc != 0)
            return -1;
        if (ntr_exists(dst))
            continue;
        if (rename(src, dst) == 0 || errno == ENOENT)
            return 0;
        return ntr_fail(err, NTR_E_IO, "cannot move %s to %s: %s", src, dst, strerror(errno));
    }
    return ntr_fail(err, NTR_E_IO, "cannot move %s aside: too many copies", src);
}

int ntr_folder_update(const ntr_plan *p, const char *outdir, const char *config_text,
                      int apply, int allow_aside, ntr_folder_change *ch, ntr_error *err)
{
    char cfg[1100], cells_dir[1100], aside_dir[1100];
    memset(ch, 0, sizeof *ch);
    if (ntr_path(cfg, sizeof cfg, err, "%s/config.yaml", outdir) != 0 ||
        ntr_cells_path(cells_dir, sizeof cells_dir, err, outdir) != 0 ||
        ntr_path(aside_dir, sizeof aside_dir, err, "%s/aside", outdir) != 0)
        return -1;
    char *stored = ntr_read_all(cfg, 1 << 24, err);
    if (!stored)
        return -1;
    int diff = ntr_config_compare(stored, config_text, cfg, ch->keys, sizeof ch->keys, err);
    free(stored);
    if (diff < 0)
        return -1;
    ch->config_changed = diff > 0;
    names have, aside;
    char **planned = plan_hashes(p);
    if (!planned)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    int rc = list_cells(cells_dir, 0, &have, err);
    if (rc == 0)
        rc = list_cells(aside_dir, 1, &aside, err);
    else
        memset(&aside, 0, sizeof aside);
    size_t nbudgets = 0;
    budget *budgets = plan_budgets(p, &nbudgets);
    char *dropped = calloc(have.n ? have.n : 1, 1);
    if (rc == 0 && (!dropped || !budgets))
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    ch->folder_cells = have.n;
    for (size_t i = 0; rc == 0 && i < have.n; i++) {
        if (in_plan(planned, p->ncells, have.v[i]))
            continue;
        dropped[i] = 1;
        ch->dropped++;
        char dir[1300], lineage[17];
        long k_end;
        if (ntr_path(dir, sizeof dir, err, "%s/%s", cells_dir, have.v[i]) != 0)
            rc = -1;
        else if (continuable(dir, lineage, &k_end) &&
                 plan_budget_of(budgets, nbudgets, lineage) >= k_end)
            ch->superseded++;
    }
    /* plan cells without a folder: back from aside/, or new */
    for (size_t c = 0; rc == 0 && c < p->ncells; c++) {
        const char *h = p->cells[c].hash;
        const char *hp = h;
        if (have.n && bsearch(&hp, have.v, have.n, sizeof *have.v, cmp_str))
            continue;
        if (aside.n && bsearch(&hp, aside.v, aside.n, sizeof *aside.v, cmp_str)) {
            ch->restored++;
            if (apply)
                rc = move_cell(aside_dir, cells_dir, h, err);
        } else {
            ch->added++;
        }
    }
    if (rc == 0 && apply && ch->dropped > ch->superseded && !allow_aside)
        rc = ntr_fail(err, NTR_E_INPUT,
                      "%s holds results of a different config (differing: %s): %zu of the "
                      "folder's %zu cells are not in this plan; --aside moves them to %s/ "
                      "(nothing is deleted; the old config run again brings them back) and runs "
                      "this config; or use another -o folder, or --force-new to move the old "
                      "folder aside and start anew",
                      cfg, ch->keys[0] ? ch->keys : "none", ch->dropped - ch->superseded,
                      ch->folder_cells, aside_dir);
    for (size_t i = 0; rc == 0 && apply && i < have.n; i++)
        if (dropped[i])
            rc = move_cell(cells_dir, aside_dir, have.v[i], err);
    if (rc == 0 && apply && ch->config_changed)
        rc = ntr_write_atomic(cfg, config_text, strlen(config_text), err);
    free(dropped);
    free(budgets);
    free(planned);
    names_free(&have);
    names_free(&aside);
    return rc;
}

/* ---- continuation sources ------------------------------------------------ */

typedef struct source {
    char lineage[17];
    long k_end;
    char *dir;
} source;

struct ntr_sources {
    source *v;
    size_t n, cap;
};

static int cmp_source(const void *a, const void *b)
{
    const source *x = a, *y = b;
    int c = strcmp(x->lineage, y->lineage);
    return c ? c : (x->k_end > y->k_end) - (x->k_end < y->k_end);
}

/* Add the continuable cells of dir (all, or those not in the plan). */
static int scan_dir(ntr_sources *s, const char *dir, int suffix_ok, char **planned, size_t np,
                    ntr_error *err)
{
    names l;
    if (list_cells(dir, suffix_ok, &l, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        char path[1300], lineage[17];
        long k_end;
        if (planned && in_plan(planned, np, l.v[i]))
            continue;
        if (ntr_path(path, sizeof path, err, "%s/%s", dir, l.v[i]) != 0) {
            rc = -1;
            break;
        }
        if (!continuable(path, lineage, &k_end))
            continue;
        if (s->n == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 16;
            source *v = realloc(s->v, cap * sizeof *v);
            if (!v) {
                rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
                break;
            }
            s->v = v;
            s->cap = cap;
        }
        source *e = &s->v[s->n];
        memcpy(e->lineage, lineage, 17);
        e->k_end = k_end;
        if (!(e->dir = strdup(path)))
            rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
        else
            s->n++;
    }
    names_free(&l);
    return rc;
}

int ntr_sources_scan(const ntr_plan *p, const char *outdir, ntr_sources **out, ntr_error *err)
{
    char dir[1100];
    *out = calloc(1, sizeof **out);
    char **planned = plan_hashes(p);
    if (!*out || !planned) {
        free(planned);
        ntr_sources_free(*out);
        *out = NULL;
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    int any = 0; /* sources only matter for cells with a lineage */
    for (size_t c = 0; c < p->ncells && !any; c++)
        any = p->cells[c].lineage[0] != '\0';
    int rc = 0;
    if (any && (ntr_path(dir, sizeof dir, err, "%s/aside", outdir) != 0 ||
                scan_dir(*out, dir, 1, NULL, 0, err) != 0 ||
                ntr_cells_path(dir, sizeof dir, err, outdir) != 0 ||
                scan_dir(*out, dir, 0, planned, p->ncells, err) != 0))
        rc = -1;
    free(planned);
    if (rc != 0) {
        ntr_sources_free(*out);
        *out = NULL;
        return -1;
    }
    if ((*out)->n)
        qsort((*out)->v, (*out)->n, sizeof *(*out)->v, cmp_source);
    return 0;
}

const char *ntr_sources_find(const ntr_sources *s, const ntr_cell *c, long *k_end)
{
    if (!s || !c->lineage[0])
        return NULL;
    size_t lo = 0, hi = s->n; /* first source >= the lineage */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->v[mid].lineage, c->lineage) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    const source *best = NULL; /* sorted by k: the last fitting one is the largest */
    for (; lo < s->n && !strcmp(s->v[lo].lineage, c->lineage); lo++)
        if (s->v[lo].k_end <= c->s.iterations)
            best = &s->v[lo];
    if (best && k_end)
        *k_end = best->k_end;
    return best ? best->dir : NULL;
}

void ntr_sources_free(ntr_sources *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].dir);
    free(s->v);
    free(s);
}

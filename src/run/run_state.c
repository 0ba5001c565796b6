/* run_state.c: a finished run's state in a file, and a new run continued
 * from it (see runner.h).
 *
 * What a run carries from one iteration to the next is x, the method's
 * buffers (momentum, second moments, x_{k-1} for extrapolation) and its
 * step count, the generator, and the loop state (k, oracle calls, the next
 * logged k, the running minimum and mean, targets hit).  The state saved is
 * the one at the start of the run's last iteration, before its measurement:
 * the measurement draws nothing and changes neither x nor the method, so a
 * run with a larger budget that starts there does, from that iteration on,
 * exactly what a run with that budget from the start would have done.
 *
 * The file (state.bin) is binary and native-endian, with a checksum: a
 * cache for continuing runs on the machine that wrote it.  Layout: the
 * magic "NTRSTAT3"; dim (u64); the loop state; the MT19937 generator's 624
 * words and position; x; the method's state as ntr_method_save writes it
 * (the method's buffers stay private to it, method.h); the XXH64 of
 * everything before it.  (A state of the earlier layout "NTRSTAT2" is not
 * read: the cell runs again from the start, to the same bytes.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "output/files.h"
#include "run/run_internal.h"

static const char magic[8] = {'N', 'T', 'R', 'S', 'T', 'A', 'T', '3'};

/* GSL's MT19937 state (gsl/rng/mt.c: mt_state_t), written word by word
 * so that the file holds no padding bytes. */
#define MT_N 624
typedef struct mt_state {
    unsigned long mt[MT_N];
    int mti;
} mt_state;

static int is_mt(const gsl_rng *g)
{
    return strcmp(gsl_rng_name(g), "mt19937") == 0 && gsl_rng_size(g) == sizeof(mt_state);
}

static void put_u64(FILE *f, uint64_t v) { fwrite(&v, sizeof v, 1, f); }
static void put_f64(FILE *f, double v) { fwrite(&v, sizeof v, 1, f); }

static void put_loop(FILE *f, const ntr_loop_state *st)
{
    put_u64(f, (uint64_t)st->k);
    put_u64(f, (uint64_t)st->sfo);
    put_u64(f, (uint64_t)st->log_at);
    put_f64(f, st->rs.min);
    put_f64(f, st->rs.sum);
    put_u64(f, (uint64_t)st->rs.n);
    put_u64(f, (uint64_t)st->rs.weighted);
    put_f64(f, st->rs.last);
    put_u64(f, (uint64_t)st->rs.last_k);
    put_u64(f, (uint64_t)st->hits);
    for (int i = 0; i < NTR_MAX_TARGETS; i++) {
        put_u64(f, (uint64_t)st->hit_k[i]);
        put_u64(f, (uint64_t)st->hit_sfo[i]);
    }
}

int ntr_run_save_state(const ntr_run *r, const char *path, ntr_error *err)
{
    if (!r->have_last) /* interrupted, or stopped past a state (no continuation) */
        return 0;
    if (!is_mt(r->rng))
        return ntr_fail(err, NTR_E_INTERNAL, "generator %s cannot be saved", gsl_rng_name(r->rng));
    size_t dim = r->problem.layout.dim;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    fwrite(magic, 1, sizeof magic, f);
    put_u64(f, dim);
    put_loop(f, &r->last);
    const mt_state *mt = gsl_rng_state(r->rng);
    for (int i = 0; i < MT_N; i++)
        put_u64(f, mt->mt[i]);
    put_u64(f, (uint64_t)(int64_t)mt->mti);
    fwrite(r->x, sizeof *r->x, dim, f);
    ntr_method_save(r->method, f);
    if (fclose(f) != 0) {
        free(buf);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    char *full = realloc(buf, len + 8);
    if (!full) {
        free(buf);
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    }
    uint64_t sum = XXH64(full, len, 0);
    memcpy(full + len, &sum, sizeof sum);
    int rc = ntr_write_atomic(path, full, len + 8, err);
    free(full);
    return rc;
}

/* A reader over the file's bytes; every get fails once past the end. */
typedef struct reader {
    const char *p, *end;
    int bad;
} reader;

static uint64_t get_u64(reader *rd)
{
    uint64_t v = 0;
    if (rd->end - rd->p < (long)sizeof v) {
        rd->bad = 1;
        return 0;
    }
    memcpy(&v, rd->p, sizeof v);
    rd->p += sizeof v;
    return v;
}

static double get_f64(reader *rd)
{
    double v = 0.0;
    if (rd->end - rd->p < (long)sizeof v) {
        rd->bad = 1;
        return 0.0;
    }
    memcpy(&v, rd->p, sizeof v);
    rd->p += sizeof v;
    return v;
}

static void get_vec(reader *rd, double *out, size_t n)
{
    if ((size_t)(rd->end - rd->p) / sizeof(double) < n) {
        rd->bad = 1;
        return;
    }
    memcpy(out, rd->p, n * sizeof(double));
    rd->p += n * sizeof(double);
}

static void get_loop(reader *rd, ntr_loop_state *st)
{
    st->k = (long)get_u64(rd);
    st->sfo = (long)get_u64(rd);
    st->log_at = (long)get_u64(rd);
    st->rs.min = get_f64(rd);
    st->rs.sum = get_f64(rd);
    st->rs.n = (long)get_u64(rd);
    st->rs.weighted = (int)get_u64(rd);
    st->rs.last = get_f64(rd);
    st->rs.last_k = (long)get_u64(rd);
    st->hits = (int)get_u64(rd);
    for (int i = 0; i < NTR_MAX_TARGETS; i++) {
        st->hit_k[i] = (long)get_u64(rd);
        st->hit_sfo[i] = (long)get_u64(rd);
    }
}

int ntr_run_load_state(ntr_run *r, const char *path, long *k_end, ntr_error *err)
{
    size_t size;
    char *data = ntr_read_all_bytes(path, (size_t)1 << 40, &size, err);
    if (!data)
        return -1;
    size_t dim = r->problem.layout.dim;
    reader rd = {data, data + size, 0};
    int rc = -1;
    uint64_t sum;
    if (size < sizeof magic + 8 || memcmp(data, magic, sizeof magic) != 0) {
        ntr_fail(err, NTR_E_IO, "%s: not a run state file", path);
        goto done;
    }
    memcpy(&sum, data + size - 8, sizeof sum);
    if (XXH64(data, size - 8, 0) != sum) {
        ntr_fail(err, NTR_E_IO, "%s: checksum mismatch (a damaged file)", path);
        goto done;
    }
    rd.p += sizeof magic;
    rd.end -= 8;
    uint64_t fdim = get_u64(&rd);
    if (fdim != dim || !is_mt(r->rng)) {
        ntr_fail(err, NTR_E_IO, "%s: the state of another setting (dimension %llu)", path,
                 (unsigned long long)fdim);
        goto done;
    }
    ntr_loop_state st;
    get_loop(&rd, &st);
    mt_state mt;
    memset(&mt, 0, sizeof mt);
    for (int i = 0; i < MT_N; i++)
        mt.mt[i] = (unsigned long)get_u64(&rd);
    mt.mti = (int)(int64_t)get_u64(&rd);
    get_vec(&rd, r->x, dim);
    /* the method's state last, once everything before it is known good */
    if (rd.bad || mt.mti < 0 || mt.mti > MT_N || st.k < 0 || st.k > r->s->iterations ||
        st.hits < 0 || st.hits > NTR_MAX_TARGETS ||
        ntr_method_restore(r->method, rd.p, (size_t)(rd.end - rd.p)) != 0) {
        ntr_fail(err, NTR_E_IO, "%s: a truncated or inconsistent state (or another setting's)",
                 path);
        goto done;
    }
    memcpy(gsl_rng_state(r->rng), &mt, sizeof mt);
    r->resume = st;
    r->resuming = 1;
    *k_end = st.k;
    rc = 0;
done:
    free(data);
    return rc;
}

void ntr_run_set_time_offset(ntr_run *r, double seconds) { r->time_offset = seconds; }

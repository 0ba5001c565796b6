/* test_methods_ref.c: every method and variant against an independent
 * implementation for 50 steps, and the rule that a step never allocates.
 *
 * The reference below is written from THEORY.md's equations with plain
 * loops and does not call src/methods/: its own sharps (d/|d|, sign(d),
 * and the polar factor of a 2 x 2 block in closed form), its own EMA,
 * Nesterov, extrapolation, weight decay, shape factors and Adam.  Both run
 * on a quadratic f(x) = (x - xs)^T A (x - xs)/2 over the blocks 2x2 + 4x1
 * with a deterministic "noise" added to the gradient, taken at the query
 * point, and must agree to 1e-9 (relative) at every step.
 *
 * The allocation check counts calls to malloc, calloc and realloc with a
 * wrapper over glibc's allocator; it is compiled out under AddressSanitizer
 * (which owns malloc), where that test only runs the steps. */
#include <check.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/method_impl.h"
#include "run/schedule.h"
#include "support.h"

#define DIM 8
#define STEPS 50

/* ---- the problem: gradient A (x - xs) + noise(k) ---- */

typedef struct quad {
    double a[DIM][DIM], xs[DIM], x0[DIM];
} quad;

/* A = B^T B / DIM + I/2 with B_ij = sin(3i + 1.7j): symmetric positive definite. */
static void quad_init(quad *q)
{
    double b[DIM][DIM];
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++)
            b[i][j] = sin(3.0 * i + 1.7 * j);
    for (int i = 0; i < DIM; i++) {
        for (int j = 0; j < DIM; j++) {
            double s = 0.0;
            for (int l = 0; l < DIM; l++)
                s += b[l][i] * b[l][j];
            q->a[i][j] = s / DIM + (i == j ? 0.5 : 0.0);
        }
        q->xs[i] = 0.5 * i - 1.0;
        q->x0[i] = 2.0 * cos(1.0 + i);
    }
}

/* k = -1 is the extra sample g0 at x0. */
static void quad_grad(const quad *q, const double *x, long k, double *g)
{
    for (int i = 0; i < DIM; i++) {
        double s = 0.0;
        for (int j = 0; j < DIM; j++)
            s += q->a[i][j] * (x[j] - q->xs[j]);
        g[i] = s + 0.3 * sin(0.7 * (double)k + 1.3 * i + 0.1);
    }
}

static double eta_at(long k)
{
    return 0.05 / sqrt(1.0 + (double)k / 10.0);
}

/* ---- the reference implementation ---- */

enum { M_NTR, M_OSGDM, M_SGD, M_SGDM, M_ADAMW, NMETHODS };
enum { N_EUCLIDEAN, N_LINF, N_SPECTRAL, NNORMS };
/* adamw's own keys (opts.own), in its declaration order */
enum { ADAMW_BETA2, ADAMW_EPS };
static const char *const method_names[] = {"ntr", "osgdm", "sgd", "sgdm", "adamw"};
static const char *const norm_names[] = {"euclidean", "linf", "spectral"};

/* blocks: [0,4) a 2x2 matrix, [4,8) a 4x1 column */
static const int blk_off[2] = {0, 4}, blk_len[2] = {4, 4};

static void ref_block_sharp(int norm, int blk, const double *d, double *out)
{
    int n = blk_len[blk];
    if (norm == N_LINF) {
        for (int j = 0; j < n; j++)
            out[j] = d[j] > 0 ? 1.0 : d[j] < 0 ? -1.0 : 0.0;
        return;
    }
    if (norm == N_SPECTRAL && blk == 0) {
        /* M = U S V^T, s = sign det M: M + s cof(M) = (s1 + s2) U V^T and
         * s1 + s2 = sqrt(|M|_F^2 + 2 |det M|). */
        double a = d[0], b = d[1], c = d[2], e = d[3], det = a * e - b * c;
        double s = det > 0 ? 1.0 : det < 0 ? -1.0 : 0.0;
        double nuc = sqrt(a * a + b * b + c * c + e * e + 2.0 * fabs(det));
        if (nuc == 0.0) {
            memset(out, 0, 4 * sizeof *out);
            return;
        }
        out[0] = (a + s * e) / nuc;
        out[1] = (b - s * c) / nuc;
        out[2] = (c - s * b) / nuc;
        out[3] = (e + s * a) / nuc;
        return;
    }
    /* Euclidean, and the spectral norm of a column vector: d / |d|_2 */
    double s = 0.0;
    for (int j = 0; j < n; j++)
        s += d[j] * d[j];
    s = sqrt(s);
    for (int j = 0; j < n; j++)
        out[j] = s > 0.0 ? d[j] / s : 0.0;
}

/* shape factors of 2x2 and 4x1: jordan (1, 2), rms_match (0.2 sqrt 2, 0.2 sqrt 4) */
static double ref_scale(int scale, int blk)
{
    static const double f[3][2] = {{1, 1}, {1, 2}, {0.2 * M_SQRT2, 0.4}};
    return f[scale][blk];
}

static void ref_sharp(int norm, int scale, const double *d, double *out)
{
    for (int b = 0; b < 2; b++) {
        ref_block_sharp(norm, b, d + blk_off[b], out + blk_off[b]);
        for (int j = 0; j < blk_len[b]; j++)
            out[blk_off[b] + j] *= ref_scale(scale, b);
    }
}

typedef struct variant {
    int method, norm;
    ntr_method_opts o;
} variant;

typedef struct ref_state {
    double x[DIM], m[DIM], v[DIM], xprev[DIM], z[DIM];
    long k;
    int sampled;
} ref_state;

static void ref_start(ref_state *r, const variant *w, const double *x0, const double *g0)
{
    memset(r, 0, sizeof *r);
    memcpy(r->x, x0, sizeof r->x);
    memcpy(r->xprev, x0, sizeof r->xprev); /* x_{-1} = x_0 */
    r->sampled = g0 != NULL;
    if (!g0)
        return;
    if (w->method == M_OSGDM)
        ref_sharp(w->norm, w->o.scale, g0, r->m); /* M_0 = g0# */
    else
        for (int j = 0; j < DIM; j++) {
            r->m[j] = g0[j];
            r->v[j] = g0[j] * g0[j];
        }
}

static const double *ref_query(ref_state *r, const variant *w)
{
    if (!w->o.extrapolation)
        return r->x;
    double a = w->o.alpha;
    for (int j = 0; j < DIM; j++)
        r->z[j] = r->x[j] + ((1.0 - a) / a) * (r->x[j] - r->xprev[j]);
    return r->z;
}

static void ref_step(ref_state *r, const variant *w, const double *g, double eta)
{
    const ntr_method_opts *o = &w->o;
    double a = o->alpha, step[DIM], sh[DIM], d[DIM];
    memcpy(r->xprev, r->x, sizeof r->x);
    switch (w->method) {
    case M_SGD:
        memcpy(step, g, sizeof step);
        break;
    case M_NTR: /* m_{k+1} = (1-a) m_k + a g_k, step = d# */
    case M_SGDM: /* the same m, step = d */
        for (int j = 0; j < DIM; j++)
            r->m[j] = (1.0 - a) * r->m[j] + a * g[j];
        for (int j = 0; j < DIM; j++)
            d[j] = o->nesterov ? (1.0 - a) * r->m[j] + a * g[j] : r->m[j];
        if (w->method == M_NTR)
            ref_sharp(w->norm, o->scale, d, step);
        else
            memcpy(step, d, sizeof step);
        break;
    case M_OSGDM: /* O_k = g_k#, M_{k+1} = (1-a) M_k + a O_k */
        ref_sharp(w->norm, o->scale, g, sh);
        for (int j = 0; j < DIM; j++) {
            r->m[j] = (1.0 - a) * r->m[j] + a * sh[j];
            step[j] = o->nesterov ? (1.0 - a) * r->m[j] + a * sh[j] : r->m[j];
        }
        break;
    case M_ADAMW: { /* bias correction only after a zero start */
        double b1 = 1.0 - a, b2 = o->own[ADAMW_BETA2], t = (double)(r->k + 1);
        double c1 = r->sampled ? 1.0 : 1.0 - pow(b1, t), c2 = r->sampled ? 1.0 : 1.0 - pow(b2, t);
        for (int j = 0; j < DIM; j++) {
            r->m[j] = b1 * r->m[j] + (1.0 - b1) * g[j];
            r->v[j] = b2 * r->v[j] + (1.0 - b2) * g[j] * g[j];
            step[j] = (r->m[j] / c1) / (sqrt(r->v[j] / c2) + o->own[ADAMW_EPS]);
        }
        break;
    }
    }
    for (int j = 0; j < DIM; j++)
        r->x[j] = (1.0 - eta * o->weight_decay) * r->x[j] - eta * step[j];
    r->k++;
}

/* ---- the variants ---- */

enum { V_PLAIN, V_M0_ZERO, V_NESTEROV, V_WD, V_EXTRAP, V_JORDAN, V_RMS, V_ALL, NVARIANTS };
static const char *const variant_names[] = {"plain (m0 sample)", "m0 zero", "nesterov",
                                            "weight decay", "extrapolation", "scale jordan",
                                            "scale rms_match", "all together"};

/* 0 when the variant does not apply to the method. */
static int make_variant(int method, int norm, int which, variant *w)
{
    memset(w, 0, sizeof *w);
    w->method = method;
    w->norm = norm;
    ntr_method_opts *o = &w->o;
    o->alpha = 0.2;
    o->m0_sample = 1;
    o->own[ADAMW_BETA2] = 0.95;
    o->own[ADAMW_EPS] = 1e-8;
    int nesterov_ok = method != M_SGD && method != M_ADAMW;
    switch (which) {
    case V_M0_ZERO: o->m0_sample = 0; break;
    case V_NESTEROV: o->nesterov = 1; break;
    case V_WD: o->weight_decay = 0.3; break;
    case V_EXTRAP: o->extrapolation = 1; break;
    case V_JORDAN: o->scale = NTR_SCALE_JORDAN; break;
    case V_RMS: o->scale = NTR_SCALE_RMS_MATCH; break;
    case V_ALL:
        o->nesterov = nesterov_ok;
        o->weight_decay = 0.3;
        o->extrapolation = 1;
        o->scale = NTR_SCALE_JORDAN;
        break;
    default: break;
    }
    return !(which == V_NESTEROV && !nesterov_ok);
}

static ntr_layout test_layout(void)
{
    ntr_layout lay = ntr_layout_single(2, 2);
    ntr_layout_add(&lay, 4, 1);
    return lay;
}

static int uses_norm(int method)
{
    return method == M_NTR || method == M_OSGDM;
}

/* Run the library and the reference side by side; return how many variants ran. */
static int compare_variant(const quad *q, int method, int norm, int which)
{
    variant w;
    if (!make_variant(method, norm, which, &w))
        return 0;
    char name[128];
    snprintf(name, sizeof name, "%s/%s/%s", method_names[method], norm_names[norm],
             variant_names[which]);
    ntr_layout lay = test_layout();
    ntr_error err = {0};
    ntr_norm *nm = NULL;
    ck_assert_msg(ntr_norm_alloc(ntr_norm_lookup(norm_names[norm]), NULL, &lay, &nm, &err) == 0,
                  "%s: %s", name, err.msg);
    ntr_method *m = NULL;
    ck_assert_msg(ntr_method_alloc(ntr_method_lookup(method_names[method]), &w.o, &lay, nm, &m,
                                   &err) == 0,
                  "%s: %s", name, err.msg);
    double x[DIM], g[DIM], g0[DIM];
    memcpy(x, q->x0, sizeof x);
    quad_grad(q, q->x0, -1, g0);
    const double *g0p = w.o.m0_sample ? g0 : NULL;
    ck_assert_int_eq(ntr_method_start(m, x, g0p, NULL), 0);
    ref_state r;
    ref_start(&r, &w, q->x0, g0p);
    for (long k = 0; k < STEPS; k++) {
        const double *zl = ntr_method_query_point(m, x);
        const double *zr = ref_query(&r, &w);
        quad_grad(q, zl, k, g);
        double gr[DIM];
        quad_grad(q, zr, k, gr);
        ck_assert_int_eq(ntr_method_step(m, x, g, eta_at(k), NULL), 0);
        ref_step(&r, &w, gr, eta_at(k));
        double scale = 1.0, diff = 0.0, mdiff = 0.0, mscale = 1.0;
        const double *mom = ntr_method_momentum(m);
        for (int j = 0; j < DIM; j++) {
            scale = fmax(scale, fabs(r.x[j]));
            diff = fmax(diff, fabs(x[j] - r.x[j]));
            if (mom) {
                mscale = fmax(mscale, fabs(r.m[j]));
                mdiff = fmax(mdiff, fabs(mom[j] - r.m[j]));
            }
        }
        ck_assert_msg(diff <= 1e-9 * scale, "%s: x differs by %g after step %ld", name, diff, k + 1);
        ck_assert_msg(mdiff <= 1e-9 * mscale, "%s: momentum differs by %g after step %ld", name,
                      mdiff, k + 1);
        ck_assert_msg(isfinite(x[0]), "%s: not finite", name);
    }
    ck_assert_int_eq(m->k, STEPS);
    ck_assert_msg((ntr_method_momentum(m) == NULL) == (method == M_SGD), "%s: momentum()", name);
    ntr_method_free(m);
    ntr_norm_free(nm);
    return 1;
}

START_TEST(test_against_reference)
{
    int method = _i;
    quad q;
    quad_init(&q);
    int ran = 0;
    for (int norm = 0; norm < NNORMS; norm++) {
        if (!uses_norm(method) && norm != N_EUCLIDEAN)
            continue; /* the norm plays no part */
        for (int which = 0; which < NVARIANTS; which++)
            ran += compare_variant(&q, method, norm, which);
    }
    ck_assert_int_ge(ran, NVARIANTS - 1);
}
END_TEST

/* The methods must move: 50 steps of each bring f well below f(x0). */
START_TEST(test_methods_descend)
{
    quad q;
    quad_init(&q);
    for (int method = 0; method < NMETHODS; method++) {
        variant w;
        make_variant(method, N_SPECTRAL, V_PLAIN, &w);
        ref_state r;
        double g[DIM];
        quad_grad(&q, q.x0, -1, g);
        ref_start(&r, &w, q.x0, g);
        double f0 = 0.0, f1 = 0.0;
        for (int k = 0; k < 400; k++) {
            quad_grad(&q, ref_query(&r, &w), k, g);
            ref_step(&r, &w, g, method == M_SGD || method == M_SGDM ? 0.2 : 0.02);
        }
        for (int i = 0; i < DIM; i++)
            for (int j = 0; j < DIM; j++) {
                f0 += 0.5 * (q.x0[i] - q.xs[i]) * q.a[i][j] * (q.x0[j] - q.xs[j]);
                f1 += 0.5 * (r.x[i] - q.xs[i]) * q.a[i][j] * (r.x[j] - q.xs[j]);
            }
        ck_assert_msg(f1 < 0.1 * f0, "%s reference: f %g -> %g", method_names[method], f0, f1);
    }
}
END_TEST

/* ---- allocation counting ---- */

#if defined(__SANITIZE_ADDRESS__)
#define COUNT_ALLOCS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define COUNT_ALLOCS 0
#endif
#endif
#ifndef COUNT_ALLOCS
#define COUNT_ALLOCS 1
#endif

#if COUNT_ALLOCS
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
static atomic_ulong n_allocs;

void *malloc(size_t n)
{
    atomic_fetch_add(&n_allocs, 1);
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    atomic_fetch_add(&n_allocs, 1);
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    atomic_fetch_add(&n_allocs, 1);
    return __libc_realloc(p, n);
}

static unsigned long allocs_so_far(void)
{
    return atomic_load(&n_allocs);
}
#else
static unsigned long allocs_so_far(void)
{
    return 0;
}
#endif

/* 1000 iterations of schedule + query point + step for every method, norm
 * and spectral solver, counted after a warm-up. */
START_TEST(test_no_allocation_in_step)
{
    quad q;
    quad_init(&q);
    ntr_layout lay = test_layout();
    ntr_error err = {0};
    ntr_schedule_spec spec = {.type = NTR_SCHED_EXPR, .expr = "0.05/sqrt(1+k/10)", .warmup = 5};
    ntr_schedule *sched = NULL;
    ck_assert_int_eq(ntr_schedule_alloc(&spec, 1010, &sched, &err), 0);
    ntr_lmo_opts ns = {0};
    ck_assert_int_eq(ntr_lmo_preset(&ns, "polar_express", 5), 0);
    for (int method = 0; method < NMETHODS; method++)
        for (int norm = 0; norm <= NNORMS; norm++) { /* NNORMS: spectral by Newton-Schulz */
            variant w;
            make_variant(method, norm % NNORMS, V_ALL, &w);
            ntr_norm *nm = NULL;
            ntr_method *m = NULL;
            ck_assert_int_eq(ntr_norm_alloc(ntr_norm_lookup(norm_names[norm % NNORMS]),
                                            norm == NNORMS ? &ns : NULL, &lay, &nm, &err),
                             0);
            ck_assert_int_eq(ntr_method_alloc(ntr_method_lookup(method_names[method]), &w.o, &lay,
                                              nm, &m, &err),
                             0);
            double x[DIM], g[DIM];
            memcpy(x, q.x0, sizeof x);
            quad_grad(&q, x, -1, g);
            ck_assert_int_eq(ntr_method_start(m, x, g, NULL), 0);
            unsigned long before = 0;
            int failed = 0; /* no ck_assert in the counted loop: Check allocates */
            for (long k = 0; k < 1010; k++) {
                if (k == 10)
                    before = allocs_so_far();
                double eta = ntr_schedule_eta(sched, k);
                quad_grad(&q, ntr_method_query_point(m, x), k, g);
                failed |= ntr_method_step(m, x, g, eta, NULL) != 0;
            }
            unsigned long during = allocs_so_far() - before;
            ck_assert_msg(!failed, "%s: a step failed", method_names[method]);
            ck_assert_msg(during == 0, "%s with %s%s: %lu allocations in 1000 steps",
                          method_names[method], norm_names[norm % NNORMS],
                          norm == NNORMS ? " (Newton-Schulz)" : "", during);
            ck_assert_msg(isfinite(x[0]), "%s: diverged", method_names[method]);
            ntr_method_free(m);
            ntr_norm_free(nm);
        }
    ntr_schedule_free(sched);
#if COUNT_ALLOCS
    /* the counter does count: one malloc is seen */
    unsigned long c0 = allocs_so_far();
    void *volatile p = malloc(16);
    ck_assert_uint_eq(allocs_so_far() - c0, 1);
    free(p);
#endif
}
END_TEST

int main(void)
{
    Suite *s = suite_create("methods_ref");
    TCase *tc = tcase_create("reference");
    tcase_add_loop_test(tc, test_against_reference, 0, NMETHODS);
    tcase_add_test(tc, test_methods_descend);
    tcase_add_test(tc, test_no_allocation_in_step);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

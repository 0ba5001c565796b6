/* cost.c: the logging grid and the cost of a run (see cost.h). */
#include "run/cost.h"

#include <math.h>

long ntr_next_log(const ntr_settings *s, long k)
{
    if (s->log_every > 0)
        return k + s->log_every;
    long next = (long)floor((double)k * 1.1220184543019633); /* 10^(1/20) */
    return next > k ? next : k + 1;
}

/* Multiples of m in [lo, hi]. */
static long multiples(long m, long lo, long hi)
{
    return hi < lo ? 0 : hi / m - (lo + m - 1) / m + 1;
}

static long gcd(long a, long b)
{
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

void ntr_run_cost_of(const ntr_settings *s, long k_from, ntr_run_cost *c)
{
    long K = s->iterations;
    long me = s->measure_every > 0 ? s->measure_every : 1;
    c->iterations = K - k_from;
    c->sfo = (c->iterations + (k_from == 0 && s->mopts.m0_sample)) * s->batch;
    long measured = multiples(me, k_from, K); /* the measure_every grid */
    long rows = 0, extra = 0;                 /* logged rows; those off that grid */
    if (s->log_every > 0) {
        long n = s->log_every, both = n / gcd(n, me) * me;
        rows = multiples(n, k_from, K);
        extra = rows - multiples(both, k_from, K);
        if (K % n != 0) { /* K is always logged */
            rows++;
            extra += K % me != 0;
        }
    } else {
        int last = 0;
        for (long k = 0; k <= K; k = ntr_next_log(s, k)) {
            if (k < k_from)
                continue;
            rows++;
            extra += k % me != 0;
            last = k == K;
        }
        if (!last) {
            rows++;
            extra += K % me != 0;
        }
    }
    c->rows = rows;
    /* measuring on the logging grid (log.measure_every: log): the rows */
    c->gradients = s->measure_every > 0 ? measured + extra : rows;
}

/* progress.c: the updating progress line (see progress.h). */
#include "run/progress.h"

#include <math.h>
#include <string.h>
#include <time.h>

double ntr_progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void ntr_progress_duration(double seconds, char *buf, size_t size)
{
    if (!(seconds >= 0) || !isfinite(seconds)) {
        snprintf(buf, size, "?");
        return;
    }
    long s = (long)(seconds + 0.5);
    if (s < 60)
        snprintf(buf, size, "%lds", s);
    else if (s < 3600)
        snprintf(buf, size, "%ldm%02lds", s / 60, s % 60);
    else
        snprintf(buf, size, "%ldh%02ldm", s / 3600, s / 60 % 60);
}

void ntr_progress_init(ntr_progress *pr, FILE *out, int enabled, size_t total,
                       size_t done_before)
{
    memset(pr, 0, sizeof *pr);
    pr->out = out;
    pr->enabled = enabled && out;
    pr->total = total;
    pr->done = pr->done_before = done_before;
    pr->t0 = ntr_progress_now();
    pr->last_draw = -1e30;
}

void ntr_progress_format(const ntr_progress *pr, double now, char *buf, size_t size)
{
    size_t used = 0;
    used += (size_t)snprintf(buf, size, "ntr-run: %zu/%zu cells done, %zu running", pr->done,
                             pr->total, pr->running);
    if (pr->failed && used < size)
        used += (size_t)snprintf(buf + used, size - used, ", %zu failed", pr->failed);
    if (used >= size)
        return;
    size_t ran = pr->done - pr->done_before;
    size_t left = pr->total > pr->done ? pr->total - pr->done : 0;
    if (left == 0)
        return;
    if (ran == 0) {
        snprintf(buf + used, size - used, ", ETA --");
        return;
    }
    char eta[32];
    ntr_progress_duration((now - pr->t0) / (double)ran * (double)left, eta, sizeof eta);
    snprintf(buf + used, size - used, ", ETA %s", eta);
}

static void draw(ntr_progress *pr, double now)
{
    char line[160];
    ntr_progress_format(pr, now, line, sizeof line);
    size_t len = strlen(line);
    fprintf(pr->out, "\r%s", line);
    for (size_t i = len; i < pr->width; i++)
        fputc(' ', pr->out);
    fflush(pr->out);
    pr->width = len;
    pr->last_draw = now;
}

void ntr_progress_update(ntr_progress *pr, size_t running, int force)
{
    pr->running = running;
    if (!pr->enabled)
        return;
    double now = ntr_progress_now();
    if (force || now - pr->last_draw >= 0.25)
        draw(pr, now);
}

void ntr_progress_cell_done(ntr_progress *pr, int failed, size_t running)
{
    if (pr->done < pr->total)
        pr->done++;
    if (failed)
        pr->failed++;
    ntr_progress_update(pr, running, 0);
}

void ntr_progress_clear(ntr_progress *pr)
{
    if (!pr->enabled || pr->width == 0)
        return;
    fputc('\r', pr->out);
    for (size_t i = 0; i < pr->width; i++)
        fputc(' ', pr->out);
    fputc('\r', pr->out);
    fflush(pr->out);
    pr->width = 0;
    pr->last_draw = -1e30; /* redraw at the next event */
}

void ntr_progress_end(ntr_progress *pr)
{
    ntr_progress_clear(pr);
    pr->enabled = 0;
}

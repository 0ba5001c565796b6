/* extrap_analyse.c: the extrapolation study's analysis hook: read the
 * folder, run the checks (a)-(c) for the extrapolated role and for each
 * control, write the files and figures, and the verdict lines the CLI
 * prints last:
 *
 *   (a) ... (b) ... (c) ...         what was measured
 *   control NAME: violated (...), as expected
 *   claim: consistent, reproduced   (or NOT reproduced, and why)
 *
 * The claim is reproduced when the extrapolated role is consistent and
 * every control is violated: a control that passes means the checks did
 * not depend on the mechanism, and that is reported, not hidden. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/extrap/extrap_data.h"
#include "base/textbuf.h"

#define BOOT_SEED 20250601UL

static int compute(const ntr_ex_data *d, ntr_ex_outcome *o, ntr_error *err)
{
    const ntr_ex_spec *s = &d->spec;
    memset(o, 0, sizeof *o);
    if (ntr_ex_momentum(d->mom, d->nmom, s->ndoses, d->nroles, &o->mom, err) != 0)
        return -1;
    double x[NTR_EX_MAX_DOSES];
    ntr_ex_curve curves[NTR_EX_MAX_DOSES];
    for (size_t z = 0; z < s->ndoses; z++) {
        curves[z] = d->dose[z].curve;
        ntr_ex_crossover(&curves[z], d->nroles, NULL, 0, &o->cross[z]);
        x[z] = d->dose[z].ratio;
    }
    if (ntr_ex_dose_response(x, curves, o->cross, s->ndoses, s->bootstrap, BOOT_SEED, &o->fit,
                             err) != 0)
        return -1;
    o->reproduced = 1;
    for (size_t r = NTR_EX_ON; r < d->nroles; r++) {
        o->verdict[r] = ntr_ex_judge(&o->mom, o->cross, s->ndoses, &o->fit, s->band, r,
                                     d->pending, o->why[r], sizeof o->why[r]);
        o->reproduced &= r == NTR_EX_ON ? o->verdict[r] == NTR_RATE_CONSISTENT
                                        : o->verdict[r] == NTR_RATE_VIOLATED;
    }
    size_t u = ntr_appendf(o->claim, sizeof o->claim, 0, "claim: %s, %s",
                           ntr_rate_verdict_names[o->verdict[NTR_EX_ON]],
                           o->reproduced ? "reproduced" : "NOT reproduced");
    if (!o->reproduced && o->verdict[NTR_EX_ON] != NTR_RATE_CONSISTENT)
        u = ntr_appendf(o->claim, sizeof o->claim, u, " (%s)", o->why[NTR_EX_ON]);
    for (size_t r = NTR_EX_CONTROL0; r < d->nroles; r++)
        if (o->verdict[r] != NTR_RATE_VIOLATED)
            u = ntr_appendf(o->claim, sizeof o->claim, u, " (control %s came out %s: a finding)",
                            ntr_ex_role_name(s, r), ntr_rate_verdict_names[o->verdict[r]]);
    return 0;
}

/* The lines printed after the run (the last one is the claim). */
static char *verdict_lines(const ntr_ex_data *d, const ntr_ex_outcome *o)
{
    const ntr_ex_spec *s = &d->spec;
    size_t size = 8192, u = 0;
    char *buf = malloc(size);
    if (!buf)
        return NULL;
    const ntr_ex_mom_result *m = &o->mom;
    double on_lo = INFINITY, on_hi = -INFINITY;
    for (size_t i = 0; i < d->nmom; i++)
        if (!isnan(d->mom[i].err[NTR_EX_ON])) {
            double q = d->mom[i].err[NTR_EX_ON] / d->mom[i].floor;
            on_lo = fmin(on_lo, q);
            on_hi = fmax(on_hi, q);
        }
    u = ntr_appendf(buf, size, u,
                    "(a) momentum error: plain ~ c L eta/alpha, exponent %.3g [%.3g, %.3g] over "
                    "%zu travelling points (c %.3g to %.3g); extrapolated / noise floor %.3g to "
                    "%.3g\n",
                    m->slope, m->lo, m->hi, m->nfit, m->c_min, m->c_max, on_lo, on_hi);
    u = ntr_appendf(buf, size, u, "(b) crossover eps*:");
    for (size_t z = 0; z < s->ndoses; z++) {
        const ntr_ex_cross *c = &o->cross[z];
        if (c->state == NTR_EX_CROSS_FOUND)
            u = ntr_appendf(buf, size, u, "%s %s: %.3g (L^2/L2 = %.3g)", z ? ";" : "",
                            d->dose[z].label, c->eps_star, d->dose[z].ratio);
        else
            u = ntr_appendf(buf, size, u, "%s %s: %s", z ? ";" : "", d->dose[z].label,
                            ntr_ex_cross_state_names[c->state]);
    }
    u = ntr_appendf(buf, size, u, "\n(c) dose-response: eps* ~ (L^2/L2)^%.3g [%.3g, %.3g] over %zu "
                             "doses (predicted 1 +- %.3g)\n",
               o->fit.slope, o->fit.lo, o->fit.hi, o->fit.n, s->band);
    for (size_t r = NTR_EX_CONTROL0; r < d->nroles; r++)
        u = ntr_appendf(buf, size, u, "control %s: %s (%s)%s\n", ntr_ex_role_name(s, r),
                        ntr_rate_verdict_names[o->verdict[r]], o->why[r],
                        o->verdict[r] == NTR_RATE_VIOLATED ? ", as expected" : ", NOT as expected");
    ntr_appendf(buf, size, u, "%s", o->claim);
    return buf;
}

int ntr_ex_analyse(const char *result_dir, const ntr_node *study, int draw, char **verdict_line,
                   ntr_error *err)
{
    ntr_ex_data d;
    ntr_ex_outcome *o = calloc(1, sizeof *o);
    *verdict_line = NULL;
    if (!o)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    int rc = ntr_ex_data_read(result_dir, study, &d, err);
    if (rc == 0)
        rc = compute(&d, o, err);
    if (rc == 0)
        rc = ntr_ex_write(result_dir, &d, o, err);
    if (rc == 0 && draw)
        rc = ntr_ex_plot(result_dir, &d, o, err);
    if (rc == 0 && !(*verdict_line = verdict_lines(&d, o)))
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    ntr_ex_data_free(&d);
    free(o);
    return rc;
}

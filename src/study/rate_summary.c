/* rate_summary.c: the rate study's analyse over all its series (see
 * rate.h): each series read and judged (rate_cells.c, rate_analysis.c),
 * the optional comparison of two series' exponents, the closing claim
 * line, then the files (rate_write.c) and figures (rate_plot.c).
 *
 * The verdict text the CLI prints last is one line per series, then the
 * comparison, then, when the config states claims, "claim: reproduced" or
 * "claim: NOT reproduced (...)": a claim holds when every series' verdict
 * is the one it claims and the comparison (if any) is consistent. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rate_data.h"

#define BOOTSTRAP_SEED 20250317UL

static void compare(const ntr_rate_study *st, const ntr_rate_data *d, ntr_rate_comparison *c)
{
    const ntr_rate_data *a = &d[st->cmp_a], *b = &d[st->cmp_b];
    c->difference = a->fit.slope - b->fit.slope;
    ntr_rate_difference_ci(a->boot, a->nboot, b->boot, b->nboot, &c->ci_lo, &c->ci_hi);
    double want = st->cmp_difference;
    c->consistent = !isnan(c->difference) &&
                    ((c->ci_lo <= want && want <= c->ci_hi) ||
                     fabs(c->difference - want) <= st->cmp_tolerance);
    snprintf(c->line, sizeof c->line,
             "compare %s - %s: exponent difference %.2f, 95%% CI [%.2f, %.2f], expected %g "
             "(tolerance %g): %s",
             st->var[st->cmp_a].name, st->var[st->cmp_b].name, c->difference, c->ci_lo, c->ci_hi,
             want, st->cmp_tolerance, c->consistent ? "consistent" : "NOT consistent");
}

/* "claim: reproduced" or why not; "" when the config claims nothing. */
static void claim_line(const ntr_rate_study *st, const ntr_rate_data *d,
                       const ntr_rate_comparison *c, char *buf, size_t size)
{
    int any = st->compare, ok = !st->compare || c->consistent;
    char why[400] = "";
    size_t used = 0;
    for (size_t i = 0; i < st->nvar; i++) {
        const ntr_rate_spec *s = &st->var[i];
        if (s->claim < 0)
            continue;
        any = 1;
        if ((int)d[i].verdict == s->claim)
            continue;
        ok = 0;
        if (used < sizeof why)
            used += (size_t)snprintf(why + used, sizeof why - used, "%s%s%s%s measured %s, claimed %s",
                                     used ? "; " : "", s->name, s->name[0] ? ":" : "",
                                     s->name[0] ? "" : "series", ntr_rate_verdict_names[d[i].verdict],
                                     ntr_rate_verdict_names[s->claim]);
    }
    if (st->compare && !c->consistent && used < sizeof why)
        snprintf(why + used, sizeof why - used, "%sthe exponent difference is not the expected one",
                 used ? "; " : "");
    if (!any)
        buf[0] = '\0';
    else if (ok)
        snprintf(buf, size, "claim: reproduced");
    else
        snprintf(buf, size, "claim: NOT reproduced (%s)", why);
}

static char *join_lines(const ntr_rate_study *st, const ntr_rate_data *d,
                        const ntr_rate_comparison *c, const char *claim)
{
    size_t len = 1;
    for (size_t i = 0; i < st->nvar; i++)
        len += strlen(d[i].line) + 1;
    len += (st->compare ? strlen(c->line) + 1 : 0) + strlen(claim) + 1;
    char *out = malloc(len);
    if (!out)
        return NULL;
    size_t u = 0; /* len counts every byte: u stays below it */
    for (size_t i = 0; i < st->nvar; i++)
        u += (size_t)snprintf(out + u, len - u, "%s\n", d[i].line);
    if (st->compare)
        u += (size_t)snprintf(out + u, len - u, "%s\n", c->line);
    snprintf(out + u, len - u, "%s", claim);
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '\n')
        out[--n] = '\0';
    return out;
}

int ntr_rate_analyse(const char *result_dir, const ntr_node *study, int draw, char **verdict_line,
                     ntr_error *err)
{
    ntr_rate_study st;
    ntr_rate_data d[NTR_RATE_MAX_VARIANTS];
    ntr_rate_comparison cmp;
    char claim[600];
    *verdict_line = NULL;
    memset(d, 0, sizeof d);
    memset(&cmp, 0, sizeof cmp);
    if (ntr_rate_study_read(study, &st, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < st.nvar; i++) {
        rc = ntr_rate_data_read(result_dir, &st.var[i], &d[i], err);
        if (rc == 0)
            rc = ntr_rate_compute(&d[i], BOOTSTRAP_SEED + 104729UL * i, err);
    }
    if (rc == 0 && st.compare)
        compare(&st, d, &cmp);
    if (rc == 0) {
        claim_line(&st, d, &cmp, claim, sizeof claim);
        rc = ntr_rate_write(result_dir, &st, d, st.compare ? &cmp : NULL, claim, err);
    }
    if (rc == 0 && draw)
        rc = ntr_rate_plot(result_dir, &st, d, err);
    if (rc == 0 && !(*verdict_line = join_lines(&st, d, &cmp, claim)))
        rc = ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < st.nvar; i++)
        ntr_rate_data_free(&d[i]);
    ntr_rate_study_free(&st);
    return rc;
}

/* rate_summary.c: the rate study's analyse over all its series (see
 * rate.h): each series read and judged by its kind (rate_cells.c,
 * rate_tuned.c, rate_check.c, rate_rule.c), the optional comparison of two
 * exponents, the verdict lines and the closing claim line, then the files
 * (rate_write.c) and figures (rate_plot.c).
 *
 * The claim holds ("claim: reproduced") when every claim series gets the
 * verdict it claims, every control gets one of the verdicts expected of it
 * and the comparison (if any) is consistent.  A control that does not fail
 * as expected is named in the claim line as a finding. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_load.h"
#include "output/files.h"
#include "study/rate/rate_data.h"

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

/* "tight" or "violated|inconclusive". */
static void expected_text(unsigned mask, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int v = 0; ntr_rate_verdict_names[v] && used < size; v++)
        if ((mask >> v) & 1u)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "|" : "",
                                     ntr_rate_verdict_names[v]);
}

/* min and max of K*(eps) times f(eps) over the usable eps (f: eta or 1/information). */
static void diag_range(const ntr_rate_data *d, int info, double *lo, double *hi)
{
    *lo = INFINITY, *hi = -INFINITY;
    for (size_t ie = 0; ie < d->spec->neps; ie++) {
        const ntr_rate_eps *e = &d->per[ie];
        if (!e->usable || !e->best)
            continue;
        double x = info ? e->K / e->information : e->K * e->best->eta;
        if (isfinite(x))
            *lo = fmin(*lo, x), *hi = fmax(*hi, x);
    }
}

static void eps_list(const ntr_rate_data *d, const char *status, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t ie = 0; ie < d->spec->neps && used < size; ie++)
        if (strcmp(d->per[ie].status, status) == 0)
            used += (size_t)snprintf(buf + used, size - used, "%s%g", used ? ", " : "",
                                     d->per[ie].eps);
    if (!buf[0])
        snprintf(buf, size, "none");
}

static void make_line(ntr_rate_data *d)
{
    const ntr_rate_spec *s = d->spec;
    char head[200], exp[80] = "", body[900] = "";
    expected_text(s->expected, exp, sizeof exp);
    snprintf(head, sizeof head, "%s%s[%s %s] %s", s->name, s->name[0] ? " " : "",
             ntr_rate_kind_names[s->kind], ntr_rate_role_names[s->role],
             ntr_rate_verdict_names[d->verdict]);
    if (s->kind != NTR_RATE_KIND_BOUND) {
        const ntr_rate_fit *f = &d->fit;
        char cens[200], untuned[200], diag[200] = "";
        eps_list(d, "censored", cens, sizeof cens);
        eps_list(d, "not_tuned", untuned, sizeof untuned);
        double lo, hi, ilo, ihi;
        diag_range(d, 0, &lo, &hi);
        diag_range(d, 1, &ilo, &ihi);
        if (lo <= hi)
            snprintf(diag, sizeof diag, "; K*eta %.3g..%.3g", lo, hi);
        if (ilo <= ihi)
            snprintf(diag + strlen(diag), sizeof diag - strlen(diag), "; K*/information %.3g..%.3g",
                     ilo, ihi);
        snprintf(body, sizeof body,
                 "%s %.3g [%.3g, %.3g] (claimed %g) from %zu of %zu eps over %g..%g%s; censored: "
                 "%s%s%s",
                 s->kind == NTR_RATE_KIND_RULE ? "exponent imposed by the rule"
                                               : "tuned exponent",
                 f->slope, f->ci_lo, f->ci_hi, s->expect, d->ev.usable, s->neps, s->eps[0],
                 s->eps[s->neps - 1], diag, cens,
                 s->kind == NTR_RATE_KIND_TUNED ? "; not tuned: " : "",
                 s->kind == NTR_RATE_KIND_TUNED ? untuned : "");
    }
    snprintf(d->line, sizeof d->line, "verdict %s%s%s%s: %s%s%s", head, exp[0] ? " (expected " : "",
             exp, exp[0] ? ")" : "", body, body[0] ? "; " : "", d->why);
}

/* "claim: reproduced" or why not; "" when the config claims nothing. */
static void claim_line(const ntr_rate_study *st, const ntr_rate_data *d,
                       const ntr_rate_comparison *c, char *buf, size_t size)
{
    int any = st->compare, ok = !st->compare || c->consistent;
    char why[900] = "";
    size_t used = 0;
    for (size_t i = 0; i < st->nvar; i++) {
        const ntr_rate_spec *s = &st->var[i];
        if (!s->expected || s->role == NTR_RATE_ROLE_CONTRAST)
            continue;
        any = 1;
        if ((s->expected >> d[i].verdict) & 1u)
            continue;
        ok = 0;
        char exp[80];
        expected_text(s->expected, exp, sizeof exp);
        if (used < sizeof why)
            used += (size_t)snprintf(why + used, sizeof why - used,
                                     s->role == NTR_RATE_ROLE_CONTROL
                                         ? "%scontrol %s came out %s, expected %s (a finding)"
                                         : "%s%s measured %s, claimed %s",
                                     used ? "; " : "", s->name[0] ? s->name : "series",
                                     ntr_rate_verdict_names[d[i].verdict], exp);
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

/* The folder's config.yaml (resolved, with --set), or NULL when absent. */
static int load_config(const char *result_dir, ntr_node **out, ntr_error *err)
{
    char path[1200];
    *out = NULL;
    if (ntr_path(path, sizeof path, err, "%s/config.yaml", result_dir) != 0)
        return -1;
    if (!ntr_exists(path))
        return 0;
    return ntr_yaml_load_file(path, "config.yaml", out, err);
}

int ntr_rate_analyse(const char *result_dir, const ntr_node *study, int draw, char **verdict_line,
                     ntr_error *err)
{
    ntr_rate_study st;
    ntr_rate_comparison cmp;
    char claim[1200];
    *verdict_line = NULL;
    memset(&cmp, 0, sizeof cmp);
    if (ntr_rate_study_read(study, NULL, &st, err) != 0)
        return -1;
    ntr_rate_data *d = calloc(st.nvar, sizeof *d);
    ntr_node *config = NULL;
    int rc = d ? load_config(result_dir, &config, err) : ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    for (size_t i = 0; rc == 0 && i < st.nvar; i++) {
        rc = ntr_rate_data_read(result_dir, config, &st.var[i], &d[i], err);
        unsigned long seed = BOOTSTRAP_SEED + 104729UL * i;
        if (rc == 0)
            rc = st.var[i].kind == NTR_RATE_KIND_TUNED   ? ntr_rate_tuned_compute(&d[i], seed, err)
                 : st.var[i].kind == NTR_RATE_KIND_BOUND ? ntr_rate_check_compute(&d[i], err)
                                                         : ntr_rate_rule_compute(&d[i], seed, err);
        if (rc == 0)
            make_line(&d[i]);
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
    for (size_t i = 0; d && i < st.nvar; i++)
        ntr_rate_data_free(&d[i]);
    free(d);
    ntr_node_free(config);
    ntr_rate_study_free(&st);
    return rc;
}

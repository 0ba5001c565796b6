/* ntr_probe.c: the ntr-probe command: check that the configured problem has
 * the properties it declares (gradient, smoothness constant in the method's
 * norm, Lipschitz Hessian, star-convexity, noise, x* and f*).  Exit 0 when
 * every check holds, 1 on any violation, 2 on bad usage or input. */
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/blas_kernel.h"
#include "config/plan.h"
#include "norms/norm.h"
#include "probe/probe.h"

#define MAX_SETS 64

static void usage(FILE *f)
{
    fputs("usage: ntr-probe CONFIG.yaml [options]\n"
          "Check on random points that the config's problem has the properties it declares,\n"
          "in the method's norm: gradient vs central differences, smoothness L, Hessian\n"
          "Lipschitz L2, star-convexity, oracle noise, grad f(x*) = 0 and f(x*) = f*.\n\n"
          "options:\n"
          "  --points N        random points (pairs) per check (default 64)\n"
          "  --seed S          seed of the probe's generator (default 1)\n"
          "  --norm NAME|all   probe in this norm, or in every registered norm\n"
          "  --set KEY=VALUE   override a config key (repeatable)\n"
          "  --claim-L X       check X as the smoothness constant instead of the problem's own\n"
          "  --claim-L2 X      check X as the Hessian Lipschitz constant instead\n"
          "  -h, --help        this help\n"
          "  --version         print the version\n\n"
          "exit codes: 0 every check holds; 1 a declared property is violated; 2 bad usage or input\n",
          f);
}

static void print_report(const ntr_probe_report *r)
{
    printf("problem %s, norm %s [%s]\n", r->problem, r->norm, r->flags);
    printf("  %-32s %-14s %-14s %-9s %s\n", "check", "seen", "declared", "verdict", "note");
    for (int i = 0; i < r->nrows; i++) {
        const ntr_probe_row *row = &r->rows[i];
        const char *v = row->verdict > 0 ? "ok" : row->verdict == 0 ? "VIOLATED" : "n/a";
        printf("  %-32s %-14.6g %-14.6g %-9s %s\n", row->check, row->seen, row->bound, v,
               row->note);
    }
}

/* What the command line asks for. */
typedef struct probe_args {
    long points;
    unsigned long seed;
    const char *norm;           /* NULL: the config's; "all": every registered norm */
    ntr_probe_claims claims;
    const char *sets[MAX_SETS];
    int nsets;
    const char *config;
} probe_args;

static const struct option longopts[] = {
    {"points", required_argument, NULL, 'p'}, {"seed", required_argument, NULL, 's'},
    {"norm", required_argument, NULL, 'n'},   {"set", required_argument, NULL, 'S'},
    {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
    {"claim-L", required_argument, NULL, 'L'}, {"claim-L2", required_argument, NULL, 'M'},
    {NULL, 0, NULL, 0}};

/* --seed: the range of a config's seed (strtoul would take -1 and wrap). */
static int parse_seed(const char *arg, unsigned long *seed)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (*end || arg[0] < '0' || arg[0] > '9' || errno == ERANGE || v > 4294967295ULL) {
        fprintf(stderr, "ntr-probe: --seed takes a whole number from 0 to 4294967295, not '%s'\n",
                arg);
        return 2;
    }
    *seed = (unsigned long)v;
    return -1;
}

/* --claim-L or --claim-L2 (c == 'M'). */
static int parse_claim(int c, const char *arg, ntr_probe_claims *claims)
{
    char *end;
    double v = strtod(arg, &end);
    if (*end || !arg[0] || !(v >= 0) || !isfinite(v)) {
        fprintf(stderr, "ntr-probe: %s takes a finite non-negative number, not '%s'\n",
                c == 'L' ? "--claim-L" : "--claim-L2", arg);
        return 2;
    }
    if (c == 'L')
        claims->L = v;
    else
        claims->L2 = v;
    return -1;
}

/* One option.  Returns -1 to go on, else the exit code. */
static int parse_option(probe_args *a, int c, const char *arg, char **argv,
                        const ntr_blas_kernel *blas)
{
    char *end, msg[256];
    switch (c) {
    case 'p':
        a->points = strtol(arg, &end, 10);
        if (*end || a->points < 1 || a->points > 1000000) {
            fprintf(stderr, "ntr-probe: --points takes 1 to 1000000, not '%s'\n", arg);
            return 2;
        }
        return -1;
    case 's': return parse_seed(arg, &a->seed);
    case 'n': a->norm = arg; return -1;
    case 'L':
    case 'M': return parse_claim(c, arg, &a->claims);
    case 'S':
        if (a->nsets == MAX_SETS) {
            fprintf(stderr, "ntr-probe: at most %d --set options\n", MAX_SETS);
            return 2;
        }
        a->sets[a->nsets++] = arg;
        return -1;
    case 'h': usage(stdout); return 0;
    case 'V':
        ntr_blas_kernel_describe(blas, msg, sizeof msg);
        printf("ntr-probe %s (commit %s)\nblas: %s\n", NTR_VERSION, NTR_GIT_COMMIT, msg);
        return 0;
    case ':':
        fprintf(stderr, "ntr-probe: option '%s' needs a value\n", argv[optind - 1]);
        return 2;
    default:
        fprintf(stderr, "ntr-probe: unknown option '%s' (see --help)\n", argv[optind - 1]);
        return 2;
    }
}

/* The whole command line.  Returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, probe_args *a, const ntr_blas_kernel *blas)
{
    memset(a, 0, sizeof *a);
    a->points = 64;
    a->seed = 1;
    a->claims.L = a->claims.L2 = NAN;
    int c, rc;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1)
        if ((rc = parse_option(a, c, optarg, argv, blas)) >= 0)
            return rc;
    if (optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    a->config = argv[optind];
    return -1;
}

/* Probe the plan's base settings in the norm asked for (or each one) and
 * print each report.  Returns the exit code. */
static int probe_norms(const ntr_plan *plan, const probe_args *a)
{
    ntr_error err;
    memset(&err, 0, sizeof err);
    const char *norm = a->norm;
    int all = norm && strcmp(norm, "all") == 0;
    const ntr_norm_type *one = norm && !all ? ntr_norm_lookup(norm) : NULL;
    if (norm && !all && !one) {
        fprintf(stderr, "ntr-probe: unknown norm '%s' (see ntr-run --list norms)\n", norm);
        return 2;
    }
    int violations = 0;
    for (size_t i = 0; ntr_norm_types[i]; i++) {
        if (!all && i > 0)
            break;
        ntr_settings s = plan->base;
        if (all)
            s.norm = ntr_norm_types[i];
        else if (one)
            s.norm = one;
        ntr_probe_report rep;
        if (ntr_probe_run(&s, a->points, a->seed, &a->claims, &rep, &err) != 0) {
            ntr_error_print(&err, "ntr-probe", stderr);
            return ntr_error_exit_code(&err);
        }
        print_report(&rep);
        violations += rep.violations;
    }
    printf("%s\n", violations ? "VIOLATIONS found" : "every declared property holds");
    return violations ? 1 : 0;
}

/* parse the command line, load the config, probe, print the verdict. */
int main(int argc, char **argv)
{
    /* First of all: the BLAS kernels (may restart the program once). */
    ntr_blas_kernel blas;
    char blas_msg[256];
    if (ntr_blas_kernel_select(argv, &blas, blas_msg, sizeof blas_msg) != 0) {
        fprintf(stderr, "ntr-probe: %s\n", blas_msg);
        return 2;
    }
    gsl_set_error_handler_off(); /* GSL failures come back as status codes, never abort() */
    probe_args a;
    int rc = parse_args(argc, argv, &a, &blas);
    if (rc >= 0)
        return rc;
    ntr_blas_kernel_message(&blas, "ntr-probe", blas_msg, sizeof blas_msg);
    if (blas_msg[0])
        fprintf(stderr, "%s\n", blas_msg);
    ntr_plan *plan;
    ntr_error err;
    memset(&err, 0, sizeof err);
    if (ntr_plan_load(a.config, a.sets, a.nsets, &plan, &err) != 0) {
        ntr_error_print(&err, "ntr-probe", stderr);
        return 2;
    }
    rc = probe_norms(plan, &a);
    ntr_plan_free(plan);
    return rc;
}

/* args.c: reading ntr-run's command line (see args.h): the usage text,
 * each option's checks and the options that contradict each other. */
#include "cli/run/args.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/describe.h"
#include "config/list.h"

static void usage(FILE *f)
{
    fputs("usage: ntr-run CONFIG.yaml [options]\n"
          "Run what the config describes (a run, a sweep, a study), write a\n"
          "result folder, then analyse and plot it.\n\n"
          "options:\n"
          "  --set KEY.PATH=VALUE  override a config key (YAML value; repeatable),\n"
          "                        e.g. --set method.norm=euclidean --set sweep.noise.batch=[1,4]\n"
          "  --unset KEY.PATH      remove a key (it takes its default), a swept key\n"
          "                        (--unset sweep.method.eta) or a block (--unset seeds)\n"
          "  -o, --out DIR         result folder (default results/<name>); an existing folder\n"
          "                        with the same config is resumed, never overwritten\n"
          "  -j, --jobs N          run N cells at a time in worker processes (default 1)\n"
          "  --threads N           threads per cell for its large matrix products (default:\n"
          "                        the CPUs divided by the cells running at once; results\n"
          "                        are the same bytes whatever N)\n"
          "  --shard K/N           run only the cells with index % N == K-1 (cluster arrays)\n"
          "  --collect             run nothing: rebuild summary, studies and plots from the folder\n"
          "  --plan                print every cell (index, hash, parameters, done/pending); run nothing\n"
          "  --aside               run a config that drops cells of an existing folder: those\n"
          "                        cells move to DIR/aside/ (never deleted; back when planned again)\n"
          "  --force-new           move an existing result folder aside (DIR.old.N) and start anew\n"
          "  --wait                wait for another ntr command using the folder to end\n"
          "                        (default: refuse, naming its pid)\n"
          "  --format FMT          figure format: png (default), pdf or svg\n"
          "  --no-plot             do not draw figures\n"
          "  --max-memory SIZE     memory the cells running at once may need, estimated before\n"
          "                        anything runs (default 8G; none: no limit)\n"
          "  --max-disk SIZE       estimated size of the result folder (default 20G; none)\n"
          "  --max-data SIZE       largest data file a config may name (default 1G; none: no limit)\n"
          "  --list WHAT           list the registered problems, norms, methods, noise types or\n"
          "                        studies\n"
          "  -q, --quiet           print only errors\n"
          "  -v, --verbose         print a line per finished cell\n"
          "  -h, --help            this help\n"
          "  --version             print the version\n\n"
          "exit codes: 0 success; 1 some runs diverged or failed (the rest are saved);\n"
          "            2 bad usage or bad input (nothing run); 3 interrupted (resumable)\n",
          f);
}

static int list_registry(const char *what)
{
    if (ntr_list(stdout, what) == 0)
        return 0;
    fprintf(stderr, "ntr-run: --list takes %s, not '%s'\n", ntr_list_groups, what);
    return 2;
}

static int parse_shard(const char *s, int *k, int *n)
{
    char *end;
    errno = 0;
    long kk = strtol(s, &end, 10);
    if (end == s || *end != '/' || errno != 0)
        return -1;
    const char *t = end + 1;
    long nn = strtol(t, &end, 10);
    if (end == t || *end != '\0' || errno != 0 || nn < 1 || nn > INT_MAX || kk < 1 || kk > nn)
        return -1;
    *k = (int)kk;
    *n = (int)nn;
    return 0;
}

static const struct option longopts[] = {
    {"set", required_argument, NULL, 'S'},   {"out", required_argument, NULL, 'o'},
    {"jobs", required_argument, NULL, 'j'},  {"shard", required_argument, NULL, 'D'},
    {"threads", required_argument, NULL, 'H'},
    {"plan", no_argument, NULL, 'P'},        {"collect", no_argument, NULL, 'C'},
    {"force-new", no_argument, NULL, 'F'},   {"format", required_argument, NULL, 'T'},
    {"aside", no_argument, NULL, 'a'},
    {"no-plot", no_argument, NULL, 'N'},     {"list", required_argument, NULL, 'L'},
    {"quiet", no_argument, NULL, 'q'},       {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},        {"version", no_argument, NULL, 'V'},
    {"max-data", required_argument, NULL, 'A'},
    {"describe", required_argument, NULL, 'E'},
    {"max-memory", required_argument, NULL, 'M'},
    {"max-disk", required_argument, NULL, 'K'},
    {"unset", required_argument, NULL, 'U'},
    {"wait", no_argument, NULL, 'W'},
    {NULL, 0, NULL, 0}};

/* --set KEY=VALUE or --unset KEY (c == 'U'), kept in command-line order. */
static int parse_set(cli_args *a, int c, const char *arg)
{
    if (a->nsets == NTR_RUN_MAX_SETS) {
        fprintf(stderr, "ntr-run: at most %d --set and --unset options\n", NTR_RUN_MAX_SETS);
        return 2;
    }
    if (c != 'U') {
        a->sets[a->nsets++] = arg;
        return -1;
    }
    if (!arg[0] || strchr(arg, '=')) { /* the plan reads "!KEY" as a removal */
        fprintf(stderr, "ntr-run: --unset takes a key (method.nesterov, "
                        "sweep.method.eta, seeds), not '%s'\n",
                arg);
        return 2;
    }
    snprintf(a->unsets[a->nsets], sizeof a->unsets[a->nsets], "!%s", arg);
    a->sets[a->nsets] = a->unsets[a->nsets];
    a->nsets++;
    return -1;
}

/* A whole number in [lo, hi] for an option; 2 (after the message) when not. */
static int parse_count(const char *arg, long lo, long hi, const char *msg, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*end || end == arg || v < lo || v > hi) {
        fprintf(stderr, msg, arg);
        return 2;
    }
    *out = (int)v;
    return -1;
}

/* --max-data, --max-memory, --max-disk SIZE. */
static int parse_limit(cli_args *a, int c, const char *arg)
{
    double *lim = c == 'A' ? &a->limits.max_data : c == 'M' ? &a->limits.max_memory
                                                            : &a->limits.max_disk;
    if (ntr_size_parse(arg, lim) == 0)
        return -1;
    fprintf(stderr, "ntr-run: %s takes a size such as 512M or 2G (or none), not '%s'\n",
            c == 'A' ? "--max-data" : c == 'M' ? "--max-memory" : "--max-disk", arg);
    return 2;
}

/* The options that end the program at once: --list, --describe, --help,
 * --version.  Returns its exit code. */
static int answer_at_once(int c, const char *arg, const ntr_blas_kernel *blas)
{
    char msg[256];
    ntr_error derr;
    switch (c) {
    case 'L': return list_registry(arg);
    case 'E':
        memset(&derr, 0, sizeof derr);
        if (ntr_describe(stdout, arg, &derr) != 0) {
            ntr_error_print(&derr, "ntr-run", stderr);
            return 2;
        }
        return 0;
    case 'h': usage(stdout); return 0;
    default: /* 'V' */
        ntr_blas_kernel_describe(blas, msg, sizeof msg);
        printf("ntr-run %s (commit %s)\nblas: %s\n", NTR_VERSION, NTR_GIT_COMMIT, msg);
        return 0;
    }
}

/* One option.  Returns -1 to go on, else the exit code. */
static int parse_option(cli_args *a, int c, const char *arg, char **argv,
                        const ntr_blas_kernel *blas)
{
    ntr_driver_opts *o = &a->o;
    switch (c) {
    case 'S':
    case 'U': return parse_set(a, c, arg);
    case 'o': o->outdir = arg; return -1;
    case 'j':
        return parse_count(arg, 1, 1024,
                           "ntr-run: -j takes a number of workers from 1 to 1024, not '%s'\n",
                           &o->jobs);
    case 'H':
        return parse_count(arg, 1, 256,
                           "ntr-run: --threads takes a number of threads from 1 to 256, not "
                           "'%s'\n",
                           &o->threads);
    case 'D':
        if (parse_shard(arg, &o->shard_k, &o->shard_n) == 0)
            return -1;
        fprintf(stderr, "ntr-run: --shard takes K/N with 1 <= K <= N, not '%s'\n", arg);
        return 2;
    case 'P': a->plan_only = 1; return -1;
    case 'W': o->wait = 1; return -1;
    case 'C': a->collect_only = 1; return -1;
    case 'F': o->force_new = 1; return -1;
    case 'a': o->aside = 1; return -1;
    case 'T':
        if (strcmp(arg, "png") != 0 && strcmp(arg, "pdf") != 0 && strcmp(arg, "svg") != 0) {
            fprintf(stderr, "ntr-run: --format takes png, pdf or svg, not '%s'\n", arg);
            return 2;
        }
        o->plot_format = arg;
        return -1;
    case 'A':
    case 'M':
    case 'K': return parse_limit(a, c, arg);
    case 'N': o->no_plot = 1; return -1;
    case 'q': o->quiet = 1; return -1;
    case 'v': o->verbose = 1; return -1;
    case 'L':
    case 'E':
    case 'h':
    case 'V': return answer_at_once(c, arg, blas);
    case ':':
        fprintf(stderr, "ntr-run: option '%s' needs a value (see --help)\n", argv[optind - 1]);
        return 2;
    default:
        fprintf(stderr, "ntr-run: unknown option '%s' (see --help)\n", argv[optind - 1]);
        return 2;
    }
}

int ntr_run_parse_args(int argc, char **argv, volatile sig_atomic_t *stop, cli_args *a,
                       const ntr_blas_kernel *blas)
{
    memset(a, 0, sizeof *a);
    a->limits = ntr_limits_default();
    a->o.jobs = 1;
    a->o.plot_format = "png";
    a->o.stop = stop;
    int c, rc;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:j:qvh", longopts, NULL)) != -1)
        if ((rc = parse_option(a, c, optarg, argv, blas)) >= 0)
            return rc;
    /* Options that contradict each other: refused rather than one ignored. */
    const ntr_driver_opts *o = &a->o;
    const char *clash = a->plan_only && a->collect_only ? "--plan and --collect"
                        : a->plan_only && o->force_new  ? "--plan and --force-new"
                        : a->collect_only && o->force_new ? "--collect and --force-new"
                        : a->collect_only && o->shard_n   ? "--collect and --shard"
                                                          : NULL;
    if (clash) {
        fprintf(stderr, "ntr-run: %s contradict each other: give one of them\n", clash);
        return 2;
    }
    if (optind != argc - 1) {
        fprintf(stderr, optind == argc ? "ntr-run: no config given\n"
                                       : "ntr-run: one config at a time\n");
        usage(stderr);
        return 2;
    }
    a->config = argv[optind];
    /* The command line, for the manifest. */
    size_t used = 0;
    for (int i = 0; i < argc && used < sizeof a->argv_line; i++)
        used += (size_t)snprintf(a->argv_line + used, sizeof a->argv_line - used, "%s%s",
                                 i ? " " : "", argv[i]);
    a->o.argv_line = a->argv_line;
    return -1;
}

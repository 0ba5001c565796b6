/* args.h: ntr-run's command line: its options, read into one struct, and
 * the options that answer at once (--help, --version, --list, --describe).
 * Linked into ntr-run only. */
#ifndef NTR_CLI_RUN_ARGS_H
#define NTR_CLI_RUN_ARGS_H

#include <signal.h>

#include "config/limits.h"
#include "linalg/blas_kernel.h"
#include "run/driver.h"

#define NTR_RUN_MAX_SETS 256

/* What the command line asks for. */
typedef struct cli_args {
    const char *sets[NTR_RUN_MAX_SETS];       /* --set KEY=VALUE and --unset KEY ("!KEY"), in order */
    char unsets[NTR_RUN_MAX_SETS][256];
    int nsets;
    int plan_only, collect_only;
    const char *config;
    ntr_limits limits;
    ntr_driver_opts o;
    char outdir_buf[1100];
    char argv_line[2048];
} cli_args;

/* The whole command line into a; stop is the flag the signal handler sets
 * (the driver's runs watch it).  Returns -1 to go on, else the exit code
 * (after its message, or after the answer of --help, --list ...). */
int ntr_run_parse_args(int argc, char **argv, volatile sig_atomic_t *stop, cli_args *a,
                       const ntr_blas_kernel *blas);

#endif

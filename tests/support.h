/* support.h: helpers shared by the test programs (tests/support.c is linked
 * into every test binary).
 *
 * Running a command: ts_run() starts a program with fork + execv and an
 * argument list (never a shell), stdin from /dev/null, and captures its
 * exit code, stdout and stderr.  Files: a fresh temporary folder
 * (mkdtemp) and its recursive removal, reading, writing and comparing
 * files.  Locations: the binaries under test live in $NTR_BIN (set by
 * tests/run-tests; "bin" otherwise), the test folder in $NTR_TESTS
 * ("tests" otherwise).  Every returned string is malloc'ed; the caller
 * frees it. */
#ifndef NTR_TEST_SUPPORT_H
#define NTR_TEST_SUPPORT_H

#include <stddef.h>

/* What a finished command left behind. */
typedef struct ts_result {
    int code;        /* exit status; 128 + signal number when killed */
    char *out;       /* stdout, NUL-terminated (never NULL after ts_run) */
    char *err;       /* stderr, NUL-terminated */
    size_t out_len, err_len;
} ts_result;

/* Run argv[0] (a path) with the NULL-terminated argv.  Returns 0 when the
 * program ran (whatever its exit code), -1 when it could not be started. */
int ts_run(const char *const *argv, ts_result *r);
/* Run the program name from $NTR_BIN with the NULL-terminated arguments
 * after it (at most 62); same returns as ts_run. */
int ts_run_bin(ts_result *r, const char *name, ...);
void ts_result_free(ts_result *r);
/* The first line of a text (without its newline), malloc'ed. */
char *ts_first_line(const char *text);

/* A path built like printf, malloc'ed. */
char *ts_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* $NTR_BIN/name: a program under test. */
char *ts_bin(const char *name);
/* $NTR_TESTS/rel: a file of the test folder. */
char *ts_tests(const char *rel);

/* A new empty folder under $TMPDIR (or the system's temporary folder). */
char *ts_tmpdir(void);
/* Remove a file or a folder and everything in it; 0 also when absent. */
int ts_rmtree(const char *path);
/* 1 when path exists (any kind), 0 otherwise. */
int ts_exists(const char *path);

/* Whole file, NUL-terminated, or NULL; *len (if given) is its size. */
char *ts_read_file(const char *path, size_t *len);
/* Write text to path (create or truncate); 0 or -1. */
int ts_write_file(const char *path, const char *text);
/* Write len bytes to path; 0 or -1. */
int ts_write_bytes(const char *path, const void *data, size_t len);
/* 1 when both files exist and hold the same bytes, 0 otherwise. */
int ts_files_equal(const char *a, const char *b);
/* A listing of everything under dir, one line per entry sorted by path:
 * "relative/path size inode mtime_s.ns"; equal listings mean nothing was
 * created, removed or rewritten.  NULL when dir cannot be read. */
char *ts_tree_snapshot(const char *dir);

/* Small CSV helpers for result files (comma-separated, no quoting). */
/* Split text into lines in place (empty lines skipped); returns the count. */
int ts_split_lines(char *text, char **lines, int max);
/* Index of a column in a header line, or -1. */
int ts_csv_column(const char *header, const char *name);
/* Field idx of a line into buf; -1 when the line has fewer fields. */
int ts_csv_field(const char *line, int idx, char *buf, size_t size);
/* A copy of text with the last CSV column (from the last comma on) cut off
 * every line, newlines kept; NULL when out of memory. */
char *ts_without_last_column(const char *text);

/* --- Check helpers (tests/support_ck.c): each fails the running test ---- */

/* Per-test scratch: a temporary folder holding tiny.yaml. */
typedef struct ts_scratch {
    char *dir, *config;
} ts_scratch;
/* A new folder with yaml written to dir/tiny.yaml. */
ts_scratch ts_scratch_new(const char *yaml);
/* Remove the folder and free the names. */
void ts_scratch_free(ts_scratch *s);

/* Run ntr-run with the NULL-terminated arguments after the program name
 * (the test including this has check.h). */
#define NTR_RUN(r, ...) \
    ck_assert_msg(ts_run_bin(&(r), "ntr-run", __VA_ARGS__, (const char *)NULL) == 0, \
                  "cannot start ntr-run")

/* The cells of a config, as the library plans them (ntr_plan_free it). */
struct ntr_plan;
struct ntr_plan *ts_plan_of(const char *config);

/* When this CPU has AVX-512 and OpenBLAS runs older kernels, run this test
 * program once more with OPENBLAS_CORETYPE=SkylakeX: some paths (the
 * small-matrix Newton-Schulz products) are only taken with those kernels.
 * Returns rc, or EXIT_FAILURE when the second pass failed. */
int ts_rerun_with_avx512_kernels(int rc);

/* main() of a test program: run the suite, EXIT_SUCCESS when all passed. */
struct Suite;
int ts_run_suite(struct Suite *s);

#endif

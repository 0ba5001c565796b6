/* blas_kernel.h: which OpenBLAS kernels a command computes with, and the
 * start-up step that selects the machine's fastest ones.
 *
 * A DYNAMIC_ARCH OpenBLAS picks its kernels (its "core") when it is loaded,
 * before main runs, from the CPU model it recognises.  On a CPU newer than
 * the library it falls back to older kernels: Debian's 0.3.21 runs the
 * Prescott (SSE3) kernels on some AVX-512 Xeons and the Haswell (AVX2)
 * kernels on recent AVX-512 EPYCs, at a fraction of the speed.  The library
 * reads OPENBLAS_CORETYPE only while it loads, so the one way to change its
 * choice is to start the program again with the variable set:
 * ntr_blas_kernel_select() compares the kernels in use with what the CPU
 * supports and, when they are older and the user has not set
 * OPENBLAS_CORETYPE, re-executes the command once with the best kernel set.
 *
 * Environment:
 *   NTR_BLAS_AUTO=0      keep OpenBLAS's own choice
 *   NTR_BLAS_AUTO=1      (the default) select when OpenBLAS fell back and
 *                        OPENBLAS_CORETYPE is not set
 *   NTR_BLAS_AUTO=force  select even when OPENBLAS_CORETYPE is set (its
 *                        value is treated like OpenBLAS's own choice)
 *   NTR_BLAS_AUTO_FROM   set by ntr for the re-executed process only (the
 *                        kernel OpenBLAS had chosen); its presence is the
 *                        guard that makes the restart happen at most once.
 *
 * Different kernels round differently, so result bytes can differ between
 * kernels (and machines); manifest.json records the kernel (the
 * ntr_blas_kernel below). */
#ifndef NTR_BLAS_KERNEL_H
#define NTR_BLAS_KERNEL_H

#include <stddef.h>

/* Who chose the kernels in use. */
typedef enum {
    NTR_BLAS_BY_OPENBLAS = 0, /* OpenBLAS's own detection */
    NTR_BLAS_BY_ENV,          /* OPENBLAS_CORETYPE, set before ntr started */
    NTR_BLAS_BY_NTR           /* this start-up step (after one restart) */
} ntr_blas_chooser;

/* Instruction-set levels of kernels and CPUs, in increasing order. */
enum { NTR_ISA_UNKNOWN = -1, NTR_ISA_SSE = 0, NTR_ISA_AVX, NTR_ISA_AVX2, NTR_ISA_AVX512 };

typedef struct ntr_blas_kernel {
    char name[32];            /* openblas_get_corename(): the kernels in use */
    ntr_blas_chooser chooser;
    char openblas_choice[32]; /* with NTR_BLAS_BY_NTR: what OpenBLAS had picked */
    int cpu_isa;              /* NTR_ISA_* the CPU (and OS) support */
    int auto_mode;            /* 0 off, 1 on, 2 force (NTR_BLAS_AUTO) */
    char note[160];           /* why a wanted selection did not happen, or "" */
} ntr_blas_kernel;

/* Call first thing in main, before any output and before any thread:
 * either re-executes the program (argv as main received it; does not return)
 * or fills *k and returns 0.  Returns -1 (with msg filled) when NTR_BLAS_AUTO
 * holds something other than 0, 1 or force: bad usage, exit 2. */
int ntr_blas_kernel_select(char **argv, ntr_blas_kernel *k, char *msg, size_t msg_size);

/* The one line to print on stderr after a selection (or a failed one), or
 * "" when there is nothing to say.  prog prefixes it. */
void ntr_blas_kernel_message(const ntr_blas_kernel *k, const char *prog, char *buf,
                             size_t size);

/* One-line description for --version: "SkylakeX kernels, selected by ntr
 * (OpenBLAS chose Haswell)". */
void ntr_blas_kernel_describe(const ntr_blas_kernel *k, char *buf, size_t size);

/* The pure parts, for tests.  The instruction-set level of an OpenBLAS core
 * name (NTR_ISA_UNKNOWN for a name this table does not know: a newer core,
 * never replaced); the level the CPU and OS support; the kernel to select
 * for a CPU level (NULL: none better than SSE); and the decision itself:
 * the kernel to switch to when `current` is older than what `cpu_isa`
 * allows, else NULL. */
int ntr_blas_kernel_isa(const char *corename);
int ntr_blas_cpu_isa(void);
const char *ntr_blas_kernel_for_isa(int isa);
const char *ntr_blas_kernel_better(const char *current, int cpu_isa);
const char *ntr_blas_isa_name(int isa);
const char *ntr_blas_chooser_name(ntr_blas_chooser c);

#endif

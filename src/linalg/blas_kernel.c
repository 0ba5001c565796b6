/* blas_kernel.c: selecting OpenBLAS's fastest kernels for this CPU at
 * start-up (see blas_kernel.h for the why and the environment variables).
 *
 * The decision compares instruction-set levels: each OpenBLAS x86 core name
 * has the level its kernels are written for (Prescott: SSE3, Sandybridge:
 * AVX, Haswell and Zen: AVX2, SkylakeX and Cooperlake: AVX-512), and the CPU
 * has the level it and the operating system support (GCC's
 * __builtin_cpu_supports checks both).  Kernels below the CPU's level are
 * replaced by the reference core of that level: SkylakeX for AVX-512 (its
 * double and single precision kernels are those of Cooperlake and
 * SapphireRapids too, so one name keeps results alike across those CPUs),
 * Haswell for AVX2, Sandybridge for AVX.  A core name the table does not
 * know belongs to a newer OpenBLAS and is never replaced. */
#include "linalg/blas_kernel.h"

#include <cblas.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define AUTO_VAR "NTR_BLAS_AUTO"
#define FROM_VAR "NTR_BLAS_AUTO_FROM"
#define CORE_VAR "OPENBLAS_CORETYPE"

static const struct {
    const char *name;
    int isa;
} cores[] = {
    {"Katmai", NTR_ISA_SSE},       {"Coppermine", NTR_ISA_SSE},   {"Northwood", NTR_ISA_SSE},
    {"Prescott", NTR_ISA_SSE},     {"Banias", NTR_ISA_SSE},       {"Atom", NTR_ISA_SSE},
    {"Core2", NTR_ISA_SSE},        {"Penryn", NTR_ISA_SSE},       {"Dunnington", NTR_ISA_SSE},
    {"Nehalem", NTR_ISA_SSE},      {"Athlon", NTR_ISA_SSE},       {"Opteron", NTR_ISA_SSE},
    {"Opteron_SSE3", NTR_ISA_SSE}, {"Barcelona", NTR_ISA_SSE},    {"Nano", NTR_ISA_SSE},
    {"Bobcat", NTR_ISA_SSE},       {"Sandybridge", NTR_ISA_AVX},  {"Bulldozer", NTR_ISA_AVX},
    {"Piledriver", NTR_ISA_AVX},   {"Steamroller", NTR_ISA_AVX},  {"Excavator", NTR_ISA_AVX},
    {"Haswell", NTR_ISA_AVX2},     {"Zen", NTR_ISA_AVX2},         {"SkylakeX", NTR_ISA_AVX512},
    {"Cooperlake", NTR_ISA_AVX512}, {"SapphireRapids", NTR_ISA_AVX512},
};

int ntr_blas_kernel_isa(const char *corename)
{
    for (size_t i = 0; corename && i < sizeof cores / sizeof cores[0]; i++)
        if (strcasecmp(corename, cores[i].name) == 0)
            return cores[i].isa;
    return NTR_ISA_UNKNOWN;
}

int ntr_blas_cpu_isa(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512cd"))
        return NTR_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return NTR_ISA_AVX2;
    if (__builtin_cpu_supports("avx"))
        return NTR_ISA_AVX;
    return NTR_ISA_SSE;
#else
    return NTR_ISA_UNKNOWN; /* other architectures: OpenBLAS's choice stands */
#endif
}

const char *ntr_blas_kernel_for_isa(int isa)
{
    switch (isa) {
    case NTR_ISA_AVX512: return "SkylakeX";
    case NTR_ISA_AVX2: return "Haswell";
    case NTR_ISA_AVX: return "Sandybridge";
    default: return NULL;
    }
}

const char *ntr_blas_kernel_better(const char *current, int cpu_isa)
{
    int have = ntr_blas_kernel_isa(current);
    if (have == NTR_ISA_UNKNOWN || cpu_isa <= have)
        return NULL;
    return ntr_blas_kernel_for_isa(cpu_isa);
}

const char *ntr_blas_isa_name(int isa)
{
    switch (isa) {
    case NTR_ISA_AVX512: return "AVX-512";
    case NTR_ISA_AVX2: return "AVX2";
    case NTR_ISA_AVX: return "AVX";
    case NTR_ISA_SSE: return "SSE";
    default: return "unknown";
    }
}

const char *ntr_blas_chooser_name(ntr_blas_chooser c)
{
    switch (c) {
    case NTR_BLAS_BY_NTR: return "ntr";
    case NTR_BLAS_BY_ENV: return CORE_VAR;
    default: return "openblas";
    }
}

static void copy_name(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "unknown");
}

int ntr_blas_kernel_select(char **argv, ntr_blas_kernel *k, char *msg, size_t msg_size)
{
    memset(k, 0, sizeof *k);
    copy_name(k->name, sizeof k->name, openblas_get_corename());
    k->cpu_isa = ntr_blas_cpu_isa();
    const char *mode = getenv(AUTO_VAR), *from = getenv(FROM_VAR), *set = getenv(CORE_VAR);
    if (!mode || strcmp(mode, "1") == 0)
        k->auto_mode = 1;
    else if (strcmp(mode, "0") == 0)
        k->auto_mode = 0;
    else if (strcmp(mode, "force") == 0)
        k->auto_mode = 2;
    else {
        snprintf(msg, msg_size, "%s must be 0, 1 or force, not '%.60s'", AUTO_VAR, mode);
        return -1;
    }
    k->chooser = set ? NTR_BLAS_BY_ENV : NTR_BLAS_BY_OPENBLAS;
    if (from) {
        /* The restarted process: never restart again, whatever happened. */
        copy_name(k->openblas_choice, sizeof k->openblas_choice, from);
        unsetenv(FROM_VAR);
        if (set && strcasecmp(k->name, set) == 0)
            k->chooser = NTR_BLAS_BY_NTR;
        else
            snprintf(k->note, sizeof k->note, "asked OpenBLAS for %.31s kernels, got %.31s",
                     set ? set : "(nothing)", k->name);
        return 0;
    }
    if (k->auto_mode == 0 || (set && k->auto_mode != 2))
        return 0;
    const char *best = ntr_blas_kernel_better(k->name, k->cpu_isa);
    if (!best)
        return 0;
    /* Restart with the variable set; the program's output streams are still
     * untouched and no thread but OpenBLAS's own has started. */
    char *saved = set ? strdup(set) : NULL;
    if (setenv(FROM_VAR, k->name, 1) == 0 && setenv(CORE_VAR, best, 1) == 0)
        execv("/proc/self/exe", argv);
    int e = errno;
    unsetenv(FROM_VAR);
    if (saved)
        setenv(CORE_VAR, saved, 1);
    else
        unsetenv(CORE_VAR);
    free(saved);
    snprintf(k->note, sizeof k->note, "could not restart with %s kernels (%s)", best,
             strerror(e));
    return 0;
}

void ntr_blas_kernel_message(const ntr_blas_kernel *k, const char *prog, char *buf, size_t size)
{
    if (k->note[0])
        snprintf(buf, size,
                 "%s: warning: %s; computing with OpenBLAS's %s kernels (%s=0 silences this)",
                 prog, k->note, k->name, AUTO_VAR);
    else if (k->chooser == NTR_BLAS_BY_NTR)
        snprintf(buf, size,
                 "%s: OpenBLAS had loaded its %s kernels on a CPU with %s; using %s (%s=0 "
                 "keeps OpenBLAS's choice)",
                 prog, k->openblas_choice, ntr_blas_isa_name(k->cpu_isa), k->name, AUTO_VAR);
    else if (size)
        buf[0] = '\0';
}

void ntr_blas_kernel_describe(const ntr_blas_kernel *k, char *buf, size_t size)
{
    if (k->chooser == NTR_BLAS_BY_NTR)
        snprintf(buf, size, "%s kernels, selected by ntr (OpenBLAS chose %s; CPU: %s)", k->name,
                 k->openblas_choice, ntr_blas_isa_name(k->cpu_isa));
    else
        snprintf(buf, size, "%s kernels, chosen by %s (CPU: %s)", k->name,
                 ntr_blas_chooser_name(k->chooser), ntr_blas_isa_name(k->cpu_isa));
}

/* presets.h: the theorems' parameter rules as expression texts (THEORY.md
 * section 1); theory.c compiles them like a user's rules.  The formulas and
 * their derivations are in presets.c. */
#ifndef NTR_THEORY_PRESETS_H
#define NTR_THEORY_PRESETS_H

#include <stddef.h>

#include "config/measure.h"

typedef struct ntr_theory_preset {
    const char *name;
    const char *source;       /* paper | reconstructed | derived */
    const char *alpha, *eta;  /* expression texts; "{c}" stands for the constant c */
    const char *weight_decay; /* NULL: the rule leaves weight decay as configured */
    const char *iterations;
    double exponent;
    ntr_measure measure;      /* what the theorem bounds: E min ||grad f||_* or E f(x_K) - f* */
    int extrapolation;        /* 1: gradients at the extrapolated point */
    double c_default;         /* NAN: the preset has no constant c */
    const char *assumption;   /* stated beside its results, or NULL */
} ntr_theory_preset;

/* The preset called name, or NULL. */
const ntr_theory_preset *ntr_theory_preset_find(const char *name);

/* tmpl with every "{c}" replaced by c (%.17g) into buf; -1 if it does not fit. */
int ntr_theory_preset_text(const char *tmpl, double c, char *buf, size_t size);

#endif

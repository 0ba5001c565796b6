/* presets.c: the theorems' parameter rules (THEORY.md section 1).
 *
 * kovalev_nonconvex [paper, Kovalev 2025 v1 Theorem 2], with the bound
 *     E min_{k=1..K} ||grad f(x_k)||_* <= Delta0/(eta K) + 2 rho sigma/(alpha K)
 *                                         + 2 sqrt(alpha) rho sigma + 3 L eta/2 + 2 L eta/alpha:
 *     eta   = min{ eps/(16 L), eps^3/(256 rho^2 sigma^2 L) }
 *     alpha = min{ 1, eps^2/(16 rho^2 sigma^2) }
 *     K     = ceil(max{ 2048 L Delta0 rho^2 sigma^2/eps^4, 256 rho^3 sigma^3/eps^3,
 *                       128 L Delta0/eps^2, 16 rho sigma/eps })
 *   so that the bound is at most 31 eps/32; K ~ eps^-4.
 *
 * deterministic [derived here from the same bound with sigma = 0, alpha = 1]:
 *   the bound becomes Delta0/(eta K) + 3 L eta/2 + 2 L eta = Delta0/(eta K) + 7 L eta/2.
 *   With eta = eps/(8 L) the second term is 7 eps/16; K = ceil(4 Delta0/(eta eps))
 *   = ceil(32 L Delta0/eps^2) makes the first at most eps/4, so
 *   min_k ||grad f(x_k)||_* <= 11 eps/16 < eps; K ~ eps^-2.
 *
 * kovalev_starconvex [reconstructed], weight decay, D bounding ||x_0|| and ||x*||:
 *     alpha    = min{ 1, eps^2/(64 D^2 rho^2 sigma^2) }
 *     eta      = min{ eps alpha/(16 L D), eps alpha/(16 rho sigma) }
 *     lambda_K = eta/D, i.e. weight_decay = 1/D in the (1 - eta lambda) convention
 *     K        = ceil((D/eta) ln(4 Delta0/eps))        (at least 1)
 *   measured on E f(x_K) - f*; K ~ eps^-3 up to the logarithm.
 *
 * kovalev_extrapolation [reconstructed, constant c default 16]:
 *     alpha = min{ 1, eps^2/(c rho^2 sigma^2) }
 *     eta   = min{ eps/(c L), alpha sqrt(eps/(c L2)) }
 *     K     = ceil(max{ 4 Delta0/(eta eps), 8 rho sigma/(alpha eps) })
 *   THEORY.md gives only K = O(L Delta0/eps^2 + sqrt(L2) Delta0 rho^2 sigma^2/eps^3.5);
 *   the choice above makes the descent term Delta0/(eta K) at most eps/4 and
 *   the momentum start term 2 rho sigma/(alpha K) at most eps/4, and
 *   4 Delta0/(eta eps) expands to exactly the two terms of the O(.) form
 *   (4 c L Delta0/eps^2 and 4 c^1.5 sqrt(L2) Delta0 rho^2 sigma^2/eps^3.5);
 *   K ~ eps^-3.5. */
#include "study/rate/presets.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const ntr_theory_preset presets[] = {
    {"deterministic", "derived", "1", "eps/(8*L)", NULL, "max(1, ceil(32*L*Delta0/eps^2))", 2.0,
     NTR_MEASURE_MIN_GRAD_DUAL, 0, NAN, "sigma = 0 (exact gradients), alpha = 1"},
    {"kovalev_nonconvex", "paper", "min(1, eps^2/(16*rho^2*sigma^2))",
     "min(eps/(16*L), eps^3/(256*rho^2*sigma^2*L))", NULL,
     "max(1, ceil(max(2048*L*Delta0*rho^2*sigma^2/eps^4, 256*rho^3*sigma^3/eps^3, "
     "128*L*Delta0/eps^2, 16*rho*sigma/eps)))",
     4.0, NTR_MEASURE_MIN_GRAD_DUAL, 0, NAN, NULL},
    {"kovalev_starconvex", "reconstructed", "min(1, eps^2/(64*D^2*rho^2*sigma^2))",
     "min(eps*alpha/(16*L*D), eps*alpha/(16*rho*sigma))", "1/D",
     "max(1, ceil(D/eta*log(4*Delta0/eps)))", 3.0, NTR_MEASURE_GAP, 0, NAN,
     "star-convex f; D bounds ||x_0|| and ||x*||"},
    {"kovalev_extrapolation", "reconstructed", "min(1, eps^2/({c}*rho^2*sigma^2))",
     "min(eps/({c}*L), alpha*sqrt(eps/({c}*L2)))", NULL,
     "max(1, ceil(max(4*Delta0/(eta*eps), 8*rho*sigma/(alpha*eps))))", 3.5, NTR_MEASURE_MIN_GRAD_DUAL, 1, 16.0,
     "L2-Lipschitz Hessian"},
};

const ntr_theory_preset *ntr_theory_preset_find(const char *name)
{
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (strcmp(presets[i].name, name) == 0)
            return &presets[i];
    return NULL;
}

int ntr_theory_preset_text(const char *tmpl, double c, char *buf, size_t size)
{
    size_t used = 0;
    char num[40];
    snprintf(num, sizeof num, "%.17g", c);
    while (*tmpl) {
        const char *piece = tmpl;
        size_t len = 1;
        if (strncmp(tmpl, "{c}", 3) == 0) {
            piece = num;
            len = strlen(num);
            tmpl += 3;
        } else {
            tmpl++;
        }
        if (used + len + 1 > size)
            return -1;
        memcpy(buf + used, piece, len);
        used += len;
    }
    buf[used] = '\0';
    return 0;
}

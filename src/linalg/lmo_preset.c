/* lmo_preset.c: named Newton-Schulz coefficient sets for the spectral sharp
 * (THEORY.md section 4): "jordan" (the Muon quintic), "cubic" (a convergent
 * cubic) and "polar_express" (Amsel et al. 2025, one triple per step). */
#include "linalg/lmo.h"

#include <math.h>
#include <string.h>

/* Jordan et al. 2024: the same quintic at every step, 5 steps. */
static const double jordan[3] = {3.4445, -4.7750, 2.0315};

/* X <- 1.5 X - 0.5 X X^T X: converges to the exact polar factor. */
static const double cubic[3] = {1.5, -0.5, 0.0};

/* Polar Express: one triple per step, input scaled by 1/(1.02 ||M||_F + eps). */
static const double polar_express[5][3] = {
    {8.156554524902461, -22.48329292557795, 15.878769915207462},
    {4.042929935166739, -2.808917465908714, 0.5000178451051316},
    {3.8916678022926607, -2.772484153217685, 0.5060648178503393},
    {3.285753657755655, -2.3681294933425376, 0.46449024233003106},
    {2.3465413258596377, -1.7097828382687081, 0.42323551169305323},
};

const char *const ntr_lmo_preset_names[] = {"jordan", "cubic", "polar_express", NULL};

/* steps <= 0 asks for the preset's own count (5 for jordan and polar_express;
 * cubic has none and needs steps).  jordan repeats its triple for any count;
 * polar_express takes its first `steps` triples and, past the five it has,
 * repeats the last one.  precision is left as the caller set it. */
int ntr_lmo_preset(ntr_lmo_opts *o, const char *name, int steps)
{
    if (steps > NTR_LMO_MAX_STEPS)
        return -1;
    const double(*table)[3];
    int ntable;
    if (strcmp(name, "jordan") == 0) {
        table = &jordan;
        ntable = 1;
        o->input_scale = 1.0;
    } else if (strcmp(name, "cubic") == 0) {
        if (steps <= 0)
            return -1;
        table = &cubic;
        ntable = 1;
        o->input_scale = 1.0;
    } else if (strcmp(name, "polar_express") == 0) {
        table = polar_express;
        ntable = 5;
        o->input_scale = 1.02;
    } else {
        return -1;
    }
    o->solver = NTR_LMO_NEWTON_SCHULZ;
    o->steps = steps > 0 ? steps : 5;
    for (int t = 0; t < o->steps; t++)
        memcpy(o->coef[t], table[t < ntable ? t : ntable - 1], sizeof table[0]);
    return 0;
}

/* The composed odd polynomial of the steps at a singular value x of X0. */
static double scalar_map(const ntr_lmo_opts *o, double x)
{
    for (int t = 0; t < o->steps; t++) {
        double x2 = x * x;
        x = x * (o->coef[t][0] + x2 * (o->coef[t][1] + x2 * o->coef[t][2]));
    }
    return x;
}

/* Newton-Schulz maps each singular value x of X0 = M/((s + 1e-7)||M||_F),
 * which lies in [0, 1/s), to |p(x)|: the step's operator norm is at most
 * the largest |p| on that interval.  A fine grid (2^16 cells) finds the
 * cell of the maximum; golden-section search refines it inside its two
 * neighbouring cells; a relative margin of 1e-9 covers the search's own
 * error.  The exact polar factor (svd) has operator norm 1. */
double ntr_lmo_gain_bound(const ntr_lmo_opts *o)
{
    if (o->solver != NTR_LMO_NEWTON_SCHULZ)
        return 1.0;
    const int cells = 1 << 16;
    double top = 1.0 / o->input_scale, best = 0.0;
    int at = 0;
    for (int i = 0; i <= cells; i++) {
        double v = fabs(scalar_map(o, top * (double)i / cells));
        if (v > best)
            best = v, at = i;
    }
    double a = top * (double)(at > 0 ? at - 1 : 0) / cells;
    double b = top * (double)(at < cells ? at + 1 : cells) / cells;
    const double g = 0.6180339887498949;
    for (int it = 0; it < 80; it++) {
        double c = b - g * (b - a), d = a + g * (b - a);
        if (fabs(scalar_map(o, c)) > fabs(scalar_map(o, d)))
            b = d;
        else
            a = c;
    }
    best = fmax(best, fabs(scalar_map(o, 0.5 * (a + b))));
    return best * (1.0 + 1e-9);
}

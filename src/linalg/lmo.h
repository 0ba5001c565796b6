/* lmo.h: the options of the spectral sharp (the LMO of the spectral norm):
 * exact svd or Newton-Schulz, its steps and coefficients (named presets in
 * lmo_preset.c), the precision and the thread team.  The linear-algebra
 * engine (polar.h) reads them; the spectral norm (norms/spectral.c) passes
 * them through; the other norms ignore them. */
#ifndef NTR_LMO_H
#define NTR_LMO_H

/* Options of the spectral sharp (ignored by the other norms). */
enum { NTR_LMO_SVD = 0, NTR_LMO_NEWTON_SCHULZ = 1 };
enum { NTR_PREC_FLOAT64 = 0, NTR_PREC_FLOAT32 = 1 };
#define NTR_LMO_MAX_STEPS 64

/* What a sharp returns (polar.h, norms/norm.h): 0, or one of these with an
 * ntr_error filled and the output all NaN.
 *   NTR_SHARP_NONFINITE  its input holds a NaN or an infinity: the run has
 *                        gone non-finite (the runner records `diverged`);
 *   NTR_SHARP_FAILED     its input is finite but the solver failed (an SVD
 *                        that did not converge, Newton-Schulz iterates that
 *                        overflowed): the runner records `step_failed`. */
enum { NTR_SHARP_NONFINITE = 1, NTR_SHARP_FAILED = 2 };

typedef struct ntr_lmo_opts {
    int solver;                          /* NTR_LMO_* */
    int steps;                           /* Newton-Schulz iterations */
    double coef[NTR_LMO_MAX_STEPS][3];   /* (a, b, c) per step */
    double input_scale;                  /* X0 = M / ((input_scale + 1e-7) ||M||_F): 1 (jordan) or 1.02 (polar express) */
    int precision;                       /* NTR_PREC_* */
    int gram;                            /* Gram Newton-Schulz (polar_ns_gram.c) */
    /* Execution, not a setting: the thread team that splits the large
     * products (par.h); NULL runs them in the calling thread.  The result
     * does not depend on it. */
    struct ntr_par *team;
} ntr_lmo_opts;

/* Fill opts for a named preset: "jordan", "cubic" (steps given), "polar_express".
 * Sets solver newton_schulz, steps, coef and input_scale; keeps precision.
 * steps <= 0 means the preset's own count (5; cubic needs steps).  Returns -1,
 * leaving o untouched, for an unknown name or a bad step count. */
int ntr_lmo_preset(ntr_lmo_opts *o, const char *name, int steps);
extern const char *const ntr_lmo_preset_names[]; /* NULL-terminated, for messages */
/* An upper bound on the operator norm of the sharp's output for any input:
 * 1 for the exact polar factor (svd); for Newton-Schulz the largest |p(x)|
 * of the steps' composed polynomial over the singular values x that X0 can
 * have (jordan: about 1.2, so its steps are longer than the exact ones). */
double ntr_lmo_gain_bound(const ntr_lmo_opts *o);

#endif

/* measure.h: the quantities a target can be set on (budget.measure, a
 * theory rule's measure), one name each.  Every name is also the column of
 * trajectory.csv that holds the quantity, so analysis reads a measure by
 * its name.
 *
 *   min_grad_dual  min_{j<=k} ||grad f(x_j)||_*  over the measured iterations
 *   gap            f(x_k) - f*                    (needs a known f*)
 *   grad_l2        ||grad f(x_k)||_2              comparable across norms
 *   f              f(x_k)
 *   grad_dual      ||grad f(x_k)||_*              in the method's norm
 *   avg_grad_dual  mean of ||grad f(x_j)||_* over j = 0, e, 2e, ... <= k
 *                  (e = log.measure_every; with e = 1 the running mean
 *                  (1/(k+1)) sum_{j<=k} ||grad f(x_j)||_* that the theorems'
 *                  proofs bound); with measure_every: log (the default) the
 *                  logged values, each weighted by the iterations until the
 *                  next row, an estimate of that mean
 *   grad_l1        ||grad f(x_k)||_1              entrywise, comparable across norms
 *                  (the l1 stationarity of sign methods, THEORY.md section 7) */
#ifndef NTR_MEASURE_H
#define NTR_MEASURE_H

typedef enum {
    NTR_MEASURE_MIN_GRAD_DUAL = 0,
    NTR_MEASURE_GAP,
    NTR_MEASURE_GRAD_L2,
    NTR_MEASURE_F,
    NTR_MEASURE_GRAD_DUAL,
    NTR_MEASURE_AVG_GRAD_DUAL,
    NTR_MEASURE_GRAD_L1,
    NTR_MEASURE_COUNT
} ntr_measure;

/* Indexed by ntr_measure, NULL-terminated (for ntr_kv_choice). */
extern const char *const ntr_measure_names[];

#endif

/* test_methods.c: the optimisation methods (src/methods/) on the first two
 * steps of tiny problems computed by hand, for every method and variant
 * (plain, m0 sample, Nesterov, weight decay, extrapolation, shape scale;
 * the l_inf, Euclidean and spectral sharps), plus the registry, option
 * checks, restarts and the state saved and restored.  test_methods_ref.c holds the long comparisons with
 * an independent implementation and the no-allocation check.
 *
 * Common data unless a case says otherwise: a 2 x 2 block stored row-major
 * as 4 numbers, alpha = 1/4 (beta = 3/4, (1-alpha)/alpha = 3), eta = 1/2,
 *   x0 = (1, 2, 3, 4), g0 = (4, -4, 8, 0), g1 = (8, 4, -4, 4), g2 = (-4, 4, 4, -12).
 * "wd" is lambda = 0.4, so the shrink factor is 1 - eta lambda = 0.8.
 * For extrapolation the gradient is the query point itself (f = |x|^2/2),
 * so the test also sees that the method is fed at z_k. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/method_impl.h"
#include "support.h"

enum { LAY_2X2, LAY_4X1, LAY_2X1_1X2 };

typedef struct hand_case {
    const char *name, *method, *norm; /* norm NULL: none */
    int layout;
    ntr_method_opts o;
    int sample;          /* start with g0 */
    double g0[4];
    int g_is_query;      /* g_k = the query point */
    double g[2][4];      /* else the gradients of steps 1 and 2 */
    int check_m;         /* compare momentum() with m */
    double m[2][4];      /* momentum after steps 1 and 2 */
    double x[2][4];      /* x1, x2 */
    int check_z;
    double z[3][4];      /* query points before steps 1, 2 and after step 2 */
} hand_case;

#define X0 {1, 2, 3, 4}
#define G0 {4, -4, 8, 0}
#define G12 {{8, 4, -4, 4}, {-4, 4, 4, -12}}
/* adamw's own keys, in its declaration order: beta2, adam_eps */
enum { ADAMW_BETA2, ADAMW_EPS };
#define OPTS(...) {.alpha = 0.25, .own = {0.5, 1.0}, __VA_ARGS__}
#define S2 (0.5 * M_SQRT2) /* eta * sqrt(2) */

static const hand_case cases[] = {
    /* ---- ntr (Algorithm 1) with l_inf: d# = sign(d) ---- */
    /* m1 = g1/4 = (2,1,-1,1), x1 = x0 - (1,1,-1,1)/2 = (.5,1.5,3.5,3.5);
     * m2 = 3/4 m1 + g2/4 = (1.5,.75,-.75,.75) + (-1,1,1,-3) = (.5,1.75,.25,-2.25),
     * x2 = x1 - (1,1,1,-1)/2 = (0,1,3,4). */
    {"ntr plain", "ntr", "linf", LAY_2X2, OPTS(.nesterov = 0), 0, {0}, 0, G12, 1,
     {{2, 1, -1, 1}, {.5, 1.75, .25, -2.25}}, {{.5, 1.5, 3.5, 3.5}, {0, 1, 3, 4}}, 0, {{0}}},
    /* m0 = g0; m1 = 3/4 (4,-4,8,0) + (2,1,-1,1) = (5,-2,5,1), x1 = x0 - (1,-1,1,1)/2 = (.5,2.5,2.5,3.5);
     * m2 = (3.75,-1.5,3.75,.75) + (-1,1,1,-3) = (2.75,-.5,4.75,-2.25), x2 = x1 - (1,-1,1,-1)/2 = (0,3,2,4). */
    {"ntr m0 sample", "ntr", "linf", LAY_2X2, OPTS(.m0_sample = 1), 1, G0, 0, G12, 1,
     {{5, -2, 5, 1}, {2.75, -.5, 4.75, -2.25}}, {{.5, 2.5, 2.5, 3.5}, {0, 3, 2, 4}}, 0, {{0}}},
    /* m as in "plain"; d1 = 3/4 m1 + g1/4 = (3.5,1.75,-1.75,1.75): x1 as plain;
     * d2 = 3/4 m2 + g2/4 = (.375,1.3125,.1875,-1.6875) + (-1,1,1,-3) = (-.625,2.3125,1.1875,-4.6875),
     * sign (-1,1,1,-1) (plain had +1 first): x2 = x1 - (-1,1,1,-1)/2 = (1,1,3,4). */
    {"ntr nesterov", "ntr", "linf", LAY_2X2, OPTS(.nesterov = 1), 0, {0}, 0, G12, 1,
     {{2, 1, -1, 1}, {.5, 1.75, .25, -2.25}}, {{.5, 1.5, 3.5, 3.5}, {1, 1, 3, 4}}, 0, {{0}}},
    /* x1 = .8 x0 - (1,1,-1,1)/2 = (.8,1.6,2.4,3.2) - (.5,.5,-.5,.5) = (.3,1.1,2.9,2.7);
     * x2 = .8 x1 - (1,1,1,-1)/2 = (.24,.88,2.32,2.16) - (.5,.5,.5,-.5) = (-.26,.38,1.82,2.66). */
    {"ntr weight decay", "ntr", "linf", LAY_2X2, OPTS(.weight_decay = 0.4), 0, {0}, 0, G12, 1,
     {{2, 1, -1, 1}, {.5, 1.75, .25, -2.25}}, {{.3, 1.1, 2.9, 2.7}, {-.26, .38, 1.82, 2.66}}, 0,
     {{0}}},
    /* z0 = x0 = g1; m1 = (.25,.5,.75,1), x1 = x0 - 1/2 = (.5,1.5,2.5,3.5);
     * z1 = x1 + 3 (x1 - x0) = x1 - 1.5 = (-1,0,1,2) = g2;
     * m2 = (.1875,.375,.5625,.75) + (-.25,0,.25,.5) = (-.0625,.375,.8125,1.25),
     * x2 = x1 - (-1,1,1,1)/2 = (1,1,2,3); z2 = x2 + 3 (x2 - x1) = (2.5,-.5,.5,1.5). */
    {"ntr extrapolation", "ntr", "linf", LAY_2X2, OPTS(.extrapolation = 1), 0, {0}, 1, {{0}}, 1,
     {{.25, .5, .75, 1}, {-.0625, .375, .8125, 1.25}}, {{.5, 1.5, 2.5, 3.5}, {1, 1, 2, 3}}, 1,
     {{1, 2, 3, 4}, {-1, 0, 1, 2}, {2.5, -.5, .5, 1.5}}},
    /* a 4 x 1 block, jordan factor sqrt(max(1, 4/1)) = 2: the plain steps doubled,
     * x1 = x0 - (1,1,-1,1) = (0,1,4,3), x2 = x1 - (1,1,1,-1) = (-1,0,3,4). */
    {"ntr scale jordan", "ntr", "linf", LAY_4X1, OPTS(.scale = NTR_SCALE_JORDAN), 0, {0}, 0, G12,
     0, {{0}}, {{0, 1, 4, 3}, {-1, 0, 3, 4}}, 0, {{0}}},
    /* 4 x 1, rms_match factor 0.2 sqrt(max(4, 1)) = 0.4: steps of 0.2,
     * x1 = (.8,1.8,3.2,3.8), x2 = x1 - .2 (1,1,1,-1) = (.6,1.6,3,4). */
    {"ntr scale rms_match", "ntr", "linf", LAY_4X1, OPTS(.scale = NTR_SCALE_RMS_MATCH), 0, {0}, 0,
     G12, 0, {{0}}, {{.8, 1.8, 3.2, 3.8}, {.6, 1.6, 3, 4}}, 0, {{0}}},
    /* blocks 2x1 (factor sqrt 2) and 1x2 (factor sqrt(max(1, 1/2)) = 1):
     * x1 = (1 - s, 2 - s, 3.5, 3.5), x2 = (1 - 2s, 2 - 2s, 3, 4) with s = sqrt(2)/2. */
    {"ntr scale jordan two blocks", "ntr", "linf", LAY_2X1_1X2, OPTS(.scale = NTR_SCALE_JORDAN), 0,
     {0}, 0, G12, 0, {{0}}, {{1 - S2, 2 - S2, 3.5, 3.5}, {1 - 2 * S2, 2 - 2 * S2, 3, 4}}, 0,
     {{0}}},
    /* Euclidean, d# = d/|d|: g1 = (12,0,0,16): m1 = (3,0,0,4), |m1| = 5, x1 = x0 - (.6,0,0,.8)/2 = (.7,2,3,3.6);
     * g2 = (-9,12,0,4): m2 = (2.25,0,0,3) + (-2.25,3,0,1) = (0,3,0,4), x2 = x1 - (0,.6,0,.8)/2 = (.7,1.7,3,3.2). */
    {"ntr euclidean", "ntr", "euclidean", LAY_2X2, OPTS(.nesterov = 0), 0, {0}, 0,
     {{12, 0, 0, 16}, {-9, 12, 0, 4}}, 1, {{3, 0, 0, 4}, {0, 3, 0, 4}},
     {{.7, 2, 3, 3.6}, {.7, 1.7, 3, 3.2}}, 0, {{0}}},
    /* spectral, d# = U V^T: g1 = diag(8,-4): m1 = diag(2,-1), polar diag(1,-1), x1 = (.5,2,3,4.5);
     * g2 = [[-6,12],[-8,3]]: m2 = (1.5,0,0,-.75) + (-1.5,3,-2,.75) = [[0,3],[-2,0]]
     * = Q diag(2,3) with Q = [[0,1],[-1,0]] orthogonal, so its polar factor is Q,
     * x2 = x1 - (0,1,-1,0)/2 = (.5,1.5,3.5,4.5). */
    {"ntr spectral", "ntr", "spectral", LAY_2X2, OPTS(.nesterov = 0), 0, {0}, 0,
     {{8, 0, 0, -4}, {-6, 12, -8, 3}}, 1, {{2, 0, 0, -1}, {0, 3, -2, 0}},
     {{.5, 2, 3, 4.5}, {.5, 1.5, 3.5, 4.5}}, 0, {{0}}},
    /* a zero gradient: m stays 0, its sharp is 0, x does not move. */
    {"ntr zero gradient", "ntr", "euclidean", LAY_2X2, OPTS(.nesterov = 0), 0, {0}, 0, {{0}}, 1, {{0}},
     {{1, 2, 3, 4}, {1, 2, 3, 4}}, 0, {{0}}},

    /* ---- osgdm with l_inf: O_k = sign(g_k), M_{k+1} = 3/4 M_k + O_k/4 ---- */
    /* O1 = (1,1,-1,1): M1 = (.25,.25,-.25,.25), x1 = x0 - M1/2 = (.875,1.875,3.125,3.875);
     * O2 = (-1,1,1,-1): M2 = (.1875,.1875,-.1875,.1875) + (-.25,.25,.25,-.25) = (-.0625,.4375,.0625,-.0625),
     * x2 = x1 - M2/2 = (.90625,1.65625,3.09375,3.90625). */
    {"osgdm plain", "osgdm", "linf", LAY_2X2, OPTS(.nesterov = 0), 0, {0}, 0, G12, 1,
     {{.25, .25, -.25, .25}, {-.0625, .4375, .0625, -.0625}},
     {{.875, 1.875, 3.125, 3.875}, {.90625, 1.65625, 3.09375, 3.90625}}, 0, {{0}}},
    /* M0 = sign(g0) = (1,-1,1,0) (sign 0 = 0); M1 = (.75,-.75,.75,0) + (.25,.25,-.25,.25) = (1,-.5,.5,.25),
     * x1 = (.5,2.25,2.75,3.875); M2 = (.75,-.375,.375,.1875) + (-.25,.25,.25,-.25) = (.5,-.125,.625,-.0625),
     * x2 = (.25,2.3125,2.4375,3.90625). */
    {"osgdm m0 sample", "osgdm", "linf", LAY_2X2, OPTS(.m0_sample = 1), 1, G0, 0, G12, 1,
     {{1, -.5, .5, .25}, {.5, -.125, .625, -.0625}},
     {{.5, 2.25, 2.75, 3.875}, {.25, 2.3125, 2.4375, 3.90625}}, 0, {{0}}},
    /* d1 = 3/4 M1 + O1/4 = (.4375,.4375,-.4375,.4375), x1 = (.78125,1.78125,3.21875,3.78125);
     * d2 = 3/4 M2 + O2/4 = (-.296875,.578125,.296875,-.296875),
     * x2 = x1 - d2/2 = (.9296875,1.4921875,3.0703125,3.9296875). */
    {"osgdm nesterov", "osgdm", "linf", LAY_2X2, OPTS(.nesterov = 1), 0, {0}, 0, G12, 1,
     {{.25, .25, -.25, .25}, {-.0625, .4375, .0625, -.0625}},
     {{.78125, 1.78125, 3.21875, 3.78125}, {.9296875, 1.4921875, 3.0703125, 3.9296875}}, 0, {{0}}},
    /* x1 = .8 x0 - M1/2 = (.8,1.6,2.4,3.2) - (.125,.125,-.125,.125) = (.675,1.475,2.525,3.075);
     * x2 = .8 x1 - M2/2 = (.54,1.18,2.02,2.46) - (-.03125,.21875,.03125,-.03125) = (.57125,.96125,1.98875,2.49125). */
    {"osgdm weight decay", "osgdm", "linf", LAY_2X2, OPTS(.weight_decay = 0.4), 0, {0}, 0, G12, 1,
     {{.25, .25, -.25, .25}, {-.0625, .4375, .0625, -.0625}},
     {{.675, 1.475, 2.525, 3.075}, {.57125, .96125, 1.98875, 2.49125}}, 0, {{0}}},
    /* g1 = z0 = x0: O1 = 1, M1 = .25, x1 = x0 - .125; z1 = x1 - 3 (.125) = (.5,1.5,2.5,3.5);
     * O2 = 1, M2 = .1875 + .25 = .4375, x2 = x1 - .21875 = (.65625,...); z2 = x2 - 3 (.21875) = (0,1,2,3). */
    {"osgdm extrapolation", "osgdm", "linf", LAY_2X2, OPTS(.extrapolation = 1), 0, {0}, 1, {{0}},
     1, {{.25, .25, .25, .25}, {.4375, .4375, .4375, .4375}},
     {{.875, 1.875, 2.875, 3.875}, {.65625, 1.65625, 2.65625, 3.65625}}, 1,
     {{1, 2, 3, 4}, {.5, 1.5, 2.5, 3.5}, {0, 1, 2, 3}}},
    /* 4 x 1, jordan factor 2: O_k = 2 sign(g_k), M twice "plain", the moves doubled:
     * x1 = (.75,1.75,3.25,3.75), x2 = (.8125,1.3125,3.1875,3.8125). */
    {"osgdm scale jordan", "osgdm", "linf", LAY_4X1, OPTS(.scale = NTR_SCALE_JORDAN), 0, {0}, 0,
     G12, 1, {{.5, .5, -.5, .5}, {-.125, .875, .125, -.125}},
     {{.75, 1.75, 3.25, 3.75}, {.8125, 1.3125, 3.1875, 3.8125}}, 0, {{0}}},
    /* spectral: O1 = polar diag(8,-4) = diag(1,-1), M1 = (.25,0,0,-.25), x1 = (.875,2,3,4.125);
     * g2 = [[0,3],[-2,0]], O2 = [[0,1],[-1,0]], M2 = (.1875,0,0,-.1875) + (0,.25,-.25,0),
     * x2 = x1 - M2/2 = (.78125,1.875,3.125,4.21875). */
    {"osgdm spectral", "osgdm", "spectral", LAY_2X2, OPTS(.nesterov = 0), 0, {0}, 0,
     {{8, 0, 0, -4}, {0, 3, -2, 0}}, 1, {{.25, 0, 0, -.25}, {.1875, .25, -.25, -.1875}},
     {{.875, 2, 3, 4.125}, {.78125, 1.875, 3.125, 4.21875}}, 0, {{0}}},

    /* ---- sgd: x <- (1 - eta lambda) x - eta g ---- */
    /* x1 = x0 - g1/2 = (-3,0,5,2), x2 = x1 - g2/2 = (-1,-2,3,8). */
    {"sgd plain", "sgd", NULL, LAY_2X2, OPTS(.nesterov = 0), 0, {0}, 0, G12, 0, {{0}},
     {{-3, 0, 5, 2}, {-1, -2, 3, 8}}, 0, {{0}}},
    /* g0 is ignored: the same as plain. */
    {"sgd m0 sample", "sgd", NULL, LAY_2X2, OPTS(.m0_sample = 1), 1, G0, 0, G12, 0, {{0}},
     {{-3, 0, 5, 2}, {-1, -2, 3, 8}}, 0, {{0}}},
    /* no sharp, so no shape factor: the same as plain. */
    {"sgd scale", "sgd", NULL, LAY_4X1, OPTS(.scale = NTR_SCALE_JORDAN), 0, {0}, 0, G12, 0, {{0}},
     {{-3, 0, 5, 2}, {-1, -2, 3, 8}}, 0, {{0}}},
    /* x1 = .8 x0 - g1/2 = (-3.2,-.4,4.4,1.2), x2 = .8 x1 - g2/2 = (-.56,-2.32,1.52,6.96). */
    {"sgd weight decay", "sgd", NULL, LAY_2X2, OPTS(.weight_decay = 0.4), 0, {0}, 0, G12, 0, {{0}},
     {{-3.2, -.4, 4.4, 1.2}, {-.56, -2.32, 1.52, 6.96}}, 0, {{0}}},
    /* g1 = x0: x1 = x0/2; z1 = x1 + 3 (x1 - x0) = -x0; x2 = x1 + x0/2 = x0; z2 = x0 + 3 x0/2. */
    {"sgd extrapolation", "sgd", NULL, LAY_2X2, OPTS(.extrapolation = 1), 0, {0}, 1, {{0}}, 0, {{0}},
     {{.5, 1, 1.5, 2}, {1, 2, 3, 4}}, 1, {{1, 2, 3, 4}, {-1, -2, -3, -4}, {2.5, 5, 7.5, 10}}},

    /* ---- sgdm: m as in ntr, x <- (1 - eta lambda) x - eta d ---- */
    /* x1 = x0 - m1/2 = (0,1.5,3.5,3.5), x2 = x1 - m2/2 = (-.25,.625,3.375,4.625). */
    {"sgdm plain", "sgdm", NULL, LAY_2X2, OPTS(.nesterov = 0), 0, {0}, 0, G12, 1,
     {{2, 1, -1, 1}, {.5, 1.75, .25, -2.25}}, {{0, 1.5, 3.5, 3.5}, {-.25, .625, 3.375, 4.625}}, 0,
     {{0}}},
    /* m1 = (5,-2,5,1), x1 = (-1.5,3,.5,3.5); m2 = (2.75,-.5,4.75,-2.25), x2 = (-2.875,3.25,-1.875,4.625). */
    {"sgdm m0 sample", "sgdm", NULL, LAY_2X2, OPTS(.m0_sample = 1), 1, G0, 0, G12, 1,
     {{5, -2, 5, 1}, {2.75, -.5, 4.75, -2.25}}, {{-1.5, 3, .5, 3.5}, {-2.875, 3.25, -1.875, 4.625}},
     0, {{0}}},
    /* d1 = (3.5,1.75,-1.75,1.75), x1 = (-.75,1.125,3.875,3.125);
     * d2 = (-.625,2.3125,1.1875,-4.6875), x2 = (-.4375,-.03125,3.28125,5.46875). */
    {"sgdm nesterov", "sgdm", NULL, LAY_2X2, OPTS(.nesterov = 1), 0, {0}, 0, G12, 1,
     {{2, 1, -1, 1}, {.5, 1.75, .25, -2.25}},
     {{-.75, 1.125, 3.875, 3.125}, {-.4375, -.03125, 3.28125, 5.46875}}, 0, {{0}}},
    /* x1 = .8 x0 - m1/2 = (-.2,1.1,2.9,2.7), x2 = .8 x1 - m2/2 = (-.41,.005,2.195,3.285). */
    {"sgdm weight decay", "sgdm", NULL, LAY_2X2, OPTS(.weight_decay = 0.4), 0, {0}, 0, G12, 1,
     {{2, 1, -1, 1}, {.5, 1.75, .25, -2.25}}, {{-.2, 1.1, 2.9, 2.7}, {-.41, .005, 2.195, 3.285}}, 0,
     {{0}}},
    /* g1 = x0: m1 = x0/4, x1 = x0 - x0/8 = (.875,1.75,2.625,3.5); z1 = x1 - 3 x0/8 = x0/2;
     * m2 = 3 x0/16 + x0/8 = 5 x0/16, x2 = x1 - 5 x0/32 = 23 x0/32; z2 = x2 - 15 x0/32 = x0/4. */
    {"sgdm extrapolation", "sgdm", NULL, LAY_2X2, OPTS(.extrapolation = 1), 0, {0}, 1, {{0}}, 1,
     {{.25, .5, .75, 1}, {.3125, .625, .9375, 1.25}},
     {{.875, 1.75, 2.625, 3.5}, {.71875, 1.4375, 2.15625, 2.875}}, 1,
     {{1, 2, 3, 4}, {.5, 1, 1.5, 2}, {.25, .5, .75, 1}}},

    /* ---- adamw: beta1 = 3/4, beta2 = 1/2, eps = 1; gradients of equal magnitudes (8,4,4,4):
     * g1 = (8,4,-4,4), g2 = (-8,4,4,-4), g0 = (-8,4,4,-4). ---- */
    /* m0 zero, t = 1: mhat = g1, vhat = g1^2, u1 = g1/(|g1| + 1) = (8/9,4/5,-4/5,4/5),
     * x1 = x0 - u1/2 = (5/9,1.6,3.4,3.6).  t = 2: m2 = (1.5,.75,-.75,.75) + (-2,1,1,-1)
     * = (-.5,1.75,.25,-.25), mhat = m2/(1 - 9/16) = 16 m2/7 = (-8/7,4,4/7,-4/7);
     * v2 = (16,4,4,4) + (32,8,8,8) = (48,12,12,12), vhat = v2/(3/4) = (64,16,16,16),
     * u2 = mhat/(sqrt vhat + 1) = (-8/63,4/5,4/35,-4/35), x2 = x1 - u2/2 = (13/21,1.2,117/35,128/35). */
    {"adamw plain", "adamw", NULL, LAY_2X2, OPTS(.nesterov = 0), 0, {0}, 0, {{8, 4, -4, 4}, {-8, 4, 4, -4}}, 1,
     {{2, 1, -1, 1}, {-.5, 1.75, .25, -.25}},
     {{5.0 / 9, 1.6, 3.4, 3.6}, {13.0 / 21, 1.2, 117.0 / 35, 128.0 / 35}}, 0, {{0}}},
    /* m0 = g0, v0 = g0^2, no bias correction: v stays (64,16,16,16), sqrt v + 1 = (9,5,5,5);
     * m1 = 3/4 g0 + g1/4 = (-4,4,2,-2), x1 = x0 - (-4/9,4/5,2/5,-2/5)/2 = (11/9,1.6,2.8,4.2);
     * m2 = (-3,3,1.5,-1.5) + (-2,1,1,-1) = (-5,4,2.5,-2.5), x2 = x1 - (-5/9,.8,.5,-.5)/2 = (1.5,1.2,2.55,4.45). */
    {"adamw m0 sample", "adamw", NULL, LAY_2X2, OPTS(.m0_sample = 1), 1, {-8, 4, 4, -4}, 0,
     {{8, 4, -4, 4}, {-8, 4, 4, -4}}, 1, {{-4, 4, 2, -2}, {-5, 4, 2.5, -2.5}},
     {{11.0 / 9, 1.6, 2.8, 4.2}, {1.5, 1.2, 2.55, 4.45}}, 0, {{0}}},
    /* x1 = .8 x0 - u1/2 = (.8 - 4/9, 1.2, 2.8, 2.8) = (16/45,...);
     * x2 = .8 x1 - u2/2 = (64/225 + 4/63, .96 - .4, 2.24 - 2/35, 2.24 + 2/35). */
    {"adamw weight decay", "adamw", NULL, LAY_2X2, OPTS(.weight_decay = 0.4), 0, {0}, 0,
     {{8, 4, -4, 4}, {-8, 4, 4, -4}}, 1, {{2, 1, -1, 1}, {-.5, 1.75, .25, -.25}},
     {{16.0 / 45, 1.2, 2.8, 2.8}, {64.0 / 225 + 4.0 / 63, .56, 2.24 - 2.0 / 35, 2.24 + 2.0 / 35}}, 0,
     {{0}}},
    /* the gradients given (not taken at z): x as plain; z1 = x1 + 3 (x1 - x0) = (-7/9,.4,4.6,2.4),
     * z2 = x2 + 3 (x2 - x1) = (13/21 + 4/21, 1.2 - 1.2, 117/35 - 6/35, 128/35 + 6/35). */
    {"adamw extrapolation", "adamw", NULL, LAY_2X2, OPTS(.extrapolation = 1), 0, {0}, 0,
     {{8, 4, -4, 4}, {-8, 4, 4, -4}}, 1, {{2, 1, -1, 1}, {-.5, 1.75, .25, -.25}},
     {{5.0 / 9, 1.6, 3.4, 3.6}, {13.0 / 21, 1.2, 117.0 / 35, 128.0 / 35}}, 1,
     {{1, 2, 3, 4}, {-7.0 / 9, .4, 4.6, 2.4}, {17.0 / 21, 0, 111.0 / 35, 134.0 / 35}}},
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

static ntr_layout case_layout(int which)
{
    if (which == LAY_4X1)
        return ntr_layout_single(4, 1);
    if (which == LAY_2X1_1X2) {
        ntr_layout lay = ntr_layout_single(2, 1);
        ntr_layout_add(&lay, 1, 2);
        return lay;
    }
    return ntr_layout_single(2, 2);
}

static void assert_vec(const char *what, const char *name, int step, const double *got,
                       const double *want)
{
    for (int j = 0; j < 4; j++)
        ck_assert_msg(fabs(got[j] - want[j]) <= 1e-12 * (1.0 + fabs(want[j])),
                      "%s: %s after step %d, entry %d: got %.17g, want %.17g", name, what, step, j,
                      got[j], want[j]);
}

START_TEST(test_hand_case)
{
    const hand_case *c = &cases[_i];
    ntr_layout lay = case_layout(c->layout);
    ntr_error err = {0};
    ntr_norm *norm = NULL;
    if (c->norm)
        ck_assert_msg(ntr_norm_alloc(ntr_norm_lookup(c->norm), NULL, &lay, &norm, &err) == 0,
                      "%s: %s", c->name, err.msg);
    const ntr_method_type *t = ntr_method_lookup(c->method);
    ck_assert_ptr_nonnull(t);
    ntr_method *m = NULL;
    ck_assert_msg(ntr_method_alloc(t, &c->o, &lay, norm, &m, &err) == 0, "%s: %s", c->name, err.msg);
    double x[4] = {1, 2, 3, 4};
    ck_assert_int_eq(ntr_method_start(m, x, c->sample ? c->g0 : NULL, NULL), 0);
    for (int k = 0; k < 2; k++) {
        const double *q = ntr_method_query_point(m, x);
        if (c->check_z)
            assert_vec("query point", c->name, k, q, c->z[k]);
        else
            ck_assert_ptr_eq(q, x);
        double g[4];
        memcpy(g, c->g_is_query ? q : c->g[k], sizeof g);
        ck_assert_int_eq(ntr_method_step(m, x, g, 0.5, NULL), 0);
        ck_assert_int_eq(m->k, k + 1);
        assert_vec("x", c->name, k + 1, x, c->x[k]);
        if (c->check_m)
            assert_vec("momentum", c->name, k + 1, ntr_method_momentum(m), c->m[k]);
    }
    if (c->check_z)
        assert_vec("query point", c->name, 2, ntr_method_query_point(m, x), c->z[2]);
    ntr_method_free(m);
    ntr_norm_free(norm);
}
END_TEST

START_TEST(test_registry)
{
    static const char *const names[] = {"ntr", "osgdm", "sgd", "sgdm", "adamw"};
    int n = 0;
    while (ntr_method_types[n])
        n++;
    ck_assert_int_eq(n, 5);
    for (int i = 0; i < 5; i++) {
        const ntr_method_type *t = ntr_method_lookup(names[i]);
        ck_assert_msg(t != NULL, "%s not registered", names[i]);
        ck_assert_str_eq(t->name, names[i]);
        ck_assert_ptr_nonnull(t->step);
        ck_assert_ptr_nonnull(t->summary);
    }
    ck_assert_ptr_null(ntr_method_lookup("muon"));
    ck_assert_ptr_null(ntr_method_lookup(""));
    ck_assert_ptr_null(ntr_method_lookup(NULL));
    ck_assert_int_eq(ntr_method_lookup("ntr")->uses_norm, 1);
    ck_assert_int_eq(ntr_method_lookup("osgdm")->uses_norm, 1);
    ck_assert_int_eq(ntr_method_lookup("sgd")->uses_norm, 0);
    ck_assert_int_eq(ntr_method_lookup("ntr")->tracks_gradient, 1);
    ck_assert_int_eq(ntr_method_lookup("osgdm")->tracks_gradient, 0);
}
END_TEST

/* Options a method cannot honour fail at alloc with a message, leaving *out NULL. */
static void expect_reject(const char *method, ntr_method_opts o, int with_norm, const char *word)
{
    ntr_layout lay = ntr_layout_single(2, 2);
    ntr_norm *norm = NULL;
    ntr_error err = {0};
    if (with_norm)
        ck_assert_int_eq(ntr_norm_alloc(ntr_norm_lookup("linf"), NULL, &lay, &norm, &err), 0);
    ntr_method dummy;
    ntr_method *m = &dummy; /* must be reset to NULL */
    ck_assert_int_eq(ntr_method_alloc(ntr_method_lookup(method), &o, &lay, norm, &m, &err), -1);
    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(err.msg, word) != NULL, "%s: message \"%s\" lacks \"%s\"", method, err.msg,
                  word);
    ntr_norm_free(norm);
}

static ntr_method_opts base_opts(void)
{
    return (ntr_method_opts)OPTS(.nesterov = 0);
}

START_TEST(test_rejected_options)
{
    ntr_method_opts o;
    o = base_opts(), o.alpha = 0;
    expect_reject("ntr", o, 1, "alpha");
    o = base_opts(), o.alpha = 1.5;
    expect_reject("ntr", o, 1, "alpha");
    o = base_opts(), o.alpha = NAN;
    expect_reject("sgdm", o, 0, "alpha");
    o = base_opts(), o.alpha = 0, o.extrapolation = 1;
    expect_reject("sgd", o, 0, "alpha");
    o = base_opts(), o.weight_decay = -1;
    expect_reject("ntr", o, 1, "weight_decay");
    o = base_opts(), o.extrapolation = 1, o.extrapolation_error = -1.5;
    expect_reject("ntr", o, 1, "extrapolation_error");
    o = base_opts(), o.extrapolation = 1, o.extrapolation_error = NAN;
    expect_reject("ntr", o, 1, "extrapolation_error");
    o = base_opts(), o.nesterov = 1;
    expect_reject("sgd", o, 0, "nesterov");
    o = base_opts(), o.nesterov = 1;
    expect_reject("adamw", o, 0, "nesterov");
    o = base_opts(), o.own[ADAMW_BETA2] = 1;
    expect_reject("adamw", o, 0, "beta2");
    o = base_opts(), o.own[ADAMW_EPS] = 0;
    expect_reject("adamw", o, 0, "adam_eps");
    o = base_opts(), o.scale = 7;
    expect_reject("ntr", o, 1, "scale");
    o = base_opts();
    expect_reject("ntr", o, 0, "norm");
    /* sgd needs no alpha: alpha 0 is fine without extrapolation. */
    ntr_layout lay = ntr_layout_single(2, 2);
    o = base_opts(), o.alpha = 0;
    ntr_method *m = NULL;
    ntr_error err = {0};
    ck_assert_int_eq(ntr_method_alloc(ntr_method_lookup("sgd"), &o, &lay, NULL, &m, &err), 0);
    ck_assert_ptr_null(ntr_method_momentum(m));
    ntr_method_free(m);
}
END_TEST

/* Shape factors precomputed per block: jordan sqrt(max(1, r/c)), rms 0.2 sqrt(max(r, c)). */
START_TEST(test_block_scale)
{
    ntr_layout lay = ntr_layout_single(8, 2);
    ntr_layout_add(&lay, 2, 8);
    ntr_layout_add(&lay, 3, 3);
    ntr_error err = {0};
    ntr_norm *norm = NULL;
    ck_assert_int_eq(ntr_norm_alloc(ntr_norm_lookup("spectral"), NULL, &lay, &norm, &err), 0);
    /* none; jordan: 8x2 -> sqrt 4, 2x8 -> 1, 3x3 -> 1; rms: 0.2 sqrt 8 twice, 0.2 sqrt 3 */
    static const double want[3][3] = {
        {1, 1, 1}, {2, 1, 1}, {0.4 * M_SQRT2, 0.4 * M_SQRT2, 0.2 * 1.7320508075688772}};
    for (int s = 0; s < 3; s++) {
        ntr_method_opts o = OPTS(.scale = s);
        ntr_method *m = NULL;
        ck_assert_int_eq(ntr_method_alloc(ntr_method_lookup("ntr"), &o, &lay, norm, &m, &err), 0);
        for (int i = 0; i < 3; i++)
            ck_assert_double_eq_tol(m->block_scale[i], want[s][i], 1e-15);
        ntr_method_free(m);
    }
    ntr_norm_free(norm);
}
END_TEST

/* start() resets every buffer and the step count: a second run from the same
 * point repeats the first bit for bit. */
START_TEST(test_restart)
{
    for (int i = 0; i < NCASES; i++) {
        const hand_case *c = &cases[i];
        ntr_layout lay = case_layout(c->layout);
        ntr_error err = {0};
        ntr_norm *norm = NULL;
        if (c->norm)
            ck_assert_int_eq(ntr_norm_alloc(ntr_norm_lookup(c->norm), NULL, &lay, &norm, &err), 0);
        ntr_method *m = NULL;
        ck_assert_int_eq(ntr_method_alloc(ntr_method_lookup(c->method), &c->o, &lay, norm, &m, &err), 0);
        double x[2][4];
        /* before start() the query point is x itself (where g0 is sampled) */
        double x0[4] = {1, 2, 3, 4};
        ck_assert_ptr_eq(ntr_method_query_point(m, x0), x0);
        for (int run = 0; run < 2; run++) {
            double *xr = x[run];
            for (int j = 0; j < 4; j++)
                xr[j] = j + 1;
            ck_assert_int_eq(ntr_method_start(m, xr, c->sample ? c->g0 : NULL, NULL), 0);
            ck_assert_int_eq(m->k, 0);
            for (int k = 0; k < 5; k++) {
                const double *q = ntr_method_query_point(m, xr);
                double g[4];
                for (int j = 0; j < 4; j++)
                    g[j] = q[j] - 0.5 * j + (k % 2 ? 1.0 : -1.0);
                ck_assert_int_eq(ntr_method_step(m, xr, g, 0.5, NULL), 0);
            }
        }
        ck_assert_msg(memcmp(x[0], x[1], sizeof x[0]) == 0, "%s: restart differs", c->name);
        ntr_method_free(m);
        ntr_norm_free(norm);
    }
}
END_TEST

/* extrapolation_error e scales the coefficient by 1 + e: with alpha = 0.25
 * the query point after one step is z_1 = x_1 + 3 (1 + e) (x_1 - x_0);
 * e = -1 queries x_1 itself (the mechanism removed, all else kept). */
START_TEST(test_extrapolation_error)
{
    static const double errors[] = {0.0, -1.0, 1.0, -0.5};
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        ntr_layout lay = case_layout(LAY_2X2);
        ntr_error err = {0};
        ntr_norm *norm = NULL;
        ck_assert_int_eq(ntr_norm_alloc(ntr_norm_lookup("linf"), NULL, &lay, &norm, &err), 0);
        ntr_method_opts o = OPTS(.extrapolation = 1, .extrapolation_error = errors[i]);
        ntr_method *m = NULL;
        ck_assert_int_eq(ntr_method_alloc(ntr_method_lookup("ntr"), &o, &lay, norm, &m, &err), 0);
        double x[4] = {1, 2, 3, 4}, x0[4], g[4] = {1, -1, 2, -2};
        memcpy(x0, x, sizeof x);
        ck_assert_int_eq(ntr_method_start(m, x, g, NULL), 0);
        ck_assert_ptr_eq(ntr_method_query_point(m, x), x); /* z_0 = x_0 */
        ck_assert_int_eq(ntr_method_step(m, x, g, 0.5, NULL), 0);
        const double *z = ntr_method_query_point(m, x);
        for (int j = 0; j < 4; j++) {
            double want = x[j] + 3.0 * (1.0 + errors[i]) * (x[j] - x0[j]);
            ck_assert_msg(fabs(z[j] - want) < 1e-15, "error %g, entry %d: z = %.17g, want %.17g",
                          errors[i], j, z[j], want);
        }
        ntr_method_free(m);
        ntr_norm_free(norm);
    }
}
END_TEST

/* The gradient of step k at q for the save/restore test. */
static void wavy_grad(const double *q, int k, double g[4])
{
    for (int j = 0; j < 4; j++)
        g[j] = q[j] - 0.5 * j + (k % 2 ? 1.0 : -1.0);
}

/* ntr_method_save then ntr_method_restore into a fresh method continues
 * bit for bit (every case: momentum, second moments, x_{k-1}, the step
 * count, m0 sampled); bytes of another length or another method's state
 * are refused and change nothing. */
START_TEST(test_save_restore)
{
    const hand_case *c = &cases[_i];
    ntr_layout lay = case_layout(c->layout);
    ntr_error err = {0};
    ntr_norm *norm = NULL;
    if (c->norm)
        ck_assert_int_eq(ntr_norm_alloc(ntr_norm_lookup(c->norm), NULL, &lay, &norm, &err), 0);
    const ntr_method_type *t = ntr_method_lookup(c->method);
    ntr_method *a = NULL, *b = NULL;
    ck_assert_int_eq(ntr_method_alloc(t, &c->o, &lay, norm, &a, &err), 0);
    ck_assert_int_eq(ntr_method_alloc(t, &c->o, &lay, norm, &b, &err), 0);
    double xa[4] = {1, 2, 3, 4}, xb[4], g[4];
    ck_assert_int_eq(ntr_method_start(a, xa, c->sample ? c->g0 : NULL, NULL), 0);
    for (int k = 0; k < 3; k++) {
        wavy_grad(ntr_method_query_point(a, xa), k, g);
        ck_assert_int_eq(ntr_method_step(a, xa, g, 0.5, NULL), 0);
    }
    char *bytes = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&bytes, &len);
    ck_assert_ptr_nonnull(f);
    ntr_method_save(a, f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(ntr_method_restore(b, bytes, len - 1), -1);
    ck_assert_int_eq(ntr_method_steps(b), 0);
    ck_assert_int_eq(ntr_method_restore(b, bytes, len), 0);
    ck_assert_int_eq(ntr_method_steps(b), 3);
    memcpy(xb, xa, sizeof xa);
    for (int k = 3; k < 6; k++) {
        wavy_grad(ntr_method_query_point(a, xa), k, g);
        ck_assert_int_eq(ntr_method_step(a, xa, g, 0.5, NULL), 0);
        wavy_grad(ntr_method_query_point(b, xb), k, g);
        ck_assert_int_eq(ntr_method_step(b, xb, g, 0.5, NULL), 0);
    }
    ck_assert_msg(memcmp(xa, xb, sizeof xa) == 0, "%s: the restored method differs", c->name);
    const double *ma = ntr_method_momentum(a), *mb = ntr_method_momentum(b);
    ck_assert((ma == NULL) == (mb == NULL));
    if (ma)
        ck_assert(memcmp(ma, mb, lay.dim * sizeof *ma) == 0);
    /* sgd keeps no vectors: the state of one with vectors is not its */
    ntr_method *other = NULL;
    ntr_method_opts so = c->o;
    so.nesterov = so.extrapolation = 0;
    ck_assert_int_eq(ntr_method_alloc(ntr_method_lookup("sgd"), &so, &lay, NULL, &other, &err), 0);
    if (ntr_method_type_nvec(t) > 0 || c->o.extrapolation)
        ck_assert_int_eq(ntr_method_restore(other, bytes, len), -1);
    ntr_method_free(other);
    free(bytes);
    ntr_method_free(a);
    ntr_method_free(b);
    ntr_norm_free(norm);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("methods");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_hand_case, 0, NCASES);
    tcase_add_test(tc, test_registry);
    tcase_add_test(tc, test_rejected_options);
    tcase_add_test(tc, test_block_scale);
    tcase_add_test(tc, test_restart);
    tcase_add_test(tc, test_extrapolation_error);
    tcase_add_loop_test(tc, test_save_restore, 0, NCASES);
    suite_add_tcase(s, tc);
    return ts_run_suite(s);
}

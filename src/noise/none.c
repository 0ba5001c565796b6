/* none.c: the exact gradient, no noise and no draw. */
#include "noise/noise.h"

const ntr_noise_type ntr_noise_none = {
    .name = "none",
    .summary = "the exact gradient",
    .variance = "E||g - grad f||_2^2 = 0 (sigma is ignored)",
    .kind = NTR_NOISE_EXACT,
};

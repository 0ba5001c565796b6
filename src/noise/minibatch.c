/* minibatch.c: the problem's own sampling oracle (batch terms of a finite
 * sum, or fresh inputs); the oracle averages `batch` sampled gradients. */
#include "noise/noise.h"

static int init(void **state, const ntr_noise_env *env, ntr_error *err)
{
    *state = NULL;
    if (!env->problem->type->sample_grad)
        return ntr_fail_at(err, env->problem_pos,
                           "noise.type minibatch needs a problem with its own sampling oracle "
                           "(a finite sum or sampled inputs); %s has none: use gaussian, "
                           "student_t or sparse noise",
                           env->problem->type->name);
    return 0;
}

const ntr_noise_type ntr_noise_minibatch = {
    .name = "minibatch",
    .summary = "the problem's own sampling oracle: the mean of batch sampled terms",
    .variance = "E||g - grad f||_2^2 = (the problem's term variance) / batch; sigma is ignored",
    .kind = NTR_NOISE_SAMPLED,
    .init = init,
};

/* run_result.c: the column names of trajectory.csv (see run_result.h). */
#include "output/run_result.h"

const char *const ntr_trajectory_header =
    "k,sfo,f,gap,grad_dual,grad_l2,min_grad_dual,avg_grad_dual,x_norm,x_fro,mom_err,grad_l1";

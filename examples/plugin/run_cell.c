/* run_cell.c: one cell run from C through ntr's public API: config text in,
 * trajectory out.  It runs the example plug-in (libpseudo_huber.so, which
 * `make` builds beside it) under the spectral norm and prints k and
 * ||grad f(x_k)||_* for each logged iteration.
 *
 * Build: cc -o run_cell run_cell.c $(pkg-config --cflags --libs ntr)
 * Run:   ./run_cell [FOLDER]   (FOLDER holds libpseudo_huber.so; default .) */
#include <stdio.h>

#include <ntr/ntr.h>

static const char config[] = "problem: {type: plugin, library: libpseudo_huber.so,\n"
                             "          symbol: pseudo_huber, shape: [16, 8], delta: 0.5}\n"
                             "noise: {type: gaussian, sigma: 0.05}\n"
                             "method: {name: ntr, norm: spectral, eta: 0.05, alpha: 0.1}\n"
                             "budget: {iterations: 500}\n"
                             "log: {every: 50}\n";

int main(int argc, char **argv)
{
    ntr_error *err = ntr_error_new();
    ntr_trajectory *t = NULL;
    if (!err || ntr_run_cell(config, argc > 1 ? argv[1] : ".", NULL, &t, err) != 0) {
        if (err && ntr_error_line(err) > 0)
            fprintf(stderr, "%s:%d:%d: ", ntr_error_file(err), ntr_error_line(err),
                    ntr_error_column(err));
        fprintf(stderr, "run_cell: %s\n", err ? ntr_error_message(err) : "out of memory");
        int code = err ? ntr_error_exit_code(err) : 1;
        ntr_error_free(err);
        return code;
    }
    long k = ntr_trajectory_column_index(t, "k");
    long gd = ntr_trajectory_column_index(t, "grad_dual");
    printf("cell %s: %s\n%6s  %s\n", ntr_trajectory_hash(t), ntr_trajectory_status(t), "k",
           "grad_dual");
    for (size_t i = 0; i < ntr_trajectory_rows(t); i++)
        printf("%6.0f  %.6g\n", ntr_trajectory_value(t, i, (size_t)k),
               ntr_trajectory_value(t, i, (size_t)gd));
    ntr_trajectory_free(t);
    ntr_error_free(err);
    return 0;
}

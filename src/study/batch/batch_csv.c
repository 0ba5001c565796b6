/* batch_csv.c: batch.csv, the batch study's numbers (see batch_analyse.c
 * for its columns): one block per setting, one row per batch size. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output/csv_field.h"
#include "output/files.h"
#include "study/batch/batch_analysis.h"

/* ",value": empty for NAN, inf for infinity. */
static void num(FILE *f, double v)
{
    if (isnan(v))
        fputs(",", f);
    else if (isinf(v))
        fputs(v > 0 ? ",inf" : ",-inf", f);
    else
        fprintf(f, ",%.10g", v);
}

/* A value for a label: numbers shortened (0.10000000000000001 is 0.1). */
static void pretty(const char *v, char *buf, size_t size)
{
    char *end;
    double x = strtod(v, &end);
    if (end != v && *end == '\0' && isfinite(x))
        snprintf(buf, size, "%.10g", x);
    else
        snprintf(buf, size, "%s", v);
}

static void setting_label(const analysis *a, size_t row, char *buf, size_t size)
{
    const ntr_node *o = a->spec->over;
    size_t used = 0;
    snprintf(buf, size, "all");
    for (size_t i = 0; o && i < o->n && used < size; i++) {
        char v[128];
        pretty(ntr_table_str(a->sum, row, a->keycol[i]), v, sizeof v);
        int n = snprintf(buf + used, size - used, "%s%s=%s", i ? " " : "", o->keys[i], v);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static void write_rows(FILE *f, const analysis *a, const setting *st)
{
    const ntr_node *o = a->spec->over;
    char label[512];
    setting_label(a, st->first_row, label, sizeof label);
    for (size_t j = 0; j < a->spec->nb; j++) {
        const bpoint *pt = &st->pt[j];
        double b = (double)a->spec->b[j];
        ntr_csv_field(f, label);
        for (size_t i = 0; o && i < o->n; i++) {
            fputc(',', f);
            ntr_csv_field(f, ntr_table_str(a->sum, st->first_row, a->keycol[i]));
        }
        num(f, st->alpha);
        num(f, st->lambda);
        fprintf(f, ",%ld,%zu,%zu,%zu", a->spec->b[j], pt->cells, pt->final, pt->reached);
        num(f, pt->T);
        num(f, pt->sfo);
        num(f, st->bstar.found ? st->bstar.b : NAN);
        num(f, st->bstar.found ? (double)st->bstar.edge : NAN);
        num(f, st->bstar.found ? st->bstar.sfo : NAN);
        for (int m = 0; m < 2; m++)
            num(f, st->fit[m].ok ? ntr_batch_model_T((ntr_batch_model)m, st->fit[m].a,
                                                     st->fit[m].c, b)
                                 : NAN);
        for (int m = 0; m < 2; m++) {
            const ntr_batch_fitres *fr = &st->fit[m];
            num(f, fr->ok ? fr->a : NAN);
            num(f, fr->ok ? fr->c : NAN);
            num(f, fr->ok ? fr->bstar : NAN);
            num(f, fr->ok ? fr->rms : NAN);
        }
        fputc('\n', f);
    }
}

int ntr_batch_write_csv(const char *dir, const analysis *a, ntr_error *err)
{
    char path[1100];
    ntr_tmpfile tf;
    if (ntr_path(path, sizeof path, err, "%s/batch.csv", dir) != 0 ||
        ntr_tmpfile_open(&tf, path, err) != 0)
        return -1;
    FILE *f = tf.fp;
    const ntr_node *o = a->spec->over;
    fputs("setting", f);
    for (size_t i = 0; o && i < o->n; i++) {
        fputc(',', f);
        ntr_csv_field(f, o->keys[i]);
    }
    fputs(",alpha,lambda,b,cells,final,reached,T,SFO,b_star,b_star_edge,SFO_star,"
          "T_fit_inv_b,T_fit_inv_sqrt_b",
          f);
    for (int m = 0; m < 2; m++)
        fprintf(f, ",%s_a,%s_c,%s_b_star,%s_rms", ntr_batch_model_names[m],
                ntr_batch_model_names[m], ntr_batch_model_names[m], ntr_batch_model_names[m]);
    fputc('\n', f);
    for (size_t i = 0; i < a->ns; i++) {
        if (i)
            fputc('\n', f);
        write_rows(f, a, &a->s[i]);
    }
    return ntr_tmpfile_commit(&tf, err);
}

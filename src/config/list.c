/* list.c: `ntr-run --list WHAT` (see list.h): each registry's names and
 * one-line summaries, in registry order. */
#include "config/list.h"

#include <string.h>

#include "methods/method.h"
#include "noise/noise.h"
#include "norms/norm.h"
#include "problems/problem.h"
#include "study/study.h"

const char ntr_list_groups[] = "problems, norms, methods, noise or studies";

static void list_problems(FILE *f)
{
    for (size_t i = 0; ntr_problem_types[i]; i++) {
        char flags[256];
        ntr_problem_flags_format(ntr_problem_types[i]->flags, flags, sizeof flags);
        fprintf(f, "%-20s %-50s [%s]\n", ntr_problem_types[i]->name, ntr_problem_types[i]->summary,
                flags);
    }
}

static void list_norms(FILE *f)
{
    for (size_t i = 0; ntr_norm_types[i]; i++)
        fprintf(f, "%-10s dual: %-27s %s\n", ntr_norm_types[i]->name, ntr_norm_types[i]->dual_name,
                ntr_norm_types[i]->summary);
}

static void list_methods(FILE *f)
{
    for (size_t i = 0; ntr_method_types[i]; i++)
        fprintf(f, "%-8s %s\n", ntr_method_types[i]->name, ntr_method_types[i]->summary);
}

static void list_noise(FILE *f)
{
    for (size_t i = 0; ntr_noise_types[i]; i++) {
        const ntr_noise_type *t = ntr_noise_types[i];
        fprintf(f, "%-10s %s\n%-10s variance: %s\n", t->name, t->summary, "", t->variance);
        for (size_t j = 0; t->keys && t->keys[j].name; j++)
            fprintf(f, "%-10s noise.%s (default %s%g): %s\n", "", t->keys[j].name,
                    t->keys[j].all_word && t->keys[j].def == 0 ? "all = " : "", t->keys[j].def,
                    t->keys[j].meaning);
    }
}

static void list_studies(FILE *f)
{
    for (size_t i = 0; ntr_study_types[i]; i++)
        fprintf(f, "%-14s %s\n", ntr_study_types[i]->name, ntr_study_types[i]->summary);
}

int ntr_list(FILE *f, const char *what)
{
    static const struct {
        const char *what;
        void (*list)(FILE *f);
    } groups[] = {
        {"problems", list_problems}, {"norms", list_norms},     {"methods", list_methods},
        {"noise", list_noise},       {"studies", list_studies},
    };
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (strcmp(what, groups[i].what) == 0) {
            groups[i].list(f);
            return 0;
        }
    return -1;
}

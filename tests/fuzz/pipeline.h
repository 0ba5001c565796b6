/* pipeline.h: what the config fuzzer does with one input, shared by the
 * libFuzzer target (fuzz_config.c) and the replay of its regressions
 * (tests/test_fuzz_regressions.c).
 *
 * The bytes go through the YAML loader, the typed settings reader and the
 * whole plan: --set overrides, sweeps, union, seeds, studies and their
 * theory rules.  Lines "#--set KEY=VALUE" (YAML comments, so the loader
 * ignores them) become --set arguments, so the fuzzer explores the command
 * line overrides too.  No cell runs and no file is written.  Besides "no crash, no leak,
 * no undefined behaviour" (the sanitizers' part), the pipeline checks:
 * a refusal always carries a message; accepted settings written as
 * canonical YAML read back to the same settings; an accepted plan has
 * cells with 16-hex-digit hashes and a config.yaml text that loads. */
#ifndef NTR_FUZZ_PIPELINE_H
#define NTR_FUZZ_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

/* 0 when the input was handled (accepted, or refused with a message);
 * -1 when an invariant above broke: msg says which.  *planned (if not
 * NULL) is set to the number of cells of an accepted plan, 0 if refused. */
int fuzz_config_one(const uint8_t *data, size_t size, size_t *planned, char *msg, size_t msize);

#endif

/* fuzz_config.c: libFuzzer target for the config loader.  Each input is a
 * candidate config file; see pipeline.h for what is run and checked.  Built
 * and run by `make fuzz FUZZ_SECONDS=N` (clang, -fsanitize=fuzzer,address,
 * undefined); a broken invariant aborts so that libFuzzer saves the input. */
#include <stdio.h>
#include <stdlib.h>

#include "pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[4096];
    if (fuzz_config_one(data, size, NULL, msg, sizeof msg) != 0) {
        fprintf(stderr, "fuzz_config: %s\n", msg);
        abort();
    }
    return 0;
}

/* fuzz_parse.c - libFuzzer entry point: any bytes as a scenario file. */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_one(data, size) < 0)
        __builtin_trap();      /* a rejection without a place or message */
    return 0;
}

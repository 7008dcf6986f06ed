/* fuzz_markup.c - libFuzzer target: any valid UTF-8 as a description. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cb_markup.h"
#include "cb_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* descriptions reach markup only after ingest validated their UTF-8 */
    for (size_t i = 0; i < size;) {
        int len;
        if (cb_utf8_decode((const char *)data + i, size - i, &len) <= 0)
            return 0;
        i += (size_t)len;
    }
    cb_arena *a = cb_arena_new();
    free(cb_markup_dump(cb_markup_parse(a, (const char *)data, size, NULL)));
    cb_arena_free(a);
    return 0;
}

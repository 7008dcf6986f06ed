/* fuzz_ingest.c - libFuzzer target: any bytes through ingest and, for
 * every description that parses, through the Markdown/HTML reader.
 * Build and run with `make fuzz` (clang). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_ingest.h"
#include "cb_markup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cb_diag *diag = cb_diag_new(NULL);
    cb_model *m = cb_ingest_parse((const char *)data, size, "fuzz",
                                  CB_FORMAT_AUTO, diag);
    if (m) {
        cb_arena *a = cb_arena_new();
        for (size_t e = 0; e < m->n_events; e++)
            for (size_t i = 0; i < m->events[e].n_contribs; i++) {
                const char *d = m->events[e].contribs[i].description;
                if (d)
                    free(cb_markup_dump(cb_markup_parse(a, d, strlen(d), NULL)));
            }
        cb_arena_free(a);
        cb_model_free(m);
    }
    cb_diag_free(diag);
    return 0;
}

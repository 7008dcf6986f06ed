/* fuzz_math.c - libFuzzer target: any bytes as text with TeX math in it,
 * through what the composer does with it: the spans found, each formula's
 * plain text (bookmarks, running heads) and its boxes, inline and
 * displayed, in DejaVu Math TeX Gyre with Noto Serif for its words.
 * Build and run with `make fuzz` (clang). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cb_math.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cb_diag *diag;
static cb_fonts *fonts;
static cb_math *math;

/* At exit: what is kept from run to run is freed, so that LeakSanitizer
 * reports only what a run loses. */
static void free_kept(void)
{
    cb_math_free(math);
    cb_fonts_free(fonts);
    cb_diag_free(diag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!math) { /* the fonts once: loading them is most of a run */
        atexit(free_kept);
        diag = cb_diag_new(NULL);
        fonts = cb_fonts_new(diag);
        if (!fonts)
            abort();
        int face = cb_fonts_find(fonts, "DejaVu Math TeX Gyre", "serif", 0, 0);
        if (face < 0 || !cb_fonts_has_math(fonts, face))
            abort(); /* the shipped math font must load */
        math = cb_math_new(fonts, face,
                           cb_fonts_find(fonts, "Noto Serif", "serif", 0, 0),
                           cb_fonts_find(fonts, "Noto Serif", "serif", 1, 0),
                           diag);
    }
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    cb_arena *a = cb_arena_new();
    cb_math_scan sc;
    cb_math_span sp;
    cb_math_scan_init(&sc, text, size);
    while (cb_math_next(&sc, &sp)) {
        const char *src = text + sp.src;
        size_t len = sp.src_end - sp.src;
        cb_math_plain(a, src, len);
        cb_math_set(math, a, src, len, 10.5f, 0, "fuzz", 0);
        cb_math_set(math, a, src, len, 10.5f, 1, "fuzz", 0);
    }
    cb_math_plain_text(a, text);
    cb_arena_free(a);
    free(text);
    return 0;
}

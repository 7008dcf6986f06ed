/* fuzz_pipeline.c - libFuzzer target: any bytes as an input file, through
 * the whole pipeline the command runs: ingest, compose (with the shipped
 * layout the first byte picks), the display list and the PDF, written to
 * /dev/null. Build and run with `make fuzz` (clang). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cb_compose.h"
#include "cb_ingest.h"
#include "cb_output.h"
#include "cb_pdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const layouts[] = {"report-a4", "book-of-abstracts",
                                      "programme-a5", "poster-list"};
static cb_layout *loaded[4];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int which = data[0] % 4;
    if (!loaded[which]) {
        cb_diag *quiet = cb_diag_new(NULL);
        loaded[which] = cb_layout_load(layouts[which], 0, quiet);
        cb_diag_free(quiet);
        if (!loaded[which])
            abort(); /* the shipped layouts must load */
    }
    cb_diag *diag = cb_diag_new(NULL);
    cb_model *m = cb_ingest_parse((const char *)data + 1, size - 1, "fuzz",
                                  CB_FORMAT_AUTO, diag);
    if (m) {
        cb_fonts *fonts = cb_fonts_new(diag);
        cb_dlist *dl = cb_dlist_new();
        /* a few hundred pages show every path; more only cost time */
        cb_compose_options opts = {.layout = loaded[which],
                                   .date = 1700000000LL,
                                   .version = "fuzz",
                                   .max_pages = 500};
        int rc = fonts ? cb_compose_report(m, fonts, &opts, dl, diag) : 1;
        if (rc == CB_EXIT_OK) {
            cb_output out;
            if (cb_output_open(&out, "/dev/null") == 0) {
                cb_pdf_write(dl, fonts, NULL, &out, "/dev/null", diag);
                cb_output_discard(&out);
            }
        }
        cb_dlist_free(dl);
        cb_fonts_free(fonts);
        cb_model_free(m);
    }
    cb_diag_free(diag);
    return 0;
}

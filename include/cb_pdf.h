/* cb_pdf.h - draws a display list as a PDF file through libharu. The only
 * module that includes hpdf.h. */
#ifndef CB_PDF_H
#define CB_PDF_H

#include "cb_diag.h"
#include "cb_dlist.h"
#include "cb_font.h"

/* Writes `dl` to `path` ("-" for standard output). The file appears only
 * when complete: it is written to a temporary file beside it and renamed,
 * so a failed run never leaves a partial file or overwrites a good one.
 * cb_fonts_finish must have been called. Returns CB_EXIT_OK, or an exit
 * code after reporting the failure to diag. */
int cb_pdf_write(const cb_dlist *dl, const cb_fonts *fonts, const char *path,
                 cb_diag *diag);

#endif

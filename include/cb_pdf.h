/* cb_pdf.h - draws a display list as a PDF file through libharu. The only
 * module that includes hpdf.h. */
#ifndef CB_PDF_H
#define CB_PDF_H

#include "cb_diag.h"
#include "cb_dlist.h"
#include "cb_font.h"
#include "cb_output.h"

/* Writes `dl` to an opened output (named `name` in messages); the caller
 * commits or discards it (see cb_output.h). cb_fonts_finish must have been
 * called. Returns CB_EXIT_OK, or an exit code after reporting the failure
 * to diag. */
int cb_pdf_write(const cb_dlist *dl, const cb_fonts *fonts, cb_output *out,
                 const char *name, cb_diag *diag);

#endif

/* cb_pdf.h - draws a display list as a PDF file through libharu. The only
 * module that includes hpdf.h. */
#ifndef CB_PDF_H
#define CB_PDF_H

#include "cb_diag.h"
#include "cb_dlist.h"
#include "cb_font.h"
#include "cb_output.h"

/* How the pages are put on paper. */
typedef enum {
    CB_IMPOSE_NONE,    /* one page a PDF page */
    CB_IMPOSE_BOOKLET  /* saddle stitch: two pages side by side on each
                          side of a sheet twice their width, in signature
                          order (sheet 1 front: the last page and page 1;
                          back: page 2 and the second-to-last...), padded
                          with blank pages to a multiple of four; with
                          print geometry, crop and fold marks on each sheet */
} cb_impose;

/* What a file must conform to besides PDF itself. */
typedef enum {
    CB_PDFA_NONE,
    CB_PDFA_1B,  /* PDF/A-1b (ISO 19005-1, level B): an sRGB output intent
                    (the ICC profile of Debian's icc-profiles-free), fonts
                    with CapHeight and CIDSet, no transparency (an image's
                    alpha becomes a stencil mask), XMP identification */
    CB_PDFA_3B   /* PDF/A-3b (ISO 19005-3): the same, and the display
                    list's attachments (the input files) embedded as
                    associated files, /AFRelationship /Source */
} cb_pdfa;

typedef struct {
    cb_impose impose;
    cb_pdfa pdfa;
} cb_pdf_options;

/* The sRGB ICC profile a PDF/A file's output intent embeds; the
 * environment's CONTRIBOOK_ICC names another. */
#define CB_SRGB_ICC "/usr/share/color/icc/sRGB.icc"

/* Writes `dl` to an opened output (named `name` in messages); the caller
 * commits or discards it (see cb_output.h). cb_fonts_finish must have been
 * called. An imposed file is for the press: each page is drawn once, as a
 * Form XObject placed on its sheet, and it has no structure tree, links,
 * bookmarks or page labels (which name pages it no longer has). Every
 * file has XMP metadata matching its Info dictionary and an /ID derived
 * from its content. PDF/A needs RGB colours: a device-CMYK display list
 * is refused (CB_EXIT_USAGE). Returns CB_EXIT_OK, or an exit code after
 * reporting the failure to diag. opts may be NULL (the defaults). */
int cb_pdf_write(const cb_dlist *dl, const cb_fonts *fonts,
                 const cb_pdf_options *opts, cb_output *out, const char *name,
                 cb_diag *diag);

#endif

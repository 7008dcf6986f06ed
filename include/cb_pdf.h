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

/* A PDF being written to an opened output (named `name` in messages),
 * page by page as the display list's pages are done, then completed; the
 * caller commits or discards the output (see cb_output.h). Memory stays
 * that of the pages not yet done, and a few hundred bytes a page (its
 * place in the page tree, its links, its structure elements).
 *
 * An imposed file is for the press: each page is drawn once, as a Form
 * XObject placed on its sheet, and it has no structure tree, links,
 * bookmarks or page labels (which name pages it no longer has). Every
 * file has XMP metadata matching its Info dictionary and an /ID derived
 * from its content. PDF/A needs RGB colours: a device-CMYK display list
 * is refused (CB_EXIT_USAGE). */
typedef struct cb_pdf_writer cb_pdf_writer;

/* Starts a PDF of dl (whose pages may not exist yet). opts may be NULL
 * (the defaults). NULL, reported, when libharu cannot start. */
cb_pdf_writer *cb_pdf_begin(const cb_dlist *dl, const cb_fonts *fonts,
                            const cb_pdf_options *opts, cb_output *out,
                            const char *name, cb_diag *diag);
/* Writes a page of the list; a display list sink (cb_dlist_set_sink):
 * pages come in the order they were added. Returns 0, or -1 once a write
 * has failed (cb_pdf_finish reports it). */
int cb_pdf_page(void *writer, const cb_page *page);
/* Writes the pages not handed over yet, then fonts, images, the page
 * tree in the document's order, bookmarks, labels, metadata and the
 * cross-reference table (a stream, but in PDF/A): after the last text is
 * shaped. Returns CB_EXIT_OK, or an exit code after reporting the failure
 * to diag (CB_EXIT_FONT when a font cannot be subset). */
int cb_pdf_finish(cb_pdf_writer *w);
void cb_pdf_free(cb_pdf_writer *w);

/* All at once: begin, finish, free. */
int cb_pdf_write(const cb_dlist *dl, const cb_fonts *fonts,
                 const cb_pdf_options *opts, cb_output *out, const char *name,
                 cb_diag *diag);

#endif

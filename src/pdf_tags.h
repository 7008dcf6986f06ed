/* pdf_tags.h - the structure of a tagged PDF (PDF/UA-1), built by the PDF
 * writer (pdf.c) as it draws: a structure element for every block of the
 * display list, grouped as a reader follows the booklet (a part, a group
 * of contributions, one contribution, a list), marked content with an
 * MCID around what each block draws, and the running heads, footers,
 * folios and rules marked as artifacts. Internal to the writer: it uses
 * libharu 2.3.0's lower layer (hpdf_objects.h), which has no tagging. */
#ifndef PDF_TAGS_H
#define PDF_TAGS_H

#include <hpdf.h>

#include "cb_dlist.h"
#include "cb_util.h"

typedef struct pdf_tags pdf_tags;

/* Starts the structure tree of pdf, in the document language lang (a
 * language code, "en"; NULL when unknown). */
pdf_tags *pdf_tags_new(HPDF_Doc pdf, const char *lang);

/* Begins page number index (0-based) of the document. */
void pdf_tags_begin_page(pdf_tags *t, HPDF_Page page, int index);

/* What the items from items[i] on belong to: call before drawing each
 * one. Appends to ops the operators that close the marked content before
 * it and open its own ("/P <</MCID 3>> BDC", "/Artifact BMC"); the caller
 * writes them outside any text object. Returns whether it appended. */
int pdf_tags_item(pdf_tags *t, const cb_item *items, size_t n, size_t i,
                  cb_buf *ops);

/* Closes the page's open marked content into ops (see pdf_tags_item). */
int pdf_tags_end_page(pdf_tags *t, cb_buf *ops);

/* Ties the annotation of the next link item (in drawing order) to its
 * Link element: an object reference in the element, /StructParent in the
 * annotation. Call for every link item, in order, after the pages. */
void pdf_tags_annot(pdf_tags *t, HPDF_Page page, HPDF_Dict annot);

/* Writes the parent tree and hooks the tree into the catalog. Returns 0,
 * or -1 when libharu failed (its error handler has the reason). */
int pdf_tags_finish(pdf_tags *t);

void pdf_tags_free(pdf_tags *t);

#endif

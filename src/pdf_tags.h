/* pdf_tags.h - the structure of a tagged PDF (PDF/UA-1), built by the PDF
 * writer (pdf.c) as it draws: a structure element for every block of the
 * display list, grouped as a reader follows the booklet (a part, a group
 * of contributions, one contribution, a list), marked content with an
 * MCID around what each block draws, and the running heads, footers,
 * folios and rules marked as artifacts. Internal to the writer: libharu
 * 2.3.0 has no tagging, and the tree is written beside its output. */
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
void pdf_tags_annot(pdf_tags *t, int page, HPDF_Dict annot);

/* Hooks the tree into the catalog (/StructTreeRoot, /MarkInfo, /Lang,
 * /ViewerPreferences). Returns 0, or -1 when libharu failed (its error
 * handler has the reason). */
int pdf_tags_finish(pdf_tags *t);

/* The object number libharu gave the root: a placeholder (null) the
 * writer leaves out of libharu's output, to write the root there. */
unsigned pdf_tags_root(const pdf_tags *t);

/* Appends the tree to b as PDF objects: the root (object
 * pdf_tags_root(t)), then the others numbered from first on. Sets
 * *offsets to a new array of their offsets in b, the root's first, and
 * returns the number of objects after the root. */
size_t pdf_tags_write(pdf_tags *t, unsigned first, cb_buf *b, size_t **offsets);

/* Appends the UTF-16BE of UTF-8 text s to b, in hexadecimal (invalid
 * UTF-8 as U+FFFD). */
void pdf_utf16_hex(cb_buf *b, const char *s);
/* Appends s as a PDF text string: <FEFF...>, UTF-16BE with its byte
 * order mark. */
void pdf_text_string(cb_buf *b, const char *s);

void pdf_tags_free(pdf_tags *t);

#endif

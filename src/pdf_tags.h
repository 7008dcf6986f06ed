/* pdf_tags.h - the structure of a tagged PDF (PDF/UA-1), built by the PDF
 * writer (pdf.c) as it draws: a structure element for every block of the
 * display list, grouped as a reader follows the booklet (a part, a group
 * of contributions, one contribution, a list), marked content with an
 * MCID around what each block draws, and the running heads, footers,
 * folios and rules marked as artifacts. Internal to the writer: libharu
 * 2.3.0 has no tagging, and the tree is written beside its output. */
#ifndef PDF_TAGS_H
#define PDF_TAGS_H

#include "cb_dlist.h"
#include "cb_util.h"

typedef struct pdf_tags pdf_tags;

/* Starts a structure tree in the document language lang (a language
 * code, "en"; NULL when unknown), which must outlive it. */
pdf_tags *pdf_tags_new(const char *lang);

/* Begins the next page, in the order pages are written (its object
 * number `page`); the first is 0. Returns that index. */
int pdf_tags_begin_page(pdf_tags *t, unsigned page);

/* What the items from items[i] on belong to: call before drawing each
 * one. Appends to ops the operators that close the marked content before
 * it and open its own ("/P <</MCID 3>> BDC", "/Artifact BMC"); the caller
 * writes them outside any text object. Returns whether it appended. */
int pdf_tags_item(pdf_tags *t, const cb_item *items, size_t n, size_t i,
                  cb_buf *ops);

/* Closes the page's open marked content into ops (see pdf_tags_item). */
int pdf_tags_end_page(pdf_tags *t, cb_buf *ops);

/* Ties the annotation (object number annot, on page index `page`) of the
 * next link item (in drawing order) to its Link element. Call for every
 * link item, in order, after its page is drawn. Returns the annotation's
 * /StructParent, or -1 when it has none. */
long pdf_tags_annot(pdf_tags *t, int page, unsigned annot);

/* The /StructParents of page index `page`: known once every link is. */
long pdf_tags_page_key(const pdf_tags *t, int page);

/* Receives each object of the tree: its number and its body. */
typedef void pdf_tags_put(void *ctx, unsigned number, const cb_buf *body);

/* How many objects the tree takes besides its root, once every page and
 * link is in. */
size_t pdf_tags_count(const pdf_tags *t);
/* Writes the tree through put: the root as object `root`, the others
 * numbered first to first + pdf_tags_count(t) - 1. places[i] is the
 * place in the document of page index i: what a page holds is read in
 * that order. */
void pdf_tags_write(pdf_tags *t, unsigned root, unsigned first,
                    const int *places, pdf_tags_put *put, void *ctx);

/* Appends the UTF-16BE of UTF-8 text s to b, in hexadecimal (invalid
 * UTF-8 as U+FFFD). */
void pdf_utf16_hex(cb_buf *b, const char *s);
/* Appends s as a PDF text string: <FEFF...>, UTF-16BE with its byte
 * order mark. */
void pdf_text_string(cb_buf *b, const char *s);

void pdf_tags_free(pdf_tags *t);

#endif

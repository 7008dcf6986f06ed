/* cb_dlist.h - the display list: pages of positioned glyph runs, rules,
 * rectangles and links, plus outline entries and document metadata.
 * Plain data made by the composer and drawn by the PDF writer; it can be
 * dumped as text, which is what layout tests compare. The list owns copies
 * of everything added to it. Units are PDF points, origin bottom left. */
#ifndef CB_DLIST_H
#define CB_DLIST_H

#include <stddef.h>

#include "cb_image.h"
#include "cb_util.h"

/* One drawn glyph: cid is the code the font service assigned (it maps to a
 * glyph and to the text it stands for); advance moves the pen after it;
 * dx, dy offset the glyph itself (mark positioning). All in points. */
/* A colour is 0xRRGGBB (device RGB), or with CB_CMYK set device CMYK,
 * each ink a percentage (0-100) in 7 bits: cyan << 21 | magenta << 14 |
 * yellow << 7 | black. Black, 0, is drawn in the text colour of the
 * display list (cb_dlist_set_text_color). */
#define CB_CMYK 0x80000000u
#define CB_CMYK_OF(c, m, y, k)                                                \
    (CB_CMYK | (unsigned)(c) << 21 | (unsigned)(m) << 14 |                   \
     (unsigned)(y) << 7 | (unsigned)(k))
/* Registration: every ink, for print marks. */
#define CB_REGISTRATION CB_CMYK_OF(100, 100, 100, 100)

typedef struct {
    unsigned cid;
    float advance;
    float dx, dy;
} cb_glyph;

typedef enum {
    CB_ITEM_TEXT,
    CB_ITEM_LINE,
    CB_ITEM_RECT,
    CB_ITEM_LINK_URI,
    CB_ITEM_LINK_PAGE,
    CB_ITEM_BLOCK,       /* the text items after it, up to the next block,
                            belong to block `block` of role `text` ("P",
                            "H", "Code"...): the structure a tagged PDF
                            will carry, and what layout tests read */
    CB_ITEM_SPAN,        /* with `text` (a role: "Formula"), the items
                            after it up to the span without `text` are an
                            element inside their block (a formula in a
                            line of text) */
    CB_ITEM_IMAGE        /* image `block` of the list (cb_dlist_image)
                            filling the box; `actual` its alt text, or
                            NULL for decoration (an artifact) */
} cb_item_kind;

typedef struct {
    cb_item_kind kind;
    float x, y;          /* text: baseline start; line: start; rect/link: corner */
    float x2, y2;        /* line: end; rect/link: opposite corner */
    float width;         /* line width */
    unsigned color;      /* a colour: see CB_CMYK */
    int face;            /* text: font service face */
    float size;          /* text: font size */
    const cb_glyph *glyphs;
    size_t n_glyphs;
    const char *text;    /* text: UTF-8 it shows; link: URI */
    const char *actual;  /* text: what extraction must give instead of the
                            glyphs' own Unicode (PDF /ActualText), or NULL */
    int rtl;             /* text: right to left (glyphs are in visual order,
                            as for any run; poppler reads such runs back
                            in logical order from their ToUnicode maps) */
    int artifact;        /* text: decoration, not content (a leader's
                            dots): outside the structure of a tagged PDF */
    int block;           /* block: its number in the document; image:
                            its index in the list */
    int orientation;     /* image: its EXIF orientation, 1 to 8 (kept with
                            the item: a sink on its own thread reads no
                            list the composer still grows) */
    int target_page;     /* page link: the page's number (cb_page_number) */
    float target_y;      /* page link: top of the target on that page */
} cb_item;

typedef struct {
    int level;           /* 0 = top */
    const char *title;
    int page;            /* the page's number (cb_page_number) */
    float y;
} cb_outline;

typedef struct cb_dlist cb_dlist;
typedef struct cb_page cb_page;

cb_dlist *cb_dlist_new(void);
void cb_dlist_free(cb_dlist *dl);

/* Pages have a number, 0-based, in the order they were added, which
 * links and bookmarks use, and a place in the document (the same until
 * cb_dlist_move_pages). */
cb_page *cb_dlist_add_page(cb_dlist *dl, float width, float height);
size_t cb_dlist_page_count(const cb_dlist *dl);
/* The page at place `index` of the document. */
cb_page *cb_dlist_page(const cb_dlist *dl, size_t index);
/* Page number `number`, or NULL. */
cb_page *cb_dlist_page_added(const cb_dlist *dl, size_t number);
int cb_page_number(const cb_page *page);
/* The place in the document of page number `number`. */
int cb_dlist_position(const cb_dlist *dl, int number);

/* Streaming: with a sink, each page is handed to it once it is done and
 * every page added before it has been, then emptied (its items and what
 * they held freed; its number and size stay): a book of any length
 * holds only the pages still being set. A sink returns 0, or -1 when it
 * failed (it reports why), after which pages are only emptied. Set the
 * sink before the first page. */
void cb_dlist_set_sink(cb_dlist *dl, int (*sink)(void *ctx,
                                                 const cb_page *page),
                       void *ctx);
/* jobs > 1: the sink runs on a thread of its own, started with the first
 * page handed over, while the pages after it are set; pages reach it in
 * the same order, so what it writes is the same. The sink then shares
 * nothing with the composer but what it is handed and what is fixed
 * before the first page (the list's info, trim, colour); the fonts it
 * reads are locked (cb_fonts_read_lock). Set before the first page. */
void cb_dlist_set_jobs(cb_dlist *dl, int jobs);
/* The threads asked for (1 when the sink's could not start). */
int cb_dlist_jobs(const cb_dlist *dl);
/* Work the sink's thread does for the composer while no page waits for
 * it: idle(ctx) is called there again and again while it returns 1 (it
 * did some), until it returns 0 (none left: the thread sleeps until pages
 * come). NULL: none. A new hook (or NULL) is in place only once the last
 * call has returned. -1 without a sink on a thread of its own. A page
 * moved from a list kept apart (cb_page_move_items) is freed on that
 * thread, where the hook made it; the others' items go back to the
 * composer's thread to be freed there (glibc locks the heap a block is
 * freed into, and each thread would wait for the other's). */
int cb_dlist_set_idle(cb_dlist *dl, int (*idle)(void *ctx), void *ctx);
/* The page is final: nothing more will be drawn on it. */
void cb_dlist_page_done(cb_dlist *dl, cb_page *page);
/* Waits until the sink's thread has taken every page handed over, and
 * ends it (nothing without one). */
void cb_dlist_wait(cb_dlist *dl);
/* Every page is done: hands over the rest and waits for them. Returns -1
 * when the sink has failed, else 0. */
int cb_dlist_finish(cb_dlist *dl);
void cb_page_size(const cb_page *page, float *width, float *height);
const cb_item *cb_page_items(const cb_page *page, size_t *count);

/* actual: see cb_item.actual; NULL for none. */
void cb_page_add_text(cb_page *page, float x, float y, int face, float size,
                      unsigned color, const cb_glyph *glyphs, size_t n,
                      const char *text, size_t text_len, const char *actual);
/* Moves the items added since the page had `count` items to the front of
 * the page, so that they are drawn (and read) first: running heads and
 * footers are set once the page is full, but belong at its start. */
void cb_page_items_to_front(cb_page *page, size_t count);
/* Pages of this list keep their items in arenas of their own, as pages
 * handed to a sink do, so that the items can move to another list's
 * page (cb_page_move_items): a second composer's pages, set apart and
 * placed by the first. Call before the first page. */
void cb_dlist_keep_apart(cb_dlist *dl);
/* Moves the items of `from` (a page of a list kept apart) onto `to`
 * (one of a list with a sink), which has none: their block numbers
 * offset by `blocks`, their images numbered by image_map (entry i: the
 * index in to's list of from's list's image i). `from` is left empty. */
void cb_page_move_items(cb_page *to, cb_page *from, int blocks,
                        const int *image_map);
/* Empties a page, and frees what its items held. */
void cb_page_clear(cb_page *page);

/* Marks the text item added last as right to left. */
void cb_page_mark_rtl(cb_page *page);
/* Marks the page's text items from index `from` on as artifacts (see
 * cb_item.artifact). */
void cb_page_mark_artifacts(cb_page *page, size_t from);
void cb_page_add_line(cb_page *page, float x1, float y1, float x2, float y2,
                      float width, unsigned color);
void cb_page_add_rect(cb_page *page, float x, float y, float w, float h,
                      unsigned color);
/* lang: the block's language when it is not the document's (a BCP 47
 * tag), else NULL; kept in the item's `actual`. */
void cb_page_add_block(cb_page *page, const char *role, int block,
                       const char *lang);
/* Begins (role "Formula", with its text for a screen reader, alt, kept
 * in the item's `actual`) or, with role NULL, ends a span: see
 * CB_ITEM_SPAN. */
void cb_page_add_span(cb_page *page, const char *role, const char *alt);
/* Image `image` (see cb_dlist_add_image) drawn into the box at x, y of
 * w by h; alt is what it shows, in words, or NULL for decoration. */
void cb_page_add_image(cb_page *page, float x, float y, float w, float h,
                       int image, const char *alt);
void cb_page_add_link_uri(cb_page *page, float x, float y, float w, float h,
                          const char *uri);
void cb_page_add_link_page(cb_page *page, float x, float y, float w, float h,
                           int target_page, float target_y);

/* Adds an image to the list, once: name says which file it is (a real
 * path); an image added again under the same name is the same one.
 * Returns its index. The list keeps a copy of the data. */
int cb_dlist_add_image(cb_dlist *dl, const char *name, const cb_image *im);
/* Image `index`, with its name in *name (may be NULL). */
const cb_image *cb_dlist_image(const cb_dlist *dl, int index,
                               const char **name);
size_t cb_dlist_image_count(const cb_dlist *dl);

/* A file the document carries (a PDF/A-3 file's source data): its name,
 * MIME type and bytes, which the list copies. */
typedef struct {
    const char *name, *mime;
    const unsigned char *data;
    size_t len;
} cb_attachment;

void cb_dlist_add_attachment(cb_dlist *dl, const char *name, const char *mime,
                             const unsigned char *data, size_t len);
const cb_attachment *cb_dlist_attachments(const cb_dlist *dl, size_t *count);

void cb_dlist_add_outline(cb_dlist *dl, int level, const char *title,
                          int page, float y);
const cb_outline *cb_dlist_outlines(const cb_dlist *dl, size_t *count);

/* Page labels: from page `page` (0-based) on, pages are numbered from
 * `first` in decimal or lower-case roman numerals (front matter). */
typedef struct {
    int page;
    int roman;
    int first;
} cb_page_label;

void cb_dlist_add_page_label(cb_dlist *dl, int page, int roman, int first);
const cb_page_label *cb_dlist_page_labels(const cb_dlist *dl, size_t *count);

/* Moves the `count` pages at places `from` on so they start at `to`
 * (before the page now there), and puts the outline back in reading
 * order; pages keep their numbers. Front matter is composed after the
 * body it lists, then moved. */
void cb_dlist_move_pages(cb_dlist *dl, size_t from, size_t count, size_t to);

/* Document information: keys "Title", "Author", "Subject", "Keywords",
 * "Creator", "Producer"; "Lang" (the document's language) and "Source"
 * (the event's web page, for the XMP metadata). */
void cb_dlist_set_info(cb_dlist *dl, const char *key, const char *value);
const char *cb_dlist_info(const cb_dlist *dl, const char *key);
void cb_dlist_set_date(cb_dlist *dl, long long epoch_seconds);
/* Print geometry: every page, its size the trimmed size, is set on a
 * sheet `margin` larger on each side (room for bleed and marks: items may
 * lie there), with a BleedBox `bleed` beyond the trim. 0, 0: none. */
void cb_dlist_set_trim(cb_dlist *dl, float margin, float bleed);
/* Crop marks begin CB_MARK_OFFSET_PT beyond the trim (or at the bleed,
 * when larger; 3 mm, the usual offset) and are CB_MARK_LENGTH_PT long
 * (5 mm); the slug line is set beyond them. */
#define CB_MARK_OFFSET_PT 8.5f
#define CB_MARK_LENGTH_PT 14.2f
/* What black (0) is drawn in: a layout's text colour (pure K for print). */
void cb_dlist_set_text_color(cb_dlist *dl, unsigned color);
unsigned cb_dlist_text_color(const cb_dlist *dl);
void cb_dlist_trim(const cb_dlist *dl, float *margin, float *bleed);
long long cb_dlist_date(const cb_dlist *dl);

/* Writes the list as text, one item per line; face_name maps a face to its
 * name (may be NULL). Numbers have two decimals. */
void cb_dlist_dump(const cb_dlist *dl, cb_buf *out,
                   const char *(*face_name)(void *ctx, int face), void *ctx);

#endif

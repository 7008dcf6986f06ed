/* cb_markup.h - a contribution description (Markdown, sometimes HTML) as a
 * tree of blocks holding flat runs of styled text. The only module that
 * includes cmark and libxml2. Everything returned lives in the given arena. */
#ifndef CB_MARKUP_H
#define CB_MARKUP_H

#include <stddef.h>

#include "cb_util.h"

enum {
    CB_SPAN_BOLD = 1 << 0,
    CB_SPAN_ITALIC = 1 << 1,
    CB_SPAN_CODE = 1 << 2,
    CB_SPAN_SUB = 1 << 3,
    CB_SPAN_SUP = 1 << 4
};

/* A run of text with one style; kind CB_SPAN_BREAK is a forced line break
 * (its text is NULL). link is the target URL when the run is a link. */
typedef enum { CB_SPAN_TEXT, CB_SPAN_BREAK } cb_span_kind;

typedef struct cb_span {
    cb_span_kind kind;
    unsigned style;        /* CB_SPAN_* flags */
    const char *text;      /* UTF-8, NUL-terminated; never contains '\n' */
    const char *link;      /* URL or NULL */
    struct cb_span *next;
} cb_span;

typedef enum {
    CB_BLOCK_PARAGRAPH, /* spans */
    CB_BLOCK_HEADING,   /* spans, level 1..6 */
    CB_BLOCK_LIST,      /* children are CB_BLOCK_ITEM; ordered, start, tight */
    CB_BLOCK_ITEM,      /* children are blocks */
    CB_BLOCK_CODE,      /* code: verbatim text, lines separated by '\n' */
    CB_BLOCK_QUOTE,     /* children are blocks */
    CB_BLOCK_RULE,      /* a thematic break */
    CB_BLOCK_IMAGE      /* a Markdown image alone in its paragraph: code
                           is its source as written, spans its alt text
                           (NULL when it has none) */
} cb_block_kind;

typedef struct cb_block {
    cb_block_kind kind;
    int level;             /* heading level */
    int ordered;           /* list: numbered? */
    int start;             /* list: first number */
    int tight;             /* list: no space between items */
    cb_span *spans;        /* paragraph and heading text */
    const char *code;      /* code block text; an image's source */
    int line;              /* an image: its line in the text, from 1 */
    struct cb_block *children;
    struct cb_block *next;
} cb_block;

/* Links of a description that are not live (see cb_link.h): how many, and
 * the first one with the reason. */
typedef struct {
    int count;
    const char *first;     /* the target as written, in the arena */
    int status;            /* its cb_link_status */
    int images;            /* images inside a line of text (Markdown or an
                              HTML <img>), which stand for their alt text */
    const char *first_image; /* the first one's source, or NULL */
} cb_markup_refused;

/* Parses a description. Markdown goes through cmark (no smart punctuation:
 * text is kept exactly); single line breaks are kept as line breaks, as
 * Indico shows them; bare URLs become links. HTML (whole documents or inline
 * tags) is reduced to the same blocks and styles: <sub>/<sup> become
 * CB_SPAN_SUB/SUP, scripts and styles are dropped, other tags keep their
 * text. Never fails: invalid UTF-8 must have been rejected before.
 * Returns the first block, or NULL for an empty description.
 *
 * What the tree guarantees (the composer may rely on it): lists and quotes
 * nest at most 16 deep (deeper levels are flattened into the deepest, text
 * kept); a list's children are items; an item may be empty; paragraphs and
 * headings have at least one visible character and never start or end with
 * a break; span text is never empty; links are live links by cb_link_target
 * (http, https, mailto, doi), the others counted in *refused (may be NULL)
 * and kept as text. A list's start is 0 unless it is ordered; HTML lists are tight.
 * An image alone in a Markdown paragraph is a CB_BLOCK_IMAGE (alt text may
 * be empty); any other image is its alt text, counted in *refused.
 * Whole-HTML descriptions (starting with a block-level tag and ending with
 * a tag) are read by libxml2 at once; otherwise Markdown with HTML blocks. */
cb_block *cb_markup_parse(cb_arena *arena, const char *text, size_t len,
                          cb_markup_refused *refused);

/* Writes the tree as indented text, one block or span per line: the format
 * the unit tests compare against (see tests/markup.test). Caller frees. */
char *cb_markup_dump(const cb_block *blocks);

#endif

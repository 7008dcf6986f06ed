/* cb_markup_builder.h - the description reader's builder, shared by its
 * three readers: markup.c (the builder, bare URLs, the whole description,
 * the dump), markup_md.c (Markdown through cmark) and markup_html.c (HTML
 * through libxml2, and inline tags in Markdown). Private to the markup
 * module. */
#ifndef CB_MARKUP_BUILDER_H
#define CB_MARKUP_BUILDER_H

#include <string.h>

#include "cb_markup.h"

/* Internal limits. */

/* Lists and block quotes nest at most this deep; deeper levels are flattened
 * into the deepest one, their text kept. Sixteen indents already leave a
 * narrow column on an A4 page, and the bound keeps the composer's recursion
 * small whatever the input. */
#define CB_MARKUP_MAX_DEPTH 16

/* Inline HTML tags open at once in one Markdown paragraph; further ones are
 * ignored, their text kept. Real descriptions nest a handful; the bound keeps
 * each closing tag's lookup short on hostile input. */
#define CB_MARKUP_MAX_TAGS 64

/* Longest tag name we recognize is "figcaption"; longer names are unknown. */
#define TAG_NAME_MAX 16

/* ---- HTML tag table ---- */

/* What a tag does; the kinds from TAG_DROP on are block-level (the order
 * matters: enter_element and document_tag compare against it). */
typedef enum {
    TAG_INLINE, /* unknown or presentational (span, font, u): text kept */
    TAG_STYLE,  /* arg: CB_SPAN_* flags */
    TAG_LINK,
    TAG_BREAK,
    TAG_IMAGE,  /* its alt text */
    TAG_DROP,   /* dropped with its content */
    TAG_PARA,   /* block-level: its text is a paragraph */
    TAG_HEADING, /* arg: level */
    TAG_LIST,   /* arg: ordered */
    TAG_ITEM,
    TAG_PRE,
    TAG_QUOTE,
    TAG_RULE,
    TAG_TABLE,
    TAG_ROW,
    TAG_CELL    /* arg: style of the cell's text */
} tag_kind;

typedef struct {
    const char *name;
    tag_kind kind;
    unsigned arg;
} tag_info;

/* Every tag we know, in markup.c; index 0 stands for any unknown tag. */
extern const tag_info cb_markup_tags[];

/* Index of the tag named by the n bytes at name (any case); 0 if unknown. */
int cb_markup_lookup_tag(const char *name, size_t n);

/* ASCII character classes and case, as HTML and URLs use them. */
static inline int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Case-insensitive: does s (n bytes) start with the lowercase word? */
static inline int starts_with(const char *s, size_t n, const char *word)
{
    size_t k = strlen(word);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (lower((unsigned char)s[i]) != word[i])
            return 0;
    return 1;
}

static inline int is_alnum(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static inline int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static inline int html_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* ---- the builder's state ---- */

/* A span of the open paragraph; its text is a slice of the text buffer. */
typedef struct {
    cb_span_kind kind;
    unsigned style;
    const char *link;
    size_t start, len;
} pending;

/* An inline HTML tag open in the current Markdown paragraph. */
typedef struct {
    int tag;              /* index into tag_table */
    const char *own_link; /* an <a>'s href */
    unsigned style;       /* the styles of all open tags, this one included */
    const char *link;     /* the innermost open link */
} open_tag;

/* What entering a node changed, undone when it is left. */
enum { EXIT_NONE, EXIT_FLUSH, EXIT_SPACE };

typedef struct {
    unsigned style;
    const char *link;
    unsigned char pushed;   /* a container was opened */
    unsigned char on_exit;  /* EXIT_* */
    unsigned char ends_row; /* the table row mode ends */
} frame;

/* An open block whose children are still growing. */
typedef struct {
    cb_block *block;
    cb_block **tail; /* where the next child goes */
    cb_block **slot; /* the pointer to block, to unlink it if left empty */
} container;

typedef struct {
    cb_arena *arena;
    cb_block root;
    container *conts;
    size_t nconts, cap_conts;
    int depth; /* open lists and quotes */
    /* the open paragraph or heading */
    int open;
    cb_block_kind open_kind;
    int level;
    cb_buf text;
    pending *spans;
    size_t nspans, cap_spans;
    int space; /* a run of HTML whitespace waits for the next word */
    unsigned space_style;
    const char *space_link;
    int cell_sep; /* a table cell separator waits for the cell's text */
    /* the inline style */
    unsigned style;
    const char *link;
    open_tag tags[CB_MARKUP_MAX_TAGS];
    size_t ntags;
    int drop; /* inside an inline <script> or <style> */
    frame *frames;
    size_t nframes, cap_frames;
    int in_row; /* inside a table row: block tags only separate words */
    int html_read; /* html_block nodes already read with an earlier one */
    cb_markup_refused *refused; /* links not made live, or NULL */
    const char *image_src; /* of the open CB_BLOCK_IMAGE */
    int image_line;
} builder;

/* ---- the builder (markup.c) ---- */

/* Ends the open paragraph or heading, keeping it if it has text. */
void cb_markup_flush(builder *b);
/* Opens a paragraph or heading (of level) for the text that follows. */
void cb_markup_open_inline(builder *b, cb_block_kind kind, int level);
/* Opens a list, item or quote; NULL past CB_MARKUP_MAX_DEPTH (its content
 * then goes into the deepest open one). */
cb_block *cb_markup_open_container(builder *b, cb_block_kind kind);
void cb_markup_add_rule(builder *b);
void cb_markup_add_code(builder *b, const char *s, size_t n);
/* Whether the open paragraph ends in text (not a break). */
int cb_markup_has_text(const builder *b);
/* A run of HTML whitespace: one space, if a word follows on this line. */
void cb_markup_note_space(builder *b);
/* HTML text: whitespace runs collapse to one space, as in a browser. */
void cb_markup_add_html_text(builder *b, const char *s, size_t n);
/* Markdown text, kept exactly (but for namespaced tags outside code); extra
 * adds CB_SPAN_* styles. */
void cb_markup_add_md_text(builder *b, const char *s, size_t n,
                           unsigned extra);
void cb_markup_add_break(builder *b);
/* A Markdown line end: a break, unless an HTML <br> just made one. */
void cb_markup_add_soft_break(builder *b);
/* Saves the inline style and link, to be restored by pop_frame; pushed:
 * a container was opened; on_exit: EXIT_*. */
void cb_markup_push_frame(builder *b, int pushed, int on_exit);
void cb_markup_pop_frame(builder *b);
/* A link target as the renderer may use it (see cb_link_target); NULL when
 * it is not live, counted in b->refused. Lives in the builder's arena. */
const char *cb_markup_safe_link(builder *b, const char *s, size_t n);
/* Counts an image that stands for its alt text (source s, n bytes, as
 * written) in b->refused. */
void cb_markup_inline_image(builder *b, const char *s, size_t n);

/* ---- the readers ---- */

/* markup_md.c: a Markdown description. */
void cb_markup_add_markdown(builder *b, const char *text, size_t len);
/* markup_html.c: HTML (a whole document, or html_block nodes) through
 * libxml2; an html_inline node of Markdown. */
void cb_markup_add_html(builder *b, const char *html, size_t len);
void cb_markup_inline_html(builder *b, const char *s, size_t n);

#endif

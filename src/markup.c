/* markup.c - a contribution description as a cb_block/cb_span tree.
 *
 * Markdown goes through cmark; raw HTML (whole documents and html_block
 * nodes) through libxml2's HTML parser; inline HTML tags inside Markdown
 * through a small tag reader. All three feed one builder, which collects the
 * styled text of the open paragraph and appends finished blocks to a stack
 * of open containers (lists, items, quotes). */
#include "cb_markup.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

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

/* An <ol start="..."> past nine digits is noise (CommonMark's own limit). */
#define MAX_LIST_START 999999999

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

static const tag_info tag_table[] = {
    {"", TAG_INLINE, 0}, /* index 0: every unknown tag */
    {"a", TAG_LINK, 0},
    {"b", TAG_STYLE, CB_SPAN_BOLD},
    {"strong", TAG_STYLE, CB_SPAN_BOLD},
    {"i", TAG_STYLE, CB_SPAN_ITALIC},
    {"em", TAG_STYLE, CB_SPAN_ITALIC},
    {"code", TAG_STYLE, CB_SPAN_CODE},
    {"tt", TAG_STYLE, CB_SPAN_CODE},
    {"kbd", TAG_STYLE, CB_SPAN_CODE},
    {"samp", TAG_STYLE, CB_SPAN_CODE},
    {"sub", TAG_STYLE, CB_SPAN_SUB},
    {"sup", TAG_STYLE, CB_SPAN_SUP},
    {"br", TAG_BREAK, 0},
    {"img", TAG_IMAGE, 0},
    {"script", TAG_DROP, 0},
    {"style", TAG_DROP, 0},
    {"head", TAG_DROP, 0},
    {"title", TAG_DROP, 0},
    {"template", TAG_DROP, 0},
    {"p", TAG_PARA, 0},
    {"div", TAG_PARA, 0},
    {"section", TAG_PARA, 0},
    {"article", TAG_PARA, 0},
    {"header", TAG_PARA, 0},
    {"footer", TAG_PARA, 0},
    {"main", TAG_PARA, 0},
    {"nav", TAG_PARA, 0},
    {"aside", TAG_PARA, 0},
    {"address", TAG_PARA, 0},
    {"center", TAG_PARA, 0},
    {"figure", TAG_PARA, 0},
    {"figcaption", TAG_PARA, 0},
    {"caption", TAG_PARA, 0},
    {"dl", TAG_PARA, 0},
    {"dt", TAG_PARA, 0},
    {"dd", TAG_PARA, 0},
    {"details", TAG_PARA, 0},
    {"summary", TAG_PARA, 0},
    {"form", TAG_PARA, 0},
    {"fieldset", TAG_PARA, 0},
    {"legend", TAG_PARA, 0},
    {"h1", TAG_HEADING, 1},
    {"h2", TAG_HEADING, 2},
    {"h3", TAG_HEADING, 3},
    {"h4", TAG_HEADING, 4},
    {"h5", TAG_HEADING, 5},
    {"h6", TAG_HEADING, 6},
    {"ul", TAG_LIST, 0},
    {"menu", TAG_LIST, 0},
    {"ol", TAG_LIST, 1},
    {"li", TAG_ITEM, 0},
    {"pre", TAG_PRE, 0},
    {"blockquote", TAG_QUOTE, 0},
    {"hr", TAG_RULE, 0},
    {"table", TAG_TABLE, 0},
    {"tr", TAG_ROW, 0},
    {"td", TAG_CELL, 0},
    {"th", TAG_CELL, CB_SPAN_BOLD},
};

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Case-insensitive: does s (n bytes) start with the lowercase word? */
static int starts_with(const char *s, size_t n, const char *word)
{
    size_t k = strlen(word);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (lower((unsigned char)s[i]) != word[i])
            return 0;
    return 1;
}

/* Index of the tag named by the n bytes at name (any case); 0 if unknown. */
static int lookup_tag(const char *name, size_t n)
{
    for (size_t i = 1; i < sizeof tag_table / sizeof tag_table[0]; i++)
        if (strlen(tag_table[i].name) == n && starts_with(name, n, tag_table[i].name))
            return (int)i;
    return 0;
}

/* ---- the builder ---- */

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
} builder;

static void builder_init(builder *b, cb_arena *arena)
{
    memset(b, 0, sizeof *b);
    b->arena = arena;
    cb_grow(&b->conts, &b->cap_conts, 0, sizeof *b->conts);
    b->conts[0] = (container){&b->root, &b->root.children, NULL};
    b->nconts = 1;
}

static void builder_free(builder *b)
{
    free(b->conts);
    free(b->spans);
    free(b->frames);
    cb_buf_free(&b->text);
}

static cb_block *new_block(builder *b, cb_block_kind kind)
{
    cb_block *blk = cb_arena_alloc(b->arena, sizeof *blk);
    blk->kind = kind;
    return blk;
}

/* Appends to the innermost container; a list takes only items, so anything
 * else is wrapped in one. Returns the pointer that now holds the child. */
static cb_block **append_block(builder *b, cb_block *blk)
{
    container *c = &b->conts[b->nconts - 1];
    if (c->block->kind == CB_BLOCK_LIST && blk->kind != CB_BLOCK_ITEM) {
        cb_block *item = new_block(b, CB_BLOCK_ITEM);
        item->children = blk;
        blk = item;
    }
    cb_block **slot = c->tail;
    *slot = blk;
    c->tail = &blk->next;
    return slot;
}

/* Opens a list, item or quote; returns NULL when it is flattened instead
 * (past CB_MARKUP_MAX_DEPTH, or an item outside a list). */
static cb_block *open_container(builder *b, cb_block_kind kind)
{
    int counts = kind == CB_BLOCK_LIST || kind == CB_BLOCK_QUOTE;
    cb_block_kind top = b->conts[b->nconts - 1].block->kind;
    if (counts ? b->depth >= CB_MARKUP_MAX_DEPTH : top != CB_BLOCK_LIST)
        return NULL;
    cb_block *blk = new_block(b, kind);
    cb_block **slot = append_block(b, blk);
    cb_grow(&b->conts, &b->cap_conts, b->nconts, sizeof *b->conts);
    b->conts[b->nconts++] = (container){blk, &blk->children, slot};
    b->depth += counts;
    return blk;
}

/* Closes the innermost container; an empty list or quote is unlinked. */
static void close_container(builder *b)
{
    container c = b->conts[--b->nconts];
    cb_block_kind kind = c.block->kind;
    b->depth -= kind == CB_BLOCK_LIST || kind == CB_BLOCK_QUOTE;
    if ((kind == CB_BLOCK_LIST || kind == CB_BLOCK_QUOTE) && !c.block->children) {
        *c.slot = NULL;
        b->conts[b->nconts - 1].tail = c.slot;
    }
}

static void add_rule(builder *b)
{
    append_block(b, new_block(b, CB_BLOCK_RULE));
}

/* A code block without its trailing newlines; empty ones are dropped. */
static void add_code(builder *b, const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == '\n')
        n--;
    if (n == 0)
        return;
    cb_block *blk = new_block(b, CB_BLOCK_CODE);
    blk->code = cb_arena_strndup(b->arena, s, n);
    append_block(b, blk);
}

/* ---- bare URLs ---- */

enum { URL_PLAIN, URL_WWW, URL_DOI };

static int is_alnum(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* ASCII whitespace, '<' and U+00A0 end a bare URL. */
static int url_stop(const char *s, size_t i, size_t n)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '<')
        return 1;
    return c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0;
}

/* The length of a URL prefix at s, with its kind; 0 if none. */
static size_t url_prefix(const char *s, size_t n, int *kind)
{
    *kind = URL_PLAIN;
    if (starts_with(s, n, "https://"))
        return 8;
    if (starts_with(s, n, "http://"))
        return 7;
    *kind = URL_WWW;
    if (starts_with(s, n, "www."))
        return 4;
    *kind = URL_DOI;
    if (starts_with(s, n, "doi:10."))
        return 7;
    return 0;
}

/* Drops trailing punctuation, and a ')' that closes nothing in the URL. */
static size_t trim_url(const char *s, size_t start, size_t end)
{
    long parens = 0;
    for (size_t i = start; i < end; i++)
        parens += (s[i] == '(') - (s[i] == ')');
    while (end > start) {
        char c = s[end - 1];
        if (c && strchr(".,;:!?'\"", c)) {
            end--;
        } else if (c == ')' && parens < 0) {
            end--;
            parens++;
        } else {
            break;
        }
    }
    return end;
}

/* A DOI after "doi:": 10.<digits>/<something>. */
static int valid_doi(const char *s, size_t n)
{
    size_t i = 3;
    while (i < n && is_digit((unsigned char)s[i]))
        i++;
    return i > 3 && i + 1 < n && s[i] == '/';
}

/* The length of a bare URL starting at s[i], or 0. */
static size_t match_url(const char *s, size_t n, size_t i, int *kind)
{
    unsigned char before = i > 0 ? (unsigned char)s[i - 1] : ' ';
    if (is_alnum(before) || (before && strchr("@./-_", before)))
        return 0;
    size_t pre = url_prefix(s + i, n - i, kind);
    if (pre == 0)
        return 0;
    size_t end = i + pre;
    while (end < n && !url_stop(s, end, n))
        end++;
    end = trim_url(s, i, end);
    if (end <= i + pre)
        return 0;
    if (*kind == URL_WWW && !is_alnum((unsigned char)s[i + pre]))
        return 0;
    if (*kind == URL_DOI && !valid_doi(s + i + 4, end - i - 4))
        return 0;
    return end - i;
}

static const char *url_target(builder *b, const char *s, size_t n, int kind)
{
    if (kind == URL_WWW)
        return cb_arena_printf(b->arena, "https://%.*s", (int)n, s);
    if (kind == URL_DOI)
        return cb_arena_printf(b->arena, "https://doi.org/%.*s", (int)(n - 4), s + 4);
    return cb_arena_strndup(b->arena, s, n);
}

/* ---- finishing a paragraph ---- */

static cb_span **add_span(builder *b, cb_span **tail, cb_span_kind kind, unsigned style,
                          const char *s, size_t n, const char *link)
{
    cb_span *sp = cb_arena_alloc(b->arena, sizeof *sp);
    sp->kind = kind;
    sp->style = style;
    sp->text = kind == CB_SPAN_TEXT ? cb_arena_strndup(b->arena, s, n) : NULL;
    sp->link = link;
    *tail = sp;
    return &sp->next;
}

/* Splits a plain run of text around the bare URLs it holds. */
static cb_span **link_urls(builder *b, cb_span **tail, const char *s, size_t n, unsigned style)
{
    size_t from = 0;
    for (size_t i = 0; i < n;) {
        int kind;
        size_t len = match_url(s, n, i, &kind);
        if (len == 0) {
            i++;
            continue;
        }
        if (i > from)
            tail = add_span(b, tail, CB_SPAN_TEXT, style, s + from, i - from, NULL);
        tail = add_span(b, tail, CB_SPAN_TEXT, style, s + i, len,
                        url_target(b, s + i, len, kind));
        i += len;
        from = i;
    }
    if (from < n)
        tail = add_span(b, tail, CB_SPAN_TEXT, style, s + from, n - from, NULL);
    return tail;
}

/* Is there anything but spaces, tabs and no-break spaces? */
static int visible(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == '\t')
            continue;
        if ((unsigned char)s[i] == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            i++;
            continue;
        }
        return 1;
    }
    return 0;
}

/* The open paragraph's spans in the arena, without leading and trailing
 * breaks; NULL when it has no visible text. */
static cb_span *finish_spans(builder *b)
{
    size_t lo = 0, hi = b->nspans;
    while (lo < hi && b->spans[lo].kind == CB_SPAN_BREAK)
        lo++;
    while (hi > lo && b->spans[hi - 1].kind == CB_SPAN_BREAK)
        hi--;
    int any = 0;
    for (size_t i = lo; i < hi && !any; i++)
        any = b->spans[i].kind == CB_SPAN_TEXT &&
              visible(b->text.data + b->spans[i].start, b->spans[i].len);
    if (!any)
        return NULL;
    cb_span *head = NULL, **tail = &head;
    for (size_t i = lo; i < hi; i++) {
        const pending *p = &b->spans[i];
        const char *s = p->kind == CB_SPAN_TEXT ? b->text.data + p->start : NULL;
        if (!s)
            tail = add_span(b, tail, CB_SPAN_BREAK, 0, NULL, 0, NULL);
        else if (!p->link && !(p->style & CB_SPAN_CODE))
            tail = link_urls(b, tail, s, p->len, p->style);
        else
            tail = add_span(b, tail, CB_SPAN_TEXT, p->style, s, p->len, p->link);
    }
    return head;
}

/* Ends the open paragraph or heading, keeping it if it has text. */
static void flush(builder *b)
{
    if (b->open) {
        cb_span *spans = finish_spans(b);
        if (spans) {
            cb_block *blk = new_block(b, b->open_kind);
            blk->level = b->level;
            blk->spans = spans;
            append_block(b, blk);
        }
    }
    b->open = 0;
    b->text.len = 0;
    b->nspans = 0;
    b->space = 0;
    b->cell_sep = 0;
    b->ntags = 0;
    b->drop = 0;
}

static void open_inline(builder *b, cb_block_kind kind, int level)
{
    flush(b);
    b->open = 1;
    b->open_kind = kind;
    b->level = level;
}

/* ---- adding text ---- */

static unsigned cur_style(const builder *b)
{
    return b->style | (b->ntags ? b->tags[b->ntags - 1].style : 0);
}

static const char *cur_link(const builder *b)
{
    if (b->link)
        return b->link;
    return b->ntags ? b->tags[b->ntags - 1].link : NULL;
}

static int same_link(const char *a, const char *c)
{
    return a == c || (a && c && strcmp(a, c) == 0);
}

/* Appends text to the open paragraph, merging it into an equal last span. */
static void emit(builder *b, const char *s, size_t n, unsigned style, const char *link)
{
    pending *last = b->nspans ? &b->spans[b->nspans - 1] : NULL;
    if (last && last->kind == CB_SPAN_TEXT && last->style == style &&
        same_link(last->link, link)) {
        cb_buf_add(&b->text, s, n);
        last->len += n;
        return;
    }
    cb_grow(&b->spans, &b->cap_spans, b->nspans, sizeof *b->spans);
    b->spans[b->nspans++] = (pending){CB_SPAN_TEXT, style, link, b->text.len, n};
    cb_buf_add(&b->text, s, n);
}

static int has_text(const builder *b)
{
    return b->nspans && b->spans[b->nspans - 1].kind == CB_SPAN_TEXT;
}

/* Text outside any block (HTML, or a stray Markdown node) opens a paragraph;
 * a waiting cell separator or space goes first. */
static void put_text(builder *b, const char *s, size_t n)
{
    if (b->drop || n == 0)
        return;
    if (!b->open)
        open_inline(b, CB_BLOCK_PARAGRAPH, 0);
    if (b->cell_sep && has_text(b))
        emit(b, " | ", 3, 0, NULL);
    else if (b->space && has_text(b))
        emit(b, " ", 1, b->space_style, b->space_link);
    b->cell_sep = 0;
    b->space = 0;
    emit(b, s, n, cur_style(b), cur_link(b));
}

/* A run of HTML whitespace: one space, if a word follows on this line. */
static void note_space(builder *b)
{
    if (b->space || !has_text(b))
        return;
    b->space = 1;
    b->space_style = cur_style(b);
    b->space_link = cur_link(b);
}

static int html_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* HTML text: whitespace runs collapse to one space, as in a browser. */
static void add_html_text(builder *b, const char *s, size_t n)
{
    for (size_t i = 0, j; i < n; i = j) {
        j = i;
        if (html_space(s[i])) {
            while (j < n && html_space(s[j]))
                j++;
            note_space(b);
        } else {
            while (j < n && !html_space(s[j]))
                j++;
            put_text(b, s + i, j - i);
        }
    }
}

/* The length of a namespaced tag at s, such as Word's <o:p> or
 * </st1:place>: CommonMark does not take them for HTML, but they are
 * markup all the same. 0 if s holds none. */
static size_t prefixed_tag(const char *s, size_t n)
{
    size_t i = 1 + (n > 1 && s[1] == '/');
    size_t name = i;
    while (i < n && (is_alnum((unsigned char)s[i]) || s[i] == '-'))
        i++;
    if (i == name || is_digit((unsigned char)s[name]) || i >= n || s[i] != ':')
        return 0;
    size_t local = ++i;
    while (i < n && (is_alnum((unsigned char)s[i]) || s[i] == '-'))
        i++;
    if (i == local)
        return 0;
    while (i < n && s[i] != '>' && s[i] != '<')
        i++;
    return i < n && s[i] == '>' ? i + 1 : 0;
}

/* Markdown text is kept exactly, but for namespaced tags outside code; a
 * stray line end becomes a space. */
static void add_md_text(builder *b, const char *s, size_t n, unsigned extra)
{
    unsigned saved = b->style;
    b->style |= extra;
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        size_t skip = s[i] == '\n' || s[i] == '\r' ? 1
                      : s[i] == '<' && !extra ? prefixed_tag(s + i, n - i) : 0;
        if (skip == 0)
            continue;
        put_text(b, s + from, i - from);
        if (s[i] != '<')
            put_text(b, " ", 1);
        i += skip - 1;
        from = i + 1;
    }
    put_text(b, s + from, n - from);
    b->style = saved;
}

static void add_break(builder *b)
{
    if (b->drop || !b->open)
        return;
    b->space = 0;
    b->cell_sep = 0;
    cb_grow(&b->spans, &b->cap_spans, b->nspans, sizeof *b->spans);
    b->spans[b->nspans++] = (pending){CB_SPAN_BREAK, 0, NULL, b->text.len, 0};
}

/* A Markdown line end: a break, unless an HTML <br> just made one. */
static void add_soft_break(builder *b)
{
    if (b->nspans && b->spans[b->nspans - 1].kind == CB_SPAN_BREAK)
        return;
    add_break(b);
}

/* ---- frames ---- */

static void push_frame(builder *b, int pushed, int on_exit)
{
    cb_grow(&b->frames, &b->cap_frames, b->nframes, sizeof *b->frames);
    b->frames[b->nframes++] =
        (frame){b->style, b->link, (unsigned char)pushed, (unsigned char)on_exit, 0};
}

static void pop_frame(builder *b)
{
    frame f = b->frames[--b->nframes];
    if (f.on_exit == EXIT_FLUSH)
        flush(b);
    else if (f.on_exit == EXIT_SPACE)
        note_space(b);
    if (f.pushed)
        close_container(b);
    if (f.ends_row)
        b->in_row = 0;
    b->style = f.style;
    b->link = f.link;
}

/* ---- links and attributes ---- */

/* A link target as the renderer may use it: trimmed, without line ends or
 * tabs; NULL when empty or a script URL. */
static const char *safe_link(builder *b, const char *s, size_t n)
{
    while (n > 0 && html_space(*s))
        s++, n--;
    while (n > 0 && html_space(s[n - 1]))
        n--;
    if (n == 0 || starts_with(s, n, "javascript:") || starts_with(s, n, "vbscript:") ||
        starts_with(s, n, "data:"))
        return NULL;
    char *out = cb_arena_alloc(b->arena, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            out[k++] = s[i];
    return out;
}

/* Decodes one character reference at s ("&amp;", "&#8211;"); returns its
 * length, 0 if it is none we know. */
static size_t decode_entity(const char *s, size_t n, cb_buf *out)
{
    static const char *const names[][2] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"},
        {"&nbsp;", "\xC2\xA0"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (starts_with(s, n, names[i][0])) {
            cb_buf_puts(out, names[i][1]);
            return strlen(names[i][0]);
        }
    if (n < 4 || s[1] != '#')
        return 0;
    int hex = lower((unsigned char)s[2]) == 'x';
    if (!is_alnum((unsigned char)s[2 + hex])) /* strtoul would skip spaces, signs */
        return 0;
    char *end;
    unsigned long cp = strtoul(s + 2 + hex, &end, hex ? 16 : 10);
    size_t len = (size_t)(end - s);
    if (end == s + 2 + hex || len >= n || *end != ';' || cp == 0 || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    char tmp[4];
    cb_buf_add(out, tmp, (size_t)cb_utf8_encode(cp, tmp));
    return len + 1;
}

/* An attribute value from an inline tag, its references decoded. */
static const char *attr_value(builder *b, const char *s, size_t n, size_t *out_len)
{
    cb_buf out = {0};
    for (size_t i = 0; i < n;) {
        size_t k = s[i] == '&' ? decode_entity(s + i, n - i, &out) : 0;
        if (k == 0)
            cb_buf_putc(&out, s[i]), k = 1;
        i += k;
    }
    *out_len = out.len;
    const char *v = cb_arena_strndup(b->arena, out.data ? out.data : "", out.len);
    cb_buf_free(&out);
    return v;
}

/* ---- inline HTML tags in Markdown ---- */

/* One tag as cmark hands it over: "<sub>", "</a>", "<a href='x'>". */
typedef struct {
    int closing;
    int tag; /* index into tag_table */
    const char *href, *alt;
    size_t href_len, alt_len;
} inline_tag;

static int tag_name_char(char c)
{
    return is_alnum((unsigned char)c) || c == '-' || c == ':';
}

/* Reads one attribute at s[*i]; keeps href and alt values. */
static void read_attr(const char *s, size_t n, size_t *i, inline_tag *t)
{
    size_t name = *i;
    while (*i < n && !html_space(s[*i]) && !strchr("/>=", s[*i]))
        (*i)++;
    size_t name_len = *i - name;
    while (*i < n && html_space(s[*i]))
        (*i)++;
    if (*i >= n || s[*i] != '=') {
        *i += name_len == 0; /* a stray '/' or '=' */
        return;
    }
    for ((*i)++; *i < n && html_space(s[*i]); (*i)++)
        ;
    char quote = *i < n && (s[*i] == '"' || s[*i] == '\'') ? s[(*i)++] : 0;
    size_t v = *i;
    while (*i < n && (quote ? s[*i] != quote : !html_space(s[*i]) && s[*i] != '>'))
        (*i)++;
    if (name_len == 4 && starts_with(s + name, 4, "href"))
        t->href = s + v, t->href_len = *i - v;
    if (name_len == 3 && starts_with(s + name, 3, "alt"))
        t->alt = s + v, t->alt_len = *i - v;
    *i += quote && *i < n;
}

/* Parses an html_inline literal; returns 0 for comments, declarations and
 * processing instructions. */
static int parse_inline_tag(const char *s, size_t n, inline_tag *t)
{
    memset(t, 0, sizeof *t);
    size_t i = 1;
    if (n < 3 || s[0] != '<')
        return 0;
    t->closing = s[i] == '/';
    i += (size_t)t->closing;
    size_t name = i;
    while (i < n && tag_name_char(s[i]))
        i++;
    if (i == name || !is_alnum((unsigned char)s[name]))
        return 0;
    t->tag = i - name < TAG_NAME_MAX ? lookup_tag(s + name, i - name) : 0;
    while (i < n && s[i] != '>') {
        while (i < n && html_space(s[i]))
            i++;
        if (i < n && s[i] != '>')
            read_attr(s, n, &i, t);
    }
    return 1;
}

/* Recomputes the accumulated style and link of open tags from index i. */
static void restack(builder *b, size_t i)
{
    for (; i < b->ntags; i++) {
        open_tag *t = &b->tags[i];
        const open_tag *below = i ? &b->tags[i - 1] : NULL;
        unsigned own = tag_table[t->tag].kind == TAG_STYLE ? tag_table[t->tag].arg : 0;
        t->style = (below ? below->style : 0) | own;
        t->link = t->own_link ? t->own_link : below ? below->link : NULL;
    }
}

static void open_style_tag(builder *b, const inline_tag *t)
{
    if (b->ntags >= CB_MARKUP_MAX_TAGS)
        return;
    open_tag *o = &b->tags[b->ntags++];
    o->tag = t->tag;
    o->own_link = NULL;
    if (tag_table[t->tag].kind == TAG_LINK && t->href) {
        size_t len;
        const char *href = attr_value(b, t->href, t->href_len, &len);
        o->own_link = safe_link(b, href, len);
    }
    restack(b, b->ntags - 1);
}

/* Closes the innermost open tag of the same name; a stray close is ignored. */
static void close_style_tag(builder *b, const inline_tag *t)
{
    for (size_t i = b->ntags; i-- > 0;) {
        if (b->tags[i].tag != t->tag)
            continue;
        memmove(&b->tags[i], &b->tags[i + 1], (b->ntags - i - 1) * sizeof b->tags[0]);
        b->ntags--;
        restack(b, i);
        return;
    }
}

/* An html_inline node: styles, links and breaks; other tags are ignored,
 * the text around them stays. */
static void inline_html(builder *b, const char *s, size_t n)
{
    inline_tag t;
    if (!parse_inline_tag(s, n, &t))
        return;
    tag_kind kind = tag_table[t.tag].kind;
    int self_closing = n >= 2 && s[n - 2] == '/';
    if (kind == TAG_BREAK && !t.closing) {
        add_break(b);
    } else if (kind == TAG_IMAGE && !t.closing && t.alt) {
        size_t len;
        const char *alt = attr_value(b, t.alt, t.alt_len, &len);
        add_md_text(b, alt, len, 0);
    } else if (kind == TAG_DROP && !self_closing) {
        b->drop += t.closing ? (b->drop > 0 ? -1 : 0) : 1;
    } else if ((kind == TAG_STYLE || kind == TAG_LINK) && !self_closing) {
        if (t.closing)
            close_style_tag(b, &t);
        else
            open_style_tag(b, &t);
    }
}

/* ---- HTML documents through libxml2 ---- */

static const tag_info *element_tag(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    size_t len = strlen(name);
    return &tag_table[len < TAG_NAME_MAX ? lookup_tag(name, len) : 0];
}

/* The next node in document order below root; NULL at the end. */
static xmlNode *next_node(xmlNode *n, const xmlNode *root, int descend)
{
    if (descend && n->children)
        return n->children;
    while (n != root && !n->next)
        n = n->parent;
    return n == root ? NULL : n->next;
}

/* An <img> stands for its alt text. */
static void add_alt(builder *b, xmlNode *n)
{
    xmlChar *alt = xmlGetProp(n, (const xmlChar *)"alt");
    if (alt)
        add_html_text(b, (const char *)alt, strlen((const char *)alt));
    xmlFree(alt);
}

/* A <pre> as a code block: its text verbatim, <br> as a line end, minus
 * the newline that may follow the opening tag (browsers drop it). */
static void add_pre(builder *b, xmlNode *pre)
{
    cb_buf code = {0};
    for (xmlNode *n = pre->children; n;) {
        int descend = n->type == XML_ELEMENT_NODE;
        if (n->type == XML_TEXT_NODE && n->content)
            cb_buf_puts(&code, (const char *)n->content);
        if (descend && element_tag(n)->kind == TAG_BREAK)
            cb_buf_putc(&code, '\n');
        if (descend && element_tag(n)->kind == TAG_DROP)
            descend = 0;
        n = next_node(n, pre, descend);
    }
    const char *s = code.data ? code.data : "";
    size_t skip = s[0] == '\n';
    add_code(b, s + skip, code.len - skip);
    cb_buf_free(&code);
}

/* An <ol start="..."> number, or 1. */
static int list_start(xmlNode *n)
{
    xmlChar *attr = xmlGetProp(n, (const xmlChar *)"start");
    long v = attr ? strtol((const char *)attr, NULL, 10) : 1;
    xmlFree(attr);
    return v < 0 ? 0 : v > MAX_LIST_START ? MAX_LIST_START : (int)v;
}

static void enter_link(builder *b, xmlNode *n)
{
    push_frame(b, 0, EXIT_NONE);
    xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
    const char *link = href ? safe_link(b, (const char *)href, strlen((const char *)href)) : NULL;
    if (link)
        b->link = link;
    xmlFree(href);
}

/* Block-level elements and breaks inside a table row only separate words:
 * the row stays one paragraph. */
static int enter_in_row(builder *b, const tag_info *t)
{
    switch (t->kind) {
    case TAG_BREAK:
    case TAG_RULE:
        note_space(b);
        return 0;
    case TAG_CELL:
        b->cell_sep = has_text(b);
        push_frame(b, 0, EXIT_SPACE);
        b->style |= t->arg;
        return 1;
    default:
        note_space(b);
        push_frame(b, 0, EXIT_SPACE);
        return 1;
    }
}

/* Lists, items, quotes and table rows; returns 1 (their children follow). */
static int enter_container(builder *b, xmlNode *n, const tag_info *t)
{
    flush(b);
    if (t->kind == TAG_ROW) {
        push_frame(b, 0, EXIT_FLUSH);
        b->frames[b->nframes - 1].ends_row = 1;
        b->in_row = 1;
        return 1;
    }
    cb_block_kind kind = t->kind == TAG_LIST ? CB_BLOCK_LIST
                         : t->kind == TAG_ITEM ? CB_BLOCK_ITEM : CB_BLOCK_QUOTE;
    cb_block *blk = open_container(b, kind);
    if (blk && kind == CB_BLOCK_LIST) {
        blk->ordered = (int)t->arg;
        blk->start = t->arg ? list_start(n) : 0;
        blk->tight = 1;
    }
    push_frame(b, blk != NULL, EXIT_FLUSH);
    return 1;
}

/* An element's start; returns 1 when its children are to be walked (a frame
 * was pushed, popped when the element is left). */
static int enter_element(builder *b, xmlNode *n)
{
    const tag_info *t = element_tag(n);
    if (t->kind == TAG_DROP)
        return 0;
    if (t->kind == TAG_IMAGE) {
        add_alt(b, n);
        return 0;
    }
    if (b->in_row && (t->kind >= TAG_PARA || t->kind == TAG_BREAK))
        return enter_in_row(b, t);
    switch (t->kind) {
    case TAG_BREAK:
        add_break(b);
        return 0;
    case TAG_RULE:
        flush(b);
        add_rule(b);
        return 0;
    case TAG_PRE:
        flush(b);
        add_pre(b, n);
        return 0;
    case TAG_LINK:
        enter_link(b, n);
        return 1;
    case TAG_STYLE:
        push_frame(b, 0, EXIT_NONE);
        b->style |= t->arg;
        return 1;
    case TAG_HEADING:
        open_inline(b, CB_BLOCK_HEADING, (int)t->arg);
        push_frame(b, 0, EXIT_FLUSH);
        return 1;
    case TAG_LIST:
    case TAG_ITEM:
    case TAG_QUOTE:
    case TAG_ROW:
        return enter_container(b, n, t);
    case TAG_PARA:
    case TAG_TABLE:
    case TAG_CELL:
        flush(b);
        push_frame(b, 0, EXIT_FLUSH);
        return 1;
    default:
        push_frame(b, 0, EXIT_NONE);
        return 1;
    }
}

static int enter_dom(builder *b, xmlNode *n)
{
    if (n->type == XML_TEXT_NODE && n->content) {
        add_html_text(b, (const char *)n->content, strlen((const char *)n->content));
        return 0;
    }
    return n->type == XML_ELEMENT_NODE ? enter_element(b, n) : 0;
}

/* Walks the DOM without recursion (nesting depth is the input's choice). */
static void walk_dom(builder *b, xmlNode *first)
{
    const xmlNode *stop = first ? first->parent : NULL;
    xmlNode *n = first;
    while (n) {
        if (enter_dom(b, n)) {
            if (n->children) {
                n = n->children;
                continue;
            }
            pop_frame(b);
        }
        while (!n->next) {
            n = n->parent;
            if (!n || n == stop)
                return;
            pop_frame(b);
        }
        n = n->next;
    }
}

static void add_html(builder *b, const char *html, size_t len)
{
    if (len > INT_MAX) { /* libxml2 takes an int; 2 GB is no description */
        add_html_text(b, html, len);
        return;
    }
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt)
        return;
    /* NOERROR/NOWARNING keep libxml2 off stderr. HUGE lifts its nesting
     * limit of 256, past which it drops the rest of the text (our walk has
     * no recursion, so depth costs nothing). NOIMPLIED is left out on
     * purpose: with it, libxml2 2.9 nests <p>a</p><p>b</p> wrongly. */
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
               HTML_PARSE_NONET | HTML_PARSE_COMPACT | XML_PARSE_HUGE;
    htmlDocPtr doc = htmlCtxtReadMemory(ctxt, html, (int)len, NULL, "UTF-8", opts);
    if (doc) {
        walk_dom(b, doc->children);
        xmlFreeDoc(doc);
    }
    htmlFreeParserCtxt(ctxt);
    flush(b);
}

/* ---- Markdown through cmark ---- */

static void enter_md_container(builder *b, cmark_node *node, cb_block_kind kind)
{
    flush(b);
    cb_block *blk = open_container(b, kind);
    if (blk && kind == CB_BLOCK_LIST) {
        blk->ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
        blk->start = blk->ordered ? cmark_node_get_list_start(node) : 0;
        blk->tight = cmark_node_get_list_tight(node);
    }
    push_frame(b, blk != NULL, EXIT_FLUSH);
}

/* Emphasis, strong, links and images: a style frame. An image keeps only
 * its alt text (its children), so it changes nothing. */
static void enter_md_style(builder *b, cmark_node *node)
{
    push_frame(b, 0, EXIT_NONE);
    cmark_node_type type = cmark_node_get_type(node);
    if (type == CMARK_NODE_EMPH)
        b->style |= CB_SPAN_ITALIC;
    if (type == CMARK_NODE_STRONG)
        b->style |= CB_SPAN_BOLD;
    const char *url = type == CMARK_NODE_LINK ? cmark_node_get_url(node) : NULL;
    const char *link = url ? safe_link(b, url, strlen(url)) : NULL;
    if (link)
        b->link = link;
}

/* An html_block and the html_block siblings right after it (cmark splits
 * HTML at blank lines) go to libxml2 as one piece, so that a <div> or <ul>
 * opened in one and closed in a later one holds what is between. */
static void add_html_blocks(builder *b, cmark_node *node)
{
    if (b->html_read > 0) {
        b->html_read--;
        return;
    }
    cb_buf html = {0};
    for (cmark_node *n = node; n && cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK;
         n = cmark_node_next(n)) {
        const char *lit = cmark_node_get_literal(n);
        cb_buf_puts(&html, lit ? lit : "");
        cb_buf_putc(&html, '\n');
        b->html_read += n != node;
    }
    flush(b);
    add_html(b, html.data, html.len);
    cb_buf_free(&html);
}

static void enter_md(builder *b, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);
    size_t len = lit ? strlen(lit) : 0;
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_BLOCK_QUOTE:
        enter_md_container(b, node, CB_BLOCK_QUOTE);
        break;
    case CMARK_NODE_LIST:
        enter_md_container(b, node, CB_BLOCK_LIST);
        break;
    case CMARK_NODE_ITEM:
        enter_md_container(b, node, CB_BLOCK_ITEM);
        break;
    case CMARK_NODE_CODE_BLOCK:
        flush(b);
        add_code(b, lit ? lit : "", len);
        break;
    case CMARK_NODE_HTML_BLOCK:
        add_html_blocks(b, node);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        flush(b);
        add_rule(b);
        break;
    case CMARK_NODE_PARAGRAPH:
        open_inline(b, CB_BLOCK_PARAGRAPH, 0);
        break;
    case CMARK_NODE_HEADING:
        open_inline(b, CB_BLOCK_HEADING, cmark_node_get_heading_level(node));
        break;
    case CMARK_NODE_TEXT:
        add_md_text(b, lit ? lit : "", len, 0);
        break;
    case CMARK_NODE_CODE:
        add_md_text(b, lit ? lit : "", len, CB_SPAN_CODE);
        break;
    case CMARK_NODE_SOFTBREAK:
        add_soft_break(b);
        break;
    case CMARK_NODE_LINEBREAK:
        add_break(b);
        break;
    case CMARK_NODE_HTML_INLINE:
        inline_html(b, lit ? lit : "", len);
        break;
    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
        enter_md_style(b, node);
        break;
    default:
        break;
    }
}

static void exit_md(builder *b, cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_HEADING:
        flush(b);
        break;
    case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_LIST:
    case CMARK_NODE_ITEM:
    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
        pop_frame(b);
        break;
    default:
        break;
    }
}

/* No CMARK_OPT_SMART: quotes and dashes are kept exactly as typed. */
static void add_markdown(builder *b, const char *text, size_t len)
{
    cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_VALIDATE_UTF8);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev == CMARK_EVENT_ENTER)
            enter_md(b, cmark_iter_get_node(it));
        else
            exit_md(b, cmark_iter_get_node(it));
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
}

/* ---- the whole description ---- */

/* The description with every line end as '\n' and NUL as U+FFFD, so both
 * parsers see one form (Windows input must give the same tree as Unix). */
static char *normalize(const char *s, size_t n, size_t *out_len)
{
    cb_buf out = {0};
    cb_buf_add(&out, "", 0);
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\r' && s[i] != '\0')
            continue;
        cb_buf_add(&out, s + from, i - from);
        cb_buf_puts(&out, s[i] == '\r' ? "\n" : "\xEF\xBF\xBD");
        i += s[i] == '\r' && i + 1 < n && s[i + 1] == '\n';
        from = i + 1;
    }
    cb_buf_add(&out, s + from, n - from);
    *out_len = out.len;
    return out.data;
}

/* Is the tag at s (after its '<') one that may start or end an HTML
 * document: a known tag name, html or body? */
static int document_tag(const char *s, size_t n, int block_only)
{
    size_t k = 0;
    while (k < n && is_alnum((unsigned char)s[k]))
        k++;
    if (k == 0 || k >= n || !(html_space(s[k]) || s[k] == '>' || s[k] == '/'))
        return 0;
    if ((k == 4 && (starts_with(s, k, "html") || starts_with(s, k, "body"))))
        return 1;
    int tag = k < TAG_NAME_MAX ? lookup_tag(s, k) : 0;
    return block_only ? tag_table[tag].kind >= TAG_DROP : tag != 0;
}

/* Does every run of lines after a blank line start with a tag? */
static int chunks_start_with_tags(const char *s, size_t n)
{
    int blank = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != '\n' && html_space(s[j]))
            j++;
        if (j < n && s[j] != '\n' && blank && s[j] != '<')
            return 0;
        blank = j >= n || s[j] == '\n';
        while (j < n && s[j] != '\n')
            j++;
        i = j + 1;
    }
    return 1;
}

/* A whole-HTML description (Indico's rich-text editor): it starts with a
 * block-level tag, doctype or comment, ends with a known tag or a comment,
 * and every part after a blank line starts with a tag too. libxml2 then
 * reads all of it at once: through cmark, an indented line after a blank
 * one would become a code block. Markdown mixed with HTML blocks fails the
 * test and goes through cmark. */
static int is_html_document(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && html_space(s[i]))
        i++;
    while (n > i && html_space(s[n - 1]))
        n--;
    if (n - i < 3 || s[i] != '<' || s[n - 1] != '>')
        return 0;
    const char *p = s + i + 1;
    size_t m = n - i - 1;
    if (!starts_with(p, m, "!doctype") && !starts_with(p, m, "!--") && !document_tag(p, m, 1))
        return 0;
    if (!chunks_start_with_tags(s + i, n - i))
        return 0;
    if (memcmp(s + n - 3, "-->", 3) == 0)
        return 1;
    size_t last = n - 1;
    while (last > i && s[last] != '<')
        last--;
    last += 1 + (s[last + 1] == '/');
    return document_tag(s + last, n - last, 0);
}

cb_block *cb_markup_parse(cb_arena *arena, const char *text, size_t len)
{
    if (!text || len == 0)
        return NULL;
    size_t n;
    char *norm = normalize(text, len, &n);
    builder b;
    builder_init(&b, arena);
    if (is_html_document(norm, n))
        add_html(&b, norm, n);
    else
        add_markdown(&b, norm, n);
    flush(&b);
    cb_block *blocks = b.root.children;
    builder_free(&b);
    free(norm);
    return blocks;
}

/* ---- the text dump ---- */

/* A string in double quotes: \" \\ \n \t escaped, other control bytes as
 * \xHH, and U+00A0 as \u00a0 so that it shows. */
static void dump_string(cb_buf *out, const char *s)
{
    cb_buf_putc(out, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            cb_buf_printf(out, "\\%c", c);
        else if (c == '\n')
            cb_buf_puts(out, "\\n");
        else if (c == '\t')
            cb_buf_puts(out, "\\t");
        else if (c < 0x20 || c == 0x7F)
            cb_buf_printf(out, "\\x%02x", c);
        else if (c == 0xC2 && (unsigned char)s[1] == 0xA0)
            cb_buf_puts(out, "\\u00a0"), s++;
        else
            cb_buf_putc(out, (char)c);
    }
    cb_buf_putc(out, '"');
}

static void dump_style(cb_buf *out, unsigned style)
{
    static const char *const names[] = {"bold", "italic", "code", "sub", "sup"};
    const char *sep = "[";
    for (int i = 0; i < 5; i++) {
        if (!(style & (1u << i)))
            continue;
        cb_buf_printf(out, "%s%s", sep, names[i]);
        sep = ",";
    }
    if (style)
        cb_buf_putc(out, ']');
}

static void dump_spans(cb_buf *out, const cb_span *sp, int depth)
{
    for (; sp; sp = sp->next) {
        cb_buf_printf(out, "%*s", depth * 2, "");
        if (sp->kind == CB_SPAN_BREAK) {
            cb_buf_puts(out, "break\n");
            continue;
        }
        cb_buf_puts(out, "text");
        dump_style(out, sp->style);
        cb_buf_putc(out, ' ');
        dump_string(out, sp->text ? sp->text : "");
        if (sp->link) {
            cb_buf_puts(out, " -> ");
            dump_string(out, sp->link);
        }
        cb_buf_putc(out, '\n');
    }
}

static void dump_block_line(cb_buf *out, const cb_block *blk)
{
    switch (blk->kind) {
    case CB_BLOCK_PARAGRAPH:
        cb_buf_puts(out, "paragraph");
        break;
    case CB_BLOCK_HEADING:
        cb_buf_printf(out, "heading %d", blk->level);
        break;
    case CB_BLOCK_LIST:
        if (blk->ordered)
            cb_buf_printf(out, "list ordered start=%d", blk->start);
        else
            cb_buf_puts(out, "list bullet");
        cb_buf_puts(out, blk->tight ? " tight" : " loose");
        break;
    case CB_BLOCK_ITEM:
        cb_buf_puts(out, "item");
        break;
    case CB_BLOCK_CODE:
        cb_buf_puts(out, "code ");
        dump_string(out, blk->code ? blk->code : "");
        break;
    case CB_BLOCK_QUOTE:
        cb_buf_puts(out, "quote");
        break;
    case CB_BLOCK_RULE:
        cb_buf_puts(out, "rule");
        break;
    }
    cb_buf_putc(out, '\n');
}

static void dump_blocks(cb_buf *out, const cb_block *blk, int depth)
{
    for (; blk; blk = blk->next) {
        cb_buf_printf(out, "%*s", depth * 2, "");
        dump_block_line(out, blk);
        dump_spans(out, blk->spans, depth + 1);
        dump_blocks(out, blk->children, depth + 1);
    }
}

char *cb_markup_dump(const cb_block *blocks)
{
    cb_buf out = {0};
    cb_buf_add(&out, "", 0);
    dump_blocks(&out, blocks, 0);
    return out.data;
}

/* markup.c - a contribution description as a cb_block/cb_span tree.
 *
 * Markdown goes through cmark (markup_md.c); raw HTML (whole documents and
 * html_block nodes) through libxml2's HTML parser, and inline HTML tags
 * inside Markdown through a small tag reader (markup_html.c). All three feed
 * one builder, here, which collects the styled text of the open paragraph
 * and appends finished blocks to a stack of open containers (lists, items,
 * quotes); see cb_markup_builder.h. */
#include "cb_markup_builder.h"

#include "cb_link.h"

#include <stdlib.h>
#include <string.h>

/* ---- HTML tag table ---- */

const tag_info cb_markup_tags[] = {
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

/* Index of the tag named by the n bytes at name (any case); 0 if unknown. */
#define N_TAGS (sizeof cb_markup_tags / sizeof cb_markup_tags[0])

int cb_markup_lookup_tag(const char *name, size_t n)
{
    for (size_t i = 1; i < N_TAGS; i++)
        if (strlen(cb_markup_tags[i].name) == n &&
            starts_with(name, n, cb_markup_tags[i].name))
            return (int)i;
    return 0;
}

/* ---- the builder ---- */

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
cb_block *cb_markup_open_container(builder *b, cb_block_kind kind)
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

void cb_markup_add_rule(builder *b)
{
    append_block(b, new_block(b, CB_BLOCK_RULE));
}

/* A code block without its trailing newlines; empty ones are dropped. */
void cb_markup_add_code(builder *b, const char *s, size_t n)
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
    const char *t = kind == URL_WWW ? cb_arena_printf(b->arena, "https://%.*s", (int)n, s)
                    : kind == URL_DOI
                        ? cb_arena_printf(b->arena, "https://doi.org/%.*s", (int)(n - 4), s + 4)
                        : cb_arena_strndup(b->arena, s, n);
    return cb_markup_safe_link(b, t, strlen(t));
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
void cb_markup_flush(builder *b)
{
    if (b->open) {
        cb_span *spans = finish_spans(b);
        if (spans || b->open_kind == CB_BLOCK_IMAGE) {
            cb_block *blk = new_block(b, b->open_kind);
            blk->level = b->level;
            blk->spans = spans;
            if (b->open_kind == CB_BLOCK_IMAGE) {
                blk->code = b->image_src;
                blk->line = b->image_line;
            }
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

void cb_markup_open_inline(builder *b, cb_block_kind kind, int level)
{
    cb_markup_flush(b);
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

int cb_markup_has_text(const builder *b)
{
    return b->nspans && b->spans[b->nspans - 1].kind == CB_SPAN_TEXT;
}

/* Text outside any block (HTML, or a stray Markdown node) opens a paragraph;
 * a waiting cell separator or space goes first. */
/* s with what is not UTF-8 made so: cmark encodes U+FFFE and U+FFFF (from
 * "&#xFFFE;") as the single bytes FE and FF, as its utf8proc ancestor did;
 * any other stray byte becomes U+FFFD. In the builder's arena. */
static const char *repair_utf8(builder *b, const char *s, size_t *n)
{
    cb_buf out = {0};
    for (size_t i = 0; i < *n;) {
        int len;
        long cp = cb_utf8_decode(s + i, *n - i, &len);
        unsigned char c = (unsigned char)s[i];
        if (cp < 0) {
            char enc[4];
            int k = cb_utf8_encode(c == 0xFE   ? 0xFFFE
                                   : c == 0xFF ? 0xFFFF
                                               : 0xFFFD,
                                   enc);
            cb_buf_add(&out, enc, (size_t)k);
            i++;
        } else {
            cb_buf_add(&out, s + i, (size_t)len);
            i += (size_t)len;
        }
    }
    const char *r = cb_arena_strndup(b->arena, out.data, out.len);
    *n = out.len;
    cb_buf_free(&out);
    return r;
}

static void put_text(builder *b, const char *s, size_t n)
{
    if (b->drop || n == 0)
        return;
    if (!cb_utf8_valid(s, n))
        s = repair_utf8(b, s, &n);
    if (!b->open)
        cb_markup_open_inline(b, CB_BLOCK_PARAGRAPH, 0);
    if (b->cell_sep && cb_markup_has_text(b))
        emit(b, " | ", 3, 0, NULL);
    else if (b->space && cb_markup_has_text(b))
        emit(b, " ", 1, b->space_style, b->space_link);
    b->cell_sep = 0;
    b->space = 0;
    emit(b, s, n, cur_style(b), cur_link(b));
}

/* A run of HTML whitespace: one space, if a word follows on this line. */
void cb_markup_note_space(builder *b)
{
    if (b->space || !cb_markup_has_text(b))
        return;
    b->space = 1;
    b->space_style = cur_style(b);
    b->space_link = cur_link(b);
}

/* HTML text: whitespace runs collapse to one space, as in a browser. */
void cb_markup_add_html_text(builder *b, const char *s, size_t n)
{
    for (size_t i = 0, j; i < n; i = j) {
        j = i;
        if (html_space(s[i])) {
            while (j < n && html_space(s[j]))
                j++;
            cb_markup_note_space(b);
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
void cb_markup_add_md_text(builder *b, const char *s, size_t n, unsigned extra)
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

void cb_markup_add_break(builder *b)
{
    if (b->drop || !b->open)
        return;
    b->space = 0;
    b->cell_sep = 0;
    cb_grow(&b->spans, &b->cap_spans, b->nspans, sizeof *b->spans);
    b->spans[b->nspans++] = (pending){CB_SPAN_BREAK, 0, NULL, b->text.len, 0};
}

/* A Markdown line end: a break, unless an HTML <br> just made one. */
void cb_markup_add_soft_break(builder *b)
{
    if (b->nspans && b->spans[b->nspans - 1].kind == CB_SPAN_BREAK)
        return;
    cb_markup_add_break(b);
}

/* ---- frames ---- */

void cb_markup_push_frame(builder *b, int pushed, int on_exit)
{
    cb_grow(&b->frames, &b->cap_frames, b->nframes, sizeof *b->frames);
    b->frames[b->nframes++] =
        (frame){b->style, b->link, (unsigned char)pushed, (unsigned char)on_exit, 0};
}

void cb_markup_pop_frame(builder *b)
{
    frame f = b->frames[--b->nframes];
    if (f.on_exit == EXIT_FLUSH)
        cb_markup_flush(b);
    else if (f.on_exit == EXIT_SPACE)
        cb_markup_note_space(b);
    if (f.pushed)
        close_container(b);
    if (f.ends_row)
        b->in_row = 0;
    b->style = f.style;
    b->link = f.link;
}

/* ---- links ---- */

/* A link target as the renderer may use it: trimmed, without line ends or
 * tabs; NULL when empty or a script URL. */
const char *cb_markup_safe_link(builder *b, const char *s, size_t n)
{
    if (!cb_utf8_valid(s, n))
        s = repair_utf8(b, s, &n);
    cb_link_status status;
    const char *target = cb_link_target(b->arena, s, n, &status);
    if (!target && status != CB_LINK_EMPTY && b->refused &&
        b->refused->count++ == 0) {
        b->refused->first = cb_arena_strndup(b->arena, s, n);
        b->refused->status = (int)status;
    }
    return target;
}

void cb_markup_inline_image(builder *b, const char *s, size_t n)
{
    if (b->refused && b->refused->images++ == 0)
        b->refused->first_image = cb_arena_strndup(b->arena, s, n);
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
    int tag = k < TAG_NAME_MAX ? cb_markup_lookup_tag(s, k) : 0;
    return block_only ? cb_markup_tags[tag].kind >= TAG_DROP : tag != 0;
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

cb_block *cb_markup_parse(cb_arena *arena, const char *text, size_t len,
                          cb_markup_refused *refused)
{
    if (refused)
        *refused = (cb_markup_refused){0, NULL, 0, 0, NULL};
    if (!text || len == 0)
        return NULL;
    size_t n;
    char *norm = normalize(text, len, &n);
    builder b;
    builder_init(&b, arena);
    b.refused = refused;
    if (is_html_document(norm, n))
        cb_markup_add_html(&b, norm, n);
    else
        cb_markup_add_markdown(&b, norm, n);
    cb_markup_flush(&b);
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
    case CB_BLOCK_IMAGE:
        cb_buf_puts(out, "image ");
        dump_string(out, blk->code ? blk->code : "");
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

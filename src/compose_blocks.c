/* compose_blocks.c - the blocks of a description: paragraphs, headings,
 * lists, code, quotes and rules (see cb_composer.h). */
#include "cb_composer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cb_link.h"

/* How far a list item is indented. */
#define LIST_INDENT 17.0f

/* Descriptions are nested at most this deep on the page; deeper lists and
 * quotes stay at this indent (their text is kept). */
#define MAX_INDENT_DEPTH 8

/* A warning shows at most this many bytes of a link target. */
#define SHOWN_LINK_BYTES 60

/* The first formula mark (U+F0000 + index) in s[0, len): its offset,
 * or len. */
#define MARK_BASE 0xF0000L

static size_t next_mark(const composer *c, const char *s, size_t len,
                        size_t *index)
{
    for (size_t i = 0; i + 3 < len; i++) {
        if ((unsigned char)s[i] != 0xF3)
            continue;
        int l;
        long cp = cb_utf8_decode(s + i, len - i, &l);
        if (cp >= MARK_BASE && (size_t)(cp - MARK_BASE) < c->n_formulas) {
            *index = (size_t)(cp - MARK_BASE);
            return i;
        }
    }
    return len;
}

/* A formula as an object of the text, or as typed when it cannot be set. */
static void add_formula(composer *c, const char *src, size_t len,
                        int display, const char *typed, size_t typed_len,
                        const cb_style *st)
{
    const cb_inline *obj =
        cb_math_set(c->math, c->scratch, src, len, st->size_pt, display,
                    c->where, !c->measuring);
    if (obj)
        cb_text_add_inline(c->text, obj, st);
    else
        cb_text_add(c->text, typed, typed_len, st);
}

void cb_compose_add_text(composer *c, const char *s, size_t len,
                         const cb_style *st)
{
    cb_math_scan sc;
    cb_math_span sp;
    size_t from = 0;
    cb_math_scan_init(&sc, s, len);
    while (cb_math_next(&sc, &sp)) {
        cb_text_add(c->text, s + from, sp.start - from, st);
        add_formula(c, s + sp.src, sp.src_end - sp.src, sp.display,
                    s + sp.start, sp.end - sp.start, st);
        from = sp.end;
    }
    cb_text_add(c->text, s + from, len - from, st);
}

void cb_compose_add_marked(composer *c, const char *s, size_t len,
                           const cb_style *st)
{
    size_t i;
    while (len) {
        size_t at = next_mark(c, s, len, &i);
        cb_text_add(c->text, s, at, st);
        if (at == len)
            break;
        const cb_math_span *f = &c->formulas[i];
        const char *t = c->formula_text;
        add_formula(c, t + f->src, f->src_end - f->src, f->display,
                    t + f->start, f->end - f->start, st);
        s += at + 4;
        len -= at + 4;
    }
}

/* The text with each formula replaced by its mark, so that Markdown does
 * not read its _ and \ (and code spans keep their dollars); the formulas
 * are kept in c->formulas. A text holding characters of the marks' plane
 * itself is left as it is. */
static const char *mark_formulas(composer *c, const char *text, size_t *len)
{
    c->n_formulas = 0;
    c->formula_text = text;
    for (size_t i = 0; i < *len; i++)
        if ((unsigned char)text[i] >= 0xF3)
            return text;
    cb_buf b = {0};
    cb_math_scan sc;
    cb_math_span sp;
    size_t from = 0, scan = 0;
    cb_math_scan_init(&sc, text, *len);
    while (cb_math_next(&sc, &sp)) {
        const char *tick = memchr(text + scan, '`', sp.start - scan);
        if (tick) { /* a code span first: its dollars are not math */
            size_t open = (size_t)(tick - text), n = 1;
            while (open + n < *len && text[open + n] == '`')
                n++;
            size_t e = open + n;
            while (e + n <= *len && memcmp(text + e, tick, n) != 0)
                e++;
            scan = sc.pos = e + n <= *len ? e + n : open + n;
            continue;
        }
        cb_grow(&c->formulas, &c->cap_formulas, c->n_formulas,
                sizeof *c->formulas);
        c->formulas[c->n_formulas] = sp;
        char mark[5] = {0};
        cb_utf8_encode((unsigned long)(MARK_BASE + (long)c->n_formulas), mark);
        c->n_formulas++;
        cb_buf_add(&b, text + from, sp.start - from);
        cb_buf_puts(&b, mark);
        from = scan = sp.end;
        if (c->n_formulas == 0xFFFF) /* the marks' plane holds no more */
            break;
    }
    if (!c->n_formulas)
        return text;
    cb_buf_add(&b, text + from, *len - from);
    char *out = cb_arena_strndup(c->scratch, b.data, b.len);
    *len = b.len;
    cb_buf_free(&b);
    return out;
}

/* The first figure of blocks b (a Markdown image alone in its
 * paragraph), counting them all into *n. */
static const cb_block *first_figure(const cb_block *b, int *n)
{
    const cb_block *first = NULL;
    for (; b; b = b->next) {
        const cb_block *in = b->kind == CB_BLOCK_IMAGE ? b : NULL;
        if (in)
            ++*n;
        const cb_block *deeper = first_figure(b->children, n);
        if (!first)
            first = in ? in : deeper;
    }
    return first;
}

/* Images that are not drawn, which their alt text stands for: every one
 * of a description (nothing is fetched), and in a preface those inside a
 * line of text. */
static void warn_images(composer *c, const cb_block *b,
                        const cb_markup_refused *r, const char *where)
{
    int n = r->images;
    const char *first = r->first_image;
    if (!c->in_matter) {
        const cb_block *fig = first_figure(b, &n);
        if (fig && !first)
            first = fig->code;
    }
    if (!n)
        return;
    cb_buf shown = {0};
    cb_buf_quote(&shown, first ? first : "", SHOWN_LINK_BYTES);
    char more[64] = "";
    if (n > 1)
        snprintf(more, sizeof more, " (and %d more)", n - 1);
    if (c->in_matter)
        cb_diag_warning(c->diag, CB_W_IMAGE, where, "image %s%s inside a "
                        "line of text is not drawn: its alt text is "
                        "printed; an image alone in its paragraph is drawn",
                        shown.data, more);
    else
        cb_diag_warning(c->diag, CB_W_IMAGE, where, "image %s%s is not "
                        "fetched: its alt text is printed", shown.data, more);
    cb_buf_free(&shown);
}

cb_block *cb_compose_parse(composer *c, const char *text, size_t len,
                           const char *where)
{
    cb_markup_refused r;
    text = mark_formulas(c, text, &len);
    cb_block *b = cb_markup_parse(c->scratch, text, len, &r);
    warn_images(c, b, &r, where);
    if (r.count == 0)
        return b;
    cb_buf shown = {0};
    cb_buf_quote(&shown, r.first, SHOWN_LINK_BYTES);
    char more[64] = "";
    if (r.count > 1)
        snprintf(more, sizeof more, " (and %d more)", r.count - 1);
    cb_diag_warning(c->diag, CB_W_LINK_AS_TEXT, where, "link %s%s is set as text, not as a "
                    "link: %s", shown.data, more,
                    cb_link_reason((cb_link_status)r.status));
    cb_buf_free(&shown);
    return b;
}

static int face_for_flags(const composer *c, unsigned flags, int base_sans)
{
    int b = flags & CB_SPAN_BOLD, i = flags & CB_SPAN_ITALIC;
    if (flags & CB_SPAN_CODE)
        return b ? c->f.mono_b : c->f.mono;
    if (base_sans)
        return b ? c->f.sans_b : c->f.sans;
    return b && i ? c->f.serif_bi : b ? c->f.serif_b : i ? c->f.serif_i
                                                        : c->f.serif;
}

/* Adds inline spans to c->text in the body style. */
static void add_spans(composer *c, const cb_span *sp, float size,
                      unsigned extra_flags, int sans)
{
    for (; sp; sp = sp->next) {
        unsigned fl = sp->style | extra_flags;
        cb_style st = style(face_for_flags(c, fl, sans), size, 0);
        if (fl & CB_SPAN_CODE)
            st.size_pt = size * 0.9f;
        if (fl & (CB_SPAN_SUB | CB_SPAN_SUP)) {
            st.size_pt = size * 0.7f;
            st.rise_pt = (fl & CB_SPAN_SUP) ? size * 0.36f : -size * 0.14f;
        }
        if (sp->link) {
            st.link = sp->link;
            st.color = c->L->link_color;
        }
        /* words of running text may be hyphenated; code and links not */
        st.hyphenate = c->L->hyphenate && !sans && !sp->link &&
                       !(fl & CB_SPAN_CODE);
        if (sp->kind == CB_SPAN_BREAK)
            cb_text_add_break(c->text, &st);
        else if (sp->text)
            cb_compose_add_marked(c, sp->text, strlen(sp->text), &st);
    }
}

/* Draws a list marker so that it ends a little before the text indented
 * by `indent` in the current column, on `baseline`. */
static void draw_marker(composer *c, const char *marker, float indent,
                        float baseline)
{
    cb_style st = style(c->f.serif, c->L->body_size_pt, 0);
    cb_compose_draw_single(c, marker, &st, c->left + indent - 5, baseline,
                           CB_ALIGN_RIGHT);
}

/* Whether a paragraph is one displayed formula ($$...$$ or \[...\]
 * alone), which is centred, as TeX sets it. */
static int display_only(const composer *c, const cb_block *b)
{
    const cb_span *sp = b->spans;
    size_t i, n;
    if (!sp || sp->next || !sp->text || sp->kind == CB_SPAN_BREAK)
        return 0;
    n = strlen(sp->text);
    return n == 4 && next_mark(c, sp->text, n, &i) == 0 &&
           c->formulas[i].display;
}

static void render_paragraph(composer *c, const cb_block *b, float indent,
                             const char *marker)
{
    cb_text_reset(c->text);
    add_spans(c, b->spans, c->L->body_size_pt, 0, 0);
    if (cb_text_empty(c->text))
        return;
    float w = c->width - indent;
    if (!marker && display_only(c, b)) {
        c->role = "Formula";
        cb_compose_flush_text(c, c->left + indent, w, w, CB_ALIGN_CENTER,
                              c->L->body_leading_pt, DECOR_NONE);
        space(c, c->L->paragraph_gap_pt);
        return;
    }
    c->role = marker ? "LI" : "P";
    c->marker = marker; /* drawn with the first line, where it lands */
    cb_compose_flush_text(c, c->left + indent, w, w, c->L->body_align,
                          c->L->body_leading_pt,
                          c->quote_indent > 0 ? DECOR_QUOTE : DECOR_NONE);
    c->marker = NULL;
    space(c, c->L->paragraph_gap_pt);
}

/* The plain text of spans (an image's alt text), or NULL for none. */
static const char *plain_text(composer *c, const cb_span *sp)
{
    cb_buf b = {0};
    for (; sp; sp = sp->next)
        cb_buf_puts(&b, sp->kind == CB_SPAN_BREAK ? " " : sp->text);
    const char *s = b.len ? cb_arena_strdup(c->scratch, b.data) : NULL;
    cb_buf_free(&b);
    return s;
}

/* An image alone in its paragraph: in a preface, drawn centred at its own
 * size (its resolution, else 150 dpi) or smaller to fit the column and
 * the page; in a description, where nothing is fetched, its alt text in
 * italic (cb_compose_parse warned). */
static void render_image(composer *c, const cb_block *b, float indent)
{
    const cb_layout_image *fig =
        c->in_matter ? cb_layout_figure(c->L, b->code) : NULL;
    float max_w = c->width - indent;
    if (!fig) {
        cb_text_reset(c->text);
        add_spans(c, b->spans, c->L->body_size_pt, CB_SPAN_ITALIC, 0);
        if (cb_text_empty(c->text))
            return;
        c->role = "P";
        cb_compose_flush_text(c, c->left + indent, max_w, max_w,
                              c->L->body_align, c->L->body_leading_pt,
                              DECOR_NONE);
        space(c, c->L->paragraph_gap_pt);
        return;
    }
    const cb_layout *L = c->L;
    float w = cb_image_width_pt(&fig->image),
          h = cb_image_height_pt(&fig->image);
    float max_h = L->page_height_pt - L->margin_top_pt - L->margin_bottom_pt;
    float k = fminf(1.0f, fminf(max_w / w, max_h / h));
    w *= k, h *= k;
    cb_compose_need(c, h);
    if (!c->measuring) {
        const char *alt = plain_text(c, b->spans);
        if (alt) /* else decoration: an artifact */
            cb_page_add_block(c->page, "Figure", ++c->block_id,
                              c->block_lang);
        cb_page_add_image(c->page, c->left + indent + (max_w - w) / 2,
                          c->y - h, w, h, cb_compose_image(c, fig), alt);
    }
    space(c, h + L->paragraph_gap_pt);
}

static void render_heading(composer *c, const cb_block *b, float indent)
{
    static const float sizes[] = {14, 12.5f, 11.5f, 10.5f, 10.5f, 10.5f};
    float size = sizes[(b->level >= 1 && b->level <= 6 ? b->level : 6) - 1];
    space(c, 6);
    cb_compose_need(
        c,
        size * 1.3f + 3 * c->L->body_leading_pt); /* keep with the next lines */
    cb_text_reset(c->text);
    add_spans(c, b->spans, size, CB_SPAN_BOLD, 1);
    float w = c->width - indent;
    c->role = "H";
    cb_compose_flush_text(c, c->left + indent, w, w, CB_ALIGN_LEFT,
                          size * 1.3f, DECOR_NONE);
    space(c, 3);
}

static void render_code(composer *c, const cb_block *b, float indent)
{
    cb_style st = style(c->f.mono, c->L->body_size_pt * 0.85f, 0);
    cb_text_reset(c->text);
    const char *s = b->code ? b->code : "";
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (len)
            cb_text_add(c->text, s, len, &st);
        if (!nl)
            break;
        cb_text_add_break(c->text, &st);
        s = nl + 1;
    }
    float w = c->width - indent - 8;
    space(c, 2);
    c->role = "Code";
    cb_compose_flush_text(c, c->left + indent + 4, w, w, CB_ALIGN_LEFT,
                          c->L->body_size_pt * 1.2f, DECOR_CODE);
    space(c, c->L->paragraph_gap_pt + 2);
}

static void render_list(composer *c, const cb_block *list, float indent,
                        int depth)
{
    static const char *const bullets[] = {"\u2022", "\u2013", "\u25e6"};
    int n = list->start;
    float ix = depth < MAX_INDENT_DEPTH ? indent + LIST_INDENT : indent;
    for (const cb_block *item = list->children; item; item = item->next, n++) {
        char marker[32];
        if (list->ordered)
            snprintf(marker, sizeof marker, "%d.", n);
        else
            snprintf(marker, sizeof marker, "%s", bullets[depth % 3]);
        const cb_block *first = item->children;
        if (first && first->kind == CB_BLOCK_PARAGRAPH) {
            render_paragraph(c, first, ix, marker);
            if (list->tight)
                space(c, -c->L->paragraph_gap_pt + 1);
            first = first->next;
        } else {
            /* an item that starts with something else: marker on its own */
            cb_compose_need(c, c->L->body_leading_pt);
            draw_marker(c, marker, ix, c->y - c->L->body_size_pt);
        }
        cb_compose_blocks(c, first, ix, depth + 1);
    }
    /* a nested tight list closes without a gap of its own */
    if (list->tight && depth == 0)
        space(c, c->L->paragraph_gap_pt - 1);
}

static void render_quote(composer *c, const cb_block *b, float indent,
                         int depth)
{
    float saved = c->quote_indent;
    float ix = depth < MAX_INDENT_DEPTH ? indent + 14 : indent;
    c->quote_indent = ix - 8;
    cb_compose_blocks(c, b->children, ix, depth + 1);
    c->quote_indent = saved;
}

void cb_compose_blocks(composer *c, const cb_block *b, float indent,
                       int depth)
{
    for (; b; b = b->next) {
        switch (b->kind) {
        case CB_BLOCK_PARAGRAPH:
            render_paragraph(c, b, indent, NULL);
            break;
        case CB_BLOCK_HEADING:
            render_heading(c, b, indent);
            break;
        case CB_BLOCK_LIST:
            render_list(c, b, indent, depth);
            break;
        case CB_BLOCK_ITEM:
            cb_compose_blocks(c, b->children, indent, depth + 1);
            break;
        case CB_BLOCK_CODE:
            render_code(c, b, indent);
            break;
        case CB_BLOCK_QUOTE:
            render_quote(c, b, indent, depth);
            break;
        case CB_BLOCK_IMAGE:
            render_image(c, b, indent);
            break;
        case CB_BLOCK_RULE:
            cb_compose_need(c, 12);
            if (!c->measuring)
                cb_page_add_line(c->page, c->left + c->width * 0.35f,
                                 c->y - 6, c->left + c->width * 0.65f,
                                 c->y - 6, 0.5f, c->L->rule_color);
            space(c, 12);
            break;
        }
    }
}

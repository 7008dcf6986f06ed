/* compose.c - the Report of Contributions layout (see cb_compose.h).
 *
 * The page is built top-down with a cursor `y` (the top of the free space)
 * and each element placed as lines from cb_text. All sizes in points. */
#include "cb_compose.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cb_layout.h"
#include "cb_markup.h"
#include "cb_order.h"
#include "cb_text.h"
#include "cb_unicode.h"

/* A4 with a measure of about 75 characters of the body face. */
#define LIST_INDENT 17.0f

#define CODE_BG 0xf1f1f1u

/* Descriptions are nested at most this deep on the page; deeper lists and
 * quotes stay at this indent (their text is kept). */
#define MAX_INDENT_DEPTH 8

typedef struct {
    int serif, serif_b, serif_i, serif_bi, sans, sans_b, mono, mono_b;
} faces;

typedef enum { DECOR_NONE, DECOR_CODE, DECOR_QUOTE } decor;

/* A line of the table of contents: a contribution or a group heading. */
typedef struct {
    const char *title;
    const char *id;     /* NULL for a group */
    int level;          /* 0 group, 1 subgroup, 2 contribution */
    int page;           /* 0-based page index */
    float y;
} toc_entry;

/* What a page's running head and footer show, drawn once every page of
 * its part exists (so a footer can say "Page 3 of 12"). */
typedef struct {
    cb_page *page;
    const cb_contribution *cur; /* contribution the page shows, or NULL */
    const char *section;        /* the group the page is in, or NULL */
    int head;                   /* draw the running head */
    int base, roman;            /* its part's numbering */
} page_rec;

/* A person, affiliation or keyword seen on a page, for an index. */
typedef enum { INDEX_AUTHOR, INDEX_AFFILIATION, INDEX_KEYWORD } index_kind;

typedef struct {
    index_kind kind;
    const char *key;    /* sorts the index */
    const char *name;   /* as the index shows it */
    int page;
} index_ref;

typedef struct {
    cb_fonts *fonts;
    cb_dlist *dl;
    cb_diag *diag;
    const cb_compose_options *opts;
    cb_text *text;
    cb_arena *scratch;   /* lines of the current contribution */
    faces f;
    cb_page *page;
    float y;             /* top of the free space on the page */
    float width;         /* the measure */
    const cb_event *ev;
    int head;                /* draw the running head on new pages */
    const cb_contribution *cur; /* the contribution being set, or NULL */
    const char *short_event; /* the event title as it fits the head */
    const cb_datetime *when; /* the date being formatted */
    const char *where;       /* place for warnings */
    const cb_layout *L;      /* the page layout */
    float left;              /* the current column's left edge */
    float page_left;         /* the current page's left margin */
    float full_width;        /* the text width of the page */
    int n_cols, col;         /* columns of the part being set, and which */
    float col_top;           /* where columns start on this page */
    const char *date_text;   /* footer date */
    float quote_x;           /* innermost quote bar, for DECOR_QUOTE */
    int head_cut;            /* the last running head was shortened */
    const char *role;        /* structure role of the next lines placed */
    int block_id;            /* blocks placed so far */
    int base;                /* page index numbered 1 in this part */
    int body_base;           /* page index numbered 1 in the body */
    int after_heading;       /* a group heading was just set */
    page_rec *recs;          /* pages waiting for their head and foot */
    size_t n_recs, cap_recs;
    const char *section;     /* the current group's name */
    int pages;               /* {pages}: the last page number of the part */
    size_t first_rec;        /* the event's first page record */
    cb_collator *coll;       /* sorts the indexes */
    int roman;               /* this part is numbered i, ii, iii... */
    toc_entry *toc;          /* contributions and groups, for the contents */
    size_t n_toc, cap_toc;
    index_ref *refs;         /* people and their pages, for the index */
    size_t n_refs, cap_refs;
} composer;

/* Day of the week, 0 = Monday (days since 1970-01-01 was a Thursday). */
static int weekday(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468;
    return (int)(((days % 7) + 7 + 3) % 7);
}

static cb_style style(int face, float size, unsigned color)
{
    cb_style s = {.face = face, .size = size, .color = color};
    return s;
}

/* The style of names, titles and affiliations: printed exactly, so never
 * broken after a hyphen (see cb_style.keep_hyphens). */
static cb_style exact(int face, float size, unsigned color)
{
    cb_style s = style(face, size, color);
    s.keep_hyphens = 1;
    return s;
}

/* The text module's alignment for a layout's. */
static cb_align text_align(cb_layout_align a)
{
    static const cb_align aligns[] = {CB_ALIGN_JUSTIFY, CB_ALIGN_LEFT,
                                      CB_ALIGN_CENTER, CB_ALIGN_RIGHT};
    return aligns[a];
}

/* The regular and bold faces of a layout's font role. */
static int role_face(const composer *c, cb_font_role r, int bold)
{
    switch (r) {
    case CB_FONT_SERIF: return bold ? c->f.serif_b : c->f.serif;
    case CB_FONT_MONO: return bold ? c->f.mono_b : c->f.mono;
    case CB_FONT_SANS: break;
    }
    return bold ? c->f.sans_b : c->f.sans;
}

/* ---- pages, running heads and footers ---- */

/* Shortens text with an ellipsis until it is at most max_w wide. */
static const char *fit_text(composer *c, const char *s, const cb_style *st,
                            float max_w, int *cut)
{
    cb_line *lines;
    size_t n = strlen(s);
    *cut = 0;
    cb_text_reset(c->text);
    cb_text_add(c->text, s, n, st);
    if (cb_text_layout(c->text, c->scratch, 1e6f, 1e6f, CB_ALIGN_LEFT,
                       &lines) == 1 &&
        lines[0].width <= max_w)
        return s;
    /* binary search over code point boundaries */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        while (mid < n && ((unsigned char)s[mid] & 0xC0) == 0x80)
            mid++;
        if (mid > hi)
            mid = hi;
        char *trial = cb_arena_printf(c->scratch, "%.*s\u2026", (int)mid, s);
        cb_text_reset(c->text);
        cb_text_add(c->text, trial, strlen(trial), st);
        if (cb_text_layout(c->text, c->scratch, 1e6f, 1e6f, CB_ALIGN_LEFT,
                           &lines) == 1 &&
            lines[0].width <= max_w) {
            lo = mid;
        } else {
            size_t prev = mid - 1;
            while (prev > 0 && ((unsigned char)s[prev] & 0xC0) == 0x80)
                prev--;
            hi = prev < hi ? prev : hi - 1;
            if (hi < lo)
                hi = lo;
        }
    }
    *cut = 1;
    while (lo > 0 && s[lo - 1] == ' ')
        lo--;
    return cb_arena_printf(c->scratch, "%.*s\u2026", (int)lo, s);
}

/* Draws one line of text at (x, y); align picks what x means. */
static float draw_single(composer *c, const char *s, const cb_style *st,
                         float x, float y, cb_align align)
{
    cb_line *lines;
    cb_text_reset(c->text);
    cb_text_add(c->text, s, strlen(s), st);
    if (cb_text_layout(c->text, c->scratch, 1e6f, 1e6f, CB_ALIGN_LEFT,
                       &lines) < 1)
        return 0;
    float w = lines[0].width;
    if (align == CB_ALIGN_RIGHT)
        x -= w;
    else if (align == CB_ALIGN_CENTER)
        x -= w / 2;
    lines[0].x = 0; /* x is placed here, whatever the text's direction */
    cb_line_draw(&lines[0], c->page, x, y);
    return w;
}

/* Lower-case roman numerals, for front matter. */
static void roman(cb_buf *b, int n)
{
    static const struct {
        int v;
        const char *s;
    } r[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
             {90, "xc"},  {50, "l"},   {40, "xl"}, {10, "x"},   {9, "ix"},
             {5, "v"},    {4, "iv"},   {1, "i"}};
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        for (; n >= r[i].v; n -= r[i].v)
            cb_buf_puts(b, r[i].s);
}

/* The number printed on page `index` of the part being set. */
static const char *page_label(composer *c, int index, cb_arena *arena)
{
    cb_buf b = {0};
    if (c->roman)
        roman(&b, index - c->base + 1);
    else
        cb_buf_printf(&b, "%d", index - c->base + 1);
    char *r = cb_arena_strdup(arena, b.data ? b.data : "");
    cb_buf_free(&b);
    return r;
}

/* The number printed on a page of the body (which the contents and the
 * index refer to), whatever part is being set. */
static const char *body_label(composer *c, int index)
{
    return cb_arena_printf(c->scratch, "%d", index - c->body_base + 1);
}

/* The value of a template placeholder (see cb_layout_expand). */
static const char *placeholder(void *ctx, const char *name)
{
    composer *c = ctx;
    const cb_datetime *w = c->when;
    if (strcmp(name, "event") == 0)
        return c->short_event ? c->short_event : c->ev->title;
    if (strcmp(name, "report") == 0)
        return c->L->label[CB_LABEL_REPORT];
    if (strcmp(name, "title") == 0)
        return c->cur ? c->cur->title : "";
    if (strcmp(name, "id") == 0)
        return c->cur ? c->cur->id : "";
    if (strcmp(name, "date") == 0)
        return c->date_text;
    if (strcmp(name, "page") == 0)
        return page_label(c, cb_page_number(c->page), c->scratch);
    if (strcmp(name, "pages") == 0) {
        cb_buf b = {0};
        if (c->roman)
            roman(&b, c->pages);
        else
            cb_buf_printf(&b, "%d", c->pages);
        char *r = cb_arena_strdup(c->scratch, b.data ? b.data : "");
        cb_buf_free(&b);
        return r;
    }
    if (strcmp(name, "section") == 0)
        return c->section ? c->section : "";
    if (!w)
        return "";
    if (strcmp(name, "weekday") == 0)
        return c->L->weekdays[weekday(w->year, w->month, w->day)];
    if (strcmp(name, "month") == 0)
        return c->L->months[w->month - 1];
    int v = strcmp(name, "day") == 0            ? w->day
            : strcmp(name, "month_number") == 0 ? w->month
                                                : w->year;
    return cb_arena_printf(c->scratch, "%d", v);
}

static const char *expand(composer *c, const char *tmpl)
{
    return cb_layout_expand(c->scratch, tmpl, placeholder, c);
}

/* A date in the layout's format and language. */
static const char *format_date(composer *c, const cb_datetime *d)
{
    c->when = d;
    const char *s = expand(c, c->L->date_format);
    c->when = NULL;
    return s;
}

static void draw_head_and_foot(composer *c)
{
    const cb_layout *L = c->L;
    float top = L->page_height - L->margin_top + 22;
    float left = c->left, right = c->left + c->width;
    cb_style hs = style(role_face(c, L->head_font, 0), L->head_size,
                        L->head_color);
    c->head_cut = 0;
    if (c->head) {
        float lw = draw_single(c, expand(c, L->head_left), &hs, left, top,
                               CB_ALIGN_LEFT);
        const char *rt = expand(c, L->head_right);
        if (*rt) {
            const char *r = fit_text(c, rt, &hs, c->width - lw - 24,
                                     &c->head_cut);
            draw_single(c, r, &hs, right, top, CB_ALIGN_RIGHT);
        }
        cb_page_add_line(c->page, left, top - 5, right, top - 5, 0.4f,
                         L->rule_color);
    }
    cb_style fs = style(role_face(c, L->head_font, 0), L->foot_size,
                        L->head_color);
    float foot = L->margin_bottom - 30;
    draw_single(c, expand(c, L->foot_right), &fs, right, foot, CB_ALIGN_RIGHT);
    draw_single(c, expand(c, L->foot_left), &fs, left, foot, CB_ALIGN_LEFT);
}

/* The left margin of a page: two-sided, the inner margin is on the left of
 * odd (right-hand) pages, counting from the start of its part. */
static float left_margin(const composer *c, int index, int base)
{
    int even = (index - base + 1) % 2 == 0;
    return c->L->two_sided && even ? c->L->margin_outer : c->L->margin_inner;
}

static void new_page(composer *c)
{
    c->page = cb_dlist_add_page(c->dl, c->L->page_width, c->L->page_height);
    c->page_left = c->left = left_margin(c, cb_page_number(c->page), c->base);
    c->y = c->col_top = c->L->page_height - c->L->margin_top;
    c->col = 0;
    cb_grow(&c->recs, &c->cap_recs, c->n_recs, sizeof *c->recs);
    c->recs[c->n_recs++] = (page_rec){c->page, c->cur, c->section, c->head,
                                      c->base, c->roman};
}

/* Sets what follows in n columns (1 for the whole width), from here. */
static void set_columns(composer *c, int n)
{
    c->n_cols = n < 1 ? 1 : n;
    c->col = 0;
    c->width = (c->full_width - c->L->column_gap * (float)(c->n_cols - 1)) /
               (float)c->n_cols;
    c->left = c->page ? c->page_left : c->left;
    c->col_top = c->y;
}

/* Continues in the next column, or on a new page after the last one. */
static void next_column(composer *c)
{
    if (c->col + 1 < c->n_cols) {
        c->col++;
        c->y = c->col_top;
        c->left = c->page_left + (float)c->col * (c->width + c->L->column_gap);
        return;
    }
    new_page(c);
}

/* Whether the current column still holds nothing. */
static int at_column_top(const composer *c)
{
    return c->y >= c->col_top - 0.5f;
}

/* Draws the running heads and footers of the pages set since `from`,
 * each with its part's page count, and warns once per contribution whose
 * title the running head had to shorten. */
static void finish_pages(composer *c, size_t from)
{
    page_rec saved = {c->page, c->cur, c->section, c->head, c->base,
                      c->roman};
    const cb_contribution *warned = NULL;
    for (size_t i = from; i < c->n_recs; i++) {
        const page_rec *r = &c->recs[i];
        c->pages = 0;
        for (size_t k = from; k < c->n_recs; k++)
            if (c->recs[k].base == r->base &&
                cb_page_number(c->recs[k].page) - r->base + 1 > c->pages)
                c->pages = cb_page_number(c->recs[k].page) - r->base + 1;
        c->page = r->page, c->cur = r->cur, c->section = r->section;
        c->head = r->head, c->base = r->base, c->roman = r->roman;
        c->left = left_margin(c, cb_page_number(c->page), c->base);
        float width = c->width;
        c->width = c->full_width;
        size_t before;
        cb_page_items(c->page, &before);
        draw_head_and_foot(c);
        cb_page_items_to_front(c->page, before);
        c->width = width;
        if (c->head_cut && c->cur && c->cur != warned) {
            cb_diag_warning(c->diag, c->cur->where,
                            "the title is too long for the running head and "
                            "is shortened there with an ellipsis");
            warned = c->cur;
        }
    }
    c->page = saved.page, c->cur = saved.cur, c->section = saved.section;
    c->head = saved.head, c->base = saved.base, c->roman = saved.roman;
}

/* ---- placing lines ---- */

static float line_box(const cb_line *l, float lead)
{
    float h = l->ascent + l->descent;
    return h > lead ? h : lead;
}

/* How many of the lines fit in the space left on the page. */
static size_t lines_fitting(const composer *c, const cb_line *lines,
                            size_t n, float lead)
{
    float y = c->y;
    size_t k = 0;
    for (; k < n; k++) {
        y -= line_box(&lines[k], lead);
        if (y < c->L->margin_bottom - 0.01f)
            break;
    }
    return k;
}

static void draw_decor(composer *c, decor d, float x, float top, float bottom)
{
    if (d == DECOR_CODE)
        cb_page_add_rect(c->page, x - 4, bottom, c->width - (x - c->left) + 4,
                         top - bottom, CODE_BG);
    else if (d == DECOR_QUOTE)
        cb_page_add_line(c->page, c->quote_x, top, c->quote_x, bottom, 1.2f,
                         c->L->rule_color);
}

/* Reports a line that ends inside a word (a word too long for any line)
 * or that is wider than the measure, quoting the line. */
static void warn_overfull(composer *c, const cb_line *l)
{
    if (!l->overfull && !l->split)
        return;
    cb_buf b = {0};
    for (size_t i = 0; i < l->n_runs; i++)
        for (size_t k = 0; k < l->runs[i].text_len;) {
            int len;
            const char *p = l->runs[i].text + k;
            long cp = cb_utf8_decode(p, l->runs[i].text_len - k, &len);
            if (!cb_is_bidi_control(cp))
                cb_buf_add(&b, p, (size_t)len);
            k += (size_t)len;
        }
    size_t n = b.len > 60 ? 60 : b.len;
    while (n < b.len && ((unsigned char)b.data[n] & 0xC0) == 0x80)
        n++;
    cb_diag_warning(c->diag, c->where,
                    l->split ? "a word too long for the line is broken "
                               "inside it: \"%.*s%s\""
                             : "a line runs into the margin: \"%.*s%s\"",
                    (int)n, b.data ? b.data : "", n < b.len ? "\u2026" : "");
    cb_buf_free(&b);
}

/* Places lines at indent x, breaking pages as needed: a paragraph never
 * leaves one line alone at the bottom (orphan) or the top (widow) of a page
 * when it has lines enough to avoid it. Returns the first baseline. */
static float place_lines(composer *c, const cb_line *lines, size_t n, float x,
                         float lead, decor d)
{
    float first = 0;
    size_t i = 0;
    int id = ++c->block_id;
    const char *role = c->role ? c->role : "Text";
    float indent = x - c->left; /* kept when the text moves to a column */
    c->role = NULL;
    while (i < n) {
        x = c->left + indent;
        size_t fit = lines_fitting(c, lines + i, n - i, lead);
        if (fit < n - i) {
            if (fit == 1 && n - i >= 2 && !at_column_top(c))
                fit = 0;                   /* orphan */
            else if (fit == n - i - 1 && n - i >= 3)
                fit = fit >= 3 ? fit - 1 : 0; /* widow, without an orphan */
        }
        if (fit == 0 && !at_column_top(c)) {
            next_column(c);
            continue;
        }
        if (fit == 0)
            fit = 1; /* taller than a page: place it anyway */
        cb_page_add_block(c->page, role, id);
        for (size_t k = 0; k < fit; k++, i++) {
            const cb_line *l = &lines[i];
            float box = line_box(l, lead);
            float base = c->y - (box - l->descent);
            if (box > lead)
                base = c->y - l->ascent;
            draw_decor(c, d, x, c->y, c->y - box);
            cb_line_draw(l, c->page, x, base);
            warn_overfull(c, l);
            if (i == 0)
                first = base;
            c->y -= box;
        }
        if (i < n)
            next_column(c);
    }
    return first;
}

/* Lays out what was added to c->text and places it. */
static float flush_text(composer *c, float x, float first_w, float w,
                        cb_align align, float lead, decor d)
{
    cb_line *lines;
    long n = cb_text_layout(c->text, c->scratch, first_w, w, align, &lines);
    if (n <= 0)
        return 0;
    return place_lines(c, lines, (size_t)n, x, lead, d);
}

static void space(composer *c, float pt)
{
    c->y -= pt;
}

/* Moves to the next column or page if less than `pt` points are left. */
static void need(composer *c, float pt)
{
    if (c->y - pt < c->L->margin_bottom && !at_column_top(c))
        next_column(c);
}

/* ---- descriptions ---- */

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
            st.size = size * 0.9f;
        if (fl & (CB_SPAN_SUB | CB_SPAN_SUP)) {
            st.size = size * 0.7f;
            st.rise = (fl & CB_SPAN_SUP) ? size * 0.36f : -size * 0.14f;
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
            cb_text_add(c->text, sp->text, strlen(sp->text), &st);
    }
}

static void render_blocks(composer *c, const cb_block *b, float x, int depth);

/* Draws a list marker so that it ends a little before x, on `baseline`. */
static void draw_marker(composer *c, const char *marker, float x,
                        float baseline)
{
    cb_style st = style(c->f.serif, c->L->body_size, 0);
    draw_single(c, marker, &st, x - 5, baseline, CB_ALIGN_RIGHT);
}

static void render_paragraph(composer *c, const cb_block *b, float x,
                             const char *marker)
{
    cb_text_reset(c->text);
    add_spans(c, b->spans, c->L->body_size, 0, 0);
    if (cb_text_empty(c->text))
        return;
    float w = c->width - (x - c->left);
    c->role = marker ? "LI" : "P";
    float base = flush_text(c, x, w, w, text_align(c->L->body_align),
                            c->L->body_leading,
                            c->quote_x > 0 ? DECOR_QUOTE : DECOR_NONE);
    if (marker)
        draw_marker(c, marker, x, base);
    space(c, c->L->paragraph_gap);
}

static void render_heading(composer *c, const cb_block *b, float x)
{
    static const float sizes[] = {14, 12.5f, 11.5f, 10.5f, 10.5f, 10.5f};
    float size = sizes[(b->level >= 1 && b->level <= 6 ? b->level : 6) - 1];
    space(c, 6);
    need(c, size * 1.3f + 3 * c->L->body_leading); /* keep with the next lines */
    cb_text_reset(c->text);
    add_spans(c, b->spans, size, CB_SPAN_BOLD, 1);
    float w = c->width - (x - c->left);
    c->role = "H";
    flush_text(c, x, w, w, CB_ALIGN_LEFT, size * 1.3f, DECOR_NONE);
    space(c, 3);
}

static void render_code(composer *c, const cb_block *b, float x)
{
    cb_style st = style(c->f.mono, c->L->body_size * 0.85f, 0);
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
    float w = c->width - (x - c->left) - 8;
    space(c, 2);
    c->role = "Code";
    flush_text(c, x + 4, w, w, CB_ALIGN_LEFT, c->L->body_size * 1.2f, DECOR_CODE);
    space(c, c->L->paragraph_gap + 2);
}

static void render_list(composer *c, const cb_block *list, float x, int depth)
{
    static const char *const bullets[] = {"\u2022", "\u2013", "\u25e6"};
    int n = list->start;
    float ix = depth < MAX_INDENT_DEPTH ? x + LIST_INDENT : x;
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
                space(c, -c->L->paragraph_gap + 1);
            first = first->next;
        } else {
            /* an item that starts with something else: marker on its own */
            need(c, c->L->body_leading);
            draw_marker(c, marker, ix, c->y - c->L->body_size);
        }
        render_blocks(c, first, ix, depth + 1);
    }
    /* a nested tight list closes without a gap of its own */
    if (list->tight && depth == 0)
        space(c, c->L->paragraph_gap - 1);
}

static void render_quote(composer *c, const cb_block *b, float x, int depth)
{
    float saved = c->quote_x;
    float ix = depth < MAX_INDENT_DEPTH ? x + 14 : x;
    c->quote_x = ix - 8;
    render_blocks(c, b->children, ix, depth + 1);
    c->quote_x = saved;
}

static void render_blocks(composer *c, const cb_block *b, float x, int depth)
{
    for (; b; b = b->next) {
        switch (b->kind) {
        case CB_BLOCK_PARAGRAPH:
            render_paragraph(c, b, x, NULL);
            break;
        case CB_BLOCK_HEADING:
            render_heading(c, b, x);
            break;
        case CB_BLOCK_LIST:
            render_list(c, b, x, depth);
            break;
        case CB_BLOCK_ITEM:
            render_blocks(c, b->children, x, depth + 1);
            break;
        case CB_BLOCK_CODE:
            render_code(c, b, x);
            break;
        case CB_BLOCK_QUOTE:
            render_quote(c, b, x, depth);
            break;
        case CB_BLOCK_RULE:
            need(c, 12);
            cb_page_add_line(c->page, c->left + c->width * 0.35f, c->y - 6,
                             c->left + c->width * 0.65f, c->y - 6, 0.5f,
                             c->L->rule_color);
            space(c, 12);
            break;
        }
    }
}

/* ---- one contribution ---- */

static const char *person_name(composer *c, const cb_person *p)
{
    const char *last = p->last ? cb_unicode_upper(c->scratch, p->last) : NULL;
    cb_buf b = {0};
    if (p->title)
        cb_buf_printf(&b, "%s ", p->title);
    if (last && p->first)
        cb_buf_printf(&b, "%s, %s", last, p->first);
    else
        cb_buf_puts(&b, last ? last : p->first ? p->first : "");
    char *s = cb_arena_strdup(c->scratch, b.data ? b.data : "");
    cb_buf_free(&b);
    return s;
}

/* "Primary authors: KABÁTOVÁ, Veronika (Charles University); ..." The label
 * and each name are unbreakable, so a label never ends a line alone. */
static void render_people(composer *c, const char *one, const char *many,
                          const cb_person *p, size_t n)
{
    if (n == 0)
        return;
    cb_style label = style(c->f.serif_b, c->L->body_size, 0);
    cb_style name = exact(c->f.serif, c->L->body_size, 0);
    name.nobreak = 1;
    label.nobreak = 1;
    cb_text_reset(c->text);
    const char *l = n == 1 ? one : many;
    cb_text_add(c->text, l, strlen(l), &label);
    cb_style aff = exact(c->f.serif, c->L->body_size, 0);
    for (size_t i = 0; i < n; i++) {
        /* the first name's leading space is unbreakable, the "; " between
         * names is not */
        if (i)
            cb_text_add(c->text, "; ", 2, &aff);
        /* each person is a bidi isolate (FSI ... PDI), so a Hebrew or
         * Arabic name keeps the list's order around it */
        const char *nm = cb_arena_printf(c->scratch, "%s\u2068%s",
                                         i ? "" : " ", person_name(c, &p[i]));
        cb_text_add(c->text, nm, strlen(nm), &name);
        const char *a = p[i].affiliation
                            ? cb_arena_printf(c->scratch, " (%s)\u2069",
                                              p[i].affiliation)
                            : "\u2069";
        cb_text_add(c->text, a, strlen(a), &aff);
    }
    flush_text(c, c->left, c->width, c->width, CB_ALIGN_LEFT, c->L->body_leading,
               DECOR_NONE);
    space(c, 3);
}

static void render_field(composer *c, const char *label, const char *value)
{
    if (!value)
        return;
    cb_style ls = style(c->f.serif_b, c->L->body_size, 0);
    cb_style vs = exact(c->f.serif, c->L->body_size, 0);
    ls.nobreak = 1;
    cb_text_reset(c->text);
    cb_text_add(c->text, label, strlen(label), &ls);
    cb_text_add(c->text, " ", 1, &vs);
    cb_text_add(c->text, value, strlen(value), &vs);
    flush_text(c, c->left, c->width, c->width, CB_ALIGN_LEFT, c->L->body_leading,
               DECOR_NONE);
    space(c, 3);
}

static void render_references(composer *c, const cb_contribution *k)
{
    if (!k->n_refs)
        return;
    cb_style ls = style(c->f.serif_b, c->L->body_size, 0);
    cb_style vs = style(c->f.serif, c->L->body_size, 0);
    cb_text_reset(c->text);
    const char *l = c->L->label[k->n_refs == 1 ? CB_LABEL_REFERENCE
                                               : CB_LABEL_REFERENCES];
    cb_text_add(c->text, l, strlen(l), &ls);
    for (size_t i = 0; i < k->n_refs; i++) {
        const cb_reference *r = &k->refs[i];
        const char *sep = i ? "; " : " ";
        cb_text_add(c->text, sep, strlen(sep), &vs);
        cb_style link = vs;
        link.link = r->url;
        link.color = r->url ? c->L->link_color : 0;
        const char *t = r->type ? cb_arena_printf(c->scratch, "%s: %s",
                                                  r->type, r->value)
                                : r->value;
        cb_text_add(c->text, t, strlen(t), &link);
    }
    flush_text(c, c->left, c->width, c->width, CB_ALIGN_LEFT, c->L->body_leading,
               DECOR_NONE);
    space(c, 3);
}

static const char *schedule_text(composer *c, const cb_contribution *k)
{
    const cb_datetime *s = &k->start;
    if (!s->set)
        return NULL;
    cb_buf b = {0};
    cb_buf_puts(&b, format_date(c, s));
    if (s->has_time)
        cb_buf_printf(&b, ", %02d:%02d", s->hour, s->minute);
    if (k->duration_min > 0)
        cb_buf_printf(&b, " (%d %s)", k->duration_min,
                      c->L->label[k->duration_min == 1 ? CB_LABEL_MINUTE
                                                       : CB_LABEL_MINUTES]);
    char *r = cb_arena_strdup(c->scratch, b.data);
    cb_buf_free(&b);
    return r;
}

/* "Contribution ID: 42   Contribution code: MOX01" left, "Type: …" right. */
static void render_meta(composer *c, const cb_contribution *k)
{
    cb_style ls = style(c->f.sans, c->L->meta_size, c->L->meta_color);
    cb_style vs = style(c->f.sans_b, c->L->meta_size, 0);
    cb_text_reset(c->text);
    const char *const *lb = c->L->label;
    char *id_label = cb_arena_printf(c->scratch, "%s ",
                                     lb[CB_LABEL_CONTRIBUTION_ID]);
    cb_text_add(c->text, id_label, strlen(id_label), &ls);
    cb_text_add(c->text, k->id, strlen(k->id), &vs);
    if (k->code) {
        char *code = cb_arena_printf(c->scratch, "    %s ", lb[CB_LABEL_CODE]);
        cb_text_add(c->text, code, strlen(code), &ls);
        cb_text_add(c->text, k->code, strlen(k->code), &vs);
    }
    cb_line *left, *right;
    if (cb_text_layout(c->text, c->scratch, 1e6f, 1e6f, CB_ALIGN_LEFT, &left)
        < 1)
        return;
    const char *type = k->type ? k->type : lb[CB_LABEL_NOT_SPECIFIED];
    cb_text_reset(c->text);
    char *type_label = cb_arena_printf(c->scratch, "%s ", lb[CB_LABEL_TYPE]);
    cb_text_add(c->text, type_label, strlen(type_label), &ls);
    cb_text_add(c->text, type, strlen(type), &vs);
    float rw = c->width * 0.6f;
    long nr = cb_text_layout(c->text, c->scratch, rw, rw, CB_ALIGN_RIGHT,
                             &right);
    if (nr < 1)
        return;
    if (left[0].width + right[0].width + 18 <= c->width && nr == 1) {
        float base = c->y - 11;
        cb_line_draw(&left[0], c->page, c->left, base);
        cb_line_draw(&right[0], c->page, c->left + c->width - rw, base);
        c->y -= 15;
        return;
    }
    place_lines(c, left, 1, c->left, 15, DECOR_NONE);
    place_lines(c, right, (size_t)nr, c->left + c->width - rw, 15,
                DECOR_NONE);
}

static void render_title(composer *c, const cb_contribution *k)
{
    const cb_layout *L = c->L;
    space(c, L->title_space);
    cb_text_reset(c->text);
    cb_style ts = exact(role_face(c, L->title_font, 1), L->title_size, 0);
    cb_text_add(c->text, k->title, strlen(k->title), &ts);
    c->role = "Title";
    flush_text(c, c->left, c->width, c->width, text_align(L->title_align),
               L->title_leading, DECOR_NONE);
}

static void render_schedule(composer *c, const cb_contribution *k)
{
    const char *sched = schedule_text(c, k);
    if (!sched)
        return;
    space(c, 4);
    cb_text_reset(c->text);
    /* half a point smaller than the body, in the meta colour */
    cb_style ss = style(c->f.serif_i, c->L->body_size - 0.5f,
                        c->L->meta_color);
    cb_text_add(c->text, sched, strlen(sched), &ss);
    flush_text(c, c->left, c->width, c->width, CB_ALIGN_CENTER,
               c->L->body_leading - 0.5f, DECOR_NONE);
}

static void render_description(composer *c, const cb_contribution *k)
{
    space(c, 16);
    cb_block *blocks = k->description
                           ? cb_markup_parse(c->scratch, k->description,
                                             strlen(k->description))
                           : NULL;
    if (!blocks)
        cb_diag_warning(c->diag, k->where, "the description is empty");
    render_blocks(c, blocks, c->left, 0);
    space(c, 10);
}

static void render_keywords(composer *c, const cb_contribution *k)
{
    if (!k->n_keywords)
        return;
    cb_buf b = {0};
    for (size_t i = 0; i < k->n_keywords; i++)
        cb_buf_printf(&b, "%s%s", i ? ", " : "", k->keywords[i]);
    render_field(c, c->L->label[CB_LABEL_KEYWORDS],
                 cb_arena_strdup(c->scratch, b.data));
    cb_buf_free(&b);
}

/* Book of Abstracts style: "Veronika Kabátová¹, Jan Lübbe²" with the
 * numbered affiliations beneath in italics. */
static void render_author_list(composer *c, const cb_contribution *k)
{
    size_t n = k->n_authors + k->n_coauthors;
    if (!n)
        return;
    const char **affs = cb_arena_alloc(c->scratch, n * sizeof *affs);
    size_t n_affs = 0;
    cb_style name = exact(c->f.serif, c->L->body_size, 0);
    name.nobreak = 1;
    cb_style sup = name;
    sup.size *= 0.65f;
    sup.rise = c->L->body_size * 0.36f;
    cb_style sep = style(c->f.serif, c->L->body_size, 0);
    cb_text_reset(c->text);
    for (size_t i = 0; i < n; i++) {
        const cb_person *p = i < k->n_authors ? &k->authors[i]
                                              : &k->coauthors[i - k->n_authors];
        if (i)
            cb_text_add(c->text, ", ", 2, &sep);
        const char *nm = cb_arena_printf(c->scratch, "\u2068%s%s%s\u2069",
                                         p->first ? p->first : "",
                                         p->first && p->last ? " " : "",
                                         p->last ? p->last : "");
        cb_text_add(c->text, nm, strlen(nm), &name);
        if (!p->affiliation)
            continue;
        size_t a = 0;
        while (a < n_affs && strcmp(affs[a], p->affiliation))
            a++;
        if (a == n_affs)
            affs[n_affs++] = p->affiliation;
        const char *num = cb_arena_printf(c->scratch, "%zu", a + 1);
        cb_text_add(c->text, num, strlen(num), &sup);
    }
    c->role = "Authors";
    flush_text(c, c->left, c->width, c->width, CB_ALIGN_CENTER,
               c->L->body_leading, DECOR_NONE);
    cb_style aff = exact(c->f.serif_i, c->L->body_size * 0.9f,
                         c->L->meta_color);
    for (size_t a = 0; a < n_affs; a++) {
        cb_text_reset(c->text);
        const char *line = cb_arena_printf(c->scratch, "%zu %s", a + 1,
                                           affs[a]);
        cb_text_add(c->text, line, strlen(line), &aff);
        c->role = "Affiliation";
        flush_text(c, c->left, c->width, c->width, CB_ALIGN_CENTER,
                   c->L->body_leading * 0.9f, DECOR_NONE);
    }
}

/* "Posters – Board: 12 / 42": where a poster hangs, and its id. */
static void render_board_line(composer *c, const cb_contribution *k)
{
    cb_buf b = {0};
    if (k->session)
        cb_buf_printf(&b, "%s \u2013 ", k->session);
    if (k->board)
        cb_buf_printf(&b, "Board: %s / ", k->board);
    cb_buf_puts(&b, k->id);
    cb_text_reset(c->text);
    cb_style st = style(c->f.sans, c->L->meta_size, c->L->meta_color);
    cb_text_add(c->text, b.data, b.len, &st);
    cb_buf_free(&b);
    c->role = "Meta";
    flush_text(c, c->left, c->width, c->width, CB_ALIGN_LEFT,
               c->L->meta_size * 1.4f, DECOR_NONE);
}

/* "09:15–09:55 · Auditorium · Opening": when and where, for programmes. */
static void render_slot(composer *c, const cb_contribution *k)
{
    const cb_datetime *s = &k->start;
    cb_buf b = {0};
    if (s->set && s->has_time) {
        cb_buf_printf(&b, "%02d:%02d", s->hour, s->minute);
        int end = -1;
        if (k->end.set && k->end.has_time)
            end = k->end.hour * 60 + k->end.minute;
        else if (k->duration_min > 0)
            end = (s->hour * 60 + s->minute + k->duration_min) % (24 * 60);
        if (end >= 0)
            cb_buf_printf(&b, "\u2013%02d:%02d", end / 60, end % 60);
    }
    const char *parts[] = {k->room, k->session};
    for (int i = 0; i < 2; i++)
        if (parts[i])
            cb_buf_printf(&b, "%s%s", b.len ? " \u00b7 " : "", parts[i]);
    if (!b.len) {
        cb_buf_free(&b);
        return;
    }
    cb_text_reset(c->text);
    cb_style st = style(c->f.sans_b, c->L->meta_size, c->L->meta_color);
    cb_text_add(c->text, b.data, b.len, &st);
    cb_buf_free(&b);
    c->role = "Meta";
    flush_text(c, c->left, c->width, c->width, CB_ALIGN_LEFT,
               c->L->meta_size * 1.35f, DECOR_NONE);
}

/* Sets one field of a contribution, as the layout's `fields` lists them. */
static void render_part(composer *c, const cb_contribution *k, cb_field f)
{
    const char *const *lb = c->L->label;
    switch (f) {
    case CB_FIELD_ID_LINE: render_meta(c, k); break;
    case CB_FIELD_TITLE: render_title(c, k); break;
    case CB_FIELD_SCHEDULE: render_schedule(c, k); break;
    case CB_FIELD_DESCRIPTION: render_description(c, k); break;
    case CB_FIELD_AUTHORS:
        render_people(c, lb[CB_LABEL_PRIMARY_AUTHOR],
                      lb[CB_LABEL_PRIMARY_AUTHORS], k->authors, k->n_authors);
        break;
    case CB_FIELD_COAUTHORS:
        render_people(c, lb[CB_LABEL_COAUTHOR], lb[CB_LABEL_COAUTHORS],
                      k->coauthors, k->n_coauthors);
        break;
    case CB_FIELD_PRESENTERS:
        render_people(c, lb[CB_LABEL_PRESENTER], lb[CB_LABEL_PRESENTERS],
                      k->speakers, k->n_speakers);
        break;
    case CB_FIELD_SESSION: render_field(c, lb[CB_LABEL_SESSION], k->session); break;
    case CB_FIELD_TRACK: render_field(c, lb[CB_LABEL_TRACK], k->track); break;
    case CB_FIELD_KEYWORDS: render_keywords(c, k); break;
    case CB_FIELD_REFERENCES: render_references(c, k); break;
    case CB_FIELD_AUTHOR_LIST: render_author_list(c, k); break;
    case CB_FIELD_BOARD_LINE: render_board_line(c, k); break;
    case CB_FIELD_SLOT: render_slot(c, k); break;
    case CB_FIELD_COUNT: break;
    }
}

/* An index key for a surname: particles ("van der", "de", "von") go
 * after it, so "van der Berg" sorts under B, as readers look for it. */
static const char *surname_key(composer *c, const cb_person *p)
{
    static const char *const particles[] = {
        "van der ", "van den ", "van de ", "von der ", "de la ", "de los ",
        "van ", "von ", "de ", "da ", "di ", "du ", "del ", "della ", "dos ",
        "das ", "le ", "la ", "ten ", "ter ", NULL};
    const char *last = p->last ? p->last : p->first ? p->first : "";
    for (int i = 0; particles[i]; i++) {
        size_t n = strlen(particles[i]);
        if (strncmp(last, particles[i], n) == 0 && last[n]) {
            last = cb_arena_printf(c->scratch, "%s %.*s", last + n, (int)n - 1,
                                   last);
            break;
        }
    }
    return cb_collator_key(c->coll, cb_dlist_arena(c->dl),
                           cb_arena_printf(c->scratch, "%s\x01%s", last,
                                           p->first ? p->first : ""));
}

static void note_ref(composer *c, index_kind kind, const char *key,
                     const char *name)
{
    cb_grow(&c->refs, &c->cap_refs, c->n_refs, sizeof *c->refs);
    c->refs[c->n_refs++] = (index_ref){kind, key, name,
                                       cb_page_number(c->page)};
}

/* Remembers who (and which affiliation) appears on this page. */
static void note_people(composer *c, const cb_person *p, size_t n)
{
    cb_arena *keep = cb_dlist_arena(c->dl);
    for (size_t i = 0; i < n; i++) {
        const char *name =
            p[i].last && p[i].first
                ? cb_arena_printf(keep, "%s, %s", p[i].last, p[i].first)
                : cb_arena_strdup(keep, p[i].last ? p[i].last
                                      : p[i].first ? p[i].first : "");
        note_ref(c, INDEX_AUTHOR, surname_key(c, &p[i]), name);
        if (p[i].affiliation)
            note_ref(c, INDEX_AFFILIATION,
                     cb_collator_key(c->coll, keep, p[i].affiliation),
                     p[i].affiliation);
    }
}

static void note_keywords(composer *c, const cb_contribution *k)
{
    for (size_t i = 0; i < k->n_keywords; i++)
        note_ref(c, INDEX_KEYWORD,
                 cb_collator_key(c->coll, cb_dlist_arena(c->dl),
                                 k->keywords[i]),
                 k->keywords[i]);
}

static void note_toc(composer *c, const char *title, const char *id)
{
    cb_grow(&c->toc, &c->cap_toc, c->n_toc, sizeof *c->toc);
    c->toc[c->n_toc++] = (toc_entry){title, id, 2, cb_page_number(c->page),
                                     c->y + 12};
}

/* Starts a contribution: on a new page, or in a continuous flow below the
 * last one, with its title and first lines kept together. */
static void begin_entry(composer *c)
{
    const cb_layout *L = c->L;
    int fresh = c->page && c->y >= L->page_height - L->margin_top - 0.5f;
    if (L->flow == CB_FLOW_PAGE || !c->page) {
        new_page(c);
        return;
    }
    /* a group heading already kept room for its first contribution */
    if (c->after_heading) {
        c->after_heading = 0;
        return;
    }
    if (!fresh)
        space(c, L->entry_gap);
    need(c, 2 * L->title_leading + L->keep_lines * L->body_leading);
}

static void render_contribution(composer *c, const cb_contribution *k,
                                int outline_level)
{
    c->where = k->where;
    cb_fonts_set_where(c->fonts, k->where);
    c->cur = k;
    begin_entry(c);
    cb_dlist_add_outline(c->dl, outline_level, k->title,
                         cb_page_number(c->page), c->y + 12);
    note_toc(c, k->title, k->id);
    note_people(c, k->authors, k->n_authors);
    note_people(c, k->coauthors, k->n_coauthors);
    note_people(c, k->speakers, k->n_speakers);
    note_keywords(c, k);
    for (int i = 0; i < c->L->n_fields; i++)
        render_part(c, k, c->L->fields[i]);
}

/* ---- the title page ---- */

static const char *date_range(composer *c, const cb_datetime *a,
                              const cb_datetime *b)
{
    if (!a->set)
        return NULL;
    if (!b->set || (a->year == b->year && a->month == b->month &&
                    a->day == b->day))
        return cb_arena_printf(c->scratch, "%d %s %d", a->day,
                               c->L->months[a->month - 1], a->year);
    if (a->year == b->year && a->month == b->month)
        return cb_arena_printf(c->scratch, "%d\u2013%d %s %d", a->day, b->day,
                               c->L->months[a->month - 1], a->year);
    if (a->year == b->year)
        return cb_arena_printf(c->scratch, "%d %s \u2013 %d %s %d", a->day,
                               c->L->months[a->month - 1], b->day,
                               c->L->months[b->month - 1], a->year);
    return cb_arena_printf(c->scratch, "%d %s %d \u2013 %d %s %d", a->day,
                           c->L->months[a->month - 1], a->year, b->day,
                           c->L->months[b->month - 1], b->year);
}

/* Sets text centred; its own line breaks (an address) are kept. */
static void centred(composer *c, const char *s, const cb_style *st, float lead)
{
    if (!s)
        return;
    cb_text_reset(c->text);
    for (const char *nl; (nl = strchr(s, '\n')); s = nl + 1) {
        size_t n = (size_t)(nl - s);
        if (n && s[n - 1] == '\r')
            n--;
        cb_text_add(c->text, s, n, st);
        cb_text_add_break(c->text, st);
    }
    cb_text_add(c->text, s, strlen(s), st);
    flush_text(c, c->left, c->width, c->width, CB_ALIGN_CENTER, lead,
               DECOR_NONE);
}

static void render_title_page(composer *c, const cb_event *ev, int level)
{
    /* sizes for A4, scaled to the page: an A5 cover is a smaller A4 one */
    const cb_layout *L = c->L;
    float k = L->page_width / 595.28f;
    c->head = 0;
    c->cur = NULL;
    new_page(c);
    cb_dlist_add_outline(c->dl, level, ev->title, cb_page_number(c->page),
                         L->page_height);
    c->y = L->page_height * 0.70f;
    cb_style ts = exact(c->f.serif_b, 28 * k, 0);
    centred(c, ev->title, &ts, 34 * k);
    space(c, 14 * k);
    float mid = L->page_width / 2;
    cb_page_add_line(c->page, mid - 60 * k, c->y, mid + 60 * k, c->y, 0.6f,
                     L->meta_color);
    space(c, 20 * k);
    cb_style rs = style(c->f.sans, 22 * k, 0x333333u);
    centred(c, L->label[CB_LABEL_REPORT], &rs, 28 * k);
    space(c, 36 * k);
    cb_style ds = style(c->f.serif, 13 * k, 0);
    centred(c, date_range(c, &ev->start, &ev->end), &ds, 18 * k);
    space(c, 4 * k);
    centred(c, ev->location, &ds, 18 * k);
    cb_style as = style(c->f.serif, 11 * k, L->meta_color);
    centred(c, ev->address, &as, 15 * k);
    if (ev->url) {
        cb_style us = style(c->f.mono, 9 * k, L->meta_color);
        us.link = ev->url;
        draw_single(c, ev->url, &us, mid, L->margin_bottom + 10,
                    CB_ALIGN_CENTER);
    }
}

/* ---- the document ---- */

static int find_faces(composer *c)
{
    const cb_layout *o = c->L;
    faces *f = &c->f;
    f->serif = cb_fonts_find(c->fonts, o->serif, "serif", 0, 0);
    f->serif_b = cb_fonts_find(c->fonts, o->serif, "serif", 1, 0);
    f->serif_i = cb_fonts_find(c->fonts, o->serif, "serif", 0, 1);
    f->serif_bi = cb_fonts_find(c->fonts, o->serif, "serif", 1, 1);
    f->sans = cb_fonts_find(c->fonts, o->sans, "sans-serif", 0, 0);
    f->sans_b = cb_fonts_find(c->fonts, o->sans, "sans-serif", 1, 0);
    f->mono = cb_fonts_find(c->fonts, o->mono, "monospace", 0, 0);
    f->mono_b = cb_fonts_find(c->fonts, o->mono, "monospace", 1, 0);
    int *all = &f->serif;
    for (int i = 0; i < 8; i++)
        if (all[i] < 0) {
            cb_diag_error(c->diag, NULL, "no usable TrueType font found "
                          "(install fonts-noto-core)");
            return -1;
        }
    return 0;
}

static void set_metadata(composer *c, const cb_model *m)
{
    const cb_event *ev = &m->events[0];
    const char *report = c->L->label[CB_LABEL_REPORT];
    char *title = cb_arena_printf(c->scratch, "%s \u2013 %s", ev->title,
                                  report);
    cb_dlist_set_info(c->dl, "Title", title);
    cb_dlist_set_info(c->dl, "Author", ev->title);
    const char *when = date_range(c, &ev->start, &ev->end);
    cb_dlist_set_info(c->dl, "Subject",
                      cb_arena_printf(c->scratch, "%s%s%s%s%s", report,
                                      when ? ", " : "",
                                      when ? when : "",
                                      ev->location ? ", " : "",
                                      ev->location ? ev->location : ""));
    cb_dlist_set_info(c->dl, "Keywords", report);
    char *creator = cb_arena_printf(c->scratch, "contribook %s",
                                    c->opts->version);
    cb_dlist_set_info(c->dl, "Creator", creator);
    cb_dlist_set_info(c->dl, "Producer",
                      cb_arena_printf(c->scratch, "%s (libharu 2.3.0)",
                                      creator));
    cb_dlist_set_date(c->dl, c->opts->date);
}

/* The name of the group (of kind g) a contribution opens. */
static const char *group_name(composer *c, const cb_contribution *k,
                              cb_group_by g)
{
    const char *const *lb = c->L->label;
    switch (g) {
    case CB_GROUP_DAY:
        if (!k->start.set)
            return lb[CB_LABEL_UNSCHEDULED];
        c->when = &k->start;
        return cb_arena_printf(cb_dlist_arena(c->dl), "%s",
                               expand(c, "{weekday}, {day} {month} {year}"));
    case CB_GROUP_SESSION:
        return k->session ? k->session : lb[CB_LABEL_NO_SESSION];
    case CB_GROUP_TRACK:
        return k->track ? k->track : lb[CB_LABEL_NO_TRACK];
    case CB_GROUP_TYPE:
        return k->type ? k->type : lb[CB_LABEL_NO_TYPE];
    case CB_GROUP_NONE:
        break;
    }
    return "";
}

/* A heading that opens a part of the book (contents, index, preface). */
static void part_heading(composer *c, const char *title)
{
    new_page(c);
    cb_dlist_add_outline(c->dl, 1, title, cb_page_number(c->page), c->y + 12);
    space(c, 24);
    cb_text_reset(c->text);
    cb_style st = style(c->f.sans_b, c->L->title_size * 1.25f, 0);
    cb_text_add(c->text, title, strlen(title), &st);
    c->role = "H";
    flush_text(c, c->left, c->width, c->width, CB_ALIGN_LEFT,
               c->L->title_leading * 1.25f, DECOR_NONE);
    space(c, 18);
}

/* A group heading in a continuous flow: a day (level 0, with a rule) or
 * a session within it (level 1). */
static void group_heading(composer *c, const char *name, int level)
{
    const cb_layout *L = c->L;
    if (c->page && c->y < L->page_height - L->margin_top - 0.5f &&
        !c->after_heading)
        space(c, L->entry_gap);
    need(c, 4 * L->title_leading + L->keep_lines * L->body_leading);
    if (!c->page)
        new_page(c);
    cb_text_reset(c->text);
    cb_style st = exact(role_face(c, L->title_font, 1),
                        L->title_size * (level ? 0.95f : 1.1f),
                        L->meta_color);
    cb_text_add(c->text, name, strlen(name), &st);
    c->role = "H";
    flush_text(c, c->left, c->width, c->width, CB_ALIGN_LEFT,
               L->title_leading, DECOR_NONE);
    if (!level)
        cb_page_add_line(c->page, c->left, c->y - 2, c->left + c->width,
                         c->y - 2, 0.5f, L->rule_color);
    space(c, level ? 4 : 10);
    c->after_heading = 1;
}

/* Opens a group or subgroup: a heading in a continuous flow, a bookmark
 * and a line of the contents. */
static void open_group(composer *c, const cb_contribution *k, cb_group_by g,
                       int level, int outline_level)
{
    const cb_layout *L = c->L;
    const char *name = group_name(c, k, g);
    if (level == 0)
        c->section = name;
    if (L->flow == CB_FLOW_CONTINUOUS)
        group_heading(c, name, level);
    int continuous = L->flow == CB_FLOW_CONTINUOUS && c->page;
    int page = continuous ? cb_page_number(c->page)
                          : (int)cb_dlist_page_count(c->dl);
    float y = continuous ? c->y + L->title_leading * 2
                         : L->page_height - L->margin_top + 12;
    cb_dlist_add_outline(c->dl, outline_level, name, page, y);
    cb_grow(&c->toc, &c->cap_toc, c->n_toc, sizeof *c->toc);
    c->toc[c->n_toc++] = (toc_entry){name, NULL, level, page, y};
}

/* A line "text ........ 12" with the number linking to its place. */
static void leader_line(composer *c, const char *text, int bold, int page,
                        float y, float indent)
{
    const cb_layout *L = c->L;
    const char *num = body_label(c, page);
    cb_style ts = exact(bold ? c->f.serif_b : c->f.serif, L->body_size, 0);
    cb_style ns = style(c->f.serif, L->body_size, 0);
    ns.link = cb_arena_printf(cb_dlist_arena(c->dl), "#p%d:%.2f", page, y);
    float num_w = 36;
    cb_line *lines;
    cb_text_reset(c->text);
    cb_text_add(c->text, text, strlen(text), &ts);
    long n = cb_text_layout(c->text, c->scratch, c->width - indent - num_w,
                            c->width - indent - num_w, CB_ALIGN_LEFT, &lines);
    if (n < 1)
        return;
    c->role = "TOCI";
    place_lines(c, lines, (size_t)n, c->left + indent, L->body_leading,
                DECOR_NONE);
    float base = c->y + lines[n - 1].descent;
    float end = c->left + indent + lines[n - 1].x + lines[n - 1].width + 4;
    float right = c->left + c->width;
    float nw = draw_single(c, num, &ns, right, base, CB_ALIGN_RIGHT);
    /* the leader: dots at a fixed pitch, aligned from line to line */
    cb_style ds = style(c->f.serif, L->body_size, L->meta_color);
    float pitch = L->body_size * 0.5f;
    for (float x = ceilf(end / pitch) * pitch; x + pitch < right - nw - 3;
         x += pitch)
        draw_single(c, ".", &ds, x, base, CB_ALIGN_LEFT);
}

static void render_toc(composer *c)
{
    part_heading(c, c->L->label[CB_LABEL_CONTENTS]);
    for (size_t i = 0; i < c->n_toc; i++) {
        const toc_entry *e = &c->toc[i];
        if (e->id && c->L->toc_groups_only)
            continue;
        const char *t = e->id && c->L->toc_ids
                            ? cb_arena_printf(c->scratch, "%s  %s", e->id,
                                              e->title)
                            : e->title;
        if (e->level == 0)
            space(c, 6);
        /* contributions are indented under their groups */
        int depth = e->level - (c->L->group == CB_GROUP_NONE ? 2 : 0) -
                    (c->L->subgroup == CB_GROUP_NONE && e->level == 2);
        leader_line(c, t, e->level == 0, e->page, e->y,
                    depth > 0 ? 12.0f * (float)depth : 0);
        space(c, 1.5f);
    }
}

static int ref_cmp(const void *x, const void *y)
{
    const index_ref *a = x, *b = y;
    int r = (a->kind > b->kind) - (a->kind < b->kind);
    r = r ? r : strcmp(a->key, b->key);
    return r ? r : (a->page > b->page) - (a->page < b->page);
}

/* An index: every name of a kind with the pages it appears on, each page
 * a link there. */
static void render_index(composer *c, index_kind kind, const char *title)
{
    set_columns(c, 1);
    part_heading(c, title);
    set_columns(c, c->L->index_columns);
    cb_style ns = exact(c->f.serif, c->L->body_size, 0);
    cb_style ps = style(c->f.serif, c->L->body_size, 0);
    for (size_t i = 0; i < c->n_refs;) {
        if (c->refs[i].kind != kind) {
            i++;
            continue;
        }
        size_t j = i;
        cb_text_reset(c->text);
        cb_text_add(c->text, c->refs[i].name, strlen(c->refs[i].name), &ns);
        cb_text_add(c->text, "  ", 2, &ps);
        int last_page = -1;
        for (; j < c->n_refs && c->refs[j].kind == kind &&
               strcmp(c->refs[j].key, c->refs[i].key) == 0;
             j++) {
            if (c->refs[j].page == last_page)
                continue;
            if (last_page >= 0)
                cb_text_add(c->text, ", ", 2, &ps);
            cb_style link = ps;
            link.link = cb_arena_printf(cb_dlist_arena(c->dl), "#p%d:%.2f",
                                        c->refs[j].page,
                                        c->L->page_height -
                                            c->L->margin_top + 12);
            const char *num = body_label(c, c->refs[j].page);
            cb_text_add(c->text, num, strlen(num), &link);
            last_page = c->refs[j].page;
        }
        /* continuation lines hang under the name */
        cb_line *lines;
        long nl = cb_text_layout(c->text, c->scratch, c->width,
                                 c->width - 12, CB_ALIGN_LEFT, &lines);
        for (long k = 1; k < nl; k++)
            lines[k].x += 12;
        c->role = "Index";
        if (nl > 0)
            place_lines(c, lines, (size_t)nl, c->left, c->L->body_leading,
                        DECOR_NONE);
        i = j;
    }
}

/* A preface or postface: a Markdown file set as body text. */
static void render_matter_file(composer *c, const char *path)
{
    cb_buf b = {0};
    if (cb_read_file(path, &b) < 0) {
        cb_diag_error(c->diag, path, "cannot read: %s", strerror(errno));
        cb_buf_free(&b);
        return;
    }
    /* the description reader takes valid UTF-8 only */
    if (!cb_utf8_valid(b.data, b.len)) {
        cb_diag_error(c->diag, path, "not valid UTF-8");
        cb_buf_free(&b);
        return;
    }
    new_page(c);
    cb_block *blocks = cb_markup_parse(c->scratch, b.data ? b.data : "",
                                       b.len);
    render_blocks(c, blocks, c->left, 0);
    cb_buf_free(&b);
}

/* Front matter is set after the body it lists, then moved before it:
 * its pages are numbered i, ii, iii..., the body's from 1. */
static void render_front(composer *c, const cb_event *ev, int body_first)
{
    const cb_layout *L = c->L;
    int front_first = (int)cb_dlist_page_count(c->dl);
    c->base = front_first;
    c->roman = 1;
    c->cur = NULL;
    c->section = NULL;
    set_columns(c, 1);
    if (L->cover)
        render_title_page(c, ev, 0);
    c->head = 1;
    if (*L->preface)
        render_matter_file(c, L->preface);
    if (L->toc)
        render_toc(c);
    /* two-sided: the body starts on a right-hand page */
    int count = (int)cb_dlist_page_count(c->dl) - front_first;
    if (L->two_sided && count % 2) {
        c->head = 0;
        new_page(c);
        count++;
    }
    /* heads and feet first: they number pages as they are now */
    finish_pages(c, c->first_rec);
    cb_dlist_move_pages(c->dl, (size_t)front_first, (size_t)count,
                        (size_t)body_first);
    cb_dlist_add_page_label(c->dl, body_first, 1, 1);
    cb_dlist_add_page_label(c->dl, body_first + count, 0, 1);
    c->roman = 0;
}

static void render_event(composer *c, const cb_event *ev, int nested)
{
    const cb_layout *L = c->L;
    int front = L->toc || *L->preface;
    c->ev = ev;
    c->short_event = NULL;
    c->n_toc = c->n_refs = 0;
    c->page = NULL;
    c->section = NULL;
    c->first_rec = c->n_recs;
    int body_first = (int)cb_dlist_page_count(c->dl);
    if (front)
        c->base = body_first;
    else if (L->cover)
        render_title_page(c, ev, 0);
    c->body_base = c->base;
    const cb_contribution **order =
        cb_order_contributions(ev, L->sort, L->n_sort, L->group,
                               L->subgroup);
    int cut;
    cb_style hs = style(role_face(c, L->head_font, 0), L->head_size,
                        L->head_color);
    c->short_event = cb_arena_strdup(cb_dlist_arena(c->dl),
                                     fit_text(c, ev->title, &hs,
                                              c->width * 0.3f, &cut));
    c->head = 1;
    c->page = NULL;
    set_columns(c, L->columns);
    int grouped = L->group != CB_GROUP_NONE;
    int subgrouped = grouped && L->subgroup != CB_GROUP_NONE;
    const cb_contribution *prev = NULL; /* the last contribution set */
    for (size_t i = 0; i < ev->n_contribs; i++) {
        if (L->board_only && !order[i]->board)
            continue;
        /* a group (and a subgroup) opens a level of bookmarks, and in a
         * continuous flow a heading, above its contributions */
        int new_group = grouped && (!prev || !cb_order_same_group(
                                                 prev, order[i], L->group));
        if (new_group)
            open_group(c, order[i], L->group, 0, nested);
        if (subgrouped && (new_group || !cb_order_same_group(
                                            prev, order[i], L->subgroup)))
            open_group(c, order[i], L->subgroup, 1, nested + 1);
        render_contribution(c, order[i], nested + grouped + subgrouped);
        prev = order[i];
        /* lines are copied into the display list: drop them */
        cb_arena_free(c->scratch);
        c->scratch = cb_arena_new();
    }
    free(order);
    if (L->board_only && !prev && ev->n_contribs)
        cb_diag_warning(c->diag, NULL, "%s: no contribution has a poster "
                        "board number, and the layout lists only those",
                        ev->title);
    c->cur = NULL;
    set_columns(c, 1);
    if (*L->postface)
        render_matter_file(c, L->postface);
    /* one sort serves every index: by kind, then name, then page */
    qsort(c->refs, c->n_refs, sizeof *c->refs, ref_cmp);
    if (L->author_index)
        render_index(c, INDEX_AUTHOR, L->label[CB_LABEL_AUTHOR_INDEX]);
    if (L->affiliation_index)
        render_index(c, INDEX_AFFILIATION,
                     L->label[CB_LABEL_AFFILIATION_INDEX]);
    if (L->keyword_index)
        render_index(c, INDEX_KEYWORD, L->label[CB_LABEL_KEYWORD_INDEX]);
    if (front)
        render_front(c, ev, body_first);
    else
        finish_pages(c, c->first_rec);
}

int cb_compose_report(const cb_model *m, cb_fonts *fonts,
                      const cb_compose_options *opts, cb_dlist *dl,
                      cb_diag *diag)
{
    const cb_layout *L = opts->layout;
    composer c = {0};
    c.L = L;
    c.fonts = fonts;
    c.dl = dl;
    c.diag = diag;
    c.opts = opts;
    c.full_width = c.width = L->page_width - L->margin_inner -
                             L->margin_outer;
    c.n_cols = 1;
    c.coll = cb_collator_new();
    c.scratch = cb_arena_new();
    c.text = cb_text_new(fonts);
    int rc = CB_EXIT_OK;
    if (find_faces(&c) < 0) {
        rc = CB_EXIT_FONT;
        goto out;
    }
    time_t t = (time_t)opts->date;
    struct tm tm;
    gmtime_r(&t, &tm);
    c.date_text = cb_arena_printf(cb_dlist_arena(dl), "%d %s %d", tm.tm_mday,
                                  L->months[tm.tm_mon], tm.tm_year + 1900);
    cb_text_set_language(c.text, L->language);
    if (m->n_events)
        set_metadata(&c, m);
    for (size_t i = 0; i < m->n_events; i++)
        render_event(&c, &m->events[i], 1);
    if (cb_diag_errors(diag))
        rc = CB_EXIT_FONT;
out:
    cb_text_free(c.text);
    cb_arena_free(c.scratch);
    free(c.toc);
    free(c.refs);
    free(c.recs);
    cb_collator_free(c.coll);
    return rc;
}

/* compose_page.c - pages, columns, running heads and footers, and lines placed
 * on them: page breaks without widows or orphans (see cb_composer.h). */
#include "cb_composer.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The background of code blocks: a light tint of the text colour (#f1f1f1
 * for black). */
#define CODE_BG_TINT 0.055f

/* While an entry is measured and set, its layouts are kept in the order
 * made and given back in that order when asked again for the same widths
 * (the text is the same: the same fields of the same contribution), so
 * measuring costs placing lines, not breaking them. */
long cb_compose_layout(composer *c, float first_w, float w, cb_align align,
                       cb_line **lines)
{
    if (c->memo_on && c->next_memo < c->n_memo) {
        const laid_text *m = &c->memo[c->next_memo];
        if (m->first_w == first_w && m->w == w && m->align == align) {
            c->next_memo++;
            *lines = m->lines;
            return m->n;
        }
        c->n_memo = c->next_memo; /* out of step: lay out afresh */
    }
    long n = cb_text_layout(c->text, c->scratch, first_w, w, align, lines);
    if (c->memo_on) {
        cb_grow(&c->memo, &c->cap_memo, c->n_memo, sizeof *c->memo);
        c->memo[c->n_memo++] = (laid_text){first_w, w, align, n, *lines};
        c->next_memo = c->n_memo;
    }
    return n;
}

/* Day of the week, 0 = Monday (1970-01-01 was a Thursday). */
static int weekday(int y, int m, int d)
{
    return (int)(((cb_days_from_civil(y, m, d) % 7) + 7 + 3) % 7);
}

/* A single line (a running head or footer) shows at
 * most this many bytes of its text: a line of 8pt type across A3 holds
 * about 150 characters, and the search below lays out its text about
 * log2(n) times on every page, so a megabyte title must not reach it. */
#define FIT_TEXT_MAX_BYTES 1024

/* Shortens text with an ellipsis until it is at most max_w wide. */
/* The memo of s in style st cut to max_w, or NULL. */
static struct fit_memo *fit_memo_of(composer *c, const char *s,
                                    const cb_style *st, float max_w)
{
    for (int i = 0; i < 4; i++) {
        struct fit_memo *m = &c->fit_memo[i];
        if (m->text && m->face == st->face && m->size_pt == st->size_pt &&
            m->max_w == max_w && !strcmp(m->text, s))
            return m;
    }
    return NULL;
}

static const char *fit_text(composer *c, const char *s, const cb_style *st,
                            float max_w, int *cut);

const char *cb_compose_fit_text(composer *c, const char *s, const cb_style *st,
                                float max_w, int *cut)
{
    struct fit_memo *m = fit_memo_of(c, s, st, max_w);
    if (!m) {
        const char *fitted = fit_text(c, s, st, max_w, cut);
        m = &c->fit_memo[c->next_fit_memo];
        c->next_fit_memo = (c->next_fit_memo + 1) % 4;
        free(m->text);
        free(m->fitted);
        *m = (struct fit_memo){cb_xstrdup(s), cb_xstrdup(fitted), st->face,
                               st->size_pt, max_w};
    }
    /* a cut text ends in the ellipsis the search added */
    *cut = strcmp(m->fitted, m->text) != 0;
    return cb_arena_strdup(c->scratch, m->fitted);
}

/* cb_compose_fit_text's search. */
static const char *fit_text(composer *c, const char *s, const cb_style *st,
                            float max_w, int *cut)
{
    cb_line *lines;
    size_t n = strlen(s);
    *cut = 0;
    if (n > FIT_TEXT_MAX_BYTES) { /* at a character boundary */
        n = cb_utf8_cut(s, FIT_TEXT_MAX_BYTES);
        s = cb_arena_strndup(c->scratch, s, n);
        *cut = 1;
    }
    if (!*cut) { /* whole, when it fits */
        cb_text_reset(c->text);
        cb_text_add(c->text, s, n, st);
        if (cb_compose_layout(c, 1e6f, 1e6f, CB_ALIGN_LEFT, &lines) == 1 &&
            lines[0].width <= max_w)
            return s;
    }
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
        if (cb_compose_layout(c, 1e6f, 1e6f, CB_ALIGN_LEFT, &lines) == 1 &&
            lines[0].width <= max_w) {
            lo = mid;
        } else {
            size_t prev = cb_utf8_cut(s, mid - 1);
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

/* Draws a line laid out by itself at (x, y); align picks what x means. */
static float place_single(composer *c, cb_line *line, float x, float y,
                          cb_align align)
{
    float w = line->width;
    if (align == CB_ALIGN_RIGHT)
        x -= w;
    else if (align == CB_ALIGN_CENTER)
        x -= w / 2;
    line->x = 0; /* x is placed here, whatever the text's direction */
    if (!c->measuring)
        cb_line_draw(line, c->page, x, y);
    return w;
}

/* Draws one line of text at (x, y); align picks what x means. */
float cb_compose_draw_single(composer *c, const char *s, const cb_style *st,
                             float x, float y, cb_align align)
{
    cb_line *lines;
    cb_text_reset(c->text);
    cb_text_add(c->text, s, strlen(s), st);
    if (cb_compose_layout(c, 1e6f, 1e6f, CB_ALIGN_LEFT, &lines) < 1)
        return 0;
    return place_single(c, &lines[0], x, y, align);
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
const char *cb_compose_body_label(composer *c, int index)
{
    return cb_arena_printf(c->scratch, "%d", index - c->body_base + 1);
}

/* Text from the input, at most FIT_TEXT_MAX_BYTES of it (cut at a
 * character): a template is expanded on every page, and a megabyte title
 * copied into each running head would cost its size per page. */
static const char *clip(composer *c, const char *s)
{
    size_t n = strnlen(s, FIT_TEXT_MAX_BYTES + 1);
    if (n <= FIT_TEXT_MAX_BYTES)
        return s;
    n = cb_utf8_cut(s, FIT_TEXT_MAX_BYTES);
    return cb_arena_strndup(c->scratch, s, n);
}

/* The value of a template placeholder (see cb_layout_expand). */
static const char *placeholder(void *ctx, const char *name)
{
    composer *c = ctx;
    const cb_datetime *w = c->when;
    if (strcmp(name, "event") == 0)
        return clip(c, c->short_event ? c->short_event : c->ev->title);
    if (strcmp(name, "report") == 0)
        return c->L->label[CB_LABEL_REPORT];
    if (strcmp(name, "title") == 0)
        return c->cur ? clip(c, cb_math_plain_text(c->scratch,
                                                   clip(c, c->cur->title)))
                      : "";
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
        return c->section ? clip(c, c->section) : "";
    if (strcmp(name, "url") == 0) /* the contribution's, else the event's */
        return c->cur && c->cur->url ? clip(c, c->cur->url)
               : c->ev && c->ev->url ? clip(c, c->ev->url)
                                     : "";
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

const char *cb_compose_expand(composer *c, const char *tmpl)
{
    return cb_layout_expand(c->scratch, tmpl, placeholder, c);
}

/* A date in the layout's format and language. */
const char *cb_compose_format_date(composer *c, const cb_datetime *d)
{
    c->when = d;
    const char *s = cb_compose_expand(c, c->L->date_format);
    c->when = NULL;
    return s;
}

const char *cb_compose_format_day(composer *c, const cb_datetime *d)
{
    c->when = d;
    const char *s = cb_compose_expand(c, c->L->day_format);
    c->when = NULL;
    return s;
}

static float one_line(composer *c, const char *s, const cb_style *st,
                      cb_line **line);

/* The width of s set on one line; past FIT_TEXT_MAX_BYTES, wider than any
 * page (cb_compose_fit_text cuts it). */
float cb_compose_text_width(composer *c, const char *s, const cb_style *st)
{
    cb_line *line;
    return one_line(c, s, st, &line);
}

/* cb_compose_text_width, with the line (NULL when there is none). */
static float one_line(composer *c, const char *s, const cb_style *st,
                      cb_line **line)
{
    *line = NULL;
    if (strnlen(s, FIT_TEXT_MAX_BYTES + 1) > FIT_TEXT_MAX_BYTES)
        return 1e6f;
    cb_line *lines;
    cb_text_reset(c->text);
    cb_text_add(c->text, s, strlen(s), st);
    if (cb_compose_layout(c, 1e6f, 1e6f, CB_ALIGN_LEFT, &lines) != 1)
        return 1e6f;
    *line = &lines[0];
    return lines[0].width;
}

/* Draws s from its line laid out already, else lays it out. */
static void draw_laid(composer *c, cb_line *line, const char *s,
                      const cb_style *st, float x, float y, cb_align align)
{
    if (line)
        place_single(c, line, x, y, align);
    else
        cb_compose_draw_single(c, s, st, x, y, align);
}

/* Draws the left and right texts of a running head or footer on one line
 * across the text width, `gap` apart: when they do not fit, the left
 * keeps its width if it leaves the right a quarter of the line, and the
 * right is cut with an ellipsis to the rest; else the right keeps its
 * width if it takes at most half; else each gets half. Whatever the templates say,
 * nothing runs into the margin or over the other side. right_first: the
 * order in the content stream, which text extraction follows (a footer's
 * page number comes first). */
static void draw_pair(composer *c, const char *l, const char *r,
                     const cb_style *st, float y, int right_first)
{
    const float gap = 24;
    float avail = *l && *r ? c->width - gap : c->width;
    /* each laid out once: a line that is not cut is drawn as measured */
    cb_line *ll = NULL, *rl = NULL;
    float lw = *l ? one_line(c, l, st, &ll) : 0;
    float rw = *r ? one_line(c, r, st, &rl) : 0;
    int cut;
    if (lw + rw > avail) {
        float half = avail / 2, lmax = half, rmax = half;
        if (lw <= avail * 0.75f) /* the left (the event, the same on */
            lmax = lw, rmax = avail - lw; /* every page) stays whole */
        else if (rw <= avail / 2)
            rmax = rw, lmax = avail - rw;
        if (*l && !(ll && lw <= lmax) &&
            (l = cb_compose_fit_text(c, l, st, lmax, &cut), cut))
            ll = NULL;
        if (*r && !(rl && rw <= rmax) &&
            (r = cb_compose_fit_text(c, r, st, rmax, &cut), cut))
            rl = NULL;
    }
    float right = c->left + c->width;
    if (*r && right_first)
        draw_laid(c, rl, r, st, right, y, CB_ALIGN_RIGHT);
    if (*l)
        draw_laid(c, ll, l, st, c->left, y, CB_ALIGN_LEFT);
    if (*r && !right_first)
        draw_laid(c, rl, r, st, right, y, CB_ALIGN_RIGHT);
}

/* Whether the page is a left-hand page of a two-sided layout: an even
 * one, counting from the start of its part. */
static int is_verso(const composer *c)
{
    return c->L->two_sided &&
           (cb_page_number(c->page) - c->base + 1) % 2 == 0;
}

/* A verso template: itself, or the recto's left or right one. */
static const char *verso(const char *tpl, const char *left, const char *right)
{
    return !strcmp(tpl, CB_RECTO_LEFT)    ? left
           : !strcmp(tpl, CB_RECTO_RIGHT) ? right
                                          : tpl;
}

/* Crop marks at the corners, beyond the bleed, and registration marks
 * at the middle of each side, all outside the page (the writer makes
 * room for them); the slug line below them: the file, date and page. */
static void draw_marks(composer *c)
{
    const cb_layout *L = c->L;
    float w = L->page_width_pt, h = L->page_height_pt;
    float o = L->bleed_pt > CB_MARK_OFFSET_PT ? L->bleed_pt : CB_MARK_OFFSET_PT;
    float e = o + CB_MARK_LENGTH_PT, lw = 0.25f;
    const unsigned reg = CB_REGISTRATION; /* marks are in every ink */
    for (int i = 0; i < 4; i++) {
        float x = i % 2 ? w : 0, y = i / 2 ? h : 0;
        float dx = i % 2 ? 1 : -1, dy = i / 2 ? 1 : -1;
        cb_page_add_line(c->page, x + dx * o, y, x + dx * e, y, lw, reg);
        cb_page_add_line(c->page, x, y + dy * o, x, y + dy * e, lw, reg);
    }
    if (L->registration_marks) {
        float m = (o + e) / 2, r = CB_MARK_LENGTH_PT / 2 - 2;
        const float at[4][2] = {{w / 2, -m}, {w / 2, h + m}, {-m, h / 2},
                                {w + m, h / 2}};
        for (int i = 0; i < 4; i++) {
            float x = at[i][0], y = at[i][1];
            cb_page_add_line(c->page, x - r - 2, y, x + r + 2, y, lw, reg);
            cb_page_add_line(c->page, x, y - r - 2, x, y + r + 2, lw, reg);
            /* the circle, as a square's outline: vector, in every ink */
            cb_page_add_line(c->page, x - r, y - r, x + r, y - r, lw, reg);
            cb_page_add_line(c->page, x + r, y - r, x + r, y + r, lw, reg);
            cb_page_add_line(c->page, x + r, y + r, x - r, y + r, lw, reg);
            cb_page_add_line(c->page, x - r, y + r, x - r, y - r, lw, reg);
        }
    }
    if (L->slug) {
        size_t from;
        cb_page_items(c->page, &from);
        cb_style st = style(role_face(c, CB_FONT_SANS, 0), 6, 0);
        const char *text = cb_arena_printf(
            c->scratch, "%s   %s   %s",
            c->opts->output_name ? c->opts->output_name : "", c->date_text,
            cb_compose_expand(c, "{page}"));
        cb_compose_draw_single(c, text, &st, 0, -e - 8, CB_ALIGN_LEFT);
        cb_page_mark_artifacts(c->page, from);
    }
}

int cb_compose_image(composer *c, const cb_layout_image *im)
{
    char real[PATH_MAX];
    const char *name = realpath(im->path, real) ? real : im->path;
    return cb_dlist_add_image(c->dl, name, &im->image);
}

/* The running head's logo at its outer end (the right, or the left of a
 * left-hand page), standing on the head's rule: decoration, an artifact.
 * The head's text on that side moves inward past it. */
static void draw_head_logo(composer *c, float top, int v)
{
    const cb_layout *L = c->L;
    const cb_image *im = &L->head_logo.image;
    float h = L->head_logo_height_pt;
    float ratio = cb_image_height_pt(im) / cb_image_width_pt(im); /* as seen */
    float w = h / ratio;
    if (w > c->width / 3) /* a wide logo leaves the head its text */
        w = c->width / 3, h = w * ratio;
    cb_page_add_image(c->page, v ? c->left : c->left + c->width - w, top - 3,
                      w, h, cb_compose_image(c, &L->head_logo), NULL);
    c->width -= w + 8;
    if (v)
        c->left += w + 8;
}

static void draw_head_and_foot(composer *c)
{
    const cb_layout *L = c->L;
    float top = L->page_height_pt - L->margin_top_pt + 22;
    int v = is_verso(c);
    cb_style hs =
        style(role_face(c, L->head_font, 0), L->head_size_pt, L->head_color);
    if (c->head < 0) { /* a cover */
        if (L->crop_marks)
            draw_marks(c);
        return;
    }
    if (c->head) {
        const char *l = L->head_left, *r = L->head_right;
        if (v) {
            l = verso(L->head_verso_left, L->head_left, L->head_right);
            r = verso(L->head_verso_right, L->head_left, L->head_right);
        }
        float left = c->left, width = c->width;
        if (L->head_logo.image.data)
            draw_head_logo(c, top, v);
        draw_pair(c, cb_compose_expand(c, l), cb_compose_expand(c, r), &hs,
                  top, 0);
        c->left = left, c->width = width;
        cb_page_add_line(c->page, c->left, top - 5, c->left + c->width,
                         top - 5, 0.4f, L->rule_color);
    }
    cb_style fs =
        style(role_face(c, L->head_font, 0), L->foot_size_pt, L->head_color);
    float foot = L->margin_bottom_pt - 30;
    const char *l = L->foot_left, *r = L->foot_right;
    if (v) {
        l = verso(L->foot_verso_left, L->foot_left, L->foot_right);
        r = verso(L->foot_verso_right, L->foot_left, L->foot_right);
    }
    draw_pair(c, cb_compose_expand(c, l), cb_compose_expand(c, r), &fs, foot,
              1);
    if (L->crop_marks)
        draw_marks(c);
}

/* The left margin of a page: two-sided, the inner margin is on the left of
 * odd (right-hand) pages, counting from the start of its part. */
static float left_margin(const composer *c, int index, int base)
{
    int even = (index - base + 1) % 2 == 0;
    return c->L->two_sided && even ? c->L->margin_outer_pt
                                   : c->L->margin_inner_pt;
}

/* What comes past a limit of pages is set on the last page, over and
 * over: the run ends soon (with its error) and memory stays bounded. */
static void set_again(composer *c)
{
    cb_page_clear(c->page);
    c->y = c->col_top = c->L->page_height_pt - c->L->margin_top_pt;
    c->col = 0;
    c->left = c->page_left;
}

void cb_compose_new_page(composer *c)
{
    /* the pages before this one are complete: their heads and feet are
     * drawn now, and they are done (handed to the writer, when it takes
     * pages as they come) */
    if (c->eager && c->page && !c->too_many_pages)
        cb_compose_finish_pages(c, c->done_recs);
    if (c->ahead && c->page &&
        cb_dlist_page_count(c->dl) >= AHEAD_MAX_PAGES) {
        c->ahead_over = 1; /* let go (compose_ahead.c) */
        set_again(c);
        return;
    }
    int max = c->opts->max_pages > 0 && c->opts->max_pages < CB_MAX_PAGES
                  ? c->opts->max_pages
                  : CB_MAX_PAGES;
    if (c->page && cb_dlist_page_count(c->dl) >= (size_t)max) {
        if (!c->too_many_pages)
            cb_diag_error(c->diag, NULL, "the booklet passes %d pages, the "
                          "most %s: split the input, or use a smaller type",
                          max, max == CB_MAX_PAGES
                                           ? "one run makes"
                                           : "--max-pages allows");
        c->too_many_pages = 1;
        set_again(c);
        return;
    }
    c->page =
        cb_dlist_add_page(c->dl, c->L->page_width_pt, c->L->page_height_pt);
    c->page_left = c->left = left_margin(c, cb_page_number(c->page), c->base);
    c->y = c->col_top = c->L->page_height_pt - c->L->margin_top_pt;
    c->col = 0;
    cb_grow(&c->recs, &c->cap_recs, c->n_recs, sizeof *c->recs);
    c->recs[c->n_recs++] = (page_rec){c->page, c->cur, c->section, c->head,
                                      c->base, c->roman, c->short_event};
}

/* Sets what follows in n columns (1 for the whole width), from here. */
void cb_compose_set_columns(composer *c, int n)
{
    c->n_cols = n < 1 ? 1 : n;
    c->col = 0;
    c->width = (c->full_width - c->L->column_gap_pt * (float)(c->n_cols - 1)) /
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
        c->left =
            c->page_left + (float)c->col * (c->width + c->L->column_gap_pt);
        return;
    }
    cb_compose_new_page(c);
}

/* Whether the current column still holds nothing. */
static int at_column_top(const composer *c)
{
    return c->y >= c->col_top - 0.5f;
}

/* A part's numbering and the highest page number set in it. */
typedef struct {
    int base, last;
} part_span;

static int by_base(const void *a, const void *b)
{
    const part_span *x = a, *y = b;
    return (x->base > y->base) - (x->base < y->base);
}

/* Draws the running heads and footers of the pages set since `from`,
 * each with its part's page count. A title shortened there is no warning:
 * the layout does it by design (it was 106 of the FEL2022 report's 108). */
void cb_compose_finish_pages(composer *c, size_t from)
{
    if (from < c->done_recs)
        from = c->done_recs;
    page_rec saved = {c->page, c->cur, c->section, c->head, c->base,
                      c->roman, c->short_event};
    /* pages end in the middle of an entry being set from its measured
     * layouts: heads and feet are laid out apart from them, which they
     * would put out of step (the rest of the entry laid out again), or,
     * the memo knowing layouts by their measure alone, be handed the
     * lines of the entry's next one-line layout (a list marker's) */
    int memo_on = c->memo_on;
    c->memo_on = 0;
    /* each part's page count, from its pages sorted by numbering: one
     * sort, where a scan of every page for every page was quadratic in a
     * description 16,000 pages long */
    size_t n = c->n_recs - from, parts = 0;
    part_span *span = cb_xmalloc((n ? n : 1) * sizeof *span);
    for (size_t i = 0; i < n; i++)
        span[i] = (part_span){c->recs[from + i].base,
                              cb_page_number(c->recs[from + i].page)};
    qsort(span, n, sizeof *span, by_base);
    for (size_t i = 0; i < n; i++) {
        if (parts && span[parts - 1].base == span[i].base) {
            if (span[i].last > span[parts - 1].last)
                span[parts - 1].last = span[i].last;
        } else {
            span[parts++] = span[i];
        }
    }
    for (size_t i = from; i < c->n_recs; i++) {
        const page_rec *r = &c->recs[i];
        part_span key = {r->base, 0};
        const part_span *p = bsearch(&key, span, parts, sizeof *span, by_base);
        c->pages = p ? p->last - r->base + 1 : 0;
        if (c->pages < 0)
            c->pages = 0;
        c->page = r->page, c->cur = r->cur, c->section = r->section;
        c->head = r->head, c->base = r->base, c->roman = r->roman;
        c->short_event = r->event;
        c->left = left_margin(c, cb_page_number(c->page), c->base);
        float width = c->width;
        c->width = c->full_width;
        size_t before;
        cb_page_items(c->page, &before);
        draw_head_and_foot(c);
        cb_page_items_to_front(c->page, before);
        c->width = width;
        cb_dlist_page_done(c->dl, c->page);
    }
    c->done_recs = c->n_recs;
    free(span);
    c->page = saved.page, c->cur = saved.cur, c->section = saved.section;
    c->head = saved.head, c->base = saved.base, c->roman = saved.roman;
    c->short_event = saved.event;
    c->memo_on = memo_on;
}

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
        if (y < c->L->margin_bottom_pt - 0.01f)
            break;
    }
    return k;
}

static void draw_decor(composer *c, decor d, float x, float top, float bottom)
{
    if (d == DECOR_CODE)
        cb_page_add_rect(c->page, x - 4, bottom, c->width - (x - c->left) + 4,
                         top - bottom,
                         tint(c->L->text_color, CODE_BG_TINT));
    else if (d == DECOR_QUOTE)
        cb_page_add_line(c->page, c->left + c->quote_indent, top,
                         c->left + c->quote_indent, bottom, 1.2f,
                         c->L->rule_color);
}

/* Reports a line that ends inside a word (a word too long for any line:
 * once, at its first line, however many lines it fills) or that is wider
 * than the measure, quoting the line; prev is the line before, or NULL. */
static void warn_overfull(composer *c, const cb_line *l, const cb_line *prev)
{
    if ((!l->overfull && !l->split) || (l->split && prev && prev->split))
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
    cb_diag_warning(c->diag, l->split ? CB_W_LONG_WORD : CB_W_OVERFULL,
                    c->where, l->split ? "a word too long for the line is broken "
                               "inside it: \"%.*s%s\""
                             : "a line runs into the margin: \"%.*s%s\"",
                    (int)n, b.data ? b.data : "", n < b.len ? "\u2026" : "");
    cb_buf_free(&b);
}

/* Lines measured, not placed: y moves down past them, and the end of the
 * lines of text an entry keeps with its heading is noted: keep_lines of
 * them, or the whole paragraph when the rest would be one line alone (a
 * widow, which placing would not leave). */
static float measure_lines(composer *c, const cb_line *lines, size_t n,
                           float lead)
{
    size_t keep = 0;
    if (c->keep_left > 0) {
        keep = n < (size_t)c->keep_left ? n : (size_t)c->keep_left;
        if (n >= 3 && n == keep + 1)
            keep = n;
    }
    c->role = NULL;
    c->marker = NULL;
    float first = c->y;
    for (size_t k = 0; k < n; k++) {
        c->y -= line_box(&lines[k], lead);
        if (k + 1 == keep) {
            c->keep_left = keep >= (size_t)c->keep_left
                               ? 0
                               : c->keep_left - (int)keep;
            if (!c->keep_left)
                c->keep_y = c->y;
        }
    }
    c->end_y = c->y;
    return first;
}

static int ends_in_hyphen(const cb_line *l)
{
    for (size_t r = l->n_runs; r-- > 0;)
        if (l->runs[r].text_len)
            return l->runs[r].text[l->runs[r].text_len - 1] == '-';
    return 0;
}

/* Places lines at indent x, breaking pages as needed: a paragraph never
 * leaves one line alone at the bottom (orphan) or the top (widow) of a page
 * when it has lines enough to avoid it. Returns the first baseline. */
float cb_compose_place_lines(composer *c, const cb_line *lines, size_t n,
                             float x, float lead, decor d)
{
    if (c->measuring)
        return measure_lines(c, lines, n, lead);
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
            /* and no page ends in a hyphen when a line less avoids it
             * (TeX's \brokenpenalty): the reader turns the page in the
             * middle of a word, and pdftotext joins the word's end to the
             * folio below it ("consec36") */
            if (fit >= 3 && ends_in_hyphen(&lines[i + fit - 1]))
                fit--;
        }
        if (fit == 0 && !at_column_top(c)) {
            next_column(c);
            continue;
        }
        if (fit == 0)
            fit = 1; /* taller than a page: place it anyway */
        cb_page_add_block(c->page, role, id, c->block_lang);
        cb_grow(&c->line_pages, &c->cap_line_pages, i + fit,
                   sizeof *c->line_pages);
        for (size_t k = 0; k < fit; k++, i++) {
            const cb_line *l = &lines[i];
            c->line_pages[i] = cb_page_number(c->page);
            float box = line_box(l, lead);
            float base = c->y - (box - l->descent);
            if (box > lead)
                base = c->y - l->ascent;
            draw_decor(c, d, x, c->y, c->y - box);
            if (i == 0 && c->marker) {
                /* a list marker ends a little before the first line, in
                 * whichever column and page that line went to; drawn
                 * before it, as it is read: MuPDF and pdf.js read in the
                 * order of drawing ("1. L.T. Campbell", not "Campbell...
                 * 1.") */
                cb_style st = style(c->f.serif, c->L->body_size_pt, 0);
                cb_compose_draw_single(c, c->marker, &st, x - 5, base,
                                       CB_ALIGN_RIGHT);
                c->marker = NULL;
            }
            cb_line_draw(l, c->page, x, base);
            warn_overfull(c, l, i ? l - 1 : NULL);
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
float cb_compose_flush_text(composer *c, float x, float first_w, float w,
                            cb_align align, float lead, decor d)
{
    cb_line *lines;
    long n = cb_compose_layout(c, first_w, w, align, &lines);
    if (n <= 0)
        return 0;
    return cb_compose_place_lines(c, lines, (size_t)n, x, lead, d);
}

int cb_compose_page_showing(const composer *c, const cb_line *lines,
                            size_t n, const char *s)
{
    cb_buf b = {0};
    size_t at = 0;
    for (size_t i = 0; i < n && !at; i++) {
        b.len = 0;
        for (size_t r = 0; r < lines[i].n_runs; r++)
            cb_buf_add(&b, lines[i].runs[r].text, lines[i].runs[r].text_len);
        cb_buf_add(&b, "", 1);
        if (strstr(b.data, s))
            at = i;
    }
    cb_buf_free(&b);
    return c->line_pages[at];
}

/* Moves to the next column or page if less than `pt` points are left. */
void cb_compose_need(composer *c, float pt)
{
    if (!c->measuring && c->y - pt < c->L->margin_bottom_pt &&
        !at_column_top(c))
        next_column(c);
}

float cb_compose_room(const composer *c)
{
    return at_column_top(c) ? INFINITY : c->y - c->L->margin_bottom_pt;
}

/* compose_cover.c - the title page (see cb_composer.h). */
#include "cb_composer.h"

#include <string.h>

const char *cb_compose_date_range(composer *c, const cb_datetime *a,
                                  const cb_datetime *b)
{
    if (!a->set)
        return NULL;
    const char *x = cb_compose_format_day(c, a);
    if (!b->set || (a->year == b->year && a->month == b->month &&
                    a->day == b->day))
        return x;
    /* both ends in the layout's format, what they share said once: the
     * words they start with and end with ("2–3 June 2025", "June 2–3,
     * 2025", "2.–3. Juni 2025", "30 June – 2 July 2025") */
    const char *y = cb_compose_format_day(c, b);
    size_t nx = strlen(x), ny = strlen(y), p = 0, s = 0;
    while (p < nx && p < ny && x[p] == y[p])
        p++;
    while (p > 0 && x[p - 1] != ' ') /* a prefix of whole words */
        p--;
    while (s < nx - p && s < ny - p && x[nx - 1 - s] == y[ny - 1 - s])
        s++;
    while (s > 0 && x[nx - s] != ' ' && x[nx - s] != ',') /* and a suffix */
        s--;
    int words = memchr(x + p, ' ', nx - p - s) || memchr(y + p, ' ', ny - p - s);
    return cb_arena_printf(c->scratch, "%.*s%s%.*s", (int)(nx - s), x,
                           words ? " \u2013 " : "\u2013",
                           (int)(ny - p), y + p);
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
    cb_compose_flush_text(c, c->left, c->width, c->width, CB_ALIGN_CENTER, lead,
                          DECOR_NONE);
}

/* The cover's colour for something drawn in c: the layout's cover.color
 * when it sets one (white on a dark background). */
static unsigned ink(const composer *c, unsigned col)
{
    return c->L->cover_color != CB_NO_COLOR ? c->L->cover_color : col;
}

/* The cover logo, centred, `width` wide (less if it would be taller than
 * max_h), its top at y (or its bottom, from_bottom). Decoration: the
 * title beside it says what it says (an artifact, not a Figure). */
static float cover_logo(composer *c, float y, float max_h, int from_bottom)
{
    const cb_layout *L = c->L;
    const cb_image *im = &L->cover_logo.image;
    float ratio = cb_image_height_pt(im) / cb_image_width_pt(im); /* as seen */
    float w = L->cover_logo_width_pt, h = w * ratio;
    if (h > max_h)
        h = max_h, w = h / ratio;
    cb_page_add_image(c->page, (L->page_width_pt - w) / 2,
                      from_bottom ? y : y - h, w, h,
                      cb_compose_image(c, &L->cover_logo), NULL);
    return h;
}

void cb_compose_cover(composer *c, const cb_event *ev, int level)
{
    /* sizes for A4, scaled to the page: an A5 cover is a smaller A4 one */
    const cb_layout *L = c->L;
    float k = L->page_width_pt / 595.28f;
    /* a book's cover has no folio (nor a coloured one a footer under its
     * colour); a report's first page keeps its footer, as Indico's */
    c->head = L->two_sided || L->cover_background != CB_NO_COLOR ? -1 : 0;
    c->cur = NULL;
    cb_compose_new_page(c);
    if (L->cover_background != CB_NO_COLOR) { /* to the trim and beyond */
        float b = L->bleed_pt;
        cb_page_add_rect(c->page, -b, -b, L->page_width_pt + 2 * b,
                         L->page_height_pt + 2 * b, L->cover_background);
    }
    cb_dlist_add_outline(c->dl, level, ev->title, cb_page_number(c->page),
                         L->page_height_pt);
    float top = L->page_height_pt - L->margin_top_pt;
    c->y = L->page_height_pt * 0.70f;
    if (L->cover_logo.image.data && L->cover_logo_position == CB_LOGO_TOP) {
        /* above the title, which moves down if the logo needs it */
        float h = cover_logo(c, top, L->page_height_pt * 0.3f, 0);
        if (top - h - 30 * k < c->y)
            c->y = top - h - 30 * k;
    }
    cb_style ts = exact(c->f.serif_b, 28 * k, ink(c, 0));
    centred(c, ev->title, &ts, 34 * k);
    space(c, 14 * k);
    float mid = L->page_width_pt / 2;
    cb_page_add_line(c->page, mid - 60 * k, c->y, mid + 60 * k, c->y, 0.6f,
                     ink(c, L->meta_color));
    space(c, 20 * k);
    cb_style rs = style(c->f.sans, 22 * k, ink(c, tint(L->text_color, 0.8f)));
    centred(c, L->label[CB_LABEL_REPORT], &rs, 28 * k);
    space(c, 36 * k);
    cb_style ds = style(c->f.serif, 13 * k, ink(c, 0));
    centred(c, cb_compose_date_range(c, &ev->start, &ev->end), &ds, 18 * k);
    space(c, 4 * k);
    centred(c, ev->location, &ds, 18 * k);
    cb_style as = style(c->f.serif, 11 * k, ink(c, L->meta_color));
    centred(c, ev->address, &as, 15 * k);
    float foot = L->margin_bottom_pt + 10;
    if (L->cover_logo.image.data && L->cover_logo_position == CB_LOGO_BOTTOM) {
        float room = c->y - 20 * k - (foot + 20 * k);
        if (room > 20) /* else the venue's lines took the room */
            cover_logo(c, foot + 20 * k, room, 1);
    }
    if (ev->url) {
        cb_style us = style(c->f.mono, 9 * k, ink(c, L->meta_color));
        us.link = ev->url;
        cb_compose_draw_single(c, ev->url, &us, mid, foot, CB_ALIGN_CENTER);
    }
}

static long day_number(const cb_datetime *d)
{
    return d->set ? (long)d->year * 10000 + d->month * 100 + d->day : 0;
}

void cb_compose_volume_span(const cb_model *m, const cb_datetime **first,
                            const cb_datetime **last)
{
    static const cb_datetime none = {0};
    *first = *last = &none;
    for (size_t i = 0; i < m->n_events; i++) {
        const cb_event *ev = &m->events[i];
        const cb_datetime *end = ev->end.set ? &ev->end : &ev->start;
        if (ev->start.set &&
            (!(*first)->set || day_number(&ev->start) < day_number(*first)))
            *first = &ev->start;
        if (end->set && day_number(end) > day_number(*last))
            *last = end;
    }
}

const char *cb_compose_volume_title(composer *c, const cb_model *m)
{
    if (c->opts->title && *c->opts->title)
        return c->opts->title;
    if (*c->L->volume_title)
        return c->L->volume_title;
    cb_buf b = {0};
    for (size_t i = 0; i < m->n_events; i++)
        cb_buf_printf(&b, "%s%s", i ? " \u00b7 " : "", m->events[i].title);
    const char *t = cb_arena_strdup(c->arena, b.data ? b.data : "");
    cb_buf_free(&b);
    return t;
}

/* The volume's title, its subtitle (the layout's, else the dates from
 * its first event's start to its last one's end), and each event with
 * its dates and venue, centred: the volume's title page. */
void cb_compose_volume_cover(composer *c, const cb_model *m)
{
    const cb_layout *L = c->L;
    float k = L->page_width_pt / 595.28f;
    const char *title = cb_compose_volume_title(c, m);
    c->head = L->two_sided ? -1 : 0;
    c->cur = NULL;
    cb_compose_new_page(c);
    cb_dlist_add_outline(c->dl, 0, title, cb_page_number(c->page),
                         L->page_height_pt);
    c->y = L->page_height_pt * 0.75f;
    cb_style ts = exact(c->f.serif_b, 28 * k, 0);
    centred(c, title, &ts, 34 * k);
    space(c, 14 * k);
    float mid = L->page_width_pt / 2;
    cb_page_add_line(c->page, mid - 60 * k, c->y, mid + 60 * k, c->y, 0.6f,
                     L->meta_color);
    space(c, 20 * k);
    const char *sub = L->volume_subtitle;
    if (!*sub && m->n_events) {
        const cb_datetime *a, *b;
        cb_compose_volume_span(m, &a, &b);
        sub = cb_compose_date_range(c, a, b);
    }
    cb_style rs = style(c->f.sans, 18 * k, tint(L->text_color, 0.8f));
    centred(c, sub && *sub ? sub : NULL, &rs, 24 * k);
    space(c, 36 * k);
    cb_style es = exact(c->f.serif_b, 12 * k, 0);
    cb_style ds = style(c->f.serif, 10 * k, L->meta_color);
    for (size_t i = 0; i < m->n_events; i++) {
        const cb_event *ev = &m->events[i];
        centred(c, ev->title, &es, 15 * k);
        const char *when = cb_compose_date_range(c, &ev->start, &ev->end);
        const char *line =
            when && ev->location
                ? cb_arena_printf(c->scratch, "%s, %s", when, ev->location)
                : when ? when : ev->location;
        centred(c, line, &ds, 13 * k);
        space(c, 10 * k);
    }
}

/* compose_timetable.c - a timetable of each day (see cb_composer.h):
 * the rooms as columns, time running down, and each contribution a box
 * at its time and room with its time, title and speakers, filled with its
 * session's colour. Contributions of one session in one room at the same
 * time (a poster session) are one box, the session's. Boxes that overlap
 * in a room stand side by side; a day longer than a page goes on to the
 * next page by time. */
#include "cb_composer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* An hour is at least this high, and higher when the shortest box of the
 * day (MIN_BOX_MIN minutes at the least) needs it to hold a line of its
 * text; a day that needs more room than a page goes on to the next. */
#define MIN_HOUR_PT 40.0f
#define MIN_BOX_MIN 5
/* The columns: the times, then the rooms, each at most this many. */
#define TIME_COL_PT 30.0f
#define MAX_ROOMS 24
/* A box shows at most this much of a title or of its speakers: more
 * than the largest box holds, and what bounds the search for the words
 * that fit (a title may be 32 KB). */
#define BOX_TEXT_MAX_BYTES 400

/* A box: one contribution, or a session's contributions at once. */
typedef struct {
    const cb_contribution *k; /* the first */
    int count;                /* contributions it stands for */
    int room;                 /* its column */
    int start, end;           /* minutes from the day's midnight */
    int lane, lanes;          /* side by side with those it overlaps */
} slot;

static int minutes(const cb_datetime *d)
{
    return d->hour * 60 + d->minute;
}

static int same_day(const cb_datetime *a, const cb_datetime *b)
{
    return a->year == b->year && a->month == b->month && a->day == b->day;
}

static int by_time(const void *pa, const void *pb)
{
    const cb_contribution *a = *(const cb_contribution *const *)pa,
                          *b = *(const cb_contribution *const *)pb;
    int d = a->start.year - b->start.year;
    d = d ? d : a->start.month - b->start.month;
    d = d ? d : a->start.day - b->start.day;
    d = d ? d : minutes(&a->start) - minutes(&b->start);
    return d ? d : strcmp(a->title, b->title);
}

/* The end of k in minutes from its day's midnight: its end, else its
 * duration, else half an hour; at most midnight. */
static int end_of(const cb_contribution *k)
{
    int s = minutes(&k->start), e;
    if (k->end.set && k->end.has_time && same_day(&k->start, &k->end))
        e = minutes(&k->end);
    else if (k->end.set && k->end.has_time) /* past midnight */
        e = 24 * 60;
    else
        e = s + (k->duration_min > 0 ? k->duration_min : 30);
    return e <= s ? s + 5 : e > 24 * 60 ? 24 * 60 : e;
}

static const char *room_of(const composer *c, const cb_contribution *k)
{
    return k->room ? k->room : c->ev->room ? c->ev->room : "";
}

/* The column of room r, added if new (in order of first use, as the day
 * is read in time order); -1 past MAX_ROOMS. */
static int room_index(const char **rooms, int *n, const char *r)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(rooms[i], r))
            return i;
    if (*n == MAX_ROOMS)
        return -1;
    rooms[*n] = r;
    return (*n)++;
}

/* Lanes: each slot in the first lane free at its start; the slots that
 * overlap one another (a cluster) share the width of its widest point. */
static void set_lanes(slot *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int cluster_end = s[i].end, lanes = 0;
        int lane_end[64] = {0};
        for (; j < n && (j == i || s[j].start < cluster_end); j++) {
            int l = 0;
            while (l < 63 && l < lanes && lane_end[l] > s[j].start)
                l++;
            s[j].lane = l;
            lane_end[l] = s[j].end;
            if (l + 1 > lanes)
                lanes = l + 1;
            if (s[j].end > cluster_end)
                cluster_end = s[j].end;
        }
        for (size_t k = i; k < j; k++)
            s[k].lanes = lanes;
        i = j;
    }
}

static int by_room_time(const void *pa, const void *pb)
{
    const slot *a = pa, *b = pb;
    if (a->room != b->room)
        return a->room - b->room;
    return a->start != b->start ? a->start - b->start : a->end - b->end;
}

static int by_start(const void *pa, const void *pb)
{
    const slot *a = pa, *b = pb;
    return a->start != b->start ? a->start - b->start : a->room - b->room;
}

/* The sessions of the event in order of their first contribution, at
 * most MAX_SESSIONS (each box looks its session up): the colour of one
 * the source gives none is the next of a palette, and the key lists
 * them. Past them, a session's colour comes from its name. */
#define MAX_SESSIONS 64
typedef struct {
    const char *names[MAX_SESSIONS];
    int n;
} sessions;

static int session_index(sessions *ss, const char *name)
{
    for (int i = 0; i < ss->n; i++)
        if (!strcmp(ss->names[i], name))
            return i;
    if (ss->n == MAX_SESSIONS)
        return -1;
    ss->names[ss->n] = name;
    return ss->n++;
}

/* A box's fill: its session's colour (the source's, else one of a few
 * light, distinct ones in turn), a light tint of it. */
static unsigned session_fill(const composer *c, sessions *ss,
                             const cb_contribution *k)
{
    static const unsigned palette[] = {0x92b6db, 0xa8d5a2, 0xf2c38f,
                                       0xd6a9d9, 0xf0e68c, 0x9fd6d2,
                                       0xe8a6a6, 0xc4c4e8};
    unsigned rgb = 0xd8d8d8;
    if (k->session_color) {
        rgb = (unsigned)strtoul(k->session_color + 1, NULL, 16);
    } else if (k->session) {
        int i = session_index(ss, k->session);
        unsigned h = 2166136261u; /* past MAX_SESSIONS: FNV-1a of the name */
        for (const unsigned char *p = (const unsigned char *)k->session;
             i < 0 && *p; p++)
            h = (h ^ *p) * 16777619u;
        rgb = palette[(i < 0 ? h : (unsigned)i) %
                      (sizeof palette / sizeof *palette)];
    }
    if (!(c->L->text_color & CB_CMYK))
        return tint(rgb, 0.45f);
    /* a print layout's: device CMYK, from the RGB colour */
    float r = (float)(rgb >> 16 & 255) / 255, g = (float)(rgb >> 8 & 255) / 255,
          b = (float)(rgb & 255) / 255;
    float kk = 1 - fmaxf(r, fmaxf(g, b));
    float d = kk < 1 ? 1 - kk : 1;
    return tint(CB_CMYK_OF((unsigned)((1 - r - kk) / d * 100 + 0.5f),
                           (unsigned)((1 - g - kk) / d * 100 + 0.5f),
                           (unsigned)((1 - b - kk) / d * 100 + 0.5f),
                           (unsigned)(kk * 100 + 0.5f)),
                0.45f);
}

/* Lays out `lead` in style ls (the time) and then s in style st, w wide,
 * in at most max lines, s cut with an ellipsis (at a word) if the rest
 * does not fit. Returns the count of lines, 0 if not even the first
 * fits. */
static long wrap(composer *c, const char *lead, const cb_style *ls,
                 const char *s, const cb_style *st, float w, long max,
                 cb_line **lines)
{
    if (max < 1)
        return 0;
    size_t len = strlen(s);
    if (len > BOX_TEXT_MAX_BYTES)
        len = cb_utf8_cut(s, BOX_TEXT_MAX_BYTES);
    for (int cut = len < strlen(s);; cut = 1) {
        const char *t = cut ? cb_arena_printf(c->scratch, "%.*s\u2026",
                                              (int)len, s)
                            : s;
        cb_text_reset(c->text);
        if (lead)
            cb_text_add(c->text, lead, strlen(lead), ls);
        cb_text_add(c->text, t, strlen(t), st);
        long n = cb_compose_layout(c, w, w, CB_ALIGN_LEFT, lines);
        if (n <= max)
            return n;
        /* the next shorter run of whole words */
        while (len > 0 && s[--len] != ' ')
            ;
        if (len == 0) /* not one word: the first line alone */
            return max;
    }
}

/* Draws lead and s as lines from y (the top) down, while they fit above
 * bottom; returns the y under the last. */
static float draw_lines(composer *c, const char *lead, const cb_style *ls,
                        const char *s, const cb_style *st, float x, float w,
                        float y, float bottom, float step)
{
    cb_line *lines;
    long n = wrap(c, lead, ls, s, st, w, (long)((y - bottom) / step), &lines);
    for (long i = 0; i < n; i++) {
        y -= step;
        cb_line_draw(&lines[i], c->page, x, y + step - st->size_pt);
    }
    return y;
}

/* The speakers of k, "A. Name, B. Name", or NULL. */
static const char *speakers(composer *c, const cb_contribution *k)
{
    const cb_person *p = k->n_speakers ? k->speakers : k->authors;
    size_t n = k->n_speakers ? k->n_speakers : k->n_authors;
    cb_buf b = {0};
    for (size_t i = 0; i < n && i < 4; i++) {
        const char *first = p[i].first, *last = p[i].last;
        cb_buf_printf(&b, "%s%s%s%s", i ? ", " : "", first ? first : "",
                      first && last ? " " : "", last ? last : "");
    }
    if (n > 4)
        cb_buf_puts(&b, ", \u2026");
    const char *s = b.len ? cb_arena_strdup(c->scratch, b.data) : NULL;
    cb_buf_free(&b);
    return s;
}

/* The size of a box's type, and the height of a box with one line. */
static float box_type_size(const cb_layout *L)
{
    return fminf(L->body_size_pt * 0.8f, 7.5f);
}

static float one_line_box(const cb_layout *L)
{
    return box_type_size(L) * 1.2f + 3;
}

/* One box, clipped to the page's hours [t0, t1): at y for t0, hour_h an
 * hour. Its text (time, title, speakers) is drawn where it starts, or at
 * the top of a page it goes on to. */
static void draw_slot(composer *c, sessions *ss, const slot *s, float x0,
                      float col_w, float top, float hour_h, int t0, int t1)
{
    const cb_layout *L = c->L;
    int a = s->start > t0 ? s->start : t0, b = s->end < t1 ? s->end : t1;
    float w = col_w / (float)s->lanes;
    float x = x0 + w * (float)s->lane + 1;
    float y_top = top - (float)(a - t0) * hour_h / 60 - 1,
          y_bot = top - (float)(b - t0) * hour_h / 60 + 1;
    w -= 2;
    cb_page_add_rect(c->page, x, y_bot, w, y_top - y_bot,
                     session_fill(c, ss, s->k));
    const cb_contribution *k = s->k;
    float fs = box_type_size(L), step = fs * 1.2f;
    float y = y_top - 1, bottom = y_bot;
    if (w - 4 < fs * 4 || y - bottom < step)
        return; /* a sliver, among many side by side or a few minutes
                   long: its colour alone */
    cb_page_add_block(c->page, "P", ++c->block_id, NULL);
    /* the time, then the title on the same line (a short talk's box
     * holds one), then the speakers */
    char when[40];
    snprintf(when, sizeof when, "%02d:%02d\u2013%02d:%02d\u2002",
             s->start / 60, s->start % 60, s->end / 60, s->end % 60);
    cb_style ts = style(c->f.sans, fs, 0), hs = exact(c->f.sans_b, fs, 0);
    const char *title = s->count > 1 && k->session ? k->session : k->title;
    y = draw_lines(c, when, &ts, title, &hs, x + 2, w - 4, y, bottom, step);
    const char *who = s->count > 1 ? NULL : speakers(c, k);
    if (who) {
        cb_style ps = exact(c->f.sans, fs * 0.9f, 0);
        draw_lines(c, NULL, NULL, who, &ps, x + 2, w - 4, y, bottom, step);
    }
}

/* A key to the colours under the day's heading: a square of each
 * session's colour and its name, in the order the sessions begin, as
 * many lines as they need. */
static void legend(composer *c, sessions *ss, const slot *s, size_t n)
{
    const cb_layout *L = c->L;
    float fs = box_type_size(L), x = c->left, right = c->left + c->width;
    float lead = fs * 1.5f, y = c->y - fs;
    cb_style st = exact(c->f.sans, fs, 0);
    int any = 0;
    unsigned char shown[MAX_SESSIONS] = {0};
    for (size_t i = 0; i < n; i++) {
        const cb_contribution *k = s[i].k;
        int idx = k->session ? session_index(ss, k->session) : -1;
        if (idx < 0 || shown[idx])
            continue;
        shown[idx] = 1;
        int cut;
        const char *name = cb_compose_fit_text(c, k->session, &st,
                                               c->width / 3, &cut);
        float w = fs + 3 + cb_compose_text_width(c, name, &st);
        if (x > c->left && x + w > right)
            x = c->left, y -= lead;
        if (!any++)
            cb_page_add_block(c->page, "P", ++c->block_id, NULL);
        cb_page_add_rect(c->page, x, y - fs * 0.15f, fs, fs,
                         session_fill(c, ss, k));
        cb_compose_draw_single(c, name, &st, x + fs + 3, y, CB_ALIGN_LEFT);
        x += w + fs * 2;
    }
    if (any)
        c->y = y - lead * 0.6f;
}

/* The grid of one page of a day: room names over the columns, hour
 * lines, the times; from `top` down, hours t0 to t1. */
static void draw_grid(composer *c, const char **rooms, int n_rooms,
                      float col_w, float top, float hour_h, int t0, int t1)
{
    const cb_layout *L = c->L;
    float x0 = c->left + TIME_COL_PT, right = c->left + c->width;
    float fs = fminf(L->body_size_pt * 0.85f, 8.5f);
    cb_style rs = exact(c->f.sans_b, fs, 0);
    for (int r = 0; r < n_rooms; r++) { /* the room names, over their column */
        int cut;
        cb_page_add_block(c->page, "P", ++c->block_id, NULL);
        const char *name = cb_compose_fit_text(c, rooms[r], &rs, col_w - 4,
                                               &cut);
        cb_compose_draw_single(c, name, &rs, x0 + col_w * ((float)r + 0.5f),
                               top + 5, CB_ALIGN_CENTER);
    }
    size_t from;
    cb_page_items(c->page, &from);
    cb_style hs = style(c->f.sans, fs * 0.9f, L->meta_color);
    for (int t = t0; t <= t1; t += 60) { /* hours: a rule and the time */
        float y = top - (float)(t - t0) * hour_h / 60;
        cb_page_add_line(c->page, c->left, y, right, y, 0.4f, L->rule_color);
        if (t < t1) {
            char hh[16];
            snprintf(hh, sizeof hh, "%02d:00", t / 60);
            cb_compose_draw_single(c, hh, &hs, c->left, y - fs, CB_ALIGN_LEFT);
        }
    }
    for (int r = 0; r <= n_rooms; r++)
        cb_page_add_line(c->page, x0 + col_w * (float)r, top + 2,
                         x0 + col_w * (float)r,
                         top - (float)(t1 - t0) * hour_h / 60, 0.4f,
                         L->rule_color);
    cb_page_mark_artifacts(c->page, from); /* the times repeat the boxes' */
}

/* One day's timetable, from a new page: contributions k[0..n), in time
 * order, all on that day. */
static void day(composer *c, sessions *ss, const cb_contribution **k,
                size_t n, int level)
{
    const cb_layout *L = c->L;
    const char *rooms[MAX_ROOMS];
    int n_rooms = 0;
    slot *s = cb_xcalloc(n, sizeof *s);
    size_t ns = 0;
    int t0 = 24 * 60, t1 = 0, shortest = 24 * 60;
    for (size_t i = 0; i < n; i++) {
        int room = room_index(rooms, &n_rooms, room_of(c, k[i]));
        if (room < 0)
            room = MAX_ROOMS - 1; /* past the last column: in it */
        int a = minutes(&k[i]->start), b = end_of(k[i]);
        /* a session's contributions at once in one room: one box */
        slot *same = NULL; /* among the slots that start with it */
        for (size_t j = ns; j-- > 0 && !same && s[j].start == a;)
            if (s[j].room == room && s[j].k->session && k[i]->session &&
                !strcmp(s[j].k->session, k[i]->session))
                same = &s[j];
        if (same) {
            same->count++;
            if (b > same->end)
                same->end = b;
        } else {
            s[ns++] = (slot){k[i], 1, room, a, b, 0, 1};
        }
        t0 = a < t0 ? a : t0;
        t1 = b > t1 ? b : t1;
    }
    for (size_t i = 0; i < ns; i++)
        if (s[i].end - s[i].start < shortest)
            shortest = s[i].end - s[i].start;
    if (shortest < MIN_BOX_MIN)
        shortest = MIN_BOX_MIN;
    t0 = t0 / 60 * 60;
    t1 = (t1 + 59) / 60 * 60;
    qsort(s, ns, sizeof *s, by_room_time);
    for (size_t i = 0; i < ns;) { /* lanes, room by room */
        size_t j = i;
        while (j < ns && s[j].room == s[i].room)
            j++;
        set_lanes(s + i, j - i);
        i = j;
    }
    qsort(s, ns, sizeof *s, by_start); /* read in time order */
    float col_w = (c->width - TIME_COL_PT) / (float)(n_rooms ? n_rooms : 1);
    const char *date = cb_compose_format_date(c, &k[0]->start);
    for (int from = t0; from < t1;) {
        cb_compose_new_page(c);
        if (from == t0)
            cb_dlist_add_outline(c->dl, level, date, cb_page_number(c->page),
                                 c->y + 12);
        cb_style ds = exact(role_face(c, L->title_font, 1), L->title_size_pt,
                            0);
        cb_text_reset(c->text);
        cb_text_add(c->text, date, strlen(date), &ds);
        c->role = "Group0";
        cb_compose_flush_text(c, c->left, c->width, c->width, CB_ALIGN_LEFT,
                              L->title_leading_pt, DECOR_NONE);
        legend(c, ss, s, ns);
        float top = c->y - 14 - 8.5f, room = top - L->margin_bottom_pt;
        /* the day on the page if it fits, else an hour for each
         * hour's worth, but never so low that the shortest box holds
         * no line, nor higher than the page */
        float hour_h = fmaxf(room / ((float)(t1 - from) / 60), MIN_HOUR_PT);
        hour_h = fminf(fmaxf(hour_h, one_line_box(L) * 60 / (float)shortest),
                       room);
        int hours = (int)(room / hour_h), to = from + 60 * (hours ? hours : 1);
        if (to > t1)
            to = t1;
        draw_grid(c, rooms, n_rooms, col_w, top, hour_h, from, to);
        for (size_t i = 0; i < ns; i++)
            if (s[i].start < to && s[i].end > from)
                draw_slot(c, ss, &s[i],
                          c->left + TIME_COL_PT + col_w * (float)s[i].room,
                          col_w, top, hour_h, from, to);
        from = to;
    }
    free(s);
}

void cb_compose_timetable(composer *c, const cb_event *ev, int level)
{
    const cb_contribution **k =
        cb_xmalloc((ev->n_contribs + 1) * sizeof *k);
    size_t n = 0, untimed = 0;
    for (size_t i = 0; i < ev->n_contribs; i++) {
        const cb_contribution *x = &ev->contribs[i];
        if (!cb_compose_selected(c->L, x))
            continue;
        if (x->start.set && x->start.has_time)
            k[n++] = x;
        else
            untimed++;
    }
    if (untimed && n) /* said once, not per contribution */
        cb_diag_warning(c->diag, CB_W_SCHEDULE, NULL,
                        "%s: the timetable leaves out the contributions "
                        "without a start time (%zu)", ev->title, untimed);
    qsort(k, n, sizeof *k, by_time);
    cb_compose_set_columns(c, 1);
    sessions ss = {0};
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && same_day(&k[i]->start, &k[j]->start))
            j++;
        day(c, &ss, k + i, j - i, level);
        i = j;
        cb_arena_free(c->scratch);
        c->scratch = cb_arena_new();
    }
    free(k);
}

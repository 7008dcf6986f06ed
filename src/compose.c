/* compose.c - the Report of Contributions and the books made like it:
 * each event's parts in the order the layout asks for (see cb_compose.h;
 * the rooms are listed in cb_composer.h). */
#include "cb_composer.h"
#include "cb_order.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The layout's math font, which should have a MATH table to place
 * scripts and fractions; without one, contribook's own. */
static int math_face(composer *c)
{
    int face = cb_fonts_find(c->fonts, c->L->math, "serif", 0, 0);
    if (face >= 0 && cb_fonts_has_math(c->fonts, face))
        return face;
    cb_diag_warning(c->diag, CB_W_FONT,
                    cb_layout_key_place(c->L, "fonts.math"),
                    "fonts.math: \"%s\" has no MATH table; formulas are set "
                    "in DejaVu Math TeX Gyre", c->L->math);
    int own = cb_fonts_find(c->fonts, "DejaVu Math TeX Gyre", "serif", 0, 0);
    return own >= 0 ? own : face >= 0 ? face : c->f.serif;
}

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
            cb_diag_error(c->diag, NULL, "no usable TrueType font found: "
                          "contribook's fonts/ are missing and none is "
                          "installed (Debian: fonts-noto-core)");
            return -1;
        }
    return 0;
}

static void set_metadata(composer *c, const cb_model *m)
{
    const cb_event *ev = &m->events[0];
    const char *report = c->L->label[CB_LABEL_REPORT];
    int volume = m->n_events > 1 || c->L->volume_title_page;
    const char *name = volume ? cb_compose_volume_title(c, m) : ev->title;
    char *title = cb_arena_printf(c->scratch, "%s \u2013 %s",
                                  cb_math_plain_text(c->scratch, name),
                                  report);
    cb_dlist_set_info(c->dl, "Title", title);
    cb_dlist_set_info(c->dl, "Author", name);
    const cb_datetime *from = &ev->start, *to = &ev->end;
    if (volume)
        cb_compose_volume_span(m, &from, &to);
    const char *when = cb_compose_date_range(c, from, to);
    cb_dlist_set_info(c->dl, "Subject",
                      cb_arena_printf(c->scratch, "%s%s%s%s%s", report,
                                      when ? ", " : "",
                                      when ? when : "",
                                      ev->location && !volume ? ", " : "",
                                      ev->location && !volume
                                          ? ev->location
                                          : ""));
    cb_dlist_set_info(c->dl, "Keywords", report);
    char *creator = cb_arena_printf(c->scratch, "contribook %s",
                                    c->opts->version);
    cb_dlist_set_info(c->dl, "Creator", creator);
    cb_dlist_set_info(c->dl, "Producer",
                      cb_arena_printf(c->scratch, "%s (libharu 2.3.0)",
                                      creator));
    cb_dlist_set_date(c->dl, c->opts->date);
    const cb_layout *L = c->L;
    cb_dlist_set_text_color(c->dl, L->text_color);
    if (L->crop_marks) { /* the marks, and the slug line below them */
        float o = L->bleed_pt > CB_MARK_OFFSET_PT ? L->bleed_pt
                                                  : CB_MARK_OFFSET_PT;
        cb_dlist_set_trim(c->dl, o + CB_MARK_LENGTH_PT + 12, L->bleed_pt);
    } else if (L->bleed_pt > 0) {
        cb_dlist_set_trim(c->dl, L->bleed_pt, L->bleed_pt);
    }
    cb_dlist_set_info(c->dl, "Lang", c->L->language);
    if (ev->url)
        cb_dlist_set_info(c->dl, "Source", ev->url);
    for (size_t i = 0; i < m->n_files; i++) /* kept for a PDF/A-3 file */
        cb_dlist_add_attachment(c->dl, m->files[i].name, m->files[i].mime,
                                m->files[i].data, m->files[i].len);
}

/* The running head's event title, shortened to fit a third of the line. */
static const char *short_event_title(composer *c, const cb_event *ev)
{
    const cb_layout *L = c->L;
    int cut;
    cb_style hs =
        style(role_face(c, L->head_font, 0), L->head_size_pt, L->head_color);
    return cb_arena_strdup(
        c->arena,
        cb_compose_fit_text(c, ev->title, &hs, c->width * 0.3f, &cut));
}

/* Whether s mentions a poster ("Contributed Poster", "Posters I"). */
static int mentions_poster(const char *s)
{
    for (; s && *s; s++)
        if (strncasecmp(s, "poster", 6) == 0)
            return 1;
    return 0;
}

/* A layout that lists posters by board number, for an event whose posters
 * have programme codes (MOP01) but no board numbers, as most Indico
 * exports: a copy of the event whose posters (by type or session) carry
 * their code as their board, said once. Else the event itself. */
static const cb_event *boards_from_codes(composer *c, const cb_event *ev)
{
    size_t coded = 0;
    for (size_t i = 0; i < ev->n_contribs; i++) {
        const cb_contribution *k = &ev->contribs[i];
        if (k->board)
            return ev;
        coded += k->code && (mentions_poster(k->type) ||
                             mentions_poster(k->session));
    }
    if (!coded)
        return ev;
    cb_event *copy = cb_arena_alloc(c->arena, sizeof *copy);
    *copy = *ev;
    cb_contribution *k = cb_arena_alloc(c->arena,
                                        ev->n_contribs * sizeof *k);
    for (size_t i = 0; i < ev->n_contribs; i++) {
        k[i] = ev->contribs[i];
        if (k[i].code && (mentions_poster(k[i].type) ||
                          mentions_poster(k[i].session)))
            k[i].board = k[i].code;
    }
    copy->contribs = k;
    cb_diag_warning(c->diag, CB_W_POSTER_BOARDS, NULL,
                    "%s: no contribution has a poster board "
                    "number: the %zu posters are listed by their programme "
                    "codes", ev->title, coded);
    return copy;
}

/* Whether any contribution of the event has a value to group by g. */
static int any_in(const cb_event *ev, cb_group_by g)
{
    for (size_t i = 0; i < ev->n_contribs; i++) {
        const cb_contribution *k = &ev->contribs[i];
        if ((g == CB_GROUP_DAY && k->start.set) ||
            (g == CB_GROUP_SESSION && k->session) ||
            (g == CB_GROUP_TRACK && k->track) ||
            (g == CB_GROUP_TYPE && k->type))
            return 1;
    }
    return 0;
}

static int in_names(const cb_names *s, const char *v)
{
    for (int i = 0; v && i < s->n; i++)
        if (!strcasecmp(s->names[i], v))
            return 1;
    return 0;
}

int cb_compose_selected(const cb_layout *L, const cb_contribution *k)
{
    if ((L->select_types.n && !in_names(&L->select_types, k->type)) ||
        (L->select_sessions.n && !in_names(&L->select_sessions, k->session)) ||
        (L->select_tracks.n && !in_names(&L->select_tracks, k->track)))
        return 0;
    return !in_names(&L->exclude_types, k->type) &&
           !in_names(&L->exclude_sessions, k->session) &&
           !in_names(&L->exclude_tracks, k->track);
}

/* The contributions in the layout's order, each group (and subgroup)
 * opening a level of bookmarks and, in a continuous flow, a heading. */
static void render_body(composer *c, const cb_event *ev, int nested)
{
    const cb_layout *L = c->L;
    if (L->board_only)
        ev = boards_from_codes(c, ev);
    const cb_contribution **order =
        cb_order_contributions(ev, L->sort, L->n_sort, L->group,
                               L->subgroup,
                               L->group_order == CB_GROUPS_BY_TIME);
    /* a grouping that no contribution has (sessions, in a pretalx
     * schedule) would only repeat "No session": it is left out */
    int grouped = L->group != CB_GROUP_NONE && any_in(ev, L->group);
    int subgrouped = L->subgroup != CB_GROUP_NONE && any_in(ev, L->subgroup);
    cb_group_by group = grouped ? L->group : L->subgroup;
    if (!grouped) /* the subgroup, if any, groups alone */
        grouped = subgrouped, subgrouped = 0;
    c->group_levels = grouped + subgrouped;
    int level = nested + grouped + subgrouped;
    ahead *a = cb_ahead_start(c, order, ev->n_contribs, level);
    const cb_contribution *prev = NULL; /* the last contribution set */
    for (size_t i = 0; i < ev->n_contribs; i++) {
        if ((L->board_only && !order[i]->board) || !cb_compose_selected(L, order[i]))
            continue;
        int new_group = grouped && (!prev || !cb_order_same_group(
                                                 prev, order[i], group));
        if (new_group)
            cb_compose_open_group(c, order[i], group, 0, nested);
        if (subgrouped &&
            (new_group || !cb_order_same_group(prev, order[i], L->subgroup)))
            cb_compose_open_group(c, order[i], L->subgroup, 1, nested + 1);
        if (!cb_ahead_place(a, c, i))
            cb_compose_contribution(c, order[i], level);
        prev = order[i];
        if (c->opts->progress)
            c->opts->progress(c->opts->progress_ctx, ++c->n_set, c->n_all,
                              cb_dlist_page_count(c->dl));
        /* lines are copied into the display list: drop them */
        cb_arena_free(c->scratch);
        c->scratch = cb_arena_new();
    }
    cb_ahead_stop(a);
    free(order);
    if (!prev && ev->n_contribs && !L->board_only)
        cb_diag_warning(c->diag, CB_W_EMPTY_EVENT, NULL,
                        "%s: the layout's select and exclude keys leave no "
                        "contribution", ev->title);
    if (L->board_only && !prev && ev->n_contribs)
        cb_diag_warning(c->diag, CB_W_POSTER_BOARDS, NULL,
                        "%s: no contribution has a poster "
                        "board number, and the layout lists only those",
                        ev->title);
}

/* The postface and the indexes, after the body. */
static void render_back(composer *c)
{
    const cb_layout *L = c->L;
    c->cur = NULL;
    cb_compose_set_columns(c, 1);
    if (L->postface.text)
        cb_compose_matter(c, &L->postface);
    cb_compose_sort_index(c);
    if (L->author_index)
        cb_compose_index(c, INDEX_AUTHOR, L->label[CB_LABEL_AUTHOR_INDEX]);
    if (L->affiliation_index)
        cb_compose_index(c, INDEX_AFFILIATION,
                         L->label[CB_LABEL_AFFILIATION_INDEX]);
    if (L->keyword_index)
        cb_compose_index(c, INDEX_KEYWORD, L->label[CB_LABEL_KEYWORD_INDEX]);
}

static void warn_empty(composer *c, const cb_event *ev)
{
    if (ev->n_contribs == 0) /* a meeting exported before its programme */
        cb_diag_warning(c->diag, CB_W_EMPTY_EVENT, NULL,
                        "%s: the event has no contributions: "
                        "its booklet has only the parts that need none",
                        ev->title);
}

/* An event's timetable and contributions, from a new page. */
static void event_body(composer *c, const cb_event *ev, int nested)
{
    const cb_layout *L = c->L;
    c->head = 1;
    c->page = NULL;
    if (L->timetable) {
        c->section = L->label[CB_LABEL_TIMETABLE];
        cb_dlist_add_outline(c->dl, nested + 1, c->section,
                             (int)cb_dlist_page_count(c->dl),
                             L->page_height_pt);
        cb_compose_timetable(c, ev, nested + 2);
        c->section = NULL;
        c->page = NULL;
    }
    cb_compose_set_columns(c, L->columns);
    if (L->flow != CB_FLOW_NONE)
        render_body(c, ev, nested);
}

/* Starts a book (an event's, or a volume's): its contents, indexes and
 * pages to number start empty. Returns the index of its first page. */
static int begin_book(composer *c)
{
    c->n_toc = c->n_refs = 0;
    c->page = NULL;
    c->section = NULL;
    c->first_rec = c->n_recs;
    return (int)cb_dlist_page_count(c->dl);
}

/* One event: cover, body, back matter, then the front matter, which lists
 * the body and so is set after it and moved before it. */
static void render_event(composer *c, const cb_event *ev, int nested)
{
    const cb_layout *L = c->L;
    warn_empty(c, ev);
    int front = L->toc || L->preface.text || (c->opts->previous && L->changes);
    c->ev = ev;
    c->short_event = NULL;
    int body_first = begin_book(c);
    if (front)
        c->base = body_first;
    else if (L->cover)
        cb_compose_cover(c, ev, 0);
    c->body_base = c->base;
    c->short_event = short_event_title(c, ev);
    event_body(c, ev, nested);
    render_back(c);
    if (front)
        cb_compose_front(c, ev, body_first);
    else
        cb_compose_finish_pages(c, c->first_rec);
}

/* A volume: each event a part (its title page, then its timetable and
 * contributions), numbered through from the first part; then one back
 * matter, its indexes over every part; then one front matter (the
 * volume's title page, preface, contents), moved before the parts. */
static void render_volume(composer *c, const cb_model *m)
{
    const cb_layout *L = c->L;
    int front = L->toc || L->preface.text || L->volume_title_page;
    const char *title = cb_compose_volume_title(c, m);
    c->volume = m;
    int body_first = begin_book(c);
    c->base = c->body_base = body_first;
    for (size_t i = 0; i < m->n_events; i++) {
        const cb_event *ev = &m->events[i];
        warn_empty(c, ev);
        c->ev = ev;
        c->short_event = NULL;
        c->section = NULL;
        c->toc_depth = 0;
        c->head = -1;
        int at = (int)cb_dlist_page_count(c->dl);
        if (L->two_sided && (at - body_first) % 2) /* parts open on the right */
            cb_compose_new_page(c), at++;
        if (L->cover) {
            cb_compose_cover(c, ev, 1);
            if (L->two_sided) { /* its back is blank */
                c->head = -1;
                cb_compose_new_page(c);
            }
        } else {
            cb_dlist_add_outline(c->dl, 1, ev->title, at, L->page_height_pt);
        }
        cb_grow(&c->toc, &c->cap_toc, c->n_toc, sizeof *c->toc);
        c->toc[c->n_toc++] = (toc_entry){ev->title, NULL, 0, 0, at,
                                         L->page_height_pt};
        c->short_event = short_event_title(c, ev);
        c->toc_depth = 1;
        event_body(c, ev, 2);
        cb_arena_free(c->scratch);
        c->scratch = cb_arena_new();
    }
    c->toc_depth = 0;
    c->short_event = title; /* the back and front matter's {event} */
    render_back(c);
    if (front)
        cb_compose_front(c, &m->events[0], body_first);
    else
        cb_compose_finish_pages(c, c->first_rec);
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
    c.full_width = c.width =
        L->page_width_pt - L->margin_inner_pt - L->margin_outer_pt;
    c.n_cols = 1;
    c.coll = cb_collator_new();
    cb_collator_ignore_case(c.coll); /* one index entry for "geloni" and
                                        "Geloni" */
    c.arena = cb_arena_new();
    c.scratch = cb_arena_new();
    c.text = opts->text ? opts->text : cb_text_new(fonts);
    /* a head or foot that counts its part's pages waits for the part */
    const char *marginals[] = {L->head_left,       L->head_right,
                               L->foot_left,       L->foot_right,
                               L->head_verso_left, L->head_verso_right,
                               L->foot_verso_left, L->foot_verso_right};
    c.eager = 1;
    for (size_t i = 0; i < sizeof marginals / sizeof *marginals; i++)
        if (marginals[i] && strstr(marginals[i], "{pages}"))
            c.eager = 0;
    int errors = cb_diag_errors(diag), rc = CB_EXIT_OK;
    if (find_faces(&c) < 0) {
        rc = CB_EXIT_FONT;
        goto out;
    }
    c.math = cb_math_new(fonts, math_face(&c), c.f.serif, c.f.serif_b, diag);
    time_t t = (time_t)opts->date;
    struct tm tm;
    gmtime_r(&t, &tm);
    cb_datetime today = {1, 0, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                         0, 0, 0, NULL};
    c.date_text = cb_arena_strdup(c.arena, cb_compose_format_day(&c, &today));
    cb_text_set_language(c.text, L->language);
    if (L->hyphenate && !cb_text_can_hyphenate(c.text))
        cb_diag_warning(diag, CB_W_HYPHENATION,
                        cb_layout_key_place(L, "body.language"),
                        "body.language: no hyphenation dictionary for \"%s\" "
                        "is installed (hyph_%s.dic): words are not hyphenated",
                        L->language, L->language);
    for (size_t i = 0; i < m->n_events; i++)
        c.n_all += m->events[i].n_contribs;
    if (m->n_events)
        set_metadata(&c, m);
    if (m->n_events > 1 || (m->n_events && L->volume_title_page))
        render_volume(&c, m);
    else if (m->n_events)
        render_event(&c, &m->events[0], 1);
    if (m->n_events && cb_dlist_page_count(dl) == 0) { /* a PDF needs one */
        cb_diag_error(diag, NULL, "nothing to set: %s",
                      L->flow == CB_FLOW_NONE && L->timetable
                          ? "the layout sets only a timetable, and no "
                            "contribution has a start time"
                          : "the layout leaves no page");
        rc = CB_EXIT_DATA;
        goto out;
    }
    /* a face out of glyph codes fails the run, whichever path met it; any
     * other error reported without a code is a bug, and fails it too */
    if (cb_fonts_failed(fonts))
        rc = CB_EXIT_FONT;
    else if (c.too_many_pages)
        rc = CB_EXIT_DATA;
    else if (cb_diag_errors(diag) > errors)
        rc = CB_EXIT_INTERNAL;
out:
    for (int i = 0; i < 4; i++) {
        free(c.fit_memo[i].text);
        free(c.fit_memo[i].fitted);
    }
    cb_text_free(c.text);
    cb_arena_free(c.scratch);
    cb_arena_free(c.arena);
    free(c.toc);
    free(c.refs);
    free(c.recs);
    free(c.memo);
    free(c.formulas);
    cb_math_free(c.math);
    free(c.line_pages);
    cb_collator_free(c.coll);
    return rc;
}

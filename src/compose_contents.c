/* compose_contents.c - groups (days, sessions, tracks, types): their
 * headings and bookmarks, and the table of contents (see cb_composer.h). */
#include "cb_composer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cb_diff.h"

void cb_compose_note_toc(composer *c, const char *title, const char *id)
{
    cb_grow(&c->toc, &c->cap_toc, c->n_toc, sizeof *c->toc);
    c->toc[c->n_toc++] = (toc_entry){title, id, 2,
                                     c->group_levels + c->toc_depth,
                                     cb_page_number(c->page), c->y + 12};
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
        return cb_arena_strdup(c->arena,
                               cb_compose_format_date(c, &k->start));
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
void cb_compose_part_heading(composer *c, const char *title)
{
    cb_compose_new_page(c);
    cb_dlist_add_outline(c->dl, 1, title, cb_page_number(c->page), c->y + 12);
    space(c, 24);
    cb_text_reset(c->text);
    cb_style st = style(c->f.sans_b, c->L->title_size_pt * 1.25f, 0);
    cb_text_add(c->text, title, strlen(title), &st);
    c->role = "Part";
    cb_compose_flush_text(c, c->left, c->width, c->width, CB_ALIGN_LEFT,
                          c->L->title_leading_pt * 1.25f, DECOR_NONE);
    space(c, 18);
}

/* The line(s) of a group heading, and the space under them. */
static void heading_text(composer *c, const char *name, int level)
{
    const cb_layout *L = c->L;
    cb_text_reset(c->text);
    cb_style st =
        exact(role_face(c, L->title_font, 1),
              L->title_size_pt * (level ? 0.95f : 1.1f), L->meta_color);
    cb_text_add(c->text, name, strlen(name), &st);
    c->role = level ? "Group1" : "Group0";
    cb_compose_flush_text(c, c->left, c->width, c->width, CB_ALIGN_LEFT,
                          L->title_leading_pt, DECOR_NONE);
    if (!level && !c->measuring)
        cb_page_add_line(c->page, c->left, c->y - 2, c->left + c->width,
                         c->y - 2, 0.5f, L->rule_color);
    space(c, level ? 4 : 10);
}

/* A group heading in a continuous flow: a day (level 0, with a rule) or
 * a session within it (level 1), kept with what its first contribution
 * k needs (and a day's heading with its first session's, as high). */
static void group_heading(composer *c, const char *name, int level,
                          const cb_contribution *k)
{
    const cb_layout *L = c->L;
    if (c->page && c->y < L->page_height_pt - L->margin_top_pt - 0.5f &&
        !c->after_heading)
        space(c, L->entry_gap_pt);
    if (!c->page)
        cb_compose_new_page(c);
    float room = cb_compose_room(c);
    if (isfinite(room)) {
        float y = c->y;
        c->measuring = 1;
        heading_text(c, name, level);
        c->measuring = 0;
        float head = y - c->y;
        c->y = y;
        if (!level && L->subgroup != CB_GROUP_NONE)
            head *= 2;
        cb_compose_need(c, head + cb_compose_entry_need(c, k, room - head));
    }
    heading_text(c, name, level);
    c->after_heading = 1;
}

/* Opens a group or subgroup: a heading in a continuous flow, a bookmark
 * and a line of the contents. */
void cb_compose_open_group(composer *c, const cb_contribution *k, cb_group_by g,
                           int level, int outline_level)
{
    const cb_layout *L = c->L;
    const char *name = group_name(c, k, g);
    if (level == 0)
        c->section = name;
    if (L->flow == CB_FLOW_CONTINUOUS)
        group_heading(c, name, level, k);
    int continuous = L->flow == CB_FLOW_CONTINUOUS && c->page;
    int page = continuous ? cb_page_number(c->page)
                          : (int)cb_dlist_page_count(c->dl);
    float y = continuous ? c->y + L->title_leading_pt * 2
                         : L->page_height_pt - L->margin_top_pt + 12;
    cb_dlist_add_outline(c->dl, outline_level, name, page, y);
    cb_grow(&c->toc, &c->cap_toc, c->n_toc, sizeof *c->toc);
    c->toc[c->n_toc++] = (toc_entry){name, NULL, level,
                                     level + c->toc_depth, page, y};
}

/* A line "text ........ 12" with the number linking to its place; with
 * page -1, the text alone. */
static void leader_line(composer *c, const char *text, int bold, int page,
                        float y, float indent)
{
    const cb_layout *L = c->L;
    const char *num = page >= 0 ? cb_compose_body_label(c, page) : "";
    cb_style ts = exact(bold ? c->f.serif_b : c->f.serif, L->body_size_pt, 0);
    cb_style ns = style(c->f.serif, L->body_size_pt, 0);
    ns.link = page >= 0 ? cb_arena_printf(c->arena, "#p%d:%.2f", page, y)
                        : NULL;
    float num_w = page >= 0 ? 36 : 0;
    cb_line *lines;
    cb_text_reset(c->text);
    cb_compose_add_text(c, text, strlen(text), &ts);
    long n =
        cb_compose_layout(c, c->width - indent - num_w,
                          c->width - indent - num_w, CB_ALIGN_LEFT, &lines);
    if (n < 1)
        return;
    c->role = "TOCI";
    cb_compose_place_lines(c, lines, (size_t)n, c->left + indent,
                           L->body_leading_pt, DECOR_NONE);
    if (page < 0)
        return;
    float base = c->y + lines[n - 1].descent;
    float end = c->left + indent + lines[n - 1].x + lines[n - 1].width + 4;
    float right = c->left + c->width;
    float nw = cb_compose_draw_single(c, num, &ns, right, base, CB_ALIGN_RIGHT);
    /* the leader: dots at a fixed pitch, aligned from line to line, drawn
     * as one run */
    cb_style ds = style(c->f.serif, L->body_size_pt, L->meta_color);
    float pitch = L->body_size_pt * 0.5f, x0 = ceilf(end / pitch) * pitch;
    int dots = 0;
    for (float x = x0; x + pitch < right - nw - 3; x += pitch)
        dots++;
    cb_line *leader;
    if (dots && cb_text_repeat(c->text, c->scratch, ".", &ds, dots, pitch,
                               &leader) == 1) {
        leader->x = 0;
        size_t from;
        cb_page_items(c->page, &from);
        cb_line_draw(leader, c->page, x0, base);
        cb_page_mark_artifacts(c->page, from); /* not read out */
    }
}

void cb_compose_toc(composer *c)
{
    cb_compose_part_heading(c, c->L->label[CB_LABEL_CONTENTS]);
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
        int depth = e->depth;
        leader_line(c, t, e->level == 0, e->page, e->y,
                    depth > 0 ? 12.0f * (float)depth : 0);
        space(c, 1.5f);
    }
}

static int toc_by_id(const void *a, const void *b)
{
    const toc_entry *x = *(const toc_entry *const *)a,
                    *y = *(const toc_entry *const *)b;
    int d = strcmp(x->id, y->id);
    return d ? d : (x < y ? -1 : x > y);
}

/* cb_lower_bound's comparison of an id with an entry. */
static int id_vs(const void *id, const void *elem)
{
    return strcmp(id, (*(const toc_entry *const *)elem)->id);
}

/* The contents' entry of the contribution with id, from the entries
 * with an id sorted by it (k, n). */
static const toc_entry *toc_find(const toc_entry **k, size_t n,
                                 const char *id)
{
    size_t i = cb_lower_bound(k, n, sizeof *k, id, id_vs);
    return i < n && !strcmp(k[i]->id, id) ? k[i] : NULL;
}

/* "time, room": the layout's names of the fields that changed. */
static const char *field_list(composer *c, unsigned fields)
{
    const char *names = c->L->label[CB_LABEL_CHANGE_FIELDS];
    cb_buf b = {0};
    int i = 0;
    for (const char *p = names; i < CB_DIFF_NFIELDS; i++) {
        const char *end = p ? strchr(p, ',') : NULL;
        size_t len = p ? (end ? (size_t)(end - p) : strlen(p)) : 0;
        if (fields & (1u << i)) {
            if (b.len)
                cb_buf_puts(&b, ", ");
            if (len)
                cb_buf_add(&b, p, len);
            else /* the label lists fewer names than there are fields */
                cb_buf_puts(&b, cb_diff_field_name(1u << i));
        }
        p = end ? end + 1 + strspn(end + 1, " ") : NULL;
    }
    const char *r = cb_arena_strdup(c->scratch, b.data ? b.data : "");
    cb_buf_free(&b);
    return r;
}

void cb_compose_changes(composer *c, const cb_event *ev)
{
    const cb_layout *L = c->L;
    cb_model now = {0};
    now.events = (cb_event *)ev;
    now.n_events = 1;
    cb_change *ch;
    size_t n = cb_diff(c->opts->previous, &now, &ch);
    const toc_entry **k = cb_xmalloc((c->n_toc + 1) * sizeof *k);
    size_t nk = 0;
    for (size_t i = 0; i < c->n_toc; i++)
        if (c->toc[i].id)
            k[nk++] = &c->toc[i];
    qsort(k, nk, sizeof *k, toc_by_id);
    c->where = L->label[CB_LABEL_CHANGES];
    cb_fonts_set_where(c->fonts, c->where);
    cb_compose_part_heading(c, L->label[CB_LABEL_CHANGES]);
    static const cb_change_kind order[] = {CB_ADDED, CB_CHANGED, CB_REMOVED};
    static const cb_label heads[] = {CB_LABEL_ADDED, CB_LABEL_CHANGED,
                                     CB_LABEL_REMOVED};
    for (int g = 0; g < 3; g++) {
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            count += ch[i].kind == order[g];
        if (!count)
            continue;
        space(c, 6);
        leader_line(c, cb_arena_printf(c->scratch, "%s (%zu)",
                                       L->label[heads[g]], count),
                    1, -1, 0, 0);
        space(c, 1.5f);
        for (size_t i = 0; i < n; i++) {
            if (ch[i].kind != order[g])
                continue;
            const cb_contribution *x = ch[i].new ? ch[i].new : ch[i].old;
            const char *t =
                ch[i].kind == CB_CHANGED
                    ? cb_arena_printf(c->scratch, "%s  %s (%s)", x->id,
                                      x->title, field_list(c, ch[i].fields))
                    : cb_arena_printf(c->scratch, "%s  %s", x->id, x->title);
            const toc_entry *e =
                ch[i].new ? toc_find(k, nk, ch[i].new->id) : NULL;
            leader_line(c, t, 0, e ? e->page : -1, e ? e->y : 0, 12);
            space(c, 1.5f);
        }
    }
    if (!n)
        leader_line(c, "\xe2\x80\x94", 0, -1, 0, 0); /* an em dash: none */
    free(k);
    free(ch);
}

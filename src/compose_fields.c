/* compose_fields.c - one contribution: where it starts, and each of its
 * fields in the order the layout lists them (see cb_composer.h). */
#include "cb_composer.h"

#include <math.h>
#include <string.h>
#include <qrencode.h>
#include <strings.h>

static const char *person_name(composer *c, const cb_person *p)
{
    /* the surname in capitals, as Indico prints it; a name given whole as
     * it was given: which part is the surname is not known */
    const char *last = p->last && !p->whole
                           ? cb_unicode_upper(c->scratch, p->last)
                           : p->last;
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

/* Lays out what was added to c->text across the column and places it;
 * returns the lines, for the indexes to find what they show. */
static size_t place_text(composer *c, cb_align align, float lead,
                         cb_line **lines)
{
    long n = cb_compose_layout(c, c->width, c->width, align, lines);
    if (n <= 0)
        return 0;
    cb_compose_place_lines(c, *lines, (size_t)n, c->left, lead, DECOR_NONE);
    return (size_t)n;
}

/* "Primary authors: KABÁTOVÁ, Veronika (Charles University); ..." The label
 * and each name are unbreakable, so a label never ends a line alone. */
static void render_people(composer *c, const char *one, const char *many,
                          const cb_person *p, size_t n)
{
    if (n == 0)
        return;
    cb_style label = style(c->f.serif_b, c->L->body_size_pt, 0);
    cb_style name = exact(c->f.serif, c->L->body_size_pt, 0);
    name.nobreak = 1;
    label.nobreak = 1;
    cb_text_reset(c->text);
    const char *l = n == 1 ? one : many;
    cb_text_add(c->text, l, strlen(l), &label);
    cb_style aff = exact(c->f.serif, c->L->body_size_pt, 0);
    const char **shown = cb_arena_alloc(c->scratch, n * sizeof *shown);
    for (size_t i = 0; i < n; i++) {
        /* the first name's leading space is unbreakable, the "; " between
         * names is not */
        if (i)
            cb_text_add(c->text, "; ", 2, &aff);
        /* each person is a bidi isolate (FSI ... PDI), so a Hebrew or
         * Arabic name keeps the list's order around it */
        shown[i] = person_name(c, &p[i]);
        const char *nm = cb_arena_printf(c->scratch, "%s\u2068%s",
                                         i ? "" : " ", shown[i]);
        cb_text_add(c->text, nm, strlen(nm), &name);
        const char *a = p[i].affiliation
                            ? cb_arena_printf(c->scratch, " (%s)\u2069",
                                              p[i].affiliation)
                            : "\u2069";
        cb_text_add(c->text, a, strlen(a), &aff);
    }
    cb_line *lines;
    size_t nl = place_text(c, CB_ALIGN_LEFT, c->L->body_leading_pt, &lines);
    cb_compose_note_people(c, p, n, shown, lines, nl);
    space(c, 3);
}

/* "Label value"; returns its lines (none without a value). */
static size_t render_field(composer *c, const char *label, const char *value,
                           cb_line **lines)
{
    if (!value)
        return 0;
    cb_style ls = style(c->f.serif_b, c->L->body_size_pt, 0);
    cb_style vs = exact(c->f.serif, c->L->body_size_pt, 0);
    ls.nobreak = 1;
    cb_text_reset(c->text);
    cb_text_add(c->text, label, strlen(label), &ls);
    cb_text_add(c->text, " ", 1, &vs);
    cb_text_add(c->text, value, strlen(value), &vs);
    size_t n = place_text(c, CB_ALIGN_LEFT, c->L->body_leading_pt, lines);
    space(c, 3);
    return n;
}

static void render_references(composer *c, const cb_contribution *k)
{
    if (!k->n_refs)
        return;
    cb_style ls = style(c->f.serif_b, c->L->body_size_pt, 0);
    cb_style vs = style(c->f.serif, c->L->body_size_pt, 0);
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
    cb_compose_flush_text(c, c->left, c->width, c->width, CB_ALIGN_LEFT,
                          c->L->body_leading_pt, DECOR_NONE);
    space(c, 3);
}

static const char *schedule_text(composer *c, const cb_contribution *k)
{
    const cb_datetime *s = &k->start;
    if (!s->set)
        return NULL;
    cb_buf b = {0};
    cb_buf_puts(&b, cb_compose_format_date(c, s));
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
    cb_style ls = style(c->f.sans, c->L->meta_size_pt, c->L->meta_color);
    cb_style vs = style(c->f.sans_b, c->L->meta_size_pt, 0);
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
    if (cb_compose_layout(c, 1e6f, 1e6f, CB_ALIGN_LEFT, &left) < 1)
        return;
    const char *type = k->type ? k->type : lb[CB_LABEL_NOT_SPECIFIED];
    cb_text_reset(c->text);
    char *type_label = cb_arena_printf(c->scratch, "%s ", lb[CB_LABEL_TYPE]);
    cb_text_add(c->text, type_label, strlen(type_label), &ls);
    cb_text_add(c->text, type, strlen(type), &vs);
    float rw = c->width * 0.6f;
    long nr = cb_compose_layout(c, rw, rw, CB_ALIGN_RIGHT, &right);
    if (nr < 1)
        return;
    if (left[0].width + right[0].width + 18 <= c->width && nr == 1) {
        float base = c->y - 11;
        if (!c->measuring) {
            cb_page_add_block(c->page, "IdLine", ++c->block_id, NULL);
            cb_line_draw(&left[0], c->page, c->left, base);
            cb_line_draw(&right[0], c->page, c->left + c->width - rw, base);
        }
        c->y -= 15;
        c->end_y = c->y;
        return;
    }
    c->role = "IdLine";
    cb_compose_place_lines(c, left, 1, c->left, 15, DECOR_NONE);
    c->role = "IdLine";
    cb_compose_place_lines(c, right, (size_t)nr, c->left + c->width - rw, 15,
                           DECOR_NONE);
}

static void render_title(composer *c, const cb_contribution *k)
{
    const cb_layout *L = c->L;
    space(c, L->title_space_pt);
    cb_text_reset(c->text);
    cb_style ts = exact(role_face(c, L->title_font, 1), L->title_size_pt, 0);
    cb_compose_add_text(c, k->title, strlen(k->title), &ts);
    c->role = "Title";
    cb_compose_flush_text(c, c->left, c->width, c->width, L->title_align,
                          L->title_leading_pt, DECOR_NONE);
}

static void render_schedule(composer *c, const cb_contribution *k)
{
    const char *sched = schedule_text(c, k);
    if (!sched)
        return;
    space(c, 4);
    cb_text_reset(c->text);
    /* half a point smaller than the body, in the meta colour */
    cb_style ss =
        style(c->f.serif_i, c->L->body_size_pt - 0.5f, c->L->meta_color);
    cb_text_add(c->text, sched, strlen(sched), &ss);
    cb_compose_flush_text(c, c->left, c->width, c->width, CB_ALIGN_CENTER,
                          c->L->body_leading_pt - 0.5f, DECOR_NONE);
}

/* The description, parsed once however often the entry is measured. */
static const cb_block *description_blocks(composer *c,
                                          const cb_contribution *k)
{
    if (c->parsed != k) {
        c->parsed = k;
        c->blocks = k->description
                        ? cb_compose_parse(c, k->description,
                                           strlen(k->description), k->where)
                        : NULL;
        if (!c->blocks)
            cb_diag_warning(c->diag, CB_W_EMPTY_DESCRIPTION, k->where,
                            "the description is empty");
    }
    return c->blocks;
}

static void render_description(composer *c, const cb_contribution *k)
{
    const cb_block *blocks = description_blocks(c, k);
    if (!blocks) /* no room kept for what is not there */
        return;
    space(c, 16);
    if (c->measuring)
        c->keep_left = c->L->keep_lines;
    cb_compose_blocks(c, blocks, 0, 0);
    if (c->measuring && c->keep_left) { /* text shorter than the keep */
        c->keep_left = 0;
        c->keep_y = c->y;
    }
    space(c, 10);
}

static void render_keywords(composer *c, const cb_contribution *k)
{
    if (!k->n_keywords)
        return;
    cb_buf b = {0};
    for (size_t i = 0; i < k->n_keywords; i++)
        cb_buf_printf(&b, "%s%s", i ? ", " : "", k->keywords[i]);
    cb_line *lines;
    size_t n = render_field(c, c->L->label[CB_LABEL_KEYWORDS],
                            cb_arena_strdup(c->scratch, b.data), &lines);
    cb_buf_free(&b);
    cb_compose_note_keywords(c, k, lines, n);
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
    const char **shown = cb_arena_alloc(c->scratch, n * sizeof *shown);
    cb_style name = exact(c->f.serif, c->L->body_size_pt, 0);
    name.nobreak = 1;
    cb_style sup = name;
    sup.size_pt *= 0.65f;
    sup.rise_pt = c->L->body_size_pt * 0.36f;
    cb_style sep = style(c->f.serif, c->L->body_size_pt, 0);
    cb_text_reset(c->text);
    for (size_t i = 0; i < n; i++) {
        const cb_person *p = i < k->n_authors ? &k->authors[i]
                                              : &k->coauthors[i - k->n_authors];
        if (i)
            cb_text_add(c->text, ", ", 2, &sep);
        shown[i] = cb_arena_printf(c->scratch, "%s%s%s",
                                   p->first ? p->first : "",
                                   p->first && p->last ? " " : "",
                                   p->last ? p->last : "");
        const char *nm = cb_arena_printf(c->scratch, "\u2068%s\u2069",
                                         shown[i]);
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
    cb_line *lines;
    size_t nl = place_text(c, CB_ALIGN_CENTER, c->L->body_leading_pt, &lines);
    /* the affiliations are listed beneath, in the heading kept together */
    cb_compose_note_people(c, k->authors, k->n_authors, shown, lines, nl);
    cb_compose_note_people(c, k->coauthors, k->n_coauthors,
                           shown + k->n_authors, lines, nl);
    cb_style aff =
        exact(c->f.serif_i, c->L->body_size_pt * 0.9f, c->L->meta_color);
    for (size_t a = 0; a < n_affs; a++) {
        cb_text_reset(c->text);
        const char *line = cb_arena_printf(c->scratch, "%zu %s", a + 1,
                                           affs[a]);
        cb_text_add(c->text, line, strlen(line), &aff);
        c->role = "Affiliation";
        cb_compose_flush_text(c, c->left, c->width, c->width, CB_ALIGN_CENTER,
                              c->L->body_leading_pt * 0.9f, DECOR_NONE);
    }
}

/* A line in the meta size and colour, in the sans face given, with lines
 * `lead` times its size apart; frees the buffer. */
static void render_meta_text(composer *c, cb_buf *b, int face, float lead)
{
    cb_text_reset(c->text);
    cb_style st = style(face, c->L->meta_size_pt, c->L->meta_color);
    cb_text_add(c->text, b->data, b->len, &st);
    cb_buf_free(b);
    c->role = "Meta";
    cb_compose_flush_text(c, c->left, c->width, c->width, CB_ALIGN_LEFT,
                          c->L->meta_size_pt * lead, DECOR_NONE);
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
    render_meta_text(c, &b, c->f.sans, 1.4f);
}

/* "09:15–09:55 · Auditorium · Opening": when and where, for programmes. */
static void render_slot(composer *c, const cb_contribution *k)
{
    const cb_datetime *s = &k->start;
    cb_buf b = {0};
    if (s->set && s->has_time) {
        cb_buf_printf(&b, "%02d:%02d", s->hour, s->minute);
        /* the end, as ingest settled it (cb_model.h): on another day, its
         * date too */
        const cb_datetime *e = &k->end;
        if (e->set && e->has_time &&
            (e->year != s->year || e->month != s->month || e->day != s->day))
            cb_buf_printf(&b, "\u2013%s, %02d:%02d",
                          cb_compose_format_date(c, e), e->hour, e->minute);
        else if (e->set && e->has_time)
            cb_buf_printf(&b, "\u2013%02d:%02d", e->hour, e->minute);
    }
    const char *parts[] = {k->room, k->session};
    for (int i = 0; i < 2; i++)
        if (parts[i])
            cb_buf_printf(&b, "%s%s", b.len ? " \u00b7 " : "", parts[i]);
    if (!b.len) {
        cb_buf_free(&b);
        return;
    }
    render_meta_text(c, &b, c->f.sans_b, 1.35f);
}

/* A QR code of the contribution's web page, from libqrencode (error
 * correction M: a crease or a smudge still scans): vector squares, one
 * rectangle per run of dark modules in a row, in the text colour, inside
 * a quiet zone of 4 modules; qr.size wide, and a link to the page. A url
 * too long for a QR code (about 2,300 bytes) is left out with a warning. */
static void render_part(composer *c, const cb_contribution *k, cb_field f);

/* Draws QR code q qr.size wide with its top left corner at (x, top). */
static void draw_qr(composer *c, const QRcode *q, const char *url, float x,
                    float top)
{
    float size = c->L->qr_size_pt, mod = size / (float)(q->width + 8);
    int n = q->width;
    for (int r = 0; r < n; r++)
        for (int col = 0; col < n;) {
            int e = col;
            while (e < n && (q->data[r * n + e] & 1))
                e++;
            if (e > col)
                cb_page_add_rect(c->page, x + (4 + col) * mod,
                                 top - (5 + r) * mod, (e - col) * mod, mod,
                                 0);
            col = e > col ? e : col + 1;
        }
    cb_page_add_link_uri(c->page, x, top - size, size, size, url);
}

/* k's QR code, or NULL (no url; one too long, warned about when set). */
static QRcode *encode_qr(composer *c, const cb_contribution *k)
{
    QRcode *q = k->url ? QRcode_encodeString8bit(k->url, 0, QR_ECLEVEL_M)
                       : NULL;
    if (k->url && !q && !c->measuring)
        cb_diag_warning(c->diag, CB_W_LINK_AS_TEXT, k->where,
                        "the url is too long for a QR code: none is "
                        "printed");
    return q;
}

/* The qr field below the fields before it, aligned by qr.align. */
static void render_qr(composer *c, const cb_contribution *k)
{
    if (c->L->qr_beside)
        return; /* drawn beside the entry (qr_beside) */
    QRcode *q = encode_qr(c, k);
    if (!q)
        return;
    const cb_layout *L = c->L;
    float size = L->qr_size_pt;
    space(c, 4);
    cb_compose_need(c, size);
    if (!c->measuring) {
        float x = L->qr_align == CB_ALIGN_RIGHT    ? c->left + c->width - size
                  : L->qr_align == CB_ALIGN_CENTER ? c->left + (c->width - size) / 2
                                                   : c->left;
        draw_qr(c, q, k->url, x, c->y);
    }
    c->y -= size;
    c->end_y = c->y;
    QRcode_free(q);
}

/* With qr.position beside, an entry with a QR code: its fields set
 * narrower by the code and a gap, the code at the top right, and the
 * entry at least as tall as the code. `top` is where the entry starts. */
static void fields_beside_qr(composer *c, const cb_contribution *k, float top)
{
    const cb_layout *L = c->L;
    QRcode *q = L->qr_beside ? encode_qr(c, k) : NULL;
    float size = L->qr_size_pt, width = c->width, gap = 8;
    if (q) {
        if (!c->measuring)
            draw_qr(c, q, k->url, c->left + width - size, top);
        c->width -= size + gap;
    }
    int page = c->page ? cb_page_number(c->page) : -1;
    for (int i = 0; i < L->n_fields; i++)
        render_part(c, k, L->fields[i]);
    c->width = width;
    if (q && (c->measuring || (c->page && cb_page_number(c->page) == page)) &&
        c->y > top - size)
        c->y = c->end_y = top - size;
    QRcode_free(q);
}

/* Sets one field of a contribution, as the layout's `fields` lists them. */
static void render_part(composer *c, const cb_contribution *k, cb_field f)
{
    const char *const *lb = c->L->label;
    cb_line *lines;
    /* the contribution's own words are in its language; a labelled field
     * ("Primary authors: ...") is in the layout's */
    c->block_lang = f == CB_FIELD_TITLE || f == CB_FIELD_DESCRIPTION
                        ? c->lang
                        : NULL;
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
    case CB_FIELD_SESSION:
        render_field(c, lb[CB_LABEL_SESSION], k->session, &lines);
        break;
    case CB_FIELD_TRACK:
        render_field(c, lb[CB_LABEL_TRACK], k->track, &lines);
        break;
    case CB_FIELD_KEYWORDS: render_keywords(c, k); break;
    case CB_FIELD_REFERENCES: render_references(c, k); break;
    case CB_FIELD_AUTHOR_LIST: render_author_list(c, k); break;
    case CB_FIELD_BOARD_LINE: render_board_line(c, k); break;
    case CB_FIELD_SLOT: render_slot(c, k); break;
    case CB_FIELD_QR: render_qr(c, k); break;
    case CB_FIELD_COUNT: break;
    }
    c->block_lang = NULL;
}

/* Sets the language of contribution k's text (NULL: none being set): its
 * own when the source names one, else the layout's. It chooses the
 * hyphenation dictionary and line breaking, and its blocks carry it
 * when it is not the document's (the structure's /Lang). */
static void set_language(composer *c, const cb_contribution *k)
{
    const char *lang = k ? k->language : NULL;
    if (lang && !strcasecmp(lang, c->L->language))
        lang = NULL;
    c->lang = lang;
    if (cb_text_set_language(c->text, lang ? lang : c->L->language) &&
        lang && c->L->hyphenate && !cb_text_can_hyphenate(c->text))
        cb_diag_warning(c->diag, CB_W_HYPHENATION, k->where,
                        "language \"%s\": no hyphenation dictionary is "
                        "installed for it: its words are not hyphenated",
                        lang);
}

/* The height a contribution needs where it starts, measured by setting
 * it on a column without end: the whole entry when it fits in `room`
 * (keeping together never pushes an entry that fits), else its heading
 * (the fields before the description) with the first entry.keep_lines
 * lines of its text, as TeX keeps a heading with the lines after it. An
 * entry without text is kept whole. Its layouts are kept for setting it. */
float cb_compose_entry_need(composer *c, const cb_contribution *k, float room)
{
    float y = c->y;
    c->where = k->where;
    cb_fonts_set_where(c->fonts, k->where);
    c->measuring = c->memo_on = 1;
    c->next_memo = 0;
    set_language(c, k);
    c->y = c->end_y = 0;
    c->keep_left = 0;
    c->keep_y = NAN;
    fields_beside_qr(c, k, 0);
    float whole = -c->end_y, keep = isnan(c->keep_y) ? whole : -c->keep_y;
    c->measuring = c->memo_on = 0;
    c->next_memo = 0;
    set_language(c, NULL);
    c->y = y;
    return whole <= room ? whole : keep;
}

void cb_compose_entry_done(composer *c)
{
    c->memo_on = 0;
    c->n_memo = c->next_memo = 0;
    c->parsed = NULL; /* its blocks live in the scratch arena */
    c->blocks = NULL;
}

/* Starts a contribution: on a new page, or in a continuous flow below the
 * last one where what it needs there fits (cb_compose_entry_need). */
static void begin_entry(composer *c, const cb_contribution *k)
{
    const cb_layout *L = c->L;
    int fresh = c->page && c->y >= L->page_height_pt - L->margin_top_pt - 0.5f;
    if (L->flow == CB_FLOW_PAGE || !c->page) {
        cb_compose_new_page(c);
        return;
    }
    /* a group heading already kept room for its first contribution */
    if (c->after_heading) {
        c->after_heading = 0;
        return;
    }
    if (!fresh)
        space(c, L->entry_gap_pt);
    float room = cb_compose_room(c);
    if (isfinite(room))
        cb_compose_need(c, cb_compose_entry_need(c, k, room));
}

void cb_compose_contribution(composer *c, const cb_contribution *k,
                             int outline_level)
{
    c->where = k->where;
    if (!c->ahead)
        cb_fonts_set_where(c->fonts, k->where);
    c->cur = k;
    begin_entry(c, k);
    set_language(c, k);
    c->memo_on = 1; /* set as measured: the layouts are given back */
    c->next_memo = 0;
    cb_dlist_add_outline(c->dl, outline_level,
                         cb_math_plain_text(c->arena, k->title),
                         cb_page_number(c->page), c->y + 12);
    cb_compose_note_toc(c, k->title, k->id);
    fields_beside_qr(c, k, c->y);
    cb_compose_entry_done(c);
    set_language(c, NULL);
}

/* compose_index.c - the author, affiliation and keyword indexes: who and
 * what appears on which page, sorted by the Unicode Collation Algorithm
 * (see cb_composer.h). */
#include "cb_composer.h"

#include <stdlib.h>
#include <string.h>

/* The key of a name, its surname first: the surname's sort key and then
 * the given name's. A key ends each level with a byte below any weight,
 * so "Braun, Hans" sorts before "Braune, Markus" (one key of "Braun
 * Hans" put "Braune" first: the space between is ignored). */
static const char *name_key(composer *c, const char *surname,
                            const char *given)
{
    return cb_arena_printf(c->arena, "%s%s",
                           cb_collator_key(c->coll, c->scratch, surname),
                           cb_collator_key(c->coll, c->scratch, given));
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
    if (p->whole) {
        /* a name given whole sorts under its last word, where most of the
         * names a conference gets have their surname; shown as given */
        const char *sp = strrchr(last, ' ');
        if (!sp)
            return name_key(c, last, "");
        return name_key(c, sp + 1,
                        cb_arena_printf(c->scratch, "%.*s", (int)(sp - last),
                                        last));
    }
    for (int i = 0; particles[i]; i++) {
        size_t n = strlen(particles[i]);
        if (strncmp(last, particles[i], n) == 0 && last[n]) {
            last = cb_arena_printf(c->scratch, "%s %.*s", last + n, (int)n - 1,
                                   last);
            break;
        }
    }
    return name_key(c, last, p->first ? p->first : "");
}

static void note_ref(composer *c, index_kind kind, const char *key,
                     const char *name, int page)
{
    cb_grow(&c->refs, &c->cap_refs, c->n_refs, sizeof *c->refs);
    c->refs[c->n_refs++] = (index_ref){kind, key, name, page};
}

void cb_compose_note_people(composer *c, const cb_person *p, size_t n,
                            const char *const *shown, const cb_line *lines,
                            size_t n_lines)
{
    /* a layout without these indexes (a report) makes no sort keys */
    if (c->measuring || !n_lines ||
        (!c->L->author_index && !c->L->affiliation_index))
        return;
    cb_arena *keep = c->arena;
    for (size_t i = 0; i < n; i++) {
        const char *name =
            p[i].last && p[i].first
                ? cb_arena_printf(keep, "%s, %s", p[i].last, p[i].first)
                : cb_arena_strdup(keep, p[i].last ? p[i].last
                                      : p[i].first ? p[i].first : "");
        int page = cb_compose_page_showing(c, lines, n_lines, shown[i]);
        if (c->L->author_index)
            note_ref(c, INDEX_AUTHOR, surname_key(c, &p[i]), name, page);
        if (p[i].affiliation && c->L->affiliation_index)
            note_ref(c, INDEX_AFFILIATION,
                     cb_collator_key(c->coll, keep, p[i].affiliation),
                     p[i].affiliation, page);
    }
}

void cb_compose_note_keywords(composer *c, const cb_contribution *k,
                              const cb_line *lines, size_t n_lines)
{
    if (c->measuring || !n_lines || !c->L->keyword_index)
        return;
    for (size_t i = 0; i < k->n_keywords; i++)
        note_ref(c, INDEX_KEYWORD,
                 cb_collator_key(c->coll, c->arena, k->keywords[i]),
                 k->keywords[i],
                 cb_compose_page_showing(c, lines, n_lines, k->keywords[i]));
}

static int ref_cmp(const void *x, const void *y)
{
    const index_ref *a = x, *b = y;
    int r = (a->kind > b->kind) - (a->kind < b->kind);
    r = r ? r : strcmp(a->key, b->key);
    return r ? r : (a->page > b->page) - (a->page < b->page);
}

/* One sort serves every index: by kind, then name, then page. */
void cb_compose_sort_index(composer *c)
{
    if (c->n_refs) /* qsort must not be given NULL, even for nothing */
        qsort(c->refs, c->n_refs, sizeof *c->refs, ref_cmp);
}

/* An index: every name of a kind with the pages it appears on, each page
 * a link there. */
void cb_compose_index(composer *c, index_kind kind, const char *title)
{
    /* an index with nothing to list (no keywords in the event) is left
     * out, not set as a heading on an empty page */
    size_t any = 0;
    while (any < c->n_refs && c->refs[any].kind != kind)
        any++;
    if (any == c->n_refs)
        return;
    /* warnings while setting it name the index, not the last entry */
    c->where = title;
    cb_fonts_set_where(c->fonts, title);
    cb_compose_set_columns(c, 1);
    cb_compose_part_heading(c, title);
    cb_compose_set_columns(c, c->L->index_columns);
    cb_style ns = exact(c->f.serif, c->L->body_size_pt, 0);
    cb_style ps = style(c->f.serif, c->L->body_size_pt, 0);
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
            link.link = cb_arena_printf(c->arena, "#p%d:%.2f", c->refs[j].page,
                                        c->L->page_height_pt -
                                            c->L->margin_top_pt + 12);
            const char *num = cb_compose_body_label(c, c->refs[j].page);
            cb_text_add(c->text, num, strlen(num), &link);
            last_page = c->refs[j].page;
        }
        /* continuation lines hang under the name */
        cb_line *lines;
        long nl = cb_compose_layout(c, c->width, c->width - 12, CB_ALIGN_LEFT,
                                    &lines);
        for (long k = 1; k < nl; k++)
            lines[k].x += 12;
        c->role = "Index";
        if (nl > 0)
            cb_compose_place_lines(c, lines, (size_t)nl, c->left,
                                   c->L->body_leading_pt, DECOR_NONE);
        i = j;
    }
}

/* compose_matter.c - front matter (cover, preface, contents), set after
 * the body it lists and moved before it, and Markdown files set as body
 * text (see cb_composer.h). */
#include "cb_composer.h"


/* A preface or postface: Markdown set as body text on a new page. */
void cb_compose_matter(composer *c, const cb_layout_file *f)
{
    c->where = f->path;
    cb_fonts_set_where(c->fonts, f->path);
    cb_compose_new_page(c);
    c->in_matter = 1;
    cb_compose_blocks(c, cb_compose_parse(c, f->text, f->len, f->path), 0,
                      0);
    c->in_matter = 0;
}

/* Front matter is set after the body it lists, then moved before it:
 * its pages are numbered i, ii, iii..., the body's from 1. A volume's
 * (c->volume) has the volume's title page, not an event's cover. */
void cb_compose_front(composer *c, const cb_event *ev, int body_first)
{
    const cb_layout *L = c->L;
    int front_first = (int)cb_dlist_page_count(c->dl);
    c->base = front_first;
    c->roman = 1;
    c->cur = NULL;
    c->section = NULL;
    cb_compose_set_columns(c, 1);
    if (c->volume ? L->volume_title_page : L->cover) {
        if (c->volume)
            cb_compose_volume_cover(c, c->volume);
        else
            cb_compose_cover(c, ev, 0);
        /* a book's cover has a blank back: what follows is on the right */
        if (L->two_sided && (L->preface.text || (L->toc && c->n_toc))) {
            c->head = -1;
            cb_compose_new_page(c);
        }
    }
    c->head = 1;
    if (L->preface.text)
        cb_compose_matter(c, &L->preface);
    if (c->opts->previous && L->changes && !c->volume)
        cb_compose_changes(c, ev);
    if (L->toc && c->n_toc) { /* contents of nothing: left out */
        c->where = L->label[CB_LABEL_CONTENTS];
        cb_fonts_set_where(c->fonts, c->where);
        cb_compose_toc(c);
    }
    /* two-sided: the body starts on a right-hand page */
    int count = (int)cb_dlist_page_count(c->dl) - front_first;
    if (L->two_sided && count % 2) {
        c->head = -1; /* a blank page: no folio either */
        cb_compose_new_page(c);
        count++;
    }
    /* heads and feet first: they number pages as they are now */
    cb_compose_finish_pages(c, c->first_rec);
    cb_dlist_move_pages(c->dl, (size_t)front_first, (size_t)count,
                        (size_t)body_first);
    cb_dlist_add_page_label(c->dl, body_first, 1, 1);
    cb_dlist_add_page_label(c->dl, body_first + count, 0, 1);
    c->roman = 0;
}

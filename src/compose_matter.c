/* compose_matter.c - front matter (cover, preface, contents), set after
 * the body it lists and moved before it, and Markdown files set as body
 * text (see composer.h). */
#include "composer.h"

#include <errno.h>
#include <string.h>

/* A preface or postface: a Markdown file set as body text. */
void cb_compose_matter_file(composer *c, const char *path)
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
    cb_compose_new_page(c);
    cb_block *blocks = cb_markup_parse(c->scratch, b.data ? b.data : "",
                                       b.len);
    cb_compose_blocks(c, blocks, c->left, 0);
    cb_buf_free(&b);
}

/* Front matter is set after the body it lists, then moved before it:
 * its pages are numbered i, ii, iii..., the body's from 1. */
void cb_compose_front(composer *c, const cb_event *ev, int body_first)
{
    const cb_layout *L = c->L;
    int front_first = (int)cb_dlist_page_count(c->dl);
    c->base = front_first;
    c->roman = 1;
    c->cur = NULL;
    c->section = NULL;
    cb_compose_set_columns(c, 1);
    if (L->cover)
        cb_compose_cover(c, ev, 0);
    c->head = 1;
    if (*L->preface)
        cb_compose_matter_file(c, L->preface);
    if (L->toc)
        cb_compose_toc(c);
    /* two-sided: the body starts on a right-hand page */
    int count = (int)cb_dlist_page_count(c->dl) - front_first;
    if (L->two_sided && count % 2) {
        c->head = 0;
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

/* compose_ahead.c - whole contributions set ahead on the PDF writer's
 * thread (see cb_composer.h).
 *
 * With --jobs 2 the writer's thread waits for pages more than half the
 * time, while the composer, setting text, is most of the run. Where each
 * contribution starts a page of its own (a Report of Contributions) and
 * nothing in it depends on the page's number (one-sided margins, or the
 * same inner and outer), a second composer on that thread, and only while
 * no page waits for it (cb_dlist_set_idle), sets the contributions just
 * ahead of the one being set, each into pages of its own (a display list
 * kept apart). When the composer comes to one of them it places it: it
 * makes the pages as it would have (cb_compose_new_page: numbered, with
 * their heads and feet drawn, handed to the writer) and moves the lines
 * onto them (cb_page_move_items), with what depends on the page's number
 * made then: the bookmark and the line of the contents, the index's
 * pages, the structure's block numbers.
 *
 * Every contribution is set by one side only: claimed by the second
 * composer, it is placed when done; not done when the composer comes to
 * it, it is set by the composer all the same, never waited for (the
 * writer's thread may be writing pages, or not running at all), and the
 * second's work is let go. The second composer goes at most AHEAD_WINDOW
 * contributions ahead, so what waits in memory stays small, and leaves
 * the next AHEAD_GAP to the composer, which would reach them first.
 *
 * It says nothing. Its messages go nowhere, and the font service keeps it
 * quiet (cb_fonts_quiet_here: no message, and no face loaded, so that
 * faces are numbered in the document's order); a contribution in which it
 * met anything worth a message, or one longer than AHEAD_MAX_PAGES, is
 * let go and set by the composer, so that every message is said where and
 * when it always was. The shared font service holds the codes (renumbered
 * in the order pages draw them when a font is written), each thread its
 * own cache of shaped words. The file is the same bytes as with one
 * thread: what the second composer sets is what the first would have.
 *
 * What the second composer allocates its thread frees: a placed slot's
 * list goes back to it (placed_slots), its pages' items are freed where
 * the writer writes them (cb_page_move_items), as glibc locks the heap a
 * block is freed into and each thread waited for the other's. */
#include "cb_composer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How far ahead of the contribution being set the second composer goes:
 * its pages wait in memory until placed. */
#define AHEAD_WINDOW 24
/* and how far at least: the next ones are the composer's, which would
 * come to them before they are done (2 ahead, a third of those claimed
 * were set twice; 4 or more, about one in a hundred) */
#define AHEAD_GAP 4

/* FREE: claimed by no one; SKIPPED: not set at all (the layout's select
 * and exclude keys); SETTING: claimed by the second composer; LEFT: then
 * set by the first all the same (the second's work let go when done);
 * SET: done, waiting to be placed; DECLINED: let go by the second;
 * MINE: claimed by the first */
enum { FREE, SKIPPED, SETTING, LEFT, SET, DECLINED, MINE };

typedef struct {
    int state;
    /* SET: its pages, and what depends on their numbers, counted from its
     * first page */
    cb_dlist *dl;
    cb_arena *arena;     /* its index keys and names */
    toc_entry *toc;
    size_t n_toc;
    index_ref *refs;
    size_t n_refs;
    int blocks;          /* structure blocks it numbered, from 1 */
    /* where it ended */
    float y, col_top, left;
    int col;
} slot;

struct ahead {
    pthread_mutex_t mu;
    const cb_contribution **order;
    size_t n;
    slot *slots;
    size_t at;           /* the contribution being set */
    /* slots placed, whose memory is the second composer's to free: freed
     * by the first, each made one thread wait for the other's heap */
    slot *placed_slots;
    size_t n_placed_slots, cap_placed_slots;
    size_t next;         /* where the second composer looks first */
    int level;           /* the contributions' bookmarks' level */
    composer c2;         /* the second composer, on the writer's thread */
    cb_fonts *fonts;
    cb_dlist *dl;
    int quiet_set;       /* the writer's thread is the fonts' quiet one */
    int every;           /* CB_AHEAD_TEST (see cb_ahead_start) */
    size_t n_placed, n_declined; /* told under CB_AHEAD_TEST */
    /* the columns the second composer sets in: a contribution is placed
     * only where the first sets in the same */
    int n_cols;
    float width;
};

static void slot_free(slot *s)
{
    cb_dlist_free(s->dl);
    cb_arena_free(s->arena);
    free(s->toc);
    free(s->refs);
    memset(s, 0, sizeof *s);
}

/* Copies n elements of size `size` (none: NULL). */
static void *copy_of(const void *p, size_t n, size_t size)
{
    if (!n)
        return NULL;
    void *q = cb_xmalloc(n * size);
    memcpy(q, p, n * size);
    return q;
}

/* Contribution i set by the second composer into pages of its own: 1
 * when it is kept. */
static int set_ahead(ahead *a, size_t i)
{
    composer *c = &a->c2;
    slot *s = &a->slots[i];
    int said = cb_diag_warnings(c->diag) + cb_diag_errors(c->diag);
    c->dl = cb_dlist_new();
    cb_dlist_keep_apart(c->dl);
    c->arena = cb_arena_new();
    c->scratch = cb_arena_new();
    c->page = NULL;
    c->n_recs = c->done_recs = 0;
    c->n_toc = c->n_refs = 0;
    c->block_id = 0;
    c->ahead_over = 0;
    c->n_cols = a->n_cols;
    c->width = a->width;
    cb_compose_contribution(c, a->order[i], a->level);
    int ok = !c->ahead_over && !cb_fonts_quiet_hit(a->fonts) &&
             cb_diag_warnings(c->diag) + cb_diag_errors(c->diag) == said;
    cb_arena_free(c->scratch);
    c->scratch = NULL;
    if (ok) {
        s->dl = c->dl;
        s->arena = c->arena;
        s->toc = copy_of(c->toc, c->n_toc, sizeof *c->toc);
        s->n_toc = c->n_toc;
        s->refs = copy_of(c->refs, c->n_refs, sizeof *c->refs);
        s->n_refs = c->n_refs;
        s->blocks = c->block_id;
        s->y = c->y, s->col_top = c->col_top, s->left = c->left;
        s->col = c->col;
    } else {
        cb_dlist_free(c->dl);
        cb_arena_free(c->arena);
    }
    c->dl = NULL;
    c->arena = NULL;
    c->page = NULL;
    return ok;
}

/* The writer's idle work: the next contribution in the window that no one
 * has claimed, set. 0 when there is none. */
static int next_ahead(void *ctx)
{
    ahead *a = ctx;
    if (!a->quiet_set) {
        cb_fonts_quiet_here(a->fonts, 1);
        a->quiet_set = 1;
    }
    pthread_mutex_lock(&a->mu);
    slot *placed = a->placed_slots;
    size_t n_placed = a->n_placed_slots;
    a->placed_slots = NULL;
    a->n_placed_slots = a->cap_placed_slots = 0;
    pthread_mutex_unlock(&a->mu);
    for (size_t k = 0; k < n_placed; k++)
        slot_free(&placed[k]);
    free(placed);
    pthread_mutex_lock(&a->mu);
    size_t i = a->next > a->at + AHEAD_GAP ? a->next : a->at + AHEAD_GAP;
    while (i < a->n && i <= a->at + AHEAD_WINDOW && a->slots[i].state != FREE)
        i++;
    if (i >= a->n || i > a->at + AHEAD_WINDOW) {
        pthread_mutex_unlock(&a->mu);
        return 0;
    }
    a->slots[i].state = SETTING;
    a->next = i + 1;
    pthread_mutex_unlock(&a->mu);
    int ok = set_ahead(a, i);
    pthread_mutex_lock(&a->mu);
    slot *s = &a->slots[i];
    int left = s->state == LEFT;
    if (!left)
        s->state = ok ? SET : DECLINED;
    pthread_mutex_unlock(&a->mu);
    if (left) /* the first composer did not wait for it */
        slot_free(s);
    return 1;
}

ahead *cb_ahead_start(composer *c, const cb_contribution **order, size_t n,
                      int outline_level)
{
    const cb_layout *L = c->L;
    /* CB_AHEAD_TEST=1: every contribution is set by the second composer
     * first, on this thread, then placed, or let go and set again here;
     * how many of each is told on stderr. For the tests: the same path as
     * on the writer's thread, whatever the threads do. */
    const char *test = getenv("CB_AHEAD_TEST");
    int every = test && *test == '1';
    if (L->flow != CB_FLOW_PAGE || n <= AHEAD_GAP ||
        (L->two_sided && L->margin_inner_pt != L->margin_outer_pt) ||
        (!every && cb_dlist_jobs(c->dl) < 2) || c->in_matter)
        return NULL;
    ahead *a = cb_xcalloc(1, sizeof *a);
    a->order = order;
    a->n = n;
    a->level = outline_level;
    a->every = every;
    a->fonts = c->fonts;
    a->dl = c->dl;
    a->n_cols = c->n_cols;
    a->width = c->width;
    a->slots = cb_xcalloc(n, sizeof *a->slots);
    for (size_t i = 0; i < n; i++)
        if ((L->board_only && !order[i]->board) ||
            !cb_compose_selected(L, order[i]))
            a->slots[i].state = SKIPPED;
    /* the second composer: the first's settings; its own text, formulas,
     * collator, memo, records and silence; no heads or feet (the first
     * draws them where it places the pages) */
    composer *c2 = &a->c2;
    *c2 = *c;
    c2->ahead = 1;
    c2->eager = 0;
    c2->dl = NULL;
    c2->page = NULL;
    c2->diag = cb_diag_new(NULL);
    c2->text = cb_text_new(c->fonts);
    cb_text_share_languages(c2->text, c->text);
    cb_text_set_language(c2->text, L->language);
    c2->arena = c2->scratch = NULL;
    c2->coll = cb_collator_new();
    cb_collator_ignore_case(c2->coll);
    c2->math = c->math ? cb_math_clone(c->math, c2->diag) : NULL;
    memset(c2->fit_memo, 0, sizeof c2->fit_memo);
    c2->next_fit_memo = 0;
    c2->formulas = NULL;
    c2->formula_text = NULL;
    c2->n_formulas = c2->cap_formulas = 0;
    c2->memo = NULL;
    c2->n_memo = c2->cap_memo = c2->next_memo = 0;
    c2->parsed = NULL;
    c2->blocks = NULL;
    c2->recs = NULL;
    c2->n_recs = c2->cap_recs = 0;
    c2->toc = NULL;
    c2->n_toc = c2->cap_toc = 0;
    c2->refs = NULL;
    c2->n_refs = c2->cap_refs = 0;
    c2->line_pages = NULL;
    c2->cap_line_pages = 0;
    pthread_mutex_init(&a->mu, NULL);
    if (every)
        return a;
    cb_fonts_share(c->fonts, 1);
    if (cb_dlist_set_idle(c->dl, next_ahead, a) < 0) {
        cb_ahead_stop(a);
        return NULL;
    }
    return a;
}

/* Places contribution i, set ahead in slot s, as cb_compose_contribution
 * would have set it: its pages made and filled, and what their numbers
 * say recorded. */
static void place(composer *c, slot *s, const cb_contribution *k)
{
    c->where = k->where;
    cb_fonts_set_where(c->fonts, k->where);
    c->cur = k;
    size_t n_pages = cb_dlist_page_count(s->dl);
    size_t n_images = cb_dlist_image_count(s->dl);
    int *image_map = cb_xmalloc((n_images ? n_images : 1) * sizeof *image_map);
    int first = 0;
    for (size_t p = 0; p < n_pages; p++) {
        cb_compose_new_page(c);
        if (p == 0) {
            first = cb_page_number(c->page);
            /* after the first page's head: a logo in it is the list's
             * first image when the contribution's figures come after */
            for (size_t i = 0; i < n_images; i++) {
                const char *name;
                const cb_image *im = cb_dlist_image(s->dl, (int)i, &name);
                image_map[i] = cb_dlist_add_image(c->dl, name, im);
            }
        }
        cb_page_move_items(c->page, cb_dlist_page_added(s->dl, p),
                           c->block_id, image_map);
    }
    free(image_map);
    c->block_id += s->blocks;
    size_t n_outlines;
    const cb_outline *o = cb_dlist_outlines(s->dl, &n_outlines);
    for (size_t i = 0; i < n_outlines; i++)
        cb_dlist_add_outline(c->dl, o[i].level, o[i].title,
                             first + o[i].page, o[i].y);
    for (size_t i = 0; i < s->n_toc; i++) {
        cb_grow(&c->toc, &c->cap_toc, c->n_toc, sizeof *c->toc);
        c->toc[c->n_toc] = s->toc[i];
        c->toc[c->n_toc++].page += first;
    }
    for (size_t i = 0; i < s->n_refs; i++) {
        cb_grow(&c->refs, &c->cap_refs, c->n_refs, sizeof *c->refs);
        c->refs[c->n_refs] = s->refs[i];
        c->refs[c->n_refs++].page += first;
    }
    cb_arena_adopt(c->arena, s->arena);
    s->arena = NULL;
    c->y = s->y, c->col_top = s->col_top, c->left = s->left;
    c->col = s->col;
}

int cb_ahead_place(ahead *a, composer *c, size_t i)
{
    if (!a)
        return 0;
    slot *s = &a->slots[i];
    if (a->every && s->state == FREE) {
        cb_fonts_quiet_here(a->fonts, 1);
        s->state = set_ahead(a, i) ? SET : DECLINED;
        cb_fonts_quiet_here(a->fonts, 0);
        a->n_declined += s->state == DECLINED;
    }
    pthread_mutex_lock(&a->mu);
    a->at = i;
    int state = s->state;
    if (state == SETTING)
        s->state = LEFT;
    else if (state == FREE)
        s->state = MINE;
    pthread_mutex_unlock(&a->mu);
    if (state != SET)
        return 0;
    /* set in other columns, or past the page limit (the rest is set on
     * one page, which only the composer does): the composer's own */
    int ok = c->n_cols == a->n_cols && c->width == a->width &&
             !c->too_many_pages && !c->in_matter;
    if (ok) {
        place(c, s, a->order[i]);
        a->n_placed++;
    }
    pthread_mutex_lock(&a->mu); /* its memory is the other thread's */
    cb_grow(&a->placed_slots, &a->cap_placed_slots, a->n_placed_slots,
            sizeof *a->placed_slots);
    a->placed_slots[a->n_placed_slots++] = *s;
    memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&a->mu);
    return ok;
}

void cb_ahead_stop(ahead *a)
{
    if (!a)
        return;
    if (a->every) {
        fprintf(stderr, "ahead: %zu placed, %zu let go\n", a->n_placed,
                a->n_declined);
    } else {
        cb_dlist_set_idle(a->dl, NULL, NULL); /* the last call is over */
        cb_fonts_share(a->fonts, 0);
    }
    for (size_t i = 0; i < a->n; i++)
        slot_free(&a->slots[i]);
    for (size_t i = 0; i < a->n_placed_slots; i++)
        slot_free(&a->placed_slots[i]);
    free(a->placed_slots);
    composer *c2 = &a->c2;
    cb_text_free(c2->text);
    cb_math_free(c2->math);
    cb_diag_free(c2->diag);
    cb_collator_free(c2->coll);
    for (int i = 0; i < 4; i++) {
        free(c2->fit_memo[i].text);
        free(c2->fit_memo[i].fitted);
    }
    free(c2->memo);
    free(c2->formulas);
    free(c2->recs);
    free(c2->toc);
    free(c2->refs);
    free(c2->line_pages);
    pthread_mutex_destroy(&a->mu);
    free(a->slots);
    free(a);
}

/* dlist.c - the display list (see cb_dlist.h). */
#include "cb_dlist.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cb_unicode.h"

struct cb_page {
    const cb_dlist *dl;  /* the list it belongs to */
    cb_arena *arena;     /* the list's arena, which owns item data */
    cb_arena *own;       /* or, once cleared, its own (cb_page_clear) */
    int number;          /* its place in the order pages were added */
    int apart;           /* its items were made on the sink's thread
                            (cb_page_move_items), which frees them */
    int done;            /* final: see cb_dlist_page_done */
    float width, height;
    cb_item *items;
    size_t n_items, cap_items;
};

#define N_INFO 8
static const char *const info_keys[N_INFO] = {
    "Title", "Author", "Subject", "Keywords", "Creator", "Producer",
    "Lang",    /* the document's language, the catalog's /Lang */
    "Source"}; /* the event's web page, the XMP's dc:source */

struct cb_dlist {
    cb_arena *arena;
    cb_page **pages;           /* in the document's order */
    size_t n_pages, cap_pages;
    cb_page **added;           /* in the order they were added */
    int *position;             /* by page number: its place in `pages` */
    size_t cap_added, cap_position;
    /* pages handed over as they are done (cb_dlist_set_sink) */
    int (*sink)(void *ctx, const cb_page *page);
    void *sink_ctx;
    size_t next_out;           /* the first page not handed over */
    int sink_failed;
    cb_outline *outlines;
    size_t n_outlines, cap_outlines;
    const char *info[N_INFO];
    long long date;
    float trim_margin, bleed;
    unsigned text_color;
    cb_page_label *labels;
    size_t n_labels, cap_labels;
    cb_image *images;          /* embedded once each, however often drawn */
    const char **image_names;
    size_t n_images, cap_images, cap_image_names;
    cb_attachment *attachments;
    size_t n_attachments, cap_attachments;
    struct writer_thread *thread; /* the sink's thread (cb_dlist_set_jobs) */
    int jobs;
    int apart;                 /* cb_dlist_keep_apart */
    int (*idle)(void *ctx); /* see cb_dlist_set_idle */
    void *idle_ctx;
};

/* The sink on a thread of its own (cb_dlist_set_jobs): pages handed over
 * wait in a queue of at most QUEUE_PAGES, so a slow sink holds the
 * composer back instead of letting pages pile up in memory. Each entry is
 * a copy of the page as it was handed over (its items and their arena
 * move with it; the page itself is emptied at once, as without a
 * thread). The thread takes them in order, so the output is the same
 * bytes as without it. It is woken when QUEUE_BATCH pages wait (or at the
 * end), not for each, and once woken takes pages until none waits: on a
 * virtual machine every wake-up is an interrupt between processors, and
 * waking per page cost 14 % more CPU than one thread, against 7 % so.
 * (Until the thread took pages until none waited, it went back to sleep
 * after each, seven still waiting, and was woken again by the next page:
 * a wake-up a page after all, 740 context switches on 1,000
 * contributions instead of 100.) */
#define QUEUE_PAGES 32
#define QUEUE_BATCH 8

typedef struct {
    cb_item *items;
    cb_arena *own;
} garbage;

typedef struct writer_thread {
    pthread_t id;
    pthread_mutex_t mu;
    pthread_cond_t more, room, idle_done;
    /* work for the composer done while no page waits (cb_dlist_set_idle) */
    int (*idle)(void *ctx);
    void *idle_ctx;
    int in_idle;
    cb_page *queue[QUEUE_PAGES];
    size_t head, n;
    int closing;
    /* what the pages written held, given back to the composer's thread,
     * which made it, to free: freed here it made each thread wait for the
     * other's heap (glibc locks a heap to free into it) */
    garbage *back;
    size_t n_back, cap_back;
} writer_thread;

cb_dlist *cb_dlist_new(void)
{
    cb_dlist *dl = cb_xcalloc(1, sizeof *dl);
    dl->arena = cb_arena_new();
    dl->date = -1;
    return dl;
}

void cb_dlist_free(cb_dlist *dl)
{
    if (!dl)
        return;
    cb_dlist_wait(dl);
    for (size_t i = 0; i < dl->n_pages; i++) {
        free(dl->pages[i]->items);
        cb_arena_free(dl->pages[i]->own);
    }
    free(dl->pages);
    free(dl->added);
    free(dl->position);
    free(dl->outlines);
    free(dl->labels);
    free(dl->images);
    free(dl->image_names);
    free(dl->attachments);
    cb_arena_free(dl->arena);
    free(dl);
}

cb_page *cb_dlist_add_page(cb_dlist *dl, float width, float height)
{
    cb_page *p = cb_arena_alloc(dl->arena, sizeof *p);
    /* a page handed over is emptied: its items live in an arena of its
     * own, freed then */
    p->arena = dl->sink || dl->apart ? (p->own = cb_arena_new()) : dl->arena;
    p->dl = dl;
    p->number = (int)dl->n_pages;
    p->width = width;
    p->height = height;
    cb_grow(&dl->pages, &dl->cap_pages, dl->n_pages, sizeof *dl->pages);
    cb_grow(&dl->added, &dl->cap_added, dl->n_pages, sizeof *dl->added);
    cb_grow(&dl->position, &dl->cap_position, dl->n_pages,
            sizeof *dl->position);
    dl->pages[dl->n_pages] = dl->added[dl->n_pages] = p;
    dl->position[dl->n_pages] = (int)dl->n_pages;
    dl->n_pages++;
    return p;
}

void cb_dlist_set_sink(cb_dlist *dl, int (*sink)(void *ctx,
                                                 const cb_page *page),
                       void *ctx)
{
    dl->sink = sink;
    dl->sink_ctx = ctx;
}

void cb_dlist_set_jobs(cb_dlist *dl, int jobs)
{
    dl->jobs = jobs;
}

int cb_dlist_jobs(const cb_dlist *dl)
{
    return dl->jobs;
}

/* Gives a page's items to the sink (unless it failed before). */
static void sink_write(cb_dlist *dl, cb_page *p)
{
    if (!dl->sink_failed && dl->sink(dl->sink_ctx, p) != 0)
        dl->sink_failed = 1;
}

/* ... and frees them. */
static void sink_page(cb_dlist *dl, cb_page *p)
{
    sink_write(dl, p);
    free(p->items);
    cb_arena_free(p->own);
}

static void free_garbage(garbage *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(g[i].items);
        cb_arena_free(g[i].own);
    }
    free(g);
}

static void *sink_thread(void *arg)
{
    cb_dlist *dl = arg;
    writer_thread *t = dl->thread;
    int awake = 0; /* woken for a batch: take pages until none waits */
    garbage *back = NULL; /* given back when the lock is next taken */
    size_t n_back = 0, cap_back = 0;
    for (;;) {
        pthread_mutex_lock(&t->mu);
        if (n_back) {
            cb_grow_to(&t->back, &t->cap_back, t->n_back + n_back,
                       sizeof *t->back);
            memcpy(t->back + t->n_back, back, n_back * sizeof *back);
            t->n_back += n_back;
            n_back = 0;
        }
        while (!(awake && t->n) && t->n < QUEUE_BATCH && !t->closing) {
            awake = 0;
            if (t->idle && t->n) { /* pages first */
                awake = 1;
                continue;
            }
            if (t->idle) { /* the composer's work until pages come */
                int (*idle)(void *) = t->idle;
                t->in_idle = 1;
                pthread_mutex_unlock(&t->mu);
                int did = idle(t->idle_ctx);
                pthread_mutex_lock(&t->mu);
                t->in_idle = 0;
                pthread_cond_broadcast(&t->idle_done);
                if (did)
                    continue;
            }
            pthread_cond_wait(&t->more, &t->mu);
        }
        if (!t->n) {
            pthread_mutex_unlock(&t->mu);
            free(back);
            return NULL;
        }
        awake = 1;
        cb_page *p = t->queue[t->head];
        t->head = (t->head + 1) % QUEUE_PAGES;
        t->n--;
        pthread_cond_signal(&t->room);
        pthread_mutex_unlock(&t->mu);
        sink_write(dl, p); /* sink_failed is the thread's until it ends */
        if (p->apart) { /* set on this thread (cb_page_move_items) */
            free(p->items);
            cb_arena_free(p->own);
        } else {
            cb_grow(&back, &cap_back, n_back, sizeof *back);
            back[n_back++] = (garbage){p->items, p->own};
        }
        free(p);
    }
}

/* Starts the sink's thread (cb_thread_start: signals are the main
 * thread's). Without a thread on failure. */
static void start_thread(cb_dlist *dl)
{
    writer_thread *t = cb_xcalloc(1, sizeof *t);
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->more, NULL);
    pthread_cond_init(&t->room, NULL);
    pthread_cond_init(&t->idle_done, NULL);
    t->idle = dl->idle;
    t->idle_ctx = dl->idle_ctx;
    dl->thread = t;
    if (cb_thread_start(&t->id, sink_thread, dl) != 0) {
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->more);
        pthread_cond_destroy(&t->room);
        pthread_cond_destroy(&t->idle_done);
        free(t);
        dl->thread = NULL;
        dl->jobs = 1;
    }
}

static void queue_page(cb_dlist *dl, cb_page *p)
{
    if (!dl->thread)
        start_thread(dl);
    if (!dl->thread) {
        sink_page(dl, p);
        return;
    }
    cb_page *copy = cb_xmalloc(sizeof *copy);
    *copy = *p;
    writer_thread *t = dl->thread;
    pthread_mutex_lock(&t->mu);
    while (t->n == QUEUE_PAGES)
        pthread_cond_wait(&t->room, &t->mu);
    t->queue[(t->head + t->n) % QUEUE_PAGES] = copy;
    if (++t->n == QUEUE_BATCH)
        pthread_cond_signal(&t->more);
    garbage *back = t->back;
    size_t n_back = t->n_back;
    t->back = NULL;
    t->n_back = t->cap_back = 0;
    pthread_mutex_unlock(&t->mu);
    free_garbage(back, n_back);
}

void cb_dlist_wait(cb_dlist *dl)
{
    writer_thread *t = dl->thread;
    if (!t)
        return;
    pthread_mutex_lock(&t->mu);
    t->closing = 1;
    pthread_cond_signal(&t->more);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->id, NULL);
    free_garbage(t->back, t->n_back);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->more);
    pthread_cond_destroy(&t->room);
    pthread_cond_destroy(&t->idle_done);
    free(t);
    dl->thread = NULL;
}

int cb_dlist_set_idle(cb_dlist *dl, int (*idle)(void *ctx), void *ctx)
{
    if (dl->jobs < 2 || !dl->sink)
        return -1;
    dl->idle = idle;
    dl->idle_ctx = ctx;
    writer_thread *t = dl->thread;
    if (!t)
        return 0;
    pthread_mutex_lock(&t->mu);
    while (t->in_idle) /* the last call is over before it goes */
        pthread_cond_wait(&t->idle_done, &t->mu);
    t->idle = idle;
    t->idle_ctx = ctx;
    pthread_mutex_unlock(&t->mu);
    return 0;
}

void cb_dlist_page_done(cb_dlist *dl, cb_page *page)
{
    page->done = 1;
    while (dl->sink && dl->next_out < dl->n_pages &&
           dl->added[dl->next_out]->done) {
        cb_page *p = dl->added[dl->next_out++];
        if (dl->jobs > 1)
            queue_page(dl, p);
        else
            sink_page(dl, p);
        p->items = NULL;
        p->n_items = p->cap_items = 0;
        p->arena = p->own = cb_arena_new();
        p->apart = 0;
    }
}

int cb_dlist_finish(cb_dlist *dl)
{
    for (size_t i = 0; i < dl->n_pages; i++)
        if (!dl->added[i]->done)
            cb_dlist_page_done(dl, dl->added[i]);
    cb_dlist_wait(dl);
    return dl->sink_failed ? -1 : 0;
}

cb_page *cb_dlist_page_added(const cb_dlist *dl, size_t number)
{
    return number < dl->n_pages ? dl->added[number] : NULL;
}

int cb_dlist_position(const cb_dlist *dl, int number)
{
    return number >= 0 && (size_t)number < dl->n_pages
               ? dl->position[number]
               : number;
}

void cb_dlist_keep_apart(cb_dlist *dl)
{
    dl->apart = 1;
}

void cb_page_move_items(cb_page *to, cb_page *from, int blocks,
                        const int *image_map)
{
    free(to->items);
    cb_arena_free(to->own);
    to->items = from->items;
    to->n_items = from->n_items;
    to->cap_items = from->cap_items;
    to->arena = to->own = from->own;
    to->apart = 1;
    from->items = NULL;
    from->n_items = from->cap_items = 0;
    from->arena = from->own = NULL; /* nothing more is drawn on it */
    for (size_t i = 0; i < to->n_items; i++) {
        cb_item *it = &to->items[i];
        if (it->kind == CB_ITEM_BLOCK)
            it->block += blocks;
        else if (it->kind == CB_ITEM_IMAGE && it->block >= 0)
            it->block = image_map[it->block];
    }
}

void cb_page_clear(cb_page *page)
{
    page->n_items = 0;
    cb_arena_free(page->own);
    page->arena = page->own = cb_arena_new();
}

size_t cb_dlist_page_count(const cb_dlist *dl)
{
    return dl->n_pages;
}

cb_page *cb_dlist_page(const cb_dlist *dl, size_t index)
{
    return index < dl->n_pages ? dl->pages[index] : NULL;
}

int cb_page_number(const cb_page *page)
{
    return page->number;
}

void cb_page_size(const cb_page *page, float *width, float *height)
{
    *width = page->width;
    *height = page->height;
}

const cb_item *cb_page_items(const cb_page *page, size_t *count)
{
    *count = page->n_items;
    return page->items;
}

static cb_item *add_item(cb_page *p, cb_item_kind kind)
{
    cb_grow(&p->items, &p->cap_items, p->n_items, sizeof *p->items);
    cb_item *it = &p->items[p->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->face = -1;
    return it;
}

void cb_page_add_text(cb_page *page, float x, float y, int face, float size,
                      unsigned color, const cb_glyph *glyphs, size_t n,
                      const char *text, size_t text_len, const char *actual)
{
    cb_item *it = add_item(page, CB_ITEM_TEXT);
    it->x = x, it->y = y, it->face = face, it->size = size;
    it->color = color;
    cb_glyph *g = cb_arena_alloc(page->arena, n * sizeof *g);
    memcpy(g, glyphs, n * sizeof *g);
    it->glyphs = g;
    it->n_glyphs = n;
    it->text = cb_arena_strndup(page->arena, text, text_len);
    it->actual = actual ? cb_arena_strdup(page->arena, actual) : NULL;
}

void cb_page_items_to_front(cb_page *page, size_t count)
{
    size_t moved_n = page->n_items - count;
    if (count == 0 || moved_n == 0)
        return;
    cb_item *tmp = cb_xmalloc(moved_n * sizeof *tmp);
    memcpy(tmp, page->items + count, moved_n * sizeof *tmp);
    memmove(page->items + moved_n, page->items, count * sizeof *tmp);
    memcpy(page->items, tmp, moved_n * sizeof *tmp);
    free(tmp);
}

void cb_page_mark_rtl(cb_page *page)
{
    if (page->n_items && page->items[page->n_items - 1].kind == CB_ITEM_TEXT)
        page->items[page->n_items - 1].rtl = 1;
}

void cb_page_mark_artifacts(cb_page *page, size_t from)
{
    for (size_t i = from; i < page->n_items; i++)
        if (page->items[i].kind == CB_ITEM_TEXT)
            page->items[i].artifact = 1;
}

void cb_page_add_line(cb_page *page, float x1, float y1, float x2, float y2,
                      float width, unsigned color)
{
    cb_item *it = add_item(page, CB_ITEM_LINE);
    it->x = x1, it->y = y1, it->x2 = x2, it->y2 = y2;
    it->width = width;
    it->color = color;
}

void cb_page_add_rect(cb_page *page, float x, float y, float w, float h,
                      unsigned color)
{
    cb_item *it = add_item(page, CB_ITEM_RECT);
    it->x = x, it->y = y, it->x2 = x + w, it->y2 = y + h;
    it->color = color;
}

void cb_page_add_block(cb_page *page, const char *role, int block,
                       const char *lang)
{
    cb_item *it = add_item(page, CB_ITEM_BLOCK);
    it->text = cb_arena_strdup(page->arena, role);
    it->block = block;
    if (lang)
        it->actual = cb_arena_strdup(page->arena, lang);
}

void cb_page_add_span(cb_page *page, const char *role, const char *alt)
{
    cb_item *it = add_item(page, CB_ITEM_SPAN);
    it->text = role ? cb_arena_strdup(page->arena, role) : NULL;
    it->actual = alt ? cb_arena_strdup(page->arena, alt) : NULL;
}

void cb_page_add_image(cb_page *page, float x, float y, float w, float h,
                       int image, const char *alt)
{
    cb_item *it = add_item(page, CB_ITEM_IMAGE);
    it->x = x, it->y = y, it->x2 = x + w, it->y2 = y + h;
    it->block = image;
    it->orientation = image >= 0 && (size_t)image < page->dl->n_images
                          ? page->dl->images[image].orientation
                          : 1;
    it->actual = alt ? cb_arena_strdup(page->arena, alt) : NULL;
}

int cb_dlist_add_image(cb_dlist *dl, const char *name, const cb_image *im)
{
    for (size_t i = 0; i < dl->n_images; i++)
        if (!strcmp(dl->image_names[i], name))
            return (int)i;
    cb_grow(&dl->images, &dl->cap_images, dl->n_images + 1,
            sizeof *dl->images);
    cb_grow(&dl->image_names, &dl->cap_image_names, dl->n_images + 1,
            sizeof *dl->image_names);
    cb_image *copy = &dl->images[dl->n_images];
    *copy = *im;
    unsigned char *data = cb_arena_alloc(dl->arena, im->len);
    memcpy(data, im->data, im->len);
    copy->data = data;
    if (im->alpha) {
        size_t px = (size_t)im->width_px * (size_t)im->height_px;
        unsigned char *alpha = cb_arena_alloc(dl->arena, px);
        memcpy(alpha, im->alpha, px);
        copy->alpha = alpha;
    }
    dl->image_names[dl->n_images] = cb_arena_strdup(dl->arena, name);
    return (int)dl->n_images++;
}

const cb_image *cb_dlist_image(const cb_dlist *dl, int index,
                               const char **name)
{
    if (name)
        *name = dl->image_names[index];
    return &dl->images[index];
}

size_t cb_dlist_image_count(const cb_dlist *dl)
{
    return dl->n_images;
}

void cb_dlist_add_attachment(cb_dlist *dl, const char *name, const char *mime,
                             const unsigned char *data, size_t len)
{
    cb_grow(&dl->attachments, &dl->cap_attachments, dl->n_attachments + 1,
            sizeof *dl->attachments);
    unsigned char *copy = cb_arena_alloc(dl->arena, len ? len : 1);
    memcpy(copy, data, len);
    dl->attachments[dl->n_attachments++] = (cb_attachment){
        cb_arena_strdup(dl->arena, name), cb_arena_strdup(dl->arena, mime),
        copy, len};
}

const cb_attachment *cb_dlist_attachments(const cb_dlist *dl, size_t *count)
{
    *count = dl->n_attachments;
    return dl->attachments;
}

void cb_page_add_link_uri(cb_page *page, float x, float y, float w, float h,
                          const char *uri)
{
    cb_item *it = add_item(page, CB_ITEM_LINK_URI);
    it->x = x, it->y = y, it->x2 = x + w, it->y2 = y + h;
    it->text = cb_arena_strdup(page->arena, uri);
}

void cb_page_add_link_page(cb_page *page, float x, float y, float w, float h,
                           int target_page, float target_y)
{
    cb_item *it = add_item(page, CB_ITEM_LINK_PAGE);
    it->x = x, it->y = y, it->x2 = x + w, it->y2 = y + h;
    it->target_page = target_page;
    it->target_y = target_y;
}

/* A copy of s on one line: a bookmark or an information value, as the
 * PDF shows them (line ends and controls as spaces). */
static const char *one_line(cb_arena *arena, const char *s)
{
    char *r = cb_arena_strdup(arena, s);
    r[cb_unicode_one_line(r, strlen(r))] = '\0';
    return r;
}

void cb_dlist_add_outline(cb_dlist *dl, int level, const char *title,
                          int page, float y)
{
    cb_grow(&dl->outlines, &dl->cap_outlines, dl->n_outlines,
            sizeof *dl->outlines);
    cb_outline *o = &dl->outlines[dl->n_outlines++];
    o->level = level;
    o->title = one_line(dl->arena, title);
    o->page = page;
    o->y = y;
}

const cb_outline *cb_dlist_outlines(const cb_dlist *dl, size_t *count)
{
    *count = dl->n_outlines;
    return dl->outlines;
}

void cb_dlist_add_page_label(cb_dlist *dl, int page, int roman, int first)
{
    cb_grow(&dl->labels, &dl->cap_labels, dl->n_labels, sizeof *dl->labels);
    dl->labels[dl->n_labels++] = (cb_page_label){page, roman, first};
}

const cb_page_label *cb_dlist_page_labels(const cb_dlist *dl, size_t *count)
{
    *count = dl->n_labels;
    return dl->labels;
}

typedef struct {
    cb_outline o;
    int position; /* of its page */
    size_t index;
} placed_outline;

static int outline_cmp(const void *x, const void *y)
{
    const placed_outline *a = x, *b = y;
    if (a->position != b->position)
        return a->position < b->position ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Puts the outline back in reading order once pages have moved: by page,
 * then as added. Front matter's entries, added last, belong first, and the
 * tree's nesting follows that order. Within a page the composer adds them
 * in reading order; their height is no guide (the second column's first
 * entry is higher on the page than the first column's last). */
static void sort_outlines(cb_dlist *dl)
{
    placed_outline *p = cb_xmalloc((dl->n_outlines + 1) * sizeof *p);
    for (size_t i = 0; i < dl->n_outlines; i++)
        p[i] = (placed_outline){dl->outlines[i],
                                cb_dlist_position(dl, dl->outlines[i].page),
                                i};
    qsort(p, dl->n_outlines, sizeof *p, outline_cmp);
    for (size_t i = 0; i < dl->n_outlines; i++)
        dl->outlines[i] = p[i].o;
    free(p);
}

/* Where page i goes when [from, from+count) moves to `to` (to <= from). */
static int moved(size_t i, size_t from, size_t count, size_t to)
{
    if (i >= from && i < from + count)
        return (int)(to + (i - from));
    if (i >= to && i < from)
        return (int)(i + count);
    return (int)i;
}

void cb_dlist_move_pages(cb_dlist *dl, size_t from, size_t count, size_t to)
{
    if (count == 0 || to >= from || from + count > dl->n_pages)
        return;
    cb_page **tmp = cb_xmalloc(dl->n_pages * sizeof *tmp);
    for (size_t i = 0; i < dl->n_pages; i++)
        tmp[moved(i, from, count, to)] = dl->pages[i];
    memcpy(dl->pages, tmp, dl->n_pages * sizeof *tmp);
    free(tmp);
    /* pages keep their numbers (links and bookmarks name pages by them,
     * and a page may already be written): only their places change */
    for (size_t i = 0; i < dl->n_pages; i++)
        dl->position[dl->pages[i]->number] = (int)i;
    sort_outlines(dl);
}

static int info_index(const char *key)
{
    for (int i = 0; i < N_INFO; i++)
        if (strcmp(info_keys[i], key) == 0)
            return i;
    return -1;
}

void cb_dlist_set_info(cb_dlist *dl, const char *key, const char *value)
{
    int i = info_index(key);
    if (i >= 0)
        dl->info[i] = one_line(dl->arena, value);
}

const char *cb_dlist_info(const cb_dlist *dl, const char *key)
{
    int i = info_index(key);
    return i >= 0 ? dl->info[i] : NULL;
}

void cb_dlist_set_date(cb_dlist *dl, long long epoch_seconds)
{
    dl->date = epoch_seconds;
}

void cb_dlist_set_trim(cb_dlist *dl, float margin, float bleed)
{
    dl->trim_margin = margin;
    dl->bleed = bleed;
}

void cb_dlist_set_text_color(cb_dlist *dl, unsigned color)
{
    dl->text_color = color;
}

unsigned cb_dlist_text_color(const cb_dlist *dl)
{
    return dl->text_color;
}

void cb_dlist_trim(const cb_dlist *dl, float *margin, float *bleed)
{
    *margin = dl->trim_margin;
    *bleed = dl->bleed;
}

long long cb_dlist_date(const cb_dlist *dl)
{
    return dl->date;
}

/* Quoted and escaped, every control byte as \xNN or \t, \n: never raw
 * to a terminal. */
static void dump_string(cb_buf *out, const char *s)
{
    cb_buf_quote(out, s, SIZE_MAX);
}

static void dump_xy(cb_buf *out, const char *label, float x, float y)
{
    cb_buf_printf(out, " %s=", label);
    cb_buf_num(out, x, 2);
    cb_buf_putc(out, ',');
    cb_buf_num(out, y, 2);
}

static void dump_color(cb_buf *out, unsigned c)
{
    if (c & CB_CMYK)
        cb_buf_printf(out, " color=cmyk(%u,%u,%u,%u)", (c >> 21) & 127,
                      (c >> 14) & 127, (c >> 7) & 127, c & 127);
    else
        cb_buf_printf(out, " color=%06x", c);
}

static void dump_item(const cb_dlist *dl, cb_buf *out, const cb_item *it,
                      const char *(*face_name)(void *, int), void *ctx)
{
    static const char *const kinds[] = {"text", "line", "rect", "link",
                                        "goto", "block", "span",
                                        "image"};
    if (it->kind == CB_ITEM_BLOCK) {
        cb_buf_printf(out, "  block %s id=%d", it->text, it->block);
        if (it->actual)
            cb_buf_printf(out, " lang=%s", it->actual);
        cb_buf_putc(out, '\n');
        return;
    }
    if (it->kind == CB_ITEM_SPAN) {
        cb_buf_printf(out, "  span %s", it->text ? it->text : "end");
        if (it->actual) {
            cb_buf_puts(out, " alt=");
            dump_string(out, it->actual);
        }
        cb_buf_putc(out, '\n');
        return;
    }
    cb_buf_printf(out, "  %s", kinds[it->kind]);
    dump_xy(out, "at", it->x, it->y);
    switch (it->kind) {
    case CB_ITEM_TEXT:
        cb_buf_printf(out, " font=%s size=",
                      face_name ? face_name(ctx, it->face) : "?");
        cb_buf_num(out, it->size, 2);
        if (it->color)
            dump_color(out, it->color);
        cb_buf_puts(out, " ");
        dump_string(out, it->text);
        if (it->actual) {
            cb_buf_puts(out, " actual=");
            dump_string(out, it->actual);
        }
        if (it->rtl)
            cb_buf_puts(out, " rtl");
        if (it->artifact)
            cb_buf_puts(out, " artifact");
        break;
    case CB_ITEM_LINE:
    case CB_ITEM_RECT:
        dump_xy(out, "to", it->x2, it->y2);
        if (it->kind == CB_ITEM_LINE) {
            cb_buf_puts(out, " width=");
            cb_buf_num(out, it->width, 2);
        }
        dump_color(out, it->color);
        break;
    case CB_ITEM_LINK_URI:
        dump_xy(out, "to", it->x2, it->y2);
        cb_buf_puts(out, " ");
        dump_string(out, it->text);
        break;
    case CB_ITEM_LINK_PAGE:
        dump_xy(out, "to", it->x2, it->y2);
        cb_buf_printf(out, " page=%d y=",
                      cb_dlist_position(dl, it->target_page) + 1);
        cb_buf_num(out, it->target_y, 2);
        break;
    case CB_ITEM_IMAGE:
        dump_xy(out, "to", it->x2, it->y2);
        cb_buf_printf(out, " image=%d", it->block + 1);
        if (it->actual) {
            cb_buf_puts(out, " alt=");
            dump_string(out, it->actual);
        }
        break;
    case CB_ITEM_BLOCK:
    case CB_ITEM_SPAN:
        break;
    }
    cb_buf_putc(out, '\n');
}

void cb_dlist_dump(const cb_dlist *dl, cb_buf *out,
                   const char *(*face_name)(void *ctx, int face), void *ctx)
{
    for (int i = 0; i < N_INFO; i++)
        if (dl->info[i]) {
            cb_buf_printf(out, "info %s ", info_keys[i]);
            dump_string(out, dl->info[i]);
            cb_buf_putc(out, '\n');
        }
    for (size_t i = 0; i < dl->n_images; i++) {
        const cb_image *im = &dl->images[i];
        const char *base = strrchr(dl->image_names[i], '/');
        cb_buf_printf(out, "image %zu %s %dx%d %s\n", i + 1,
                      im->type == CB_IMAGE_PNG ? "png" : "jpeg",
                      im->width_px, im->height_px,
                      base ? base + 1 : dl->image_names[i]);
    }
    if (dl->text_color)
    {
        cb_buf_puts(out, "text");
        dump_color(out, dl->text_color);
        cb_buf_putc(out, '\n');
    }
    if (dl->trim_margin > 0) {
        cb_buf_puts(out, "trim margin=");
        cb_buf_num(out, dl->trim_margin, 2);
        cb_buf_puts(out, " bleed=");
        cb_buf_num(out, dl->bleed, 2);
        cb_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < dl->n_labels; i++)
        cb_buf_printf(out, "label page=%d style=%s first=%d\n",
                      dl->labels[i].page + 1,
                      dl->labels[i].roman ? "roman" : "decimal",
                      dl->labels[i].first);
    for (size_t i = 0; i < dl->n_outlines; i++) {
        const cb_outline *o = &dl->outlines[i];
        cb_buf_printf(out, "outline level=%d page=%d y=", o->level,
                      cb_dlist_position(dl, o->page) + 1);
        cb_buf_num(out, o->y, 2);
        cb_buf_putc(out, ' ');
        dump_string(out, o->title);
        cb_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < dl->n_pages; i++) {
        const cb_page *p = dl->pages[i];
        cb_buf_printf(out, "page %zu size=", i + 1);
        cb_buf_num(out, p->width, 2);
        cb_buf_putc(out, 'x');
        cb_buf_num(out, p->height, 2);
        cb_buf_putc(out, '\n');
        for (size_t k = 0; k < p->n_items; k++)
            dump_item(dl, out, &p->items[k], face_name, ctx);
    }
}

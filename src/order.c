/* order.c - ordering and grouping contributions (see cb_order.h). */
#include "cb_order.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cb_unicode.h"

typedef struct {
    const cb_contribution *k;
    const char *title_key;    /* collation key of the title */
    const char *presenter_key;
} entry;

typedef struct {
    const cb_sort_key *keys;
    int n_keys;
    cb_group_by group, subgroup;
} spec;

/* Natural order: runs of digits compare as numbers ("9" before "10",
 * "MOP2" before "MOP10"), everything else byte by byte, and texts equal so
 * far (such as "01" and "1") by their bytes. A total order, whatever the
 * mix: comparing whole strings as numbers only when both were numbers put
 * "9" < "10" < "1a" < "9", and a sort's result then hung on the input
 * order. Digit runs of any length compare without overflow. */
static int natural_cmp(const char *a, const char *b)
{
    const char *x = a, *y = b;
    while (*x && *y) {
        if (isdigit((unsigned char)*x) && isdigit((unsigned char)*y)) {
            while (*x == '0')
                x++;
            while (*y == '0')
                y++;
            size_t nx = 0, ny = 0;
            while (isdigit((unsigned char)x[nx]))
                nx++;
            while (isdigit((unsigned char)y[ny]))
                ny++;
            if (nx != ny)
                return nx < ny ? -1 : 1;
            int c = memcmp(x, y, nx);
            if (c)
                return c < 0 ? -1 : 1;
            x += nx, y += ny;
        } else {
            if (*x != *y)
                return (unsigned char)*x < (unsigned char)*y ? -1 : 1;
            x++, y++;
        }
    }
    if (*x || *y)
        return *x ? 1 : -1;
    return strcmp(a, b);
}

/* Missing values (NULL) go after present ones. */
static int text_cmp(const char *a, const char *b, int natural)
{
    if (!a || !b)
        return !a - !b;
    return natural ? natural_cmp(a, b) : strcmp(a, b);
}

static int time_cmp(const cb_datetime *a, const cb_datetime *b)
{
    if (!a->set || !b->set)
        return !a->set - !b->set;
    int x[] = {a->year, a->month, a->day, a->hour, a->minute, a->second};
    int y[] = {b->year, b->month, b->day, b->hour, b->minute, b->second};
    for (int i = 0; i < 6; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

static int day_cmp(const cb_datetime *a, const cb_datetime *b)
{
    if (!a->set || !b->set)
        return !a->set - !b->set;
    int x = (a->year * 13 + a->month) * 32 + a->day;
    int y = (b->year * 13 + b->month) * 32 + b->day;
    return (x > y) - (x < y);
}

static int group_cmp(const cb_contribution *a, const cb_contribution *b,
                     cb_group_by g)
{
    switch (g) {
    case CB_GROUP_DAY: return day_cmp(&a->start, &b->start);
    case CB_GROUP_SESSION: return text_cmp(a->session, b->session, 0);
    case CB_GROUP_TRACK: return text_cmp(a->track, b->track, 0);
    case CB_GROUP_TYPE: return text_cmp(a->type, b->type, 0);
    case CB_GROUP_NONE: break;
    }
    return 0;
}

static int key_cmp(const entry *a, const entry *b, cb_sort_key key)
{
    const cb_contribution *x = a->k, *y = b->k;
    switch (key) {
    case CB_SORT_ID: return natural_cmp(x->id, y->id);
    case CB_SORT_TITLE: return text_cmp(a->title_key, b->title_key, 0);
    case CB_SORT_BOARD: return text_cmp(x->board, y->board, 1);
    case CB_SORT_SESSION: return text_cmp(x->session, y->session, 0);
    case CB_SORT_TIME: return time_cmp(&x->start, &y->start);
    case CB_SORT_PRESENTER:
        return text_cmp(a->presenter_key, b->presenter_key, 0);
    case CB_SORT_TRACK: return text_cmp(x->track, y->track, 0);
    case CB_SORT_TYPE: return text_cmp(x->type, y->type, 0);
    case CB_SORT_COUNT: break;
    }
    return 0;
}

static int entry_cmp(const entry *a, const entry *b, const spec *s)
{
    int r = group_cmp(a->k, b->k, s->group);
    if (!r)
        r = group_cmp(a->k, b->k, s->subgroup);
    for (int i = 0; !r && i < s->n_keys; i++)
        r = key_cmp(a, b, s->keys[i]);
    return r;
}

/* A stable merge sort with a context (C11's qsort has none, and is not
 * stable): ties keep the order of the source. */
static void merge_sort(entry *e, entry *tmp, size_t n, const spec *s)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(e, tmp, h, s);
    merge_sort(e + h, tmp, n - h, s);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = entry_cmp(&e[j], &e[i], s) < 0 ? e[j++] : e[i++];
    while (i < h)
        tmp[k++] = e[i++];
    while (j < n)
        tmp[k++] = e[j++];
    memcpy(e, tmp, n * sizeof *e);
}

const cb_contribution **cb_order_contributions(const cb_event *ev,
                                               const cb_sort_key *keys,
                                               int n_keys, cb_group_by group,
                                               cb_group_by subgroup)
{
    cb_arena *arena = cb_arena_new();
    cb_collator *coll = cb_collator_new();
    entry *e = cb_xcalloc(ev->n_contribs + 1, sizeof *e);
    for (size_t i = 0; i < ev->n_contribs; i++) {
        const cb_contribution *k = &ev->contribs[i];
        e[i].k = k;
        e[i].title_key = cb_collator_key(coll, arena, k->title);
        if (k->n_speakers) {
            const cb_person *p = &k->speakers[0];
            e[i].presenter_key = cb_collator_key(
                coll, arena, cb_arena_printf(arena, "%s\x01%s",
                                       p->last ? p->last : "",
                                       p->first ? p->first : ""));
        }
    }
    spec s = {keys, n_keys, group, subgroup};
    entry *tmp = cb_xcalloc(ev->n_contribs + 1, sizeof *tmp);
    merge_sort(e, tmp, ev->n_contribs, &s);
    free(tmp);
    const cb_contribution **out = cb_xcalloc(ev->n_contribs + 1, sizeof *out);
    for (size_t i = 0; i < ev->n_contribs; i++)
        out[i] = e[i].k;
    free(e);
    cb_collator_free(coll);
    cb_arena_free(arena);
    return out;
}

int cb_order_same_group(const cb_contribution *a, const cb_contribution *b,
                        cb_group_by group)
{
    return group_cmp(a, b, group) == 0;
}

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
    size_t source;            /* its place in the file */
    size_t rank[2];           /* of its group and subgroup (group_ranks) */
} entry;

/* The sort keys compared after the group ranks (entry.rank). */
typedef struct {
    const cb_sort_key *keys;
    int n_keys;
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
    int r = (a->rank[0] > b->rank[0]) - (a->rank[0] < b->rank[0]);
    if (!r)
        r = (a->rank[1] > b->rank[1]) - (a->rank[1] < b->rank[1]);
    for (int i = 0; !r && i < s->n_keys; i++)
        r = key_cmp(a, b, s->keys[i]);
    return r;
}

/* ---- the order of groups ---- */

/* A contribution as a member of a group of one level, with what places
 * that group among the others. Each carries its level's settings, so that
 * qsort's comparators need no context. */
typedef struct {
    entry *e;
    cb_group_by by;
    int by_time;   /* groups follow their earliest contribution */
    size_t parent; /* rank of the group it is in (0 at the top level) */
    size_t group;  /* index of its group, once found */
} member;

typedef struct {
    const member *m;     /* a member: the level, the parent, the value */
    const entry *first;  /* its earliest contribution (ties, and none with
                            a time: the first in the file) */
    size_t source;       /* the file place of its first member */
    size_t rank;
} group_rec;

/* Whether a member has no value for its level (no session, no track...):
 * when groups follow time, each such contribution stands on its own, at
 * its own time in the day, instead of all of them after the sessions. */
static int stands_alone(const member *m)
{
    if (!m->by_time || m->by == CB_GROUP_DAY)
        return 0;
    const cb_contribution *k = m->e->k;
    return !(m->by == CB_GROUP_SESSION ? k->session
             : m->by == CB_GROUP_TRACK ? k->track
                                        : k->type);
}

/* Members in the order that brings each group's together. */
static int member_cmp(const void *pa, const void *pb)
{
    const member *a = pa, *b = pb;
    int r = (a->parent > b->parent) - (a->parent < b->parent);
    if (!r)
        r = group_cmp(a->e->k, b->e->k, a->by);
    if (!r && (stands_alone(a) || stands_alone(b)))
        r = (a->e->source > b->e->source) - (a->e->source < b->e->source);
    return r;
}

/* Groups in turn: by parent; then, when they follow time, by the start of
 * their earliest contribution (none last) and its room (parallel sessions
 * side by side); then by name (missing names last); then the file. */
static int group_rec_cmp(const void *pa, const void *pb)
{
    const group_rec *a = pa, *b = pb;
    int r = (a->m->parent > b->m->parent) - (a->m->parent < b->m->parent);
    if (!r && a->m->by_time) {
        r = time_cmp(&a->first->k->start, &b->first->k->start);
        if (!r)
            r = text_cmp(a->first->k->room, b->first->k->room, 1);
    }
    if (!r)
        r = group_cmp(a->m->e->k, b->m->e->k, a->m->by);
    if (!r)
        r = (a->source > b->source) - (a->source < b->source);
    return r;
}

/* Sets rank[level] of every entry: the place of its group among the
 * groups of that level (within its parent group, for the subgroup). */
static void group_ranks(entry *e, size_t n, int level, cb_group_by by,
                        int by_time)
{
    if (by == CB_GROUP_NONE || n == 0)
        return;
    member *m = cb_xcalloc(n, sizeof *m);
    for (size_t i = 0; i < n; i++)
        m[i] = (member){&e[i], by, by_time, level ? e[i].rank[0] : 0, 0};
    qsort(m, n, sizeof *m, member_cmp);
    group_rec *g = cb_xcalloc(n, sizeof *g);
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ng || member_cmp(&m[i - 1], &m[i]) != 0)
            g[ng++] = (group_rec){&m[i], m[i].e, m[i].e->source, 0};
        group_rec *cur = &g[ng - 1];
        int t = time_cmp(&m[i].e->k->start, &cur->first->k->start);
        if (t < 0 || (t == 0 && m[i].e->source < cur->first->source))
            cur->first = m[i].e;
        if (m[i].e->source < cur->source)
            cur->source = m[i].e->source;
        m[i].group = ng - 1;
    }
    /* sorting the groups moves them: remember each one's members first */
    size_t *of = cb_xcalloc(n, sizeof *of);
    for (size_t i = 0; i < n; i++)
        of[i] = m[i].group;
    for (size_t i = 0; i < ng; i++)
        g[i].rank = i; /* its index before the sort */
    qsort(g, ng, sizeof *g, group_rec_cmp);
    size_t *rank_of = cb_xcalloc(ng, sizeof *rank_of);
    for (size_t r = 0; r < ng; r++)
        rank_of[g[r].rank] = r;
    for (size_t i = 0; i < n; i++)
        m[i].e->rank[level] = rank_of[of[i]];
    free(rank_of);
    free(of);
    free(g);
    free(m);
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
                                               cb_group_by subgroup,
                                               int groups_by_time)
{
    cb_arena *arena = cb_arena_new();
    cb_collator *coll = cb_collator_new();
    entry *e = cb_xcalloc(ev->n_contribs + 1, sizeof *e);
    for (size_t i = 0; i < ev->n_contribs; i++) {
        const cb_contribution *k = &ev->contribs[i];
        e[i].k = k;
        e[i].source = i;
        e[i].title_key = cb_collator_key(coll, arena, k->title);
        if (k->n_speakers) {
            const cb_person *p = &k->speakers[0];
            e[i].presenter_key = cb_collator_key(
                coll, arena, cb_arena_printf(arena, "%s\x01%s",
                                       p->last ? p->last : "",
                                       p->first ? p->first : ""));
        }
    }
    group_ranks(e, ev->n_contribs, 0, group, groups_by_time);
    if (group != CB_GROUP_NONE)
        group_ranks(e, ev->n_contribs, 1, subgroup, groups_by_time);
    spec s = {keys, n_keys};
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

static int by_id(const void *a, const void *b)
{
    const cb_contribution *x = *(const cb_contribution *const *)a,
                          *y = *(const cb_contribution *const *)b;
    int d = strcmp(x->id, y->id);
    return d ? d : (x > y) - (x < y);
}

const cb_contribution **cb_order_by_id(const cb_event *ev)
{
    const cb_contribution **k = cb_xmalloc((ev->n_contribs + 1) * sizeof *k);
    for (size_t i = 0; i < ev->n_contribs; i++)
        k[i] = &ev->contribs[i];
    if (ev->n_contribs)
        qsort(k, ev->n_contribs, sizeof *k, by_id);
    return k;
}

/* cb_lower_bound's comparison of an id with a contribution. */
static int id_vs(const void *id, const void *elem)
{
    return strcmp(id, (*(const cb_contribution *const *)elem)->id);
}

const cb_contribution *cb_order_find_id(const cb_contribution *const *k,
                                        size_t n, const char *id)
{
    size_t i = cb_lower_bound(k, n, sizeof *k, id, id_vs);
    return i < n && !strcmp(k[i]->id, id) ? k[i] : NULL;
}

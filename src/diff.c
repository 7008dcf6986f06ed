/* diff.c - two editions of the records compared, contribution by
 * contribution (matched by id: the one thing an event system keeps while
 * titles, times and rooms move). */
#include "cb_diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_order.h"
#include "cb_util.h"

static const char *const field_names[CB_DIFF_NFIELDS] = {
    "title", "time", "room", "session", "persons", "description",
    "references", "other"};

const char *cb_diff_field_name(unsigned bit)
{
    for (int i = 0; i < CB_DIFF_NFIELDS; i++)
        if (bit == 1u << i)
            return field_names[i];
    return "?";
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static int same_stamp(const cb_datetime *a, const cb_datetime *b)
{
    if (a->set != b->set)
        return 0;
    return !a->set ||
           (a->has_time == b->has_time && a->year == b->year &&
            a->month == b->month && a->day == b->day && a->hour == b->hour &&
            a->minute == b->minute && a->second == b->second &&
            same_text(a->tz, b->tz));
}

static int same_people(const cb_person *a, size_t na, const cb_person *b,
                       size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (!same_text(a[i].first, b[i].first) ||
            !same_text(a[i].last, b[i].last) ||
            !same_text(a[i].title, b[i].title) ||
            !same_text(a[i].affiliation, b[i].affiliation))
            return 0;
    return 1;
}

static int same_refs(const cb_contribution *a, const cb_contribution *b)
{
    if (a->n_refs != b->n_refs)
        return 0;
    for (size_t i = 0; i < a->n_refs; i++)
        if (!same_text(a->refs[i].type, b->refs[i].type) ||
            !same_text(a->refs[i].value, b->refs[i].value) ||
            !same_text(a->refs[i].url, b->refs[i].url))
            return 0;
    return 1;
}

static int same_words(const cb_contribution *a, const cb_contribution *b)
{
    if (a->n_keywords != b->n_keywords)
        return 0;
    for (size_t i = 0; i < a->n_keywords; i++)
        if (!same_text(a->keywords[i], b->keywords[i]))
            return 0;
    return 1;
}

static unsigned changed_fields(const cb_contribution *a,
                               const cb_contribution *b)
{
    unsigned f = 0;
    if (!same_text(a->title, b->title))
        f |= CB_DIFF_TITLE;
    if (!same_stamp(&a->start, &b->start) || !same_stamp(&a->end, &b->end) ||
        a->duration_min != b->duration_min)
        f |= CB_DIFF_TIME;
    if (!same_text(a->room, b->room))
        f |= CB_DIFF_ROOM;
    if (!same_text(a->session, b->session))
        f |= CB_DIFF_SESSION;
    if (!same_people(a->authors, a->n_authors, b->authors, b->n_authors) ||
        !same_people(a->coauthors, a->n_coauthors, b->coauthors,
                     b->n_coauthors) ||
        !same_people(a->speakers, a->n_speakers, b->speakers, b->n_speakers))
        f |= CB_DIFF_PERSONS;
    if (!same_text(a->description, b->description))
        f |= CB_DIFF_DESCRIPTION;
    if (!same_refs(a, b))
        f |= CB_DIFF_REFERENCES;
    if (!same_text(a->code, b->code) || !same_text(a->type, b->type) ||
        !same_text(a->track, b->track) || !same_text(a->board, b->board) ||
        !same_words(a, b))
        f |= CB_DIFF_OTHER;
    return f;
}

static void add(cb_change **out, size_t *n, size_t *cap, cb_change c)
{
    cb_grow(out, cap, *n, sizeof **out);
    (*out)[(*n)++] = c;
}

size_t cb_diff(const cb_model *old, const cb_model *new, cb_change **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    size_t events = old->n_events > new->n_events ? old->n_events
                                                   : new->n_events;
    for (size_t ev = 0; ev < events; ev++) {
        static const cb_event none = {0};
        const cb_event *a = ev < old->n_events ? &old->events[ev] : &none;
        const cb_event *b = ev < new->n_events ? &new->events[ev] : &none;
        const cb_contribution **ka = cb_order_by_id(a);
        const cb_contribution **kb = cb_order_by_id(b);
        for (size_t i = 0; i < b->n_contribs; i++) {
            const cb_contribution *c = &b->contribs[i];
            const cb_contribution *was =
                cb_order_find_id(ka, a->n_contribs, c->id);
            if (cb_order_find_id(kb, b->n_contribs, c->id) != c)
                continue; /* an id used twice: its first is compared */
            if (!was) {
                add(out, &n, &cap, (cb_change){CB_ADDED, NULL, c, 0});
                continue;
            }
            unsigned f = changed_fields(was, c);
            if (f)
                add(out, &n, &cap, (cb_change){CB_CHANGED, was, c, f});
        }
        for (size_t i = 0; i < a->n_contribs; i++) {
            const cb_contribution *c = &a->contribs[i];
            if (cb_order_find_id(ka, a->n_contribs, c->id) == c &&
                !cb_order_find_id(kb, b->n_contribs, c->id))
                add(out, &n, &cap, (cb_change){CB_REMOVED, c, NULL, 0});
        }
        free(ka);
        free(kb);
    }
    return n;
}

const char *cb_diff_time(const cb_contribution *c, char *buf, size_t size)
{
    const cb_datetime *s = &c->start, *e = &c->end;
    if (!s->set)
        snprintf(buf, size, "%s", "");
    else if (!s->has_time)
        snprintf(buf, size, "%04d-%02d-%02d", s->year, s->month, s->day);
    else if (e->set && e->has_time)
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d-%02d:%02d", s->year,
                 s->month, s->day, s->hour, s->minute, e->hour, e->minute);
    else
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d", s->year, s->month,
                 s->day, s->hour, s->minute);
    return buf;
}

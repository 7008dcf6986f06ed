/* cb_order.h - the order and grouping of an event's contributions. */
#ifndef CB_ORDER_H
#define CB_ORDER_H

#include <stddef.h>

#include "cb_model.h"

typedef enum {
    CB_SORT_ID,        /* natural order: digit runs as numbers */
    CB_SORT_TITLE,     /* alphabetically: case and accents aside */
    CB_SORT_BOARD,     /* poster board number, numerically when numbers */
    CB_SORT_SESSION,
    CB_SORT_TIME,      /* scheduled start */
    CB_SORT_PRESENTER, /* first presenter's surname, then given name, as
                          CB_SORT_TITLE compares */
    CB_SORT_TRACK,
    CB_SORT_TYPE,
    CB_SORT_COUNT
} cb_sort_key;

typedef enum {
    CB_GROUP_NONE,
    CB_GROUP_DAY,
    CB_GROUP_SESSION,
    CB_GROUP_TRACK,
    CB_GROUP_TYPE
} cb_group_by;

/* How the groups of a level follow each other. */
typedef enum {
    CB_GROUPS_BY_TIME, /* by their earliest contribution's start, then room */
    CB_GROUPS_BY_NAME  /* alphabetically */
} cb_group_order;

/* Returns the event's contributions ordered by the group and subgroup
 * (when there are) and then by the keys in turn; contributions without a
 * value for a key (no session, no time...) come after those with one, and
 * ties keep the order of the source. Groups follow each other by name, or
 * with groups_by_time by the start of their earliest contribution, then
 * its room (parallel sessions), then name; days are always in date order,
 * and a contribution without a session (track, type) then takes its own
 * place in time instead of coming after every session. The caller frees
 * the array. */
const cb_contribution **cb_order_contributions(const cb_event *ev,
                                               const cb_sort_key *keys,
                                               int n_keys, cb_group_by group,
                                               cb_group_by subgroup,
                                               int groups_by_time);

/* The event's contributions sorted by id (byte order), ties in source
 * order: for finding duplicates and matching editions. The caller frees
 * the array (never NULL). */
const cb_contribution **cb_order_by_id(const cb_event *ev);

/* The first contribution with id in k (n of them, from cb_order_by_id),
 * or NULL. */
const cb_contribution *cb_order_find_id(const cb_contribution *const *k,
                                        size_t n, const char *id);

/* Whether a and b fall in the same group. */
int cb_order_same_group(const cb_contribution *a, const cb_contribution *b,
                        cb_group_by group);

#endif

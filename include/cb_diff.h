/* cb_diff.h - what changed between two editions of a conference's
 * records: contributions added, removed and changed, matched by id, with
 * the fields that changed. For `contribook diff` and a booklet's "Changes
 * since the previous edition" page. */
#ifndef CB_DIFF_H
#define CB_DIFF_H

#include <stddef.h>

#include "cb_model.h"

/* The fields compared, as bits of cb_change.fields. */
enum {
    CB_DIFF_TITLE = 1 << 0,
    CB_DIFF_TIME = 1 << 1,        /* start, end or duration */
    CB_DIFF_ROOM = 1 << 2,
    CB_DIFF_SESSION = 1 << 3,
    CB_DIFF_PERSONS = 1 << 4,     /* authors, co-authors, presenters */
    CB_DIFF_DESCRIPTION = 1 << 5,
    CB_DIFF_REFERENCES = 1 << 6,
    CB_DIFF_OTHER = 1 << 7,       /* code, type, track, keywords, board */
    CB_DIFF_NFIELDS = 8
};

typedef enum { CB_ADDED, CB_REMOVED, CB_CHANGED } cb_change_kind;

typedef struct {
    cb_change_kind kind;
    const cb_contribution *old, *new; /* NULL for added / removed */
    unsigned fields;                  /* CB_CHANGED: what changed */
} cb_change;

/* The changes from old to new: added and changed in the new edition's
 * order, then removed in the old one's. Contributions are matched by id
 * within events matched by place (the first with the first). Returns the
 * number of changes; *out is malloc'ed (free it), NULL when none. */
size_t cb_diff(const cb_model *old, const cb_model *new, cb_change **out);

/* A field's name ("title", "time") for bit `bit` (one of CB_DIFF_*). */
const char *cb_diff_field_name(unsigned bit);

/* A contribution's time as the diff shows it: "2022-08-22 10:00-10:30",
 * "2022-08-22", or "" when it has none; in *buf. */
const char *cb_diff_time(const cb_contribution *c, char *buf, size_t size);

#endif

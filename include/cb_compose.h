/* cb_compose.h - lays out a model as pages of a display list. */
#ifndef CB_COMPOSE_H
#define CB_COMPOSE_H

#include "cb_diag.h"
#include "cb_dlist.h"
#include "cb_font.h"
#include "cb_layout.h"
#include "cb_model.h"

typedef struct {
    const cb_layout *layout; /* page, fonts, sizes, labels, fields */
    long long date;          /* generation time, seconds since 1970 (UTC) */
    const char *version;     /* contribook's version, for the metadata */
} cb_compose_options;

/* Composes Indico's "Report of Contributions": a title page per event, then
 * each contribution on a new page, ordered by id, with running heads,
 * page numbers, bookmarks and metadata. Warnings and errors go to diag.
 * Returns CB_EXIT_OK or an exit code (after reporting). */
int cb_compose_report(const cb_model *model, cb_fonts *fonts,
                      const cb_compose_options *opts, cb_dlist *dl,
                      cb_diag *diag);

#endif

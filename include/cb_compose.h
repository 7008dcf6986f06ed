/* cb_compose.h - lays out a model as pages of a display list. The composer's
 * parts (pages, fields, contents, indexes...) are listed in src/cb_composer.h. */
#ifndef CB_COMPOSE_H
#define CB_COMPOSE_H

#include "cb_diag.h"
#include "cb_dlist.h"
#include "cb_font.h"
#include "cb_layout.h"
#include "cb_model.h"
#include "cb_text.h"

/* The most pages one run makes. Pages are written out as they are set
 * (unless a running head counts the pages of its part), so memory does
 * not grow with them; what does is the index of pages, links and
 * structure elements written at the end, a few hundred bytes a page.
 * 100,000 pages are more than any real conference's booklet needs (the
 * largest have tens of thousands of contributions), and fewer than a
 * 600pt body type makes of a 400 KB abstract. Past it, the run fails
 * (CB_EXIT_DATA). */
#define CB_MAX_PAGES 100000

typedef struct {
    const cb_layout *layout; /* page, fonts, sizes, labels, fields */
    long long date;          /* generation time, seconds since 1970 (UTC) */
    const char *version;     /* contribook's version, for the metadata */
    int max_pages;           /* 1 to CB_MAX_PAGES; 0: CB_MAX_PAGES */
    const char *output_name; /* the output file's name, for a print
                                layout's slug line; NULL for none */
    const char *title;       /* a volume's title (--title), over the
                                layout's volume.title; NULL for none */
    /* called after each contribution is set: how many of how many, and
     * the pages made so far; NULL for none */
    void (*progress)(void *ctx, size_t done, size_t total, size_t pages);
    void *progress_ctx;
    const cb_model *previous; /* the previous edition (--previous): its
                                 changes get a page; NULL for none */
    cb_text *text; /* a paragraph builder on the same fonts, made ahead
                      (its language's dictionary loaded while the input
                      was read), which cb_compose_report takes and frees;
                      NULL: it makes its own */
} cb_compose_options;

/* Composes every event of the model as the layout says: a Report of
 * Contributions (each contribution on a page of its own), a Book of
 * Abstracts (a continuous flow with contents and indexes), a programme or a
 * poster list. Per event: cover, front matter (preface, contents), the
 * contributions in the layout's order and groups, back matter (postface,
 * indexes); running heads, page numbers and labels, bookmarks, metadata.
 * Several events (or a layout with volume.title_page) make one volume:
 * each event a part with its title page, one front matter (the volume's
 * title page, preface, one contents), pages numbered through, one set of
 * indexes over all the parts, bookmarks volume > event > group.
 * Warnings and errors go to diag. Returns CB_EXIT_OK, or after reporting,
 * the exit code of what failed (CB_EXIT_FONT when no font can set the
 * text). The display list owns everything added to it. */
int cb_compose_report(const cb_model *model, cb_fonts *fonts,
                      const cb_compose_options *opts, cb_dlist *dl,
                      cb_diag *diag);

#endif

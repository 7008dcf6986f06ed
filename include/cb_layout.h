/* cb_layout.h - page layouts an organizer can read, copy and change:
 * YAML files (parsed by libyaml, the only module that includes it) whose
 * every key has a documented default, so an empty file is a valid layout.
 * layouts/README.md documents the keys; `contribook --layout-keys` lists
 * them with their types and defaults. */
#ifndef CB_LAYOUT_H
#define CB_LAYOUT_H

#include "cb_diag.h"
#include "cb_order.h"
#include "cb_text.h"
#include "cb_image.h"
#include "cb_util.h"

/* Texts a layout can translate (labels.* keys). */
typedef enum {
    CB_LABEL_REPORT,          /* "Report of Contributions" */
    CB_LABEL_CONTRIBUTION_ID,
    CB_LABEL_CODE,
    CB_LABEL_TYPE,
    CB_LABEL_NOT_SPECIFIED,
    CB_LABEL_PRIMARY_AUTHOR,
    CB_LABEL_PRIMARY_AUTHORS,
    CB_LABEL_COAUTHOR,
    CB_LABEL_COAUTHORS,
    CB_LABEL_PRESENTER,
    CB_LABEL_PRESENTERS,
    CB_LABEL_SESSION,
    CB_LABEL_TRACK,
    CB_LABEL_KEYWORDS,
    CB_LABEL_REFERENCE,
    CB_LABEL_REFERENCES,
    CB_LABEL_MINUTE,
    CB_LABEL_MINUTES,
    CB_LABEL_UNSCHEDULED,     /* group names for contributions without */
    CB_LABEL_NO_SESSION,
    CB_LABEL_NO_TRACK,
    CB_LABEL_NO_TYPE,
    CB_LABEL_CONTENTS,
    CB_LABEL_AUTHOR_INDEX,
    CB_LABEL_AFFILIATION_INDEX,
    CB_LABEL_KEYWORD_INDEX,
    CB_LABEL_TIMETABLE,
    CB_LABEL_CHANGES,         /* the changes page (--previous) */
    CB_LABEL_ADDED,
    CB_LABEL_CHANGED,
    CB_LABEL_REMOVED,
    CB_LABEL_CHANGE_FIELDS,   /* the fields cb_diff names, ", "-separated */
    CB_LABEL_COUNT
} cb_label;

/* What a contribution shows, in the order `fields` lists them. */
typedef enum {
    CB_FIELD_ID_LINE,    /* Contribution ID, code and type */
    CB_FIELD_TITLE,
    CB_FIELD_SCHEDULE,
    CB_FIELD_DESCRIPTION,
    CB_FIELD_AUTHORS,
    CB_FIELD_COAUTHORS,
    CB_FIELD_PRESENTERS,
    CB_FIELD_SESSION,
    CB_FIELD_TRACK,
    CB_FIELD_KEYWORDS,
    CB_FIELD_REFERENCES,
    CB_FIELD_AUTHOR_LIST, /* Book of Abstracts: names with numbered
                             affiliations, the affiliations beneath */
    CB_FIELD_BOARD_LINE,  /* "Session - Board: X / ID" */
    CB_FIELD_SLOT,        /* "09:15–09:55 · Room · Session" */
    CB_FIELD_QR,          /* a QR code of its url */
    CB_FIELD_COUNT
} cb_field;

/* Which of the layout's three families an element is set in. */
typedef enum { CB_FONT_SERIF, CB_FONT_SANS, CB_FONT_MONO } cb_font_role;

/* A Markdown file a layout names (front.preface, back.postface): read and
 * checked once, when the layout is loaded. */
/* A colour key set to "none". */
#define CB_NO_COLOR 0x40000000u

typedef struct {
    const char *path;          /* as the layout names it; "" for none */
    const char *text;          /* its contents, valid UTF-8; NULL for none */
    size_t len;
} cb_layout_file;

/* An image a layout draws (cover.logo, head.logo, a figure of its
 * preface or postface): read and checked once, when the layout is
 * loaded. */
typedef struct {
    const char *src;           /* as written; "" for none */
    const char *path;          /* found beside the file naming it */
    cb_image image;            /* its bytes and size; data NULL for none */
} cb_layout_image;

/* The figures of a preface and postface together: a few pages with a
 * figure each; past this is a paper, not a preface. */
#define CB_LAYOUT_MAX_FIGURES 64

/* The files one layout may read: its own, the ones it extends (at most
 * MAX_EXTENDS deep, see layout.c), a preface and a postface, two logos
 * and the figures. */
#define CB_LAYOUT_MAX_FILES (14 + CB_LAYOUT_MAX_FIGURES)

/* A loaded layout: plain data, lengths in points (named *_pt), colours as 0xRRGGBB.
 * Strings are owned by the layout. */
#define CB_RECTO_LEFT "{recto_left}"
#define CB_RECTO_RIGHT "{recto_right}"

/* A list of names a layout gives (select.types: [Poster]). */
typedef struct {
    const char **names;
    int n;
} cb_names;

typedef struct cb_layout {
    const char *name;          /* as given to --layout */
    const char *description;
    float page_width_pt, page_height_pt;
    float margin_top_pt, margin_bottom_pt, margin_inner_pt, margin_outer_pt;
    int two_sided;             /* inner/outer margins swap on even pages */
    float bleed_pt;            /* print: beyond the trim on every side */
    int crop_marks, registration_marks, slug; /* print marks */
    int columns, index_columns;
    float column_gap_pt;
    const char *serif, *sans, *mono, *math;
    float body_size_pt, body_leading_pt, paragraph_gap_pt;
    cb_align body_align;
    int hyphenate;
    const char *language;
    float title_size_pt, title_leading_pt, title_space_pt;
    cb_font_role title_font, head_font;
    cb_align title_align;
    float meta_size_pt;        /* the ID/code/type line */
    float head_size_pt, foot_size_pt;
    unsigned head_color, rule_color, link_color, meta_color;
    unsigned text_color;       /* black's: see cb_dlist_set_text_color */
    const char *head_left, *head_right, *foot_left, *foot_right;
    /* a two-sided layout's left-hand pages: a template, or RECTO_LEFT /
     * RECTO_RIGHT for what the right-hand page has there (the default:
     * mirrored, so that folios are on the outer edge) */
    const char *head_verso_left, *head_verso_right;
    const char *foot_verso_left, *foot_verso_right;
    const char *label[CB_LABEL_COUNT];
    const char *months[12], *weekdays[7];
    const char *date_format;   /* "{weekday}, {day} {month} {year}" */
    const char *day_format;    /* a date without its weekday: "{day}
                                  {month} {year}" (cover, footer) */
    cb_field fields[CB_FIELD_COUNT];
    int n_fields;
    cb_sort_key sort[CB_SORT_COUNT];
    int n_sort;
    cb_group_by group, subgroup;
    cb_group_order group_order; /* how groups follow each other */
    int board_only;            /* leave out contributions without a board */
    /* which contributions are set: those of these types, sessions and
     * tracks (an empty list: any), but none of the excluded ones */
    cb_names select_types, select_sessions, select_tracks;
    cb_names exclude_types, exclude_sessions, exclude_tracks;
    enum { CB_FLOW_PAGE, CB_FLOW_CONTINUOUS, CB_FLOW_NONE } flow;
    float entry_gap_pt;
    float qr_size_pt;          /* a QR code's side, quiet zone included */
    cb_align qr_align;
    int qr_beside;             /* beside the entry, at its top right, the
                                  entry's text narrower by its width */
    int keep_lines;
    int cover, toc, toc_ids, toc_groups_only;
    int changes;        /* with a previous edition, the changes page */
    int timetable;             /* a timetable of each day before the list */
    int volume_events;         /* several inputs are events side by side
                                  (a volume's parts), not merged into one */
    int volume_title_page;     /* a title page for the whole volume */
    const char *volume_title, *volume_subtitle;
    int author_index, affiliation_index, keyword_index;
    cb_layout_file preface, postface;
    cb_layout_image cover_logo, head_logo;
    float cover_logo_width_pt, head_logo_height_pt;
    enum { CB_LOGO_TOP, CB_LOGO_BOTTOM } cover_logo_position;
    unsigned cover_background, cover_color; /* CB_NO_COLOR: none */
    cb_layout_image *figures;  /* of the preface and postface, by src */
    int n_figures;
    /* every file read for the layout, links followed (an output must
     * never replace one) */
    const char *files[CB_LAYOUT_MAX_FILES];
    int n_files;
    int trusted;               /* its paths may name any file */
    const char *root;          /* the folder they must stay in (links
                                  followed), NULL when trusted */
    /* where each key of the key table was last set, "FILE:LINE:COL" (NULL:
     * its default): the place of an error found once all files are read */
    const char **key_places;
    cb_arena *arena;
} cb_layout;

/* Loads a layout by name (a file layouts/NAME.yaml in the layout search
 * path) or by path (anything with a '/' or ending in .yaml). NULL means the
 * defaults, which are report-a4. Reports every error of the file (with
 * file:line:col, the source line and a caret) and returns NULL if any;
 * otherwise the caller frees the result with cb_layout_free.
 *
 * A layout may come from anyone (a pull request): the files it names
 * (extends, front.preface, back.postface) are relative to it and must stay
 * inside its folder, links followed, unless `trusted` (the command line's
 * --trust-layout). Every file read is a regular file of bounded size (1 MiB
 * for a layout, 1 MiB for a preface or postface). */
cb_layout *cb_layout_load(const char *name_or_path, int trusted,
                          cb_diag *diag);
void cb_layout_free(cb_layout *layout);

/* The figure of a preface or postface written `src` in it, or NULL. */
const cb_layout_image *cb_layout_figure(const cb_layout *layout,
                                        const char *src);

/* Sets the family of one of the layout's three roles (the command line's
 * --serif, --sans, --mono); the layout keeps a copy. */
void cb_layout_set_family(cb_layout *layout, cb_font_role role,
                          const char *family);

/* Prints the shipped layouts with their descriptions. Returns 0. */
int cb_layout_list(FILE *out);
/* Prints every key with its type and default. */
void cb_layout_keys(FILE *out);

/* Expands a template ("Page {page} of {pages}"): each {name} is replaced
 * by the value get(ctx, name) gives. Returns a string in arena. */
/* Where the layout set key ("FILE:LINE:COL"), or its name when it did
 * not: the place of a message about the key's value. */
const char *cb_layout_key_place(const cb_layout *l, const char *key);

char *cb_layout_expand(cb_arena *arena, const char *tmpl,
                       const char *(*get)(void *ctx, const char *name),
                       void *ctx);

#endif

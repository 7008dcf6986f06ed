/* cb_diag.h - diagnostics with a place, collected for a whole run.
 *
 * Every message is printed as "PLACE: error: TEXT" or
 * "PLACE: warning: TEXT [CLASS]", where PLACE is "file:line:col" for text positions, or
 * "file: results[0].contributions[3].title (contribution 42)" for records.
 * Errors are collected (up to CB_DIAG_MAX_ERRORS), so one run reports every
 * problem of a file; the caller checks cb_diag_errors() and stops. */
#ifndef CB_DIAG_H
#define CB_DIAG_H

#include <stdio.h>

#include "cb_util.h"

/* Exit codes, documented in doc/contribook.1. */
enum {
    CB_EXIT_OK = 0,
    CB_EXIT_DATA = 1,     /* the input records are malformed or invalid */
    CB_EXIT_USAGE = 2,    /* bad command line */
    CB_EXIT_LAYOUT = 3,   /* the layout cannot be used */
    CB_EXIT_FONT = 4,     /* no usable font */
    CB_EXIT_IO = 5,       /* reading input or writing output failed */
    CB_EXIT_WARNINGS = 6, /* --werror and at least one warning */
    CB_EXIT_INTERNAL = 70 /* a bug in contribook */
};

/* Past this many errors a run stops reporting: the rest are most likely
 * consequences of the first ones, and a flood hides the cause. */
#define CB_DIAG_MAX_ERRORS 50

/* What a warning is about: its class is printed after it, in brackets, as
 * compilers print theirs, so that a reader (or a CI filter) knows what kind
 * of thing to act on. `contribook --list-warnings` lists them. */
typedef enum {
    CB_W_UNKNOWN_FIELD,     /* a field of the input that is not read */
    CB_W_NAMELESS_PERSON,   /* a person without any name */
    CB_W_SCHEDULE,          /* start, end and duration that disagree */
    CB_W_LINK_AS_TEXT,      /* a link that is not made live */
    CB_W_EMPTY_DESCRIPTION, /* a contribution without a description */
    CB_W_EMPTY_EVENT,       /* an event without contributions */
    CB_W_POSTER_BOARDS,     /* posters without board numbers */
    CB_W_LONG_WORD,         /* a word broken inside, being wider than a line */
    CB_W_OVERFULL,          /* a line into the margin */
    CB_W_MISSING_GLYPH,     /* a character no font has, drawn as a box */
    CB_W_FONT,              /* a font family or folder that is not used */
    CB_W_HYPHENATION,       /* no dictionary for the layout's language */
    CB_W_MATH,              /* a math command that is set as typed */
    CB_W_IMAGE,             /* an image that is not drawn: its alt text is */
    CB_W_BOOKLET,           /* a booklet too thick to saddle-stitch */
    CB_W_DUPLICATE_ID,      /* two contributions of an event, one id */
    CB_W_OUTSIDE_EVENT,     /* a contribution outside the event's dates */
    CB_W_UNKNOWN_SESSION,   /* a session named that the event does not have */
    CB_W_REFERENCE,         /* a reference neither a URL, a DOI nor arXiv */
    CB_W_COUNT
} cb_warning;

/* The class's name ("empty-description") and what it means. */
const char *cb_warning_name(cb_warning w);
const char *cb_warning_about(cb_warning w);

typedef struct cb_diag cb_diag;

/* How messages are printed (--diagnostics): text for people, one JSON
 * object per line, or GitHub Actions workflow commands (annotations). */
typedef enum {
    CB_DIAG_TEXT,
    CB_DIAG_JSON,
    CB_DIAG_GITHUB
} cb_diag_format;

/* The place of a value in an input's records: the file's name, the JSON
 * path and the contribution's id (or NULL), as one string that any place
 * argument takes. Printed as text, "FILE: PATH (contribution ID)"; as
 * JSON, separate fields with the value's line and column. */
#define CB_PLACE_SEP '\x1f'
void cb_place_record(cb_buf *out, const char *file, const char *path,
                     const char *contribution);
/* A place as people read it. */
void cb_place_text(cb_buf *out, const char *place);

/* Finds where JSON paths are in file `file` (an input's name as places
 * give it): line[i] and col[i] for paths[i], or 0 where unknown. */
typedef void (*cb_diag_locate_fn)(void *ctx, const char *file,
                                  const char *const *paths, size_t n,
                                  int *line, int *col);

/* Messages go to `out` (normally stderr); the caller owns the result. */
cb_diag *cb_diag_new(FILE *out);
void cb_diag_free(cb_diag *d);
void cb_diag_set_quiet(cb_diag *d, int quiet);     /* drop warnings */
/* Messages are kept until cb_diag_flush when locate is given, so that
 * records' places get their line and column (JSON and GitHub formats). */
void cb_diag_set_format(cb_diag *d, cb_diag_format f, cb_diag_locate_fn locate,
                        void *ctx);
/* -W: "no-CLASS" silences a class, "error=CLASS" makes it fatal, "CLASS"
 * restores it; "error" (--werror) makes every class fatal. Returns -1 for
 * an unknown class. A fatal warning is printed (even with quiet) as an
 * error with its class; cb_diag_fatal counts them. */
int cb_diag_option(cb_diag *d, const char *spec);
int cb_diag_fatal(const cb_diag *d);
/* "overfull-line (3), font (1)": the classes that were fatal. */
void cb_diag_fatal_classes(const cb_diag *d, cb_buf *out);
/* Appends s as messages show what they quote: control and bidi
 * characters escaped (\x1b, \u202e), bytes that are not UTF-8 as \xe9. */
void cb_diag_safe(cb_buf *out, const char *s);
/* Appends s (made safe as above) as a JSON string; NULL as null. */
void cb_diag_json_string(cb_buf *out, const char *s);
/* Called before a message is printed (a progress line clears itself). */
void cb_diag_set_before(cb_diag *d, void (*before)(void *ctx), void *ctx);
/* Keeps the messages from now on, until cb_diag_release prints them
 * (print 1) or drops them with what they counted (print 0): a reading
 * that may be done again another way says nothing until it is sure. */
void cb_diag_hold(cb_diag *d);
void cb_diag_release(cb_diag *d, int print);
/* Prints the messages kept so far. */
void cb_diag_flush(cb_diag *d);
/* Says in d, in their order, the messages another cb_diag kept (one that
 * holds them: work done on another thread), as if they were said in d
 * now: d's -W settings, counts and format apply. from keeps none. */
void cb_diag_replay(cb_diag *d, cb_diag *from);

void cb_diag_error(cb_diag *d, const char *place, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cb_diag_warning(cb_diag *d, cb_warning w, const char *place,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Prints the source line (len bytes at line) under the last message, with
 * a caret under 0-based column col, as jq and compilers do. */
void cb_diag_context(cb_diag *d, const char *line, int len, int col);

int cb_diag_errors(const cb_diag *d);
int cb_diag_warnings(const cb_diag *d);

#endif

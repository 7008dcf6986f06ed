/* cb_model.h - the records a booklet is made from, independent of the input
 * format. Plain data: every string is UTF-8, NULL when absent (the ingest
 * layer turns null and "" into NULL), and owned by the model's arena. */
#ifndef CB_MODEL_H
#define CB_MODEL_H

#include <stddef.h>

#include "cb_util.h"

/* A local date and time as the source gave it; `set` is 0 when absent.
 * has_time is 0 for a date without a time. tz is the zone name or NULL. */
typedef struct {
    int set;
    int has_time;
    int year, month, day;
    int hour, minute, second;
    const char *tz;
} cb_datetime;

typedef struct {
    const char *first;       /* given name(s); may be NULL */
    const char *last;        /* family name; may be NULL */
    const char *title;       /* "Dr", "Prof." or NULL */
    const char *affiliation; /* may be NULL */
    int whole;               /* given whole ("Ana Kabátová", as frab,
                                pretalx and spreadsheets write names):
                                in `last`, no part known to be the surname */
} cb_person;

typedef struct {
    const char *type;  /* "DOI", "arXiv", ... or NULL */
    const char *value; /* never NULL */
    const char *url;   /* may be NULL */
} cb_reference;

typedef struct {
    const char *id;          /* the identifier shown to readers; never NULL */
    const char *code;        /* programme code ("MOX01") or NULL */
    const char *title;       /* never NULL */
    const char *description; /* Markdown (sometimes HTML) or NULL */
    const char *type;        /* contribution type or NULL */
    const char *track;
    const char *session;
    const char *session_color; /* the session's colour, "#rrggbb", when the
                                  source gives one (Indico's), else NULL */
    const char *room;
    const char *board;       /* poster board number or NULL */
    const char *url;
    const char *language;    /* a BCP 47 tag ("de", "pt-BR") when the
                                source names the contribution's language;
                                NULL: the layout's */
    cb_datetime start, end;  /* with a start time, ingest settles both: the
                                end is start + duration when only that was
                                given, and the duration end - start */
    int duration_min;        /* minutes; -1 when unknown */
    const char **keywords;
    size_t n_keywords;
    cb_reference *refs;
    size_t n_refs;
    cb_person *authors;      /* primary authors */
    size_t n_authors;
    cb_person *coauthors;
    size_t n_coauthors;
    cb_person *speakers;     /* presenters */
    size_t n_speakers;
    const char *where;       /* its place for messages (cb_place_record) */
} cb_contribution;

typedef struct {
    const char *id;          /* may be NULL */
    const char *title;       /* never NULL */
    const char *description; /* may be NULL */
    const char *location;    /* venue name */
    const char *address;
    const char *room;
    const char *url;
    const char *timezone;
    cb_datetime start, end;
    cb_contribution *contribs; /* in source order */
    size_t n_contribs;
} cb_event;

/* An input file as it was read (kept with CB_INGEST_KEEP_FILES): what a
 * PDF/A-3 file embeds as its source. */
typedef struct {
    const char *name;        /* its file name, without folders ("stdin.json"
                                for standard input); unique in the model */
    const char *mime;        /* "application/json" or "text/csv" */
    const unsigned char *data;
    size_t len;
} cb_source_file;

typedef struct cb_model {
    cb_arena *arena;         /* owns everything below */
    const char *source;      /* input name as given ("-" shown as <stdin>) */
    cb_event *events;
    size_t n_events;
    cb_source_file *files;   /* the inputs, in order, when kept; else none */
    size_t n_files;
    struct cb_model *merged; /* inputs merged into this one, which own
                                strings it points to; freed with it */
} cb_model;

void cb_model_free(cb_model *m);

#endif

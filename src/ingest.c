/* ingest.c - reads Indico export JSON, frab/pretalx schedule JSON or
 * contribook's native JSON into a cb_model, reporting every problem with its
 * JSON path in one pass.
 *
 * With ingest_csv.c, the only module that includes jansson. Every string is copied into the
 * model's arena, so the JSON tree is released before returning. Both formats
 * are read by the same code, driven by one table of fields per record kind
 * (event, contribution, person, reference) and format. */
#include "cb_ingest_tree.h"
#include "cb_ingest_split.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cb_link.h"
#include "cb_order.h"
#include "cb_unicode.h"

/* Internal limits. */

/* The records of the largest conferences take a few tens of megabytes; an
 * input past this is almost certainly the wrong file, and reading it whole
 * into memory would only waste it. */
#define MAX_INPUT_BYTES ((size_t)512 << 20)
#define MAX_INPUT_TEXT "512 MiB"

/* How jansson reads: a key given twice is an error (which value would
 * count?), and any value may be the root, so that a string or an array
 * is reported as "expected an object", not as a syntax error. */
#define JSON_READ_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

/* No contribution lasts a year: a longer duration is a typing error, and it
 * would overflow the composer's time arithmetic. */
#define MAX_DURATION_MIN (366L * 24 * 60)

/* Values quoted in messages are cut after this many bytes, so that one huge
 * bad string cannot flood the terminal. */
#define QUOTE_MAX_BYTES 60

/* The native format version this code reads (doc/native-format.md). */
#define NATIVE_VERSION 1

/* Field tables: how a JSON object's keys map onto a model record. */

typedef enum {
    F_SKIP,    /* known, but read elsewhere (or deliberately ignored) */
    F_TEXT,    /* a string */
    F_CODE,    /* a string, or an integer written out in decimal */
    F_IDATE,   /* Indico's {"date": ..., "time": ..., "tz": ...} */
    F_ISODATE, /* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" */
    F_ZONED,   /* "YYYY-MM-DDTHH:MM[:SS]" with a UTC offset, which is
                  dropped: the local time is what a programme shows */
    F_MINUTES, /* a whole number of minutes, not negative */
    F_HHMM,    /* a duration as "H:MM" or "HH:MM" */
    F_LANG,    /* a language tag, "de" or "pt-BR" */
    F_WORDS,   /* an array of strings */
    F_REFS,    /* an array of references */
    F_PERSONS  /* an array of persons */
} field_kind;

enum {
    REQUIRED = 1, /* a F_TEXT field that must be present and not empty */
    FIRST = 2     /* read before the others: the id that messages name */
};

typedef struct {
    const char *key;
    field_kind kind;
    int flags;
    size_t off;   /* where the value goes in the record */
    size_t off_n; /* where its item count goes, for arrays */
} field;

#define END {NULL, F_SKIP, 0, 0, 0}
#define E(m) offsetof(cb_event, m)
#define C(m) offsetof(cb_contribution, m)
#define P(m) offsetof(cb_person, m)
#define R(m) offsetof(cb_reference, m)

/* Indico: later fields win when both are present (friendly_id over id,
 * roomFullname over room). */
static const field indico_event[] = {
    {"id", F_CODE, 0, E(id), 0},
    {"title", F_TEXT, REQUIRED, E(title), 0},
    {"description", F_TEXT, 0, E(description), 0},
    {"startDate", F_IDATE, 0, E(start), 0},
    {"endDate", F_IDATE, 0, E(end), 0},
    {"location", F_TEXT, 0, E(location), 0},
    {"address", F_TEXT, 0, E(address), 0},
    {"room", F_TEXT, 0, E(room), 0},
    {"roomFullname", F_TEXT, 0, E(room), 0},
    {"url", F_TEXT, 0, E(url), 0},
    {"timezone", F_TEXT, 0, E(timezone), 0},
    END
};

static const field indico_contrib[] = {
    {"id", F_CODE, FIRST, C(id), 0},
    {"friendly_id", F_CODE, FIRST, C(id), 0},
    {"code", F_CODE, 0, C(code), 0},
    {"title", F_TEXT, REQUIRED, C(title), 0},
    {"description", F_TEXT, 0, C(description), 0},
    {"type", F_TEXT, 0, C(type), 0},
    {"track", F_TEXT, 0, C(track), 0},
    {"session", F_TEXT, 0, C(session), 0},
    {"startDate", F_IDATE, 0, C(start), 0},
    {"endDate", F_IDATE, 0, C(end), 0},
    {"duration", F_MINUTES, 0, C(duration_min), 0},
    {"room", F_TEXT, 0, C(room), 0},
    {"roomFullname", F_TEXT, 0, C(room), 0},
    {"board_number", F_CODE, 0, C(board), 0},
    {"url", F_TEXT, 0, C(url), 0},
    {"keywords", F_WORDS, 0, C(keywords), C(n_keywords)},
    {"references", F_REFS, 0, C(refs), C(n_refs)},
    {"speakers", F_PERSONS, 0, C(speakers), C(n_speakers)},
    {"primaryauthors", F_PERSONS, 0, C(authors), C(n_authors)},
    {"coauthors", F_PERSONS, 0, C(coauthors), C(n_coauthors)},
    END
};

static const field indico_person[] = {
    {"first_name", F_TEXT, 0, P(first), 0},
    {"last_name", F_TEXT, 0, P(last), 0},
    {"title", F_TEXT, 0, P(title), 0},
    {"affiliation", F_TEXT, 0, P(affiliation), 0},
    END
};

static const field indico_ref[] = {
    {"type", F_TEXT, 0, R(type), 0},
    {"value", F_TEXT, 0, R(value), 0},
    {"url", F_TEXT, 0, R(url), 0},
    END
};

/* Native: every key is listed, so that unknown ones can be reported. */
static const field native_top[] = {
    {"contribook", F_SKIP, 0, 0, 0},
    {"event", F_SKIP, 0, 0, 0},
    {"events", F_SKIP, 0, 0, 0},
    {"contributions", F_SKIP, 0, 0, 0},
    END
};

static const field native_event[] = {
    {"id", F_CODE, 0, E(id), 0},
    {"title", F_TEXT, REQUIRED, E(title), 0},
    {"description", F_TEXT, 0, E(description), 0},
    {"start", F_ISODATE, 0, E(start), 0},
    {"end", F_ISODATE, 0, E(end), 0},
    {"timezone", F_TEXT, 0, E(timezone), 0},
    {"venue", F_TEXT, 0, E(location), 0},
    {"address", F_TEXT, 0, E(address), 0},
    {"room", F_TEXT, 0, E(room), 0},
    {"url", F_TEXT, 0, E(url), 0},
    {"contributions", F_SKIP, 0, 0, 0},
    END
};

static const field native_contrib[] = {
    {"id", F_CODE, FIRST, C(id), 0},
    {"code", F_CODE, 0, C(code), 0},
    {"title", F_TEXT, REQUIRED, C(title), 0},
    {"type", F_TEXT, 0, C(type), 0},
    {"abstract", F_TEXT, 0, C(description), 0},
    {"track", F_TEXT, 0, C(track), 0},
    {"session", F_TEXT, 0, C(session), 0},
    {"start", F_ISODATE, 0, C(start), 0},
    {"end", F_ISODATE, 0, C(end), 0},
    {"duration", F_MINUTES, 0, C(duration_min), 0},
    {"room", F_TEXT, 0, C(room), 0},
    {"board", F_CODE, 0, C(board), 0},
    {"url", F_TEXT, 0, C(url), 0},
    {"language", F_LANG, 0, C(language), 0},
    {"keywords", F_WORDS, 0, C(keywords), C(n_keywords)},
    {"references", F_REFS, 0, C(refs), C(n_refs)},
    {"authors", F_PERSONS, 0, C(authors), C(n_authors)},
    {"coauthors", F_PERSONS, 0, C(coauthors), C(n_coauthors)},
    {"presenters", F_PERSONS, 0, C(speakers), C(n_speakers)},
    END
};

static const field native_person[] = {
    {"first", F_TEXT, 0, P(first), 0},
    {"last", F_TEXT, 0, P(last), 0},
    {"title", F_TEXT, 0, P(title), 0},
    {"affiliation", F_TEXT, 0, P(affiliation), 0},
    {"name", F_SKIP, 0, 0, 0},
    END
};

static const field native_ref[] = {
    {"type", F_TEXT, 0, R(type), 0},
    {"value", F_TEXT, 0, R(value), 0},
    {"url", F_TEXT, 0, R(url), 0},
    END
};

/* frab's and pretalx's schedule.json (also Indico's frab export):
 * schedule.conference.days[].rooms.ROOM[] lists the events. */
static const field schedule_conference[] = {
    {"acronym", F_CODE, 0, E(id), 0},
    {"title", F_TEXT, REQUIRED, E(title), 0},
    {"start", F_ISODATE, 0, E(start), 0},
    {"end", F_ISODATE, 0, E(end), 0},
    {"time_zone_name", F_TEXT, 0, E(timezone), 0},
    {"url", F_TEXT, 0, E(url), 0},
    END
};

static const field schedule_contrib[] = {
    {"id", F_CODE, FIRST, C(id), 0},
    {"title", F_TEXT, REQUIRED, C(title), 0},
    {"type", F_TEXT, 0, C(type), 0},
    {"track", F_TEXT, 0, C(track), 0},
    {"room", F_TEXT, 0, C(room), 0},
    {"url", F_TEXT, 0, C(url), 0},
    {"language", F_LANG, 0, C(language), 0},
    {"abstract", F_TEXT, 0, C(description), 0},
    {"date", F_ZONED, 0, C(start), 0},
    {"duration", F_HHMM, 0, C(duration_min), 0},
    {"persons", F_PERSONS, 0, C(speakers), C(n_speakers)},
    {"links", F_REFS, 0, C(refs), C(n_refs)},
    END
};

static const field schedule_person[] = {END};

static const field schedule_ref[] = {
    {"title", F_TEXT, 0, R(value), 0},
    {"url", F_TEXT, 0, R(url), 0},
    END
};

/* The tables of one input format. */
typedef struct {
    const field *event, *contrib, *person, *ref;
    const char *full_name; /* person key with "Last, First", used when the
                              first and last names are both absent */
    const char *alt_name;  /* another such key, or NULL */
    int strict;            /* warn about unknown keys (our own format) */
} schema;

static const schema indico_schema = {
    indico_event, indico_contrib, indico_person, indico_ref, "fullName",
    NULL, 0
};

static const schema native_schema = {
    native_event, native_contrib, native_person, native_ref, "name", NULL, 1
};

/* frab writes public_name, pretalx both it and name */
static const schema schedule_schema = {
    schedule_conference, schedule_contrib, schedule_person, schedule_ref,
    "public_name", "name", 0
};

/* The state of one parse: where we are, for messages. */
typedef struct {
    cb_arena *arena;
    cb_diag *diag;
    const char *name;    /* input name for messages */
    const schema *fmt;
    cb_buf path;         /* JSON path of the value being read */
    const char *cid;     /* displayed id of the contribution being read */
    const char *session; /* title of the Indico session block being read */
    const char *session_color; /* and its colour, "#rrggbb", or NULL */
    const char *room;    /* the schedule room whose events are being read */
    cb_place_fn place;   /* places values of a converted source (CSV) */
    void *place_ctx;
    int consume;         /* the tree is ours to take apart (see
                            read_contribs) */
    const json_t *taking; /* the array whose items go once read */
    cb_split *split;     /* contributions set aside as text, or NULL */
    const json_t *lazy_list; /* the array of their placeholders */
    int split_failed;    /* one did not parse: read it all again whole */
    int threads;         /* a second thread may read half of them */
    int keep_texts;      /* that thread: the texts are let go by the first
                            (see read_shared) */
} ingest;

/* Paths and messages. */

/* Appends ".key" to the path ("key" at the root); returns the mark that
 * path_pop takes to undo it. */
static size_t path_key(ingest *in, const char *key)
{
    size_t mark = in->path.len;
    if (mark)
        cb_buf_putc(&in->path, '.');
    cb_buf_puts(&in->path, key);
    return mark;
}

static size_t path_index(ingest *in, size_t i)
{
    size_t mark = in->path.len;
    cb_buf_printf(&in->path, "[%zu]", i);
    return mark;
}

static void path_pop(ingest *in, size_t mark)
{
    in->path.len = mark;
    if (in->path.data)
        in->path.data[mark] = '\0';
}

/* Appends "NAME: PATH (contribution ID)" for the value being read; the
 * parenthesis only when the id is known, the path only when not at the root. */
static void format_place(const ingest *in, cb_buf *out)
{
    const char *at = in->place ? in->place(in->place_ctx,
                                           in->path.data ? in->path.data
                                                         : "",
                                           in->arena)
                               : NULL;
    if (at) {
        cb_buf_puts(out, at);
        return;
    }
    if (!in->path.len) {
        cb_buf_puts(out, in->name);
        return;
    }
    cb_place_record(out, in->name, in->path.data, in->cid);
}

static void report(ingest *in, int is_error, cb_warning w, const char *fmt,
                   va_list ap)
{
    cb_buf place = {0}, msg = {0};
    format_place(in, &place);
    cb_buf_vprintf(&msg, fmt, ap);
    if (is_error)
        cb_diag_error(in->diag, place.data, "%s", msg.data);
    else
        cb_diag_warning(in->diag, w, place.data, "%s", msg.data);
    cb_buf_free(&place);
    cb_buf_free(&msg);
}

static void fail(ingest *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void fail(ingest *in, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(in, 1, CB_W_COUNT, fmt, ap);
    va_end(ap);
}

static void warn(ingest *in, cb_warning w, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(ingest *in, cb_warning w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(in, 0, w, fmt, ap);
    va_end(ap);
}

static int errors(const ingest *in)
{
    return cb_diag_errors(in->diag);
}

/* The JSON name of a value's type, as messages say it ("got number"). */
static const char *kind_of(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    default:
        return "null";
    }
}

/* Appends s in double quotes, cut after QUOTE_MAX_BYTES at a character
 * boundary (jansson has checked that s is valid UTF-8). */
static void quote(cb_buf *b, const char *s)
{
    size_t n = strlen(s);
    int cut = n > QUOTE_MAX_BYTES;
    if (cut) {
        n = cb_utf8_cut(s, QUOTE_MAX_BYTES);
    }
    cb_buf_putc(b, '"');
    cb_buf_add(b, s, n);
    cb_buf_puts(b, cut ? "...\"" : "\"");
}

/* Scalars. */

/* Looks up key; JSON null counts as absent, so both give NULL. */
static const json_t *get(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_null(v) ? NULL : v;
}

static size_t array_len(const json_t *v)
{
    return json_is_array(v) ? json_array_size(v) : 0;
}

static int expect_object(ingest *in, const json_t *v)
{
    if (json_is_object(v))
        return 1;
    fail(in, "expected an object, got %s", kind_of(v));
    return 0;
}

static int is_edge_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copies string v (at the current path) into the arena without the spaces
 * around it (real exports have "Heuchling " as a surname); "" and blank
 * give NULL. With `ints`, an integer is accepted too, in decimal. */
static const char *read_text(ingest *in, const json_t *v, int ints)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        while (n && is_edge_space(*s))
            s++, n--;
        while (n && is_edge_space(s[n - 1]))
            n--;
        /* Word's Symbol-font characters, as what they draw */
        s = cb_unicode_symbol_font(in->arena, s, &n);
        return n ? cb_arena_strndup(in->arena, s, n) : NULL;
    }
    if (ints && json_is_integer(v))
        return cb_arena_printf(in->arena, "%" JSON_INTEGER_FORMAT,
                               json_integer_value(v));
    fail(in, "expected %s, got %s", ints ? "a string or an integer"
                                         : "a string", kind_of(v));
    return NULL;
}

/* A language tag as BCP 47 writes one: a primary subtag of 2 or 3
 * letters, then subtags of 1 to 8 letters or digits ("de", "pt-BR",
 * "sr-Latn"). It becomes the structure's /Lang and picks the hyphenation
 * dictionary. */
static int is_language_tag(const char *s)
{
    size_t n = 0;
    while (n < 4 && ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
        n++;
    if (n < 2 || n > 3)
        return 0;
    for (s += n; *s == '-';) {
        for (n = 1; n <= 9 && isalnum((unsigned char)s[n]); n++)
            ;
        if (n == 1 || n > 9)
            return 0;
        s += n;
    }
    return !*s;
}

static void read_language(ingest *in, const json_t *v, const char **out)
{
    const char *s = read_text(in, v, 0);
    if (s && !is_language_tag(s)) {
        cb_buf q = {0};
        quote(&q, s);
        fail(in, "expected a language tag such as \"de\" or \"pt-BR\", "
                 "got %s", q.data);
        cb_buf_free(&q);
    } else if (s) {
        *out = s;
    }
}

/* Reads the string field `key` of obj, reporting a wrong type at its path. */
static const char *text_field(ingest *in, const json_t *obj, const char *key)
{
    const json_t *v = get(obj, key);
    if (!v)
        return NULL;
    size_t mark = path_key(in, key);
    const char *s = read_text(in, v, 0);
    path_pop(in, mark);
    return s;
}

/* Reads exactly n decimal digits at s. */
static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int digits_2(const char *s, int *out)
{
    return digits(s, 2, out);
}

/* A real with no fraction, such as the 30.0 a spreadsheet writes. */
static int is_whole(const json_t *v)
{
    double d = json_real_value(v);
    return json_is_real(v) && d > -1e15 && d < 1e15 &&
           d == (double)(long long)d;
}

static void read_minutes(ingest *in, const json_t *v, int *out)
{
    json_int_t n;
    if (json_is_integer(v)) {
        n = json_integer_value(v);
    } else if (is_whole(v)) {
        n = (json_int_t)json_real_value(v);
    } else {
        fail(in, "expected a whole number of minutes, got %s",
             json_is_real(v) ? "a fraction" : kind_of(v));
        return;
    }
    if (n < 0)
        fail(in, "duration must not be negative, got %" JSON_INTEGER_FORMAT,
             n);
    else if (n > MAX_DURATION_MIN)
        fail(in, "duration of %" JSON_INTEGER_FORMAT " minutes is longer "
                 "than a year", n);
    else
        *out = (int)n;
}

/* A schedule's duration: "0:30", "00:30" or "01:30", hours and minutes. */
static void read_hhmm(ingest *in, const json_t *v, int *out)
{
    const char *s = json_string_value(v);
    int h = 0, mins = 0, n = 0;
    while (s && s[n] >= '0' && s[n] <= '9' && n < 4)
        h = h * 10 + (s[n++] - '0');
    if (!s || n == 0 || s[n] != ':' || !digits_2(s + n + 1, &mins) ||
        s[n + 3] || mins > 59) {
        cb_buf q = {0};
        if (s)
            quote(&q, s);
        fail(in, "invalid duration %s: expected HH:MM",
             s ? q.data : kind_of(v));
        cb_buf_free(&q);
        return;
    }
    if (h * 60L + mins > MAX_DURATION_MIN)
        fail(in, "duration of %d hours is longer than a year", h);
    else
        *out = h * 60 + mins;
}

/* Dates and times. */

typedef enum {
    STAMP_OK,
    STAMP_SYNTAX,
    STAMP_MONTH,
    STAMP_DAY,
    STAMP_HOUR,
    STAMP_MINUTE,
    STAMP_SECOND
} stamp_status;


static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* Scans "YYYY-MM-DD" at the start of s (what follows is the caller's). */
static stamp_status scan_date(const char *s, cb_datetime *dt)
{
    if (!digits(s, 4, &dt->year) || s[4] != '-' ||
        !digits(s + 5, 2, &dt->month) || s[7] != '-' ||
        !digits(s + 8, 2, &dt->day))
        return STAMP_SYNTAX;
    if (dt->month < 1 || dt->month > 12)
        return STAMP_MONTH;
    if (dt->day < 1 || dt->day > days_in_month(dt->year, dt->month))
        return STAMP_DAY;
    return STAMP_OK;
}

/* Scans all of s as "HH:MM", "HH:MM:SS" or "HH:MM:SS.fraction" (Indico
 * writes microseconds); the fraction is dropped. */
static stamp_status scan_time(const char *s, cb_datetime *dt)
{
    if (!digits(s, 2, &dt->hour) || s[2] != ':' ||
        !digits(s + 3, 2, &dt->minute))
        return STAMP_SYNTAX;
    s += 5;
    dt->second = 0;
    if (*s == ':') {
        if (!digits(s + 1, 2, &dt->second))
            return STAMP_SYNTAX;
        s += 3;
        if (*s == '.' && s[1] >= '0' && s[1] <= '9')
            for (s++; *s >= '0' && *s <= '9'; s++)
                ;
    }
    if (*s)
        return STAMP_SYNTAX;
    if (dt->hour > 23)
        return STAMP_HOUR;
    if (dt->minute > 59)
        return STAMP_MINUTE;
    if (dt->second > 59)
        return STAMP_SECOND;
    dt->has_time = 1;
    return STAMP_OK;
}

static stamp_status scan_date_only(const char *s, cb_datetime *dt)
{
    stamp_status st = scan_date(s, dt);
    return st == STAMP_OK && s[10] ? STAMP_SYNTAX : st;
}

/* The native form: a date, optionally followed by 'T' (or a space, as
 * spreadsheets write it) and a time. */
static stamp_status scan_iso(const char *s, cb_datetime *dt)
{
    stamp_status st = scan_date(s, dt);
    if (st != STAMP_OK || !s[10])
        return st;
    if (s[10] != 'T' && s[10] != ' ')
        return STAMP_SYNTAX;
    return scan_time(s + 11, dt);
}

/* A schedule's "2024-08-01T10:00:00+02:00": the local date and time,
 * with the offset (or Z) checked and dropped. */
static stamp_status scan_zoned(const char *s, cb_datetime *dt)
{
    size_t n = strlen(s);
    int h, m;
    if (n > 0 && s[n - 1] == 'Z')
        n--;
    else if (n > 6 && (s[n - 6] == '+' || s[n - 6] == '-') &&
             digits(s + n - 5, 2, &h) && s[n - 3] == ':' &&
             digits(s + n - 2, 2, &m) && h < 24 && m < 60)
        n -= 6;
    if (n < 16 || n > 32 || s[10] != 'T')
        return STAMP_SYNTAX;
    char local[33];
    memcpy(local, s, n);
    local[n] = '\0';
    return scan_iso(local, dt);
}

/* One accepted spelling of a date or time, for scanning and messages. */
typedef struct {
    const char *what; /* "date" or "time" */
    const char *form; /* the syntax, as the message shows it */
    stamp_status (*scan)(const char *s, cb_datetime *dt);
} stamp_form;

static const stamp_form indico_date_form = {
    "date", "YYYY-MM-DD", scan_date_only
};
static const stamp_form indico_time_form = {
    "time", "HH:MM[:SS]", scan_time
};
static const stamp_form native_form = {
    "date", "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]", scan_iso
};
static const stamp_form zoned_form = {
    "date", "YYYY-MM-DDTHH:MM[:SS]+HH:MM", scan_zoned
};

/* Scans string v (at the current path) into *dt; reports it if invalid. */
static int read_stamp(ingest *in, const json_t *v, const stamp_form *form,
                      cb_datetime *dt)
{
    static const char *const why[] = {
        NULL, NULL, "month out of range", "day out of range",
        "hour out of range", "minute out of range", "second out of range"
    };
    if (!json_is_string(v)) {
        fail(in, "expected a string, got %s", kind_of(v));
        return 0;
    }
    stamp_status st = form->scan(json_string_value(v), dt);
    if (st == STAMP_OK)
        return 1;
    cb_buf q = {0};
    quote(&q, json_string_value(v));
    if (st == STAMP_SYNTAX)
        fail(in, "invalid %s %s: expected %s", form->what, q.data, form->form);
    else
        fail(in, "invalid %s %s: %s", form->what, q.data, why[st]);
    cb_buf_free(&q);
    return 0;
}

/* Reads Indico's {"date": "2022-08-22", "time": "18:15:00", "tz": "..."};
 * the time and zone may be absent. */
static void read_indico_date(ingest *in, const json_t *v, cb_datetime *out)
{
    cb_datetime dt = {0};
    if (!json_is_object(v)) {
        fail(in, "expected an object with \"date\", got %s", kind_of(v));
        return;
    }
    const json_t *date = get(v, "date"), *time = get(v, "time");
    if (!date || (json_is_string(date) && !json_string_length(date))) {
        fail(in, "missing required field \"date\"");
        return;
    }
    size_t mark = path_key(in, "date");
    int ok = read_stamp(in, date, &indico_date_form, &dt);
    path_pop(in, mark);
    if (time && !(json_is_string(time) && !json_string_length(time))) {
        mark = path_key(in, "time");
        ok &= read_stamp(in, time, &indico_time_form, &dt);
        path_pop(in, mark);
    }
    dt.tz = text_field(in, v, "tz");
    dt.set = 1;
    if (ok)
        *out = dt;
}

/* Reads a native "2025-06-02" or "2025-06-02T10:30" (or with a zoned
 * form, a schedule's stamp); the zone comes from the event afterwards
 * (apply_timezone). */
static void read_iso_date(ingest *in, const json_t *v, cb_datetime *out,
                          const stamp_form *form)
{
    cb_datetime dt = {0};
    if (json_is_string(v) && !json_string_length(v))
        return;
    if (!read_stamp(in, v, form, &dt))
        return;
    dt.set = 1;
    *out = dt;
}

/* Arrays and records. */

/* Reads one array item (never null) into *item; returns 1 to keep it. */
typedef int (*item_reader)(ingest *in, const json_t *v, void *item);

/* The contribution that placeholder {"#":N} stands for (see
 * cb_ingest_split.h), parsed now and let go by the caller; NULL when it
 * is not one or does not parse. */
static json_t *take_element(ingest *in, const json_t *placeholder)
{
    const json_t *n = json_object_get(placeholder, "#");
    size_t len;
    int line, col;
    const char *text =
        json_object_size(placeholder) == 1 && json_is_integer(n) &&
                json_integer_value(n) >= 0
            ? cb_split_element(in->split, (size_t)json_integer_value(n), &len,
                               &line, &col)
            : NULL;
    if (!text)
        return NULL;
    json_error_t err;
    json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!in->keep_texts)
        cb_split_release(in->split, (size_t)json_integer_value(n));
    return v;
}

/* Items [from, to) of array v (see read_items). */
static void read_range(ingest *in, const json_t *v, void *items,
                       size_t item_size, item_reader read, size_t *n,
                       size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const json_t *item = json_array_get(v, i);
        json_t *own = NULL;
        if (json_is_null(item))
            continue;
        if (v == in->lazy_list && json_is_object(item) &&
            !(item = own = take_element(in, item))) {
            in->split_failed = 1;
            return;
        }
        size_t mark = path_index(in, i);
        char *slot = (char *)items + *n * item_size;
        if (read(in, item, slot))
            (*n)++;
        else if (item_size)
            memset(slot, 0, item_size); /* no half-read leftovers */
        path_pop(in, mark);
        json_decref(own);
        if (v == in->taking) /* the caller gave us the tree: see consume */
            json_array_set_new((json_t *)v, i, json_null());
    }
}

/* Contributions set aside as text are parsed and read one by one, four
 * fifths of the reading of a large input: from this many on, a second
 * thread reads some of them while this one reads the others (fewer are
 * not worth a thread; doc/scale.md has what it saves). */
#define SHARE_MIN 64
/* They are read in chunks of at least this many, each taken by whichever
 * thread is free, so that neither waits for the other at the end for
 * long: the second thread shares its processor with the one that makes
 * the fonts, and halves given out in advance left this one waiting for
 * the other half 11 to 19 ms of a 250 ms run (perf sched timehist). */
#define CHUNK_MIN 32
#define CHUNKS_MAX 512

/* A chunk: a copy of the reading's state with an arena, messages and a
 * path of its own, and room for its items. */
typedef struct {
    ingest in;
    char *items;
    size_t n, from, to;
    int by_other;        /* read by the second thread */
} read_chunk;

typedef struct {
    const json_t *v;
    size_t item_size;
    item_reader read;
    read_chunk *chunks;
    size_t n_chunks;
    atomic_size_t next; /* the first chunk no thread has taken */
} share;

/* Reads chunks until none is left; other: on the second thread. */
static void read_chunks(share *sh, int other)
{
    for (size_t k; (k = atomic_fetch_add(&sh->next, 1)) < sh->n_chunks;) {
        read_chunk *ch = &sh->chunks[k];
        ch->by_other = other;
        /* the texts were made on the first thread, in its heap: freed on
         * the second, they would have the two wait for each other on
         * every malloc; the first lets them go after */
        ch->in.keep_texts = other;
        read_range(&ch->in, sh->v, ch->items, sh->item_size, sh->read,
                   &ch->n, ch->from, ch->to);
    }
}

static void *read_other(void *arg)
{
    read_chunks(arg, 1);
    return NULL;
}

/* read_range over the whole array, shared with a second thread: the
 * items and messages are the same, in the same order, as one thread's.
 * Returns 0 when no thread could start (nothing read). */
static int read_shared(ingest *in, const json_t *v, void *items,
                       size_t item_size, item_reader read, size_t *n)
{
    size_t len = json_array_size(v), size = len / CHUNKS_MAX + 1;
    if (size < CHUNK_MIN)
        size = CHUNK_MIN;
    share sh = {.v = v, .item_size = item_size, .read = read,
                .n_chunks = (len + size - 1) / size};
    atomic_init(&sh.next, 0);
    sh.chunks = cb_xcalloc(sh.n_chunks, sizeof *sh.chunks);
    for (size_t k = 0; k < sh.n_chunks; k++) {
        read_chunk *ch = &sh.chunks[k];
        ch->from = k * size;
        ch->to = ch->from + size < len ? ch->from + size : len;
        ch->in = *in;
        ch->in.arena = cb_arena_new();
        ch->in.diag = cb_diag_new(stderr);
        cb_diag_hold(ch->in.diag);
        ch->in.path = (cb_buf){0};
        cb_buf_add(&ch->in.path, in->path.data ? in->path.data : "",
                   in->path.len);
        ch->in.taking = NULL; /* the tree's items go after */
        ch->in.split_failed = 0;
        ch->items = cb_xcalloc(ch->to - ch->from, item_size);
    }
    pthread_t id;
    int started = cb_thread_start(&id, read_other, &sh) == 0;
    if (started) {
        read_chunks(&sh, 0);
        pthread_join(id, NULL);
        int failed = in->split_failed;
        for (size_t k = 0; k < sh.n_chunks; k++) {
            read_chunk *ch = &sh.chunks[k];
            failed |= ch->in.split_failed;
            for (size_t i = ch->from; i < ch->to && ch->by_other; i++) {
                const json_t *at = json_object_get(json_array_get(v, i), "#");
                if (json_is_integer(at) && json_integer_value(at) >= 0)
                    cb_split_release(in->split,
                                     (size_t)json_integer_value(at));
            }
        }
        if (failed) {
            in->split_failed = 1; /* all is read again whole */
        } else {
            for (size_t k = 0; k < sh.n_chunks; k++) {
                read_chunk *ch = &sh.chunks[k];
                cb_diag_replay(in->diag, ch->in.diag);
                memcpy((char *)items + *n * item_size, ch->items,
                       ch->n * item_size);
                *n += ch->n;
            }
            if (v == in->taking)
                for (size_t i = 0; i < len; i++)
                    json_array_set_new((json_t *)v, i, json_null());
        }
    }
    for (size_t k = 0; k < sh.n_chunks; k++) {
        read_chunk *ch = &sh.chunks[k];
        cb_diag_release(ch->in.diag, 0);
        cb_diag_free(ch->in.diag);
        cb_buf_free(&ch->in.path);
        free(ch->items);
        cb_arena_adopt(in->arena, ch->in.arena); /* the items' texts */
    }
    free(sh.chunks);
    return started;
}

/* Reads array v item by item, appending the kept ones at items[*n]; the
 * caller has made room for all of them. Null items are skipped. With
 * item_size 0, every item is given `items` itself: a sink such as the event
 * that Indico session blocks add their contributions to. */
static void read_items(ingest *in, const json_t *v, void *items,
                       size_t item_size, item_reader read, size_t *n)
{
    if (!json_is_array(v)) {
        fail(in, "expected an array, got %s", kind_of(v));
        return;
    }
    if (in->threads && v == in->lazy_list && item_size &&
        json_array_size(v) >= SHARE_MIN &&
        read_shared(in, v, items, item_size, read, n))
        return;
    read_range(in, v, items, item_size, read, n, 0, json_array_size(v));
}

/* Allocates room for every item of array v and reads them. */
static void *read_list(ingest *in, const json_t *v, size_t item_size,
                       item_reader read, size_t *n)
{
    size_t len = array_len(v);
    void *items = len ? cb_arena_alloc(in->arena, len * item_size) : NULL;
    *n = 0;
    read_items(in, v, items, item_size, read, n);
    return *n ? items : NULL;
}

static int read_word(ingest *in, const json_t *v, void *item)
{
    const char **word = item;
    *word = read_text(in, v, 0);
    return *word != NULL;
}

static int read_person(ingest *in, const json_t *v, void *item);
static int read_ref(ingest *in, const json_t *v, void *item);

/* Reads value v of field f into the record at base. */
static void read_value(ingest *in, const field *f, const json_t *v, char *base)
{
    void *slot = base + f->off;
    size_t *count = (size_t *)(base + f->off_n);
    const char *s;
    switch (f->kind) {
    case F_SKIP:
        break;
    case F_TEXT:
    case F_CODE:
        if ((s = read_text(in, v, f->kind == F_CODE)))
            *(const char **)slot = s;
        break;
    case F_IDATE:
        read_indico_date(in, v, slot);
        break;
    case F_ISODATE:
        read_iso_date(in, v, slot, &native_form);
        break;
    case F_ZONED:
        read_iso_date(in, v, slot, &zoned_form);
        break;
    case F_MINUTES:
        read_minutes(in, v, slot);
        break;
    case F_LANG:
        read_language(in, v, slot);
        break;
    case F_HHMM:
        if (json_is_string(v))
            read_hhmm(in, v, slot);
        else
            read_minutes(in, v, slot);
        break;
    case F_WORDS:
        *(const char ***)slot = read_list(in, v, sizeof(char *), read_word,
                                          count);
        break;
    case F_REFS:
        *(cb_reference **)slot = read_list(in, v, sizeof(cb_reference),
                                           read_ref, count);
        break;
    case F_PERSONS:
        *(cb_person **)slot = read_list(in, v, sizeof(cb_person), read_person,
                                        count);
        break;
    }
}

/* Reads the fields of `table` present in obj into the record at base: those
 * flagged FIRST when `first` is set, the others otherwise. A required field
 * that is absent, null or "" is reported at the object's path. */
static void read_fields(ingest *in, const json_t *obj, const field *table,
                        void *base, int first)
{
    for (const field *f = table; f->key; f++) {
        if (!!(f->flags & FIRST) != !!first || f->kind == F_SKIP)
            continue;
        const json_t *v = get(obj, f->key);
        int before = errors(in);
        if (v) {
            size_t mark = path_key(in, f->key);
            read_value(in, f, v, base);
            path_pop(in, mark);
        }
        if ((f->flags & REQUIRED) && !*(const char **)((char *)base + f->off)
            && errors(in) == before)
            fail(in, "missing required field \"%s\"", f->key);
    }
}

static int known_key(const field *table, const char *key)
{
    for (const field *f = table; f->key; f++)
        if (strcmp(f->key, key) == 0)
            return 1;
    return 0;
}

/* In our own format, warns about keys it does not define: a misspelt
 * "abstarct" would otherwise vanish without a word. Keys starting with '_'
 * are notes for people and are ignored. */
static void check_known(ingest *in, const json_t *obj, const field *table)
{
    const char *key;
    json_t *v;
    if (!in->fmt->strict)
        return;
    json_object_foreach((json_t *)obj, key, v) {
        if (key[0] == '_' || known_key(table, key))
            continue;
        size_t mark = path_key(in, key);
        warn(in, CB_W_UNKNOWN_FIELD, "unknown field, ignored");
        path_pop(in, mark);
    }
}

/* Fills first and last from "Last, First" (Indico's fullName, our "name"):
 * split at the first ", ", or all of it is the last name. */
static void split_name(ingest *in, const json_t *obj, cb_person *p)
{
    const char *full = text_field(in, obj, in->fmt->full_name);
    if (!full && in->fmt->alt_name)
        full = text_field(in, obj, in->fmt->alt_name);
    if (!full)
        return;
    const char *comma = strstr(full, ", ");
    if (!comma) {
        /* "Doe," from an export whose first name was empty */
        size_t n = strlen(full);
        while (n > 0 && (full[n - 1] == ',' || full[n - 1] == ' '))
            n--;
        p->last = cb_arena_strndup(in->arena, full, n);
        /* "Ana Kabátová": which part is the surname is not known */
        p->whole = n > 0 && memchr(p->last, ' ', n) != NULL;
        return;
    }
    if (comma > full)
        p->last = cb_arena_strndup(in->arena, full, (size_t)(comma - full));
    if (comma[2])
        p->first = comma + 2;
}

/* Whether a name part holds a letter or digit (any non-ASCII character
 * counts): ", " or "-" is what an empty "Last, First" export gives, not a
 * name. */
static int has_name(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s >= 0x80 || isalnum((unsigned char)*s))
            return 1;
    return 0;
}

static int read_person(ingest *in, const json_t *v, void *item)
{
    cb_person *p = item;
    int before = errors(in);
    if (!expect_object(in, v))
        return 0;
    read_fields(in, v, in->fmt->person, p, 0);
    check_known(in, v, in->fmt->person);
    if (!has_name(p->first) && !has_name(p->last)) {
        p->first = p->last = NULL;
        split_name(in, v, p);
    }
    if (!has_name(p->first))
        p->first = NULL;
    if (!has_name(p->last))
        p->last = NULL;
    if (p->first || p->last)
        return 1;
    if (errors(in) == before)
        warn(in, CB_W_NAMELESS_PERSON, "person without a name, ignored");
    return 0;
}

/* Keeps the "url" field just read only if it is a live link (cb_link.h),
 * normalized; otherwise it is dropped with a warning at its place (a
 * reference still shows its text). */
static void check_link(ingest *in, const char **url)
{
    if (!*url)
        return;
    cb_link_status status;
    const char *target = cb_link_target(in->arena, *url, strlen(*url), &status);
    if (!target && status != CB_LINK_EMPTY) {
        size_t mark = path_key(in, "url");
        cb_buf shown = {0};
        cb_buf_quote(&shown, *url, 60);
        warn(in, CB_W_LINK_AS_TEXT, "link %s is set as text, not as a link: %s", shown.data,
             cb_link_reason(status));
        cb_buf_free(&shown);
        path_pop(in, mark);
    }
    *url = target;
}

/* A reference needs a value to show; its URL serves when the value is
 * missing. */
/* Whether s (blanks around it aside) starts with prefix, in any case. */
static const char *skip_prefix(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncasecmp(s, prefix, n) == 0 ? s + n : NULL;
}

static size_t n_digits(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

/* A DOI ("10.1234/x", "doi:10.1234/x", "https://doi.org/10.1234/x"), an
 * arXiv id ("2101.00001", "arXiv:2101.00001v2", "hep-th/9901001") or a
 * web address: what a reader can follow. */
static int is_reference_id(const char *s)
{
    const char *p;
    while (*s == ' ')
        s++;
    if ((p = skip_prefix(s, "https://doi.org/")) ||
        (p = skip_prefix(s, "http://dx.doi.org/")) ||
        (p = skip_prefix(s, "doi:")))
        s = p;
    if (s[0] == '1' && s[1] == '0' && s[2] == '.' && n_digits(s + 3) >= 4 &&
        s[3 + n_digits(s + 3)] == '/' && s[4 + n_digits(s + 3)])
        return 1;
    if (skip_prefix(s, "http://") || skip_prefix(s, "https://"))
        return strlen(s) > 8;
    if ((p = skip_prefix(s, "arXiv:")))
        s = p;
    if (n_digits(s) == 4 && s[4] == '.' &&
        (n_digits(s + 5) == 4 || n_digits(s + 5) == 5)) {
        const char *v = s + 5 + n_digits(s + 5);
        return !*v || (*v == 'v' && n_digits(v + 1) && !v[1 + n_digits(v + 1)]);
    }
    const char *slash = strchr(s, '/');
    if (slash && slash > s && n_digits(slash + 1) == 7) {
        for (const char *q = s; q < slash; q++)
            if (!islower((unsigned char)*q) && *q != '-' && *q != '.' &&
                !isupper((unsigned char)*q))
                return 0;
        const char *v = slash + 8;
        return !*v || (*v == 'v' && n_digits(v + 1) && !v[1 + n_digits(v + 1)]);
    }
    return 0;
}

static int read_ref(ingest *in, const json_t *v, void *item)
{
    cb_reference *r = item;
    int before = errors(in);
    if (!expect_object(in, v))
        return 0;
    read_fields(in, v, in->fmt->ref, r, 0);
    check_known(in, v, in->fmt->ref);
    if (!r->value)
        r->value = r->url;
    int had_url = r->url != NULL; /* one not followed is warned about */
    check_link(in, &r->url);
    if (r->value && !had_url && !is_reference_id(r->value))
        warn(in, CB_W_REFERENCE, "reference \"%s%s%s\" is neither a URL, a "
             "DOI nor an arXiv id: it is printed as text", r->type ? r->type : "",
             r->type ? ": " : "", r->value);
    if (r->value)
        return 1;
    if (errors(in) == before)
        fail(in, "missing required field \"value\"");
    return 0;
}

/* The date of a day counted from 1970-01-01 (cb_days_from_civil's
 * inverse, from the same paper). */
static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static long minutes_of(const cb_datetime *t)
{
    return cb_days_from_civil(t->year, t->month, t->day) * 1440 +
           t->hour * 60 + t->minute;
}

/* One rule for a contribution's schedule, whatever the layout shows: an
 * end without a duration gives the duration, a duration without an end
 * gives the end (on a later day if it runs past midnight), and when both
 * are given the end wins over a duration that disagrees. An end before
 * the start, or on a date without a time, is dropped with a warning. */
static void settle_schedule(ingest *in, cb_contribution *c)
{
    if (!c->start.set || !c->start.has_time) {
        return;
    }
    if (c->end.set && !c->end.has_time) {
        c->end.set = 0;
    } else if (c->end.set) {
        long span = minutes_of(&c->end) - minutes_of(&c->start);
        if (span < 0) {
            warn(in, CB_W_SCHEDULE, "it ends (%04d-%02d-%02d %02d:%02d) before it starts; "
                 "the end is left out", c->end.year, c->end.month,
                 c->end.day, c->end.hour, c->end.minute);
            c->end.set = 0;
        } else if (c->duration_min >= 0 && c->duration_min != span) {
            warn(in, CB_W_SCHEDULE, "its duration (%d minutes) disagrees with its end "
                 "(%ld minutes after the start); the end is used",
                 c->duration_min, span);
            c->duration_min = (int)span;
        } else {
            c->duration_min = (int)span;
        }
    }
    if (!c->end.set && c->duration_min > 0) {
        long end = minutes_of(&c->start) + c->duration_min;
        c->end = c->start;
        civil_from_days(end / 1440, &c->end.year, &c->end.month, &c->end.day);
        c->end.hour = (int)(end % 1440 / 60);
        c->end.minute = (int)(end % 60);
        c->end.second = 0;
    }
}

/* What a schedule's event says beyond its table: a description after the
 * abstract (pretalx has both), the room it is listed under, and its
 * persons, who are its speakers and, as the submission's people, its
 * authors (a Book of Abstracts prints authors). */
static void schedule_extras(ingest *in, const json_t *v, cb_contribution *c)
{
    const char *more = text_field(in, v, "description");
    if (more && c->description && strcmp(more, c->description) != 0)
        c->description = cb_arena_printf(in->arena, "%s\n\n%s",
                                         c->description, more);
    else if (more)
        c->description = more;
    if (!c->room)
        c->room = in->room;
    c->authors = c->speakers;
    c->n_authors = c->n_speakers;
}

/* Reads one contribution; its id comes first so that every later message
 * can name it. Always kept: a model with errors is dropped anyway. */
static int read_contribution(ingest *in, const json_t *v, void *item)
{
    cb_contribution *c = item;
    int before = errors(in);
    if (!expect_object(in, v))
        return 0;
    c->duration_min = -1;
    read_fields(in, v, in->fmt->contrib, c, 1);
    if (!c->id && errors(in) == before)
        fail(in, "missing required field \"id\"");
    in->cid = c->id;
    read_fields(in, v, in->fmt->contrib, c, 0);
    check_known(in, v, in->fmt->contrib);
    if (!c->session)
        c->session = in->session;
    if (c->session && in->session && !strcmp(c->session, in->session))
        c->session_color = in->session_color;
    if (in->fmt == &schedule_schema)
        schedule_extras(in, v, c);
    settle_schedule(in, c);
    cb_buf where = {0};
    format_place(in, &where);
    c->where = cb_arena_strndup(in->arena, where.data, where.len);
    cb_buf_free(&where);
    in->cid = NULL;
    return 1;
}

/* Events. */

/* Makes room in e for `more` further contributions (a copy: call it once
 * per list, not per item). */
static void reserve_contribs(ingest *in, cb_event *e, size_t more)
{
    if (!more)
        return;
    cb_contribution *c = cb_arena_alloc(in->arena,
                                        (e->n_contribs + more) * sizeof *c);
    if (e->n_contribs)
        memcpy(c, e->contribs, e->n_contribs * sizeof *c);
    e->contribs = c;
}

/* Reads parent's "contributions" array (absent or null: none) into e, which
 * has room for them (reserve_contribs). */
static void read_contribs(ingest *in, const json_t *parent, cb_event *e)
{
    const json_t *list = get(parent, "contributions");
    if (!list)
        return;
    size_t mark = path_key(in, "contributions");
    /* a contribution's JSON, most of a large input, goes once it is
     * read: the tree and the model were the run's peak together */
    const json_t *outer = in->taking, *outer_lazy = in->lazy_list;
    if (in->consume)
        in->taking = list;
    if (in->split)
        in->lazy_list = list;
    read_items(in, list, e->contribs, sizeof *e->contribs, read_contribution,
               &e->n_contribs);
    in->taking = outer;
    in->lazy_list = outer_lazy;
    path_pop(in, mark);
}

/* An Indico session's colour ("color": "#92b6db"), for a timetable; a
 * colour in another form is left out (it is decoration, not data). */
static const char *session_color(ingest *in, const json_t *session)
{
    const json_t *v = session ? get(session, "color") : NULL;
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (!s || strlen(s) != 7 || s[0] != '#' ||
        strspn(s + 1, "0123456789abcdefABCDEF") != 6)
        return NULL;
    return cb_arena_strdup(in->arena, s);
}

/* An Indico session block (detail=sessions): its contributions, which take
 * the block's title when they do not name their session. */
static int read_indico_session(ingest *in, const json_t *v, void *item)
{
    cb_event *e = item;
    if (!expect_object(in, v))
        return 0;
    in->session = text_field(in, v, "title");
    in->session_color = session_color(in, get(v, "session"));
    read_contribs(in, v, e);
    in->session = in->session_color = NULL;
    return 0;
}

/* Room for all of an Indico event's contributions, top level and blocks. */
static size_t count_indico_contribs(const json_t *v)
{
    const json_t *sessions = get(v, "sessions");
    size_t n = array_len(get(v, "contributions"));
    for (size_t i = 0; i < array_len(sessions); i++)
        n += array_len(get(json_array_get(sessions, i), "contributions"));
    return n;
}

/* A contribution that names a session none of the event's blocks has
 * (an export with session blocks lists every session): a renamed or
 * deleted session that the contribution still refers to. */
static void check_sessions(ingest *in, const cb_event *e,
                           const json_t *sessions)
{
    for (size_t i = 0; i < e->n_contribs; i++) {
        const char *name = e->contribs[i].session;
        int known = !name;
        for (size_t j = 0; !known && j < array_len(sessions); j++) {
            /* a block is a slot of a session: its own title ("Monday
             * posters: Coffee & Exhibition") or its session's */
            const json_t *block = json_array_get(sessions, j);
            const json_t *t[2] = {get(block, "title"),
                                  get(get(block, "session"), "title")};
            for (int k = 0; k < 2 && !known; k++)
                known = json_is_string(t[k]) &&
                        !strcmp(json_string_value(t[k]), name);
        }
        if (!known)
            cb_diag_warning(in->diag, CB_W_UNKNOWN_SESSION,
                            e->contribs[i].where, "session \"%s\" is not one "
                            "of the event's sessions", name);
    }
}

/* An Indico event: contributions without a session at the top, then those
 * of each session block, in source order. */
static int read_indico_event(ingest *in, const json_t *v, void *item)
{
    cb_event *e = item;
    size_t none = 0; /* session blocks add to e, they are not kept */
    if (!expect_object(in, v))
        return 0;
    read_fields(in, v, in->fmt->event, e, 0);
    check_link(in, &e->url);
    reserve_contribs(in, e, count_indico_contribs(v));
    read_contribs(in, v, e);
    const json_t *sessions = get(v, "sessions");
    if (sessions) {
        size_t mark = path_key(in, "sessions");
        read_items(in, sessions, e, 0, read_indico_session, &none);
        path_pop(in, mark);
        check_sessions(in, e, sessions);
    }
    return 1;
}

/* Native dates are local to the event's time zone. */
static void apply_timezone(cb_event *e)
{
    cb_datetime *stamps[] = {&e->start, &e->end};
    for (size_t i = 0; i < 2; i++)
        if (stamps[i]->set)
            stamps[i]->tz = e->timezone;
    for (size_t i = 0; i < e->n_contribs; i++) {
        cb_contribution *c = &e->contribs[i];
        if (c->start.set)
            c->start.tz = e->timezone;
        if (c->end.set)
            c->end.tz = e->timezone;
    }
}

/* One entry of native "events": the event's fields and its contributions. */
static int read_native_event(ingest *in, const json_t *v, void *item)
{
    cb_event *e = item;
    if (!expect_object(in, v))
        return 0;
    read_fields(in, v, in->fmt->event, e, 0);
    check_link(in, &e->url);
    check_known(in, v, in->fmt->event);
    reserve_contribs(in, e, array_len(get(v, "contributions")));
    read_contribs(in, v, e);
    apply_timezone(e);
    return 1;
}

/* Documents. */

static void read_events(ingest *in, const json_t *root, const char *key,
                        item_reader read, cb_model *m)
{
    const json_t *list = json_object_get(root, key);
    size_t mark = path_key(in, key);
    if (json_is_array(list) && json_array_size(list) == 0)
        fail(in, "expected at least one event, got an empty array");
    else
        m->events = read_list(in, list, sizeof(cb_event), read, &m->n_events);
    path_pop(in, mark);
}

static void check_version(ingest *in, const json_t *root)
{
    const json_t *v = get(root, "contribook");
    if (!v)
        return;
    size_t mark = path_key(in, "contribook");
    if (!json_is_integer(v))
        fail(in, "expected an integer, got %s", kind_of(v));
    else if (json_integer_value(v) != NATIVE_VERSION)
        fail(in, "unsupported version %" JSON_INTEGER_FORMAT ", this "
                 "contribook reads version %d", json_integer_value(v),
             NATIVE_VERSION);
    path_pop(in, mark);
}

/* Native: {"event": {...}, "contributions": [...]} or {"events": [...]}. A
 * single event may also hold its contributions itself. */
static void read_native(ingest *in, const json_t *root, cb_model *m)
{
    check_version(in, root);
    check_known(in, root, native_top);
    const json_t *event = get(root, "event"), *top = get(root, "contributions");
    if (get(root, "events")) {
        if (event || top)
            fail(in, "\"events\" cannot be combined with \"event\" or "
                     "\"contributions\" at the top level");
        else
            read_events(in, root, "events", read_native_event, m);
        return;
    }
    if (!event) {
        fail(in, "missing required field \"event\"");
        return;
    }
    cb_event *e = m->events = cb_arena_alloc(in->arena, sizeof *e);
    m->n_events = 1;
    size_t mark = path_key(in, "event");
    read_native_event(in, event, e);
    path_pop(in, mark);
    reserve_contribs(in, e, array_len(top));
    read_contribs(in, root, e);
    apply_timezone(e);
}

/* The events listed under one room of a schedule day. */
static void read_schedule_room(ingest *in, const json_t *list, cb_event *e)
{
    read_items(in, list, e->contribs, sizeof *e->contribs, read_contribution,
               &e->n_contribs);
}

/* A schedule: {"schedule": {"conference": {..., "days": [{"rooms": {"Room
 * A": [events]}}]}}}, one event, its contributions day by day and room by
 * room. */
static void read_schedule(ingest *in, const json_t *root, cb_model *m)
{
    const json_t *sched = get(root, "schedule"), *conf;
    size_t m1 = path_key(in, "schedule"), m2;
    if (!expect_object(in, sched))
        goto out;
    conf = get(sched, "conference");
    m2 = path_key(in, "conference");
    if (!conf) {
        path_pop(in, m2);
        fail(in, "missing required field \"conference\"");
        goto out;
    }
    if (!expect_object(in, conf))
        goto out;
    cb_event *e = m->events = cb_arena_alloc(in->arena, sizeof *e);
    m->n_events = 1;
    read_fields(in, conf, in->fmt->event, e, 0);
    check_link(in, &e->url);
    const json_t *days = get(conf, "days");
    size_t n = 0, md = path_key(in, "days");
    if (days && !json_is_array(days))
        fail(in, "expected an array, got %s", kind_of(days));
    for (size_t d = 0; d < array_len(days); d++) {
        const json_t *rooms = get(json_array_get(days, d), "rooms");
        const char *key;
        json_t *list;
        if (json_is_object(rooms))
            json_object_foreach((json_t *)rooms, key, list) n +=
                array_len(list);
    }
    reserve_contribs(in, e, n);
    for (size_t d = 0; d < array_len(days); d++) {
        const json_t *day = json_array_get(days, d), *rooms;
        size_t mi = path_index(in, d);
        if (expect_object(in, day) && (rooms = get(day, "rooms"))) {
            size_t mr = path_key(in, "rooms");
            const char *key;
            json_t *list;
            if (expect_object(in, rooms))
                json_object_foreach((json_t *)rooms, key, list) {
                    size_t mk = path_key(in, key);
                    in->room = key[0] ? cb_arena_strdup(in->arena, key)
                                      : NULL;
                    if (!json_is_null(list))
                        read_schedule_room(in, list, e);
                    in->room = NULL;
                    path_pop(in, mk);
                }
            path_pop(in, mr);
        }
        path_pop(in, mi);
    }
    path_pop(in, md);
    apply_timezone(e);
out:
    path_pop(in, m1);
}

static const char expect_indico[] =
    "an Indico export (an object with \"results\")";
static const char expect_native[] =
    "a contribook file (an object with \"contribook\", \"event\", \"events\" "
    "or \"contributions\")";

static const char expect_schedule[] =
    "a frab or pretalx schedule (an object with \"schedule\")";

static int is_native(const json_t *root)
{
    return json_object_get(root, "contribook") ||
           json_object_get(root, "event") ||
           json_object_get(root, "events") ||
           json_object_get(root, "contributions");
}

/* Decides the format (or says what was expected) and reads the document. */
static void read_document(ingest *in, const json_t *root, cb_format format,
                          cb_model *m)
{
    int indico = json_object_get(root, "results") != NULL;
    int schedule = json_object_get(root, "schedule") != NULL;
    int native = is_native(root);
    if (format == CB_FORMAT_AUTO)
        format = indico     ? CB_FORMAT_INDICO
                 : schedule ? CB_FORMAT_SCHEDULE
                 : native   ? CB_FORMAT_NATIVE
                            : CB_FORMAT_AUTO;
    if (format == CB_FORMAT_INDICO && indico) {
        in->fmt = &indico_schema;
        read_events(in, root, "results", read_indico_event, m);
    } else if (format == CB_FORMAT_SCHEDULE && schedule) {
        in->fmt = &schedule_schema;
        read_schedule(in, root, m);
    } else if (format == CB_FORMAT_NATIVE && native) {
        in->fmt = &native_schema;
        read_native(in, root, m);
    } else if (format == CB_FORMAT_AUTO) {
        fail(in, "expected %s, %s or %s, got %s", expect_indico,
             expect_schedule, expect_native,
             !json_is_object(root) ? kind_of(root)
                                   : "an object with none of these fields");
    } else {
        const char *want = format == CB_FORMAT_INDICO     ? expect_indico
                           : format == CB_FORMAT_SCHEDULE ? expect_schedule
                                                          : expect_native;
        const char *got = !json_is_object(root) ? kind_of(root)
                          : format == CB_FORMAT_INDICO
                              ? "an object without \"results\""
                          : format == CB_FORMAT_SCHEDULE
                              ? "an object without \"schedule\""
                              : "an object with none of these fields";
        fail(in, "expected %s, got %s", want, got);
    }
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\n", s[i]) || !s[i])
            return 0;
    return 1;
}

/* Reports jansson's error at "NAME:LINE:COL". Its column is 0 at the start
 * of a line, where editors say 1; and one of its messages names a library
 * flag that means nothing to the person reading it. */
static void report_syntax(const json_error_t *err, const char *name,
                          cb_diag *diag)
{
    static const char flag[] = " without JSON_ALLOW_NUL";
    cb_buf place = {0}, text = {0};
    const char *cut = strstr(err->text, flag);
    cb_buf_puts(&place, name);
    if (err->line > 0)
        cb_buf_printf(&place, ":%d:%d", err->line,
                      err->column > 0 ? err->column : 1);
    cb_buf_add(&text, err->text, cut ? (size_t)(cut - err->text)
                                     : strlen(err->text));
    if (cut)
        cb_buf_puts(&text, cut + strlen(flag));
    cb_diag_error(diag, place.data, "%s", text.data);
    cb_buf_free(&place);
    cb_buf_free(&text);
}

/* Parses the JSON text. A leading UTF-8 byte order mark is skipped:
 * spreadsheet tools on Windows write one, and editors do not count it as a
 * column. */
static json_t *parse_json(const char *data, size_t len, const char *name,
                          cb_diag *diag)
{
    json_error_t err;
    json_t *root = NULL;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        data += 3, len -= 3;
    if (is_blank(data, len)) {
        cb_diag_error(diag, name, "empty input, expected a JSON object");
        return NULL;
    }
    root = json_loadb(data, len, JSON_READ_FLAGS, &err);
    if (!root)
        report_syntax(&err, name, diag);
    return root;
}

static const char *display_name(const char *name)
{
    if (!name || !*name)
        return "<input>";
    return strcmp(name, "-") == 0 ? "<stdin>" : name;
}

static long day_of(const cb_datetime *t)
{
    return cb_days_from_civil(t->year, t->month, t->day);
}

/* What holds across an event's records: ids that two of them use (links,
 * indexes and a diff between editions go by id), and contributions
 * outside the event's days. */
static void check_event(cb_diag *diag, const cb_event *e)
{
    if (e->n_contribs > 1) {
        const cb_contribution **k = cb_order_by_id(e);
        for (size_t i = 1; i < e->n_contribs; i++)
            if (!strcmp(k[i]->id, k[i - 1]->id)) {
                cb_buf other = {0};
                cb_place_text(&other, k[i - 1]->where);
                cb_diag_warning(diag, CB_W_DUPLICATE_ID, k[i]->where,
                                "contribution id \"%s\" is also used at %s",
                                k[i]->id, other.data);
                cb_buf_free(&other);
            }
        free(k);
    }
    if (!e->start.set || !e->end.set)
        return;
    for (size_t i = 0; i < e->n_contribs; i++) {
        const cb_datetime *t = &e->contribs[i].start;
        if (t->set && (day_of(t) < day_of(&e->start) ||
                       day_of(t) > day_of(&e->end)))
            cb_diag_warning(diag, CB_W_OUTSIDE_EVENT, e->contribs[i].where,
                            "it starts on %04d-%02d-%02d, outside the event's "
                            "days (%04d-%02d-%02d to %04d-%02d-%02d)",
                            t->year, t->month, t->day, e->start.year,
                            e->start.month, e->start.day, e->end.year,
                            e->end.month, e->end.day);
    }
}

/* cb_ingest_tree; consume: the tree may be taken apart as it is read;
 * split: its contributions are placeholders for texts set aside there,
 * and *split_failed says whether one of them did not parse. */
static cb_model *read_tree(const json_t *root, const char *name,
                           cb_format format, cb_diag *diag, cb_place_fn place,
                           void *place_ctx, int consume, cb_split *split,
                           int *split_failed, int threads)
{
    int before = cb_diag_errors(diag);
    cb_model *m = cb_xcalloc(1, sizeof *m);
    m->arena = cb_arena_new();
    m->source = cb_arena_strdup(m->arena, display_name(name));
    ingest in = {.arena = m->arena, .diag = diag, .name = m->source,
                 .place = place, .place_ctx = place_ctx, .consume = consume,
                 .split = split, .threads = threads};
    read_document(&in, root, format, m);
    cb_buf_free(&in.path);
    if (split_failed)
        *split_failed = in.split_failed;
    for (size_t i = 0; cb_diag_errors(diag) == before && i < m->n_events; i++)
        check_event(diag, &m->events[i]);
    if (cb_diag_errors(diag) > before) {
        cb_model_free(m);
        m = NULL;
    }
    return m;
}

cb_model *cb_ingest_tree(const json_t *root, const char *name,
                         cb_format format, cb_diag *diag, cb_place_fn place,
                         void *place_ctx)
{
    return read_tree(root, name, format, diag, place, place_ctx, 0, NULL,
                     NULL, 0);
}

/* A spreadsheet's rows, not JSON: named .csv, or text whose first line
 * has a comma and does not open a JSON value. */
static int looks_like_csv(const char *name, const char *data, size_t len)
{
    size_t n = strlen(name);
    if (n > 4 && strcasecmp(name + n - 4, ".csv") == 0)
        return 1;
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && strchr(" \t\r\n", data[i]) && data[i])
        i++;
    if (i == len || strchr("{[\"", data[i]))
        return 0;
    const char *nl = memchr(data + i, '\n', len - i);
    return memchr(data + i, ',', (nl ? (size_t)(nl - data) : len) - i) !=
           NULL;
}

cb_model *cb_ingest_parse(const char *data, size_t len, const char *name,
                          cb_format format, cb_diag *diag)
{
    name = display_name(name);
    data = data ? data : "";
    if (format == CB_FORMAT_CSV ||
        (format == CB_FORMAT_AUTO && looks_like_csv(name, data, len)))
        return cb_ingest_csv(data, len, name, diag);
    json_t *root = parse_json(data, len, name, diag);
    if (!root)
        return NULL;
    cb_model *m = cb_ingest_tree(root, name, format, diag, NULL, NULL);
    json_decref(root);
    return m;
}

/* An input being read: its first chunk is looked at before the rest is
 * read, whole (spreadsheets) or in chunks as jansson asks for them (JSON:
 * the text of 20,000 contributions is 47 MB that need not be held beside
 * the tree made of it). */
typedef struct {
    FILE *f;
    char head[65536];
    size_t head_len, head_at; /* the first chunk, and what was handed on */
    size_t total;             /* bytes handed on */
    int line, col;            /* where the next byte stands */
    int nul;                  /* a NUL byte was met: reading stopped there */
    const char *why;          /* why reading failed, or NULL */
    cb_buf *keep;             /* a copy of every byte handed on, or NULL */
} reader;

/* Hands on up to size bytes; 0 at the end, at a NUL byte or on failure. */
static size_t reader_take(reader *r, char *buf, size_t size)
{
    size_t n = 0;
    if (r->nul || r->why)
        return 0;
    if (r->head_at < r->head_len) {
        n = r->head_len - r->head_at < size ? r->head_len - r->head_at : size;
        memcpy(buf, r->head + r->head_at, n);
        r->head_at += n;
    } else if (r->f) {
        n = fread(buf, 1, size, r->f);
        if (n == 0 && ferror(r->f))
            r->why = strerror(errno ? errno : EIO);
    }
    if (r->total + n > MAX_INPUT_BYTES) {
        r->why = "larger than " MAX_INPUT_TEXT ", is this the right file?";
        return 0;
    }
    /* JSON text never holds a NUL byte: stop there (/dev/zero given as
     * the input ends at once, not after 512 MiB) */
    const char *z = memchr(buf, '\0', n);
    if (z) {
        r->nul = 1;
        n = (size_t)(z - buf);
    }
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\n')
            r->line++, r->col = 1;
        else if (((unsigned char)buf[i] & 0xC0) != 0x80)
            r->col++;
    }
    r->total += n;
    if (r->keep)
        cb_buf_add(r->keep, buf, n);
    return n;
}

/* Opens path ("-": standard input) and reads its first chunk. */
static void reader_open(reader *r, const char *path)
{
    r->line = r->col = 1;
    r->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!r->f) {
        r->why = strerror(errno);
        return;
    }
    r->head_len = fread(r->head, 1, sizeof r->head, r->f);
    if (r->head_len < sizeof r->head && ferror(r->f))
        r->why = strerror(errno ? errno : EIO);
}

static void reader_close(reader *r, const char *path)
{
    if (r->f && strcmp(path, "-") != 0)
        fclose(r->f);
    r->f = NULL;
}

/* Reads all that is left into data. */
static void reader_all(reader *r, cb_buf *data)
{
    char chunk[65536];
    struct stat st;
    size_t n;
    if (r->f && fstat(fileno(r->f), &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_size > 0 && (unsigned long long)st.st_size <= MAX_INPUT_BYTES)
        cb_buf_reserve(data, (size_t)st.st_size); /* not twice its size */
    while ((n = reader_take(r, chunk, sizeof chunk)) > 0)
        cb_buf_add(data, chunk, n);
}

static size_t feed_json(void *buf, size_t size, void *r)
{
    return reader_take(r, buf, size);
}

/* The first chunk opens a JSON object or array (after a byte order mark
 * and blanks), so the input is read as JSON in chunks. */
static int head_is_json(const reader *r)
{
    size_t i = r->head_len >= 3 && !memcmp(r->head, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < r->head_len && strchr(" \t\r\n", r->head[i]) && r->head[i])
        i++;
    return i < r->head_len && (r->head[i] == '{' || r->head[i] == '[');
}

/* The input as a source file of m: its bytes copied into m's arena, its
 * name without folders, its type from its first character. */
static void keep_file(cb_model *m, const char *path, const cb_buf *data)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *p = data->data, *end = p + data->len;
    if (end - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    int json = p < end && (*p == '{' || *p == '[');
    cb_source_file *f = cb_arena_alloc(m->arena, sizeof *f);
    f->mime = json ? "application/json" : "text/csv";
    f->name = strcmp(path, "-") ? cb_arena_strdup(m->arena, base)
                                : json ? "stdin.json" : "stdin.csv";
    unsigned char *copy = cb_arena_alloc(m->arena, data->len ? data->len : 1);
    memcpy(copy, data->data, data->len);
    f->data = copy;
    f->len = data->len;
    m->files = f;
    m->n_files = 1;
}

/* A NUL byte met at r's position. */
static void report_nul(const reader *r, const char *name, cb_diag *diag)
{
    cb_buf place = {0};
    cb_buf_printf(&place, "%s:%d:%d", name, r->line, r->col);
    cb_diag_error(diag, place.data, "a NUL byte: not JSON text");
    cb_buf_free(&place);
}

/* A byte order mark at the start of r is not JSON: jansson is not given
 * it (its columns start after it); it is kept with the bytes (PDF/A-3)
 * and counted in the reader's own position (a NUL byte's column). */
static void skip_bom(reader *r)
{
    if (r->head_len < 3 || memcmp(r->head, "\xEF\xBB\xBF", 3))
        return;
    if (r->keep)
        cb_buf_add(r->keep, r->head, 3);
    r->head_at = 3, r->total = 3, r->col = 2;
}

/* JSON read in chunks; the bytes kept in *kept when keep. */
static json_t *load_json(reader *r, int keep, cb_buf *kept, const char *name,
                         cb_diag *diag)
{
    json_error_t err;
    r->keep = keep ? kept : NULL;
    skip_bom(r);
    json_t *root = json_load_callback(feed_json, r, JSON_READ_FLAGS, &err);
    if (r->why || r->nul) {
        json_decref(root);
        return NULL;
    }
    if (!root)
        report_syntax(&err, name, diag);
    return root;
}

static size_t pull_reader(void *r, char *buf, size_t size)
{
    return reader_take(r, buf, size);
}

/* A JSON file read with its contributions set aside (cb_ingest_split.h),
 * so that jansson's tree of the whole input never exists. Its messages
 * wait until the reading is sure: anything amiss (a syntax error, a
 * contribution that does not parse, a read error) drops them, sets
 * *again, and the caller reads the file again whole, for the messages
 * of a whole reading. */
static cb_model *load_split(reader *r, const char *name, cb_format format,
                            cb_diag *diag, int threads, int *again)
{
    cb_diag_hold(diag);
    skip_bom(r);
    cb_split *sp = cb_split_new(pull_reader, r);
    json_error_t err;
    json_t *root = json_load_callback(cb_split_feed, sp, JSON_READ_FLAGS,
                                      &err);
    cb_model *m = NULL;
    int failed = !root || !cb_split_complete(sp) || r->why || r->nul;
    if (!failed)
        m = read_tree(root, name, format, diag, NULL, NULL, 1, sp, &failed,
                      threads);
    json_decref(root);
    cb_split_free(sp);
    if (failed) {
        cb_model_free(m);
        m = NULL;
    }
    cb_diag_release(diag, !failed);
    *again = failed;
    return m;
}

/* Whether path is a regular file, which can be read a second time. */
static int rereadable(const char *path, const reader *r)
{
    struct stat st;
    return strcmp(path, "-") != 0 && r->f && fstat(fileno(r->f), &st) == 0 &&
           S_ISREG(st.st_mode);
}

cb_model *cb_ingest_load_kept(const char *path, cb_format format,
                              unsigned flags, cb_diag *diag, int *io_error)
{
    int keep = (flags & CB_INGEST_KEEP_FILES) != 0;
    reader r = {0};
    cb_buf data = {0}, kept = {0};
    cb_model *m = NULL;
    json_t *root = NULL;
    const char *name = display_name(path);
    reader_open(&r, path);
    int json = format != CB_FORMAT_CSV && head_is_json(&r) &&
               !(format == CB_FORMAT_AUTO && looks_like_csv(name, "", 0));
    if (json && !keep && !r.why && rereadable(path, &r)) {
        int again;
        m = load_split(&r, name, format, diag,
                       (flags & CB_INGEST_TWO_THREADS) != 0, &again);
        if (!again) {
            reader_close(&r, path);
            if (io_error)
                *io_error = 0;
            return m;
        }
        reader_close(&r, path);
        r = (reader){0};
        reader_open(&r, path);
    }
    if (json)
        root = load_json(&r, keep, &kept, name, diag);
    else
        reader_all(&r, &data);
    reader_close(&r, path);
    if (io_error)
        *io_error = r.why != NULL;
    if (r.why)
        cb_diag_error(diag, name, "cannot read: %s", r.why);
    else if (r.nul)
        report_nul(&r, name, diag);
    else if (root)
        m = read_tree(root, name, format, diag, NULL, NULL, 1, NULL, NULL, 0);
    else if (!json) {
        m = cb_ingest_parse(data.data, data.len, name, format, diag);
        kept = data, data = (cb_buf){0};
    }
    json_decref(root);
    if (m && keep)
        keep_file(m, path, &kept);
    cb_buf_free(&kept);
    cb_buf_free(&data);
    return m;
}

cb_model *cb_ingest_load(const char *path, cb_format format, cb_diag *diag,
                         int *io_error)
{
    return cb_ingest_load_kept(path, format, 0, diag, io_error);
}

void cb_model_free(cb_model *m)
{
    if (!m)
        return;
    cb_model_free(m->merged);
    cb_arena_free(m->arena);
    free(m);
}

/* diag.c - collects and prints diagnostics with their place. */
#include "cb_diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cb_util.h"

static const struct {
    const char *name, *about;
} warnings[CB_W_COUNT] = {
    [CB_W_UNKNOWN_FIELD] = {"unknown-field",
                            "a field of the input that contribook does not "
                            "read, ignored"},
    [CB_W_NAMELESS_PERSON] = {"nameless-person",
                              "a person without any name, left out"},
    [CB_W_SCHEDULE] = {"schedule", "a start, end and duration that "
                                   "disagree; which one is used is said"},
    [CB_W_LINK_AS_TEXT] = {"link-as-text",
                           "a link set as text, not made live: a scheme "
                           "other than http, https, mailto or doi, or "
                           "malformed"},
    [CB_W_EMPTY_DESCRIPTION] = {"empty-description",
                                "a contribution without a description"},
    [CB_W_EMPTY_EVENT] = {"empty-event",
                          "an event without contributions: only its "
                          "cover is set"},
    [CB_W_POSTER_BOARDS] = {"poster-boards",
                            "a poster list without board numbers: listed "
                            "by programme code, or empty"},
    [CB_W_LONG_WORD] = {"long-word", "a word wider than the line, broken "
                                     "inside"},
    [CB_W_OVERFULL] = {"overfull-line", "a line that runs into the margin"},
    [CB_W_MISSING_GLYPH] = {"missing-glyph",
                            "a character no installed font has, drawn as "
                            "a box and kept in the text"},
    [CB_W_FONT] = {"font", "a font family, face or folder that cannot be "
                           "used; what is used instead is said"},
    [CB_W_HYPHENATION] = {"hyphenation", "no hyphenation dictionary for "
                                         "the layout's language"},
    [CB_W_MATH] = {"math", "a TeX math command contribook does not set, "
                           "printed as typed"},
    [CB_W_IMAGE] = {"image", "an image in a description, or inside a line "
                             "of a preface, not drawn: its alt text is "
                             "printed"},
    [CB_W_BOOKLET] = {"booklet", "--impose booklet of more pages than "
                                 "saddle stitching holds (64)"},
    [CB_W_DUPLICATE_ID] = {"duplicate-id",
                           "two contributions of one event with the same "
                           "id; both places are said"},
    [CB_W_OUTSIDE_EVENT] = {"outside-event",
                            "a contribution that starts before the event's "
                            "first day or after its last"},
    [CB_W_UNKNOWN_SESSION] = {"unknown-session",
                              "a contribution naming a session the event's "
                              "session blocks do not have"},
    [CB_W_REFERENCE] = {"reference",
                        "a reference that is neither a URL, a DOI nor an "
                        "arXiv id: printed as text"},
};

const char *cb_warning_name(cb_warning w)
{
    return w < CB_W_COUNT ? warnings[w].name : "?";
}

const char *cb_warning_about(cb_warning w)
{
    return w < CB_W_COUNT ? warnings[w].about : "?";
}

/* A message kept for cb_diag_flush. */
typedef struct {
    int error;   /* 1 error, 0 warning, 2 a note (too many errors) */
    int w;       /* its class, or -1 */
    char *place; /* NULL: none */
    char *text;
} held;

enum { CLASS_ON, CLASS_OFF, CLASS_FATAL };

struct cb_diag {
    FILE *out;
    int quiet;
    int errors, warnings;
    cb_diag_format format;
    unsigned char class_state[CB_W_COUNT];
    int fatal[CB_W_COUNT]; /* fatal warnings printed, by class */
    cb_diag_locate_fn locate;
    void *locate_ctx;
    held *held;
    size_t n_held, cap_held;
    void (*before)(void *ctx);
    void *before_ctx;
    int holding;               /* cb_diag_hold: since held[hold_from] */
    size_t hold_from;
    int held_errors, held_warnings, held_fatal[CB_W_COUNT];
};

void cb_diag_hold(cb_diag *d)
{
    d->holding = 1;
    d->hold_from = d->n_held;
    d->held_errors = d->errors;
    d->held_warnings = d->warnings;
    memcpy(d->held_fatal, d->fatal, sizeof d->fatal);
}

void cb_diag_set_before(cb_diag *d, void (*before)(void *ctx), void *ctx)
{
    d->before = before;
    d->before_ctx = ctx;
}

cb_diag *cb_diag_new(FILE *out)
{
    cb_diag *d = cb_xcalloc(1, sizeof *d);
    d->out = out;
    return d;
}

void cb_diag_free(cb_diag *d)
{
    if (!d)
        return;
    cb_diag_flush(d);
    free(d->held);
    free(d);
}

void cb_diag_set_quiet(cb_diag *d, int quiet)
{
    d->quiet = quiet;
}

void cb_diag_set_format(cb_diag *d, cb_diag_format f, cb_diag_locate_fn locate,
                        void *ctx)
{
    d->format = f;
    d->locate = f == CB_DIAG_TEXT ? NULL : locate;
    d->locate_ctx = ctx;
}

int cb_diag_option(cb_diag *d, const char *spec)
{
    int state = CLASS_ON;
    if (!strcmp(spec, "error")) {
        for (int w = 0; w < CB_W_COUNT; w++)
            d->class_state[w] = CLASS_FATAL;
        return 0;
    }
    if (!strncmp(spec, "no-", 3))
        state = CLASS_OFF, spec += 3;
    else if (!strncmp(spec, "error=", 6))
        state = CLASS_FATAL, spec += 6;
    for (int w = 0; w < CB_W_COUNT; w++)
        if (!strcmp(spec, warnings[w].name)) {
            d->class_state[w] = (unsigned char)state;
            return 0;
        }
    return -1;
}

int cb_diag_fatal(const cb_diag *d)
{
    int n = 0;
    for (int w = 0; w < CB_W_COUNT; w++)
        n += d->fatal[w];
    return n;
}

void cb_diag_fatal_classes(const cb_diag *d, cb_buf *out)
{
    for (int w = 0; w < CB_W_COUNT; w++)
        if (d->fatal[w])
            cb_buf_printf(out, "%s%s (%d)", out->len ? ", " : "",
                          warnings[w].name, d->fatal[w]);
}

void cb_place_record(cb_buf *out, const char *file, const char *path,
                     const char *contribution)
{
    cb_buf_puts(out, file);
    cb_buf_putc(out, CB_PLACE_SEP);
    cb_buf_puts(out, path);
    if (contribution) {
        cb_buf_putc(out, CB_PLACE_SEP);
        cb_buf_puts(out, contribution);
    }
}

/* A place taken apart: a record's file, path and contribution; or a
 * file with a line and column ("FILE:LINE:COL"), or an existing file; or
 * anything else, which is only shown (`where`). */
typedef struct {
    cb_buf file, path, contribution, where;
    int line, col;
} fields;

static void split_place(const char *place, fields *f)
{
    memset(f, 0, sizeof *f);
    if (!place || !*place)
        return;
    const char *sep = strchr(place, CB_PLACE_SEP);
    if (sep) {
        const char *sep2 = strchr(sep + 1, CB_PLACE_SEP);
        cb_buf_add(&f->file, place, (size_t)(sep - place));
        cb_buf_add(&f->path, sep + 1,
                   sep2 ? (size_t)(sep2 - sep - 1) : strlen(sep + 1));
        if (sep2)
            cb_buf_puts(&f->contribution, sep2 + 1);
        return;
    }
    /* FILE:LINE:COL or FILE:LINE */
    const char *end = place + strlen(place), *p = end;
    int nums[2] = {0, 0}, k = 0;
    while (k < 2) {
        const char *q = p;
        while (q > place && q[-1] >= '0' && q[-1] <= '9')
            q--;
        if (q == p || q == place || q[-1] != ':' || p - q > 9)
            break;
        nums[k++] = atoi(q);
        p = q - 1;
    }
    if (k > 0) {
        cb_buf_add(&f->file, place, (size_t)(p - place));
        f->line = k == 2 ? nums[1] : nums[0];
        f->col = k == 2 ? nums[0] : 0;
    } else if (access(place, F_OK) == 0) {
        cb_buf_puts(&f->file, place);
    } else {
        cb_buf_puts(&f->where, place);
    }
}

static void fields_free(fields *f)
{
    cb_buf_free(&f->file);
    cb_buf_free(&f->path);
    cb_buf_free(&f->contribution);
    cb_buf_free(&f->where);
}

void cb_place_text(cb_buf *out, const char *place)
{
    const char *sep = strchr(place, CB_PLACE_SEP);
    if (!sep) {
        cb_buf_puts(out, place);
        return;
    }
    fields f;
    split_place(place, &f);
    cb_buf_printf(out, "%s", f.file.data ? f.file.data : "");
    if (f.path.len)
        cb_buf_printf(out, ": %s", f.path.data);
    if (f.contribution.len)
        cb_buf_printf(out, " (contribution %s)", f.contribution.data);
    fields_free(&f);
}

/* Appends s with its control characters escaped (\x1b; C1 controls and
 * bidi controls as \u009b, \u202e) and every byte that is not UTF-8 as
 * \xe9: a message quotes file names and values from the input, which must
 * not be able to start a line of their own (a forged "error:" or a CI
 * workflow command), drive the terminal or reorder what the reader sees. */
void cb_diag_safe(cb_buf *out, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int len;
        long cp = cb_utf8_decode(s + i, n - i, &len);
        if (cp < 0 || cp < 0x20 || cp == 0x7F)
            cb_buf_printf(out, "\\x%02x", (unsigned char)s[i]);
        else if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x61C ||
                 cb_is_bidi_control(cp))
            cb_buf_printf(out, "\\u%04lx", cp);
        else
            cb_buf_add(out, s + i, (size_t)len);
        i += (size_t)len;
    }
}

static void put_safe(FILE *out, const char *s)
{
    cb_buf b = {0};
    cb_diag_safe(&b, s);
    if (b.len)
        fwrite(b.data, 1, b.len, out);
    cb_buf_free(&b);
}

/* A JSON string of s (made safe first: what it quotes stays visible). */
void cb_diag_json_string(cb_buf *out, const char *s)
{
    if (!s) {
        cb_buf_puts(out, "null");
        return;
    }
    cb_buf safe = {0};
    cb_diag_safe(&safe, s);
    cb_buf_putc(out, '"');
    for (size_t i = 0; i < safe.len; i++) {
        char c = safe.data[i];
        if (c == '"' || c == '\\')
            cb_buf_putc(out, '\\');
        cb_buf_putc(out, c);
    }
    cb_buf_putc(out, '"');
    cb_buf_free(&safe);
}

/* GitHub's workflow command escaping: of data (%, CR, LF), and of a
 * property's value (also : and ,). */
static void add_github(cb_buf *out, const char *s, int property)
{
    cb_buf safe = {0};
    cb_diag_safe(&safe, s);
    for (size_t i = 0; i < safe.len; i++) {
        char c = safe.data[i];
        if (c == '%')
            cb_buf_puts(out, "%25");
        else if (property && c == ':')
            cb_buf_puts(out, "%3A");
        else if (property && c == ',')
            cb_buf_puts(out, "%2C");
        else
            cb_buf_putc(out, c);
    }
    cb_buf_free(&safe);
}

static void print_text(cb_diag *d, const char *place, const char *kind,
                       const char *class, int fatal, const char *text)
{
    cb_buf b = {0};
    cb_buf shown = {0};
    cb_place_text(&shown, place && *place ? place : "contribook");
    cb_diag_safe(&b, shown.data ? shown.data : "");
    cb_buf_printf(&b, ": %s: ", kind);
    cb_diag_safe(&b, text);
    if (class)
        cb_buf_printf(&b, fatal ? " [-W error=%s]" : " [%s]", class);
    cb_buf_putc(&b, '\n');
    if (d->before)
        d->before(d->before_ctx);
    fwrite(b.data, 1, b.len, d->out);
    cb_buf_free(&b);
    cb_buf_free(&shown);
}

static void print_machine(cb_diag *d, const char *place, const char *kind,
                          const char *class, int line, int col,
                          const char *text)
{
    fields f;
    split_place(place, &f);
    if (line)
        f.line = line, f.col = col;
    cb_buf b = {0};
    if (d->format == CB_DIAG_JSON) {
        cb_buf_puts(&b, "{\"file\":");
        cb_diag_json_string(&b, f.file.len ? f.file.data : NULL);
        if (f.line)
            cb_buf_printf(&b, ",\"line\":%d", f.line);
        else
            cb_buf_puts(&b, ",\"line\":null");
        if (f.col)
            cb_buf_printf(&b, ",\"column\":%d", f.col);
        else
            cb_buf_puts(&b, ",\"column\":null");
        cb_buf_printf(&b, ",\"severity\":\"%s\",\"class\":", kind);
        cb_diag_json_string(&b, class);
        cb_buf_puts(&b, ",\"message\":");
        cb_diag_json_string(&b, text);
        if (f.path.data) {
            cb_buf_puts(&b, ",\"path\":");
            cb_diag_json_string(&b, f.path.data);
            cb_buf_puts(&b, ",\"contribution\":");
            cb_diag_json_string(&b, f.contribution.len ? f.contribution.data : NULL);
        }
        if (f.where.len) {
            cb_buf_puts(&b, ",\"where\":");
            cb_diag_json_string(&b, f.where.data);
        }
        cb_buf_puts(&b, "}\n");
    } else {
        cb_buf_printf(&b, "::%s ", kind);
        int props = 0;
        if (f.file.len) {
            cb_buf_puts(&b, "file=");
            add_github(&b, f.file.data, 1);
            props = 1;
            if (f.line)
                cb_buf_printf(&b, ",line=%d", f.line);
            if (f.col)
                cb_buf_printf(&b, ",col=%d", f.col);
        }
        cb_buf_printf(&b, "%stitle=contribook", props ? "," : "");
        if (class) {
            cb_buf_puts(&b, " ");
            add_github(&b, class, 1);
        }
        cb_buf_puts(&b, "::");
        if (f.path.len) {
            add_github(&b, f.path.data, 0);
            if (f.contribution.len) {
                cb_buf_puts(&b, " (contribution ");
                add_github(&b, f.contribution.data, 0);
                cb_buf_puts(&b, ")");
            }
            cb_buf_puts(&b, ": ");
        } else if (f.where.len) {
            add_github(&b, f.where.data, 0);
            cb_buf_puts(&b, ": ");
        }
        add_github(&b, text, 0);
        cb_buf_putc(&b, '\n');
    }
    fwrite(b.data, 1, b.len, d->out);
    cb_buf_free(&b);
    fields_free(&f);
}

/* One message, printed now or kept for cb_diag_flush. */
static void emit(cb_diag *d, const char *place, int error, int w,
                 const char *fmt, va_list ap)
{
    if (!d->out)
        return;
    cb_buf msg = {0};
    cb_buf_vprintf(&msg, fmt, ap);
    if (d->locate || d->holding) {
        cb_grow(&d->held, &d->cap_held, d->n_held, sizeof *d->held);
        d->held[d->n_held++] =
            (held){error, w, place ? cb_xstrdup(place) : NULL,
                   msg.data ? msg.data : cb_xstrdup("")};
        return;
    }
    int fatal = w >= 0 && d->class_state[w] == CLASS_FATAL;
    const char *class = w >= 0 ? warnings[w].name : NULL;
    const char *kind = error || fatal ? "error" : "warning";
    if (d->format == CB_DIAG_TEXT)
        print_text(d, place, fatal ? "warning" : kind, class, fatal,
                   msg.data ? msg.data : "");
    else
        print_machine(d, place, kind, class, 0, 0, msg.data ? msg.data : "");
    cb_buf_free(&msg);
}

/* A kept message's record path, or NULL. */
static const char *held_path(const held *h, size_t *len)
{
    const char *sep = h->place ? strchr(h->place, CB_PLACE_SEP) : NULL;
    if (!sep)
        return NULL;
    const char *end = strchr(sep + 1, CB_PLACE_SEP);
    *len = end ? (size_t)(end - sep - 1) : strlen(sep + 1);
    return sep + 1;
}

void cb_diag_release(cb_diag *d, int print)
{
    d->holding = 0;
    if (print) {
        if (!d->locate) /* else they wait for the end, to be placed */
            cb_diag_flush(d);
        return;
    }
    for (size_t i = d->hold_from; i < d->n_held; i++) {
        free(d->held[i].place);
        free(d->held[i].text);
    }
    d->n_held = d->hold_from;
    d->errors = d->held_errors;
    d->warnings = d->held_warnings;
    memcpy(d->fatal, d->held_fatal, sizeof d->fatal);
}

void cb_diag_replay(cb_diag *d, cb_diag *from)
{
    int errors = 0;
    for (size_t i = 0; i < from->n_held; i++) {
        held *h = &from->held[i];
        if (h->error == 1) {
            cb_diag_error(d, h->place, "%s", h->text);
            errors++;
        } else if (!h->error) {
            cb_diag_warning(d, h->w < 0 ? CB_W_COUNT : (cb_warning)h->w,
                            h->place, "%s", h->text);
        } /* else from's "too many errors": d says its own */
        free(h->place);
        free(h->text);
    }
    /* the errors from counted past its limit and did not keep */
    d->errors += from->errors - errors;
    from->n_held = from->hold_from = 0;
    from->errors = 0;
}

void cb_diag_flush(cb_diag *d)
{
    size_t n = d->n_held;
    if (!n)
        return;
    int *line = cb_xcalloc(n, sizeof *line), *col = cb_xcalloc(n, sizeof *col);
    char **paths = cb_xcalloc(n, sizeof *paths);
    size_t *which = cb_xcalloc(n, sizeof *which);
    int *done = cb_xcalloc(n, sizeof *done);
    /* the records' places, file by file: one scan of each */
    for (size_t i = 0; i < n; i++) {
        size_t len, k = 0;
        if (done[i] || !held_path(&d->held[i], &len))
            continue;
        size_t flen = (size_t)(strchr(d->held[i].place, CB_PLACE_SEP) -
                               d->held[i].place);
        for (size_t j = i; j < n; j++) {
            const char *pj = held_path(&d->held[j], &len);
            if (done[j] || !pj || strncmp(d->held[j].place, d->held[i].place,
                                          flen + 1))
                continue;
            paths[k] = cb_xmalloc(len + 1);
            memcpy(paths[k], pj, len);
            paths[k][len] = '\0';
            which[k++] = j;
            done[j] = 1;
        }
        char *file = cb_xmalloc(flen + 1);
        memcpy(file, d->held[i].place, flen);
        file[flen] = '\0';
        int *l = cb_xcalloc(k, sizeof *l), *c = cb_xcalloc(k, sizeof *c);
        if (d->locate)
            d->locate(d->locate_ctx, file, (const char *const *)paths, k, l,
                      c);
        for (size_t j = 0; j < k; j++) {
            line[which[j]] = l[j];
            col[which[j]] = c[j];
            free(paths[j]);
        }
        free(l);
        free(c);
        free(file);
    }
    for (size_t i = 0; i < n; i++) {
        held *h = &d->held[i];
        int fatal = h->w >= 0 && d->class_state[h->w] == CLASS_FATAL;
        const char *class = h->w >= 0 ? warnings[h->w].name : NULL;
        if (d->format == CB_DIAG_TEXT)
            print_text(d, h->place, h->error ? "error" : "warning", class,
                       fatal, h->text);
        else
            print_machine(d, h->place, h->error || fatal ? "error" : "warning",
                          class, line[i], col[i], h->text);
        free(h->place);
        free(h->text);
    }
    d->n_held = 0;
    free(line);
    free(col);
    free(paths);
    free(which);
    free(done);
}

/* A message about the messages (error 2 when kept: not replayed). */
static void note(cb_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(d, NULL, 2, -1, fmt, ap);
    va_end(ap);
}

void cb_diag_error(cb_diag *d, const char *place, const char *fmt, ...)
{
    d->errors++;
    if (d->errors > CB_DIAG_MAX_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, place, 1, -1, fmt, ap);
    va_end(ap);
    if (d->errors == CB_DIAG_MAX_ERRORS)
        note(d, "too many errors (%d), not reporting more",
             CB_DIAG_MAX_ERRORS);
}

void cb_diag_warning(cb_diag *d, cb_warning w, const char *place,
                     const char *fmt, ...)
{
    if (w < CB_W_COUNT && d->class_state[w] == CLASS_OFF)
        return;
    d->warnings++;
    int fatal = w < CB_W_COUNT && d->class_state[w] == CLASS_FATAL;
    if (fatal)
        d->fatal[w]++;
    if (d->quiet && !fatal)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, place, 0, w < CB_W_COUNT ? (int)w : -1, fmt, ap);
    va_end(ap);
}

/* A source line under a message shows at most this many characters:
 * those around the column, so that a megabyte line cannot flood the
 * terminal. */
#define CONTEXT_CHARS 100

void cb_diag_context(cb_diag *d, const char *line, int len, int col)
{
    if (!d->out || d->errors > CB_DIAG_MAX_ERRORS ||
        d->format != CB_DIAG_TEXT)
        return;
    if (d->before)
        d->before(d->before_ctx);
    /* the window: characters [first, first + CONTEXT_CHARS) of the line */
    int chars = 0;
    for (int i = 0; i < len; i++)
        chars += ((unsigned char)line[i] & 0xC0) != 0x80;
    int first = col > CONTEXT_CHARS / 2 ? col - CONTEXT_CHARS / 2 : 0;
    if (chars - first < CONTEXT_CHARS)
        first = chars > CONTEXT_CHARS ? chars - CONTEXT_CHARS : 0;
    cb_buf shown = {0}, caret = {0};
    for (int i = 0, c = -1; i < len; i++) {
        if (((unsigned char)line[i] & 0xC0) != 0x80)
            c++;
        if (c < first || c >= first + CONTEXT_CHARS)
            continue;
        cb_buf_putc(&shown, line[i]);
        if (c < col && ((unsigned char)line[i] & 0xC0) != 0x80)
            cb_buf_putc(&caret, line[i] == '\t' ? '\t' : ' ');
    }
    fputs(first > 0 ? "  ..." : "  ", d->out);
    put_safe(d->out, shown.data ? shown.data : "");
    fputs(first + CONTEXT_CHARS < chars ? "...\n  " : "\n  ", d->out);
    if (first > 0)
        fputs("   ", d->out);
    put_safe(d->out, caret.data ? caret.data : "");
    fputs("^\n", d->out);
    cb_buf_free(&shown);
    cb_buf_free(&caret);
}

int cb_diag_errors(const cb_diag *d)
{
    return d->errors;
}

int cb_diag_warnings(const cb_diag *d)
{
    return d->warnings;
}

/* diag.c - collects and prints diagnostics with their place. */
#include "cb_diag.h"

#include <stdarg.h>

#include <stdlib.h>
#include <string.h>

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
};

const char *cb_warning_name(cb_warning w)
{
    return w < CB_W_COUNT ? warnings[w].name : "?";
}

const char *cb_warning_about(cb_warning w)
{
    return w < CB_W_COUNT ? warnings[w].about : "?";
}

struct cb_diag {
    FILE *out;
    int quiet;
    int errors, warnings;
};

cb_diag *cb_diag_new(FILE *out)
{
    cb_diag *d = cb_xcalloc(1, sizeof *d);
    d->out = out;
    return d;
}

void cb_diag_free(cb_diag *d)
{
    free(d);
}

void cb_diag_set_quiet(cb_diag *d, int quiet)
{
    d->quiet = quiet;
}

/* Writes s with its control characters escaped (\x1b; C1 controls and
 * bidi controls as \u009b, \u202e) and every byte that is not UTF-8 as
 * \xe9: a message quotes file names and values from the input, which must
 * not be able to start a line of their own (a forged "error:" or a CI
 * workflow command), drive the terminal or reorder what the reader sees. */
static void put_safe(FILE *out, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int len;
        long cp = cb_utf8_decode(s + i, n - i, &len);
        if (cp < 0 || cp < 0x20 || cp == 0x7F)
            fprintf(out, "\\x%02x", (unsigned char)s[i]);
        else if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x61C ||
                 cb_is_bidi_control(cp))
            fprintf(out, "\\u%04lx", cp);
        else
            fwrite(s + i, 1, (size_t)len, out);
        i += (size_t)len;
    }
}

static void emit(cb_diag *d, const char *place, const char *kind,
                 const char *class, const char *fmt, va_list ap)
{
    if (!d->out)
        return;
    cb_buf msg = {0};
    cb_buf_vprintf(&msg, fmt, ap);
    put_safe(d->out, place && *place ? place : "contribook");
    fprintf(d->out, ": %s: ", kind);
    put_safe(d->out, msg.data ? msg.data : "");
    if (class)
        fprintf(d->out, " [%s]", class);
    fputc('\n', d->out);
    cb_buf_free(&msg);
}

void cb_diag_error(cb_diag *d, const char *place, const char *fmt, ...)
{
    d->errors++;
    if (d->errors > CB_DIAG_MAX_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, place, "error", NULL, fmt, ap);
    va_end(ap);
    if (d->errors == CB_DIAG_MAX_ERRORS && d->out)
        fprintf(d->out, "contribook: error: too many errors (%d), "
                        "not reporting more\n", CB_DIAG_MAX_ERRORS);
}

void cb_diag_warning(cb_diag *d, cb_warning w, const char *place,
                     const char *fmt, ...)
{
    d->warnings++;
    if (d->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, place, "warning", cb_warning_name(w), fmt, ap);
    va_end(ap);
}

/* A source line under a message shows at most this many characters:
 * those around the column, so that a megabyte line cannot flood the
 * terminal. */
#define CONTEXT_CHARS 100

void cb_diag_context(cb_diag *d, const char *line, int len, int col)
{
    if (!d->out || d->errors > CB_DIAG_MAX_ERRORS)
        return;
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

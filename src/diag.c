/* diag.c - collects and prints diagnostics with their place. */
#include "cb_diag.h"

#include <stdarg.h>

#include <stdlib.h>
#include <string.h>

#include "cb_util.h"

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
                 const char *fmt, va_list ap)
{
    if (!d->out)
        return;
    cb_buf msg = {0};
    cb_buf_vprintf(&msg, fmt, ap);
    put_safe(d->out, place && *place ? place : "contribook");
    fprintf(d->out, ": %s: ", kind);
    put_safe(d->out, msg.data ? msg.data : "");
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
    emit(d, place, "error", fmt, ap);
    va_end(ap);
    if (d->errors == CB_DIAG_MAX_ERRORS && d->out)
        fprintf(d->out, "contribook: error: too many errors (%d), "
                        "not reporting more\n", CB_DIAG_MAX_ERRORS);
}

void cb_diag_warning(cb_diag *d, const char *place, const char *fmt, ...)
{
    d->warnings++;
    if (d->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, place, "warning", fmt, ap);
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

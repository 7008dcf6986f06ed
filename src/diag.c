/* diag.c - collects and prints diagnostics with their place. */
#include "cb_diag.h"

#include <stdarg.h>

#include <stdlib.h>

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

/* Writes s with its control characters escaped (\x1b, and C1 controls as
 * \u009b): a message quotes file names and values from the input, which
 * must not be able to start a line of their own (a forged "error:" or a CI
 * workflow command) or drive the terminal. */
static void put_safe(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            fprintf(out, "\\x%02x", *p);
        else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            fprintf(out, "\\u%04x", *++p);
        else
            fputc(*p, out);
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

void cb_diag_context(cb_diag *d, const char *line, int len, int col)
{
    if (!d->out || d->errors > CB_DIAG_MAX_ERRORS)
        return;
    fprintf(d->out, "  %.*s\n  ", len, line);
    /* the caret goes under the column's character: count characters */
    for (int i = 0, c = 0; i < len && c < col; i++) {
        if (((unsigned char)line[i] & 0xC0) == 0x80)
            continue;
        fputc(line[i] == '\t' ? '\t' : ' ', d->out);
        c++;
    }
    fputs("^\n", d->out);
}

int cb_diag_errors(const cb_diag *d)
{
    return d->errors;
}

int cb_diag_warnings(const cb_diag *d)
{
    return d->warnings;
}

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

static void emit(cb_diag *d, const char *place, const char *kind,
                 const char *fmt, va_list ap)
{
    if (!d->out)
        return;
    if (place && *place)
        fprintf(d->out, "%s: ", place);
    else
        fputs("contribook: ", d->out);
    fprintf(d->out, "%s: ", kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
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

/* csv.c - RFC 4180 records with the place of each field (see cb_csv.h). */
#include "cb_csv.h"

#include <stdlib.h>
#include <string.h>

/* The reader's position: the next byte, and its line and column. */
typedef struct {
    const char *p, *end;
    int line, col;
    cb_csv_error *err;
} cursor;

static int fail(cursor *c, const char *what, int line, int col)
{
    c->err->what = what;
    c->err->line = line;
    c->err->col = col;
    return -1;
}

/* Moves past one character, adding it to b; a line break inside a quoted
 * field (CRLF, LF or CR) starts a new line. Returns -1 on a byte that is
 * not UTF-8 or a NUL. */
static int take(cursor *c, cb_buf *b)
{
    int len;
    long cp = cb_utf8_decode(c->p, (size_t)(c->end - c->p), &len);
    if (cp <= 0)
        return fail(c, cp == 0 ? "a NUL byte: not text"
                               : "a byte that is not UTF-8: save the file "
                                 "as UTF-8",
                    c->line, c->col);
    cb_buf_add(b, c->p, (size_t)len);
    c->p += len;
    if (cp == '\n' || (cp == '\r' && (c->p == c->end || *c->p != '\n'))) {
        c->line++;
        c->col = 1;
    } else if (cp != '\r') {
        c->col++;
    }
    return 0;
}

static int is_end_of_field(const cursor *c)
{
    return c->p == c->end || *c->p == ',' || *c->p == '\n' || *c->p == '\r';
}

/* A field in double quotes, from its opening quote. */
static int quoted(cursor *c, cb_buf *b)
{
    int line = c->line, col = c->col;
    c->p++, c->col++;
    for (;;) {
        if (c->p == c->end)
            return fail(c, "a quoted field is never closed", line, col);
        if (*c->p == '"' && c->p + 1 < c->end && c->p[1] == '"') {
            cb_buf_putc(b, '"');
            c->p += 2, c->col += 2;
        } else if (*c->p == '"') {
            c->p++, c->col++;
            break;
        } else if (take(c, b) < 0) {
            return -1;
        }
    }
    if (!is_end_of_field(c))
        return fail(c, "text after the closing quote of a field (a quote "
                       "inside a quoted field is doubled: \"\")",
                    c->line, c->col);
    return 0;
}

static int unquoted(cursor *c, cb_buf *b)
{
    while (!is_end_of_field(c)) {
        if (*c->p == '"')
            return fail(c, "a double quote inside an unquoted field: quote "
                           "the whole field and double the quote (\"\")",
                        c->line, c->col);
        if (take(c, b) < 0)
            return -1;
    }
    return 0;
}

int cb_csv_read(const char *data, size_t len, cb_arena *arena,
                cb_csv_record_fn record, void *ctx, cb_csv_error *err)
{
    cursor c = {data, data + len, 1, 1, err};
    cb_buf b = {0};
    cb_csv_field *fields = NULL;
    size_t n = 0, cap = 0;
    int rc = 0, was_quoted = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c.p += 3;
    for (;;) {
        int line = c.line, col = c.col;
        b.len = 0;
        was_quoted = c.p < c.end && *c.p == '"';
        if ((was_quoted ? quoted(&c, &b) : unquoted(&c, &b)) < 0) {
            rc = -1;
            goto out;
        }
        if (n == CB_CSV_MAX_FIELDS) {
            rc = fail(&c, "more than 1024 fields in one record", line, col);
            goto out;
        }
        cb_grow(&fields, &cap, n, sizeof *fields);
        fields[n++] = (cb_csv_field){
            cb_arena_strndup(arena, b.data ? b.data : "", b.len), b.len,
            line, col};
        if (c.p < c.end && *c.p == ',') {
            c.p++, c.col++;
            continue;
        }
        /* the end of a record; a blank line is none */
        if (c.p < c.end) {
            if (*c.p == '\r')
                c.p++;
            if (c.p < c.end && *c.p == '\n')
                c.p++;
            c.line++, c.col = 1;
        }
        if ((n > 1 || fields[0].len || was_quoted) &&
            record(ctx, fields, n)) {
            rc = 1;
            goto out;
        }
        n = 0;
        if (c.p == c.end)
            break;
    }
out:
    cb_buf_free(&b);
    free(fields);
    return rc;
}

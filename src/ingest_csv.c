/* ingest_csv.c - a spreadsheet's contributions, one per row under a header
 * of the native format's field names (doc/sources.md), read as the native
 * format would read them: each row becomes a native contribution, so every
 * check and message is the native reader's, placed at the row's cell as
 * FILE:LINE:COLUMN. */
#include "cb_ingest_tree.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cb_csv.h"

/* The columns a header may name, as the native format names its fields. */
typedef enum { COL_TEXT, COL_MINUTES, COL_WORDS, COL_PERSONS } col_kind;

static const struct {
    const char *name;
    col_kind kind;
} columns[] = {
    {"id", COL_TEXT},          {"code", COL_TEXT},
    {"title", COL_TEXT},       {"type", COL_TEXT},
    {"abstract", COL_TEXT},    {"track", COL_TEXT},
    {"session", COL_TEXT},     {"start", COL_TEXT},
    {"end", COL_TEXT},         {"duration", COL_MINUTES},
    {"room", COL_TEXT},        {"board", COL_TEXT},
    {"url", COL_TEXT},         {"language", COL_TEXT},
    {"keywords", COL_WORDS},
    {"authors", COL_PERSONS},  {"coauthors", COL_PERSONS},
    {"presenters", COL_PERSONS},
};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

/* Rows past the header, each with its fields, for placing messages. */
typedef struct {
    const char *name;     /* the input, as messages name it */
    cb_arena *arena;      /* the rows' fields */
    cb_diag *diag;
    int col_of[N_COLUMNS]; /* header field of each column, or -1 */
    size_t n_header;
    int header_line;
    json_t *contribs;
    cb_csv_field **rows;
    size_t n_rows, cap_rows;
    int bad;              /* the header is unusable */
} sheet;

static const char *place(const sheet *s, int line, int col)
{
    return cb_arena_printf(s->arena, "%s:%d:%d", s->name, line, col);
}

static void read_header(sheet *s, const cb_csv_field *f, size_t n)
{
    s->n_header = n;
    s->header_line = f[0].line;
    for (size_t k = 0; k < N_COLUMNS; k++)
        s->col_of[k] = -1;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0, len = f[i].len;
        const char *t = f[i].text;
        while (len && isspace((unsigned char)*t))
            t++, len--;
        while (len && isspace((unsigned char)t[len - 1]))
            len--;
        while (k < N_COLUMNS && (strlen(columns[k].name) != len ||
                                 strncasecmp(columns[k].name, t, len)))
            k++;
        if (k == N_COLUMNS) {
            cb_diag_warning(s->diag, CB_W_UNKNOWN_FIELD,
                            place(s, f[i].line, f[i].col),
                            "unknown column, ignored (the columns are the "
                            "native format's field names)");
        } else if (s->col_of[k] >= 0) {
            cb_diag_error(s->diag, place(s, f[i].line, f[i].col),
                          "column \"%s\" is named twice", columns[k].name);
            s->bad = 1;
        } else {
            s->col_of[k] = (int)i;
        }
    }
    static const char *const required[] = {"id", "title"};
    for (size_t r = 0; r < 2; r++) {
        size_t k = 0;
        while (strcmp(columns[k].name, required[r]))
            k++;
        if (s->col_of[k] < 0) {
            cb_diag_error(s->diag, place(s, f[0].line, 1),
                          "the header has no \"%s\" column", required[r]);
            s->bad = 1;
        }
    }
}

/* "a; b ;c" as ["a", "b", "c"]. */
static json_t *split_words(const char *s)
{
    json_t *a = json_array();
    while (*s) {
        const char *semi = strchr(s, ';');
        size_t n = semi ? (size_t)(semi - s) : strlen(s);
        json_array_append_new(a, json_stringn(s, n));
        s += n + (semi != NULL);
    }
    return a;
}

/* One person: "Last, First (Affiliation)", "Given Family" or either
 * without the affiliation; the parenthesis that closes the text is the
 * affiliation (one inside a name stays in it). */
static json_t *person(const char *s, size_t n)
{
    json_t *o = json_object();
    size_t name_len = n;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n && s[n - 1] == ')') {
        size_t i = n - 1;
        int depth = 0;
        do {
            depth += s[i] == ')' ? 1 : s[i] == '(' ? -1 : 0;
        } while (depth && i-- > 0);
        if (!depth) {
            json_object_set_new(o, "affiliation",
                                json_stringn(s + i + 1, n - i - 2));
            name_len = i;
        }
    }
    json_object_set_new(o, "name", json_stringn(s, name_len));
    return o;
}

/* "Kabátová, Veronika (Charles University); Lübbe, Jan" as persons. */
static json_t *split_persons(const char *s)
{
    json_t *a = json_array();
    int depth = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth)
            depth--;
        if (*p && (*p != ';' || depth))
            continue;
        json_array_append_new(a, person(start, (size_t)(p - start)));
        if (!*p)
            break;
        start = p + 1;
    }
    return a;
}

/* A cell as its native field's JSON value; an empty cell is absent. */
static json_t *cell_value(col_kind kind, const char *t)
{
    switch (kind) {
    case COL_MINUTES: {
        size_t i = 0;
        while (t[i] >= '0' && t[i] <= '9' && i < 9)
            i++;
        if (i && !t[i]) /* a plain count of minutes, as the format has */
            return json_integer(strtol(t, NULL, 10));
        return json_string(t); /* for the native reader to refuse */
    }
    case COL_WORDS: return split_words(t);
    case COL_PERSONS: return split_persons(t);
    case COL_TEXT: break;
    }
    return json_string(t);
}

static int read_record(void *ctx, const cb_csv_field *f, size_t n)
{
    sheet *s = ctx;
    if (!s->n_header) {
        read_header(s, f, n);
        return s->bad;
    }
    if (n > s->n_header) {
        cb_diag_error(s->diag, place(s, f[s->n_header].line,
                                     f[s->n_header].col),
                      "more fields (%zu) than the header names (%zu)", n,
                      s->n_header);
        return 0;
    }
    json_t *o = json_object();
    for (size_t k = 0; k < N_COLUMNS; k++) {
        int i = s->col_of[k];
        if (i >= 0 && (size_t)i < n && f[i].len)
            json_object_set_new(o, columns[k].name,
                                cell_value(columns[k].kind, f[i].text));
    }
    json_array_append_new(s->contribs, o);
    cb_grow(&s->rows, &s->cap_rows, s->n_rows, sizeof *s->rows);
    s->rows[s->n_rows] = cb_arena_alloc(s->arena, n * sizeof *f);
    memcpy(s->rows[s->n_rows++], f, n * sizeof *f);
    return 0;
}

/* "contributions[3].authors[1]" as the cell it came from: the column's
 * field of row 3, or the row's line when the path names no column. */
static const char *place_of(void *ctx, const char *path, cb_arena *arena)
{
    const sheet *s = ctx;
    size_t row;
    char key[32] = "";
    if (sscanf(path, "contributions[%zu].%31[a-z]", &row, key) < 1 ||
        row >= s->n_rows)
        return NULL;
    const cb_csv_field *f = s->rows[row];
    for (size_t k = 0; k < N_COLUMNS; k++)
        if (strcmp(columns[k].name, key) == 0 && s->col_of[k] >= 0)
            return cb_arena_printf(arena, "%s:%d:%d", s->name,
                                   f[s->col_of[k]].line,
                                   f[s->col_of[k]].col);
    return cb_arena_printf(arena, "%s:%d", s->name, f[0].line);
}

/* The event a sheet makes alone: titled by its file name (combined with
 * another input, only its contributions are kept: see main.c). */
static const char *event_title(cb_arena *a, const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    return cb_arena_strndup(a, base, n);
}

cb_model *cb_ingest_csv(const char *data, size_t len, const char *name,
                        cb_diag *diag)
{
    cb_arena *arena = cb_arena_new();
    sheet s = {name, arena, diag, {0}, 0, 0, json_array(), NULL, 0, 0, 0};
    cb_csv_error err = {0};
    cb_model *m = NULL;
    int before = cb_diag_errors(diag);
    int rc = cb_csv_read(data, len, arena, read_record, &s, &err);
    if (rc < 0)
        cb_diag_error(diag, place(&s, err.line, err.col), "%s", err.what);
    else if (!s.n_header)
        cb_diag_error(diag, name, "empty input, expected a header row");
    if (rc == 0 && s.n_header && !s.bad && cb_diag_errors(diag) == before) {
        json_t *root = json_pack("{s:i, s:{s:s}, s:O}", "contribook", 1,
                                 "event", "title", event_title(arena, name),
                                 "contributions", s.contribs);
        m = cb_ingest_tree(root, name, CB_FORMAT_NATIVE, diag, place_of, &s);
        json_decref(root);
    }
    json_decref(s.contribs);
    free(s.rows);
    cb_arena_free(arena);
    return m;
}

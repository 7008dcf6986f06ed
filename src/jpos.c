/* jpos.c - the line and column of JSON values named by their paths.
 *
 * One pass over the text with a stack of the open objects and arrays,
 * building each value's path as ingest.c does and looking it up among
 * the wanted ones (sorted, found by binary search). The text was parsed
 * by jansson before a message asked for a place, so it is JSON; text
 * that is not is scanned as far as it goes, never past its end. */
#include "cb_jpos.h"

#include <stdlib.h>
#include <string.h>

#include "cb_util.h"

typedef struct {
    const char *s;
    size_t i, len;
    int line, col;
} cursor;

/* Moves past one byte, keeping the line and the column (in characters:
 * the first byte of a UTF-8 sequence counts). */
static void step(cursor *c)
{
    unsigned char b = (unsigned char)c->s[c->i++];
    if (b == '\n')
        c->line++, c->col = 1;
    else if ((b & 0xC0) != 0x80)
        c->col++;
}

static void skip_blank(cursor *c)
{
    while (c->i < c->len && strchr(" \t\r\n", c->s[c->i]) && c->s[c->i])
        step(c);
}

static void put_utf8(cb_buf *b, unsigned long cp)
{
    char u[4];
    int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n == 1) {
        u[0] = (char)cp;
    } else {
        for (int k = n - 1; k > 0; k--, cp >>= 6)
            u[k] = (char)(0x80 | (cp & 0x3F));
        u[0] = (char)((n == 2 ? 0xC0 : n == 3 ? 0xE0 : 0xF0) | cp);
    }
    cb_buf_add(b, u, (size_t)n);
}

static int hex4(const char *s, unsigned long *v)
{
    *v = 0;
    for (int k = 0; k < 4; k++) {
        char h = s[k];
        int d = h >= '0' && h <= '9'   ? h - '0'
                : h >= 'a' && h <= 'f' ? h - 'a' + 10
                : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        *v = *v * 16 + (unsigned long)d;
    }
    return 0;
}

/* A string at the cursor (on its opening quote): moves past it; its
 * decoded text goes to out when out is not NULL. */
static void scan_string(cursor *c, cb_buf *out)
{
    step(c);
    while (c->i < c->len && c->s[c->i] != '"') {
        if (c->s[c->i] != '\\') {
            if (out)
                cb_buf_putc(out, c->s[c->i]);
            step(c);
            continue;
        }
        step(c);
        if (c->i >= c->len)
            break;
        char e = c->s[c->i];
        unsigned long cp;
        if (e == 'u' && c->i + 5 <= c->len && hex4(c->s + c->i + 1, &cp) == 0) {
            for (int k = 0; k < 5; k++)
                step(c);
            unsigned long lo;
            if (cp >= 0xD800 && cp < 0xDC00 && c->i + 6 <= c->len &&
                c->s[c->i] == '\\' && c->s[c->i + 1] == 'u' &&
                hex4(c->s + c->i + 2, &lo) == 0 && lo >= 0xDC00 &&
                lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                for (int k = 0; k < 6; k++)
                    step(c);
            }
            if (out)
                put_utf8(out, cp);
            continue;
        }
        if (out) {
            const char *from = "bfnrt", *to = "\b\f\n\r\t";
            const char *at = strchr(from, e);
            cb_buf_putc(out, at && e ? to[at - from] : e);
        }
        step(c);
    }
    if (c->i < c->len)
        step(c);
}

/* A number or a literal: moves to the byte after it. */
static void scan_atom(cursor *c)
{
    while (c->i < c->len && !strchr(",:]} \t\r\n[{\"", c->s[c->i]) &&
           c->s[c->i])
        step(c);
}

typedef struct {
    const char *path;
    size_t index; /* into the caller's arrays */
} wanted;

static int by_path(const void *a, const void *b)
{
    return strcmp(((const wanted *)a)->path, ((const wanted *)b)->path);
}

typedef struct {
    int array;
    size_t index;    /* an array's next item */
    size_t path_len; /* the container's own path */
} level;

/* Records where the value with path p starts, for every wanted path
 * equal to it. */
static void found(const wanted *w, size_t n, const char *p, const cursor *c,
                  int *line, int *col)
{
    wanted key = {p, 0};
    const wanted *hit = bsearch(&key, w, n, sizeof *w, by_path);
    if (!hit)
        return;
    while (hit > w && !strcmp(hit[-1].path, p))
        hit--;
    for (; hit < w + n && !strcmp(hit->path, p); hit++)
        if (!line[hit->index])
            line[hit->index] = c->line, col[hit->index] = c->col;
}

void cb_jpos_locate(const char *text, size_t len, const char *const *paths,
                    size_t n, int *line, int *col)
{
    memset(line, 0, n * sizeof *line);
    memset(col, 0, n * sizeof *col);
    if (!n || !text)
        return;
    wanted *w = cb_xmalloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = (wanted){paths[i] ? paths[i] : "", i};
    qsort(w, n, sizeof *w, by_path);
    cursor c = {text, 0, len, 1, 1};
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        c.i = 3; /* not counted, as jansson is given the text after it */
    level *stack = NULL;
    size_t depth = 0, cap = 0;
    cb_buf path = {0}, key = {0};
    cb_buf_puts(&path, "");
    int want_value = 1; /* the next token is a value */
    for (;;) {
        skip_blank(&c);
        if (c.i >= c.len)
            break;
        char ch = c.s[c.i];
        if (want_value) {
            if (ch == ']' && depth && stack[depth - 1].array) {
                want_value = 0; /* an empty array */
                continue;
            }
            found(w, n, path.data, &c, line, col);
            want_value = 0;
            if (ch == '{' || ch == '[') {
                cb_grow(&stack, &cap, depth, sizeof *stack);
                stack[depth++] = (level){ch == '[', 0, path.len};
                step(&c);
                if (ch == '[') {
                    cb_buf_printf(&path, "[0]");
                    want_value = 1;
                }
                continue;
            }
            if (ch == '"')
                scan_string(&c, NULL);
            else
                scan_atom(&c);
            if (c.i < c.len && strchr(",:]}", c.s[c.i]) == NULL)
                step(&c); /* not JSON: move on regardless */
            continue;
        }
        if (!depth)
            break; /* the root value is over */
        level *top = &stack[depth - 1];
        if (ch == ',') {
            step(&c);
            path.len = top->path_len;
            path.data[path.len] = '\0';
            if (top->array) {
                cb_buf_printf(&path, "[%zu]", ++top->index);
                want_value = 1;
            }
            continue;
        }
        if (ch == '}' || ch == ']') {
            step(&c);
            path.len = top->path_len;
            path.data[path.len] = '\0';
            depth--;
            continue;
        }
        if (ch == '"' && !top->array) { /* a key, then ':' and its value */
            key.len = 0;
            scan_string(&c, &key);
            path.len = top->path_len;
            path.data[path.len] = '\0';
            if (path.len)
                cb_buf_putc(&path, '.');
            cb_buf_add(&path, key.data ? key.data : "", key.len);
            skip_blank(&c);
            if (c.i < c.len && c.s[c.i] == ':')
                step(&c);
            want_value = 1;
            continue;
        }
        if (ch == '{' && !top->array) { /* an object's first key follows */
            step(&c);
            continue;
        }
        step(&c); /* not JSON */
    }
    free(stack);
    free(w);
    cb_buf_free(&path);
    cb_buf_free(&key);
}

/* ingest_split.c - the contributions of a JSON text set aside as text
 * (see cb_ingest_split.h). One pass, byte by byte, keeping only what it
 * takes to know where an object of a "contributions" array starts and
 * ends: strings and their escapes, the open objects and arrays, and the
 * last key. jansson judges the syntax; the splitter only has to be right
 * about valid JSON, and never reads past what it was given. */
#include "cb_ingest_split.h"

#include <stdlib.h>
#include <string.h>

#include "cb_util.h"

typedef struct {
    char *text;
    size_t len;
    int line, col;
} element;

typedef struct {
    unsigned char object;     /* an object (else an array) */
    unsigned char capture;    /* an array whose objects are set aside */
    unsigned char expect_key; /* an object where a key comes next */
} level;

/* A key longer than this is not "contributions". */
#define KEY_MAX 16

struct cb_split {
    size_t (*pull)(void *ctx, char *buf, size_t size);
    void *ctx;
    int eof;
    cb_buf out;        /* text ready for jansson, from out_at */
    size_t out_at;
    level *stack;
    size_t depth, cap_stack;
    int in_str, esc;   /* in a string, after a backslash */
    int hex_left;      /* hex digits of a \uXXXX still to come */
    unsigned hex;      /* and their value so far */
    int key_str;       /* the string is an object's key */
    char key[KEY_MAX];
    size_t key_len;
    int last_key_contribs; /* the last key was "contributions" */
    int after_key;     /* a ':' after that key: its value comes next */
    int line, col;     /* of the next byte, as jansson counts */
    /* an element being set aside */
    int capturing, cap_in_str, cap_esc;
    size_t cap_depth;
    cb_buf cap;
    int cap_line, cap_col;
    element *el;
    size_t n_el, cap_el;
};

cb_split *cb_split_new(size_t (*pull)(void *ctx, char *buf, size_t size),
                       void *ctx)
{
    cb_split *s = cb_xcalloc(1, sizeof *s);
    s->pull = pull;
    s->ctx = ctx;
    s->line = s->col = 1;
    return s;
}

void cb_split_free(cb_split *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_el; i++)
        free(s->el[i].text);
    free(s->el);
    free(s->stack);
    cb_buf_free(&s->out);
    cb_buf_free(&s->cap);
    free(s);
}

/* The element being set aside is whole: kept, and its placeholder goes
 * to jansson in its place. */
static void end_capture(cb_split *s)
{
    cb_grow(&s->el, &s->cap_el, s->n_el, sizeof *s->el);
    element *e = &s->el[s->n_el];
    e->text = cb_xmalloc(s->cap.len ? s->cap.len : 1);
    memcpy(e->text, s->cap.data, s->cap.len);
    e->len = s->cap.len;
    e->line = s->cap_line;
    e->col = s->cap_col;
    cb_buf_printf(&s->out, "{\"#\":%zu}", s->n_el++);
    s->cap.len = 0;
    s->capturing = 0;
}

static void capture_byte(cb_split *s, char c)
{
    cb_buf_putc(&s->cap, c);
    if (s->cap_in_str) {
        if (s->cap_esc)
            s->cap_esc = 0;
        else if (c == '\\')
            s->cap_esc = 1;
        else if (c == '"')
            s->cap_in_str = 0;
    } else if (c == '"') {
        s->cap_in_str = 1;
    } else if (c == '{' || c == '[') {
        s->cap_depth++;
    } else if ((c == '}' || c == ']') && --s->cap_depth == 0) {
        end_capture(s);
    }
}

/* Adds a character to the key being read, as jansson decodes it: only
 * ASCII can make "contributions"; anything else spoils the match. */
static void key_char(cb_split *s, unsigned c)
{
    if (!s->key_str || s->key_len >= KEY_MAX)
        return;
    if (c >= 0x80)
        s->key_len = KEY_MAX;
    else
        s->key[s->key_len++] = (char)c;
}

static void string_byte(cb_split *s, char c)
{
    cb_buf_putc(&s->out, c);
    if (s->hex_left) {
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : 0;
        s->hex = s->hex * 16 + (unsigned)d;
        if (--s->hex_left == 0)
            key_char(s, s->hex);
    } else if (s->esc) {
        s->esc = 0;
        if (c == 'u') {
            s->hex_left = 4;
            s->hex = 0;
        } else {
            const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
            const char *at = strchr(from, c);
            key_char(s, at && c ? (unsigned char)to[at - from] : 0x80);
        }
    } else if (c == '\\') {
        s->esc = 1;
    } else if (c == '"') {
        s->in_str = 0;
        if (s->key_str)
            s->last_key_contribs = s->key_len == 13 &&
                                   !memcmp(s->key, "contributions", 13);
    } else {
        key_char(s, (unsigned char)c);
    }
}

static void push(cb_split *s, int object, int capture)
{
    cb_grow(&s->stack, &s->cap_stack, s->depth, sizeof *s->stack);
    s->stack[s->depth++] = (level){(unsigned char)object,
                                   (unsigned char)capture,
                                   (unsigned char)object};
}

static void byte(cb_split *s, char c)
{
    if (s->capturing) {
        capture_byte(s, c);
        return;
    }
    if (s->in_str) {
        string_byte(s, c);
        return;
    }
    level *top = s->depth ? &s->stack[s->depth - 1] : NULL;
    if (c == '{' && top && top->capture) { /* a contribution */
        s->capturing = 1;
        s->cap_depth = 0;
        s->cap_in_str = s->cap_esc = 0;
        s->cap_line = s->line;
        s->cap_col = s->col;
        capture_byte(s, c);
        return;
    }
    cb_buf_putc(&s->out, c);
    switch (c) {
    case '"':
        s->in_str = 1;
        s->key_str = top && top->object && top->expect_key;
        s->key_len = 0;
        if (s->key_str)
            top->expect_key = 0;
        s->after_key = 0;
        break;
    case ':':
        s->after_key = s->last_key_contribs;
        s->last_key_contribs = 0;
        break;
    case '{':
    case '[':
        push(s, c == '{', c == '[' && s->after_key);
        s->after_key = 0;
        break;
    case '}':
    case ']':
        if (s->depth)
            s->depth--;
        s->after_key = 0;
        break;
    case ',':
        if (top && top->object)
            top->expect_key = 1;
        s->after_key = 0;
        break;
    case ' ':
    case '\t':
    case '\r':
    case '\n':
        break;
    default: /* a number or a literal */
        s->after_key = 0;
    }
}

size_t cb_split_feed(void *buf, size_t size, void *split)
{
    cb_split *s = split;
    char raw[65536];
    while (s->out.len - s->out_at < size && !s->eof) {
        if (s->out_at && s->out_at == s->out.len)
            s->out.len = s->out_at = 0;
        size_t n = s->pull(s->ctx, raw, sizeof raw);
        if (!n)
            s->eof = 1;
        for (size_t i = 0; i < n; i++) {
            if (s->capturing && s->cap_in_str && !s->cap_esc) {
                /* inside a string of a contribution (most of the bytes):
                 * set aside in one go, up to what ends it, escapes in it
                 * or ends a line */
                size_t j = i;
                while (j < n && raw[j] != '"' && raw[j] != '\\' &&
                       raw[j] != '\n') {
                    s->col += ((unsigned char)raw[j] & 0xC0) != 0x80;
                    j++;
                }
                cb_buf_add(&s->cap, raw + i, j - i);
                if ((i = j) == n)
                    break;
            }
            byte(s, raw[i]);
            if (raw[i] == '\n')
                s->line++, s->col = 1;
            else if (((unsigned char)raw[i] & 0xC0) != 0x80)
                s->col++;
        }
    }
    size_t n = s->out.len - s->out_at < size ? s->out.len - s->out_at : size;
    if (!n)
        return 0;
    memcpy(buf, s->out.data + s->out_at, n);
    s->out_at += n;
    if (s->out_at == s->out.len)
        s->out.len = s->out_at = 0;
    return n;
}

int cb_split_complete(const cb_split *s)
{
    return s->eof && !s->capturing;
}

const char *cb_split_element(const cb_split *s, size_t n, size_t *len,
                             int *line, int *col)
{
    if (n >= s->n_el || !s->el[n].text)
        return NULL;
    *len = s->el[n].len;
    *line = s->el[n].line;
    *col = s->el[n].col;
    return s->el[n].text;
}

void cb_split_release(cb_split *s, size_t n)
{
    if (n < s->n_el) {
        free(s->el[n].text);
        s->el[n].text = NULL;
    }
}

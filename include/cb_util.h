/* cb_util.h - memory, arenas and growable buffers shared by every module.
 *
 * Ownership rule: functions named *_new return objects the caller frees with
 * the matching *_free; arena allocations are released only by cb_arena_free.
 * Out of memory aborts the program through cb_xmalloc (a batch tool has
 * nothing better to do, and it removes an error path from every caller). */
#ifndef CB_UTIL_H
#define CB_UTIL_H

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

void *cb_xmalloc(size_t n);
void *cb_xcalloc(size_t count, size_t size);
void *cb_xrealloc(void *p, size_t n);
char *cb_xstrdup(const char *s);

/* Grows *items (of *cap elements of elem_size bytes) so that index n fits.
 * Inline: the text and line-breaking loops call it once per item they
 * append, and it almost never grows. */
void cb_grow_to(void *items_ptr, size_t *cap, size_t n, size_t elem_size);
static inline void cb_grow(void *items_ptr, size_t *cap, size_t n,
                           size_t elem_size)
{
    if (n >= *cap)
        cb_grow_to(items_ptr, cap, n, elem_size);
}
/* The first of the n elements of `size` bytes at base (sorted as cmp
 * orders them) that is not below key, cmp(key, element) <= 0; n if none:
 * bsearch's arguments, but the first of equal elements, not any. */
size_t cb_lower_bound(const void *base, size_t n, size_t size,
                      const void *key,
                      int (*cmp)(const void *key, const void *element));

/* Starts fn(arg) on a thread of its own with every signal blocked in it,
 * so that a signal (^C, a scheduler's TERM) is handled by the main thread,
 * which removes the temporary files. Returns pthread_create's result. */
int cb_thread_start(pthread_t *id, void *(*fn)(void *), void *arg);

/* Puts the heap in huge pages where the kernel gives them (heap.c);
 * called first thing, before any thread. Returns whether it could. */
int cb_heap_prepare(void);

/* An arena owns every small object of one document; one free releases all. */
typedef struct cb_arena cb_arena;

cb_arena *cb_arena_new(void);
void cb_arena_free(cb_arena *arena);
/* Takes everything other owns (filled on another thread, say), and other
 * itself: what it gave lives as long as arena. */
void cb_arena_adopt(cb_arena *arena, cb_arena *other);
/* Returns zeroed memory aligned for any type, owned by the arena. */
void *cb_arena_alloc(cb_arena *arena, size_t n);
char *cb_arena_strdup(cb_arena *arena, const char *s);
char *cb_arena_strndup(cb_arena *arena, const char *s, size_t n);
char *cb_arena_printf(cb_arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A growable byte buffer, always NUL-terminated; data is owned by the buffer. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} cb_buf;

/* Makes room for `extra` more bytes (and the NUL after them). Inline, as
 * the appends below: the PDF writer makes millions of small ones. */
void cb_buf_grow(cb_buf *b, size_t extra);
static inline void cb_buf_reserve(cb_buf *b, size_t extra)
{
    if (b->len + extra + 1 > b->cap)
        cb_buf_grow(b, extra);
}
static inline void cb_buf_add(cb_buf *b, const char *s, size_t n)
{
    cb_buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}
static inline void cb_buf_puts(cb_buf *b, const char *s)
{
    cb_buf_add(b, s, strlen(s));
}
static inline void cb_buf_putc(cb_buf *b, char c)
{
    cb_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
void cb_buf_printf(cb_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cb_buf_vprintf(cb_buf *b, const char *fmt, va_list ap);
/* Appends v in decimal: what the PDF writer prints most (object numbers),
 * without a format string. */
void cb_buf_uint(cb_buf *b, unsigned long long v);
/* Appends a decimal number with `decimals` digits after the point, always
 * with '.', whatever the locale (a PDF must never say 1,5 for 1.5);
 * trailing zeros are dropped. */
void cb_buf_num(cb_buf *b, double v, int decimals);
/* round(v), halves away from zero, without a call into libm: what the PDF
 * writer does for every number and glyph it writes. */
static inline double cb_round(double v)
{
    if (!(v < 4503599627370496.0 && v > -4503599627370496.0))
        return v; /* 2^52 and past: whole already (or not a number) */
    double t = (double)(long long)v; /* toward zero, exactly */
    double f = v - t;                /* exact too (Sterbenz) */
    return f >= 0.5 ? t + 1 : f <= -0.5 ? t - 1 : t;
}
void cb_buf_free(cb_buf *b);
/* Appends s in double quotes for a message: at most max bytes of it (cut
 * at a character, then "..."), control characters, quotes and backslashes
 * escaped (\t, \x01), so that a hostile value cannot forge a line. */
void cb_buf_quote(cb_buf *b, const char *s, size_t max);

/* Days since 1970-01-01 of a date of the proleptic Gregorian calendar (H.
 * Hinnant's days_from_civil, "chrono-Compatible Low-Level Date
 * Algorithms"): weekdays, and spans across months and years. */
long cb_days_from_civil(long y, int m, int d);

/* Reads a whole regular file of at most max bytes into out (which the
 * caller frees, even on failure). A device, FIFO or socket is refused
 * without waiting on it, so that a path from a layout cannot hang or flood
 * the run. Returns 0; -1 with errno set; CB_READ_NOT_FILE; or
 * CB_READ_TOO_BIG. cb_read_error says which in words. */
enum { CB_READ_NOT_FILE = -2, CB_READ_TOO_BIG = -3 };
int cb_read_file(const char *path, size_t max, cb_buf *out);
const char *cb_read_error(int rc);

/* The folders where contribook's data of one kind ("layouts", "fonts") is
 * looked for, in this order: the folder the environment variable `env`
 * names; KIND beside the program's folder (build/ in a checkout);
 * share/contribook/KIND beside it (an installation, wherever its prefix);
 * KIND in the compiled-in data folder (CB_DATADIR). Returns the count. */
#define CB_DATA_DIRS 4
int cb_data_dirs(const char *kind, const char *env,
                 char dirs[CB_DATA_DIRS][PATH_MAX]);

/* Whether the n bytes at s are valid UTF-8. */
int cb_utf8_valid(const char *s, size_t n);
/* The longest length at most n that ends s at a character boundary: where
 * a text is cut, it never splits a character. */
size_t cb_utf8_cut(const char *s, size_t n);

/* UTF-8: decodes one code point at s (at most n bytes), storing its length
 * in *len; returns -1 (and *len 1) for an invalid sequence. */
long cb_utf8_decode(const char *s, size_t n, int *len);
/* Encodes cp into out (at least 4 bytes); returns the byte count. */
int cb_utf8_encode(unsigned long cp, char *out);
/* Whether cp is a bidi mark, embedding or isolate (U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069): it steers layout and has no glyph. */
int cb_is_bidi_control(long cp);
/* Number of code points in the first n bytes of valid UTF-8 s. */
size_t cb_utf8_length(const char *s, size_t n);

#endif

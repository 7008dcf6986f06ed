/* util.c - memory, arenas, buffers, files and UTF-8 helpers. */
#define _GNU_SOURCE /* a thread's processors: see cb_thread_start */
#include "cb_util.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

static void out_of_memory(void)
{
    fputs("contribook: out of memory\n", stderr);
    abort();
}

void *cb_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *cb_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *cb_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *cb_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(cb_xmalloc(n), s, n);
}

void cb_grow_to(void *items_ptr, size_t *cap, size_t n, size_t elem_size)
{
    void **items = items_ptr;
    if (n < *cap)
        return;
    size_t c = *cap ? *cap : 8;
    while (c <= n)
        c *= 2;
    *items = cb_xrealloc(*items, c * elem_size);
    *cap = c;
}

size_t cb_lower_bound(const void *base, size_t n, size_t size,
                      const void *key,
                      int (*cmp)(const void *key, const void *element))
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp(key, (const char *)base + mid * size) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Arena: a chain of blocks; big requests get a block of their own. */
#define ARENA_BLOCK 65536

typedef struct arena_block {
    struct arena_block *next;
    size_t used, size;
    max_align_t data[];
} arena_block;

struct cb_arena {
    arena_block *head;
};

/* A thread as it starts: on a processor other than its starter's, then
 * free to go to any (see cb_thread_start). */
typedef struct {
    void *(*fn)(void *);
    void *arg;
    int widen;
    cpu_set_t all;
} thread_start;

static void *thread_begin(void *p)
{
    thread_start st = *(thread_start *)p;
    free(p);
    if (st.widen)
        sched_setaffinity(0, sizeof st.all, &st.all);
    return st.fn(st.arg);
}

int cb_thread_start(pthread_t *id, void *(*fn)(void *), void *arg)
{
    thread_start *st = cb_xcalloc(1, sizeof *st);
    st->fn = fn;
    st->arg = arg;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    /* Linux starts a thread on its starter's processor and, on the
     * virtual machines measured, left it there, taking turns with the
     * starter in 4 ms slices, while the other processor idled for up to
     * 30 ms (perf sched timehist): the thread starts on another of the
     * processors the process may use, and may go anywhere once running,
     * so that nothing stays pinned (a batch of runs shares the machine) */
    int cpu = sched_getcpu();
    if (cpu >= 0 && sched_getaffinity(0, sizeof st->all, &st->all) == 0 &&
        CPU_ISSET(cpu, &st->all) && CPU_COUNT(&st->all) > 1) {
        cpu_set_t other = st->all;
        CPU_CLR(cpu, &other);
        st->widen = pthread_attr_setaffinity_np(&attr, sizeof other,
                                                &other) == 0;
    }
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(id, &attr, thread_begin, st);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (rc != 0)
        free(st);
    return rc;
}

cb_arena *cb_arena_new(void)
{
    return cb_xcalloc(1, sizeof(cb_arena));
}

void cb_arena_free(cb_arena *arena)
{
    if (!arena)
        return;
    for (arena_block *b = arena->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(arena);
}

void cb_arena_adopt(cb_arena *arena, cb_arena *other)
{
    arena_block *last = other->head;
    if (last) {
        while (last->next)
            last = last->next;
        /* after the block being filled, which goes on being filled */
        if (arena->head) {
            last->next = arena->head->next;
            arena->head->next = other->head;
        } else {
            arena->head = other->head;
        }
    }
    free(other);
}

void *cb_arena_alloc(cb_arena *arena, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    arena_block *b = arena->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
        b = cb_xmalloc(sizeof(arena_block) + size);
        b->size = size;
        b->used = 0;
        if (size == n && arena->head) {
            /* keep filling the current block after a big one */
            b->next = arena->head->next;
            arena->head->next = b;
        } else {
            b->next = arena->head;
            arena->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return memset(p, 0, n);
}

char *cb_arena_strndup(cb_arena *arena, const char *s, size_t n)
{
    char *p = cb_arena_alloc(arena, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *cb_arena_strdup(cb_arena *arena, const char *s)
{
    return s ? cb_arena_strndup(arena, s, strlen(s)) : NULL;
}

char *cb_arena_printf(cb_arena *arena, const char *fmt, ...)
{
    cb_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    cb_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *s = cb_arena_strndup(arena, b.data, b.len);
    cb_buf_free(&b);
    return s;
}

void cb_buf_grow(cb_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t c = b->cap ? b->cap : 64;
    while (c < b->len + extra + 1)
        c *= 2;
    b->data = cb_xrealloc(b->data, c);
    b->cap = c;
}

void cb_buf_vprintf(cb_buf *b, const char *fmt, va_list ap)
{
    /* formatted once into the room the buffer has; a second time only when
     * it did not fit */
    cb_buf_reserve(b, 64);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        cb_buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
}

void cb_buf_printf(cb_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cb_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void cb_buf_uint(cb_buf *b, unsigned long long v)
{
    char tmp[24];
    size_t len = sizeof tmp;
    do {
        tmp[--len] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    cb_buf_add(b, tmp + len, sizeof tmp - len);
}

void cb_buf_num(cb_buf *b, double v, int decimals)
{
    /* integer arithmetic only, so the locale's decimal comma never leaks */
    int64_t scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    double r = cb_round(v * (double)scale);
    int64_t n = !(r == r) ? 0 /* not a number */
                : r >= 9e18 ? INT64_C(9000000000000000000)
                : r <= -9e18 ? -INT64_C(9000000000000000000)
                             : (int64_t)r;
    char tmp[48];
    int len = 0;
    if (n < 0) {
        cb_buf_putc(b, '-');
        n = -n;
    }
    int64_t whole = n / scale, frac = n % scale;
    len = sizeof tmp;
    do {
        tmp[--len] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    cb_buf_add(b, tmp + len, sizeof tmp - (size_t)len);
    if (frac == 0)
        return;
    char digits[24] = {0};
    for (int i = decimals - 1; i >= 0; i--) {
        digits[i] = (char)('0' + frac % 10);
        frac /= 10;
    }
    int last = decimals;
    while (last > 0 && digits[last - 1] == '0')
        last--;
    cb_buf_putc(b, '.');
    cb_buf_add(b, digits, (size_t)last);
}

long cb_days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

size_t cb_utf8_cut(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

void cb_buf_quote(cb_buf *b, const char *s, size_t max)
{
    size_t n = strlen(s), cut = n > max ? cb_utf8_cut(s, max) : n;
    cb_buf_putc(b, '"');
    for (size_t i = 0; i < cut; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            cb_buf_printf(b, "\\%c", c);
        else if (c == '\t')
            cb_buf_puts(b, "\\t");
        else if (c == '\n')
            cb_buf_puts(b, "\\n");
        else if (c < 0x20 || c == 0x7F)
            cb_buf_printf(b, "\\x%02x", c);
        else
            cb_buf_putc(b, (char)c);
    }
    cb_buf_puts(b, cut < n ? "...\"" : "\"");
}

void cb_buf_free(cb_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

long cb_utf8_decode(const char *str, size_t n, int *len)
{
    const unsigned char *s = (const unsigned char *)str;
    *len = 1;
    if (n == 0)
        return -1;
    if (s[0] < 0x80)
        return s[0];
    int need;
    long cp, min;
    if ((s[0] & 0xE0) == 0xC0) {
        need = 1, cp = s[0] & 0x1F, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        need = 2, cp = s[0] & 0x0F, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        need = 3, cp = s[0] & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if ((size_t)need >= n)
        return -1;
    for (int i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = need + 1;
    return cp;
}

int cb_utf8_encode(unsigned long cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

int cb_is_bidi_control(long cp)
{
    return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

size_t cb_utf8_length(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

int cb_read_file(const char *path, size_t max, cb_buf *out)
{
    /* O_NONBLOCK: opening a FIFO with no writer must not wait forever */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return S_ISDIR(st.st_mode) ? (errno = EISDIR, -1) : CB_READ_NOT_FILE;
    }
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        return CB_READ_TOO_BIG;
    }
    char chunk[8192];
    ssize_t n;
    int rc = 0;
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = -1;
            break;
        }
        if (out->len + (size_t)n > max) { /* it grew while we read */
            rc = CB_READ_TOO_BIG;
            break;
        }
        cb_buf_add(out, chunk, (size_t)n);
    }
    int saved = errno;
    close(fd);
    if (!out->data)
        cb_buf_add(out, "", 0);
    errno = saved;
    return rc;
}

const char *cb_read_error(int rc)
{
    if (rc == CB_READ_NOT_FILE)
        return "not a regular file (a device, FIFO or socket)";
    if (rc == CB_READ_TOO_BIG)
        return "too large";
    return strerror(errno);
}

int cb_data_dirs(const char *kind, const char *env,
                 char dirs[CB_DATA_DIRS][PATH_MAX])
{
    int n = 0;
    const char *e = getenv(env);
    if (e && *e)
        snprintf(dirs[n++], PATH_MAX, "%s", e);
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[len > 0 ? len : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
        *slash = '\0';
        snprintf(dirs[n++], PATH_MAX, "%.*s/../%s", PATH_MAX - 64, exe, kind);
        snprintf(dirs[n++], PATH_MAX, "%.*s/../share/contribook/%s",
                 PATH_MAX - 64, exe, kind);
    }
    snprintf(dirs[n++], PATH_MAX, "%s/%s", CB_DATADIR, kind);
    return n;
}

int cb_utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        int len;
        if (cb_utf8_decode(s + i, n - i, &len) < 0)
            return 0;
        i += (size_t)len;
    }
    return 1;
}

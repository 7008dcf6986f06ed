/* unicode.c - case mapping and normalization through utf8proc. */
#include "cb_unicode.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>
#include <utf8proc.h>

char *cb_unicode_upper(cb_arena *arena, const char *s)
{
    cb_buf b = {0};
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int len;
        long cp = cb_utf8_decode(s + i, n - i, &len);
        char out[4];
        /* ß has no one-character capital in Unicode's simple mapping
         * (utf8proc answers ẞ, Python "SS"): keep it, as searches expect */
        if (cp == 0xDF)
            cp = -1;
        if (cp < 0)
            cb_buf_add(&b, s + i, (size_t)len);
        else
            cb_buf_add(&b, out,
                       (size_t)cb_utf8_encode(
                           (unsigned long)utf8proc_toupper((utf8proc_int32_t)cp),
                           out));
        i += (size_t)len;
    }
    char *r = cb_arena_strndup(arena, b.data ? b.data : "", b.len);
    cb_buf_free(&b);
    return r;
}

void cb_unicode_stream_safe(cb_buf *out, const char *s, size_t n)
{
    size_t from = 0;
    int run = 0;
    for (size_t i = 0; i < n;) {
        if ((unsigned char)s[i] < 0xCC) { /* below U+0300: a starter */
            run = 0;
            i++;
            continue;
        }
        int len;
        long cp = cb_utf8_decode(s + i, n - i, &len);
        int mark = cp >= 0 &&
                   utf8proc_get_property((utf8proc_int32_t)cp)
                           ->combining_class != 0;
        if (mark && run == CB_MAX_NONSTARTERS) {
            cb_buf_add(out, s + from, i - from);
            cb_buf_puts(out, "\xCD\x8F"); /* U+034F */
            from = i;
            run = 0;
        }
        run = mark ? run + 1 : 0;
        i += (size_t)len;
    }
    cb_buf_add(out, s + from, n - from);
}

size_t cb_unicode_one_line(char *s, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)s + i;
        size_t len = u[0] < 0x20 ? 1
                     : i + 1 < n && u[0] == 0xC2 && u[1] == 0x85 ? 2
                     : i + 2 < n && u[0] == 0xE2 && u[1] == 0x80 &&
                             (u[2] == 0xA8 || u[2] == 0xA9)
                         ? 3
                         : 0;
        if (len) {
            s[j++] = ' ';
            i += len;
        } else {
            s[j++] = s[i++];
        }
    }
    return j;
}

char *cb_unicode_nfc(cb_arena *arena, const char *s)
{
    utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)s);
    if (!nfc)
        return cb_arena_strdup(arena, s);
    char *r = cb_arena_strdup(arena, (const char *)nfc);
    free(nfc);
    return r;
}

struct cb_collator {
    UCollator *coll;
};

cb_collator *cb_collator_new(void)
{
    cb_collator *c = cb_xcalloc(1, sizeof *c);
    UErrorCode err = U_ZERO_ERROR;
    c->coll = ucol_open("", &err);
    if (U_FAILURE(err))
        c->coll = NULL; /* keys fall back to the text itself */
    return c;
}

void cb_collator_free(cb_collator *c)
{
    if (!c)
        return;
    if (c->coll)
        ucol_close(c->coll);
    free(c);
}

char *cb_collator_key(cb_collator *c, cb_arena *arena, const char *s)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, -1, &err);
    if (!c->coll || (U_FAILURE(err) && err != U_BUFFER_OVERFLOW_ERROR))
        return cb_arena_strdup(arena, s);
    UChar *u = cb_xmalloc(((size_t)n16 + 1) * sizeof *u);
    err = U_ZERO_ERROR;
    u_strFromUTF8(u, n16 + 1, NULL, s, -1, &err);
    /* a sort key is a NUL-terminated byte string without inner NULs */
    int32_t len = ucol_getSortKey(c->coll, u, n16, NULL, 0);
    char *key = cb_arena_alloc(arena, (size_t)len + 1);
    ucol_getSortKey(c->coll, u, n16, (uint8_t *)key, len + 1);
    free(u);
    return key;
}

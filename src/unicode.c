/* unicode.c - case mapping and normalization through utf8proc. */
#include "cb_unicode.h"

#include <stdlib.h>
#include <string.h>
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

char *cb_unicode_nfc(cb_arena *arena, const char *s)
{
    utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)s);
    if (!nfc)
        return cb_arena_strdup(arena, s);
    char *r = cb_arena_strdup(arena, (const char *)nfc);
    free(nfc);
    return r;
}

char *cb_unicode_sort_key(cb_arena *arena, const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map(
        (const utf8proc_uint8_t *)s, 0, &out,
        UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT |
            UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
    if (n < 0)
        return cb_arena_strdup(arena, s);
    char *r = cb_arena_strdup(arena, (const char *)out);
    free(out);
    return r;
}

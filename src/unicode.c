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
        if (cp < 0) {
            cb_buf_add(&b, s + i, (size_t)len);
        } else {
            size_t bytes = (size_t)cb_utf8_encode(
                (unsigned long)utf8proc_toupper((utf8proc_int32_t)cp), out);
            cb_buf_add(&b, out, bytes);
        }
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
    /* most text has none: up to the first, nothing moves */
    for (unsigned char c; j < n && (c = (unsigned char)s[j]) >= 0x20 &&
                          c != 0xC2 && c != 0xE2;)
        j++;
    for (size_t i = j; i < n;) {
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

/* Adobe's Symbol encoding, 0x20 to 0xFF, as Unicode; 0 where it defines
 * nothing (0x7F-0x9F, 0xF0 and 0xFF stay private use). The parenthesis
 * and bracket pieces map to the pieces of U+239B-U+23AD. */
static const unsigned short symbol_font[224] = {
    0x0020, 0x0021, 0x2200, 0x0023, 0x2203, 0x0025, 0x0026, 0x220B,  /* 20 */
    0x0028, 0x0029, 0x2217, 0x002B, 0x002C, 0x2212, 0x002E, 0x002F,  /* 28 */
    0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,  /* 30 */
    0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,  /* 38 */
    0x2245, 0x0391, 0x0392, 0x03A7, 0x0394, 0x0395, 0x03A6, 0x0393,  /* 40 */
    0x0397, 0x0399, 0x03D1, 0x039A, 0x039B, 0x039C, 0x039D, 0x039F,  /* 48 */
    0x03A0, 0x0398, 0x03A1, 0x03A3, 0x03A4, 0x03A5, 0x03C2, 0x03A9,  /* 50 */
    0x039E, 0x03A8, 0x0396, 0x005B, 0x2234, 0x005D, 0x22A5, 0x005F,  /* 58 */
    0x203E, 0x03B1, 0x03B2, 0x03C7, 0x03B4, 0x03B5, 0x03C6, 0x03B3,  /* 60 */
    0x03B7, 0x03B9, 0x03D5, 0x03BA, 0x03BB, 0x03BC, 0x03BD, 0x03BF,  /* 68 */
    0x03C0, 0x03B8, 0x03C1, 0x03C3, 0x03C4, 0x03C5, 0x03D6, 0x03C9,  /* 70 */
    0x03BE, 0x03C8, 0x03B6, 0x007B, 0x007C, 0x007D, 0x223C, 0x0000,  /* 78 */
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,  /* 80 */
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,  /* 88 */
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,  /* 90 */
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,  /* 98 */
    0x20AC, 0x03D2, 0x2032, 0x2264, 0x2044, 0x221E, 0x0192, 0x2663,  /* A0 */
    0x2666, 0x2665, 0x2660, 0x2194, 0x2190, 0x2191, 0x2192, 0x2193,  /* A8 */
    0x00B0, 0x00B1, 0x2033, 0x2265, 0x00D7, 0x221D, 0x2202, 0x2022,  /* B0 */
    0x00F7, 0x2260, 0x2261, 0x2248, 0x2026, 0x23D0, 0x23AF, 0x21B5,  /* B8 */
    0x2135, 0x2111, 0x211C, 0x2118, 0x2297, 0x2295, 0x2205, 0x2229,  /* C0 */
    0x222A, 0x2283, 0x2287, 0x2284, 0x2282, 0x2286, 0x2208, 0x2209,  /* C8 */
    0x2220, 0x2207, 0x00AE, 0x00A9, 0x2122, 0x220F, 0x221A, 0x22C5,  /* D0 */
    0x00AC, 0x2227, 0x2228, 0x21D4, 0x21D0, 0x21D1, 0x21D2, 0x21D3,  /* D8 */
    0x25CA, 0x2329, 0x00AE, 0x00A9, 0x2122, 0x2211, 0x239B, 0x239C,  /* E0 */
    0x239D, 0x23A1, 0x23A2, 0x23A3, 0x23A7, 0x23A8, 0x23A9, 0x23AA,  /* E8 */
    0x0000, 0x232A, 0x222B, 0x2320, 0x23AE, 0x2321, 0x239E, 0x239F,  /* F0 */
    0x23A0, 0x23A4, 0x23A5, 0x23A6, 0x23AB, 0x23AC, 0x23AD, 0x0000,  /* F8 */
};

const char *cb_unicode_symbol_font(cb_arena *arena, const char *s, size_t *n)
{
    /* U+F020..U+F0FF is EF 80 A0 .. EF 83 BF */
    const char *p = s, *end = s + *n;
    for (; p + 2 < end; p++)
        if ((unsigned char)p[0] == 0xEF && ((unsigned char)p[1] & 0xFC) == 0x80)
            break;
    if (p + 2 >= end)
        return s;
    cb_buf out = {0};
    cb_buf_add(&out, s, (size_t)(p - s));
    while (p < end) {
        int len;
        long cp = cb_utf8_decode(p, (size_t)(end - p), &len);
        unsigned mapped = cp >= 0xF020 && cp <= 0xF0FF
                              ? symbol_font[cp - 0xF020]
                              : 0;
        if (mapped) {
            char enc[4];
            size_t bytes = (size_t)cb_utf8_encode(mapped, enc);
            cb_buf_add(&out, enc, bytes);
        } else {
            cb_buf_add(&out, p, (size_t)len);
        }
        p += len;
    }
    const char *r = cb_arena_strndup(arena, out.data ? out.data : "", out.len);
    *n = out.len;
    cb_buf_free(&out);
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

void cb_collator_ignore_case(cb_collator *c)
{
    if (c->coll)
        ucol_setStrength(c->coll, UCOL_SECONDARY);
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

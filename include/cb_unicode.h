/* cb_unicode.h - Unicode case mapping and normalization through utf8proc
 * (the only module that includes it). Results live in the given arena. */
#ifndef CB_UNICODE_H
#define CB_UNICODE_H

#include "cb_util.h"

/* Upper-cases valid UTF-8 (simple per-character mapping, the rule Indico
 * applies to surnames): "Kabátová" -> "KABÁTOVÁ", "Shvyd'ko" -> "SHVYD'KO";
 * scripts without case are unchanged, and so is ß, which has no
 * single-character capital in Unicode's simple mapping. */
char *cb_unicode_upper(cb_arena *arena, const char *s);

/* A collator sorts text the way readers expect an alphabetical list: by
 * the Unicode Collation Algorithm (ICU's root collation), so "Ólafsdóttir"
 * sorts between "Kabátová" and "Ozawa", case and accents count only to
 * break ties, and Greek, Cyrillic or Han names sort within their scripts.
 * The caller owns it. */
typedef struct cb_collator cb_collator;

cb_collator *cb_collator_new(void);
/* Keys that differ only in case become equal ("geloni" and "Geloni"):
 * accents still count. */
void cb_collator_ignore_case(cb_collator *c);
void cb_collator_free(cb_collator *c);
/* A key for s: keys compare with strcmp as their texts collate. The key
 * lives in the arena. */
char *cb_collator_key(cb_collator *c, cb_arena *arena, const char *s);

/* A run of combining marks is at most this long (Unicode's Stream-Safe
 * Text Format, UAX #15): HarfBuzz positions a run of marks in time that
 * grows with its square, and 300,000 accents on one letter took minutes. */
#define CB_MAX_NONSTARTERS 30

/* Appends the n bytes of valid UTF-8 at s to out in the Stream-Safe Text
 * Format: after every CB_MAX_NONSTARTERS combining marks in a row, a
 * COMBINING GRAPHEME JOINER (U+034F, invisible) starts a new run. Text
 * that needs none (all real text) is copied unchanged. */
void cb_unicode_stream_safe(cb_buf *out, const char *s, size_t n);

/* Replaces in place what ends a line in the n bytes of valid UTF-8 at s
 * with one space each: C0 controls (tab, line feed, form feed...), NEL
 * (U+0085), LINE SEPARATOR and PARAGRAPH SEPARATOR (U+2028, U+2029). A
 * title is set as one paragraph, a running head or a bookmark as one
 * line. Returns the new length (never more than n). */
size_t cb_unicode_one_line(char *s, size_t n);

/* Word processors write the Symbol font's characters as the private-use
 * code points U+F020-U+F0FF (U+F06D for the Symbol "m", a mu): each one
 * that Adobe's Symbol encoding defines becomes the Unicode character it
 * draws (U+03BC), so that every font sets it and every reader extracts
 * it. Returns s itself when it holds none, else a copy in the arena; *n
 * is its length in and out. */
const char *cb_unicode_symbol_font(cb_arena *arena, const char *s, size_t *n);

/* Composes valid UTF-8 to Unicode Normalization Form C. */
char *cb_unicode_nfc(cb_arena *arena, const char *s);

#endif

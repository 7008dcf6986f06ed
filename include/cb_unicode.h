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

/* A key that sorts text the way readers expect in an alphabetical list:
 * compatibility-decomposed, accents stripped, case folded ("Ólafsdóttir"
 * sorts as "olafsdottir", between "Kabátová" and "van der Berg"). Not a
 * full Unicode collation: scripts keep their code point order. */
char *cb_unicode_sort_key(cb_arena *arena, const char *s);

/* Composes valid UTF-8 to Unicode Normalization Form C. */
char *cb_unicode_nfc(cb_arena *arena, const char *s);

#endif

/* cb_bidi.h - bidirectional levels by the Unicode Bidirectional Algorithm
 * (UAX #9) through FriBidi, the only module that includes it.
 * Private to the text module: only text.c (and its unit test) uses it. */
#ifndef CB_BIDI_H
#define CB_BIDI_H

#include <stddef.h>

/* Sets levels[i] to the embedding level of the character that byte i of
 * the UTF-8 paragraph s belongs to (even: left to right, odd: right to
 * left) and *rtl to 1 when the paragraph's base direction, taken from its
 * first strong character, is right to left. Text without right-to-left
 * characters is answered without FriBidi: all levels 0. levels must hold
 * len bytes. Returns 1 when any level is odd. */
int cb_bidi_levels(const char *s, size_t len, unsigned char *levels,
                   int *rtl);

#endif

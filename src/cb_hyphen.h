/* cb_hyphen.h - hyphenation points from libhyphen and Debian's
 * dictionaries (the only module that includes hyphen.h).
 * Private to the text module: only text.c (and its unit test) uses it. */
#ifndef CB_HYPHEN_H
#define CB_HYPHEN_H

#include <stddef.h>

typedef struct cb_hyphenator cb_hyphenator;

/* Loads the dictionary for a language ("en", "en_US", "de", ...) from
 * CB_HYPHEN_DIR (default /usr/share/hyphen). Returns NULL when there is
 * none; the caller owns the result. */
cb_hyphenator *cb_hyphen_new(const char *lang);
/* A hyphenator with h's dictionary, loaded once for both: for a thread
 * that sets text beside h's (libhyphen only reads a loaded dictionary).
 * Each keeps words of its own; the dictionary goes with the last. */
cb_hyphenator *cb_hyphen_share(cb_hyphenator *h);
void cb_hyphen_free(cb_hyphenator *h);

/* Finds where the word (UTF-8, len bytes, letters only) may break:
 * points[i] = 1 when a hyphen may go before byte i. At least 2 characters
 * stay before a break and 3 after it (TeX's lefthyphenmin/righthyphenmin
 * for English). points must hold len bytes. Returns the number of points. */
int cb_hyphen_points(cb_hyphenator *h, const char *word, size_t len,
                     unsigned char *points);

#endif

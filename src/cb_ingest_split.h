/* cb_ingest_split.h - a JSON text on its way to jansson, with each
 * contribution set aside as text (private to ingest.c).
 *
 * jansson builds a tree of the whole input, about four times its size: at
 * 20,000 contributions that tree was the run's peak. The splitter passes
 * the text through but for the objects in every array under a key
 * "contributions": each is kept as its own text and replaced by a small
 * placeholder, {"#":N}. The reader parses each when its turn comes and
 * lets it go, so the tree is never whole; the texts are about a quarter
 * of what their trees would be. Every array element keeps its index, so
 * JSON paths in messages are those of the file. */
#ifndef CB_INGEST_SPLIT_H
#define CB_INGEST_SPLIT_H

#include <stddef.h>

typedef struct cb_split cb_split;

/* pull reads the raw text: up to size bytes into buf, 0 at its end. */
cb_split *cb_split_new(size_t (*pull)(void *ctx, char *buf, size_t size),
                       void *ctx);
void cb_split_free(cb_split *s);

/* jansson's json_load_callback reader. */
size_t cb_split_feed(void *buf, size_t size, void *split);

/* Whether the text ended outside any element set aside (an element cut
 * off by the end is not JSON: the caller parses the text whole, for
 * jansson's own message). */
int cb_split_complete(const cb_split *s);

/* Element n: its text and where it starts in the input (line and column,
 * as jansson counts them), or NULL when there is no such element or it
 * was taken already. */
const char *cb_split_element(const cb_split *s, size_t n, size_t *len,
                             int *line, int *col);
/* Lets element n's text go. */
void cb_split_release(cb_split *s, size_t n);

#endif

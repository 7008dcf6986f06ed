/* cb_jpos.h - where values are in a JSON text, by their paths.
 *
 * jansson gives positions only for syntax errors; a message about a
 * record names the value by its JSON path (ingest's form:
 * "results[0].contributions[3].startDate", keys joined with dots, indices
 * in brackets). A second scan of the text maps those paths to the line
 * and column of the value, for editors and CI annotations. */
#ifndef CB_JPOS_H
#define CB_JPOS_H

#include <stddef.h>

/* Sets line[i] and col[i] (1-based; columns in characters, as jansson
 * counts them; a byte order mark is not counted) to where the value at
 * paths[i] starts in text, or to 0 where no value has that path. Text
 * that is not JSON is scanned as far as it goes. */
void cb_jpos_locate(const char *text, size_t len, const char *const *paths,
                    size_t n, int *line, int *col);

#endif

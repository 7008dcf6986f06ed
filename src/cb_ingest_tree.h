/* cb_ingest_tree.h - the ingest room's own entries (ingest.c reads JSON
 * trees, ingest_csv.c turns a spreadsheet into one). Not for other
 * modules: jansson stays in this room. */
#ifndef CB_INGEST_TREE_H
#define CB_INGEST_TREE_H

#include <jansson.h>

#include "cb_ingest.h"

/* Where a value at a JSON path ("contributions[3].start") came from, as
 * messages show it ("late.csv:5:12"), in `arena`; NULL: the path itself. */
typedef const char *(*cb_place_fn)(void *ctx, const char *path,
                                   cb_arena *arena);

/* Reads a parsed document as cb_ingest_parse does, with its messages
 * placed by `place` when given. The tree stays the caller's. */
cb_model *cb_ingest_tree(const json_t *root, const char *name,
                         cb_format format, cb_diag *diag, cb_place_fn place,
                         void *place_ctx);

/* Reads CSV (ingest_csv.c); as cb_ingest_parse. */
cb_model *cb_ingest_csv(const char *data, size_t len, const char *name,
                        cb_diag *diag);

#endif

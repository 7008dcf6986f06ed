/* cb_ingest.h - reads records (Indico export JSON, frab or pretalx
 * schedule JSON, or contribook's native JSON) into a cb_model. The only module that includes jansson. */
#ifndef CB_INGEST_H
#define CB_INGEST_H

#include <stddef.h>

#include "cb_diag.h"
#include "cb_model.h"

typedef enum {
    CB_FORMAT_AUTO,   /* detect from the document's shape */
    CB_FORMAT_INDICO, /* Indico HTTP API export: {"results":[event...]} */
    CB_FORMAT_SCHEDULE, /* frab/pretalx schedule.json: {"schedule": ...} */
    CB_FORMAT_NATIVE, /* contribook's own format, doc/native-format.md */
    CB_FORMAT_CSV     /* a spreadsheet's rows under a header of native
                         field names (doc/sources.md) */
} cb_format;

/* Parses `len` bytes of JSON (or CSV: named .csv, or -f csv); `name` is
 * used in messages ("<stdin>" for -).
 * Reports every problem to `diag` and returns NULL if there was any error;
 * otherwise returns a model the caller frees with cb_model_free. */
cb_model *cb_ingest_parse(const char *data, size_t len, const char *name,
                          cb_format format, cb_diag *diag);

/* Reads the file at `path` ("-" for standard input) and parses it.
 * An unreadable file is reported as an error. Returns as cb_ingest_parse;
 * *io_error is set to 1 when the failure was reading, not parsing. */
cb_model *cb_ingest_load(const char *path, cb_format format, cb_diag *diag,
                         int *io_error);

/* Reads every input (as cb_ingest_load) and makes them one event: the
 * first input's, which must then hold one event, with the contributions
 * of the others after its own (a spreadsheet of late contributions added
 * to an Indico export; their own event fields are not used). An id that
 * two inputs use is an error at the later place, naming the earlier.
 * Returns NULL after reporting the problems of every input; *io_error
 * as cb_ingest_load. */
/* flags: CB_INGEST_KEEP_FILES keeps each input's bytes in the model
 * (cb_model.files), for a PDF/A-3 file to embed. */
/* CB_INGEST_EVENTS keeps the inputs' events side by side (a volume's
 * parts) instead of merging them into the first's. */
/* CB_INGEST_TWO_THREADS reads half of a long list of contributions on a
 * second thread (--jobs 2 or more); the model and the messages are the
 * same. */
enum {
    CB_INGEST_KEEP_FILES = 1,
    CB_INGEST_EVENTS = 2,
    CB_INGEST_TWO_THREADS = 4
};

/* cb_ingest_load, with the flags CB_INGEST_KEEP_FILES (the file's bytes
 * kept in the model) and CB_INGEST_TWO_THREADS. */
cb_model *cb_ingest_load_kept(const char *path, cb_format format,
                              unsigned flags, cb_diag *diag, int *io_error);
cb_model *cb_ingest_load_all(const char *const *paths, size_t n,
                             cb_format format, unsigned flags, cb_diag *diag,
                             int *io_error);

#endif

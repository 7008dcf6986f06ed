/* cb_csv.h - comma-separated values as RFC 4180 writes them: records of
 * fields separated by commas and ended by CRLF (or LF), a field in double
 * quotes holding commas, line breaks and doubled quotes. Each field keeps
 * the line and column (in characters, from 1) where it starts, so that an
 * error about a value can point at its cell. Private to the ingest room.
 *
 * Debian's libcsv (3.0.3, unchanged since 2013) reports neither where a
 * malformed field is nor which line a field began on; this is small and
 * fuzzed (tests/fuzz/fuzz_ingest.c reads CSV too). */
#ifndef CB_CSV_H
#define CB_CSV_H

#include <stddef.h>

#include "cb_util.h"

typedef struct {
    const char *text; /* unquoted, NUL-terminated, in the arena */
    size_t len;
    int line, col;    /* where the field starts */
} cb_csv_field;

/* Called with each record's fields (n >= 1); a non-zero return stops. */
typedef int (*cb_csv_record_fn)(void *ctx, const cb_csv_field *fields,
                                size_t n);

/* Why the text is not CSV, and where. */
typedef struct {
    const char *what;
    int line, col;
} cb_csv_error;

/* Reads len bytes of CSV (a UTF-8 byte order mark first is skipped; a
 * blank last line is no record), calling `record` for each record, whose
 * fields live in `arena`. Returns 0, 1 when `record` stopped, or -1 with
 * *err set: a quote inside an unquoted field, text after a closing quote,
 * a quoted field never closed (at its opening quote), or a record of more
 * than CB_CSV_MAX_FIELDS fields. */
int cb_csv_read(const char *data, size_t len, cb_arena *arena,
                cb_csv_record_fn record, void *ctx, cb_csv_error *err);

/* A spreadsheet row has tens of columns; past this many the file is not a
 * table of contributions (and the record's field array stays small). */
#define CB_CSV_MAX_FIELDS 1024

#endif

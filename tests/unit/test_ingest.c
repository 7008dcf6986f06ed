/* test_ingest.c - reading Indico exports and native files into the model.
 *
 * Runs from the project root. Error cases are spec files: each
 * tests/data/ingest/bad/NAME.json is parsed as "NAME.json" and everything
 * written to the diagnostics must equal tests/data/ingest/bad/NAME.err. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_diag.h"
#include "cb_ingest.h"
#include "check.h"

/* A place as messages show it (cb_place_text). */
static const char *shown(const char *place)
{
    static cb_buf b;
    b.len = 0;
    cb_buf_puts(&b, "");
    cb_place_text(&b, place ? place : "(null)");
    return b.data;
}

#define DATA "tests/data/ingest/"
#define REAL_EXPORT "/work/shared/data/indico-export-fel2022-sessions.json"

/* What one parse produced: the model and the diagnostics text. */
typedef struct {
    cb_model *model;
    char *text;
    int errors, warnings;
} result;

static void result_free(result *r)
{
    cb_model_free(r->model);
    free(r->text);
}

/* Reads a whole file; NULL when it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        cap = cap ? cap * 2 : 4096;
        buf = cb_xrealloc(buf, cap + 1);
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (n == cap);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static result parse_len(const char *json, size_t len, const char *name,
                        cb_format format)
{
    result r = {0};
    size_t size = 0;
    FILE *out = open_memstream(&r.text, &size);
    cb_diag *d = cb_diag_new(out);
    r.model = cb_ingest_parse(json, len, name, format, d);
    r.errors = cb_diag_errors(d);
    r.warnings = cb_diag_warnings(d);
    cb_diag_free(d);
    fclose(out);
    return r;
}

static result parse(const char *json, cb_format format)
{
    return parse_len(json, strlen(json), "t.json", format);
}

static result load(const char *path, cb_format format, int *io_error)
{
    result r = {0};
    size_t size = 0;
    FILE *out = open_memstream(&r.text, &size);
    cb_diag *d = cb_diag_new(out);
    r.model = cb_ingest_load(path, format, d, io_error);
    r.errors = cb_diag_errors(d);
    r.warnings = cb_diag_warnings(d);
    cb_diag_free(d);
    fclose(out);
    return r;
}

static const char *or_null(const char *s)
{
    return s ? s : "(null)";
}

/* detail=contributions: one flat list; null and "" are NULL. */
static void test_indico_flat(void)
{
    int io = -1;
    result r = load(DATA "indico-flat.json", CB_FORMAT_AUTO, &io);
    CHECK_STR("flat: no messages", r.text, "");
    CHECK("flat: no io error", io == 0);
    CHECK("flat: parsed", r.model && r.model->n_events == 1);
    if (!r.model)
        goto out;
    const cb_event *e = &r.model->events[0];
    CHECK_STR("flat: source", r.model->source, DATA "indico-flat.json");
    CHECK_STR("flat: event id", e->id, "7");
    CHECK_STR("flat: event title", e->title, "Flat Test Meeting");
    CHECK("flat: event description \"\" is NULL", e->description == NULL);
    CHECK_STR("flat: roomFullname wins", e->room, "Hall 1 (Auditorium)");
    CHECK_STR("flat: address", e->address, "Notkestraße 85\n22607 Hamburg");
    CHECK_STR("flat: location", e->location, "Main Building");
    CHECK_STR("flat: timezone", e->timezone, "Europe/Berlin");
    CHECK("flat: start", e->start.set && e->start.has_time &&
                             e->start.year == 2024 && e->start.month == 3 &&
                             e->start.day == 4 && e->start.hour == 8 &&
                             e->start.minute == 30 && e->start.second == 0);
    CHECK_STR("flat: start tz", e->start.tz, "Europe/Berlin");
    CHECK("flat: end with fractional seconds",
          e->end.set && e->end.hour == 17 && e->end.minute == 0 &&
              e->end.second == 0 && e->end.day == 6);
    CHECK("flat: 2 contributions", e->n_contribs == 2);
    if (e->n_contribs != 2)
        goto out;

    const cb_contribution *c = &e->contribs[0];
    CHECK_STR("flat: friendly_id is the id", c->id, "12");
    CHECK_STR("flat: code", c->code, "TUA01");
    CHECK_STR("flat: description", c->description, "Welcome and **agenda**.");
    CHECK_STR("flat: type", c->type, "Talk");
    CHECK("flat: null track and session",
          c->track == NULL && c->session == NULL);
    CHECK("flat: \"\" board is NULL", c->board == NULL);
    CHECK("flat: duration", c->duration_min == 15);
    CHECK("flat: contribution times",
          c->start.set && c->start.hour == 8 && c->start.minute == 30 &&
              c->end.set && c->end.minute == 45);
    CHECK_STR("flat: contribution room", c->room, "Hall 1 (Auditorium)");
    CHECK("flat: keywords skip \"\"", c->n_keywords == 2);
    if (c->n_keywords == 2)
        CHECK_STR("flat: keyword", c->keywords[1], "agenda");
    CHECK("flat: references", c->n_refs == 2);
    if (c->n_refs == 2) {
        CHECK_STR("flat: ref type", c->refs[0].type, "DOI");
        CHECK_STR("flat: ref value", c->refs[0].value, "10.1000/xyz123");
        CHECK_STR("flat: ref url", c->refs[0].url,
                  "https://doi.org/10.1000/xyz123");
        CHECK_STR("flat: ref value falls back to url", c->refs[1].value,
                  "https://example.org/only-url");
        CHECK("flat: ref null type", c->refs[1].type == NULL);
    }
    CHECK("flat: speakers", c->n_speakers == 1);
    if (c->n_speakers == 1) {
        CHECK_STR("flat: speaker last", c->speakers[0].last, "Kabátová");
        CHECK_STR("flat: speaker title", c->speakers[0].title, "Dr.");
        CHECK_STR("flat: speaker affiliation", c->speakers[0].affiliation,
                  "Comenius University");
    }
    CHECK("flat: authors from fullName", c->n_authors == 2);
    if (c->n_authors == 2) {
        CHECK_STR("flat: fullName last", c->authors[0].last, "Lübbe");
        CHECK_STR("flat: fullName first", c->authors[0].first, "Jens");
        CHECK("flat: \"\" affiliation is NULL",
              c->authors[0].affiliation == NULL);
        CHECK_STR("flat: fullName without comma", c->authors[1].last,
                  "Shvyd'ko");
        CHECK("flat: fullName without comma has no first",
              c->authors[1].first == NULL);
    }
    CHECK_STR("flat: where", shown(c->where),
              DATA "indico-flat.json: results[0].contributions[0] "
                   "(contribution 12)");

    c = &e->contribs[1];
    CHECK_STR("flat: string id", c->id, "1002");
    CHECK_STR("flat: int code", c->code, "305");
    CHECK_STR("flat: int board", c->board, "17");
    CHECK("flat: null description and type",
          c->description == NULL && c->type == NULL);
    CHECK("flat: \"\" session and room", c->session == NULL && c->room == NULL);
    CHECK("flat: unscheduled", !c->start.set && !c->end.set);
    CHECK("flat: zero duration", c->duration_min == 0);
    CHECK("flat: null keywords", c->n_keywords == 0 && c->keywords == NULL);
    CHECK("flat: null coauthor skipped", c->n_coauthors == 1);
    CHECK_STR("flat: author", c->authors[0].last, "Dvořák");
out:
    result_free(&r);
}

/* detail=sessions: top-level contributions first, then each block's. */
static void test_indico_sessions(void)
{
    result r = load(DATA "indico-sessions.json", CB_FORMAT_INDICO, NULL);
    CHECK_STR("sessions: no messages", r.text, "");
    CHECK("sessions: parsed", r.model && r.model->n_events == 1);
    if (!r.model)
        goto out;
    const cb_event *e = &r.model->events[0];
    static const char *const ids[] = {"5", "6", "7", "8", "70"};
    CHECK("sessions: 5 contributions", e->n_contribs == 5);
    for (size_t i = 0; i < 5 && i < e->n_contribs; i++)
        CHECK_STR("sessions: source order", e->contribs[i].id, ids[i]);
    if (e->n_contribs != 5)
        goto out;
    CHECK("sessions: top level has no session",
          e->contribs[0].session == NULL);
    CHECK_STR("sessions: session named", e->contribs[2].session,
              "Beam Dynamics");
    CHECK_STR("sessions: session from block title", e->contribs[3].session,
              "Beam Dynamics");
    CHECK_STR("sessions: board", e->contribs[4].board, "P-12");
    CHECK("sessions: HH:MM time", e->contribs[0].start.has_time &&
                                      e->contribs[0].start.hour == 9 &&
                                      e->contribs[0].start.second == 0);
    CHECK_STR("sessions: tz", e->contribs[0].start.tz, "UTC");
    CHECK("sessions: unknown duration is -1",
          e->contribs[1].duration_min == -1);
    CHECK("sessions: date without time",
          e->end.set && !e->end.has_time && e->end.day == 14);
    CHECK_STR("sessions: where", shown(e->contribs[3].where),
              DATA "indico-sessions.json: results[0].sessions[0]."
                   "contributions[1] (contribution 8)");
out:
    result_free(&r);
}

static void test_native_single(void)
{
    result r = load(DATA "native-single.json", CB_FORMAT_AUTO, NULL);
    CHECK_STR("native: no messages", r.text, "");
    CHECK("native: parsed", r.model && r.model->n_events == 1);
    if (!r.model)
        goto out;
    const cb_event *e = &r.model->events[0];
    CHECK_STR("native: event id from integer", e->id, "3");
    CHECK_STR("native: venue", e->location, "Villa Lanna");
    CHECK("native: date-only end", e->end.set && !e->end.has_time);
    CHECK_STR("native: event tz", e->start.tz, "Europe/Prague");
    CHECK("native: 2 contributions", e->n_contribs == 2);
    if (e->n_contribs != 2)
        goto out;
    const cb_contribution *c = &e->contribs[0];
    CHECK_STR("native: abstract keeps CRLF", c->description,
              "Line one.\r\nLine two.");
    CHECK("native: start with seconds",
          c->start.has_time && c->start.hour == 9 && c->start.minute == 30 &&
              c->start.second == 15);
    CHECK("native: end with a space", c->end.hour == 10 && c->end.minute == 30);
    CHECK_STR("native: contribution tz", c->end.tz, "Europe/Prague");
    CHECK("native: duration 60.0", c->duration_min == 60);
    CHECK_STR("native: board from integer", c->board, "4");
    CHECK_STR("native: author first", c->authors[0].first, "Thị Minh Khai");
    CHECK_STR("native: author last", c->authors[0].last, "Nguyễn");
    CHECK_STR("native: author title", c->authors[0].title, "Prof.");
    CHECK_STR("native: name split last", c->coauthors[0].last, "Ólafsdóttir");
    CHECK_STR("native: name split first", c->coauthors[0].first, "Guðrún");
    CHECK_STR("native: presenter", c->speakers[0].last, "Şahin");
    CHECK_STR("native: reference", c->refs[0].type, "arXiv");
    c = &e->contribs[1];
    CHECK_STR("native: integer id", c->id, "2");
    CHECK("native: nulls", c->description == NULL && !c->start.set &&
                               c->duration_min == -1);
    CHECK_STR("native: where", shown(c->where),
              DATA "native-single.json: contributions[1] (contribution 2)");
out:
    result_free(&r);
}

static void test_native_events(void)
{
    result r = load(DATA "native-events.json", CB_FORMAT_NATIVE, NULL);
    CHECK_STR("native events: no messages", r.text, "");
    CHECK("native events: 2 events", r.model && r.model->n_events == 2);
    if (!r.model || r.model->n_events != 2)
        goto out;
    const cb_event *e = r.model->events;
    CHECK("native events: counts", e[0].n_contribs == 2 && e[1].n_contribs == 1);
    CHECK("native events: no tz", e[0].start.tz == NULL);
    CHECK_STR("native events: tz", e[1].contribs[0].start.tz, "America/Chicago");
    CHECK_STR("native events: where", shown(e[1].contribs[0].where),
              DATA "native-events.json: events[1].contributions[0] "
                   "(contribution 3)");
out:
    result_free(&r);
}

/* Returns a malloc'd copy of s without its final '\n'. */
static char *chomp(const char *s, size_t n)
{
    char *t = cb_xmalloc(n + 1);
    memcpy(t, s, n);
    t[n] = '\0';
    if (n && t[n - 1] == '\n')
        t[n - 1] = '\0';
    return t;
}

/* One spec pair: bad/NAME.json gives exactly bad/NAME.err, and no model. */
static void check_bad_file(const char *file)
{
    char path[512], name[300];
    size_t len = 0, elen = 0;
    snprintf(path, sizeof path, DATA "bad/%s", file);
    char *json = slurp(path, &len);
    snprintf(path + strlen(path) - 5, 5, ".err");
    char *want = slurp(path, &elen);
    result r = parse_len(json, len, file, CB_FORMAT_AUTO);
    char *got = chomp(r.text, strlen(r.text));
    char *exp = want ? chomp(want, elen) : NULL;
    snprintf(name, sizeof name, "bad/%s: messages", file);
    CHECK_STR(name, got, exp);
    snprintf(name, sizeof name, "bad/%s: no model", file);
    CHECK(name, r.model == NULL && r.errors > 0);
    free(got);
    free(exp);
    free(json);
    free(want);
    result_free(&r);
}

static int is_json(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* pretalx's and frab's schedule.json: days, rooms, events. */
static void test_schedule(void)
{
    result r = load(DATA "schedule-pretalx.json", CB_FORMAT_AUTO, NULL);
    CHECK_STR("pretalx: no messages", r.text, "");
    CHECK("pretalx: one event", r.model && r.model->n_events == 1);
    if (!r.model)
        goto frab;
    const cb_event *e = &r.model->events[0];
    CHECK_STR("pretalx: title", e->title, "Tidewater Open Source Days 2025");
    CHECK_STR("pretalx: acronym as id", e->id, "tidewater-2025");
    CHECK("pretalx: dates", e->start.day == 9 && e->end.day == 10);
    CHECK_STR("pretalx: zone", e->timezone, "Europe/Oslo");
    CHECK("pretalx: 3 contributions, room by room", e->n_contribs == 3);
    if (e->n_contribs != 3)
        goto frab;
    const cb_contribution *c = &e->contribs[0];
    CHECK_STR("pretalx: id", c->id, "301");
    CHECK_STR("pretalx: abstract, then description", c->description,
              "Why a distribution's package set ebbs and flows.\n\n"
              "We follow **four releases** of one package set.");
    CHECK("pretalx: local start, offset dropped",
          c->start.has_time && c->start.hour == 14 && c->start.minute == 0);
    CHECK_STR("pretalx: start zone", c->start.tz, "Europe/Oslo");
    CHECK("pretalx: HH:MM duration and end",
          c->duration_min == 45 && c->end.hour == 14 && c->end.minute == 45);
    CHECK_STR("pretalx: room", c->room, "Harbour Hall");
    CHECK_STR("pretalx: track", c->track, "Infrastructure");
    CHECK_STR("pretalx: type", c->type, "Talk");
    CHECK("pretalx: persons speak", c->n_speakers == 2);
    CHECK("pretalx: persons are the authors",
          c->n_authors == 2 && c->authors == c->speakers);
    CHECK("pretalx: name given whole",
          c->speakers[0].whole && !c->speakers[0].first &&
              strcmp(or_null(c->speakers[0].last), "Signe Ødegård") == 0);
    CHECK("pretalx: link as reference",
          c->n_refs == 1 && strcmp(c->refs[0].value, "Slides") == 0 &&
              strcmp(or_null(c->refs[0].url),
                     "https://example.org/slides.pdf") == 0);
    CHECK("pretalx: empty abstract is none", !e->contribs[1].description);
    CHECK("pretalx: null track", !e->contribs[1].track);
    c = &e->contribs[2];
    CHECK_STR("pretalx: person with name only", c->speakers[0].last,
              "Jun Watanabe");
    CHECK("pretalx: runs past midnight",
          c->end.day == 10 && c->end.hour == 0 && c->end.minute == 45);
    CHECK_STR("pretalx: where", shown(c->where),
              DATA "schedule-pretalx.json: schedule.conference.days[0]."
                   "rooms.Net Loft[0] (contribution 303)");
frab:
    result_free(&r);
    r = load(DATA "schedule-frab.json", CB_FORMAT_SCHEDULE, NULL);
    CHECK_STR("frab: no messages", r.text, "");
    if (r.model && r.model->events[0].n_contribs == 1) {
        c = &r.model->events[0].contribs[0];
        CHECK("frab: H:MM duration", c->duration_min == 90);
        CHECK_STR("frab: public_name", c->speakers[0].last, "Ingrid Berg");
        CHECK_STR("frab: abstract without description", c->description,
                  "Knots, and what they teach about routing.");
    } else {
        CHECK("frab: one contribution", 0);
    }
    result_free(&r);
    r = parse("{\"schedule\": {\"conference\": {\"title\": \"T\", "
              "\"days\": [{\"rooms\": {\"R\": [{\"id\": 1, \"title\": "
              "\"x\", \"duration\": \"45 min\", \"date\": "
              "\"2025-01-01T10:00:00+25:00\"}]}}]}}}", CB_FORMAT_AUTO);
    CHECK_STR("schedule: bad duration and offset", r.text,
              "t.json: schedule.conference.days[0].rooms.R[0].date "
              "(contribution 1): error: invalid date "
              "\"2025-01-01T10:00:00+25:00\": expected "
              "YYYY-MM-DDTHH:MM[:SS]+HH:MM\n"
              "t.json: schedule.conference.days[0].rooms.R[0].duration "
              "(contribution 1): error: invalid duration \"45 min\": "
              "expected HH:MM\n");
    result_free(&r);
    r = parse("{\"schedule\": {}}", CB_FORMAT_AUTO);
    CHECK_STR("schedule: no conference", r.text,
              "t.json: schedule: error: missing required field "
              "\"conference\"\n");
    result_free(&r);
}

static void test_bad_files(void)
{
    struct dirent **list = NULL;
    int n = scandir(DATA "bad", &list, is_json, alphasort);
    CHECK("bad: fixtures found", n > 20);
    for (int i = 0; i < n; i++) {
        check_bad_file(list[i]->d_name);
        free(list[i]);
    }
    free(list);
}

/* Inline cases: the format forced, empty buffers, the error cap. */
static void test_inline_errors(void)
{
    result r = parse("{\"contribook\": 1, \"event\": {\"title\": \"x\"}}",
                     CB_FORMAT_INDICO);
    CHECK_STR("forced indico",
              r.text, "t.json: error: expected an Indico export (an object "
                      "with \"results\"), got an object without \"results\"\n");
    result_free(&r);

    r = parse("{\"results\": []}", CB_FORMAT_NATIVE);
    CHECK_STR("forced native",
              r.text, "t.json: error: expected a contribook file (an object "
                      "with \"contribook\", \"event\", \"events\" or "
                      "\"contributions\"), got an object with none of these "
                      "fields\n");
    result_free(&r);

    const char *conf = "{\n  \"results\": [],\n  \"title\":   ,\n}";
    r = parse_len(conf, strlen(conf), "conf.json", CB_FORMAT_AUTO);
    CHECK_STR("syntax error place", r.text,
              "conf.json:3:14: error: unexpected token near ','\n");
    result_free(&r);

    r = parse("{\"results\": [{\"title\": \"E\", \"sessions\": [{}, {}, {}, "
              "{\"contributions\": [{\"id\": \"1\", \"title\": \"a\"}, {\"id\": "
              "\"2\", \"title\": \"b\"}, {\"id\": \"420\", \"friendly_id\": 42, "
              "\"title\": 42}]}]}]}", CB_FORMAT_AUTO);
    CHECK_STR("record place", r.text,
              "t.json: results[0].sessions[3].contributions[2].title "
              "(contribution 42): error: expected a string, got number\n");
    result_free(&r);

    r = parse_len(NULL, 0, "-", CB_FORMAT_AUTO);
    CHECK_STR("NULL buffer, stdin name", r.text,
              "<stdin>: error: empty input, expected a JSON object\n");
    CHECK("NULL buffer: no model", r.model == NULL);
    result_free(&r);

    r = parse("\xEF\xBB\xBF{\"event\": {\"title\": \"BOM\"}}", CB_FORMAT_AUTO);
    CHECK_STR("byte order mark skipped", r.text, "");
    CHECK("byte order mark: model", r.model && r.model->n_events == 1);
    result_free(&r);

    r = parse("{\"event\": {\"title\": \"x\"}, \"contributions\": "
              "[{\"id\": 1, \"title\": \"t\", \"nmae\": 2}]}", CB_FORMAT_AUTO);
    CHECK_STR("native unknown field warns", r.text,
              "t.json: contributions[0].nmae (contribution 1): warning: "
              "unknown field, ignored [unknown-field]\n");
    CHECK("native unknown field: still a model", r.model != NULL &&
                                                     r.warnings == 1);
    result_free(&r);
}

/* A skipped item leaves nothing behind for the next one. */
static void test_skipped_person(void)
{
    result r = parse("{\"event\": {\"title\": \"x\"}, \"contributions\": "
                     "[{\"id\": 1, \"title\": \"t\", \"presenters\": "
                     "[{\"affiliation\": \"X\", \"title\": \"Dr\"}, "
                     "{\"last\": \"B\"}]}]}", CB_FORMAT_AUTO);
    CHECK_STR("nameless person warns", r.text,
              "t.json: contributions[0].presenters[0] (contribution 1): "
              "warning: person without a name, ignored [nameless-person]\n");
    const cb_contribution *c = r.model ? &r.model->events[0].contribs[0] : NULL;
    CHECK("nameless person skipped", c && c->n_speakers == 1);
    if (c && c->n_speakers == 1)
        CHECK("next person clean", c->speakers[0].affiliation == NULL &&
                                       c->speakers[0].title == NULL &&
                                       strcmp(c->speakers[0].last, "B") == 0);
    result_free(&r);
}

/* More errors than CB_DIAG_MAX_ERRORS: the first are shown, then a note. */
static void test_error_cap(void)
{
    cb_buf b = {0};
    cb_buf_puts(&b, "{\"results\": [{\"title\": \"E\", \"contributions\": [");
    for (int i = 0; i < CB_DIAG_MAX_ERRORS + 10; i++)
        cb_buf_printf(&b, "%s{\"id\": %d, \"title\": %d}", i ? "," : "", i, i);
    cb_buf_puts(&b, "]}]}");
    result r = parse(b.data, CB_FORMAT_AUTO);
    CHECK("cap: every error counted", r.errors == CB_DIAG_MAX_ERRORS + 10);
    CHECK("cap: no model", r.model == NULL);
    CHECK("cap: first error", strstr(r.text, "t.json: results[0].contributions"
                                             "[0].title (contribution 0): error:"
                                             " expected a string, got number\n")
                                  == r.text);
    CHECK("cap: note", strstr(r.text, "too many errors") != NULL);
    CHECK("cap: later errors not shown",
          strstr(r.text, "contributions[50]") == NULL);
    result_free(&r);
    cb_buf_free(&b);
}

/* Inputs that must neither crash nor take long. */
static void test_pathological(void)
{
    size_t big = 8u << 20;
    char *s = cb_xmalloc(big + 64);
    strcpy(s, "{\"event\": {\"title\": \"");
    size_t n = strlen(s);
    memset(s + n, 'x', big);
    strcpy(s + n + big, "\"}}");
    result r = parse(s, CB_FORMAT_AUTO);
    CHECK("huge title kept", r.model &&
                                 strlen(r.model->events[0].title) == big);
    result_free(&r);

    /* a huge bad date is quoted only in part */
    strcpy(s, "{\"event\": {\"title\": \"t\", \"start\": \"");
    n = strlen(s);
    memset(s + n, '9', big);
    strcpy(s + n + big, "\"}}");
    r = parse(s, CB_FORMAT_AUTO);
    CHECK("huge bad date: short message", r.model == NULL &&
                                              strlen(r.text) < 300);
    result_free(&r);
    free(s);

    static const char *const odd[] = {
        "{}", "0", "true", "{\"results\": null}", "{\"results\": [null]}",
        "{\"results\": [[]]}", "{\"results\": [{\"title\": \"t\", "
        "\"sessions\": [null, 1, {\"contributions\": null}]}]}",
        "{\"events\": [1, null, {}]}", "{\"event\": []}",
        "{\"event\": {\"title\": \"t\"}, \"contributions\": \"x\"}",
        "{\"contribook\": \"1\"}", "{\"contribook\": null}",
    };
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        r = parse(odd[i], CB_FORMAT_AUTO);
        CHECK("odd input does not crash", r.model == NULL || r.errors == 0);
        result_free(&r);
    }
}

static void test_load_errors(void)
{
    int io = 0;
    result r = load(DATA "does-not-exist.json", CB_FORMAT_AUTO, &io);
    CHECK_STR("missing file", r.text,
              DATA "does-not-exist.json: error: cannot read: "
                   "No such file or directory\n");
    CHECK("missing file: io error", io == 1 && r.model == NULL);
    result_free(&r);

    io = 0;
    r = load(DATA "bad", CB_FORMAT_AUTO, &io);
    CHECK_STR("directory", r.text,
              DATA "bad: error: cannot read: Is a directory\n");
    CHECK("directory: io error", io == 1);
    result_free(&r);

    io = 1;
    r = load(DATA "bad/malformed.json", CB_FORMAT_AUTO, &io);
    CHECK("bad data is not an io error", io == 0 && r.model == NULL);
    result_free(&r);
}

/* The real FEL2022 export, when this machine has it. */
static void test_real_export(void)
{
    FILE *f = fopen(REAL_EXPORT, "rb");
    if (!f) {
        printf("note: %s not found, real export test skipped\n", REAL_EXPORT);
        return;
    }
    fclose(f);
    result r = load(REAL_EXPORT, CB_FORMAT_AUTO, NULL);
    CHECK_STR("real: no messages", r.text, "");
    CHECK("real: 1 event", r.model && r.model->n_events == 1);
    if (!r.model)
        goto out;
    const cb_event *e = &r.model->events[0];
    CHECK("real: 256 contributions", e->n_contribs == 256);
    CHECK_STR("real: title", e->title, "FEL2022");
    CHECK_STR("real: address", e->address, "viale Miramare, 24/2\nTrieste - Italy");
    CHECK("real: start", e->start.year == 2022 && e->start.month == 8 &&
                             e->start.day == 21 && e->start.hour == 17);
    const cb_contribution *mox01 = NULL, *c184 = NULL;
    for (size_t i = 0; i < e->n_contribs; i++) {
        const cb_contribution *c = &e->contribs[i];
        if (c->code && strcmp(c->code, "MOX01") == 0)
            mox01 = c;
        if (strcmp(c->id, "184") == 0)
            c184 = c;
    }
    CHECK("real: MOX01 found", mox01 != NULL);
    if (mox01) {
        CHECK_STR("real: MOX01 id", mox01->id, "254");
        CHECK_STR("real: MOX01 title", mox01->title, "In memory of M. Billardon");
        CHECK_STR("real: MOX01 type", mox01->type, "Invited Orals");
        CHECK("real: MOX01 empty description", mox01->description == NULL);
        CHECK("real: MOX01 null track", mox01->track == NULL);
        CHECK("real: MOX01 time", mox01->start.hour == 9 &&
                                      mox01->start.minute == 15 &&
                                      mox01->duration_min == 15);
        CHECK_STR("real: MOX01 speaker", or_null(mox01->speakers[0].first),
                  "Marie-Emmanuelle");
        CHECK_STR("real: MOX01 room", mox01->room, "Auditorium Generali");
        CHECK_STR("real: MOX01 where", shown(mox01->where),
                  REAL_EXPORT ": results[0].sessions[1].contributions[0] "
                              "(contribution 254)");
    }
    CHECK("real: contribution 184 found", c184 != NULL);
    if (c184) {
        int found = 0;
        for (size_t i = 0; i < c184->n_authors; i++)
            found |= c184->authors[i].last &&
                     strcmp(c184->authors[i].last, "Schöllkopf") == 0;
        CHECK("real: accented author survives", found);
    }
out:
    result_free(&r);
}

/* A few values of the samples, so that editing them stays deliberate. */
static void test_sample_values(void)
{
    result r = load("samples/indico-conference.json", CB_FORMAT_INDICO, NULL);
    const cb_event *e = r.model ? &r.model->events[0] : NULL;
    CHECK("indico sample: 21 contributions", e && e->n_contribs == 21);
    if (e && e->n_contribs == 21) {
        CHECK_STR("indico sample: top level first", e->contribs[0].id, "51");
        CHECK("indico sample: unscheduled", !e->contribs[0].start.set);
        CHECK_STR("indico sample: session", e->contribs[2].session,
                  "MOA – Opening and Plenary");
        CHECK_STR("indico sample: poster board", e->contribs[12].board, "3");
    }
    result_free(&r);

    r = load("samples/names-many-scripts.json", CB_FORMAT_NATIVE, NULL);
    e = r.model ? &r.model->events[0] : NULL;
    CHECK("scripts sample: 10 contributions", e && e->n_contribs == 10);
    if (e && e->n_contribs == 10) {
        CHECK_STR("scripts sample: Greek", e->contribs[1].authors[0].last,
                  "Παπαδόπουλος");
        CHECK_STR("scripts sample: Korean", e->contribs[7].authors[0].first,
                  "민준");
        CHECK_STR("scripts sample: name split", e->contribs[9].authors[0].last,
                  "Papadopoulos");
    }
    result_free(&r);
}

static void test_samples(void)
{
    static const char *const samples[] = {
        "samples/indico-conference.json", "samples/native-workshop.json",
        "samples/names-many-scripts.json"
    };
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        result r = load(samples[i], CB_FORMAT_AUTO, NULL);
        char name[128];
        snprintf(name, sizeof name, "%s: no messages", samples[i]);
        CHECK_STR(name, r.text, "");
        snprintf(name, sizeof name, "%s: parsed", samples[i]);
        CHECK(name, r.model && r.model->n_events >= 1 &&
                        r.model->events[0].n_contribs >= 8);
        result_free(&r);
    }
}

int main(void)
{
    test_indico_flat();
    test_indico_sessions();
    test_native_single();
    test_native_events();
    test_schedule();
    test_bad_files();
    test_inline_errors();
    test_skipped_person();
    test_error_cap();
    test_pathological();
    test_load_errors();
    test_real_export();
    test_samples();
    test_sample_values();
    CHECK_DONE();
}

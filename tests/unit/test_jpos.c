/* test_jpos.c - where values are, by the paths ingest names them with. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_jpos.h"
#include "cb_util.h"
#include "check.h"

/* "line:col" of each path in text, joined with spaces ("0:0": none). */
static const char *where(const char *text, const char *paths)
{
    static cb_buf out;
    const char *p[16];
    char *copy = cb_xstrdup(paths), *save = NULL;
    size_t n = 0;
    for (char *t = strtok_r(copy, " ", &save); t && n < 16;
         t = strtok_r(NULL, " ", &save))
        p[n++] = strcmp(t, "ROOT") ? t : "";
    int line[16], col[16];
    cb_jpos_locate(text, strlen(text), p, n, line, col);
    out.len = 0;
    cb_buf_puts(&out, "");
    for (size_t i = 0; i < n; i++)
        cb_buf_printf(&out, "%s%d:%d", i ? " " : "", line[i], col[i]);
    free(copy);
    return out.data;
}

int main(void)
{
    const char *indico =
        "{\"count\": 1,\n"
        " \"results\": [\n"
        "  {\"title\": \"FEL\",\n"
        "   \"contributions\": [\n"
        "    {\"id\": 7, \"startDate\": {\"date\": \"2022-08-32\"}},\n"
        "    {\"id\": 8, \"title\": \"Wörter\", \"persons\": []}\n"
        "   ]}\n"
        " ]}\n";
    CHECK_STR("a value in a record, not the record",
              where(indico, "results[0].contributions[0].startDate.date"),
              "5:37");
    CHECK_STR("records and their fields",
              where(indico, "results[0].contributions[1] "
                            "results[0].contributions[1].title "
                            "results[0].contributions[1].persons results[0]"),
              "6:5 6:24 6:45 3:3");
    CHECK_STR("the root, a top-level key", where(indico, "ROOT count"),
              "1:1 1:11");
    CHECK_STR("paths that are not there",
              where(indico, "results[1] results[0].contributions[2] nope "
                            "results[0].contributions[0].persons[0]"),
              "0:0 0:0 0:0 0:0");
    CHECK_STR("columns count characters, not bytes",
              where("{\"ä\": \"ö\", \"k\": 1}", "ä k"), "1:7 1:17");
    CHECK_STR("escaped keys are decoded as jansson decodes them",
              where("{\"a\\u00e9\\\"\": [1, {\"b\": null}]}",
                    "aé\" aé\"[1].b aé\"[0]"),
              "1:15 1:25 1:16");
    CHECK_STR("a surrogate pair in a key",
              where("{\"\\ud835\\udd3d\": true}", "𝔽"), "1:18");
    CHECK_STR("strings with brackets, commas and quotes are skipped",
              where("[\"a,]}[{\\\"\", 2, [3, [4]]]", "[1] [2][1][0] [2]"),
              "1:14 1:22 1:17");
    CHECK_STR("empty arrays and objects",
              where("{\"a\": [], \"b\": {}, \"c\": [[]]}", "a b c c[0] a[0]"),
              "1:7 1:16 1:25 1:26 0:0");
    CHECK_STR("a byte order mark is not a column",
              where("\xEF\xBB\xBF{\"a\": 1}", "a"), "1:7");
    CHECK_STR("the same path asked twice", where("[0, 1]", "[1] [1]"),
              "1:5 1:5");
    CHECK_STR("text that stops short", where("{\"a\": [1, 2", "a[1] b"),
              "1:11 0:0");
    CHECK_STR("not JSON at all", where("}}]]\"", "a ROOT"), "0:0 1:1");
    CHECK_DONE();
}

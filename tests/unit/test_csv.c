/* test_csv.c - RFC 4180's cases, and where each field and error is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_csv.h"
#include "check.h"

/* Every record read, as "line:col=text|..." per record, one per line. */
static cb_buf out;

static int keep(void *ctx, const cb_csv_field *f, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++)
        cb_buf_printf(&out, "%s%d:%d=%s", i ? "|" : "", f[i].line, f[i].col,
                      f[i].text);
    cb_buf_putc(&out, '\n');
    return 0;
}

/* The records of s, or "ERROR line:col what". */
static const char *read_csv(const char *s)
{
    static char *last;
    cb_arena *a = cb_arena_new();
    cb_csv_error err = {0};
    out.len = 0;
    cb_buf_putc(&out, 0);
    out.len = 0;
    if (cb_csv_read(s, strlen(s), a, keep, NULL, &err) < 0) {
        out.len = 0;
        cb_buf_printf(&out, "ERROR %d:%d %s", err.line, err.col, err.what);
    }
    cb_arena_free(a);
    free(last);
    last = cb_xstrdup(out.data ? out.data : "");
    return last;
}

int main(void)
{
    /* RFC 4180 section 2, rule by rule */
    CHECK_STR("1: CRLF records", read_csv("aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n"),
              "1:1=aaa|1:5=bbb|1:9=ccc\n2:1=zzz|2:5=yyy|2:9=xxx\n");
    CHECK_STR("2: last record without a line break",
              read_csv("aaa,bbb\nzzz,yyy"), "1:1=aaa|1:5=bbb\n2:1=zzz|2:5=yyy\n");
    CHECK_STR("4: spaces are part of a field", read_csv(" a , b \n"),
              "1:1= a |1:5= b \n");
    CHECK_STR("4: empty fields", read_csv(",,\n"), "1:1=|1:2=|1:3=\n");
    CHECK_STR("5: quoted fields", read_csv("\"aaa\",\"bbb\",ccc\n"),
              "1:1=aaa|1:7=bbb|1:13=ccc\n");
    CHECK_STR("6: commas and line breaks in quotes",
              read_csv("\"a,b\",\"line\r\nbreak\",c\nnext,row\n"),
              "1:1=a,b|1:7=line\r\nbreak|2:8=c\n3:1=next|3:6=row\n");
    CHECK_STR("7: doubled quotes", read_csv("\"say \"\"hi\"\"\",x\n"),
              "1:1=say \"hi\"|1:14=x\n");
    CHECK_STR("quoted empty field is a record", read_csv("\"\"\n"), "1:1=\n");
    /* what spreadsheets write beyond the RFC */
    CHECK_STR("byte order mark skipped", read_csv("\xEF\xBB\xBFid,title\n"),
              "1:1=id|1:4=title\n");
    CHECK_STR("blank lines are no records", read_csv("a\n\n\r\nb\n\n"),
              "1:1=a\n4:1=b\n");
    CHECK_STR("columns count characters", read_csv("é,ü,x\n"),
              "1:1=é|1:3=ü|1:5=x\n");
    CHECK_STR("empty input", read_csv(""), "");
    /* errors, where they are */
    CHECK_STR("quote never closed: at the opening quote",
              read_csv("a,b\nc,\"open\nstill open\n"),
              "ERROR 2:3 a quoted field is never closed");
    CHECK_STR("text after a closing quote", read_csv("\"ab\"c,d\n"),
              "ERROR 1:5 text after the closing quote of a field (a quote "
              "inside a quoted field is doubled: \"\")");
    CHECK_STR("quote inside an unquoted field", read_csv("ab\"c\"\n"),
              "ERROR 1:3 a double quote inside an unquoted field: quote the "
              "whole field and double the quote (\"\")");
    CHECK_STR("invalid UTF-8", read_csv("ok\n\"x\xE9y\"\n"),
              "ERROR 2:3 a byte that is not UTF-8: save the file as UTF-8");
    char many[3000];
    memset(many, ',', 1100);
    many[1100] = '\0';
    CHECK_STR("too many fields", read_csv(many),
              "ERROR 1:1025 more than 1024 fields in one record");
    cb_buf_free(&out);
    CHECK_DONE();
}

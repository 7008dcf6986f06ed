/* test_markup.c - runs the examples of tests/markup.test (each also with
 * Windows line ends), then pathological inputs: deep nesting, megabytes of
 * text, libxml2 kept off stderr. Run from the project root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cb_markup.h"
#include "cb_util.h"
#include "check.h"

#define SPEC_PATH "tests/markup.test"

/* A pathological input must parse within this many seconds even under
 * valgrind (cmark's pathological tests use a bound the same way). */
#define SLOW_SECONDS 60.0

/* The dump of one description, freed by the caller. */
static char *dump_of(const char *input, size_t len)
{
    cb_arena *arena = cb_arena_new();
    char *dump = cb_markup_dump(cb_markup_parse(arena, input, len, NULL));
    cb_arena_free(arena);
    return dump;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    cb_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        cb_buf_add(&b, chunk, n);
    fclose(f);
    if (!b.data)
        cb_buf_add(&b, "", 0);
    return b.data;
}

/* Spec inputs write a carriage return as U+240D and a tab as U+2192. */
static void add_input_line(cb_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (n - i >= 3 && memcmp(s + i, "\xE2\x90\x8D", 3) == 0) {
            cb_buf_putc(out, '\r');
            i += 2;
        } else if (n - i >= 3 && memcmp(s + i, "\xE2\x86\x92", 3) == 0) {
            cb_buf_putc(out, '\t');
            i += 2;
        } else {
            cb_buf_putc(out, s[i]);
        }
    }
    cb_buf_putc(out, '\n');
}

/* Shows where the dumps first differ, then both in full. */
static void report(const char *name, const char *want, const char *got)
{
    int line = 1;
    size_t i = 0;
    for (; want[i] && want[i] == got[i]; i++)
        line += want[i] == '\n';
    printf("FAIL %s: dumps differ at line %d\n--- want\n%s--- got\n%s---\n", name, line, want,
           got);
    check_failed++;
}

static void check_dump(const char *name, const char *input, size_t len, const char *want)
{
    char *got = dump_of(input, len);
    if (strcmp(got, want) == 0)
        printf("PASS %s\n", name);
    else
        report(name, want, got);
    free(got);
}

/* The same input with every "\n" written as "\r\n" must give the same tree. */
static void check_crlf(const char *name, const char *input, size_t len, const char *want)
{
    if (memchr(input, '\r', len))
        return;
    cb_buf crlf = {0};
    for (size_t i = 0; i < len; i++)
        cb_buf_add(&crlf, input[i] == '\n' ? "\r\n" : &input[i], input[i] == '\n' ? 2 : 1);
    char label[300];
    snprintf(label, sizeof label, "%s (crlf)", name);
    check_dump(label, crlf.data ? crlf.data : "", crlf.len, want);
    cb_buf_free(&crlf);
}

/* Runs every "### name / input / . / dump / ." example of the spec file. */
static void run_spec(const char *path)
{
    char *text = read_file(path);
    CHECK("markup: spec file readable", text != NULL);
    if (!text)
        return;
    enum { OUTSIDE, INPUT, EXPECTED } state = OUTSIDE;
    cb_buf input = {0}, want = {0};
    char name[256] = "";
    int count = 0;
    for (char *line = text, *end; *line; line = end + (*end == '\n')) {
        end = line + strcspn(line, "\n");
        size_t n = (size_t)(end - line);
        int dot = n == 1 && line[0] == '.';
        if (state == OUTSIDE && n > 4 && strncmp(line, "### ", 4) == 0) {
            snprintf(name, sizeof name, "markup: %.*s", (int)(n - 4), line + 4);
            input.len = want.len = 0;
            cb_buf_add(&input, "", 0);
            cb_buf_add(&want, "", 0);
            state = INPUT;
        } else if (state == INPUT) {
            if (dot)
                state = EXPECTED;
            else
                add_input_line(&input, line, n);
        } else if (state == EXPECTED && !dot) {
            cb_buf_add(&want, line, n);
            cb_buf_putc(&want, '\n');
        } else if (state == EXPECTED) {
            check_dump(name, input.data, input.len, want.data);
            check_crlf(name, input.data, input.len, want.data);
            count++;
            state = OUTSIDE;
        }
    }
    CHECK("markup: spec has at least 40 examples", count >= 40);
    CHECK("markup: spec ends outside an example", state == OUTSIDE);
    cb_buf_free(&input);
    cb_buf_free(&want);
    free(text);
}

/* ---- pathological inputs ---- */

/* All text of a tree, spans joined by nothing, blocks by '\n'. */
static void collect_text(cb_buf *out, const cb_block *blk)
{
    for (; blk; blk = blk->next) {
        for (const cb_span *sp = blk->spans; sp; sp = sp->next)
            if (sp->text)
                cb_buf_puts(out, sp->text);
        if (blk->code)
            cb_buf_puts(out, blk->code);
        cb_buf_putc(out, '\n');
        collect_text(out, blk->children);
    }
}

/* The deepest nesting of lists and quotes. */
static int nesting(const cb_block *blk)
{
    int most = 0;
    for (; blk; blk = blk->next) {
        int here = blk->kind == CB_BLOCK_LIST || blk->kind == CB_BLOCK_QUOTE;
        int below = here + nesting(blk->children);
        most = below > most ? below : most;
    }
    return most;
}

/* Is any span text or code line broken by a line end where it must not be? */
static int spans_clean(const cb_block *blk)
{
    for (; blk; blk = blk->next) {
        for (const cb_span *sp = blk->spans; sp; sp = sp->next)
            if (sp->text && strpbrk(sp->text, "\r\n"))
                return 0;
        if (!spans_clean(blk->children))
            return 0;
    }
    return 1;
}

typedef struct {
    cb_arena *arena;
    cb_block *blocks;
    cb_buf text;
    double seconds;
} parsed;

static parsed parse_timed(const char *input, size_t len)
{
    parsed p = {cb_arena_new(), NULL, {0}, 0};
    clock_t t0 = clock();
    p.blocks = cb_markup_parse(p.arena, input, len, NULL);
    p.seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    collect_text(&p.text, p.blocks);
    if (!p.text.data)
        cb_buf_add(&p.text, "", 0);
    return p;
}

static void parsed_free(parsed *p)
{
    cb_arena_free(p->arena);
    cb_buf_free(&p->text);
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Repeats s n times into b. */
static void repeat(cb_buf *b, const char *s, int n)
{
    for (int i = 0; i < n; i++)
        cb_buf_puts(b, s);
}

/* Checks a parse of b: fast enough, nesting capped, the marker words kept. */
static void check_pathological(const char *name, cb_buf *b, const char *word, size_t words)
{
    char label[200];
    parsed p = parse_timed(b->data, b->len);
    snprintf(label, sizeof label, "markup: %s: time bound", name);
    CHECK(label, p.seconds < SLOW_SECONDS);
    snprintf(label, sizeof label, "markup: %s: nesting capped", name);
    CHECK(label, nesting(p.blocks) <= 16);
    snprintf(label, sizeof label, "markup: %s: text kept", name);
    CHECK(label, count_of(p.text.data, word) == words);
    snprintf(label, sizeof label, "markup: %s: no line ends in spans", name);
    CHECK(label, spans_clean(p.blocks));
    parsed_free(&p);
    cb_buf_free(b);
}

static void test_deep_markdown(void)
{
    cb_buf b = {0};
    repeat(&b, ">", 1000);
    cb_buf_puts(&b, " deepquote\n");
    check_pathological("1000 nested quotes", &b, "deepquote", 1);

    for (int i = 0; i < 1000; i++) {
        cb_buf_printf(&b, "%*s- lvl%d\n", i * 2, "", i);
    }
    parsed p = parse_timed(b.data, b.len);
    int all = 1;
    for (int i = 0; i < 1000 && all; i++) {
        char word[32];
        snprintf(word, sizeof word, "lvl%d\n", i);
        all = strstr(p.text.data, word) != NULL;
    }
    CHECK("markup: 1000 nested lists: every level's text kept", all);
    CHECK("markup: 1000 nested lists: nesting capped at 16", nesting(p.blocks) == 16);
    parsed_free(&p);
    cb_buf_free(&b);

    repeat(&b, "*", 20000);
    cb_buf_puts(&b, "emph");
    repeat(&b, "*", 20000);
    check_pathological("20000 emphasis delimiters", &b, "emph", 1);

    repeat(&b, "- > 1. ", 500);
    cb_buf_puts(&b, "mixed\n");
    check_pathological("500 list/quote/list levels on one line", &b, "mixed", 1);
}

static void test_deep_html(void)
{
    cb_buf b = {0};
    repeat(&b, "<div>", 1000);
    repeat(&b, "<ul><li>", 1000);
    cb_buf_puts(&b, "deepitem");
    repeat(&b, "</li></ul>", 1000);
    repeat(&b, "</div>", 1000);
    check_pathological("1000 nested HTML lists", &b, "deepitem", 1);

    repeat(&b, "<blockquote><p>q", 1000);
    check_pathological("1000 unclosed HTML quotes", &b, "q", 1000);

    repeat(&b, "<span>", 100000);
    cb_buf_puts(&b, "spanned");
    check_pathological("100000 nested spans", &b, "spanned", 1);

    cb_buf_puts(&b, "text ");
    repeat(&b, "<b><i>", 50000);
    cb_buf_puts(&b, "styled");
    repeat(&b, "</sub>", 50000);
    check_pathological("100000 inline tags in Markdown", &b, "styled", 1);
}

static void test_big_inputs(void)
{
    cb_buf b = {0};
    repeat(&b, "word ", 200000); /* 1 MB in one paragraph */
    check_pathological("1 MB paragraph", &b, "word", 200000);

    repeat(&b, "line\r\n", 170000);
    check_pathological("1 MB of short lines", &b, "line", 170000);

    cb_buf_puts(&b, "see https://");
    repeat(&b, "a(", 500000);
    check_pathological("1 MB URL", &b, "a(", 500000);

    repeat(&b, "< & [ ] ` * _ ", 70000);
    check_pathological("1 MB of markup characters", &b, "&", 70000);

    cb_buf_puts(&b, "<p>");
    repeat(&b, "cell &amp; <b>bold</b><br>", 40000);
    check_pathological("1 MB HTML document", &b, "bold", 40000);
}

/* libxml2 must never talk on stderr, whatever the HTML. */
static void test_quiet_libxml(void)
{
    static const char *const bad[] = {
        "<p>unclosed <b>tags <i>everywhere",
        "<div><p>x</span></td></div></html></p>",
        "<p>\xff\xfe invalid bytes</p>",
        "<p>&bogus; &#99999999; &#xZZ; &</p>",
        "<!DOCTYPE bogus><html><head><meta charset=latin1></head><body><p>x</p></body></html>",
        "<p attr=\"unterminated>text</p>",
        "<<<>>></p></p></p><p>",
    };
    FILE *tmp = tmpfile();
    int saved = dup(2);
    fflush(stderr);
    dup2(fileno(tmp), 2);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        free(dump_of(bad[i], strlen(bad[i])));
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    CHECK("markup: libxml2 prints nothing on stderr", lseek(fileno(tmp), 0, SEEK_END) == 0);
    fclose(tmp);
}

static void test_edges(void)
{
    cb_arena *arena = cb_arena_new();
    CHECK("markup: NULL text gives NULL", cb_markup_parse(arena, NULL, 0, NULL) == NULL);
    CHECK("markup: empty text gives NULL", cb_markup_parse(arena, "", 0, NULL) == NULL);
    CHECK("markup: blanks give NULL", cb_markup_parse(arena, " \r\n\t\n ", 6, NULL) == NULL);
    CHECK("markup: empty HTML gives NULL", cb_markup_parse(arena, "<p> </p>", 8, NULL) == NULL);
    cb_block *nul = cb_markup_parse(arena, "a\0b", 3, NULL);
    CHECK("markup: NUL byte becomes U+FFFD", nul && nul->spans &&
                                                 strcmp(nul->spans->text, "a\xEF\xBF\xBD" "b") == 0);
    cb_block *html = cb_markup_parse(arena, "<p>a\0b</p>", 10, NULL);
    CHECK("markup: NUL byte in HTML", html && html->spans &&
                                          strcmp(html->spans->text, "a\xEF\xBF\xBD" "b") == 0);
    cb_arena_free(arena);
    char *empty = cb_markup_dump(NULL);
    CHECK_STR("markup: dump of NULL is empty", empty, "");
    free(empty);
}

int main(void)
{
    run_spec(SPEC_PATH);
    test_edges();
    test_quiet_libxml();
    test_deep_markdown();
    test_deep_html();
    test_big_inputs();
    CHECK_DONE();
}

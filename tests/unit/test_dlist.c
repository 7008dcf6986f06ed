/* test_dlist.c - the display list: pages and items, moving front matter
 * before the body (pages, links and bookmarks renumbered, bookmarks in
 * reading order), labels, metadata, and the text dump layout tests read. */
#include <stdlib.h>
#include <string.h>

#include "cb_dlist.h"
#include "check.h"

static const char *face_name(void *ctx, int face)
{
    (void)ctx;
    return face == 0 ? "Serif" : "Other";
}

static char *dump(const cb_dlist *dl)
{
    cb_buf b = {0};
    cb_dlist_dump(dl, &b, face_name, NULL);
    return b.data;
}

/* Adds a text item whose glyphs are one per byte of s. */
static void add_text(cb_page *p, float x, float y, const char *s)
{
    cb_glyph g[64] = {{0}};
    size_t n = strlen(s);
    for (size_t i = 0; i < n && i < 64; i++)
        g[i] = (cb_glyph){(unsigned)(i + 1), 5, 0, 0};
    cb_page_add_text(p, x, y, 0, 10, 0, g, n, s, n, NULL);
}

static void test_pages_and_items(void)
{
    cb_dlist *dl = cb_dlist_new();
    CHECK("a new list has no page", cb_dlist_page_count(dl) == 0);
    cb_page *a = cb_dlist_add_page(dl, 595.28f, 841.89f);
    cb_page *b = cb_dlist_add_page(dl, 419.53f, 595.28f);
    CHECK("two pages", cb_dlist_page_count(dl) == 2);
    CHECK("pages are numbered from 0",
          cb_page_number(a) == 0 && cb_page_number(b) == 1);
    CHECK("a page is found by index", cb_dlist_page(dl, 1) == b);
    float w, h;
    cb_page_size(b, &w, &h);
    CHECK("a page keeps its size", w == 419.53f && h == 595.28f);

    char text[] = "copied";
    add_text(a, 10, 20, text);
    text[0] = 'X';
    size_t n;
    const cb_item *it = cb_page_items(a, &n);
    CHECK("one item", n == 1 && it[0].kind == CB_ITEM_TEXT);
    CHECK_STR("the list owns a copy of the text", it[0].text, "copied");
    cb_page_mark_rtl(a);
    CHECK("the last text item is marked right to left", it[0].rtl == 1);

    /* a running head set when the page is full goes to its front */
    cb_page_add_line(a, 0, 0, 100, 0, 0.5f, 0xb4b4b4);
    size_t before;
    cb_page_items(a, &before);
    add_text(a, 10, 800, "head");
    cb_page_add_rect(a, 0, 0, 10, 10, 0xf1f1f1);
    cb_page_items_to_front(a, before);
    it = cb_page_items(a, &n);
    CHECK("items moved to the front keep their order",
          n == 4 && it[0].kind == CB_ITEM_TEXT &&
              strcmp(it[0].text, "head") == 0 && it[1].kind == CB_ITEM_RECT);
    CHECK("the items before them follow",
          strcmp(it[2].text, "copied") == 0 && it[3].kind == CB_ITEM_LINE);
    cb_dlist_free(dl);
}

/* Front matter (set after the body) moves before it: pages, links to
 * pages and bookmarks follow, and bookmarks stay in reading order. */
static void test_move_pages(void)
{
    cb_dlist *dl = cb_dlist_new();
    cb_page *p[5];
    for (int i = 0; i < 5; i++)
        p[i] = cb_dlist_add_page(dl, 595, 842);
    /* body: pages 0-2, two columns on page 1; front matter: pages 3-4 */
    cb_dlist_add_outline(dl, 1, "Session A", 0, 800);
    cb_dlist_add_outline(dl, 2, "Talk 1 (column 1, low)", 1, 300);
    cb_dlist_add_outline(dl, 2, "Talk 2 (column 2, high)", 1, 700);
    cb_dlist_add_outline(dl, 2, "Talk 3", 2, 800);
    cb_dlist_add_outline(dl, 0, "Event", 3, 842);
    cb_dlist_add_outline(dl, 1, "Contents", 4, 800);
    cb_page_add_link_page(p[4], 0, 0, 10, 10, 2, 800); /* contents -> talk 3 */
    cb_page_add_link_page(p[0], 0, 0, 10, 10, 4, 800); /* body -> contents */
    cb_dlist_move_pages(dl, 3, 2, 0);

    CHECK("the front matter's pages come first",
          cb_dlist_page(dl, 0) == p[3] && cb_dlist_page(dl, 1) == p[4] &&
              cb_dlist_page(dl, 2) == p[0]);
    CHECK("pages keep their numbers, and their places follow",
          cb_page_number(p[3]) == 3 && cb_dlist_position(dl, 3) == 0 &&
              cb_dlist_position(dl, 2) == 4);
    size_t n;
    const cb_item *it = cb_page_items(p[4], &n);
    CHECK("a link into the body follows its page",
          cb_dlist_position(dl, it[0].target_page) == 4);
    it = cb_page_items(p[0], &n);
    CHECK("a link into the front matter follows its page",
          cb_dlist_position(dl, it[0].target_page) == 1);
    const cb_outline *o = cb_dlist_outlines(dl, &n);
    const char *want[] = {"Event", "Contents", "Session A",
                          "Talk 1 (column 1, low)", "Talk 2 (column 2, high)",
                          "Talk 3"};
    int ok = n == 6;
    for (size_t i = 0; ok && i < n; i++)
        ok = strcmp(o[i].title, want[i]) == 0;
    CHECK("bookmarks in reading order: by page, then as added (not by height)",
          ok);
    CHECK("bookmarks point at the moved pages",
          cb_dlist_position(dl, o[0].page) == 0 &&
              cb_dlist_position(dl, o[2].page) == 2 &&
              cb_dlist_position(dl, o[5].page) == 4);
    cb_dlist_free(dl);
}

static int n_handed, handed[4];

static int take(void *ctx, const cb_page *p)
{
    (void)ctx;
    size_t n;
    cb_page_items(p, &n);
    handed[n_handed++] = cb_page_number(p) * 10 + (int)n;
    return 0;
}

/* With a sink, pages go out in the order they were added, once done,
 * and are emptied. */
static void test_sink(void)
{
    cb_dlist *dl = cb_dlist_new();
    cb_dlist_set_sink(dl, take, NULL);
    cb_page *p[3];
    for (int i = 0; i < 3; i++) {
        p[i] = cb_dlist_add_page(dl, 595, 842);
        cb_page_add_rect(p[i], 0, 0, 10, 10, 0);
    }
    cb_dlist_page_done(dl, p[1]);
    CHECK("a page waits for the pages before it", n_handed == 0);
    cb_dlist_page_done(dl, p[0]);
    CHECK("then both go, in order, with their items",
          n_handed == 2 && handed[0] == 1 && handed[1] == 11);
    size_t n;
    cb_page_items(p[0], &n);
    CHECK("a page handed over is emptied", n == 0);
    CHECK("the rest goes at the end", cb_dlist_finish(dl) == 0 &&
                                          n_handed == 3 && handed[2] == 21);
    cb_dlist_free(dl);
}

static void test_metadata_and_labels(void)
{
    cb_dlist *dl = cb_dlist_new();
    CHECK("no title yet", cb_dlist_info(dl, "Title") == NULL);
    CHECK("no date yet", cb_dlist_date(dl) == -1);
    cb_dlist_set_info(dl, "Title", "Golden – Report");
    cb_dlist_set_info(dl, "Title", "Golden – Book");
    CHECK_STR("the last value of a key counts", cb_dlist_info(dl, "Title"),
              "Golden – Book");
    cb_dlist_set_date(dl, 1700000000LL);
    CHECK("the date is kept", cb_dlist_date(dl) == 1700000000LL);
    cb_dlist_add_page_label(dl, 0, 1, 1);
    cb_dlist_add_page_label(dl, 3, 0, 1);
    size_t n;
    const cb_page_label *l = cb_dlist_page_labels(dl, &n);
    CHECK("two label ranges", n == 2 && l[0].roman && !l[1].roman &&
                                  l[1].page == 3 && l[1].first == 1);
    cb_dlist_free(dl);
}

/* The dump: what layout tests compare. Two decimals, whatever the locale;
 * quotes and backslashes escaped; one line per item. */
static void test_dump(void)
{
    cb_dlist *dl = cb_dlist_new();
    cb_dlist_set_info(dl, "Author", "A \"quoted\" \\ name");
    cb_dlist_add_page_label(dl, 0, 1, 1);
    cb_dlist_add_outline(dl, 0, "Top", 0, 841.889f);
    cb_page *p = cb_dlist_add_page(dl, 595.28f, 841.89f);
    cb_page_add_block(p, "P", 7, NULL);
    cb_glyph g[2] = {{1, 5, 0, 0}, {2, 5, 0, 0}};
    cb_page_add_text(p, 78, 700.125f, 0, 10.5f, 0x1a4d8c, g, 2, "fi", 2,
                     "fi!");
    cb_page_add_line(p, 1, 2, 3, 4, 0.4f, 0xb4b4b4);
    cb_page_add_rect(p, 0, 0, 10, 20, 0xf1f1f1);
    cb_page_add_link_uri(p, 5, 6, 7, 8, "https://example.org/a\"b");
    cb_page_add_link_page(p, 5, 6, 7, 8, 0, 830.5f);
    char *d = dump(dl);
    CHECK_STR("the dump, line by line", d,
              "info Author \"A \\\"quoted\\\" \\\\ name\"\n"
              "label page=1 style=roman first=1\n"
              "outline level=0 page=1 y=841.89 \"Top\"\n"
              "page 1 size=595.28x841.89\n"
              "  block P id=7\n"
              "  text at=78,700.13 font=Serif size=10.5 color=1a4d8c \"fi\" "
              "actual=\"fi!\"\n"
              "  line at=1,2 to=3,4 width=0.4 color=b4b4b4\n"
              "  rect at=0,0 to=10,20 color=f1f1f1\n"
              "  link at=5,6 to=12,14 \"https://example.org/a\\\"b\"\n"
              "  goto at=5,6 to=12,14 page=1 y=830.5\n");
    free(d);
    cb_dlist_free(dl);
}

int main(void)
{
    test_pages_and_items();
    test_move_pages();
    test_sink();
    test_metadata_and_labels();
    test_dump();
    CHECK_DONE();
}

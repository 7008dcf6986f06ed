/* test_pdf.c - the PDF writer, as pdfio tests itself: write a document,
 * then read it back with tools that did not write it (qpdf, pdftotext,
 * pdfinfo, pdffonts). Text, fonts and their Unicode maps, links, bookmarks,
 * page labels and metadata; the same bytes twice and under a decimal-comma
 * locale; a failed write leaves nothing behind. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cb_pdf.h"
#include "cb_text.h"
#include "check.h"

static char dir[] = "/tmp/cb-test-pdf-XXXXXX";

/* The standard output of a shell command (the caller frees it). */
static char *run(const char *fmt, const char *arg)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, fmt, arg);
    FILE *p = popen(cmd, "r");
    cb_buf out = {0};
    cb_buf_add(&out, "", 0);
    char chunk[4096];
    size_t n;
    while (p && (n = fread(chunk, 1, sizeof chunk, p)) > 0)
        cb_buf_add(&out, chunk, n);
    if (p)
        pclose(p);
    return out.data;
}

/* Writes the PDF as the command does: opens the output, writes, commits. */
static int write_pdf(cb_dlist *dl, cb_fonts *fonts, const char *path,
                     cb_diag *diag)
{
    cb_output o;
    if (cb_output_open(&o, path) != 0) {
        cb_diag_error(diag, path, errno == EISDIR ? "cannot write: %s"
                                                  : "cannot create: %s",
                      strerror(errno));
        return CB_EXIT_IO;
    }
    int rc = cb_pdf_write(dl, fonts, NULL, &o, path, diag);
    if (rc == CB_EXIT_OK && cb_output_commit(&o) != 0)
        rc = CB_EXIT_IO;
    cb_output_discard(&o);
    return rc;
}

static int file_equal(const char *a, const char *b)
{
    cb_buf x = {0}, y = {0};
    int same = cb_read_file(a, SIZE_MAX, &x) == 0 &&
               cb_read_file(b, SIZE_MAX, &y) == 0 &&
               x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
    cb_buf_free(&x);
    cb_buf_free(&y);
    return same;
}

/* A two-page document: text in two faces (one character from outside the
 * BMP), a rule, a box, a web link, a link to page 2, bookmarks, labels. */
static cb_dlist *make_document(cb_fonts *fonts)
{
    cb_dlist *dl = cb_dlist_new();
    cb_text *t = cb_text_new(fonts);
    cb_arena *a = cb_arena_new();
    int serif = cb_fonts_find(fonts, "Noto Serif", "serif", 0, 0);
    int bold = cb_fonts_find(fonts, "Noto Serif", "serif", 1, 0);
    cb_page *p1 = cb_dlist_add_page(dl, 595.28f, 841.89f);
    cb_page *p2 = cb_dlist_add_page(dl, 419.53f, 595.28f);
    cb_style st = {.face = serif, .size_pt = 11};
    cb_style b = {.face = bold, .size_pt = 11};
    cb_style link = st;
    link.link = "https://example.org/kabátová";
    cb_style go = st;
    go.link = "#p1:500.00";
    cb_text_add(t, "Kabátová, Lübbe: ", strlen("Kabátová, Lübbe: "), &st);
    cb_text_add(t, "AVATAR 𝜇 ∼ 1,5", strlen("AVATAR 𝜇 ∼ 1,5"), &b);
    cb_text_add_break(t, &st);
    cb_text_add(t, "a web link", 10, &link);
    cb_text_add(t, " and ", 5, &st);
    cb_text_add(t, "page two", 8, &go);
    cb_line *lines;
    long n = cb_text_layout(t, a, 400, 400, CB_ALIGN_LEFT, &lines);
    for (long i = 0; i < n; i++)
        cb_line_draw(&lines[i], p1, 72, 760 - 14 * (float)i);
    cb_page_add_line(p1, 72, 700, 500, 700, 0.5f, 0xb4b4b4);
    cb_page_add_rect(p1, 72, 600, 100, 50, 0xf1f1f1);
    cb_text_reset(t);
    cb_text_add(t, "Zweite Seite", 12, &st);
    n = cb_text_layout(t, a, 300, 300, CB_ALIGN_LEFT, &lines);
    if (n == 1)
        cb_line_draw(&lines[0], p2, 72, 500);
    cb_dlist_add_outline(dl, 0, "Příliš žluťoučký kůň", 0, 841.89f);
    cb_dlist_add_outline(dl, 1, "Ελληνικά 中文", 1, 595.28f);
    cb_dlist_add_page_label(dl, 0, 1, 1);
    cb_dlist_add_page_label(dl, 1, 0, 1);
    cb_dlist_set_info(dl, "Title", "Golden – Test Document");
    cb_dlist_set_info(dl, "Author", "Kabátová");
    cb_dlist_set_date(dl, 1700000000LL);
    cb_text_free(t);
    cb_arena_free(a);
    return dl;
}

static void test_read_back(const char *pdf)
{
    char *s = run("qpdf --check '%s' 2>&1", pdf);
    CHECK("qpdf --check: no errors",
          strstr(s, "No syntax or stream encoding errors") != NULL);
    free(s);
    s = run("pdftotext -enc UTF-8 '%s' - 2>&1", pdf);
    CHECK("pdftotext gives back every name, 𝜇 and ∼ included",
          strstr(s, "Kabátová, Lübbe: AVATAR 𝜇 ∼ 1,5") != NULL);
    CHECK("and the second page", strstr(s, "Zweite Seite") != NULL);
    CHECK("with no warning from poppler", strstr(s, "Syntax") == NULL);
    free(s);
    s = run("pdfinfo '%s' 2>&1", pdf);
    CHECK("two pages", strstr(s, "Pages:           2") != NULL);
    CHECK("the title in UTF-8",
          strstr(s, "Title:           Golden – Test Document") != NULL);
    CHECK("the author", strstr(s, "Author:          Kabátová") != NULL);
    CHECK("the date from the list", strstr(s, "CreationDate:") &&
                                        strstr(s, "2023") != NULL);
    free(s);
    s = run("pdffonts '%s' 2>&1 | tail -n +3 | awk '{print $(NF-4), "
            "$(NF-3), $(NF-2)}' | sort -u", pdf);
    CHECK_STR("every font embedded as a subset with a Unicode map", s,
              "yes yes yes\n");
    free(s);
    s = run("qpdf --json '%s' 2>&1", pdf);
    CHECK("a web link, its URI percent-encoded",
          strstr(s, "https://example.org/kab%C3%A1tov%C3%A1") != NULL);
    CHECK("a link to a page", strstr(s, "\"/Dest\"") != NULL ||
                                  strstr(s, "/XYZ") != NULL);
    CHECK("the bookmarks", strstr(s, "Příliš žluťoučký kůň") != NULL &&
                               strstr(s, "Ελληνικά 中文") != NULL);
    CHECK("page labels: roman, then decimal",
          strstr(s, "\"/S\": \"/r\"") != NULL &&
              strstr(s, "\"/S\": \"/D\"") != NULL);
    free(s);
}

/* The writer's rounding and numbers: halves away from zero, as libm's
 * round(), which it replaced on the hot path. */
static void test_numbers(void)
{
    CHECK("2.5 rounds to 3", cb_round(2.5) == 3);
    CHECK("-2.5 rounds to -3", cb_round(-2.5) == -3);
    CHECK("0.49999999999999994 rounds to 0",
          cb_round(0.49999999999999994) == 0);
    CHECK("-0.5 rounds to -1", cb_round(-0.5) == -1);
    CHECK("1.4999 rounds to 1", cb_round(1.4999) == 1);
    /* read, not written as constants: cppcheck would follow them into
     * the conversion the test of 2^52 guards */
    double big = strtod("1e300", NULL), not_num = strtod("nan", NULL);
    CHECK("a whole number past 2^52 stays", cb_round(big) == big);
    CHECK("not a number stays not a number", cb_round(not_num) != cb_round(not_num));
    int same = 1;
    for (long i = -200000; i <= 200000; i++) {
        double v = (double)i / 16.0 + 1e-9 * (double)(i % 7);
        same &= cb_round(v) == round(v);
    }
    CHECK("the same as round() over a range of quarters and eighths", same);
    cb_buf b = {0};
    cb_buf_num(&b, -12.3456, 3);
    cb_buf_putc(&b, ' ');
    cb_buf_num(&b, 0.0005, 3);
    cb_buf_putc(&b, ' ');
    cb_buf_num(&b, 1e30, 1);
    cb_buf_putc(&b, ' ');
    cb_buf_num(&b, NAN, 2);
    CHECK_STR("numbers written with a point, trailing zeros dropped, "
              "huge ones bounded", b.data,
              "-12.346 0.001 900000000000000000 0");
    cb_buf_free(&b);
}

int main(void)
{
    test_numbers();
    if (!mkdtemp(dir)) {
        printf("FAIL pdf: cannot make a scratch folder\n");
        return 1;
    }
    cb_buf msgs = {0};
    FILE *out = tmpfile();
    cb_diag *diag = cb_diag_new(out);
    cb_fonts *fonts = cb_fonts_new(diag);
    cb_dlist *dl = make_document(fonts);

    char a[4200], b[4200], c[4200];
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);
    snprintf(c, sizeof c, "%s/fr.pdf", dir);
    CHECK("written", write_pdf(dl, fonts, a, diag) == CB_EXIT_OK);
    test_read_back(a);
    CHECK("written again", write_pdf(dl, fonts, b, diag) == CB_EXIT_OK);
    CHECK("the same bytes twice", file_equal(a, b));
    int fr = setlocale(LC_ALL, "fr_FR.UTF-8") != NULL;
    if (fr) {
        CHECK("written under a decimal-comma locale",
              write_pdf(dl, fonts, c, diag) == CB_EXIT_OK);
        CHECK("the same bytes (a PDF never says 1,5 for 1.5)",
              file_equal(a, c));
        setlocale(LC_ALL, "C");
    }

    /* a file that cannot be written: an I/O error, said, nothing left */
    char bad[4200];
    snprintf(bad, sizeof bad, "%s/missing/x.pdf", dir);
    CHECK("a folder that does not exist is an I/O error",
          write_pdf(dl, fonts, bad, diag) == CB_EXIT_IO);
    fflush(out);
    rewind(out);
    char line[1024];
    while (fgets(line, sizeof line, out))
        cb_buf_puts(&msgs, line);
    CHECK("and is reported with the path",
          msgs.data && strstr(msgs.data, "/missing/x.pdf: error: cannot "
                                         "create: No such file") != NULL);
    /* a target that is a folder: refused before anything is written */
    char folder[4200];
    snprintf(folder, sizeof folder, "%s/folder.pdf", dir);
    mkdir(folder, 0755);
    CHECK("a folder in the way of the output is an I/O error",
          write_pdf(dl, fonts, folder, diag) == CB_EXIT_IO);
    rmdir(folder);
    char *left = run("ls -A '%s'", dir);
    CHECK_STR("no temporary file is left", left,
              fr ? "a.pdf\nb.pdf\nfr.pdf\n" : "a.pdf\nb.pdf\n");
    free(left);

    unlink(a);
    unlink(b);
    unlink(c);
    rmdir(dir);
    cb_buf_free(&msgs);
    cb_dlist_free(dl);
    cb_fonts_free(fonts);
    cb_diag_free(diag);
    fclose(out);
    CHECK_DONE();
}

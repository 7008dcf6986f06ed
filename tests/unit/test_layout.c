/* test_layout.c - layout files: defaults, units and values, paper sizes,
 * `extends` relative to the file, prefaces read once, templates, and the
 * messages of a bad file. (Every message with its caret is pinned by the
 * CLI tests, tests/cli/layout.test; every key's effect by
 * tests/layout-keys.py.) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cb_compose.h"
#include "cb_ingest.h"
#include "cb_layout.h"
#include "check.h"

static char dir[] = "/tmp/cb-test-layout-XXXXXX";
static char path_buf[4200];

/* Writes a file of the scratch folder; returns its path (until the next
 * call). */
static const char *put(const char *name, const char *text)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
    FILE *fp = fopen(path_buf, "wb");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
    return path_buf;
}

/* Loads a layout; its messages go to *msgs (the caller frees them). */
static cb_layout *load(const char *path, char **msgs)
{
    size_t len;
    FILE *out = open_memstream(msgs, &len);
    cb_diag *d = cb_diag_new(out);
    cb_layout *l = cb_layout_load(path, 0, d);
    cb_diag_free(d);
    fclose(out);
    return l;
}

static int near(float a, float b)
{
    return fabsf(a - b) < 0.01f;
}

static void test_defaults(void)
{
    cb_diag *d = cb_diag_new(NULL);
    cb_layout *l = cb_layout_load(NULL, 0, d);
    CHECK("the defaults load", l != NULL);
    if (!l) {
        cb_diag_free(d);
        return;
    }
    CHECK_STR("the defaults are report-a4", l->name, "report-a4");
    CHECK("A4 in points", near(l->page_width_pt, 595.28f) &&
                              near(l->page_height_pt, 841.89f));
    CHECK("body 10.5/14.5pt, justified", near(l->body_size_pt, 10.5f) &&
                                             near(l->body_leading_pt, 14.5f) &&
                                             l->body_align == CB_ALIGN_JUSTIFY);
    CHECK("title centred", l->title_align == CB_ALIGN_CENTER);
    CHECK_STR("Noto Serif", l->serif, "Noto Serif");
    CHECK("eleven fields, the ID line first",
          l->n_fields == 11 && l->fields[0] == CB_FIELD_ID_LINE);
    CHECK_STR("labels", l->label[CB_LABEL_REPORT], "Report of Contributions");
    CHECK("no preface", l->preface.text == NULL && *l->preface.path == '\0');
    cb_layout_set_family(l, CB_FONT_MONO, "DejaVu Sans Mono");
    CHECK_STR("a family set from the command line", l->mono,
              "DejaVu Sans Mono");
    CHECK_STR("the others untouched", l->sans, "Noto Sans");
    cb_layout_free(l);
    cb_diag_free(d);
}

static void test_values(void)
{
    char *msgs = NULL;
    const char *p = put("values.yaml",
                        "page:\n"
                        "  size: 148mm x 21cm\n"
                        "  margin_inner: 1in\n"
                        "  margin_outer: 20mm\n"
                        "  two_sided: true\n"
                        "body:\n"
                        "  size: 9pt\n"
                        "  leading: 0.5cm\n"
                        "  align: left\n"
                        "colors:\n"
                        "  link: \"#FF8000\"\n"
                        "fields: [title, description]\n"
                        "order:\n"
                        "  sort: [time, title]\n"
                        "  group: day\n");
    cb_layout *l = load(p, &msgs);
    CHECK("a layout with every kind of value loads", l != NULL);
    CHECK_STR("without a message", msgs, "");
    if (l) {
        CHECK("WIDTH x HEIGHT in mixed units",
              near(l->page_width_pt, 419.53f) &&
                  near(l->page_height_pt, 595.28f));
        CHECK("inches and millimetres", near(l->margin_inner_pt, 72) &&
                                            near(l->margin_outer_pt, 56.69f));
        CHECK("centimetres", near(l->body_leading_pt, 14.17f));
        CHECK("a choice", l->body_align == CB_ALIGN_LEFT);
        CHECK("a colour", l->link_color == 0xFF8000);
        CHECK("a boolean", l->two_sided == 1);
        CHECK("a field list", l->n_fields == 2 &&
                                  l->fields[1] == CB_FIELD_DESCRIPTION);
        CHECK("sort keys and grouping",
              l->n_sort == 2 && l->sort[0] == CB_SORT_TIME &&
                  l->group == CB_GROUP_DAY);
        CHECK("unset keys keep their defaults", near(l->title_size_pt, 16));
    }
    cb_layout_free(l);
    free(msgs);
}

/* The composer sets the preface the layout read: gone from the disk after
 * the layout loaded, it is still in the book, and nothing is reported. */
static void check_set_once(cb_layout *l)
{
    char preface[4200];
    snprintf(preface, sizeof preface, "%s/preface.md", dir);
    unlink(preface);
    const char *json = "{\"contribook\": 1, \"event\": {\"title\": \"E\"},"
                       " \"contributions\": [{\"id\": 1, \"title\": \"T\","
                       " \"abstract\": \"A.\"}]}";
    cb_diag *d = cb_diag_new(NULL);
    cb_model *m = cb_ingest_parse(json, strlen(json), "m.json",
                                  CB_FORMAT_AUTO, d);
    cb_fonts *fonts = cb_fonts_new(d);
    cb_dlist *dl = cb_dlist_new();
    cb_compose_options o = {.layout = l, .date = 0, .version = "test"};
    int rc = m && fonts ? cb_compose_report(m, fonts, &o, dl, d) : -1;
    cb_buf b = {0};
    cb_dlist_dump(dl, &b, NULL, NULL);
    CHECK("a preface deleted after loading is still set, without an error",
          rc == CB_EXIT_OK && cb_diag_errors(d) == 0 && b.data &&
              strstr(b.data, "\"Welcome\"") != NULL);
    cb_buf_free(&b);
    cb_dlist_free(dl);
    cb_fonts_free(fonts);
    cb_model_free(m);
    cb_diag_free(d);
}

/* `extends` and the files a layout names are found beside it, and the
 * preface is read (and checked) once, when the layout loads. */
static void test_extends_and_preface(void)
{
    char *msgs = NULL;
    put("base.yaml", "body:\n  size: 12pt\n  leading: 15pt\n");
    put("preface.md", "# Welcome\n\nTo the *golden* workshop.\n");
    const char *p = put("child.yaml",
                        "extends: base.yaml\n"
                        "front:\n  preface: preface.md\n"
                        "body:\n  leading: 16pt\n");
    char child[4200];
    snprintf(child, sizeof child, "%s", p);
    cb_layout *l = load(child, &msgs);
    CHECK("a layout extending a file beside it loads", l != NULL);
    if (l) {
        CHECK("the base's keys apply", near(l->body_size_pt, 12));
        CHECK("the child's keys win", near(l->body_leading_pt, 16));
        char want[4200];
        snprintf(want, sizeof want, "%s/preface.md", dir);
        CHECK_STR("the preface path is beside the layout", l->preface.path,
                  want);
        const char *text = "# Welcome\n\nTo the *golden* workshop.\n";
        CHECK_STR("its text is read with the layout", l->preface.text, text);
        CHECK("with its length", l->preface.len == strlen(text));
        check_set_once(l);
    }
    cb_layout_free(l);
    free(msgs);

    msgs = NULL;
    p = put("bad-preface.yaml", "front:\n  preface: latin1.md\n");
    put("latin1.md", "caf\xe9\n");
    snprintf(child, sizeof child, "%s/bad-preface.yaml", dir);
    l = load(child, &msgs);
    CHECK("a preface that is not UTF-8 refuses the layout", l == NULL);
    CHECK("and says so", msgs && strstr(msgs, "latin1.md: not valid UTF-8"));
    free(msgs);
}

static void test_errors(void)
{
    char *msgs = NULL;
    const char *p = put("bad.yaml", "page:\n  size: A4\n  margn_top: 10mm\n"
                                    "body:\n  size: 10\n");
    cb_layout *l = load(p, &msgs);
    CHECK("a bad layout is refused", l == NULL);
    CHECK("an unknown key with a suggestion, at its line and column",
          msgs && strstr(msgs, "bad.yaml:3:3: error: unknown key "
                               "\"page.margn_top\" (did you mean "
                               "\"page.margin_top\"?)"));
    CHECK("a length without a unit, in the same run",
          msgs && strstr(msgs, "bad.yaml:5:9: error: body.size: a length "
                               "needs a unit"));
    free(msgs);
}

static const char *lookup(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "page") == 0 ? "3" : strcmp(name, "pages") == 0 ? "12"
                                                                     : NULL;
}

static void test_expand(void)
{
    cb_arena *a = cb_arena_new();
    CHECK_STR("placeholders are filled",
              cb_layout_expand(a, "Page {page} of {pages}", lookup, NULL),
              "Page 3 of 12");
    CHECK_STR("an unknown one is empty",
              cb_layout_expand(a, "[{nothing}]", lookup, NULL), "[]");
    CHECK_STR("an unclosed brace is kept",
              cb_layout_expand(a, "a {b", lookup, NULL), "a {b");
    cb_arena_free(a);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        printf("FAIL layout: cannot make a scratch folder\n");
        return 1;
    }
    test_defaults();
    test_values();
    test_extends_and_preface();
    test_errors();
    test_expand();
    const char *files[] = {"values.yaml", "base.yaml", "preface.md",
                           "child.yaml", "bad-preface.yaml", "latin1.md",
                           "bad.yaml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        unlink(put(files[i], ""));
    rmdir(dir);
    CHECK_DONE();
}

/* layout.c - layout files (see cb_layout.h). */
#include "cb_layout.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

#include "cb_markup.h"

/* A layout may extend another, which may extend another: past this depth
 * it is surely a cycle. */
#define MAX_EXTENDS 8
/* A layout file is a page of keys (the largest shipped one is under 4 KB):
 * past this it is not a layout, and libyaml would keep all of it as nodes. */
#define MAX_LAYOUT_BYTES ((size_t)1 << 20)
/* A preface or postface is a few pages of Markdown; 1 MiB is a novel. */
#define MAX_MATTER_BYTES ((size_t)1 << 20)
/* Keys in one mapping: the key table has about a hundred, and each key is
 * compared with those before it (to find one given twice). */
#define MAX_KEYS 512
/* Lengths past this (about 2.5 m) are typing mistakes, not paper. */
#define MAX_LENGTH_PT 7200.0f

typedef enum {
    K_LENGTH,   /* float, with a unit: 12pt, 25mm, 2.5cm, 1in */
    K_STRING,
    K_TEMPLATE, /* a string whose {placeholders} must be known */
    K_BOOL,
    K_COLOR,    /* "#rrggbb" or "cmyk(C,M,Y,K)" */
    K_ENUM,     /* one of the names listed with the key */
    K_INT,      /* a whole number from 0 to 100 */
    K_PAPER,    /* A4, A5, A3, letter, legal, or "WIDTH x HEIGHT" */
    K_MONTHS,   /* a list of 12 strings */
    K_WEEKDAYS, /* a list of 7 strings, Monday first */
    K_FIELDS,   /* a list of field names */
    K_NAMES,    /* a list of any names (cb_names) */
    K_SORT,     /* a list of sort keys */
    K_PATH,     /* a file, relative to the layout that names it */
    K_FILL,     /* a colour, or "none" (CB_NO_COLOR) */
    K_IMAGE,    /* a PNG or JPEG file, relative to the layout */
    K_TYPES
} key_type;

typedef struct {
    const char *key;
    key_type type;
    size_t offset;
    const char *def;   /* the default, as a layout file would write it */
    const char *doc;   /* one line for --layout-keys */
    const char *const *names; /* K_ENUM: its values, NULL-terminated */
} key_desc;

static const char *const align_names[] = {
    [CB_ALIGN_JUSTIFY] = "justify", [CB_ALIGN_LEFT] = "left",
    [CB_ALIGN_CENTER] = "center", [CB_ALIGN_RIGHT] = "right",
    [CB_ALIGN_RIGHT + 1] = NULL};
static const char *const qr_position_names[] = {"below", "beside", NULL};
static const char *const volume_input_names[] = {"merged", "events", NULL};
static const char *const logo_position_names[] = {
    [CB_LOGO_TOP] = "top", [CB_LOGO_BOTTOM] = "bottom",
    [CB_LOGO_BOTTOM + 1] = NULL};
static const char *const group_names[] = {"none", "day", "session", "track",
                                          "type", NULL};
static const char *const group_order_names[] = {"time", "name", NULL};
static const char *const flow_names[] = {"page", "continuous", "none", NULL};
static const char *const font_names[] = {"serif", "sans", "mono", NULL};

#define L(field) offsetof(cb_layout, field)
#define LABEL(i) (offsetof(cb_layout, label) + (i) * sizeof(const char *))

static const key_desc keys[] = {
    {"description", K_STRING, L(description),
     "Report of Contributions, one contribution per page (A4)",
     "one line shown by --list-layouts", NULL},
    {"page.size", K_PAPER, L(page_width_pt), "A4",
     "A4, A5, A3, letter, legal or \"WIDTH x HEIGHT\", then perhaps "
     "\"landscape\"", NULL},
    {"page.margin_top", K_LENGTH, L(margin_top_pt), "72pt",
     "space above the text (the running head sits in it)", NULL},
    {"page.margin_bottom", K_LENGTH, L(margin_bottom_pt), "68pt",
     "space below the text (the footer sits in it)", NULL},
    {"page.margin_inner", K_LENGTH, L(margin_inner_pt), "78pt",
     "left margin (the binding side when two_sided)", NULL},
    {"page.margin_outer", K_LENGTH, L(margin_outer_pt), "78pt",
     "right margin", NULL},
    {"page.two_sided", K_BOOL, L(two_sided), "false",
     "mirror the margins on even pages", NULL},
    {"page.bleed", K_LENGTH, L(bleed_pt), "0pt",
     "print: what the print shop trims off beyond the page, which anything "
     "touching its edge reaches into (3mm is usual); gives each page a "
     "TrimBox and a BleedBox",
     NULL},
    {"page.crop_marks", K_BOOL, L(crop_marks), "false",
     "print: crop marks at the corners, outside the bleed", NULL},
    {"page.registration_marks", K_BOOL, L(registration_marks), "false",
     "print: registration marks at the middle of each side (with crop "
     "marks)",
     NULL},
    {"page.slug", K_BOOL, L(slug), "false",
     "print: a line below the marks with the file, date and page (with "
     "crop marks)",
     NULL},
    {"page.columns", K_INT, L(columns), "1",
     "columns of the contributions (1 to 4)", NULL},
    {"page.column_gap", K_LENGTH, L(column_gap_pt), "18pt",
     "space between columns", NULL},
    {"fonts.serif", K_STRING, L(serif), "Noto Serif",
     "body text family (fontconfig name; TrueType only)", NULL},
    {"fonts.sans", K_STRING, L(sans), "Noto Sans",
     "headings, labels and running heads", NULL},
    {"fonts.mono", K_STRING, L(mono), "Noto Sans Mono", "code", NULL},
    {"fonts.math", K_STRING, L(math), "DejaVu Math TeX Gyre",
     "TeX math in titles and abstracts (a TrueType font with an OpenType "
     "MATH table; without one, formulas are printed as typed, with a "
     "warning)",
     NULL},
    {"body.size", K_LENGTH, L(body_size_pt), "10.5pt", "body text size", NULL},
    {"body.leading", K_LENGTH, L(body_leading_pt), "14.5pt",
     "baseline to baseline", NULL},
    {"body.paragraph_gap", K_LENGTH, L(paragraph_gap_pt), "5pt",
     "extra space between paragraphs", NULL},
    {"body.align", K_ENUM, L(body_align), "justify",
     "justify, left, center or right", align_names},
    {"body.hyphenate", K_BOOL, L(hyphenate), "true",
     "hyphenate words of running text", NULL},
    {"body.language", K_STRING, L(language), "en",
     "hyphenation dictionary (hyph_LANG in /usr/share/hyphen)", NULL},
    {"title.size", K_LENGTH, L(title_size_pt), "16pt",
     "contribution title size", NULL},
    {"title.leading", K_LENGTH, L(title_leading_pt), "20pt",
     "contribution title line spacing", NULL},
    {"title.font", K_ENUM, L(title_font), "sans",
     "family of titles and group headings (serif, sans or mono; set bold)",
     font_names},
    {"title.space_before", K_LENGTH, L(title_space_pt), "16pt",
     "space above the title", NULL},
    {"title.align", K_ENUM, L(title_align), "center",
     "contribution title alignment", align_names},
    {"meta.size", K_LENGTH, L(meta_size_pt), "9.5pt",
     "size of the ID / code / type line", NULL},
    {"meta.color", K_COLOR, L(meta_color), "#5c5c5c",
     "colour of its labels and of the schedule", NULL},
    {"head.font", K_ENUM, L(head_font), "sans",
     "family of the running head and footer", font_names},
    {"head.size", K_LENGTH, L(head_size_pt), "8pt", "running head size", NULL},
    {"head.left", K_TEMPLATE, L(head_left), "{event} / {report}",
     "running head, left ({event} is shortened to fit)", NULL},
    {"head.right", K_TEMPLATE, L(head_right), "{title}",
     "running head, right (shortened with an ellipsis)", NULL},
    {"head.color", K_COLOR, L(head_color), "#5c5c5c",
     "running head and footer colour", NULL},
    {"head.verso_left", K_TEMPLATE, L(head_verso_left), CB_RECTO_RIGHT,
     "two-sided: running head on the left of left-hand pages; "
     "{recto_right} (the default) and {recto_left} take the right-hand "
     "page's",
     NULL},
    {"head.verso_right", K_TEMPLATE, L(head_verso_right), CB_RECTO_LEFT,
     "two-sided: running head on the right of left-hand pages", NULL},
    {"foot.size", K_LENGTH, L(foot_size_pt), "8pt", "footer size", NULL},
    {"foot.left", K_TEMPLATE, L(foot_left), "{date}", "footer, left", NULL},
    {"foot.right", K_TEMPLATE, L(foot_right), "Page {page}", "footer, right",
     NULL},
    {"foot.verso_left", K_TEMPLATE, L(foot_verso_left), CB_RECTO_RIGHT,
     "two-sided: footer on the left of left-hand pages (as head.verso_left)",
     NULL},
    {"foot.verso_right", K_TEMPLATE, L(foot_verso_right), CB_RECTO_LEFT,
     "two-sided: footer on the right of left-hand pages", NULL},
    {"colors.text", K_COLOR, L(text_color), "#000000",
     "everything set in black: text, titles, labels (cmyk(0,0,0,100) for "
     "print: pure black ink, not four)",
     NULL},
    {"colors.rule", K_COLOR, L(rule_color), "#b4b4b4",
     "rules under the running head, beside quotes", NULL},
    {"colors.link", K_COLOR, L(link_color), "#1a4d8c", "links", NULL},
    {"labels.report", K_STRING, LABEL(CB_LABEL_REPORT),
     "Report of Contributions", "document name (title page, {report})", NULL},
    {"labels.contribution_id", K_STRING, LABEL(CB_LABEL_CONTRIBUTION_ID),
     "Contribution ID:", "", NULL},
    {"labels.code", K_STRING, LABEL(CB_LABEL_CODE), "Contribution code:", "",
     NULL},
    {"labels.type", K_STRING, LABEL(CB_LABEL_TYPE), "Type:", "", NULL},
    {"labels.not_specified", K_STRING, LABEL(CB_LABEL_NOT_SPECIFIED),
     "not specified", "type of a contribution without one", NULL},
    {"labels.primary_author", K_STRING, LABEL(CB_LABEL_PRIMARY_AUTHOR),
     "Primary author:", "", NULL},
    {"labels.primary_authors", K_STRING, LABEL(CB_LABEL_PRIMARY_AUTHORS),
     "Primary authors:", "", NULL},
    {"labels.coauthor", K_STRING, LABEL(CB_LABEL_COAUTHOR), "Co-author:", "",
     NULL},
    {"labels.coauthors", K_STRING, LABEL(CB_LABEL_COAUTHORS), "Co-authors:", "",
     NULL},
    {"labels.presenter", K_STRING, LABEL(CB_LABEL_PRESENTER), "Presenter:", "",
     NULL},
    {"labels.presenters", K_STRING, LABEL(CB_LABEL_PRESENTERS),
     "Presenters:", "", NULL},
    {"labels.session", K_STRING, LABEL(CB_LABEL_SESSION),
     "Session Classification:", "", NULL},
    {"labels.track", K_STRING, LABEL(CB_LABEL_TRACK),
     "Track Classification:", "", NULL},
    {"labels.keywords", K_STRING, LABEL(CB_LABEL_KEYWORDS), "Keywords:", "",
     NULL},
    {"labels.reference", K_STRING, LABEL(CB_LABEL_REFERENCE), "Reference:", "",
     NULL},
    {"labels.references", K_STRING, LABEL(CB_LABEL_REFERENCES),
     "References:", "", NULL},
    {"labels.minute", K_STRING, LABEL(CB_LABEL_MINUTE), "minute",
     "duration, singular", NULL},
    {"labels.minutes", K_STRING, LABEL(CB_LABEL_MINUTES), "minutes",
     "duration, plural", NULL},
    {"labels.months", K_MONTHS, L(months),
     "[January, February, March, April, May, June, July, August, September, "
     "October, November, December]",
     "12 month names", NULL},
    {"labels.weekdays", K_WEEKDAYS, L(weekdays),
     "[Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]",
     "7 day names, Monday first", NULL},
    {"labels.date_format", K_TEMPLATE, L(date_format),
     "{weekday}, {day} {month} {year}",
     "schedule dates and day headings; also {month_number}", NULL},
    {"labels.day_format", K_TEMPLATE, L(day_format), "{day} {month} {year}",
     "dates without a weekday: the cover's dates (a range shares what its "
     "two ends share), the footer",
     NULL},
    {"labels.unscheduled", K_STRING, LABEL(CB_LABEL_UNSCHEDULED), "Unscheduled",
     "group of contributions without a time", NULL},
    {"labels.no_session", K_STRING, LABEL(CB_LABEL_NO_SESSION), "No session",
     "group of contributions without a session", NULL},
    {"labels.no_track", K_STRING, LABEL(CB_LABEL_NO_TRACK), "No track",
     "group of contributions without a track", NULL},
    {"labels.no_type", K_STRING, LABEL(CB_LABEL_NO_TYPE), "No type",
     "group of contributions without a type", NULL},
    {"order.sort", K_SORT, L(sort), "[id]",
     "sort keys in turn: id, title, board, session, time, presenter, track, "
     "type",
     NULL},
    {"order.group", K_ENUM, L(group), "none",
     "group by none, day, session, track or type (bookmarks, and headings in a "
     "continuous flow)",
     group_names},
    {"order.subgroup", K_ENUM, L(subgroup), "none",
     "groups within each group (day, then session): a second level",
     group_names},
    {"order.groups", K_ENUM, L(group_order), "time",
     "groups (and subgroups) in the order of their first contribution's "
     "time, parallel sessions by room (time), or alphabetically (name)",
     group_order_names},
    {"order.board_only", K_BOOL, L(board_only), "false",
     "only contributions with a poster board number", NULL},
    {"select.types", K_NAMES, L(select_types), "[]",
     "set only contributions of these types (as the input names them, in "
     "any case); [] for all", NULL},
    {"select.sessions", K_NAMES, L(select_sessions), "[]",
     "set only contributions of these sessions", NULL},
    {"select.tracks", K_NAMES, L(select_tracks), "[]",
     "set only contributions of these tracks", NULL},
    {"exclude.types", K_NAMES, L(exclude_types), "[]",
     "leave out contributions of these types ([Poster]: a programme of "
     "talks)", NULL},
    {"exclude.sessions", K_NAMES, L(exclude_sessions), "[]",
     "leave out contributions of these sessions", NULL},
    {"exclude.tracks", K_NAMES, L(exclude_tracks), "[]",
     "leave out contributions of these tracks", NULL},
    {"flow", K_ENUM, L(flow), "page",
     "page: each contribution on a new page; continuous: one after "
     "another; none: no list (a timetable alone)",
     flow_names},
    {"entry.gap", K_LENGTH, L(entry_gap_pt), "24pt",
     "continuous flow: space between contributions", NULL},
    {"qr.size", K_LENGTH, L(qr_size_pt), "20mm",
     "the qr field: the side of a contribution's QR code (its url), quiet "
     "zone included; 20mm scans from a printed page",
     NULL},
    {"qr.position", K_ENUM, L(qr_beside), "below",
     "the qr field: below the fields before it, or beside the whole entry "
     "at its top right (its text narrower by the code's width)",
     qr_position_names},
    {"qr.align", K_ENUM, L(qr_align), "right",
     "the qr field: where in the line (left, center or right; justify is "
     "left)",
     align_names},
    {"entry.keep_lines", K_INT, L(keep_lines), "2",
     "continuous flow: lines of its text kept with an entry's heading",
     NULL},
    {"front.cover", K_BOOL, L(cover), "true",
     "a title page with the event, dates and venue", NULL},
    {"cover.logo", K_IMAGE, L(cover_logo), "",
     "a PNG or JPEG logo on the cover (relative to the layout)", NULL},
    {"cover.logo_width", K_LENGTH, L(cover_logo_width_pt), "50mm",
     "the cover logo's width (its height keeps its proportions)", NULL},
    {"cover.logo_position", K_ENUM, L(cover_logo_position), "top",
     "the cover logo above the title (top) or at the foot (bottom)",
     logo_position_names},
    {"cover.background", K_FILL, L(cover_background), "none",
     "the cover's colour, to the trim edge and into the bleed; none", NULL},
    {"cover.color", K_FILL, L(cover_color), "none",
     "the colour of all the cover's text and rules (white on a dark "
     "background); none: the layout's own", NULL},
    {"head.logo", K_IMAGE, L(head_logo), "",
     "a small PNG or JPEG logo at the outer end of the running head", NULL},
    {"head.logo_height", K_LENGTH, L(head_logo_height_pt), "6mm",
     "the running head logo's height", NULL},
    {"front.preface", K_PATH, L(preface), "",
     "a Markdown file set before the contents (relative to the layout)", NULL},
    {"volume.inputs", K_ENUM, L(volume_events), "merged",
     "several inputs: merged into the first's event, or events side by "
     "side, each a part of one volume", volume_input_names},
    {"volume.title_page", K_BOOL, L(volume_title_page), "false",
     "a title page for the whole volume (its title, subtitle and events) "
     "before the parts' own", NULL},
    {"volume.title", K_STRING, L(volume_title), "",
     "the volume's title (--title overrides it); empty: its events' "
     "titles", NULL},
    {"volume.subtitle", K_STRING, L(volume_subtitle), "",
     "the volume's subtitle; empty: the dates it spans", NULL},
    {"front.timetable", K_BOOL, L(timetable), "false",
     "a timetable of each day (rooms as columns, time down) before the "
     "contributions", NULL},
    {"front.toc", K_BOOL, L(toc), "false",
     "a table of contents with dotted leaders and page numbers", NULL},
    {"front.changes", K_BOOL, L(changes), "true",
     "with --previous OLD, a page of what changed since that edition "
     "(added, changed, removed), before the contents", NULL},
    {"labels.changes", K_STRING, LABEL(CB_LABEL_CHANGES),
     "Changes since the previous edition", "the changes page's title",
     NULL},
    {"labels.added", K_STRING, LABEL(CB_LABEL_ADDED), "Added",
     "the changes page: contributions added", NULL},
    {"labels.changed", K_STRING, LABEL(CB_LABEL_CHANGED), "Changed",
     "the changes page: contributions changed", NULL},
    {"labels.removed", K_STRING, LABEL(CB_LABEL_REMOVED), "Removed",
     "the changes page: contributions removed", NULL},
    {"labels.change_fields", K_STRING, LABEL(CB_LABEL_CHANGE_FIELDS),
     "title, time, room, session, persons, description, references, other",
     "the changes page: the names of the fields that change, in this order",
     NULL},
    {"toc.ids", K_BOOL, L(toc_ids), "false",
     "show contribution ids in the table of contents", NULL},
    {"toc.groups_only", K_BOOL, L(toc_groups_only), "false",
     "list only the groups (days, sessions) in the contents", NULL},
    {"back.postface", K_PATH, L(postface), "",
     "a Markdown file set after the last contribution", NULL},
    {"back.author_index", K_BOOL, L(author_index), "false",
     "every person with the pages they appear on", NULL},
    {"back.index_columns", K_INT, L(index_columns), "2",
     "columns of the indexes (1 to 4)", NULL},
    {"back.affiliation_index", K_BOOL, L(affiliation_index), "false",
     "every affiliation with the pages it appears on", NULL},
    {"back.keyword_index", K_BOOL, L(keyword_index), "false",
     "every keyword with the pages of its contributions", NULL},
    {"labels.affiliation_index", K_STRING, LABEL(CB_LABEL_AFFILIATION_INDEX),
     "Affiliation Index", "affiliation index title", NULL},
    {"labels.timetable", K_STRING, LABEL(CB_LABEL_TIMETABLE), "Timetable",
     "timetable bookmark and running head", NULL},
    {"labels.keyword_index", K_STRING, LABEL(CB_LABEL_KEYWORD_INDEX),
     "Keyword Index", "keyword index title", NULL},
    {"labels.contents", K_STRING, LABEL(CB_LABEL_CONTENTS), "Contents",
     "table of contents title", NULL},
    {"labels.author_index", K_STRING, LABEL(CB_LABEL_AUTHOR_INDEX),
     "Author Index", "author index title", NULL},
    {"fields", K_FIELDS, L(fields),
     "[id_line, title, schedule, description, authors, coauthors, presenters, "
     "session, track, keywords, references]",
     "what a contribution shows, in order", NULL},
};
#define N_KEYS (sizeof keys / sizeof keys[0])

static const char *const field_names[CB_FIELD_COUNT] = {
    "id_line", "title", "schedule", "description", "authors", "coauthors",
    "presenters", "session", "track", "keywords", "references",
    "author_list", "board_line", "slot", "qr"};

static const char *const sort_names[CB_SORT_COUNT] = {
    "id", "title", "board", "session", "time", "presenter", "track", "type"};

static const char *const placeholders[] = {
    "event", "report", "title", "id", "page", "pages", "section", "date",
    "weekday", "day", "month", "month_number", "year", "url",
    "recto_left", "recto_right"}; /* the last two: a whole verso template */

/* ---- one file's parse ---- */

typedef struct {
    cb_layout *lay;
    cb_diag *diag;
    const char *path;     /* as shown in messages */
    const char *root;     /* the folder its paths must stay in (links
                             followed), or NULL: anywhere */
    char *text;           /* the file, for the source line under a message */
    size_t len;
    yaml_document_t doc;
    int depth;            /* of extends */
    int errors;
} parse;

static void context(parse *p, const yaml_mark_t *m)
{
    const char *s = p->text;
    for (size_t line = 0; s && line < m->line; line++) {
        s = strchr(s, '\n');
        s = s ? s + 1 : NULL;
    }
    if (!s)
        return;
    const char *end = strchr(s, '\n');
    int len = end ? (int)(end - s) : (int)strlen(s);
    cb_diag_context(p->diag, s, len, (int)m->column);
}

static void fail(parse *p, const yaml_mark_t *m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(parse *p, const yaml_mark_t *m, const char *fmt, ...)
{
    char place[4200], msg[1024];
    snprintf(place, sizeof place, "%s:%zu:%zu", p->path, m->line + 1,
             m->column + 1);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cb_diag_error(p->diag, place, "%s", msg);
    context(p, m);
    p->errors++;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                            : NULL;
}

/* ---- values ---- */

/* "12pt", "25mm", "2.5cm", "1in" in points; -1 with *why set on error. */
/* Whether s starts with a plain decimal number ("12", "-2.5", ".5"): strtod
 * also takes "nan", "inf" and hexadecimal ("0x10"), which no layout means
 * (a NaN page size wrote a MediaBox no reader could parse). */
static int is_decimal(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (*s == '.')
        s++;
    return isdigit((unsigned char)*s) && !(s[0] == '0' && (s[1] == 'x' ||
                                                           s[1] == 'X'));
}

static float parse_length(const char *s, const char **why)
{
    char *end;
    errno = 0;
    double v = is_decimal(s) ? strtod(s, &end) : 0;
    if (!is_decimal(s) || end == s || errno) {
        *why = "expected a length such as 12pt, 25mm, 2.5cm or 1in";
        return -1;
    }
    while (*end == ' ')
        end++;
    double unit = strcmp(end, "pt") == 0   ? 1
                  : strcmp(end, "mm") == 0 ? 72 / 25.4
                  : strcmp(end, "cm") == 0 ? 72 / 2.54
                  : strcmp(end, "in") == 0 ? 72
                                           : 0;
    if (unit == 0) {
        *why = *end ? "unknown unit (use pt, mm, cm or in)"
                    : "a length needs a unit (pt, mm, cm or in)";
        return -1;
    }
    v *= unit;
    if (v < 0 || v > MAX_LENGTH_PT) {
        *why = "out of range (0 to 2.5 m)";
        return -1;
    }
    return (float)v;
}

/* "#rrggbb", or "cmyk(C,M,Y,K)" with each ink a whole percentage. */
static int parse_color(const char *s, unsigned *out)
{
    if (!strncmp(s, "cmyk(", 5)) {
        unsigned ink[4];
        const char *p = s + 5;
        for (int i = 0; i < 4; i++) {
            char *end;
            while (*p == ' ')
                p++;
            if (!isdigit((unsigned char)*p))
                return -1;
            unsigned long v = strtoul(p, &end, 10);
            if (v > 100 || end - p > 3)
                return -1;
            ink[i] = (unsigned)v;
            p = end;
            while (*p == ' ')
                p++;
            if (*p++ != (i < 3 ? ',' : ')'))
                return -1;
        }
        if (*p)
            return -1;
        *out = CB_CMYK_OF(ink[0], ink[1], ink[2], ink[3]);
        return 0;
    }
    if (s[0] != '#' || strlen(s) != 7)
        return -1;
    for (int i = 1; i < 7; i++)
        if (!isxdigit((unsigned char)s[i]))
            return -1;
    *out = (unsigned)strtoul(s + 1, NULL, 16);
    return 0;
}

static int parse_paper_portrait(const char *s, float *w, float *h,
                                const char **why);

/* A paper, or one turned on its side: "A4 landscape". */
static int parse_paper(const char *s, float *w, float *h, const char **why)
{
    size_t n = strlen(s);
    if (n > 10 && !strcmp(s + n - 10, " landscape")) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.*s", (int)(n - 10), s);
        if (parse_paper_portrait(buf, h, w, why) < 0)
            return -1;
        if (*w < *h) { /* "297mm x 210mm landscape" is landscape already */
            float t = *w;
            *w = *h, *h = t;
        }
        return 0;
    }
    return parse_paper_portrait(s, w, h, why);
}

static int parse_paper_portrait(const char *s, float *w, float *h,
                                const char **why)
{
    static const struct {
        const char *name;
        float w, h;
    } papers[] = {{"A3", 841.89f, 1190.55f}, {"A4", 595.28f, 841.89f},
                  {"A5", 419.53f, 595.28f},  {"A6", 297.64f, 419.53f},
                  {"letter", 612, 792},      {"legal", 612, 1008}};
    for (size_t i = 0; i < sizeof papers / sizeof papers[0]; i++)
        if (strcasecmp(s, papers[i].name) == 0) {
            *w = papers[i].w, *h = papers[i].h;
            return 0;
        }
    const char *x = strchr(s, 'x');
    if (!x) {
        *why = "expected A3, A4, A5, A6, letter, legal or \"WIDTH x "
               "HEIGHT\", each perhaps followed by \"landscape\"";
        return -1;
    }
    char a[64];
    snprintf(a, sizeof a, "%.*s", (int)(x - s), s);
    while (*a && a[strlen(a) - 1] == ' ')
        a[strlen(a) - 1] = '\0';
    const char *b = x + 1;
    while (*b == ' ')
        b++;
    *w = parse_length(a, why);
    *h = *w < 0 ? -1 : parse_length(b, why);
    if (*w < 0 || *h < 0)
        return -1;
    if (*w < 72 || *h < 72) {
        *why = "a page must be at least 1in wide and high";
        return -1;
    }
    return 0;
}

/* Checks a template's {placeholders}; returns the first unknown one. */
static const char *bad_placeholder(const char *s, char *buf, size_t n)
{
    for (const char *o; (o = strchr(s, '{')); s = o + 1) {
        const char *c = strchr(o, '}');
        if (!c)
            return "{";
        size_t len = (size_t)(c - o - 1);
        int known = 0;
        for (size_t i = 0; i < sizeof placeholders / sizeof *placeholders; i++)
            known |= strlen(placeholders[i]) == len &&
                     strncmp(placeholders[i], o + 1, len) == 0;
        if (!known) {
            snprintf(buf, n, "%.*s", (int)len, o + 1);
            return buf;
        }
        o = c;
    }
    return NULL;
}

static int find_name(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* Stores into a field found by its offset (memcpy: the field's type is
 * known from the key, not from the char pointer that reaches it). */
static void store_int(char *field, int v)
{
    memcpy(field, &v, sizeof v);
}

static void store_ptr(char *field, const char *v)
{
    memcpy(field, &v, sizeof v);
}

/* Sets a scalar key from its text; returns an error message or NULL. */
static const char *set_scalar(cb_layout *lay, const key_desc *k, const char *s,
                              char *buf, size_t n)
{
    char *field = (char *)lay + k->offset;
    const char *why = NULL;
    switch (k->type) {
    case K_LENGTH: {
        float v = parse_length(s, &why);
        if (v >= 0)
            memcpy(field, &v, sizeof v);
        return why;
    }
    case K_TEMPLATE: {
        const char *bad = bad_placeholder(s, buf, n);
        if (bad) {
            char tmp[128];
            snprintf(tmp, sizeof tmp, "%s", bad);
            snprintf(buf, n, strcmp(tmp, "{") == 0
                                 ? "unclosed '{' in the template"
                                 : "unknown placeholder {%s} (known: event, "
                                   "report, title, id, page, pages, "
                                   "section, date, weekday, day, month, "
                                   "month_number, year, url; recto_left and "
                                   "recto_right as a whole verso "
                                   "template)", tmp);
            return buf;
        }
    }
        /* fall through */
    case K_STRING:
        store_ptr(field, cb_arena_strdup(lay->arena, s));
        return NULL;
    case K_PATH:
        ((cb_layout_file *)(void *)field)->path = cb_arena_strdup(lay->arena, s);
        return NULL;
    case K_IMAGE:
        ((cb_layout_image *)(void *)field)->path =
            cb_arena_strdup(lay->arena, s);
        return NULL;
    case K_BOOL:
        if (strcmp(s, "true") && strcmp(s, "false"))
            return "expected true or false";
        store_int(field, strcmp(s, "true") == 0);
        return NULL;
    case K_FILL:
        if (!strcmp(s, "none")) {
            unsigned none = CB_NO_COLOR;
            memcpy(field, &none, sizeof none);
            return NULL;
        }
        /* fall through */
    case K_COLOR:
    {
        unsigned rgb;
        if (parse_color(s, &rgb))
            return k->type == K_FILL
                       ? "expected a colour as \"#rrggbb\" or "
                         "\"cmyk(C,M,Y,K)\" (percentages), or none"
                       : "expected a colour as \"#rrggbb\" or "
                         "\"cmyk(C,M,Y,K)\" (percentages)";
        memcpy(field, &rgb, sizeof rgb);
        return NULL;
    }
    case K_ENUM: {
        int n_names = 0;
        while (k->names[n_names])
            n_names++;
        int a = find_name(s, k->names, n_names);
        if (a < 0) {
            size_t len = (size_t)snprintf(buf, n, "expected ");
            for (int i = 0; i < n_names && len < n; i++)
                len += (size_t)snprintf(buf + len, n - len, "%s%s",
                                        k->names[i], i + 2 < n_names ? ", "
                                        : i + 1 < n_names ? " or " : "");
            return buf;
        }
        store_int(field, a);
        return NULL;
    }
    case K_INT: {
        char *end;
        long v = isdigit((unsigned char)*s) ? strtol(s, &end, 10) : -1;
        if (v < 0 || *end || v > 100)
            return "expected a whole number from 0 to 100";
        store_int(field, (int)v);
        return NULL;
    }
    case K_PAPER:
        parse_paper(s, &lay->page_width_pt, &lay->page_height_pt, &why);
        return why;

    default:
        return "expected a list";
    }
}

/* Sets a list key; returns an error message or NULL. */
static const char *set_list(cb_layout *lay, const key_desc *k,
                            const char **items, size_t n, char *buf,
                            size_t bn)
{
    if (k->type == K_MONTHS || k->type == K_WEEKDAYS) {
        size_t want = k->type == K_MONTHS ? 12 : 7;
        if (n != want) {
            snprintf(buf, bn, "expected %zu names, got %zu", want, n);
            return buf;
        }
        char *out = (char *)lay + k->offset;
        for (size_t i = 0; i < n; i++)
            store_ptr(out + i * sizeof(const char *),
                      cb_arena_strdup(lay->arena, items[i]));
        return NULL;
    }
    if (k->type == K_SORT) {
        if (n > CB_SORT_COUNT) {
            snprintf(buf, bn, "at most %d sort keys", CB_SORT_COUNT);
            return buf;
        }
        for (size_t i = 0; i < n; i++) {
            int key = find_name(items[i], sort_names, CB_SORT_COUNT);
            if (key < 0) {
                snprintf(buf, bn, "unknown sort key \"%s\" (known: id, "
                         "title, board, session, time, presenter, track, "
                         "type)", items[i]);
                return buf;
            }
            lay->sort[i] = (cb_sort_key)key;
        }
        lay->n_sort = (int)n;
        return NULL;
    }
    if (k->type == K_NAMES) {
        cb_names *out = (cb_names *)(void *)((char *)lay + k->offset);
        out->names = cb_arena_alloc(lay->arena, (n ? n : 1) * sizeof *out->names);
        for (size_t i = 0; i < n; i++)
            out->names[i] = cb_arena_strdup(lay->arena, items[i]);
        out->n = (int)n;
        return NULL;
    }
    if (k->type != K_FIELDS)
        return "expected a single value, not a list";
    int seen[CB_FIELD_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        int f = find_name(items[i], field_names, CB_FIELD_COUNT);
        if (f < 0) {
            snprintf(buf, bn, "unknown field \"%s\" (known: id_line, title, "
                     "schedule, description, authors, coauthors, "
                     "presenters, session, track, keywords, references, "
                     "author_list, board_line, slot, qr)", items[i]);
            return buf;
        }
        if (seen[f]++) {
            snprintf(buf, bn, "field \"%s\" is listed twice", items[i]);
            return buf;
        }
        lay->fields[i] = (cb_field)f;
    }
    lay->n_fields = (int)n;
    return NULL;
}

/* Splits a default such as "[a, b, c]" into items (in buf). */
static size_t split_default(const char *def, char *buf, size_t bn,
                            const char **items, size_t max)
{
    snprintf(buf, bn, "%s", def + 1);
    buf[strlen(buf) - 1] = '\0';
    size_t n = 0;
    for (char *tok = strtok(buf, ","); tok && n < max;
         tok = strtok(NULL, ",")) {
        while (*tok == ' ')
            tok++;
        items[n++] = tok;
    }
    return n;
}

static void apply_defaults(cb_layout *lay)
{
    char buf[512], msg[512];
    const char *items[CB_FIELD_COUNT + 12];
    for (size_t i = 0; i < N_KEYS; i++) {
        const key_desc *k = &keys[i];
        if (k->def[0] == '[') {
            size_t n = split_default(k->def, buf, sizeof buf, items,
                                     sizeof items / sizeof *items);
            set_list(lay, k, items, n, msg, sizeof msg);
        } else {
            set_scalar(lay, k, k->def, msg, sizeof msg);
        }
    }
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[128];
    if (lb >= 128)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The known key nearest to an unknown one, if near enough to be meant. */
static const char *suggest(const char *path)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    const char *leaf = strrchr(path, '.');
    for (size_t i = 0; i < N_KEYS; i++) {
        size_t d = edit_distance(path, keys[i].key);
        /* also a right name at the wrong level: "size" for "body.size" */
        const char *kleaf = strrchr(keys[i].key, '.');
        if (kleaf && strcmp(kleaf + 1, leaf ? leaf + 1 : path) == 0 && d > 1)
            d = 2;
        if (d < best_d)
            best_d = d, best = keys[i].key;
    }
    return best_d <= 2 + strlen(path) / 6 ? best : NULL;
}

static const key_desc *find_key(const char *path)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (strcmp(keys[i].key, path) == 0)
            return &keys[i];
    return NULL;
}

static int is_group(const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < N_KEYS; i++)
        if (strncmp(keys[i].key, prefix, n) == 0 && keys[i].key[n] == '.')
            return 1;
    return 0;
}

/* Why a file a layout names may not be read, or NULL: with a root, the
 * name must be relative (`written`, as the layout writes it) and the file
 * (`path`, found beside the layout) must lie inside the root, links
 * followed. A file that does not exist is reported when it is read. */
static const char *outside(const char *written, const char *path,
                           const char *root, char *buf, size_t n)
{
    if (!root)
        return NULL;
    if (written[0] == '/')
        return "an absolute path: a layout names files relative to its "
               "own folder (--trust-layout allows any file)";
    char real[PATH_MAX];
    if (!realpath(path, real))
        return NULL;
    size_t k = strlen(root);
    if (strncmp(real, root, k) == 0 && (real[k] == '/' || real[k] == '\0'))
        return NULL;
    snprintf(buf, n, "%.*s is outside the layout's folder %.*s "
             "(--trust-layout allows it)", 200, real, 200, root);
    return buf;
}

/* Whether an image's name is a web address, which is never fetched. */
static int is_url(const char *src)
{
    const char *colon = strchr(src, ':'), *slash = strchr(src, '/');
    return colon && (!slash || colon < slash) && colon > src + 1;
}

/* Remembers a file read for the layout, links followed. */
static void note_file(cb_layout *lay, const char *path)
{
    char real[PATH_MAX];
    if (lay->n_files < CB_LAYOUT_MAX_FILES && realpath(path, real))
        lay->files[lay->n_files++] = cb_arena_strdup(lay->arena, real);
}

static void set_node(parse *p, const char *path, yaml_node_t *v,
                     const yaml_mark_t *key_mark)
{
    const key_desc *k = find_key(path);
    if (!k) {
        const char *s = suggest(path);
        if (s)
            fail(p, key_mark, "unknown key \"%s\" (did you mean \"%s\"?)",
                 path, s);
        else
            fail(p, key_mark, "unknown key \"%s\"", path);
        return;
    }
    char buf[512];
    const char *why;
    if (v->type == YAML_SEQUENCE_NODE) {
        const char *items[64];
        size_t n = 0;
        for (yaml_node_item_t *it = v->data.sequence.items.start;
             it < v->data.sequence.items.top && n < 64; it++) {
            const char *s = scalar(yaml_document_get_node(&p->doc, *it));
            if (!s) {
                fail(p, &v->start_mark, "%s: expected a list of texts", path);
                return;
            }
            items[n++] = s;
        }
        why = set_list(p->lay, k, items, n, buf, sizeof buf);
    } else if (v->type == YAML_SCALAR_NODE &&
               (k->type == K_PATH || k->type == K_IMAGE)) {
        /* a file named in a layout is found beside the layout */
        const char *f = scalar(v), *slash = strrchr(p->path, '/');
        if (*f && f[0] != '/' && slash)
            f = cb_arena_printf(p->lay->arena, "%.*s/%s",
                                (int)(slash - p->path), p->path, f);
        why = k->type == K_IMAGE && is_url(scalar(v))
                  ? "a web address: images are not fetched; put the file "
                    "beside the layout"
              : *f ? outside(scalar(v), f, p->root, buf, sizeof buf)
                   : NULL;
        if (!why)
            why = set_scalar(p->lay, k, f, buf, sizeof buf);
    } else if (v->type == YAML_SCALAR_NODE) {
        why = set_scalar(p->lay, k, scalar(v), buf, sizeof buf);
    } else {
        why = "expected a value, not a group of keys";
    }
    if (why) {
        fail(p, &v->start_mark, "%s: %s", path, why);
        return;
    }
    cb_layout *lay = p->lay;
    if (!lay->key_places)
        lay->key_places = cb_arena_alloc(lay->arena,
                                         N_KEYS * sizeof *lay->key_places);
    lay->key_places[k - keys] =
        cb_arena_printf(lay->arena, "%s:%zu:%zu", p->path,
                        v->start_mark.line + 1, v->start_mark.column + 1);
}

/* Where the first of the keys (a NULL-terminated list) that a file set
 * was set, else fallback: the place of an error found after loading. */
static const char *key_place(const cb_layout *l, const char *fallback,
                             const char *const *names)
{
    const char *place = NULL;
    for (; !place && *names; names++) {
        const key_desc *k = find_key(*names);
        if (k && l->key_places)
            place = l->key_places[k - keys];
    }
    return place ? place : fallback;
}

/* A NULL-terminated list of key names, for key_place. */
#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

const char *cb_layout_key_place(const cb_layout *l, const char *key)
{
    return key_place(l, l->name, KEYS(key));
}

/* Applies a mapping whose keys are under `prefix` ("" at the top). */
static void walk(parse *p, yaml_node_t *map, const char *prefix)
{
    if (map->data.mapping.pairs.top - map->data.mapping.pairs.start >
        MAX_KEYS) {
        fail(p, &map->start_mark, "more than %d keys in one group: this is "
             "not a layout", MAX_KEYS);
        return;
    }
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start;
         pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&p->doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(&p->doc, pr->value);
        const char *key = scalar(kn);
        if (!key) {
            fail(p, &kn->start_mark, "a key must be a plain name");
            continue;
        }
        /* YAML allows the same key twice; the second silently wins */
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pr; q++)
            if (strcmp(scalar(yaml_document_get_node(&p->doc, q->key))
                           ? scalar(yaml_document_get_node(&p->doc, q->key))
                           : "", key) == 0) {
                fail(p, &kn->start_mark, "key \"%s\" is given twice", key);
                break;
            }
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", key);
        if (!*prefix && strcmp(key, "extends") == 0)
            continue; /* applied before everything else */
        if (vn->type == YAML_MAPPING_NODE && is_group(path))
            walk(p, vn, path);
        else
            set_node(p, path, vn, &kn->start_mark);
    }
}

/* ---- files ---- */

/* A layout file's text and its length, or NULL with *rc saying why. */
static char *read_file(const char *path, size_t *len, int *rc)
{
    cb_buf b = {0};
    *rc = cb_read_file(path, MAX_LAYOUT_BYTES, &b);
    *len = b.len;
    if (*rc == 0)
        return b.data;
    cb_buf_free(&b);
    return NULL;
}

/* The message for a file that could not be read. */
static const char *read_failure(int rc, const char *limit, char *buf,
                                size_t n)
{
    if (rc == CB_READ_TOO_BIG)
        snprintf(buf, n, "larger than %s, too large to be one", limit);
    else
        snprintf(buf, n, "%s", cb_read_error(rc));
    return buf;
}

static int is_path(const char *name)
{
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".yaml") == 0);
}

/* Finds NAME.yaml in the layout folders; the path goes into out. */
static int find_layout(const char *name, char *out, size_t n)
{
    char dirs[CB_DATA_DIRS][PATH_MAX];
    int nd = cb_data_dirs("layouts", "CONTRIBOOK_LAYOUTS", dirs);
    for (int i = 0; i < nd; i++) {
        snprintf(out, n, "%.*s/%s.yaml", PATH_MAX, dirs[i], name);
        if (access(out, R_OK) == 0)
            return 0;
    }
    return -1;
}

static int load_into(cb_layout *lay, const char *name, cb_diag *diag,
                     int depth, const char *from, const yaml_mark_t *at,
                     const char *root);

/* A file named by `extends` is found beside the layout that names it. */
static const char *relative_to(const char *name, const char *from,
                               cb_arena *arena)
{
    const char *slash = strrchr(from, '/');
    if (!is_path(name) || name[0] == '/' || !slash)
        return name;
    return cb_arena_printf(arena, "%.*s/%s", (int)(slash - from), from, name);
}

/* libyaml gives a reader error (bad UTF-8, a control character) as a byte
 * offset only; the message wants its line and column (in characters). */
static yaml_mark_t offset_mark(const parse *p, size_t offset)
{
    yaml_mark_t m = {.index = offset};
    for (size_t i = 0; i < offset && i < p->len; i++) {
        if (p->text[i] == '\n') {
            m.line++;
            m.column = 0;
        } else if (((unsigned char)p->text[i] & 0xC0) != 0x80) {
            m.column++;
        }
    }
    return m;
}

static void yaml_failure(parse *p, yaml_parser_t *yp)
{
    yaml_mark_t m = yp->error == YAML_READER_ERROR
                        ? offset_mark(p, yp->problem_offset)
                        : yp->problem_mark;
    fail(p, &m, "%s%s%s", yp->problem ? yp->problem : "invalid YAML",
         yp->context ? " " : "", yp->context ? yp->context : "");
}

/* Parses one file into lay (over what lay holds already); named_at is
 * where an `extends` names it ("" for the layout given). */
static int load_file(cb_layout *lay, const char *path, cb_diag *diag,
                     int depth, const char *scope, const char *named_at)
{
    int rc;
    parse p = {.lay = lay, .diag = diag, .path = path, .root = scope,
               .depth = depth};
    p.text = read_file(path, &p.len, &rc);
    if (!p.text) {
        char buf[128];
        if (*named_at)
            cb_diag_error(diag, named_at, "extends: %s: cannot read layout: "
                          "%s", path, read_failure(rc, "1 MiB", buf,
                                                   sizeof buf));
        else
            cb_diag_error(diag, path, "cannot read layout: %s",
                          read_failure(rc, "1 MiB", buf, sizeof buf));
        return -1;
    }
    note_file(lay, path);
    yaml_parser_t yp;
    yaml_parser_initialize(&yp);
    yaml_parser_set_input_string(&yp, (const unsigned char *)p.text, p.len);
    if (!yaml_parser_load(&yp, &p.doc)) {
        yaml_failure(&p, &yp);
        yaml_parser_delete(&yp);
        free(p.text);
        return -1;
    }
    /* a second document would be ignored: say so */
    yaml_document_t next;
    if (!yaml_parser_load(&yp, &next)) {
        yaml_failure(&p, &yp);
    } else {
        if (yaml_document_get_root_node(&next))
            fail(&p, &next.start_mark, "a layout is one YAML document: a "
                 "second one starts here");
        yaml_document_delete(&next);
    }
    yaml_parser_delete(&yp);
    /* "\0" in a quoted scalar would cut the value short where C reads it
     * ("report-a4\0../../x" taken for report-a4) */
    for (yaml_node_t *n = p.doc.nodes.start; n < p.doc.nodes.top; n++)
        if (n->type == YAML_SCALAR_NODE &&
            memchr(n->data.scalar.value, '\0', n->data.scalar.length))
            fail(&p, &n->start_mark, "a NUL character in a value");
    yaml_node_t *root = yaml_document_get_root_node(&p.doc);
    if (p.errors) {
        /* reported above */
    } else if (root && root->type != YAML_MAPPING_NODE) {
        fail(&p, &root->start_mark, "a layout is a set of keys (key: value)");
    } else if (root) {
        /* the layout it extends comes first, then this file's keys */
        for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
             pr < root->data.mapping.pairs.top; pr++) {
            yaml_node_t *kn = yaml_document_get_node(&p.doc, pr->key);
            yaml_node_t *vn = yaml_document_get_node(&p.doc, pr->value);
            if (!scalar(kn) || strcmp(scalar(kn), "extends") != 0)
                continue;
            const char *name = scalar(vn), *why = NULL;
            char buf[512];
            if (name && is_path(name))
                why = outside(name, relative_to(name, path, lay->arena),
                              scope, buf, sizeof buf);
            if (!name)
                fail(&p, &vn->start_mark, "extends: expected a layout name "
                     "or file");
            else if (why)
                fail(&p, &vn->start_mark, "extends: %s", why);
            else if (load_into(lay, relative_to(name, path, lay->arena),
                               diag, depth + 1, path, &vn->start_mark,
                               scope) < 0)
                p.errors++;
        }
        walk(&p, root, "");
    }
    yaml_document_delete(&p.doc);
    free(p.text);
    return p.errors ? -1 : 0;
}

/* The folder of a file, links followed, in the layout's arena; NULL for a
 * trusted layout. */
static const char *root_of(cb_layout *lay, const char *path)
{
    char real[PATH_MAX];
    if (lay->trusted || !realpath(path, real))
        return NULL;
    char *slash = strrchr(real, '/');
    if (slash)
        *slash = '\0';
    return cb_arena_strdup(lay->arena, *real ? real : "/");
}

/* Loads the layout `name` (a shipped name or a path): its files stay in
 * root, except that a shipped layout found by name has its own folder. */
static int load_into(cb_layout *lay, const char *name, cb_diag *diag,
                     int depth, const char *from, const yaml_mark_t *at,
                     const char *root)
{
    char place[PATH_MAX + 64] = "";
    if (from)
        snprintf(place, sizeof place, "%.*s:%zu:%zu", PATH_MAX, from,
                 at->line + 1, at->column + 1);
    if (depth > MAX_EXTENDS) {
        cb_diag_error(diag, place, "layouts extend each other more than %d "
                      "deep (a cycle?)", MAX_EXTENDS);
        return -1;
    }
    char path[PATH_MAX + 64];
    if (is_path(name)) {
        snprintf(path, sizeof path, "%s", name);
        if (depth == 0)
            root = root_of(lay, path);
    } else if (find_layout(name, path, sizeof path) < 0) {
        cb_diag_error(diag, *place ? place : NULL, "no layout named \"%s\" "
                      "(see contribook --list-layouts)", name);
        return -1;
    } else {
        root = root_of(lay, path);
    }
    if (depth == 0)
        lay->root = root;
    return load_file(lay, path, diag, depth, root, place);
}

/* ---- the whole layout ---- */

/* Refuses what cannot be set: margins that leave no text area, sizes too
 * small to read or lines closer than their type. */
static int validate(const cb_layout *l, const char *place, cb_diag *diag)
{
    int bad = 0;
    if (l->page_width_pt - l->margin_inner_pt - l->margin_outer_pt < 72 ||
        l->page_height_pt - l->margin_top_pt - l->margin_bottom_pt < 72) {
        cb_diag_error(diag,
                      key_place(l, place,
                                KEYS("page.margin_inner", "page.margin_outer",
                                     "page.margin_top", "page.margin_bottom",
                                     "page.size")),
                      "the margins leave less than 1in of text "
                      "on a %.0f x %.0f pt page",
                      l->page_width_pt, l->page_height_pt);
        bad = 1;
    }
    const struct {
        const char *key;
        float size, leading;
    } sizes[] = {{"body", l->body_size_pt, l->body_leading_pt},
                 {"title", l->title_size_pt, l->title_leading_pt}};
    for (size_t i = 0; i < 2; i++) {
        char size_key[16], leading_key[16];
        snprintf(size_key, sizeof size_key, "%s.size", sizes[i].key);
        snprintf(leading_key, sizeof leading_key, "%s.leading", sizes[i].key);
        if (sizes[i].size < 4) {
            cb_diag_error(diag, key_place(l, place, KEYS(size_key)),
                          "%s.size %.1fpt is too small to read "
                          "(at least 4pt)", sizes[i].key, sizes[i].size);
            bad = 1;
        } else if (sizes[i].leading < sizes[i].size) {
            cb_diag_error(diag,
                          key_place(l, place, KEYS(leading_key, size_key)),
                          "%s.leading %.1fpt is less than its "
                          "size %.1fpt: lines would overlap", sizes[i].key,
                          sizes[i].leading, sizes[i].size);
            bad = 1;
        }
    }
    if (l->columns < 1 || l->columns > 4 || l->index_columns < 1 ||
        l->index_columns > 4) {
        cb_diag_error(diag,
                      key_place(l, place,
                                KEYS(l->columns < 1 || l->columns > 4
                                         ? "page.columns"
                                         : "back.index_columns")),
                      "page.columns and back.index_columns "
                      "must be from 1 to 4");
        bad = 1;
    } else if (!bad &&
               (l->page_width_pt - l->margin_inner_pt - l->margin_outer_pt -
                l->column_gap_pt * (float)(l->columns - 1)) /
                       (float)l->columns <
                   72) {
        cb_diag_error(diag,
                      key_place(l, place,
                                KEYS("page.columns", "page.column_gap")),
                      "%d columns leave less than 1in each",
                      l->columns);
        bad = 1;
    }
    /* a language names a file, hyph_LANG.dic: letters, digits, _ and - */
    size_t lang_len = strspn(l->language, "abcdefghijklmnopqrstuvwxyz"
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_-");
    if (!*l->language || l->language[lang_len] || lang_len > 16) {
        cb_diag_error(diag, key_place(l, place, KEYS("body.language")),
                      "body.language: expected a language code such as en, "
                      "de or pt_BR");
        bad = 1;
    }
    if (l->meta_size_pt < 4 || l->head_size_pt < 4 || l->foot_size_pt < 4) {
        cb_diag_error(diag,
                      key_place(l, place,
                                KEYS(l->meta_size_pt < 4   ? "meta.size"
                                     : l->head_size_pt < 4 ? "head.size"
                                                           : "foot.size")),
                      "meta, head and foot sizes must be at least 4pt");
        bad = 1;
    }
    return bad ? -1 : 0;
}

/* Reads a preface or postface into the layout, once: the composer sets it
 * from there. The description reader takes valid UTF-8 only. */
static int read_matter(cb_layout *l, cb_layout_file *f, const char *key,
                       const char *place, cb_diag *diag)
{
    if (!*f->path)
        return 0;
    cb_buf b = {0};
    char buf[128];
    int rc = cb_read_file(f->path, MAX_MATTER_BYTES, &b);
    place = key_place(l, place, KEYS(key));
    if (rc != 0)
        cb_diag_error(diag, place, "%s: cannot read: %s", f->path,
                      rc == CB_READ_TOO_BIG
                          ? "larger than 1 MiB, too large for a preface or "
                            "postface"
                          : read_failure(rc, "", buf, sizeof buf));
    else if (!cb_utf8_valid(b.data, b.len) || memchr(b.data, '\0', b.len))
        cb_diag_error(diag, place, "%s: not valid UTF-8 text", f->path),
            rc = -1;
    else
        note_file(l, f->path);
    if (rc == 0) {
        f->len = b.len;
        f->text = b.len ? cb_arena_strndup(l->arena, b.data, b.len) : "";
    }
    cb_buf_free(&b);
    return rc;
}

/* Reads an image a layout names (cover.logo, head.logo). */
static int read_logo(cb_layout *l, cb_layout_image *im, const char *key,
                     const char *place, cb_diag *diag)
{
    if (!im->path || !*im->path)
        return 0;
    char why[256];
    if (cb_image_read(im->path, l->arena, &im->image, why, sizeof why) < 0) {
        cb_diag_error(diag, key_place(l, place, KEYS(key)), "%s: %s: %s",
                      key, im->path, why);
        return -1;
    }
    note_file(l, im->path);
    return 0;
}

/* Reads figure b of matter file f (a Markdown image alone in its
 * paragraph), relative to f, once. */
static int read_figure(cb_layout *l, const cb_layout_file *f,
                       const cb_block *b, cb_diag *diag)
{
    if (cb_layout_figure(l, b->code))
        return 0;
    char place[PATH_MAX + 32], buf[512], why[256];
    snprintf(place, sizeof place, "%.*s:%d", PATH_MAX, f->path, b->line);
    /* in the layout's arena: b lives only while the figures are read */
    const char *slash = strrchr(f->path, '/'), *no = NULL;
    const char *path = *b->code && *b->code != '/' && slash
                           ? cb_arena_printf(l->arena, "%.*s/%s",
                                             (int)(slash - f->path), f->path,
                                             b->code)
                           : cb_arena_strdup(l->arena, b->code);
    if (!*b->code)
        no = "an image without a file name";
    else if (is_url(b->code))
        no = "a web address: images are not fetched; put the file beside "
             "the layout";
    else if (l->n_figures == CB_LAYOUT_MAX_FIGURES)
        no = "more than 64 images in a preface and postface";
    else
        no = outside(b->code, path, l->root, buf, sizeof buf);
    cb_layout_image im = {cb_arena_strdup(l->arena, b->code), path, {0}};
    if (!no && cb_image_read(path, l->arena, &im.image, why, sizeof why) < 0)
        no = why;
    if (no) {
        cb_diag_error(diag, place, "image %s: %s", b->code, no);
        return -1;
    }
    if (!l->figures)
        l->figures = cb_arena_alloc(l->arena, CB_LAYOUT_MAX_FIGURES *
                                                  sizeof *l->figures);
    l->figures[l->n_figures++] = im;
    note_file(l, path);
    return 0;
}

/* The figures of blocks b and those inside them (16 deep at most: see
 * cb_markup_parse). */
static int read_figures_in(cb_layout *l, const cb_layout_file *f,
                           const cb_block *b, cb_diag *diag)
{
    int bad = 0;
    for (; b; b = b->next) {
        if (b->kind == CB_BLOCK_IMAGE)
            bad |= read_figure(l, f, b, diag) < 0;
        bad |= read_figures_in(l, f, b->children, diag) < 0;
    }
    return bad ? -1 : 0;
}

/* Reads the images a preface or postface draws; the composer finds them
 * by their source (cb_layout_figure). */
static int read_figures(cb_layout *l, const cb_layout_file *f, cb_diag *diag)
{
    if (!f->text)
        return 0;
    cb_arena *tmp = cb_arena_new();
    int rc = read_figures_in(l, f, cb_markup_parse(tmp, f->text, f->len, NULL),
                             diag);
    cb_arena_free(tmp);
    return rc;
}

const cb_layout_image *cb_layout_figure(const cb_layout *l, const char *src)
{
    for (int i = 0; i < l->n_figures; i++)
        if (!strcmp(l->figures[i].src, src))
            return &l->figures[i];
    return NULL;
}

cb_layout *cb_layout_load(const char *name, int trusted, cb_diag *diag)
{
    cb_layout *lay = cb_xcalloc(1, sizeof *lay);
    lay->arena = cb_arena_new();
    lay->trusted = trusted;
    apply_defaults(lay);
    lay->name = cb_arena_strdup(lay->arena, name ? name : "report-a4");
    if (!name)
        return lay;
    if (load_into(lay, name, diag, 0, NULL, NULL, NULL) < 0) {
        cb_layout_free(lay);
        return NULL;
    }
    /* every problem of a layout that parsed is reported in one run */
    int bad = validate(lay, name, diag) < 0;
    bad |= read_matter(lay, &lay->preface, "front.preface", name, diag) < 0;
    bad |= read_matter(lay, &lay->postface, "back.postface", name, diag) < 0;
    bad |= read_logo(lay, &lay->cover_logo, "cover.logo", name, diag) < 0;
    bad |= read_logo(lay, &lay->head_logo, "head.logo", name, diag) < 0;
    bad |= read_figures(lay, &lay->preface, diag) < 0;
    bad |= read_figures(lay, &lay->postface, diag) < 0;
    if (bad) {
        cb_layout_free(lay);
        return NULL;
    }
    return lay;
}

void cb_layout_free(cb_layout *lay)
{
    if (!lay)
        return;
    cb_arena_free(lay->arena);
    free(lay);
}

void cb_layout_set_family(cb_layout *lay, cb_font_role role,
                          const char *family)
{
    const char **slot = role == CB_FONT_SERIF  ? &lay->serif
                        : role == CB_FONT_SANS ? &lay->sans
                                               : &lay->mono;
    *slot = cb_arena_strdup(lay->arena, family);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cb_layout_list(FILE *out)
{
    char dirs[CB_DATA_DIRS][PATH_MAX];
    int nd = cb_data_dirs("layouts", "CONTRIBOOK_LAYOUTS", dirs);
    char *names[256] = {0};
    size_t n = 0;
    for (int i = 0; i < nd; i++) {
        DIR *d = opendir(dirs[i]);
        for (struct dirent *e; d && (e = readdir(d)) && n < 256;) {
            size_t len = strlen(e->d_name);
            if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
                continue;
            char *base = cb_xstrdup(e->d_name);
            base[len - 5] = '\0';
            int dup = 0;
            for (size_t k = 0; k < n; k++)
                dup |= strcmp(names[k], base) == 0;
            if (dup)
                free(base);
            else
                names[n++] = base;
        }
        if (d)
            closedir(d);
    }
    qsort(names, n, sizeof *names, name_cmp);
    cb_diag *quiet = cb_diag_new(NULL);
    for (size_t i = 0; i < n; i++) {
        cb_layout *l = cb_layout_load(names[i], 0, quiet);
        fprintf(out, "%-22s %s\n", names[i],
                l ? l->description : "(cannot be loaded: run with --layout)");
        cb_layout_free(l);
        free(names[i]);
    }
    cb_diag_free(quiet);
    return 0;
}

void cb_layout_keys(FILE *out)
{
    static const char *const types[K_TYPES] = {
        "length", "text", "template", "true/false", "colour", "choice",
        "number", "paper", "12 names", "7 names", "field list", "names",
        "sort keys", "file", "colour or none", "PNG or JPEG file"};
    _Static_assert(sizeof types / sizeof types[0] == K_TYPES,
                   "a name for every key type");
    for (size_t i = 0; i < N_KEYS; i++)
        fprintf(out, "%s\t%s\t%s\t%s\n", keys[i].key, types[keys[i].type],
                keys[i].def, keys[i].doc);
}

char *cb_layout_expand(cb_arena *arena, const char *tmpl,
                       const char *(*get)(void *ctx, const char *name),
                       void *ctx)
{
    cb_buf b = {0};
    for (const char *s = tmpl; *s;) {
        const char *o = strchr(s, '{'), *c = o ? strchr(o, '}') : NULL;
        if (!o || !c) {
            cb_buf_puts(&b, s);
            break;
        }
        cb_buf_add(&b, s, (size_t)(o - s));
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(c - o - 1), o + 1);
        const char *v = get(ctx, name);
        cb_buf_puts(&b, v ? v : "");
        s = c + 1;
    }
    char *r = cb_arena_strdup(arena, b.data ? b.data : "");
    cb_buf_free(&b);
    return r;
}

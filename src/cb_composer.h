/* cb_composer.h - the composer's shared state, private to compose*.c (the
 * public side is include/cb_compose.h).
 *
 * The composer sets a model as pages of a display list, top-down with a
 * cursor `y` (the top of the free space) and each element placed as lines
 * from cb_text. As cmark keeps its renderers' shared state in render.h and
 * one file per output, each part of the booklet has a file of its own:
 *
 *   compose.c           the document: each event's parts in order, metadata
 *   compose_page.c      pages, columns, running heads and footers; placing
 *                       lines on them (widows, orphans, page breaks)
 *   compose_blocks.c    a description's blocks: paragraphs, lists, code...
 *   compose_fields.c    one contribution and each of its fields
 *   compose_cover.c     the title page
 *   compose_contents.c  groups (days, sessions), their headings, the contents
 *   compose_index.c     the author, affiliation and keyword indexes
 *   compose_matter.c    front matter (moved before the body) and files
 *
 * All lengths are in points, origin bottom left, as in the display list. */
#ifndef CB_COMPOSER_H
#define CB_COMPOSER_H

#include "cb_compose.h"
#include "cb_layout.h"
#include "cb_markup.h"
#include "cb_math.h"
#include "cb_text.h"
#include "cb_unicode.h"

/* The faces of the layout's three families, as the font service gave them. */
typedef struct {
    int serif, serif_b, serif_i, serif_bi, sans, sans_b, mono, mono_b;
} faces;

/* What is drawn beside placed lines: a code block's background, a quote's
 * bar. */
typedef enum { DECOR_NONE, DECOR_CODE, DECOR_QUOTE } decor;

/* A line of the table of contents: a contribution or a group heading. */
typedef struct {
    const char *title;
    const char *id;     /* NULL for a group */
    int level;          /* 0 group, 1 subgroup, 2 contribution */
    int depth;          /* how far it is indented: the groups above it */
    int page;           /* 0-based page index */
    float y;
} toc_entry;

/* What a page's running head and footer show, drawn once every page of
 * its part exists (so a footer can say "Page 3 of 12"). */
typedef struct {
    cb_page *page;
    const cb_contribution *cur; /* contribution the page shows, or NULL */
    const char *section;        /* the group the page is in, or NULL */
    int head;                   /* draw the running head (1), only the
                                   footer (0), or neither (-1: a cover) */
    int base, roman;            /* its part's numbering */
    const char *event;          /* {event}: its event's title as it fits
                                   the head (a volume's part), or NULL */
} page_rec;

/* A person, affiliation or keyword seen on a page, for an index. */
typedef enum { INDEX_AUTHOR, INDEX_AFFILIATION, INDEX_KEYWORD } index_kind;

typedef struct {
    index_kind kind;
    const char *key;    /* sorts the index */
    const char *name;   /* as the index shows it */
    int page;
} index_ref;

/* A layout of the contribution being set, kept for when it is set
 * again: an entry is measured before it is placed (compose_fields.c). */
typedef struct {
    float first_w, w;
    cb_align align;
    long n;
    cb_line *lines;
} laid_text;

typedef struct {
    /* services, and the document being made */
    cb_fonts *fonts;
    cb_dlist *dl;
    cb_diag *diag;
    const cb_compose_options *opts;
    const cb_layout *L;      /* the page layout */
    cb_text *text;
    cb_arena *arena;     /* what lives as long as the composer: index keys,
                            group names, links of the contents */
    cb_arena *scratch;   /* lines of the current contribution */
    /* the last texts cb_compose_fit_text cut, with what it made of them: a
     * running head fits the same title on every page (a binary search of
     * layouts each time was 5 % of a report) */
    struct fit_memo {
        char *text, *fitted; /* malloc'd; text NULL: empty */
        int face;
        float size_pt, max_w;
    } fit_memo[4];
    int next_fit_memo;
    faces f;
    cb_collator *coll;       /* sorts the indexes */
    cb_math *math;           /* sets formulas, in the layout's math font */
    /* the formulas of the text parsed last, which it marks with U+F0000
     * + their index (cb_compose_parse) */
    cb_math_span *formulas;
    const char *formula_text;
    size_t n_formulas, cap_formulas;

    /* where the next line goes */
    cb_page *page;
    float y;             /* top of the free space on the page */
    float width;         /* the measure */
    float left;              /* the current column's left edge */
    float page_left;         /* the current page's left margin */
    float full_width;        /* the text width of the page */
    int n_cols, col;         /* columns of the part being set, and which */
    float col_top;           /* where columns start on this page */
    float quote_indent;      /* innermost quote bar, from the column's left
                                edge (0: none), for DECOR_QUOTE */
    const char *marker;      /* a list marker for the next lines placed,
                                drawn beside the first of them */
    const char *role;        /* structure role of the next lines placed */
    const char *lang;        /* the language of the contribution being set,
                                when not the layout's; NULL otherwise */
    const char *block_lang;  /* the language of the blocks placed: lang in
                                its title and text, else NULL */
    int block_id;            /* blocks placed so far */
    int after_heading;       /* a group heading was just set */

    /* measuring an entry before placing it (compose_fields.c): lines
     * only move y down, on a column without end, and draw nothing */
    int measuring;
    int keep_left;           /* lines of text still to keep with the
                                entry's heading */
    float keep_y;            /* where they end */
    float end_y;             /* where the last line measured ends */
    laid_text *memo;         /* the entry's layouts, in the order made: a
                                measured entry is laid out once */
    size_t n_memo, cap_memo, next_memo;
    int memo_on;             /* an entry is being measured or set */
    int ahead;               /* sets contributions ahead on another thread
                                (compose_ahead.c): pages of its own, no
                                heads or feet, no place for the fonts'
                                messages */
    int ahead_over;          /* it passed AHEAD_MAX_PAGES in one */
    const cb_contribution *parsed; /* whose description `blocks` is */
    cb_block *blocks;

    /* what is being set */
    const cb_model *volume;  /* the model whose events are a volume's
                                parts, or NULL (one event, one book) */
    int toc_depth;           /* how far a part's lines of the contents are
                                indented: 1 inside a volume's part */
    const cb_event *ev;
    const cb_contribution *cur; /* the contribution being set, or NULL */
    const char *where;       /* place for warnings */
    int in_matter;           /* a preface or postface is being set: its
                                figures are drawn */
    const char *section;     /* the current group's name */
    int group_levels;        /* levels of groups the event is set in (0-2) */

    /* running heads, footers and page numbers */
    int head;                /* on new pages: see page_rec.head */
    const char *short_event; /* the event title as it fits the head */
    const cb_datetime *when; /* the date being formatted */
    const char *date_text;   /* footer date */
    int too_many_pages;      /* past CB_MAX_PAGES: the run fails */
    int base;                /* page index numbered 1 in this part */
    int body_base;           /* page index numbered 1 in the body */
    int roman;               /* this part is numbered i, ii, iii... */
    int pages;               /* {pages}: the last page number of the part */
    page_rec *recs;          /* pages waiting for their head and foot */
    size_t n_recs, cap_recs;
    size_t first_rec;        /* the event's first page record */
    size_t done_recs;        /* records before it are drawn and done */
    size_t n_set, n_all;     /* contributions set, and to set (progress) */
    int eager;               /* a page is finished once the next one
                                starts (no head or foot counts pages) */

    /* what the contents and the indexes will list */
    toc_entry *toc;          /* contributions and groups, for the contents */
    size_t n_toc, cap_toc;
    index_ref *refs;         /* people and their pages, for the index */
    size_t n_refs, cap_refs;
    int *line_pages;         /* the page of each line placed last */
    size_t cap_line_pages;
} composer;

static inline cb_style style(int face, float size, unsigned color)
{
    cb_style s = {.face = face, .size_pt = size, .color = color};
    return s;
}

/* A tint of colour c, amount (0-1) of its ink: of each ink for CMYK, a
 * mix with white for RGB. A layout's greys are tints of its text colour,
 * so that a print layout's are black ink only. */
static inline unsigned tint(unsigned c, float amount)
{
    unsigned out = c & CB_CMYK;
    for (int i = 0; i < (c & CB_CMYK ? 4 : 3); i++) {
        int bits = c & CB_CMYK ? 7 : 8, shift = c & CB_CMYK ? 21 - 7 * i
                                                             : 16 - 8 * i;
        unsigned v = (c >> shift) & ((1u << bits) - 1);
        v = c & CB_CMYK ? (unsigned)(v * amount + 0.5f)
                        : 255 - (unsigned)((255 - v) * amount + 0.5f);
        out |= v << shift;
    }
    return out;
}

/* The style of names, titles and affiliations: printed exactly, so never
 * broken after a hyphen (see cb_style.keep_hyphens). */
static inline cb_style exact(int face, float size, unsigned color)
{
    cb_style s = style(face, size, color);
    s.keep_hyphens = 1;
    return s;
}

/* The regular and bold faces of a layout's font role. */
static inline int role_face(const composer *c, cb_font_role r, int bold)
{
    switch (r) {
    case CB_FONT_SERIF: return bold ? c->f.serif_b : c->f.serif;
    case CB_FONT_MONO: return bold ? c->f.mono_b : c->f.mono;
    case CB_FONT_SANS: break;
    }
    return bold ? c->f.sans_b : c->f.sans;
}

static inline void space(composer *c, float pt)
{
    c->y -= pt;
}

/* ---- compose_page.c ---- */

/* The display list's index of a layout's image, added once. */
int cb_compose_image(composer *c, const cb_layout_image *im);

/* cb_text_layout of c->text into c->scratch. A failure (a face out of
 * glyph codes) is the font service's to report and remember
 * (cb_fonts_failed), which fails the run with CB_EXIT_FONT. */
long cb_compose_layout(composer *c, float first_w, float w, cb_align align,
                       cb_line **lines);

/* Shortens text with an ellipsis until it is at most max_w wide; *cut
 * says whether it had to. The result lives in c->scratch. */
const char *cb_compose_fit_text(composer *c, const char *s, const cb_style *st,
                                float max_w, int *cut);
/* The width of s set on one line; past FIT_TEXT_MAX_BYTES, wider than
 * any page. */
float cb_compose_text_width(composer *c, const char *s, const cb_style *st);
/* Draws one line of text at (x, y); align picks what x means. Returns its
 * width. */
float cb_compose_draw_single(composer *c, const char *s, const cb_style *st,
                             float x, float y, cb_align align);
/* The number printed on a page of the body (which the contents and the
 * index refer to), whatever part is being set. */
const char *cb_compose_body_label(composer *c, int index);
/* A layout template with the composer's placeholders filled in. */
const char *cb_compose_expand(composer *c, const char *tmpl);
/* A date in the layout's format and language. */
const char *cb_compose_format_date(composer *c, const cb_datetime *d);
/* ... without its weekday (labels.day_format). */
const char *cb_compose_format_day(composer *c, const cb_datetime *d);

void cb_compose_new_page(composer *c);
/* Sets what follows in n columns (1 for the whole width), from here. */
void cb_compose_set_columns(composer *c, int n);
/* Moves to the next column or page if less than `pt` points are left. */
void cb_compose_need(composer *c, float pt);
/* The space left in the current column. */
float cb_compose_room(const composer *c);
/* Draws the running heads and footers of the pages set since page record
 * `from`, and moves them to the start of each page's items. */
void cb_compose_finish_pages(composer *c, size_t from);

/* Places lines at indent x, breaking pages as needed without widows or
 * orphans. Returns the first baseline. */
float cb_compose_place_lines(composer *c, const cb_line *lines, size_t n,
                             float x, float lead, decor d);
/* Adds s[0, len) to c->text in style st, its TeX math ($...$, \(...\))
 * set as formulas. */
void cb_compose_add_text(composer *c, const char *s, size_t len,
                         const cb_style *st);
/* Adds text of a parsed description, whose formulas are marked. */
void cb_compose_add_marked(composer *c, const char *s, size_t len,
                           const cb_style *st);
/* Lays out what was added to c->text and places it. */
float cb_compose_flush_text(composer *c, float x, float first_w, float w,
                            cb_align align, float lead, decor d);
/* The number of the page where the lines placed last show `s`: the line
 * that holds it, or the first. */
int cb_compose_page_showing(const composer *c, const cb_line *lines,
                            size_t n, const char *s);

/* ---- the rooms ---- */

/* compose_blocks.c: a description's blocks, indented from the column's
 * left edge: the text may move to another column or page, whose edge is
 * elsewhere. */
void cb_compose_blocks(composer *c, const cb_block *b, float indent,
                       int depth);
/* compose_blocks.c: parses a description (or preface), warning at `where`
 * about links that are shown as text only. */
cb_block *cb_compose_parse(composer *c, const char *text, size_t len,
                           const char *where);
/* compose_fields.c: one contribution, at the outline level given. */
void cb_compose_contribution(composer *c, const cb_contribution *k,
                             int outline_level);
/* compose_fields.c: the height a contribution needs where it starts: the
 * whole entry if it fits in `room`, else its heading with the first
 * entry.keep_lines lines of its text. */
float cb_compose_entry_need(composer *c, const cb_contribution *k, float room);
/* compose_fields.c: forgets the layouts kept for the entry just set. */
void cb_compose_entry_done(composer *c);
/* compose_ahead.c: with the PDF writer on a thread of its own, whole
 * contributions of a body set ahead on that thread while it waits for
 * pages, each placed by the composer when it comes to it (see there).
 * NULL when they cannot be (one thread; a flow, in which an entry's
 * place depends on the last; two-sided margins, which depend on the page
 * number). */
typedef struct ahead ahead;
ahead *cb_ahead_start(composer *c, const cb_contribution **order, size_t n,
                      int outline_level);
/* In place of cb_compose_contribution(c, order[i], ...): 1 when order[i]
 * was set ahead and is now placed, 0 when c is to set it itself. */
int cb_ahead_place(ahead *a, composer *c, size_t i);
void cb_ahead_stop(ahead *a);
/* The most pages one contribution set ahead may take: a longer one is
 * let go and set by the composer, so that what waits stays small. */
#define AHEAD_MAX_PAGES 16
/* compose_cover.c */
void cb_compose_cover(composer *c, const cb_event *ev, int level);
/* A volume's title page: its title and subtitle, and its events. */
void cb_compose_volume_cover(composer *c, const cb_model *m);
/* The first day and the last any event of m has (unset when none has). */
void cb_compose_volume_span(const cb_model *m, const cb_datetime **first,
                            const cb_datetime **last);
/* The volume's title: --title, the layout's, else its events' titles. */
const char *cb_compose_volume_title(composer *c, const cb_model *m);
/* "9–11 March 2025", in the layout's month names; NULL without a start. */
const char *cb_compose_date_range(composer *c, const cb_datetime *a,
                                  const cb_datetime *b);
/* compose_contents.c */
void cb_compose_note_toc(composer *c, const char *title, const char *id);
void cb_compose_open_group(composer *c, const cb_contribution *k, cb_group_by g,
                           int level, int outline_level);
void cb_compose_part_heading(composer *c, const char *title);
void cb_compose_toc(composer *c);
/* The changes since the previous edition (c->opts->previous): added,
 * changed (with what changed) and removed contributions, each with the
 * page it is on. */
void cb_compose_changes(composer *c, const cb_event *ev);
/* compose_index.c: what the lines just placed show, for the indexes, each
 * on the page where it is printed: people shown[i] for p[i] (and their
 * affiliations), keywords. Nothing while an entry is measured. */
void cb_compose_note_people(composer *c, const cb_person *p, size_t n,
                            const char *const *shown, const cb_line *lines,
                            size_t n_lines);
void cb_compose_note_keywords(composer *c, const cb_contribution *k,
                              const cb_line *lines, size_t n_lines);
void cb_compose_sort_index(composer *c);
void cb_compose_index(composer *c, index_kind kind, const char *title);
/* compose_matter.c */
void cb_compose_matter(composer *c, const cb_layout_file *f);

/* ---- compose.c, compose_timetable.c ---- */

/* Whether the layout sets contribution k (select.*, exclude.*). */
int cb_compose_selected(const cb_layout *L, const cb_contribution *k);
/* A timetable of each day of ev with contributions at a time, from a new
 * page, each day's bookmark at outline level `level`. */
void cb_compose_timetable(composer *c, const cb_event *ev, int level);
void cb_compose_front(composer *c, const cb_event *ev, int body_first);

#endif

/* cb_text.h - paragraphs: styled text shaped through the font service and
 * broken into lines at Unicode line-break opportunities (ICU's line
 * break iterator, reached only from text.c). Measured widths are the widths drawn. */
#ifndef CB_TEXT_H
#define CB_TEXT_H

#include <stddef.h>

#include "cb_dlist.h"
#include "cb_font.h"
#include "cb_util.h"

/* How lines sit in the measure; layout files name them in this order
 * (justify, left, center, right: see layout.c). */
typedef enum {
    CB_ALIGN_JUSTIFY,
    CB_ALIGN_LEFT,
    CB_ALIGN_CENTER,
    CB_ALIGN_RIGHT
} cb_align;

/* Something set inline like one character, such as a formula: its box,
 * and how to draw it with its baseline start at (x, y). */
typedef struct cb_inline {
    float width, ascent, descent; /* pt; descent below the baseline */
    void (*draw)(const struct cb_inline *obj, cb_page *page, float x,
                 float y, unsigned color);
} cb_inline;

typedef struct {
    int face;          /* primary face; other faces only for missing glyphs */
    float size_pt;     /* font size */
    float rise_pt;     /* baseline shift, up is positive */
    unsigned color;    /* 0xRRGGBB */
    const char *link;  /* URI, or "#pPAGE:Y" for a place in this document
                          (0-based page index, y in points), or NULL;
                          must outlive the layout */
    int nobreak;       /* no line break inside this piece */
    int keep_hyphens;  /* names and titles: no line starts with a hyphen
                          either (no line ever ends with one of the text:
                          pdftotext would drop it) */
    int hyphenate;     /* words may be hyphenated (body text only) */
    const cb_inline *object; /* the piece is this object (cb_text_add_inline) */
} cb_style;

/* A piece of a line in one face and style; x is from the line's start. */
typedef struct {
    int face;
    int level;         /* bidi level: odd runs right to left; a line's
                          runs and glyphs are in visual order */
    float size_pt, rise_pt;
    unsigned color;
    const char *link;
    float x, width;
    cb_glyph *glyphs;
    size_t n_glyphs;
    const char *text;  /* the characters it shows (not NUL-terminated) */
    size_t text_len;
    const char *actual; /* what text extraction should give for the run
                           when its glyphs alone would not (see text.c) */
    const cb_inline *object; /* a run that is an object draws it */
} cb_run;

typedef struct {
    cb_run *runs;
    size_t n_runs;
    float x;           /* offset from the left edge, for centred/right text */
    float width;       /* drawn width, pt */
    float ascent;      /* above the baseline, pt (from the styles' faces) */
    float descent;     /* below the baseline, positive, pt */
    int overfull;      /* wider than the measure (one character too wide) */
    int split;         /* ends inside a word too long for any line */
} cb_line;

typedef struct cb_text cb_text;

/* A reusable paragraph builder; the caller owns it. */
cb_text *cb_text_new(cb_fonts *fonts);
void cb_text_free(cb_text *t);
/* Sets the language of the text to come (a tag: "en", "de", "pt-BR";
 * NULL for "en"): its hyphenation dictionary, without which words are not
 * hyphenated, and its line breaking. Returns 1 the first time a language
 * is set, 0 after. */
int cb_text_set_language(cb_text *t, const char *lang);
/* Gives t the languages `from` has loaded a dictionary for (or found
 * none), each dictionary loaded once for both: t sets text on another
 * thread than from's (compose_ahead.c). Call before t sets a language. */
void cb_text_share_languages(cb_text *t, cb_text *from);
/* Whether a dictionary is installed for the language chosen. */
int cb_text_can_hyphenate(cb_text *t);
void cb_text_reset(cb_text *t);

/* Appends text (UTF-8, len bytes; tabs and newlines count as spaces) in
 * a style, which is copied. */
void cb_text_add(cb_text *t, const char *s, size_t len, const cb_style *style);
/* Appends an object, set like a character of the style's size and colour:
 * lines do not break next to it but at a space. It must outlive the
 * lines laid out. */
void cb_text_add_inline(cb_text *t, const cb_inline *obj,
                        const cb_style *style);
/* Appends a forced line break. */
void cb_text_add_break(cb_text *t, const cb_style *style);
int cb_text_empty(const cb_text *t);

/* Breaks the paragraph into lines `width` pt wide (the first line
 * `first_width`), aligned as asked. Justified text is broken total-fit
 * (Knuth-Plass) with hyphenation where the style allows it; ragged text,
 * and a paragraph with a word wider than the line, greedily. The last line
 * and lines ending at a forced break are never justified. Lines are in
 * visual order: text is ordered by the Unicode bidirectional algorithm,
 * and a right-to-left paragraph's lines start at the right edge. Lines and
 * runs live in `arena`. Returns the number of lines, or -1 if shaping
 * failed (reported). */
long cb_text_layout(cb_text *t, cb_arena *arena, float first_width,
                    float width, cb_align align, cb_line **lines);

/* Lays out `count` copies of s (one glyph, such as a leader's dot), each
 * `pitch_pt` after the last, as one line of one run: a dotted leader is
 * then one item of the page, not one per dot. Returns 1 with *line set; 0
 * when s is not one glyph or count < 1, and -1 if shaping failed (then
 * *line is no leader). */
long cb_text_repeat(cb_text *t, cb_arena *arena, const char *s,
                    const cb_style *style, int count, float pitch_pt,
                    cb_line **line);

/* Adds a laid-out line to a page with its baseline start at (x, y). */
void cb_line_draw(const cb_line *line, cb_page *page, float x, float y);

#endif

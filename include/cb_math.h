/* cb_math.h - TeX math as real abstracts type it ($\mu$m, $\ell \neq 0$,
 * (TaSe$_4$)$_2$I, 10$^{-4}$), set as a TeX engine would: italic
 * variables, upright digits and operators, Greek, nested scripts,
 * fractions, radicals and accents placed by the OpenType MATH table of the
 * layout's math font (through the font service), each formula one inline
 * object of the text layer. Every drawn glyph extracts as the character it
 * stands for (a mathematical italic mu as "μ").
 *
 * A command this module does not know is set as typed, in upright type,
 * and reported once per formula with its place. */
#ifndef CB_MATH_H
#define CB_MATH_H

#include <stddef.h>

#include "cb_diag.h"
#include "cb_font.h"
#include "cb_text.h"

/* Where math is in text: $...$ by pandoc's tex_math_dollars rule (no
 * space after the opening $, none before the closing one, no digit right
 * after it: "$5 and $10" stay dollars; \$ is a dollar) and within one
 * line, $$...$$, \(...\) and \[...\]. [start, end) is the whole span with its delimiters,
 * [src, src_end) the TeX inside. */
typedef struct {
    size_t start, end, src, src_end;
    int display;
} cb_math_span;

/* A reading of s[0, len) for its math spans, in order: cb_math_next
 * gives the next span from `pos` (which a caller may move forward, past
 * code for one) and moves past it. Linear in the text, whatever it holds. */
typedef struct {
    const char *s;
    size_t len, pos;
    size_t none_after[3]; /* where no \), \] or $$ follows (internal) */
} cb_math_scan;

void cb_math_scan_init(cb_math_scan *sc, const char *s, size_t len);

/* The next math span at or after sc->pos: 1 with *span set, or 0. */
int cb_math_next(cb_math_scan *sc, cb_math_span *span);

typedef struct cb_math cb_math;

/* A typesetter setting in `face` (a face with a MATH table; fonts the
 * face lacks a character for are found through the service's fallback),
 * and the letters of \text, \mathrm, \mathbf and function names in the
 * text's faces `text` and `text_bold`, as LaTeX does; reporting to diag.
 * The caller owns it. */
cb_math *cb_math_new(cb_fonts *fonts, int face, int text, int text_bold,
                     cb_diag *diag);
/* The same setter (faces, fonts) saying its messages in diag: for a
 * composer on another thread. */
cb_math *cb_math_clone(const cb_math *m, cb_diag *diag);
void cb_math_free(cb_math *m);

/* Sets TeX source src[0, len) at size_pt (display: as a displayed
 * formula) as an object for cb_text_add_inline, living in `arena`.
 * Unknown commands are reported at `where` when `report` is set (an entry
 * is measured before it is set: it reports once). NULL when it cannot be
 * set: nested past MAX_MATH_DEPTH braces (reported), or the font service
 * failed; the caller prints it as typed. */
const cb_inline *cb_math_set(cb_math *m, cb_arena *arena, const char *src,
                             size_t len, float size_pt, int display,
                             const char *where, int report);

/* The characters a formula stands for, as one line of plain text ("μm",
 * "ℓ ≠ 0", "10−4", "a/b"): for bookmarks, running heads and metadata,
 * which have no formulas. In `arena`. */
char *cb_math_plain(cb_arena *arena, const char *src, size_t len);

/* s with every math span replaced by its plain text (cb_math_plain), in
 * `arena`; s itself when it has none. */
const char *cb_math_plain_text(cb_arena *arena, const char *s);

#endif

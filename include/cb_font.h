/* cb_font.h - the font service: finds fonts through fontconfig, checks them
 * with FreeType, shapes text with HarfBuzz, falls back character by
 * character to a font that has a glyph, and at the end makes one subset per
 * used face for the PDF writer. The only module that includes fontconfig,
 * FreeType and HarfBuzz.
 *
 * contribook's own fonts (fonts/, found like the layouts; see fonts/README.md)
 * form a fontconfig configuration of their own that is asked before the
 * system's: for a layout's family, and for the fallbacks, whose order is
 * the bundle's fonts.conf (by generic family), then the system's.
 *
 * Glyph codes: every (face, glyph, text) triple shaped gets a small code
 * ("cid", 1..CB_FONT_MAX_CIDS) of its face. A PDF numbers the codes it
 * draws again, in the order its pages draw them (cb_fonts_subset), so that
 * its bytes do not depend on the order text was shaped in. The subset's
 * own cmap maps each code to its glyph, and the ToUnicode map gives back
 * the exact text, so any glyph can be drawn (libharu 2.3.0 draws only
 * through a font's cmap) and every drawn glyph extracts as the characters
 * it stands for. */
#ifndef CB_FONT_H
#define CB_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "cb_diag.h"
#include "cb_dlist.h"

/* A format 4 cmap has a 16-bit length, so one subset can map at most about
 * 32,700 codes; past this limit a run is an error, never a silent loss. */
#define CB_FONT_MAX_CIDS 30000

typedef struct cb_fonts cb_fonts;

/* The caller owns the service; diag receives font warnings (one when
 * contribook's own fonts are not found: the output then depends on the
 * system's). */
cb_fonts *cb_fonts_new(cb_diag *diag);
void cb_fonts_free(cb_fonts *fonts);
/* Where its messages go from now on: a service made on another thread,
 * whose messages waited, is handed to the run's. */
void cb_fonts_set_diag(cb_fonts *fonts, cb_diag *diag);
/* Shares the service with a second composer on another thread (on 1), or
 * no more (on 0, once that thread is done): every call that sets text
 * then holds a lock. Call while no other thread sets text with it (a
 * writer reading codes under cb_fonts_read_lock takes no such lock, and
 * may go on). */
void cb_fonts_share(cb_fonts *fonts, int on);
/* Makes the calling thread the quiet one (on 1), or no more (on 0): it
 * says nothing, and leaves no trace of what it would have said (a letter
 * no font has, a face too many or not loaded yet, codes run out), which
 * cb_fonts_quiet_hit then tells it (once); it shapes into a word cache of
 * its own. */
void cb_fonts_quiet_here(cb_fonts *fonts, int on);
int cb_fonts_quiet_hit(cb_fonts *fonts);

/* Finds the TrueType face for a family (any fontconfig family name, bundled
 * or installed) at the given weight and slant; generic ("serif",
 * "sans-serif", "monospace" or NULL) orders the fallbacks used for
 * characters the face lacks. A family that is not there, or only as
 * CFF/OpenType (which libharu 2.3.0 cannot embed), is reported with the face
 * used instead (the system's substitute for it, else the bundle's). Returns
 * a face id, or -1 if no TrueType font exists at all. */
int cb_fonts_find(cb_fonts *fonts, const char *family, const char *generic,
                  int bold, int italic);

/* Whether a family is installed with TrueType outlines (which is what
 * libharu 2.3.0 can embed). */
int cb_fonts_has_family(cb_fonts *fonts, const char *family);

/* Returns the face to draw code point cp with: `face` (one that
 * cb_fonts_find gave) itself when it has the glyph, else the first face of
 * its fallback order that does, whatever the document set before; -1 (and
 * a warning, once per document) if none. */
int cb_fonts_cover(cb_fonts *fonts, int face, unsigned long cp);

/* Whether a face (any face, fallbacks included) has a glyph for cp. */
int cb_fonts_has(cb_fonts *fonts, int face, unsigned long cp);
/* The same for every printable ASCII letter c (0x20 to 0x7E) at once:
 * bit c - 32 of the two words, for paragraph layout's run of letters. */
const uint64_t *cb_fonts_ascii(cb_fonts *fonts, int face);

/* Whether setting the document failed in the font service (a face ran out
 * of glyph codes): reported, and the run's exit code is CB_EXIT_FONT. */
int cb_fonts_failed(const cb_fonts *fonts);

/* The face for the characters of s[0, n) that `face` lacks: the nearest
 * fallback that has all of them (so a word is set in one font; a math
 * font's lone Hebrew alef is not chosen for a Hebrew word), or -1 when no
 * single face has them all. */
int cb_fonts_cover_all(cb_fonts *fonts, int face, const char *s, size_t n);

/* Vertical metrics of a face, in em (multiply by the size). */
double cb_fonts_ascent(const cb_fonts *fonts, int face);
double cb_fonts_descent(const cb_fonts *fonts, int face); /* positive */
/* PostScript name of a face, owned by the service. */
const char *cb_fonts_name(const cb_fonts *fonts, int face);

/* One shaped glyph with the byte offset of the cluster it belongs to. */
typedef struct {
    cb_glyph g;
    size_t cluster;
} cb_shaped;

/* Shapes text[start, start+len) with `face` at size_pt, in the direction
 * the bidi algorithm gave it (rtl), with kerning. Latin, Greek and Cyrillic
 * get no optional ligatures, so every glyph is one character; complex
 * scripts keep their fonts' forms. Words and runs of spaces are shaped
 * apart (and cached), so no context crosses a space. Glyphs are appended
 * in logical order (right-to-left results are reversed) to *out, which
 * holds *n_out of *cap (grown with cb_grow); clusters are byte offsets in
 * text. Assigns codes as it goes. Returns 0, or -1 when a face runs out
 * of codes (reported). */
int cb_fonts_shape(cb_fonts *fonts, int face, float size_pt, int rtl,
                   const char *text, size_t start, size_t len,
                   cb_shaped **out, size_t *n_out, size_t *cap);

/* Mathematics, from a face's OpenType MATH table (through HarfBuzz), as
 * a TeX engine sets it: the constants that place scripts, fractions and
 * radicals, and glyphs drawn one by one. */
typedef enum {
    CB_MATH_SCRIPT_SCALE,       /* size of a script, of its base (0.7) */
    CB_MATH_SCRIPT_SCRIPT_SCALE,
    CB_MATH_AXIS_HEIGHT,        /* where fraction bars and minus signs sit */
    CB_MATH_SUB_SHIFT_DOWN,
    CB_MATH_SUB_TOP_MAX,
    CB_MATH_SUB_DROP_MIN,       /* subscript baseline below the base's */
    CB_MATH_SUP_SHIFT_UP,
    CB_MATH_SUP_BOTTOM_MIN,
    CB_MATH_SUP_DROP_MAX,
    CB_MATH_SUB_SUP_GAP_MIN,
    CB_MATH_SPACE_AFTER_SCRIPT,
    CB_MATH_FRAC_NUM_SHIFT_UP,
    CB_MATH_FRAC_DEN_SHIFT_DOWN,
    CB_MATH_FRAC_NUM_GAP_MIN,
    CB_MATH_FRAC_DEN_GAP_MIN,
    CB_MATH_FRAC_RULE,
    CB_MATH_RADICAL_GAP,
    CB_MATH_RADICAL_RULE,
    CB_MATH_RADICAL_EXTRA,
    CB_MATH_ACCENT_BASE_HEIGHT,
    CB_MATH_OVERBAR_GAP,
    CB_MATH_OVERBAR_RULE,
    CB_MATH_FRAC_NUM_DISPLAY_SHIFT_UP,   /* the same in a displayed formula */
    CB_MATH_FRAC_DEN_DISPLAY_SHIFT_DOWN,
    CB_MATH_FRAC_NUM_DISPLAY_GAP_MIN,
    CB_MATH_FRAC_DEN_DISPLAY_GAP_MIN,
    CB_MATH_DISPLAY_OPERATOR_MIN_HEIGHT, /* a displayed sum or integral */
    CB_MATH_UPPER_LIMIT_GAP_MIN,         /* limits above and below a sum */
    CB_MATH_UPPER_LIMIT_RISE_MIN,
    CB_MATH_LOWER_LIMIT_GAP_MIN,
    CB_MATH_LOWER_LIMIT_DROP_MIN,
    CB_MATH_CONSTANT_COUNT
} cb_math_constant;

/* One glyph set alone: drawn as `glyph`; its ink above and below the
 * baseline (descent positive), italic correction and top accent
 * attachment (from the left), all in points at the size asked. */
typedef struct {
    cb_glyph glyph;
    float ascent, descent, italic, accent_x;
} cb_math_glyph;

/* Whether a face has a MATH table. */
int cb_fonts_has_math(const cb_fonts *fonts, int face);
/* A constant in em (scales as fractions: 0.7). */
double cb_fonts_math_constant(const cb_fonts *fonts, int face,
                              cb_math_constant which);
/* The face's glyph for cp at size_pt, extracting as `text` (what it stands
 * for: "μ" for a mathematical italic mu). With min_height_pt > 0, the
 * smallest of its vertical variants at least that tall (a radical over a
 * fraction). Returns 0, or -1 when the face lacks cp or ran out of
 * codes. */
int cb_fonts_math_glyph(cb_fonts *fonts, int face, unsigned long cp,
                        const char *text, float size_pt, float min_height_pt,
                        cb_math_glyph *out);

/* Sets the place ("FILE: path (contribution N)") that warnings about
 * missing glyphs name; the string must outlive its use. */
void cb_fonts_set_where(cb_fonts *fonts, const char *where);

/* libharu's width for a code: floor(advance * 1000 / units_per_em), which
 * is what its W array says; the writer corrects the difference with TJ. */
int cb_fonts_code_width(const cb_fonts *fonts, int face, unsigned cid);
/* Held by a reader of codes on another thread than the composer's (the
 * PDF writer of cb_dlist_set_jobs) while it reads them: the composer may
 * be making new codes meanwhile. */
void cb_fonts_read_lock(const cb_fonts *fonts);
void cb_fonts_read_unlock(const cb_fonts *fonts);

/* A face's subset, ready to embed: a TrueType file whose (3,1) cmap maps
 * codes 1..n_codes to glyphs, and the text each code stands for (NULL for
 * codes that only exist so that composite parts are embedded). The
 * caller owns data and code_text (cb_font_subset_free); the texts are the
 * font service's. */
typedef struct {
    const char *name;          /* PostScript name */
    const unsigned char *data; /* TrueType file */
    size_t len;
    unsigned n_codes;
    const char *const *code_text; /* index 1..n_codes */
    int cap_height;            /* of capital letters, in 1/1000 of an em */
} cb_font_subset;

/* The subset of `face` for the codes a writer drew, numbered in the order
 * it drew them: the subset's code k + 1 is the glyph and text of the
 * service's code cids[k], so that a PDF's codes follow its pages, whatever
 * order the text was shaped in. Call after the last cb_fonts_shape.
 * Returns 0, or -1 after reporting a failure. */
int cb_fonts_subset(const cb_fonts *fonts, int face, const unsigned *cids,
                    unsigned n, cb_font_subset *out);
void cb_font_subset_free(cb_font_subset *s);
/* How many codes a face has given (the highest code). */
unsigned cb_fonts_code_count(const cb_fonts *fonts, int face);
int cb_fonts_count(const cb_fonts *fonts);

#endif

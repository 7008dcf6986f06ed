/* text.c - paragraph shaping and line breaking (see cb_text.h). */
#include "cb_text.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "cb_bidi.h"
#include "cb_hyphen.h"
#include "cb_parbreak.h"
#include "cb_unicode.h"

/* A justified line stretches each space by at most this many ems; a
 * looser line is set ragged, which reads better than gaping holes. */
#define MAX_STRETCH_EM 1.2f

/* Interword glue as XeTeX sets it for a TrueType font (a space may grow
 * by half and shrink by a third); the cost of a hyphen (\hyphenpenalty);
 * the badness a line may have on the first try (\tolerance) and on the
 * second (any, as in TeX's final pass, judged with three ems of
 * \emergencystretch so that looseness spreads over the lines; only a word
 * wider than the line leaves total fit for greedy breaking). A line that would stretch more
 * than MAX_RATIO times its glue (or has none) is set ragged. Between CJK
 * characters the glue has no width and stretches a little. */
#define SPACE_STRETCH 0.5f
#define SPACE_SHRINK 0.333f
#define CJK_STRETCH_EM 0.1f
#define HYPHEN_PENALTY 50
#define TOLERANCE 200
#define EMERGENCY_TOLERANCE 10000
#define EMERGENCY_STRETCH_EM 3.0f
#define MAX_RATIO 10.0f
#define PARFILL_STRETCH 1e6f

/* What brks[i] says about the place after byte i. */
enum { BRK_NONE, BRK_ALLOW, BRK_MUST };

typedef struct {
    size_t start, end; /* bytes */
    int style;         /* index into styles */
    int face;
    int level;         /* bidi embedding level: odd is right to left */
    size_t g_start, g_end;
} item;

/* What a language needs, loaded once whatever the number of times a
 * book switches to it (a contribution in another language, and back): its
 * hyphenation dictionary and ICU's line breaker. A book with more than
 * LANGS_MAX languages reloads the last slot's. */
#define LANGS_MAX 8
typedef struct {
    char lang[24];
    cb_hyphenator *hyph;
    UBreakIterator *breaker; /* ICU's UAX #14 line breaker */
    int hyph_tried, brk_tried;
} lang_slot;

#define COVER_MEMO 256      /* letters' faces kept (see cover) */
#define ASCII_MEMO_FACES 16  /* faces whose ASCII is kept */

struct cb_text {
    cb_fonts *fonts;
    cb_buf buf;
    /* style of each piece added, and where it starts */
    cb_style *styles;
    size_t n_styles, cap_styles;
    size_t *piece_start; /* parallel to styles */
    size_t cap_piece;
    item *items;
    size_t n_items, cap_items;
    cb_shaped *glyphs;
    size_t n_glyphs, cap_glyphs;
    size_t *glyph_of;      /* per byte (and the end): see glyph_at */
    size_t cap_glyph_of;
    char *brks;
    size_t cap_brks;
    /* total-fit items and what each stands for in the text */
    cb_kp_item *kp;
    struct kp_ref *kp_ref;
    size_t n_kp, cap_kp, cap_kp_ref;
    float *hyphen_w;       /* per style: width of its hyphen, -1 unknown */
    size_t cap_hyphen_w;
    unsigned char *levels; /* bidi level of each byte */
    size_t cap_levels;
    int rtl;               /* the paragraph runs right to left */
    /* the languages used so far, the current one first set */
    lang_slot langs[LANGS_MAX];
    int n_langs;
    lang_slot *cur;
    int mixed;             /* some text runs right to left */
    /* the font service's answers, kept (see cover) */
    struct cover_memo {
        unsigned long cp;  /* 0: empty */
        int face, found;
    } cover_memo[COVER_MEMO];
    const uint64_t *ascii_memo[ASCII_MEMO_FACES];
};

/* The face the font service draws letter cp of `face` with
 * (cb_fonts_cover), and the printable ASCII a face has (cb_fonts_ascii),
 * asked of the service once and kept by each builder: the answers never
 * change, and a builder on another thread (compose_ahead.c) takes the
 * service's lock for each, a letter at a time, which the other core then
 * takes back. Only a face found is kept: a letter no face has is asked
 * again (so that the thread that sets it is the one that says so). */
static int cover(cb_text *t, int face, unsigned long cp)
{
    struct cover_memo *m =
        &t->cover_memo[(cp * 2654435761u ^ (unsigned)face) % COVER_MEMO];
    if (m->cp == cp && m->face == face)
        return m->found;
    int found = cb_fonts_cover(t->fonts, face, cp);
    if (found >= 0 && cp)
        *m = (struct cover_memo){cp, face, found};
    return found;
}

static const uint64_t *ascii_of(cb_text *t, int face)
{
    if (face < 0 || face >= ASCII_MEMO_FACES)
        return cb_fonts_ascii(t->fonts, face);
    if (!t->ascii_memo[face])
        t->ascii_memo[face] = cb_fonts_ascii(t->fonts, face);
    return t->ascii_memo[face];
}

cb_text *cb_text_new(cb_fonts *fonts)
{
    cb_text *t = cb_xcalloc(1, sizeof *t);
    t->fonts = fonts;
    return t;
}

static void slot_free(lang_slot *l)
{
    cb_hyphen_free(l->hyph);
    if (l->breaker)
        ubrk_close(l->breaker);
    memset(l, 0, sizeof *l);
}

int cb_text_set_language(cb_text *t, const char *lang)
{
    if (!lang || !*lang)
        lang = "en";
    for (int i = 0; i < t->n_langs; i++)
        if (!strcmp(t->langs[i].lang, lang)) {
            t->cur = &t->langs[i];
            return 0;
        }
    if (t->n_langs < LANGS_MAX)
        t->n_langs++;
    t->cur = &t->langs[t->n_langs - 1];
    slot_free(t->cur);
    snprintf(t->cur->lang, sizeof t->cur->lang, "%s", lang);
    return 1;
}

/* The current language's; "en" until one is set. */
static lang_slot *cur_lang(cb_text *t)
{
    if (!t->cur)
        cb_text_set_language(t, NULL);
    return t->cur;
}

/* The dictionary, loaded the first time a word needs it. */
static cb_hyphenator *hyphenator(cb_text *t)
{
    lang_slot *l = cur_lang(t);
    if (!l->hyph_tried) {
        l->hyph = cb_hyphen_new(l->lang);
        l->hyph_tried = 1;
    }
    return l->hyph;
}

void cb_text_share_languages(cb_text *t, cb_text *from)
{
    for (int i = 0; i < from->n_langs && t->n_langs < LANGS_MAX; i++) {
        const lang_slot *l = &from->langs[i];
        if (!l->hyph_tried)
            continue;
        lang_slot *to = &t->langs[t->n_langs++];
        memset(to, 0, sizeof *to);
        memcpy(to->lang, l->lang, sizeof to->lang);
        to->hyph = l->hyph ? cb_hyphen_share(l->hyph) : NULL;
        to->hyph_tried = 1;
    }
}

int cb_text_can_hyphenate(cb_text *t)
{
    return hyphenator(t) != NULL;
}

void cb_text_free(cb_text *t)
{
    if (!t)
        return;
    cb_buf_free(&t->buf);
    free(t->styles);
    free(t->piece_start);
    free(t->items);
    free(t->glyphs);
    free(t->glyph_of);
    free(t->brks);
    for (int i = 0; i < t->n_langs; i++)
        slot_free(&t->langs[i]);
    free(t->kp);
    free(t->kp_ref);
    free(t->hyphen_w);
    free(t->levels);
    free(t);
}

void cb_text_reset(cb_text *t)
{
    t->buf.len = 0;
    if (t->buf.data)
        t->buf.data[0] = '\0';
    t->n_styles = 0;
    t->n_items = 0;
    t->n_glyphs = 0;
}

int cb_text_empty(const cb_text *t)
{
    return t->buf.len == 0;
}

static void add_piece(cb_text *t, const cb_style *style)
{
    cb_grow(&t->styles, &t->cap_styles, t->n_styles, sizeof *t->styles);
    size_t cap = t->cap_piece;
    cb_grow(&t->piece_start, &cap, t->n_styles, sizeof *t->piece_start);
    t->cap_piece = cap;
    t->styles[t->n_styles] = *style;
    t->piece_start[t->n_styles] = t->buf.len;
    t->n_styles++;
}

void cb_text_add(cb_text *t, const char *s, size_t len, const cb_style *style)
{
    if (len == 0)
        return;
    add_piece(t, style);
    size_t from = t->buf.len;
    cb_unicode_stream_safe(&t->buf, s, len);
    /* tabs, line ends and line separators become spaces: a break is
     * cb_text_add_break's */
    t->buf.len = from + cb_unicode_one_line(t->buf.data + from,
                                            t->buf.len - from);
    t->buf.data[t->buf.len] = '\0';
}

/* U+FFFC OBJECT REPLACEMENT CHARACTER stands for an object in the text. */
#define OBJECT_CHAR "\xEF\xBF\xBC"

void cb_text_add_inline(cb_text *t, const cb_inline *obj,
                        const cb_style *style)
{
    cb_style st = *style;
    st.object = obj;
    add_piece(t, &st);
    cb_buf_add(&t->buf, OBJECT_CHAR, 3);
}

void cb_text_add_break(cb_text *t, const cb_style *style)
{
    add_piece(t, style);
    cb_buf_putc(&t->buf, '\n');
}

/* The style index of byte `pos`: the last piece starting at or before it
 * (hint, when not -1, is a piece at or before pos to start from). */
static int style_at(const cb_text *t, size_t pos, int hint)
{
    size_t lo = hint > 0 ? (size_t)hint : 0, hi = t->n_styles;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (t->piece_start[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return (int)lo;
}

static int is_mark(long cp)
{
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0x200D || cp == 0xFE0F;
}

/* The face for the character at pos: the style's face when it has it
 * (spaces always, so word gaps keep the body's width); combining marks stay
 * with their base's face; otherwise the fallback already in use when it
 * has the character, else the one that has the whole word, else the
 * nearest that has the character itself. */
static int face_for(cb_text *t, const cb_style *st, size_t pos, long cp,
                    int prev_face)
{
    if (prev_face >= 0 && is_mark(cp) &&
        cb_fonts_has(t->fonts, prev_face, (unsigned long)cp))
        return prev_face;
    int f = cover(t, st->face, (unsigned long)cp);
    if (f == st->face || f < 0)
        return st->face;
    if (prev_face >= 0 && prev_face != st->face &&
        cb_fonts_has(t->fonts, prev_face, (unsigned long)cp))
        return prev_face;
    size_t end = pos;
    while (end < t->buf.len && t->buf.data[end] != ' ' &&
           t->buf.data[end] != '\n')
        end++;
    int word = cb_fonts_cover_all(t->fonts, st->face, t->buf.data + pos,
                                  end - pos);
    return word >= 0 ? word : f;
}

/* Whether two styles draw alike (they may differ in where lines break). */
static int same_look(const cb_style *a, const cb_style *b)
{
    return a->face == b->face && a->size_pt == b->size_pt &&
           a->rise_pt == b->rise_pt && a->color == b->color &&
           a->link == b->link && !a->object && !b->object;
}

/* Splits the text into items that draw alike in one face. */
static void itemize(cb_text *t)
{
    const char *s = t->buf.data;
    size_t len = t->buf.len, pos = 0;
    int style = 0;
    t->n_items = 0;
    while (pos < len) {
        int l;
        /* the last piece starting at or before pos: pieces follow the
         * text, so a step forward now and then, not a search per letter */
        while ((size_t)style + 1 < t->n_styles &&
               t->piece_start[style + 1] <= pos)
            style++;
        long cp = cb_utf8_decode(s + pos, len - pos, &l);
        if (s[pos] == '\n' || cb_is_bidi_control(cp)) { /* no glyphs */
            /* an invisible control joins the item before it, so the text
             * around it stays one run */
            item *prev = t->n_items ? &t->items[t->n_items - 1] : NULL;
            if (prev && prev->end == pos && s[pos] != '\n')
                prev->end += (size_t)l;
            pos += (size_t)l;
            continue;
        }
        item *last = t->n_items ? &t->items[t->n_items - 1] : NULL;
        int level = t->levels[pos];
        int same = last && last->end == pos && last->level == level &&
                   same_look(&t->styles[last->style], &t->styles[style]);
        /* an object is its own item, in its style's face */
        int face = t->styles[style].object
                       ? t->styles[style].face
                       : face_for(t, &t->styles[style], pos, cp,
                                  same ? last->face : -1);
        if (same && last->face == face) {
            last->end = pos + (size_t)l;
        } else {
            cb_grow(&t->items, &t->cap_items, t->n_items, sizeof *t->items);
            t->items[t->n_items++] =
                (item){pos, pos + (size_t)l, style, face, level, 0, 0};
            last = &t->items[t->n_items - 1];
        }
        pos += (size_t)l;
        /* the printable ASCII that follows in the same piece and level
         * joins the item when the style's face has it: what the steps
         * above would decide one letter at a time */
        if (face < 0 || face != t->styles[style].face ||
            t->styles[style].object)
            continue;
        size_t stop = (size_t)style + 1 < t->n_styles
                          ? t->piece_start[style + 1] : len;
        const uint64_t *has = ascii_of(t, face);
        for (unsigned ch; pos < stop; pos++) {
            ch = (unsigned char)s[pos] - 32u; /* wraps below the space */
            if (ch >= 0x7F - 32 || t->levels[pos] != level ||
                !(has[ch / 64] >> (ch % 64) & 1))
                break;
        }
        last->end = pos;
    }
}

static int shape_items(cb_text *t)
{
    t->n_glyphs = 0;
    for (size_t i = 0; i < t->n_items; i++) {
        item *it = &t->items[i];
        it->g_start = t->n_glyphs;
        const cb_inline *obj = t->styles[it->style].object;
        if (obj) { /* one glyph as wide as the object, drawn by it */
            cb_grow(&t->glyphs, &t->cap_glyphs, t->n_glyphs,
                    sizeof *t->glyphs);
            t->glyphs[t->n_glyphs++] =
                (cb_shaped){{0, obj->width, 0, 0}, it->start};
            it->g_end = t->n_glyphs;
            continue;
        }
        if (cb_fonts_shape(t->fonts, it->face, t->styles[it->style].size_pt,
                           it->level & 1, t->buf.data, it->start,
                           it->end - it->start, &t->glyphs, &t->n_glyphs,
                           &t->cap_glyphs) < 0)
            return -1;
        it->g_end = t->n_glyphs;
    }
    return 0;
}

/* Whether a line ending after byte b would end in a hyphen once its
 * trailing spaces are dropped ("Elettra - Sincrotrone" too); a line
 * starting with one (b + 1) is avoided by the caller, as it reads like a
 * list item. */
static int ends_in_hyphen(const cb_text *t, size_t from, size_t b)
{
    while (b > from && t->buf.data[b] == ' ')
        b--;
    return t->buf.data[b] == '-';
}

static int is_hangul(long cp)
{
    return (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF) ||
           (cp >= 0x3130 && cp <= 0x318F);
}

/* Korean is set word by word: UAX #14 allows a break between any two
 * Hangul syllables, but Korean books break only at spaces. */
static void keep_hangul_words(cb_text *t)
{
    const char *s = t->buf.data;
    size_t len = t->buf.len;
    long prev = -1;
    for (size_t i = 0; i < len;) {
        if ((unsigned char)s[i] < 0x80) { /* no Hangul: skip the decoding */
            prev = s[i++];
            continue;
        }
        int l;
        long cp = cb_utf8_decode(s + i, len - i, &l);
        if (i > 0 && is_hangul(prev) && is_hangul(cp) &&
            t->brks[i - 1] == BRK_ALLOW)
            t->brks[i - 1] = BRK_NONE;
        prev = cp;
        i += (size_t)l;
    }
}

/* A link's text may break after the separators of a URL ("/", "?", "&",
 * "=", "#", "_"), so a long URL wraps at a sensible place instead of in the
 * middle of a word; never after "-", which text extractors drop. */
static void allow_url_breaks(cb_text *t)
{
    const char *d = t->buf.data;
    for (size_t i = 0; i < t->n_styles; i++) {
        if (!t->styles[i].link)
            continue;
        size_t end = i + 1 < t->n_styles ? t->piece_start[i + 1] : t->buf.len;
        for (size_t b = t->piece_start[i]; b + 2 < end; b++)
            if (strchr("/?&=#_", d[b]) && d[b + 1] != d[b] &&
                !strchr("/?&=#_.-", d[b + 1]) && t->brks[b] == BRK_NONE)
                t->brks[b] = BRK_ALLOW;
    }
}

/* The line breaker for the text's language, opened once per language:
 * ICU's UAX #14 (Unicode 15 in Debian 12: emoji ZWJ sequences and flags
 * stay whole) with CLDR's tailorings (Japanese). NULL if ICU fails. */
static UBreakIterator *breaker(cb_text *t)
{
    lang_slot *l = cur_lang(t);
    if (!l->brk_tried) {
        UErrorCode err = U_ZERO_ERROR;
        l->breaker = ubrk_open(UBRK_LINE, l->lang, NULL, 0, &err);
        if (U_FAILURE(err))
            l->breaker = NULL;
        l->brk_tried = 1;
    }
    return l->breaker;
}

/* Marks the Unicode line-break opportunities: brks[i] is BRK_MUST or
 * BRK_ALLOW when a line may end after byte i; the text's end is a must.
 * ICU reads the UTF-8 in place, so its offsets are our byte offsets. */
static void unicode_breaks(cb_text *t)
{
    size_t len = t->buf.len;
    memset(t->brks, BRK_NONE, len);
    t->brks[len - 1] = BRK_MUST;
    UBreakIterator *bi = breaker(t);
    UErrorCode err = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, t->buf.data, (int64_t)len, &err);
    if (bi && !U_FAILURE(err))
        ubrk_setUText(bi, ut, &err);
    if (!bi || U_FAILURE(err)) { /* no breaks but the paragraph's end */
        utext_close(ut);
        return;
    }
    for (int32_t b = ubrk_following(bi, 0); b != UBRK_DONE && (size_t)b < len;
         b = ubrk_next(bi)) {
        int32_t status = ubrk_getRuleStatus(bi);
        t->brks[b - 1] = status >= UBRK_LINE_HARD &&
                                 status < UBRK_LINE_HARD_LIMIT
                             ? BRK_MUST
                             : BRK_ALLOW;
    }
    /* the iterator must not keep a pointer to text that changes */
    ubrk_setText(bi, NULL, 0, &err);
    utext_close(ut);
}

/* Break opportunities: brks[i] says whether a line may end after byte i. */
static void find_breaks(cb_text *t)
{
    size_t len = t->buf.len;
    cb_grow(&t->brks, &t->cap_brks, len + 1, 1);
    unicode_breaks(t);
    keep_hangul_words(t);
    allow_url_breaks(t);
    /* an object sticks to what touches it, as a letter would: "$\\pi$-phase"
     * and "(TaSe$_4$)$_2$I" break only at their spaces */
    for (size_t i = 0; i < t->n_styles; i++) {
        size_t at = t->piece_start[i];
        if (!t->styles[i].object)
            continue;
        if (at > 0 && t->brks[at - 1] == BRK_ALLOW && t->buf.data[at - 1] != ' ')
            t->brks[at - 1] = BRK_NONE;
        if (at + 3 < len && t->brks[at + 2] == BRK_ALLOW &&
            t->buf.data[at + 3] != ' ')
            t->brks[at + 2] = BRK_NONE;
    }
    /* never a line ending in a hyphen of the text: pdftotext drops such a
     * hyphen and joins the words ("fine-scale" would read "finescale");
     * no break inside a piece marked nobreak; and in names and links no
     * line starting with one either */
    for (size_t i = 0; i < t->n_styles; i++) {
        const cb_style *st = &t->styles[i];
        int names = st->keep_hyphens || st->link;
        size_t end = i + 1 < t->n_styles ? t->piece_start[i + 1] : len;
        for (size_t b = t->piece_start[i]; b + 1 < end; b++)
            if (t->brks[b] == BRK_ALLOW &&
                (st->nobreak || ends_in_hyphen(t, t->piece_start[i], b) ||
                 (names && t->buf.data[b + 1] == '-')))
                t->brks[b] = BRK_NONE;
    }
}

/* Whether the paragraph fits in the narrower measure however it is cut:
 * then only its forced breaks can end a line, and a ragged paragraph
 * need not ask ICU where else one could (a running head, a label, a
 * table cell). */
static int fits_whole(const cb_text *t, float first_width, float width)
{
    double w = 0, measure = first_width < width ? first_width : width;
    for (size_t g = 0; g < t->n_glyphs; g++)
        w += t->glyphs[g].g.advance > 0 ? t->glyphs[g].g.advance : 0;
    /* with room to spare for the rounding of the line breaker's own sums
     * in float */
    return w * 1.01 + 1 <= measure;
}

/* find_breaks for a paragraph that fits whole: the text holds no hard
 * line break of its own (cb_text_add made them spaces), so the forced
 * breaks are cb_text_add_break's and the end. */
static void forced_breaks(cb_text *t)
{
    size_t len = t->buf.len;
    cb_grow(&t->brks, &t->cap_brks, len + 1, 1);
    for (size_t i = 0; i < len; i++)
        t->brks[i] = t->buf.data[i] == '\n' ? BRK_MUST : BRK_NONE;
    t->brks[len - 1] = BRK_MUST;
}

/* The first glyph whose cluster is at or after byte `pos` (pos up to the
 * text's length): looked up, not searched, since line breaking asks it
 * for every break opportunity and every box. */
static size_t glyph_at(const cb_text *t, size_t pos)
{
    return t->glyph_of[pos];
}

/* Fills glyph_of once the paragraph is shaped: glyphs follow the text in
 * logical order, so one pass over both does it. */
static void index_glyphs(cb_text *t)
{
    size_t len = t->buf.len, g = 0;
    cb_grow(&t->glyph_of, &t->cap_glyph_of, len + 1, sizeof *t->glyph_of);
    for (size_t pos = 0; pos <= len; pos++) {
        while (g < t->n_glyphs && t->glyphs[g].cluster < pos)
            g++;
        t->glyph_of[pos] = g;
    }
}

static int is_space_at(const cb_text *t, size_t pos)
{
    return t->buf.data[pos] == ' ' || t->buf.data[pos] == '\n';
}

/* The end of [s, e) without its trailing spaces. */
static size_t trim_end(const cb_text *t, size_t s, size_t e)
{
    while (e > s && is_space_at(t, e - 1))
        e--;
    return e;
}

static float width_of(const cb_text *t, size_t s, size_t e)
{
    float w = 0;
    for (size_t g = glyph_at(t, s); g < t->n_glyphs && t->glyphs[g].cluster < e;
         g++)
        w += t->glyphs[g].g.advance;
    return w;
}

/* The width of [s, e), or some width above `limit` once it is clear the
 * text is wider: a line is measured only as far as it can reach, so a
 * word of a million characters costs one pass, not one per line. */
static float width_upto(const cb_text *t, size_t s, size_t e, float limit)
{
    float w = 0;
    for (size_t g = glyph_at(t, s);
         g < t->n_glyphs && t->glyphs[g].cluster < e && w <= limit; g++)
        w += t->glyphs[g].g.advance;
    return w;
}

typedef struct {
    size_t start, end; /* bytes, spaces trimmed at the end */
    int forced;        /* ends at a forced break or the paragraph's end */
    int overfull;
    int split;         /* ends inside a word that is wider than the line */
    int hyphen;        /* ends at a hyphenation point: draw a hyphen */
} span;

/* For a word wider than the measure: the longest cluster prefix that fits
 * (at least one cluster). */
static size_t emergency_end(const cb_text *t, size_t s, size_t e, float width)
{
    float w = 0;
    size_t g = glyph_at(t, s), last = s;
    while (g < t->n_glyphs && t->glyphs[g].cluster < e) {
        size_t c = t->glyphs[g].cluster;
        float cw = 0;
        size_t k = g;
        for (; k < t->n_glyphs && t->glyphs[k].cluster == c; k++)
            cw += t->glyphs[k].g.advance;
        size_t next = k < t->n_glyphs ? t->glyphs[k].cluster : e;
        if (w + cw > width && last > s)
            break;
        w += cw;
        last = next < e ? next : e;
        g = k;
    }
    return last > s ? last : e;
}

static void push_span(span **spans, size_t *n, size_t *cap, span sp)
{
    cb_grow(spans, cap, *n, sizeof **spans);
    (*spans)[(*n)++] = sp;
}

/* Greedy line breaking: each line takes as much as fits. */
static size_t break_lines(cb_text *t, float first_width, float width,
                          span **out)
{
    size_t len = t->buf.len, s = 0, fit = 0, n = 0, cap = 0;
    *out = NULL;
    for (size_t i = 0; i < len; i++) {
        int b = t->brks[i];
        if (i + 1 < len && b != BRK_MUST && b != BRK_ALLOW)
            continue;
        size_t e = i + 1;
        float measure = n ? width : first_width;
        float w = width_upto(t, s, trim_end(t, s, e), measure);
        if (w > measure && fit > s) {
            push_span(out, &n, &cap, (span){s, trim_end(t, s, fit), 0, 0, 0, 0});
            s = fit;
            i = fit - 1; /* look at this stretch again on the new line */
            continue;
        }
        /* a word wider than the line: cut it at clusters, line after
         * line, here (going back to its start for each line would cost
         * the word's length per line) */
        size_t te = trim_end(t, s, e), cut;
        while (w > measure && (cut = emergency_end(t, s, te, measure)) < te) {
            push_span(out, &n, &cap, (span){s, cut, 0, 0, 1, 0});
            s = cut;
            measure = width;
            w = width_upto(t, s, te, measure);
        }
        fit = e;
        if (b == BRK_MUST || e == len) {
            push_span(out, &n, &cap,
                      (span){s, trim_end(t, s, e), 1, w > measure, 0, 0});
            s = fit = e;
        }
    }
    return n;
}

/* ---- total-fit breaking ---- */

/* Where an item of the total-fit list sits in the text: a line broken at
 * it ends at `start` and the next begins at `end`; glue adjustments go to
 * glyph `glyph`; a hyphen break draws the hyphen of style `hyphen`. */
struct kp_ref {
    size_t start, end;
    size_t glyph;
    int hyphen;
};

static void kp_push(cb_text *t, cb_kp_item it, struct kp_ref ref)
{
    cb_grow(&t->kp, &t->cap_kp, t->n_kp, sizeof *t->kp);
    cb_grow(&t->kp_ref, &t->cap_kp_ref, t->n_kp, sizeof *t->kp_ref);
    t->kp[t->n_kp] = it;
    t->kp_ref[t->n_kp++] = ref;
}

static void kp_box(cb_text *t, size_t s, size_t e)
{
    if (s < e)
        kp_push(t, (cb_kp_item){CB_KP_BOX, width_of(t, s, e), 0, 0, 0, 0},
                (struct kp_ref){s, e, SIZE_MAX, -1});
}

static void kp_glue(cb_text *t, float w, float stretch, float shrink,
                    size_t s, size_t e, size_t glyph)
{
    kp_push(t, (cb_kp_item){CB_KP_GLUE, w, stretch, shrink, 0, 0},
            (struct kp_ref){s, e, glyph, -1});
}

static void kp_penalty(cb_text *t, float w, int penalty, int flagged,
                       size_t s, size_t e, int hyphen)
{
    kp_push(t, (cb_kp_item){CB_KP_PENALTY, w, 0, 0, penalty, flagged},
            (struct kp_ref){s, e, SIZE_MAX, hyphen});
}

/* The width of style i's hyphen, shaped once per paragraph. */
static float hyphen_width(cb_text *t, int i)
{
    if (t->hyphen_w[i] >= 0)
        return t->hyphen_w[i];
    cb_shaped *g = NULL;
    size_t n = 0, cap = 0;
    float w = 0;
    if (cb_fonts_shape(t->fonts, t->styles[i].face, t->styles[i].size_pt, 0,
                       "-", 0, 1, &g, &n, &cap) == 0)
        for (size_t k = 0; k < n; k++)
            w += g[k].g.advance;
    free(g);
    return t->hyphen_w[i] = w;
}

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* The piece that holds all of [s, e), or -1. */
static int piece_of(const cb_text *t, size_t s, size_t e)
{
    int i = style_at(t, s, 0);
    size_t end = i + 1 < (int)t->n_styles ? t->piece_start[i + 1] : t->buf.len;
    return e <= end ? i : -1;
}

/* Boxes for the text [s, e) between two break opportunities, split at the
 * dictionary's hyphenation points of its word when its piece allows it
 * (never a paragraph's last word, names, URLs or code: those pieces are
 * not marked hyphenate). */
static void kp_content(cb_text *t, size_t s, size_t e, int last_word)
{
    int piece = piece_of(t, s, e);
    const char *d = t->buf.data;
    size_t a = s, b = e;
    while (a < b && !is_word_byte((unsigned char)d[a]))
        a++;
    while (b > a && !is_word_byte((unsigned char)d[b - 1]))
        b--;
    int lower = 0, word = b > a;
    for (size_t i = a; i < b; i++) {
        word &= is_word_byte((unsigned char)d[i]);
        lower |= d[i] >= 'a' && d[i] <= 'z';
    }
    unsigned char points[64];
    if (last_word || piece < 0 || !t->styles[piece].hyphenate || !word ||
        !lower || b - a > sizeof points || !hyphenator(t) ||
        cb_hyphen_points(hyphenator(t), d + a, b - a, points) == 0) {
        kp_box(t, s, e);
        return;
    }
    float hw = hyphen_width(t, piece);
    size_t from = s;
    for (size_t i = 1; i < b - a; i++) {
        if (!points[i])
            continue;
        kp_box(t, from, a + i);
        kp_penalty(t, hw, HYPHEN_PENALTY, 1, a + i, a + i, piece);
        from = a + i;
    }
    kp_box(t, from, e);
}

static int is_cjk(long cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* The character that ends at byte e (exclusive). */
static long char_before(const cb_text *t, size_t e)
{
    size_t i = e;
    while (i > 0 && ((unsigned char)t->buf.data[i - 1] & 0xC0) == 0x80)
        i--;
    int l;
    return i > 0 ? cb_utf8_decode(t->buf.data + i - 1, e - i + 1, &l) : -1;
}

/* Turns the shaped paragraph into boxes, glue and penalties. */
static void kp_build(cb_text *t)
{
    size_t len = t->buf.len, pos = 0;
    t->n_kp = 0;
    cb_grow(&t->hyphen_w, &t->cap_hyphen_w, t->n_styles, sizeof *t->hyphen_w);
    for (size_t i = 0; i < t->n_styles; i++)
        t->hyphen_w[i] = -1;
    for (size_t i = 0; i < len; i++) {
        int brk = t->brks[i];
        if (i + 1 < len && brk != BRK_MUST &&
            brk != BRK_ALLOW)
            continue;
        size_t e = i + 1, sp = trim_end(t, pos, e);
        int must = brk == BRK_MUST || e == len;
        kp_content(t, pos, sp, must);
        if (must) {
            /* \parfillskip, then the forced break */
            kp_glue(t, 0, PARFILL_STRETCH, 0, sp, sp, SIZE_MAX);
            kp_penalty(t, 0, -CB_KP_INFINITY, 0, sp, e, -1);
        } else if (sp < e) {
            /* several spaces in a row (typed twice in a web form) set as
             * one, as a browser shows them; the text keeps them all */
            for (size_t g = glyph_at(t, sp) + 1, ge = glyph_at(t, e); g < ge;
                 g++)
                t->glyphs[g].g.advance = 0;
            float w = width_of(t, sp, e);
            kp_glue(t, w, w * SPACE_STRETCH, w * SPACE_SHRINK, sp, e,
                    glyph_at(t, sp));
        } else if (is_cjk(char_before(t, e)) && glyph_at(t, e) > 0) {
            float size = t->styles[style_at(t, sp - 1, 0)].size_pt;
            kp_glue(t, 0, CJK_STRETCH_EM * size, 0, e, e, glyph_at(t, e) - 1);
        } else {
            kp_penalty(t, 0, 0, 0, e, e, -1);
        }
        pos = e;
    }
}

/* Stretches or shrinks the glue of items (from, to) by the line's ratio. */
static void kp_adjust(cb_text *t, size_t from, size_t to, float ratio)
{
    for (size_t i = from; i < to; i++) {
        const cb_kp_item *it = &t->kp[i];
        size_t g = t->kp_ref[i].glyph;
        if (it->kind != CB_KP_GLUE || g == SIZE_MAX || g >= t->n_glyphs)
            continue;
        t->glyphs[g].g.advance += ratio > 0 ? ratio * it->stretch
                                            : ratio * it->shrink;
    }
}

/* Total-fit breaking of a justified paragraph; -1 when no breaking within
 * the emergency tolerance exists (a word wider than the line). */
static long break_total_fit(cb_text *t, float first_width, float width,
                            span **out)
{
    kp_build(t);
    cb_kp_break *brk;
    long n = cb_kp_break_lines(t->kp, t->n_kp, first_width, width, TOLERANCE,
                               0, &brk);
    if (n < 0) {
        float size = t->n_styles ? t->styles[0].size_pt : 10;
        n = cb_kp_break_lines(t->kp, t->n_kp, first_width, width,
                              EMERGENCY_TOLERANCE, EMERGENCY_STRETCH_EM * size,
                              &brk);
    }
    if (n < 0)
        return -1;
    *out = cb_xcalloc((size_t)n + 1, sizeof **out);
    size_t start = 0, prev = 0;
    for (long i = 0; i < n; i++) {
        size_t b = brk[i].item;
        const struct kp_ref *r = &t->kp_ref[b];
        int forced = t->kp[b].kind == CB_KP_PENALTY &&
                     t->kp[b].penalty <= -CB_KP_INFINITY;
        float ratio = brk[i].ratio;
        kp_adjust(t, prev, b, ratio <= MAX_RATIO ? ratio : 0);
        (*out)[i] = (span){start, trim_end(t, start, r->start), forced, 0, 0,
                           r->hyphen >= 0};
        start = r->end;
        prev = b + 1;
    }
    free(brk);
    return n;
}

/* Appends the hyphen of a line broken at a hyphenation point to its last
 * run, in that run's face and size. */
static void add_hyphen(cb_text *t, cb_arena *arena, cb_line *line)
{
    if (!line->n_runs)
        return;
    cb_run *r = &line->runs[line->n_runs - 1];
    cb_shaped *g = NULL;
    size_t n = 0, cap = 0;
    if (cb_fonts_shape(t->fonts, r->face, r->size_pt, 0, "-", 0, 1, &g, &n,
                       &cap) == 0 &&
        n) {
        cb_glyph *glyphs = cb_arena_alloc(arena, (r->n_glyphs + n) *
                                                     sizeof *glyphs);
        memcpy(glyphs, r->glyphs, r->n_glyphs * sizeof *glyphs);
        for (size_t k = 0; k < n; k++) {
            glyphs[r->n_glyphs + k] = g[k].g;
            r->width += g[k].g.advance;
            line->width += g[k].g.advance;
        }
        r->glyphs = glyphs;
        r->n_glyphs += n;
        r->text = cb_arena_printf(arena, "%.*s-", (int)r->text_len, r->text);
        r->text_len++;
    }
    free(g);
}

/* Scripts whose shaping reorders or fuses characters (Indic, Southeast
 * Asian): their glyphs in drawing order do not spell the text. */
static int is_complex(long cp)
{
    return (cp >= 0x0900 && cp <= 0x0DFF) || (cp >= 0x0E00 && cp <= 0x0FFF) ||
           (cp >= 0x1000 && cp <= 0x109F) || (cp >= 0x1780 && cp <= 0x17FF) ||
           (cp >= 0xA8E0 && cp <= 0xA8FF);
}

/* The ActualText of a run, or NULL when its glyphs' own Unicode maps give
 * the text back. Runs in complex scripts carry their text: pdftotext would
 * otherwise read reordered vowel signs as separate words. */
static const char *run_actual(cb_arena *arena, const cb_run *r)
{
    for (size_t i = 0; i < r->text_len;) {
        if ((unsigned char)r->text[i] < 0xE0) { /* below U+0800 */
            i++;
            continue;
        }
        int l;
        long cp = cb_utf8_decode(r->text + i, r->text_len - i, &l);
        if (is_complex(cp))
            return cb_arena_strndup(arena, r->text, r->text_len);
        i += (size_t)l;
    }
    return NULL;
}

static void fill_run(cb_text *t, cb_arena *arena, const item *it, size_t a,
                     size_t b, size_t text_end, float x, cb_run *r)
{
    const cb_style *st = &t->styles[it->style];
    r->face = it->face;
    r->level = it->level;
    r->size_pt = st->size_pt;
    r->rise_pt = st->rise_pt;
    r->color = st->color;
    r->link = st->link;
    r->object = st->object;
    r->x = x;
    r->n_glyphs = b - a;
    r->glyphs = cb_arena_alloc(arena, r->n_glyphs * sizeof *r->glyphs);
    for (size_t k = a; k < b; k++) {
        r->glyphs[k - a] = t->glyphs[k].g;
        r->width += t->glyphs[k].g.advance;
    }
    size_t from = t->glyphs[a].cluster;
    size_t to = b < t->n_glyphs ? t->glyphs[b].cluster : t->buf.len;
    if (to > text_end)
        to = text_end;
    r->text_len = to > from ? to - from : 0;
    r->text = cb_arena_strndup(arena, t->buf.data + from, r->text_len);
    r->actual = run_actual(arena, r);
}

/* Space glyphs among glyphs [a, b). */
static size_t spaces_in(const cb_text *t, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t g = a; g < b; g++)
        n += t->buf.data[t->glyphs[g].cluster] == ' ';
    return n;
}

/* The glyph after the first space at or after glyph a (or b). */
static size_t word_end(const cb_text *t, size_t a, size_t b)
{
    for (size_t g = a; g < b; g++)
        if (t->buf.data[t->glyphs[g].cluster] == ' ')
            return g + 1;
    return b;
}

/* Makes the runs of one line: its glyphs cut at item boundaries. The
 * line's height comes from the styles' own faces, so a fallback font with
 * tall metrics does not make one line of a paragraph taller. */
/* The first item ending at or after byte pos: items follow the text in
 * order, so a line looks only at its own (a search per line, not a scan
 * of the paragraph's items: 100,000 lines in one description were
 * quadratic). */
static size_t first_item(const cb_text *t, size_t pos)
{
    size_t lo = 0, hi = t->n_items;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->items[mid].end < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void build_runs(cb_text *t, cb_arena *arena, const span *sp,
                       cb_line *line)
{
    size_t g0 = glyph_at(t, sp->start), g1 = glyph_at(t, sp->end);
    size_t i0 = first_item(t, sp->start), count = 0;
    for (size_t i = i0; i < t->n_items && t->items[i].start <= sp->end; i++)
        if (t->items[i].g_start < g1 && t->items[i].g_end > g0)
            count += 1 + ((t->items[i].level & 1)
                              ? spaces_in(t, t->items[i].g_start,
                                          t->items[i].g_end)
                              : 0);
    line->runs = cb_arena_alloc(arena, (count ? count : 1) * sizeof(cb_run));
    float x = 0;
    for (size_t i = i0; i < t->n_items && t->items[i].start <= sp->end; i++) {
        const item *it = &t->items[i];
        const cb_style *st = &t->styles[it->style];
        if (it->end <= sp->start || it->start >= sp->end) {
            if (!(it->start == sp->start && it->end == sp->end))
                continue;
        }
        float asc = (st->object ? st->object->ascent
                                : (float)cb_fonts_ascent(t->fonts, st->face) *
                                      st->size_pt) +
                    st->rise_pt;
        float desc = (st->object ? st->object->descent
                                 : (float)cb_fonts_descent(t->fonts, st->face) *
                                       st->size_pt) -
                     st->rise_pt;
        if (asc > line->ascent)
            line->ascent = asc;
        if (desc > line->descent)
            line->descent = desc;
        size_t a = it->g_start > g0 ? it->g_start : g0;
        size_t b = it->g_end < g1 ? it->g_end : g1;
        /* right-to-left text becomes one run per word, so the content
         * stream can hold its words in reading order (see cb_line_draw) */
        for (size_t from = a; from < b;) {
            size_t to = (it->level & 1) ? word_end(t, from, b) : b;
            cb_run *r = &line->runs[line->n_runs++];
            fill_run(t, arena, it, from, to, sp->end, x, r);
            x += r->width;
            from = to;
        }
    }
    line->width = x;
    line->overfull = sp->overfull;
    line->split = sp->split;
}

/* Widens the space glyphs of the line [start, end) to fill the measure,
 * before its runs are made; a line that would need more than
 * MAX_STRETCH_EM per space is left ragged. */
static void justify(cb_text *t, const span *sp, float measure)
{
    size_t g0 = glyph_at(t, sp->start), g1 = glyph_at(t, sp->end);
    float natural = 0, size = 0;
    size_t spaces = 0;
    for (size_t g = g0; g < g1; g++) {
        natural += t->glyphs[g].g.advance;
        spaces += t->buf.data[t->glyphs[g].cluster] == ' ';
    }
    if (g0 < g1)
        size = t->styles[style_at(t, t->glyphs[g0].cluster, 0)].size_pt;
    float add = spaces ? (measure - natural) / (float)spaces : 0;
    if (add <= 0 || add > MAX_STRETCH_EM * size)
        return;
    for (size_t g = g0; g < g1; g++)
        if (t->buf.data[t->glyphs[g].cluster] == ' ')
            t->glyphs[g].g.advance += add;
}

/* Puts a line's runs in visual order (UAX #9 rule L2: from the highest
 * level down to the lowest odd one, reverse every sequence of runs at that
 * level or above) and turns right-to-left runs' glyphs to visual order. */
static void reorder_line(cb_line *line)
{
    int hi = 0, lo_odd = 255;
    for (size_t i = 0; i < line->n_runs; i++) {
        int lv = line->runs[i].level;
        hi = lv > hi ? lv : hi;
        if ((lv & 1) && lv < lo_odd)
            lo_odd = lv;
    }
    for (int lv = hi; lv >= lo_odd && lv > 0; lv--)
        for (size_t i = 0; i < line->n_runs;) {
            if (line->runs[i].level < lv) {
                i++;
                continue;
            }
            size_t j = i;
            while (j < line->n_runs && line->runs[j].level >= lv)
                j++;
            for (size_t a = i, b = j - 1; a < b; a++, b--) {
                cb_run tmp = line->runs[a];
                line->runs[a] = line->runs[b];
                line->runs[b] = tmp;
            }
            i = j;
        }
    float x = 0;
    for (size_t i = 0; i < line->n_runs; i++) {
        cb_run *r = &line->runs[i];
        if (r->level & 1)
            for (size_t a = 0, b = r->n_glyphs ? r->n_glyphs - 1 : 0; a < b;
                 a++, b--) {
                cb_glyph tmp = r->glyphs[a];
                r->glyphs[a] = r->glyphs[b];
                r->glyphs[b] = tmp;
            }
        r->x = x;
        x += r->width;
    }
}

long cb_text_layout(cb_text *t, cb_arena *arena, float first_width,
                    float width, cb_align align, cb_line **lines)
{
    *lines = NULL;
    if (t->buf.len == 0)
        return 0;
    cb_grow(&t->levels, &t->cap_levels, t->buf.len, 1);
    t->mixed = cb_bidi_levels(t->buf.data, t->buf.len, t->levels, &t->rtl);
    itemize(t);
    if (shape_items(t) < 0)
        return -1;
    index_glyphs(t);
    if (align != CB_ALIGN_JUSTIFY && fits_whole(t, first_width, width))
        forced_breaks(t); /* greedy breaking takes no other */
    else
        find_breaks(t);
    span *spans = NULL;
    long nl = align == CB_ALIGN_JUSTIFY
                  ? break_total_fit(t, first_width, width, &spans) : -1;
    int greedy = nl < 0;
    if (greedy) {
        free(spans);
        nl = (long)break_lines(t, first_width, width, &spans);
    }
    size_t n = (size_t)nl;
    cb_line *out = cb_arena_alloc(arena, (n ? n : 1) * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        float measure = i ? width : first_width;
        if (greedy && align == CB_ALIGN_JUSTIFY && !spans[i].forced)
            justify(t, &spans[i], measure);
        build_runs(t, arena, &spans[i], &out[i]);
        if (spans[i].hyphen)
            add_hyphen(t, arena, &out[i]);
        if (t->mixed)
            reorder_line(&out[i]);
        /* a right-to-left paragraph starts at the right edge */
        if (align == CB_ALIGN_CENTER)
            out[i].x = (measure - out[i].width) / 2;
        else if (align == CB_ALIGN_RIGHT || (t->rtl && align != CB_ALIGN_CENTER))
            out[i].x = measure - out[i].width;
    }
    free(spans);
    *lines = out;
    return (long)n;
}

long cb_text_repeat(cb_text *t, cb_arena *arena, const char *s,
                    const cb_style *style, int count, float pitch_pt,
                    cb_line **line)
{
    cb_text_reset(t);
    cb_text_add(t, s, strlen(s), style);
    long n = cb_text_layout(t, arena, 1e6f, 1e6f, CB_ALIGN_LEFT, line);
    if (n != 1 || (*line)->n_runs != 1 || (*line)->runs[0].n_glyphs != 1 ||
        count < 1)
        return n < 0 ? -1 : 0;
    cb_run *r = &(*line)->runs[0];
    cb_glyph *g = cb_arena_alloc(arena, (size_t)count * sizeof *g);
    char *text = cb_arena_alloc(arena, (size_t)count * r->text_len + 1);
    for (int i = 0; i < count; i++) {
        g[i] = r->glyphs[0];
        if (i + 1 < count) /* the last keeps its own advance: the width */
            g[i].advance = pitch_pt;
        memcpy(text + (size_t)i * r->text_len, r->text, r->text_len);
    }
    r->glyphs = g;
    r->n_glyphs = (size_t)count;
    r->text = text;
    r->text_len *= (size_t)count;
    r->width = (*line)->width = pitch_pt * (float)(count - 1) + r->width;
    return 1;
}

/* The run to draw k-th: visual order, except that each stretch of
 * right-to-left runs is taken right to left, so the content stream holds
 * words in reading order (what `pdftotext -raw` returns). */
static size_t draw_index(const cb_line *line, size_t k)
{
    if (!(line->runs[k].level & 1))
        return k;
    size_t a = k, b = k;
    while (a > 0 && (line->runs[a - 1].level & 1))
        a--;
    while (b + 1 < line->n_runs && (line->runs[b + 1].level & 1))
        b++;
    return a + (b - k);
}

void cb_line_draw(const cb_line *line, cb_page *page, float x, float y)
{
    for (size_t k = 0; k < line->n_runs; k++) {
        const cb_run *r = &line->runs[draw_index(line, k)];
        float rx = x + line->x + r->x;
        if (r->object) {
            r->object->draw(r->object, page, rx, y + r->rise_pt, r->color);
            continue;
        }
        cb_page_add_text(page, rx, y + r->rise_pt, r->face, r->size_pt,
                         r->color, r->glyphs, r->n_glyphs, r->text, r->text_len,
                         r->actual);
        if (r->level & 1)
            cb_page_mark_rtl(page);
        int target;
        float ty;
        if (r->link && sscanf(r->link, "#p%d:%f", &target, &ty) == 2)
            cb_page_add_link_page(page, rx, y - 0.25f * r->size_pt, r->width,
                                  r->size_pt * 1.1f, target, ty);
        else if (r->link)
            cb_page_add_link_uri(page, rx, y - 0.25f * r->size_pt, r->width,
                                 r->size_pt * 1.1f, r->link);
    }
}

/* font.c - fonts through fontconfig, FreeType and HarfBuzz (see cb_font.h). */
#define _GNU_SOURCE /* glibc's adaptive mutex: see cb_fonts_new */
#include "cb_font.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The word cache keeps words up to this many bytes (longer ones are rare
 * and shaped each time) and stops growing at this many entries, so a huge
 * document cannot make it grow without bound. */
#define SHAPE_CACHE_MAX_WORD 96
#define SHAPE_CACHE_MAX_ENTRIES (1 << 18)

/* A face can be in memory at most once per document, and a booklet with
 * more distinct faces than this is certainly a runaway fallback. */
#define MAX_FACES 64

/* The two font configurations, in the order they are asked. */
enum { SET_BUNDLED, SET_SYSTEM };

typedef struct {
    unsigned long cp;   /* 0: an empty slot (U+0000 is answered before) */
    int face;
} cover_slot;

typedef struct {
    unsigned gid;       /* glyph in the original face */
    const char *text;   /* what it stands for; NULL for composite parts */
    int width;          /* advance in thousandths of an em, as the PDF's */
} code_entry;

typedef struct {
    char *path;
    int index;
    char *name;         /* PostScript name */
    hb_blob_t *blob;
    hb_face_t *hb_face;
    hb_font_t *hb_font; /* scale = units per em */
    unsigned upem;
    double ascent, descent, cap_height; /* of an em */
    int bold, italic;
    /* codes 1..n_codes; [0] unused */
    code_entry *codes;
    size_t n_codes, cap_codes;
    /* open-addressing table from (gid, text) to code */
    unsigned *slots;
    size_t n_slots;
    /* fallback chain: faces tried after this one, in order: the bundled
     * fonts' (SET_BUNDLED), then the system's (SET_SYSTEM) */
    FcFontSet *sorted[2];
    /* set when this face's fallback order is its own; the system's part
     * is sorted the first time a letter is missing from the bundle
     * (sorting hundreds of installed fonts is most of a small run's
     * start-up): `want` keeps the pattern to sort by until then */
    int has_order;
    FcPattern *want;
    /* open-addressing table from a code point the face lacks to the face
     * that sets it (-1: none) */
    cover_slot *cover;
    size_t n_cover, n_cover_slots;
    /* what face_has answered for the Basic Multilingual Plane, two bits a
     * code point (asked, has), so a paragraph's letters ask HarfBuzz's
     * cmap once per face, not once per letter */
    unsigned char *bmp;
    /* which printable ASCII letters it has, bit c - 32 for letter c, once
     * ascii_known (cb_fonts_ascii) */
    uint64_t ascii[2];
    int ascii_known;
} face_rec;

struct cb_fonts {
    cb_diag *diag;
    FcConfig *config[2]; /* SET_BUNDLED (NULL without the bundle), SET_SYSTEM
                            (read when first asked: see system_config) */
    int system_read;
    FT_Library ft;
    face_rec faces[MAX_FACES];
    int n_faces;
    hb_feature_t features[4];
    cb_arena *arena;
    /* the shaping caches (see word_lookup): [0] the composer's, [1] the
     * quiet thread's, so that neither waits for the other to look up a
     * word; codes are the service's, under mu */
    struct word_cache {
        struct word_entry **slots;
        size_t n_slots, n_words;
        cb_arena *arena;      /* the entries */
        cb_arena *scratch;    /* the shape of a word too long to cache */
        hb_buffer_t *buffer;
    } words[2];
    const char *where;  /* place for messages, set by the composer */
    int faces_full;     /* faces refused past MAX_FACES */
    int failed;         /* a document could not be set (reported) */
    /* code points no font has, each reported once */
    unsigned long *missing;
    size_t n_missing, cap_missing;
    /* a writer on another thread reads the codes of pages handed to it
     * (cb_fonts_read_lock) while the composer makes new ones: held for
     * writing only while a face's table of codes moves */
    pthread_rwlock_t codes_lock;
    /* shared (cb_fonts_share): a second composer sets text ahead on
     * another thread, the quiet one; every call that changes the service
     * holds mu (none calls another) */
    int shared;
    pthread_mutex_t mu;
    int quiet_hit; /* the quiet thread met something worth a message */
};

/* Set in the quiet thread (cb_fonts_quiet_here): which thread is calling
 * is the one thing the service cannot be told by its arguments. */
static _Thread_local int quiet_here;

static void lock(const cb_fonts *f)
{
    if (f->shared)
        pthread_mutex_lock((pthread_mutex_t *)&f->mu);
}

static void unlock(const cb_fonts *f)
{
    if (f->shared)
        pthread_mutex_unlock((pthread_mutex_t *)&f->mu);
}

/* Whether the caller is the quiet thread, which says nothing and leaves
 * no trace of what it would have said or done (a missing letter, a face
 * loaded): its work is then let go, and the composer that sets the text
 * says and does it, where it always did. */
static int quiet(cb_fonts *f)
{
    if (!quiet_here)
        return 0;
    f->quiet_hit = 1;
    return 1;
}

static int is_ttf(const struct dirent *e)
{
    size_t len = strlen(e->d_name);
    return len > 4 && strcasecmp(e->d_name + len - 4, ".ttf") == 0;
}

/* Adds every TrueType file of dir to the configuration, in the order of
 * their names (fonts fontconfig ranks alike keep the order they were added
 * in, and a folder lists its files in no fixed order); returns how many.
 * Files one by one, not FcConfigAppFontAddDir: a folder would be cached,
 * and this configuration has (and writes) no cache. */
static int add_font_files(FcConfig *config, const char *dir)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, is_ttf, alphasort), added = 0;
    cb_buf path = {0};
    for (int i = 0; i < n; i++) {
        path.len = 0;
        cb_buf_printf(&path, "%s/%s", dir, names[i]->d_name);
        added += FcConfigAppFontAddFile(config,
                                        (const FcChar8 *)path.data) == FcTrue;
        free(names[i]);
    }
    free(names);
    cb_buf_free(&path);
    return added;
}

/* contribook's own fonts (fonts/, installed with the program) in a
 * configuration of their own: its fonts.conf orders the fallbacks, and its
 * fonts are asked before the system's, so that the same input gives the
 * same output on any machine. NULL, with a warning, when it is missing. */
static FcConfig *load_bundle(cb_diag *diag)
{
    char dirs[CB_DATA_DIRS][PATH_MAX];
    int nd = cb_data_dirs("fonts", "CONTRIBOOK_FONTS", dirs);
    const char *env = getenv("CONTRIBOOK_FONTS");
    cb_buf conf = {0}, looked = {0};
    for (int i = 0; i < nd; i++) {
        conf.len = 0;
        cb_buf_printf(&conf, "%s/fonts.conf", dirs[i]);
        cb_buf_printf(&looked, "%s%s", i ? ", " : "", dirs[i]);
        if (access(conf.data, R_OK) != 0) {
            if (i == 0 && env && *env) /* the user named it: say so */
                cb_diag_warning(diag, CB_W_FONT, dirs[i], "CONTRIBOOK_FONTS names a "
                                "folder without a fonts.conf; looking "
                                "further");
            continue;
        }
        FcConfig *config = FcConfigCreate();
        int ok = config &&
                 FcConfigParseAndLoad(config, (const FcChar8 *)conf.data,
                                      FcTrue) &&
                 add_font_files(config, dirs[i]) > 0;
        cb_buf_free(&conf);
        cb_buf_free(&looked);
        if (ok)
            return config;
        cb_diag_warning(diag, CB_W_FONT, dirs[i], "contribook's fonts cannot be "
                        "loaded from here; using the system's only");
        if (config)
            FcConfigDestroy(config);
        return NULL;
    }
    cb_diag_warning(diag, CB_W_FONT, NULL, "contribook's fonts are not installed (no "
                    "fonts.conf in any of %s); using the system's only, so "
                    "the output depends on them", looked.data);
    cb_buf_free(&conf);
    cb_buf_free(&looked);
    return NULL;
}

cb_fonts *cb_fonts_new(cb_diag *diag)
{
    cb_fonts *f = cb_xcalloc(1, sizeof *f);
    f->diag = diag;
    f->arena = cb_arena_new();
    pthread_rwlock_init(&f->codes_lock, NULL);
    /* held briefly (a word's codes the first time it is shaped, a
     * letter's face the first time a thread asks): a waiter spins a
     * little before it sleeps, as a sleep and a wake-up cost far more on
     * a virtual machine than what it waits for */
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ADAPTIVE_NP);
    pthread_mutex_init(&f->mu, &ma);
    pthread_mutexattr_destroy(&ma);
    if (FT_Init_FreeType(&f->ft) != 0) {
        cb_diag_error(diag, NULL, "cannot initialise FreeType");
        cb_fonts_free(f);
        return NULL;
    }
    f->config[SET_BUNDLED] = load_bundle(diag);
    for (int i = 0; i < 2; i++) {
        f->words[i].arena = cb_arena_new();
        f->words[i].buffer = hb_buffer_create();
    }
    /* kerning stays on; ligatures off, so every glyph is one character and
     * a search for "fi" finds it in any viewer */
    const char *feats[] = {"-liga", "-clig", "-dlig", "-calt"};
    for (int i = 0; i < 4; i++)
        hb_feature_from_string(feats[i], -1, &f->features[i]);
    return f;
}

void cb_fonts_set_diag(cb_fonts *f, cb_diag *diag)
{
    f->diag = diag;
}

static void face_release(face_rec *r)
{
    free(r->path);
    free(r->name);
    hb_font_destroy(r->hb_font);
    hb_face_destroy(r->hb_face);
    hb_blob_destroy(r->blob);
    for (int i = 0; i < 2; i++)
        if (r->sorted[i])
            FcFontSetDestroy(r->sorted[i]);
    if (r->want)
        FcPatternDestroy(r->want);
    free(r->codes);
    free(r->slots);
    free(r->cover);
    free(r->bmp);
}

void cb_fonts_free(cb_fonts *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n_faces; i++)
        face_release(&f->faces[i]);
    for (int i = 0; i < 2; i++) {
        free(f->words[i].slots);
        cb_arena_free(f->words[i].arena);
        cb_arena_free(f->words[i].scratch);
        hb_buffer_destroy(f->words[i].buffer);
    }
    if (f->ft)
        FT_Done_FreeType(f->ft);
    for (int i = 0; i < 2; i++)
        if (f->config[i])
            FcConfigDestroy(f->config[i]);
    free(f->missing);
    cb_arena_free(f->arena);
    pthread_rwlock_destroy(&f->codes_lock);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

void cb_fonts_share(cb_fonts *f, int on)
{
    f->shared = on;
    f->quiet_hit = 0;
}

void cb_fonts_quiet_here(cb_fonts *f, int on)
{
    lock(f);
    quiet_here = on;
    f->quiet_hit = 0;
    unlock(f);
}

int cb_fonts_quiet_hit(cb_fonts *f)
{
    lock(f);
    int hit = f->quiet_hit;
    f->quiet_hit = 0;
    unlock(f);
    return hit;
}

/* The lock is the one thing a const reader changes. */
void cb_fonts_read_lock(const cb_fonts *f)
{
    pthread_rwlock_rdlock((pthread_rwlock_t *)&f->codes_lock);
}

void cb_fonts_read_unlock(const cb_fonts *f)
{
    pthread_rwlock_unlock((pthread_rwlock_t *)&f->codes_lock);
}

/* Checks with FreeType that the file is a TrueType-outline font libharu can
 * embed (glyf/loca tables, a Unicode cmap); fills the PostScript name. */
static int truetype_usable(cb_fonts *f, const char *path, int index,
                           char **name)
{
    FT_Face face;
    if (FT_New_Face(f->ft, path, index, &face) != 0)
        return 0;
    /* a NULL buffer asks for the length, which must come in as 0 */
    FT_ULong glyf_len = 0, loca_len = 0;
    int ok = FT_Load_Sfnt_Table(face, TTAG_glyf, 0, NULL, &glyf_len) == 0 &&
             FT_Load_Sfnt_Table(face, TTAG_loca, 0, NULL, &loca_len) == 0 &&
             FT_Select_Charmap(face, FT_ENCODING_UNICODE) == 0 &&
             !FT_HAS_MULTIPLE_MASTERS(face);
    const char *ps = FT_Get_Postscript_Name(face);
    if (ok)
        *name = cb_xstrdup(ps ? ps : "Unnamed");
    FT_Done_Face(face);
    return ok;
}

/* Returns the id of the face at (path, index), loading it if needed;
 * -1 if it is not usable. */
static int face_load(cb_fonts *f, const char *path, int index)
{
    for (int i = 0; i < f->n_faces; i++)
        if (f->faces[i].index == index && strcmp(f->faces[i].path, path) == 0)
            return i;
    /* the quiet thread loads no face: faces are numbered as the
     * composer first needs them, whatever the other thread set ahead */
    if (quiet(f))
        return -1;
    if (f->n_faces == MAX_FACES) {
        if (!f->faces_full++)
            cb_diag_warning(f->diag, CB_W_FONT, f->where, "more than %d font faces "
                            "would be needed; %s is not used, and characters "
                            "only it has are drawn as boxes", MAX_FACES, path);
        return -1;
    }
    char *name = NULL;
    if (!truetype_usable(f, path, index, &name))
        return -1;
    face_rec *r = &f->faces[f->n_faces];
    memset(r, 0, sizeof *r);
    r->path = cb_xstrdup(path);
    r->index = index;
    r->name = name;
    r->blob = hb_blob_create_from_file(path);
    r->hb_face = hb_face_create(r->blob, (unsigned)index);
    r->upem = hb_face_get_upem(r->hb_face);
    r->hb_font = hb_font_create(r->hb_face);
    hb_font_set_scale(r->hb_font, (int)r->upem, (int)r->upem);
    hb_font_extents_t ext;
    hb_font_get_h_extents(r->hb_font, &ext);
    r->ascent = (double)ext.ascender / r->upem;
    r->descent = (double)-ext.descender / r->upem;
    hb_position_t cap;
    r->cap_height = hb_ot_metrics_get_position(r->hb_font,
                                               HB_OT_METRICS_TAG_CAP_HEIGHT,
                                               &cap) && cap > 0
                        ? (double)cap / r->upem
                        : r->ascent * 0.7; /* no OS/2 value: a guess */
    r->n_codes = 0;
    cb_grow(&r->codes, &r->cap_codes, 1, sizeof *r->codes);
    return f->n_faces++;
}

static int pattern_face(cb_fonts *f, FcPattern *p)
{
    FcChar8 *file = NULL, *format = NULL;
    int index = 0;
    if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch)
        return -1;
    /* CFF-flavoured OpenType says "CFF"; libharu 2.3.0 needs glyf outlines */
    if (FcPatternGetString(p, FC_FONTFORMAT, 0, &format) == FcResultMatch &&
        strcmp((const char *)format, "TrueType") != 0)
        return -1;
    FcPatternGetInteger(p, FC_INDEX, 0, &index);
    return face_load(f, (const char *)file, index);
}

static int family_matches(FcPattern *p, const char *family)
{
    FcChar8 *s;
    for (int i = 0; FcPatternGetString(p, FC_FAMILY, i, &s) == FcResultMatch;
         i++)
        if (strcasecmp((const char *)s, family) == 0)
            return 1;
    return 0;
}

static FcPattern *style_pattern(const char *family, const char *generic,
                                int bold, int italic)
{
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    /* the generic family orders fallbacks by kind: a serif text falls back
     * to Mincho and Myeongjo faces rather than to Gothic ones */
    if (generic)
        FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)generic);
    FcPatternAddInteger(pat, FC_WEIGHT,
                        bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pat, FC_SLANT,
                        italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    FcPatternAddBool(pat, FC_VARIABLE, FcFalse);
    return pat;
}

/* Explains why the requested family was not used. */
static void report_substitute(cb_fonts *f, FcFontSet *set, const char *family,
                              int chosen)
{
    int cff = 0;
    for (int i = 0; set && i < set->nfont; i++) {
        FcChar8 *format;
        if (family_matches(set->fonts[i], family) &&
            FcPatternGetString(set->fonts[i], FC_FONTFORMAT, 0, &format) ==
                FcResultMatch &&
            strcmp((const char *)format, "TrueType") != 0)
            cff = 1;
    }
    const char *used = chosen >= 0 ? f->faces[chosen].name : "nothing";
    if (cff)
        cb_diag_warning(f->diag, CB_W_FONT, NULL,
                        "font family \"%s\" is installed only as CFF/OpenType "
                        "outlines, which libharu 2.3.0 cannot embed; using %s",
                        family, used);
    else
        cb_diag_warning(f->diag, CB_W_FONT, NULL,
                        "font family \"%s\" is not installed; using %s",
                        family, used);
}

/* The system's fonts, read when first asked: a book that the bundle
 * sets alone (most) spares the system's configuration files and caches,
 * a sixth of a small book's run. NULL when fontconfig cannot read them. */
static FcConfig *system_config(cb_fonts *f)
{
    if (!f->system_read) {
        f->system_read = 1;
        f->config[SET_SYSTEM] = FcInitLoadConfigAndFonts();
    }
    return f->config[SET_SYSTEM];
}

/* The fonts of one configuration in the order fontconfig ranks them for
 * the pattern (with that configuration's substitutions); NULL if none. */
static FcFontSet *sort_fonts(FcConfig *config, const FcPattern *pattern)
{
    if (!config)
        return NULL;
    FcPattern *pat = FcPatternDuplicate(pattern);
    FcConfigSubstitute(config, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcFontSet *set = FcFontSort(config, pat, FcFalse, NULL, &res);
    FcPatternDestroy(pat);
    return set;
}

/* The first usable face of the set; with family, only one of it. */
static int first_face(cb_fonts *f, FcFontSet *set, const char *family)
{
    for (int i = 0; set && i < set->nfont; i++) {
        if (family && !family_matches(set->fonts[i], family))
            continue;
        int id = pattern_face(f, set->fonts[i]);
        if (id >= 0)
            return id;
    }
    return -1;
}

static int fonts_find(cb_fonts *f, const char *family, const char *generic,
                  int bold, int italic)
{
    FcPattern *pat = style_pattern(family, generic, bold, italic);
    FcFontSet *sets[2] = {sort_fonts(f->config[SET_BUNDLED], pat), NULL};
    /* the family itself, bundled or installed; else the system's
     * substitute (fontconfig knows metric-compatible ones: Times, Liberation
     * Serif), else the bundle's */
    int chosen = first_face(f, sets[SET_BUNDLED], family);
    if (chosen < 0) {
        sets[SET_SYSTEM] = sort_fonts(system_config(f), pat);
        chosen = first_face(f, sets[SET_SYSTEM], family);
    }
    if (chosen < 0) {
        chosen = first_face(f, sets[SET_SYSTEM], NULL);
        if (chosen < 0)
            chosen = first_face(f, sets[SET_BUNDLED], NULL);
        report_substitute(f, sets[SET_SYSTEM], family, chosen);
    }
    face_rec *r = chosen >= 0 ? &f->faces[chosen] : NULL;
    if (r && !r->has_order) {
        /* the sorted lists are this face's fallback order */
        r->bold = bold;
        r->italic = italic;
        r->has_order = 1;
        r->sorted[SET_BUNDLED] = sets[SET_BUNDLED];
        r->sorted[SET_SYSTEM] = sets[SET_SYSTEM];
        r->want = sets[SET_SYSTEM] ? NULL : pat;
        if (r->want)
            return chosen;
    } else {
        for (int i = 0; i < 2; i++)
            if (sets[i])
                FcFontSetDestroy(sets[i]);
    }
    FcPatternDestroy(pat);
    return chosen;
}

int cb_fonts_find(cb_fonts *f, const char *family, const char *generic,
                  int bold, int italic)
{
    lock(f);
    int v = fonts_find(f, family, generic, bold, italic);
    unlock(f);
    return v;
}

/* Whether the configuration has the family with TrueType outlines. */
static int config_has_family(FcConfig *config, const char *family)
{
    if (!config)
        return 0;
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, FC_FONTFORMAT, NULL);
    FcFontSet *set = FcFontList(config, pat, os);
    int found = 0;
    for (int i = 0; set && i < set->nfont && !found; i++) {
        FcChar8 *format;
        found = FcPatternGetString(set->fonts[i], FC_FONTFORMAT, 0, &format) ==
                    FcResultMatch &&
                strcmp((const char *)format, "TrueType") == 0;
    }
    if (set)
        FcFontSetDestroy(set);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    return found;
}

int cb_fonts_has_family(cb_fonts *f, const char *family)
{
    return config_has_family(f->config[SET_BUNDLED], family) ||
           config_has_family(system_config(f), family);
}

static int face_has(face_rec *r, unsigned long cp)
{
    hb_codepoint_t g;
    if (cp > 0xFFFF)
        return hb_font_get_nominal_glyph(r->hb_font, (hb_codepoint_t)cp, &g);
    if (!r->bmp)
        r->bmp = cb_xcalloc(0x10000 / 4, 1);
    unsigned char *b = &r->bmp[cp / 4], shift = (unsigned char)(cp % 4 * 2);
    if (!(*b >> shift & 1))
        *b |= (unsigned char)((1 | (hb_font_get_nominal_glyph(
                                         r->hb_font, (hb_codepoint_t)cp, &g)
                                     ? 2 : 0))
                              << shift);
    return *b >> shift & 2;
}

static int fonts_has(cb_fonts *f, int face, unsigned long cp)
{
    return face >= 0 && face < f->n_faces && face_has(&f->faces[face], cp);
}

int cb_fonts_has(cb_fonts *f, int face, unsigned long cp)
{
    lock(f);
    int v = fonts_has(f, face, cp);
    unlock(f);
    return v;
}

static const uint64_t *fonts_ascii(cb_fonts *f, int face)
{
    static const uint64_t none[2] = {0, 0};
    if (face < 0 || face >= f->n_faces)
        return none;
    face_rec *r = &f->faces[face];
    if (!r->ascii_known) {
        for (unsigned c = 0x20; c < 0x7F; c++)
            if (face_has(r, c))
                r->ascii[(c - 32) / 64] |= (uint64_t)1 << ((c - 32) % 64);
        r->ascii_known = 1;
    }
    return r->ascii;
}

const uint64_t *cb_fonts_ascii(cb_fonts *f, int face)
{
    lock(f);
    const uint64_t *v = fonts_ascii(f, face);
    unlock(f);
    return v;
}

/* Reports a code point no installed font has, once per document. */
static void note_missing(cb_fonts *f, unsigned long cp)
{
    if (quiet(f))
        return;
    for (size_t i = 0; i < f->n_missing; i++)
        if (f->missing[i] == cp)
            return;
    cb_grow(&f->missing, &f->cap_missing, f->n_missing, sizeof *f->missing);
    f->missing[f->n_missing++] = cp;
    char utf8[5] = {0};
    cb_utf8_encode(cp, utf8);
    cb_diag_warning(f->diag, CB_W_MISSING_GLYPH, f->where,
                    "no installed font has U+%04lX \"%s\"; it is drawn as a "
                    "box and kept in the text", cp, utf8);
}

void cb_fonts_set_where(cb_fonts *f, const char *where)
{
    lock(f);
    f->where = where;
    unlock(f);
}

/* The i-th font of a face's fallback order: the bundled fonts', then the
 * system's (sorted now if not yet); NULL past the end. */
static FcPattern *fallback_pattern(cb_fonts *f, face_rec *r, int i)
{
    int bundled = r->sorted[SET_BUNDLED] ? r->sorted[SET_BUNDLED]->nfont : 0;
    if (i >= bundled && r->want) {
        r->sorted[SET_SYSTEM] = sort_fonts(system_config(f), r->want);
        FcPatternDestroy(r->want);
        r->want = NULL;
    }
    for (int s = 0; s < 2; s++) {
        int n = r->sorted[s] ? r->sorted[s]->nfont : 0;
        if (i < n)
            return r->sorted[s]->fonts[i];
        i -= n;
    }
    return NULL;
}

/* Searches the face's fallback order for the nearest font with cp. */
static int find_fallback(cb_fonts *f, face_rec *r, unsigned long cp)
{
    FcPattern *p;
    for (int i = 0; (p = fallback_pattern(f, r, i)); i++) {
        FcCharSet *cs;
        if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch ||
            !FcCharSetHasChar(cs, (FcChar32)cp))
            continue;
        int id = pattern_face(f, p);
        if (id >= 0 && face_has(&f->faces[id], cp))
            return id;
        if (id < 0 && quiet_here)
            return -1; /* not loaded: the search is the composer's */
    }
    return -1;
}

/* The slot of cp in the face's cover table: its entry, or the empty slot
 * where it goes. */
static cover_slot *cover_slot_of(face_rec *r, unsigned long cp)
{
    if ((r->n_cover + 1) * 2 > r->n_cover_slots) {
        cover_slot *old = r->cover;
        size_t n_old = r->n_cover_slots;
        r->n_cover_slots = n_old ? n_old * 2 : 64;
        r->cover = cb_xcalloc(r->n_cover_slots, sizeof *r->cover);
        for (size_t i = 0; i < n_old; i++)
            if (old[i].cp)
                *cover_slot_of(r, old[i].cp) = old[i];
        free(old);
    }
    size_t mask = r->n_cover_slots - 1, i = (cp * 2654435761u) & mask;
    while (r->cover[i].cp && r->cover[i].cp != cp)
        i = (i + 1) & mask;
    return &r->cover[i];
}

static int fonts_cover(cb_fonts *f, int face, unsigned long cp)
{
    if (face < 0 || face >= f->n_faces)
        return -1;
    face_rec *r = &f->faces[face];
    if (face_has(r, cp) || cp == 0)
        return face;
    /* always the first face of the fallback order that has it, whatever
     * the document set before: remembered per code point */
    cover_slot *slot = cover_slot_of(r, cp);
    if (slot->cp == cp)
        return slot->face;
    int id = find_fallback(f, r, cp);
    if (id < 0 && quiet(f))
        return -1; /* unremembered: the setter meets it, and says so */
    if (id < 0)
        note_missing(f, cp);
    *slot = (cover_slot){cp, id}; /* the table has not grown since */
    r->n_cover++;
    return id;
}

int cb_fonts_cover(cb_fonts *f, int face, unsigned long cp)
{
    lock(f);
    int v = fonts_cover(f, face, cp);
    unlock(f);
    return v;
}

/* Whether face r has every code point of s that `primary` lacks. */
static int has_missing(cb_fonts *f, face_rec *r, int primary,
                       const char *s, size_t n, const FcCharSet *cs)
{
    for (size_t i = 0; i < n;) {
        int l;
        long cp = cb_utf8_decode(s + i, n - i, &l);
        i += (size_t)l;
        if (cp < 0 || face_has(&f->faces[primary], (unsigned long)cp))
            continue;
        if (cs ? !FcCharSetHasChar(cs, (FcChar32)cp)
               : !r || !face_has(r, (unsigned long)cp))
            return 0;
    }
    return 1;
}

static int fonts_cover_all(cb_fonts *f, int face, const char *s, size_t n)
{
    if (face < 0 || face >= f->n_faces)
        return -1;
    face_rec *r = &f->faces[face];
    FcPattern *p;
    for (int i = 0; (p = fallback_pattern(f, r, i)); i++) {
        FcCharSet *cs;
        if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch ||
            !has_missing(f, NULL, face, s, n, cs))
            continue;
        int id = pattern_face(f, p);
        if (id >= 0 && id != face &&
            has_missing(f, &f->faces[id], face, s, n, NULL))
            return id;
    }
    return -1;
}

int cb_fonts_cover_all(cb_fonts *f, int face, const char *s, size_t n)
{
    lock(f);
    int v = fonts_cover_all(f, face, s, n);
    unlock(f);
    return v;
}

/* Unlocked, as what a loaded face has never changes. */
double cb_fonts_ascent(const cb_fonts *f, int face)
{
    return f->faces[face].ascent;
}

double cb_fonts_descent(const cb_fonts *f, int face)
{
    return f->faces[face].descent;
}

const char *cb_fonts_name(const cb_fonts *f, int face)
{
    return face >= 0 && face < f->n_faces ? f->faces[face].name : "?";
}

int cb_fonts_failed(const cb_fonts *f)
{
    lock(f);
    int v = f->failed;
    unlock(f);
    return v;
}

int cb_fonts_count(const cb_fonts *f)
{
    lock(f);
    int v = f->n_faces;
    unlock(f);
    return v;
}

unsigned cb_fonts_code_count(const cb_fonts *f, int face)
{
    return (unsigned)f->faces[face].n_codes;
}

static size_t code_hash(unsigned gid, const char *text)
{
    uint64_t h = 1469598103934665603ULL ^ gid;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

static void rehash(face_rec *r)
{
    free(r->slots);
    r->n_slots = r->n_slots ? r->n_slots * 2 : 256;
    r->slots = cb_xcalloc(r->n_slots, sizeof *r->slots);
    for (size_t c = 1; c <= r->n_codes; c++) {
        size_t i = code_hash(r->codes[c].gid, r->codes[c].text) &
                   (r->n_slots - 1);
        while (r->slots[i])
            i = (i + 1) & (r->n_slots - 1);
        r->slots[i] = (unsigned)c;
    }
}

/* Copies text without the bidi marks and isolates in it into out (len +
 * 1 bytes): they steer the layout and have no glyph, and must not come
 * back from extraction. */
static char *visible_text(char *out, const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        int l;
        long cp = cb_utf8_decode(text + i, len - i, &l);
        if (!cb_is_bidi_control(cp))
            memcpy(out + n, text + i, (size_t)l), n += (size_t)l;
        i += (size_t)l;
    }
    out[n] = '\0';
    return out;
}

/* Returns the code of (gid, text) in face r, creating it; 0 when full. */
static unsigned code_intern(cb_fonts *f, face_rec *r, unsigned gid,
                            const char *text, size_t len)
{
    if ((r->n_codes + 1) * 2 > r->n_slots)
        rehash(r);
    /* the key is kept only for a new code: a lookup allocates nothing */
    char small[128], *key = len < sizeof small ? small : cb_xmalloc(len + 1);
    visible_text(key, text, len);
    size_t i = code_hash(gid, key) & (r->n_slots - 1);
    for (; r->slots[i]; i = (i + 1) & (r->n_slots - 1)) {
        code_entry *e = &r->codes[r->slots[i]];
        if (e->gid == gid && strcmp(e->text, key) == 0) {
            if (key != small)
                free(key);
            return r->slots[i];
        }
    }
    if (r->n_codes >= CB_FONT_MAX_CIDS) {
        if (quiet(f)) {
            if (key != small)
                free(key);
            return 0;
        }
        f->failed = 1;
        cb_diag_error(f->diag, f->where,
                      "font %s: more than %d distinct glyphs in one document",
                      r->name, CB_FONT_MAX_CIDS);
        if (key != small)
            free(key);
        return 0;
    }
    unsigned code = (unsigned)++r->n_codes;
    if (code >= r->cap_codes) { /* the table moves */
        pthread_rwlock_wrlock(&f->codes_lock);
        cb_grow(&r->codes, &r->cap_codes, code, sizeof *r->codes);
        pthread_rwlock_unlock(&f->codes_lock);
    }
    r->codes[code].gid = gid;
    r->codes[code].text = cb_arena_strdup(f->arena, key);
    r->codes[code].width =
        (int)((long)hb_font_get_glyph_h_advance(r->hb_font, gid) * 1000 /
              (long)r->upem);
    if (key != small)
        free(key);
    r->slots[i] = code;
    return code;
}

/* Copies the n bytes of UTF-8 at s reversed by character, into out. */
static void reverse_chars(const char *s, size_t n, char *out)
{
    size_t k = n;
    for (size_t i = 0; i < n;) {
        int l;
        cb_utf8_decode(s + i, n - i, &l);
        k -= (size_t)l;
        memcpy(out + k, s + i, (size_t)l);
        i += (size_t)l;
    }
}

/* Shares one cluster's characters s[from, to) out among its n glyphs, in
 * order: glyph k takes characters [k*m/n, (k+1)*m/n) of m, so that every
 * glyph stands for some text and the glyphs, read in the order they are
 * drawn, spell the cluster (a Devanagari vowel sign drawn before its
 * consonant stands for the consonant, and the consonant for the sign). A
 * glyph with no text would be U+FFFD in MuPDF and a stray character in
 * pdf.js. When the glyphs outnumber the characters, the first takes them
 * all and the rest stand for nothing. Sets each glyph's byte span. */
static void share_cluster(const char *s, size_t from, size_t to, size_t n,
                          size_t *at, size_t *len)
{
    size_t chars = cb_utf8_length(s + from, to - from), pos = from;
    for (size_t k = 0; k < n; k++) {
        size_t take = chars >= n ? (k + 1) * chars / n - k * chars / n
                      : k == 0   ? chars
                                 : 0;
        at[k] = pos;
        len[k] = 0;
        for (size_t c = 0; c < take; c++) {
            int l;
            cb_utf8_decode(s + pos + len[k], to - pos - len[k], &l);
            len[k] += (size_t)l;
        }
        pos += len[k];
    }
}

/* pdf.js reads a glyph whose text holds a nonspacing mark (a virama) as
 * a zero-width diacritic: it does not move its pen past it, and where such
 * a glyph opens a word (a Devanagari conjunct, "प्र") the gap it then sees
 * at the next glyph becomes a space inside the word ("प्र स्तुत"). The
 * word's first glyph keeps its text up to its first nonspacing mark and
 * hands the rest to the glyph after it: read in order, the glyphs still
 * spell the word. */
static void mark_free_start(const char *s, size_t n_glyphs, size_t *at,
                            size_t *len)
{
    if (n_glyphs < 2 || at[1] != at[0] + len[0])
        return;
    hb_unicode_funcs_t *u = hb_unicode_funcs_get_default();
    size_t i = 0;
    while (i < len[0]) {
        int l;
        long cp = cb_utf8_decode(s + at[0] + i, len[0] - i, &l);
        if (i > 0 && hb_unicode_general_category(u, (hb_codepoint_t)cp) ==
                         HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK)
            break;
        i += (size_t)l;
    }
    len[1] += len[0] - i;
    at[1] = at[0] + i;
    len[0] = i;
}

/* The code of each glyph, from its text span. In right-to-left text a
 * glyph's several characters (a lam-alef) are stored reversed: pdftotext
 * reverses right-to-left text, the characters of one glyph's Unicode
 * string included. */
static int glyph_codes(cb_fonts *f, face_rec *r, cb_shaped *g, size_t n,
                       const char *s, const size_t *at, const size_t *len,
                       const hb_glyph_info_t *info, int rtl)
{
    char flipped[64];
    for (size_t k = 0; k < n; k++) {
        const char *t = s + at[k];
        if (rtl && cb_utf8_length(t, len[k]) > 1 && len[k] <= sizeof flipped) {
            reverse_chars(t, len[k], flipped);
            t = flipped;
        }
        g[k].g.cid = code_intern(f, r, info[k].codepoint, t, len[k]);
        if (!g[k].g.cid)
            return -1;
    }
    return 0;
}

/* One word shaped without context, in font units, with its codes. */
typedef struct {
    unsigned code;
    int advance, dx, dy;
    unsigned cluster;   /* byte offset in the word */
} word_glyph;

typedef struct word_entry {
    int face;
    int rtl;
    const char *text;
    size_t len;
    word_glyph *glyphs;
    size_t n;
    struct word_entry *next;
} word_entry;

static size_t word_hash(int face, int rtl, const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(face * 2 + rtl);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 31));
}

/* Scripts whose ligatures are optional: they stay off, so every glyph is
 * one character and a search finds "office" in any viewer. Other scripts
 * (Arabic, Devanagari...) keep their fonts' required forms. */
static int simple_script(hb_script_t sc)
{
    return sc == HB_SCRIPT_LATIN || sc == HB_SCRIPT_GREEK ||
           sc == HB_SCRIPT_CYRILLIC || sc == HB_SCRIPT_COMMON ||
           sc == HB_SCRIPT_INHERITED || sc == HB_SCRIPT_UNKNOWN;
}

/* Puts a right-to-left shaping result (visual order) into logical order,
 * so that clusters ascend like everywhere else. */
static void to_logical(hb_glyph_info_t *info, hb_glyph_position_t *pos,
                       unsigned n)
{
    for (unsigned i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
        hb_glyph_info_t ti = info[i];
        hb_glyph_position_t tp = pos[i];
        info[i] = info[j], pos[i] = pos[j];
        info[j] = ti, pos[j] = tp;
    }
}

/* Shapes s[0, n) with HarfBuzz and stores the result, in logical order,
 * in `arena`. */
static word_entry *shape_word(cb_fonts *f, struct word_cache *wc,
                              cb_arena *arena, int face, int rtl,
                              const char *s, size_t n)
{
    face_rec *r = &f->faces[face];
    hb_buffer_t *buf = wc->buffer;
    hb_buffer_clear_contents(buf);
    hb_buffer_add_utf8(buf, s, (int)n, 0, (int)n);
    hb_buffer_guess_segment_properties(buf);
    /* the direction comes from the bidi levels, not from a guess: neutral
     * characters (brackets) in right-to-left text must be mirrored */
    hb_buffer_set_direction(buf, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    /* format characters (bidi isolates, joiners, variation selectors,
     * soft hyphens) steer shaping but draw nothing: without this flag
     * HarfBuzz draws each as an empty space glyph, a code with no text
     * that MuPDF reads as U+FFFD and pdf.js as a stray character */
    hb_buffer_set_flags(buf, HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES);
    int simple = simple_script(hb_buffer_get_script(buf));
    hb_shape(r->hb_font, buf, simple ? f->features : NULL, simple ? 4 : 0);
    unsigned count;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &count);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &count);
    if (rtl)
        to_logical(info, pos, count);
    word_entry *e = cb_arena_alloc(arena, sizeof *e);
    e->face = face;
    e->rtl = rtl;
    e->text = cb_arena_strndup(arena, s, n);
    e->len = n;
    e->n = count;
    e->glyphs =
        cb_arena_alloc(arena, (count ? count : 1) * sizeof *e->glyphs);
    cb_shaped tmp[64], *g = count <= 64 ? tmp : cb_xmalloc(count * sizeof *g);
    size_t span[2][64], *at = count <= 64 ? span[0] : cb_xmalloc(
                                                          2 * count * sizeof *at),
                        *len = count <= 64 ? span[1] : at + count;
    /* each glyph's text, one cluster (a run of equal cluster values) at a
     * time, then its code */
    for (unsigned i = 0, j; i < count; i = j) {
        for (j = i + 1; j < count && info[j].cluster == info[i].cluster; j++)
            ;
        share_cluster(s, info[i].cluster, j < count ? info[j].cluster : n,
                      j - i, at + i, len + i);
    }
    if (!rtl)
        mark_free_start(s, count, at, len);
    lock(f);
    int rc = glyph_codes(f, r, g, count, s, at, len, info, rtl);
    unlock(f);
    if (at != span[0])
        free(at);
    for (unsigned i = 0; i < count && rc == 0; i++)
        e->glyphs[i] = (word_glyph){g[i].g.cid, pos[i].x_advance,
                                    pos[i].x_offset, pos[i].y_offset,
                                    info[i].cluster};
    if (g != tmp)
        free(g);
    return rc == 0 ? e : NULL;
}

/* Doubles the word cache's table (1 << 14 slots at first): a table of a
 * fixed size made every lookup of a 20,000-contribution run walk chains
 * sixteen long, 2 % of its time and growing with the input. */
static void grow_word_slots(struct word_cache *wc)
{
    size_t n = wc->n_slots ? 2 * wc->n_slots : (size_t)1 << 14;
    struct word_entry **slots = cb_xcalloc(n, sizeof *slots);
    for (size_t i = 0; i < wc->n_slots; i++)
        for (word_entry *e = wc->slots[i], *next; e; e = next) {
            next = e->next;
            size_t h = word_hash(e->face, e->rtl, e->text, e->len) & (n - 1);
            e->next = slots[h];
            slots[h] = e;
        }
    free(wc->slots);
    wc->slots = slots;
    wc->n_slots = n;
}

/* The shaped form of a word, from the cache when it was seen before: a
 * booklet repeats its words, and shaping is the costliest step. A word
 * too long to cache is shaped into a scratch arena that the next such
 * word empties, so that memory does not grow with every layout of it. */
static word_entry *word_lookup(cb_fonts *f, struct word_cache *wc, int face,
                               int rtl, const char *s, size_t n)
{
    if (n > SHAPE_CACHE_MAX_WORD || wc->n_words >= SHAPE_CACHE_MAX_ENTRIES) {
        cb_arena_free(wc->scratch);
        wc->scratch = cb_arena_new();
        return shape_word(f, wc, wc->scratch, face, rtl, s, n);
    }
    if (wc->n_words >= wc->n_slots) /* chains stay short */
        grow_word_slots(wc);
    size_t h = word_hash(face, rtl, s, n) & (wc->n_slots - 1);
    for (word_entry *e = wc->slots[h]; e; e = e->next)
        if (e->face == face && e->rtl == rtl && e->len == n &&
            memcmp(e->text, s, n) == 0)
            return e;
    word_entry *e = shape_word(f, wc, wc->arena, face, rtl, s, n);
    if (e) {
        e->next = wc->slots[h];
        wc->slots[h] = e;
        wc->n_words++;
    }
    return e;
}

/* Shared, it locks only to give a word shaped for the first time its
 * codes (shape_word): each thread looks words up in a cache of its own. */
int cb_fonts_shape(cb_fonts *f, int face, float size_pt, int rtl,
                   const char *text, size_t start, size_t len,
                   cb_shaped **out, size_t *n_out, size_t *cap)
{
    struct word_cache *wc = &f->words[quiet_here];
    double scale = size_pt / (double)f->faces[face].upem;
    size_t pos = start, end = start + len;
    /* words and runs of spaces are shaped apart: kerning never spans a
     * space, and the pieces repeat; a word also ends after a COMBINING
     * GRAPHEME JOINER, which the text layer puts after every 30 marks in a
     * row (cb_unicode_stream_safe): HarfBuzz takes time that grows with
     * the square of a cluster's length */
    while (pos < end) {
        size_t e = pos + 1;
        int space = text[pos] == ' ';
        while (e < end && (text[e] == ' ') == space &&
               !(e - pos >= 2 && text[e - 2] == '\xCD' && text[e - 1] == '\x8F'))
            e++;
        word_entry *w = word_lookup(f, wc, face, rtl, text + pos, e - pos);
        if (!w)
            return -1;
        cb_grow(out, cap, *n_out + w->n, sizeof **out);
        cb_shaped *g = *out + *n_out;
        for (size_t i = 0; i < w->n; i++) {
            g[i].cluster = pos + w->glyphs[i].cluster;
            g[i].g.cid = w->glyphs[i].code;
            g[i].g.advance = (float)(w->glyphs[i].advance * scale);
            g[i].g.dx = (float)(w->glyphs[i].dx * scale);
            g[i].g.dy = (float)(w->glyphs[i].dy * scale);
        }
        *n_out += w->n;
        pos = e;
    }
    return 0;
}

/* Unlocked, as what a loaded face has never changes. */
int cb_fonts_has_math(const cb_fonts *f, int face)
{
    return face >= 0 && face < f->n_faces &&
           hb_ot_math_has_data(f->faces[face].hb_face);
}

double cb_fonts_math_constant(const cb_fonts *f, int face,
                              cb_math_constant which)
{
    static const hb_ot_math_constant_t hb[CB_MATH_CONSTANT_COUNT] = {
        HB_OT_MATH_CONSTANT_SCRIPT_PERCENT_SCALE_DOWN,
        HB_OT_MATH_CONSTANT_SCRIPT_SCRIPT_PERCENT_SCALE_DOWN,
        HB_OT_MATH_CONSTANT_AXIS_HEIGHT,
        HB_OT_MATH_CONSTANT_SUBSCRIPT_SHIFT_DOWN,
        HB_OT_MATH_CONSTANT_SUBSCRIPT_TOP_MAX,
        HB_OT_MATH_CONSTANT_SUBSCRIPT_BASELINE_DROP_MIN,
        HB_OT_MATH_CONSTANT_SUPERSCRIPT_SHIFT_UP,
        HB_OT_MATH_CONSTANT_SUPERSCRIPT_BOTTOM_MIN,
        HB_OT_MATH_CONSTANT_SUPERSCRIPT_BASELINE_DROP_MAX,
        HB_OT_MATH_CONSTANT_SUB_SUPERSCRIPT_GAP_MIN,
        HB_OT_MATH_CONSTANT_SPACE_AFTER_SCRIPT,
        HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_SHIFT_UP,
        HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_SHIFT_DOWN,
        HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_GAP_MIN,
        HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_GAP_MIN,
        HB_OT_MATH_CONSTANT_FRACTION_RULE_THICKNESS,
        HB_OT_MATH_CONSTANT_RADICAL_VERTICAL_GAP,
        HB_OT_MATH_CONSTANT_RADICAL_RULE_THICKNESS,
        HB_OT_MATH_CONSTANT_RADICAL_EXTRA_ASCENDER,
        HB_OT_MATH_CONSTANT_ACCENT_BASE_HEIGHT,
        HB_OT_MATH_CONSTANT_OVERBAR_VERTICAL_GAP,
        HB_OT_MATH_CONSTANT_OVERBAR_RULE_THICKNESS,
        HB_OT_MATH_CONSTANT_FRACTION_NUMERATOR_DISPLAY_STYLE_SHIFT_UP,
        HB_OT_MATH_CONSTANT_FRACTION_DENOMINATOR_DISPLAY_STYLE_SHIFT_DOWN,
        HB_OT_MATH_CONSTANT_FRACTION_NUM_DISPLAY_STYLE_GAP_MIN,
        HB_OT_MATH_CONSTANT_FRACTION_DENOM_DISPLAY_STYLE_GAP_MIN,
        HB_OT_MATH_CONSTANT_DISPLAY_OPERATOR_MIN_HEIGHT,
        HB_OT_MATH_CONSTANT_UPPER_LIMIT_GAP_MIN,
        HB_OT_MATH_CONSTANT_UPPER_LIMIT_BASELINE_RISE_MIN,
        HB_OT_MATH_CONSTANT_LOWER_LIMIT_GAP_MIN,
        HB_OT_MATH_CONSTANT_LOWER_LIMIT_BASELINE_DROP_MIN,
    };
    const face_rec *r = &f->faces[face];
    hb_position_t v = hb_ot_math_get_constant(r->hb_font, hb[which]);
    if (which <= CB_MATH_SCRIPT_SCRIPT_SCALE)
        return v / 100.0;
    return v / (double)r->upem;
}

static int fonts_math_glyph(cb_fonts *f, int face, unsigned long cp,
                        const char *text, float size_pt, float min_height_pt,
                        cb_math_glyph *out)
{
    face_rec *r = &f->faces[face];
    hb_codepoint_t gid;
    if (!hb_font_get_nominal_glyph(r->hb_font, (hb_codepoint_t)cp, &gid))
        return -1;
    double scale = size_pt / (double)r->upem;
    hb_glyph_extents_t ext;
    if (min_height_pt > 0) {
        /* the variants, smallest first; the largest when none is tall
         * enough (no assembly from parts: inline formulas are short) */
        hb_ot_math_glyph_variant_t v[16];
        unsigned n = 16;
        hb_ot_math_get_glyph_variants(r->hb_font, gid, HB_DIRECTION_BTT, 0,
                                      &n, v);
        for (unsigned i = 0; i < n; i++) {
            gid = v[i].glyph;
            if (v[i].advance * scale >= min_height_pt)
                break;
        }
    }
    if (!hb_font_get_glyph_extents(r->hb_font, gid, &ext))
        memset(&ext, 0, sizeof ext);
    unsigned code = code_intern(f, r, gid, text, strlen(text));
    if (!code)
        return -1;
    out->glyph.cid = code;
    out->glyph.advance =
        (float)(hb_font_get_glyph_h_advance(r->hb_font, gid) * scale);
    out->glyph.dx = out->glyph.dy = 0;
    out->ascent = (float)(ext.y_bearing * scale);
    out->descent = (float)(-(ext.y_bearing + ext.height) * scale);
    out->italic = (float)(hb_ot_math_get_glyph_italics_correction(
                              r->hb_font, gid) * scale);
    out->accent_x = (float)(hb_ot_math_get_glyph_top_accent_attachment(
                                r->hb_font, gid) * scale);
    return 0;
}

int cb_fonts_math_glyph(cb_fonts *f, int face, unsigned long cp,
                        const char *text, float size_pt, float min_height_pt,
                        cb_math_glyph *out)
{
    lock(f);
    int v = fonts_math_glyph(f, face, cp, text, size_pt, min_height_pt, out);
    unlock(f);
    return v;
}

int cb_fonts_code_width(const cb_fonts *f, int face, unsigned cid)
{
    return f->faces[face].codes[cid].width;
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

/* A (3,1) format 4 cmap mapping codes 1..n to gids[1..n]: one segment over
 * the whole range through glyphIdArray, plus the required 0xFFFF end. */
static hb_blob_t *make_cmap(const unsigned *gids, unsigned n)
{
    size_t sub_len = 16 + 2 * 8 + 2 * (size_t)n;
    size_t len = 12 + sub_len;
    unsigned char *t = cb_xcalloc(1, len);
    put16(t + 2, 1);            /* numTables */
    put16(t + 4, 3);            /* platform: Windows */
    put16(t + 6, 1);            /* encoding: Unicode BMP */
    t[10] = 0, t[11] = 12;      /* offset of the subtable (32 bits) */
    unsigned char *s = t + 12;
    put16(s, 4);
    put16(s + 2, (unsigned)sub_len);
    put16(s + 6, 4);            /* segCountX2 */
    put16(s + 8, 4);            /* searchRange */
    put16(s + 10, 1);           /* entrySelector */
    put16(s + 12, 0);           /* rangeShift */
    put16(s + 14, n);           /* endCode[0] */
    put16(s + 16, 0xFFFF);      /* endCode[1] */
    put16(s + 20, 1);           /* startCode[0] */
    put16(s + 22, 0xFFFF);      /* startCode[1] */
    put16(s + 24, 0);           /* idDelta[0] */
    put16(s + 26, 1);           /* idDelta[1]: 0xFFFF -> glyph 0 */
    put16(s + 28, 4);           /* idRangeOffset[0]: to glyphIdArray */
    put16(s + 30, 0);           /* idRangeOffset[1] */
    for (unsigned c = 1; c <= n; c++)
        put16(s + 32 + 2 * (c - 1), gids[c]);
    return hb_blob_create((const char *)t, (unsigned)len,
                          HB_MEMORY_MODE_WRITABLE, t, free);
}

/* Copies every table of `sub` into a new font, with `cmap` replaced. A
 * subset is a builder face, whose tables HarfBuzz 6.0 cannot list: it is
 * serialized and read back first. */
static hb_blob_t *rebuild_with_cmap(hb_face_t *sub, hb_blob_t *cmap)
{
    hb_blob_t *bytes = hb_face_reference_blob(sub);
    hb_face_t *face = hb_face_create(bytes, 0);
    hb_blob_destroy(bytes);
    hb_face_t *builder = hb_face_builder_create();
    hb_tag_t tags[64];
    unsigned count = 64;
    hb_face_get_table_tags(face, 0, &count, tags);
    for (unsigned i = 0; i < count; i++) {
        if (tags[i] == HB_TAG('c', 'm', 'a', 'p'))
            continue;
        hb_blob_t *tb = hb_face_reference_table(face, tags[i]);
        hb_face_builder_add_table(builder, tags[i], tb);
        hb_blob_destroy(tb);
    }
    hb_face_builder_add_table(builder, HB_TAG('c', 'm', 'a', 'p'), cmap);
    hb_blob_t *out = hb_face_reference_blob(builder);
    hb_face_destroy(builder);
    hb_face_destroy(face);
    return out;
}

/* Subsets one face to the glyphs of the codes a writer drew (cids, in the
 * order it numbered them: its code k + 1 is our cids[k]) and gives every
 * glyph of the subset a code: libharu 2.3.0 embeds only glyphs it has seen
 * drawn and resolves one level of composite parts, so parts need codes
 * too. The face is only read. */
int cb_fonts_subset(const cb_fonts *f, int face, const unsigned *cids,
                    unsigned n, cb_font_subset *out)
{
    const face_rec *r = &f->faces[face];
    memset(out, 0, sizeof *out);
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) {
        cb_diag_error(f->diag, NULL, "font %s: subsetting failed", r->name);
        return -1;
    }
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    int notdef = 0;
    for (unsigned k = 0; k < n; k++) {
        hb_set_add(glyphs, r->codes[cids[k]].gid);
        notdef |= r->codes[cids[k]].gid == 0;
    }
    /* a character no font has is drawn with .notdef, whose outline (a box)
     * hb-subset drops unless asked: the reader must see something there */
    if (notdef)
        hb_subset_input_set_flags(in, hb_subset_input_get_flags(in) |
                                          HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(r->hb_face, in);
    hb_subset_input_destroy(in);
    hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
    if (!sub) {
        hb_subset_plan_destroy(plan);
        cb_diag_error(f->diag, NULL, "font %s: subsetting failed", r->name);
        return -1;
    }
    const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    unsigned n_glyphs = hb_face_get_glyph_count(sub);
    unsigned *gids = cb_xcalloc(n + n_glyphs + 1, sizeof *gids);
    char *seen = cb_xcalloc(n_glyphs + 1, 1);
    const char **text = cb_xcalloc(n + n_glyphs + 1, sizeof *text);
    for (unsigned c = 1; c <= n; c++) {
        const code_entry *e = &r->codes[cids[c - 1]];
        gids[c] = hb_map_get(old_to_new, e->gid);
        if (gids[c] == HB_MAP_VALUE_INVALID)
            gids[c] = 0;
        seen[gids[c]] = 1;
        text[c] = e->text;
    }
    for (unsigned g = 1; g < n_glyphs; g++)
        if (!seen[g])
            gids[++n] = g;
    hb_blob_t *cmap = make_cmap(gids, n);
    hb_blob_t *file = rebuild_with_cmap(sub, cmap);
    hb_blob_destroy(cmap);
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    free(gids);
    free(seen);
    unsigned len;
    const char *data = hb_blob_get_data(file, &len);
    unsigned char *copy = cb_xmalloc(len ? len : 1);
    memcpy(copy, data, len);
    hb_blob_destroy(file);
    out->name = r->name;
    out->data = copy;
    out->len = len;
    out->n_codes = n;
    out->code_text = text;
    out->cap_height = (int)(r->cap_height * 1000 + 0.5);
    return 0;
}

void cb_font_subset_free(cb_font_subset *s)
{
    free((void *)s->data);
    free((void *)s->code_text);
    memset(s, 0, sizeof *s);
}

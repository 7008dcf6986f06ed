/* pdf.c - the PDF writer: the display list through libharu 2.3.0.
 *
 * libharu 2.3.0 has no kerning, no glyph-id drawing and a malformed
 * ToUnicode map; each work-around below names the limit it answers and uses
 * libharu's own lower layer (hpdf_objects.h, hpdf_pages.h), never a copy
 * of its code. */
#include "cb_pdf.h"
#include "pdf_tags.h"

#include <errno.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cb_unicode.h"

/* The largest font size libharu 2.3.0 sets (HPDF_MAX_FONTSIZE). */
#define PDF_MAX_FONT_SIZE 600.0

typedef struct {
    HPDF_STATUS status, detail;
} pdf_error;

typedef struct {
    HPDF_Doc pdf;
    const cb_fonts *fonts;
    HPDF_Font *hfonts;     /* per face; NULL when unused */
    HPDF_Image *himages;   /* per image of the list */
    HPDF_Page *pages;
    pdf_error err;
    int rc;                /* exit code of a failure other than libharu's */
    cb_buf ops;            /* raw content operators for the current page */
    /* text state written so far in the current BT block */
    int cur_face;
    float cur_size;
    double tm_scale;  /* the text matrix's scale for the current size */
    unsigned cur_color;
    /* where the last run left the pen, by the PDF's own widths: the next
     * run on the same baseline moves on from there (see glyph_ops) */
    int pen_valid;
    double pen_x, pen_y, pen_scale;
    pdf_tags *tags;        /* the structure tree (pdf_tags.c) */
    cb_buf tag_ops;        /* its marked-content operators for an item */
    int in_text;           /* inside BT ... ET */
    /* the fonts and images the content drawn since the last
     * add_resources used */
    unsigned char *used_faces, *used_images;
    int *orientation;      /* of each image (cb_image.orientation) */
    int n_faces, n_images;
    float trim, bleed;     /* print geometry: see cb_dlist_set_trim */
    cb_pdfa pdfa;          /* the conformance asked for */
    unsigned text_color;   /* what black is drawn in */
} writer;

static void on_error(HPDF_STATUS status, HPDF_STATUS detail, void *data)
{
    pdf_error *e = data;
    if (!e->status) {
        e->status = status;
        e->detail = detail;
    }
}

/* ToUnicode: one bfchar entry per code with the UTF-16BE of its text.
 * Replaces libharu 2.3.0's ToUnicode, an encoding CMap ("begincidrange")
 * that poppler rejects with a warning on every page. */
static void tounicode_cmap(cb_buf *b, const cb_font_subset *s)
{
    cb_buf_puts(b, "/CIDInit /ProcSet findresource begin\n"
                   "12 dict begin\nbegincmap\n"
                   "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                   "/Supplement 0 >> def\n"
                   "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                   "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    unsigned pending = 0;
    cb_buf chunk = {0};
    for (unsigned c = 1; c <= s->n_codes; c++) {
        const char *t = s->code_text[c];
        if (!t || !*t)
            continue;
        cb_buf_printf(&chunk, "<%04X> <", c);
        pdf_utf16_hex(&chunk, t);
        cb_buf_puts(&chunk, ">\n");
        /* a bfchar block holds at most 100 entries */
        if (++pending == 100) {
            cb_buf_printf(b, "100 beginbfchar\n%sendbfchar\n", chunk.data);
            pending = 0;
            chunk.len = 0;
        }
    }
    if (pending)
        cb_buf_printf(b, "%u beginbfchar\n%sendbfchar\n", pending, chunk.data);
    cb_buf_free(&chunk);
    cb_buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
                   "end\nend\n");
}

static int replace_tounicode(writer *w, HPDF_Font font,
                             const cb_font_subset *s)
{
    HPDF_Doc pdf = w->pdf;
    HPDF_Dict cmap = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!cmap)
        return -1;
    cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    cb_buf b = {0};
    tounicode_cmap(&b, s);
    HPDF_STATUS st = HPDF_Stream_Write(cmap->stream, (HPDF_BYTE *)b.data,
                                       (HPDF_UINT)b.len);
    cb_buf_free(&b);
    if (st != HPDF_OK)
        return -1;
    return HPDF_Dict_Add(font, "ToUnicode", cmap) == HPDF_OK ? 0 : -1;
}

/* Completes the font's descriptor, which libharu 2.3.0 leaves short of
 * what PDF/A asks: /CapHeight (required by the PDF specification too), and
 * for PDF/A a /CIDSet, a bit for each CID the subset has (0 to n_codes,
 * most significant bit first). */
static void describe_font(writer *w, HPDF_Font font, const cb_font_subset *s)
{
    /* libharu makes the descriptor when it writes the font (its
     * before-write hook, which makes it once): make it now */
    if (font->before_write_fn && font->before_write_fn(font) != HPDF_OK)
        return;
    HPDF_Dict fd = ((HPDF_FontAttr)font->attr)->fontdef->descriptor;
    if (!fd)
        return;
    HPDF_Dict_AddNumber(fd, "CapHeight", s->cap_height);
    if (w->pdfa == CB_PDFA_NONE)
        return;
    HPDF_Dict set = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
    if (!set)
        return;
    set->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    size_t n = (size_t)s->n_codes + 1, len = (n + 7) / 8;
    HPDF_BYTE *bits = cb_xcalloc(len, 1);
    for (size_t i = 0; i < n; i++)
        bits[i / 8] |= (HPDF_BYTE)(0x80 >> (i % 8));
    HPDF_Stream_Write(set->stream, bits, (HPDF_UINT)len);
    free(bits);
    HPDF_Dict_Add(fd, "CIDSet", set);
}

/* Writes the subset to a temporary file (libharu 2.3.0 cannot load a font
 * from memory) and loads it. The file is unlinked at once: libharu keeps
 * it open until the document is freed. */
static HPDF_Font load_subset(writer *w, const cb_font_subset *s,
                             cb_diag *diag)
{
    const char *dir = getenv("TMPDIR");
    dir = dir && *dir ? dir : "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/contribook-font-XXXXXX", dir);
    int slot;
    int fd = cb_output_mkstemp(path, &slot);
    if (fd < 0) {
        cb_diag_error(diag, dir, "cannot create a temporary font file "
                      "there: %s", strerror(errno));
        w->rc = CB_EXIT_IO;
        return NULL;
    }
    FILE *fp = fdopen(fd, "wb");
    int ok = fp && fwrite(s->data, 1, s->len, fp) == s->len;
    ok = (fp ? fclose(fp) == 0 : close(fd) == 0) && ok;
    if (!ok) {
        cb_diag_error(diag, dir, "cannot write a temporary font file there: "
                      "%s", strerror(errno));
        unlink(path);
        cb_output_forget(slot);
        w->rc = CB_EXIT_IO;
        return NULL;
    }
    const char *name = HPDF_LoadTTFontFromFile(w->pdf, path, HPDF_TRUE);
    unlink(path);
    cb_output_forget(slot);
    HPDF_Font font = name ? HPDF_GetFont(w->pdf, name, "UTF-8") : NULL;
    if (!font) {
        cb_diag_error(diag, NULL, "font %s: libharu could not load its "
                      "subset (error 0x%04X, detail %u)", s->name,
                      (unsigned)w->err.status, (unsigned)w->err.detail);
        return NULL;
    }
    /* libharu embeds only glyphs it has measured: measure every code */
    cb_buf all = {0};
    for (unsigned c = 1; c <= s->n_codes; c++) {
        char u[4];
        cb_buf_add(&all, u, (size_t)cb_utf8_encode(c, u));
    }
    HPDF_Font_TextWidth(font, (const HPDF_BYTE *)all.data, (HPDF_UINT)all.len);
    cb_buf_free(&all);
    if (replace_tounicode(w, font, s) < 0) {
        cb_diag_error(diag, NULL, "font %s: libharu could not add its "
                      "ToUnicode map (error 0x%04X, detail %u)", s->name,
                      (unsigned)w->err.status, (unsigned)w->err.detail);
        return NULL;
    }
    return font;
}

static int load_fonts(writer *w, cb_diag *diag)
{
    int n = w->n_faces = cb_fonts_count(w->fonts);
    w->hfonts = cb_xcalloc((size_t)n + 1, sizeof *w->hfonts);
    w->used_faces = cb_xcalloc((size_t)n + 1, 1);
    for (int i = 0; i < n; i++) {
        cb_font_subset s;
        if (!cb_fonts_subset(w->fonts, i, &s))
            continue;
        w->hfonts[i] = load_subset(w, &s, diag);
        if (!w->hfonts[i])
            return -1;
    }
    return 0;
}

/* RGB samples as device CMYK, for a print layout (its text colour is
 * CMYK): black generated in full (K = 1 - max(R, G, B)), the rest from
 * it, as a print layout's own colours are written; no colour profile. */
static unsigned char *cmyk_samples(const unsigned char *rgb, size_t px)
{
    unsigned char *out = cb_xmalloc(px * 4);
    for (size_t i = 0; i < px; i++) {
        const unsigned char *p = rgb + 3 * i;
        int m = p[0] > p[1] ? p[0] : p[1];
        m = m > p[2] ? m : p[2];
        unsigned char *q = out + 4 * i;
        for (int k = 0; k < 3; k++) /* (max - v) / max of the ink */
            q[k] = (unsigned char)(m ? (m - p[k]) * 255 / m : 0);
        q[3] = (unsigned char)(255 - m);
    }
    return out;
}

/* A PNG's decoded samples (see cb_image) as a raw image, compressed; RGB
 * in device CMYK when cmyk. */
static HPDF_Image raw_image(writer *w, const unsigned char *data, int width,
                            int height, int channels, int cmyk)
{
    unsigned char *conv = channels == 3 && cmyk
                              ? cmyk_samples(data, (size_t)width *
                                                       (size_t)height)
                              : NULL;
    HPDF_Image im = HPDF_LoadRawImageFromMem(
        w->pdf, conv ? conv : data, (HPDF_UINT)width, (HPDF_UINT)height,
        conv ? HPDF_CS_DEVICE_CMYK
             : channels == 1 ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB,
        8);
    free(conv);
    if (im)
        im->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    return im;
}

/* PDF/A-1 has no soft masks: an image's alpha becomes a stencil mask,
 * each pixel shown (at least half opaque) or not, over whatever is under
 * it. One bit a pixel, rows padded to a byte, 1 where the image shows
 * (/Decode [1 0]). Ours: libharu's 1-bit loader writes CCITT data and a
 * colour space, which a stencil must not have. */
static HPDF_Dict hard_mask(writer *w, const cb_image *im)
{
    HPDF_Dict mask = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
    HPDF_Array decode = HPDF_Array_New(w->pdf->mmgr);
    if (!mask || !decode)
        return NULL;
    mask->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Dict_AddName(mask, "Type", "XObject");
    HPDF_Dict_AddName(mask, "Subtype", "Image");
    HPDF_Dict_AddNumber(mask, "Width", im->width_px);
    HPDF_Dict_AddNumber(mask, "Height", im->height_px);
    HPDF_Dict_AddNumber(mask, "BitsPerComponent", 1);
    HPDF_Dict_AddBoolean(mask, "ImageMask", HPDF_TRUE);
    HPDF_Array_AddNumber(decode, 1);
    HPDF_Array_AddNumber(decode, 0);
    HPDF_Dict_Add(mask, "Decode", decode);
    size_t row = ((size_t)im->width_px + 7) / 8;
    HPDF_BYTE *bits = cb_xcalloc(row * (size_t)im->height_px + 1, 1);
    for (int y = 0; y < im->height_px; y++)
        for (int x = 0; x < im->width_px; x++)
            if (im->alpha[(size_t)y * (size_t)im->width_px + (size_t)x] >= 128)
                bits[(size_t)y * row + (size_t)x / 8] |=
                    (HPDF_BYTE)(0x80 >> (x % 8));
    HPDF_Stream_Write(mask->stream, bits,
                      (HPDF_UINT)(row * (size_t)im->height_px));
    free(bits);
    return mask;
}

/* Every image of the list, embedded once: a JPEG as it is (DCT), a PNG
 * from the samples cb_image decoded (libharu's own PNG loader aborts on
 * a damaged file), its transparency as a soft mask. */
static int load_images(writer *w, const cb_dlist *dl, cb_diag *diag)
{
    size_t n = cb_dlist_image_count(dl);
    w->himages = cb_xcalloc(n + 1, sizeof *w->himages);
    w->used_images = cb_xcalloc(n + 1, 1);
    w->orientation = cb_xcalloc(n + 1, sizeof *w->orientation);
    w->n_images = (int)n;
    for (size_t i = 0; i < n; i++) {
        const char *name;
        const cb_image *im = cb_dlist_image(dl, (int)i, &name);
        HPDF_Image h;
        if (im->type == CB_IMAGE_JPEG) {
            h = HPDF_LoadJpegImageFromMem(w->pdf, im->data, (HPDF_UINT)im->len);
        } else {
            h = raw_image(w, im->data, im->width_px, im->height_px,
                          im->channels, (w->text_color & CB_CMYK) != 0);
            if (h && im->alpha && w->pdfa != CB_PDFA_NONE) {
                HPDF_Dict mask = hard_mask(w, im);
                if (!mask || HPDF_Dict_Add(h, "Mask", mask) != HPDF_OK)
                    h = NULL;
            } else if (h && im->alpha) {
                HPDF_Image mask = raw_image(w, im->alpha, im->width_px,
                                            im->height_px, 1, 0);
                if (!mask || HPDF_Image_AddSMask(h, mask) != HPDF_OK)
                    h = NULL;
            }
        }
        if (!h) {
            cb_diag_error(diag, name, "cannot embed this image: libharu "
                          "refused it (error 0x%04X, detail %u)",
                          (unsigned)w->err.status, (unsigned)w->err.detail);
            w->rc = CB_EXIT_LAYOUT;
            return -1;
        }
        w->himages[i] = h;
        w->orientation[i] = im->orientation;
    }
    return 0;
}

static void write_ops(HPDF_Page page, const cb_buf *b)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)b->data,
                      (HPDF_UINT)b->len);
}

/* Four upper-case hex digits: the two-byte code of a glyph. */
static void put_hex4(cb_buf *b, unsigned v)
{
    static const char digits[] = "0123456789ABCDEF";
    char s[4] = {digits[(v >> 12) & 15], digits[(v >> 8) & 15],
                 digits[(v >> 4) & 15], digits[v & 15]};
    cb_buf_add(b, s, 4);
}

static void put_tm(cb_buf *b, double scale, double x, double y)
{
    if (scale == 1) {
        cb_buf_puts(b, "1 0 0 1 ");
    } else {
        cb_buf_num(b, scale, 3);
        cb_buf_puts(b, " 0 0 ");
        cb_buf_num(b, scale, 3);
        cb_buf_putc(b, ' ');
    }
    cb_buf_num(b, x, 3);
    cb_buf_putc(b, ' ');
    cb_buf_num(b, y, 3);
    cb_buf_puts(b, " Tm\n");
}

/* Draws a glyph run as TJ arrays: libharu 2.3.0 has no kerning and draws
 * only through its own widths, so each glyph's code is written directly
 * (two-byte hex, Identity-H) and a TJ adjustment after it moves the pen
 * from libharu's truncated width to HarfBuzz's advance. The error is kept
 * cumulative, so a long line ends exactly where the layout measured it. */
/* Every glyph placed by TJ adjustments from where the PDF's own widths
 * leave the pen (kerning, the offsets of marks, and the start of a run
 * that goes on along the baseline of the one before); a text matrix only
 * where a line starts; a mark raised or lowered is drawn with a text rise
 * (Ts). pdf.js compares each glyph with where the one before it ended, by
 * its own reckoning, and it does not move its pen past a glyph whose text
 * holds a nonspacing mark (a Devanagari conjunct, whose text holds a
 * virama): a glyph placed absolutely after one looks to it like a gap,
 * which it fills with a space ("शर्मा ,"). */
static void glyph_ops(writer *w, cb_buf *b, const cb_item *it)
{
    double size = it->size, pen = it->x, rise = 0;
    double actual; /* where the PDF's pen is */
    int open = 0;  /* inside "[<" */
    if (w->pen_valid && w->pen_y == it->y && w->pen_scale == w->tm_scale) {
        actual = w->pen_x;
    } else {
        actual = pen;
        put_tm(b, w->tm_scale, pen, it->y);
    }
    cb_buf_puts(b, "[");
    for (size_t i = 0; i < it->n_glyphs; i++) {
        const cb_glyph *g = &it->glyphs[i];
        if (g->dy != rise) {
            cb_buf_puts(b, open ? ">] TJ\n" : "] TJ\n");
            cb_buf_num(b, g->dy / w->tm_scale, 3);
            cb_buf_puts(b, " Ts\n[");
            rise = g->dy;
            open = 0;
        }
        double adj = round((actual - (pen + g->dx)) * 1000.0 / size * 10.0) /
                     10.0;
        if (adj != 0) {
            cb_buf_puts(b, open ? "> " : "");
            cb_buf_num(b, adj, 1);
            cb_buf_putc(b, ' ');
            actual -= adj * size / 1000.0;
            open = 0;
        }
        if (!open)
            cb_buf_putc(b, '<');
        put_hex4(b, g->cid);
        open = 1;
        actual += cb_fonts_code_width(w->fonts, it->face, g->cid) * size /
                  1000.0;
        pen += g->advance;
    }
    cb_buf_puts(b, open ? ">] TJ\n" : "] TJ\n");
    if (rise != 0)
        cb_buf_puts(b, "0 Ts\n");
    w->pen_valid = 1;
    w->pen_x = actual;
    w->pen_y = it->y;
    w->pen_scale = w->tm_scale;
}

static void text_ops(writer *w, cb_buf *b, const cb_item *it)
{
    /* glyphs that stand for other text than their own (a conjunct, a
     * reordered vowel) carry it as marked content, which extractors use */
    if (it->actual) {
        cb_buf_puts(b, "/Span <</ActualText ");
        pdf_text_string(b, it->actual);
        cb_buf_puts(b, ">> BDC\n");
    }
    glyph_ops(w, b, it);
    if (it->actual)
        cb_buf_puts(b, "EMC\n");
}

/* The four inks of a CB_CMYK colour, 0 to 1. */
static void inks(unsigned c, float k[4])
{
    for (int i = 0; i < 4; i++)
        k[i] = (float)((c >> (21 - 7 * i)) & 127) / 100.0f;
}

/* Appends numbers to b, each followed by a space. */
static void put_nums(cb_buf *b, const float *v, int n, int decimals)
{
    for (int i = 0; i < n; i++) {
        cb_buf_num(b, v[i], decimals);
        cb_buf_putc(b, ' ');
    }
}

static void set_color(writer *w, unsigned c, int stroke)
{
    if (c == 0)
        c = w->text_color;
    float v[4];
    if (c & CB_CMYK) {
        inks(c, v);
        put_nums(&w->ops, v, 4, 2);
        cb_buf_puts(&w->ops, stroke ? "K\n" : "k\n");
        return;
    }
    for (int i = 0; i < 3; i++)
        v[i] = (float)((c >> (16 - 8 * i)) & 255) / 255.0f;
    put_nums(&w->ops, v, 3, 4);
    cb_buf_puts(&w->ops, stroke ? "RG\n" : "rg\n");
}

static void end_text(writer *w)
{
    if (w->in_text)
        cb_buf_puts(&w->ops, "ET\n");
    w->in_text = 0;
    w->cur_face = -2;
    w->pen_valid = 0;
}

static void draw_text(writer *w, const cb_item *it)
{
    if (it->face < 0 || !w->hfonts[it->face] || it->n_glyphs == 0)
        return;
    if (!w->in_text) {
        cb_buf_puts(&w->ops, "BT\n");
        w->in_text = 1;
        w->pen_valid = 0;
        w->cur_face = -1;
        w->cur_color = 0xFFFFFFFF;
    }
    if (it->color != w->cur_color) {
        set_color(w, it->color, 0);
        w->cur_color = it->color;
    }
    if (it->face != w->cur_face || it->size != w->cur_size) {
        /* libharu refuses sizes past HPDF_MAX_FONTSIZE (600pt), which a
         * layout for a poster may ask for, and viewers follow it: a
         * smaller size in a text matrix scaled up draws the same glyphs
         * (TJ adjustments scale with it) */
        w->tm_scale = it->size > PDF_MAX_FONT_SIZE
                          ? ceil(it->size / PDF_MAX_FONT_SIZE)
                          : 1;
        cb_buf_printf(&w->ops, "/F%d ", it->face);
        cb_buf_num(&w->ops, it->size / w->tm_scale, 3);
        cb_buf_puts(&w->ops, " Tf\n");
        w->used_faces[it->face] = 1;
        w->cur_face = it->face;
        w->cur_size = it->size;
    }
    text_ops(w, &w->ops, it);
}

/* The matrix that maps an image (the unit square, its first row at the
 * top) onto the box at x, y of w by h as its EXIF orientation (1-8) says
 * it is seen: turned, mirrored or both. */
static void image_matrix(int orientation, float x, float y, float w, float h,
                         float m[6])
{
    const float t[9][6] = {
        {w, 0, 0, h, x, y},          /* 0: as 1 */
        {w, 0, 0, h, x, y},          /* 1: as stored */
        {-w, 0, 0, h, x + w, y},     /* 2: mirrored left to right */
        {-w, 0, 0, -h, x + w, y + h}, /* 3: turned half round */
        {w, 0, 0, -h, x, y + h},     /* 4: mirrored top to bottom */
        {0, -h, -w, 0, x + w, y + h}, /* 5: first row on the left, first
                                         column at the top */
        {0, -h, w, 0, x, y + h},     /* 6: first row on the right */
        {0, h, w, 0, x, y},          /* 7: first row on the right, first
                                        column at the bottom */
        {0, h, -w, 0, x + w, y},     /* 8: first row on the left */
    };
    memcpy(m, t[orientation >= 1 && orientation <= 8 ? orientation : 0],
           6 * sizeof *m);
}

/* Draws an item into w->ops, in operators of our own: a page and a form
 * (an imposed page) are drawn alike, with the resources named /F<face>
 * and /Im<image> (see add_resources). */
static void draw_item(writer *w, const cb_item *it)
{
    if (it->kind == CB_ITEM_TEXT) {
        draw_text(w, it);
        return;
    }
    if (it->kind == CB_ITEM_BLOCK || it->kind == CB_ITEM_SPAN)
        return; /* structure: pdf_tags.c */
    end_text(w);
    cb_buf *b = &w->ops;
    switch (it->kind) {
    case CB_ITEM_LINE: {
        float v[5] = {it->width, it->x, it->y, it->x2, it->y2};
        set_color(w, it->color, 1);
        put_nums(b, v, 1, 3);
        cb_buf_puts(b, "w ");
        put_nums(b, v + 1, 2, 3);
        cb_buf_puts(b, "m ");
        put_nums(b, v + 3, 2, 3);
        cb_buf_puts(b, "l S\n");
        break;
    }
    case CB_ITEM_RECT: {
        float v[4] = {it->x, it->y, it->x2 - it->x, it->y2 - it->y};
        set_color(w, it->color, 0);
        put_nums(b, v, 4, 3);
        cb_buf_puts(b, "re f\n");
        break;
    }
    case CB_ITEM_IMAGE: {
        float v[6];
        image_matrix(w->orientation[it->block], it->x, it->y, it->x2 - it->x,
                     it->y2 - it->y, v);
        cb_buf_puts(b, "q ");
        put_nums(b, v, 6, 3);
        cb_buf_printf(b, "cm /Im%d Do Q\n", it->block);
        w->used_images[it->block] = 1;
        break;
    }
    default:
        break; /* links are added once every page exists */
    }
}

/* Adds to res, under key, a dictionary naming prefix<i> each objs[i]
 * that used marks (and clears the marks); none when nothing was used. */
static void add_named(writer *w, HPDF_Dict res, const char *key,
                      const char *prefix, unsigned char *used,
                      const HPDF_Dict *objs, int n)
{
    HPDF_Dict names = NULL;
    for (int i = 0; i < n; i++) {
        if (!used[i])
            continue;
        char name[16];
        snprintf(name, sizeof name, "%s%d", prefix, i);
        if (!names && (names = HPDF_Dict_New(w->pdf->mmgr)))
            HPDF_Dict_Add(res, key, names);
        if (names)
            HPDF_Dict_Add(names, name, objs[i]);
        used[i] = 0;
    }
}

/* Adds to dict (a page's or a form's) the resources its content used
 * since the last call: fonts and images, named as draw_item names them. */
static void add_resources(writer *w, HPDF_Dict res)
{
    add_named(w, res, "Font", "F", w->used_faces, w->hfonts, w->n_faces);
    add_named(w, res, "XObject", "Im", w->used_images, w->himages,
              w->n_images);
}

/* URIs in a PDF are 7-bit: percent-encode the rest. */
static void uri_ascii(cb_buf *b, const char *uri)
{
    for (const unsigned char *p = (const unsigned char *)uri; *p; p++) {
        if (*p > 0x20 && *p < 0x7F)
            cb_buf_putc(b, (char)*p);
        else
            cb_buf_printf(b, "%%%02X", *p);
    }
}

/* A destination: the page at `top`, keeping the reader's zoom ([page
 * /XYZ 0 top null]). libharu 2.3.0 cannot express "keep the zoom" (its
 * zoom must be 0.08-32) and makes every destination an object of its
 * own, which PDF/A refuses in an outline: this one is a direct array. */
static HPDF_Array dest_xyz(writer *w, HPDF_Page page, float top)
{
    HPDF_Array d = HPDF_Array_New(w->pdf->mmgr);
    if (!d)
        return NULL;
    HPDF_Array_Add(d, page);
    HPDF_Array_AddName(d, "XYZ");
    HPDF_Array_AddReal(d, 0);
    HPDF_Array_AddReal(d, top);
    HPDF_Array_Add(d, HPDF_Null_New(w->pdf->mmgr));
    return d;
}

/* A link annotation over r on page, without a border, printed with the
 * page (/F 4, which PDF/A asks of every annotation; libharu 2.3.0 sets
 * no flags), and listed in the page's /Annots. Its target is added by
 * the caller. */
static HPDF_Dict link_annot(writer *w, HPDF_Page page, const float r[4])
{
    HPDF_MMgr mmgr = w->pdf->mmgr;
    HPDF_Dict a = HPDF_Dict_New(mmgr);
    HPDF_Array rect = HPDF_Array_New(mmgr), border = HPDF_Array_New(mmgr);
    if (!a || !rect || !border || HPDF_Xref_Add(w->pdf->xref, a) != HPDF_OK)
        return NULL;
    HPDF_Array annots = HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY);
    if (!annots && (annots = HPDF_Array_New(mmgr)))
        HPDF_Dict_Add(page, "Annots", annots);
    if (!annots)
        return NULL;
    HPDF_Array_Add(annots, a);
    HPDF_Dict_AddName(a, "Type", "Annot");
    HPDF_Dict_AddName(a, "Subtype", "Link");
    for (int i = 0; i < 4; i++)
        HPDF_Array_AddReal(rect, r[i]);
    HPDF_Dict_Add(a, "Rect", rect);
    for (int i = 0; i < 3; i++)
        HPDF_Array_AddNumber(border, 0);
    HPDF_Dict_Add(a, "Border", border);
    HPDF_Dict_AddNumber(a, "F", 4);
    return a;
}

/* A bookmark title or document information value holds at most this many
 * bytes of its text (cut at a character, then an ellipsis): libharu 2.3.0
 * refuses strings past 65,535 bytes (HPDF_LIMIT_MAX_STRING_LEN), which a
 * UTF-16 copy of a 32 KB title would reach, and no viewer shows a bookmark
 * a page long. */
#define PDF_TEXT_MAX_BYTES 2000

/* s in buf as one line (line ends and separators as spaces), cut after
 * PDF_TEXT_MAX_BYTES bytes with an ellipsis. */
static const char *pdf_text(const char *s, char buf[PDF_TEXT_MAX_BYTES + 4])
{
    size_t n = strlen(s);
    int cut = n > PDF_TEXT_MAX_BYTES;
    if (cut) {
        n = cb_utf8_cut(s, PDF_TEXT_MAX_BYTES);
    }
    memcpy(buf, s, n);
    n = cb_unicode_one_line(buf, n);
    if (cut)
        memcpy(buf + n, "\u2026", 4); /* three bytes and the NUL */
    else
        buf[n] = '\0';
    return buf;
}

static void add_links(writer *w, const cb_page *p, int index)
{
    HPDF_Page page = w->pages[index];
    size_t n;
    const cb_item *items = cb_page_items(p, &n);
    for (size_t i = 0; i < n; i++) {
        const cb_item *it = &items[i];
        float m = w->trim;
        float r[4] = {it->x + m, it->y + m, it->x2 + m, it->y2 + m};
        HPDF_Dict a = NULL;
        if (it->kind == CB_ITEM_LINK_URI && (a = link_annot(w, page, r))) {
            cb_buf u = {0};
            uri_ascii(&u, it->text);
            HPDF_Dict act = HPDF_Dict_New(w->pdf->mmgr);
            if (act) {
                HPDF_Dict_AddName(act, "S", "URI");
                HPDF_Dict_Add(act, "URI",
                              HPDF_String_New(w->pdf->mmgr, u.data, NULL));
                HPDF_Dict_Add(a, "A", act);
            }
            cb_buf_free(&u);
        } else if (it->kind == CB_ITEM_LINK_PAGE &&
                   (a = link_annot(w, page, r))) {
            HPDF_Dict_Add(a, "Dest", dest_xyz(w, w->pages[it->target_page],
                                              it->target_y + m));
        }
        if (a) {
            /* what it does, for a screen reader (PDF/UA) */
            char buf[PDF_TEXT_MAX_BYTES + 4], page_no[32];
            snprintf(page_no, sizeof page_no, "Page %d", it->target_page + 1);
            /* ASCII (the URI as written in the annotation), so a plain
             * string: a UTF-16 one doubles its size, 2,754 times in a book */
            cb_buf u = {0};
            if (it->kind == CB_ITEM_LINK_URI)
                uri_ascii(&u, pdf_text(it->text, buf));
            HPDF_Dict_Add(a, "Contents",
                          HPDF_String_New(w->pdf->mmgr,
                                          u.data ? u.data : page_no, NULL));
            cb_buf_free(&u);
        }
        if (it->kind == CB_ITEM_LINK_URI || it->kind == CB_ITEM_LINK_PAGE)
            pdf_tags_annot(w->tags, index, a);
    }
}

/* s as a PDF text string: UTF-16BE with its byte order mark, written in
 * hexadecimal. libharu 2.3.0's UTF-8 encoder turns every character past
 * U+FFFF into a space, so a bookmark or the Info dictionary lost them
 * (and no longer matched the XMP, which PDF/A refuses). */
static HPDF_Binary text_string(writer *w, const char *s)
{
    cb_buf hex = {0}, b = {0};
    cb_buf_puts(&hex, "FEFF");
    pdf_utf16_hex(&hex, s); /* the one UTF-16 writer (pdf_tags.c) */
    for (size_t i = 0; i + 1 < hex.len; i += 2) {
        char byte = (char)strtol((char[3]){hex.data[i], hex.data[i + 1], 0},
                                 NULL, 16);
        cb_buf_add(&b, &byte, 1);
    }
    HPDF_Binary bin = HPDF_Binary_New(w->pdf->mmgr, (HPDF_BYTE *)b.data,
                                      (HPDF_UINT)b.len);
    cb_buf_free(&hex);
    cb_buf_free(&b);
    return bin;
}

static void add_outlines(writer *w, const cb_dlist *dl)
{
    size_t n;
    const cb_outline *o = cb_dlist_outlines(dl, &n);
    HPDF_Outline parents[8] = {NULL};
    HPDF_Encoder utf8 = HPDF_GetEncoder(w->pdf, "UTF-8");
    char buf[PDF_TEXT_MAX_BYTES + 4];
    for (size_t i = 0; i < n; i++) {
        int level = o[i].level < 0 ? 0 : o[i].level > 7 ? 7 : o[i].level;
        while (level > 0 && !parents[level - 1])
            level--;
        HPDF_Outline ol = HPDF_CreateOutline(
            w->pdf, level ? parents[level - 1] : NULL, pdf_text(o[i].title, buf),
            utf8);
        if (!ol)
            return;
        HPDF_Dict_Add(ol, "Title", text_string(w, buf)); /* past U+FFFF */
        HPDF_Outline_SetOpened(ol, level == 0 ? HPDF_TRUE : HPDF_FALSE);
        HPDF_Array d = dest_xyz(w, w->pages[o[i].page], o[i].y + w->trim);
        if (d)
            HPDF_Dict_Add(ol, "Dest", d);
        parents[level] = ol;
        for (int k = level + 1; k < 8; k++)
            parents[k] = NULL;
    }
}

/* A PDF date string of the list's date, or NULL without one. */
static const char *pdf_date(const cb_dlist *dl, char buf[40])
{
    long long epoch = cb_dlist_date(dl);
    if (epoch < 0)
        return NULL;
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 40, "D:%Y%m%d%H%M%S+00'00'", &tm);
    return buf;
}

static void set_info(writer *w, const cb_dlist *dl)
{
    static const struct {
        const char *key;
        HPDF_InfoType type;
    } keys[] = {{"Title", HPDF_INFO_TITLE},
                {"Author", HPDF_INFO_AUTHOR},
                {"Subject", HPDF_INFO_SUBJECT},
                {"Keywords", HPDF_INFO_KEYWORDS},
                {"Creator", HPDF_INFO_CREATOR},
                {"Producer", HPDF_INFO_PRODUCER}};
    char buf[PDF_TEXT_MAX_BYTES + 4];
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *v = cb_dlist_info(dl, keys[i].key);
        if (v) { /* made by libharu, the text ours (see text_string) */
            HPDF_SetInfoAttr(w->pdf, keys[i].type, pdf_text(v, buf));
            if (w->pdf->info)
                HPDF_Dict_Add(w->pdf->info, keys[i].key,
                              text_string(w, buf));
        }
    }
    /* libharu 2.3.0 writes a UTC date as "Z00'00'", which PDF/A
     * validators do not read as the XMP's "Z": the dates are ours */
    char date[40];
    const char *d = pdf_date(dl, date);
    if (d && w->pdf->info) {
        HPDF_Dict_Add(w->pdf->info, "CreationDate",
                      HPDF_String_New(w->pdf->mmgr, d, NULL));
        HPDF_Dict_Add(w->pdf->info, "ModDate",
                      HPDF_String_New(w->pdf->mmgr, d, NULL));
    }
}

/* Appends s to b with XML's special characters escaped. */
static void xml_text(cb_buf *b, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': cb_buf_puts(b, "&amp;"); break;
        case '<': cb_buf_puts(b, "&lt;"); break;
        case '>': cb_buf_puts(b, "&gt;"); break;
        case '"': cb_buf_puts(b, "&quot;"); break;
        default: cb_buf_putc(b, *s);
        }
}

/* One XMP property: <name>value</name>, a language alternative (alt),
 * an ordered list (seq) or a set (bag) of the one value. */
static void xmp_prop(cb_buf *b, const char *name, const char *value,
                     const char *kind)
{
    if (!value)
        return;
    char buf[PDF_TEXT_MAX_BYTES + 4];
    cb_buf_printf(b, "   <%s>", name);
    if (!strcmp(kind, "alt"))
        cb_buf_puts(b, "<rdf:Alt><rdf:li xml:lang=\"x-default\">");
    else if (*kind)
        cb_buf_printf(b, "<rdf:%s><rdf:li>", !strcmp(kind, "seq") ? "Seq"
                                                                  : "Bag");
    xml_text(b, pdf_text(value, buf)); /* as the Info dictionary has it */
    if (!strcmp(kind, "alt"))
        cb_buf_puts(b, "</rdf:li></rdf:Alt>");
    else if (*kind)
        cb_buf_printf(b, "</rdf:li></rdf:%s>", !strcmp(kind, "seq") ? "Seq"
                                                                    : "Bag");
    cb_buf_printf(b, "</%s>\n", name);
}

/* The XMP metadata stream (ISO 16684), the Info dictionary's entries as
 * XMP properties (which PDF/A requires to agree), and the event's web
 * page as dc:source. Uncompressed, as PDF/A asks, for any reader. */
static void add_metadata(writer *w, const cb_dlist *dl)
{
    cb_buf b = {0};
    cb_buf_puts(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" "
                    "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                    " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/"
                    "22-rdf-syntax-ns#\">\n"
                    "  <rdf:Description rdf:about=\"\" "
                    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                    "   <dc:format>application/pdf</dc:format>\n");
    xmp_prop(&b, "dc:title", cb_dlist_info(dl, "Title"), "alt");
    xmp_prop(&b, "dc:creator", cb_dlist_info(dl, "Author"), "seq");
    xmp_prop(&b, "dc:description", cb_dlist_info(dl, "Subject"), "alt");
    xmp_prop(&b, "dc:subject", cb_dlist_info(dl, "Keywords"), "bag");
    xmp_prop(&b, "dc:source", cb_dlist_info(dl, "Source"), "");
    xmp_prop(&b, "dc:language", cb_dlist_info(dl, "Lang"), "bag");
    cb_buf_puts(&b, "  </rdf:Description>\n"
                    "  <rdf:Description rdf:about=\"\" "
                    "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
    long long epoch = cb_dlist_date(dl);
    if (epoch >= 0) {
        time_t t = (time_t)epoch;
        struct tm tm;
        char date[40];
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
        xmp_prop(&b, "xmp:CreateDate", date, "");
        xmp_prop(&b, "xmp:ModifyDate", date, "");
        xmp_prop(&b, "xmp:MetadataDate", date, "");
    }
    xmp_prop(&b, "xmp:CreatorTool", cb_dlist_info(dl, "Creator"), "");
    cb_buf_puts(&b, "  </rdf:Description>\n"
                    "  <rdf:Description rdf:about=\"\" "
                    "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
    xmp_prop(&b, "pdf:Producer", cb_dlist_info(dl, "Producer"), "");
    xmp_prop(&b, "pdf:Keywords", cb_dlist_info(dl, "Keywords"), "");
    if (w->pdfa != CB_PDFA_NONE)
        cb_buf_printf(&b, "  </rdf:Description>\n"
                          "  <rdf:Description rdf:about=\"\" xmlns:pdfaid="
                          "\"http://www.aiim.org/pdfa/ns/id/\">\n"
                          "   <pdfaid:part>%d</pdfaid:part>\n"
                          "   <pdfaid:conformance>B</pdfaid:conformance>\n",
                      w->pdfa == CB_PDFA_3B ? 3 : 1);
    cb_buf_puts(&b, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"
                    "<?xpacket end=\"w\"?>");
    HPDF_Dict md = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
    if (md) {
        md->filter = HPDF_STREAM_FILTER_NONE;
        HPDF_Dict_AddName(md, "Type", "Metadata");
        HPDF_Dict_AddName(md, "Subtype", "XML");
        HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)b.data,
                          (HPDF_UINT)b.len);
        HPDF_Dict_Add(w->pdf->catalog, "Metadata", md);
    }
    cb_buf_free(&b);
}


/* PDF/A-3's associated files: each attachment of the list as an embedded
 * file (its MIME type as /Subtype, its size, MD5 checksum and date in
 * /Params), a file specification with /AFRelationship /Source, listed in
 * the catalog's /AF and in its EmbeddedFiles name tree (names sorted, as
 * a name tree must be; the input names are unique). */
static void add_attachments(writer *w, const cb_dlist *dl)
{
    size_t n;
    const cb_attachment *at = cb_dlist_attachments(dl, &n);
    if (!n)
        return;
    HPDF_MMgr mmgr = w->pdf->mmgr;
    HPDF_Array af = HPDF_Array_New(mmgr), names = HPDF_Array_New(mmgr);
    HPDF_Dict tree = HPDF_Dict_New(mmgr), nd = HPDF_Dict_New(mmgr);
    if (!af || !names || !tree || !nd)
        return;
    size_t *order = cb_xmalloc(n * sizeof *order);
    for (size_t i = 0; i < n; i++) { /* insertion sort by name */
        size_t j = i;
        while (j > 0 && strcmp(at[order[j - 1]].name, at[i].name) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    char date[40];
    const char *d = pdf_date(dl, date);
    for (size_t k = 0; k < n; k++) {
        const cb_attachment *a = &at[order[k]];
        HPDF_Dict ef = HPDF_DictStream_New(mmgr, w->pdf->xref);
        HPDF_Dict params = HPDF_Dict_New(mmgr), efd = HPDF_Dict_New(mmgr);
        HPDF_Dict spec = HPDF_Dict_New(mmgr);
        if (!ef || !params || !efd || !spec ||
            HPDF_Xref_Add(w->pdf->xref, spec) != HPDF_OK)
            break;
        ef->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        HPDF_Dict_AddName(ef, "Type", "EmbeddedFile");
        HPDF_Dict_AddName(ef, "Subtype", a->mime); /* libharu escapes '/' */
        HPDF_MD5_CTX md5;
        HPDF_BYTE sum[16];
        HPDF_MD5Init(&md5);
        HPDF_MD5Update(&md5, a->data, (HPDF_UINT32)a->len);
        HPDF_MD5Final(sum, &md5);
        HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)a->len);
        HPDF_Dict_Add(params, "CheckSum", HPDF_Binary_New(mmgr, sum, 16));
        if (d) {
            HPDF_Dict_Add(params, "CreationDate", HPDF_String_New(mmgr, d, NULL));
            HPDF_Dict_Add(params, "ModDate", HPDF_String_New(mmgr, d, NULL));
        }
        HPDF_Dict_Add(ef, "Params", params);
        HPDF_Stream_Write(ef->stream, a->data, (HPDF_UINT)a->len);
        HPDF_Dict_AddName(spec, "Type", "Filespec");
        cb_buf ascii = {0}; /* /F is bytes: the name in ASCII, /UF whole */
        for (const char *p = a->name; *p; p++)
            if ((unsigned char)*p < 0x80)
                cb_buf_putc(&ascii, *p);
            else if (((unsigned char)*p & 0xC0) != 0x80)
                cb_buf_putc(&ascii, '_');
        HPDF_Dict_Add(spec, "F", HPDF_String_New(mmgr, ascii.data, NULL));
        cb_buf_free(&ascii);
        HPDF_Dict_Add(spec, "UF", text_string(w, a->name));
        HPDF_Dict_Add(spec, "Desc",
                      HPDF_String_New(mmgr, "The data this document was "
                                            "made from", NULL));
        HPDF_Dict_AddName(spec, "AFRelationship", "Source");
        HPDF_Dict_Add(efd, "F", ef);
        HPDF_Dict_Add(efd, "UF", ef);
        HPDF_Dict_Add(spec, "EF", efd);
        HPDF_Array_Add(af, spec);
        HPDF_Array_Add(names, HPDF_String_New(mmgr, a->name, NULL));
        HPDF_Array_Add(names, spec);
    }
    free(order);
    HPDF_Dict_Add(w->pdf->catalog, "AF", af);
    HPDF_Dict_Add(tree, "Names", names);
    HPDF_Dict_Add(nd, "EmbeddedFiles", tree);
    HPDF_Dict_Add(w->pdf->catalog, "Names", nd);
}

/* PDF/A's output intent: the colours are sRGB, the profile embedded. */
static int add_output_intent(writer *w, cb_diag *diag)
{
    const char *env = getenv("CONTRIBOOK_ICC");
    const char *path = env && *env ? env : CB_SRGB_ICC;
    cb_buf icc = {0};
    int rc = cb_read_file(path, 1 << 20, &icc);
    const char *why = rc ? cb_read_error(rc)
                      : icc.len < 128 || memcmp(icc.data + 36, "acsp", 4)
                          ? "not an ICC profile"
                      : memcmp(icc.data + 16, "RGB ", 4)
                          ? "not an RGB profile (the colours of the file are "
                            "RGB)"
                          : NULL;
    if (why) {
        cb_diag_error(diag, path, "--pdfa: cannot use this as the RGB colour "
                      "profile of the output intent: %s (%s; Debian: "
                      "icc-profiles-free)", why,
                      env && *env ? "named by CONTRIBOOK_ICC"
                                  : "the default");
        cb_buf_free(&icc);
        w->rc = CB_EXIT_IO;
        return -1;
    }
    /* the profile's own name when it is not the default sRGB */
    const char *name = env && *env ? (strrchr(path, '/') ? strrchr(path, '/') + 1
                                                        : path)
                                   : "sRGB IEC61966-2.1";
    HPDF_MMgr mmgr = w->pdf->mmgr;
    HPDF_Dict profile = HPDF_DictStream_New(mmgr, w->pdf->xref);
    HPDF_Dict intent = HPDF_Dict_New(mmgr);
    HPDF_Array intents = HPDF_Array_New(mmgr);
    if (profile && intent && intents) {
        profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        HPDF_Dict_AddNumber(profile, "N", 3);
        HPDF_Stream_Write(profile->stream, (const HPDF_BYTE *)icc.data,
                          (HPDF_UINT)icc.len);
        HPDF_Dict_AddName(intent, "Type", "OutputIntent");
        HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
        HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                      env && *env ? HPDF_String_New(mmgr, "Custom", NULL)
                                  : HPDF_String_New(mmgr, name, NULL));
        HPDF_Dict_Add(intent, "Info", text_string(w, name));
        HPDF_Dict_Add(intent, "DestOutputProfile", profile);
        HPDF_Array_Add(intents, intent);
        HPDF_Dict_Add(w->pdf->catalog, "OutputIntents", intents);
    }
    cb_buf_free(&icc);
    return 0;
}

/* A box of the page: [x0 y0 x1 y1]. */
static void set_box(writer *w, HPDF_Page page, const char *key, float x0,
                    float y0, float x1, float y1)
{
    HPDF_Array a = HPDF_Array_New(w->pdf->mmgr);
    if (!a)
        return;
    HPDF_Array_AddReal(a, x0);
    HPDF_Array_AddReal(a, y0);
    HPDF_Array_AddReal(a, x1);
    HPDF_Array_AddReal(a, y1);
    HPDF_Dict_Add(page, key, a);
}

/* A page of width x height to be trimmed (print geometry): the sheet
 * larger by the margin for bleed and marks on every side, the TrimBox
 * and BleedBox within it, and the page's content moved onto it (closed
 * by "Q" once drawn). */
static void begin_trimmed_page(writer *w, HPDF_Page page, float width,
                               float height)
{
    float m = w->trim, b = w->bleed;
    HPDF_Page_SetWidth(page, width + 2 * m);
    HPDF_Page_SetHeight(page, height + 2 * m);
    set_box(w, page, "TrimBox", m, m, m + width, m + height);
    set_box(w, page, "BleedBox", m - b, m - b, m + width + b, m + height + b);
    cb_buf_puts(&w->ops, "q 1 0 0 1 ");
    cb_buf_num(&w->ops, m, 2);
    cb_buf_putc(&w->ops, ' ');
    cb_buf_num(&w->ops, m, 2);
    cb_buf_puts(&w->ops, " cm\n");
}

/* Draws the items of p into w->ops, each in its marked content when the
 * document is tagged (w->tags). */
static void draw_items(writer *w, const cb_page *p)
{
    size_t k;
    const cb_item *items = cb_page_items(p, &k);
    w->cur_face = -2;
    for (size_t j = 0; j < k; j++) {
        /* marked content begins and ends outside text objects */
        w->tag_ops.len = 0;
        if (w->tags && pdf_tags_item(w->tags, items, k, j, &w->tag_ops)) {
            end_text(w);
            cb_buf_add(&w->ops, w->tag_ops.data, w->tag_ops.len);
        }
        draw_item(w, &items[j]);
    }
    end_text(w);
}

/* Page i of the list as a PDF page. */
static void add_page(writer *w, const cb_dlist *dl, size_t i)
{
    const cb_page *p = cb_dlist_page(dl, i);
    float pw, ph;
    cb_page_size(p, &pw, &ph);
    HPDF_Page page = w->pages[i] = HPDF_AddPage(w->pdf);
    if (!page)
        return;
    w->ops.len = 0;
    if (w->trim > 0) {
        begin_trimmed_page(w, page, pw, ph);
    } else {
        HPDF_Page_SetWidth(page, pw);
        HPDF_Page_SetHeight(page, ph);
    }
    pdf_tags_begin_page(w->tags, page, (int)i);
    draw_items(w, p);
    pdf_tags_end_page(w->tags, &w->ops);
    if (w->trim > 0)
        cb_buf_puts(&w->ops, "Q\n");
    write_ops(page, &w->ops);
    add_resources(w, HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT));
}

/* Page i of the list as a Form XObject, to be placed on a sheet: clipped
 * (its BBox) at the trim on the fold side and at the bleed elsewhere, so
 * that neither page's bleed nor its own marks reach the other. */
static HPDF_Dict page_form(writer *w, const cb_dlist *dl, size_t i, int left)
{
    const cb_page *p = cb_dlist_page(dl, i);
    float pw, ph, b = w->bleed;
    cb_page_size(p, &pw, &ph);
    HPDF_Dict form = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
    HPDF_Dict res = HPDF_Dict_New(w->pdf->mmgr);
    HPDF_Array box = HPDF_Array_New(w->pdf->mmgr);
    if (!form || !res || !box)
        return NULL;
    form->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Dict_AddName(form, "Type", "XObject");
    HPDF_Dict_AddName(form, "Subtype", "Form");
    HPDF_Array_AddReal(box, left ? -b : 0);
    HPDF_Array_AddReal(box, -b);
    HPDF_Array_AddReal(box, left ? pw : pw + b);
    HPDF_Array_AddReal(box, ph + b);
    HPDF_Dict_Add(form, "BBox", box);
    HPDF_Dict_Add(form, "Resources", res);
    w->ops.len = 0;
    draw_items(w, p);
    HPDF_Stream_Write(form->stream, (const HPDF_BYTE *)w->ops.data,
                      (HPDF_UINT)w->ops.len);
    add_resources(w, res);
    return form;
}

/* Crop marks at the four corners of a spread w x h at (x, y), `off`
 * beyond it, and fold marks at its middle, above and below: lines in
 * every ink, as the pages' own marks (compose_page.c). */
static void sheet_marks(cb_buf *b, float x, float y, float w, float h,
                        float off, float len)
{
    cb_buf_puts(b, "0.25 w 1 1 1 1 K\n");
    float e = off + len;
    for (int i = 0; i < 4; i++) {
        float cx = x + (i % 2 ? w : 0), cy = y + (i / 2 ? h : 0);
        float dx = i % 2 ? 1 : -1, dy = i / 2 ? 1 : -1;
        float v[8] = {cx + dx * off, cy, cx + dx * e, cy,
                      cx, cy + dy * off, cx, cy + dy * e};
        put_nums(b, v, 2, 2);
        cb_buf_puts(b, "m ");
        put_nums(b, v + 2, 2, 2);
        cb_buf_puts(b, "l ");
        put_nums(b, v + 4, 2, 2);
        cb_buf_puts(b, "m ");
        put_nums(b, v + 6, 2, 2);
        cb_buf_puts(b, "l\n");
    }
    for (int i = 0; i < 2; i++) { /* the fold */
        float y0 = i ? y + h + off : y - off, y1 = i ? y0 + len : y0 - len;
        float v[4] = {x + w / 2, y0, x + w / 2, y1};
        put_nums(b, v, 2, 2);
        cb_buf_puts(b, "m ");
        put_nums(b, v + 2, 2, 2);
        cb_buf_puts(b, "l\n");
    }
    cb_buf_puts(b, "S\n");
}

/* One side of a sheet: page `left` and page `right` (list indexes; -1 for
 * a blank) on a spread twice a page's width, with the print geometry's
 * margin, boxes and marks around it. */
static void add_sheet(writer *w, HPDF_Dict *forms, float pw, float ph,
                      int left, int right)
{
    HPDF_Page page = HPDF_AddPage(w->pdf);
    if (!page)
        return;
    float m = w->trim, b = w->bleed, sw = 2 * pw;
    HPDF_Page_SetWidth(page, sw + 2 * m);
    HPDF_Page_SetHeight(page, ph + 2 * m);
    if (m > 0) {
        set_box(w, page, "TrimBox", m, m, m + sw, m + ph);
        set_box(w, page, "BleedBox", m - b, m - b, m + sw + b, m + ph + b);
    }
    HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
    HPDF_Dict xobjects = HPDF_Dict_New(w->pdf->mmgr);
    if (!res || !xobjects)
        return;
    HPDF_Dict_Add(res, "XObject", xobjects);
    w->ops.len = 0;
    int at[2] = {left, right};
    for (int k = 0; k < 2; k++) {
        if (at[k] < 0)
            continue;
        char name[24];
        snprintf(name, sizeof name, "Pg%d", at[k]);
        HPDF_Dict_Add(xobjects, name, forms[at[k]]);
        float v[2] = {m + (k ? pw : 0), m};
        cb_buf_puts(&w->ops, "q 1 0 0 1 ");
        put_nums(&w->ops, v, 2, 2);
        cb_buf_printf(&w->ops, "cm /%s Do Q\n", name);
    }
    if (m > 0)
        sheet_marks(&w->ops, m, m, sw, ph,
                    b > CB_MARK_OFFSET_PT ? b : CB_MARK_OFFSET_PT,
                    CB_MARK_LENGTH_PT);
    write_ops(page, &w->ops);
}

/* Saddle stitch (see CB_IMPOSE_BOOKLET): n pages padded to N, a multiple
 * of four; sheet s's front holds pages N-1-2s and 2s, its back 2s+1 and
 * N-2-2s (0-based), so that the folded stack reads in order. */
static void impose_booklet(writer *w, const cb_dlist *dl)
{
    int n = (int)cb_dlist_page_count(dl), total = (n + 3) / 4 * 4;
    if (n == 0)
        return;
    float pw, ph;
    cb_page_size(cb_dlist_page(dl, 0), &pw, &ph);
    HPDF_Dict *forms = cb_xcalloc((size_t)n, sizeof *forms);
    for (int s = 0; s < total / 4; s++) {
        int side[4] = {total - 1 - 2 * s, 2 * s, 2 * s + 1, total - 2 - 2 * s};
        for (int k = 0; k < 4; k++) {
            if (side[k] >= n)
                side[k] = -1; /* a blank page */
            else if (!forms[side[k]]) /* left halves: 0 and 2 */
                forms[side[k]] = page_form(w, dl, (size_t)side[k], k % 2 == 0);
        }
        add_sheet(w, forms, pw, ph, side[0], side[1]);
        add_sheet(w, forms, pw, ph, side[2], side[3]);
    }
    free(forms);
}

static int build(writer *w, const cb_dlist *dl, cb_impose impose,
                 cb_diag *diag)
{
    HPDF_SetCompressionMode(w->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(w->pdf);
    HPDF_SetCurrentEncoder(w->pdf, "UTF-8");
    size_t n = cb_dlist_page_count(dl);
    /* libharu's default page tree stops at 32,767 pages */
    if (n > 30000)
        HPDF_SetPagesConfiguration(w->pdf, (HPDF_UINT)(n / 30000 + 1));
    w->text_color = cb_dlist_text_color(dl); /* CMYK: images too */
    if (load_fonts(w, diag) < 0 || load_images(w, dl, diag) < 0)
        return -1;
    w->pages = cb_xcalloc(n + 1, sizeof *w->pages);
    cb_dlist_trim(dl, &w->trim, &w->bleed);
    if (impose == CB_IMPOSE_BOOKLET) {
        impose_booklet(w, dl);
    } else {
        w->tags = pdf_tags_new(w->pdf, cb_dlist_info(dl, "Lang"));
        for (size_t i = 0; i < n && !w->err.status; i++)
            add_page(w, dl, i);
        for (size_t i = 0; i < n && !w->err.status; i++)
            add_links(w, cb_dlist_page(dl, i), (int)i);
        add_outlines(w, dl);
        size_t nl;
        const cb_page_label *pl = cb_dlist_page_labels(dl, &nl);
        for (size_t i = 0; i < nl; i++)
            HPDF_AddPageLabel(w->pdf, (HPDF_UINT)pl[i].page,
                              pl[i].roman ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
                                          : HPDF_PAGE_NUM_STYLE_DECIMAL,
                              (HPDF_UINT)pl[i].first, NULL);
        if (pdf_tags_finish(w->tags) < 0 && !w->err.status)
            w->err.status = HPDF_FAILD_TO_ALLOC_MEM;
        if (cb_dlist_outlines(dl, &n) && n)
            HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    }
    for (int i = 0; i < w->n_faces; i++) {
        cb_font_subset sub;
        if (w->hfonts[i] && cb_fonts_subset(w->fonts, i, &sub))
            describe_font(w, w->hfonts[i], &sub);
    }
    set_info(w, dl);
    add_metadata(w, dl);
    if (w->pdfa != CB_PDFA_NONE && add_output_intent(w, diag) < 0)
        return -1;
    if (w->pdfa == CB_PDFA_3B)
        add_attachments(w, dl);
    if (w->err.status) {
        cb_diag_error(diag, NULL, "libharu failed (error 0x%04X, detail %u)",
                      (unsigned)w->err.status, (unsigned)w->err.detail);
        return -1;
    }
    return 0;
}

/* The byte offset object i had in libharu's output, once the bytes from
 * cut to cut_end are left out. */
static size_t moved(HPDF_Xref xref, HPDF_UINT i, size_t cut, size_t cut_end)
{
    size_t at = HPDF_Xref_GetEntry(xref, i)->byte_offset;
    return at >= cut_end ? at - (cut_end - cut) : at;
}

/* Writes the document to out, named `name` in messages. libharu writes
 * into its memory stream and we write the file ourselves: its own file
 * writer reports a full disk as a bare error number, and not at all when
 * only the final flush fails. Its objects are copied but for the
 * structure tree's placeholder; the tree (pdf_tags_write), the
 * cross-reference table and the trailer, which cover both, are ours. */
static int save(writer *w, cb_output *out, const char *name, cb_diag *diag)
{
    if (HPDF_SaveToStream(w->pdf) != HPDF_OK) {
        cb_diag_error(diag, name, "libharu could not write the document "
                      "(error 0x%04X, detail %u)", (unsigned)w->err.status,
                      (unsigned)w->err.detail);
        return -1;
    }
    HPDF_Xref xref = w->pdf->xref;
    HPDF_UINT n_objs = xref->entries->count;
    unsigned root = w->tags ? pdf_tags_root(w->tags) : 0;
    size_t end = xref->addr, cut = end, cut_end = end;
    if (root) { /* the placeholder: up to the next object */
        cut = HPDF_Xref_GetEntry(xref, root)->byte_offset;
        if (root + 1 < n_objs)
            cut_end = HPDF_Xref_GetEntry(xref, root + 1)->byte_offset;
    }
    HPDF_ResetStream(w->pdf);
    HPDF_MD5_CTX md5;
    HPDF_MD5Init(&md5);
    HPDF_BYTE buf[65536];
    size_t pos = 0;
    while (pos < end) {
        HPDF_UINT32 len = sizeof buf;
        HPDF_STATUS st = HPDF_ReadFromStream(w->pdf, buf, &len);
        size_t n = pos + len < end ? len : end - pos;
        /* the part of [pos, pos + n) before the cut, and after it */
        size_t a = pos < cut ? (cut - pos < n ? cut - pos : n) : 0;
        size_t b = pos + n > cut_end ? (pos > cut_end ? 0 : cut_end - pos) : n;
        if ((a && cb_output_write(out, buf, a) != 0) ||
            (b < n && cb_output_write(out, buf + b, n - b) != 0))
            goto failed;
        HPDF_MD5Update(&md5, buf, (HPDF_UINT32)a);
        if (b < n)
            HPDF_MD5Update(&md5, buf + b, (HPDF_UINT32)(n - b));
        pos += n;
        if (pos < end && (st != HPDF_OK || !len)) {
            errno = EIO;
            goto failed;
        }
    }
    size_t base = end - (cut_end - cut); /* what we wrote so far */
    cb_buf tail = {0};
    size_t *off = NULL;
    size_t n_tags = root ? pdf_tags_write(w->tags, n_objs, &tail, &off) : 0;
    size_t xref_at = base + tail.len;
    cb_buf_printf(&tail, "xref\n0 %zu\n", (size_t)n_objs + n_tags);
    for (HPDF_UINT i = 0; i < n_objs; i++) {
        HPDF_XrefEntry e = HPDF_Xref_GetEntry(xref, i);
        size_t at = i && i == root ? base + off[0] : moved(xref, i, cut, cut_end);
        cb_buf_printf(&tail, "%010zu %05u %c\r\n", at, (unsigned)e->gen_no,
                      e->entry_typ);
    }
    for (size_t k = 0; k < n_tags; k++)
        cb_buf_printf(&tail, "%010zu 00000 n\r\n", base + off[k + 1]);
    cb_buf_printf(&tail, "trailer\n<</Size %zu/Root %u 0 R",
                  (size_t)n_objs + n_tags,
                  ((HPDF_Obj_Header *)w->pdf->catalog)->obj_id & 0xFFFFFF);
    if (w->pdf->info)
        cb_buf_printf(&tail, "/Info %u 0 R",
                      ((HPDF_Obj_Header *)w->pdf->info)->obj_id & 0xFFFFFF);
    /* the file's identifier: a digest of everything before the trailer,
     * so that the same input gives the same bytes (PDF/A asks for one) */
    HPDF_BYTE id[16];
    HPDF_MD5Update(&md5, (const HPDF_BYTE *)tail.data, (HPDF_UINT32)tail.len);
    HPDF_MD5Final(id, &md5);
    cb_buf_puts(&tail, "/ID [<");
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 16; i++)
            cb_buf_printf(&tail, "%02X", id[i]);
        cb_buf_puts(&tail, k ? ">]" : "> <");
    }
    cb_buf_printf(&tail, ">>\nstartxref\n%zu\n%%%%EOF\n", xref_at);
    int rc = cb_output_write(out, tail.data, tail.len);
    cb_buf_free(&tail);
    free(off);
    if (rc == 0)
        return 0;
failed:
    cb_diag_error(diag, name, "cannot write: %s", strerror(errno));
    return -1;
}

int cb_pdf_write(const cb_dlist *dl, const cb_fonts *fonts,
                 const cb_pdf_options *opts, cb_output *out, const char *name,
                 cb_diag *diag)
{
    writer w = {0};
    w.tm_scale = 1;
    w.fonts = fonts;
    w.pdfa = opts ? opts->pdfa : CB_PDFA_NONE;
    if (w.pdfa != CB_PDFA_NONE && (cb_dlist_text_color(dl) & CB_CMYK)) {
        cb_diag_error(diag, NULL, "PDF/A needs RGB colours: these are "
                      "device CMYK, for which there is no output intent");
        return CB_EXIT_USAGE;
    }
    w.pdf = HPDF_New(on_error, &w.err);
    if (!w.pdf) {
        cb_diag_error(diag, NULL, "cannot create a PDF document");
        return CB_EXIT_INTERNAL;
    }
    int rc = CB_EXIT_OK;
    if (build(&w, dl, opts ? opts->impose : CB_IMPOSE_NONE, diag) < 0)
        rc = w.rc ? w.rc : CB_EXIT_INTERNAL; /* libharu failed: a bug */
    else if (save(&w, out, name, diag) != 0)
        rc = CB_EXIT_IO;
    HPDF_Free(w.pdf);
    pdf_tags_free(w.tags);
    free(w.hfonts);
    free(w.himages);
    free(w.used_faces);
    free(w.used_images);
    free(w.orientation);
    cb_buf_free(&w.tag_ops);
    free(w.pages);
    cb_buf_free(&w.ops);
    return rc;
}

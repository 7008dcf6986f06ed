/* pdf.c - the PDF writer: the display list through libharu 2.3.0.
 *
 * libharu 2.3.0 has no kerning, no glyph-id drawing and a malformed
 * ToUnicode map; each work-around below names the limit it answers and uses
 * libharu's own lower layer (hpdf_objects.h, hpdf_pages.h), never a copy
 * of its code. */
#include "cb_pdf.h"
#include "pdf_tags.h"

#include <errno.h>
#include <libdeflate.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <math.h>
#include <pthread.h>
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

/* A page of the list as written: its objects. The page object itself is
 * written at the end, when its place in the page tree is known. */
typedef struct {
    unsigned obj;      /* its page object (0 until named) */
    unsigned content;  /* its content stream, or (imposed) its form */
    unsigned annots;   /* its first link annotation; the others follow */
    int n_annots;
    int written;       /* its content is in the file */
} page_objs;

/* A link to a page, written at the end: its /Contents names the page by
 * its place, which front matter set after the body changes. */
typedef struct {
    unsigned obj;
    int target;        /* the page's number */
    long key;          /* its /StructParent, or -1 */
    float rect[4], top;
} go_link;

/* An object stream holds at most this many objects or bytes (before the
 * last): zlib's window is 32 KB, and a reader that wants one object
 * inflates its whole stream. */
#define PDF_STM_OBJS 100
/* libdeflate's level for our streams (see put_stream). */
#define PDF_DEFLATE_LEVEL 6
#define PDF_STM_BYTES 32768

/* A face as this file numbers it: faces and their codes are numbered in
 * the order the pages draw them, so that the file does not depend on the
 * order its text was shaped in (measured first, cut, set again). */
typedef struct {
    int num;           /* its /F number + 1; 0: not drawn */
    unsigned *code;    /* by the font service's code: ours, 0 for none */
    size_t cap_code;
    unsigned *cids;    /* by our code - 1: the font service's */
    size_t n_cids, cap_cids;
    cb_font_subset sub; /* once the pages are written */
} pdf_face;

struct cb_pdf_writer {
    HPDF_Doc pdf;
    const cb_fonts *fonts;
    const cb_dlist *dl;
    cb_diag *diag;
    const char *name;      /* the output, in messages */
    pdf_face *faces;       /* by the font service's face */
    size_t cap_faces;
    int *face_of;          /* by our number: the font service's face */
    size_t cap_face_of;
    HPDF_Font *hfonts;     /* by our number */
    HPDF_Image *himages;   /* per image of the list */
    int n_faces, n_images;
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
    cb_buf lib_keys;       /* a libharu stream's keys (put_lib_stream) */
    int in_text;           /* inside BT ... ET */
    float trim, bleed;     /* print geometry: see cb_dlist_set_trim */
    cb_pdfa pdfa;          /* the conformance asked for */
    cb_impose impose;
    unsigned text_color;   /* what black is drawn in */
    /* the file, written as pages are done: what went out, its digest
     * (the /ID), and where each object starts */
    cb_output *out;
    size_t pos;
    HPDF_MD5_CTX md5;
    cb_buf obuf;           /* bytes not yet written */
    int io_errno;          /* a failed write's errno, or 0 */
    size_t *offset;        /* by object number; 0: not yet written; in an
                            * object stream: the index there */
    unsigned *stm_of;      /* by object number: its object stream, or 0 */
    size_t cap_offset, cap_stm_of;
    int packed;            /* objects into object streams, an xref stream */
    cb_buf stm_head, stm_body; /* the object stream being filled */
    cb_buf *lib_to;        /* where libharu's writes go; NULL: the file */
    unsigned stm_nums[PDF_STM_OBJS], stm_n; /* the objects in it */
    unsigned n_objs;       /* numbers given: 1 to n_objs */
    cb_buf obj;            /* an object being made */
    struct libdeflate_compressor *deflate;
    unsigned char *z;      /* a stream compressed */
    size_t cap_z;
    struct end_helper *helper; /* the end's streams compressed ahead */
    page_objs *pages;      /* by page number */
    size_t n_pages, cap_pages;
    go_link *go;
    size_t n_go, cap_go;
    unsigned pages_root, resources, tags_root;
    HPDF_Null *refs;       /* libharu's references to our objects */
    size_t n_refs, cap_refs;
};

typedef struct cb_pdf_writer writer;

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
        size_t bytes = (size_t)cb_utf8_encode(c, u);
        cb_buf_add(&all, u, bytes);
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
    w->hfonts = cb_xcalloc((size_t)w->n_faces + 1, sizeof *w->hfonts);
    for (int i = 0; i < w->n_faces; i++) {
        pdf_face *f = &w->faces[w->face_of[i]];
        if (cb_fonts_subset(w->fonts, w->face_of[i], f->cids,
                            (unsigned)f->n_cids, &f->sub) < 0) {
            w->rc = CB_EXIT_FONT;
            return -1;
        }
        w->hfonts[i] = load_subset(w, &f->sub, diag);
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
    }
    return 0;
}

/* The two-byte code of a glyph, inside a literal string (opened first
 * when `open` is 0): the bytes as they are, but the three a string must
 * escape and CR (which a reader would take for a line end and turn into
 * LF). Half the bytes of hex digits, so half the bytes to compress;
 * stored straight into the buffer, as it is done for every glyph. */
static void put_code(cb_buf *b, unsigned v, int open)
{
    cb_buf_reserve(b, 5); /* '(' and two escaped bytes */
    char *p = b->data + b->len;
    if (!open)
        *p++ = '(';
    for (int shift = 8; shift >= 0; shift -= 8) {
        char c = (char)((v >> shift) & 255);
        if (c == '(' || c == ')' || c == '\\')
            *p++ = '\\';
        else if (c == '\r')
            *p++ = '\\', c = 'r';
        *p++ = c;
    }
    *p = '\0';
    b->len = (size_t)(p - b->data);
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

/* cb_grow, with the new elements zeroed. */
static void grow_zeroed(void *items_ptr, size_t *cap, size_t n,
                        size_t elem_size)
{
    size_t old = *cap;
    if (n < old)
        return;
    cb_grow_to(items_ptr, cap, n, elem_size);
    memset(*(char **)items_ptr + old * elem_size, 0,
           (*cap - old) * elem_size);
}

/* Face `face` of the font service, numbered when first drawn. */
static pdf_face *use_face(writer *w, int face)
{
    grow_zeroed(&w->faces, &w->cap_faces, (size_t)face, sizeof *w->faces);
    pdf_face *f = &w->faces[face];
    if (!f->num) {
        cb_grow(&w->face_of, &w->cap_face_of, (size_t)w->n_faces,
                sizeof *w->face_of);
        w->face_of[w->n_faces] = face;
        f->num = ++w->n_faces;
    }
    return f;
}

/* Our code of the font service's code `cid`, given when first drawn. */
static unsigned use_code(pdf_face *f, unsigned cid)
{
    if (cid < f->cap_code && f->code[cid])
        return f->code[cid];
    grow_zeroed(&f->code, &f->cap_code, cid, sizeof *f->code);
    cb_grow(&f->cids, &f->cap_cids, f->n_cids, sizeof *f->cids);
    f->cids[f->n_cids] = cid;
    return f->code[cid] = (unsigned)++f->n_cids;
}

/* Draws a glyph run as TJ arrays: libharu 2.3.0 has no kerning and draws
 * only through its own widths, so each glyph's code is written directly
 * (two bytes, Identity-H) and a TJ adjustment after it moves the pen
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
    pdf_face *f = &w->faces[it->face]; /* draw_text numbered it */
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
            cb_buf_puts(b, open ? ")] TJ\n" : "] TJ\n");
            cb_buf_num(b, g->dy / w->tm_scale, 3);
            cb_buf_puts(b, " Ts\n[");
            rise = g->dy;
            open = 0;
        }
        double adj =
            cb_round((actual - (pen + g->dx)) * 1000.0 / size * 10.0) / 10.0;
        if (adj != 0) {
            cb_buf_puts(b, open ? ") " : "");
            cb_buf_num(b, adj, 1);
            cb_buf_putc(b, ' ');
            actual -= adj * size / 1000.0;
            open = 0;
        }
        put_code(b, use_code(f, g->cid), open);
        open = 1;
        actual += cb_fonts_code_width(w->fonts, it->face, g->cid) * size /
                  1000.0;
        pen += g->advance;
    }
    cb_buf_puts(b, open ? ")] TJ\n" : "] TJ\n");
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
    if (it->face < 0 || it->n_glyphs == 0)
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
        cb_buf_printf(&w->ops, "/F%d ", use_face(w, it->face)->num - 1);
        cb_buf_num(&w->ops, it->size / w->tm_scale, 3);
        cb_buf_puts(&w->ops, " Tf\n");
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
        image_matrix(it->orientation, it->x, it->y, it->x2 - it->x,
                     it->y2 - it->y, v);
        cb_buf_puts(b, "q ");
        put_nums(b, v, 6, 3);
        cb_buf_printf(b, "cm /Im%d Do Q\n", it->block);
        break;
    }
    default:
        break; /* links are added once every page exists */
    }
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


/* --- The file. libharu 2.3.0 holds every page, its content uncompressed,
 * until it writes the whole document at the end (26 KB a page: a
 * 20,000-page book took a gigabyte). Pages, their content and links, the
 * page tree, the bookmarks and the structure tree are objects of our own,
 * written as each page is done; libharu makes the rest (fonts, images,
 * the catalog, the information and metadata), which we number after ours
 * and write through its own object writer (hpdf_objects.h) at the end. */

/* Decimals of the coordinates of boxes, links and destinations: those of
 * libharu's reals, so that a float such as A5's height (595.28003) is
 * written as libharu wrote it and readers place text as before. */
#define PDF_REAL_DECIMALS 5

/* Bytes kept before they are written out. */
#define PDF_OUT_BUF 65536
/* The most kids of a node of the page tree (PDF/A-1 allows 8,191 in an
 * array; a viewer finds a page in a few steps). */
#define PDF_TREE_FAN 64

static void settle(writer *w);

static void flush_out(writer *w)
{
    if (w->obuf.len && !w->io_errno &&
        cb_output_write(w->out, w->obuf.data, w->obuf.len) != 0)
        w->io_errno = errno ? errno : EIO;
    w->obuf.len = 0;
}

/* Writes n bytes to the file (through the buffer), adding them to the
 * digest. */
static void emit(writer *w, const void *p, size_t n)
{
    settle(w);
    HPDF_MD5Update(&w->md5, p, (HPDF_UINT32)n);
    w->pos += n;
    if (w->obuf.len + n > PDF_OUT_BUF)
        flush_out(w);
    if (n >= PDF_OUT_BUF) {
        if (!w->io_errno && cb_output_write(w->out, p, n) != 0)
            w->io_errno = errno ? errno : EIO;
        return;
    }
    cb_buf_add(&w->obuf, p, n);
}

static void emit_str(writer *w, const char *s)
{
    emit(w, s, strlen(s));
}

/* The next object number. */
static unsigned obj_new(writer *w)
{
    cb_grow(&w->offset, &w->cap_offset, (size_t)w->n_objs + 1,
            sizeof *w->offset);
    cb_grow(&w->stm_of, &w->cap_stm_of, (size_t)w->n_objs + 1,
            sizeof *w->stm_of);
    w->n_objs++;
    w->offset[w->n_objs] = 0;
    w->stm_of[w->n_objs] = 0;
    return w->n_objs;
}

static void obj_begin(writer *w, unsigned num)
{
    settle(w); /* a stream handed over goes first, as it came first */
    char head[32];
    w->offset[num] = w->pos;
    snprintf(head, sizeof head, "%u 0 obj\n", num);
    emit_str(w, head);
}

static void put_stream(writer *w, unsigned num, const char *keys,
                       const char *data, size_t len);

/* Writes the object stream being filled, numbered now: the objects in it
 * are listed by their own numbers. */
static void flush_stm(writer *w)
{
    if (!w->stm_n)
        return;
    unsigned num = obj_new(w);
    for (unsigned i = 0; i < w->stm_n; i++)
        w->stm_of[w->stm_nums[i]] = num;
    char keys[64];
    snprintf(keys, sizeof keys, "/Type/ObjStm/N %u/First %zu", w->stm_n,
             w->stm_head.len);
    cb_buf_add(&w->stm_head, w->stm_body.data, w->stm_body.len);
    put_stream(w, num, keys, w->stm_head.data, w->stm_head.len);
    w->stm_head.len = w->stm_body.len = 0;
    w->stm_n = 0;
}

/* Object num: body, a dictionary or any other value. Packed, it goes into
 * an object stream (compressed with others): links, page dictionaries,
 * bookmarks and structure elements are a third of a book's bytes. */
static void put_obj(writer *w, unsigned num, const cb_buf *body)
{
    if (w->packed) {
        cb_buf_uint(&w->stm_head, num);
        cb_buf_putc(&w->stm_head, ' ');
        cb_buf_uint(&w->stm_head, w->stm_body.len);
        cb_buf_putc(&w->stm_head, ' ');
        cb_buf_add(&w->stm_body, body->data, body->len);
        cb_buf_putc(&w->stm_body, '\n');
        w->offset[num] = w->stm_n;
        w->stm_nums[w->stm_n++] = num;
        if (w->stm_n == PDF_STM_OBJS || w->stm_body.len >= PDF_STM_BYTES)
            flush_stm(w);
        return;
    }
    obj_begin(w, num);
    emit(w, body->data, body->len);
    emit_str(w, "\nendobj\n");
}

/* pdf_tags_put for the structure tree. */
static void put_tag_obj(void *ctx, unsigned num, const cb_buf *body)
{
    put_obj(ctx, num, body);
}

/* Compresses len bytes of data into *z (grown to *cap as needed);
 * returns the compressed length. libdeflate at PDF_DEFLATE_LEVEL: on the
 * content streams of a 1,000-contribution report it is six times as fast
 * as zlib's default level and 1 % smaller (doc/scale.md). */
static size_t deflate_into(struct libdeflate_compressor *c, const char *data,
                           size_t len, unsigned char **z, size_t *cap)
{
    size_t bound = libdeflate_zlib_compress_bound(c, len);
    if (bound > *cap) {
        free(*z);
        *z = cb_xmalloc(bound);
        *cap = bound;
    }
    return libdeflate_zlib_compress(c, data, len, *z, *cap);
}

/* Stream object num, compressed already: its dictionary `keys` and the
 * filter and length. */
static void write_stream(writer *w, unsigned num, const char *keys,
                         const unsigned char *z, size_t zlen)
{
    char head[64];
    obj_begin(w, num);
    emit_str(w, "<<");
    emit_str(w, keys);
    snprintf(head, sizeof head, "/Filter/FlateDecode/Length %zu>>stream\n",
             zlen);
    emit_str(w, head);
    emit(w, z, zlen);
    emit_str(w, "\nendstream\nendobj\n");
}

/* The end of the file on two threads (--jobs 2 or more): after the last
 * page, the streams made at the end (object streams of page dictionaries,
 * bookmarks and structure elements; font files) wait in a queue and are
 * compressed on a second thread as they come, about 14 ms of the end of
 * a 1,000-contribution report. They are written, in the order they came,
 * before anything else is written (settle), the first thread compressing
 * what the second has not taken: the file is the same bytes. The first
 * thread never waits for the second but there, and the second sleeps
 * only when it has caught up (every wake-up costs on a virtual machine). */
typedef struct {
    unsigned num;              /* its object */
    cb_buf keys, data;         /* its dictionary's keys, its data */
    unsigned char *z;          /* compressed */
    size_t zlen, cap_z;
    HPDF_Number length;        /* libharu's /Length to keep true, or NULL */
} end_stream;

typedef struct end_helper {
    pthread_t id;
    pthread_mutex_t mu;
    pthread_cond_t more, done; /* a stream queued; one compressed */
    struct libdeflate_compressor *deflate;
    end_stream **queue;
    size_t n, cap, next;       /* queued; the next to compress */
    int busy, sleeping, closing;
} end_helper;

static void *end_work(void *arg)
{
    end_helper *h = arg;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (h->next == h->n && !h->closing) {
            h->sleeping = 1;
            pthread_cond_wait(&h->more, &h->mu);
            h->sleeping = 0;
        }
        if (h->next == h->n)
            break;
        end_stream *es = h->queue[h->next++];
        h->busy = 1;
        pthread_mutex_unlock(&h->mu);
        es->zlen = deflate_into(h->deflate, es->data.data, es->data.len,
                                &es->z, &es->cap_z);
        pthread_mutex_lock(&h->mu);
        h->busy = 0;
        pthread_cond_signal(&h->done);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

/* Starts the helper, when the pages were written with more than one
 * thread; without (it cannot start), the end compresses in turn. */
static void end_start(writer *w)
{
    if (cb_dlist_jobs(w->dl) < 2)
        return;
    end_helper *h = cb_xcalloc(1, sizeof *h);
    h->deflate = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL);
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->more, NULL);
    pthread_cond_init(&h->done, NULL);
    int ok = h->deflate && cb_thread_start(&h->id, end_work, h) == 0;
    if (!ok) {
        libdeflate_free_compressor(h->deflate);
        pthread_mutex_destroy(&h->mu);
        pthread_cond_destroy(&h->more);
        pthread_cond_destroy(&h->done);
        free(h);
        return;
    }
    w->helper = h;
}

static void end_stream_free(end_stream *es)
{
    cb_buf_free(&es->keys);
    cb_buf_free(&es->data);
    free(es->z);
    free(es);
}

/* Writes the streams queued, compressing those the helper has not taken
 * (nothing without a helper or a stream). */
static void settle(writer *w)
{
    end_helper *h = w->helper;
    if (!h || !h->n)
        return;
    pthread_mutex_lock(&h->mu);
    while (h->next < h->n) {
        end_stream *es = h->queue[h->next++];
        pthread_mutex_unlock(&h->mu);
        es->zlen = deflate_into(w->deflate, es->data.data, es->data.len,
                                &es->z, &es->cap_z);
        pthread_mutex_lock(&h->mu);
    }
    while (h->busy)
        pthread_cond_wait(&h->done, &h->mu);
    size_t n = h->n;
    h->n = h->next = 0;
    pthread_mutex_unlock(&h->mu);
    for (size_t i = 0; i < n; i++) {
        end_stream *es = h->queue[i];
        write_stream(w, es->num, es->keys.data ? es->keys.data : "", es->z,
                     es->zlen);
        if (es->length) /* see put_lib_stream */
            HPDF_Number_SetValue(es->length, (HPDF_INT32)es->zlen);
        end_stream_free(es);
    }
}

/* Ends the helper; streams still queued are let go. */
static void end_free(writer *w)
{
    end_helper *h = w->helper;
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    size_t n = h->n;
    h->closing = 1;
    h->n = h->next; /* what it has not taken is not taken */
    pthread_cond_signal(&h->more);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->id, NULL);
    for (size_t i = 0; i < n; i++)
        end_stream_free(h->queue[i]);
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->more);
    pthread_cond_destroy(&h->done);
    libdeflate_free_compressor(h->deflate);
    free(h->queue);
    free(h);
    w->helper = NULL;
}

/* Writes what is queued and ends the helper: the rest is written in
 * turn. */
static void end_stop(writer *w)
{
    settle(w);
    end_free(w);
}

/* Stream object num: data, compressed, with its dictionary `keys`; at the
 * end on two threads, queued (see end_helper). length, when not NULL, is
 * libharu's own /Length object, set to the compressed length. */
static void put_stream_length(writer *w, unsigned num, const char *keys,
                              const char *data, size_t len,
                              HPDF_Number length)
{
    end_helper *h = w->helper;
    if (!h) {
        size_t zlen = deflate_into(w->deflate, data, len, &w->z, &w->cap_z);
        write_stream(w, num, keys, w->z, zlen);
        if (length)
            HPDF_Number_SetValue(length, (HPDF_INT32)zlen);
        return;
    }
    end_stream *es = cb_xcalloc(1, sizeof *es);
    es->num = num;
    cb_buf_puts(&es->keys, keys);
    cb_buf_add(&es->data, data, len);
    es->length = length;
    pthread_mutex_lock(&h->mu);
    cb_grow(&h->queue, &h->cap, h->n, sizeof *h->queue);
    h->queue[h->n++] = es;
    if (h->sleeping)
        pthread_cond_signal(&h->more);
    pthread_mutex_unlock(&h->mu);
}

static void put_stream(writer *w, unsigned num, const char *keys,
                       const char *data, size_t len)
{
    put_stream_length(w, num, keys, data, len, NULL);
}

/* The record of page number `number`, made on first use. */
static page_objs *page_at(writer *w, int number)
{
    size_t n = (size_t)number;
    if (n >= w->n_pages) {
        cb_grow(&w->pages, &w->cap_pages, n, sizeof *w->pages);
        memset(w->pages + w->n_pages, 0,
               (n + 1 - w->n_pages) * sizeof *w->pages);
        w->n_pages = n + 1;
    }
    return &w->pages[n];
}

/* The object number of page number `number`'s page object. */
static unsigned page_obj(writer *w, int number)
{
    page_objs *p = page_at(w, number);
    if (!p->obj)
        p->obj = obj_new(w);
    return p->obj;
}

/* A libharu object that stands for our object num: libharu writes a
 * reference to it wherever it is added ("num 0 R"), and never the object
 * itself, which is in no cross-reference table of its. */
static HPDF_Null ref_to(writer *w, unsigned num)
{
    HPDF_Null r = HPDF_Null_New(w->pdf->mmgr);
    if (!r)
        return NULL;
    r->header.obj_id = num | HPDF_OTYPE_INDIRECT;
    cb_grow(&w->refs, &w->cap_refs, w->n_refs, sizeof *w->refs);
    w->refs[w->n_refs++] = r;
    return r;
}

/* Appends s to b as a literal string: ( ) and \ escaped, bytes outside
 * printable ASCII in octal. */
static void literal(cb_buf *b, const char *s)
{
    cb_buf_putc(b, '(');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '(' || *p == ')' || *p == '\\')
            cb_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20 || *p > 0x7E)
            cb_buf_printf(b, "\\%03o", *p);
        else
            cb_buf_putc(b, (char)*p);
    }
    cb_buf_putc(b, ')');
}

/* The start of a link annotation over r: no border, printed with the
 * page (/F 4, which PDF/A asks of every annotation). */
static void link_head(cb_buf *b, const float r[4])
{
    cb_buf_puts(b, "<</Type/Annot/Subtype/Link/Rect[");
    put_nums(b, r, 4, PDF_REAL_DECIMALS);
    cb_buf_puts(b, "]/Border[0 0 0]/F 4");
}

/* The links of page p (number `number`): numbers for their annotations,
 * in drawing order, tied to their Link elements; a link to a web page is
 * written now, one to a page at the end (see go_link). */
static void page_links(writer *w, const cb_page *p, int number, int tag_page)
{
    size_t n;
    const cb_item *items = cb_page_items(p, &n);
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += items[i].kind == CB_ITEM_LINK_URI ||
             items[i].kind == CB_ITEM_LINK_PAGE;
    page_objs *po = page_at(w, number);
    po->n_annots = k;
    if (!k)
        return;
    po->annots = w->n_objs + 1;
    for (int i = 0; i < k; i++)
        obj_new(w);
    unsigned num = po->annots;
    float m = w->trim;
    char buf[PDF_TEXT_MAX_BYTES + 4];
    for (size_t i = 0; i < n; i++) {
        const cb_item *it = &items[i];
        if (it->kind != CB_ITEM_LINK_URI && it->kind != CB_ITEM_LINK_PAGE)
            continue;
        float r[4] = {it->x + m, it->y + m, it->x2 + m, it->y2 + m};
        long key = w->tags ? pdf_tags_annot(w->tags, tag_page, num) : -1;
        if (it->kind == CB_ITEM_LINK_PAGE) {
            cb_grow(&w->go, &w->cap_go, w->n_go, sizeof *w->go);
            go_link *g = &w->go[w->n_go++];
            *g = (go_link){num++, it->target_page, key, {0},
                           it->target_y + m};
            memcpy(g->rect, r, sizeof r);
            continue;
        }
        cb_buf *b = &w->obj;
        b->len = 0;
        link_head(b, r);
        cb_buf u = {0};
        uri_ascii(&u, it->text);
        cb_buf_puts(b, "/A<</S/URI/URI");
        literal(b, u.data ? u.data : "");
        /* what it does, for a screen reader (PDF/UA): the URI, in ASCII
         * as written in the annotation (a UTF-16 string doubles its
         * size, 2,754 times in a book) */
        u.len = 0;
        uri_ascii(&u, pdf_text(it->text, buf));
        cb_buf_puts(b, ">>/Contents");
        literal(b, u.data ? u.data : "");
        cb_buf_free(&u);
        if (key >= 0)
            cb_buf_printf(b, "/StructParent %ld", key);
        cb_buf_puts(b, ">>");
        put_obj(w, num++, b);
    }
}

/* The sheet's offset for print geometry: "q 1 0 0 1 m m cm" (closed by
 * "Q" once the page is drawn). */
static void begin_trimmed(writer *w)
{
    cb_buf_puts(&w->ops, "q 1 0 0 1 ");
    cb_buf_num(&w->ops, w->trim, 2);
    cb_buf_putc(&w->ops, ' ');
    cb_buf_num(&w->ops, w->trim, 2);
    cb_buf_puts(&w->ops, " cm\n");
}

/* cb_pdf_page, the fonts' codes held still. */
static int write_page(writer *w, const cb_page *p)
{
    const cb_dlist *dl = w->dl;
    int number = cb_page_number(p);
    cb_dlist_trim(dl, &w->trim, &w->bleed);
    w->text_color = cb_dlist_text_color(dl);
    w->ops.len = 0;
    cb_buf *b = &w->obj;
    b->len = 0;
    if (w->impose == CB_IMPOSE_BOOKLET) {
        /* a Form XObject, placed on its sheet at the end; its bleed all
         * round (the sheet clips it at the fold) */
        float pw, ph, e = w->bleed;
        cb_page_size(p, &pw, &ph);
        draw_items(w, p);
        float box[4] = {-e, -e, pw + e, ph + e};
        unsigned num = page_at(w, number)->content = obj_new(w);
        cb_buf_puts(b, "/Type/XObject/Subtype/Form/BBox[");
        put_nums(b, box, 4, 2);
        cb_buf_printf(b, "]/Resources %u 0 R", w->resources);
        put_stream(w, num, b->data, w->ops.data ? w->ops.data : "",
                   w->ops.len);
    } else {
        if (!w->tags)
            w->tags = pdf_tags_new(cb_dlist_info(dl, "Lang"));
        int tag_page = pdf_tags_begin_page(w->tags, page_obj(w, number));
        if (w->trim > 0)
            begin_trimmed(w);
        draw_items(w, p);
        pdf_tags_end_page(w->tags, &w->ops);
        if (w->trim > 0)
            cb_buf_puts(&w->ops, "Q\n");
        unsigned num = page_at(w, number)->content = obj_new(w);
        put_stream(w, num, "", w->ops.data ? w->ops.data : "", w->ops.len);
        page_links(w, p, number, tag_page);
    }
    page_at(w, number)->written = 1;
    return w->io_errno ? -1 : 0;
}

int cb_pdf_page(void *ctx, const cb_page *p)
{
    writer *w = ctx;
    cb_fonts_read_lock(w->fonts);
    int rc = write_page(w, p);
    cb_fonts_read_unlock(w->fonts);
    return rc;
}

/* The resources every page and form shares: the fonts and images, by the
 * names draw_item gives them. */
static void put_resources(writer *w)
{
    cb_buf *b = &w->obj;
    b->len = 0;
    cb_buf_puts(b, "<</Font<<");
    for (int i = 0; i < w->n_faces; i++)
        if (w->hfonts[i])
            cb_buf_printf(b, "/F%d %u 0 R", i,
                          w->hfonts[i]->header.obj_id & 0xFFFFFF);
    cb_buf_puts(b, ">>");
    if (w->n_images) {
        cb_buf_puts(b, "/XObject<<");
        for (int i = 0; i < w->n_images; i++)
            cb_buf_printf(b, "/Im%d %u 0 R", i,
                          w->himages[i]->header.obj_id & 0xFFFFFF);
        cb_buf_puts(b, ">>");
    }
    cb_buf_puts(b, ">>");
    put_obj(w, w->resources, b);
}

/* [x0 y0 x1 y1] after key. */
static void put_box(cb_buf *b, const char *key, float x0, float y0, float x1,
                    float y1)
{
    float v[4] = {x0, y0, x1, y1};
    cb_buf_printf(b, "/%s[", key);
    put_nums(b, v, 4, PDF_REAL_DECIMALS);
    b->len--; /* the last space */
    cb_buf_putc(b, ']');
}

/* A node of the page tree: its kids are kid[first, first + n) of the
 * tree's list of kids. */
typedef struct {
    unsigned num, parent;
    size_t first, n, count; /* count: the pages under it */
} tree_node;

/* The page tree over kids[0..n) (page objects, in the document's order):
 * nodes of at most PDF_TREE_FAN kids, level above level, up to the root
 * (w->pages_root), written. Sets parent[i] to the node of kids[i]. */
static void put_page_tree(writer *w, const unsigned *kids, size_t n,
                          unsigned *parent)
{
    unsigned *items = cb_xmalloc((n + 1) * sizeof *items);
    size_t *count = cb_xmalloc((n + 1) * sizeof *count);
    memcpy(items, kids, n * sizeof *items);
    for (size_t i = 0; i < n; i++)
        count[i] = 1;
    tree_node *nodes = NULL;
    size_t n_nodes = 0, cap_nodes = 0, level_first = 0;
    unsigned *all = NULL; /* every level's items, one after another */
    size_t n_all = 0, cap_all = 0;
    for (int bottom = 1;; bottom = 0) {
        int top = n <= PDF_TREE_FAN;
        size_t groups = top ? 1 : (n + PDF_TREE_FAN - 1) / PDF_TREE_FAN;
        size_t prev_first = level_first;
        level_first = n_nodes;
        for (size_t g = 0; g < groups; g++) {
            size_t from = g * PDF_TREE_FAN;
            size_t to = from + PDF_TREE_FAN < n ? from + PDF_TREE_FAN : n;
            cb_grow(&nodes, &cap_nodes, n_nodes, sizeof *nodes);
            tree_node *t = &nodes[n_nodes++];
            *t = (tree_node){top ? w->pages_root : obj_new(w), 0, n_all,
                             to - from, 0};
            for (size_t i = from; i < to; i++) {
                cb_grow(&all, &cap_all, n_all, sizeof *all);
                all[n_all++] = items[i];
                t->count += count[i];
                if (bottom)
                    parent[i] = t->num;
                else
                    nodes[prev_first + i].parent = t->num;
            }
        }
        for (size_t g = 0; g < groups; g++) {
            items[g] = nodes[level_first + g].num;
            count[g] = nodes[level_first + g].count;
        }
        n = groups;
        if (top)
            break;
    }
    cb_buf *b = &w->obj;
    for (size_t j = 0; j < n_nodes; j++) {
        const tree_node *t = &nodes[j];
        b->len = 0;
        cb_buf_puts(b, "<</Type/Pages");
        if (t->parent)
            cb_buf_printf(b, "/Parent %u 0 R", t->parent);
        cb_buf_puts(b, "/Kids[");
        for (size_t i = 0; i < t->n; i++)
            cb_buf_printf(b, "%s%u 0 R", i ? " " : "", all[t->first + i]);
        cb_buf_printf(b, "]/Count %zu>>", t->count);
        put_obj(w, t->num, b);
    }
    free(nodes);
    free(all);
    free(items);
    free(count);
}

/* The page object of page p, placed under `parent`. */
static void put_page(writer *w, const cb_page *p, unsigned parent)
{
    int number = cb_page_number(p);
    const page_objs *po = page_at(w, number);
    float pw, ph, m = w->trim, e = w->bleed;
    cb_page_size(p, &pw, &ph);
    cb_buf *b = &w->obj;
    b->len = 0;
    cb_buf_printf(b, "<</Type/Page/Parent %u 0 R", parent);
    put_box(b, "MediaBox", 0, 0, pw + 2 * m, ph + 2 * m);
    if (m > 0) {
        put_box(b, "TrimBox", m, m, m + pw, m + ph);
        put_box(b, "BleedBox", m - e, m - e, m + pw + e, m + ph + e);
    }
    cb_buf_printf(b, "/Resources %u 0 R/Contents %u 0 R", w->resources,
                  po->content);
    if (po->n_annots) {
        cb_buf_puts(b, "/Annots[");
        for (int i = 0; i < po->n_annots; i++)
            cb_buf_printf(b, "%s%u 0 R", i ? " " : "", po->annots + i);
        cb_buf_putc(b, ']');
    }
    if (w->tags)
        cb_buf_printf(b, "/StructParents %ld/Tabs/S",
                      pdf_tags_page_key(w->tags, number));
    cb_buf_puts(b, ">>");
    put_obj(w, po->obj, b);
}

/* The links to pages, now that every page has its place. */
static void put_go_links(writer *w)
{
    cb_buf *b = &w->obj;
    for (size_t i = 0; i < w->n_go; i++) {
        const go_link *g = &w->go[i];
        b->len = 0;
        link_head(b, g->rect);
        /* a destination keeps the reader's zoom: [page /XYZ 0 top null]
         * (libharu 2.3.0 cannot say so: its zoom must be 0.08-32) */
        cb_buf_printf(b, "/Dest[%u 0 R/XYZ 0 ", page_obj(w, g->target));
        cb_buf_num(b, g->top, PDF_REAL_DECIMALS);
        cb_buf_printf(b, " null]/Contents(Page %d)",
                      cb_dlist_position(w->dl, g->target) + 1);
        if (g->key >= 0)
            cb_buf_printf(b, "/StructParent %ld", g->key);
        cb_buf_puts(b, ">>");
        put_obj(w, g->obj, b);
    }
}

/* The pages in the document's order under the page tree. */
static void put_pages(writer *w)
{
    const cb_dlist *dl = w->dl;
    size_t n = cb_dlist_page_count(dl);
    unsigned *kids = cb_xmalloc((n + 1) * sizeof *kids);
    unsigned *parent = cb_xmalloc((n + 1) * sizeof *parent);
    for (size_t i = 0; i < n; i++)
        kids[i] = page_obj(w, cb_page_number(cb_dlist_page(dl, i)));
    put_page_tree(w, kids, n, parent);
    for (size_t i = 0; i < n; i++)
        put_page(w, cb_dlist_page(dl, i), parent[i]);
    free(kids);
    free(parent);
}

/* Saddle stitch (see CB_IMPOSE_BOOKLET): n pages padded to N, a multiple
 * of four; sheet s's front holds pages N-1-2s and 2s, its back 2s+1 and
 * N-2-2s (places in the document), so that the folded stack reads in
 * order. Each side of a sheet is a page twice a page's width, with the
 * print geometry's margin, boxes and marks around it; each page is its
 * form, clipped at the trim on the fold side and at the bleed elsewhere,
 * so that neither page's bleed nor its own marks reach the other. */
static void put_sheets(writer *w)
{
    const cb_dlist *dl = w->dl;
    int n = (int)cb_dlist_page_count(dl), total = (n + 3) / 4 * 4;
    if (n == 0)
        return;
    float pw, ph;
    cb_page_size(cb_dlist_page(dl, 0), &pw, &ph);
    float m = w->trim, e = w->bleed, sw = 2 * pw;
    size_t n_sheets = (size_t)total / 2;
    unsigned *kids = cb_xmalloc(n_sheets * sizeof *kids);
    unsigned *parent = cb_xmalloc(n_sheets * sizeof *parent);
    for (size_t i = 0; i < n_sheets; i++)
        kids[i] = obj_new(w);
    put_page_tree(w, kids, n_sheets, parent);
    cb_buf *b = &w->obj;
    for (int s = 0; s < total / 4; s++) {
        int side[4] = {total - 1 - 2 * s, 2 * s, 2 * s + 1, total - 2 - 2 * s};
        for (int h = 0; h < 2; h++) {
            size_t sheet = (size_t)(2 * s + h);
            w->ops.len = 0;
            b->len = 0;
            cb_buf_puts(b, "/Resources<</XObject<<");
            for (int k = 0; k < 2; k++) {
                int at = side[2 * h + k];
                if (at >= n)
                    continue; /* a blank page */
                int number = cb_page_number(cb_dlist_page(dl, (size_t)at));
                cb_buf_printf(b, "/Pg%d %u 0 R", number,
                              page_at(w, number)->content);
                /* clipped: the left page at the fold on its right */
                float clip[4] = {k ? m + pw : m - e, m - e, pw + e,
                                 ph + 2 * e};
                float at_xy[2] = {m + (k ? pw : 0), m};
                cb_buf_puts(&w->ops, "q ");
                put_nums(&w->ops, clip, 4, 2);
                cb_buf_puts(&w->ops, "re W n 1 0 0 1 ");
                put_nums(&w->ops, at_xy, 2, 2);
                cb_buf_printf(&w->ops, "cm /Pg%d Do Q\n", number);
            }
            cb_buf_puts(b, ">>>>");
            if (m > 0)
                sheet_marks(&w->ops, m, m, sw, ph,
                            e > CB_MARK_OFFSET_PT ? e : CB_MARK_OFFSET_PT,
                            CB_MARK_LENGTH_PT);
            unsigned content = obj_new(w);
            put_stream(w, content, "", w->ops.data ? w->ops.data : "",
                       w->ops.len);
            cb_buf keys = {0};
            cb_buf_printf(&keys, "<</Type/Page/Parent %u 0 R", parent[sheet]);
            put_box(&keys, "MediaBox", 0, 0, sw + 2 * m, ph + 2 * m);
            if (m > 0) {
                put_box(&keys, "TrimBox", m, m, m + sw, m + ph);
                put_box(&keys, "BleedBox", m - e, m - e, m + sw + e,
                        m + ph + e);
            }
            cb_buf_add(&keys, b->data, b->len);
            cb_buf_printf(&keys, "/Contents %u 0 R>>", content);
            put_obj(w, kids[sheet], &keys);
            cb_buf_free(&keys);
        }
    }
    free(kids);
    free(parent);
}

/* The bookmarks, as the list has them (in reading order, each level at
 * most one below the one before: a deeper one moves up), top-level ones
 * open. Returns the outline root's number, or 0 without bookmarks. */
static unsigned put_outlines(writer *w)
{
    size_t n;
    const cb_outline *o = cb_dlist_outlines(w->dl, &n);
    if (!n)
        return 0;
    unsigned root = obj_new(w), first = w->n_objs + 1;
    for (size_t i = 0; i < n; i++)
        obj_new(w);
    /* the tree: parent, siblings, first and last kid (-1: none; the
     * root's kids have parent -1) */
    long *up = cb_xmalloc(n * sizeof *up), *prev = cb_xmalloc(n * sizeof *prev);
    long *next = cb_xmalloc(n * sizeof *next);
    long *kid0 = cb_xmalloc(n * sizeof *kid0), *kidn = cb_xmalloc(n * sizeof *kidn);
    long *sub = cb_xcalloc(n, sizeof *sub); /* kids, and theirs when open */
    char *open = cb_xcalloc(n, 1);
    long parents[8], last_top = -1, first_top = -1;
    for (int k = 0; k < 8; k++)
        parents[k] = -1;
    for (size_t i = 0; i < n; i++) {
        int level = o[i].level < 0 ? 0 : o[i].level > 7 ? 7 : o[i].level;
        while (level > 0 && parents[level - 1] < 0)
            level--;
        long p = level ? parents[level - 1] : -1;
        long *lastp = p < 0 ? &last_top : &kidn[p];
        up[i] = p;
        kid0[i] = kidn[i] = next[i] = -1;
        prev[i] = *lastp;
        if (*lastp >= 0)
            next[*lastp] = (long)i;
        else if (p < 0)
            first_top = (long)i;
        else
            kid0[p] = (long)i;
        *lastp = (long)i;
        open[i] = level == 0;
        parents[level] = (long)i;
        for (int k = level + 1; k < 8; k++)
            parents[k] = -1;
    }
    /* what each shows when open: its kids and, of those open, theirs
     * (a kid comes after its parent: count from the end) */
    long top_count = 0;
    for (size_t j = n; j-- > 0;) {
        long shown = 1 + (open[j] ? sub[j] : 0);
        if (up[j] >= 0)
            sub[up[j]] += shown;
        else
            top_count += shown;
    }
    cb_buf *b = &w->obj;
    char buf[PDF_TEXT_MAX_BYTES + 4];
    for (size_t i = 0; i < n; i++) {
        b->len = 0;
        cb_buf_puts(b, "<</Title");
        pdf_text_string(b, pdf_text(o[i].title, buf));
        cb_buf_printf(b, "/Parent %u 0 R",
                      up[i] < 0 ? root : first + (unsigned)up[i]);
        if (prev[i] >= 0)
            cb_buf_printf(b, "/Prev %u 0 R", first + (unsigned)prev[i]);
        if (next[i] >= 0)
            cb_buf_printf(b, "/Next %u 0 R", first + (unsigned)next[i]);
        if (kid0[i] >= 0)
            cb_buf_printf(b, "/First %u 0 R/Last %u 0 R/Count %ld",
                          first + (unsigned)kid0[i],
                          first + (unsigned)kidn[i],
                          open[i] ? sub[i] : -sub[i]);
        cb_buf_printf(b, "/Dest[%u 0 R/XYZ 0 ", page_obj(w, o[i].page));
        cb_buf_num(b, o[i].y + w->trim, PDF_REAL_DECIMALS);
        cb_buf_puts(b, " null]>>");
        put_obj(w, first + (unsigned)i, b);
    }
    b->len = 0;
    cb_buf_printf(b, "<</Type/Outlines/First %u 0 R/Last %u 0 R/Count %ld>>",
                  first + (unsigned)first_top, first + (unsigned)last_top,
                  top_count);
    put_obj(w, root, b);
    free(up);
    free(prev);
    free(next);
    free(kid0);
    free(kidn);
    free(sub);
    free(open);
    return root;
}

/* libharu's write callback: into our file, or into w->lib_to. */
static HPDF_STATUS write_lib(HPDF_Stream stream, const HPDF_BYTE *p,
                             HPDF_UINT n)
{
    writer *w = stream->attr;
    if (w->lib_to)
        cb_buf_add(w->lib_to, (const char *)p, n);
    else
        emit(w, p, n);
    return HPDF_OK;
}

/* Whether libharu's object obj is written: all but its page tree's
 * root, which ours replaces. */
static int lib_written(const writer *w, const void *obj)
{
    return obj != (const void *)w->pdf->root_pages;
}

/* Numbers libharu's objects after ours: each takes the next number, in
 * its header, where libharu's references read it. */
static void number_lib(writer *w)
{
    HPDF_Xref xref = w->pdf->xref;
    for (HPDF_UINT i = 1; i < xref->entries->count; i++) {
        HPDF_Obj_Header *h = HPDF_Xref_GetEntry(xref, i)->obj;
        if (lib_written(w, h))
            h->obj_id = (h->obj_id & 0xFF000000u) | obj_new(w);
    }
}

/* Whether libharu's object is a stream that it would deflate itself
 * (font files, ToUnicode maps, CID sets, PNG images, ICC profiles,
 * attachments) and that we can write instead: a plain dictionary besides. */
static int deflated_by_lib(const void *obj)
{
    const HPDF_Obj_Header *h = obj;
    if ((h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT)
        return 0;
    const HPDF_Dict_Rec *d = obj;
    return d->stream && d->filter == HPDF_STREAM_FILTER_FLATE_DECODE &&
           !d->filterParams && !d->write_fn;
}

/* A stream of libharu's written as ours: its dictionary's keys by libharu
 * (through s, into w->lib_to), its data compressed by libdeflate rather
 * than by libharu's zlib, which takes six times as long (6 % of a run on
 * an empty event, 2 % on the FEL2022 report). -1 when libharu cannot
 * give its data. */
static int put_lib_stream(writer *w, unsigned num, HPDF_Dict d, HPDF_Stream s)
{
    if (d->before_write_fn && d->before_write_fn(d) != HPDF_OK)
        return -1;
    cb_buf data = {0};
    /* emptied as a string too: a ToUnicode map has no key to write, and
     * the last stream's keys must not show through */
    w->lib_keys.len = 0;
    cb_buf_add(&w->lib_keys, "", 0);
    w->lib_to = &w->lib_keys;
    HPDF_Number length = NULL;
    for (HPDF_UINT i = 0; i < d->list->count; i++) {
        HPDF_DictElement e = HPDF_List_ItemAt(d->list, i);
        /* what HPDF_Dict_Write leaves out, left out */
        if (!e->value ||
            (((HPDF_Obj_Header *)e->value)->obj_id & HPDF_OTYPE_HIDDEN))
            continue;
        if (!strcmp(e->key, "Length")) {
            length = e->value;
        } else if (strcmp(e->key, "Filter") && strcmp(e->key, "DecodeParms")) {
            HPDF_Stream_WriteEscapeName(s, e->key);
            HPDF_Stream_WriteChar(s, ' ');
            HPDF_Obj_Write(e->value, s, NULL);
            HPDF_Stream_WriteChar(s, '\n');
        }
    }
    w->lib_to = NULL;
    HPDF_UINT32 size = HPDF_Stream_Size(d->stream);
    cb_buf_reserve(&data, size);
    HPDF_UINT got = size;
    int ok = !w->err.status &&
             HPDF_Stream_Seek(d->stream, 0, HPDF_SEEK_SET) == HPDF_OK &&
             (size == 0 || HPDF_Stream_Read(d->stream, (HPDF_BYTE *)data.data,
                                            &got) == HPDF_OK) &&
             got == size;
    if (ok) {
        /* libharu's own /Length object, no longer referred to (the
         * length is written whole), kept true all the same */
        put_stream_length(w, num, w->lib_keys.data, data.data, size, length);
        ok = !d->after_write_fn || d->after_write_fn(d) == HPDF_OK;
    }
    cb_buf_free(&data);
    return ok ? 0 : -1;
}

/* libharu's objects; packed, those that are not streams go into object
 * streams with ours. */
static int put_lib(writer *w)
{
    HPDF_Stream s = HPDF_CallbackWriter_New(w->pdf->mmgr, write_lib, w);
    if (!s)
        return -1;
    HPDF_Xref xref = w->pdf->xref;
    int failed = 0;
    for (HPDF_UINT i = 1; i < xref->entries->count; i++) {
        void *obj = HPDF_Xref_GetEntry(xref, i)->obj;
        if (!lib_written(w, obj))
            continue;
        unsigned num = ((HPDF_Obj_Header *)obj)->obj_id & 0xFFFFFF;
        int is_stream =
            (((HPDF_Obj_Header *)obj)->obj_class & HPDF_OCLASS_ANY) ==
                HPDF_OCLASS_DICT && ((HPDF_Dict)obj)->stream;
        if (deflated_by_lib(obj)) {
            if ((failed = put_lib_stream(w, num, obj, s) < 0))
                break;
            continue;
        }
        if (w->packed && !is_stream) {
            cb_buf *b = &w->obj;
            b->len = 0;
            w->lib_to = b;
            HPDF_STATUS st = HPDF_Obj_WriteValue(obj, s, NULL);
            w->lib_to = NULL;
            if (st != HPDF_OK)
                break;
            put_obj(w, num, b);
            continue;
        }
        obj_begin(w, num);
        if (HPDF_Obj_WriteValue(obj, s, NULL) != HPDF_OK)
            break;
        emit_str(w, "\nendobj\n");
    }
    HPDF_Stream_Free(s);
    return failed || w->err.status ? -1 : 0;
}

/* The trailer's keys: /Size, /Root, /Info. */
static void trailer_keys(writer *w, cb_buf *b)
{
    cb_buf_printf(b, "/Size %u/Root %u 0 R", w->n_objs + 1,
                  w->pdf->catalog->header.obj_id & 0xFFFFFF);
    if (w->pdf->info)
        cb_buf_printf(b, "/Info %u 0 R",
                      w->pdf->info->header.obj_id & 0xFFFFFF);
}

/* /ID: a digest of everything written so far, twice. */
static void put_id(writer *w, cb_buf *b)
{
    HPDF_BYTE id[16];
    HPDF_MD5_CTX md5 = w->md5;
    HPDF_MD5Final(id, &md5);
    cb_buf_puts(b, "/ID [<");
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 16; i++)
            cb_buf_printf(b, "%02X", id[i]);
        cb_buf_puts(b, k ? ">]" : "> <");
    }
}

/* A cross-reference stream (PDF 1.5): a row per object, its type (0
 * free, 1 at an offset, 2 in an object stream), offset or object stream,
 * and generation or index. Its dictionary is the trailer. */
static void put_xref_stream(writer *w)
{
    unsigned self = obj_new(w);
    size_t at = w->pos;
    w->offset[self] = at;
    int wide = at > 0xFFFFFFFFu ? 8 : 4;
    cb_buf rows = {0}, *b = &w->obj;
    for (unsigned i = 0; i <= w->n_objs; i++) {
        unsigned char row[11];
        unsigned long long f2 = i == 0 ? 0
                                : w->stm_of[i] ? w->stm_of[i] : w->offset[i];
        unsigned f3 = i == 0 ? 65535 : w->stm_of[i] ? (unsigned)w->offset[i] : 0;
        row[0] = i == 0 ? 0 : w->stm_of[i] ? 2 : 1;
        for (int k = 0; k < wide; k++)
            row[1 + k] = (unsigned char)(f2 >> (8 * (wide - 1 - k)));
        row[1 + wide] = (unsigned char)(f3 >> 8);
        row[2 + wide] = (unsigned char)f3;
        cb_buf_add(&rows, (const char *)row, (size_t)(3 + wide));
    }
    b->len = 0;
    cb_buf_printf(b, "/Type/XRef/W[1 %d 2]", wide);
    trailer_keys(w, b);
    put_id(w, b);
    put_stream(w, self, b->data, rows.data, rows.len);
    cb_buf_free(&rows);
    b->len = 0;
    cb_buf_printf(b, "startxref\n%zu\n%%%%EOF\n", at);
    emit(w, b->data, b->len);
}

/* The cross-reference table and the trailer, its /ID a digest of
 * everything before it, so that the same input gives the same bytes
 * (PDF/A asks for one). A number given but never written (no object
 * needed it after all) is written as null first. */
static void put_xref(writer *w)
{
    cb_buf *b = &w->obj;
    flush_stm(w);
    end_stop(w); /* every offset known */
    for (unsigned i = 1; i <= w->n_objs; i++)
        if (!w->offset[i] && !w->stm_of[i]) {
            b->len = 0;
            cb_buf_puts(b, "null");
            put_obj(w, i, b);
        }
    if (w->packed) {
        flush_stm(w);
        put_xref_stream(w);
        flush_out(w);
        return;
    }
    size_t at = w->pos;
    b->len = 0;
    cb_buf_printf(b, "xref\n0 %u\n0000000000 65535 f\r\n", w->n_objs + 1);
    for (unsigned i = 1; i <= w->n_objs; i++)
        cb_buf_printf(b, "%010zu 00000 n\r\n", w->offset[i]);
    cb_buf_puts(b, "trailer\n<<");
    trailer_keys(w, b);
    emit(w, b->data, b->len);
    b->len = 0;
    put_id(w, b);
    cb_buf_printf(b, ">>\nstartxref\n%zu\n%%%%EOF\n", at);
    emit(w, b->data, b->len);
    flush_out(w);
}

/* What the catalog says besides libharu's own: our page tree, bookmarks
 * and structure tree, the page labels, the metadata. */
static void complete_catalog(writer *w, unsigned outlines)
{
    const cb_dlist *dl = w->dl;
    HPDF_Dict catalog = w->pdf->catalog;
    HPDF_MMgr mmgr = w->pdf->mmgr;
    HPDF_Dict_Add(catalog, "Pages", ref_to(w, w->pages_root));
    if (outlines) {
        HPDF_Dict_Add(catalog, "Outlines", ref_to(w, outlines));
        HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    }
    if (w->impose == CB_IMPOSE_NONE) {
        size_t nl;
        const cb_page_label *pl = cb_dlist_page_labels(dl, &nl);
        for (size_t i = 0; i < nl; i++)
            HPDF_AddPageLabel(w->pdf, (HPDF_UINT)pl[i].page,
                              pl[i].roman ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
                                          : HPDF_PAGE_NUM_STYLE_DECIMAL,
                              (HPDF_UINT)pl[i].first, NULL);
    }
    if (w->tags) {
        HPDF_Dict_Add(catalog, "StructTreeRoot", ref_to(w, w->tags_root));
        HPDF_Dict mark = HPDF_Dict_New(mmgr);
        if (mark) {
            HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
            HPDF_Dict_Add(catalog, "MarkInfo", mark);
        }
        HPDF_Dict prefs = HPDF_Dict_New(mmgr);
        if (prefs) {
            HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE);
            HPDF_Dict_Add(catalog, "ViewerPreferences", prefs);
        }
        const char *lang = cb_dlist_info(dl, "Lang");
        if (lang && *lang)
            HPDF_Dict_Add(catalog, "Lang", HPDF_String_New(mmgr, lang, NULL));
    }
}

cb_pdf_writer *cb_pdf_begin(const cb_dlist *dl, const cb_fonts *fonts,
                            const cb_pdf_options *opts, cb_output *out,
                            const char *name, cb_diag *diag)
{
    writer *w = cb_xcalloc(1, sizeof *w);
    w->tm_scale = 1;
    w->dl = dl;
    w->fonts = fonts;
    w->out = out;
    w->name = name;
    w->diag = diag;
    w->pdfa = opts ? opts->pdfa : CB_PDFA_NONE;
    w->impose = opts ? opts->impose : CB_IMPOSE_NONE;
    w->pdf = HPDF_New(on_error, &w->err);
    w->deflate = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL);
    if (!w->pdf || !w->deflate) {
        cb_diag_error(diag, NULL, "cannot create a PDF document");
        cb_pdf_free(w);
        return NULL;
    }
    HPDF_SetCompressionMode(w->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(w->pdf);
    HPDF_SetCurrentEncoder(w->pdf, "UTF-8");
    HPDF_MD5Init(&w->md5);
    /* PDF 1.4: transparency (an image's alpha), marked content; 1.5:
     * object streams, which PDF/A-1 forbids (PDF/A keeps the classic
     * table that every archive tool reads) */
    w->packed = w->pdfa == CB_PDFA_NONE;
    emit_str(w, w->packed ? "%PDF-1.5\n%\xB7\xBE\xAD\xAA\n"
                          : "%PDF-1.4\n%\xB7\xBE\xAD\xAA\n");
    w->pages_root = obj_new(w);
    w->resources = obj_new(w);
    return w;
}

int cb_pdf_finish(cb_pdf_writer *w)
{
    const cb_dlist *dl = w->dl;
    cb_diag *diag = w->diag;
    if (w->pdfa != CB_PDFA_NONE && (cb_dlist_text_color(dl) & CB_CMYK)) {
        cb_diag_error(diag, NULL, "PDF/A needs RGB colours: these are "
                      "device CMYK, for which there is no output intent");
        return CB_EXIT_USAGE;
    }
    /* the pages not handed over yet (all of them, without a sink) */
    for (size_t i = 0; i < cb_dlist_page_count(dl); i++) {
        const cb_page *p = cb_dlist_page_added(dl, i);
        if ((i >= w->n_pages || !w->pages[i].written) && cb_pdf_page(w, p) < 0)
            break;
    }
    end_start(w);
    w->text_color = cb_dlist_text_color(dl); /* CMYK: images too */
    if (load_fonts(w, diag) < 0 || load_images(w, dl, diag) < 0)
        return w->rc ? w->rc : CB_EXIT_INTERNAL;
    for (int i = 0; i < w->n_faces; i++)
        describe_font(w, w->hfonts[i], &w->faces[w->face_of[i]].sub);
    if (w->tags)
        w->tags_root = obj_new(w);
    unsigned outlines = w->impose == CB_IMPOSE_NONE ? put_outlines(w) : 0;
    complete_catalog(w, outlines);
    set_info(w, dl);
    add_metadata(w, dl);
    if (w->pdfa != CB_PDFA_NONE && add_output_intent(w, diag) < 0)
        return w->rc;
    if (w->pdfa == CB_PDFA_3B)
        add_attachments(w, dl);
    if (w->err.status) {
        cb_diag_error(diag, NULL, "libharu failed (error 0x%04X, detail %u)",
                      (unsigned)w->err.status, (unsigned)w->err.detail);
        return CB_EXIT_INTERNAL;
    }
    if (w->impose == CB_IMPOSE_BOOKLET) {
        put_sheets(w);
    } else {
        put_go_links(w);
        put_pages(w);
    }
    if (w->tags) {
        size_t n = cb_dlist_page_count(dl);
        int *places = cb_xmalloc((n + 1) * sizeof *places);
        for (size_t i = 0; i < n; i++) /* tag pages are in added order */
            places[i] = cb_dlist_position(dl, (int)i);
        unsigned first = w->n_objs + 1;
        for (size_t i = pdf_tags_count(w->tags); i > 0; i--)
            obj_new(w);
        pdf_tags_write(w->tags, w->tags_root, first, places, put_tag_obj, w);
        free(places);
    }
    number_lib(w);
    put_resources(w);
    if (put_lib(w) < 0) {
        cb_diag_error(diag, w->name, "libharu could not write the document "
                      "(error 0x%04X, detail %u)", (unsigned)w->err.status,
                      (unsigned)w->err.detail);
        return CB_EXIT_INTERNAL;
    }
    put_xref(w);
    if (w->io_errno) {
        cb_diag_error(diag, w->name, "cannot write: %s",
                      strerror(w->io_errno));
        return CB_EXIT_IO;
    }
    return CB_EXIT_OK;
}

void cb_pdf_free(cb_pdf_writer *w)
{
    if (!w)
        return;
    end_free(w); /* a run that failed at the end */
    for (size_t i = 0; i < w->n_refs; i++)
        HPDF_Obj_ForceFree(w->pdf->mmgr, w->refs[i]);
    HPDF_Free(w->pdf);
    pdf_tags_free(w->tags);
    free(w->refs);
    for (size_t i = 0; i < w->cap_faces; i++) {
        free(w->faces[i].code);
        free(w->faces[i].cids);
        cb_font_subset_free(&w->faces[i].sub);
    }
    free(w->faces);
    free(w->face_of);
    free(w->hfonts);
    free(w->himages);
    cb_buf_free(&w->tag_ops);
    cb_buf_free(&w->lib_keys);
    cb_buf_free(&w->ops);
    cb_buf_free(&w->obj);
    cb_buf_free(&w->obuf);
    free(w->z);
    libdeflate_free_compressor(w->deflate);
    free(w->offset);
    free(w->stm_of);
    cb_buf_free(&w->stm_head);
    cb_buf_free(&w->stm_body);
    free(w->pages);
    free(w->go);
    free(w);
}

int cb_pdf_write(const cb_dlist *dl, const cb_fonts *fonts,
                 const cb_pdf_options *opts, cb_output *out, const char *name,
                 cb_diag *diag)
{
    cb_pdf_writer *w = cb_pdf_begin(dl, fonts, opts, out, name, diag);
    if (!w)
        return CB_EXIT_INTERNAL;
    int rc = cb_pdf_finish(w);
    cb_pdf_free(w);
    return rc;
}

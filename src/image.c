/* image.c - PNG and JPEG files: read, recognised and measured (see
 * cb_image.h). A JPEG's header is parsed here and the file embedded as
 * it is; a PNG is decoded whole by libpng's simplified API, which returns
 * its errors instead of aborting. */
#include "cb_image.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
           (unsigned long)p[2] << 8 | p[3];
}

/* A PNG: IHDR first, as the format requires; pHYs, if any, before IDAT. */
static const char *png_header(const unsigned char *d, size_t n, cb_image *im)
{
    if (n < 33 || memcmp(d + 12, "IHDR", 4) || be32(d + 8) != 13)
        return "a PNG file without its header (IHDR): damaged";
    unsigned long w = be32(d + 16), h = be32(d + 20);
    int depth = d[24], type = d[25];
    /* the combinations the PNG specification allows (table 11.1) */
    int ok = (type == 0 && (depth == 1 || depth == 2 || depth == 4 ||
                            depth == 8 || depth == 16)) ||
             (type == 3 && depth <= 8 && (depth & (depth - 1)) == 0) ||
             ((type == 2 || type == 4 || type == 6) &&
              (depth == 8 || depth == 16));
    if (!ok || d[26] || d[27] || d[28] > 1)
        return "a PNG file with a header no PNG has: damaged";
    if (w == 0 || h == 0 || w > 0x7FFFFFFF || h > 0x7FFFFFFF)
        return "a PNG file of no pixels";
    im->width_px = (int)w;
    im->height_px = (int)h;
    for (size_t at = 33; at + 12 <= n;) {
        unsigned long len = be32(d + at);
        if (len > n - at - 12)
            break;
        if (!memcmp(d + at + 4, "IDAT", 4))
            break;
        if (!memcmp(d + at + 4, "pHYs", 4) && len == 9 && d[at + 16] == 1)
            im->dpi = (float)be32(d + at + 8) * 0.0254f; /* per metre */
        at += 12 + len;
    }
    return NULL;
}

/* The orientation in an EXIF block (a TIFF header, then IFD0), or 1. */
static int exif_orientation(const unsigned char *t, size_t n)
{
    if (n < 8 || (memcmp(t, "II*\0", 4) && memcmp(t, "MM\0*", 4)))
        return 1;
    int le = t[0] == 'I';
#define U16(p) (le ? (unsigned)(p)[0] | (unsigned)(p)[1] << 8 : be16(p))
#define U32(p) (le ? (unsigned long)U16(p) | (unsigned long)U16((p) + 2) << 16 \
                   : be32(p))
    unsigned long ifd = U32(t + 4);
    if (ifd > n - 2)
        return 1;
    unsigned count = U16(t + ifd);
    for (unsigned i = 0; i < count && ifd + 2 + 12 * (i + 1) <= n; i++) {
        const unsigned char *e = t + ifd + 2 + 12 * i;
        if (U16(e) == 0x0112) {
            unsigned v = U16(e + 8);
            return v >= 1 && v <= 8 ? (int)v : 1;
        }
    }
    return 1;
#undef U16
#undef U32
}

/* A JPEG: markers up to the frame header (SOF), with the JFIF density
 * and the EXIF orientation. */
static const char *jpeg_header(const unsigned char *d, size_t n, cb_image *im)
{
    for (size_t at = 2; at + 4 <= n;) {
        if (d[at] != 0xFF)
            return "a JPEG file with a damaged header";
        unsigned m = d[at + 1], len = be16(d + at + 2);
        if (m == 0xFF) { /* fill byte */
            at++;
            continue;
        }
        if (len < 2 || len > n - at - 2)
            break;
        const unsigned char *p = d + at + 4;
        if (m == 0xE1 && len >= 16 && !memcmp(p, "Exif\0\0", 6))
            im->orientation = exif_orientation(p + 6, len - 8);
        if (m == 0xE0 && len >= 14 && !memcmp(p, "JFIF", 5) && p[7] &&
            be16(p + 8))
            im->dpi = (float)be16(p + 8) * (p[7] == 2 ? 2.54f : 1.0f);
        if (m == 0xC0 || m == 0xC1 || m == 0xC2) {
            if (len < 8)
                break;
            im->height_px = (int)be16(p + 1);
            im->width_px = (int)be16(p + 3);
            if (p[5] != 1 && p[5] != 3 && p[5] != 4)
                return "a JPEG file with neither 1, 3 nor 4 colour "
                       "components";
            if (!im->width_px || !im->height_px)
                return "a JPEG file of no pixels (its height is set later, "
                       "which PDF does not allow)";
            /* the image data is embedded as it is: it must be whole */
            if (n < 4 || d[n - 2] != 0xFF || d[n - 1] != 0xD9) {
                size_t end = n;
                while (end > at && (d[end - 1] == 0 || d[end - 1] == '\n' ||
                                    d[end - 1] == '\r'))
                    end--; /* padding after the end marker */
                if (end < 2 || d[end - 2] != 0xFF || d[end - 1] != 0xD9)
                    return "a JPEG file cut short: it has no end (EOI "
                           "marker)";
            }
            return NULL;
        }
        if ((m >= 0xC3 && m <= 0xCF && m != 0xC4 && m != 0xC8 &&
             m != 0xCC))
            return "a lossless or arithmetic-coded JPEG, which PDF cannot "
                   "hold: save it as a baseline or progressive JPEG, or as "
                   "PNG";
        at += 2 + len;
    }
    return "a JPEG file without a frame header: damaged or cut short";
}

/* Decodes a PNG into im: grey or RGB samples, and an alpha plane when it
 * has transparency (an alpha channel or tRNS). The pixel count was
 * checked from the header first. */
static const char *png_decode(const unsigned char *d, size_t n, cb_image *im,
                              cb_arena *arena, char *why, size_t why_n)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&pi, d, n))
        goto fail;
    int grey = !(pi.format & PNG_FORMAT_FLAG_COLOR);
    int alpha = (pi.format & PNG_FORMAT_FLAG_ALPHA) != 0;
    pi.format = (grey ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB) |
                (alpha ? PNG_FORMAT_FLAG_ALPHA : 0);
    pi.flags |= PNG_IMAGE_FLAG_16BIT_sRGB; /* 16 bits: sRGB, not linear */
    size_t px = (size_t)pi.width * pi.height, ch = grey ? 1 : 3;
    unsigned char *buf = cb_xmalloc(px * (ch + (size_t)alpha));
    if (!png_image_finish_read(&pi, NULL, buf, 0, NULL)) {
        free(buf);
        goto fail;
    }
    unsigned char *color = cb_arena_alloc(arena, px * ch);
    unsigned char *opacity = alpha ? cb_arena_alloc(arena, px) : NULL;
    int opaque = 1;
    for (size_t i = 0; i < px; i++) { /* colour and alpha apart, for PDF */
        const unsigned char *p = buf + i * (ch + (size_t)alpha);
        memcpy(color + i * ch, p, ch);
        if (alpha)
            opaque &= (opacity[i] = p[ch]) == 255;
    }
    free(buf);
    im->data = color;
    im->len = px * ch;
    im->channels = (int)ch;
    im->alpha = alpha && !opaque ? opacity : NULL;
    return NULL;
fail:
    snprintf(why, why_n, "a damaged PNG file: %s", pi.message);
    png_image_free(&pi);
    return why;
}

int cb_image_read(const char *path, cb_arena *arena, cb_image *out,
                  char *why, size_t n)
{
    memset(out, 0, sizeof *out);
    out->orientation = 1;
    cb_buf b = {0};
    int rc = cb_read_file(path, CB_IMAGE_MAX_BYTES, &b);
    const char *bad = NULL;
    if (rc == CB_READ_TOO_BIG)
        bad = "larger than 16 MiB, too large for an image in a booklet";
    else if (rc != 0)
        bad = cb_read_error(rc);
    else if (b.len >= 8 && !memcmp(b.data, "\x89PNG\r\n\x1a\n", 8))
        out->type = CB_IMAGE_PNG,
        bad = png_header((unsigned char *)b.data, b.len, out);
    else if (b.len >= 3 && !memcmp(b.data, "\xFF\xD8\xFF", 3))
        out->type = CB_IMAGE_JPEG,
        bad = jpeg_header((unsigned char *)b.data, b.len, out);
    else
        bad = "not a PNG or JPEG image";
    if (!bad && (long)out->width_px * out->height_px > CB_IMAGE_MAX_PIXELS)
        bad = "more than 25 million pixels, too large to decode for a "
              "booklet";
    if (!bad && out->type == CB_IMAGE_PNG)
        bad = png_decode((unsigned char *)b.data, b.len, out, arena, why, n);
    if (bad) {
        if (bad != why)
            snprintf(why, n, "%s", bad);
        cb_buf_free(&b);
        return -1;
    }
    if (out->type == CB_IMAGE_JPEG) {
        unsigned char *copy = cb_arena_alloc(arena, b.len);
        memcpy(copy, b.data, b.len);
        out->data = copy;
        out->len = b.len;
    }
    if (out->dpi < 10 || out->dpi > 10000) /* unset, or nonsense */
        out->dpi = 0;
    cb_buf_free(&b);
    return 0;
}

float cb_image_width_pt(const cb_image *im)
{
    int px = im->orientation >= 5 ? im->height_px : im->width_px;
    return (float)px * 72.0f / (im->dpi ? im->dpi : 150.0f);
}

float cb_image_height_pt(const cb_image *im)
{
    int px = im->orientation >= 5 ? im->width_px : im->height_px;
    return (float)px * 72.0f / (im->dpi ? im->dpi : 150.0f);
}

/* cb_image.h - a PNG or JPEG file a layout or a preface names: read,
 * recognised and measured here (a PNG decoded, by libpng, the only module
 * that includes it), embedded by the PDF writer. Reading is done up front
 * so that a bad image is an error at its place, never a failure while the
 * PDF is written: libharu 2.3.0's own PNG loader aborts the process on a
 * damaged file (libpng's error handler without a setjmp) and cannot read
 * an interlaced one. */
#ifndef CB_IMAGE_H
#define CB_IMAGE_H

#include <stddef.h>

#include "cb_util.h"

/* An image file holds at most 16 MiB: a logo or a figure for a booklet,
 * a full A4 page at 300 dpi is under 10 MiB as PNG. */
#define CB_IMAGE_MAX_BYTES (16u << 20)
/* And at most 25 million pixels: a PNG is decoded into memory (up to four
 * bytes a pixel); a 300 dpi A3 page is 17 million. */
#define CB_IMAGE_MAX_PIXELS 25000000L

typedef enum { CB_IMAGE_PNG, CB_IMAGE_JPEG } cb_image_type;

typedef struct {
    cb_image_type type;
    /* JPEG: the file's bytes, embedded as they are (DCT). PNG: the pixels,
     * decoded, `channels` 8-bit samples each (1 grey, 3 RGB), row by row
     * from the top */
    const unsigned char *data;
    size_t len;
    int channels;              /* PNG only */
    const unsigned char *alpha; /* PNG: one 8-bit opacity a pixel, or NULL
                                   when the image is opaque */
    int width_px, height_px;   /* as stored */
    float dpi;                 /* as the file states it, else 0 */
    int orientation;           /* a JPEG's EXIF orientation, 1 (as stored)
                                  to 8; 5 to 8 turn it a quarter */
} cb_image;

/* Reads the image at path into arena (which owns data). Returns 0, or -1
 * with the reason in why (n bytes): cannot be read, not a regular file,
 * too large, not PNG or JPEG, a kind libharu cannot embed. */
int cb_image_read(const char *path, cb_arena *arena, cb_image *out,
                  char *why, size_t n);

/* Its size in points as it is seen (turned by its orientation) when
 * nothing else says: its own resolution, else 150 pixels an inch. */
float cb_image_width_pt(const cb_image *im);
float cb_image_height_pt(const cb_image *im);

#endif

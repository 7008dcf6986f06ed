"""png.py - writes small PNG files for the tests (no imaging library on a
fresh machine): write(path, width, height, pixel, mode) where pixel(x, y)
gives a tuple of the mode's samples. Modes: "rgb", "rgba", "grey" (8 bit),
"grey16", and "palette" (pixel gives an index into `palette`)."""
import struct
import zlib

_TYPES = {"grey": (0, 8, 1), "grey16": (0, 16, 1), "rgb": (2, 8, 3),
          "palette": (3, 8, 1), "rgba": (6, 8, 4)}


def _chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def encode(width, height, pixel, mode="rgb", palette=None, dpi=None,
           interlace=0):
    colour, depth, n = _TYPES[mode]
    rows = bytearray()
    # Adam7's seven passes (x0, y0, dx, dy), or the whole image at once
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
              (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)] if interlace \
        else [(0, 0, 1, 1)]
    for x0, y0, dx, dy in passes:
        if x0 >= width or y0 >= height:
            continue
        for y in range(y0, height, dy):
            rows.append(0)  # filter: none
            for x in range(x0, width, dx):
                v = pixel(x, y)
                v = v if isinstance(v, tuple) else (v,)
                for s in v[:n]:
                    rows += struct.pack(">H" if depth == 16 else "B", s)
    out = b"\x89PNG\r\n\x1a\n" + _chunk(
        b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0,
                             interlace))
    if dpi:
        ppm = round(dpi / 0.0254)
        out += _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
    if palette:
        out += _chunk(b"PLTE", b"".join(bytes(c) for c in palette))
    return out + _chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + \
        _chunk(b"IEND", b"")


def write(path, width, height, pixel, mode="rgb", **kw):
    with open(path, "wb") as f:
        f.write(encode(width, height, pixel, mode, **kw))


def logo(x, y, w=600, h=240):
    """A sample conference logo: a teal disc with a white ring and an
    orange bar beside it, on a transparent ground (RGBA)."""
    cx, cy, r = h / 2, h / 2, h * 0.45
    d = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
    if d <= r:
        return (255, 255, 255, 255) if r * 0.45 < d < r * 0.65 and \
            not (x > cx and abs(y - cy) < r * 0.2) else (0, 122, 135, 255)
    for i, top in enumerate((0.22, 0.44, 0.66)):
        if h * 1.1 <= x <= w - 10 - i * 90 and \
                h * top <= y <= h * (top + 0.12):
            return (235, 120, 20, 255) if i == 0 else (0, 122, 135, 255)
    return (0, 0, 0, 0)


if __name__ == "__main__":
    import sys
    write(sys.argv[1], 600, 240, logo, "rgba", dpi=300)

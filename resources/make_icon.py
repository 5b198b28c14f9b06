#!/usr/bin/env python3
"""Draws the application icon (resources/icons/fewdata-<size>.png) without any image library:
a 3 x 3 grid of class-coloured tiles, the centre one half one class, half another (a mix)."""
import struct
import sys
import zlib

TAB10 = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
         (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34)]


def pixel(x, y, size):
    margin, gap = size // 16, size // 32
    cell = (size - 2 * margin + gap) / 3
    cx, cy = (x - margin) / cell, (y - margin) / cell
    if cx < 0 or cy < 0 or cx >= 3 or cy >= 3:
        return (0, 0, 0, 0)
    i, j = int(cx), int(cy)
    if (cx - i) * cell > cell - gap or (cy - j) * cell > cell - gap:
        return (0, 0, 0, 0)
    k = j * 3 + i
    if k == 4:  # the mixed tile: one class above the diagonal, another below
        return TAB10[0] + (255,) if (cx - i) > (cy - j) else TAB10[1] + (255,)
    return TAB10[k] + (255,)


def png(size):
    rows = b"".join(b"\0" + b"".join(bytes(pixel(x, y, size)) for x in range(size))
                    for y in range(size))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "icons"
    for size in (16, 24, 32, 48, 64, 128, 256):
        with open(f"{out}/fewdata-{size}.png", "wb") as f:
            f.write(png(size))

#!/usr/bin/env python3
"""Draws samples/portrait.png: a frontal, centred, stylised face, 512x512, standard library only.

Every shape is a signed-distance function (negative inside); a pixel takes a colour with coverage
clamp(0.5 - distance), which anti-aliases edges without supersampling. Shapes are painted back to front.
"""
import math
import struct
import sys
import zlib

SIZE = 512

SKIN = (236, 188, 156)
SKIN_SHADOW = (206, 150, 120)
HAIR = (74, 46, 30)
HAIR_LIGHT = (112, 74, 48)
SHIRT = (52, 92, 140)
LIP = (196, 96, 96)
LIP_DARK = (120, 46, 52)
IRIS = (86, 120, 74)
BROW = (70, 44, 30)


def implicit(f):
    """Signed distance from an implicit function that is 1 on the boundary: (f - 1) / |grad f|."""
    h = 0.5

    def d(x, y):
        v = f(x, y)
        gx = (f(x + h, y) - f(x - h, y)) / (2 * h)
        gy = (f(x, y + h) - f(x, y - h)) / (2 * h)
        g = math.hypot(gx, gy)
        return (v - 1) / g if g > 1e-9 else (v - 1) * 1e3

    return d


def ellipse(cx, cy, rx, ry, degrees=0.0):
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))

    def f(x, y):
        u = (x - cx) * c + (y - cy) * s
        v = -(x - cx) * s + (y - cy) * c
        return math.hypot(u / rx, v / ry)

    return implicit(f)


def egg(cx, cy, rx, ry_top, ry_bottom, taper):
    """An ellipse whose lower half is longer and narrows towards the bottom, like a jaw."""

    def f(x, y):
        dy = y - cy
        t = max(0.0, dy) / ry_bottom
        width = rx * (1 - taper * t * t)
        return math.hypot((x - cx) / width, dy / (ry_top if dy < 0 else ry_bottom))

    return implicit(f)


def half_plane_below(y0):
    return lambda x, y: y0 - y  # inside where y > y0


def half_plane_above(y0):
    return lambda x, y: y - y0


def curve_above(fy):
    """Inside above the curve y = fy(x)."""
    return lambda x, y: y - fy(x)


def intersect(*shapes):
    return lambda x, y: max(s(x, y) for s in shapes)


def subtract(a, b):
    return lambda x, y: max(a(x, y), -b(x, y))


def ring(shape, width):
    return lambda x, y: abs(shape(x, y)) - width / 2


def rect(x0, y0, x1, y1, radius=0.0):
    cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2 - radius, (y1 - y0) / 2 - radius

    def d(x, y):
        qx, qy = abs(x - cx) - hx, abs(y - cy) - hy
        return math.hypot(max(qx, 0), max(qy, 0)) + min(max(qx, qy), 0) - radius

    return d


def paint(img, shape, color, box, opacity=1.0, soft=1.0):
    x0, y0, x1, y1 = (max(0, int(box[0])), max(0, int(box[1])), min(SIZE, int(box[2]) + 1), min(SIZE, int(box[3]) + 1))
    for y in range(y0, y1):
        row = img[y]
        py = y + 0.5
        for x in range(x0, x1):
            px = x + 0.5
            a = 0.5 - shape(px, py) / soft
            if a <= 0:
                continue
            a = min(a, 1.0) * opacity
            c = color(px, py) if callable(color) else color
            i = 3 * x
            for k in range(3):
                row[i + k] += (c[k] - row[i + k]) * a


def mix(a, b, t):
    t = min(max(t, 0.0), 1.0)
    return tuple(a[k] + (b[k] - a[k]) * t for k in range(3))


def draw():
    img = [[0.0] * (3 * SIZE) for _ in range(SIZE)]
    # Background: a soft vertical gradient, lighter behind the head so it stands out.
    for y in range(SIZE):
        for x in range(SIZE):
            glow = math.exp(-(((x - 256) / 260) ** 2 + ((y - 220) / 260) ** 2))
            c = mix((150, 168, 188), (214, 224, 232), glow)
            img[y][3 * x:3 * x + 3] = list(c)

    # Back hair falls to the shoulders behind the head.
    back_hair = intersect(egg(256, 230, 150, 165, 190, 0.25), half_plane_above(395))
    paint(img, back_hair, lambda x, y: mix(HAIR_LIGHT, HAIR, (y - 90) / 250), (100, 60, 412, 400))

    # Shoulders and shirt, then the neck on top.
    paint(img, ellipse(256, 560, 230, 150), lambda x, y: mix(SHIRT, (30, 58, 96), (y - 420) / 90), (20, 400, 492, 512))
    paint(img, subtract(ellipse(256, 425, 70, 26), half_plane_above(425)), (236, 236, 240), (180, 420, 332, 455))
    neck = rect(218, 300, 294, 440, radius=18)
    paint(img, neck, lambda x, y: mix(SKIN_SHADOW, SKIN, (y - 340) / 80), (200, 300, 312, 445))
    paint(img, subtract(ellipse(256, 427, 46, 18), half_plane_above(427)), SKIN_SHADOW, (205, 420, 307, 448))

    # Ears, then the face, shaded darker towards its edge and under the jaw.
    for side in (-1, 1):
        cx = 256 + side * 112
        paint(img, ellipse(cx, 262, 19, 34, side * 10), SKIN, (cx - 24, 224, cx + 24, 300))
        paint(img, ellipse(cx + side * 2, 262, 9, 20, side * 10), SKIN_SHADOW, (cx - 14, 240, cx + 14, 286), opacity=0.6, soft=3)
    face_center = (256, 248)

    def skin(x, y):
        r = math.hypot((x - face_center[0]) / 112, (y - face_center[1]) / 150)
        return mix(SKIN, SKIN_SHADOW, (r - 0.75) * 2.2)

    face = egg(256, 248, 110, 140, 142, 0.42)
    paint(img, face, skin, (140, 100, 372, 402))

    # Fringe: the top of the head, cut by a hairline that dips at the temples and parts to one side.
    hairline = curve_above(lambda x: 168 - 0.9 * math.exp(-((x - 226) / 38) ** 2) * 22 + 0.0016 * (x - 256) ** 2 * 2.2)
    fringe = intersect(egg(256, 236, 124, 150, 160, 0.3), hairline)
    paint(img, fringe, lambda x, y: mix(HAIR_LIGHT, HAIR, (y - 90) / 110), (120, 80, 392, 300))

    # Brows.
    for side in (-1, 1):
        cx = 256 + side * 44
        paint(img, ellipse(cx, 214, 27, 5.5, side * 7), BROW, (cx - 32, 200, cx + 32, 228))

    # Eyes: white, iris, pupil, highlight, upper lid line and a faint crease.
    for side in (-1, 1):
        cx, cy = 256 + side * 42, 244
        eye = ellipse(cx, cy, 23, 11.5)
        paint(img, eye, (246, 244, 240), (cx - 26, cy - 14, cx + 26, cy + 14))
        paint(img, intersect(ellipse(cx, cy + 1, 10, 10), eye), IRIS, (cx - 12, cy - 12, cx + 12, cy + 12))
        paint(img, intersect(ellipse(cx, cy + 1, 4.5, 4.5), eye), (16, 14, 14), (cx - 6, cy - 5, cx + 6, cy + 7))
        paint(img, ellipse(cx - 3, cy - 3, 2.2, 2.2), (255, 255, 255), (cx - 6, cy - 6, cx, cy))
        paint(img, intersect(ring(ellipse(cx, cy, 23, 11.5), 2.6), half_plane_above(cy + 2)), (60, 36, 30), (cx - 27, cy - 15, cx + 27, cy + 4))
        paint(img, intersect(ring(ellipse(cx, cy - 2, 25, 15), 1.4), half_plane_above(cy - 8)), SKIN_SHADOW, (cx - 27, cy - 19, cx + 27, cy - 6), opacity=0.7)

    # Nose: a soft shadow down one side, the rounded tip and nostrils.
    paint(img, ellipse(246, 278, 4, 26, -4), SKIN_SHADOW, (236, 248, 256, 308), opacity=0.45, soft=4)
    paint(img, intersect(ring(ellipse(256, 298, 15, 9), 2.2), half_plane_below(298)), SKIN_SHADOW, (238, 296, 274, 310))
    for side in (-1, 1):
        paint(img, ellipse(256 + side * 8, 304, 4.2, 2.4, side * 15), (140, 90, 76), (243 + side * 8, 299, 269 + side * 8, 309))

    # Cheeks.
    for side in (-1, 1):
        cx = 256 + side * 62
        paint(img, ellipse(cx, 298, 26, 18), (232, 140, 130), (cx - 40, 270, cx + 40, 326), opacity=0.35, soft=14)

    # Mouth: a thinner upper lip, a fuller lower one, and the line between them curving up into a smile.
    paint(img, ellipse(256, 335, 29, 6.5), (178, 84, 86), (224, 326, 288, 344))
    paint(img, ellipse(256, 343, 25, 8), lambda x, y: mix((214, 118, 114), LIP, (y - 336) / 14), (228, 333, 284, 353))
    smile = intersect(ring(ellipse(256, 321, 31, 19), 2.0), half_plane_below(331))
    paint(img, smile, LIP_DARK, (222, 328, 290, 343))
    paint(img, ellipse(256, 362, 13, 3), SKIN_SHADOW, (240, 356, 272, 367), opacity=0.45, soft=3)

    return img


def write_png(path, img):
    raw = bytearray()
    for row in img:
        raw.append(0)
        raw.extend(min(255, max(0, int(round(v)))) for v in row)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", header))
        out.write(chunk(b"IDAT", zlib.compress(bytes(raw), 9)))
        out.write(chunk(b"IEND", b""))


if __name__ == "__main__":
    write_png(sys.argv[1] if len(sys.argv) > 1 else "portrait.png", draw())

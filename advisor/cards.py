"""Pictures of a saved result: the 1200 x 630 card a pasted link unfurls with, and the QR code
printed on the decision brief. Both are drawn on the server from the stored result.

The card uses Pillow's bundled scalable font, so it needs no font installed on the machine.
"""

import io
import textwrap

import segno
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
COLOURS = {
    "open": "#0a7a4a",
    "closed": "#0b5ed7",
    "hybrid": "#6f42c1",
    "none": "#6c757d",
}


def _font(size):
    return ImageFont.load_default(size=size)


def _lines(draw, text, font, width, limit):
    """``text`` wrapped to ``width`` pixels, at most ``limit`` lines (the last one ellipsised)."""
    words_per_line = max(10, int(width / (font.size * 0.52)))
    lines = textwrap.wrap(text, width=words_per_line)
    while lines and any(draw.textlength(line, font=font) > width for line in lines[:limit]):
        words_per_line -= 2
        lines = textwrap.wrap(text, width=words_per_line)
    if len(lines) > limit:
        lines = lines[:limit]
        lines[-1] = lines[-1].rstrip(" .,;") + "…"
    return lines


def result_card(*, kind, label, sentence, picks, site):
    """PNG bytes: the verdict label, the sentence and up to three picks with their roles."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    accent = COLOURS.get(kind, COLOURS["none"])
    draw.rectangle([0, 0, WIDTH, 14], fill=accent)
    y = MARGIN
    draw.text((MARGIN, y), label.upper(), font=_font(30), fill=accent)
    y += 56
    title = _font(50)
    for line in _lines(draw, sentence, title, WIDTH - 2 * MARGIN, 4):
        draw.text((MARGIN, y), line, font=title, fill="#212529")
        y += 62
    y += 18
    small = _font(30)
    for role, name in picks[:3]:
        if y > HEIGHT - MARGIN - 70:
            break
        line = _lines(draw, f"{role}: {name}", small, WIDTH - 2 * MARGIN, 1)[0]
        draw.text((MARGIN, y), line, font=small, fill="#495057")
        y += 42
    draw.text((MARGIN, HEIGHT - MARGIN - 10), site, font=_font(26), fill="#6c757d")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def qr_svg(url):
    """An SVG QR code for ``url`` (no XML declaration, sized in pixels).

    Segno writes only the SVG element and the path data of the code: the URL is encoded into
    the modules, never written as text.
    """
    output = io.BytesIO()
    segno.make(url, error="m").save(output, kind="svg", scale=3, xmldecl=False, border=2)
    return output.getvalue()

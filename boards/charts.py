"""The direction of travel as a chart: stacked bars of Red, Amber, Green and Complete at each
board, each part labelled with its count (so colour is never the only signal). Drawn once as
shapes, then written as SVG (pages and the PDF) or PNG (Word, which python-docx gives no SVG)."""

import io
from dataclasses import dataclass
from html import escape

from PIL import Image, ImageDraw, ImageFont

from boards.travel import Travel
from plans.rag import Rag

# GOV.UK's colours, with the text on each chosen for contrast (WCAG AA).
FILL = {Rag.RED: "#d4351c", Rag.AMBER: "#f47738", Rag.GREEN: "#00703c", Rag.COMPLETE: "#1d70b8"}
INK = {Rag.RED: "#ffffff", Rag.AMBER: "#0b0c0c", Rag.GREEN: "#ffffff", Rag.COMPLETE: "#ffffff"}
BLACK, GREY = "#0b0c0c", "#505a5f"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline's middle
    text: str
    fill: str = BLACK
    size: int = 12
    anchor: str = "middle"  # or "start", "end"


def _shapes(travel: Travel, width: int, height: int) -> list[Box | Text]:
    left, right, top, bottom = 34, 8, 30, 34
    tallies = travel.tallies
    highest = max([sum(t.counts.values()) for t in tallies] + [1])
    slot = (width - left - right) / max(len(tallies), 1)
    bar = min(slot * 0.7, 56)
    scale = (height - top - bottom) / highest
    shapes: list[Box | Text] = []
    x = left
    for rating in FILL:  # the legend, in words
        shapes.append(Box(x, 6, 12, 12, FILL[rating], rating.label))
        shapes.append(Text(x + 16, 16, rating.label, anchor="start"))
        x += 30 + 7 * len(rating.label)
    shapes.append(Text(left - 6, top + 4, str(highest), GREY, 11, "end"))
    shapes.append(Text(left - 6, height - bottom, "0", GREY, 11, "end"))
    for index, tally in enumerate(tallies):
        x = left + index * slot + (slot - bar) / 2
        y = height - bottom
        for rating, count in tally.bars:
            if not count:
                continue
            part = count * scale
            y -= part
            shapes.append(
                Box(x, y, bar, part, FILL[rating], f"{tally.label}: {rating.label} {count}")
            )
            if part >= 11:
                shapes.append(Text(x + bar / 2, y + part / 2 + 4, str(count), INK[rating], 11))
        shapes.append(Text(x + bar / 2, height - bottom + 15, tally.short, size=11))
    return shapes


def travel_svg(travel: Travel, width: int = 480, height: int = 240) -> str:
    """The chart as inline SVG, its summary as its accessible name (once: no <title> too)."""
    parts = []
    for shape in _shapes(travel, width, height):
        if isinstance(shape, Box):
            parts.append(
                f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.width:.1f}" '
                f'height="{shape.height:.1f}" fill="{shape.fill}"><title>{escape(shape.title)}'
                "</title></rect>"
            )
        else:
            parts.append(
                f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" font-size="{shape.size}" '
                f'text-anchor="{shape.anchor}" fill="{shape.fill}">{escape(shape.text)}</text>'
            )
    label = escape(travel.summary)
    return (
        f'<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
        f'{height}" role="img" aria-label="{label}">{"".join(parts)}</svg>'
    )


def travel_png(travel: Travel, width: int = 480, height: int = 240, zoom: int = 2) -> bytes:
    """The same chart as a PNG, drawn at `zoom` times its size so that it prints sharp."""
    image = Image.new("RGB", (width * zoom, height * zoom), "#ffffff")
    draw = ImageDraw.Draw(image)
    fonts = {}
    for shape in _shapes(travel, width, height):
        if isinstance(shape, Box):
            corners = [shape.x, shape.y, shape.x + shape.width, shape.y + shape.height]
            draw.rectangle([c * zoom for c in corners], fill=shape.fill)
            continue
        font = fonts.get(shape.size) or fonts.setdefault(
            shape.size, ImageFont.load_default(size=shape.size * zoom)
        )
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
        draw.text((shape.x * zoom, shape.y * zoom), shape.text, fill=shape.fill, font=font,
                  anchor=anchor)  # fmt: skip
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()

"""Every PDF the product draws goes through this module (career records, receipts, …).

Three rules hold for every document:

* User text is never markup. ``para(text)`` escapes ``&``, ``<`` and ``>`` before ReportLab's
  paragraph parser sees the string, so a review comment such as ``<img src="http://…"/>`` or
  ``<font name=…>`` is drawn as those characters and never opens a tag. Table cells go through
  ``para`` too. Code that needs bold or colour uses a style, not inline tags.
* ReportLab cannot fetch anything. Its URL opener trusts no scheme and no host (set here, before
  the opener first compiles them), so even markup written by the code cannot make the server
  read a URL; and because user text is escaped no ``<img>`` ever reaches the loader.
* Chinese is set in an embedded, subset TrueType font (WenQuanYi Micro Hei from Debian's
  ``fonts-wqy-microhei``, Apache-2.0; ``MEIJIA["PDF_FONT_PATH"]`` overrides the file), so every
  viewer shows the same glyphs. ReportLab's TTFont embeds only the glyphs used.

The API is small on purpose::

    from backend import pdf
    story = [pdf.para(title, "title"), pdf.table([[_("课程"), _("日期")], *rows])]
    data = pdf.render_pdf(story, title=_("职业档案"))

Nothing else in the code base imports ReportLab (``tests/test_pdf.py`` checks it).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape as _xml_escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab import rl_config

# Before anything opens a resource: ReportLab compiles these into its opener on first use.
rl_config.trustedSchemes = []
rl_config.trustedHosts = ["resources.are.never.fetched.invalid"]

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT_NAME = "MeijiaCJK"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
FONT_PACKAGE = "fonts-wqy-microhei"

__all__ = ["FONT_NAME", "escape", "para", "render_pdf", "spacer", "styles", "table"]


def font_path() -> str:
    """The TrueType-outline CJK font file; raises ImproperlyConfigured when none is installed."""
    configured = settings.MEIJIA.get("PDF_FONT_PATH") or ""
    for path in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if os.path.isfile(path):
            return path
    raise ImproperlyConfigured(
        f"No CJK TrueType font for PDFs: install {FONT_PACKAGE} "
        f"(apt-get install {FONT_PACKAGE}) or set MEIJIA_PDF_FONT_PATH."
    )


def _register_font() -> None:
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, font_path(), subfontIndex=0))


def escape(text: object) -> str:
    """Any value as paragraph text that ReportLab reads as characters, never as a tag."""
    return _xml_escape("" if text is None else str(text))


def styles() -> dict[str, ParagraphStyle]:
    """The house styles by name: title, heading, body, small."""
    _register_font()
    return {
        "title": ParagraphStyle("title", fontName=FONT_NAME, fontSize=18, leading=24, spaceAfter=6),
        "heading": ParagraphStyle(
            "heading", fontName=FONT_NAME, fontSize=13, leading=18, spaceBefore=8
        ),
        "body": ParagraphStyle("body", fontName=FONT_NAME, fontSize=10, leading=14),
        "small": ParagraphStyle("small", fontName=FONT_NAME, fontSize=8, leading=11),
    }


def para(text: object, style: str | ParagraphStyle = "body") -> Paragraph:
    """A paragraph of plain text (escaped: user strings are safe here) in a house style."""
    chosen = styles()[style] if isinstance(style, str) else style
    return Paragraph(escape(text), chosen)


def spacer(height_mm: float = 6) -> Spacer:
    return Spacer(1, height_mm * mm)


def table(
    rows: Sequence[Sequence[object]],
    *,
    empty: str = "—",
    style: str | ParagraphStyle = "body",
    col_widths_mm: Sequence[float] | None = None,
) -> Table:
    """A gridded table, the first row its header; every cell escaped. An empty body gets one
    row reading `empty`."""
    rows = [list(row) for row in rows]
    if len(rows) == 1:
        rows.append([empty] + [""] * (len(rows[0]) - 1))
    cells = [[para(cell, style) for cell in row] for row in rows]
    widths = [w * mm for w in col_widths_mm] if col_widths_mm else None
    result = Table(cells, colWidths=widths, hAlign="LEFT", repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#fbe4ee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return result


def render_pdf(flowables: Iterable[Flowable], *, title: str = "", compress: bool = True) -> bytes:
    """Lay the flowables out on A4 and return the PDF's bytes. `invariant` keeps the bytes the
    same for the same content; `compress=False` leaves the text streams readable (tests)."""
    _register_font()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        invariant=True,
        initialFontName=FONT_NAME,  # no unembedded Helvetica left in the page resources
        pageCompression=1 if compress else 0,
    )
    document.build(list(flowables))
    return buffer.getvalue()

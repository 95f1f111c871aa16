"""The one PDF module: user strings are text, never markup; nothing is fetched; the Chinese font
is embedded and subset; and no other module draws a PDF behind its back."""

import io
import pathlib
import re

import pytest
from pypdf import PdfReader

from backend import pdf

ROOT = pathlib.Path(__file__).resolve().parent.parent

HOSTILE = [
    '<img src="{url}"/>',
    '<img src="/etc/passwd" width="10" height="10"/>',
    '<a href="{url}">点我</a>',
    '<font name="Courier" color="red">红字</font>',
    "<b>未闭合",
    "</para>&amp;&#0;&bogus; & < > \" '",
    '<para><image file="{url}"/></para>',
    "<onDraw name=x/>",
]


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def embedded_fonts(data: bytes) -> list[tuple[str, bool]]:
    """(base font name, has FontFile2) for every font a page uses."""
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            file2 = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found.append((str(font["/BaseFont"]), file2))
    return found


@pytest.mark.parametrize("template", HOSTILE)
def test_hostile_text_is_drawn_as_itself_and_fetches_nothing(httpserver, template):
    httpserver.expect_request("/x").respond_with_data(b"GIF89a", content_type="image/gif")
    text = template.format(url=httpserver.url_for("/x"))
    story = [pdf.para(text, "title"), pdf.para(text), pdf.table([["评价", "备注"], [text, text]])]
    data = pdf.render_pdf(story, title=text, compress=False)
    assert data.startswith(b"%PDF")
    assert httpserver.log == []
    # The characters themselves are on the page (whitespace aside).
    squeeze = re.compile(r"\s+")
    assert squeeze.sub("", text) in squeeze.sub("", pdf_text(data))


def test_escape_turns_every_tag_opener_into_text():
    assert pdf.escape('<img src="x"/>&') == '&lt;img src="x"/&gt;&amp;'
    assert pdf.escape(None) == "" and pdf.escape(12) == "12"


def test_the_opener_refuses_urls_even_in_markup_the_code_wrote(httpserver):
    """Belt and braces: were code to pass raw markup, ReportLab still fetches nothing."""
    from reportlab.lib.utils import open_for_read
    from reportlab.platypus import Paragraph

    httpserver.expect_request("/y").respond_with_data(b"GIF89a", content_type="image/gif")
    url = httpserver.url_for("/y")
    with pytest.raises(OSError):
        open_for_read(url)
    with pytest.raises(OSError, match="Cannot open resource"):
        Paragraph(f'<img src="{url}" width="9" height="9"/>', pdf.styles()["body"])
    assert httpserver.log == []


def test_chinese_font_is_embedded_and_subset():
    data = pdf.render_pdf([pdf.para("家政服务员职业档案 王秀英 Meijia 2026")], title="档案")
    fonts = embedded_fonts(data)
    assert fonts, "no font on the page"
    for name, has_file in fonts:
        assert has_file, f"{name} is referenced, not embedded"
        assert re.fullmatch(r"/[A-Z]{6}\+WenQuanYi\S*", name), name
    assert "STSong" not in data.decode("latin-1")
    assert "家政服务员职业档案王秀英" in pdf_text(data).replace(" ", "")
    # Subset: a one-line document carries far less than the 5 MB font file.
    assert len(data) < 200_000


def test_the_same_content_gives_the_same_bytes():
    story = lambda: [pdf.para("同一份档案")]  # noqa: E731
    assert pdf.render_pdf(story()) == pdf.render_pdf(story())


def test_a_missing_font_is_a_clear_configuration_error(settings, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    settings.MEIJIA = {**settings.MEIJIA, "PDF_FONT_PATH": "/nowhere/font.ttf"}
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ())
    with pytest.raises(ImproperlyConfigured, match="fonts-wqy-microhei"):
        pdf.font_path()


def test_no_module_but_backend_pdf_imports_reportlab():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "bench"} or relative == pathlib.Path(
            "backend/pdf.py"
        ):
            continue
        if re.search(r"^\s*(from|import)\s+reportlab", path.read_text(), re.M):
            offenders.append(str(relative))
    assert offenders == []

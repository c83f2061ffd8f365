"""A report as a Word document officers can edit: real headings, real tables, accessible.

Why these choices (the public-sector accessibility regulations cover downloadable documents):

* Section titles use Word's own "Heading 1…9" styles, so the navigation pane, a table of
  contents and screen readers see the structure; the report title uses "Title".
* Every table is a Word table in "Table Grid" with its header row(s) marked to repeat on each
  page (``w:tblHeader``) and its caption as the table's alternative-text title
  (``w:tblCaption``); a spanning header ("Six month trend") is a merged header cell.
* A RAG cell is shaded *and* says its rating in words ("Red", or "20 (Red)" for a score), so
  nothing is conveyed by colour alone.
* Charts are the page's SVG drawn as PNG (see :mod:`oversight.reports.charts`) with the chart's
  text alternative as the picture's description (``wp:docPr/@descr``), followed by the numbers
  as a table.
* A4 landscape where the seed is landscape; document language en-GB (core properties and the
  default run language) and the report title in the core properties.

The renderer only prints :mod:`oversight.reports.data`: no query, no number computed.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from oversight.reports.charts import RAG_COLOURS, RAG_WORDS, ChartError, png_size, svg_to_png
from oversight.reports.data import Block, Cell, Chart, Column, MetaItem, Paragraph, Report, Section, Table

LANGUAGE = "en-GB"
FONT = "Arial"
A4_LONG, A4_SHORT = Cm(29.7), Cm(21.0)
MARGIN_LANDSCAPE, MARGIN_PORTRAIT = Cm(1.5), Cm(2.0)
BULLETS = ("• ", "- ", "* ", "– ")
HEADER_FILL = "DEE0E2"


def render(report: Report) -> bytes:
    """The report as DOCX bytes."""
    doc = Document()
    _page(doc, report.landscape)
    _defaults(doc)
    _properties(doc, report)
    _footer(doc, report)
    width = _usable_width(doc)

    _para(doc, "Title", report.title)
    if report.subtitle:
        _para(doc, "Subtitle", report.subtitle)
    if report.meta:
        _meta_table(doc, report.meta, width)
    if report.notice:
        _note(doc, report.notice)
    for section in report.sections:
        _section(doc, section, 1, width)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- document set-up
def _page(doc: Any, landscape: bool) -> None:
    s = doc.sections[0]
    if landscape:
        s.orientation = WD_ORIENT.LANDSCAPE
        s.page_width, s.page_height = A4_LONG, A4_SHORT
        margin = MARGIN_LANDSCAPE
    else:
        s.orientation = WD_ORIENT.PORTRAIT
        s.page_width, s.page_height = A4_SHORT, A4_LONG
        margin = MARGIN_PORTRAIT
    s.left_margin = s.right_margin = s.top_margin = s.bottom_margin = margin


def _usable_width(doc: Any) -> int:
    s = doc.sections[0]
    return int(s.page_width - s.left_margin - s.right_margin)


def _defaults(doc: Any) -> None:
    """Arial 10 pt, British English as the default language of every run (spell-check, screen readers)."""
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), FONT)
    for name in ("Title", *(f"Heading {i}" for i in range(1, 7))):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11.5),
                       ("Heading 4", 10.5)):
        doc.styles[name].font.size = Pt(size)


def _properties(doc: Any, report: Report) -> None:
    props = doc.core_properties
    props.title = report.title + (f": {report.subtitle}" if report.subtitle else "")
    props.subject = report.subtitle
    props.language = LANGUAGE
    props.author = report.programme
    props.last_modified_by = "Oversight"
    props.keywords = f"{report.name}; {report.period_label}"
    props.category = "Board report"
    props.comments = report.notice
    # The as-at date, not the clock: the same report renders to the same properties.
    stamp = dt.datetime.combine(report.as_at, dt.time(0, 0), tzinfo=dt.UTC)
    props.created = stamp
    props.modified = stamp
    props.revision = 1


def _footer(doc: Any, report: Report) -> None:
    p = doc.sections[0].footer.paragraphs[0]
    p.text = ""
    run = p.add_run(f"{report.title} — {report.subtitle}    Page ")
    run.font.size = Pt(8)
    _field(p, "PAGE")
    tail = p.add_run(" of ")
    tail.font.size = Pt(8)
    _field(p, "NUMPAGES")
    if report.notice:
        note = doc.sections[0].footer.add_paragraph()
        r = note.add_run(report.notice)
        r.font.size = Pt(7)


def _field(paragraph: Any, code: str) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(8)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, sep, shown, end):
        run._r.append(el)


# --------------------------------------------------------------------------- paragraphs by style id
def _para(container: Any, style_id: str = "", text: str = "") -> Any:
    """A paragraph with a style set by id: python-docx's lookup by name is slow for many paragraphs."""
    p = container.add_paragraph()
    if style_id:
        p._p.style = style_id
    if text:
        p.add_run(text)
    return p


# --------------------------------------------------------------------------- walking the report
def _section(doc: Any, section: Section, level: int, width: int) -> None:
    _para(doc, f"Heading{min(level, 9)}", section.title)
    if section.rag:
        p = _para(doc)
        p.add_run("RAG rating: ").bold = True
        _rag_run(p, section.rag)
    for block in section.blocks:
        _block(doc, block, width)
    for child in section.sections:
        _section(doc, child, level + 1, width)


def _block(doc: Any, block: Block, width: int) -> None:
    if isinstance(block, Paragraph):
        _paragraph(doc, block)
    elif isinstance(block, Table):
        _table(doc, block, width)
    elif isinstance(block, Chart):
        _chart(doc, block, width)


def _paragraph(doc: Any, block: Paragraph) -> None:
    if block.style in ("note", "empty"):
        _note(doc, block.text)
        return
    for i, part in enumerate(_parts(block.text)):
        if part.startswith(BULLETS):
            p = _para(doc, "ListBullet", part[2:].strip())
        else:
            p = _para(doc)
            _lines(p, part)
        if block.style == "lead" and i == 0:
            for r in p.runs:
                r.font.size = Pt(12)


def _parts(text: str) -> list[str]:
    """Paragraphs of a narrative: blank lines split paragraphs; a bulleted line is a paragraph of its own."""
    out: list[str] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        buf: list[str] = []
        for line in chunk.split("\n"):
            if line.strip().startswith(BULLETS):
                if buf:
                    out.append("\n".join(buf))
                    buf = []
                out.append(line.strip())
            else:
                buf.append(line)
        if any(b.strip() for b in buf):
            out.append("\n".join(buf).strip("\n"))
    return out or [""]


def _lines(p: Any, text: str) -> None:
    """Text into a paragraph, single newlines as line breaks."""
    for i, line in enumerate(text.split("\n")):
        run = p.add_run(line)
        if i:
            run._r.insert(0, OxmlElement("w:br"))


def _note(doc: Any, text: str) -> None:
    p = _para(doc)
    run = p.add_run(text)
    run.italic = True
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)


# --------------------------------------------------------------------------- RAG
def _rag_word(rag: str) -> str:
    return RAG_WORDS.get(rag, "")


def _rag_run(p: Any, rag: str, text: str = "") -> None:
    """A RAG word (or ``text``) on its colour, inside running text."""
    fill, ink = RAG_COLOURS.get(rag, ("FFFFFF", "0B0C0C"))
    run = p.add_run(f" {text or _rag_word(rag) or 'Not rated'} ")
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(ink)
    rpr = run._r.get_or_add_rPr()
    rpr.append(_x("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill}))


def cell_text(cell: Cell) -> str:
    """What a cell says in a document: its text, with the RAG word when the text does not say it."""
    word = _rag_word(cell.rag)
    if not word:
        return cell.text
    if not cell.text:
        return word
    if word.lower() in cell.text.lower():
        return cell.text
    return f"{cell.text} ({word})"


# --------------------------------------------------------------------------- tables, written as WordprocessingML
# Tables are built element by element rather than through python-docx's cell API: the same XML,
# about ten times faster for a board pack's hundreds of cells (the cell API walks the grid on
# every access and merge).
def _x(tag: str, attrs: dict[str, str] | None = None, *children: Any) -> Any:
    el = OxmlElement(tag)
    for k, v in (attrs or {}).items():
        el.set(qn(k), v)
    for c in children:
        el.append(c)
    return el


def _text_style(doc: Any, size: float) -> str:
    """A paragraph style for table text at ``size`` points (made once per document); its id."""
    name = f"Table text {size:g}"
    try:
        return str(doc.styles[name].style_id)
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.line_spacing = 1.0
        return str(style.style_id)


def _tc(width: int, text: str, style_id: str, *, bold: bool = False, right: bool = False, fill: str = "",
        ink: str = "", span: int = 1, vmerge: str | None = None, center: bool = False) -> Any:
    pr = _x("w:tcPr", None, _x("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
    if span > 1:
        pr.append(_x("w:gridSpan", {"w:val": str(span)}))
    if vmerge is not None:
        pr.append(_x("w:vMerge", {"w:val": vmerge} if vmerge else None))
    if fill:
        pr.append(_x("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill}))
    tc = _x("w:tc", None, pr)
    for line in (text.split("\n") if text else [""]):
        ppr = _x("w:pPr", None, _x("w:pStyle", {"w:val": style_id}))
        if right or center:
            ppr.append(_x("w:jc", {"w:val": "right" if right else "center"}))
        p = _x("w:p", None, ppr)
        if line:
            rpr = _x("w:rPr")
            if bold:
                rpr.append(_x("w:b"))
            if ink:
                rpr.append(_x("w:color", {"w:val": ink}))
            t = _x("w:t", {"xml:space": "preserve"})
            t.text = line
            p.append(_x("w:r", None, rpr, t) if len(rpr) else _x("w:r", None, t))
        tc.append(p)
    return tc


def _tr(header: bool) -> Any:
    """A header row: kept whole and repeated at the top of every page the table runs onto."""
    pr = _x("w:trPr", None, _x("w:cantSplit"))
    if header:
        pr.append(_x("w:tblHeader", {"w:val": "true"}))
    return _x("w:tr", None, pr)


def _widths(table: Table, width: int, size: float) -> list[int]:
    """Column widths in twentieths of a point: in proportion to the columns' relative widths, but
    never so narrow that a word (or a short figure such as "12 (Amber)") breaks inside itself."""
    total_w = sum(max(c.width, 0.1) for c in table.columns) or 1.0
    twips = width // 635
    wanted = [twips * max(c.width, 0.1) / total_w for c in table.columns]
    char = size * 20 * 0.62  # a wide-ish (bold) character at ``size`` points, in twips
    floor = []
    for i, col in enumerate(table.columns):
        texts = [col.label] + [cell_text(r[i]) for r in table.rows[:100] if i < len(r)]
        word = max((len(w) for t in texts for w in t.split()), default=1)
        short = max((len(t) for t in texts[1:] if len(t) <= 12), default=0) if col.numeric else 0
        floor.append(min(max(word, short) * char + 300, twips * 0.35))  # + the cell's side margins
    short_of = sum(max(f - w, 0) for f, w in zip(floor, wanted, strict=True))
    if short_of:
        spare = sum(max(w - f, 0) for f, w in zip(floor, wanted, strict=True)) or 1.0
        scale = max(0.0, 1 - short_of / spare)
        wanted = [f if w <= f else f + (w - f) * scale for f, w in zip(floor, wanted, strict=True)]
    fit = min(1.0, twips / (sum(wanted) or 1.0))  # never wider than the page
    return [int(w * fit) for w in wanted]


def _meta_table(doc: Any, meta: tuple[MetaItem, ...], width: int) -> None:
    rows = tuple((Cell(m.label), Cell(m.value, rag=m.rag)) for m in meta)
    _table(doc, Table("meta", "Report details", (Column("label", "", width=1), Column("value", "", width=2)),
                      rows, key_value=True), min(width, int(Cm(16))))


def _table(doc: Any, block: Table, width: int) -> None:
    if block.caption and not block.key_value:
        cap = _para(doc, "Caption", block.caption)
        cap.paragraph_format.keep_with_next = True
    if not block.rows:
        _note(doc, block.empty_text)
        return
    ncols = len(block.columns)
    size = 7.0 if ncols > 14 else 8.0 if ncols > 10 else 9.0 if ncols > 6 else 10.0
    style_id = _text_style(doc, size)
    widths = _widths(block, width, size)
    table = doc.add_table(rows=0, cols=ncols)
    tbl = table._tbl
    tbl.remove(tbl.tblPr)
    tbl_pr = _x("w:tblPr", None, _x("w:tblStyle", {"w:val": "TableGrid"}),
                _x("w:tblW", {"w:w": str(sum(widths)), "w:type": "dxa"}),
                _x("w:tblLayout", {"w:type": "fixed"}),
                _x("w:tblLook", {"w:val": "04A0", "w:firstRow": "1", "w:lastRow": "0", "w:firstColumn": "0",
                                 "w:lastColumn": "0", "w:noHBand": "0", "w:noVBand": "1"}))
    if block.caption:  # the table's title for assistive technology (Word: Table Properties → Alt Text)
        tbl_pr.append(_x("w:tblCaption", {"w:val": block.caption[:255]}))
    tbl.insert(0, tbl_pr)
    for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(w))

    if not block.key_value:
        grouped = block.has_groups
        if grouped:
            top = _tr(True)
            i = 0
            for group, span in block.header_groups:
                if group:
                    top.append(_tc(sum(widths[i:i + span]), group, style_id, bold=True, fill=HEADER_FILL,
                                   span=span, center=True))
                else:  # an ungrouped column's label spans both header rows
                    for j in range(i, i + span):
                        top.append(_tc(widths[j], block.columns[j].label, style_id, bold=True, fill=HEADER_FILL,
                                       right=block.columns[j].numeric, vmerge="restart"))
                i += span
            tbl.append(top)
        labels = _tr(True)
        i = 0
        for group, span in (block.header_groups if grouped else [("", ncols)]):
            for j in range(i, i + span):
                col = block.columns[j]
                if grouped and not group:
                    labels.append(_tc(widths[j], "", style_id, fill=HEADER_FILL, vmerge=""))
                else:
                    labels.append(_tc(widths[j], col.label, style_id, bold=True, right=col.numeric,
                                      fill=HEADER_FILL))
            i += span
        tbl.append(labels)

    for cells in block.rows:
        tr = _x("w:tr")
        for i, col in enumerate(block.columns):
            cell = cells[i] if i < len(cells) else Cell("")
            label_cell = block.key_value and i == 0
            fill, ink = RAG_COLOURS.get(cell.rag, (HEADER_FILL if label_cell else "", ""))
            tr.append(_tc(widths[i], cell_text(cell), style_id, bold=label_cell or bool(cell.rag),
                          right=col.numeric and not block.key_value, fill=fill, ink=ink))
        tbl.append(tr)
    _para(doc).paragraph_format.space_after = Pt(2)


# --------------------------------------------------------------------------- charts
def _chart(doc: Any, block: Chart, width: int) -> None:
    try:
        png = svg_to_png(block.svg)
    except ChartError:
        _note(doc, f"{block.title}: the chart could not be drawn; its figures are in the table below.")
        _table(doc, block.table, width)
        return
    px_w, px_h = png_size(png)
    pic_w = min(width, int(Cm(16)))
    pic_h = int(pic_w * px_h / px_w) if px_w else pic_w
    if pic_h > int(Cm(12)):  # a tall chart must fit a landscape page with its caption
        pic_w = int(pic_w * Cm(12) / pic_h)
    p = _para(doc)
    p.paragraph_format.keep_with_next = True
    shape = p.add_run().add_picture(io.BytesIO(png), width=Emu(pic_w))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", block.alt)
    doc_pr.set("title", block.title)
    _para(doc, "Caption", block.title)
    _table(doc, block.table, width)

"""A corpus of hostile files, generated at test time (nothing large is kept in the repository).

Each builder writes one file into a folder and returns its path. The zip bombs are made
without compressing gigabytes: a deflate segment ending in a full flush is byte-aligned and
independent of what came before, so one compressed megabyte repeated N times, with a final
segment, is a valid stream of N megabytes (pigz builds streams the same way). Only the CRC
needs a pass over the data, at about 1 GB/s.

Run ``python tests/hostile/corpus.py FOLDER`` to write the whole corpus for a manual try.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
from openpyxl import Workbook

MB = 1 << 20
_WB_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"


def _workbook_xml(sheet: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


class Repeated:
    """A member of ``head + body × times + tail`` bytes, compressed without compressing it all."""

    def __init__(self, head: bytes, body: bytes, times: int, tail: bytes) -> None:
        self.head, self.body, self.times, self.tail = head, body, times, tail

    def deflate(self) -> tuple[bytes, int, int]:
        """(raw deflate stream, CRC-32, uncompressed size)."""
        def segment(data: bytes, final: bool) -> bytes:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)

        head, body, tail = segment(self.head, False), segment(self.body, False), segment(self.tail, True)
        crc = zlib.crc32(self.head)
        for _ in range(self.times):
            crc = zlib.crc32(self.body, crc)
        crc = zlib.crc32(self.tail, crc)
        size = len(self.head) + len(self.body) * self.times + len(self.tail)
        return head + body * self.times + tail, crc & 0xFFFFFFFF, size


def write_zip(path: Path, members: dict[str, bytes | str | Repeated]) -> Path:
    """A zip written by hand (no zip64: every member under 4 GiB), deflated members."""
    out = io.BytesIO()
    central = []
    for name, content in members.items():
        if isinstance(content, Repeated):
            data, crc, size = content.deflate()
        else:
            raw = content.encode() if isinstance(content, str) else content
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            data, crc, size = c.compress(raw) + c.flush(), zlib.crc32(raw) & 0xFFFFFFFF, len(raw)
        fname = name.encode()
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(fname), 0))
        out.write(fname)
        out.write(data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                                   len(fname), 0, 0, 0, 0, 0, offset) + fname)
    cd_start = out.tell()
    for entry in central:
        out.write(entry)
    cd_size = out.tell() - cd_start
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), cd_size, cd_start, 0))
    path.write_bytes(out.getvalue())
    return path


def _xlsx(path: Path, sheet_xml: bytes | Repeated, sheet: str = "List 1") -> Path:
    return write_zip(path, {
        "[Content_Types].xml": _WB_CT, "_rels/.rels": _ROOT_RELS, "xl/workbook.xml": _workbook_xml(sheet),
        "xl/_rels/workbook.xml.rels": _WB_RELS, "xl/worksheets/sheet1.xml": sheet_xml,
    })


# --------------------------------------------------------------------------------------------
# the cases
# --------------------------------------------------------------------------------------------


def far_cell(folder: Path, ref: str = "XFD1048576", name: str | None = None) -> Path:
    """A tiny workbook (made by openpyxl) with a header row and one cell far away."""
    path = folder / (name or f"far-{ref.lower()}.xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = "List 1"
    ws.append(["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Date of Contact", "Contact Source"])
    ws[ref] = "x"
    wb.save(path)
    return path


def xfd_cell(folder: Path) -> Path:
    return far_cell(folder, "XFD1048576", "xfd1048576.xlsx")


def zz_cell(folder: Path) -> Path:
    return far_cell(folder, "ZZ1048576", "zz1048576.xlsx")


def zz_cell_within_rows(folder: Path) -> Path:
    """ZZ400000: under the row limit, but a reader would lay out 280 million cells."""
    return far_cell(folder, "ZZ400000", "zz400000.xlsx")


def xlsx_zip_bomb(folder: Path) -> Path:
    """About 3 MB on disk, 1 GiB of sheet XML: rows of a four-cell row repeated."""
    row = b'<row><c t="inlineStr"><is><t>C1</t></is></c><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>'
    body = row * (MB // len(row))
    return _xlsx(folder / "zip-bomb.xlsx", Repeated(_SHEET_HEAD, body, 1024, _SHEET_TAIL))


def whitespace_sheet(folder: Path, megabytes: int = 1300) -> Path:
    """1.3 MB on disk: a sheet whose XML is 1.3 GB of spaces between two cells."""
    head = _SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>Child Unique ID</t></is></c>'
    return _xlsx(folder / "whitespace.xlsx", Repeated(head, b" " * MB, megabytes, b"</row>" + _SHEET_TAIL))


def blank_rows(folder: Path, sheet: str = "Tracker", last_row: int = 1_048_576) -> Path:
    """A plan tracker header, then formatted blank rows down to Excel's last row."""
    header = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{t}</t></is></c>'
                     for c, t in zip("ABCDEFGH", ["NOS", "What?", "Who?", "How?", "When?", "Success measures",
                                                  "Current Status", "Outcome"], strict=True))
    out = io.BytesIO()
    out.write(_SHEET_HEAD)
    out.write(f'<row r="1">{header}</row>'.encode())
    for r in range(2, last_row + 1):
        out.write(b'<row r="%d"><c r="A%d" s="0"/></row>' % (r, r))
    out.write(_SHEET_TAIL)
    path = folder / "blank-rows.xlsx"
    return _xlsx(path, out.getvalue(), sheet=sheet)


def merged_everything(folder: Path) -> Path:
    """One merged area A1:XFD1048576 (openpyxl would make a cell object for each of 17 billion)."""
    sheet = (_SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>NOS</t></is></c></row></sheetData>'
             b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>')
    return _xlsx(folder / "merged.xlsx", sheet, sheet="Tracker")


def _plan_docx(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("Improvement plan")
    t = d.add_table(rows=2, cols=3)
    for i, text in enumerate(["Rec No", "Recommendation", "Action"]):
        t.cell(0, i).text = text
    t.cell(1, 0).text = "1"
    t.cell(1, 1).text = "Improve the timeliness of assessments"
    t.cell(1, 2).text = "Weekly performance clinic"
    d.save(path)
    return path


def docx_gridspan(folder: Path, span: int = 2_000_000_000) -> Path:
    """A Word table whose second row's first cell spans two billion grid columns."""
    base = _plan_docx(folder / "base.docx")
    path = folder / "gridspan.docx"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode()
                second_row = text.index("<w:tr>", text.index("<w:tr>") + 1)
                at = text.index("<w:tc>", second_row)
                text = text[:at] + f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p/></w:tc>' + text[at:]
                data = text.encode()
            dst.writestr(info, data)
    base.unlink()
    return path


def docx_zip_bomb(folder: Path) -> Path:
    """A Word document whose body is 1 GiB of one repeated paragraph."""
    base = _plan_docx(folder / "base-bomb.docx")
    members: dict[str, bytes | str | Repeated] = {}
    with zipfile.ZipFile(base) as src:
        for info in src.infolist():
            members[info.filename] = src.read(info.filename)
    base.unlink()
    text = members["word/document.xml"].decode()  # type: ignore[union-attr]
    cut = text.index("<w:body>") + len("<w:body>")
    para = b"<w:p><w:r><w:t>Improve the timeliness of assessments</w:t></w:r></w:p>"
    members["word/document.xml"] = Repeated(text[:cut].encode(), para * (MB // len(para)), 1024,
                                            text[cut:].encode())
    return write_zip(folder / "docx-bomb.docx", members)


def deep_json(folder: Path, depth: int = 100_000) -> Path:
    path = folder / "deep.json"
    path.write_text('{"themes": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    return path


def huge_number_json(folder: Path, digits: int = 100_000) -> Path:
    path = folder / "huge-number.json"
    path.write_text('{"programme": {"slug": "p", "name": "P"}, "themes": [], "people": [], "sources": [], '
                    f'"cost": {"9" * digits}}}', encoding="utf-8")
    return path


def random_bytes(folder: Path, suffix: str = ".xlsx") -> Path:
    path = folder / f"random{suffix}"
    path.write_bytes(os.urandom(64 << 10))
    return path


def truncated_zip(folder: Path) -> Path:
    """A real workbook cut off half way (as an interrupted download leaves it)."""
    whole = far_cell(folder, "B2", "whole.xlsx")
    data = whole.read_bytes()
    whole.unlink()
    path = folder / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def long_line_csv(folder: Path) -> Path:
    path = folder / "long-line.csv"
    path.write_bytes(b"indicator,minimum\n" + b"x" * (2 * MB) + b",1\n")
    return path


#: name → builder, for tests that run every case through every way in.
XLSX_CASES: dict[str, Callable[[Path], Path]] = {
    "a cell at XFD1048576": xfd_cell,
    "a cell at ZZ1048576": zz_cell,
    "a cell at ZZ400000": zz_cell_within_rows,
    "an xlsx zip bomb": xlsx_zip_bomb,
    "a sheet of whitespace": whitespace_sheet,
    "blank rows to row 1,048,576": blank_rows,
    "random bytes": random_bytes,
    "a truncated zip": truncated_zip,
}
PLAN_CASES: dict[str, Callable[[Path], Path]] = {
    "a cell at XFD1048576": xfd_cell,
    "a cell at ZZ1048576": zz_cell,
    "blank rows to row 1,048,576": blank_rows,
    "a merged area of the whole sheet": merged_everything,
    "an xlsx zip bomb": xlsx_zip_bomb,
    "a docx gridSpan of 2,000,000,000": docx_gridspan,
    "a docx zip bomb": docx_zip_bomb,
    "a JSON nested 100,000 deep": deep_json,
    "a JSON number of 100,000 digits": huge_number_json,
    "random bytes": random_bytes,
    "a truncated zip": truncated_zip,
}


def build_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for name, build in {**XLSX_CASES, **PLAN_CASES}.items():
        if name not in out:
            sub = folder / name.replace(" ", "-").replace(",", "")
            sub.mkdir(exist_ok=True)
            out[name] = build(sub)
    return out


if __name__ == "__main__":  # pragma: no cover - a manual aid
    for label, p in build_all(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")).items():
        print(f"{p.stat().st_size:>12,}  {label}: {p}")

"""Generate the hostile and malformed file corpus used by tests/test_hostile*.py.

Every file is built here from readable Python, never kept as a binary blob of unknown
origin. Each entry says what the loader must do with it: refuse it with one exact message,
or read it and add notes with the given codes.

    python tests/hostile/make_corpus.py OUTDIR      # writes the files and lists them
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


@dataclass(frozen=True)
class Hostile:
    """One corpus file and what must happen to it."""

    name: str
    build: Callable[[Path], None] = field(repr=False)
    refuse: str | None = None  # name of the MSG_ constant, "module:NAME"
    notes: tuple[str, ...] = ()  # Issue codes expected when it is read
    blocks: str | None = None  # Issue code that must stop analysis (read_return + check)
    description: str = ""


# --- builders -----------------------------------------------------------------------


def sheet_xml(rows_xml: str, *, prolog: str = "", dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">{dim}'
        f"<sheetData>{rows_xml}</sheetData></worksheet>"
    )


def write_xlsx(
    path: Path | io.BytesIO,
    sheets: list[tuple[str, str]] | None = None,
    *,
    shared: str | None = None,
    extra: dict[str, bytes | str] | None = None,
    states: dict[str, str] | None = None,
    workbook_prolog: str = "",
    compression: int = zipfile.ZIP_DEFLATED,
) -> None:
    """A minimal but valid xlsx written part by part (full control over every byte)."""
    sheets = sheets or [("Sheet1", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))]
    states = states or {}
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT_SHEET}"/>'
        for i in range(1, len(sheets) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>'
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS_PKG}">'
        f'<Relationship Id="rId1" Type="{NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    sheet_entries = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"'
        + (f' state="{states[name]}"' if name in states else "")
        + "/>"
        for i, (name, _) in enumerate(sheets, start=1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?>{workbook_prolog}'
        f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><sheets>{sheet_entries}</sheets>'
        "</workbook>"
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{NS_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    n = len(sheets)
    if shared is not None:
        rels += (
            f'<Relationship Id="rId{n + 1}" Type="{NS_REL}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
    book_rels = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS_PKG}">{rels}'
    book_rels += "</Relationships>"
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for i, (_, xml) in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", shared)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)


def _shared(strings: list[str], prolog: str = "") -> str:
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<sst xmlns="{NS_MAIN}" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )


def write_ods(path: Path, content_body: str, *, prolog: str = "") -> None:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
        f'office:version="1.2"><office:body><office:spreadsheet>{content_body}'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
        f'manifest:full-path="/" manifest:media-type="{ODS_MIME}"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)


def _ods_cell(text: str, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    body = f"<text:p>{text}</text:p>"
    return f'<table:table-cell office:value-type="string"{rep}>{body}</table:table-cell>'


def _records_rows(n: int) -> str:
    header = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Ethnicity</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Count</t></is></c></row>'
    )
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>White British</t></is></c>'
        f'<c r="B{r}"><v>{r}</v></c></row>'
        for r in range(2, n + 2)
    )
    return header + body


def _openpyxl_book(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Return"
    sheet.append(["Ethnicity", "Sex", "Count"])
    sheet.append(["White British", "Female", 12])
    sheet.append(["Black African", "Male", 3])
    book.save(path)


def build_billion_laughs(path: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    prolog = f"<!DOCTYPE sst [{entities}]>"
    write_xlsx(
        path,
        [("Sheet1", sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))],
        shared=_shared(["&lol9;"], prolog),
    )


def build_quadratic(path: Path) -> None:
    prolog = '<!DOCTYPE sst [<!ENTITY big "' + "A" * 50_000 + '">]>'
    write_xlsx(
        path,
        [("Sheet1", sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))],
        shared=_shared(["&big;" * 5_000], prolog),
    )


def build_xxe(secret: Path) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        prolog = f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "{secret.resolve().as_uri()}">]>'
        write_xlsx(
            path,
            [("Sheet1", sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))],
            shared=_shared(["&xxe;"], prolog),
        )

    return build


def build_xxe_ods(secret: Path) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        prolog = f'<!DOCTYPE office:document-content [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        row = f"<table:table-row>{_ods_cell('&xxe;')}</table:table-row>"
        write_ods(path, f'<table:table table:name="Data">{row}</table:table>', prolog=prolog)

    return build


def build_doctype_workbook(path: Path) -> None:
    write_xlsx(path, workbook_prolog="<!DOCTYPE workbook>")


def build_zip_bomb(path: Path) -> None:
    # ~200 MB of one repeated row compresses about 1000 times.
    row = '<row><c t="inlineStr"><is><t>0</t></is></c></row>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        write_xlsx_parts_only(archive)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            stream.write(sheet_xml("").split("<sheetData>")[0].encode() + b"<sheetData>")
            block = (row * 20_000).encode()
            for _ in range(200_000_000 // len(block)):
                stream.write(block)
            stream.write(b"</sheetData></worksheet>")


def write_xlsx_parts_only(archive: zipfile.ZipFile) -> None:
    """Every xlsx part except the worksheet, for builders that stream the sheet."""
    buffer = io.BytesIO()
    write_xlsx(buffer)
    with zipfile.ZipFile(buffer) as source:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, source.read(info.filename))


def build_lying_sizes(path: Path) -> None:
    """A member whose header claims 100 bytes but which inflates to megabytes."""
    write_xlsx(path, [("Sheet1", sheet_xml(_records_rows(20_000)))])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        real = info.file_size
    needle = real.to_bytes(4, "little")
    data = data.replace(needle, (100).to_bytes(4, "little"))
    path.write_bytes(bytes(data))


def build_far_corner(path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    write_xlsx(path, [("Sheet1", sheet_xml(rows))])


def build_far_corner_prefixed(path: Path) -> None:
    rows = (
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{NS_MAIN}">'
        f"<x:sheetData>{rows}</x:sheetData></x:worksheet>"
    )
    write_xlsx(path, [("Sheet1", xml)])


def build_far_corner_no_refs(path: Path) -> None:
    """Far cell reached by a 20,000-cell row without references (positions implied)."""
    cells = "<c><v>1</v></c>" * 20_000
    rows = f'<row r="1048576">{cells}</row>'
    write_xlsx(path, [("Sheet1", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>' + rows))])


def build_huge_dimension(path: Path) -> None:
    write_xlsx(
        path,
        [("Sheet1", sheet_xml(_records_rows(3), dimension="A1:XFD1048576"))],
    )


def build_ods_repeat_bomb(path: Path) -> None:
    row = (
        f'<table:table-row table:number-rows-repeated="1048576">{_ods_cell("x", 16384)}'
        "</table:table-row>"
    )
    write_ods(path, f'<table:table table:name="Data">{row}</table:table>')


def build_ods_ok(path: Path) -> None:
    rows = (
        f"<table:table-row>{_ods_cell('Ethnicity')}{_ods_cell('Count')}</table:table-row>"
        f"<table:table-row>{_ods_cell('White British')}"
        '<table:table-cell office:value-type="float" office:value="12"><text:p>12</text:p>'
        "</table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    write_ods(path, f'<table:table table:name="Data">{rows}</table:table>')


def build_zero(path: Path) -> None:
    path.write_bytes(b"")


def build_truncated(path: Path) -> None:
    write_xlsx(path, [("Sheet1", sheet_xml(_records_rows(2_000)))])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def build_csv_as_xlsx(path: Path) -> None:
    path.write_text("Ethnicity,Count\nWhite British,12\n", encoding="utf-8")


def build_xls(path: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Return")
    table: list[list[object]] = [["Ethnicity", "Count"], ["White British", 12], ["Mixed", 2.0]]
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    sheet.write(3, 0, dt.date(2012, 3, 4), xlwt.easyxf(num_format_str="DD/MM/YYYY"))
    book.save(str(path))


def build_encrypted(path: Path) -> None:
    import msoffcrypto.format.ooxml as ooxml

    plain = io.BytesIO()
    scratch = path.with_suffix(".plain.xlsx")
    _openpyxl_book(scratch)
    plain.write(scratch.read_bytes())
    scratch.unlink()
    plain.seek(0)
    encrypted = io.BytesIO()
    ooxml.OOXMLFile(plain).encrypt("secret-password", encrypted)
    path.write_bytes(encrypted.getvalue())


def build_encrypted_member(path: Path) -> None:
    write_xlsx(path)
    data = bytearray(path.read_bytes())
    # Set the "encrypted" flag (bit 0) in every local and central header.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (pos := data.find(signature, start)) >= 0:
            data[pos + offset] |= 0x01
            start = pos + 4
    path.write_bytes(bytes(data))


def build_macro(path: Path) -> None:
    write_xlsx(
        path,
        [("Sheet1", sheet_xml(_records_rows(2)))],
        extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not a real macro project"},
    )


def build_external_link(path: Path) -> None:
    link = (
        f'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="{NS_MAIN}">'
        '<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships" r:id="rId1"/></externalLink>'
    )
    link_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS_PKG}">'
        f'<Relationship Id="rId1" Type="{NS_REL}/externalLinkPath" '
        'Target="file:///C:/secret/other.xlsx" TargetMode="External"/></Relationships>'
    )
    rows = '<row r="1"><c r="A1"><f>[1]Sheet1!A1</f><v>7</v></c></row>'
    write_xlsx(
        path,
        [("Sheet1", sheet_xml(rows))],
        extra={
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
            "xl/connections.xml": f'<connections xmlns="{NS_MAIN}"/>',
        },
    )


def build_hidden(path: Path) -> None:
    write_xlsx(
        path,
        [
            ("Visible", sheet_xml(_records_rows(2))),
            ("Hidden", sheet_xml(_records_rows(2))),
            ("VeryHidden", sheet_xml(_records_rows(2))),
        ],
        states={"Hidden": "hidden", "VeryHidden": "veryHidden"},
    )


def build_formulas(path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1"><v>2</v></c><c r="B1"><v>3</v></c></row>'
        '<row r="2"><c r="A2"><f>A1+B1</f></c><c r="B2"><f>A1*2</f><v></v></c>'
        '<c r="C2" t="str"><f>""</f><v></v></c><c r="D2"><f>A1</f><v>2</v></c></row>'
    )
    write_xlsx(path, [("Sheet1", sheet_xml(rows))])


def build_errors(path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="7"><c r="C7" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        '<c r="D7" t="e"><v>#N/A</v></c></row>'
    )
    write_xlsx(path, [("Sheet1", sheet_xml(rows))])


def build_giant_cell(path: Path) -> None:
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c></row>'
    # Random letters: a 16 MB cell that does not compress like a zip bomb.
    giant = secrets.token_urlsafe(12_000_000).replace("-", "a").replace("_", "b")
    write_xlsx(path, [("Sheet1", sheet_xml(rows))], shared=_shared([giant]))


def build_control_chars(path: Path) -> None:
    text = "Ethnicity,Count\n\x1b[31mWhite\x07 British\x00,12\n\u202eevil\u202c,=1+1\n"
    path.write_bytes(text.encode("utf-8"))


def build_utf16(path: Path) -> None:
    text = "Ethnicity\tCount\r\nWhite British\t12\r\nAsian \u2013 Indian\t3\r\n"
    path.write_bytes(text.encode("utf-16"))


def build_cp1252(path: Path) -> None:
    path.write_bytes("Ethnicity,Count\nCaf\xe9 \u201cgroup\u201d,4\n".encode("cp1252"))


def build_mixed_endings(path: Path) -> None:
    path.write_bytes(b"Ethnicity,Count\r\nWhite British,12\nIndian,3\rChinese,1\r\n")


def build_million_rows(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        write_xlsx_parts_only(archive)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            stream.write(sheet_xml("").split("<sheetData>")[0].encode() + b"<sheetData>")
            step = 65_536
            for start in range(1, 1_048_577, step):
                stop = min(start + step, 1_048_577)
                stream.write(
                    "".join(
                        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(start, stop)
                    ).encode()
                )
            stream.write(b"</sheetData></worksheet>")


def build_too_many_entries(path: Path) -> None:
    write_xlsx(path, extra={f"xl/media/pad{i}.bin": b"" for i in range(2_500)})


def build_utf16_xml(path: Path) -> None:
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').replace("UTF-8", "UTF-16")
    write_xlsx(path, extra={})
    with zipfile.ZipFile(path) as source:
        parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    parts["xl/worksheets/sheet1.xml"] = xml.encode("utf-16")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def build_html_as_xls(path: Path) -> None:
    path.write_text("<html><body><table><tr><td>White British</td><td>12</td></tr></table>")


def build_pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def build_binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def build_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")


def build_empty_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w"):
        pass


def build_wide_csv(path: Path) -> None:
    path.write_text(",".join(f"c{i}" for i in range(20_000)) + "\n", encoding="utf-8")


def build_ragged_csv(path: Path) -> None:
    path.write_text("Ethnicity,Count\nWhite British,12,extra,more\nIndian\n", encoding="utf-8")


def build_formula_injection(path: Path) -> None:
    path.write_text(
        'Ethnicity,Count\n=HYPERLINK("http://example.invalid"),1\n@SUM(1+1),2\n', encoding="utf-8"
    )


def build_nul_csv(path: Path) -> None:
    path.write_bytes(b"Ethnicity,Count\nWhite\x00British,12\n")


def build_huge_row_number(path: Path) -> None:
    write_xlsx(path, [("Sheet1", sheet_xml('<row r="99999999999"><c><v>1</v></c></row>'))])


# --- issue 13: declared sizes, limits before parsing, counts ---------------------------


def build_shared_strings_count(path: Path) -> None:
    """1.7 KB: a shared-strings table declaring 4,000,000,000 strings (calamine reserves
    memory for them and aborts)."""
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS_MAIN}" count="1" '
        'uniqueCount="4000000000"><si><t>a</t></si></sst>'
    )
    write_xlsx(
        path, [("Sheet1", sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))],
        shared=shared,
    )


def build_date_out_of_range(path: Path) -> None:
    """A date-formatted cell holding -1e15: a Rust panic (pyo3 PanicException) in calamine."""
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS_MAIN}"><cellXfs count="2">'
        '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'
    )
    rows = '<row r="1"><c r="A1" s="1"><v>-1e15</v></c></row>'
    write_xlsx(path, [("Sheet1", sheet_xml(rows))], extra={"xl/styles.xml": styles})


def build_xlsb(path: Path) -> None:
    """An .xlsb (binary records, which no pre-scan can read) with a far-corner record."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00\x84\x01\x00")
        archive.writestr("xl/worksheets/sheet1.bin", b"\x00\xff\xff\xff\xff" * 8)


def build_declared_dimension(path: Path) -> None:
    write_xlsx(path, [("Sheet1", sheet_xml(_records_rows(2), dimension="A1:ZZZZZ99999999"))])


def build_wide_header_csv(path: Path) -> None:
    """About 290 KB: 16,384 headings, then 20,000 short rows that pandas pads to 16,384."""
    header = ",".join("h" for _ in range(16_384))
    path.write_text(header + "\n" + "White British,1\n" * 20_000, encoding="utf-8")


def build_ragged_wide_csv(path: Path) -> None:
    """Short first row, then one wide row: the ParserError fallback pads every row."""
    body = "Ethnicity,Count\n" + ",".join("x" for _ in range(16_000)) + "\n"
    path.write_text(body + "White British,1\n" * 20_000, encoding="utf-8")


def build_million_columns_csv(path: Path) -> None:
    path.write_text("," * 1_000_000 + "\n", encoding="utf-8")


def build_quoted_wide_csv(path: Path) -> None:
    """The same padding attack with quoted fields (a delimiter inside quotes)."""
    header = ",".join('"a,b"' for _ in range(10_000))
    path.write_text(header + "\n" + '"White British",1\n' * 20_000, encoding="utf-8")


def build_many_big_sheets(path: Path) -> None:
    """20 sheets, each just within the per-sheet cell limit (A1 and L1000000)."""
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1000000"><c r="L1000000"><v>1</v></c></row>'
    )
    write_xlsx(path, [(f"S{i}", sheet_xml(rows)) for i in range(1, 21)])


def build_lying_end_record(path: Path) -> None:
    """The end record says 5 entries; the central directory holds 40,000."""
    write_xlsx(path, extra={f"m/{i}": b"" for i in range(40_000)})
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (5).to_bytes(2, "little") * 2
    path.write_bytes(bytes(data))


def build_counts_1e308(path: Path) -> None:
    path.write_text("Ethnicity,Count\nWhite British,1e308\nIndian,5\n", encoding="utf-8")


def build_counts_wrap(path: Path) -> None:
    big = str(2**62)
    path.write_text(f"Ethnicity,Count\nWhite British,{big}\nIndian,{big}\n", encoding="utf-8")


def build_counts_1e18(path: Path) -> None:
    path.write_text("Ethnicity,Count\nWhite British,1000000000000000000\n", encoding="utf-8")


def build_counts_total(path: Path) -> None:
    path.write_text("Ethnicity,Count\n" + "White British,9000000\n" * 12, encoding="utf-8")


def build_control_sheet_name(path: Path) -> None:
    """Terminal escapes (OSC title, colour) in a sheet name and in the cells."""
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Ethnicity</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Count</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>\u009b31mWhite British</t></is></c>'
        '<c r="B2"><v>12</v></c></row>'
    )
    write_xlsx(path, [("Data_x001B_]0;owned_x0007_", sheet_xml(rows))])


def corpus(folder: Path) -> list[Hostile]:
    """The corpus entries (files are written by `build`)."""
    secret = folder / "secret.txt"
    return [
        Hostile("billion_laughs.xlsx", build_billion_laughs, "xmlstream:MSG_XML_DECLARATIONS"),
        Hostile("quadratic_blowup.xlsx", build_quadratic, "xmlstream:MSG_XML_DECLARATIONS"),
        Hostile("xxe_secret.xlsx", build_xxe(secret), "xmlstream:MSG_XML_DECLARATIONS"),
        Hostile("xxe_secret.ods", build_xxe_ods(secret), "xmlstream:MSG_XML_DECLARATIONS"),
        Hostile("doctype_workbook.xlsx", build_doctype_workbook, "xmlstream:MSG_XML_DECLARATIONS"),
        Hostile("zip_bomb.xlsx", build_zip_bomb, "prescan:MSG_RATIO"),
        Hostile("lying_sizes.xlsx", build_lying_sizes, "filetype:MSG_TRUNCATED_ZIP"),
        Hostile("sparse_far_corner.xlsx", build_far_corner, "sheetscan:MSG_TOO_MANY_CELLS"),
        Hostile(
            "far_corner_prefixed.xlsx", build_far_corner_prefixed, "sheetscan:MSG_TOO_MANY_CELLS"
        ),
        Hostile(
            "far_corner_no_refs.xlsx", build_far_corner_no_refs, "sheetscan:MSG_TOO_MANY_COLUMNS"
        ),
        Hostile("huge_row_number.xlsx", build_huge_row_number, "sheetscan:MSG_TOO_MANY_ROWS"),
        Hostile("huge_dimension.xlsx", build_huge_dimension),
        Hostile("ods_repeat_bomb.ods", build_ods_repeat_bomb, "odsscan:MSG_ODS_REPEAT"),
        Hostile("ods_padded.ods", build_ods_ok),
        Hostile("zero_byte.xlsx", build_zero, "filetype:MSG_EMPTY"),
        Hostile("truncated.xlsx", build_truncated, "filetype:MSG_TRUNCATED_ZIP"),
        Hostile("empty_zip.xlsx", build_empty_zip, "filetype:MSG_ZIP_NOT_SPREADSHEET"),
        Hostile("csv_renamed.xlsx", build_csv_as_xlsx, notes=("file-type-mismatch",)),
        Hostile("xls_renamed.xlsx", build_xls, notes=("file-type-mismatch",)),
        Hostile("encrypted.xlsx", build_encrypted, "filetype:MSG_ENCRYPTED"),
        Hostile("encrypted_member.xlsx", build_encrypted_member, "filetype:MSG_ENCRYPTED"),
        Hostile("macro.xlsm", build_macro, notes=("macros",)),
        Hostile(
            "external_link.xlsx",
            build_external_link,
            notes=("external-links", "data-connections"),
        ),
        Hostile("hidden_sheets.xlsx", build_hidden, notes=("hidden-sheet",)),
        Hostile("formulas_no_cache.xlsx", build_formulas, notes=("formula-no-value",)),
        Hostile("error_cells.xlsx", build_errors, notes=("error-cells",)),
        Hostile("giant_cell.xlsx", build_giant_cell),
        Hostile("control_characters.csv", build_control_chars),
        Hostile("utf16.csv", build_utf16, notes=("text-encoding", "text-delimiter")),
        Hostile("cp1252.csv", build_cp1252, notes=("text-encoding",)),
        Hostile("mixed_line_endings.csv", build_mixed_endings),
        Hostile("ragged.csv", build_ragged_csv),
        Hostile("formula_injection.csv", build_formula_injection),
        Hostile("nul_byte.csv", build_nul_csv),
        Hostile("wide.csv", build_wide_csv, "csvread:MSG_CSV_TOO_BIG"),
        Hostile("million_rows.xlsx", build_million_rows),
        Hostile("too_many_entries.xlsx", build_too_many_entries, "filetype:MSG_TOO_MANY_ENTRIES"),
        Hostile("utf16_xml.xlsx", build_utf16_xml, "xmlstream:MSG_XML_ENCODING"),
        Hostile("web_page.xls", build_html_as_xls, "filetype:MSG_HTML"),
        Hostile("pdf_renamed.xlsx", build_pdf, "filetype:MSG_PDF"),
        Hostile("random_binary.xlsx", build_binary, "filetype:MSG_BINARY"),
        Hostile("word_renamed.xlsx", build_docx, "filetype:MSG_WORD"),
        Hostile("plain.xls", build_xls),
        Hostile(
            "shared_strings_count.xlsx", build_shared_strings_count, "prescan:MSG_DECLARED_SIZE"
        ),
        Hostile("date_out_of_range.xlsx", build_date_out_of_range, "native:MSG_READER_FAULT"),
        Hostile("binary_workbook.xlsb", build_xlsb, "filetype:MSG_XLSB"),
        Hostile("xlsb_renamed.xlsx", build_xlsb, "filetype:MSG_XLSB"),
        Hostile(
            "declared_dimension.xlsx", build_declared_dimension, "sheetscan:MSG_TOO_MANY_ROWS"
        ),
        Hostile("wide_header.csv", build_wide_header_csv, "csvread:MSG_CSV_TOO_BIG"),
        Hostile("ragged_wide.csv", build_ragged_wide_csv, "csvread:MSG_CSV_TOO_BIG"),
        Hostile("million_columns.csv", build_million_columns_csv, "csvread:MSG_CSV_TOO_BIG"),
        Hostile("quoted_wide.csv", build_quoted_wide_csv, "csvread:MSG_CSV_TOO_BIG"),
        Hostile("many_big_sheets.xlsx", build_many_big_sheets, "prescan:MSG_TOTAL_CELLS"),
        Hostile(
            "lying_end_record.xlsx", build_lying_end_record, "filetype:MSG_TOO_MANY_ENTRIES"
        ),
        Hostile("counts_1e308.csv", build_counts_1e308, blocks="count-implausible"),
        Hostile("counts_wrap.csv", build_counts_wrap, blocks="count-implausible"),
        Hostile("counts_1e18.csv", build_counts_1e18, blocks="count-implausible"),
        Hostile("counts_total.csv", build_counts_total, blocks="count-implausible"),
        Hostile("control_sheet_name.xlsx", build_control_sheet_name),
    ]


def write_secret(folder: Path) -> str:
    """The local file the XXE entries point at; its text must never appear anywhere."""
    marker = "SECRET-" + secrets.token_hex(12)
    (folder / "secret.txt").write_text(marker, encoding="utf-8")
    return marker


def build(folder: Path) -> tuple[list[Hostile], str]:
    """Write every corpus file into ``folder``; return the entries and the secret marker."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = write_secret(folder)
    entries = corpus(folder)
    for entry in entries:
        entry.build(folder / entry.name)
    return entries, marker


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    built, _ = build(out)
    for item in built:
        outcome = f"refuse ({item.refuse})" if item.refuse else f"read, notes {item.notes}"
        print(f"{item.name:32} {outcome}")

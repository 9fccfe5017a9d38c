"""Builders of hostile upload files, written by the tests themselves (no binary blobs committed).

`xlsx(...)` writes a workbook part by part from raw XML, so that a test can put anything in a
sheet (a cell at XFD1048576, a declared dimension, cells without a place, another format's parts)
without openpyxl tidying it; `csv_bytes(...)` writes CSV text in any encoding.
"""

import csv
import io
import warnings
import zipfile

import openpyxl

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
PACKAGE_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
    '<sheets><sheet name="자료" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2"><office:body>'
    '<office:spreadsheet><table:table table:name="T"><table:table-row table:number-rows-repeated="1048576">'
    '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>'
    "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell(reference: str | None, value) -> str:
    place = f' r="{reference}"' if reference else ""
    if isinstance(value, str):
        return f'<c{place} t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f"<c{place}><v>{value}</v></c>"


def sheet_xml(rows: str, *, dimension: str | None = None) -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = f"{declared}<sheetData>{rows}</sheetData>"
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{body}</worksheet>'


def table_rows(rows: list[list], first_row: int = 1) -> str:
    """<row> elements with r attributes on rows and cells, from lists of values (None: no cell)."""
    out = []
    for number, values in enumerate(rows, start=first_row):
        cells = "".join(cell(f"{letter(index)}{number}", v) for index, v in enumerate(values) if v is not None)
        out.append(f'<row r="{number}">{cells}</row>')
    return "".join(out)


def letter(index: int) -> str:
    return openpyxl.utils.get_column_letter(index + 1)


def xlsx(sheet: str, *, parts: dict[str, str | bytes] | None = None, omit: tuple[str, ...] = ()) -> bytes:
    """A workbook whose first sheet is `sheet` (XML), with `parts` added or replaced."""
    members = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELATIONSHIPS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELATIONSHIPS,
        "xl/worksheets/sheet1.xml": sheet,
        **(parts or {}),
    }
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if name not in omit:
                archive.writestr(name, content)
    return stream.getvalue()


def table_xlsx(rows: list[list]) -> bytes:
    return xlsx(sheet_xml(table_rows(rows)))


def with_duplicate_member(data: bytes, name: str, content: str) -> bytes:
    stream = io.BytesIO(data)
    with warnings.catch_warnings(), zipfile.ZipFile(stream, "a") as archive:
        warnings.simplefilter("ignore")  # "Duplicate name": the point of the file
        archive.writestr(name, content)
    return stream.getvalue()


def with_compression_method(data: bytes, method: int) -> bytes:
    """The same zip (stored members) claiming another compression method (e.g. 9, deflate64)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_STORED) as archive:
        for item in source.infolist():
            archive.writestr(item.filename, source.read(item.filename))
    raw = bytearray(stream.getvalue())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = raw.find(signature)
        while start != -1:
            raw[start + offset : start + offset + 2] = method.to_bytes(2, "little")
            start = raw.find(signature, start + 4)
    return bytes(raw)


def openpyxl_xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def with_entities(data: bytes, text: str) -> bytes:
    """The same workbook whose XML declares an exponential entity (billion laughs) in place of `text`."""
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE x [<!ENTITY l0 "lol">{laughs}]>'
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if text.encode() in content:
                body = content.decode().split("?>", 1)[-1].replace(f">{text}<", ">&l9;<")
                content = (f'<?xml version="1.0"?>{doctype}' + body).encode()
            archive.writestr(item, content)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)

"""The streaming .xlsx reader (programs.importing.xlsx_rows) hands out exactly python-calamine's rows.

Every workbook below is read by `read_table` with each reader forced (`reader="calamine"` and
`reader="stream"`), and by the streaming reader's event parser alone (the piece-by-piece fallback
for XML its expressions do not cover): the rows must be equal value for value and type for type
(1.0 is not 1, a date is not a datetime), or all three readers must refuse the file. The workbooks:
the hostile corpus, files written by the project's exporters, openpyxl workbooks, raw XML with
shared strings, rich text, phonetic runs, dates in both date systems, durations, errors, ISO dates,
formula results, entities and `_xHHHH_` escapes, sparse and left-padded sheets, and a seeded
random corpus read in tiny pieces. The one deliberate difference: valued cells out of row order
(which no spreadsheet program writes) are refused by the streaming reader.
"""

import datetime
import io
import math
import random
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from bench.shared_strings import to_shared_strings
from companies.models import Company
from programs.excel import ExcelColumn, write_xlsx
from programs.importing import files, xlsx_rows
from programs.importing.export import export_kind, write_template
from programs.importing.files import FileRejected, read_table
from programs.importing.kinds import get_kind
from programs.importing.pipeline import import_file
from programs.importing.xlsx_sheet import first_sheet_path, sheet_size
from programs.models import ImportBatch
from programs.reports.committee import committee_report_bytes
from tests.companies.helpers import COMPANY_HEADERS, make_application, make_company, some_programs, valid_brn
from tests.hardening.hostile_files import MAIN, openpyxl_xlsx, sheet_xml, xlsx
from tests.hardening.test_hostile_files import CASES

REFUSED = "refused"


def comparable(rows):
    """Rows with each value tagged by its type (NaN made comparable)."""
    if rows == REFUSED:
        return rows
    return [
        [(type(value).__name__, "nan" if isinstance(value, float) and math.isnan(value) else value) for value in row]
        for row in rows
    ]


def read(data: bytes, reader: str) -> list | str:
    try:
        return comparable(list(read_table(data, "표.xlsx", reader=reader).rows))
    except FileRejected:
        return REFUSED


def read_events_only(data: bytes) -> list | str:
    try:
        files.check_xlsx(data)
        archive = zipfile.ZipFile(io.BytesIO(data))
        member = first_sheet_path(archive)
        sheet = xlsx_rows.SheetRows(archive, member, max_strings=10**6, events_only=True)
        return comparable(list(sheet.rows()))
    except (FileRejected, xlsx_rows.SheetUnreadable):
        return REFUSED


def assert_same_rows(data: bytes) -> list | str:
    calamine = read(data, "calamine")
    assert read(data, "stream") == calamine
    assert read_events_only(data) == calamine
    return calamine


def shared(data: bytes, tmp_path) -> bytes:
    """The same workbook with its inline strings in a shared-string table (bench/shared_strings.py)."""
    source, target = tmp_path / "inline.xlsx", tmp_path / "shared.xlsx"
    source.write_bytes(data)
    to_shared_strings(source, target)
    return target.read_bytes()


def sst(*items: str) -> dict:
    return {"xl/sharedStrings.xml": f'<?xml version="1.0"?><sst xmlns="{MAIN}">' + "".join(items) + "</sst>"}


def styles(codes: dict[int, str], ids: list) -> dict:
    formats = "".join(f'<numFmt numFmtId="{key}" formatCode="{code}"/>' for key, code in codes.items())
    xfs = "".join(f'<xf numFmtId="{key}" fontId="0"/>' for key in ids)
    return {
        "xl/styles.xml": f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}"><numFmts>{formats}</numFmts>'
        f"<cellXfs>{xfs}</cellXfs></styleSheet>"
    }


def date1904(flag: str) -> dict:
    return {
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{MAIN}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<workbookPr date1904="{flag}"/><sheets><sheet name="자료" sheetId="1" r:id="rId1"/></sheets></workbook>'
    }


def row(number: int, *cells: str, attributes: str = "") -> str:
    return f'<row r="{number}"{attributes}>' + "".join(cells) + "</row>"


DATES = styles(
    {164: "yyyy&quot;년&quot; m&quot;월&quot;", 165: "[h]:mm:ss", 166: "0.00;[Red]-0.00"},
    [0, 14, 22, 46, 164, 165, 166, 57],
)
NUMBERS = ["0", "0.5", "1", "1.5", "59", "60", "61", "45000", "45000.25", "-1", "-0.5", "2958465.5", "2958466"]


def line(number: int, *values: str, kind: str = "", style: str = "") -> str:
    """A row of cells A, B, C … holding `values` as <v> texts."""
    attributes = (f' t="{kind}"' if kind else "") + (f' s="{style}"' if style else "")
    return row(
        number,
        *(
            f'<c r="{column}{number}"{attributes}><v>{value}</v></c>'
            for column, value in zip("ABCDEFGHIJKLMN", values, strict=False)
        ),
    )


def inline(number: int, *texts: str, space: str = "") -> str:
    cells = (
        f'<c r="{column}{number}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
        for column, text in zip("ABCDEFGHIJ", texts, strict=False)
    )
    return row(number, *cells)


def dates(number_of_styles: int) -> str:
    return "".join(
        row(
            index + 1,
            *(
                f'<c r="{column}{index + 1}" s="{style}"><v>{value}</v></c>'
                for style, column in enumerate("ABCDEFGH"[:number_of_styles])
            ),
        )
        for index, value in enumerate(NUMBERS)
    )


RAW = {
    "numbers-are-floats": sheet_xml(line(1, "1", "1.5", "-0", "1E+30") + line(2, ".5", "+2", "1e3", kind="n")),
    "number-spellings": sheet_xml(line(1, "inf", "-Infinity", "nan", " 1", "1 ", "1_000", "0x10", "1e", "١")),
    "booleans": sheet_xml(line(1, "1", "0", "TRUE", " false ", "", kind="b")),
    "errors-are-blank-but-count": sheet_xml(
        line(1, "1") + row(1, '<c r="D1" t="e"><v>#DIV/0!</v></c>') + line(3, "#N/A", kind="e")
    ),
    "unknown-error-refused": sheet_xml(line(1, "#SPILL!", kind="e")),
    "formula-results": sheet_xml(
        row(
            1,
            '<c r="A1" t="str"><f>"a"&amp;"b"</f><v>a&amp;b</v></c>',
            '<c r="B1"><f>1+2</f><v>3</v></c>',
            '<c r="C1" t="b"><f>TRUE()</f><v>1</v></c>',
            '<c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
            '<c r="E1" t="str"><f>""</f><v></v></c>',
            '<c r="F1"><f>A1</f><v/></c>',
        )
    ),
    "value-then-formula-is-empty": sheet_xml(
        row(1, '<c r="A1"><v>3</v><f>1+2</f></c>', '<c r="B1"><f>1+2</f><v>3</v></c>')
    ),
    "iso-dates": sheet_xml(
        line(1, "2020-01-02T03:04:05", "2020-01-02T03:04:05.123456789", "2020-01-02", "2020-1-2", "03:04:05", kind="d")
        + line(2, "03:04", "2020-01-02T03:04:05Z", "2020-01-02 03:04:05", "12:3.0", "garbage", kind="d")
    ),
    "inline-strings": sheet_xml(
        row(
            1,
            '<c r="A1" t="inlineStr"><is><t>a &amp; b</t></is></c>',
            '<c r="B1" t="inlineStr"><is><r><t>x</t></r><r><rPr><b/></rPr><t xml:space="preserve"> y </t></r></is></c>',
            '<c r="C1" t="inlineStr"><is><t/></is></c>',
            '<c r="D1" t="inlineStr"><is/></c>',
            '<c r="E1" t="inlineStr"/>',
            '<c r="F1" t="inlineStr"><is><t>a</t></is><v>z</v></c>',
            '<c r="G1"><is><t>no type</t></is></c>',
        )
    ),
    "white-space-and-escapes": sheet_xml(
        inline(1, "  trimmed \t", "\u3000ideographic\u3000", "a\r\nb\rc", "&#13;&#10;x&#32;", "a<!-- note -->b")
        + inline(2, "  kept  ", "<![CDATA[ <raw> ]]>", space=' xml:space="preserve"')
        + inline(3, "_x000D_ _x0041_ _x00e9_ _x0100_ _x005F_x000D_", "&lt;&gt;&quot;&apos;&#xAC00;&#44032;")
    ),
    "formula-string-keeps-spaces": sheet_xml(line(1, " a _x0041_ ", kind="str") + line(2, "a&amp;b", "&#49;")),
    "sparse-and-left-padded": sheet_xml(
        row(3, '<c r="C3"><v>1</v></c>') + row(7, '<c r="B7" t="inlineStr"><is><t>x</t></is></c><c r="F7" s="0"/>')
    ),
    "trailing-styled-empty-cells": sheet_xml(
        row(1, '<c r="A1"><v>1</v></c><c r="B1" s="1"/><c r="Z1" s="1"></c>') + row(9, '<c r="C9" s="1"/>')
    ),
    "only-empty-cells": sheet_xml(row(1, '<c r="A1" s="1"/><c r="B1"><v></v></c>')),
    "empty-sheet": sheet_xml(""),
    "empty-sheet-data-element": sheet_xml("").replace("<sheetData></sheetData>", "<sheetData/>"),
    "cells-without-places": sheet_xml(
        '<row><c><v>1</v></c><c/><c><v>3</v></c></row><row/><row><c t="inlineStr"><is><t>x</t></is></c></row>'
    ),
    "prefixed-names-and-comments": f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData><!-- c -->'
    '<x:row r="2"><x:c r="B2"><x:v>5</x:v></x:c><?pi x?>'
    '<x:c r="C2" t="inlineStr"><x:is><x:t>가</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>',
    "pretty-printed": sheet_xml(
        '\n  <row r="1">\n    <c r="A1" t="inlineStr">\n      <is><t>x</t></is>\n    </c>\n'
        '    <c r="B1">\n      <v>2</v>\n    </c>\n  </row>\n'
    ),
    "duplicate-places-last-wins": sheet_xml(
        row(1, '<c r="A1"><v>1</v></c><c r="A1"><v>2</v></c>', '<c r="B1"><v>3</v></c><c r="B1"/>')
    ),
    "columns-out-of-order-in-a-row": sheet_xml(row(1, '<c r="C1"><v>1</v></c><c r="A1"><v>2</v></c>')),
    "row-with-a-quoted-angle-bracket": sheet_xml('<row r="1" x="a>b"><c r="A1"><v>1</v></c></row>'),
    "cell-with-another-child-refused": sheet_xml(row(1, '<c r="A1"><v>3</v><extLst/></c>')),
    "unknown-type-refused": sheet_xml(line(1, "1", kind="zz")),
    "number-type-with-text-refused": sheet_xml(line(1, "abc", kind="n")),
    "unclosed-reference-refused": sheet_xml(line(1, "a & b", kind="str")),
    "null-character-reference-refused": sheet_xml(line(1, "&#0;", kind="str")),
}
RICH_SHARED_STRING = (
    '<si><r><rPr><b/><sz val="11"/></rPr><t>가</t></r><r><t xml:space="preserve"> 나 </t></r>'
    '<rPh sb="0" eb="1"><t>ka</t></rPh><phoneticPr fontId="1"/></si>'
)
RAW_WITH_PARTS = {
    "shared-strings": (
        line(1, "0", "1", "2", "3", "4", "5", kind="s"),
        sst(
            "<si><t>a</t></si>",
            "<si><t/></si>",
            "<si></si>",
            "<si><t> trimmed </t></si>",
            RICH_SHARED_STRING,
            "<si><t>a_x000D_b&amp;&#44032;</t></si>",
        ),
    ),
    "shared-string-index-spellings": (
        line(1, "x", "01", "", "1", kind="s"),
        sst("<si><t>zero</t></si>", "<si><t>one</t></si>"),
    ),
    "shared-string-index-missing-refused": (line(1, "2", kind="s"), sst("<si><t>a</t></si>")),
    "dates-1900": (dates(8), DATES),
    "dates-1904": (dates(7), {**DATES, **date1904("true")}),
    "dates-1904-off": (dates(3), {**DATES, **date1904("false")}),
    "style-index-spellings": (
        row(
            1,
            '<c r="A1" s="01"><v>45000</v></c><c r="B1" s="x"><v>45000</v></c>',
            '<c r="C1" s="99"><v>45000</v></c><c r="D1"><v>45000</v></c>',
        ),
        styles({}, [14, 14]),
    ),
    "duration-out-of-range-refused": (line(1, "1e10", style="0"), styles({}, [46])),
    "date-below-chrono-refused": (line(1, "-1e12", style="0"), styles({}, [14])),
}


RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook(sheets: str, relationships: str = "") -> dict:
    parts = {
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS_NS}">'
        f"<sheets>{sheets}</sheets></workbook>"
    }
    if relationships:
        parts["xl/_rels/workbook.xml.rels"] = f"<Relationships>{relationships}</Relationships>"
    return parts


FIRST = '<sheet name="a" sheetId="1" r:id="rId1"/>'
FIRST_TARGET = '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
DOCTYPE = '<!DOCTYPE x [<!ENTITY a "b]>">]>'
# Parts python-calamine reads when it opens the workbook: what it refuses there, both readers refuse.
WORKBOOK_PARTS = {
    "hidden-first-sheet": workbook('<sheet name="a" sheetId="1" r:id="rId1" state="hidden"/>'),
    "unknown-sheet-state-refused": workbook('<sheet name="a" sheetId="1" r:id="rId1" state="weird"/>'),
    "second-sheet-without-relationship-refused": workbook(FIRST + '<sheet name="b" sheetId="2" r:id="rId9"/>'),
    "second-sheet-elsewhere-refused": workbook(
        FIRST + '<sheet name="b" sheetId="2" r:id="rId2"/>',
        FIRST_TARGET + '<Relationship Id="rId2" Target="other/b.xml"/>',
    ),
    "styles-unclosed-refused": {"xl/styles.xml": "<styleSheet><cellXfs><xf numFmtId='14'/></cellXfs>"},
    "shared-strings-unclosed-refused": {"xl/sharedStrings.xml": "<sst><si><t>a</t></si>"},
    "doctype-in-the-parts": {
        "xl/styles.xml": f'<?xml version="1.0"?>{DOCTYPE}<styleSheet><cellXfs><xf/></cellXfs></styleSheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0"?>{DOCTYPE}<sst><si><t>a</t></si></sst>',
    },
    "entity-of-a-doctype-refused": {
        "xl/sharedStrings.xml": f'<?xml version="1.0"?>{DOCTYPE}<sst><si><t>x&a;</t></si></sst>'
    },
}


@pytest.mark.parametrize("name", WORKBOOK_PARTS)
def test_workbook_parts_are_read_or_refused_the_same(name):
    sheet = sheet_xml(line(1, "1") + line(2, "0", kind="s")).replace("?>", f"?>{DOCTYPE}", 1)
    rows = assert_same_rows(xlsx(sheet, parts={**sst("<si><t>a</t></si>"), **WORKBOOK_PARTS[name]}))
    assert (rows == REFUSED) == name.endswith("-refused")


@pytest.mark.parametrize("name", RAW)
def test_raw_sheets_read_the_same(name):
    assert_same_rows(xlsx(RAW[name]))


@pytest.mark.parametrize("name", RAW_WITH_PARTS)
def test_raw_sheets_with_shared_strings_and_styles_read_the_same(name):
    rows, parts = RAW_WITH_PARTS[name]
    assert_same_rows(xlsx(sheet_xml(rows), parts=parts))


def test_the_raw_corpus_reaches_every_kind_of_value():
    kinds = set()
    for rows, parts in [(sheet, {}) for sheet in RAW.values()] + list(RAW_WITH_PARTS.values()):
        data = xlsx(rows if rows.startswith("<?xml") else sheet_xml(rows), parts=parts)
        result = read(data, "calamine")
        if result != REFUSED:
            kinds |= {kind for line in result for kind, _ in line}
    assert kinds == {"str", "float", "bool", "date", "datetime", "time", "timedelta"}


def test_refusals_in_the_raw_corpus_are_real():
    refused = [name for name in RAW if read(xlsx(RAW[name]), "calamine") == REFUSED]
    assert refused == [name for name in RAW if name.endswith("-refused")]


@pytest.mark.parametrize("hostile", [case for case in CASES if case.values[0].file_name.endswith(".xlsx")])
def test_the_hostile_corpus_reads_or_is_refused_the_same(hostile, monkeypatch):
    for name, value in hostile.limits:
        monkeypatch.setattr(files, name, value)
    assert_same_rows(hostile.build())


def test_values_out_of_row_order_are_the_one_difference():
    data = xlsx(sheet_xml(row(5, '<c r="A5"><v>1</v></c>') + row(3, '<c r="A3"><v>2</v></c>')))
    assert read(data, "calamine") == [[("str", "")], [("str", "")], [("float", 2.0)], [("str", "")], [("float", 1.0)]]
    with pytest.raises(FileRejected, match="행이 순서대로 저장되어 있지 않아"):
        list(read_table(data, "표.xlsx", reader="stream").rows)


# --- files the project writes, openpyxl workbooks, and their shared-string versions --------------

EXPORT_COLUMNS = [
    ExcelColumn("업체명", width=28),
    ExcelColumn("매출액(원)", "won"),
    ExcelColumn("설립일", "date"),
    ExcelColumn("비율", "rate"),
    ExcelColumn("보유", None),
    ExcelColumn("연락처", "text"),
    ExcelColumn("시각", None),
]


def exported() -> bytes:
    stream = io.BytesIO()
    rows = [
        ["가상기업 & <주>", 1_500_000_000, datetime.date(2001, 2, 3), Decimal("6.9"), True, "010-1234", None],
        ['=HYPERLINK("x")', -5, None, None, False, "+82 10", datetime.datetime(2024, 5, 6, 7, 8, 9)],
        ["  앞뒤 공백  ", None, None, None, None, "줄\n바꿈\x01", None],
        ["", None, None, None, None, None, None],
        *(
            [f"기업 {i}", i * 1000, datetime.date(2020, 1, 1) + datetime.timedelta(days=i), 0.5, i % 2 == 0, None, None]
            for i in range(300)
        ),
    ]
    write_xlsx(stream, EXPORT_COLUMNS, rows, sheet_title="목록", extra_sheets=[("안내", [ExcelColumn("열")], [["x"]])])
    return stream.getvalue()


def openpyxl_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B2"] = "2025년 신청 기업"
    sheet.append([])
    sheet.append(COMPANY_HEADERS)
    sheet.append([valid_brn(), "가상기업", "경기", "주조", 1.5e9, 10, 1, datetime.date(2010, 3, 1), "Y", None])
    sheet.append([None, None, datetime.datetime(2020, 1, 2, 3, 4, 5), datetime.time(13, 30), True, False, "=1+2", 7])
    sheet.append([CellRichText(["굵게 ", TextBlock(InlineFont(b=True), "강조")]), " 공백 ", "_x000D_", 0.1 + 0.2, -0.0])
    sheet["F9"] = datetime.timedelta(hours=36)
    sheet["F9"].number_format = "[h]:mm:ss"
    sheet["G9"] = 45000.5
    sheet["G9"].number_format = 'yyyy"년" m"월" d"일"'
    sheet["H9"] = 0.25
    sheet["H9"].number_format = "0.00%"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def test_the_exporters_file_and_its_shared_string_version_read_the_same(tmp_path):
    data = exported()
    rows = assert_same_rows(data)
    assert len(rows) == 305 and rows[1][:3] == [
        ("str", "가상기업 & <주>"),
        ("float", 1.5e9),
        ("date", datetime.date(2001, 2, 3)),
    ]
    assert assert_same_rows(shared(data, tmp_path)) == rows


def test_openpyxl_workbooks_read_the_same(tmp_path):
    data = openpyxl_workbook()
    rows = assert_same_rows(data)
    assert {kind for line in rows for kind, _ in line} >= {"date", "datetime", "time", "timedelta", "bool", "float"}
    assert assert_same_rows(shared(data, tmp_path)) == rows
    assert_same_rows(openpyxl_xlsx([["a", 1], [None, None], [None, datetime.date(2020, 1, 1)]]))


@pytest.mark.django_db
def test_exports_templates_and_the_committee_report_read_the_same(tmp_path):
    programs = some_programs(2)
    for index in range(30):
        company = make_company(name=f"내보내기 {index}", memo="-메모" if index % 3 else "", employees=index)
        make_application(company, programs[index % 2], requested_amount=index * 10_000_000)
    for kind in ("companies", "applications"):
        stream = io.BytesIO()
        export_kind(kind=get_kind(kind), stream=stream)
        assert len(assert_same_rows(stream.getvalue())) == 31
        assert_same_rows(shared(stream.getvalue(), tmp_path))
        template = io.BytesIO()
        write_template(kind=get_kind(kind), stream=template)
        assert_same_rows(template.getvalue())
    report = committee_report_bytes(year=2025)
    assert len(assert_same_rows(report)) > 10


# --- a seeded random corpus, read in tiny pieces ----------------------------------------------


def random_sheet(rng: random.Random) -> tuple[str, dict]:
    texts = ["a", "가", " ", "\t", "\r\n", "&amp;", "&#65;", "&#13;", "_x000D_", "_x00e9_", "_x0100_", "\u3000", "x"]
    values = {
        "n": [
            "0",
            "1",
            "-1",
            "1.5",
            "1e3",
            "+2",
            ".5",
            "inf",
            "nan",
            "45000.5",
            "0.25",
            "60",
            "-700000",
            " 1",
            "abc",
            "&#49;",
        ],
        "b": ["0", "1", "true", "FALSE", " 1 "],
        "e": ["#N/A", "#DIV/0!", "#REF!", "#VALUE!"],
        "d": ["2020-01-02T03:04:05", "2020-01-02", "03:04:05", "12:30", "2020-02-30", "x"],
    }

    def text() -> str:
        return "".join(rng.choice(texts) for _ in range(rng.randint(0, 4)))

    def cell(place: str | None) -> str:
        at = f' r="{place}"' if place else ""
        style = rng.choice(["", "", ' s="0"', ' s="1"', ' s="2"', ' s="3"'])
        shape = rng.random()
        if shape < 0.3:
            kind = rng.choice(["", "", ' t="n"'])
            formula = rng.choice(["", "", "<f>A1+1</f>"])
            return f"<c{at}{style}{kind}>{formula}<v>{rng.choice(values['n'][:-2] if kind else values['n'])}</v></c>"
        if shape < 0.45:
            return f'<c{at} t="s"><v>{rng.randint(0, 3)}</v></c>'
        if shape < 0.6:
            space = rng.choice(["", ' xml:space="preserve"'])
            return f'<c{at} t="inlineStr"><is>{rng.choice(["", "<r><t>r</t></r>"])}<t{space}>{text()}</t></is></c>'
        if shape < 0.7:
            return f'<c{at} t="str"><v>{text()}</v></c>'
        if shape < 0.85:
            kind = rng.choice("bed")
            return f'<c{at}{style} t="{kind}"><v>{rng.choice(values[kind])}</v></c>'
        return f"<c{at}{style}/>"

    rows, number = [], 0
    for _ in range(rng.randint(0, 6)):
        number += rng.choice([1, 1, 2, 4])
        places = rng.random() < 0.9
        cells = [
            cell(f"{xlsx_rows._letters(column)}{number}" if places else None)
            for column in sorted(rng.sample(range(8), rng.randint(0, 5)))
        ]
        rows.append(f'<row r="{number}">' + "".join(cells) + "</row>")
    strings = sst(*(f"<si><t>{text()}</t></si>" for _ in range(4)))
    return sheet_xml("".join(rows)), {**strings, **styles({164: "yyyy-mm-dd hh:mm"}, [0, 14, 46, 164])}


@pytest.mark.parametrize("piece", [xlsx_rows.CHUNK_BYTES, 29])
def test_a_seeded_random_corpus_reads_the_same_in_any_piece_size(piece, monkeypatch):
    """In tiny pieces (every tag split somewhere) the shared strings are also kept on disk."""
    monkeypatch.setattr(xlsx_rows, "CHUNK_BYTES", piece)
    if piece < 100:
        monkeypatch.setattr(xlsx_rows, "SHARED_STRINGS_IN_MEMORY_BYTES", 8)
    monkeypatch.setattr(xlsx_rows, "LONGEST_FAST_PIECE", 150 if piece < 100 else xlsx_rows.LONGEST_FAST_PIECE)
    rng = random.Random(2025)
    outcomes = {"read": 0, "refused": 0}
    for _ in range(120):
        sheet, parts = random_sheet(rng)
        outcomes["refused" if assert_same_rows(xlsx(sheet, parts=parts)) == REFUSED else "read"] += 1
    assert outcomes["read"] > 60 and outcomes["refused"] > 5


# --- which reader read_table uses, and an import through either ---------------------------------


class Spy:
    def __init__(self, monkeypatch):
        self.calamine = self.stream = 0
        real_workbook, real_rows = files.CalamineWorkbook, files.SheetRows

        def calamine(filelike):
            self.calamine += 1
            return real_workbook.from_filelike(filelike)

        def stream(*args, **kwargs):
            self.stream += 1
            return real_rows(*args, **kwargs)

        monkeypatch.setattr(files, "CalamineWorkbook", type("Calamine", (), {"from_filelike": staticmethod(calamine)}))
        monkeypatch.setattr(files, "SheetRows", stream)


def test_read_table_streams_above_the_threshold(monkeypatch, settings):
    spy = Spy(monkeypatch)
    data = exported()  # 305 rows × 7 columns = 2,135 cells used
    settings.IMPORT_STREAM_ABOVE_CELLS = 2_135
    list(read_table(data, "목록.xlsx").rows)
    assert (spy.calamine, spy.stream) == (1, 0)
    settings.IMPORT_STREAM_ABOVE_CELLS = 2_134
    list(read_table(data, "목록.xlsx").rows)
    assert (spy.calamine, spy.stream) == (1, 1)


def test_a_large_shared_string_table_goes_to_the_streaming_reader(monkeypatch, settings, tmp_path):
    spy = Spy(monkeypatch)
    stream = io.BytesIO()
    write_xlsx(stream, [ExcelColumn("설명")], [[f"{index}번째 긴 설명 " * 40] for index in range(20)])
    data = shared(stream.getvalue(), tmp_path)
    strings = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/sharedStrings.xml").file_size
    settings.IMPORT_STREAM_ABOVE_CELLS = strings // files.STREAM_SHARED_STRINGS_BYTES_PER_CELL - 1
    assert settings.IMPORT_STREAM_ABOVE_CELLS > 21  # the 21 cells alone would go to calamine
    assert len(list(read_table(data, "설명.xlsx").rows)) == 21
    assert (spy.calamine, spy.stream) == (0, 1)


def test_the_width_comes_from_the_size_check_when_its_last_column_holds_a_value():
    data = exported()
    archive = zipfile.ZipFile(io.BytesIO(data))
    member = first_sheet_path(archive)
    used = sheet_size(archive, member).used
    assert used == (305, 7)
    assert xlsx_rows.SheetRows(archive, member, max_strings=10, used_columns=7).measure_width() == 7
    styled = xlsx(sheet_xml(row(1, '<c r="A1"><v>1</v></c><c r="C1" s="1"/>')))
    archive = zipfile.ZipFile(io.BytesIO(styled))
    assert xlsx_rows.SheetRows(archive, first_sheet_path(archive), max_strings=10, used_columns=3).measure_width() == 1


def test_shared_strings_are_held_as_one_blob_with_offsets_or_on_disk():
    texts = [f"가상뿌리기업 {index:06d}" for index in range(100_000)]
    text_bytes = len(texts[0].encode()) * len(texts)
    in_memory = xlsx_rows.SharedStrings()
    in_memory.extend(texts)
    assert in_memory.nbytes() <= text_bytes + 4 * 100_001  # as Python strings: ~80 bytes each more
    on_disk = xlsx_rows.SharedStrings(in_memory_bytes=1_000_000)
    for start in range(0, len(texts), 1000):
        on_disk.extend(texts[start : start + 1000])
    assert on_disk.nbytes() == 4 * 100_001  # the offsets only
    for strings in (in_memory.freeze(), on_disk.freeze()):
        assert [strings[0], strings[54_321], strings[99_999]] == [texts[0], texts[54_321], texts[99_999]]


def company_file(rows: int, *, bad_row: int | None = None) -> bytes:
    stream = io.BytesIO()
    kind = get_kind("companies")
    columns = kind.importable_columns()
    provinces, industries = ["경기도", "서울특별시", "부산광역시"], ["주조", "금형", "용접"]
    values = []
    for index in range(rows):
        record = {
            "brn": valid_brn(),
            "name": f"가상기업 {index}",
            "province": provinces[index % 3],
            "industry": "우주항공" if index == bad_row else industries[index % 3],
            "founded_on": datetime.date(1990, 1, 1) + datetime.timedelta(days=index * 37),
            "employees": index % 50,
            "sales_amount": index * 1_000_000,
            "memo": " 메모 " if index % 4 == 0 else "",
        }
        values.append([record.get(column.attr) for column in columns])
    write_xlsx(stream, [column.excel for column in columns], values, sheet_title=kind.sheet_title)
    return stream.getvalue()


def imported(data: bytes, settings, threshold: int):
    settings.IMPORT_STREAM_ABOVE_CELLS = threshold
    result = import_file(kind=get_kind("companies"), data=data, file_name="기업.xlsx", source="command")
    stored = list(
        Company.objects.order_by("brn").values(
            *[f.attname for f in Company._meta.concrete_fields if f.attname not in ("id", "created_at", "updated_at")]
        )
    )
    return result, stored


@pytest.mark.django_db
def test_an_import_gives_the_same_result_through_either_reader(settings, monkeypatch):
    spy = Spy(monkeypatch)
    data = company_file(120)
    by_calamine, stored_by_calamine = imported(data, settings, threshold=10**9)
    Company.objects.all().delete()
    ImportBatch.objects.all().delete()
    streamed, stored_streamed = imported(data, settings, threshold=0)
    assert (spy.calamine, spy.stream) == (1, 1)
    assert by_calamine.errors == streamed.errors == []
    assert by_calamine.counts == streamed.counts == {"new": 120, "updated": 0, "unchanged": 0, "invalid": 0}
    assert stored_streamed == stored_by_calamine and len(stored_streamed) == 120

    bad = company_file(30, bad_row=17)
    refused_by_calamine, _ = imported(bad, settings, threshold=10**9)
    refused_streamed, _ = imported(bad, settings, threshold=0)
    assert [str(error) for error in refused_streamed.errors] == [str(error) for error in refused_by_calamine.errors]
    assert refused_streamed.errors and "우주항공" in str(refused_streamed.errors[0])


# --- ill-formed XML: refused or read as calamine does -------------------------------------------
#
# calamine reads with quick-xml's check_end_names off: an end tag closes the innermost open element
# whatever its name, and only an end tag with no element open is an error (a name that does not
# match is not). python-calamine reads the sheet a second time for its merged cells, from the start
# to the end of the first <mergeCells> or of the file, so what quick-xml refuses after </sheetData>
# (up to there) refuses the file too.

HEAD = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">'
ONE_ROW = '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
MERGED = '<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'


def worksheet(body: str, **parts) -> bytes:
    """A workbook whose sheet is the <worksheet> start tag followed by `body`, as it is."""
    return xlsx(HEAD + body, **parts)


def one_row(*cells: str) -> bytes:
    return worksheet(f'<sheetData><row r="1">{"".join(cells)}</row></sheetData></worksheet>')


ILL_FORMED = {
    "unclosed tag after the rows": worksheet(f"{ONE_ROW}</worksheet><x"),
    "stray end tag after the rows": worksheet(f"{ONE_ROW}</x></worksheet>"),
    "stray end tag in a row": one_row('<c r="A1"><v>1</v></c></x>'),
    "stray end tag in the shared strings": worksheet(
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
        parts=sst("<si><t>a</t></si></x>"),
    ),
    "stray end tag in the styles": worksheet(
        f"{ONE_ROW}</worksheet>",
        parts={
            "xl/styles.xml": f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}"><cellXfs><xf numFmtId="0"/></q>'
            "</cellXfs></styleSheet>"
        },
    ),
    "stray end tag inside a shared string": worksheet(
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
        parts=sst("<si><r><t>a</t></r></x></si>"),
    ),
    "a second </sheetData>": worksheet(f"{ONE_ROW}</sheetData></worksheet>"),
    "the root closed twice": worksheet(f"{ONE_ROW}</worksheet></worksheet>"),
    "an end tag before the root": xlsx(f'<?xml version="1.0"?></x><worksheet xmlns="{MAIN}">{ONE_ROW}</worksheet>'),
    "stray end tag before the rows": worksheet(f"</x>{ONE_ROW}</worksheet>"),
    "stray end tag at the start of the rows": worksheet(ONE_ROW.replace("<row", "</x><row") + "</worksheet>"),
    "stray end tag in a cell": one_row('<c r="A1"><v>1</v></x></c>'),
    "stray end tag in a formula": one_row('<c r="A1"><f>1</x></f><v>1</v></c>'),
    "stray end tag in an inline string": one_row('<c r="A1" t="inlineStr"><is><t>a</t></x></is></c>'),
    "stray end tag in a rich run": one_row('<c r="A1" t="inlineStr"><is><r><t>a</t></r></x></is></c>'),
    "end tags crossed in a cell": one_row('<c r="A1"><v>1</c></v>'),
    "end tags crossed in an inline string": one_row('<c r="A1" t="inlineStr"><is><t>a</is></t></c>'),
    "a value closed by another name": one_row('<c r="A1"><v>1</x></c>'),
    "a formula closed by another name": one_row('<c r="A1"><f>1</x><v>2</v></c>'),
    "a value closed without its prefix": xlsx(
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</v>'
        "</x:c></x:row></x:sheetData></x:worksheet>"
    ),
    "a row closed twice": one_row('<c r="A1"><v>1</v></c></row>'),
    "a cell closed twice": one_row('<c r="A1"><v>1</v></c></c>'),
    "<sheetData/> then a stray end tag": worksheet("<sheetData/></x></worksheet>"),
    "no root, a stray end tag after the rows": xlsx(f"{ONE_ROW}</x>"),
    "a comment the file ends in": worksheet(f"{ONE_ROW}</worksheet><!-- c"),
    "a CDATA section the file ends in": worksheet(f"{ONE_ROW}</worksheet><![CDATA[ x"),
    "a processing instruction the file ends in": worksheet(f"{ONE_ROW}</worksheet><?x "),
    "a DOCTYPE the file ends in": worksheet(f"{ONE_ROW}</worksheet><!DOCTYPE x"),
    "an attribute value the file ends in": worksheet(f"{ONE_ROW}<x a='></x></worksheet>"),
    "a lone < after the rows": worksheet(f"{ONE_ROW}</worksheet>a < b"),
    "<! that is no comment, CDATA or DOCTYPE after the rows": worksheet(f"{ONE_ROW}<!ELEMENT x></worksheet>"),
    "an end tag of no name after the rows": worksheet(f"{ONE_ROW}</></worksheet>"),
    "<mergeCells> the file ends in": worksheet(f'{ONE_ROW}<mergeCells><mergeCell ref="A1:B1"/>'),
    "<mergeCells> a sheet without rows ends in": worksheet("<mergeCells>"),
    "stray end tags in <mergeCells>": worksheet(f"{ONE_ROW}<mergeCells></x></y></z></mergeCells>"),
    "a merged range that is no range": worksheet(f'{ONE_ROW}<mergeCells><mergeCell ref="A1:B"/></mergeCells>'),
    "a merged range of three places": worksheet(f'{ONE_ROW}<x:mergeCells><x:mergeCell ref="A1:B1:C1"/></x:mergeCells>'),
    "a merged range that is no range, before the rows": worksheet(
        f'<mergeCells><mergeCell ref="A0"/></mergeCells>{ONE_ROW}</worksheet>'
    ),
    "a merged range that is no range, in a row": one_row('<mergeCells><mergeCell ref="1"/></mergeCells>'),
    "a merged range that is no range, in a rich string": one_row(
        '<c r="A1" t="inlineStr"><is><t>a</t><mergeCells><mergeCell ref=""/></mergeCells></is></c>'
    ),
}

# What calamine reads however it looks: end tags that name another element, elements left open at
# the end of the file, anything after the first </mergeCells>.
READ_AS_IT_IS = {
    "an end tag that names another element": worksheet(f"{ONE_ROW}</x>"),
    "the root closed by another case": worksheet(f"{ONE_ROW}</Worksheet>"),
    "prefixes that do not match": xlsx(
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v>'
        "</c></row></sheetData></y:worksheet>"
    ),
    "a rich run closed by another name": one_row('<c r="A1" t="inlineStr"><is><r><t>a</t></x></is></c>'),
    "a rich run left open": one_row('<c r="A1" t="inlineStr"><is><r><t>a</t></is></c>'),
    "a row closed by another name": worksheet(
        '<sheetData><row r="1"><c r="A1"><v>1</v></c></x><row r="2"><c r="B2"><v>2</v></c></row></sheetData>'
        "</worksheet>"
    ),
    "no end of the root": worksheet(ONE_ROW),
    "an element left open after the root": worksheet(f"{ONE_ROW}</worksheet><x><y>"),
    "text, comments and elements after the root": worksheet(
        f'{ONE_ROW}</worksheet> a > b &zz; <!-- c --><?pi x?><!doctype y><![CDATA[<]]><z/><z a="1" b></z>'
    ),
    "an end tag with attributes after the rows": worksheet(f'{ONE_ROW}</worksheet a="1">'),
    "a start tag of no name after the rows": worksheet(f"{ONE_ROW}<></worksheet>"),
    "stray end tags after the merged cells": worksheet(f"{ONE_ROW}{MERGED}</worksheet></x></y><z"),
    "a merged range that is no range, after the first <mergeCells>": worksheet(
        f'{ONE_ROW}<mergeCells/><mergeCells><mergeCell ref="zz"/></mergeCells></worksheet>'
    ),
    "a merged range that is no range, outside <mergeCells>": worksheet(f'{ONE_ROW}<mergeCell ref="zz"/></worksheet>'),
    "a merged range only its first ref counts": worksheet(
        f'{ONE_ROW}<mergeCells><mergeCell ref="A1:B2" ref="zz" x:ref="zz"/></mergeCells></worksheet>'
    ),
    "merged ranges before the rows, stray end tags after them": worksheet(f"{MERGED}{ONE_ROW}</worksheet></x></y>"),
    "<sheetData/> and merged cells": worksheet(f"<sheetData/>{MERGED}</worksheet>"),
    "a sheet that ends before its rows (no rows)": worksheet('<dimension ref="A1"/><sheetViews></mergeCells>'),
    "a sheet cut in a tag, then markup": worksheet("<sheetDat<!x><mergeCell ref='zz'/>"),
    "tags of no name, odd names and attributes calamine does not read": worksheet(
        '<sheetData><row r="1" x><><c r="A1"><v>1</v></c>< ></><a<b></a<b></row x="1">'
        '<row r="2" spans="1:2"/><a/b></a/b></sheetData></worksheet>'
    ),
    "a <t> closed in the next cell": one_row(
        '<c r="A1" t="inlineStr"><is><t>a</x></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c>'
    ),
    "an inline string calamine reads across cells and rows": worksheet(
        '<sheetData><row r="1"><c r="A1"><v>7</v></c></row><row r="2"><c r="B2" t="inlineStr"><is><t>a</t>'
        '</t ><c r="H2"><v>-1</v></c></row><row r="3"><c r="H3" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    ),
}


@pytest.mark.parametrize("piece", [xlsx_rows.CHUNK_BYTES, 5])
@pytest.mark.parametrize("name", ILL_FORMED)
def test_ill_formed_xml_that_calamine_refuses_is_refused_by_the_streaming_reader_too(name, piece, monkeypatch):
    monkeypatch.setattr(xlsx_rows, "CHUNK_BYTES", piece)
    data = ILL_FORMED[name]
    assert read(data, "calamine") == REFUSED
    assert read(data, "stream") == REFUSED
    assert read_events_only(data) == REFUSED


@pytest.mark.parametrize("piece", [xlsx_rows.CHUNK_BYTES, 5])
@pytest.mark.parametrize("name", READ_AS_IT_IS)
def test_ill_formed_xml_that_calamine_reads_is_read_the_same(name, piece, monkeypatch):
    monkeypatch.setattr(xlsx_rows, "CHUNK_BYTES", piece)
    assert assert_same_rows(READ_AS_IT_IS[name]) != REFUSED


def test_stray_end_tags_are_refused_in_korean():
    with pytest.raises(FileRejected, match="열린 요소가 없는 닫는 태그 </worksheet>"):
        list(read_table(ILL_FORMED["the root closed twice"], "표.xlsx", reader="stream").rows)
    with pytest.raises(FileRejected, match="</mergeCells> 없음"):
        list(read_table(ILL_FORMED["<mergeCells> the file ends in"], "표.xlsx", reader="stream").rows)


TAILS = [
    "</x>",
    "<x>",
    "<x/>",
    "text &zz; > ",
    "<!-- c -->",
    "<!-- c",
    "<?pi?>",
    "<![CDATA[ < ]]>",
    "<!DOCTYPE y>",
    "<!x>",
    "<mergeCells>",
    "</mergeCells>",
    '<mergeCell ref="A1:B2"/>',
    '<mergeCell ref="zz"/>',
    "<x a='",
    "<",
]


def ill_formed(sheet: str, rng: random.Random) -> str:
    """`sheet` with one of the mistakes quick-xml refuses or lets through (twice, at times)."""
    for _ in range(rng.choice([1, 1, 1, 2])):
        tags = [match.start() for match in re.finditer("<", sheet)]
        ends = [match.span() for match in re.finditer(r"</[^>]*>", sheet)]
        mistake = rng.choice([0, 1, 1, 2, 3, 3, 4, 5, 5, 5])  # 1, 3 and 5 are often read
        if mistake == 0:  # an end tag of another name, or of an element never opened
            at = rng.choice(tags)
            sheet = sheet[:at] + rng.choice(["</x>", "</c>", "</row>", "</is>", "</sheetData>"]) + sheet[at:]
        elif mistake == 1 and ends:  # an end tag left out
            start, end = rng.choice(ends)
            sheet = sheet[:start] + sheet[end:]
        elif mistake == 2 and ends:  # an end tag twice
            start, end = rng.choice(ends)
            sheet = sheet[:end] + sheet[start:end] + sheet[end:]
        elif mistake == 3 and ends:  # an end tag renamed
            start, end = rng.choice(ends)
            sheet = sheet[:start] + rng.choice(["</x>", "</x:c>", "</t >", "</row>"]) + sheet[end:]
        elif mistake == 4:  # the file cut short
            sheet = sheet[: rng.randrange(len(sheet) // 2, len(sheet))]
        else:  # something after the rows
            at = sheet.index("</sheetData>") + 12 if "</sheetData>" in sheet else len(sheet)
            tail = "".join(rng.choice(TAILS) for _ in range(rng.randint(1, 4)))
            sheet = sheet[:at] + tail + sheet[at:]
    return sheet


@pytest.mark.parametrize("piece", [xlsx_rows.CHUNK_BYTES, 29])
def test_a_seeded_random_corpus_of_ill_formed_sheets_is_read_or_refused_the_same(piece, monkeypatch):
    monkeypatch.setattr(xlsx_rows, "CHUNK_BYTES", piece)
    rng = random.Random(2026)
    outcomes = {"read": 0, "refused": 0}
    for _ in range(160):
        sheet, parts = random_sheet(rng)
        data = xlsx(ill_formed(sheet, rng), parts=parts)
        outcomes["refused" if assert_same_rows(data) == REFUSED else "read"] += 1
    assert outcomes["read"] >= 25 and outcomes["refused"] >= 100

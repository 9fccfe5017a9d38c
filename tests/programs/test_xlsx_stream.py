"""The streaming .xlsx writer behind every list export: what Excel (openpyxl, calamine) reads back."""

import datetime
import io
from decimal import Decimal

import openpyxl
from python_calamine import CalamineWorkbook

from programs.excel import ExcelColumn, write_xlsx

COLUMNS = [
    ExcelColumn("업체명", width=28),
    ExcelColumn("매출액(원)", "won"),
    ExcelColumn("설립일", "date"),
    ExcelColumn("비율", "rate"),
    ExcelColumn("보유", None),
    ExcelColumn("연락처", "text"),
]


def written(rows, **kwargs):
    stream = io.BytesIO()
    write_xlsx(stream, COLUMNS, rows, sheet_title="뿌리기업", **kwargs)
    return stream.getvalue()


def test_numbers_and_dates_stay_typed_with_the_column_format():
    data = written([["가상기업 & <주>", 1_500_000_000, datetime.date(2001, 2, 3), Decimal("6.9"), True, "010-1234"]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    name, sales, founded, rate, flag, phone = sheet[2]
    assert name.value == "가상기업 & <주>"
    assert sales.value == 1_500_000_000 and sales.number_format == "#,##0"
    assert founded.value == datetime.datetime(2001, 2, 3) and founded.number_format == "yyyy-mm-dd"
    assert rate.value == 6.9
    assert flag.value is True
    assert phone.value == "010-1234" and phone.data_type == "s"


def test_formula_like_text_is_stored_as_quoted_text():
    data = written([['=HYPERLINK("http://x")', -5, None, None, None, "+82 10"]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    formula, negative, *_, phone = sheet[2]
    assert formula.data_type == "s" and formula.quotePrefix and formula.value == '=HYPERLINK("http://x")'
    assert negative.value == -5 and negative.data_type == "n"  # a negative number stays a number
    assert phone.quotePrefix and phone.value == "+82 10"


def test_header_is_styled_frozen_and_widths_are_set():
    sheet = openpyxl.load_workbook(io.BytesIO(written([]))).active
    assert sheet.title == "뿌리기업"
    assert [cell.value for cell in sheet[1]] == [column.header for column in COLUMNS]
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == "FF305496"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 28


def test_empty_cells_blank_text_control_characters_and_spaces():
    data = written(
        [
            ["  앞뒤 공백  ", None, None, None, None, "줄\n바꿈\x01"],
            ["", None, None, None, None, None],
            ["다음 행", None, None, None, None, None],
        ]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "  앞뒤 공백  "
    assert sheet["F2"].value == "줄\n바꿈"  # XML cannot hold \x01: dropped rather than a broken file
    assert sheet["B2"].value is None
    assert sheet["A3"].value is None and sheet["A4"].value == "다음 행"  # an empty row keeps its place


def test_extra_sheets_and_calamine_reads_the_same_values():
    stream = io.BytesIO()
    write_xlsx(
        stream,
        COLUMNS,
        (
            [f"기업 {i}", i * 1000, datetime.date(2020, 1, 1) + datetime.timedelta(days=i), None, False, None]
            for i in range(3000)
        ),
        sheet_title="목록/전체",
        extra_sheets=[("작성 안내", [ExcelColumn("열"), ExcelColumn("설명")], [["업체명", "필수"]])],
    )
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(stream.getvalue()))
    assert workbook.sheet_names == ["목록_전체", "작성 안내"]
    rows = workbook.get_sheet_by_index(0).to_python()
    assert len(rows) == 3001
    assert rows[3000][:3] == ["기업 2999", 2_999_000, datetime.date(2028, 3, 18)]
    assert workbook.get_sheet_by_index(1).to_python() == [["열", "설명"], ["업체명", "필수"]]

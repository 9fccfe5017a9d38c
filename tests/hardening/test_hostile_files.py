"""The hostile-input corpus: every file below goes through the admin upload (preview) and the
`import_excel` command, and must be refused with a Korean message (naming the row and column
where there is one), with no 500, nothing written (target table and ImportBatch counts) and, for
the files refused on their structure, python-calamine never called.

A new hostile case is one `case(...)` line: an id, the uploaded file name, a builder of the bytes
(tests/hardening/hostile_files.py), the expected reason, and optionally the row and column it
names, the import kind, lowered limits, and whether calamine may read the file.
"""

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape
from python_calamine import CalamineError, CalamineWorkbook

from programs.importing import files, xlsx_sheet
from programs.importing.kinds import get_kind
from programs.models import ImportBatch, PendingUpload, Program
from tests.companies.helpers import valid_brn
from tests.hardening.hostile_files import (
    MAIN,
    ODS_CONTENT,
    cell,
    csv_bytes,
    openpyxl_xlsx,
    sheet_xml,
    table_rows,
    table_xlsx,
    with_compression_method,
    with_duplicate_member,
    with_entities,
    xlsx,
)

pytestmark = pytest.mark.django_db

ADMIN_IMPORT = {"companies": "admin:companies_company_import", "executions": "admin:programs_budgetexecution_import"}
HEADERS = ["사업자등록번호", "업체명", "시·도", "업종", "종사자 수", "매출액(원)"]


def company(**changes) -> list:
    """A row under HEADERS; `staff` is 종사자 수, `sales` 매출액(원)."""
    values = {"brn": valid_brn(1), "name": "가상기업", "province": "경기", "industry": "주조"}
    values.update(staff=10, sales=5e8)
    values.update(changes)
    return list(values.values())


def companies_csv(*rows, headers=HEADERS, encoding="utf-8") -> bytes:
    return csv_bytes([headers, *rows], encoding)


def companies_xlsx(*rows) -> bytes:
    return table_xlsx([HEADERS, *rows])


def executions_csv(amount_million) -> bytes:
    program = Program.objects.order_by("pk").first()
    return csv_bytes([["사업", "연월", "집행액(백만원)"], [program.code, "2025-03", amount_million]])


def far_cells(*references) -> bytes:
    return xlsx(sheet_xml('<row r="1">' + cell("A1", "사업자등록번호") + "</row>" + "".join(references)))


@dataclass(frozen=True)
class Hostile:
    file_name: str
    build: Callable[[], bytes]
    reason: str
    row: int | None = None
    column: str = ""
    kind: str = "companies"
    limits: tuple[tuple[str, int], ...] = ()
    calamine: bool = True  # False: refused from the zip, before python-calamine is called


def case(case_id: str, file_name: str, build, reason: str, **options):
    return pytest.param(Hostile(file_name, build, reason, **options), id=case_id)


# fmt: off
CASES = [
    # --- the sheet's size, measured from the zip (issue 11, 4) -------------------------------
    case("cell-at-XFD1048576", "기업.xlsx", lambda: far_cells('<row r="1048576">' + cell("XFD1048576", "x") + "</row>"), "마지막 셀 XFD1048576", calamine=False),
    case("declared-dimension", "기업.xlsx", lambda: xlsx(sheet_xml(table_rows([HEADERS]), dimension="A1:XFD1048576")), "시트가 선언한 범위(A1:XFD1048576)", calamine=False),
    case("rows-beyond-limit", "기업.xlsx", lambda: far_cells('<row r="1000001">' + cell("A1000001", 1) + "</row>"), "1,000,001행으로 한도(1,000,000행)", calamine=False),
    case("columns-beyond-limit", "기업.xlsx", lambda: far_cells(f'<row r="2">{cell("CW2", 1)}</row>'), "101열(CW열까지)로 한도(100열)", calamine=False),
    case("cells-beyond-limit", "기업.xlsx", lambda: far_cells('<row r="200000">' + cell("CV200000", 1) + "</row>"), "20,000,000칸으로 한도(18,000,000칸)", calamine=False),
    case("cell-without-place-in-a-far-row", "기업.xlsx", lambda: far_cells('<row r="1048576">' + cell(None, "x") + "</row>"), "1,048,576행으로 한도", calamine=False),
    case("cell-without-place-after-a-far-cell", "기업.xlsx", lambda: far_cells('<row r="2">' + cell("CV2", 1) + cell(None, 1) + "</row>"), "101열(CW열까지)", calamine=False),
    case("rows-without-place-counted", "기업.xlsx", lambda: xlsx(sheet_xml(("<row>" + cell(None, 1) + "</row>") * 5)), "5행으로 한도(3행)", limits=(("MAX_ROWS", 3),), calamine=False),
    case("cell-place-without-row", "기업.xlsx", lambda: far_cells(f'<row r="2">{cell("XFD", 1)}</row>'), "셀 위치 'XFD'", calamine=False),
    case("cell-place-row-zero", "기업.xlsx", lambda: far_cells(f'<row r="2">{cell("A0", 1)}</row>'), "셀 위치 'A0'", calamine=False),
    case("dimension-unreadable", "기업.xlsx", lambda: xlsx(sheet_xml(table_rows([HEADERS]), dimension="A1:B")), "범위 선언 'A1:B'", calamine=False),
    # --- the zip's structure ------------------------------------------------------------------
    case("opendocument-inside", "기업.xlsx", lambda: xlsx(sheet_xml(table_rows([HEADERS])), parts={"content.xml": ODS_CONTENT, "xl/sharedStrings.xml": "<sst><si><t>"}), "다른 형식(ODS, XLSB)", calamine=False),
    case("xlsb-inside", "기업.xlsx", lambda: xlsx(sheet_xml(table_rows([HEADERS])), parts={"xl/workbook.bin": b"\0"}), "다른 형식(ODS, XLSB)", calamine=False),
    case("member-twice", "기업.xlsx", lambda: with_duplicate_member(companies_xlsx(company()), "xl/worksheets/sheet1.xml", sheet_xml("")), "같은 이름의 항목", calamine=False),
    case("member-name-with-entity", "기업.xlsx", lambda: xlsx(sheet_xml(table_rows([HEADERS])), parts={"xl/worksheets/s&#49;.xml": "<x/>"}), "항목 이름이 올바르지 않습니다", calamine=False),
    case("no-workbook", "기업.xlsx", lambda: xlsx(sheet_xml(table_rows([HEADERS])), omit=("xl/workbook.xml",)), "통합문서(xl/workbook.xml)", calamine=False),
    case("no-sheet", "기업.xlsx", lambda: xlsx(sheet_xml(""), parts={"xl/workbook.xml": "<workbook><sheets/></workbook>"}), "시트가 없습니다", calamine=False),
    case("relationship-twice", "기업.xlsx", lambda: xlsx(sheet_xml(""), parts={"xl/_rels/workbook.xml.rels": '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId1" Target="worksheets/big.xml"/></Relationships>'}), "같은 항목이 두 번", calamine=False),
    case("doctype-in-workbook", "기업.xlsx", lambda: xlsx(sheet_xml(""), parts={"xl/workbook.xml": '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "b">]><workbook/>'}), "DOCTYPE", calamine=False),
    case("unsupported-compression", "기업.xlsx", lambda: with_compression_method(companies_xlsx(company()), 9), "읽을 수 없는 방식으로 압축", calamine=False),
    case("shared-strings-beyond-limit", "기업.xlsx", lambda: xlsx(sheet_xml(table_rows([HEADERS])), parts={"xl/sharedStrings.xml": "<sst>" + "<si><t>가상기업</t></si>" * 200 + "</sst>"}), "공유 문자열 표(xl/sharedStrings.xml)", limits=(("MAX_SHARED_STRINGS_BYTES", 1000),), calamine=False),
    case("zip-bomb", "기업.xlsx", lambda: xlsx(sheet_xml(""), parts={"xl/media/image1.png": b"\0" * (2 * 1024 * 1024)}), "압축", limits=(("MAX_XLSX_UNCOMPRESSED_BYTES", 1024 * 1024),), calamine=False),
    case("not-a-zip", "기업.xlsx", lambda: b"%PDF-1.7 not a spreadsheet", "xlsx 형식(zip)이 아닙니다", calamine=False),
    case("no-content-types", "기업.xlsx", lambda: xlsx(sheet_xml(""), omit=("[Content_Types].xml",)), "[Content_Types].xml이 없습니다", calamine=False),
    case("wrong-extension", "기업.xls", lambda: companies_xlsx(company()), "지원하지 않는 파일 형식", calamine=False),
    case("empty-file", "기업.csv", lambda: b"", "빈 파일입니다"),
    case("oversize", "기업.csv", lambda: companies_csv(company()), "파일이 너무 큽니다", limits=(("MAX_UPLOAD_BYTES", 50),)),
    case("entity-expansion", "기업.xlsx", lambda: with_entities(openpyxl_xlsx([HEADERS, company(name="정상기업")]), "정상기업"), "엑셀 파일을 읽을 수 없습니다"),
    # --- CSV text -----------------------------------------------------------------------------
    case("zip-named-csv", "기업.csv", lambda: companies_xlsx(company()), "내용이 압축(zip) 파일입니다"),
    case("nul-bytes", "기업.csv", lambda: b"\x00\x01\x02", "이진 데이터"),
    case("utf16-without-bom", "기업.csv", lambda: companies_csv(company(), encoding="utf-16-le"), "UTF-16(BOM 있는 것)"),
    case("undecodable", "기업.csv", lambda: b"\xff\xfa\xff,\xff\n", "문자 인코딩을 읽을 수 없습니다"),
    case("csv-columns-beyond-limit", "기업.csv", lambda: companies_csv(company(), headers=HEADERS + [f"열{i}" for i in range(95)]), "열이 101개로 한도(100열)"),
    case("csv-run-of-separators", "기업.csv", lambda: companies_csv(company()) + b"," * 300_000 + b"\n", "CSV 3행의 열이 한도(100열)"),
    case("csv-rows-beyond-limit", "기업.csv", lambda: companies_csv(*[company() for _ in range(5)]), "5행을 넘습니다", limits=(("MAX_ROWS", 5),)),
    case("csv-field-over-131072", "기업.csv", lambda: companies_csv(company(), company(name="가" * 131_073)), "CSV 3행에 131,072자를 넘는 칸"),
    # --- characters a spreadsheet cannot hold (issue 11, 5) ----------------------------------
    case("vertical-tab-csv", "기업.csv", lambda: companies_csv(company(name="가상\x0b기업")), "제어 문자(U+000B)", row=2, column="업체명"),
    case("escape-character-csv", "기업.csv", lambda: companies_csv(company(), company(province="경기\x1b")), "제어 문자(U+001B)", row=3, column="시·도"),
    case("vertical-tab-xlsx", "기업.xlsx", lambda: companies_xlsx(company(name="가상_x000B_기업")), "제어 문자(U+000B)", row=2, column="업체명"),
    # --- numbers (issue 11, 6) ---------------------------------------------------------------
    *(
        case(f"number-{text}", "기업.csv", lambda text=text: companies_csv(company(staff=text)), reason, row=2, column="종사자 수")
        for text, reason in [
            ("Infinity", "숫자가 아닙니다"),
            ("-Infinity", "숫자가 아닙니다"),
            ("NaN", "숫자가 아닙니다"),
            ("sNaN", "숫자가 아닙니다"),
            ("1E+30", "숫자가 너무 큽니다"),
            ("1e400", "숫자가 너무 큽니다"),
            ("1e999999999", "숫자가 너무 큽니다"),
            ("2147483648", "0 이상 2,147,483,647 이하"),
            ("-1", "0 이상"),
        ]
    ),
    case("sales-2^63", "기업.csv", lambda: companies_csv(company(sales=2**63)), "0 이상 9,223,372,036,854,775,807 이하", row=2, column="매출액(원)"),
    case("sales-10^20", "기업.csv", lambda: companies_csv(company(sales=10**20)), "숫자가 너무 큽니다", row=2, column="매출액(원)"),
    case("xlsx-number-1e30", "기업.xlsx", lambda: companies_xlsx(company(staff=1e30)), "0 이상 2,147,483,647 이하", row=2, column="종사자 수"),
    case("xlsx-number-inf", "기업.xlsx", lambda: companies_xlsx(company(staff=float("inf"))), "정수", row=2, column="종사자 수"),
    case("million-infinity", "집행.csv", lambda: executions_csv("Infinity"), "숫자가 아닙니다", row=2, column="집행액(백만원)", kind="executions"),
    case("million-sNaN", "집행.csv", lambda: executions_csv("sNaN"), "숫자가 아닙니다", row=2, column="집행액(백만원)", kind="executions"),
    case("million-1e400", "집행.csv", lambda: executions_csv("1e400"), "숫자가 너무 큽니다", row=2, column="집행액(백만원)", kind="executions"),
    case("million-1e14-is-10^20-won", "집행.csv", lambda: executions_csv("1e14"), "9,223,372,036,854,775,807 이하", row=2, column="집행액(원)", kind="executions"),
    # --- headers ------------------------------------------------------------------------------
    case("same-header-twice", "기업.csv", lambda: companies_csv(company() + ["다른기업"], headers=HEADERS + ["업체명"]), "B열 '업체명'과(와) G열 '업체명'"),
    case("two-names-of-one-column", "기업.csv", lambda: companies_csv(company() + ["경기"], headers=HEADERS + ["시도"]), "C열 '시·도'과(와) G열 '시도'"),
]
# fmt: on


class CalamineSpy:
    """Stands in for python-calamine: records each call and reads the file only when `allowed`
    (a file that must be refused from the zip is never handed to the real reader)."""

    def __init__(self):
        self.calls, self.allowed = [], True

    def from_filelike(self, filelike):
        self.calls.append(filelike)
        if not self.allowed:
            raise CalamineError("python-calamine was called")
        return CalamineWorkbook.from_filelike(filelike)


@pytest.fixture
def calamine(monkeypatch):
    spy = CalamineSpy()
    monkeypatch.setattr(files, "CalamineWorkbook", spy)
    return spy


def upload_through_admin(client, hostile: Hostile, data: bytes) -> list[str]:
    response = client.post(reverse(ADMIN_IMPORT[hostile.kind]), {"file": SimpleUploadedFile(hostile.file_name, data)})
    assert response.status_code == 200
    assert not response.context.get("token") and not PendingUpload.objects.exists()
    body = response.content.decode()
    assert escape(hostile.reason) in body and "저장할 수 없습니다" in body
    return [str(error) for error in response.context["errors"]]


def import_with_command(tmp_path, hostile: Hostile, data: bytes) -> list[str]:
    path = tmp_path / hostile.file_name
    path.write_bytes(data)
    errors = io.StringIO()
    with pytest.raises(CommandError, match="아무것도 저장하지 않았습니다"):
        call_command("import_excel", hostile.kind, str(path), stdout=io.StringIO(), stderr=errors)
    return errors.getvalue().splitlines()


@pytest.mark.parametrize("channel", ["admin", "command"])
@pytest.mark.parametrize("hostile", CASES)
def test_hostile_file_is_refused_and_writes_nothing(hostile, channel, admin_client, tmp_path, monkeypatch, calamine):
    for name, value in hostile.limits:
        monkeypatch.setattr(files, name, value)
    calamine.allowed = hostile.calamine
    data = hostile.build()
    model = get_kind(hostile.kind).model
    before = (model.objects.count(), ImportBatch.objects.count())

    if channel == "admin":
        messages = upload_through_admin(admin_client, hostile, data)
    else:
        messages = import_with_command(tmp_path, hostile, data)

    assert any(hostile.reason in message for message in messages), messages
    if hostile.row is not None:
        where = f"{hostile.row}행 [{hostile.column}]"
        assert any(where in message and hostile.reason in message for message in messages), messages
    assert (model.objects.count(), ImportBatch.objects.count()) == before
    if not hostile.calamine:
        assert calamine.calls == []


def test_the_corpus_names_every_case_once():
    ids = [param.id for param in CASES]
    assert len(ids) == len(set(ids))


# --- files at the edges that are still read ------------------------------------------------------


def preview(client, file_name: str, data: bytes):
    response = client.post(reverse(ADMIN_IMPORT["companies"]), {"file": SimpleUploadedFile(file_name, data)})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "cp949"])
def test_csv_in_each_accepted_encoding_is_read(admin_client, encoding):
    text = "\n".join(",".join(map(str, row)) for row in [HEADERS, company(name="한글기업")]) + "\n"
    data = ("\ufeff" + text).encode("utf-16-be") if encoding == "utf-16-be" else text.encode(encoding)

    response = preview(admin_client, "기업.csv", data)

    assert response.context["errors"] == [] and response.context["token"]
    assert [change.row.data["name"] for change in response.context["result"].new] == ["한글기업"]


def test_sheet_whose_cells_have_no_place_is_read_where_excel_shows_them(admin_client, calamine):
    rows = "".join(
        "<row>" + "".join(cell(None, value) for value in values) + "</row>"
        for values in [HEADERS, company(name="위치없는기업")]
    )

    response = preview(admin_client, "기업.xlsx", xlsx(sheet_xml(rows)))

    assert response.context["errors"] == []
    assert [(change.row.row_number, change.row.data["name"]) for change in response.context["result"].new] == [
        (2, "위치없는기업")
    ]


def test_namespace_prefixed_sheet_is_measured_too(admin_client, calamine):
    calamine.allowed = False
    sheet = (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        '<x:row r="1"><x:c r="XFD1048576" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )

    response = preview(admin_client, "기업.xlsx", xlsx(sheet))

    assert "마지막 셀 XFD1048576" in str(response.context["errors"][0]) and calamine.calls == []


@pytest.mark.parametrize(
    "far_cell",
    [
        """<c s="r='A1'" r="XFD1048576"><v>1</v></c>""",  # a place written inside another attribute
        """<c r='XFD1048576'><v>1</v></c>""",  # single quotes
        '<c t="inlineStr"><is><t>' + "가" * 400_000 + '</t></is></c><c r="XFD1048576"><v>1</v></c>',  # a long text first
    ],
    ids=["place-inside-another-attribute", "single-quoted-place", "long-text-before-the-far-cell"],
)
def test_far_cells_are_found_however_they_are_written(admin_client, calamine, far_cell):
    calamine.allowed = False

    response = preview(admin_client, "기업.xlsx", far_cells(f'<row r="2">{far_cell}</row>'))

    assert "마지막 셀 XFD1048576" in str(response.context["errors"][0]) and calamine.calls == []


def test_fast_scan_and_xml_walk_agree_on_a_written_workbook():
    data = openpyxl_xlsx([HEADERS, *[company(name=f"기업{index}") for index in range(50)], [None, None, "끝"]])
    archive = zipfile.ZipFile(io.BytesIO(data))
    member = xlsx_sheet.first_sheet_path(archive)

    assert xlsx_sheet._scan_fast(archive, member)[1] == xlsx_sheet._walk(archive, member)[1] == (52, 6)


def test_a_header_only_file_records_no_import_in_the_admin_nor_the_command(admin_client, tmp_path):
    data = companies_csv()

    response = preview(admin_client, "기업.csv", data)
    path = tmp_path / "기업.csv"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_excel", "companies", str(path), "--user", "관리자", stdout=out)

    assert not response.context.get("token")
    assert "가져오기 이력을 남기지 않았습니다" in out.getvalue()
    assert not ImportBatch.objects.exists()


def test_confirming_rows_stored_meanwhile_is_refused_naming_the_row_and_who_stored_it(admin_client, tmp_path):
    data = companies_csv(company(name="먼저온기업"))
    token = preview(admin_client, "기업.csv", data).context["token"]
    path = tmp_path / "기업.csv"
    path.write_bytes(data)
    call_command("import_excel", "companies", str(path), stdout=io.StringIO())

    response = admin_client.post(reverse(ADMIN_IMPORT["companies"]), {"token": token}, follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert any("미리보기 뒤" in message and "2행" in message for message in messages)
    first = ImportBatch.objects.get()
    assert any(f"가져오기 #{first.pk} (기업.csv)" in message for message in messages)

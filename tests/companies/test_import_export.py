import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from companies.models import Application, Company
from programs.importing.export import export_kind
from programs.importing.kinds import get_kind
from programs.importing.pipeline import import_file
from programs.models import ImportBatch
from tests.companies.helpers import (
    COMPANY_HEADERS,
    dashed,
    make_application,
    make_company,
    read_xlsx,
    some_programs,
    valid_brn,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def run(path, kind="companies", **options):
    return import_file(kind=get_kind(kind), data=path.read_bytes(), file_name=path.name, source="command", **options)


def company_row(
    brn,
    name="가상기업",
    province="경기",
    industry="주조",
    sales=1_500_000_000,
    employees=10,
    foreign=1,
    founded=datetime.date(2010, 3, 1),
    rnd="Y",
    memo="",
):
    return [brn, name, province, industry, sales, employees, foreign, founded, rnd, memo]


def test_import_creates_companies_with_normalised_values_and_a_batch(tmp_path):
    first, second = valid_brn(), valid_brn()
    path = write_xlsx(
        tmp_path / "신청기업.xlsx",
        COMPANY_HEADERS,
        [
            company_row(dashed(first), name="가상 주조", industry="사출·프레스", sales=500_000_000),
            company_row("".join(chr(ord(c) + 0xFEE0) for c in second), province="부산광역시"),  # full-width
        ],
    )
    result = run(path)
    assert result.errors == [] and result.counts == {"new": 2, "updated": 0, "unchanged": 0, "invalid": 0}
    company = Company.objects.get(brn=first)
    assert (company.name, company.industry.name, company.sales_amount, company.sales_bracket) == (
        "가상 주조",
        "사출/프레스",
        500_000_000,
        2,
    )
    assert company.has_rnd_capacity is True and company.founded_on == datetime.date(2010, 3, 1)
    assert Company.objects.get(brn=second).province.region.name == "경남권"
    batch = ImportBatch.objects.get(pk=result.batch.pk)
    assert (batch.kind, batch.file_name, batch.source, batch.new_count) == (
        "companies",
        "신청기업.xlsx",
        "command",
        2,
    )
    assert len(batch.sha256) == 64
    assert sorted(batch.rows.values_list("row_number", "action")) == [(2, "new"), (3, "new")]


def test_one_bad_row_writes_nothing_and_names_row_column_value_reason(tmp_path):
    good, bad_check = valid_brn(), valid_brn()
    bad_check = bad_check[:9] + str((int(bad_check[9]) + 1) % 10)
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        COMPANY_HEADERS,
        [
            company_row(good),
            company_row(valid_brn(), sales=-5),
            company_row(bad_check),
            company_row(valid_brn(), industry="우주항공"),
        ],
    )
    before = Company.objects.count()
    result = run(path)
    assert Company.objects.count() == before and ImportBatch.objects.count() == 0
    assert result.counts["invalid"] == 3
    messages = [str(error) for error in result.errors]
    assert messages[0].startswith("3행 [매출액(원)] 값 '-5'") and "0 이상" in messages[0]
    assert messages[1].startswith(f"4행 [사업자등록번호] 값 '{bad_check}'") and "검증번호" in messages[1]
    assert messages[2].startswith("5행 [업종] 값 '우주항공'") and "가능한 업종: 주조, 금형" in messages[2]


def test_command_exits_non_zero_and_prints_errors(tmp_path, capsys):
    path = write_xlsx(tmp_path / "bad.xlsx", COMPANY_HEADERS, [company_row("123-45-67890")])
    with pytest.raises(CommandError, match="아무것도 저장하지 않았습니다"):
        call_command("import_excel", "companies", str(path))
    assert "2행 [사업자등록번호]" in capsys.readouterr().err
    assert not Company.objects.filter(brn="1234567890").exists()


def test_dry_run_writes_nothing(tmp_path):
    path = write_xlsx(tmp_path / "ok.xlsx", COMPANY_HEADERS, [company_row(valid_brn())])
    call_command("import_excel", "companies", str(path), "--dry-run", stdout=io.StringIO())
    assert ImportBatch.objects.count() == 0 and not Company.objects.filter(name="가상기업").exists()


def test_reimport_is_idempotent_and_updates_record_before_values(tmp_path):
    brn = valid_brn()
    path = write_xlsx(tmp_path / "a.xlsx", COMPANY_HEADERS, [company_row(brn, sales=900_000_000)])
    run(path)
    second = run(path)
    assert second.counts == {"new": 0, "updated": 0, "unchanged": 1, "invalid": 0}
    assert second.batch is None and ImportBatch.objects.count() == 1  # nothing to record
    changed = write_xlsx(tmp_path / "b.xlsx", COMPANY_HEADERS, [company_row(brn, sales=2_000_000_000)])
    third = run(changed)
    assert third.counts["updated"] == 1
    company = Company.objects.get(brn=brn)
    assert (company.sales_amount, company.growth_stage) == (2_000_000_000, "doyak")
    assert third.batch.rows.get().before == {"sales_amount": 900_000_000}


def test_duplicate_key_within_file_is_an_error(tmp_path):
    brn = valid_brn()
    path = write_xlsx(tmp_path / "dup.xlsx", COMPANY_HEADERS, [company_row(brn), company_row(dashed(brn))])
    result = run(path)
    assert not result.written and "2행과 중복" in str(result.errors[0]) and result.errors[0].row_number == 3


def test_csv_in_cp949_is_read(tmp_path):
    brn = valid_brn()
    path = write_csv(tmp_path / "a.csv", COMPANY_HEADERS, [company_row(brn, founded="2020.05.01")], encoding="cp949")
    result = run(path)
    assert result.errors == []
    assert Company.objects.get(brn=brn).founded_on == datetime.date(2020, 5, 1)


def test_region_column_accepts_the_plans_other_names_and_must_match(tmp_path):
    headers = [*COMPANY_HEADERS, "권역"]
    ok, wrong = valid_brn(), valid_brn()
    path = write_xlsx(
        tmp_path / "r.xlsx",
        headers,
        [
            company_row(ok, province="울산") + ["동남권"],
            company_row(wrong, province="대구") + ["동남권"],
        ],
    )
    result = run(path)
    assert [error.row_number for error in result.errors] == [3]
    assert "경북권" in result.errors[0].message


def test_foreign_workers_cannot_exceed_employees(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", COMPANY_HEADERS, [company_row(valid_brn(), employees=3, foreign=5)])
    assert "종사자 수보다 많을 수 없습니다" in str(run(path).errors[0])


def export_companies(path, queryset=None, file_format="xlsx"):
    with open(path, "wb") as stream:
        export_kind(kind=get_kind("companies"), stream=stream, file_format=file_format, queryset=queryset)


def test_export_then_import_reproduces_the_same_data(tmp_path):
    company = make_company(
        name='=HYPERLINK("x")',
        memo="-위험 메모",
        corporate_number="",
        certificate_issued_on=datetime.date(2024, 1, 2),
        export_amount=0,
        employees=5,
    )
    path = tmp_path / "export.xlsx"
    export_companies(path, Company.objects.filter(pk=company.pk))
    snapshot = Company.objects.values().get(pk=company.pk)
    result = run(path)
    assert result.counts == {"new": 0, "updated": 0, "unchanged": 1, "invalid": 0}
    company.delete()
    assert run(path).counts["new"] == 1
    recreated = Company.objects.values().get(brn=snapshot["brn"])
    ignored = {"id", "created_at", "updated_at"}
    assert {k: v for k, v in recreated.items() if k not in ignored} == {
        k: v for k, v in snapshot.items() if k not in ignored
    }


def test_export_keeps_numbers_and_dates_and_escapes_formula_text(tmp_path):
    company = make_company(
        name="=1+2",
        memo="@SUM(A1)",
        representative="+82",
        sales_amount=1_500_000_000,
        founded_on=datetime.date(2001, 2, 3),
    )
    path = tmp_path / "e.xlsx"
    export_companies(path, Company.objects.filter(pk=company.pk))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    row = {header: cell for header, cell in zip(headers, sheet[2], strict=True)}
    assert row["업체명"].data_type == "s" and row["업체명"].value == "=1+2" and row["업체명"].quotePrefix
    assert row["메모"].data_type == "s" and row["대표자"].value == "+82"
    assert row["매출액(원)"].value == 1_500_000_000 and row["매출액(원)"].number_format == "#,##0"
    assert row["설립일"].is_date and row["설립일"].value.date() == datetime.date(2001, 2, 3)
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_csv_export_prefixes_formula_text_but_not_negative_numbers(tmp_path):
    company = make_company(name="=cmd", memo="\t탭")
    path = tmp_path / "e.csv"
    export_companies(path, Company.objects.filter(pk=company.pk), file_format="csv")
    text = path.read_text(encoding="utf-8-sig")
    assert "'=cmd" in text and "'\t탭" in text
    assert run(path).counts["unchanged"] == 1  # the apostrophe is removed again on import


def test_template_has_headers_only(tmp_path):
    path = tmp_path / "t.xlsx"
    call_command("export_excel", "companies", str(path), "--template", stdout=io.StringIO())
    rows = read_xlsx(path)
    assert rows[0][:3] == ["사업자등록번호", "법인등록번호", "업체명"] and len(rows) == 1
    assert "매출 규모" not in rows[0]


def test_hostile_uploads_are_refused_before_parsing(tmp_path, monkeypatch):
    from programs.importing import files

    monkeypatch.setattr(files, "MAX_XLSX_UNCOMPRESSED_BYTES", 1024 * 1024)  # a small bomb is enough to test
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip at all")
    assert "xlsx 형식" in str(run(fake).errors[0])
    no_types = tmp_path / "nt.xlsx"
    with zipfile.ZipFile(no_types, "w") as archive:
        archive.writestr("xl/workbook.xml", "<x/>")
    assert "[Content_Types].xml" in str(run(no_types).errors[0])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (2 * 1024 * 1024))
    assert "압축을 푼 크기" in str(run(bomb).errors[0])
    binary_csv = tmp_path / "b.csv"
    binary_csv.write_bytes(b"\x00\x01\x02")
    assert "텍스트가 아닙니다" in str(run(binary_csv).errors[0])
    assert ImportBatch.objects.count() == 0


def test_missing_required_column_is_reported(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", ["사업자등록번호", "업체명"], [[valid_brn(), "x"]])
    assert "필수 열이 없습니다: 시·도, 업종" in str(run(path).errors[0])


APPLICATION_HEADERS = ["사업자등록번호", "사업", "연도", "상태", "신청액(원)"]


def test_application_import_upserts_on_company_program_year(tmp_path):
    company = make_company()
    first, second = some_programs(2)
    path = write_xlsx(
        tmp_path / "apps.xlsx",
        APPLICATION_HEADERS,
        [
            [dashed(company.brn), first.name, 2025, "접수", 10_000_000],
            [company.brn, second.code, 2025, "", None],
        ],
    )
    assert run(path, "applications").counts["new"] == 2
    assert run(path, "applications").counts["unchanged"] == 2
    selected = write_xlsx(tmp_path / "sel.xlsx", APPLICATION_HEADERS, [[company.brn, first.name, 2025, "선정", None]])
    assert run(selected, "applications").counts["updated"] == 1
    assert Application.objects.get(company=company, program=first).status == "selected"
    back = write_xlsx(tmp_path / "back.xlsx", APPLICATION_HEADERS, [[company.brn, first.name, 2025, "접수", None]])
    result = run(back, "applications")
    assert not result.written and "바꿀 수 없습니다" in result.errors[0].message


def test_application_import_refuses_unknown_company_and_program(tmp_path):
    company = make_company()
    path = write_xlsx(
        tmp_path / "x.xlsx",
        APPLICATION_HEADERS,
        [
            [valid_brn(), some_programs(1)[0].name, 2025, "접수", 1],
            [company.brn, "없는 사업", 2025, "접수", 1],
        ],
    )
    result = run(path, "applications")
    assert [error.column for error in result.errors] == ["사업자등록번호", "사업"]
    assert "가능한 사업:" in result.errors[1].message and Application.objects.count() == 0


def test_application_export_round_trip_and_query_count(tmp_path, django_assert_max_num_queries):
    programs = some_programs(2)
    for index in range(6):
        make_application(make_company(), programs[index % 2], requested_amount=index * 1000)
    path = tmp_path / "apps.xlsx"
    with django_assert_max_num_queries(3), open(path, "wb") as stream:
        export_kind(kind=get_kind("applications"), stream=stream)
    assert run(path, "applications").counts == {"new": 0, "updated": 0, "unchanged": 6, "invalid": 0}
    with django_assert_max_num_queries(3):
        export_companies(tmp_path / "c.xlsx")


def test_row_numbers_match_excel_when_the_table_starts_below_and_right_of_a1(tmp_path):
    # Title rows above the header, an empty column A and blank rows between records: errors name
    # the row and cells as Excel shows them, blank rows are skipped.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B2"] = "2025년 신청 기업"  # row 1 and column A stay empty
    for offset, header in enumerate(COMPANY_HEADERS):
        sheet.cell(row=3, column=2 + offset, value=header)
    rows = {4: company_row(valid_brn(), name="첫기업"), 6: company_row(valid_brn(), industry="우주항공")}
    for row_number, values in rows.items():
        for offset, value in enumerate(values):
            sheet.cell(row=row_number, column=2 + offset, value=value)
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    result = run(path, dry_run=True)
    assert [str(error)[:16] for error in result.errors] == ["6행 [업종] 값 '우주항공'"]
    assert result.counts["invalid"] == 1


def test_header_below_the_search_rows_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "late.xlsx", ["설명"], [[""]] * 10 + [COMPANY_HEADERS, company_row(valid_brn())])
    result = run(path)
    assert "머리글 행을 찾을 수 없습니다" in str(result.errors[0]) and not Company.objects.exists()


def test_parsed_rows_keep_their_cells_by_attr(tmp_path):
    from programs.importing.pipeline import map_headers, parse_rows

    kind = get_kind("companies")
    brn = valid_brn()
    lines = iter(enumerate([COMPANY_HEADERS, company_row(dashed(brn), name=" 띄어쓴기업 "), [None] * 10], start=1))
    columns, ignored = map_headers(kind, lines)
    errors = []
    [row] = parse_rows(kind, lines, columns, errors)
    assert not errors and not ignored and row.row_number == 2
    assert row.data["brn"] == brn and row.data.get("name") == "띄어쓴기업" and "region" not in row.data
    assert dict(row.data)["has_rnd_capacity"] is True and len(row.data) == len(COMPANY_HEADERS)


def test_fast_insert_writes_a_generator_batch_by_batch_with_dates_and_defaults(monkeypatch):
    from companies.models import Industry, Province
    from programs.importing import bulk

    monkeypatch.setattr(bulk, "BATCH_SIZE", 2)
    province, industry = Province.objects.get(short_name="경기"), Industry.objects.get(name="주조")
    brns = [valid_brn() for _ in range(5)]
    records = (
        {
            "brn": brn,
            "name": f"일괄{index}",
            "province_id": province.pk,
            "industry_id": industry.pk,
            "founded_on": datetime.date(2001, 2, index + 1) if index % 2 else datetime.datetime(2001, 2, 1, 9, 30),
        }
        for index, brn in enumerate(brns)
    )
    bulk.fast_insert(Company, records)
    stored = {c.brn: c for c in Company.objects.filter(brn__in=brns)}
    assert len(stored) == 5 and stored[brns[3]].founded_on == datetime.date(2001, 2, 4)
    assert stored[brns[0]].founded_on == datetime.date(2001, 2, 1)  # a datetime is stored as its date
    assert stored[brns[0]].memo == "" and stored[brns[0]].created_at is not None


def test_new_rows_get_reserved_ids_that_the_batch_and_preview_name_correctly(tmp_path):
    """New rows are inserted with ids reserved beforehand (bulk.reserve_ids): each batch row and
    each shown change names the company the row really is, and an id once given is not given
    again, even after the company holding the highest one was deleted."""
    first = run(write_xlsx(tmp_path / "a.xlsx", COMPANY_HEADERS, [company_row(valid_brn()) for _ in range(3)]))
    assert first.errors == [] and first.new_count == 3
    highest = Company.objects.order_by("-pk").first()
    highest_pk = highest.pk
    highest.delete()
    brns = [valid_brn() for _ in range(4)]
    result = run(write_xlsx(tmp_path / "b.xlsx", COMPANY_HEADERS, [company_row(dashed(brn)) for brn in brns]))
    assert result.errors == [] and result.new_count == 4
    stored = dict(Company.objects.filter(brn__in=brns).values_list("brn", "pk"))
    assert min(stored.values()) > highest_pk
    assert {change.row.values["brn"]: change.pk for change in result.new} == stored
    assert all(change.version == 1 for change in result.new)
    recorded = {row.object_repr: row.object_id for row in result.batch.rows.all()}
    assert sorted(recorded.values()) == sorted(stored.values())
    for label, pk in recorded.items():
        assert Company.objects.get(pk=pk).brn in label
    # A third import after these gets ids after them too.
    third = run(write_xlsx(tmp_path / "c.xlsx", COMPANY_HEADERS, [company_row(valid_brn())]))
    assert third.new[0].pk > max(stored.values())

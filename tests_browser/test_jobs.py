"""The main jobs of staff, end to end in Chromium: import, export, report, execution entry, undo, refusal.

Each test drives the pages as a person would (clicks, file inputs, downloads) and then checks
what they produced: the database, or the downloaded workbook opened with openpyxl. With
BROWSER_DOCS_SCREENSHOTS=<folder> the suite also saves the README's screenshots there.
"""

import io
import os
from pathlib import Path

import openpyxl
import pytest
from conftest import login
from server import ADMIN, OFFICER

from companies.models import Company
from programs.identifiers import brn_check_digit
from programs.importing.kinds import get_kind
from programs.importing.pipeline import import_file
from programs.models import BudgetExecution, ImportBatch, Program

DOCS = os.environ.get("BROWSER_DOCS_SCREENSHOTS")


def docs_screenshot(page, name: str) -> None:
    """A README screenshot: the visible window only, kept small."""
    if DOCS:
        Path(DOCS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(DOCS) / f"{name}.png"))


def brn(serial: int) -> str:
    first_nine = f"77{serial:07d}"
    return first_nine + str(brn_check_digit(first_nine))


def companies_file(first_serial: int, count: int) -> bytes:
    """An import file as staff would fill it: the template's headers, written numbers with separators."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["사업자등록번호", "업체명", "시·도", "업종", "매출액(원)", "종사자 수"])
    for serial in range(first_serial, first_serial + count):
        number = brn(serial)
        sheet.append([f"{number[:3]}-{number[3:5]}-{number[5:]}", f"브라우저기업 {serial:03d}", "경기도", "금형",
                      "1,250,000,000", 12])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def submit(page, selector: str) -> None:
    """Click a button that sends a form, and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def saved(download, folder: Path) -> Path:
    """The downloaded file under the name the server gave it (openpyxl wants the .xlsx suffix)."""
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def messages(page) -> list[str]:
    return [text.strip() for text in page.locator("ul.messagelist li").all_inner_texts()]


def test_dashboard_after_login(new_page, base_url):
    watched = new_page(width=1366)
    page = watched.page
    page.goto(f"{base_url}/admin/")
    assert page.locator(".plan-dashboard h2").first.inner_text().startswith("2025년 실행계획 현황")
    rows = page.locator(".latest-applications tbody tr")
    assert rows.count() == 10
    # Names read on one or two lines, not one syllable per line.
    heights = [rows.nth(index).bounding_box()["height"] for index in range(rows.count())]
    assert max(heights) < 60, heights
    assert not watched.console_errors and not watched.failed_requests
    docs_screenshot(page, "dashboard")


def test_program_list_totals_line_up(new_page, base_url):
    page = new_page(width=1366).page
    page.goto(f"{base_url}/admin/programs/program/")
    header = page.locator("#result_list thead th.column-current_budget_display")
    footer_cells = page.locator("#result_list tfoot td")
    assert "684,557" in footer_cells.all_inner_texts()
    total = page.locator("#result_list tfoot td", has_text="684,557")
    header_box, total_box = header.bounding_box(), total.bounding_box()
    assert abs(header_box["x"] + header_box["width"] - (total_box["x"] + total_box["width"])) < 2
    assert page.evaluate("getComputedStyle(document.querySelector('#result_list tfoot td.num')).textAlign") == "right"
    docs_screenshot(page, "program-list")


def test_import_companies_preview_then_confirm(new_page, base_url, tmp_path):
    before = Company.objects.count()
    upload = tmp_path / "신규_뿌리기업.xlsx"
    upload.write_bytes(companies_file(1, 5))
    page = new_page(width=1366).page
    page.goto(f"{base_url}/admin/companies/company/")
    submit(page, "text=가져오기(엑셀)")
    page.set_input_files("input[type=file]", str(upload))
    submit(page, "input[value=미리보기]")
    counts = page.locator("#import-counts tr").nth(1).locator("td").all_inner_texts()
    assert counts == ["5", "0", "0", "0"]
    assert Company.objects.count() == before  # nothing written before the confirmation
    docs_screenshot(page, "import-preview")
    submit(page, "input[value='가져오기 확정']")
    assert any("가져왔습니다" in text and "신규 5건" in text for text in messages(page)), messages(page)
    assert Company.objects.count() == before + 5
    page.fill("#searchbar", "브라우저기업")
    with page.expect_navigation():
        page.press("#searchbar", "Enter")
    assert page.locator("#result_list tbody tr").count() == 5


def test_export_the_filtered_list_and_the_ticked_rows(new_page, base_url, tmp_path):
    page = new_page(width=1366).page
    page.goto(f"{base_url}/admin/companies/company/?q=가상뿌리기업 0001")
    shown = page.locator("#result_list tbody tr").count()
    assert 0 < shown < 50
    with page.expect_download() as download:
        page.click("text=내보내기(.xlsx)")
    sheet = openpyxl.load_workbook(saved(download.value, tmp_path)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) - 1 == shown
    names = page.locator("#result_list tbody td.field-name").all_inner_texts()
    assert sorted(row[rows[0].index("업체명")] for row in rows[1:]) == sorted(names)
    # The ticked rows only, with the action beside the filtered export.
    page.locator("#result_list tbody input.action-select").nth(0).check()
    page.locator("#result_list tbody input.action-select").nth(1).check()
    page.select_option("select[name=action]", "export_selected")
    with page.expect_download() as download:
        page.click("button[name=index]")
    rows = list(openpyxl.load_workbook(saved(download.value, tmp_path)).worksheets[0].iter_rows(values_only=True))
    assert sorted(row[rows[0].index("업체명")] for row in rows[1:]) == sorted(names[:2])


def test_committee_report_download(new_page, base_url, tmp_path):
    page = new_page(width=1366).page
    page.goto(f"{base_url}/admin/")
    with page.expect_download() as download:
        page.click(".plan-dashboard .report-form button[type=submit]")
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(saved(download.value, tmp_path))
    assert {"요약", "지원예산"} <= set(workbook.sheetnames)
    budget = workbook["지원예산"]
    values = [cell for row in budget.iter_rows(values_only=True) for cell in row]
    assert 684_557 in values or 684557.0 in values


def add_execution(page, base_url, program, month: int, amount: str, unit: str = "million"):
    page.goto(f"{base_url}/admin/programs/program/{program.pk}/change/")
    row = page.locator("#executions-group tr.form-row:not(.has_original)").first
    row.locator("input[name$='-year']").fill("2025")
    row.locator("select[name$='-month']").select_option(str(month))
    row.locator("select[name$='-amount_unit']").select_option(unit)
    row.locator("input[name$='-amount']").fill(amount)
    return row


def test_execution_entry_valid_then_negative(new_page, base_url):
    program = Program.objects.get(code="robot-demo")
    BudgetExecution.objects.filter(program=program).delete()
    page = new_page(width=1366).page
    row = add_execution(page, base_url, program, 4, "1,200")
    assert row.locator(".money-other").inner_text() == "= 1,200,000,000원"  # the other unit as you type
    submit(page, "input[name=_continue]")
    assert any(text.startswith("저장했습니다: 사업 「첨단제조로봇실증」") for text in messages(page)), messages(page)
    assert list(BudgetExecution.objects.filter(program=program).values_list("month", "amount")) == [
        (4, 1_200_000_000)
    ]
    add_execution(page, base_url, program, 5, "-300,000", unit="won")
    submit(page, "input[name=_continue]")
    assert page.locator(".errorlist", has_text="집행액은 0원 이상이어야 합니다.").count() == 1
    assert BudgetExecution.objects.filter(program=program).count() == 1


def test_undo_an_import_from_its_batch_page(new_page, base_url):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.get(username=ADMIN[0])
    result = import_file(kind=get_kind("companies"), data=companies_file(500, 3), file_name="되돌릴_기업.xlsx",
                         user=admin_user)
    batch = result.batch
    assert Company.objects.filter(name__startswith="브라우저기업 50").count() == 3
    page = new_page(width=1366).page
    page.goto(f"{base_url}/admin/programs/importbatch/{batch.pk}/change/")
    assert page.locator("#batch-rows tbody tr a").count() == 3
    assert page.locator(".deletelink").count() == 0
    submit(page, "text=이 가져오기 되돌리기")
    submit(page, "input[value='예, 되돌립니다']")
    assert any("가져오기를 되돌렸습니다: 지운 행 3건" in text for text in messages(page)), messages(page)
    assert not Company.objects.filter(name__startswith="브라우저기업 50").exists()
    assert page.locator("#batch-rows tbody tr a").count() == 0
    assert page.locator("#batch-rows tbody", has_text="(삭제됨)").count() == 1
    batch.refresh_from_db()
    assert batch.undone_at is not None


def test_ministry_officer_is_refused_on_another_ministrys_program(new_page, base_url):
    other = Program.objects.get(code="smart-process")  # 산업통상자원부
    own = Program.objects.get(code="emergency-fund")  # 중소벤처기업부
    name_before = other.name
    page = new_page(user=OFFICER, width=1366).page
    page.goto(f"{base_url}/admin/programs/program/{own.pk}/change/")
    assert page.locator("input[name=_save]").count() == 1
    page.goto(f"{base_url}/admin/programs/program/{other.pk}/change/")
    assert page.locator("input[name=_save]").count() == 0 and page.locator("input[name=name]").count() == 0
    token = page.context.cookies(base_url)
    csrf = next(cookie["value"] for cookie in token if cookie["name"] == "csrftoken")
    response = page.request.post(
        f"{base_url}/admin/programs/program/{other.pk}/change/",
        form={"csrfmiddlewaretoken": csrf, "name": "바꾼 이름", "code": other.code},
        headers={"Referer": f"{base_url}/admin/"},
    )
    assert response.status == 403
    other.refresh_from_db()
    assert other.name == name_before


def test_login_refuses_a_wrong_password_in_korean(browser, base_url):
    context = browser.new_context(locale="ko-KR")
    page = context.new_page()
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", OFFICER[0])
    page.fill("input[name=password]", "wrong-password")
    submit(page, "[type=submit]")
    assert "비밀번호를 입력해주세요" in page.locator(".errornote").inner_text()
    login(page, base_url, *OFFICER)  # one failure does not lock the account
    context.close()


@pytest.mark.parametrize("path", ["/favicon.ico"])
def test_favicon(base_url, browser, path):
    context = browser.new_context()
    response = context.request.get(base_url + path)
    assert response.status == 200 and response.headers["content-type"].startswith("image/")
    context.close()


def test_batches_show_their_rows(new_page, base_url):
    latest = ImportBatch.objects.order_by("-pk").first()
    assert latest is not None
    page = new_page(width=1366).page
    page.goto(f"{base_url}/admin/programs/importbatch/{latest.pk}/change/")
    assert page.locator("#batch-rows tbody tr").count() >= 1

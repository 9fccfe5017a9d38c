"""Imports and undo never lose another writer's change: rows changed since the preview or the
analysis are refused by row number, and undo never removes or changes what others made or changed.

One step after another here (SQLite and PostgreSQL); test_concurrency_postgres.py runs them at once.
"""

import pytest
from django.db.models import F
from django.urls import reverse

from centers.models import TrainingCourse, TrainingInstitution
from companies.models import Company
from programs.importing import pipeline
from programs.importing.kinds import get_kind
from programs.importing.pipeline import Snapshot, import_file
from programs.importing.undo import UndoRefused, import_batch_undo
from programs.models import BudgetExecution, ImportBatch, ImportBatchRow, PendingUpload
from tests.centers.helpers import xlsx_bytes
from tests.companies.helpers import make_application, make_company, valid_brn
from tests.programs.conflicts import company_file, import_companies
from tests.programs.test_execution_import import run as import_executions
from tests.programs.test_execution_import import xlsx as execution_file

pytestmark = pytest.mark.django_db


def change_between_comparison_and_write(monkeypatch, change):
    """Run `change` after the import compared a chunk's rows with the stored ones and before it
    locks and writes them: what another writer may do on PostgreSQL (real connections:
    tests/programs/test_concurrency_postgres.py). SQLite's writers wait for the import's write
    lock, so here the change runs on the import's own connection, inside its transaction, and
    is rolled back with it: the tests check what the import says and that it wrote nothing."""
    real = pipeline.compare

    def compare_then_change(*args, **kwargs):
        compared = real(*args, **kwargs)
        change()
        return compared

    monkeypatch.setattr(pipeline, "compare", compare_then_change)


class TestWriteRecheck:
    def test_a_row_changed_after_the_comparison_is_named_and_nothing_is_written(self, monkeypatch, admin_user):
        first = make_company(name="첫째정밀", employees=1)
        second = make_company(name="둘째정밀", employees=2)
        data = company_file([[first.brn, "첫째정밀", "경기", "주조", 10], [second.brn, "둘째정밀", "경기", "주조", 20]])

        def staff_edit():
            company = Company.objects.get(pk=second.pk)
            company.employees = 5
            company.save()

        change_between_comparison_and_write(monkeypatch, staff_edit)
        result = import_companies(data, user=admin_user)
        assert not result.written
        messages = [str(error) for error in result.errors]
        assert messages[0].startswith("검사한 뒤 다른 사용자나 다른 가져오기가 바꾸거나 만든 행이 있어")
        assert "3행" in messages[0] and "2행" not in messages[0]
        assert any(m.startswith("3행 [사업자등록번호]") and "종사자 수 2 → 5" in m for m in messages)
        assert dict(Company.objects.values_list("name", "employees")) == {"첫째정밀": 1, "둘째정밀": 2}
        assert not ImportBatch.objects.exists() and not ImportBatchRow.objects.exists()

    def test_a_row_another_writer_created_after_the_comparison_is_named(self, monkeypatch, admin_user):
        brn = valid_brn()
        data = company_file([[valid_brn(), "먼저새정밀", "경기", "주조", 4], [brn, "새정밀", "경기", "주조", 10]])
        change_between_comparison_and_write(monkeypatch, lambda: make_company(brn=brn, name="먼저정밀"))
        result = import_companies(data, user=admin_user)
        assert not result.written
        assert "3행" in str(result.errors[0]) and "2행" not in str(result.errors[0])
        assert not Company.objects.filter(name__in=["먼저새정밀", "새정밀"]).exists()
        assert not ImportBatch.objects.exists()

    def test_a_row_found_unchanged_in_the_preview_then_changed_is_named_at_confirmation(self, admin_user):
        company = make_company(name="그대로정밀", employees=4)
        data = company_file(
            [[company.brn, "그대로정밀", "경기", "주조", 4], [valid_brn(), "새로정밀", "경기", "주조", 3]]
        )
        preview = import_file(kind=get_kind("companies"), data=data, file_name="기업.xlsx", dry_run=True)
        assert preview.counts == {"new": 1, "updated": 0, "unchanged": 1, "invalid": 0}
        Company.objects.filter(pk=company.pk).update(employees=6, version=F("version") + 1)
        result = import_file(
            kind=get_kind("companies"), data=data, file_name="기업.xlsx", user=admin_user, expected=preview.snapshot()
        )
        assert not result.written and "미리보기 뒤" in str(result.errors[0]) and "2행" in str(result.errors[0])
        assert Company.objects.get(pk=company.pk).employees == 6
        assert not Company.objects.filter(name="새로정밀").exists()


class TestPreviewThenConfirm:
    url = reverse("admin:companies_company_import")

    def preview(self, client, data):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("기업.xlsx", data)
        return client.post(self.url, {"file": upload})

    def test_rows_changed_since_the_preview_are_refused_at_confirmation(self, admin_client):
        company = make_company(name="미리보기정밀", employees=2)
        page = self.preview(admin_client, company_file([[company.brn, "미리보기정밀", "경기", "주조", 99]]))
        token = page.context["token"]
        assert list(Snapshot.from_json(PendingUpload.objects.get(token=token).snapshot)) == [(2, company.pk, 1)]
        edited = Company.objects.get(pk=company.pk)
        edited.employees = 50  # a colleague's edit: the preview showed 2 → 99, not 50 → 99
        edited.save()
        response = admin_client.post(self.url, {"token": token}, follow=True)
        body = response.content.decode()
        assert (
            "미리보기 뒤 다른 사용자나 다른 가져오기가 바꾸거나 만든 행이 있어 아무것도 저장하지 않았습니다: 2행"
            in body
        )
        assert Company.objects.get(pk=company.pk).employees == 50
        assert not ImportBatch.objects.exists()

    def test_an_untouched_preview_is_confirmed(self, admin_client):
        company = make_company(name="미리보기정밀", employees=2)
        page = self.preview(admin_client, company_file([[company.brn, "미리보기정밀", "경기", "주조", 99]]))
        admin_client.post(self.url, {"token": page.context["token"]})
        assert Company.objects.get(pk=company.pk).employees == 99


def institution_file(name):
    return xlsx_bytes(["기관명", "종류"], [[name, "외국인 기술인력 양성대학"]])


def course_file(institution, course):
    return xlsx_bytes(["기관명", "연도", "과정명", "과정 구분"], [[institution, 2025, course, "학위"]])


def run(kind, data, user, file_name):
    from programs.importing.kinds import get_kind
    from programs.importing.pipeline import import_file

    result = import_file(kind=get_kind(kind), data=data, file_name=file_name, user=user)
    assert result.written, result.errors
    return result.batch


class TestUndoNeverTakesOthersData:
    def test_undoing_institutions_is_refused_while_a_later_batch_has_a_course_under_one(self, admin_user):
        institutions = run("institutions", institution_file("다라 양성대학"), admin_user, "기관.xlsx")
        courses = run("courses", course_file("다라 양성대학", "주조 실무"), admin_user, "과정.xlsx")
        with pytest.raises(UndoRefused) as refusal:
            import_batch_undo(batch=institutions, user=admin_user)
        message = str(refusal.value)
        assert "이 가져오기로 만든 행에 다른 자료가 딸려 있어 되돌릴 수 없습니다" in message
        assert f"교육과정 「다라 양성대학 2025 주조 실무」(가져오기 #{courses.pk} 과정.xlsx로 만듦)" in message
        assert TrainingCourse.objects.filter(name="주조 실무").exists()
        assert TrainingInstitution.objects.filter(name="다라 양성대학").exists()
        institutions.refresh_from_db()
        assert institutions.undone_at is None
        # In the right order both undo.
        import_batch_undo(batch=courses, user=admin_user)
        import_batch_undo(batch=institutions, user=admin_user)
        assert not TrainingInstitution.objects.filter(name="다라 양성대학").exists()

    def test_undoing_companies_is_refused_while_staff_registered_an_application(self, admin_client, admin_user):
        brn = valid_brn()
        batch = import_companies(company_file([[brn, "신청정밀", "경기", "주조", 3]]), user=admin_user).batch
        company = Company.objects.get(brn=brn)
        page = admin_client.get(reverse("admin:companies_application_add"))
        assert page.status_code == 200
        from programs.models import Program

        application = make_application(company, Program.objects.get(code="polytech"))
        application.history.update(history_user=admin_user)
        response = admin_client.post(reverse("admin:programs_importbatch_undo", args=[batch.pk]), follow=True)
        body = response.content.decode()
        assert "되돌리지 못했습니다: 이 가져오기로 만든 행에 다른 자료가 딸려 있어" in body
        assert "사업 신청 「신청정밀 — " in body and "관리자 입력" in body
        assert Company.objects.filter(brn=brn).exists()

    def test_undo_names_who_changed_a_row_since(self, admin_user):
        batch = import_executions(
            execution_file([["polytech", "2025-01", 100], ["polytech", "2025-02", 200]]), user=admin_user
        ).batch
        execution = BudgetExecution.objects.get(month=2)
        execution.amount = 999
        execution.save()
        execution.history.filter(amount=999).update(history_user=admin_user)
        with pytest.raises(UndoRefused) as refusal:
            import_batch_undo(batch=batch, user=admin_user)
        assert str(refusal.value).startswith("가져온 뒤 바뀐 행이 있어 되돌릴 수 없습니다: 3행 (3행 — ")
        assert "관리자: 집행액(원) 200 → 999" in str(refusal.value)
        assert dict(BudgetExecution.objects.values_list("month", "amount")) == {1: 100, 2: 999}

    def test_batches_from_before_versions_are_still_checked_from_the_history(self, admin_user):
        batch = import_executions(execution_file([["polytech", "2025-01", 100]]), user=admin_user).batch
        batch.rows.update(version=None)
        BudgetExecution.objects.filter(month=1).update(amount=5)  # no history record: not seen
        execution = BudgetExecution.objects.get(month=1)
        execution.amount = 7
        execution.save()  # a history record after the import's own
        with pytest.raises(UndoRefused, match="가져온 뒤 바뀐 행이 있어 되돌릴 수 없습니다: 2행"):
            import_batch_undo(batch=batch, user=admin_user)

    def test_undo_raises_the_version_of_what_it_restores(self, admin_user):
        company = make_company(name="복구정밀", employees=2)
        batch = import_companies(company_file([[company.brn, "복구정밀", "경기", "주조", 9]]), user=admin_user).batch
        import_batch_undo(batch=batch, user=admin_user)
        company.refresh_from_db()
        assert (company.employees, company.version) == (2, 3)

"""Staff forms never overwrite what an import or another staff member saved after the form opened,
and a save that loses a race gets the form back with a Korean error, never a 500.

These run on SQLite and PostgreSQL, one step after another; test_concurrency_postgres.py runs the
same situations truly at once.
"""

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse

from centers.choices import ServiceRequestStatus
from companies.choices import ApplicationStatus
from companies.models import Application, Company
from programs import admin_conflicts
from programs.admin_conflicts import ConflictSafeAdminMixin, VersionedInlineMixin
from programs.choices import MilestoneStatus
from programs.models import BudgetExecution, ImportBatch, Milestone, Program
from programs.versioning import is_versioned
from tests.centers.helpers import make_request, regional_center
from tests.companies.helpers import make_application, make_company
from tests.programs.admin_forms import add_inline_row, change_form_data
from tests.programs.conflicts import changelist_form_data, company_file, import_companies, shown_versions
from tests.programs.test_execution_import import run as import_executions
from tests.programs.test_execution_import import xlsx as execution_file

pytestmark = pytest.mark.django_db


def company_url(company):
    return reverse("admin:companies_company_change", args=[company.pk])


def program_url(program):
    return reverse("admin:programs_program_change", args=[program.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


class TestStaleChangeForm:
    def test_a_form_opened_before_an_import_cannot_put_the_old_value_back(self, admin_client, admin_user):
        company = make_company(name="동시정밀", employees=2)
        data = change_form_data(admin_client.get(company_url(company)))
        result = import_companies(company_file([[company.brn, "동시정밀", "경기", "주조", 99]]), user=admin_user)
        assert result.written
        data["memo"] = "전화 상담함"
        response = admin_client.post(company_url(company), data)
        assert response.status_code == 200
        body = response.content.decode()
        assert "이 화면을 연 뒤 다른 곳에서 뿌리기업 「동시정밀」을(를) 바꿨습니다" in body
        assert "종사자 수 2 → 99" in body
        assert f"가져오기 #{result.batch.pk} (기업.xlsx)" in body
        assert "최신 내용으로 다시 불러오기" in body and f'href="{company_url(company)}"' in body
        company.refresh_from_db()
        assert (company.employees, company.memo) == (99, "")
        # Reloaded, the same edit saves; the import stays undoable until then.
        data = change_form_data(admin_client.get(company_url(company)))
        data["memo"] = "전화 상담함"
        assert admin_client.post(company_url(company), data).status_code == 302
        company.refresh_from_db()
        assert (company.employees, company.memo, company.version) == (99, "전화 상담함", 3)

    def test_the_import_stays_undoable_when_the_stale_form_is_refused(self, admin_client, admin_user):
        company = make_company(name="되돌림정밀", employees=2)
        data = change_form_data(admin_client.get(company_url(company)))
        batch = import_companies(company_file([[company.brn, "되돌림정밀", "경기", "주조", 99]]), user=admin_user).batch
        admin_client.post(company_url(company), data)
        response = admin_client.post(reverse("admin:programs_importbatch_undo", args=[batch.pk]), follow=True)
        assert "되돌린 행 1건" in response.content.decode()
        company.refresh_from_db()
        assert company.employees == 2

    def test_a_current_form_saves_and_raises_the_version(self, admin_client):
        company = make_company(employees=2)
        page = admin_client.get(company_url(company))
        assert '<input type="hidden" name="version" value="1"' in page.content.decode()
        data = change_form_data(page)
        data["employees"] = 5
        assert admin_client.post(company_url(company), data).status_code == 302
        company.refresh_from_db()
        assert (company.employees, company.version) == (5, 2)

    def test_read_only_pages_do_not_show_the_version(self, client, role_user):
        from programs import access

        execution = BudgetExecution.objects.create(
            program=Program.objects.get(code="polytech"), year=2025, month=1, amount=1
        )
        client.force_login(role_user(access.COMMITTEE_MEMBER))
        body = client.get(reverse("admin:programs_budgetexecution_change", args=[execution.pk])).content.decode()
        assert "집행액(원)" in body and 'name="version"' not in body and "버전" not in body

    def test_two_staff_editing_the_same_company_the_second_is_told_who_saved_first(
        self, admin_client, client, django_user_model
    ):
        company = make_company(name="겹침정밀", employees=2)
        other = django_user_model.objects.create_superuser("김담당", "kim@example.com", "pw")
        client.force_login(other)
        mine = change_form_data(admin_client.get(company_url(company)))
        theirs = change_form_data(client.get(company_url(company)))
        theirs["employees"] = 7
        assert client.post(company_url(company), theirs).status_code == 302
        mine["employees"] = 3
        body = admin_client.post(company_url(company), mine).content.decode()
        assert "김담당" in body and "종사자 수 2 → 7" in body
        company.refresh_from_db()
        assert company.employees == 7

    def test_reverting_to_an_old_version_from_the_history_still_works(self, admin_client):
        company = make_company(name="복원정밀", employees=2)
        data = change_form_data(admin_client.get(company_url(company)))
        data["employees"] = 8
        admin_client.post(company_url(company), data)
        first = company.history.order_by("history_date").first()
        url = reverse("admin:companies_company_simple_history", args=[company.pk, first.history_id])
        page = admin_client.get(url)
        data = {}
        for bound_field in page.context["adminform"].form:
            value = bound_field.value()
            if value not in (None, False):
                data[bound_field.html_name] = "on" if value is True else value
        assert admin_client.post(url, data).status_code == 302
        company.refresh_from_db()
        assert (company.employees, company.version) == (2, 3)


class TestInlines:
    def test_program_form_opened_before_an_executions_import_keeps_the_imported_amounts(self, admin_client, admin_user):
        program = Program.objects.get(code="polytech")
        import_executions(execution_file([["polytech", "2025-03", 100]]), user=admin_user)
        data = change_form_data(admin_client.get(program_url(program)))
        import_executions(execution_file([["polytech", "2025-03", 250]]), user=admin_user)
        data["description"] = "설명 고침"
        response = admin_client.post(program_url(program), data)
        body = response.content.decode()
        assert response.status_code == 200
        assert "이 화면을 연 뒤 다른 곳에서 예산 집행" in body and "집행액(원) 100 → 250" in body
        assert BudgetExecution.objects.get(program=program, month=3).amount == 250
        assert Program.objects.get(pk=program.pk).description != "설명 고침"

    def test_inline_rows_nobody_else_touched_save_normally(self, admin_client, admin_user):
        program = Program.objects.get(code="polytech")
        import_executions(execution_file([["polytech", "2025-03", 100]]), user=admin_user)
        page = admin_client.get(program_url(program))
        assert '<input type="hidden" name="executions-0-version" value="1"' in page.content.decode()
        data = change_form_data(page)
        data["executions-0-amount"] = 120
        assert admin_client.post(program_url(program), data).status_code == 302
        execution = BudgetExecution.objects.get(program=program, month=3)
        assert (execution.amount, execution.version) == (120, 2)

    def test_a_row_added_with_an_empty_version_is_stored_as_version_one(self, admin_client):
        """The admin's 'add another' row may post the hidden version empty: a new row, not a NULL."""
        from tests.programs.admin_forms import add_inline_row

        program = Program.objects.get(code="robot-demo")
        data = change_form_data(admin_client.get(program_url(program)))
        add_inline_row(data, "executions", {"year": 2025, "month": 4, "amount": "1,200", "amount_unit": "million"})
        data[f"executions-{int(data['executions-TOTAL_FORMS']) - 1}-version"] = ""
        assert admin_client.post(program_url(program), data).status_code == 302
        execution = BudgetExecution.objects.get(program=program, month=4)
        assert (execution.amount, execution.version) == (1_200_000_000, 1)

    def test_every_editable_inline_of_a_versioned_model_carries_the_version(self):
        for model_admin in admin.site._registry.values():
            for inline in model_admin.inlines:
                if is_versioned(inline.model) and set(inline.fields or ()) - set(inline.readonly_fields):
                    assert issubclass(inline, VersionedInlineMixin), inline


def test_every_admin_of_the_project_handles_conflicts():
    ours = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"programs", "companies", "centers", "auth"} and model._meta.model_name != "group"
    ]
    assert len(ours) > 20
    for model_admin in ours:
        assert isinstance(model_admin, ConflictSafeAdminMixin), type(model_admin)


class TestListEditable:
    def test_milestone_status_edited_on_a_stale_list_is_refused(self, admin_client, django_user_model):
        program = Program.objects.get(code="polytech")
        url = reverse("admin:programs_milestone_changelist") + f"?program__id__exact={program.pk}"
        data = changelist_form_data(admin_client.get(url))
        milestone = Milestone.objects.filter(program=program).order_by("year", "order").first()
        milestone.status = MilestoneStatus.DONE
        milestone.save()
        form_index = next(
            key.split("-")[1] for key, value in data.items() if key.endswith("-id") and int(value) == milestone.pk
        )
        data[f"form-{form_index}-status"] = MilestoneStatus.IN_PROGRESS
        response = admin_client.post(url, data)
        assert response.status_code == 200
        assert "이 화면을 연 뒤 다른 곳에서 추진일정" in response.content.decode()
        milestone.refresh_from_db()
        assert milestone.status == MilestoneStatus.DONE

    def test_milestone_status_edited_on_a_current_list_is_saved(self, admin_client):
        program = Program.objects.get(code="polytech")
        url = reverse("admin:programs_milestone_changelist") + f"?program__id__exact={program.pk}"
        page = admin_client.get(url)
        assert '<input type="hidden" name="form-0-version" value="1"' in page.content.decode()
        data = changelist_form_data(page)
        data["form-0-status"] = MilestoneStatus.DONE
        assert admin_client.post(url, data).status_code == 302
        milestone = Milestone.objects.get(pk=data["form-0-id"])
        assert (milestone.status, milestone.version) == (MilestoneStatus.DONE, 2)


class TestBulkActions:
    def action(self, client, url, name, pk, version):
        return client.post(
            url, {"action": name, "_selected_action": [pk], "_selected_version": [version], "index": 0}, follow=True
        )

    def test_application_status_action_over_a_changed_row_changes_nothing(self, admin_client, admin_user):
        application = make_application(make_company(name="선택정밀"), Program.objects.get(code="polytech"))
        url = reverse("admin:companies_application_changelist")
        version = shown_versions(admin_client.get(url))[application.pk]
        Application.objects.filter(pk=application.pk).update(memo="다른 담당자 메모")
        response = self.action(admin_client, url, "set_status_reviewing", application.pk, version)
        assert any("목록을 연 뒤 다른 곳에서 바뀐 사업 신청이(가) 있어" in text for text in messages_of(response))
        assert Application.objects.get(pk=application.pk).status == ApplicationStatus.RECEIVED

    def test_application_status_action_over_current_rows_applies(self, admin_client):
        application = make_application(make_company(name="선택정밀"), Program.objects.get(code="polytech"))
        url = reverse("admin:companies_application_changelist")
        version = shown_versions(admin_client.get(url))[application.pk]
        self.action(admin_client, url, "set_status_reviewing", application.pk, version)
        application.refresh_from_db()
        assert (application.status, application.version) == (ApplicationStatus.REVIEWING, 2)

    def test_service_request_action_over_a_changed_row_changes_nothing(self, admin_client, admin_user):
        request = make_request(regional_center(), make_company(name="요청정밀"))
        url = reverse("admin:centers_servicerequest_changelist")
        version = shown_versions(admin_client.get(url))[request.pk]
        request.memo = "먼저 고침"
        request.save()
        response = self.action(admin_client, url, "mark_in_progress", request.pk, version)
        assert any("바뀐 기술지원 신청이(가) 있어" in text for text in messages_of(response))
        request.refresh_from_db()
        assert request.status == ServiceRequestStatus.RECEIVED


class TestSaveRaces:
    """A concurrent save that commits between this save's validation and its write: the validation
    is made to miss it once (as it does when the other transaction commits in between)."""

    def test_same_execution_month_added_at_once_is_a_form_error_not_a_500(self, admin_client, monkeypatch):
        program = Program.objects.get(code="polytech")
        BudgetExecution.objects.create(program=program, year=2025, month=5, amount=1)
        real = BudgetExecution.validate_constraints
        calls = []

        def misses_once(self, exclude=None):
            calls.append(1)
            if len(calls) > 1:
                real(self, exclude)

        monkeypatch.setattr(BudgetExecution, "validate_constraints", misses_once)
        data = {"program": program.pk, "year": 2025, "month": 5, "amount": 2, "memo": ""}
        response = admin_client.post(reverse("admin:programs_budgetexecution_add"), data)
        assert response.status_code == 200
        assert "이 사업의 같은 연월 집행이 이미 있습니다." in response.content.decode()
        assert list(BudgetExecution.objects.values_list("amount", flat=True)) == [1]

    def test_same_month_added_in_the_program_form_at_once_is_a_form_error(self, admin_client, monkeypatch):
        program = Program.objects.get(code="polytech")
        page = admin_client.get(program_url(program))
        BudgetExecution.objects.create(program=program, year=2025, month=5, amount=1)
        real = BudgetExecution.validate_constraints
        calls = []

        def misses_once(self, exclude=None):
            calls.append(1)
            if len(calls) > 1:
                real(self, exclude)

        monkeypatch.setattr(BudgetExecution, "validate_constraints", misses_once)
        data = add_inline_row(change_form_data(page), "executions", {"year": 2025, "month": 5, "amount": 2})
        response = admin_client.post(program_url(program), data)
        assert response.status_code == 200 and response.context["errors"]
        assert list(BudgetExecution.objects.filter(program=program).values_list("amount", flat=True)) == [1]

    def test_a_change_committed_between_validation_and_save_is_refused_with_its_author(
        self, admin_client, admin_user, monkeypatch
    ):
        company = make_company(name="경합정밀", employees=2)
        data = change_form_data(admin_client.get(company_url(company)))
        import_companies(company_file([[company.brn, "경합정밀", "경기", "주조", 99]]), user=admin_user)
        real = admin_conflicts.stale_form_error
        calls = []

        def misses_once(form, **kwargs):
            calls.append(1)
            return None if len(calls) == 1 else real(form, **kwargs)

        monkeypatch.setattr(admin_conflicts, "stale_form_error", misses_once)
        response = admin_client.post(company_url(company), data)
        assert response.status_code == 200
        assert "종사자 수 2 → 99" in response.content.decode()
        assert Company.objects.get(pk=company.pk).employees == 99
        assert ImportBatch.objects.get().undone_at is None

"""Ministry-scoped roles: every forbidden path answers 403 (or a form error) and changes nothing."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from programs import access
from programs.models import BudgetExecution, Ministry, Program, ReportSnapshot, StaffAssignment
from tests.programs.admin_forms import add_inline_row, change_form_data

pytestmark = pytest.mark.django_db


def make_user(django_user_model, name, role, *, ministry=None):
    user = django_user_model.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if ministry:
        StaffAssignment.objects.create(user=user, ministry=ministry)
    return user


@pytest.fixture
def mss_officer(django_user_model):
    return make_user(
        django_user_model, "중기부담당", access.MINISTRY_OFFICER, ministry=Ministry.objects.get(code="mss")
    )


@pytest.fixture
def committee_member(django_user_model):
    return make_user(django_user_model, "위원1", access.COMMITTEE_MEMBER)


def change_url(program):
    return reverse("admin:programs_program_change", args=[program.pk])


def test_officer_changes_own_ministrys_execution(client, mss_officer):
    client.force_login(mss_officer)
    own = Program.objects.get(code="process-automation")  # 중기부
    data = add_inline_row(
        change_form_data(client.get(change_url(own))),
        "executions",
        {"year": 2025, "month": 3, "amount": 1_000},
    )
    response = client.post(change_url(own), data)
    assert response.status_code == 302
    assert BudgetExecution.objects.get(program=own).entered_by == mss_officer


def test_officer_sees_other_ministry_read_only_and_cannot_post(client, mss_officer):
    client.force_login(mss_officer)
    other = Program.objects.get(code="smart-process")  # 산업부
    page = client.get(change_url(other))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(change_url(other), {"name": "바꾼 이름", "executions-TOTAL_FORMS": "0"})
    assert response.status_code == 403
    assert Program.objects.get(pk=other.pk).name == "지능형 뿌리공정 시스템 구축"


def test_officer_cannot_add_execution_to_another_ministrys_program(client, mss_officer):
    client.force_login(mss_officer)
    other = Program.objects.get(code="smart-process")
    response = client.post(
        reverse("admin:programs_budgetexecution_add"),
        {"program": other.pk, "year": 2025, "month": 1, "amount": 10, "memo": ""},
    )
    assert response.status_code == 200
    assert "다른 부처 소관 사업의 자료는 수정할 수 없습니다" in response.content.decode()
    assert not BudgetExecution.objects.exists()


def test_officer_bulk_delete_with_other_ministry_row_is_refused(client, mss_officer):
    own = BudgetExecution.objects.create(
        program=Program.objects.get(code="export-voucher"), year=2025, month=1, amount=1
    )
    other = BudgetExecution.objects.create(program=Program.objects.get(code="robot-demo"), year=2025, month=1, amount=1)
    client.force_login(mss_officer)
    response = client.post(
        reverse("admin:programs_budgetexecution_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert BudgetExecution.objects.count() == 2


def test_officer_direct_delete_url_of_other_ministry_is_refused(client, mss_officer):
    other = BudgetExecution.objects.create(program=Program.objects.get(code="robot-demo"), year=2025, month=1, amount=1)
    client.force_login(mss_officer)
    response = client.post(reverse("admin:programs_budgetexecution_delete", args=[other.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert BudgetExecution.objects.filter(pk=other.pk).exists()


def test_committee_member_reads_and_downloads_but_changes_nothing(client, committee_member):
    client.force_login(committee_member)
    program = Program.objects.get(code="polytech")
    listing = client.get(reverse("admin:programs_program_changelist"))
    assert listing.context["cl"].result_count == Program.objects.count()
    page = client.get(change_url(program)).content.decode()
    assert 'name="_save"' not in page and "기능인력양성(폴리텍)" in page
    assert client.post(change_url(program), {"name": "x"}).status_code == 403
    assert client.get(reverse("admin:programs_budgetexecution_add")).status_code == 403
    report = client.post(reverse("admin:programs_reportsnapshot_generate"), {"year": 2025})
    assert report.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(report.content))
    assert workbook.sheetnames[:3] == ["요약", "지원예산", "추진일정"]
    assert ReportSnapshot.objects.get().created_by == committee_member
    export = client.get(reverse("plan:programs"), {"format": "xlsx"})
    exported = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert len(exported) == Program.objects.count()
    assert Program.objects.get(pk=program.pk).name == "기능인력양성(폴리텍)"


def test_staff_without_role_sees_nothing(client, django_user_model):
    user = django_user_model.objects.create_user("역할없음", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:programs_program_changelist")).status_code == 403
    assert client.post(reverse("admin:programs_reportsnapshot_generate"), {"year": 2025}).status_code == 403


def role_permissions() -> dict[str, set[tuple[str, str]]]:
    """Every group with its permissions as (app label, codename)."""
    return {
        group.name: set(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.all()
    }


def views_of_the_plan_apps() -> set[tuple[str, str]]:
    return set(
        Permission.objects.filter(
            content_type__app_label__in=["programs", "companies", "centers"], codename__startswith="view_"
        ).values_list("content_type__app_label", "codename")
    )


def test_setup_roles_gives_each_role_exactly_its_permissions():
    """The README's role table, spelled out: viewing everything in the plan apps, plus the role's changes."""
    roles = role_permissions()
    assert set(roles) == {access.SYSTEM_ADMIN, access.MINISTRY_OFFICER, access.COMMITTEE_MEMBER, access.CENTER_OFFICER}
    assert roles[access.SYSTEM_ADMIN] == set(Permission.objects.values_list("content_type__app_label", "codename"))
    assert roles[access.COMMITTEE_MEMBER] == views_of_the_plan_apps()
    assert roles[access.MINISTRY_OFFICER] == views_of_the_plan_apps() | {
        ("programs", "change_program"),
        *(
            ("programs", f"{action}_{model}")
            for model in ("programbudget", "budgetexecution", "milestone")
            for action in ("add", "change", "delete")
        ),
        ("companies", "add_company"),
        ("companies", "change_company"),
        *(("companies", f"{action}_application") for action in ("add", "change", "delete")),
    }
    assert roles[access.CENTER_OFFICER] == views_of_the_plan_apps() | {
        ("centers", f"{action}_servicerequest") for action in ("add", "change", "delete")
    }


def test_setup_roles_twice_changes_nothing_and_keeps_members(committee_member):
    before = role_permissions()
    groups = dict(Group.objects.values_list("name", "pk"))
    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    assert role_permissions() == before
    assert dict(Group.objects.values_list("name", "pk")) == groups  # the same groups, not new ones
    assert list(committee_member.groups.values_list("name", flat=True)) == [access.COMMITTEE_MEMBER]
    assert "역할 그룹을 만들었습니다" in out.getvalue()


def test_setup_roles_restores_permissions_changed_by_hand():
    """The command says it resets the groups: a permission removed or added by hand is put back."""
    before = role_permissions()
    officer = Group.objects.get(name=access.MINISTRY_OFFICER)
    committee = Group.objects.get(name=access.COMMITTEE_MEMBER)
    officer.permissions.remove(Permission.objects.get(codename="change_program"))
    committee.permissions.add(Permission.objects.get(codename="delete_program"))
    Group.objects.get(name=access.CENTER_OFFICER).permissions.clear()
    assert role_permissions() != before
    call_command("setup_roles", stdout=io.StringIO())
    assert role_permissions() == before

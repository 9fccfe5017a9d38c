"""The year-agreement rule held by the database (programs/year_triggers.py): writes that skip
`clean()` and the imports' checks — `objects.create`, `bulk_create`, the imports' bulk inserts,
queryset updates, deletes — are refused by triggers, on SQLite and PostgreSQL alike.

The 2026 plan year here is SYNTHETIC: an empty draft (nothing placed), or 2025's copy.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from centers.models import PlanTarget
from companies.models import Application
from programs import registry, services
from programs.importing.bulk import fast_insert
from programs.importing.kinds import get_kind
from programs.importing.pipeline import import_file
from programs.models import (
    Achievement,
    BudgetExecution,
    Milestone,
    PlanYear,
    Program,
    ProgramBudget,
    ProgramPlacement,
)
from programs.models.plan import YearAgreement
from programs.year_triggers import EXECUTION_SQLITE, NOT_PLACED_SQLITE, placement_refusal_sqlite
from tests.companies.helpers import make_company, write_xlsx
from tests.programs.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def not_placed_2026() -> str:
    """What the database says (PostgreSQL: YearAgreement.problem's words; SQLite: no year)."""
    return "이 사업은 2026년 실행계획에 편성되어 있지 않습니다(편성 연도: 2025)." if POSTGRES else NOT_PLACED_SQLITE


def refused(write) -> str:
    """The database's refusal of `write`, inside a savepoint (the test goes on after it)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    return str(caught.value).split("\nCONTEXT:")[0]


@pytest.fixture
def empty_2026():
    return PlanYear.objects.create(year=2026, title="(합성) 2026년 실행계획")


@pytest.fixture
def polytech():
    return Program.objects.get(code="polytech")


# One row per model that carries program and year under the rule, as a form would make it.
ROWS = {
    ProgramBudget: lambda program, year: {"program": program, "year": year, "amount": 1_000_000},
    BudgetExecution: lambda program, year: {"program": program, "year": year, "month": 3, "amount": 1},
    Milestone: lambda program, year: {
        "program": program,
        "year": year,
        "plan_text": "(합성) 일정",
        "label": "(합성) 일정",
        "order": 99,
    },
    Achievement: lambda program, year: {
        "program": program,
        "year": year,
        "indicator": "(합성) 실적",
        "value": 1,
        "unit": "건",
    },
    PlanTarget: lambda program, year: {
        "program": program,
        "year": year,
        "subject": PlanTarget.objects.values_list("subject", flat=True).first(),
        "indicator": "trainees",
        "value": 1,
        "unit": "개",
    },
    Application: lambda program, year: {"program": program, "year": year, "company": make_company()},
}


def test_every_model_under_the_rule_has_its_triggers():
    """The registry (what clean() and the placement guard read) and the database agree."""
    assert set(registry.year_bound) == set(ROWS)
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {name for (name,) in cursor.fetchall()}
    for model in ROWS:
        table = model._meta.db_table
        for suffix in ("year_insert", "year_update", "placement_delete", "placement_update"):
            assert f"{table}_{suffix}" in triggers


@pytest.mark.parametrize("model", list(ROWS), ids=lambda model: model.__name__)
def test_create_for_a_plan_year_the_program_is_not_placed_in_is_refused(empty_2026, polytech, model):
    message = refused(lambda: model.objects.create(**ROWS[model](polytech, 2026)))
    expected = not_placed_2026()
    if model is BudgetExecution:
        expected = "집행은 실행계획 연도(2025년)에만 입력할 수 있습니다." if POSTGRES else EXECUTION_SQLITE
    assert message == expected
    assert not model.objects.filter(program=polytech, year=2026).exists()
    # Placed in 2026, the same row is stored.
    ProgramPlacement.objects.create(
        plan_year=empty_2026, program=polytech, task=ProgramPlacement.objects.get(plan_year=2025, program=polytech).task
    )
    model.objects.create(**ROWS[model](polytech, 2026))
    assert model.objects.filter(program=polytech, year=2026).count() == 1


def test_bulk_create_writes_nothing_when_one_row_is_not_placed(empty_2026, polytech):
    other = Program.objects.get(code="export-voucher")
    rows = [ProgramBudget(program=other, year=2027, amount=1), ProgramBudget(program=polytech, year=2026, amount=1)]
    assert refused(lambda: ProgramBudget.objects.bulk_create(rows)) == not_placed_2026()
    assert not ProgramBudget.objects.filter(year__in=[2026, 2027]).exists()


def test_the_imports_bulk_insert_is_refused_too(empty_2026, polytech):
    """fast_insert: COPY on PostgreSQL (row triggers fire for COPY), executemany on SQLite."""
    rows = [{"program_id": polytech.pk, "year": 2026, "amount": 5}]
    assert refused(lambda: fast_insert(ProgramBudget, rows)) == not_placed_2026()


def test_a_year_without_a_plan_year_is_open_except_for_execution(polytech):
    """2024 and 2027 have no plan year: budgets, 실적 may name them; execution may not."""
    ProgramBudget.objects.create(program=polytech, year=2027, amount=1)
    Achievement.objects.create(program=polytech, year=2027, indicator="(합성) 2027 실적", value=1, unit="건")
    for year in (2024, 2027):
        expected = "집행은 실행계획 연도(2025년)에만 입력할 수 있습니다." if POSTGRES else EXECUTION_SQLITE
        assert refused(lambda year=year: BudgetExecution.objects.create(**ROWS[BudgetExecution](polytech, year))) == (
            expected
        )


def test_a_row_of_a_task_only_is_not_checked(empty_2026):
    task = ProgramPlacement.objects.filter(plan_year=2025).first().task
    Achievement.objects.create(year=2026, indicator="(합성) 과제 실적", value=1, unit="건", task=task)


def test_changing_a_rows_year_or_program_is_checked_and_other_changes_are_not(empty_2026, polytech):
    budget = ProgramBudget.objects.get(program=polytech, year=2025)
    assert refused(lambda: ProgramBudget.objects.filter(pk=budget.pk).update(year=2026)) == not_placed_2026()
    ProgramBudget.objects.filter(pk=budget.pk).update(amount=budget.amount + 1)  # program and year unchanged
    milestone = Milestone.objects.filter(program=polytech, year=2025).first()
    milestone.year = 2026
    assert refused(milestone.save) == not_placed_2026()
    assert Milestone.objects.get(pk=milestone.pk).year == 2025


# --- placements that rows need ----------------------------------------------------------------------


@pytest.fixture
def draft_2026(admin_user):
    return services.plan_year_copy(source=PlanYear.objects.get(year=2025), year=2026, user=admin_user)


def placement_refusal(year: int, name: str, label: str) -> str:
    if POSTGRES:
        return f"{year}년 「{name}」의 {label} 자료가 있어 연도별 사업 편성을 지우거나 사업·연도를 바꿀 수 없습니다."
    return placement_refusal_sqlite(label)


def test_a_placement_with_rows_of_its_year_cannot_be_deleted_or_moved(draft_2026, polytech):
    placement = ProgramPlacement.objects.get(plan_year=2026, program=polytech)
    ProgramBudget.objects.create(program=polytech, year=2026, amount=1_000_000)
    expected = placement_refusal(2026, polytech.name, "연도별 예산")
    assert refused(placement.delete) == expected
    assert refused(lambda: ProgramPlacement.objects.filter(pk=placement.pk).delete()) == expected
    other = Program.objects.get(code="export-voucher")
    ProgramPlacement.objects.filter(plan_year=2026, program=other).delete()  # nothing of 2026 needs it
    assert refused(lambda: ProgramPlacement.objects.filter(pk=placement.pk).update(program=other)) == expected
    assert ProgramPlacement.objects.filter(pk=placement.pk, program=polytech).exists()
    # Saving it unchanged (every column written) is not a move; without the budget it may go.
    placement.ended = True
    placement.save()
    ProgramBudget.objects.filter(program=polytech, year=2026).delete()
    placement.delete()
    assert not ProgramPlacement.objects.filter(plan_year=2026, program=polytech).exists()


def test_placement_clean_refuses_a_move_and_names_what_needs_it(draft_2026, polytech):
    ProgramBudget.objects.create(program=polytech, year=2026, amount=1_000_000)
    placement = ProgramPlacement.objects.get(plan_year=2026, program=polytech)
    placement.program = Program.objects.create(code="synthetic-x", name="(합성) 사업", ministry=polytech.ministry)
    with pytest.raises(ValidationError) as caught:
        placement.full_clean()
    assert caught.value.messages == [
        f"2026년 「{polytech.name}」에 딸린 자료(연도별 예산 1건)가 있어 연도별 사업 편성을 지우거나 사업·연도를 "
        "바꿀 수 없습니다. 그 자료를 먼저 옮기거나 지우세요."
    ]


def test_admin_delete_page_refuses_a_needed_placement(admin_client, polytech):
    placement = ProgramPlacement.objects.get(plan_year=2025, program=polytech)
    url = reverse("admin:programs_programplacement_delete", args=[placement.pk])
    page = admin_client.get(url).content.decode()
    assert "2025년 「기능인력양성(폴리텍)」에 딸린 자료(연도별 예산 1건, 추진일정" in page
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert ProgramPlacement.objects.filter(pk=placement.pk).exists()


def test_bulk_delete_of_placements_refuses_the_needed_ones(admin_client, draft_2026, polytech):
    ProgramBudget.objects.create(program=polytech, year=2026, amount=1_000_000)
    needed = ProgramPlacement.objects.get(plan_year=2026, program=polytech)
    free = ProgramPlacement.objects.get(plan_year=2026, program__code="export-voucher")
    url = reverse("admin:programs_programplacement_changelist")
    selected = {"action": "delete_selected", "_selected_action": [needed.pk, free.pk], "post": "yes"}
    response = admin_client.post(url, selected)
    assert response.status_code == 200
    assert f"2026년 「{polytech.name}」에 딸린 자료(연도별 예산 1건)" in response.content.decode()
    assert ProgramPlacement.objects.filter(pk__in=[needed.pk, free.pk]).count() == 2  # nothing deleted


def test_deleting_a_needed_placement_in_the_program_form_is_refused_in_words(admin_client, polytech):
    url = reverse("admin:programs_program_change", args=[polytech.pk])
    data = change_form_data(admin_client.get(url))
    [row] = [key.removesuffix("-plan_year") for key in data if re.fullmatch(r"placements-\d+-plan_year", key)]
    data[f"{row}-DELETE"] = "on"
    data["change_reason"] = "(시험) 편성 삭제"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "데이터베이스가 저장을 거부하여 아무것도 저장하지 않았습니다" in page
    assert "CONTEXT" not in page
    assert ProgramPlacement.objects.filter(plan_year=2025, program=polytech).exists()


# --- imports ----------------------------------------------------------------------------------------


def test_an_import_that_gets_past_its_own_check_is_refused_by_the_database(tmp_path, empty_2026, polytech, monkeypatch):
    """As if the placement went between the import's check and its write: the pipeline reports the
    database's refusal in Korean and writes nothing."""
    monkeypatch.setattr(YearAgreement, "problem", lambda self, program_id, year: None)
    company = make_company()
    path = write_xlsx(
        tmp_path / "신청.xlsx", ["사업자등록번호", "사업", "연도", "상태"], [[company.brn, polytech.name, 2026, "접수"]]
    )
    result = import_file(kind=get_kind("applications"), data=path.read_bytes(), file_name=path.name)
    assert not result.written
    [error] = result.errors
    assert error.message == f"데이터베이스가 저장을 거부하여 아무것도 저장하지 않았습니다: {not_placed_2026()}"
    assert Application.objects.count() == 0


# --- flush --------------------------------------------------------------------------------------------


def test_flush_empties_every_table_whatever_the_order_of_their_names():
    """Django's SQLite flush (`manage.py flush`, TransactionTestCase) deletes the tables in the order
    of a set of names, new in every process: config/sqlite3 puts the trigger-guarded placements
    last. PostgreSQL flushes with one TRUNCATE, which fires no row trigger."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    placements_first = sorted(tables, key=lambda table: table != ProgramPlacement._meta.db_table)
    statements = connection.ops.sql_flush(no_style(), placements_first, reset_sequences=True)
    if not POSTGRES:
        refusal = refused(lambda: connection.cursor().execute("DELETE FROM programs_programplacement"))
        assert refusal.startswith("이 사업·연도의 ")
        assert refusal.endswith(" 자료가 있어 연도별 사업 편성을 지우거나 사업·연도를 바꿀 수 없습니다.")
        deletes = [statement for statement in statements if statement.startswith("DELETE")]
        assert deletes[-1] == 'DELETE FROM "programs_programplacement";'
    with transaction.atomic():  # rolled back with the test
        connection.ops.execute_sql_flush(statements)
    assert not ProgramPlacement.objects.exists() and not ProgramBudget.objects.exists()
    assert not Program.objects.exists()

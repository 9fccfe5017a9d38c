"""The core stands alone: `programs` imports no app, apps register with it, the schema is the models'."""

import ast
import io
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from programs import registry
from programs.models import Milestone, Program

APPS_ON_THE_CORE = {"companies", "centers"}


def python_files(app: str) -> list[Path]:
    return sorted(path for path in (Path(settings.BASE_DIR) / app).rglob("*.py") if "migrations" not in path.parts)


def imported_roots(path: Path) -> set[str]:
    """Top-level packages a module imports anywhere (module level or inside functions)."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_module_of_the_core_imports_an_app():
    offenders = {
        str(path.relative_to(settings.BASE_DIR)): sorted(imported_roots(path) & APPS_ON_THE_CORE)
        for path in python_files("programs")
        if imported_roots(path) & APPS_ON_THE_CORE
    }
    assert offenders == {}


def test_the_scan_would_see_an_import_hidden_in_a_function(tmp_path):
    module = tmp_path / "hidden.py"
    module.write_text("def f():\n    from companies.models import Application\n    import centers.reports\n")
    assert imported_roots(module) >= {"companies", "centers"}


def test_no_core_model_refers_to_an_app_model():
    references = {
        f"{model.__name__}.{field.name}": field.related_model._meta.app_label
        for model in apps.get_app_config("programs").get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model._meta.app_label in APPS_ON_THE_CORE
    }
    assert references == {}


def test_apps_register_their_contributions_in_dependency_order():
    def app_of(function) -> str:
        return function.__module__.split(".")[0]

    assert [app_of(data.load) for data in registry.plan_data] == ["programs", "companies", "centers"]
    assert [app_of(add) for add in registry.committee_sheets] == ["companies", "centers"]
    assert [app_of(check) for check in registry.checks] == ["companies"]
    assert [link.url_name for link in registry.plan_nav] == [
        "plan_companies:companies",
        "plan_companies:applications",
        "plan_centers:centers",
        "plan_centers:service_requests",
        "plan_centers:institutions",
    ]


def test_a_contribution_registered_twice_is_refused():
    hook = registry.Hook("example", "test")
    hook.register(print)
    with pytest.raises(ValueError, match="registered twice"):
        hook.register(print)


def test_load_plan_reports_each_registered_loader_by_its_label(db):
    out = io.StringIO()
    call_command("load_plan", stdout=out)
    lines = [line.split(":")[0] for line in out.getvalue().splitlines()[:-1]]
    assert lines == [data.label for data in registry.plan_data]


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_every_declared_constraint_index_and_generated_column_is_in_the_database():
    missing = []
    with connection.cursor() as cursor:
        for label in ("programs", "companies", "centers"):
            for model in apps.get_app_config(label).get_models():
                table = model._meta.db_table
                present = set(connection.introspection.get_constraints(cursor, table))
                declared = [c.name for c in model._meta.constraints] + [i.name for i in model._meta.indexes]
                missing += [f"{table}.{name}" for name in declared if name not in present]
                columns = {column.name for column in connection.introspection.get_table_description(cursor, table)}
                missing += [
                    f"{table}.{field.column}" for field in model._meta.concrete_fields if field.column not in columns
                ]
    assert missing == []


@pytest.mark.django_db
def test_generated_growth_stage_is_computed_by_the_database():
    from tests.companies.helpers import make_company

    company = make_company(sales_amount=5_000_000_000)
    company.refresh_from_db()
    assert (company.sales_bracket, company.growth_stage) == (4, "doyak")  # 50억: 50–100억 bracket, 도약 stage


@pytest.mark.django_db
def test_database_refuses_more_foreign_workers_than_employees():
    from companies.models import Company
    from tests.companies.helpers import make_company

    company = make_company(employees=10, foreign_workers=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.filter(pk=company.pk).update(foreign_workers=11)
    company.refresh_from_db()
    assert company.foreign_workers == 3


class TestOverdueMilestones:
    """One definition of 'overdue', used by the admin filter, the dashboard and the 검증 sheet."""

    @pytest.fixture
    def program(self, db):
        return Program.objects.get(code="polytech")

    def make(self, program, *, year, start, end, status="planned", order):
        return Milestone.objects.create(
            program=program,
            year=year,
            label=f"t{order}",
            plan_text="t",
            start_month=start,
            end_month=end,
            status=status,
            order=100 + order,
        )

    def test_past_month_not_done_is_overdue_and_nothing_else_is(self, program):
        today = date(2025, 6, 15)
        late = self.make(program, year=2025, start=3, end=5, order=1)
        last_year = self.make(program, year=2024, start=11, end=12, order=2)
        self.make(program, year=2025, start=3, end=5, status="done", order=3)
        self.make(program, year=2025, start=6, end=6, order=4)  # this month: not yet
        self.make(program, year=2025, start=None, end=None, order=5)  # 연중: never overdue
        self.make(program, year=2026, start=1, end=1, order=6)

        overdue = set(Milestone.objects.filter(program=program, order__gte=100).overdue(today))

        assert overdue == {late, last_year}

    def test_admin_filter_and_dashboard_use_the_same_rule(self, program, admin_client):
        from programs.checks import overdue_milestones
        from programs.selectors import programs_behind_schedule

        today = date(2025, 6, 15)
        late = self.make(program, year=2025, start=1, end=2, order=1)
        expected = set(Milestone.objects.overdue(today).filter(year=2025))
        assert late in expected
        assert set(overdue_milestones(year=2025, today=today)) == expected
        behind = {p.pk: p.overdue_count for p in programs_behind_schedule(year=2025, today=today, limit=100)}
        assert behind[program.pk] == sum(1 for m in expected if m.program_id == program.pk)


@pytest.mark.django_db
def test_every_way_of_entering_an_execution_records_who_entered_it(admin_user):
    from programs.models import BudgetExecution
    from programs.services import execution_entry_values, execution_record

    program = Program.objects.get(code="polytech")
    entry = execution_record(execution=BudgetExecution(program=program, year=2025, month=2, amount=5), user=admin_user)
    assert BudgetExecution.objects.get(pk=entry.pk).entered_by == admin_user
    assert execution_entry_values(user=admin_user) == {"entered_by_id": admin_user.pk}
    assert execution_entry_values(user=None) == {}


@pytest.mark.django_db
def test_application_count_is_one_definition_for_admin_and_staff_pages(admin_client):
    from companies.models import Application, Company
    from tests.companies.helpers import make_company

    company = make_company(name="신청세기")
    for code in ("polytech", "ip-rnd"):
        Application.objects.create(company=company, program=Program.objects.get(code=code), year=2025)
    assert Company.objects.with_application_count().get(pk=company.pk).application_count == 2
    assert make_company(name="무신청").pk in {
        c.pk for c in Company.objects.with_application_count().filter(application_count=0)
    }

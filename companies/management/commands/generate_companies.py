"""`manage.py generate_companies --count N [--xlsx PATH] [--seed S]`: a synthetic population.

Counts by 업종, 권역 and 매출 규모 follow the plan's tables (exactly at N = 64,061; see
companies/synthetic.py for the one company the size table lacks). Applications (~100,000 at
64,061) are spread over the programs. With --xlsx the companies are written in the import
template to PATH (and the applications to PATH with the suffix _applications) instead of the DB.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from companies.models import Application, Company, Industry, Province, Region, SalesBracketFigure
from companies.synthetic import (
    SYNTHETIC_BRN_PREFIX,
    allocate,
    application_records,
    company_records,
    synthetic_brn,
)
from programs.excel import write_xlsx
from programs.importing.kinds import get_kind
from programs.models import Program


def plan_allocation(count: int):
    return allocate(
        count,
        industry_firms={industry: industry.plan_firms for industry in Industry.objects.order_by("order")},
        region_firms={region: region.plan_firms for region in Region.objects.order_by("order")},
        bracket_firms={row.bracket: row.plan_firms for row in SalesBracketFigure.objects.order_by("bracket")},
    )


def provinces_by_region() -> dict[int, list[Province]]:
    grouped: dict[int, list[Province]] = {}
    for province in Province.objects.select_related("region").order_by("order"):
        grouped.setdefault(province.region_id, []).append(province)
    return grouped


def cell_value(record: dict, attr: str):
    value = record.get(attr)
    if attr in ("province", "industry"):
        return value.name
    if isinstance(value, bool):
        return "Y" if value else "N"
    if attr == "brn":
        return f"{value[:3]}-{value[3:5]}-{value[5:]}"
    return value


class Command(BaseCommand):
    help = "계획의 업종·권역·매출 규모 분포를 따르는 가상 뿌리기업과 사업 신청을 만듭니다."

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, required=True, help="만들 가상 기업 수(계획의 업종·권역·규모 분포대로)"
        )
        parser.add_argument(
            "--xlsx",
            type=Path,
            help="DB 대신 가져오기 양식 엑셀 파일로 씁니다(옆에 <이름>_applications.xlsx로 사업 신청도).",
        )
        parser.add_argument("--seed", type=int, default=2025, help="난수 씨앗: 같은 값이면 같은 자료(기본 2025)")
        parser.add_argument(
            "--start",
            type=int,
            help="첫 가상 기업의 번호(사업자등록번호가 이 번호를 따름). 기본: DB에 쓸 때는 이미 있는 가상 기업 다음, "
            "파일로 쓸 때는 1",
        )
        parser.add_argument(
            "--applications", type=int, help="사업 신청 건수(기본: 계획의 비율대로, 64,061개 기업에 약 10만 건)"
        )

    def handle(self, *args, count, xlsx, seed, applications=None, start=None, **options):
        if count < 1:
            raise CommandError("--count는 1 이상이어야 합니다.")
        if start is None:
            # Run again on a database that has them: the next ones, not the same 사업자등록번호 again.
            start = 1 if xlsx else Company.objects.filter(brn__startswith=SYNTHETIC_BRN_PREFIX).count() + 1
        if start < 1 or start + count - 1 > 9_999_999:
            raise CommandError("--start는 1 이상이고, 마지막 번호가 9,999,999를 넘지 않아야 합니다.")
        taken = Company.objects.filter(
            brn__gte=synthetic_brn(start)[:9] + "0", brn__lte=synthetic_brn(start + count - 1)[:9] + "9"
        )
        if not xlsx and taken.exists():
            raise CommandError(
                f"가상 기업 {start:,}번부터 {start + count - 1:,}번 가운데 이미 있는 사업자등록번호가 있습니다. "
                "--start로 다른 번호를 주세요."
            )
        if not Industry.objects.exists() or not SalesBracketFigure.objects.exists():
            raise CommandError("기준 자료가 없습니다. 먼저 `manage.py load_plan`을 실행해 주세요.")
        records = list(company_records(count, plan_allocation(count), provinces_by_region(), seed=seed, first=start))
        # Applications are of 2025 and 2024: programs of the 2025 plan (a year's rows need its placement).
        programs = list(Program.objects.filter(placements__plan_year=2025).order_by("pk"))
        applications = application_records(count, [p.pk for p in programs], seed=seed, total=applications)
        if xlsx:
            self.write_files(xlsx, records, applications, {p.pk: p.name for p in programs})
        else:
            self.write_database(records, applications)
        self.stdout.write(self.style.SUCCESS(f"가상 뿌리기업 {count:,}개, 사업 신청 {len(applications):,}건"))

    def write_files(self, path: Path, records, applications, program_names):
        companies = get_kind("companies")
        columns = companies.importable_columns()
        rows = ([cell_value(record, column.attr) for column in columns] for record in records)
        with path.open("wb") as stream:
            write_xlsx(stream, [c.excel for c in columns], rows, sheet_title=companies.sheet_title)
        kind = get_kind("applications")
        columns = kind.importable_columns()
        labels = {value: label for value, label in kind.model._meta.get_field("status").choices}
        app_rows = (
            [
                {
                    "brn": cell_value(records[i], "brn"),
                    "program": program_names[program],
                    "year": year,
                    "status": labels[status],
                    "requested_amount": amount,
                }.get(column.attr)
                for column in columns
            ]
            for i, program, year, status, amount in applications
        )
        app_path = path.with_name(f"{path.stem}_applications{path.suffix}")
        with app_path.open("wb") as stream:
            write_xlsx(stream, [c.excel for c in columns], app_rows, sheet_title=kind.sheet_title)
        self.stdout.write(f"{path}, {app_path}에 썼습니다.")

    @transaction.atomic
    def write_database(self, records, applications):
        companies = Company.objects.bulk_create([Company(**record) for record in records], batch_size=2000)
        Application.objects.bulk_create(
            [
                Application(
                    company_id=companies[i].pk,
                    program_id=program,
                    year=year,
                    status=status,
                    requested_amount=amount,
                )
                for i, program, year, status, amount in applications
            ],
            batch_size=2000,
        )

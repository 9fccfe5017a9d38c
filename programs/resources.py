"""Import/export kind of the plan app: 예산 집행 (`executions`), one row per program and month.

Keyed on 사업 + 연월: importing the same month again replaces its amount, never adds to it.
The amount may be given in won (집행액(원), the template's column) or in 백만원 (집행액(백만원)),
converted exactly. Unknown programs, months outside the plan year and negative amounts are refused;
cumulative execution above the budget is imported but flagged in the preview.
"""

import datetime
import re
import unicodedata
from collections import defaultdict
from decimal import Decimal

from django.db.models import F

from programs.choices import ImportKind
from programs.formats import MILLION, format_million
from programs.importing.cells import CellError, finite_decimal, is_blank, parse_integer, parse_text
from programs.importing.kinds import Column, ImportExportKind, ParsedRow, RowProblem, register
from programs.models import BudgetExecution, PlanYearStatus, ProgramBudget, ProgramPlacement
from programs.selectors import placement_order, program_lookup
from programs.services import execution_entry_values

_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-./년]\s*(\d{1,2})\s*월?(?:\s*[-./]\s*\d{1,2}\s*일?)?$")


def parse_year_month(value) -> tuple[int, int] | None:
    """2025-03, 2025.3, 2025년 3월, 202503, or a date cell → (2025, 3)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.date):
        return value.year, value.month
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        text = str(int(value))
    if re.fullmatch(r"\d{6}", text):
        text = f"{text[:4]}-{text[4:]}"
    match = _YEAR_MONTH.match(text)
    if not match:
        raise CellError("연월 형식이 아닙니다(예: 2025-03).")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise CellError("월은 1~12 사이여야 합니다.")
    return year, month


def parse_amount_won(value) -> int | None:
    try:
        return parse_integer(value, minimum=None)
    except CellError as exc:
        raise CellError(f"집행액은 원 단위 정수로 입력해 주세요({exc})") from exc


def parse_amount_million(value) -> Decimal | None:
    if is_blank(value):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").replace(" ", "")
    if text.startswith("△"):
        text = "-" + text[1:]
    amount = finite_decimal(text)
    if amount * MILLION != (amount * MILLION).to_integral_value():
        raise CellError("원 단위 아래 금액은 입력할 수 없습니다(백만원 기준 소수 여섯째 자리까지).")
    return amount


@register
class ExecutionKind(ImportExportKind):
    name = ImportKind.EXECUTIONS
    label = "예산 집행"
    model = BudgetExecution
    key_fields = ("program_id", "year", "month")
    sheet_title = "예산 집행"
    columns = (
        Column(
            "사업",
            "program",
            parse_text,
            lambda e: e.program.name,
            required=True,
            width=40,
            aliases=("사업명", "사업 코드"),
            note="사업 코드(예: polytech) 또는 정확한 사업명",
        ),
        Column("소관부처", "ministry", None, lambda e: e.program.ministry_full_label, importable=False, width=16),
        Column(
            "연월",
            "period",
            parse_year_month,
            lambda e: f"{e.year}-{e.month:02d}",
            required=True,
            number_format="text",
            note="그 사업이 편성된 실행계획 연도의 월, 예: 2025-03",
        ),
        Column(
            "집행액(원)",
            "amount_won",
            parse_amount_won,
            lambda e: e.amount,
            number_format="won",
            width=18,
            note="원 단위 정수, 0 이상. 같은 사업·연월을 다시 가져오면 금액을 바꿉니다(더하지 않음)",
        ),
        Column(
            "집행액(백만원)",
            "amount_million",
            parse_amount_million,
            lambda e: e.amount / MILLION,
            number_format="million",
            width=14,
            note="집행액(원) 대신 백만원으로 적을 때(둘 중 하나만)",
        ),
        Column("메모", "memo", lambda value: parse_text(value, max_length=200), lambda e: e.memo, width=30),
    )

    def prepare(self, rows):
        self.programs = program_lookup()
        self.program_names = {program.pk: program.name for program in self.programs.values()}
        self.open_years: dict[int, list[int]] = {}
        open_placements = ProgramPlacement.objects.exclude(plan_year__status=PlanYearStatus.CLOSED)
        for program_id, year in open_placements.values_list("program_id", "plan_year").order_by("plan_year"):
            self.open_years.setdefault(program_id, []).append(year)

    def execution_years(self, program_id: int) -> list[int]:
        """Plan years the program is placed in and not 종료 (BudgetExecution.clean's rule, preloaded)."""
        return self.open_years.get(program_id, [])

    def resolve_row(self, row: ParsedRow, present: set[str]) -> None:
        data = row.data
        program = self.programs.find(data["program"])
        if program is None:
            raise RowProblem(
                "사업",
                data["program"],
                "알 수 없는 사업입니다. 사업 코드(예: polytech) 또는 정확한 사업명을 적어 주세요.",
            )
        year, month = data["period"]
        years = self.execution_years(program.pk)
        if year not in years:
            listed = ", ".join(str(y) for y in years) or "없음"
            raise RowProblem(
                "연월", f"{year}-{month:02d}", f"집행은 실행계획 연도({listed}년)의 월만 가져올 수 있습니다."
            )
        won, million = data.get("amount_won"), data.get("amount_million")
        if won is not None and million is not None and won != million * MILLION:
            raise RowProblem(
                "집행액(백만원)", million, "집행액(원)과 집행액(백만원)이 서로 다릅니다. 하나만 적어 주세요."
            )
        amount = won if won is not None else (int(million * MILLION) if million is not None else None)
        if amount is None:
            raise RowProblem("집행액(원)", None, "집행액(원) 또는 집행액(백만원)을 입력해 주세요.")
        if amount < 0:
            raise RowProblem(
                "집행액(원)" if won is not None else "집행액(백만원)",
                won if won is not None else million,
                "집행액은 0원 이상이어야 합니다.",
            )
        row.values = {"program_id": program.pk, "year": year, "month": month, "amount": amount}
        if "memo" in present:
            row.values["memo"] = data.get("memo") or ""
        row.key = (program.pk, year, month)

    def object_repr(self, row: ParsedRow) -> str:
        program_id, year, month = row.key
        return f"{self.program_names[program_id]} {year}-{month:02d}"

    def stamp(self, values: dict, user) -> None:
        """Imported executions are entered by the importing user (the batch records the file)."""
        values.update(execution_entry_values(user=user))

    def warnings(self, result) -> list[str]:
        """Programs whose cumulative execution would exceed the year's budget after this import."""
        changes = result.new + result.updated
        if not changes:
            return []
        in_file: dict[tuple, dict[int, int]] = defaultdict(dict)
        for change in changes:
            values = change.row.values
            in_file[(values["program_id"], values["year"])][values["month"]] = values["amount"]
        program_ids = {program_id for program_id, _ in in_file}
        stored = defaultdict(dict)
        for program_id, year, month, amount in BudgetExecution.objects.filter(program_id__in=program_ids).values_list(
            "program_id", "year", "month", "amount"
        ):
            stored[(program_id, year)][month] = amount
        budgets = {
            (program_id, year): amount
            for program_id, year, amount in ProgramBudget.objects.filter(program_id__in=program_ids).values_list(
                "program_id", "year", "amount"
            )
        }
        warnings = []
        for key, months in sorted(in_file.items()):
            total = sum({**stored.get(key, {}), **months}.values())
            budget = budgets.get(key, 0)
            if total > budget:
                warnings.append(
                    f"「{self.program_names[key[0]]}」 {key[1]}년 집행 누계 {format_million(total)}백만원이 "
                    f"예산 {format_million(budget)}백만원을 넘습니다."
                )
        return warnings

    def export_queryset(self, queryset=None):
        queryset = super().export_queryset(queryset)
        return (
            queryset.select_related("program__ministry")
            .annotate(budget_order=placement_order("program", "year"))
            .order_by(F("budget_order").asc(nulls_last=True), "program__name", "year", "month")
        )

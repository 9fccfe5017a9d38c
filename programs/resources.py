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

from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from programs.choices import ImportKind, ImportRowAction
from programs.formats import MILLION, NEW_LABEL, change_rate, format_million, format_rate
from programs.history import record_import_history
from programs.importing.bulk import fast_insert, fast_update
from programs.importing.cells import (
    CellError,
    finite_decimal,
    is_blank,
    parse_integer,
    parse_text,
    parse_year,
    text,
    unknown_name,
)
from programs.importing.kinds import Column, ImportExportKind, ParsedRow, RowProblem, SkipRow, register
from programs.importing.pipeline import record_batch_rows
from programs.models import BudgetExecution, PlanYear, PlanYearStatus, ProgramBudget, ProgramPlacement
from programs.models.plan import YearAgreement
from programs.selectors import ministry_full_label, placement_field, placement_order, program_lookup
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
    chunk_rows = None  # warnings() sums the whole file's months against the budgets
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
        Column("소관부처", "ministry", None, ministry_full_label, importable=False, width=16),
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
        for program_id, year in open_placements.values_list("program_id", "plan_year").order_by("plan_year_id"):
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
            listed = ", ".join(str(y) for y in years) + "년" if years else "없음"
            raise RowProblem(
                "연월", f"{year}-{month:02d}", f"집행은 실행계획 연도({listed})의 월만 가져올 수 있습니다."
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
            .annotate(
                budget_order=placement_order("program", "year"),
                placement_ministry_stated=placement_field("ministry_stated", "program", "year"),
            )
            .order_by(F("budget_order").asc(nulls_last=True), "program__name", "year", "month")
        )


# --- 지원예산 표 (budget_table): the plan's own section V table -------------------------------------

_PLAN_NUMBER = re.compile(r"^(△|-)?\s*([\d,]+(?:\.\d+)?)$")
SUBTOTAL, TOTAL = "소계", "총계"


def parse_plan_number(value) -> Decimal | None:
    """A figure as the plan prints it: 42,285 · △1,740 (negative) · '-' (none) · a number cell."""
    if is_blank(value):
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return finite_decimal(str(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in ("-", "–", "—"):
        return None
    match = _PLAN_NUMBER.match(text)
    if not match:
        raise CellError("숫자(예: 42,285, △1,740) 또는 '-'여야 합니다.")
    number = finite_decimal(match.group(2).replace(",", ""))
    return -number if match.group(1) else number


def parse_plan_rate(value) -> Decimal | str | None:
    """The % column: 1.0 · △36.7 · 신규."""
    if not is_blank(value) and str(value).strip() == NEW_LABEL:
        return NEW_LABEL
    return parse_plan_number(value)


def million_amount(value: Decimal | None, column: str) -> int | None:
    if value is None:
        return None
    if value < 0:
        raise RowProblem(column, value, "예산은 0 이상이어야 합니다.")
    won = value * MILLION
    if won != won.to_integral_value():
        raise RowProblem(column, value, "백만원 단위로 원 아래 자리가 생깁니다. 숫자를 확인하세요.")
    return int(won)


ORDER_CHANGES_SHOWN = 10  # placements named in the preview's warning about the budget table order


def budget_label(program_name: str, year: int, amount: int) -> str:
    """A budget row as the preview and the batch name it: 「사업명 2026년 7,814백만원」."""
    return f"{program_name} {year}년 {format_million(amount)}백만원"


@register
class BudgetTableKind(ImportExportKind):
    """The plan's 지원예산 table (구분 / 사업명 / 전년 / 당해 / 증감 / %, 백만원) for one plan year.

    Each program row writes the program's budget of the year (당해) and, where none is stored,
    of the year before (전년); the rows' order becomes the budget table's order of that year's
    placements. 증감 and % must agree with 전년 and 당해 as the plan computes them (△ negative,
    신규 where there is no 전년), and 소계/총계 rows must equal the sum of the rows they close: a
    row that disagrees is refused, and with it the whole file. The year is the newest plan year
    being drawn up (작성 중), or the one a 연도 column names.
    """

    name = ImportKind.BUDGET_TABLE
    label = "지원예산 표"
    model = ProgramBudget
    chunk_rows = None  # 소계/총계 rows are checked against the rows above them; after_write orders the table
    key_fields = ("program_id", "year")
    sheet_title = "지원예산"
    columns = (
        Column("구분", "area", text(100), lambda b: "", width=24, note="추진분야(예산표 구분명). 비우면 윗 행과 같음"),
        Column(
            "사업명",
            "program",
            text(200),
            lambda b: b.program.name,
            width=40,
            note="사업명, 사업 코드 또는 다른 표기. '소계'·'총계' 행은 합계를 검사만 합니다",
        ),
        Column(
            "전년",
            "previous",
            parse_plan_number,
            None,
            width=12,
            aliases=("전년(A)", "전년도"),
            note="백만원, 없으면 -",
        ),
        Column("당해", "current", parse_plan_number, None, width=12, aliases=("당해(B)", "당해연도"), note="백만원"),
        Column(
            "증감", "change", parse_plan_number, None, width=12, aliases=("증감(B-A)", "(B-A)"), note="백만원, 감소는 △"
        ),
        Column(
            "%", "rate", parse_plan_rate, None, width=8, aliases=("증감률", "증감률(%)"), note="소수 첫째 자리, 신규"
        ),
        Column("연도", "year", parse_year, None, aliases=("실행계획 연도",), note="비우면 작성 중인 가장 최근 연도"),
    )

    def prepare(self, rows):
        self.programs = program_lookup()
        drafts = PlanYear.objects.filter(status=PlanYearStatus.DRAFT).order_by("-year")
        self.draft_year = drafts.values_list("year", flat=True).first()
        self.locked = set(PlanYear.objects.exclude(status=PlanYearStatus.DRAFT).values_list("year", flat=True))
        self.placements = {
            (p.plan_year_id, p.program_id): p for p in ProgramPlacement.objects.select_related("task__area")
        }
        self.year_agreement = YearAgreement.load()
        self.stored_previous = {
            (program_id, year): amount
            for program_id, year, amount in ProgramBudget.objects.values_list("program_id", "year", "amount")
        }
        self.area = ""
        self.area_sums = defaultdict(lambda: [0, 0])
        self.total_sums = [0, 0]
        self.unsummed: set[str] = set()  # 구분s (and TOTAL) with a row whose amounts could not be read
        self.order: list[tuple[int, int, int]] = []  # (year, program_id, row number) in the file's order
        self.previous_missing: dict[tuple[int, int], tuple[int, int]] = {}  # (program, year) → (amount, row)
        self.program_names: dict[int, str] = {}

    def resolve_row(self, row, present):
        data = row.data
        area = data.get("area") or ""
        name = (data.get("program") or "").strip()
        if area == TOTAL or name == TOTAL:
            self.check_sum(TOTAL, self.total_sums, data)
            raise SkipRow
        if area:
            self.area = area
        if name == SUBTOTAL:
            self.check_sum(f"{self.area} {SUBTOTAL}", self.area_sums[self.area], data)
            raise SkipRow
        previous, current = self.add_to_sums(data)
        year = data.get("year") or self.draft_year
        if year is None:
            raise RowProblem("연도", "", "작성 중인 실행계획 연도가 없습니다. 먼저 다음 연도 계획을 만드세요(복사).")
        if year in self.locked:
            raise RowProblem("연도", year, f"{year}년 실행계획은 확정되어 지원예산 표 가져오기로 바꿀 수 없습니다.")
        if not name:
            raise RowProblem("사업명", "", "사업명을 적어 주세요(소계·총계 행은 '소계'·'총계').")
        program = self.programs.find(name)
        if program is None:
            raise RowProblem("사업명", name, unknown_name("사업", self.programs.accepted))
        placement = self.placements.get((year, program.pk))
        if placement is None:
            raise RowProblem("사업명", name, f"{year}년 실행계획에 편성되지 않은 사업입니다(연도별 사업 편성).")
        if self.area and self.area != placement.task.area.budget_label:
            raise RowProblem(
                "구분", self.area, f"이 사업은 {year}년 계획에서 「{placement.task.area.budget_label}」에 속합니다."
            )
        self.check_change(data, previous, current)
        stored = self.stored_previous.get((program.pk, year - 1))
        if previous is not None and stored is not None and stored != previous:
            raise RowProblem(
                "전년",
                data.get("previous"),
                f"저장된 {year - 1}년 예산 {format_million(stored)}백만원과 다릅니다.",
            )
        if previous is not None and stored is None:
            if problem := self.year_agreement.problem(program.pk, year - 1):
                raise RowProblem("전년", data.get("previous"), f"{problem} 전년 예산은 비워 두세요(신규).")
            self.previous_missing[(program.pk, year - 1)] = (previous, row.row_number)
        self.order.append((year, program.pk, row.row_number))
        self.program_names[program.pk] = program.name
        row.values = {"program_id": program.pk, "year": year, "amount": current}
        row.key = (program.pk, year)

    def object_repr(self, row) -> str:
        program_id, year = row.key
        return budget_label(self.program_names[program_id], year, row.values["amount"])

    def check_change(self, data, previous: int | None, current: int) -> None:
        """증감 and % as the plan computes them from 전년 and 당해."""
        change, expected_change = data.get("change"), current - (previous or 0)
        if change is not None and change * MILLION != expected_change:
            raise RowProblem("증감", change, f"당해 − 전년 = {format_million(expected_change)}이어야 합니다.")
        rate = data.get("rate")
        expected = change_rate(previous, current)
        if rate is None:
            return
        if expected is None and rate != NEW_LABEL:
            raise RowProblem("%", rate, "전년 예산이 없는 사업은 '신규'로 적습니다.")
        if expected is not None and rate != expected:
            raise RowProblem("%", rate, f"증감률은 {format_rate(expected)}이어야 합니다.")

    def add_to_sums(self, data) -> tuple[int | None, int]:
        """A program row's 전년 and 당해, added to its 구분's 소계 and the 총계 before anything else
        about the row is checked: a row refused for another reason (증감, 사업명 ...) still counts,
        so the 소계·총계 rows are not refused for it. A row whose amounts cannot be read leaves its
        구분 and the 총계 unchecked (the sums would be wrong), and is refused itself."""
        try:
            previous = million_amount(data.get("previous"), "전년")
            current = million_amount(data.get("current"), "당해")
            if current is None:
                raise RowProblem("당해", "", "당해 예산을 적어 주세요.")
        except RowProblem:
            self.unsummed.update({self.area, TOTAL})
            raise
        for target in (self.area_sums[self.area], self.total_sums):
            target[0] += previous or 0
            target[1] += current
        return previous, current

    def check_sum(self, label: str, sums: list[int], data) -> None:
        if (self.area if label != TOTAL else TOTAL) in self.unsummed:
            return
        for column, attr, total in (("전년", "previous", sums[0]), ("당해", "current", sums[1])):
            value = data.get(attr)
            if value is not None and million_amount(value, column) != total:
                raise RowProblem(column, value, f"{label}는 위 행들의 합 {format_million(total)}이어야 합니다.")

    def warnings(self, result) -> list[str]:
        """The placements whose 예산표 순서 or 지원예산 표 포함 the import will change (the budgets'
        counts do not show them): read whole (chunk_rows None), before the write."""
        changes = self.order_changes(
            lambda year: ProgramPlacement.objects.filter(plan_year=year).select_related("program")
        )
        by_year = defaultdict(list)
        for placement, _, order, has_line in changes:
            by_year[placement.plan_year_id].append((placement, order, has_line))
        found = []
        for year, changed in sorted(by_year.items()):
            named = []
            for placement, order, has_line in changed[:ORDER_CHANGES_SHOWN]:
                parts = []
                if placement.budget_order != order:
                    parts.append(f"예산표 순서 {placement.budget_order or '없음'} → {order}")
                if placement.has_budget_line != has_line:
                    parts.append("지원예산 표에 포함" if has_line else "지원예산 표에서 뺌")
                named.append(f"「{placement.program.name}」({', '.join(parts)})")
            more = f" 외 {len(changed) - ORDER_CHANGES_SHOWN:,}개" if len(changed) > ORDER_CHANGES_SHOWN else ""
            found.append(
                f"{year}년 연도별 사업 편성 {len(changed):,}개의 예산표 순서·지원예산 표 포함이 바뀝니다: "
                + ", ".join(named)
                + more
                + "."
            )
        return found

    def order_changes(self, placements_of_year) -> list[tuple]:
        """(placement, row number or 0, new order, new has_budget_line) for each placement of the
        file's years whose budget table order or flag the file changes: the file's programs first,
        with has_budget_line, then the others that have an order, in theirs."""
        changes = []
        by_year = defaultdict(list)
        for year, program_id, row_number in self.order:
            by_year[year].append((program_id, row_number))
        for year, listed in by_year.items():
            by_program = {placement.program_id: placement for placement in placements_of_year(year)}
            rows = dict(listed)
            others = sorted(
                (p for p in by_program.values() if p.program_id not in rows and p.budget_order is not None),
                key=lambda placement: placement.budget_order,
            )
            final = [(by_program[program_id], True) for program_id, _ in listed] + [
                (p, p.has_budget_line) for p in others
            ]
            for order, (placement, has_line) in enumerate(final, start=1):
                if (placement.budget_order, placement.has_budget_line) != (order, has_line):
                    changes.append((placement, rows.get(placement.program_id, 0), order, has_line))
        return changes

    def after_write(self, result, user) -> None:
        """전년 budgets the file gives and the database lacks; the table's order as that year's
        budget_order (the file's programs first, with has_budget_line, then the others that have an
        order, in theirs). Both are recorded in the batch with what they replaced: undo restores them."""
        self.write_previous_budgets(result.batch)
        self.write_orders(result.batch, user)

    def write_previous_budgets(self, batch) -> None:
        wanted = self.previous_missing
        if not wanted:
            return
        programs = {program_id for program_id, _ in wanted}
        stored = set(ProgramBudget.objects.filter(program_id__in=programs).values_list("program_id", "year"))
        missing = {key: value for key, value in wanted.items() if key not in stored}
        fast_insert(
            ProgramBudget,
            (
                {"program_id": program_id, "year": year, "amount": amount}
                for (program_id, year), (amount, _) in missing.items()
            ),
        )
        created = ProgramBudget.objects.filter(program_id__in=programs).values_list(
            "program_id", "year", "pk", "version"
        )
        record_batch_rows(
            batch,
            ProgramBudget,
            (
                (
                    ImportRowAction.NEW,
                    missing[(program_id, year)][1],
                    pk,
                    budget_label(self.program_names[program_id], year, missing[(program_id, year)][0]),
                    None,
                    version,
                )
                for program_id, year, pk, version in created
                if (program_id, year) in missing
            ),
        )

    def write_orders(self, batch, user) -> None:
        # Locked (pk order, as every writer of these rows locks): nobody reorders the year meanwhile.
        changes = self.order_changes(
            lambda year: (
                ProgramPlacement.objects.filter(plan_year=year)
                .select_related("program")
                .select_for_update(of=("self",))
                .order_by("pk")
            )
        )
        if not changes:
            return
        pks = [placement.pk for placement, *_ in changes]
        # Out of the way first (orders are unique per year; the check wants an order for a budget line).
        ProgramPlacement._base_manager.filter(pk__in=pks).update(budget_order=None, has_budget_line=False)
        fast_update(
            ProgramPlacement,
            ["budget_order", "has_budget_line"],
            [(p.pk, {"budget_order": order, "has_budget_line": has_line}) for p, _, order, has_line in changes],
        )
        versions = dict(ProgramPlacement._base_manager.filter(pk__in=pks).values_list("pk", "version"))
        record_batch_rows(
            batch,
            ProgramPlacement,
            (
                (
                    ImportRowAction.UPDATED,
                    row_number,
                    placement.pk,
                    str(placement),
                    {"budget_order": placement.budget_order, "has_budget_line": placement.has_budget_line},
                    versions[placement.pk],
                )
                for placement, row_number, _, _ in changes
            ),
        )
        record_import_history(ProgramPlacement, batch, user=user, action=ImportRowAction.UPDATED)

    def undo_refusal(self, batch) -> str | None:
        """A year confirmed since the import: its budgets change only by a 시스템 관리자, with a reason."""
        budget_ids = batch.rows.filter(content_type=ContentType.objects.get_for_model(ProgramBudget))
        years = ProgramBudget.objects.filter(pk__in=budget_ids.values("object_id")).values("year")
        confirmed = PlanYear.objects.filter(year__in=years, confirmed_at__gt=batch.created_at).order_by("year")
        if year := confirmed.values_list("year", flat=True).first():
            return (
                f"{year}년 실행계획이 가져온 뒤 확정되어 되돌릴 수 없습니다. 확정된 연도의 예산은 시스템 관리자가 "
                "변경 사유를 적어 고칩니다."
            )
        return None

    def before_undo_restore(self, model, before: dict[int, dict]) -> str | None:
        """Placements get their budget table order back: their orders are cleared first (unique per
        year), and the undo is refused if another placement took one of them since."""
        if model is not ProgramPlacement:
            return None
        restored = ProgramPlacement._base_manager.filter(pk__in=before)
        restored.update(budget_order=None, has_budget_line=False)
        years = dict(restored.values_list("pk", "plan_year_id"))
        wanted = {(years[pk], values.get("budget_order")) for pk, values in before.items()}
        taken = (
            ProgramPlacement.objects.filter(plan_year__in=set(years.values()), budget_order__isnull=False)
            .exclude(pk__in=before)
            .select_related("program")
        )
        clashes = [placement for placement in taken if (placement.plan_year_id, placement.budget_order) in wanted]
        if not clashes:
            return None
        named = ", ".join(f"「{placement}」(예산표 순서 {placement.budget_order})" for placement in clashes[:10])
        return f"되돌릴 예산표 순서를 가져온 뒤 다른 연도별 사업 편성이 쓰고 있어 되돌릴 수 없습니다: {named}."

    def export_queryset(self, queryset=None):
        return super().export_queryset(queryset).select_related("program")
